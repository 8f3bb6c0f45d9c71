"""Finding cycles: from a reference, the open ones, by change idea or status, and ramps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from qi_cli.cycle_model import Cycle
from qi_cli.cycles.answers import CYCLE_STATUSES
from qi_cli.driver_model import DriverDiagram
from qi_cli.drivers import changes_title, check_choice, unknown
from qi_cli.errors import Issue, QiError
from qi_cli.files.layout import CYCLES_DIR
from qi_cli.files.loaded import LoadedCycle, LoadedProject, short_cycle_id


def broken_cycle_files(project: LoadedProject) -> list[Issue]:
    """The problems of cycle files that could not be read (and so are not listed)."""
    return [i for i in project.errors if Path(i.path).parent.name == CYCLES_DIR]


def unread_cycle_files(project: LoadedProject) -> list[dict[str, Any]]:
    """Each cycle file that could not be read, once, as a report lists it: the file
    (`cycles/NAME.yaml`), the line and message of its first problem, how many problems
    it has, and the change ideas it names (`change:`, when that much could be read)."""
    first: dict[str, list[Issue]] = {}
    for issue in broken_cycle_files(project):
        first.setdefault(issue.path, []).append(issue)
    out = []
    for path, issues in first.items():
        doc = project.documents.get(path)
        named = doc.data.get("change") if doc is not None and isinstance(doc.data, dict) else None
        names = named if isinstance(named, list) else [named]
        out.append(
            {
                "file": f"{CYCLES_DIR}/{Path(path).name}",
                "line": issues[0].line,
                "message": issues[0].message,
                "problems": len(issues),
                "changes": [n for n in names if isinstance(n, str)],
            }
        )
    return out


def find_cycle(project: LoadedProject, ref: str) -> LoadedCycle:
    """The cycle a number (3, #3) or id names; a file that matches but cannot be read
    is reported with its own problem, not as an unknown cycle."""
    given = ref.strip()
    broken = [
        i
        for i in broken_cycle_files(project)
        if (given and short_cycle_id(Path(i.path).stem).startswith(given))
        or Path(i.path).stem.startswith(given)
    ]
    if broken and not any(
        c.id.startswith(given) or c.short_id.startswith(given) for c in project.cycles
    ):
        error = QiError.from_issue(broken[0])
        error.hint = (broken[0].hint + "; " if broken[0].hint else "") + "fix it first"
        raise error
    return project.cycle(ref)


def number_note(project: LoadedProject, ref: str, c: LoadedCycle) -> str | None:
    """`cycle #3 is 3f9a (Night lights)` when a number (not an id) named the cycle, so
    the person sees which cycle the number resolved to."""
    given = ref.strip()
    if given in (c.id, c.short_id) or not given.lstrip("#").isdigit():
        return None
    return f"cycle #{c.number} is {c.short_id} ({changes_title(project, c.cycle.changes)})"


def open_cycles(project: LoadedProject) -> list[LoadedCycle]:
    """Cycles without an Act decision yet and not cancelled, in number order."""
    return [c for c in project.cycles if c.cycle.status not in ("done", "cancelled")]


def cycles_to_log(project: LoadedProject) -> list[LoadedCycle]:
    """The open cycles, one of which a log without a cycle number is for."""
    candidates = open_cycles(project)
    if not candidates:
        known = ", ".join(c.label for c in project.cycles) or "none yet"
        raise QiError(
            "no open cycle to log: every cycle has its Act decision",
            hint=f"name one to update (cycles: {known}), or plan one: qi cycle new --change ID",
        )
    return candidates


def describe_cycle(project: LoadedProject, c: LoadedCycle) -> str:
    """`#3 3f9a Physio review within 24 h (running, 2025-03-04)`."""
    when = c.cycle.date.isoformat() if c.cycle.date else "no date"
    return f"{c.label} {changes_title(project, c.cycle.changes)} ({c.cycle.status}, {when})"


def filter_cycles(
    project: LoadedProject, *, change: str | None = None, status: str | None = None
) -> list[LoadedCycle]:
    """The cycles of one change idea (also those testing it together with others), or
    with one status (open: neither done nor cancelled), if given."""
    diagram = project.drivers or DriverDiagram()
    if change is not None and change not in diagram.changes:
        raise unknown("change idea", change, diagram.changes, "see `qi change list`")
    check_choice(status, CYCLE_STATUSES, "cycle status")
    out = []
    for c in project.cycles:
        if change is not None and change not in c.cycle.changes:
            continue
        if status == "open" and c.cycle.status in ("done", "cancelled"):
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
        return f"plan the next test: qi cycle new --next {cycle.short_id}"
    if decision == "adopt":
        return f"test at a larger scale before rolling out: qi cycle new --next {cycle.short_id}"
    if decision == "abandon":
        return "try another change idea: qi change list"
    if cycle.cycle.status == "running":
        return f"when you have studied the results: qi cycle log {cycle.short_id}"
    return None


def cycle_dates(cycle: Cycle) -> str:
    """When the test was done (else planned), compactly: 2025-03-04..06."""
    start: dt.date | None = cycle.plan.start or cycle.created
    end: dt.date | None = cycle.plan.end
    if cycle.do and cycle.do.start:
        start, end = cycle.do.start, cycle.do.end
    if start is None:
        return "-"
    if end is None or end == start:
        return start.isoformat()
    if end.year == start.year:
        return f"{start.isoformat()}..{end.isoformat()[5:]}"
    return f"{start.isoformat()}..{end.isoformat()}"
