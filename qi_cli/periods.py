"""Calendar periods of a measure's dates: days, weeks, months and quarters.

A regular series (daily, weekly, monthly, quarterly) has one date per period; a period
with no date in it is a gap. `missing_periods` finds the gaps (`qi validate` warns of
them) and `gap_dates` gives the dates a chart draws as missing points.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import operator
from collections.abc import Sequence

REGULAR = ("daily", "weekly", "monthly", "quarterly")
"""Frequencies with a calendar: a period with no date in it is a gap."""

PERIOD_NAMES = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}
"""One period of each regular frequency, in words."""

MAX_FILLED_GAP = 1000
"""The longest run of missing periods drawn as gaps: 19 years of weeks, 83 of months."""


def periods(frequency: str, dates: Sequence[dt.date]) -> list[int]:
    """The number of the day, week (Monday to Sunday), month or quarter of each date.

    >>> periods("weekly", [dt.date(2026, 1, 4), dt.date(2026, 1, 5)])  # Sunday, Monday
    [105659, 105660]
    """
    if frequency == "daily":
        return list(map(dt.date.toordinal, dates))
    if frequency == "weekly":
        return [(o - 1) // 7 for o in map(dt.date.toordinal, dates)]
    if frequency == "monthly":
        return [d.year * 12 + d.month - 1 for d in dates]
    if frequency == "quarterly":
        return [d.year * 4 + (d.month - 1) // 3 for d in dates]
    raise ValueError(f"no calendar periods for {frequency!r} data")


def period_number(frequency: str, date: dt.date) -> int:
    """The period number of one date, as `periods` counts them."""
    return periods(frequency, [date])[0]


def missing_periods(frequency: str, dates: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Calendar gaps in a regular series, as (last date before, first date after) pairs.

    >>> missing_periods("weekly", [dt.date(2025, 1, 6), dt.date(2025, 1, 13), dt.date(2025, 1, 27)])
    [(datetime.date(2025, 1, 13), datetime.date(2025, 1, 27))]
    """
    if frequency not in REGULAR:  # irregular: no calendar to compare with
        return []
    in_order = all(map(operator.lt, dates, dates[1:]))  # no repeats either: the usual case
    if in_order and frequency in ("daily", "weekly"):
        # a date every day (every 7 days): one in each period, none missing, seen from the
        # steps between dates in C (portfolio of 1,000 projects: 0.3 M instructions a project less)
        ordinals = list(map(dt.date.toordinal, dates))
        steps = set(map(operator.sub, itertools.islice(ordinals, 1, None), ordinals))
        if steps <= {1 if frequency == "daily" else 7}:
            return []
    ordered = list(dates) if in_order else sorted(set(dates))
    numbers = periods(frequency, ordered)
    if len(set(numbers)) == len(numbers) and (
        not numbers or numbers[-1] - numbers[0] < len(numbers)
    ):
        return []  # one date in each period, none missing: the usual case, found quickly
    return [
        (ordered[k - 1], ordered[k])
        for k in range(1, len(ordered))
        if numbers[k] - numbers[k - 1] > 1
    ]


def add_months(date: dt.date, months: int) -> dt.date:
    """`date` moved by whole months, on the same day or the month's last day.

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    month0 = date.month - 1 + months
    year, month = date.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def add_days(date: dt.date, days: int) -> dt.date:
    """`date + days`, stopping at the last date Python has (9999-12-31) instead of failing."""
    if dt.date.max - date <= dt.timedelta(days=days):
        return dt.date.max
    return date + dt.timedelta(days=days)


def period_days(frequency: str) -> int:
    """The longest period of a frequency in days (0 for irregular data)."""
    return {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92}.get(frequency, 0)


def gap_dates(frequency: str, before: dt.date, after: dt.date) -> list[dt.date]:
    """The dates of the periods missing between two dates of a regular series.

    One date per missing period, stepping from ``before`` by the frequency.

    >>> gap_dates("weekly", dt.date(2026, 1, 5), dt.date(2026, 1, 26))
    [datetime.date(2026, 1, 12), datetime.date(2026, 1, 19)]
    >>> gap_dates("monthly", dt.date(2026, 1, 31), dt.date(2026, 4, 30))
    [datetime.date(2026, 2, 28), datetime.date(2026, 3, 31)]
    """
    if frequency not in REGULAR:
        return []
    out: list[dt.date] = []
    last = period_number(frequency, after)
    step = 1
    while True:
        if frequency == "daily":
            date = add_days(before, step)
        elif frequency == "weekly":
            date = add_days(before, 7 * step)
        else:
            try:
                date = add_months(before, step * (3 if frequency == "quarterly" else 1))
            except ValueError:  # after 9999-12-31: no period is missing there
                return out
        if period_number(frequency, date) >= last or date >= after:
            return out
        out.append(date)
        step += 1


def fill_gaps(
    frequency: str, dates: list[dt.date]
) -> tuple[set[dt.date], list[tuple[dt.date, dt.date, int]]]:
    """The dates of the missing periods to draw as gaps, and the stretches too long to
    draw (more than `MAX_FILLED_GAP` periods: a slip in a date, 2062 for 2026, not
    missing data) as (last date before, first date after, periods missing).

    >>> fill_gaps("monthly", [dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2226, 1, 1)])
    ({datetime.date(2026, 2, 1)}, [(datetime.date(2026, 3, 1), datetime.date(2226, 1, 1), 2397)])
    """
    gaps: set[dt.date] = set()
    too_long: list[tuple[dt.date, dt.date, int]] = []
    for before, after in missing_periods(frequency, dates):
        missing = period_number(frequency, after) - period_number(frequency, before) - 1
        if missing > MAX_FILLED_GAP:
            too_long.append((before, after, missing))
        else:
            gaps.update(gap_dates(frequency, before, after))
    return gaps, too_long
