"""Planning a cycle (`qi cycle new`): the plan as given, its checks, and the new file.

A new cycle file is named `cycles/YYYY-MM-DD-<change>-<4 hex>.yaml` (the first change
idea when a cycle tests several together): unique without coordination, so two people
on two branches planning "the next cycle" write two files that merge cleanly.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qi_cli.cycle_model import Cycle
from qi_cli.cycles.answers import PURPOSES, WHO_FIELDS, check_date_order, parse_purpose
from qi_cli.cycles.evidence import has_predictions
from qi_cli.cycles.log import MethodWarning
from qi_cli.drivers import changes_title, clean, required_text, unknown
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.layout import CYCLES_DIR
from qi_cli.files.loaded import LoadedCycle, LoadedProject, number_cycles, short_cycle_id
from qi_cli.files.yaml_write import create_file, create_text, prune, read_model
from qi_cli.schemas import schema_comment

MAX_FILE_TRIES = 8


@dataclass(frozen=True)
class PlanInput:
    """Everything `qi cycle new` writes, as the person gave it."""

    changes: tuple[str, ...]  # the change ideas tested: usually one, or several together
    follows: str | None = None
    person: str | None = None
    purpose: str = "test"
    scale: str | None = None
    measures: tuple[str, ...] = ()
    objective: str | None = None
    questions: tuple[tuple[str, str | None], ...] = ()
    test: Mapping[str, str | None] = field(default_factory=dict)
    data_collection: Mapping[str, str | None] = field(default_factory=dict)
    start: dt.date | None = None
    end: dt.date | None = None


def carry_over(previous: Cycle) -> PlanInput:
    """The context the next cycle of a ramp starts from.

    The change ideas, person, purpose, measures, questions and who/what/when/where carry
    over; the objective starts from the last cycle's next steps. Predictions do not
    carry over: each test gets predictions written before it, and the scale is asked
    again because a ramp grows in scale.
    """
    plan = previous.plan
    return PlanInput(
        changes=tuple(previous.changes),
        person=previous.person,
        purpose=previous.purpose,
        scale=previous.scale,
        measures=tuple(previous.measures),
        objective=previous.act.next_steps if previous.act else None,
        questions=tuple((q.question, None) for q in plan.questions),
        test=plan.test.model_dump(exclude_none=True) if plan.test else {},
        data_collection=(
            plan.data_collection.model_dump(exclude_none=True) if plan.data_collection else {}
        ),
    )


def first_plan(
    project: LoadedProject, *, changes: Sequence[str] = (), follows: str | None
) -> PlanInput | None:
    """The plan to start from: the next cycle of a ramp (`follows`, a cycle number or id),
    a first cycle of `changes` (one change idea, or several tested together), or None
    when neither is given."""
    if follows is not None:
        previous = project.cycle(follows)
        plan = replace(carry_over(previous.cycle), follows=previous.id)
        if changes and set(changes) != set(plan.changes):
            raise FieldError(
                "follows",
                f"{{follows}} {follows} tests '{', '.join(plan.changes)}', "
                f"not '{', '.join(changes)}'",
                hint="a ramp tests one change idea (or the same ones together): drop "
                "{change}, or plan a first cycle of the other idea without {follows}",
                mentions=("change",),
            )
    elif changes:
        plan = PlanInput(changes=tuple(changes))
    else:
        return None
    check_changes(project, plan.changes)
    return plan


def check_changes(project: LoadedProject, changes: Sequence[str]) -> None:
    """Refuse a change idea that does not exist, or one named twice."""
    known = project.drivers.changes if project.drivers else {}
    seen: set[str] = set()
    for change in changes:
        if change not in known:
            raise unknown("change idea", change, known, "add it with `qi change add`")
        if change in seen:
            raise FieldError(
                "change",
                f"{{change}} {change} is given twice",
                hint="name each change idea once",
            )
        seen.add(change)


def plan_with(plan: PlanInput, given: Mapping[str, Any]) -> PlanInput:
    """`plan` with the fields a person gave; `test` and `data_collection` are merged
    field by field (who, what, when, where), so a ramp keeps what was not given."""
    fields = dict(given)
    if "purpose" in fields:
        fields["purpose"] = parse_purpose(fields["purpose"])
    for section in ("test", "data_collection"):
        if section in fields:
            fields[section] = {**getattr(plan, section), **fields[section]}
    return replace(plan, **fields)


def _check_references(
    project: LoadedProject, changes: Sequence[str], measures: Iterable[str], follows: str | None
) -> None:
    """Refuse a change idea, measure or cycle that does not exist."""
    check_changes(project, changes)
    for measure in measures:
        if measure not in project.measures:
            raise unknown("measure", measure, project.measures, "add it with `qi measure add`")
    if follows is not None and follows not in {c.id for c in project.cycles}:
        raise unknown("cycle", follows, (c.id for c in project.cycles), "see `qi cycle list`")


def check_plan(project: LoadedProject, plan: PlanInput) -> None:
    """Refuse references that do not exist and impossible dates, before anything is written."""
    _check_references(project, plan.changes, plan.measures, plan.follows)
    if plan.purpose not in PURPOSES:
        parse_purpose(plan.purpose)
    check_date_order(plan.start, plan.end, "planned")
    for question, _ in plan.questions:
        required_text(question, "question")


def check_cycle(project: LoadedProject, cycle: Cycle, today: dt.date) -> None:
    """The checks `check_plan` makes, on a whole cycle (e.g. one typed in an editor)."""
    _check_references(project, cycle.changes, cycle.measures, cycle.follows)
    check_date_order(cycle.plan.start, cycle.plan.end, "planned")
    if cycle.do is not None:
        check_date_order(cycle.do.start, cycle.do.end, "test's")
        for when in (cycle.do.start, cycle.do.end):
            if when and when > today:
                raise UsageError(
                    f"do: {when} is in the future",
                    hint="record a test after it is done; the planned dates go under plan",
                )
    if cycle.study and len(cycle.study.answers) > len(cycle.plan.questions):
        raise UsageError(
            f"study has {len(cycle.study.answers)} answers for "
            f"{len(cycle.plan.questions)} questions",
            hint="one answer per question of the plan, in the same order",
        )


def read_worksheet(
    project: LoadedProject, text: str, display: str, today: dt.date, *, empty_ok: bool = False
) -> Cycle:
    """The cycle a person wrote in a worksheet, checked like a planned or logged one."""
    cycle, _ = read_model(text, display, Cycle, empty_ok=empty_ok)
    check_cycle(project, cycle, today)
    return cycle


def new_cycle_data(plan: PlanInput, created: dt.date) -> dict[str, Any]:
    """The new cycle file's data, in the worksheet's order; empty fields are left out.

    One change idea is written as `change: ID`, as every cycle file had it before a
    cycle could test several; several are written as a list.

    >>> plan = PlanInput(("physio-review",), scale="one patient")
    >>> data = new_cycle_data(plan, dt.date(2025, 3, 4))
    >>> list(data), data["change"]
    (['change', 'purpose', 'scale', 'created'], 'physio-review')
    >>> new_cycle_data(PlanInput(("a", "b")), dt.date(2025, 3, 4))["change"]
    ['a', 'b']
    """

    def who(values: Mapping[str, str | None]) -> dict[str, str] | None:
        out = {k: clean(values.get(k)) for k in WHO_FIELDS}
        kept = {k: v for k, v in out.items() if v}
        return kept or None

    questions = []
    for question, prediction in plan.questions:
        entry = {"question": clean(question), "prediction": clean(prediction)}
        questions.append({k: v for k, v in entry.items() if v})
    plan_data = {
        "objective": clean(plan.objective),
        "questions": questions or None,
        "test": who(plan.test),
        "data_collection": who(plan.data_collection),
        "start": plan.start,
        "end": plan.end,
    }
    data = {
        "change": plan.changes[0] if len(plan.changes) == 1 else list(plan.changes),
        "follows": plan.follows,
        "person": clean(plan.person),
        "purpose": plan.purpose,
        "scale": clean(plan.scale),
        "measures": list(plan.measures) or None,
        "created": created,
        "plan": {k: v for k, v in plan_data.items() if v is not None} or None,
    }
    return {k: v for k, v in data.items() if v is not None}


def plan_warnings(cycle: Cycle) -> list[MethodWarning]:
    """The method warnings for a newly planned cycle: predictions are written before
    the test (Q401)."""
    if not has_predictions(cycle):
        message = (
            "no predictions yet: write what you expect before the test, "
            "so Study has something to compare with (qi explain Q401)"
        )
        return [MethodWarning(code="Q401", message=message)]
    if any(not q.prediction for q in cycle.plan.questions):
        message = "some questions have no prediction: add them before the test"
        return [MethodWarning(code="Q401", message=message)]
    return []


def cycle_file_name(change: str, date: dt.date, suffix: str | None = None) -> str:
    """`cycles/YYYY-MM-DD-<change>-<4 hex>.yaml`, the suffix random unless given.

    >>> cycle_file_name("physio-review", dt.date(2025, 3, 4), "a1b2")
    'cycles/2025-03-04-physio-review-a1b2.yaml'
    """
    suffix = suffix or secrets.token_hex(2)
    return f"{CYCLES_DIR}/{date.isoformat()}-{change}-{suffix}.yaml"


def cycle_header(cycle_id: str, title: str) -> str:
    """The comment lines at the top of a new cycle file (without their `# `)."""
    return (
        schema_comment("cycle", depth=1).removeprefix("# ") + f"PDSA cycle testing: {title}\n"
        f"After the test, record what happened: qi cycle log {short_cycle_id(cycle_id)}"
    )


def planned_number(project: LoadedProject, cycle: Cycle, path: Path) -> int:
    """The number a new cycle is shown with among the project's cycles (`planned_as`)."""
    numbered = number_cycles([*project.cycles, LoadedCycle(id=path.stem, path=path, cycle=cycle)])
    return next(c.number for c in numbered if c.id == path.stem)


