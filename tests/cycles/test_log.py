"""Logging a cycle: the Do / Study / Act patch, its refusals and clashes."""

from __future__ import annotations

import datetime as dt

import pytest

from qi_cli.cycles.log import LogInput, conflicts, log_patch
from qi_cli.errors import FieldError, UsageError
from qi_cli.model import Cycle

TODAY = dt.date(2025, 3, 10)


def cycle(**data: object) -> Cycle:
    return Cycle.model_validate({"change": "c", **data})


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


@pytest.mark.parametrize(
    ("entry", "field", "message", "flag_message"),
    [
        (
            LogInput(done_start=dt.date(2025, 3, 11)),
            "do.start",
            "do.start: 2025-03-11 is in the future",
            "--done-start: 2025-03-11 is in the future",
        ),
        (
            LogInput(done_end=dt.date(2025, 3, 12)),
            "do.end",
            "do.end: 2025-03-12 is in the future",
            "--done-end: 2025-03-12 is in the future",
        ),
    ],
)
def test_refusals_name_fields_and_a_command_names_its_flags(
    entry: LogInput, field: str, message: str, flag_message: str
) -> None:
    with pytest.raises(FieldError) as info:
        log_patch(cycle(), entry, TODAY)
    assert info.value.field == field
    assert info.value.message == message
    assert info.value.named({field: flag_message.split(":")[0]}).message == flag_message


def test_too_many_answers_name_the_study_fields() -> None:
    c = cycle(plan={"questions": [{"question": "q1", "prediction": "p"}]})
    with pytest.raises(FieldError) as info:
        log_patch(c, LogInput(actual=("a", "b")), TODAY)
    assert (
        info.value.hint
        == "give one study.actual and one study.held per question, in the plan's order"
    )
    named = info.value.named({"study.actual": "--actual", "study.held": "--held"})
    assert named.hint == "give one --actual and one --held per question, in the plan's order"
    with pytest.raises(FieldError) as info:
        log_patch(cycle(), LogInput(actual=("a",)), TODAY)
    assert info.value.hint == "this cycle has no questions to answer: use study.learned"
