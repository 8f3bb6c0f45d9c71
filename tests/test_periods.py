"""periods: calendar periods of a measure's dates, the gaps between them."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qi_cli.periods import MAX_FILLED_GAP, fill_gaps, gap_dates, missing_periods, periods


def test_gap_dates_by_frequency() -> None:
    assert gap_dates("daily", dt.date(2026, 1, 1), dt.date(2026, 1, 4)) == [
        dt.date(2026, 1, 2),
        dt.date(2026, 1, 3),
    ]
    assert gap_dates("monthly", dt.date(2026, 1, 1), dt.date(2026, 3, 1)) == [dt.date(2026, 2, 1)]
    assert gap_dates("quarterly", dt.date(2026, 1, 1), dt.date(2026, 10, 1)) == [
        dt.date(2026, 4, 1),
        dt.date(2026, 7, 1),
    ]
    assert gap_dates("irregular", dt.date(2026, 1, 1), dt.date(2026, 10, 1)) == []
    # consecutive weeks, even on different weekdays, are no gap
    assert gap_dates("weekly", dt.date(2026, 1, 5), dt.date(2026, 1, 16)) == []


@pytest.mark.parametrize("frequency", ["daily", "weekly", "monthly", "quarterly"])
def test_gap_dates_stop_before_the_last_date_python_has(frequency: str) -> None:
    for before in (dt.date(9999, 10, 1), dt.date(9999, 12, 25)):  # the next period is past 9999
        assert all(d < dt.date(9999, 12, 31) for d in gap_dates(frequency, before, dt.date.max))


# the definition, a date at a time: day, week from Monday, month, quarter
PERIOD_NUMBER = {
    "daily": lambda d: d.toordinal(),
    "weekly": lambda d: (d.toordinal() - 1) // 7,
    "monthly": lambda d: d.year * 12 + d.month - 1,
    "quarterly": lambda d: d.year * 4 + (d.month - 1) // 3,
}


@settings(max_examples=200, deadline=None)
@example("weekly", [])
@example("monthly", [dt.date(2026, 1, 31), dt.date(2026, 2, 1), dt.date(2026, 3, 1)])
@given(
    st.sampled_from(["daily", "weekly", "monthly", "quarterly"]),
    st.lists(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), max_size=40),
)
def test_missing_periods_matches_the_date_by_date_definition(
    frequency: str, dates: list[dt.date]
) -> None:
    number = PERIOD_NUMBER[frequency]
    ordered = sorted(set(dates))
    assert periods(frequency, ordered) == [number(d) for d in ordered]
    expected = [(a, b) for a, b in itertools.pairwise(ordered) if number(b) - number(a) > 1]
    assert missing_periods(frequency, dates) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["daily", "weekly", "monthly", "quarterly"]),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.integers(1, 40),
    st.sampled_from([1, 6, 7, 8, 14]),
    st.lists(st.integers(0, 39), max_size=3),
)
def test_missing_periods_of_evenly_spaced_dates(
    frequency: str, first: dt.date, n: int, step: int, moved: list[int]
) -> None:
    # a date every `step` days, a few of them a day later: the usual series and near misses
    dates = [first + dt.timedelta(days=step * k + (k in moved)) for k in range(n)]
    number = PERIOD_NUMBER[frequency]
    ordered = sorted(set(dates))
    expected = [(a, b) for a, b in itertools.pairwise(ordered) if number(b) - number(a) > 1]
    assert missing_periods(frequency, dates) == expected
    if frequency == "weekly" and step == 7 and not moved:
        assert expected == []


def test_fill_gaps_draws_short_gaps_and_reports_long_stretches() -> None:
    dates = [dt.date(2026, 1, 1), dt.date(2026, 3, 1), dt.date(2226, 1, 1)]
    gaps, too_long = fill_gaps("monthly", dates)
    assert gaps == {dt.date(2026, 2, 1)}
    # March 2026 to January 2226: 200 years less two months, so 2,397 months missing
    assert too_long == [(dt.date(2026, 3, 1), dt.date(2226, 1, 1), 200 * 12 - 2 - 1)]
    assert too_long[0][2] > MAX_FILLED_GAP
    assert fill_gaps("irregular", dates) == (set(), [])
