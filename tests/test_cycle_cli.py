"""`qi cycle new / log / list / show` through the real CLI, on real files."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qi_cli.cli import prompts
from qi_cli.files.loader import load_project
from tests.workflow_fixtures import (
    cycle_files,
    editor_saw,
    fake_editor,
    make_project,
    qi,
    snapshot,
)

TODAY = dt.date.today().isoformat()
NAME = re.compile(r"^\d{4}-\d{2}-\d{2}-physio-review-[0-9a-f]{4}\.yaml$")

PLAN_FLAGS = (
    "--change",
    "physio-review",
    "--objective",
    "Try the referral form",
    "--purpose",
    "test",
    "--scale",
    "one patient",
    "-q",
    "Will physio see the patient within 24 h?",
    "--prediction",
    "Yes, within 12 h",
    "-q",
    "Will the form take under 2 minutes?",
    "--prediction",
    "No, about 5",
    "--test-who",
    "Ward nurse",
    "--test-what",
    "Referral form",
    "--test-when",
    "Monday day shift",
    "--test-where",
    "Ward 7",
    "--data-who",
    "Sam",
    "--data-what",
    "Time of referral and of review",
    "--data-when",
    "At handover",
    "--data-where",
    "Paper log",
    "--start",
    "2025-03-03",
    "--end",
    "2025-03-04",
    "--person",
    "Sam Patel",
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the commands believe stdin is a terminal, so they prompt."""
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)


def plan(root: Path, *args: str) -> Path:
    before = set(cycle_files(root))
    result = qi(root, "cycle", "new", *args)
    assert result.exit_code == 0, result.output
    (path,) = set(cycle_files(root)) - before
    return path


# --- qi cycle new ---------------------------------------------------------------------------


def test_new_with_every_flag_writes_one_file_and_prints_where(root: Path) -> None:
    result = qi(root, "cycle", "new", *PLAN_FLAGS)
    assert result.exit_code == 0, result.output
    (path,) = cycle_files(root)
    assert NAME.match(path.name) and path.name.startswith("2025-03-03-")
    assert f"cycles/{path.name}" in result.stdout.replace(os.sep, "/")
    short = path.stem.rsplit("-", 1)[1]
    assert f"planned cycle #1 {short} of 'Physio review within 24 h'" in result.stdout
    assert f"next, after the test: qi cycle log {short}" in result.stdout
    assert "planned_as: 1\n" in path.read_text()
    assert path.read_text() == (
        "# yaml-language-server: $schema=../.qi/schemas/cycle.schema.json\n"
        "# PDSA cycle testing: Physio review within 24 h\n"
        f"# After the test, record what happened: qi cycle log {short}\n"
        "change: physio-review\n"
        "person: Sam Patel\n"
        "purpose: test\n"
        "scale: one patient\n"
        f"created: {TODAY}\n"
        "planned_as: 1\n"
        "plan:\n"
        "  objective: Try the referral form\n"
        "  questions:\n"
        "    - question: Will physio see the patient within 24 h?\n"
        "      prediction: Yes, within 12 h\n"
        "    - question: Will the form take under 2 minutes?\n"
        "      prediction: No, about 5\n"
        "  test:\n"
        "    who: Ward nurse\n"
        "    what: Referral form\n"
        "    when: Monday day shift\n"
        "    where: Ward 7\n"
        "  data_collection:\n"
        "    who: Sam\n"
        "    what: Time of referral and of review\n"
        "    when: At handover\n"
        "    where: Paper log\n"
        "  start: 2025-03-03\n"
        "  end: 2025-03-04\n"
    )
    assert not load_project(root).errors


