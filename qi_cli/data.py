"""A measure's data: add a value, replace one, list and remove rows (importing a
spreadsheet export is `qi_cli.data_import`).

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
uses, so what `qi data add` accepts is exactly what the loader accepts. A file that
reader finds an error in is not written at all (`read_for_writing`): a row added after
a quote left open would vanish into its cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.csv_cells import CSV_COLUMNS, NO_ROWS, DataRow, MeasureRows
from qi_cli.files.csv_file import ENTERED_TWICE, parse_data
from qi_cli.files.csv_table import Record, Table, format_csv, format_number, read_table
from qi_cli.files.disk import MAX_CSV_BYTES, display_path, project_lock, read_text, write_atomic
from qi_cli.files.layout import MEASURES_DIR
from qi_cli.files.loaded import LoadedProject
from qi_cli.measure_model import Measure


@dataclass(frozen=True)
class Entry:
    """One value to write: a CSV row before it is placed in the file."""

    date: dt.date
    value: float | None
    denominator: float | None = None
    note: str | None = None
    exclude: str | None = None
    unit: str | None = None

    def cells(self) -> dict[str, str]:
        out = {"date": self.date.isoformat()}
        out["value"] = "" if self.value is None else format_number(self.value)
        if self.denominator is not None:
            out["denominator"] = format_number(self.denominator)
        if self.note:
            out["note"] = self.note
        if self.exclude:
            out["exclude"] = self.exclude
        if self.unit:
            out["unit"] = self.unit
        return out

    def same_value(self, row: DataRow) -> bool:
        return self.value == row.value and self.denominator == row.denominator

    def describe(self) -> str:
        text = "empty" if self.value is None else format_number(self.value)
        if self.denominator is not None:
            text += f" of {format_number(self.denominator)}"
        if self.unit:
            text += f" ({self.unit})"
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
    *,
    latest: dt.date | None = None,
    unit: str | None = None,
) -> Entry:
    """Check one value as the CSV reader would; raise QiError with the reason if refused.

    A date after `latest` (today, unless the person allows dates still to come) is
    refused: a value is measured before it is entered."""
    for name, text in (("note", note), ("exclude", exclude)):
        if text is not None and any(ord(ch) < 32 for ch in text):
            raise UsageError(f"the {name} must be one line of text", hint="leave out line breaks")
    if denominator is not None and not measure.needs_denominator:
        raise FieldError(
            "denominator",
            f"{{denominator}}: a {measure.data_type} measure has no denominator",
            hint="leave out {denominator} (only a proportion or a rate has one)",
        )
    cells = {"date": date.strip(), "value": value.strip()}
    if denominator is not None:
        cells["denominator"] = denominator.strip()
    if note:
        cells["note"] = note.strip()
    if exclude:
        cells["exclude"] = exclude.strip()
    if unit is not None:
        cells["unit"] = unit.strip()
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
            raise FieldError(
                "denominator",
                f"refused: a {measure.data_type} needs a denominator",
                hint="add {denominator} N (the number of cases or the exposure)",
                exit_code=1,
            )
        return _raise(message, issue.hint)
    row = rows[0]
    if latest is not None and row.date > latest:
        raise FieldError(
            "date",
            f"refused: {row.date} is in the future (today is {latest})",
            hint="give the date the value was measured; {allow_future} keeps a date still to come",
            mentions=("allow_future",),
            exit_code=1,
        )
    return Entry(
        date=row.date,
        value=row.value,
        denominator=row.denominator,
        note=row.note,
        exclude=row.exclude,
        unit=row.unit,
    )


def _raise(message: str, hint: str | None) -> Entry:
    raise QiError(f"refused: {message}", hint=hint)


def data_path(root: Path, measure_id: str) -> Path:
    return root / MEASURES_DIR / f"{measure_id}.csv"


def _new_table(measure: Measure) -> Table:
    header = ["date", "value"] + (["denominator"] if measure.needs_denominator else [])
    return Table(header=header)


def read_for_writing(
    path: Path, measure: Measure, root: Path, *, twice_ok: bool = True
) -> tuple[Table, MeasureRows]:
    """A measure's CSV as lines to write and as the rows read (a new table when there is
    no file yet). Refused, naming the first, when the reader finds an error in the file:
    a write would build on a file that does not read as it looks (a row added after a
    quote left open vanishes into its cell). `twice_ok`: a date entered twice is no
    reason to refuse, since `qi data add --replace` and `qi data remove` are its fix."""
    if not path.exists():
        return _new_table(measure), NO_ROWS
    display = display_path(path)
    # a spreadsheet's byte-order mark is kept for the write (Excel reads a UTF-8 file
    # without one as its own code page)
    text = read_text(path, display, root=root, max_bytes=MAX_CSV_BYTES, keep_bom=True)
    rows, issues = parse_data(text.removeprefix("\ufeff"), display, measure)
    for issue in issues:
        if issue.severity == "error" and not (twice_ok and ENTERED_TWICE in issue.message):
            error = QiError.from_issue(issue)
            error.message = f"{issue.path}: {issue.message}"
            error.hint = (issue.hint + "; " if issue.hint else "") + (
                "nothing was written: fix the file first (`qi validate` lists every problem)"
            )
            raise error
    return read_table(text), rows


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
        table, _ = read_for_writing(path, measure, root)
        _check_unit(table, entry, path)
        same = [
            r
            for r in table.records
            if r.date == entry.date and table.cell(r, "unit") == (entry.unit or "")
        ]
        replaced: tuple[str, ...] = ()
        if same and not subgroups and not replace_existing:
            position = table.records.index(same[0])
            display = display_path(path)
            raise FieldError(
                "replace",
                f"{display}: already has a value for {entry.date}: {_cells_text(table, same[0])}",
                hint="add {replace} to replace it",
                exit_code=1,
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


def _check_unit(table: Table, entry: Entry, path: Path) -> None:
    """A file kept per unit takes rows with a unit, and a file without units none."""
    has_column = table.column("unit") is not None
    if has_column and entry.unit is None:
        units = sorted({table.cell(r, "unit") for r in table.records} - {""})
        raise FieldError(
            "unit",
            f"{display_path(path)}: this measure is kept per unit: say which unit",
            hint=f"add {{unit}} NAME (units: {', '.join(units) or 'none yet'})",
            exit_code=1,
        )
    if not has_column and entry.unit is not None and table.records:
        raise QiError(
            f"{display_path(path)}: its rows have no unit column",
            hint="add a unit column to the file and a unit to every row first",
        )


def _cells_text(table: Table, record: Record) -> str:
    value = table.cell(record, "value") or "empty"
    denominator = table.cell(record, "denominator")
    return f"{value} of {denominator}" if denominator else value


# --- listing and removing rows ---------------------------------------------------------


def data_rows(project: LoadedProject, measure_id: str) -> list[DataRow]:
    """A measure's rows as the loader read them, each with its line in the CSV."""
    return list(project.rows(measure_id))


