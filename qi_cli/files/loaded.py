"""What a project folder holds once read: `LoadedProject`, its cycles and their numbers.

`loader.load_project` (or `core_loader.load_core`) fills a `LoadedProject`; the rest of
qi reads it. Cycle numbers are derived here when the files are read (`number_cycles`),
never stored.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qi_cli.cycle_model import Cycle
from qi_cli.driver_model import DriverDiagram
from qi_cli.errors import Issue, QiError
from qi_cli.event_model import EventLog
from qi_cli.files.csv_cells import NO_ROWS, MeasureRows
from qi_cli.files.disk import display_path
from qi_cli.files.layout import CYCLES_DIR
from qi_cli.files.yaml_read import YamlDocument
from qi_cli.measure_model import Measure
from qi_cli.project_model import Project

if TYPE_CHECKING:  # types only: `qi chart` and `qi cycle list` start without the toolkit's
    from qi_cli.files.pareto_csv import ParetoData
    from qi_cli.fishbone_model import Fishbone
    from qi_cli.pareto_model import ParetoChart
    from qi_cli.process_model import ProcessMap
    from qi_cli.stakeholder_model import StakeholderAnalysis

# `2026-02-02-night-lights-3f9a`: the 4 hex digits qi gives every new cycle file
_SHORT_ID = re.compile(r"^\d{4}-\d{2}-\d{2}-.+-([0-9a-f]{4})$")


def short_cycle_id(stem: str) -> str:
    """A cycle's short stable id: the 4-hex suffix of its file name, else the whole stem.

    >>> short_cycle_id("2026-02-02-night-lights-3f9a")
    '3f9a'
    >>> short_cycle_id("first-trial")
    'first-trial'
    """
    match = _SHORT_ID.match(stem)
    return match.group(1) if match else stem


@dataclass(frozen=True)
class LoadedCycle:
    id: str
    path: Path
    cycle: Cycle
    number: int = 0

    @property
    def short_id(self) -> str:
        """The id people type and hints print (`3f9a`); it never changes."""
        return short_cycle_id(self.id)

    @property
    def label(self) -> str:
        """`#4 3f9a`: the display number, then the stable id."""
        return f"#{self.number} {self.short_id}"


@dataclass(frozen=True)
class LoadedPareto:
    """A Pareto chart's data (`pareto/ID.csv`) and its title (`pareto/ID.yaml`, optional)."""

    id: str
    path: Path
    data: ParetoData
    chart: ParetoChart | None = None