def test_new_is_deterministic_but_never_replaces(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets

    first = plan(root, *PLAN_FLAGS)
    text = first.read_text()
    suffix = first.stem.rsplit("-", 1)[1]
    suffixes = iter([suffix, "beef"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(suffixes))
    second = plan(root, *PLAN_FLAGS)
    assert second.name.endswith("-beef.yaml")
    assert first.read_text() == text  # the existing file was not replaced
    # same input, same bytes; only its name and the number it was planned as differ
    expected = text.replace(first.stem, second.stem).replace(first.stem[-4:], "beef")
    number = load_project(root).cycle("beef").number
    expected = expected.replace("planned_as: 1\n", f"planned_as: {number}\n")
    assert second.read_text() == expected


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("--change", "nope"), "no change idea 'nope'", "early-analgesia, physio-review"),
        (("--change", "physio-review", "--start", "2025-02-30"), "day is out of range", ""),
        (
            ("--change", "physio-review", "--start", "2025-03-05", "--end", "2025-03-01"),
            "end date 2025-03-01 is before its start date 2025-03-05",
            "",
        ),
        (("--change", "physio-review", "--prediction", "yes"), "1 --prediction for 0", ""),
        (("--change", "physio-review", "-m", "los"), "no measure 'los'", "none yet"),
        (("--change", "physio-review", "--purpose", "fun"), "not a purpose", "develop"),
        (("--next", "9"), "no cycle '9'", "none yet"),
        ((), "which change idea", "early-analgesia, physio-review"),
    ],
)
def test_new_refuses_bad_input_and_writes_nothing(
    root: Path, args: tuple[str, ...], message: str, hint: str
) -> None:
    before = snapshot(root)
    result = qi(root, "cycle", "new", *args)
    assert result.exit_code in (1, 2), result.output
    assert message in result.stderr and hint in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_new_without_predictions_warns(root: Path) -> None:
    result = qi(root, "cycle", "new", "--change", "physio-review", "-q", "Will it work?")
    assert result.exit_code == 0
    assert "no predictions yet" in result.stderr


