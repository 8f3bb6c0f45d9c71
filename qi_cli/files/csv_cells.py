"""A measure data file's columns, its row, and the rules on each cell.

The CSV reader (`csv_file`) and the clean-file path beside it keep these rules; `qi data
add` and the spreadsheet import check a new value by the same reader, so what is written
is what is read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import NamedTuple

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
