"""Dates: the one place that turns text into a date.

Three forms, one rule each: what files hold (exactly YYYY-MM-DD), what a person types
on the command line or at a prompt (YYYY-MM-DD, or today / yesterday / tomorrow), and
what a spreadsheet export holds (ISO, day/month or month/day, or "5 Jan 2026").
"""

from __future__ import annotations

import datetime as dt
import re

from qi_cli.errors import UsageError

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


def parse_user_date(text: str, what: str, today: dt.date) -> dt.date:
    """A date typed as YYYY-MM-DD, or today / yesterday / tomorrow.

    >>> parse_user_date("2025-03-04", "--start", dt.date(2025, 1, 1))
    datetime.date(2025, 3, 4)
    >>> parse_user_date("yesterday", "--start", dt.date(2025, 1, 1))
    datetime.date(2024, 12, 31)
    >>> parse_user_date("2025-02-30", "--start", dt.date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    qi_cli.errors.UsageError: --start: 2025-02-30 is not a date: day is out of range for month
    """
    word = text.strip().lower()
    relative = {"today": 0, "yesterday": -1, "tomorrow": 1}
    if word in relative:
        return today + dt.timedelta(days=relative[word])
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", word):
        raise UsageError(
            f"{what}: '{text}' is not a date",
            hint="write dates as YYYY-MM-DD (e.g. 2025-03-04), or today / yesterday",
        )
    year, month, day = (int(part) for part in word.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise UsageError(
            f"{what}: {text} is not a date: {exc}",
            hint="check the day and the month (YYYY-MM-DD)",
        ) from None


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_NAMED = ("%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%b %d %Y", "%B %d %Y")


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
    match = _NUMERIC.match(text)
    if match:
        a, b, year_text = match.groups()
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        if not dayfirst and not monthfirst:
            raise ValueError(
                f"'{text}' could be day/month or month/day: "
                "pass --dayfirst (UK, 31/01/2026) or --monthfirst (US, 01/31/2026)"
            )
        day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
        return dt.date(year, month, day)
    cleaned = text.replace(",", "")
    for form in _NAMED:
        try:
            return dt.datetime.strptime(cleaned, form).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date")
