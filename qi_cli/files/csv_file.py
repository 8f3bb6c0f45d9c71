"""A measure's data file (CSV): reading it with every problem found, and writing it.

The format: a header line naming the columns (`date,value` and, as needed,
`denominator`, `note`, `exclude`, `unit`), then one row per value, dates written YYYY-MM-DD.
Rows may come in any order (they are sorted by date when read): a git merge of two
branches that each added data (`merge=union`, see `qi project gitattributes`) keeps the
new lines of both sides, one after the other. A row may stop short of the last columns.

- `read_records` is the one place that turns CSV text into records with line
  numbers: the data reader, the writer and the spreadsheet import all read through it.
- `parse_data` reads a measure's rows and reports each problem with its line and
  column (`qi validate`); `qi data add` checks a new value with it too, so what the
  writer accepts is exactly what the reader accepts.
- Writing (a file kept as lines, changed only where a row is added or replaced) is
  `csv_table`'s.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import itertools
import operator
import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

from qi_cli.dates import parse_iso_date, parse_iso_dates
from qi_cli.errors import Issue, excerpt
from qi_cli.files.csv_cells import (
    COUNTED_NUMERATORS,
    CSV_COLUMNS,
    MAX_VALUE,
    NO_ROWS,
    NON_NEGATIVE,
    TOO_LARGE_HINT,
    WHOLE_NUMBERS,
    DataRow,
    MeasureRows,
    good_unit,
    number_problem,
    parse_number,
    unit_problem,
)
from qi_cli.files.disk import MAX_CSV_BYTES, display_path, read_text
from qi_cli.measure_model import Measure

# a carriage return not followed by a line feed: a file saved with CR line endings
CR_ONLY = re.compile(r"\r(?!\n)")
# --- CSV text as records -------------------------------------------------------------


class CsvSyntaxError(Exception):
    """A record the CSV reader cannot read (e.g. a quote never closed), at `line`."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def read_records(text: str, *, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text, each as (the line it ends on, its cells), the header
    first. A record spans several lines when a quoted cell holds a line break; a blank
    line is a record with no cells. Raises CsvSyntaxError where the text stops being
    CSV."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise CsvSyntaxError(str(exc), reader.line_num) from None


# --- reading a measure's data --------------------------------------------------------


def read_data(
    path: Path, measure: Measure | None, display: str | None = None, *, root: Path | None = None
) -> tuple[MeasureRows, list[Issue]]:
    """Read a measure's CSV (of the project at `root`: see `disk.read_text`); bad rows
    become issues with their line and column."""
    display = display or display_path(path)
    text = read_text(path, display, root=root, max_bytes=MAX_CSV_BYTES)
    return parse_data(text, display, measure)


