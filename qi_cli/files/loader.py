"""The project folder on disk: the only module that reads qi's files.

`load_project` reads every file of a project, checks each against its pydantic model
and returns what it could read plus every problem found, each with `path:line:column`.
It never stops at the first problem: `qi validate` reports them all in one run.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import errno
import functools
import io
import itertools
import math
import operator
import os
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from qi_cli.dates import parse_iso_date
from qi_cli.errors import Issue, QiError
from qi_cli.files.disk import display_path
from qi_cli.files.yaml_read import YamlDocument, load_yaml, read_text
from qi_cli.model import Cycle, DriverDiagram, Measure, Project, is_valid_id

PROJECT_FILE = "project.yaml"
DRIVERS_FILE = "drivers.yaml"
MEASURES_DIR = "measures"
CYCLES_DIR = "cycles"
CSV_COLUMNS = ("date", "value", "denominator", "note", "exclude")
MAX_CSV_BYTES = 20 * 1024 * 1024
NON_NEGATIVE = ("proportion", "rate", "count", "time_between", "cases_between")
"""Data types whose values cannot be below zero."""


class DataRow(NamedTuple):
    """One row of a measure's CSV file (a named tuple: there are many, and it is cheap)."""

    date: dt.date
    value: float | None
    denominator: float | None = None
    note: str | None = None
    exclude: str | None = None
    line: int = 0


_new_row = functools.partial(tuple.__new__, DataRow)
"""`DataRow(*fields)` made in C, for the column-at-a-time reader (hundreds of rows a file)."""


@dataclass(frozen=True)
class LoadedCycle:
    id: str
    path: Path
    cycle: Cycle
    number: int = 0


@dataclass
class LoadedProject:
    """Everything read from one project folder, and every problem found on the way."""

    root: Path
    project: Project | None = None
    drivers: DriverDiagram | None = None
    measures: dict[str, Measure] = field(default_factory=dict)
    data: dict[str, list[DataRow]] = field(default_factory=dict)
    cycles: list[LoadedCycle] = field(default_factory=list)
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
        """Find a cycle by number (`3` or `#3`), id, or unique id prefix."""
        ref = ref.strip().lstrip("#")
        if ref.isdigit():
            for loaded in self.cycles:
                if loaded.number == int(ref):
                    return loaded
        matches = [c for c in self.cycles if c.id == ref] or [
            c for c in self.cycles if c.id.startswith(ref)
        ]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(f"#{c.number} {c.id}" for c in self.cycles) or "none yet"
        if matches:
            raise QiError(f"cycle '{ref}' is ambiguous", hint=f"matches: {known}")
        raise QiError(f"no cycle '{ref}' in {self.title}", hint=f"known cycles: {known}")

    def cycles_of(self, change_id: str) -> list[LoadedCycle]:
        return [c for c in self.cycles if c.cycle.change == change_id]


def _where(folder: Path) -> str:
    shown = display_path(folder)
    return f"this folder ({folder.resolve()})" if shown == "." else shown


def find_project_root(start: Path) -> Path:
    """The project folder holding `start`: it, or the nearest parent with project.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise QiError(
        f"{_where(start)}: not inside a qi project (no {PROJECT_FILE} here or above)",
        hint="cd into a project folder, pass --project PATH, or create one with `qi project new`",
    )


def find_projects(root: Path) -> list[Path]:
    """Every project folder under `root` (a repository can hold a whole portfolio)."""
    if not root.exists():
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
        doc = load_yaml(path, display)
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
    drivers_path = root / DRIVERS_FILE
    if drivers_path.exists():
        loaded.drivers = _read_model(loaded, drivers_path, DriverDiagram, DRIVERS_FILE)
    _load_measures(loaded)
    _load_cycles(loaded)
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
                found.append(Found(path, name, stem, suffix))
            elif is_dir:
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        "is a folder, expected a file",
                        hint="remove or rename the folder",
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


def _load_measures(loaded: LoadedProject) -> None:
    folder = loaded.root / MEASURES_DIR
    if not folder.is_dir():
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
            rows, issues = read_data(path, loaded.measures.get(stem), display)
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
        return
    cycles: list[LoadedCycle] = []
    for path, name, stem, _ in _files(loaded, folder, (".yaml",)):
        loaded.cycle_files.add(stem)
        if not _valid_id(stem, loaded, CYCLES_DIR, name):
            continue
        cycle = _read_model(loaded, path, Cycle, CYCLES_DIR, name)
        if cycle is not None:
            cycles.append(LoadedCycle(stem, path, cycle))
    loaded.cycles = number_cycles(cycles)


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
    return [LoadedCycle(c.id, c.path, c.cycle, n) for n, c in enumerate(placed, start=1)]


_UNSORTED_HINT = "sort the rows by date; qi data add keeps them sorted (qi explain Q301)"
# Larger values are typing slips: doubles stop counting in whole numbers above 2**53,
# and the sums behind the limits of values near 1e308 overflow to infinity.
MAX_VALUE = 1e15
_TOO_LARGE_HINT = "qi reads numbers up to 10^15: check for a typing slip"


def _parse_number(text: str) -> float:
    value = float(text.replace(",", "") if text.count(",") and "." in text else text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(text)
    return value


def read_data(
    path: Path, measure: Measure | None, display: str | None = None
) -> tuple[list[DataRow], list[Issue]]:
    """Read a measure's CSV; bad rows become issues with their line and column."""
    display = display or display_path(path)
    text = read_text(path, display, max_bytes=MAX_CSV_BYTES)
    return parse_data(text, display, measure)