@dataclass
class LoadedProject:
    """Everything read from one project folder, and every problem found on the way."""

    root: Path
    project: Project | None = None
    drivers: DriverDiagram | None = None
    process: ProcessMap | None = None
    events: EventLog | None = None
    stakeholders: StakeholderAnalysis | None = None
    measures: dict[str, Measure] = field(default_factory=dict)
    data: dict[str, MeasureRows] = field(default_factory=dict)
    """Each measure's rows in date order, by measure id (a measure without a data file has none)."""
    cycles: list[LoadedCycle] = field(default_factory=list)
    fishbone: Fishbone | None = None
    pareto: dict[str, LoadedPareto] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    # ids of every measure and cycle file, loaded or not, so that one broken file
    # does not also turn every reference to it into an error
    measure_files: set[str] = field(default_factory=set)
    cycle_files: set[str] = field(default_factory=set)
    _base: str | None = field(default=None, repr=False)
    _names: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def title(self) -> str:
        return self.project.title if self.project else self.root.name

    def rows(self, measure_id: str) -> MeasureRows:
        """A measure's rows in date order (none when it has no data file)."""
        return self.data.get(measure_id, NO_ROWS)

    def display(self, *parts: str) -> str:
        """How a file of this project is named in messages (computed once per file)."""
        name = self._names.get(parts)
        if name is None:
            if self._base is None:
                self._base = display_path(self.root)
            name = os.path.join(self._base, *parts) if self._base != "." else os.path.join(*parts)
            self._names[parts] = name
        return name

    def cycle(self, ref: str) -> LoadedCycle:
        """Find a cycle by id (`3f9a`, the file stem, or a unique prefix of either) or
        number (`3`, `#3`). An id always wins over a number (`#3` is always a number).
        A number that could name more than one cycle (see `number_candidates`) is
        refused rather than guessed."""
        ref = ref.strip()
        if not ref.startswith("#"):
            exact = [c for c in self.cycles if ref in (c.id, c.short_id)]
            if len(exact) == 1:
                return exact[0]
            if exact:
                raise QiError(
                    f"cycle id '{ref}' is shared by {len(exact)} cycles",
                    hint="give the file name instead: " + ", ".join(c.id for c in exact),
                )
        numbered = ref.startswith("#")
        ref = ref.lstrip("#")
        if ref.isdigit():
            candidates = number_candidates(self.cycles, int(ref))
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                could_be = "; ".join(
                    f"{c.short_id} (now #{c.number}"
                    + (f", planned as #{c.cycle.planned_as}" if c.cycle.planned_as else "")
                    + f", {', '.join(c.cycle.changes)})"
                    for c in candidates
                )
                raise QiError(
                    f"cycle #{ref} could be more than one cycle: {could_be}",
                    hint="numbers move when cycles are planned on two branches or back-dated; "
                    f"give the id, e.g. {candidates[0].short_id} (see `qi cycle list`)",
                )
        matches = [
            c
            for c in self.cycles
            if ref and not numbered and (c.id.startswith(ref) or c.short_id.startswith(ref))
        ]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(c.label for c in self.cycles) or "none yet"
        if matches:
            raise QiError(
                f"cycle '{ref}' is ambiguous",
                hint="matches: " + ", ".join(c.label for c in matches),
            )
        raise QiError(f"no cycle '{ref}' in {self.title}", hint=f"known cycles: {known}")

    def document_of(self, c: LoadedCycle) -> YamlDocument | None:
        """A cycle's file as read, with the position of every value."""
        return self.documents.get(self.display(CYCLES_DIR, c.path.name))

    def cycles_of(self, change_id: str) -> list[LoadedCycle]:
        """The cycles that test a change idea, alone or together with others."""
        return [c for c in self.cycles if change_id in c.cycle.changes]


def shown_number(c: LoadedCycle, cycles: list[LoadedCycle]) -> int | None:
    """The number a cycle was shown with when it was planned: `planned_as` if the file
    has it, else (older files) its place among the cycles created no later than it."""
    if c.cycle.planned_as is not None:
        return c.cycle.planned_as
    created = c.cycle.created
    if created is None:
        return None
    earlier = [
        d
        for d in cycles
        if d.number < c.number and (d.cycle.created is None or d.cycle.created <= created)
    ]
    return len(earlier) + 1


def number_candidates(cycles: list[LoadedCycle], number: int) -> list[LoadedCycle]:
    """Every cycle a number could mean: the one numbered so now, and any that was shown
    with that number when planned (before a back-dated plan or a merge moved it)."""
    return [c for c in cycles if c.number == number or shown_number(c, cycles) == number]


def number_cycles(cycles: list[LoadedCycle]) -> list[LoadedCycle]:
    """Cycle numbers are derived when read, never stored, so two branches never clash.

    Cycles are ordered by their date (done, else planned, else created), then by
    the ramp (a cycle comes after the one it follows), then by id.
    """
    far = dt.date.max
    ordered = sorted(cycles, key=lambda c: (c.cycle.date or far, c.id))
    # a cycle that follows another is never numbered before it, whatever its dates say
    by_id = {c.id: c for c in ordered}
    placed: list[LoadedCycle] = []
    seen: set[str] = set()

    def place(c: LoadedCycle, trail: frozenset[str]) -> None:
        if c.id in seen:
            return
        parent = by_id.get(c.cycle.follows or "")
        if parent is not None and parent.id not in trail:
            place(parent, trail | {c.id})
        if c.id not in seen:
            seen.add(c.id)
            placed.append(c)

    for c in ordered:
        place(c, frozenset({c.id}))
    return [
        LoadedCycle(id=c.id, path=c.path, cycle=c.cycle, number=n)
        for n, c in enumerate(placed, start=1)
    ]
