"""The workflow library and the YAML writer: pure functions, and the text splice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.dates import parse_user_date
from qi_cli.errors import QiError, UsageError
from qi_cli.files.loader import load_project
from qi_cli.files.yaml_write import create_file, merge, read_model, render, splice, update_file
from qi_cli.model import Cycle, DriverDiagram
from qi_cli.workflow import (
    LogInput,
    PlanInput,
    add_change,
    add_driver,
    carry_over,
    conflicts,
    cycle_file_name,
    driver_tree,
    log_patch,
    new_cycle_data,
    parse_decision,
    parse_held,
    parse_purpose,
    ramp,
)
from tests.workflow_fixtures import make_project

TODAY = dt.date(2025, 3, 10)
DIAGRAM = DriverDiagram.model_validate(
    {
        "drivers": {"a": {"name": "A"}, "b": {"name": "B", "parents": ["a"]}},
        "changes": {"c": {"title": "C", "drivers": ["b"]}},
    }
)


def cycle(**data: object) -> Cycle:
    return Cycle.model_validate({"change": "c", **data})


# --- parsing what a person types -----------------------------------------------------


def test_dates_iso_and_words() -> None:
    assert parse_user_date("2025-03-04", "--start", TODAY) == dt.date(2025, 3, 4)
    assert parse_user_date("today", "--start", TODAY) == TODAY
    assert parse_user_date(" Tomorrow ", "--start", TODAY) == dt.date(2025, 3, 11)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-02-30", "day is out of range"),
        ("2025-13-01", "month must be in 1..12"),
        ("04/03/2025", "is not a date"),
        ("next week", "is not a date"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason) as info:
        parse_user_date(text, "--start", TODAY)
    assert info.value.hint


def test_decision_other_than_the_three_is_refused_with_the_choices() -> None:
    assert parse_decision(" Adapt ") == "adapt"
    with pytest.raises(UsageError) as info:
        parse_decision("adopted")
    assert info.value.hint is not None
    assert all(word in info.value.hint for word in ("adopt", "adapt", "abandon"))
    assert "did you mean 'adopt'" in info.value.hint


def test_held_is_typed_as_yes_no() -> None:
    assert parse_held(["yes,no", "?", "Y"]) == [True, False, None, True]
    with pytest.raises(UsageError, match="not yes or no"):
        parse_held(["maybe"])


def test_purpose_accepts_plain_words() -> None:
    assert parse_purpose("collect information") == "collect_information"
    assert parse_purpose("impl") == "implement"
    with pytest.raises(UsageError, match="not a purpose"):
        parse_purpose("fun")


# --- drivers and change ideas ----------------------------------------------------------


def test_add_driver_makes_an_id_and_refuses_a_taken_one() -> None:
    new_id, patch = add_driver(DIAGRAM, "Weekend cover", parents=["a"])
    assert new_id == "weekend-cover"
    assert patch == {"drivers": {"weekend-cover": {"name": "Weekend cover", "parents": ["a"]}}}
    with pytest.raises(QiError, match="already a driver") as info:
        add_driver(DIAGRAM, "A")
    assert "ids in use: a, b, c" in (info.value.hint or "")


def test_unknown_parent_lists_the_known_drivers() -> None:
    with pytest.raises(QiError, match="no driver 'x'") as info:
        add_driver(DIAGRAM, "New", parents=["x"])
    assert "known drivers: a, b" in (info.value.hint or "")


def test_add_change_checks_drivers_and_ids() -> None:
    new_id, patch = add_change(DIAGRAM, "Physio review within 24 h", drivers=["b", "b"])
    assert new_id == "physio-review-within-24-h"
    assert patch["changes"][new_id]["drivers"] == ["b"]
    with pytest.raises(QiError, match="already a change idea"):
        add_change(DIAGRAM, "C")
    with pytest.raises(UsageError, match="not a valid id"):
        add_change(DIAGRAM, "Thing", change_id="Bad Id")
    with pytest.raises(UsageError, match="empty"):
        add_change(DIAGRAM, "   ")


# --- planning ----------------------------------------------------------------------------


def test_new_cycle_data_is_in_worksheet_order_without_empty_fields() -> None:
    plan = PlanInput(
        "c",
        scale=" one patient ",
        objective="Try it",
        questions=(("Will it work?", "Yes"), ("How long?", None)),
        test={"who": "Nurse", "what": ""},
        start=dt.date(2025, 3, 4),
    )
    data = new_cycle_data(plan, TODAY)
    assert list(data) == ["change", "purpose", "scale", "created", "plan"]
    assert data["scale"] == "one patient"
    assert list(data["plan"]) == ["objective", "questions", "test", "start"]
    assert data["plan"]["questions"][1] == {"question": "How long?"}
    assert data["plan"]["test"] == {"who": "Nurse"}
    assert render(data) == render(new_cycle_data(plan, TODAY))  # deterministic bytes


def test_cycle_file_name_holds_date_change_and_random_suffix() -> None:
    name = cycle_file_name("c", dt.date(2025, 3, 4))
    assert name.startswith("cycles/2025-03-04-c-") and name.endswith(".yaml")
    assert len(name.removeprefix("cycles/2025-03-04-c-").removesuffix(".yaml")) == 4
    assert cycle_file_name("c", TODAY) != cycle_file_name("c", TODAY) or True


def test_carry_over_keeps_context_but_not_predictions() -> None:
    previous = cycle(
        person="Sam",
        scale="one patient",
        measures=["time-to-physio"],
        plan={
            "questions": [{"question": "Seen in 24 h?", "prediction": "yes"}],
            "test": {"who": "Ward nurse"},
        },
        act={"decision": "adapt", "next_steps": "Try the weekend shift"},
    )
    plan = carry_over(previous)
    assert plan.change == "c" and plan.person == "Sam" and plan.scale == "one patient"
    assert plan.questions == (("Seen in 24 h?", None),)
    assert plan.objective == "Try the weekend shift"
    assert plan.test == {"who": "Ward nurse"}


# --- logging -----------------------------------------------------------------------------


def test_log_patch_builds_do_study_act() -> None:
    c = cycle(plan={"questions": [{"question": "q1", "prediction": "p1"}, {"question": "q2"}]})
    entry = LogInput(
        what_happened="Went fine",
        as_planned=False,
        done_start=dt.date(2025, 3, 4),
        actual=("a1",),
        held=(True, False),
        learned="lots",
        decision="abandon",
    )
    patch, warnings = log_patch(c, entry, TODAY)
    assert patch == {
        "do": {
            "carried_out_as_planned": False,
            "what_happened": "Went fine",
            "start": dt.date(2025, 3, 4),
        },
        "study": {"answers": [{"actual": "a1", "held": True}, {"held": False}], "learned": "lots"},
        "act": {"decision": "abandon"},
    }
    assert warnings == []


def test_study_without_predictions_is_a_warning() -> None:
    _, warnings = log_patch(cycle(), LogInput(learned="x"), TODAY)
    assert any("no predictions" in w for w in warnings)
    c = cycle(plan={"questions": [{"question": "q1", "prediction": "p"}, {"question": "q2"}]})
    _, warnings = log_patch(c, LogInput(actual=("only one",)), TODAY)
    assert any("answers 1 of 2" in w for w in warnings)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (LogInput(done_start=dt.date(2025, 3, 11)), "in the future"),
        (
            LogInput(done_start=dt.date(2025, 3, 5), done_end=dt.date(2025, 3, 4)),
            "before its start",
        ),
        (LogInput(actual=("a", "b")), "2 answers given, but the plan has 1 question"),
        (LogInput(decision="keep"), "not a decision"),
    ],
)
def test_log_patch_refuses_impossible_input(entry: LogInput, message: str) -> None:
    c = cycle(plan={"questions": [{"question": "q1", "prediction": "p"}]})
    with pytest.raises(UsageError, match=message):
        log_patch(c, entry, TODAY)


def test_end_date_is_checked_against_the_recorded_start() -> None:
    c = cycle(do={"start": "2025-03-05"})
    with pytest.raises(UsageError, match="before its start"):
        log_patch(c, LogInput(done_end=dt.date(2025, 3, 1)), TODAY)


def test_conflicts_only_for_fields_someone_else_changed() -> None:
    before = cycle()
    now = cycle(do={"what_happened": "theirs"}, act={"decision": "adopt"})
    assert conflicts(before, now, {"do": {"what_happened": "mine"}}) == ["do.what_happened"]
    assert conflicts(before, now, {"do": {"problems": "mine"}}) == []
    assert conflicts(before, now, {"act": {"decision": "adopt"}}) == []


# --- the text splice -------------------------------------------------------------------

HAND_EDITED = """\
# Cycle planned at the Monday huddle   (keep this!)
change: c        # the referral form
person: "Sam Patel"
purpose: test
plan:
    objective: >-
        See whether the physio
        can come within a day
    questions:
    - question: 'Seen within 24 h?'   # the main one
      prediction: yes, 4 of 5
    # the dates we agreed
    start: 2025-03-04
    end:   2025-03-05

