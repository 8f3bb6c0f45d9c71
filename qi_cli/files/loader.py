"""The project folder on disk: where a project's files are read and checked.

`load_project` reads every file of a project (YAML through `yaml_read`, measure data
through `csv_file`), checks each YAML file against its pydantic model (`model_errors`
turns a refusal into issues at `path:line:column`) and returns what it could read plus
every problem found. It never stops at the first problem: `qi validate` reports them
all in one run. `find_project_root` and `find_projects` find project folders, and
`number_cycles` gives cycles their numbers.
"""

from __future__ import annotations

import datetime as dt
import errno
import operator
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from qi_cli.errors import Issue, QiError
from qi_cli.event_model import EventLog
from qi_cli.files.csv_file import DataRow, read_data
from qi_cli.files.disk import display_path, refuse_link_outside, resolve_path
from qi_cli.files.layout import CYCLES_DIR as CYCLES_DIR
from qi_cli.files.layout import DRIVERS_FILE as DRIVERS_FILE
from qi_cli.files.layout import EVENTS_FILE as EVENTS_FILE
from qi_cli.files.layout import FISHBONE_FILE as FISHBONE_FILE
from qi_cli.files.layout import MEASURES_DIR as MEASURES_DIR
from qi_cli.files.layout import PARETO_DIR as PARETO_DIR
from qi_cli.files.layout import PROCESS_FILE as PROCESS_FILE
from qi_cli.files.layout import PROJECT_FILE as PROJECT_FILE
from qi_cli.files.layout import STAKEHOLDERS_FILE as STAKEHOLDERS_FILE
from qi_cli.files.model_errors import validation_issues
from qi_cli.files.pareto_csv import ParetoData, read_pareto
from qi_cli.files.yaml_read import YamlDocument, load_yaml
from qi_cli.fishbone_model import Fishbone
from qi_cli.model import Cycle, DriverDiagram, Measure, Project, is_valid_id
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
    data: dict[str, list[DataRow]] = field(default_factory=dict)
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
            c for c in self.cycles if ref and (c.id.startswith(ref) or c.short_id.startswith(ref))
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


def _where(folder: Path) -> str:
    shown = display_path(folder)
    return f"this folder ({folder.resolve()})" if shown == "." else shown


def find_project_root(start: Path) -> Path:
    """The project folder holding `start`: it, or the nearest parent with project.yaml."""
    start = resolve_path(start)
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise QiError(
        f"{_where(start)}: not inside a qi project (no {PROJECT_FILE} here or above)",
        hint="cd into a project folder, pass --project PATH, or create one with `qi project new`",
    )


def find_projects(root: Path) -> list[Path]:
    """Every project folder under `root` (a repository can hold a whole portfolio)."""
    if not resolve_path(root).exists():
        raise QiError(f"{display_path(root)}: no such folder", hint="check the path")
    if (root / PROJECT_FILE).is_file():
        return [root]
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        if PROJECT_FILE in files:
            found.append(Path(folder))
            dirs[:] = []
    return found


def _issue_from_error(exc: QiError) -> Issue:
    return Issue(
        exc.path or "?",
        exc.message.split(": ", 1)[1]
        if exc.path and exc.message.startswith(exc.path)
        else exc.message,
        line=exc.line,
        column=exc.column,
        hint=exc.hint,
    )


M = typing.TypeVar("M", bound=BaseModel)


def _read_model(loaded: LoadedProject, path: Path, model: type[M], *parts: str) -> M | None:
    """Read, check and return one YAML file of the project at `loaded.root / *parts`."""
    display = loaded.display(*parts)
    try:
        doc = load_yaml(path, display, root=loaded.root)
    except QiError as exc:
        loaded.issues.append(_issue_from_error(exc))
        return None
    loaded.documents[display] = doc
    if doc.data is None:
        loaded.issues.append(
            Issue(
                display,
                "file is empty",
                line=1,
                column=1,
                hint=f"see `qi schema` or docs/format.md for what a {path.name} holds",
            )
        )
        return None
    if not isinstance(doc.data, dict):
        loaded.issues.append(
            doc.issue((), "expected a mapping of `key: value` lines", hint="see docs/format.md")
        )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        loaded.issues.extend(validation_issues(exc, doc, model))
        return None


