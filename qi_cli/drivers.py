"""The driver diagram: drivers, change ideas, and what a change idea's cycles say of it.

Functions here check what a person typed and build the data (or the patch) to write;
only `write_drivers` touches a file, through `qi_cli.files.yaml_write`, which keeps the
comments and layout of what people wrote by hand.

Names follow the IHI driver diagram: the aim's primary drivers, the secondary drivers
that feed them (`parents`), and the change ideas to test against them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.loader import DRIVERS_FILE, LoadedCycle, LoadedProject
from qi_cli.files.yaml_write import update_file
from qi_cli.model import DriverDiagram
from qi_cli.project import slugify
from qi_cli.schemas import schema_comment

CHANGE_STATUSES = ("idea", "testing", "adopted", "abandoned")
DRIVERS_HEADER = (
    "# The driver diagram: the aim's primary drivers, the secondary drivers that feed them,\n"
    "# and the change ideas to test. A driver with no `parents` is a primary driver.\n"
    "drivers: {}\nchanges: {}\n"
)


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
        raise FieldError(
            "id",
            f"there is already a {where} with the id '{new_id}'",
            hint=f"choose another id with {{id}} (ids in use: {known})",
            exit_code=1,
        )
    return new_id


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
    name = required_text(name, "driver name")
    new_id = _new_id(name, driver_id, diagram, "driver")
    for parent in parents:
        if parent not in diagram.drivers:
            known = ", ".join(sorted(diagram.drivers)) or "none yet"
            raise FieldError(
                "parent",
                f"no driver '{parent}'",
                hint=f"known drivers: {known}; a {{parent}} must exist first",
                exit_code=1,
            )
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
    title = required_text(title, "change idea")
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


def write_drivers(
    root: Path, make: Callable[[DriverDiagram], tuple[str, dict[str, Any]]]
) -> tuple[str, DriverDiagram]:
    """Add to drivers.yaml under the lock, re-reading it so parallel adds both land.

    `make` is `add_driver` or `add_change` on the diagram as it is now; a missing
    drivers.yaml starts from an empty diagram with a header that explains it.
    """
    result: dict[str, str] = {}

    def patch(current: DriverDiagram, _text: str) -> dict[str, Any]:
        new_id, data = make(current)
        result["id"] = new_id
        return data

    empty = schema_comment("drivers") + DRIVERS_HEADER
    value, _, _ = update_file(root, root / DRIVERS_FILE, DriverDiagram, patch, empty=empty)
    return result["id"], value


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
