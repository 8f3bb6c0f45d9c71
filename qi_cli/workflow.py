"""The PDSA workflow as data: drivers, change ideas, planning and logging cycles.

Functions here check what a person typed and build the data (or the patch) to write;
they never print and never touch files. The commands in `qi_cli.cli.drivers` and
`qi_cli.cli.cycle` ask the questions, and `qi_cli.files.yaml_write` does the writing.

Names follow the IHI PDSA worksheet: a cycle tests one change idea; its Plan holds the
questions, each with a prediction; Do records what happened; Study compares it with
each prediction; Act decides adopt, adapt or abandon. A ramp is a series of cycles of
one change idea, each `follows` the one before.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from qi_cli.errors import QiError, UsageError
from qi_cli.files.loader import CYCLES_DIR, LoadedCycle, LoadedProject
from qi_cli.model import Cycle, Decision, DriverDiagram, Purpose
from qi_cli.project import slugify

DECISIONS: tuple[str, ...] = get_args(Decision)
PURPOSES: tuple[str, ...] = get_args(Purpose)
STATUSES = ("planned", "running", "done", "open")
CHANGE_STATUSES = ("idea", "testing", "adopted", "abandoned")
WHO_FIELDS = ("who", "what", "when", "where")

_YES = {"yes", "y", "true", "t", "1", "held", "✓"}
_NO = {"no", "n", "false", "f", "0", "not", "✗"}
_UNSURE = {"?", "-", "", "unsure", "unknown", "partly", "partial"}


# --- what a person types ---------------------------------------------------------------


def check_date_order(start: dt.date | None, end: dt.date | None, what: str) -> None:
    if start and end and end < start:
        raise UsageError(
            f"the {what} end date {end} is before its start date {start}",
            hint="the end is the last day of the test: on or after the start",
        )


def parse_yes_no(text: str, what: str) -> bool | None:
    """yes / no as a nurse types it; `?` (or nothing) for not sure.

    >>> [parse_yes_no(t, "held") for t in ("Yes", "n", "?")]
    [True, False, None]
    """
    word = text.strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    if word in _UNSURE:
        return None
    raise UsageError(f"{what}: '{text}' is not yes or no", hint="write yes, no, or ? if not sure")


def parse_held(values: Iterable[str]) -> list[bool | None]:
    """`--held yes,no` (or `--held yes --held no`): one answer per prediction, in order.

    >>> parse_held(["yes,no", "?"])
    [True, False, None]
    """
    return [
        parse_yes_no(part, f"--held (prediction {i})")
        for i, part in enumerate((p for v in values for p in v.split(",")), start=1)
    ]


def parse_decision(text: str) -> str:
    """adopt, adapt or abandon; anything else is refused with the three choices."""
    word = text.strip().lower()
    if word in DECISIONS:
        return word
    close = {"adopted": "adopt", "adapted": "adapt", "abandoned": "abandon"}.get(word)
    raise UsageError(
        f"'{text}' is not a decision",
        hint=(f"did you mean '{close}'? " if close else "")
        + "choose adopt (keep the change), adapt (change it and test again) "
        "or abandon (stop testing it)",
    )


def parse_purpose(text: str) -> str:
    """The purpose of a cycle; a unique prefix or spaces instead of underscores will do.

    >>> parse_purpose("collect information")
    'collect_information'
    """
    word = re.sub(r"[\s-]+", "_", text.strip().lower())
    matches = [p for p in PURPOSES if p == word] or [p for p in PURPOSES if p.startswith(word)]
    if word and len(matches) == 1:
        return matches[0]
    raise UsageError(f"'{text}' is not a purpose", hint=f"choose one of: {', '.join(PURPOSES)}")


def clean(text: str | None) -> str | None:
    """Text as it will be stored: stripped, and None when empty."""
    if text is None:
        return None
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return text or None


def _check_choice(value: str | None, choices: Sequence[str], what: str) -> None:
    """Refuse a value that is not one of `choices` (None: not given, nothing to check)."""
    if value is not None and value not in choices:
        raise UsageError(f"'{value}' is not a {what}", hint=f"choose one of: {', '.join(choices)}")


def unknown(kind: str, ref: str, known: Iterable[str], hint: str) -> QiError:
    """The error for an id that does not exist, listing the ones that do."""
    known = sorted(known)
    listed = ", ".join(known) if known else "none yet"
    return QiError(f"no {kind} '{ref}'", hint=f"known {kind}s: {listed}; {hint}")


# --- drivers and change ideas ----------------------------------------------------------


def _new_id(title: str, given: str | None, diagram: DriverDiagram, kind: str) -> str:
    taken = set(diagram.drivers) | set(diagram.changes)
    new_id = given.strip() if given else slugify(title, fallback=kind.split()[0])
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", new_id) or len(new_id) > 64:
        raise UsageError(
            f"'{new_id}' is not a valid id",
            hint="ids use lower-case letters, digits and hyphens, e.g. physio-review",
        )
    if new_id in taken:
        where = "driver" if new_id in diagram.drivers else "change idea"
        known = ", ".join(sorted(taken))
        raise QiError(
            f"there is already a {where} with the id '{new_id}'",
            hint=f"choose another id with --id (ids in use: {known})",
        )
    return new_id


def _text(value: str, what: str) -> str:
    text = clean(value)
    if not text:
        raise UsageError(f"the {what} is empty", hint=f"give the {what} in quotes")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise UsageError(f"the {what} contains control characters", hint="use plain text")
    return text


def add_driver(
    diagram: DriverDiagram,
    name: str,
    *,
    parents: Sequence[str] = (),
    driver_id: str | None = None,
    measure: str | None = None,
    measures: Iterable[str] = (),
) -> tuple[str, dict[str, Any]]:
    """A new driver's id and the patch that adds it to drivers.yaml."""
    name = _text(name, "driver name")
    new_id = _new_id(name, driver_id, diagram, "driver")
    for parent in parents:
        if parent not in diagram.drivers:
            raise unknown("driver", parent, diagram.drivers, "a --parent must exist first")
    if measure is not None and measure not in set(measures):
        raise unknown("measure", measure, measures, "add it with `qi measure add`")
    entry: dict[str, Any] = {"name": name}
    if parents:
        entry["parents"] = list(dict.fromkeys(parents))
    if measure:
        entry["measure"] = measure
    return new_id, {"drivers": {new_id: entry}}