def parse_data(
    text: str, display: str, measure: Measure | None
) -> tuple[list[DataRow], list[Issue]]:
    issues: list[Issue] = []
    rows: list[DataRow] = []
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [
            Issue(
                display,
                "file is empty",
                line=1,
                column=1,
                hint="the first line must be: date,value",
            )
        ]
    except csv.Error as exc:
        return [], [Issue(display, f"CSV error: {exc}", line=1, column=1)]
    header = [h.strip().lower() for h in header]
    for i, name in enumerate(header):
        if name not in CSV_COLUMNS:
            close = difflib.get_close_matches(name, CSV_COLUMNS, n=1)
            issues.append(
                Issue(
                    display,
                    f"unknown column '{name}'",
                    line=1,
                    column=_column(lines, 1, i),
                    hint=f"did you mean '{close[0]}'?"
                    if close
                    else f"columns are: {', '.join(CSV_COLUMNS)}",
                )
            )
    for required in ("date", "value"):
        if required not in header:
            issues.append(
                Issue(
                    display,
                    f"missing column '{required}'",
                    line=1,
                    column=1,
                    hint="the first line must name the columns, e.g. date,value,denominator,note",
                )
            )
    if "date" not in header or "value" not in header:
        return [], issues
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    needs_den = measure is not None and measure.needs_denominator
    if needs_den and "denominator" not in index:
        issues.append(
            Issue(
                display,
                "missing column 'denominator'",
                line=1,
                column=1,
                hint="a proportion or rate needs the denominator of each value",
            )
        )
    seen: dict[dt.date, int] = {}
    previous: dt.date | None = None
    unsorted_reported = False
    width = len(header)
    i_date, i_value = index["date"], index["value"]
    i_den, i_note, i_excl = (index.get(k, -1) for k in ("denominator", "note", "exclude"))
    data_type = measure.data_type if measure is not None else None
    subgroups = data_type == "subgroups"
    non_negative = data_type in NON_NEGATIVE
    if not issues:
        fast = _clean_rows(text, width, index, data_type, needs_den)
        if fast is not None:
            return fast, issues
    to_date = parse_iso_date

    def bad(line: int, field: int, message: str, hint: str) -> None:
        issues.append(
            Issue(display, message, line=line, column=_column(lines, line, field), hint=hint)
        )

    try:
        for cells in reader:
            line = reader.line_num
            if len(cells) != width:
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > width:
                    issues.append(
                        Issue(
                            display,
                            f"{len(cells)} cells but the header names {width} columns",
                            line=line,
                            column=1,
                            hint="a value with a comma in it needs double quotes",
                        )
                    )
                    continue
                cells = cells + [""] * (width - len(cells))
            raw_date = cells[i_date].strip()
            raw_value = cells[i_value].strip()
            raw_den = cells[i_den].strip() if i_den >= 0 else ""
            if not raw_date and not raw_value and not raw_den and not any(c.strip() for c in cells):
                continue
            try:
                date = to_date(raw_date)
            except ValueError:
                bad(
                    line,
                    i_date,
                    f"'{raw_date}' is not a date",
                    "write dates as YYYY-MM-DD, e.g. 2025-03-04",
                )
                continue
            value: float | None = None
            if raw_value:
                try:
                    value = _parse_number(raw_value)
                except ValueError:
                    bad(
                        line,
                        i_value,
                        f"value '{raw_value}' is not a number",
                        "write a number such as 12 or 4.5; leave it empty if missing",
                    )
                    continue
                if abs(value) > MAX_VALUE:
                    bad(line, i_value, f"value {raw_value} is too large", _TOO_LARGE_HINT)
                    continue
            denominator: float | None = None
            if raw_den:
                try:
                    denominator = _parse_number(raw_den)
                except ValueError:
                    bad(
                        line,
                        i_den,
                        f"denominator '{raw_den}' is not a number",
                        "write a whole number of cases",
                    )
                    continue
                if denominator > MAX_VALUE:
                    bad(line, i_den, f"denominator {raw_den} is too large", _TOO_LARGE_HINT)
                    continue
                if denominator <= 0:
                    bad(
                        line,
                        i_den,
                        f"denominator {raw_den} must be above zero",
                        "a period with no cases has no value: leave the row out",
                    )
                    continue
            if value is not None:
                if needs_den and denominator is None:
                    bad(
                        line,
                        i_value,
                        "value without a denominator",
                        "give the number of cases (or exposure) in the denominator column",
                    )
                    continue
                if data_type == "proportion" and denominator is not None and value > denominator:
                    bad(
                        line,
                        i_value,
                        f"numerator {raw_value} is larger than denominator {raw_den}",
                        "a proportion counts cases out of the denominator: check both numbers",
                    )
                    continue
                if value < 0 and non_negative:
                    bad(
                        line,
                        i_value,
                        f"value {raw_value} is negative",
                        f"a {data_type} cannot be below zero",
                    )
                    continue
            if date in seen and not subgroups:
                bad(
                    line,
                    i_date,
                    f"second value for {date} (first on line {seen[date]})",
                    "keep one row per date; `qi data add --replace` replaces a value",
                )
                continue
            seen.setdefault(date, line)
            if previous is not None and date < previous and not unsorted_reported:
                unsorted_reported = True
                issues.append(
                    Issue(
                        display,
                        f"rows are not in date order ({date} after {previous})",
                        line=line,
                        column=1,
                        severity="warning",
                        code="Q301",
                        hint=_UNSORTED_HINT,
                    )
                )
            previous = date
            note = cells[i_note].strip() if i_note >= 0 else ""
            excl = cells[i_excl].strip() if i_excl >= 0 else ""
            rows.append(DataRow(date, value, denominator, note or None, excl or None, line))
    except csv.Error as exc:
        issues.append(
            Issue(
                display,
                f"CSV error: {exc}",
                line=reader.line_num,
                column=1,
                hint="check the quoting on this line",
            )
        )
    rows.sort(key=lambda r: r.date)
    return rows, issues


