"""A measure's CSV kept as lines, and written.

`Table` keeps a file's lines as written, so a write changes only the rows it adds or
replaces (a hand-written ``7.0`` stays ``7.0``); new cells are written canonically, and
new lines end as the file's do (CRLF in a file a spreadsheet saved, so that a diff shows
only the new row).
Reading the values, with every problem found, is `csv_file`'s.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from qi_cli.dates import parse_iso_date
from qi_cli.errors import QiError
from qi_cli.files.csv_cells import CSV_COLUMNS
from qi_cli.files.csv_records import CsvSyntaxError, read_spans


def format_number(value: float) -> str:
    """A number as qi writes it: integral values without ``.0``, others shortest.

    >>> format_number(5.0), format_number(6.7), format_number(0.1 + 0.2), format_number(-0.0)
    ('5', '6.7', '0.30000000000000004', '0')
    """
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A whole CSV text: the header line, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _format_record(cells: Sequence[str]) -> str:
    """One record's text, without its line end (a cell with a line break is quoted:
    the writer quotes the characters of its line terminator, so that must be one)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()[:-1]


@dataclass
class Record:
    """One data row of the file: its date (None if unreadable), cells, original text and
    the line it starts on (None for a row not yet written)."""

    date: dt.date | None
    cells: list[str]
    raw: str | None
    line: int | None = None


@dataclass
class Table:
    """A measure's CSV as lines: header and records, each kept as written."""

    header: list[str]
    records: list[Record] = field(default_factory=list)
    newline: str = "\n"
    """How the file's lines end, as its first line does: LF, or CRLF."""
    first_line: str | None = None
    """The header line as written (`Date,Value` from a spreadsheet, a byte-order mark
    included): written back as it was while the columns stay the same."""

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def cell(self, record: Record, name: str) -> str:
        i = self.column(name)
        if i is None or i >= len(record.cells):
            return ""
        return record.cells[i].strip()

    def ensure_columns(self, names: Sequence[str]) -> None:
        """Add missing columns in canonical order.

        Columns that come after every existing one are added to the header alone: the
        rows stay as written (a short row reads as empty cells), so a branch that adds a
        note merges with one that adds a row. Otherwise every record is written anew."""
        missing = [n for n in names if n not in self.header]
        if not missing:
            return
        wanted = set(self.header) | set(missing)
        order = [c for c in CSV_COLUMNS if c in wanted]
        order += [c for c in self.header if c not in CSV_COLUMNS]
        if order[: len(self.header)] == self.header:
            self.header = order
            return
        for record in self.records:
            old = dict(zip(self.header, record.cells, strict=False))
            record.cells = [old.get(c, "") for c in order]
            record.raw = None
        self.header = order

    def new_record(self, date: dt.date, cells: Mapping[str, str]) -> Record:
        """A record for new cells (by column name), adding the columns it needs."""
        self.ensure_columns(list(cells))
        return Record(date=date, cells=[cells.get(c, "") for c in self.header], raw=None)

    def insert(self, record: Record) -> int:
        """Insert before the first record dated after it (at the end if none); return where.

        In a sorted file this keeps the order; in a file sorted by hand only in parts, the
        existing rows stay exactly where they are.
        """
        position = len(self.records)
        for i, existing in enumerate(self.records):
            if (
                existing.date is not None
                and record.date is not None
                and existing.date > record.date
            ):
                position = i
                break
        self.records.insert(position, record)
        return position

    def line_of(self, position: int) -> int:
        return position + 2

    def text(self) -> str:
        first = self.first_line
        if first is None or _header(first) != self.header:  # columns added: written anew
            bom = "\ufeff" if first and first.startswith("\ufeff") else ""
            first = bom + _format_record(self.header)
        lines = [first]
        for record in self.records:
            lines.append(record.raw if record.raw is not None else _format_record(record.cells))
        return self.newline.join(lines) + self.newline


def _header(line_or_cells: str | list[str]) -> list[str]:
    """Column names as qi reads them: trimmed, lower case, no byte-order mark."""
    if isinstance(line_or_cells, str):
        line_or_cells = next(csv.reader([line_or_cells.removeprefix("\ufeff")]), [])
    return [h.strip().lower() for h in line_or_cells]


def read_table(text: str) -> Table:
    """Split a measure's CSV into header and records, keeping each record's text (a
    record over several lines with the line ends inside it as written)."""
    # split at line feeds alone, as the csv reader counts lines; a CRLF line keeps its CR
    lines = text.split("\n")
    text = text.removeprefix("\ufeff")  # kept in lines[0], the header as written
    try:
        records = list(read_spans(text))
    except CsvSyntaxError as exc:
        raise QiError(
            f"cannot read the file: line {exc.line}: {exc}",
            hint=exc.hint or "check the quoting on that line (`qi validate`)",
        ) from None
    if not records:
        return Table(header=[])
    crlf = lines[0].endswith("\r") and len(lines) > 1
    first_line = lines[0].removesuffix("\r") if records[0][1] == 1 else None
    table = Table(
        header=_header(records[0][2]),
        newline="\r\n" if crlf else "\n",
        first_line=first_line,
    )
    for first, last, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        raw = "\n".join(lines[first - 1 : last]).removesuffix("\r")
        date: dt.date | None
        try:
            date = parse_iso_date(cells[table.column("date") or 0].strip())
        except (ValueError, IndexError):
            date = None
        table.records.append(Record(date=date, cells=cells, raw=raw, line=first))
    return table