def add_change(
    diagram: DriverDiagram,
    title: str,
    *,
    drivers: Sequence[str] = (),
    change_id: str | None = None,
    description: str | None = None,
    source: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """A new change idea's id and the patch that adds it to drivers.yaml."""
    title = _text(title, "change idea")
    new_id = _new_id(title, change_id, diagram, "change idea")
    for driver in drivers:
        if driver not in diagram.drivers:
            raise unknown("driver", driver, diagram.drivers, "add it with `qi driver add`")
    entry: dict[str, Any] = {"title": title}
    if drivers:
        entry["drivers"] = list(dict.fromkeys(drivers))
    for key, value in (("description", description), ("source", source)):
        if clean(value):
            entry[key] = clean(value)
    return new_id, {"changes": {new_id: entry}}


@dataclass(frozen=True)
class TreeNode:
    """One line of the driver diagram tree."""

    kind: str  # "driver" or "change"
    id: str
    label: str
    status: str | None = None  # a change idea's status
    cycles: int = 0
    repeat: bool = False  # already shown under another parent: children not repeated
    children: tuple[TreeNode, ...] = ()


def driver_tree(project: LoadedProject) -> list[TreeNode]:
    """aim → primary drivers → secondary drivers → change ideas.

    A driver or change idea with several parents is shown under each; the second time
    its own children are not repeated. Orphans (a parent that does not exist) are listed
    at the top level so nothing is hidden.
    """
    diagram = project.drivers or DriverDiagram()
    drivers = diagram.drivers
    shown: set[str] = set()

    def change_node(cid: str) -> TreeNode:
        return TreeNode(
            "change",
            cid,
            diagram.changes[cid].title,
            project.change_status(cid),
            len(project.cycles_of(cid)),
        )

    def driver_node(did: str, trail: frozenset[str]) -> TreeNode:
        if did in shown or did in trail:
            return TreeNode("driver", did, drivers[did].name, repeat=True)
        shown.add(did)
        children = [
            driver_node(child, trail | {did}) for child, d in drivers.items() if did in d.parents
        ]
        changes = [change_node(cid) for cid, c in diagram.changes.items() if did in c.drivers]
        return TreeNode("driver", did, drivers[did].name, children=(*children, *changes))

    roots = [
        did
        for did, d in drivers.items()
        if not d.parents or not any(p in drivers for p in d.parents)
    ]
    nodes = [driver_node(did, frozenset()) for did in roots]
    # drivers only reachable through a loop still appear
    nodes += [driver_node(did, frozenset()) for did in drivers if did not in shown]
    nodes += [
        change_node(cid)
        for cid, c in diagram.changes.items()
        if not any(d in drivers for d in c.drivers)
    ]
    return nodes


@dataclass(frozen=True)
class ChangeRow:
    id: str
    title: str
    drivers: tuple[str, ...]
    status: str
    cycles: int
    last: LoadedCycle | None


def change_rows(
    project: LoadedProject, *, driver: str | None = None, status: str | None = None
) -> list[ChangeRow]:
    diagram = project.drivers or DriverDiagram()
    if driver is not None and driver not in diagram.drivers:
        raise unknown("driver", driver, diagram.drivers, "see `qi drivers`")
    _check_choice(status, CHANGE_STATUSES, "change idea status")
    rows = []
    for cid, change in diagram.changes.items():
        cycles = project.cycles_of(cid)
        row = ChangeRow(
            cid,
            change.title,
            tuple(change.drivers),
            project.change_status(cid),
            len(cycles),
            cycles[-1] if cycles else None,
        )
        if (driver is None or driver in row.drivers) and (status is None or row.status == status):
            rows.append(row)
    return rows


# --- planning a cycle --------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    """Everything `qi cycle new` writes, as the person gave it."""

    change: str
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

    The change idea, person, purpose, measures, questions and who/what/when/where carry
    over; the objective starts from the last cycle's next steps. Predictions do not
    carry over: each test gets predictions written before it, and the scale is asked
    again because a ramp grows in scale.
    """
    plan = previous.plan
    return PlanInput(
        change=previous.change,
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


def _check_references(
    project: LoadedProject, change: str, measures: Iterable[str], follows: str | None
) -> None:
    """Refuse a change idea, measure or cycle that does not exist."""
    diagram = project.drivers or DriverDiagram()
    if change not in diagram.changes:
        raise unknown("change idea", change, diagram.changes, "add it with `qi change add`")
    for measure in measures:
        if measure not in project.measures:
            raise unknown("measure", measure, project.measures, "add it with `qi measure add`")
    if follows is not None and follows not in {c.id for c in project.cycles}:
        raise unknown("cycle", follows, (c.id for c in project.cycles), "see `qi cycle list`")


def check_plan(project: LoadedProject, plan: PlanInput) -> None:
    """Refuse references that do not exist and impossible dates, before anything is written."""
    _check_references(project, plan.change, plan.measures, plan.follows)
    if plan.purpose not in PURPOSES:
        parse_purpose(plan.purpose)
    check_date_order(plan.start, plan.end, "planned")
    for question, _ in plan.questions:
        _text(question, "question")


def check_cycle(project: LoadedProject, cycle: Cycle, today: dt.date) -> None:
    """The checks `check_plan` makes, on a whole cycle (e.g. one typed in an editor)."""
    _check_references(project, cycle.change, cycle.measures, cycle.follows)
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


def new_cycle_data(plan: PlanInput, created: dt.date) -> dict[str, Any]:
    """The new cycle file's data, in the worksheet's order; empty fields are left out.

    >>> data = new_cycle_data(PlanInput("physio-review", scale="one patient"), dt.date(2025, 3, 4))
    >>> list(data)
    ['change', 'purpose', 'scale', 'created']
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
        "change": plan.change,
        "follows": plan.follows,
        "person": clean(plan.person),
        "purpose": plan.purpose,
        "scale": clean(plan.scale),
        "measures": list(plan.measures) or None,
        "created": created,
        "plan": {k: v for k, v in plan_data.items() if v is not None} or None,
    }
    return {k: v for k, v in data.items() if v is not None}