def _clean_rows(
    text: str, width: int, index: dict[str, int], data_type: str | None, needs_den: bool
) -> list[DataRow] | None:
    """The rows of a CSV file with nothing to report, read a column at a time; None
    when any row needs a closer look (quotes, blank or missing cells, a bad date or
    number, a rule broken, rows out of order), which `parse_data` then reads row by row.

    The common file (hundreds of clean rows written by `qi data add`) is read here
    with C-level builtins, several times faster than the row loop.
    """
    if '"' in text or "\x00" in text or "\r" in text.replace("\r\n", "\n"):
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    body = lines[1:-1] if lines[-1] == "" else lines[1:]
    if not body:
        return None
    table = list(map(str.split, body, itertools.repeat(",")))
    if set(map(len, table)) != {width}:
        return None
    columns = list(zip(*table, strict=True))
    dates = _dates(columns[index["date"]])
    if dates is None:
        return None  # 20260112, a blank or any other form: the row loop explains
    try:
        values = list(map(float, columns[index["value"]]))
        dens: list[float | None] = (
            list(map(float, columns[index["denominator"]]))
            if "denominator" in index
            else [None] * len(body)
        )
    except ValueError:
        return None  # an empty, text or thousands-separated cell: the row loop explains
    if not all(map(math.isfinite, values)) or max(map(abs, values)) > MAX_VALUE:
        return None
    if "denominator" in index:
        real = typing.cast(list[float], dens)
        if not all(map(math.isfinite, real)) or min(real) <= 0 or max(real) > MAX_VALUE:
            return None
        if data_type == "proportion" and not all(map(operator.le, values, real)):
            return None
    elif needs_den:
        return None
    if data_type in NON_NEGATIVE and min(values) < 0:
        return None
    if not all(map(operator.lt if data_type != "subgroups" else operator.le, dates, dates[1:])):
        return None  # repeated or unsorted dates
    notes = _text_column(columns, index.get("note"), len(body))
    excludes = _text_column(columns, index.get("exclude"), len(body))
    numbers = range(2, len(body) + 2)
    return list(map(_new_row, zip(dates, values, dens, notes, excludes, numbers, strict=True)))


