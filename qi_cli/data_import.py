"""Importing a spreadsheet export into a measure's data.

A spreadsheet's CSV export is read leniently, the way people's exports come
(`read_spreadsheet`): columns chosen by name or number, a `;` or tab delimiter, dates
as 31/01/2026 or "5 Jan 2026", numbers with thousands separators (1,198; with
`decimal_comma`, 1.198,5). Every row is then checked as `qi data add` checks one value
(`parse_entry`), and the import is planned (`plan_import`) before anything is written:
existing values are never lost, a date already there with another value is a conflict.

How a numbers-only date (03/04/2026) is read is never a guess: the flag, else the only
reading the file's dates allow (13/01/2026 can only be day-first), else the project's
`settings.dates`; a file that allows both readings is refused with one message.

Errors, notes and reasons name the reading's fields in braces (`{decimal_comma}`,
`{dayfirst}`, `{unit_col}`); the command that asked names them as its flags
(`ImportPlan.named`, `FieldError.named`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from qi_cli.data import Entry, data_path, describe_row, parse_entry, read_for_writing
from qi_cli.dates import DateOrder, parse_spreadsheet_date, spreadsheet_date_orders
from qi_cli.errors import FieldError, QiError, UsageError, name_fields
from qi_cli.files.csv_cells import DataRow
from qi_cli.files.csv_records import CsvSyntaxError, read_records
from qi_cli.files.csv_table import format_number
from qi_cli.files.disk import MAX_CSV_BYTES, display_path, project_lock, read_text, write_atomic
from qi_cli.measure_model import Measure

ORDER_WORDS: dict[DateOrder, str] = {
    "iso": "year-month-day",
    "day-first": "day/month/year",
    "month-first": "month/day/year",
}


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
    unit: str | None = None


@dataclass(frozen=True)
class Reading:
    """How the spreadsheet's cells are read: the date order and the decimal mark."""

    order: DateOrder | None = None
    project_order: DateOrder = "iso"
    decimal_comma: bool = False
    allow_future: bool = False
    today: dt.date = field(default_factory=dt.date.today)


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
    date_order: str | None = None
    numbers: str | None = None
    written: bool = False

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.replaced)

    @property
    def all_rejected(self) -> bool:
        """Rows were rejected and not one was kept (added, replaced, already there)."""
        kept = self.changes + self.unchanged + len(self.conflicts)
        return bool(self.rejected) and kept == 0

    def named(self, names: Mapping[str, str]) -> ImportPlan:
        """The plan with the fields its notes and reasons name (`{decimal_comma}`)
        written as `names` say them: a command's flags."""

        def words(text: str | None) -> str | None:
            return name_fields(text, names) if text else text

        rejected = [replace(r, reason=name_fields(r.reason, names)) for r in self.rejected]
        return replace(
            self,
            rejected=rejected,
            date_order=words(self.date_order),
            numbers=words(self.numbers),
        )

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
            "date_order": self.date_order,
            "numbers": self.numbers,
        }


def rejected_hint(plan: ImportPlan) -> str:
    """What to try when every row was rejected, from the reasons given (naming the
    reading's fields in braces, as `ImportPlan.named` names them)."""
    reasons = " ".join(r.reason for r in plan.rejected)
    if "separates thousands" in reasons:
        return "the numbers use a decimal comma (1.198,5): pass {decimal_comma}"
    if "decimal point" in reasons:
        return "the numbers use a decimal point (1,198.5): leave out {decimal_comma}"
    if "in the future" in reasons:
        return "check the dates; {allow_future} keeps dates still to come"
    return (
        "fix the rows listed above, or choose the columns with {date_col}, {value_col} "
        "and {denominator_col}"
    )


# --- numbers as spreadsheets write them ------------------------------------------------

_POINT_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_COMMA_GROUPED = re.compile(r"[+-]?\d{1,3}(?:\.\d{3})+(?:,\d*)?")
_POINT_THREE = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
_SPACES = str.maketrans("", "", " \u00a0\u202f")