def test_new_prompts_in_a_terminal(root: Path, terminal: None) -> None:
    answers = [
        "2",  # change idea: the second listed (early-analgesia)
        "Try the form",  # objective
        "",  # purpose: test
        "one patient",  # scale
        "Seen within 24 h?",  # question 1
        "Yes",  # prediction
        "",  # no more questions
        "Nurse",
        "Form",
        "",
        "",  # test who/what/when/where
        "Sam",
        "",
        "",
        "",  # data who/what/when/where
        "2025-02-30",  # impossible: asked again with the reason
        "2025-03-03",
        "",  # end: the start
        "Sam Patel",  # person
    ]
    result = qi(root, "cycle", "new", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "day is out of range" in result.stderr
    assert len(cycle_files(root)) == 1
    cycle = load_project(root).cycles[0].cycle
    assert cycle.change == "early-analgesia"
    assert cycle.plan.objective == "Try the form" and cycle.scale == "one patient"
    assert [(q.question, q.prediction) for q in cycle.plan.questions] == [
        ("Seen within 24 h?", "Yes")
    ]
    assert cycle.plan.test is not None and cycle.plan.test.who == "Nurse"
    assert cycle.plan.start == cycle.plan.end == dt.date(2025, 3, 3)
    assert cycle.person == "Sam Patel"


def test_ctrl_c_or_end_of_input_while_prompting_writes_nothing(root: Path, terminal: None) -> None:
    before = snapshot(root)
    result = qi(root, "cycle", "new", "--change", "physio-review", input="Try it\n")
    assert result.exit_code == 130
    assert "nothing was written" in result.stderr
    assert snapshot(root) == before


def test_no_input_never_prompts(root: Path, terminal: None) -> None:
    path = plan(root, "--change", "physio-review", "--no-input")
    assert path.read_text().count("\n") == 7  # header (3), change, purpose, created, planned_as


def test_next_carries_over_and_shows_as_a_ramp(root: Path) -> None:
    first = plan(root, *PLAN_FLAGS)
    result = qi(
        root,
        "cycle",
        "log",
        "--did",
        "ok",
        "--decision",
        "adapt",
        "--next-steps",
        "Test on the weekend shift",
    )
    assert result.exit_code == 0, result.output
    short = first.stem[-4:]
    assert f"qi cycle new --next {short}" in result.stdout
    second = plan(root, "--next", short, "--scale", "one weekend", "--start", "2025-03-08")
    cycle = load_project(root).cycle(second.stem).cycle
    assert cycle.follows == first.stem
    assert cycle.plan.objective == "Test on the weekend shift"
    assert cycle.scale == "one weekend" and cycle.person == "Sam Patel"
    assert [q.prediction for q in cycle.plan.questions] == [None, None]
    assert cycle.plan.test is not None and cycle.plan.test.who == "Ward nurse"
    listing = qi(root, "cycle", "list").stdout
    row = next(line for line in listing.splitlines() if line.lstrip().startswith("2 "))
    assert f"#1 {short}" in row and "one weekend" in row and "planned" in row
    shown = qi(root, "cycle", "show", "2").stdout
    assert shown.startswith(f"cycle #2 is {second.stem[-4:]} (Physio review within 24 h)\n")
    assert f"ramp: #1 {short} -> [#2 {second.stem[-4:]}]" in shown
    result = qi(root, "cycle", "new", "--next", "1", "--change", "early-analgesia")
    assert result.exit_code == 2 and "a ramp tests one change idea" in result.stderr


def test_new_edit_validates_and_reopens_keeping_what_was_typed(root: Path, tmp_path: Path) -> None:
    env = fake_editor(
        tmp_path,
        [
            [
                ("  objective:\n", "  objective: Try the form\n"),
                ("  start:\n", "  start: 2025-02-30\n"),
                ("    - question:\n", "    - question: Seen within 24 h?\n"),
                ("      prediction:\n", "      prediction: Yes  # my guess\n"),
            ],
            [("2025-02-30", "2025-03-03")],
        ],
    )
    result = qi(root, "cycle", "new", "--change", "physio-review", "--edit", env=env)
    assert result.exit_code == 0, result.output
    reopened = editor_saw(tmp_path, 1)
    assert "# qi: line" in reopened and "2025-02-30" in reopened
    assert "objective: Try the form" in reopened  # kept what was typed
    (path,) = cycle_files(root)
    assert path.name.startswith("2025-03-03-physio-review-")
    text = path.read_text()
    assert "prediction: Yes  # my guess" in text
    assert "test:" not in text and "# qi:" not in text  # empty fields left out
    cycle = load_project(root).cycles[0].cycle
    assert cycle.plan.objective == "Try the form"


def test_new_edit_closed_without_saving_writes_nothing(root: Path, tmp_path: Path) -> None:
    before = snapshot(root)
    result = qi(
        root,
        "cycle",
        "new",
        "--change",
        "physio-review",
        "--edit",
        env=fake_editor(tmp_path, [None]),
    )
    assert result.exit_code == 1 and "not saved" in result.stderr
    assert snapshot(root) == before


# --- qi cycle log ---------------------------------------------------------------------------

LOG_FLAGS = (
    "--did",
    "Tried on 3 patients",
    "--as-planned",
    "--observations",
    "Night staff unsure of the form",
    "--problems",
    "No physio on Sunday",
    "--data-collected",
    "Times of 3 referrals",
    "--done-start",
    "2025-03-03",
    "--done-end",
    "2025-03-04",
    "--actual",
    "2 of 3 seen in 24 h",
    "--actual",
    "90 seconds",
    "--held",
    "no,yes",
    "--learned",
    "Weekend rota is the gap",
    "--decision",
    "adapt",
    "--next-steps",
    "Test on the weekend shift",
)


def test_log_with_every_flag(root: Path) -> None:
    path = plan(root, *PLAN_FLAGS)
    planned = path.read_text()
    result = qi(root, "cycle", "log", *LOG_FLAGS)
    assert result.exit_code == 0, result.output
    assert f"logged cycle #1 {path.stem[-4:]} 'Physio review within 24 h': Do, Study, Act" in (
        result.stdout
    )
    text = path.read_text()
    assert text.startswith(planned)
    assert text[len(planned) :] == (
        "do:\n"
        "  carried_out_as_planned: true\n"
        "  what_happened: Tried on 3 patients\n"
        "  observations: Night staff unsure of the form\n"
        "  problems: No physio on Sunday\n"
        "  data_collected: Times of 3 referrals\n"
        "  start: 2025-03-03\n"
        "  end: 2025-03-04\n"
        "study:\n"
        "  answers:\n"
        "    - actual: 2 of 3 seen in 24 h\n"
        '      held: "no"\n'
        "    - actual: 90 seconds\n"
        '      held: "yes"\n'
        "  learned: Weekend rota is the gap\n"
        "act:\n"
        "  decision: adapt\n"
        "  next_steps: Test on the weekend shift\n"
    )
    shown = qi(root, "cycle", "show", "1").stdout
    for expected in (
        "Q1: Will physio",
        "predicted: Yes, within 12 h",
        "held: no",
        "decision: adapt",
    ):
        assert expected in shown


def test_log_in_steps_only_changes_what_is_given(root: Path) -> None:
    path = plan(root, *PLAN_FLAGS)
    assert qi(root, "cycle", "log", "1", "--did", "Started").exit_code == 0
    assert load_project(root).cycles[0].cycle.status == "running"
    assert qi(root, "cycle", "log", "#1", "--actual", "2 of 3", "--held", "no").exit_code == 0
    result = qi(root, "cycle", "log", path.stem[:-2], "--decision", "abandon")
    assert result.exit_code == 0, result.output
    assert "try another change idea" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert cycle.do is not None and cycle.do.what_happened == "Started"
    assert cycle.study is not None and cycle.study.answers[0].held == "no"
    assert cycle.status == "done"
    result = qi(root, "cycle", "log", "--did", "x")
    assert result.exit_code == 1 and "no open cycle" in result.stderr


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (("--decision", "adopted"), "'adopted' is not a decision", "adopt"),
        (("--decision", "keep"), "not a decision", "adapt (change it and test again)"),
        (("--done-start", "2025-02-29"), "day is out of range for month", ""),
        (("--done-start", "2999-01-01"), "is in the future", ""),
        (("--actual", "a", "--actual", "b", "--actual", "c"), "3 answers given", ""),
        (("--held", "maybe"), "not yes, no or partly", "?"),
        ((), "nothing to log", "--did"),
    ],
)
def test_log_refuses_bad_input_and_writes_nothing(
    root: Path, args: tuple[str, ...], message: str, hint: str
) -> None:
    plan(root, *PLAN_FLAGS)
    before = snapshot(root)
    result = qi(root, "cycle", "log", *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr and hint in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--done-start", "2999-01-01"), "--done-start: 2999-01-01 is in the future"),
        (("--done-end", "2999-01-01"), "--done-end: 2999-01-01 is in the future"),
        (("--held", "yes,maybe"), "--held (prediction 2): 'maybe' is not yes, no or partly"),
        (
            ("--actual", "a", "--actual", "b", "--actual", "c"),
            "give one --actual and one --held per question",
        ),
    ],
)
def test_log_errors_name_the_flags_not_the_fields(
    root: Path, args: tuple[str, ...], said: str
) -> None:
    plan(root, *PLAN_FLAGS)
    result = qi(root, "cycle", "log", *args)
    assert result.exit_code == 2
    assert said in result.stderr
    assert "do.start" not in result.stderr and "study." not in result.stderr