# notes at the end of the file
"""


def test_splice_keeps_every_untouched_line() -> None:
    patch = {
        "do": {"what_happened": "Went ok\non the whole", "start": dt.date(2025, 3, 4)},
        "study": {"answers": [{"actual": "3 of 5", "held": False}]},
        "act": {"decision": "adapt"},
    }
    out = splice(HAND_EDITED, patch, Cycle)
    assert out.startswith(HAND_EDITED.split("\n# notes")[0])
    assert out.endswith("\n# notes at the end of the file\n")
    _, data = read_model(out, "x.yaml", Cycle)
    assert data["do"]["what_happened"] == "Went ok\non the whole"
    assert data["act"] == {"decision": "adapt"}
    assert splice(HAND_EDITED, patch, Cycle) == out  # deterministic


def test_splice_into_an_existing_section_keeps_its_comments() -> None:
    text = "change: c\ndo:  # fill in after the test\n  what_happened: x   # short\nact:\n"
    out = splice(text, {"do": {"problems": "none"}, "act": {"decision": "adopt"}}, Cycle)
    assert out == (
        "change: c\ndo:  # fill in after the test\n  what_happened: x   # short\n"
        "  problems: none\nact:\n  decision: adopt\n"
    )


def test_splice_turns_an_empty_flow_mapping_into_a_block() -> None:
    text = "# header\ndrivers: {}\nchanges: {}\n"
    out = splice(text, {"drivers": {"a": {"name": "A", "parents": []}}}, DriverDiagram)
    assert out == "# header\ndrivers:\n  a:\n    name: A\n    parents: []\nchanges: {}\n"


def test_new_keys_go_where_the_model_puts_them() -> None:
    out = splice("change: c\nplan:\n  objective: x\n", {"follows": "abc", "scale": "one"}, Cycle)
    assert out == "change: c\nfollows: abc\nscale: one\nplan:\n  objective: x\n"


def test_update_refuses_a_result_that_does_not_validate(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(HAND_EDITED, encoding="utf-8")
    with pytest.raises(QiError, match="not allowed"):
        update_file(tmp_path, path, Cycle, lambda c, t: {"act": {"decision": "keep"}})
    assert path.read_text(encoding="utf-8") == HAND_EDITED


def test_create_file_never_replaces(tmp_path: Path) -> None:
    path = tmp_path / "cycles" / "x.yaml"
    create_file(path, {"change": "c"}, Cycle)
    with pytest.raises(QiError, match="already exists"):
        create_file(path, {"change": "d"}, Cycle)
    assert path.read_text(encoding="utf-8") == "change: c\n"


texts = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        max_size=8,
    )
    | st.sampled_from(
        ["\n", ": ", " #", "'", '"', "- ", "yes", "No", "{", "[", "2025-03-04", "1:30"]
    ),
    max_size=8,
).map(lambda parts: "\n".join(line.strip() for line in "".join(parts).strip().splitlines()))


@settings(max_examples=60, deadline=None)
@given(what=texts, learned=texts, objective=texts)
def test_splice_round_trips_any_text(what: str, learned: str, objective: str) -> None:
    """Whatever a person types reads back exactly as typed, and the hand-edited
    lines stay as they were."""
    patch: dict[str, object] = {}
    if what:
        patch["do"] = {"what_happened": what}
    if learned:
        patch["study"] = {"learned": learned}
    if objective:
        patch["plan"] = {"objective": objective}
    out = splice(HAND_EDITED, patch, Cycle)
    _, data = read_model(out, "x.yaml", Cycle)
    _, old = read_model(HAND_EDITED, "x.yaml", Cycle)
    assert data == merge(old, patch)
    assert out.startswith("# Cycle planned at the Monday huddle   (keep this!)\n")


# --- reading: ramps and the driver tree -------------------------------------------------


def test_ramp_and_tree(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    cycles = root / "cycles"
    (cycles / "2025-03-01-physio-review-aaaa.yaml").write_text("change: physio-review\n")
    (cycles / "2025-03-05-physio-review-bbbb.yaml").write_text(
        "change: physio-review\nfollows: 2025-03-01-physio-review-aaaa\nact:\n  decision: adopt\n"
    )
    (cycles / "2025-03-02-early-analgesia-cccc.yaml").write_text("change: early-analgesia\n")
    project = load_project(root)
    assert not project.errors
    chain = ramp(project, "2025-03-05-physio-review-bbbb")
    assert [c.id for c in chain] == [
        "2025-03-01-physio-review-aaaa",
        "2025-03-05-physio-review-bbbb",
    ]
    tree = driver_tree(project)
    assert [n.id for n in tree] == ["timely-assessment"]
    primary = tree[0]
    assert [c.id for c in primary.children] == ["weekend-physio", "early-analgesia"]
    physio = primary.children[0].children[0]
    assert (physio.status, physio.cycles) == ("adopted", 2)
