"""Logging a cycle (`qi cycle log`): Do, Study and Act as a patch to the cycle file.

Only the fields given are written, so a cycle can be logged in several sittings. The
patch is re-made on the file as it is when written: two people logging different parts
of one cycle both keep their values, and a field both changed is refused as a clash.

A PDSA record is evidence, so what is recorded is never silently replaced: a field that
has a value changes only when amending (`--amend --reason`), and the plan (questions,
predictions and planned dates) is frozen once the test has started (`--amend-plan
--reason`). Each amendment appends an entry to the cycle's `history:` with the old values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qi_cli.cycle_model import Amended, Cycle
from qi_cli.cycles.answers import check_date_order, check_test_date, parse_decision
from qi_cli.cycles.evidence import has_predictions
from qi_cli.drivers import clean
from qi_cli.errors import FieldError, QiError
from qi_cli.files.disk import display_path
from qi_cli.files.loaded import LoadedCycle
from qi_cli.files.yaml_read import YamlDocument, parse_yaml
from qi_cli.files.yaml_write import read_model, replace_text, splice, update_file
from qi_cli.model import NOT_YET_KNOWN, HeldWord, held_word


@dataclass(frozen=True)
class MethodWarning:
    """A warning about the method (a cycle without predictions: Q401), with its coaching
    code; the message names fields in braces (`{study.actual}`), as a `FieldError` does."""

    code: str
    message: str


@dataclass(frozen=True)
class LogInput:
    """Everything `qi cycle log` records; None means "not given, leave as it is"."""

    what_happened: str | None = None
    as_planned: bool | None = None
    observations: str | None = None
    problems: str | None = None
    data_collected: str | None = None
    done_start: dt.date | None = None
    done_end: dt.date | None = None
    actual: tuple[str | None, ...] = ()
    held: tuple[HeldWord | None, ...] = ()
    learned: str | None = None
    decision: str | None = None
    next_steps: str | None = None
    amend_reason: str | None = None  # amending what was recorded, and why; None: refuse to

    @property
    def studies(self) -> bool:
        given = [v for v in (*self.actual, *self.held) if v is not None]
        return bool(given or self.learned)


# LogInput's names for the cycle file's fields, where they differ
DO_FIELDS = {"as_planned": "carried_out_as_planned", "done_start": "start", "done_end": "end"}


def log_patch(
    cycle: Cycle,
    entry: LogInput,
    today: dt.date,
    *,
    where: str = "the cycle",
    doc: YamlDocument | None = None,
) -> tuple[dict[str, Any], list[MethodWarning]]:
    """The patch that records Do, Study and Act, and warnings about the method.

    Raises for impossible input: more answers than predictions, a date in the future,
    an end before its start, a decision other than adopt / adapt / abandon; and for a
    field that holds another value already, unless amending (`where` names the file and
    `doc`, the file as read, the line of the value recorded).
    """
    if cycle.cancelled is not None:
        raise QiError(
            f"{where}: this cycle was cancelled on {cycle.cancelled.date} "
            f"({cycle.cancelled.reason}); nothing was written",
            hint="a cancelled cycle stays as it was: plan a new one with `qi cycle new`",
        )
    warnings: list[MethodWarning] = []
    questions = cycle.plan.questions
    for when, what in ((entry.done_start, "do.start"), (entry.done_end, "do.end")):
        if when:
            check_test_date(when, today, field=what)
    old_do = cycle.do
    check_date_order(
        entry.done_start or (old_do.start if old_do else None),
        entry.done_end or (old_do.end if old_do else None),
        "test's",
    )
    answers_given = max(len(entry.actual), len(entry.held))
    if answers_given > len(questions) and not any(
        v is not None for v in (*entry.actual[len(questions) :], *entry.held[len(questions) :])
    ):
        answers_given = len(questions)
    if answers_given > len(questions):
        raise FieldError(
            "study.answers",
            f"{answers_given} answers given, but the plan has "
            f"{len(questions)} question{'s' if len(questions) != 1 else ''}",
            hint="give one {study.actual} and one {study.held} per question, in the plan's order"
            if questions
            else "this cycle has no questions to answer: use {study.learned}",
            mentions=("study.actual", "study.held", "study.learned"),
        )
    for i, held in enumerate(entry.held[: len(questions)]):
        if held is not None and not questions[i].prediction:
            raise held_without_prediction(i, held)
    if entry.studies and not has_predictions(cycle):
        warnings.append(
            MethodWarning(
                code="Q401",
                message="this cycle has no predictions to compare with: next time, write a "
                "prediction for each question when planning (qi explain Q401)",
            )
        )
    do = {
        "carried_out_as_planned": entry.as_planned,
        "what_happened": clean(entry.what_happened),
        "observations": clean(entry.observations),
        "problems": clean(entry.problems),
        "data_collected": clean(entry.data_collected),
        "start": entry.done_start,
        "end": entry.done_end,
    }
    answers: list[dict[str, Any]] = []
    for i in range(answers_given):
        answer = {
            "actual": clean(entry.actual[i]) if i < len(entry.actual) else None,
            "held": entry.held[i] if i < len(entry.held) else None,
        }
        answers.append({k: v for k, v in answer.items() if v is not None})
    while answers and not answers[-1]:
        answers.pop()
    study: dict[str, Any] = {"answers": answers or None, "learned": clean(entry.learned)}
    decision = parse_decision(entry.decision) if entry.decision is not None else None
    act = {"decision": decision, "next_steps": clean(entry.next_steps)}
    patch: dict[str, Any] = {}
    for key, section in (("do", do), ("study", study), ("act", act)):
        kept = {k: v for k, v in section.items() if v is not None}
        if kept:
            patch[key] = kept
    changed = amendments(cycle, patch)
    if changed and entry.amend_reason is None:
        raise already_recorded(changed, where=where, doc=doc)
    if changed and entry.amend_reason is not None:
        patch["history"] = history_patch(cycle, changed, entry.amend_reason, today)
    answered = max(answers_given, len(cycle.study.answers) if cycle.study else 0)
    if entry.studies and questions and answered < len(questions):
        warnings.append(
            MethodWarning(
                code="Q402",
                message=f"the study answers {answered} of {len(questions)} predictions: add "
                "the rest with {study.actual} / {study.held}, in the plan's order "
                "(qi explain Q402)",
            )
        )
    return patch, warnings


def held_without_prediction(index: int, held: str, field: str = "{study.held}") -> FieldError:
    """The refusal of a held answer for a question the plan gave no prediction: there is
    nothing to hold, and a report would count it as a prediction that held."""
    n = index + 1
    return FieldError(
        "study.held",
        f"{field} (question {n}): question {n} has no prediction, so '{held}' cannot say "
        "it held; nothing was written",
        hint=f"give ? for question {n} (the answers go in the plan's order); what happened "
        "goes in {study.actual}",
        mentions=("study.actual",),
    )


def check_held(before: Cycle, after: Cycle) -> Cycle:
    """Refuse a held answer given in the worksheet for a question with no prediction;
    one recorded already (in a file written before qi refused it) is left as it was."""
    old = before.study.answers if before.study else []
    answers = after.study.answers if after.study else []
    for i, (question, answer) in enumerate(zip(after.plan.questions, answers, strict=False)):
        was = old[i].held if i < len(old) else None
        if answer.held is not None and not question.prediction and answer.held != was:
            raise held_without_prediction(i, answer.held, f"study.answers.{i + 1}.held")
    return after


def shown(value: Any) -> str | None:
    """A recorded value as `was:` / `now:` show it: yes / no, dates as YYYY-MM-DD."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _field_name(at: tuple[Any, ...]) -> str:
    return ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in at)


