"""Dates: the one place that turns text into a date.

Three forms, one rule each: what files hold (exactly YYYY-MM-DD), what a person types
on the command line or at a prompt (YYYY-MM-DD, today / yesterday / tomorrow, and
31/01/2026 when the project says its dates are day-first), and what a spreadsheet
export holds (ISO, day/month or month/day, or "5 Jan 2026").

A date written with numbers only (03/04/2026) is never read by guessing: a project
setting, a flag, or a file whose other dates allow only one reading decides.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from qi_cli.errors import UsageError

DateOrder = Literal["iso", "day-first", "month-first"]
"""How a project's people write dates by hand (`settings.dates` in project.yaml)."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(text: str) -> dt.date:
    """A date written exactly as YYYY-MM-DD (Python 3.11 would also take 20260112).

    >>> parse_iso_date("2026-01-12")
    datetime.date(2026, 1, 12)
    """
    if len(text) == 10 and text[4] == "-" and text[7] == "-":  # the usual case, fast
        return dt.date.fromisoformat(text)
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return dt.date.fromisoformat(text)


_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")


def parse_iso_dates(texts: list[str]) -> list[dt.date]:
    """Many dates, each written exactly as YYYY-MM-DD (a column of a data file); raise
    ValueError when one is not.

    The form of the whole column is checked at once: with each digit 0-9 written as 0,
    the column reads 0000-00-00 on every line (bench/bench_points.py: a million dates
    checked in a seventh of the time a pattern over the joined column took, and without
    the 170 MB the pattern held).

    >>> parse_iso_dates(["2026-01-12", "2026-01-13"])
    [datetime.date(2026, 1, 12), datetime.date(2026, 1, 13)]
    """
    form = "\n".join(texts).translate(_DIGITS_AS_ZERO)
    if form != "\n".join(["0000-00-00"] * len(texts)):
        raise ValueError("a date not written YYYY-MM-DD")
    return list(map(dt.date.fromisoformat, texts))


_TYPED_NUMERIC = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")


def parse_user_date(text: str, what: str, today: dt.date, order: DateOrder = "iso") -> dt.date:
    """A date typed as YYYY-MM-DD, or today / yesterday / tomorrow; with a project's
    `order`, also 31/01/2026 (day-first) or 01/31/2026 (month-first).

    >>> parse_user_date("2025-03-04", "--start", dt.date(2025, 1, 1))
    datetime.date(2025, 3, 4)
    >>> parse_user_date("yesterday", "--start", dt.date(2025, 1, 1))
    datetime.date(2024, 12, 31)
    >>> parse_user_date("03/04/2025", "--start", dt.date(2025, 1, 1), "day-first")
    datetime.date(2025, 4, 3)
    >>> parse_user_date("2025-02-30", "--start", dt.date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    qi_cli.errors.UsageError: --start: 2025-02-30 is not a date: day is out of range for month
    """
    word = text.strip().lower()
    if not word:
        raise UsageError(
            f"{what} is empty", hint="give a date as YYYY-MM-DD, or leave the option out"
        )
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if word in relative:
        return today + dt.timedelta(days=relative[word])
    numeric = _TYPED_NUMERIC.fullmatch(word)
    if numeric and order != "iso":
        first, second, year = (int(part) for part in numeric.groups())
        day, month = (first, second) if order == "day-first" else (second, first)
        form = "DD/MM/YYYY" if order == "day-first" else "MM/DD/YYYY"
        return _checked_date(text, what, year, month, day, form)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", word):
        hint = "write dates as YYYY-MM-DD (e.g. 2025-03-04), or today / yesterday"
        if numeric:
            hint += (
                "; to type 31/01/2025, set the project's date order: "
                "qi project set settings.dates day-first"
            )
        elif order != "iso":
            example = "31/01/2025" if order == "day-first" else "01/31/2025"
            hint = f"write dates as {example} or YYYY-MM-DD, or today / yesterday"
        raise UsageError(f"{what}: '{text}' is not a date", hint=hint)
    year, month, day = (int(part) for part in word.split("-"))
    return _checked_date(text, what, year, month, day, "YYYY-MM-DD")