def cycle_file_name(change: str, date: dt.date, suffix: str | None = None) -> str:
    """`cycles/YYYY-MM-DD-<change>-<4 hex>.yaml`: unique without coordination, so two
    people on two branches planning "the next cycle" write two files that merge cleanly.

    >>> cycle_file_name("physio-review", dt.date(2025, 3, 4), "a1b2")
    'cycles/2025-03-04-physio-review-a1b2.yaml'
    """
    suffix = suffix or secrets.token_hex(2)
    return f"{CYCLES_DIR}/{date.isoformat()}-{change}-{suffix}.yaml"


def cycle_header(cycle_id: str, change_title: str) -> str:
    """The comment lines at the top of a new cycle file (without their `# `)."""
    from qi_cli.schemas import schema_comment

    return (
        schema_comment("cycle", depth=1).removeprefix("# ")
        + f"PDSA cycle testing: {change_title}\n"
        f"After the test, record what happened: qi cycle log {cycle_id}"
    )


# --- logging a cycle ---------------------------------------------------------------------


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
    held: tuple[bool | None, ...] = ()
    learned: str | None = None
    decision: str | None = None
    next_steps: str | None = None

    @property
    def studies(self) -> bool:
        given = [v for v in (*self.actual, *self.held) if v is not None]
        return bool(given or self.learned)


