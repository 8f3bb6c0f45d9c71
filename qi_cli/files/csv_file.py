"""A measure's data file (CSV): reading it with every problem found, and writing it.

The format: a header line naming the columns (`date,value` and, as needed,
`denominator`, `note`, `exclude`, `unit`), then one row per value, dates written YYYY-MM-DD.
Rows may come in any order (they are sorted by date when read): a git merge of two
branches that each added data (`merge=union`, see `qi project gitattributes`) keeps the
new lines of both sides, one after the other. A row may stop short of the last columns.

- `csv_records.read_records` is the one place that turns CSV text into records with
  line numbers: the data reader, the writer and the spreadsheet import all read
  through it.
- `parse_data` reads a measure's rows and reports each problem with its line and
  column (`qi validate`); `qi data add` checks a new value with it too, so what the
  writer accepts is exactly what the reader accepts.
- Writing (a file kept as lines, changed only where a row is added or replaced) is
  `csv_table`'s.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import operator
from pathlib import Path

from qi_cli.dates import parse_iso_date
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
from qi_cli.files.csv_columns import clean_rows
from qi_cli.files.csv_records import CR_ONLY, CsvSyntaxError, column_of, read_records
from qi_cli.files.disk import MAX_CSV_BYTES, display_path, read_text
from qi_cli.measure_model import Measure

ENTERED_TWICE = "is entered twice"
"""The words of the one error a write may go on with: `qi data add --replace` and `qi
data remove` are how a date entered twice is put right."""


def _syntax_issue(display: str, exc: CsvSyntaxError) -> Issue:
    return Issue(display, str(exc), line=exc.line, column=exc.column, hint=exc.hint)


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
    # the file's lines, split once when a problem's column is wanted (at line feeds
    # alone, as the csv reader counts lines: a note may hold a form feed)
    lines = functools.cache(lambda: text.split("\n"))
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
        return NO_ROWS, [_syntax_issue(display, exc)]
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
    clean = clean_rows(text, width, index, measure)
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
                if data_type == "proportion" and not denominator.is_integer():
                    bad(
                        line,
                        i_den,
                        f"denominator {raw_den} is not a whole number",
                        "a proportion's denominator counts cases: write a whole number such "
                        "as 20 (a rate's denominator, an exposure, may have decimals)",
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
                    f"{date} {ENTERED_TWICE}{where}: lines {seen[key]} and {line}",
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
        issues.append(_syntax_issue(display, exc))
    rows.sort(key=operator.attrgetter("date"))  # stable: a date's subgroups stay in order
    return MeasureRows.of(rows), issues


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