def amendments(cycle: Cycle, patch: Mapping[str, Any]) -> list[Amended]:
    """The fields `patch` would change that already hold a different value."""
    old = cycle.model_dump(mode="json", exclude={"history"})
    found = []
    for at, value in _leaves(patch):
        was = _get(old, at)
        if at[:1] == ("history",) or was is None or shown(was) == shown(value):
            continue
        found.append(Amended(field=_field_name(at), was=shown(was), now=shown(value)))
    return found


def changed_fields(
    before: Cycle, after: Cycle, sections: tuple[str, ...], *, additions: bool = False
) -> list[Amended]:
    """Every field of `sections` whose recorded value differs (removed ones included);
    with `additions`, fields that were empty and now have a value too."""
    old = before.model_dump(mode="json", include=set(sections))
    new = after.model_dump(mode="json", include=set(sections))
    paths = {at for at, _ in _leaves(old)} | {at for at, _ in _leaves(new)}
    found = []
    for at in sorted(paths, key=_field_name):
        was, now = shown(_get(old, at)), shown(_get(new, at))
        if was != now and (additions or was is not None):
            found.append(Amended(field=_field_name(at), was=was, now=now))
    return found


def _loc(field: str) -> tuple[str | int, ...]:
    """`study.answers.1.held` as a location in the file: ('study', 'answers', 0, 'held')."""
    return tuple(int(p) - 1 if p.isdigit() else p for p in field.split("."))