def test_new_next_of_another_change_idea_names_the_flags(root: Path) -> None:
    plan(root, *PLAN_FLAGS)
    result = qi(root, "cycle", "new", "--next", "1", "--change", "early-analgesia")
    assert result.exit_code == 2
    assert "--next 1 tests 'physio-review', not 'early-analgesia'" in result.stderr
    assert "drop --change" in result.stderr and "without --next" in result.stderr


def test_log_unknown_cycle_lists_the_known_ones(root: Path) -> None:
    # "#7" is a number: a bare "7" would also match a random short id that starts with 7
    path = plan(root, *PLAN_FLAGS)
    result = qi(root, "cycle", "log", "#7", "--did", "x")
    assert result.exit_code == 1
    assert "no cycle '7'" in result.stderr and f"#1 {path.stem[-4:]}" in result.stderr


def test_a_hash_number_never_matches_a_short_id_that_starts_with_it(root: Path) -> None:
    path = plan(root, *PLAN_FLAGS)
    moved = path.with_name(path.stem[:-4] + "7abc.yaml")  # the short id now starts with 7
    path.rename(moved)
    result = qi(root, "cycle", "log", "#7", "--did", "x")
    assert result.exit_code == 1
    assert "no cycle '7'" in result.stderr and "#1 7abc" in result.stderr
    assert "did: x" not in moved.read_text()