def load_project(root: Path) -> LoadedProject:
    """Read every file of the project at `root`; problems go to `.issues`, never raised."""
    loaded = LoadedProject(root=root)
    project_path = root / PROJECT_FILE
    if not project_path.exists():
        loaded.issues.append(
            Issue(
                display_path(project_path),
                "missing project file",
                hint="create it with `qi project new`",
            )
        )
    else:
        loaded.project = _read_model(loaded, project_path, Project, PROJECT_FILE)
    if (root / FISHBONE_FILE).exists():
        loaded.fishbone = _read_model(loaded, root / FISHBONE_FILE, Fishbone, FISHBONE_FILE)
    drivers_path = root / DRIVERS_FILE
    if drivers_path.exists():
        loaded.drivers = _read_model(loaded, drivers_path, DriverDiagram, DRIVERS_FILE)
    if (root / PROCESS_FILE).exists():
        loaded.process = _read_model(loaded, root / PROCESS_FILE, ProcessMap, PROCESS_FILE)
    if (root / EVENTS_FILE).exists():
        loaded.events = _read_model(loaded, root / EVENTS_FILE, EventLog, EVENTS_FILE)
    if (root / STAKEHOLDERS_FILE).exists():
        loaded.stakeholders = _read_model(
            loaded, root / STAKEHOLDERS_FILE, StakeholderAnalysis, STAKEHOLDERS_FILE
        )
    _load_measures(loaded)
    _load_cycles(loaded)
    _load_pareto(loaded)
    return loaded


class Found(NamedTuple):
    """A file qi reads in one of a project's folders."""

    path: Path
    name: str
    stem: str
    suffix: str


def _files(loaded: LoadedProject, folder: Path, suffixes: tuple[str, ...]) -> list[Found]:
    """The files qi reads in a folder, in name order; hidden files (editor backups,
    macOS `._` files) are skipped, and a `.yml` file is reported, not silently ignored.

    Read with os.scandir and string operations: a portfolio lists thousands of files,
    and the directory entry already says which are files without one stat each."""
    found = []
    for entry in sorted(os.scandir(folder), key=operator.attrgetter("name")):
        name = entry.name
        if name.startswith(".") or name.endswith("~"):
            continue
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix if stem else ""  # as Path.suffix: ".bashrc" has none
        stem = stem if stem else name
        if suffix == ".yml":
            loaded.issues.append(
                Issue(
                    loaded.display(folder.name, name),
                    "qi reads .yaml files; this .yml file is ignored",
                    hint=f"rename it to {stem}.yaml",
                )
            )
        elif suffix in suffixes:
            path = folder / name
            problem = "cannot read: a broken link or a link loop"
            try:
                is_file, is_dir = entry.is_file(), entry.is_dir()
            except OSError as exc:  # a link loop, or a link to a folder we may not read
                is_file = is_dir = False
                if exc.errno != errno.ELOOP:
                    problem = f"cannot read: {exc.strerror or exc}"
            if is_file:
                found.append(Found(path=path, name=name, stem=stem, suffix=suffix))
            elif is_dir:
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        "is a folder, expected a file",
                        hint="remove or rename the folder",
                    )
                )
            elif os.path.exists(path):  # a device (/dev/zero), a pipe or a socket
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        "cannot read: not a regular file (a device, a pipe or a socket)",
                        hint="replace it with the measure's CSV or YAML file",
                    )
                )
            else:
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        problem,
                        hint="point the link at a real file, or remove it",
                    )
                )
    return found


def _inside(loaded: LoadedProject, folder: Path) -> bool:
    """Whether a folder of the project may be read: not a link that leads outside it
    (the names of another folder's files would be listed as the project's)."""
    try:
        refuse_link_outside(folder, loaded.root)
    except QiError as exc:
        loaded.issues.append(_issue_from_error(exc))
        return False
    return True