def already_recorded(
    changed: list[Amended], *, where: str, plan: bool = False, doc: YamlDocument | None = None
) -> FieldError:
    """The refusal to overwrite what was recorded: each field with its value, at the
    line of the file (`doc`) that holds it (`where:line:column` for the first). Its hint
    names the fields that allow it: `amend_plan` (or `amend`) and `reason`."""
    at = [doc.locate(_loc(a.field)) if doc else None for a in changed]
    listed = "; ".join(
        f"{a.field}"
        + (f" (line {pos.line})" if pos and len(changed) > 1 else "")
        + f" is already '{a.was}'"
        + (f" (not changed to '{a.now}')" if a.now else "")
        for a, pos in zip(changed, at, strict=True)
    )
    first = next((pos for pos in at if pos), None)
    if plan:
        message = f"the plan is frozen once the test has started: {listed}; nothing was written"
        hint = (
            "to change the plan, add {amend_plan} {reason} TEXT: "
            "the old values are kept in the cycle's history"
        )
    else:
        message = f"{listed}; nothing was written"
        hint = (
            "to change what was recorded, add {amend} {reason} TEXT: "
            "the old value is kept in the cycle's history"
        )
    return FieldError(
        "amend_plan" if plan else "amend",
        f"{where}: {message}",
        hint=hint,
        mentions=("reason",),
        exit_code=1,
        path=where,
        line=first.line if first else None,
        column=first.column if first else None,
    )


def history_patch(
    cycle: Cycle, changed: list[Amended], reason: str, today: dt.date
) -> list[dict[str, Any]]:
    """The patch that appends one history entry (the earlier entries stay as they are)."""
    entry = {
        "date": today,
        "reason": clean(reason),
        "fields": [a.model_dump(exclude_none=True) for a in changed],
    }
    return [{} for _ in cycle.history] + [entry]


def plan_frozen(cycle: Cycle) -> bool:
    """The plan is evidence of what was predicted once the test has a start date."""
    return cycle.do is not None and cycle.do.start is not None


def _leaves(patch: Any, at: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], Any]]:
    if isinstance(patch, Mapping):
        for key, value in patch.items():
            yield from _leaves(value, (*at, key))
    elif isinstance(patch, list):
        for i, value in enumerate(patch):
            yield from _leaves(value, (*at, i))
    else:
        yield at, patch


def _get(data: Any, at: tuple[Any, ...]) -> Any:
    for part in at:
        if isinstance(data, Mapping):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def conflicts(before: Cycle, now: Cycle, patch: Mapping[str, Any]) -> list[str]:
    """Fields this patch sets that someone else changed since we read the file.

    Two terminals logging different parts of one cycle both keep their values; a field
    both changed is a conflict, reported instead of silently overwritten.
    """
    old = before.model_dump(mode="json")
    new = now.model_dump(mode="json")
    found = []
    for at, value in _leaves(patch):
        value = value.isoformat() if isinstance(value, dt.date) else value
        if _get(new, at) != _get(old, at) and _get(new, at) != value:
            found.append(".".join(str(p + 1) if isinstance(p, int) else p for p in at))
    return found


