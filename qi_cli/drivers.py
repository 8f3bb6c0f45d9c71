"""The driver diagram: drivers, change ideas, and what a change idea's cycles say of it.

Reading only; adding drivers and change ideas is `qi_cli.drivers_edit`. The checks of
what a person typed (`clean`, `required_text`, `check_choice`) live here, shared by
every feature that takes text.

Names follow the IHI driver diagram: the aim's primary drivers, the secondary drivers
that feed them (`parents`), and the change ideas to test against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qi_cli.driver_model import DriverDiagram
from qi_cli.errors import QiError, UsageError
from qi_cli.files.loaded import LoadedCycle, LoadedProject

CHANGE_STATUSES = ("idea", "testing", "adopted", "abandoned")


# --- what a person types ---------------------------------------------------------------


def clean(text: str | None) -> str | None:
    """Text as it will be stored: stripped, and None when empty."""
    if text is None:
        return None
    text = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return text or None


def required_text(value: str, what: str) -> str:
    """Text that must be given, without control characters."""
    text = clean(value)
    if not text:
        raise UsageError(f"the {what} is empty", hint=f"give the {what} in quotes")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise UsageError(f"the {what} contains control characters", hint="use plain text")
    return text


def check_choice(value: str | None, choices: Sequence[str], what: str) -> None:
    """Refuse a value that is not one of `choices` (None: not given, nothing to check)."""
    if value is not None and value not in choices:
        raise UsageError(f"'{value}' is not a {what}", hint=f"choose one of: {', '.join(choices)}")


def unknown(kind: str, ref: str, known: Iterable[str], hint: str) -> QiError:
    """The error for an id that does not exist, listing the ones that do."""
    known = sorted(known)
    listed = ", ".join(known) if known else "none yet"
    return QiError(f"no {kind} '{ref}'", hint=f"known {kind}s: {listed}; {hint}")


# --- what the cycles say of a change idea ----------------------------------------------


def change_title(project: LoadedProject, change_id: str) -> str:
    """A change idea's title, or its id when the diagram does not have it."""
    if project.drivers and change_id in project.drivers.changes:
        return project.drivers.changes[change_id].title
    return change_id


def changes_title(project: LoadedProject, change_ids: Iterable[str]) -> str:
    """What a cycle tests, as people read it: each change idea's title, joined by ` + `
    when a cycle tests several together (`Night lights + Quiet hours`)."""
    return " + ".join(change_title(project, cid) for cid in change_ids)


def change_status(project: LoadedProject, change_id: str) -> str:
    """A change idea's status comes from its cycles: idea, testing, adopted, abandoned
    (a cancelled cycle tested nothing, so it does not count). Every cycle that tests the
    idea counts, also one that tests it together with others."""
    cycles = [c for c in project.cycles_of(change_id) if c.cycle.cancelled is None]
    if not cycles:
        return "idea"
    decided = [c for c in cycles if c.cycle.act and c.cycle.act.decision]
    if decided and decided[-1] is cycles[-1]:
        decision = cycles[-1].cycle.act.decision if cycles[-1].cycle.act else None
        if decision == "adopt":
            return "adopted"
        if decision == "abandon":
            return "abandoned"
    return "testing"


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
            kind="change",
            id=cid,
            label=diagram.changes[cid].title,
            status=change_status(project, cid),
            cycles=len(project.cycles_of(cid)),
        )

    def driver_node(did: str, trail: frozenset[str]) -> TreeNode:
        if did in shown or did in trail:
            return TreeNode(kind="driver", id=did, label=drivers[did].name, repeat=True)
        shown.add(did)
        children = [
            driver_node(child, trail | {did}) for child, d in drivers.items() if did in d.parents
        ]
        changes = [change_node(cid) for cid, c in diagram.changes.items() if did in c.drivers]
        return TreeNode(
            kind="driver", id=did, label=drivers[did].name, children=(*children, *changes)
        )

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
    """One change idea as `qi change list` shows it."""

    id: str
    title: str
    drivers: tuple[str, ...]
    status: str
    cycles: int
    last: LoadedCycle | None


def change_rows(
    project: LoadedProject, *, driver: str | None = None, status: str | None = None
) -> list[ChangeRow]:
    """The change ideas, with their status and cycles, of one driver or status if given."""
    diagram = project.drivers or DriverDiagram()
    if driver is not None and driver not in diagram.drivers:
        raise unknown("driver", driver, diagram.drivers, "see `qi drivers`")
    check_choice(status, CHANGE_STATUSES, "change idea status")
    rows = []
    for cid, change in diagram.changes.items():
        cycles = project.cycles_of(cid)
        row = ChangeRow(
            id=cid,
            title=change.title,
            drivers=tuple(change.drivers),
            status=change_status(project, cid),
            cycles=len(cycles),
            last=cycles[-1] if cycles else None,
        )
        if (driver is None or driver in row.drivers) and (status is None or row.status == status):
            rows.append(row)
    return rows