def _not_a_folder(loaded: LoadedProject, folder: Path) -> None:
    """A data folder that is a file: say so (the project's files in it cannot be read)."""
    if folder.exists() or folder.is_symlink():
        loaded.issues.append(
            Issue(
                folder.name,
                f"'{folder.name}' is a file, not a folder",
                hint=f"move the file away and make a folder {folder.name}/",
            )
        )


def _load_measures(loaded: LoadedProject) -> None:
    folder = loaded.root / MEASURES_DIR
    if not folder.is_dir():
        _not_a_folder(loaded, folder)
        return
    if not _inside(loaded, folder):
        return
    files = _files(loaded, folder, (".yaml", ".csv"))
    for path, name, stem, suffix in files:
        if suffix == ".yaml":
            loaded.measure_files.add(stem)
            if _valid_id(stem, loaded, MEASURES_DIR, name):
                measure = _read_model(loaded, path, Measure, MEASURES_DIR, name)
                if measure is not None:
                    loaded.measures[stem] = measure
    for path, name, stem, suffix in files:
        if suffix != ".csv":
            continue
        display = loaded.display(MEASURES_DIR, name)
        if stem not in loaded.measure_files:
            loaded.issues.append(
                Issue(
                    display,
                    f"data file for unknown measure '{stem}'",
                    line=1,
                    column=1,
                    hint=f"add measures/{stem}.yaml (`qi measure add`) or rename the file",
                )
            )
            continue
        try:
            rows, issues = read_data(path, loaded.measures.get(stem), display, root=loaded.root)
        except QiError as exc:
            loaded.issues.append(_issue_from_error(exc))
            continue
        loaded.issues.extend(issues)
        loaded.data[stem] = rows


def _valid_id(stem: str, loaded: LoadedProject, folder: str, name: str) -> bool:
    if is_valid_id(stem):
        return True
    loaded.issues.append(
        Issue(
            loaded.display(folder, name),
            f"file name '{name}' is not a valid id",
            hint="rename the file: ids use lower-case letters, digits and hyphens "
            "(at most 64), e.g. time-to-physio.yaml",
        )
    )
    return False


def _load_cycles(loaded: LoadedProject) -> None:
    folder = loaded.root / CYCLES_DIR
    if not folder.is_dir():
        _not_a_folder(loaded, folder)
        return
    if not _inside(loaded, folder):
        return
    cycles: list[LoadedCycle] = []
    for path, name, stem, _ in _files(loaded, folder, (".yaml",)):
        loaded.cycle_files.add(stem)
        if not _valid_id(stem, loaded, CYCLES_DIR, name):
            continue
        cycle = _read_model(loaded, path, Cycle, CYCLES_DIR, name)
        if cycle is not None:
            cycles.append(LoadedCycle(id=stem, path=path, cycle=cycle))
    loaded.cycles = number_cycles(cycles)


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


def _load_pareto(loaded: LoadedProject) -> None:
    """`pareto/ID.csv` (the data) and `pareto/ID.yaml` (its title, optional)."""
    folder = loaded.root / PARETO_DIR
    if not folder.is_dir() or not _inside(loaded, folder):
        return
    files = _files(loaded, folder, (".yaml", ".csv"))
    charts: dict[str, ParetoChart | None] = {}
    for path, name, stem, suffix in files:
        if suffix == ".yaml" and _valid_id(stem, loaded, PARETO_DIR, name):
            charts[stem] = _read_model(loaded, path, ParetoChart, PARETO_DIR, name)
            if not (folder / f"{stem}.csv").exists():
                loaded.issues.append(
                    Issue(
                        loaded.display(PARETO_DIR, name),
                        f"no data file {PARETO_DIR}/{stem}.csv for this chart",
                        hint=f"add {PARETO_DIR}/{stem}.csv with a `category` column",
                    )
                )
    for path, name, stem, suffix in files:
        if suffix != ".csv" or not _valid_id(stem, loaded, PARETO_DIR, name):
            continue
        display = loaded.display(PARETO_DIR, name)
        try:
            data = read_pareto(path, display, root=loaded.root)
        except QiError as exc:
            loaded.issues.append(_issue_from_error(exc))
            continue
        loaded.issues.extend(data.issues)
        loaded.pareto[stem] = LoadedPareto(id=stem, path=path, data=data, chart=charts.get(stem))