def record_log(root: Path, target: LoadedCycle, entry: LogInput, today: dt.date) -> Cycle:
    """Write the log to the cycle's file; refuse, writing nothing, when a field this log
    sets was changed by someone else since `target` was read."""
    display = display_path(target.path)
    patch, _ = log_patch(target.cycle, entry, today, where=display)

    def make_patch(current: Cycle, _text: str) -> dict[str, Any]:
        clashes = conflicts(target.cycle, current, patch)
        if clashes:
            raise QiError(
                f"{display}: {', '.join(clashes)} changed while you were logging; "
                "nothing was written",
                hint="run `qi cycle show` to see the new values, then log again",
                path=display,
            )
        fresh, _ = log_patch(current, entry, today, where=display, doc=parse_yaml(_text, display))
        return fresh

    cycle, _, _ = update_file(root, target.path, Cycle, make_patch)
    return cycle


@dataclass(frozen=True)
class Amending:
    """What a log may change besides empty fields: recorded values (`--amend`), the
    frozen plan (`--amend-plan`), and the reason kept in the history."""

    log: bool = False
    plan: bool = False
    reason: str | None = None


def worksheet_amendments(
    before: Cycle, after: Cycle, amending: Amending, where: str, doc: YamlDocument | None = None
) -> list[Amended]:
    """What an edited worksheet changes of what was recorded; refused unless amending.

    Filling an empty Do, Study or Act field is logging, not amending. Once the test has
    started, any change to the plan (a prediction added after the test included) is an
    amendment of the plan. The history itself is never changed.
    """
    if after.history[: len(before.history)] != before.history:
        raise QiError(
            f"{where}: the cycle's history was changed in the worksheet; nothing was written",
            hint="history entries are evidence of earlier amendments: leave them as they are",
        )
    plan = []
    if plan_frozen(before) or plan_frozen(after):
        plan = changed_fields(before, after, ("plan",), additions=True)
    if plan and not amending.plan:
        raise already_recorded(plan, where=where, plan=True, doc=doc)
    logged = changed_fields(before, after, ("do", "study", "act"))
    if logged and not amending.log:
        raise already_recorded(logged, where=where, doc=doc)
    return plan + logged


def _canonical_held(text: str, display: str) -> dict[str, Any]:
    """A patch writing each `held:` answer typed in other words (`y`, `Partly`) as the
    canonical word; `true` / `false` and the canonical words stay as they are."""
    _, data = read_model(text, display, Cycle)
    answers = ((data or {}).get("study") or {}).get("answers") or []
    fixed: list[dict[str, Any]] = []
    for answer in answers:
        raw = answer.get("held") if isinstance(answer, Mapping) else None
        word = held_word(raw)
        canonical = NOT_YET_KNOWN if word is None and raw is not None else word
        keep = isinstance(raw, bool) or raw is None or raw == canonical
        fixed.append({} if keep else {"held": canonical})
    return {"study": {"answers": fixed}} if any(fixed) else {}


def record_worksheet(
    root: Path,
    target: LoadedCycle,
    text: str,
    old_text: str,
    *,
    amending: Amending = Amending(),
    today: dt.date | None = None,
) -> tuple[Cycle, list[Amended]]:
    """Write a cycle logged in the editor worksheet, if its file is still `old_text`.

    Refuses (writing nothing) a change to what was recorded unless amending; an
    amendment appends its history entry to the text written.
    """
    display = display_path(target.path)
    after, _ = read_model(text, display, Cycle)
    changed = worksheet_amendments(
        target.cycle, after, amending, display, parse_yaml(old_text, display)
    )
    patch = _canonical_held(text, display)
    if changed:
        reason = amending.reason or ""
        patch["history"] = history_patch(after, changed, reason, today or dt.date.today())
    if patch:
        text = splice(text, patch, Cycle, display)
    return replace_text(root, target.path, text, Cycle, expected_old=old_text), changed


def worksheet_warnings(cycle: Cycle) -> list[MethodWarning]:
    """The method warnings for a cycle logged in the editor."""
    if cycle.study and not has_predictions(cycle):
        message = "this cycle has no predictions to compare with (qi explain Q401)"
        return [MethodWarning(code="Q401", message=message)]
    return []