def spreadsheet_number(text: str, *, decimal_comma: bool = False) -> tuple[str, bool]:
    """A number as a spreadsheet wrote it, as qi reads numbers, and whether it had a
    thousands separator. ValueError says what is wrong with the separators.

    >>> spreadsheet_number("1,198"), spreadsheet_number("1 198.5")
    (('1198', True), ('1198.5', True))
    >>> spreadsheet_number("1.198,5", decimal_comma=True)
    ('1198.5', True)
    >>> spreadsheet_number("2,5", decimal_comma=True)
    ('2.5', False)
    """
    cell = text.translate(_SPACES)
    grouped = cell != text
    if decimal_comma:
        if _COMMA_GROUPED.fullmatch(cell):
            cell, grouped = cell.replace(".", ""), True
        elif "." in cell:
            raise ValueError(f"'{text}' has a decimal point, but {{decimal_comma}} was given")
        return cell.replace(",", "."), grouped
    if _POINT_GROUPED.fullmatch(cell):
        return cell.replace(",", ""), True
    if "," in cell:
        raise ValueError(
            f"'{text}' is not a number: ',' separates thousands (see {{decimal_comma}})"
        )
    return cell, grouped


# --- reading the export ----------------------------------------------------------------


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
    raise FieldError(
        f"{what}_col",
        f"no column '{choice}' for the {what}",
        hint=f"choose with {{{what}_col}} NAME or NUMBER; columns are {listed}",
    )


def _date_order(
    display: str, dates: Sequence[tuple[int, str]], reading: Reading
) -> tuple[DateOrder | None, str | None]:
    """The order to read numbers-only dates in, and the words that say why (None when
    the flag chose it or no date needs one). Refuses a file that allows both readings
    (or neither) with one message."""
    if reading.order is not None:
        return reading.order, None
    readings = [(line, text, spreadsheet_date_orders(text)) for line, text in dates]
    numeric = [(line, text, orders) for line, text, orders in readings if orders]
    differ = [(line, text) for line, text, orders in numeric if not _same_both_ways(text, orders)]
    if not numeric:
        return None, None
    possible: list[DateOrder] = [
        order
        for order in ("day-first", "month-first")
        if all(order in orders for _, _, orders in numeric)
    ]
    if len(possible) == 1:
        order = possible[0]
        line, text, _ = next(r for r in numeric if r[2] == {order})
        words = ORDER_WORDS[order]
        return order, f"dates read as {words}: line {line}'s {text} can only be read so"
    flags = "pass {dayfirst} (UK, 31/01/2026) or {monthfirst} (US, 01/31/2026)"
    if possible:
        if not differ:  # 01/01/2026, 02/02/2026...: both readings are the same dates
            return possible[0], None
        if reading.project_order != "iso":
            words = ORDER_WORDS[reading.project_order]
            return reading.project_order, f"dates read as {words} (the project's settings.dates)"
        line, text = differ[0]
        raise FieldError(
            "dayfirst",
            f"{display}:{line}: dates such as {text} could be day/month or month/day",
            hint=flags,
            mentions=("monthfirst",),
        )
    day_only = next(r for r in numeric if r[2] == {"day-first"})
    month_only = next(r for r in numeric if r[2] == {"month-first"})
    raise FieldError(
        "dayfirst",
        f"{display}: the dates mix day/month (line {day_only[0]}: {day_only[1]}) "
        f"and month/day (line {month_only[0]}: {month_only[1]})",
        hint=f"write every date in one order, or {flags}: rows in the other order are rejected",
        mentions=("monthfirst",),
    )


def _same_both_ways(text: str, orders: frozenset[DateOrder]) -> bool:
    if len(orders) < 2:
        return False
    day_first = parse_spreadsheet_date(text, dayfirst=True)
    return day_first == parse_spreadsheet_date(text, monthfirst=True)