def row_dict(row: DataRow) -> dict[str, object]:
    """One row for `qi data list --json`."""
    out: dict[str, object] = {
        "line": row.line,
        "date": row.date.isoformat(),
        "value": row.value,
        "denominator": row.denominator,
        "note": row.note,
        "exclude": row.exclude,
    }
    if row.unit is not None:  # a measure kept per unit
        out["unit"] = row.unit
    return out


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


def remove_value(
    root: Path, measure_id: str, measure: Measure, day: dt.date, unit: str | None = None
) -> Removed:
    """Remove the row for `day` (every row of that date, for subgroups) from a measure's
    CSV; refuse a date with no row, naming the nearest dates. Other lines stay as written.
    In a measure kept per unit, `unit` names the one row to remove; without it a date
    with rows for several units is refused, so that no unit's value goes by mistake."""
    path = data_path(root, measure_id)
    display = display_path(path)
    with project_lock(root):
        if not path.exists():
            raise QiError(f"{display}: no data yet", hint=f"add some: qi data add {measure_id}")
        table, _ = read_for_writing(path, measure, root)
        same = [i for i, r in enumerate(table.records) if r.date == day]
        if unit is not None:
            same = [i for i in same if table.cell(table.records[i], "unit") == unit]
        units = sorted({table.cell(table.records[i], "unit") for i in same} - {""})
        if unit is None and len(units) > 1:
            raise FieldError(
                "unit",
                f"{display}: {day} has a value for each of {len(units)} units",
                hint=f"say which: {{unit}} NAME ({', '.join(units)})",
                exit_code=1,
            )
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
            (table.records[i].line or table.line_of(i), _row_text(table, table.records[i]))
            for i in same
        )
        for i in reversed(same):
            del table.records[i]
        write_atomic(path, table.text())
    return Removed(path=path, date=day, rows=removed)


def _row_text(table: Table, record: Record) -> str:
    text = _cells_text(table, record)
    for name in ("note", "exclude"):
        if table.cell(record, name):
            text += f" ({name}: {' '.join(table.cell(record, name).split())})"
    return text