def log_patch(cycle: Cycle, entry: LogInput, today: dt.date) -> tuple[dict[str, Any], list[str]]:
    """The patch that records Do, Study and Act, and warnings about the method.

    Raises for impossible input: more answers than predictions, a date in the future,
    an end before its start, a decision other than adopt / adapt / abandon.
    """
    warnings: list[str] = []
    questions = cycle.plan.questions
    for when, what in ((entry.done_start, "--done-start"), (entry.done_end, "--done-end")):
        if when and when > today:
            raise UsageError(
                f"{what}: {when} is in the future",
                hint="log a test after it is done; plan future tests with `qi cycle new`",
            )
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
        raise UsageError(
            f"{answers_given} answers given, but the plan has "
            f"{len(questions)} question{'s' if len(questions) != 1 else ''}",
            hint="give one --actual and one --held per question, in the plan's order"
            if questions
            else "this cycle has no questions to answer: use --learned",
        )
    if entry.studies and not any(q.prediction for q in questions):
        warnings.append(
            "this cycle has no predictions to compare with: next time, write a prediction "
            "for each question when planning (qi explain Q401)"
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
    answered = max(answers_given, len(cycle.study.answers) if cycle.study else 0)
    if entry.studies and questions and answered < len(questions):
        warnings.append(
            f"the study answers {answered} of {len(questions)} predictions: add the rest "
            "with --actual / --held, in the plan's order (qi explain Q402)"
        )
    return patch, warnings


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


# --- reading cycles ----------------------------------------------------------------------


def open_cycles(project: LoadedProject) -> list[LoadedCycle]:
    """Cycles without an Act decision yet, in number order."""
    return [c for c in project.cycles if c.cycle.status != "done"]


def filter_cycles(
    project: LoadedProject, *, change: str | None = None, status: str | None = None
) -> list[LoadedCycle]:
    diagram = project.drivers or DriverDiagram()
    if change is not None and change not in diagram.changes:
        raise unknown("change idea", change, diagram.changes, "see `qi change list`")
    _check_choice(status, STATUSES, "cycle status")
    out = []
    for c in project.cycles:
        if change is not None and c.cycle.change != change:
            continue
        if status == "open" and c.cycle.status == "done":
            continue
        if status not in (None, "open") and c.cycle.status != status:
            continue
        out.append(c)
    return out


def ramp(project: LoadedProject, cycle_id: str) -> list[LoadedCycle]:
    """Every cycle linked to this one by `follows`, in number order (a ramp)."""
    by_id = {c.id: c for c in project.cycles}
    linked = {cycle_id}
    changed = True
    while changed:
        changed = False
        for c in project.cycles:
            parent = c.cycle.follows
            if c.id in linked and parent in by_id and parent not in linked:
                linked.add(parent)
                changed = True
            if parent in linked and c.id not in linked:
                linked.add(c.id)
                changed = True
    return [c for c in project.cycles if c.id in linked]


def next_step_hint(cycle: LoadedCycle) -> str | None:
    """What the team does after this decision, as a command."""
    act = cycle.cycle.act
    decision = act.decision if act else None
    if decision == "adapt":
        return f"plan the next test: qi cycle new --next {cycle.number}"
    if decision == "adopt":
        return f"test at a larger scale before rolling out: qi cycle new --next {cycle.number}"
    if decision == "abandon":
        return "try another change idea: qi change list"
    if cycle.cycle.status == "running":
        return f"when you have studied the results: qi cycle log {cycle.number} --decision ..."
    return None
