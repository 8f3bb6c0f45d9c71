"""A measure's data: add a value, replace one, list and remove rows, import a spreadsheet
export.

The rules of the feature live here; the file format (reading, checking and writing the
CSV) lives in `qi_cli.files.csv_file`. For a file a person will diff:

* rows stay in date order: a new row goes after the last row dated on or before it;
* lines that do not change are written back byte for byte; new cells are written
  canonically (numbers without a trailing ``.0``, columns in the order
  ``date,value,denominator,note,exclude`` and only those in use);
* every write is atomic (`write_atomic`) and happens under `project_lock` with the file
  read again inside the lock, so parallel `qi data add` never lose a row.

Every refusal of a value (not a number, a proportion above its denominator, a zero
denominator, ...) comes from `csv_file.parse_data`, the same reader `qi validate`
uses, so what `qi data add` accepts is exactly what the loader accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from qi_cli.dates import parse_spreadsheet_date
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.csv_file import (
    CSV_COLUMNS,
    CsvSyntaxError,
    DataRow,
    Record,
    Table,
    format_csv,
    format_number,
    parse_data,
    read_records,
    read_table,
)
from qi_cli.files.disk import MAX_CSV_BYTES, display_path, project_lock, read_text, write_atomic
from qi_cli.files.layout import MEASURES_DIR
from qi_cli.files.loader import LoadedProject
from qi_cli.model import Measure


@dataclass(frozen=True)
class Entry:
    """One value to write: a CSV row before it is placed in the file."""

    date: dt.date
    value: float | None
    denominator: float | None = None
    note: str | None = None
    exclude: str | None = None

    def cells(self) -> dict[str, str]:
        out = {"date": self.date.isoformat()}
        out["value"] = "" if self.value is None else format_number(self.value)
        if self.denominator is not None:
            out["denominator"] = format_number(self.denominator)
        if self.note:
            out["note"] = self.note
        if self.exclude:
            out["exclude"] = self.exclude
        return out

    def same_value(self, row: DataRow) -> bool:
        return self.value == row.value and self.denominator == row.denominator

    def describe(self) -> str:
        text = "empty" if self.value is None else format_number(self.value)
        if self.denominator is not None:
            text += f" of {format_number(self.denominator)}"
        return text


def describe_row(row: DataRow) -> str:
    return Entry(date=row.date, value=row.value, denominator=row.denominator).describe()


def parse_entry(
    measure: Measure,
    date: str,
    value: str,
    denominator: str | None = None,
    note: str | None = None,
    exclude: str | None = None,
) -> Entry:
    """Check one value as the CSV reader would; raise QiError with the reason if refused."""
    for name, text in (("note", note), ("exclude", exclude)):
        if text is not None and any(ord(ch) < 32 for ch in text):
            raise UsageError(f"the {name} must be one line of text", hint="leave out line breaks")
    cells = {"date": date.strip(), "value": value.strip()}
    if denominator is not None:
        cells["denominator"] = denominator.strip()
    if note:
        cells["note"] = note.strip()
    if exclude:
        cells["exclude"] = exclude.strip()
    if not cells["value"]:
        raise QiError("the value is empty", hint="give a number, e.g. 12 or 4.5")
    header = [c for c in CSV_COLUMNS if c in cells]
    text = format_csv(header, [[cells[c] for c in header]])
    rows, issues = parse_data(text, "value", measure)
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        issue = errors[0]
        message = issue.message
        if message == "missing column 'denominator'" or message == "value without a denominator":
            message = f"a {measure.data_type} needs a denominator"
            return _raise(message, "add --denominator N (the number of cases or the exposure)")
        return _raise(message, issue.hint)
    row = rows[0]
    return Entry(
        date=row.date,
        value=row.value,
        denominator=row.denominator,
        note=row.note,
        exclude=row.exclude,
    )


def _raise(message: str, hint: str | None) -> Entry:
    raise QiError(f"refused: {message}", hint=hint)


def data_path(root: Path, measure_id: str) -> Path:
    return root / MEASURES_DIR / f"{measure_id}.csv"


def _new_table(measure: Measure) -> Table:
    header = ["date", "value"] + (["denominator"] if measure.needs_denominator else [])
    return Table(header=header)


def _load_table(path: Path, measure: Measure) -> Table:
    if not path.exists():
        return _new_table(measure)
    text = read_text(path, display_path(path), max_bytes=MAX_CSV_BYTES)
    table = read_table(text)
    if "date" not in table.header or "value" not in table.header:
        raise QiError(
            f"{display_path(path)}: the first line must name the columns date and value",
            hint="fix the header (`qi validate` shows the problem)",
            path=display_path(path),
            line=1,
        )
    return table


@dataclass(frozen=True)
class AddResult:
    """What `add_value` did: the path, the line written and the value it replaced."""

    path: Path
    entry: Entry
    line: int
    replaced: tuple[str, ...] = ()


def add_value(
    root: Path, measure_id: str, measure: Measure, entry: Entry, *, replace_existing: bool = False
) -> AddResult:
    """Add one value to a measure's CSV in date order; refuse a second value for a date.

    Subgroup measures take several values per date: a value is added beside the others,
    and ``replace_existing`` replaces all of that date's values with this one.
    """
    path = data_path(root, measure_id)
    subgroups = measure.data_type == "subgroups"
    with project_lock(root):
        table = _load_table(path, measure)
        same = [r for r in table.records if r.date == entry.date]
        replaced: tuple[str, ...] = ()
        if same and not subgroups and not replace_existing:
            position = table.records.index(same[0])
            display = display_path(path)
            raise QiError(
                f"{display}: already has a value for {entry.date}: {_cells_text(table, same[0])}",
                hint="add --replace to replace it",
                path=display,
                line=table.line_of(position),
            )
        if same and replace_existing:
            replaced = tuple(_cells_text(table, r) for r in same)
            if not subgroups and not entry.note:
                entry = replace(entry, note=table.cell(same[0], "note") or None)
            if not entry.exclude:
                entry = replace(entry, exclude=table.cell(same[0], "exclude") or None)
            for r in same:
                table.records.remove(r)
        record = table.new_record(entry.date, entry.cells())
        position = table.insert(record)
        write_atomic(path, table.text())
    return AddResult(path=path, entry=entry, line=table.line_of(position), replaced=replaced)


def _cells_text(table: Table, record: Record) -> str:
    value = table.cell(record, "value") or "empty"
    denominator = table.cell(record, "denominator")
    return f"{value} of {denominator}" if denominator else value


# --- import from a spreadsheet export -------------------------------------------------


@dataclass(frozen=True)
class Rejected:
    """A spreadsheet row that was not imported: its line in the file and why."""

    line: int
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass(frozen=True)
class Conflict:
    """A date already in the measure with a different value."""

    date: dt.date
    existing: str
    incoming: Entry
    line: int

    def to_dict(self) -> dict[str, object]:
        return {
            "date": self.date.isoformat(),
            "existing": self.existing,
            "incoming": self.incoming.describe(),
            "line": self.line,
        }


@dataclass(frozen=True)
class Columns:
    """Which spreadsheet columns to read: a header name or a 1-based number each."""

    date: str = "date"
    value: str = "value"
    denominator: str | None = None
    note: str | None = None


@dataclass
class ImportPlan:
    """What an import adds, replaces, leaves alone and rejects (before or after writing)."""

    source: str
    added: list[Entry] = field(default_factory=list)
    replaced: list[Conflict] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    no_value: list[int] = field(default_factory=list)
    blank_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.replaced)

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "written": self.written,
            "added": [{"line": None, **e.cells()} for e in self.added],
            "replaced": [c.to_dict() for c in self.replaced],
            "unchanged": self.unchanged,
            "conflicts": [c.to_dict() for c in self.conflicts],
            "rejected": [r.to_dict() for r in self.rejected],
            "no_value": self.no_value,
            "blank_rows": self.blank_rows,
            "ignored_columns": self.ignored_columns,
        }


def _pick(header: list[str], choice: str | None, what: str, required: bool) -> int | None:
    names = [h.strip().lower() for h in header]
    if choice is None:
        return None
    text = choice.strip().lower()
    if text.isdigit():
        index = int(text) - 1
        if 0 <= index < len(header):
            return index
        raise UsageError(
            f"there is no column {choice} (the file has {len(header)})",
            hint=f"columns: {', '.join(h or '?' for h in header)}",
        )
    if text in names:
        return names.index(text)
    if not required:
        return None
    listed = ", ".join(f"{i + 1}:{h}" for i, h in enumerate(header))
    raise UsageError(
        f"no column '{choice}' for the {what}",
        hint=f"choose with --{what}-col NAME or NUMBER; columns are {listed}",
    )


def read_spreadsheet(
    path: Path,
    measure: Measure,
    columns: Columns,
    *,
    dayfirst: bool = False,
    monthfirst: bool = False,
    delimiter: str | None = None,
) -> tuple[list[tuple[int, Entry]], ImportPlan]:
    """Read rows of a spreadsheet export; bad rows are rejected with their line number."""
    display = display_path(path)
    if dayfirst and monthfirst:
        raise UsageError("choose one of --dayfirst and --monthfirst")
    text = read_text(path, display, max_bytes=MAX_CSV_BYTES)
    first_line = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
            delimiter = "\t"
    records = read_records(text, delimiter=delimiter)
    plan = ImportPlan(source=display)
    try:
        _, header = next(records)
    except StopIteration:
        raise QiError(f"{display}: file is empty", path=display) from None
    except CsvSyntaxError as exc:
        raise QiError(f"{display}: CSV error: {exc}", path=display, line=1) from None
    date_i = _pick(header, columns.date, "date", True)
    value_i = _pick(header, columns.value, "value", True)
    den_choice = columns.denominator or ("denominator" if measure.needs_denominator else None)
    den_i = _pick(header, den_choice, "denominator", columns.denominator is not None)
    if den_i is None and measure.needs_denominator:
        den_i = _pick(header, "denominator", "denominator", True)
    note_i = _pick(header, columns.note or "note", "note", columns.note is not None)
    used = {i for i in (date_i, value_i, den_i, note_i) if i is not None}
    plan.ignored_columns = [h for i, h in enumerate(header) if i not in used and h.strip()]
    entries: list[tuple[int, Entry]] = []
    first_line_of: dict[dt.date, int] = {}
    subgroups = measure.data_type == "subgroups"
    try:
        for line, cells in records:
            if not any(c.strip() for c in cells):
                plan.blank_rows += 1
                continue

            def cell(i: int | None, cells: list[str] = cells) -> str:
                return cells[i].strip() if i is not None and i < len(cells) else ""

            try:
                date = parse_spreadsheet_date(
                    cell(date_i), dayfirst=dayfirst, monthfirst=monthfirst
                )
            except ValueError as exc:
                reason = str(exc) if cell(date_i) else "no date"
                plan.rejected.append(Rejected(line=line, reason=reason))
                continue
            if not cell(value_i):
                plan.no_value.append(line)
                continue
            try:
                entry = parse_entry(
                    measure,
                    date.isoformat(),
                    cell(value_i).replace(" ", ""),
                    None if den_i is None else cell(den_i),
                    cell(note_i) or None,
                )
            except QiError as exc:
                reason = exc.message.removeprefix("refused: ")
                plan.rejected.append(Rejected(line=line, reason=reason))
                continue
            if date in first_line_of and not subgroups:
                plan.rejected.append(
                    Rejected(
                        line=line,
                        reason=f"second row for {date} (first on line {first_line_of[date]})",
                    )
                )
                continue
            first_line_of.setdefault(date, line)
            entries.append((line, entry))
    except CsvSyntaxError as exc:
        plan.rejected.append(Rejected(line=exc.line, reason=f"CSV error: {exc}"))
    return entries, plan


def plan_import(
    plan: ImportPlan,
    entries: list[tuple[int, Entry]],
    existing: Sequence[DataRow],
    measure: Measure,
    *,
    replace_existing: bool = False,
) -> ImportPlan:
    """Sort incoming rows into added, unchanged, conflicts (or replaced)."""
    by_date: dict[dt.date, list[DataRow]] = {}
    for row in existing:
        by_date.setdefault(row.date, []).append(row)
    subgroups = measure.data_type == "subgroups"
    incoming_dates: dict[dt.date, list[tuple[int, Entry]]] = {}
    for line, entry in entries:
        incoming_dates.setdefault(entry.date, []).append((line, entry))
    for date, items in incoming_dates.items():
        have = by_date.get(date, [])
        if not have:
            plan.added.extend(e for _, e in items)
            continue
        if subgroups:
            same = sorted(r.value or 0 for r in have) == sorted(e.value or 0 for _, e in items)
        else:
            same = items[0][1].same_value(have[0])
        if same:
            plan.unchanged += len(items)
            continue
        existing_text = ", ".join(describe_row(r) for r in have)
        for line, entry in items[:1] if not subgroups else items:
            conflict = Conflict(date=date, existing=existing_text, incoming=entry, line=line)
            (plan.replaced if replace_existing else plan.conflicts).append(conflict)
    return plan


def import_file(
    root: Path,
    measure_id: str,
    measure: Measure,
    source: Path,
    columns: Columns,
    *,
    dayfirst: bool = False,
    monthfirst: bool = False,
    delimiter: str | None = None,
    replace_existing: bool = False,
    dry_run: bool = False,
) -> ImportPlan:
    """Merge a spreadsheet export into a measure's CSV; existing rows are never lost."""
    entries, plan = read_spreadsheet(
        source, measure, columns, dayfirst=dayfirst, monthfirst=monthfirst, delimiter=delimiter
    )
    path = data_path(root, measure_id)
    with project_lock(root):
        existing: list[DataRow] = []
        if path.exists():
            display = display_path(path)
            rows, issues = parse_data(
                read_text(path, display, max_bytes=MAX_CSV_BYTES), display, measure
            )
            errors = [i for i in issues if i.severity == "error"]
            if errors:
                first = errors[0]
                raise QiError(
                    f"{first.where}: {first.message}",
                    hint="fix the measure's data file first (`qi validate` lists every problem)",
                    path=first.path,
                    line=first.line,
                )
            existing = rows
        plan_import(plan, entries, existing, measure, replace_existing=replace_existing)
        if dry_run or not plan.changes:
            return plan
        table = _load_table(path, measure)
        replace_dates = {c.date for c in plan.replaced}
        kept_notes: dict[dt.date, str] = {}
        for record in list(table.records):
            if record.date in replace_dates:
                note = table.cell(record, "note")
                if note:
                    kept_notes[record.date] = note
                table.records.remove(record)
        for conflict in plan.replaced:
            entry = conflict.incoming
            if not entry.note and conflict.date in kept_notes:
                entry = replace(entry, note=kept_notes[conflict.date])
            table.insert(table.new_record(entry.date, entry.cells()))
        for entry in plan.added:
            table.insert(table.new_record(entry.date, entry.cells()))
        write_atomic(path, table.text())
        plan.written = True
    return plan