def _checked_date(text: str, what: str, year: int, month: int, day: int, form: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise UsageError(
            f"{what}: {text} is not a date: {exc}",
            hint=f"check the day and the month ({form})",
        ) from None


_ISO = re.compile(
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
)
_NUMERIC = re.compile(
    r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{2}|[0-9]{4})"
    r"(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?$"
)
_NAMED = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%b %d %Y", "%B %d %Y")


def spreadsheet_date_orders(text: str) -> frozenset[DateOrder] | None:
    """The readings of a numbers-only date (day-first, month-first) that are real dates;
    None for a cell whose reading does not depend on the order (ISO, "5 Jan 2026").

    >>> sorted(spreadsheet_date_orders("13/01/2026")), sorted(spreadsheet_date_orders("03/04/26"))
    (['day-first'], ['day-first', 'month-first'])
    >>> spreadsheet_date_orders("2026-01-13") is None
    True
    """
    match = _NUMERIC.match(text.strip())
    if not match:
        return None
    a, b, year_text = match.groups()
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    orders: set[DateOrder] = set()
    for order, (day, month) in (("day-first", (a, b)), ("month-first", (b, a))):
        try:
            dt.date(year, int(month), int(day))
        except ValueError:
            continue
        orders.add(order)  # type: ignore[arg-type]
    return frozenset(orders)


def parse_spreadsheet_date(
    text: str, *, dayfirst: bool = False, monthfirst: bool = False
) -> dt.date:
    """A date from a spreadsheet cell; ValueError names what was wrong.

    >>> parse_spreadsheet_date("2026-01-05"), parse_spreadsheet_date("05/01/2026", dayfirst=True)
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))
    >>> parse_spreadsheet_date("5 Jan 2026"), parse_spreadsheet_date("2026-01-05 00:00:00")
    (datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))
    """
    text = text.strip()
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return dt.date(year, month, day)
    orders = spreadsheet_date_orders(text)
    if orders is not None:
        a, b, year_text = _NUMERIC.match(text).groups()  # type: ignore[union-attr]
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if not dayfirst and not monthfirst:
            if not orders:
                raise ValueError(f"'{text}' is not a date")
            if len(orders) > 1:
                raise ValueError(
                    f"'{text}' could be day/month or month/day: "
                    "pass {dayfirst} (UK, 31/01/2026) or {monthfirst} (US, 01/31/2026)"
                )
            dayfirst = "day-first" in orders
        day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
        try:
            return dt.date(year, month, day)
        except ValueError as exc:
            form = "day/month/year" if dayfirst else "month/day/year"
            raise ValueError(f"'{text}' is not a date as {form}: {exc}") from None
    cleaned = text.replace(",", "")
    for form in _NAMED:
        try:
            return dt.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date")


def parse_period(text: str, what: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """A period typed as FROM..TO, either end left open (`2026-01-01..`).

    >>> parse_period("2026-01-01..2026-03-31", "--period", dt.date(2026, 6, 1))
    (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    >>> parse_period("..2026-03-31", "--period", dt.date(2026, 6, 1))
    (None, datetime.date(2026, 3, 31))
    """
    if ".." not in text:
        raise UsageError(
            f"{what} '{text}' is not FROM..TO", hint=f"e.g. {what} 2026-01-01..2026-03-31"
        )
    start_text, end_text = (part.strip() for part in text.split("..", 1))
    start = parse_user_date(start_text, what, today) if start_text else None
    end = parse_user_date(end_text, what, today) if end_text else None
    if start and end and end < start:
        raise UsageError(f"{what} ends before it starts", hint="write FROM..TO, earliest first")
    return start, end