def parse_data(text: str, display: str, measure: Measure | None) -> tuple[MeasureRows, list[Issue]]:
    """The rows of a measure's CSV text, sorted by date, and every problem found.

    A row with a problem is left out and reported with its line and column; the rest
    are read. `measure` (None when its file is broken) sets the rules on the values.
    A date entered twice (two people on two branches) is reported with both lines.
    """
    issues: list[Issue] = []
    rows: list[DataRow] = []
    lone_cr = CR_ONLY.search(text)
    if lone_cr:
        return NO_ROWS, [
            Issue(
                display,
                "lines end with a carriage return only (old Mac line endings)",
                line=text.count("\n", 0, lone_cr.start()) + 1,
                column=1,
                hint="save the file with Windows (CRLF) or Unix (LF) line endings",
            )
        ]
    lines = functools.cache(text.splitlines)  # only a problem's column needs them
    records = read_records(text)
    try:
        _, header = next(records)
    except StopIteration:
        return NO_ROWS, [
            Issue(
                display,
                "file is empty",
                line=1,
                column=1,
                hint="the first line must be: date,value",
            )
        ]
    except CsvSyntaxError as exc:
        return NO_ROWS, [Issue(display, f"CSV error: {exc}", line=1, column=1)]
    header = [h.strip().lower() for h in header]
    for i, name in enumerate(header):
        if name not in CSV_COLUMNS:
            close = difflib.get_close_matches(name, CSV_COLUMNS, n=1)
            issues.append(
                Issue(
                    display,
                    f"unknown column {excerpt(name)}",
                    line=1,
                    column=column_of(lines(), 1, i),
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
        return NO_ROWS, issues
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
    width = len(header)
    clean = _clean_rows(text, width, index, measure)
    if clean is not None:
        return clean, issues
    seen: dict[tuple[dt.date, str], int] = {}
    measure_id = Path(display).stem
    i_date, i_value = index["date"], index["value"]
    i_den, i_note, i_excl = (index.get(k, -1) for k in ("denominator", "note", "exclude"))
    i_unit = index.get("unit", -1)
    data_type = measure.data_type if measure is not None else None
    subgroups = data_type == "subgroups"
    non_negative = data_type in NON_NEGATIVE

    def bad(line: int, field: int, message: str, hint: str) -> None:
        issues.append(
            Issue(display, message, line=line, column=column_of(lines(), line, field), hint=hint)
        )

    try:
        for line, cells in records:
            if len(cells) != width:
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > width:
                    if _names_columns(cells):
                        issues.append(_second_header(display, line))
                        continue
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
                date = parse_iso_date(raw_date)
            except ValueError:
                if _names_columns(cells):
                    issues.append(_second_header(display, line))
                    continue
                bad(
                    line,
                    i_date,
                    f"{excerpt(raw_date)} is not a date",
                    "write dates as YYYY-MM-DD, e.g. 2025-03-04",
                )
                continue
            value: float | None = None
            if raw_value:
                try:
                    value = parse_number(raw_value)
                except ValueError:
                    bad(
                        line,
                        i_value,
                        f"value {excerpt(raw_value)} is not a number",
                        number_problem(raw_value)
                        or "write a number such as 12 or 4.5; leave it empty if missing",
                    )
                    continue
                if abs(value) > MAX_VALUE:
                    bad(line, i_value, f"value {raw_value} is too large", TOO_LARGE_HINT)
                    continue
            denominator: float | None = None
            if raw_den:
                try:
                    denominator = parse_number(raw_den)
                except ValueError:
                    bad(
                        line,
                        i_den,
                        f"denominator {excerpt(raw_den)} is not a number",
                        number_problem(raw_den) or "write a whole number of cases",
                    )
                    continue
                if denominator > MAX_VALUE:
                    bad(line, i_den, f"denominator {raw_den} is too large", TOO_LARGE_HINT)
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
                if data_type in WHOLE_NUMBERS and not value.is_integer():
                    bad(
                        line,
                        i_value,
                        f"value {raw_value} is not a whole number",
                        f"a {data_type} measure counts: write a whole number such as 2",
                    )
                    continue
                if data_type in COUNTED_NUMERATORS and not value.is_integer():
                    bad(
                        line,
                        i_value,
                        f"numerator {raw_value} is not a whole number",
                        f"a {data_type}'s numerator counts cases or events: write a whole "
                        "number such as 2",
                    )
                    continue
            unit = cells[i_unit].strip() if i_unit >= 0 else ""
            if i_unit >= 0 and not good_unit(unit):
                bad(line, i_unit, *unit_problem(unit))
                continue
            key = (date, unit)
            if key in seen and not subgroups:
                where = f" for unit {unit}" if unit else ""
                bad(
                    line,
                    i_date,
                    f"{date} is entered twice{where}: lines {seen[key]} and {line}",
                    f"keep one value: qi data add {measure_id} VALUE --date {date} --replace "
                    f"(or qi data remove {measure_id} {date} removes both rows)",
                )
                continue
            seen.setdefault(key, line)
            note = cells[i_note].strip() if i_note >= 0 else ""
            excl = cells[i_excl].strip() if i_excl >= 0 else ""
            rows.append(
                DataRow(
                    date=date,
                    value=value,
                    denominator=denominator,
                    note=note or None,
                    exclude=excl or None,
                    line=line,
                    unit=unit or None,
                )
            )
    except CsvSyntaxError as exc:
        issues.append(
            Issue(
                display,
                f"CSV error: {exc}",
                line=exc.line,
                column=1,
                hint="check the quoting on this line",
            )
        )
    rows.sort(key=operator.attrgetter("date"))  # stable: a date's subgroups stay in order
    return MeasureRows.of(rows), issues


_BLOCK = 65536  # records read at once by `_clean_rows`


def _clean_rows(
    text: str, width: int, index: dict[str, int], measure: Measure | None
) -> MeasureRows | None:
    """The rows of a file that has nothing to report, read a column at a time; None when
    some row needs a closer look (`parse_data` then reads it row by row and says what
    is wrong). The rules are those of the row-by-row reader: a file either passes them
    all here or is read there.

    bench/bench_points.py: a million rows in a quarter of the row-by-row reader's time.
    """
    reader = csv.reader(io.StringIO(text))
    columns: dict[str, list[str]] = {name: [] for name in index}
    # records are read a block at a time as tuples, and each column is taken out of a
    # block in C: 3e9 fewer instructions than cell by cell for bench/bench_points.py's
    # million rows (the tuples hold only text, so the garbage collector stops walking
    # them; the same rows kept as lists cost it 2.3 s)
    try:
        next(reader)  # the header, read by the caller
        while block := list(map(tuple, itertools.islice(reader, _BLOCK))):
            if set(map(len, block)) != {width}:  # every record as wide as the header
                return None
            for name, i in index.items():
                columns[name].extend(map(operator.itemgetter(i), block))
    except csv.Error:
        return None
    size = len(columns["date"])
    # one record a line (no line break inside a quoted cell, no blank line): line
    # numbers follow from positions
    if size + 1 != text.count("\n") + (not text.endswith("\n")):
        return None
    # dates and numbers are read as written: a date with a space around it is not
    # YYYY-MM-DD, and float() reads a number with spaces around it as the stripped
    # cell, so neither needs a strip (a portfolio's 200-row file: 0.17 M instructions)
    try:
        dates = parse_iso_dates(columns["date"])
    except ValueError:
        return None
    raw_values, raw_dens = columns["value"], columns.get("denominator")
    values = _clean_numbers(raw_values)
    denominators: list[float | None] | None = (
        [None] * size if raw_dens is None else _clean_numbers(raw_dens)
    )
    if values is None or denominators is None:
        return None
    every_cell = all(raw_values) and raw_dens is not None and all(raw_dens)
    if not _values_pass(values, denominators, measure, every_cell=every_cell):
        return None
    units = _stripped(columns.get("unit"))
    if units is not None and not all(map(good_unit, units)):
        return None
    rows = MeasureRows(
        dates=dates,
        values=values,
        denominators=denominators,
        notes=_texts(_stripped(columns.get("note")), size),
        exclusions=_texts(_stripped(columns.get("exclude")), size),
        lines=range(2, size + 2),
        units=[None] * size if units is None else units,
    )
    # rows one a date, in date order (a file qi wrote): neither a sort nor a set of dates
    if units is None and all(map(operator.lt, dates, itertools.islice(dates, 1, None))):
        return rows
    keys = dates if units is None else list(zip(dates, units, strict=True))
    if (measure is None or measure.data_type != "subgroups") and len(set(keys)) != size:
        return None  # a date entered twice
    return rows.in_date_order()  # stable: a date's subgroups stay in order


def _stripped(cells: list[str] | None) -> list[str] | None:
    return None if cells is None else list(map(str.strip, cells))


def _texts(cells: list[str] | None, size: int) -> list[str | None]:
    """A text column's cells, None for an empty one (or for each row without the column)."""
    if cells is None or not any(cells):
        return [None] * size
    return [c or None for c in cells]


def _clean_numbers(cells: list[str]) -> list[float | None] | None:
    """The numbers of a column (None for an empty cell) when each reads as
    `parse_number` reads its stripped cell, within `MAX_VALUE`; else None."""
    written = "".join(cells)
    # what float() reads beyond `_NUMBER` (a thousands separator goes row by row)
    if not written.isascii() or "_" in written or "," in written:
        return None
    if "n" in written.lower():  # nan, inf or infinity, which the row reader refuses
        return None
    try:
        # float() reads a cell with spaces around it as the cell stripped (one of spaces
        # alone is no number: read row by row, where it is an empty cell)
        present = list(map(float, filter(None, cells)))
    except ValueError:
        return None
    # with no nan, infinity (a number too large for a float) is above the largest
    if max(present, default=0) > MAX_VALUE or min(present, default=0) < -MAX_VALUE:
        return None
    if len(present) == len(cells):  # no empty cell: the usual case
        return cast("list[float | None]", present)
    numbers = iter(present)
    return [next(numbers) if c else None for c in cells]


def _values_pass(
    values: list[float | None],
    denominators: list[float | None],
    measure: Measure | None,
    *,
    every_cell: bool,
) -> bool:
    """Whether every row's value and denominator keep the rules `parse_data` checks row
    by row (a denominator above zero; the rules of the measure's data type).

    Each rule is checked over a whole column in C where it can; `every_cell`: every
    row has a value and a denominator, so neither column holds None (a portfolio's
    200-row file: 0.25 M instructions fewer than row by row)."""
    data_type = measure.data_type if measure is not None else None
    needs_den = measure is not None and measure.needs_denominator
    proportion = data_type == "proportion"
    if every_cell:  # neither column holds None
        present, dens = cast("list[float]", values), cast("list[float]", denominators)
    else:
        present = [v for v in values if v is not None]
        dens = [d for d in denominators if d is not None]
    if min(dens, default=1) <= 0:
        return False
    if data_type in NON_NEGATIVE and min(present, default=0) < 0:
        return False
    counted = data_type in WHOLE_NUMBERS or data_type in COUNTED_NUMERATORS
    if counted and not all(map(float.is_integer, present)):
        return False
    if not (needs_den or proportion):
        return True
    if every_cell:
        return not proportion or all(map(operator.le, present, dens))
    for value, den in zip(values, denominators, strict=True):  # the rules on the two together
        if value is None:
            continue
        if den is None and needs_den:
            return False
        if proportion and den is not None and value > den:
            return False
    return True


def _names_columns(cells: list[str]) -> bool:
    """Is this row a header line (asked only of a row that is not data)?"""
    return {"date", "value"} <= {c.strip().lower() for c in cells}


def _second_header(display: str, line: int) -> Issue:
    """A header line among the rows: what a union merge makes of two branches that
    each changed the columns."""
    return Issue(
        display,
        "a second header line (two branches changed the columns, and a merge kept both)",
        line=line,
        column=1,
        hint="make line 1 name every column, delete this line, and check that each row's "
        "cells follow line 1's order",
    )


def column_of(lines: list[str], line: int, field_index: int) -> int:
    """1-based character column of a CSV field (exact for unquoted rows)."""
    if line - 1 >= len(lines):
        return 1
    raw = lines[line - 1]
    if '"' in raw:
        return 1
    parts = raw.split(",")
    return sum(len(p) + 1 for p in parts[:field_index]) + 1