# --- listing and removing rows ---------------------------------------------------------


def data_rows(project: LoadedProject, measure_id: str) -> list[DataRow]:
    """A measure's rows as the loader read them, each with its line in the CSV."""
    return list(project.data.get(measure_id, []))


def row_dict(row: DataRow) -> dict[str, object]:
    """One row for `qi data list --json`."""
    return {
        "line": row.line,
        "date": row.date.isoformat(),
        "value": row.value,
        "denominator": row.denominator,
        "note": row.note,
        "exclude": row.exclude,
    }


@dataclass(frozen=True)
class Removed:
    """What `remove_value` took out: the file, and each row's line (as it was) and text."""

    path: Path
    date: dt.date
    rows: tuple[tuple[int, str], ...]


def nearest_dates(dates: Sequence[dt.date], day: dt.date, n: int = 3) -> list[dt.date]:
    """The n dates closest to `day`, in date order.

    >>> d = [dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19)]
    >>> [x.isoformat() for x in nearest_dates(d, dt.date(2026, 1, 13), n=2)]
    ['2026-01-12', '2026-01-19']
    """
    unique = sorted(set(dates), key=lambda d: (abs((d - day).days), d))
    return sorted(unique[:n])


def remove_value(root: Path, measure_id: str, measure: Measure, day: dt.date) -> Removed:
    """Remove the row for `day` (every row of that date, for subgroups) from a measure's
    CSV; refuse a date with no row, naming the nearest dates. Other lines stay as written."""
    path = data_path(root, measure_id)
    display = display_path(path)
    with project_lock(root):
        if not path.exists():
            raise QiError(f"{display}: no data yet", hint=f"add some: qi data add {measure_id}")
        table = _load_table(path, measure)
        lines = _record_lines(read_text(path, display, max_bytes=MAX_CSV_BYTES))
        same = [i for i, r in enumerate(table.records) if r.date == day]
        if not same:
            dated = [r.date for r in table.records if r.date is not None]
            close = ", ".join(d.isoformat() for d in nearest_dates(dated, day))
            raise FieldError(
                "date",
                f"{display}: no row for {day}",
                hint=f"the nearest dates: {close}" if close else "the file has no rows yet",
                exit_code=1,
            )
        removed = tuple(
            (lines[i] if i < len(lines) else table.line_of(i), _row_text(table, table.records[i]))
            for i in same
        )
        for i in reversed(same):
            del table.records[i]
        write_atomic(path, table.text())
    return Removed(path=path, date=day, rows=removed)


def _record_lines(text: str) -> list[int]:
    """The line of each non-blank record of a CSV, in order (the header skipped): the
    line it ends on, as the loader and `qi data list` count it."""
    records = read_records(text)
    next(records, None)
    return [end for end, cells in records if any(c.strip() for c in cells)]


def _row_text(table: Table, record: Record) -> str:
    text = _cells_text(table, record)
    for name in ("note", "exclude"):
        if table.cell(record, name):
            text += f" ({name}: {' '.join(table.cell(record, name).split())})"
    return text
