"""Dates as a person types them on the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from qi_cli.dates import parse_iso_date, parse_iso_dates, parse_user_date
from qi_cli.errors import UsageError

TODAY = dt.date(2025, 3, 10)


def test_dates_iso_and_words() -> None:
    assert parse_user_date("2025-03-04", "--start", TODAY) == dt.date(2025, 3, 4)
    assert parse_user_date("today", "--start", TODAY) == TODAY
    assert parse_user_date(" Tomorrow ", "--start", TODAY) == dt.date(2025, 3, 11)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2025-02-30", "day is out of range"),
        ("2025-13-01", "month must be in 1..12"),
        ("04/03/2025", "is not a date"),
        ("next week", "is not a date"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(UsageError, match=reason) as info:
        parse_user_date(text, "--start", TODAY)
    assert info.value.hint


def test_a_column_of_dates_is_read_as_each_date_would_be() -> None:
    assert parse_iso_dates(["2026-01-12", "2024-02-29"]) == [
        dt.date(2026, 1, 12),
        dt.date(2024, 2, 29),
    ]
    assert parse_iso_dates([]) == []


@pytest.mark.parametrize(
    "bad",
    [
        "20260112",
        "2026-1-12",
        "2026-01-12 ",
        "2026-02-30",
        "２０２６-01-12",
        "2026-01-12\n2026-01-13",
        "",
        "2026-W02-1",  # an ISO week date, which Python reads
        "2026/01/12",
    ],
)
def test_a_column_with_one_date_not_written_yyyy_mm_dd_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_iso_date(bad)
    with pytest.raises(ValueError):
        parse_iso_dates(["2026-01-05", bad, "2026-01-19"])
