"""The words every format uses for rule names and Making Data Count icons.

One place, so a nurse reads "special cause improvement (lower)" in the terminal, the
Markdown, the HTML and the portfolio alike, never the code `improvement_low`.
No heavy imports: the report builder and every renderer use this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def counted(n: int, noun: str) -> str:
    """`1 project`, `2 projects`.

    >>> counted(1, "project"), counted(0, "project")
    ('1 project', '0 projects')
    """
    return f"{n} {noun}{'s' * (n != 1)}"


RULE_WORDS = {
    "shift": "shift",
    "trend": "trend",
    "outside_limits": "outside the limits",
    "two_of_three": "two of three near a limit",
    "crossings": "too few crossings",
    "runs": "unusual number of runs",
}

VARIATION_WORDS = {
    "common_cause": "common cause: no signal of change",
    "improvement_high": "special cause improvement (higher)",
    "improvement_low": "special cause improvement (lower)",
    "concern_high": "special cause concern (higher)",
    "concern_low": "special cause concern (lower)",
    "neutral_high": "special cause, neither better nor worse (higher)",
    "neutral_low": "special cause, neither better nor worse (lower)",
}
"""Long form of the variation icon, for sentences and wide table cells."""

VARIATION_SHORT = {
    "common_cause": "common cause",
    "improvement_high": "improvement (higher)",
    "improvement_low": "improvement (lower)",
    "concern_high": "concern (higher)",
    "concern_low": "concern (lower)",
    "neutral_high": "special cause (higher)",
    "neutral_low": "special cause (lower)",
    # the portfolio's summary for rules without icons (anhoej, ihi)
    "improvement": "improvement",
    "concern": "concern",
    "special_cause": "special cause",
    "no_data": "no data yet",
    "too_few_points": "too few points to tell",
}
"""Short form, for narrow terminal columns."""

ASSURANCE_WORDS = {
    "pass": "the process consistently meets the target",
    "fail": "the process consistently misses the target",
    "inconsistent": "the process will sometimes meet and sometimes miss the target",
}

ASSURANCE_SHORT = {
    "pass": "meets target",
    "fail": "misses target",
    "inconsistent": "hit and miss",
}


def rule_words(rules: Iterable[str]) -> str:
    """`shift, outside the limits`, or `none`."""
    return ", ".join(RULE_WORDS.get(r, r.replace("_", " ")) for r in rules) or "none"


def _variation_kind(entry: Mapping[str, Any]) -> str | None:
    """improvement, concern, special_cause, common_cause, or None (no data)."""
    variation = entry.get("variation")  # a portfolio row has worked this out already
    if variation is not None:
        return None if variation == "no_data" else str(variation)
    if entry.get("latest") is None:
        return None
    # as the portfolio says it (`portfolio._variation`): an improvement shows first
    if entry.get("improvement"):
        return "improvement"
    if entry.get("concern"):
        return "concern"
    return "special_cause" if entry.get("signals") else "common_cause"


def variation_words(entry: Mapping[str, Any], *, short: bool = False) -> str | None:
    """The variation of a measure in words, for any rule set.

    Making Data Count gives an icon; for Anhøj and IHI rules the signals say whether
    there is special cause and in which direction. None when there is no data.
    """
    icon = entry.get("variation_icon")
    if icon:
        table = VARIATION_SHORT if short else VARIATION_WORDS
        return table.get(str(icon), str(icon).replace("_", " "))
    kind = _variation_kind(entry)
    if kind is None:
        return None
    if kind in VARIATION_WORDS:  # an icon name, from a portfolio row
        return (VARIATION_SHORT if short else VARIATION_WORDS)[kind]
    if short:
        return VARIATION_SHORT.get(kind, kind.replace("_", " "))
    return {
        "improvement": "special cause improvement",
        "concern": "special cause concern",
        "special_cause": "special cause, neither better nor worse",
        "too_few_points": "too few points to tell common cause from a real change",
    }.get(kind, VARIATION_WORDS["common_cause"])


def assurance_words(entry: Mapping[str, Any], *, short: bool = False) -> str | None:
    """The assurance icon in words; None without a target or for non-mdc rules."""
    icon = entry.get("assurance_icon")
    if not icon:
        return None
    table = ASSURANCE_SHORT if short else ASSURANCE_WORDS
    return table.get(str(icon), str(icon).replace("_", " "))
