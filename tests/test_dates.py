"""Dates as a person types them on the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from qi_cli.dates import parse_user_date
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
