"""CSV text as records: the one place that turns a CSV's text into records with lines.

A measure's data (`csv_file`), its writer (`csv_table`), the spreadsheet import and a
Pareto chart's counts all read through `read_records` (or `read_spans`, which also
gives where a record ends). Python's csv reader is lenient (`strict=False`), so a file
written by hand or by a spreadsheet reads as it always did, with one exception: a
quote never closed. The lenient reader takes everything after it, to the end of the
file, as one cell, so later rows vanish into a note without a word (and a row added
after it would too). That is refused here, at the quote's line and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

# a carriage return not followed by a line feed: a file saved with CR line endings
CR_ONLY = re.compile(r"\r(?!\n)")

# A line read after the text: a record of its own, unless a quoted cell is still open,
# when the lenient reader takes it into that cell. One record more than the file has
# is all it costs to know that no quote was left open.
_END = "qi:end-of-text"

UNCLOSED_HINT = (
    'end the cell with a closing quote, e.g. "ward closed" (a quote inside a quoted '
    'cell is written twice: "first ""week""")'
)


class CsvSyntaxError(Exception):
    """A record the CSV reader cannot read (e.g. a quote never closed), at `line` and
    `column`, with what to do about it."""

    def __init__(self, message: str, line: int, column: int = 1, hint: str | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.hint = hint


def read_spans(text: str, *, delimiter: str = ",") -> Iterator[tuple[int, int, list[str]]]:
    """The records of CSV text, each as (the line it starts on, the line it ends on, its
    cells), the header first. A record spans several lines when a quoted cell holds a
    line break; a blank line is a record with no cells. Raises CsvSyntaxError where the
    text stops being CSV, and at a quote never closed."""
    end = "" if not text or text.endswith("\n") else "\n"
    reader = csv.reader(io.StringIO(text + end + _END), delimiter=delimiter)
    first = 1
    held: tuple[int, int, list[str]] | None = None  # a record is given once the next is read
    try:
        for cells in reader:
            if held is not None:
                yield held
            held = (first, reader.line_num, cells)
            first = reader.line_num + 1
    except csv.Error as exc:
        raise CsvSyntaxError(
            f"CSV error: {exc}", first, hint="check the quoting on this line"
        ) from None
    if held is not None and held[2] and held[2][-1].endswith("\n" + _END):
        # the record's last cell is the quoted one still open: the quote is where the
        # file's last characters, read as that cell (each "" read as one "), begin
        cell = held[2][-1][: -len(end + _END)]
        quote = len(text) - len(cell) - cell.count('"') - 1
        raise CsvSyntaxError(
            "unclosed quote: the cell that starts here runs to the end of the file",
            text.count("\n", 0, quote) + 1,
            quote - text.rfind("\n", 0, quote),
            hint=UNCLOSED_HINT,
        )


def read_records(text: str, *, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text, each as (the line it starts on, its cells): `read_spans`
    without where each record ends."""
    for first, _, cells in read_spans(text, delimiter=delimiter):
        yield first, cells


def column_of(lines: list[str], line: int, field_index: int) -> int:
    """1-based character column of a CSV field (exact for unquoted rows)."""
    if line - 1 >= len(lines):
        return 1
    raw = lines[line - 1]
    if '"' in raw:
        return 1
    parts = raw.split(",")
    return sum(len(p) + 1 for p in parts[:field_index]) + 1
