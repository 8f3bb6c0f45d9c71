"""What a person types about a cycle: held answers, decisions, purposes, date order."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import get_args

from qi_cli.errors import FieldError, UsageError
from qi_cli.model import HELD_WORDS, Decision, HeldWord, Purpose

DECISIONS: tuple[str, ...] = get_args(Decision)
PURPOSES: tuple[str, ...] = get_args(Purpose)
CYCLE_STATUSES = ("planned", "running", "done", "cancelled", "open")
WHO_FIELDS = ("who", "what", "when", "where")


def check_date_order(start: dt.date | None, end: dt.date | None, what: str) -> None:
    if start and end and end < start:
        raise UsageError(
            f"the {what} end date {end} is before its start date {start}",
            hint="the end is the last day of the test: on or after the start",
        )


def check_test_date(
    day: dt.date, today: dt.date, *, field: str, start: dt.date | None = None
) -> None:
    """A day the test was done (the field `do.start` or `do.end`): not in the future, and
    an end not before its start."""
    if day > today:
        raise FieldError(
            field,
            f"{{{field}}}: {day} is in the future",
            hint="log a test after it is done; plan future tests with `qi cycle new`",
        )
    if start is not None and day < start:
        raise FieldError(
            field,
            f"{{{field}}}: {day} is before the start of the test, {start}",
            hint="the end is the last day of the test: on or after the start",
        )


def likely_test_date(planned: dt.date | None, today: dt.date) -> dt.date:
    """The day a test being logged most likely began: as planned, unless that is still to
    come (then today)."""
    return planned if planned and planned <= today else today


def parse_held_word(text: str) -> HeldWord | None:
    """Did a prediction hold: yes, no or partly as the worksheet has them; `?` or
    `not yet known` (or nothing) for not known yet.

    >>> [parse_held_word(t) for t in ("Yes", "n", "partly", "not yet known")]
    ['yes', 'no', 'partly', None]
    """
    word = " ".join(text.lower().split())
    if word in HELD_WORDS:
        return HELD_WORDS[word]
    raise UsageError(
        f"held: '{text}' is not yes, no or partly",
        hint="write yes, no, partly, or ? if not yet known",
    )


def parse_held(values: Iterable[str]) -> list[HeldWord | None]:
    """Whether each prediction held, in order; each value may hold several, comma-separated.

    >>> parse_held(["yes,partly", "?"])
    ['yes', 'partly', None]
    """
    held = []
    for i, part in enumerate((p for v in values for p in v.split(",")), start=1):
        try:
            held.append(parse_held_word(part))
        except UsageError as exc:
            raise FieldError(
                "study.held",
                f"{{study.held}} (prediction {i}): '{part}' is not yes, no or partly",
                hint=exc.hint,
            ) from None
    return held


def parse_decision(text: str) -> str:
    """adopt, adapt or abandon; anything else is refused with the three choices."""
    word = text.strip().lower()
    if word in DECISIONS:
        return word
    close = {"adopted": "adopt", "adapted": "adapt", "abandoned": "abandon"}.get(word)
    raise UsageError(
        f"'{text}' is not a decision",
        hint=(f"did you mean '{close}'? " if close else "")
        + "choose adopt (keep the change), adapt (change it and test again) "
        "or abandon (stop testing it)",
    )


def parse_purpose(text: str) -> str:
    """The purpose of a cycle; a unique prefix or spaces instead of underscores will do.

    >>> parse_purpose("collect information")
    'collect_information'
    """
    word = re.sub(r"[\s-]+", "_", text.strip().lower())
    matches = [p for p in PURPOSES if p == word] or [p for p in PURPOSES if p.startswith(word)]
    if word and len(matches) == 1:
        return matches[0]
    raise UsageError(f"'{text}' is not a purpose", hint=f"choose one of: {', '.join(PURPOSES)}")