def _free_suffix(path: Path, project: LoadedProject) -> bool:
    """A new file's suffix is its short id: unused in the project, and with a letter so
    that it never reads as a cycle number."""
    suffix = path.stem.rsplit("-", 1)[-1]
    taken = {c.short_id for c in project.cycles} | {
        s.rsplit("-", 1)[-1] for s in project.cycle_files
    }
    return not path.exists() and not suffix.isdigit() and suffix not in taken


def _write_new_cycle(
    root: Path,
    project: LoadedProject,
    change: str,
    date: dt.date,
    write: Callable[[Path], Any],
) -> Path:
    """A new file name with a random suffix; on the rare clash, another suffix."""
    for _ in range(MAX_FILE_TRIES):
        path = root / cycle_file_name(change, date)
        if not _free_suffix(path, project):
            continue
        try:
            write(path)
        except QiError:
            if path.exists():  # another run took this name a moment ago
                continue
            raise
        return path
    raise QiError(
        f"could not find a free file name in {root / CYCLES_DIR}",
        hint="check the cycles folder; this should not happen",
    )


def create_cycle(
    root: Path, project: LoadedProject, plan: PlanInput, today: dt.date
) -> tuple[Path, Cycle]:
    """Write a planned cycle to a new file; its path and the cycle."""
    data = new_cycle_data(plan, today)
    cycle = Cycle.model_validate(data)
    title = changes_title(project, plan.changes)

    def write(path: Path) -> Cycle:
        numbered = with_planned_as(data, planned_number(project, cycle, path))
        return create_file(path, numbered, Cycle, header=cycle_header(path.stem, title))

    path = _write_new_cycle(root, project, plan.changes[0], plan.start or today, write)
    return path, cycle


def create_cycle_from_text(
    root: Path, project: LoadedProject, text: str, cycle: Cycle, today: dt.date
) -> Path:
    """Write a cycle typed in the editor worksheet, keeping its text (empty fields pruned)."""
    text = prune(text, "worksheet")
    title = changes_title(project, cycle.changes)

    def write(path: Path) -> Cycle:
        header = "".join(f"# {line}\n" for line in cycle_header(path.stem, title).splitlines())
        body = text
        if cycle.planned_as is None:
            body = body.rstrip("\n") + f"\nplanned_as: {planned_number(project, cycle, path)}\n"
        return create_text(path, header + body, Cycle)

    return _write_new_cycle(root, project, cycle.changes[0], cycle.plan.start or today, write)


def with_planned_as(data: dict[str, Any], number: int) -> dict[str, Any]:
    """`data` with `planned_as` right after `created` (the header's order).

    >>> list(with_planned_as({"change": "a", "created": "x", "plan": {}}, 3))
    ['change', 'created', 'planned_as', 'plan']
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "plan" and "planned_as" not in out:
            out["planned_as"] = number
        out[key] = value
    out.setdefault("planned_as", number)
    return out
