"""A measure's CSV with nothing to report, read a column at a time.

`csv_file.parse_data` reads every file here first: a file that keeps every rule is read
as whole columns, each rule checked over a column in C; a file where some row needs a
closer look comes back as None, to be read row by row (and told what is wrong). The
rules are those of the row-by-row reader: a file either passes them all here or is read
there (tests check that both readers agree).
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from typing import cast

from qi_cli.dates import parse_iso_dates
from qi_cli.files.csv_cells import (
    COUNTED_NUMERATORS,
    MAX_VALUE,
    NON_NEGATIVE,
    WHOLE_NUMBERS,
    MeasureRows,
    good_unit,
)
from qi_cli.files.csv_records import CsvSyntaxError, read_records
from qi_cli.measure_model import Measure

_BLOCK = 65536  # records read at once by `clean_rows`


def clean_rows(
    text: str, width: int, index: dict[str, int], measure: Measure | None
) -> MeasureRows | None:
    """The rows of a file that has nothing to report, read a column at a time; None when
    some row needs a closer look (`csv_file.parse_data` then reads it row by row and says what
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
    # a quote never closed can only be on the last line (it runs to the end of the
    # file, so it passes the count above): read row by row, which reports it
    last = text[text.rfind("\n", 0, len(text) - 1) + 1 :]
    if '"' in last:
        try:
            list(read_records(last))
        except CsvSyntaxError:
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
    if proportion and not all(map(float.is_integer, dens)):  # a count of cases
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
