"""Logging a cycle: the Do / Study / Act patch, its refusals and clashes."""

from __future__ import annotations

import datetime as dt

import pytest

from qi_cli.cycle_model import Amended, Cycle
from qi_cli.cycles.log import (
    Amending,
    LogInput,
    amendments,
    conflicts,
    log_patch,
    worksheet_amendments,
)
from qi_cli.errors import FieldError, QiError, UsageError

TODAY = dt.date(2025, 3, 10)


def cycle(**data: object) -> Cycle:
    return Cycle.model_validate({"change": "c", **data})


def test_log_patch_builds_do_study_act() -> None:
    questions = [{"question": "q1", "prediction": "p1"}, {"question": "q2", "prediction": "p2"}]
    c = cycle(plan={"questions": questions})
    entry = LogInput(
        what_happened="Went fine",
        as_planned=False,
        done_start=dt.date(2025, 3, 4),
        actual=("a1",),
        held=("yes", "partly"),
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
        "study": {
            "answers": [{"actual": "a1", "held": "yes"}, {"held": "partly"}],
            "learned": "lots",
        },
        "act": {"decision": "abandon"},
    }
    assert warnings == []


def test_held_for_a_question_without_a_prediction_is_refused_naming_the_field() -> None:
    c = cycle(plan={"questions": [{"question": "q1", "prediction": "p1"}, {"question": "q2"}]})
    with pytest.raises(FieldError) as raised:
        log_patch(c, LogInput(held=("yes", "partly")), TODAY)
    assert raised.value.field == "study.held"
    assert "study.held (question 2): question 2 has no prediction" in raised.value.message
    patch, _ = log_patch(c, LogInput(actual=("a1", "a2"), held=("yes", None)), TODAY)
    assert patch["study"]["answers"] == [{"actual": "a1", "held": "yes"}, {"actual": "a2"}]


def test_study_without_predictions_is_a_warning() -> None:
    _, warnings = log_patch(cycle(), LogInput(learned="x"), TODAY)
    assert [w.code for w in warnings] == ["Q401"]
    assert "no predictions" in warnings[0].message
    c = cycle(plan={"questions": [{"question": "q1", "prediction": "p"}, {"question": "q2"}]})
    _, warnings = log_patch(c, LogInput(actual=("only one",)), TODAY)
    assert [w.code for w in warnings] == ["Q402"]
    assert "answers 1 of 2" in warnings[0].message
    assert "add the rest with {study.actual} / {study.held}" in warnings[0].message


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


LOGGED = {
    "plan": {"questions": [{"question": "q1", "prediction": "70%"}], "start": "2025-03-03"},
    "do": {"what_happened": "Tried", "start": "2025-03-03"},
    "study": {"answers": [{"actual": "60%", "held": True}]},
    "act": {"decision": "adapt"},
}


def test_a_recorded_field_is_not_overwritten_without_amending() -> None:
    c = cycle(**LOGGED)
    with pytest.raises(FieldError) as info:
        log_patch(c, LogInput(decision="abandon", held=("no",)), TODAY, where="cycles/x.yaml")
    assert info.value.exit_code == 1
    assert info.value.message == (
        "cycles/x.yaml: study.answers.1.held is already 'yes' (not changed to 'no'); "
        "act.decision is already 'adapt' (not changed to 'abandon'); nothing was written"
    )
    assert info.value.hint is not None and "add amend reason TEXT" in info.value.hint
    named = info.value.named({"amend": "--amend", "reason": "--reason"})
    assert named.hint is not None and "add --amend --reason TEXT" in named.hint


def test_the_same_value_again_or_an_empty_field_is_not_an_amendment() -> None:
    c = cycle(**LOGGED)
    patch, _ = log_patch(c, LogInput(decision="adapt", held=("yes",), learned="x"), TODAY)
    assert "history" not in patch and amendments(c, patch) == []


def test_an_amendment_appends_a_history_entry_with_the_old_values() -> None:
    c = cycle(**LOGGED, history=[{"date": "2025-03-05", "reason": "typo", "fields": []}])
    entry = LogInput(decision="abandon", amend_reason=" huddle ")
    patch, _ = log_patch(c, entry, TODAY)
    assert patch["act"] == {"decision": "abandon"}
    assert patch["history"] == [
        {},
        {
            "date": TODAY,
            "reason": "huddle",
            "fields": [{"field": "act.decision", "was": "adapt", "now": "abandon"}],
        },
    ]


def test_old_true_false_answers_are_read_as_yes_and_no() -> None:
    c = cycle(study={"answers": [{"held": True}, {"held": False}, {"held": "Partly"}, {}]})
    assert c.study is not None
    assert [a.held for a in c.study.answers] == ["yes", "no", "partly", None]
    c = cycle(study={"answers": [{"held": "not yet known"}]})
    assert c.study is not None and c.study.answers[0].held is None
    with pytest.raises(ValueError):
        cycle(study={"answers": [{"held": "maybe"}]})


def test_worksheet_changes_to_the_log_need_amend() -> None:
    before = cycle(**LOGGED)
    after = cycle(**{**LOGGED, "act": {"decision": "adopt", "next_steps": "roll out"}})
    with pytest.raises(QiError, match=r"act\.decision is already 'adapt'"):
        worksheet_amendments(before, after, Amending(), "x.yaml")
    changed = worksheet_amendments(before, after, Amending(log=True, reason="r"), "x.yaml")
    assert changed == [Amended(field="act.decision", was="adapt", now="adopt")]


def test_the_plan_is_frozen_once_the_test_started() -> None:
    before = cycle(**LOGGED)
    plan = {"questions": [{"question": "q1", "prediction": "65%"}], "start": "2025-03-03"}
    after = cycle(**{**LOGGED, "plan": plan})
    with pytest.raises(QiError, match="the plan is frozen") as info:
        worksheet_amendments(before, after, Amending(log=True), "x.yaml")
    assert isinstance(info.value, FieldError) and info.value.field == "amend_plan"
    assert "add {amend_plan} {reason} TEXT" in (info.value.hint_template or "")
    changed = worksheet_amendments(before, after, Amending(plan=True, reason="r"), "x.yaml")
    assert changed == [Amended(field="plan.questions.1.prediction", was="70%", now="65%")]
    # a prediction added after the test started is a change of the plan too
    added = {"questions": [{"question": "q1", "prediction": "70%"}, {"question": "q2"}]}
    with pytest.raises(QiError, match="plan is frozen"):
        worksheet_amendments(before, cycle(**{**LOGGED, "plan": added}), Amending(), "x.yaml")
    # before the test, the plan may still change
    planned = cycle(plan=LOGGED["plan"])
    assert worksheet_amendments(planned, cycle(plan=plan), Amending(), "x.yaml") == []


def test_the_history_cannot_be_edited_away() -> None:
    before = cycle(**LOGGED, history=[{"date": "2025-03-05", "reason": "typo"}])
    with pytest.raises(QiError, match="history was changed"):
        worksheet_amendments(before, cycle(**LOGGED), Amending(log=True, plan=True), "x.yaml")