def test_log_without_predictions_warns(root: Path) -> None:
    plan(root, "--change", "physio-review")
    result = qi(root, "cycle", "log", "--learned", "Something")
    assert result.exit_code == 0
    assert "no predictions to compare with" in result.stderr


def test_several_open_cycles_in_a_script_are_listed(root: Path) -> None:
    plan(root, "--change", "physio-review", "--start", "2025-03-01")
    plan(root, "--change", "early-analgesia", "--start", "2025-03-02")
    result = qi(root, "cycle", "log", "--did", "x")
    assert result.exit_code == 2
    assert "2 cycles are open" in result.stderr
    assert "qi cycle log ID" in result.stderr
    assert re.search("#1 [0-9a-f]{4} Physio review", result.stderr)
    assert re.search("#2 [0-9a-f]{4} Early analgesia", result.stderr)


def test_log_prompts_in_a_terminal(root: Path, terminal: None) -> None:
    plan(root, "--change", "early-analgesia", "--start", "2025-03-01", "--no-input")
    path = plan(root, *PLAN_FLAGS, "--no-input")
    answers = [
        "2",  # which open cycle: #2
        "Tried on 3 patients",  # what happened
        "n",  # as planned?
        "",  # observations
        "No physio on Sunday",  # problems
        "",  # data collected
        "",  # date of the test: planned start
        "",  # last day: same
        "2 of 3",  # Q1 actual
        "no",  # held
        "",  # Q2 actual: skipped
        "",  # held: ? (not sure)
        "Weekend rota is the gap",  # learned
        "adopted",  # refused, asked again
        "adapt",
        "Try the weekend",  # next steps
    ]
    result = qi(root, "cycle", "log", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "did you mean 'adopt'" in result.stderr
    cycle = load_project(root).cycle(path.stem).cycle
    assert cycle.do is not None
    assert cycle.do.carried_out_as_planned is False
    assert cycle.do.start == cycle.do.end == dt.date(2025, 3, 3)
    assert cycle.study is not None
    assert [(a.actual, a.held) for a in cycle.study.answers] == [("2 of 3", "no")]
    assert cycle.act is not None and cycle.act.decision == "adapt"


def test_log_prompts_refuse_a_test_date_at_once_by_the_flags_rule(
    root: Path, terminal: None
) -> None:
    """The prompt asks again at once where `--done-start`/`--done-end` would be refused:
    one rule, in the library, said with the prompt's words."""
    path = plan(root, *PLAN_FLAGS, "--no-input")
    answers = [
        "Tried on 3 patients", "y", "", "", "",  # what happened .. data collected
        "2999-01-01",  # date of the test: in the future, asked again
        "",  # the planned start
        "2025-03-01",  # last day: before the start, asked again
        "2025-03-04",
        "", "", "", "",  # answers: not yet known
        "", "", "",  # learned, decision, next steps
    ]  # fmt: skip
    result = qi(root, "cycle", "log", "1", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "date of the test: 2999-01-01 is in the future" in result.stderr
    assert "last day: 2025-03-01 is before the start of the test, 2025-03-03" in result.stderr
    cycle = load_project(root).cycle(path.stem).cycle
    assert cycle.do is not None
    assert (cycle.do.start, cycle.do.end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 4))


def test_log_edit_opens_the_worksheet(root: Path, tmp_path: Path) -> None:
    path = plan(root, *PLAN_FLAGS)
    env = fake_editor(
        tmp_path,
        [
            [
                ("  what_happened:\n", "  what_happened: Tried it\n"),
                ("  decision:\n", "  decision: adopted\n"),
            ],
            [("decision: adopted", "decision: adopt")],
        ],
    )
    result = qi(root, "cycle", "log", "1", "--edit", "--learned", "prefilled", env=env)
    assert result.exit_code == 0, result.output
    first = editor_saw(tmp_path, 0)
    assert "learned: prefilled" in first and "  answers:\n    - actual:\n" in first
    assert "'adopted' is not allowed here" in editor_saw(tmp_path, 1)
    cycle = load_project(root).cycle(path.stem).cycle
    assert cycle.act is not None and cycle.act.decision == "adopt"
    assert cycle.do is not None and cycle.do.what_happened == "Tried it"
    assert "# qi:" not in path.read_text()


HAND_WRITTEN = """\
# Cycle planned at the Monday huddle   (keep this!)
change: physio-review        # the referral form
person: "Sam Patel"
purpose: test
created: 2025-03-01
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
do:   # filled in on Tuesday
    what_happened: "Tried with 5 patients"
    start: 2025-03-04

# notes at the end: ask Jo about the weekend
"""


def test_comments_and_formatting_of_a_hand_edited_file_survive(root: Path) -> None:
    path = root / "cycles" / "2025-03-04-physio-review-abcd.yaml"
    path.write_text(HAND_WRITTEN)
    result = qi(
        root,
        "cycle",
        "log",
        "--problems",
        "Physio off sick",
        "--actual",
        "3 of 5",
        "--held",
        "no",
        "--decision",
        "adapt",
    )
    assert result.exit_code == 0, result.output
    text = path.read_text()
    # every line up to the Do section is untouched, byte for byte
    head = HAND_WRITTEN.split("do:")[0]
    assert text.startswith(head + "do:   # filled in on Tuesday\n")
    assert '    what_happened: "Tried with 5 patients"\n' in text
    assert "    start: 2025-03-04\n" in text
    assert text.endswith("\n# notes at the end: ask Jo about the weekend\n")
    assert "  problems: Physio off sick\n" in text or "    problems: Physio off sick\n" in text
    assert 'study:\n  answers:\n    - actual: 3 of 5\n      held: "no"\n' in text
    cycle = load_project(root).cycles[0].cycle
    assert cycle.plan.objective == "See whether the physio can come within a day"
    assert cycle.act is not None and cycle.act.decision == "adapt"


def test_a_broken_cycle_file_is_reported_not_a_traceback(root: Path) -> None:
    good = plan(root, *PLAN_FLAGS)
    broken = root / "cycles" / "2025-03-09-physio-review-dead.yaml"
    broken.write_text("change: physio-review\nplan:\n  start: 2025-02-30\n")
    result = qi(root, "cycle", "log", "2025-03-09", "--did", "x")
    assert result.exit_code == 1
    assert "2025-03-09-physio-review-dead.yaml:3:" in result.stderr
    assert "Traceback" not in result.output
    listing = qi(root, "cycle", "list")
    assert listing.exit_code == 0 and "skipped" in listing.stderr
    assert qi(root, "cycle", "show").exit_code == 0
    assert good.exists()


# --- list and show ----------------------------------------------------------------------------


def test_list_filters_and_columns(root: Path) -> None:
    plan(root, *PLAN_FLAGS)
    plan(root, "--change", "early-analgesia", "--start", "2025-03-05", "--scale", "one shift")
    assert qi(root, "cycle", "log", "1", "--did", "x", "--decision", "adopt").exit_code == 0
    out = qi(root, "cycle", "list").stdout.splitlines()
    assert out[0].split() == [
        "#",
        "id",
        "change",
        "idea",
        "dates",
        "scale",
        "status",
        "decision",
        "after",
    ]
    assert "2025-03-03..03-04" in out[1] and "done" in out[1] and "adopt" in out[1]
    assert "Early analgesia protocol" in out[2] and "planned" in out[2]
    only = qi(root, "cycle", "list", "--change", "early-analgesia").stdout
    assert "Physio" not in only and "Early" in only
    assert "Early" not in qi(root, "cycle", "list", "--status", "done").stdout
    assert "Physio" not in qi(root, "cycle", "list", "--status", "open").stdout
    bad = qi(root, "cycle", "list", "--status", "finished")
    assert bad.exit_code == 2 and "planned, running, done, cancelled, open" in bad.stderr
    bad = qi(root, "cycle", "list", "--change", "nope")
    assert bad.exit_code == 1 and "physio-review" in bad.stderr


def test_empty_list_and_show(root: Path) -> None:
    assert "no cycles yet" in qi(root, "cycle", "list").stdout
    result = qi(root, "cycle", "show")
    assert result.exit_code == 1 and "no cycles yet" in result.stderr


@pytest.mark.parametrize("columns", ["80", "120"])
def test_list_and_show_fit_the_width(root: Path, columns: str) -> None:
    plan(root, *PLAN_FLAGS)
    qi(root, "cycle", "log", *LOG_FLAGS)
    for args in (("cycle", "list"), ("cycle", "show", "1")):
        result = qi(root, *args, env={"COLUMNS": columns})
        assert result.exit_code == 0
        lines = result.stdout.splitlines()
        assert all(len(line) <= int(columns) for line in lines), lines
        assert "\x1b[" not in result.stdout


@pytest.mark.parametrize("command", ["new", "log", "list", "show"])
def test_every_command_has_an_example_and_project_option(command: str) -> None:
    result = qi(None, "cycle", command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "--project" in result.stdout


# --- git and concurrency ----------------------------------------------------------------------


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_two_branches_planning_the_next_cycle_merge_cleanly(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test Nurse")
    git(root, "config", "user.email", "nurse@example.org")
    git(root, "config", "commit.gpgsign", "false")
    plan(root, *PLAN_FLAGS)
    assert qi(root, "cycle", "log", "--did", "ok", "--decision", "adapt").exit_code == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "cycle 1")
    git(root, "checkout", "-q", "-b", "alex")
    alex = plan(root, "--next", "1", "--scale", "one ward", "--start", "2025-03-10")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "alex plans the next cycle")
    git(root, "checkout", "-q", "main")
    sam = plan(root, "--next", "1", "--scale", "one weekend", "--start", "2025-03-10")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sam plans the next cycle")
    git(root, "merge", "-q", "--no-edit", "alex")
    assert alex.name != sam.name and alex.exists() and sam.exists()
    project = load_project(root)
    assert not project.errors
    assert sorted(c.number for c in project.cycles) == [1, 2, 3]
    listing = qi(root, "cycle", "list").stdout
    assert listing.count("#1") == 2  # both follow cycle 1


def _spawn(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "qi_cli", *args, "-p", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_parallel_runs_lose_no_write(root: Path) -> None:
    runs = [
        _spawn(root, "cycle", "new", "--change", "physio-review", "--start", "2025-03-03")
        for _ in range(10)
    ]
    runs += [_spawn(root, "driver", "add", f"Driver {i}") for i in range(6)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    project = load_project(root)
    assert not project.errors
    assert len(project.cycles) == 10
    assert project.drivers is not None
    assert {f"driver-{i}" for i in range(6)} <= set(project.drivers.drivers)
    # different fields of one cycle, logged at once from several terminals
    stem = project.cycles[0].id
    fields = [
        ("--did", "Tried it"),
        ("--problems", "None"),
        ("--observations", "Calm shift"),
        ("--learned", "It works"),
        ("--decision", "adapt"),
        ("--next-steps", "Scale up"),
    ]
    runs = [_spawn(root, "cycle", "log", stem, flag, value) for flag, value in fields]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    cycle = load_project(root).cycle(stem).cycle
    assert cycle.do is not None and cycle.study is not None and cycle.act is not None
    assert (cycle.do.what_happened, cycle.do.problems, cycle.do.observations) == (
        "Tried it",
        "None",
        "Calm shift",
    )
    assert (cycle.study.learned, cycle.act.decision, cycle.act.next_steps) == (
        "It works",
        "adapt",
        "Scale up",
    )


def test_log_warnings_name_the_flags(root: Path) -> None:
    # the library's Q402 warning names fields; `qi cycle log` says them as its flags
    path = plan(root, *PLAN_FLAGS)
    result = qi(root, "cycle", "log", path.stem, "--actual", "Seen in 10 h", "--no-input")
    assert result.exit_code == 0, result.output
    assert "the study answers 1 of 2 predictions: add the rest with --actual / --held" in (
        result.stderr
    )
    assert "{" not in result.output


def test_show_puts_a_field_of_several_paragraphs_under_one_label(root: Path) -> None:
    """A blank line in what was logged: the label once, each paragraph under it."""
    plan(root, *PLAN_FLAGS, "--no-input")
    did = "Tried the form on Monday\n\nThe nurse in charge used it too"
    logged = qi(root, "cycle", "log", "1", "--did", did, "--no-input")
    assert logged.exit_code == 0, logged.output
    shown = qi(root, "cycle", "show", "1").stdout
    assert shown.count("what happened:") == 1, shown
    assert (
        "  what happened: Tried the form on Monday\n"
        "\n"
        "                 The nurse in charge used it too\n"
    ) in shown


NO_PREDICTION = (
    "--change",
    "physio-review",
    "--scale",
    "one patient",
    "--start",
    "2025-03-03",
    "-q",
    "Seen within 24 h?",
    "--no-input",
)


def test_log_refuses_held_for_a_question_without_a_prediction(root: Path) -> None:
    """Nothing was predicted, so nothing can hold: a report counted it "1 of 1"."""
    plan(root, *NO_PREDICTION)
    before = snapshot(root)
    result = qi(
        root, "cycle", "log", "1", "--done-start", "2025-03-03", "--actual", "yes",
        "--held", "yes", "--decision", "adopt", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "error: --held (question 1): question 1 has no prediction" in result.stderr
    assert "hint: give ? for question 1" in result.stderr and "--actual" in result.stderr
    assert snapshot(root) == before
    result = qi(
        root, "cycle", "log", "1", "--actual", "yes", "--held", "?", "--no-input"
    )  # `?`: not known, the one answer there is without a prediction
    assert result.exit_code == 0, result.output


def test_log_refuses_held_for_a_question_carried_over_without_a_prediction(root: Path) -> None:
    """`qi cycle new --next` carries the questions over, without their predictions."""
    plan(root, *PLAN_FLAGS)
    assert qi(root, "cycle", "log", "1", "--decision", "adapt", "--no-input").exit_code == 0
    result = qi(root, "cycle", "new", "--next", "1", "--start", "2025-03-10", "--no-input")
    assert result.exit_code == 0, result.output
    cycle = load_project(root).cycle("2").cycle
    assert [bool(q.prediction) for q in cycle.plan.questions] == [False, False]
    before = snapshot(root)
    result = qi(root, "cycle", "log", "2", "--held", "yes,no", "--no-input")
    assert result.exit_code == 2 and "question 1 has no prediction" in result.stderr
    assert snapshot(root) == before


def test_log_edit_refuses_held_for_a_question_without_a_prediction(
    root: Path, tmp_path: Path
) -> None:
    """The worksheet asks no `held:` for such a question; one typed in is refused and the
    editor reopened (here closed without saving: nothing written)."""
    plan(root, *NO_PREDICTION)
    before = snapshot(root)
    env = fake_editor(
        tmp_path, [[("    - actual:\n", "    - actual: yes\n      held: yes\n")], None]
    )
    result = qi(root, "cycle", "log", "1", "--edit", env=env)
    assert "  held:" not in editor_saw(tmp_path, 0)
    assert "study.answers.1.held (question 1): question 1 has no prediction" in editor_saw(
        tmp_path, 1
    )
    assert result.exit_code == 1 and "nothing was written" in result.stderr
    assert snapshot(root) == before