def read_spreadsheet(
    path: Path,
    measure: Measure,
    columns: Columns,
    reading: Reading | None = None,
    *,
    delimiter: str | None = None,
) -> tuple[list[tuple[int, Entry]], ImportPlan]:
    """Read rows of a spreadsheet export; bad rows are rejected with their line number."""
    reading = reading or Reading()
    display = display_path(path)
    text = read_text(path, display, max_bytes=MAX_CSV_BYTES)
    first_line = text.split("\n", 1)[0]
    if delimiter is None:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
            delimiter = "\t"
    plan = ImportPlan(source=display)
    records: list[tuple[int, list[str]]] = []
    try:
        records.extend(read_records(text, delimiter=delimiter))
    except CsvSyntaxError as exc:
        if not records:
            raise QiError(
                f"{display}:{exc.line}:{exc.column}: {exc}",
                hint=exc.hint,
                path=display,
                line=exc.line,
                column=exc.column,
            ) from None
        plan.rejected.append(Rejected(line=exc.line, reason=str(exc)))
    if not records:
        raise QiError(f"{display}: file is empty", path=display)
    header = records[0][1]
    date_i = _pick(header, columns.date, "date", True)
    value_i = _pick(header, columns.value, "value", True)
    den_choice = columns.denominator or ("denominator" if measure.needs_denominator else None)
    den_i = _pick(header, den_choice, "denominator", columns.denominator is not None)
    if den_i is None and measure.needs_denominator:
        den_i = _pick(header, "denominator", "denominator", True)
    note_i = _pick(header, columns.note or "note", "note", columns.note is not None)
    unit_i = _pick(header, columns.unit, "unit", True) if columns.unit is not None else None
    used = {i for i in (date_i, value_i, den_i, note_i, unit_i) if i is not None}
    plan.ignored_columns = [h for i, h in enumerate(header) if i not in used and h.strip()]

    def cell(cells: list[str], i: int | None) -> str:
        return cells[i].strip() if i is not None and i < len(cells) else ""

    rows = [(line, cells) for line, cells in records[1:] if any(c.strip() for c in cells)]
    plan.blank_rows = len(records) - 1 - len(rows)
    order, plan.date_order = _date_order(
        display, [(line, cell(cells, date_i)) for line, cells in rows], reading
    )
    grouped = False
    point_three: str | None = None  # 1.200: a decimal point, or a thousands separator?
    entries: list[tuple[int, Entry]] = []
    first_line_of: dict[tuple[dt.date, str], int] = {}
    subgroups = measure.data_type == "subgroups"
    for line, cells in rows:
        try:
            date = parse_spreadsheet_date(
                cell(cells, date_i),
                dayfirst=order == "day-first",
                monthfirst=order == "month-first",
            )
        except ValueError as exc:
            reason = str(exc) if cell(cells, date_i) else "no date"
            plan.rejected.append(Rejected(line=line, reason=reason))
            continue
        if date > reading.today and not reading.allow_future:
            plan.rejected.append(Rejected(line=line, reason=f"{date} is in the future"))
            continue
        if not cell(cells, value_i):
            plan.no_value.append(line)
            continue
        try:
            value, value_grouped = spreadsheet_number(
                cell(cells, value_i), decimal_comma=reading.decimal_comma
            )
            denominator: str | None = None
            if den_i is not None:
                denominator, den_grouped = spreadsheet_number(
                    cell(cells, den_i), decimal_comma=reading.decimal_comma
                )
                value_grouped = value_grouped or den_grouped
            entry = parse_entry(
                measure,
                date.isoformat(),
                value,
                denominator,
                cell(cells, note_i) or None,
                unit=cell(cells, unit_i) if unit_i is not None else None,
            )
        except ValueError as exc:
            plan.rejected.append(Rejected(line=line, reason=str(exc)))
            continue
        except FieldError as exc:  # its hint is about `qi data add`'s options
            plan.rejected.append(Rejected(line=line, reason=exc.template.removeprefix("refused: ")))
            continue
        except QiError as exc:
            reason = exc.message.removeprefix("refused: ")
            if exc.hint:
                reason = f"{reason}: {exc.hint}"
            plan.rejected.append(Rejected(line=line, reason=reason))
            continue
        key = (date, entry.unit or "")
        if key in first_line_of and not subgroups:
            unit_words = f" and unit {entry.unit}" if entry.unit else ""
            plan.rejected.append(
                Rejected(
                    line=line,
                    reason=f"second row for {date}{unit_words} "
                    f"(first on line {first_line_of[key]})",
                )
            )
            continue
        grouped = grouped or value_grouped
        point_three = point_three or next(
            (c for c in (cell(cells, value_i), cell(cells, den_i)) if _POINT_THREE.search(c)), None
        )
        first_line_of.setdefault(key, line)
        entries.append((line, entry))
    if reading.decimal_comma:
        plan.numbers = "',' read as the decimal mark and '.' as the thousands separator"
    elif grouped:
        plan.numbers = "',' read as the thousands separator: 1,198 is 1198 (see {decimal_comma})"
    elif point_three:
        plan.numbers = (
            f"'.' read as the decimal mark: {point_three} is "
            f"{format_number(float(point_three))} (see {{decimal_comma}})"
        )
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
    # rows are matched by date, and by unit in a measure kept per unit
    by_date: dict[tuple[dt.date, str], list[DataRow]] = {}
    for row in existing:
        by_date.setdefault((row.date, row.unit or ""), []).append(row)
    subgroups = measure.data_type == "subgroups"
    incoming_dates: dict[tuple[dt.date, str], list[tuple[int, Entry]]] = {}
    for line, entry in entries:
        incoming_dates.setdefault((entry.date, entry.unit or ""), []).append((line, entry))
    for (date, _unit), items in incoming_dates.items():
        have = by_date.get((date, _unit), [])
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
    reading: Reading | None = None,
    *,
    delimiter: str | None = None,
    replace_existing: bool = False,
    dry_run: bool = False,
) -> ImportPlan:
    """Merge a spreadsheet export into a measure's CSV; existing rows are never lost,
    and nothing is written (no file created) unless a row is added or replaced."""
    entries, plan = read_spreadsheet(source, measure, columns, reading, delimiter=delimiter)
    path = data_path(root, measure_id)
    with project_lock(root):
        table, existing = read_for_writing(path, measure, root, twice_ok=False)
        if existing and any(existing.units) != (columns.unit is not None):
            kept = "is kept per unit: add {unit_col}" if columns.unit is None else "has no units"
            raise FieldError(
                "unit_col",
                f"{display_path(path)} {kept}",
                hint="import rows with a unit into a measure kept per unit, and only there",
                exit_code=1,
            )
        plan_import(plan, entries, existing, measure, replace_existing=replace_existing)
        if dry_run or not plan.changes:
            return plan
        replace_keys = {(c.date, c.incoming.unit or "") for c in plan.replaced}
        kept_notes: dict[tuple[dt.date | None, str], str] = {}
        for record in list(table.records):
            key = (record.date, table.cell(record, "unit"))
            if key in replace_keys:
                note = table.cell(record, "note")
                if note:
                    kept_notes[key] = note
                table.records.remove(record)
        for conflict in plan.replaced:
            entry = conflict.incoming
            key = (conflict.date, entry.unit or "")
            if not entry.note and key in kept_notes:
                entry = replace(entry, note=kept_notes[key])
            table.insert(table.new_record(entry.date, entry.cells()))
        for entry in plan.added:
            table.insert(table.new_record(entry.date, entry.cells()))
        write_atomic(path, table.text())
        plan.written = True
    return plan
