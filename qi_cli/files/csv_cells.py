"""A measure data file's columns, its rows, and the rules on each cell.

The CSV reader (`csv_file`) and the clean-file path beside it keep these rules; `qi data
add` and the spreadsheet import check a new value by the same reader, so what is written
is what is read.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import NamedTuple, overload

CSV_COLUMNS = ("date", "value", "denominator", "note", "exclude", "unit")
NON_NEGATIVE = ("proportion", "rate", "count", "time_between", "cases_between")
"""Data types whose values cannot be below zero."""
WHOLE_NUMBERS = ("count", "cases_between")
"""Data types that count events or cases, so their values are whole numbers."""
COUNTED_NUMERATORS = ("proportion", "rate")
"""Data types whose value is a numerator: a count of cases or events, a whole number."""


class DataRow(NamedTuple):
    """One row of a measure's CSV file (a named tuple: a portfolio holds many)."""

    date: dt.date
    value: float | None
    denominator: float | None = None
    note: str | None = None
    exclude: str | None = None
    line: int = 0
    unit: str | None = None
    """The ward, team or site the value belongs to (a file with a `unit` column)."""


@dataclass(frozen=True, eq=False)
class MeasureRows(Sequence[DataRow]):
    """A measure's rows, kept a column per field: ``rows[i]`` is the `DataRow` at
    position ``i``, ``rows.values`` every value. The loader gives them in date order.

    A `DataRow` is built only when one is asked for: a million rows kept as objects
    cost the garbage collector a walk over each of them at every full collection
    (bench/bench_points.py: the HTML report of 1M points, 3.5 s of processor time less).
    """

    dates: Sequence[dt.date]
    values: Sequence[float | None]
    denominators: Sequence[float | None]
    notes: Sequence[str | None]
    exclusions: Sequence[str | None]
    """Each row's `exclude` cell: why its value is left out of the calculations."""
    lines: Sequence[int]
    units: Sequence[str | None]

    def __post_init__(self) -> None:
        size = len(self.dates)
        for f in fields(self):
            if len(getattr(self, f.name)) != size:
                raise ValueError(f"rows: {f.name} has {len(getattr(self, f.name))} entries")

    @classmethod
    def of(cls, rows: Iterable[DataRow]) -> MeasureRows:
        """Rows given one by one, kept as columns (rows that already are: themselves)."""
        if isinstance(rows, MeasureRows):
            return rows
        listed = list(rows)
        return cls(
            dates=[r.date for r in listed],
            values=[r.value for r in listed],
            denominators=[r.denominator for r in listed],
            notes=[r.note for r in listed],
            exclusions=[r.exclude for r in listed],
            lines=[r.line for r in listed],
            units=[r.unit for r in listed],
        )

    def __len__(self) -> int:
        return len(self.dates)

    @overload
    def __getitem__(self, i: int) -> DataRow: ...
    @overload
    def __getitem__(self, i: slice) -> MeasureRows: ...
    def __getitem__(self, i: int | slice) -> DataRow | MeasureRows:
        if isinstance(i, slice):
            return MeasureRows(**{f.name: getattr(self, f.name)[i] for f in fields(self)})
        return DataRow(
            date=self.dates[i],
            value=self.values[i],
            denominator=self.denominators[i],
            note=self.notes[i],
            exclude=self.exclusions[i],
            line=self.lines[i],
            unit=self.units[i],
        )

    def __iter__(self) -> Iterator[DataRow]:
        # the columns in the order of DataRow's fields
        columns = (self.dates, self.values, self.denominators, self.notes, self.exclusions)
        return map(DataRow, *columns, self.lines, self.units)

    def __eq__(self, other: object) -> bool:
        """The same rows as other rows, or as a list or tuple of `DataRow`s."""
        if isinstance(other, MeasureRows | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def take(self, positions: Iterable[int]) -> MeasureRows:
        """The rows at these positions, in the order given."""
        chosen = list(positions)
        return MeasureRows(
            **{f.name: [getattr(self, f.name)[k] for k in chosen] for f in fields(self)}
        )

    def in_date_order(self) -> MeasureRows:
        """The rows sorted by date (a date's rows keep their order): themselves when
        they already are."""
        dates = self.dates
        if all(map(operator.le, dates, itertools.islice(dates, 1, None))):
            return self
        return self.take(sorted(range(len(dates)), key=dates.__getitem__))


NO_ROWS = MeasureRows(
    dates=(), values=(), denominators=(), notes=(), exclusions=(), lines=(), units=()
)
"""A measure with no data (yet)."""


# Larger values are typing slips: doubles stop counting in whole numbers above 2**53,
# and the sums behind the limits of values near 1e308 overflow to infinity.
MAX_VALUE = 1e15
TOO_LARGE_HINT = "qi reads numbers up to 10^15: check for a typing slip"


# a number as people write it in a cell: ASCII digits, a point, an exponent. Python's
# float() also reads `1_000`, full-width digits `５` and `nan`: none is a value a
# person meant, so each is refused (the reason in `number_problem`)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)


def number_problem(text: str) -> str | None:
    """Why a cell is not a number, in words ("" for no particular reason), or None."""
    plain = text.replace(",", "") if "," in text and "." in text else text
    if _NUMBER.fullmatch(plain):
        return None
    if "_" in text:
        return "write it without underscores, e.g. 1000"
    if not text.isascii():
        return "type the digits 0-9 (this one holds other characters, e.g. full-width digits)"
    return ""


def parse_number(text: str) -> float:
    """A number as written in a cell; `1,234.5` is read with its thousands separator."""
    if "_" in text or not text.isascii():  # what float() reads beyond `_NUMBER`, less nan
        raise ValueError(text)
    value = float(text.replace(",", "") if "," in text and "." in text else text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


MAX_UNIT_LENGTH = 60


def good_unit(unit: str) -> bool:
    return 0 < len(unit) <= MAX_UNIT_LENGTH and unit.isprintable()


def unit_problem(unit: str) -> tuple[str, str]:
    """(message, hint) for a unit cell that `good_unit` refuses."""
    if not unit:
        return "row has no unit", "name the ward, team or site of every row in the unit column"
    if len(unit) > MAX_UNIT_LENGTH:
        return (
            f"unit name is {len(unit)} characters long",
            f"a unit's name is at most {MAX_UNIT_LENGTH} characters: use a short name",
        )
    return "unit name holds a control character", "write the unit's name as plain text"