_KNOWN_DATES: dict[str, dt.date] = {}
"""Date cells already read, by their text: a portfolio's files share their dates."""


def _dates(cells: tuple[str, ...]) -> list[dt.date] | None:
    """The dates of a CSV column, or None if any cell is not exactly a YYYY-MM-DD date
    (padded with spaces, 20260112, ...: the row loop reads or explains those)."""
    dates = list(map(_KNOWN_DATES.get, cells))
    if None not in dates:
        return typing.cast(list[dt.date], dates)
    if len(_KNOWN_DATES) > 100_000:
        _KNOWN_DATES.clear()
    for i, cell in enumerate(cells):
        if dates[i] is None:
            try:
                dates[i] = _KNOWN_DATES[cell] = parse_iso_date(cell)
            except ValueError:
                return None
    return typing.cast(list[dt.date], dates)


def _text_column(columns: list[tuple[str, ...]], i: int | None, n: int) -> list[str | None]:
    if i is None:
        return [None] * n
    return [cell.strip() or None for cell in columns[i]]


def _column(lines: list[str], line: int, field_index: int) -> int:
    """1-based character column of a CSV field (exact for unquoted rows)."""
    if line - 1 >= len(lines):
        return 1
    raw = lines[line - 1]
    if '"' in raw:
        return 1
    parts = raw.split(",")
    return sum(len(p) + 1 for p in parts[:field_index]) + 1


# --- mapping pydantic errors back to the file -------------------------------------

_HINTS = {
    "missing": "add this key; see docs/format.md for an example",
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "date_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "date_type": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "bool_type": "write true or false (qi does not read yes/no/on/off as true/false)",
    "bool_parsing": "write true or false (qi does not read yes/no/on/off as true/false)",
    "float_parsing": "write a number, e.g. 4.5",
    "float_type": "write a number, e.g. 4.5",
    "int_parsing": "write a whole number, e.g. 12",
    "int_type": "write a whole number, e.g. 12",
    "string_type": "write text here (a list, a mapping or true/false is not allowed)",
    "date_from_datetime_inexact": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "date_future": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "list_type": "write a list: one `- item` per line",
    "dict_type": "write a mapping of `key: value` lines",
    "model_type": "write a mapping of `key: value` lines",
    "string_pattern_mismatch": "ids use lower-case letters, digits and hyphens, e.g. physio-review",
}


def _unwrap(annotation: Any) -> Any:
    """`X` from `X | None` and `Annotated[X, ...]`; other unions stay as they are."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `loc`, to list its keys.

    >>> from qi_cli.model import Cycle
    >>> model_at(Cycle, ("study", "answers", 0)).__name__, model_at(Cycle, ("change",))
    ('Answer', None)
    """
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) and origin is list:
            current = typing.get_args(current)[0]
        elif isinstance(part, str) and origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return None
            current = info.annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_issues(
    exc: ValidationError, doc: YamlDocument, model: type[BaseModel]
) -> Iterator[Issue]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        hint = _HINTS.get(kind)
        if kind == "extra_forbidden":
            key = str(loc[-1])
            parent = model_at(model, loc[:-1])
            allowed = list(parent.model_fields) if parent else []
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"allowed keys: {', '.join(allowed)}" if allowed else None)
            )
            pos = doc.locate_key(loc)
            yield Issue(
                doc.path,
                f"unknown key '{key}'",
                line=pos.line if pos else None,
                column=pos.column if pos else None,
                hint=hint,
            )
            continue
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if kind == "missing":
            message = f"missing required key '{loc[-1]}'"
            loc_text = _dotted(loc[:-1])
            yield doc.issue(loc, f"{loc_text}: {message}" if loc_text else message, hint=hint)
            continue
        elif kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            hint = f"choose one of: {expected}"
            message = f"'{error['input']}' is not allowed here"
        elif kind == "string_pattern_mismatch":
            message = f"'{error['input']}' is not a valid id"
        elif kind == "bool_type" and isinstance(error.get("input"), str):
            message = f"'{error['input']}' is not true or false"
        where = _dotted(loc)
        yield doc.issue(loc, f"{where}: {message}" if where else message, hint=hint)
