"""The words every format uses for rule names and Making Data Count icons.

One place, so a nurse reads "special cause improvement (lower)" in the terminal, the
Markdown, the HTML and the portfolio alike, never the code `improvement_low`.
The report builder and every renderer use this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class IconWords:
    """The words for one Making Data Count icon, in each place it is shown."""

    words: str
    """For sentences and wide table cells."""
    short: str
    """For narrow terminal columns."""
    explained: str
    """The line under a chart, saying what the icon means."""


VARIATION_WORDS = {
    "common_cause": IconWords(
        words="common cause: no signal of change",
        short="common cause",
        explained="common cause: no sign of change, the process is doing what it usually does",
    ),
    "improvement_high": IconWords(
        words="special cause improvement (higher)",
        short="improvement (higher)",
        explained="special cause, improvement: higher than expected, and higher is better",
    ),
    "improvement_low": IconWords(
        words="special cause improvement (lower)",
        short="improvement (lower)",
        explained="special cause, improvement: lower than expected, and lower is better",
    ),
    "concern_high": IconWords(
        words="special cause concern (higher)",
        short="concern (higher)",
        explained="special cause, concern: higher than expected, and lower is better",
    ),
    "concern_low": IconWords(
        words="special cause concern (lower)",
        short="concern (lower)",
        explained="special cause, concern: lower than expected, and higher is better",
    ),
    "neutral_high": IconWords(
        words="special cause, neither better nor worse (higher)",
        short="special cause (higher)",
        explained="special cause: higher than expected (no direction of improvement set)",
    ),
    "neutral_low": IconWords(
        words="special cause, neither better nor worse (lower)",
        short="special cause (lower)",
        explained="special cause: lower than expected (no direction of improvement set)",
    ),
}
"""The variation icons of Making Data Count, by icon name."""

SUMMARY_SHORT = {
    "improvement": "improvement",
    "concern": "concern",
    "special_cause": "special cause",
    "no_data": "no data yet",
    "too_few_points": "too few points to tell",
}
"""The portfolio's summary for rules without icons (anhoej, ihi), in a narrow column."""

ASSURANCE_WORDS = {
    "pass": IconWords(
        words="the process consistently meets the target",
        short="meets target",
        explained="the process will consistently meet the target (it lies outside the "
        "limits, on the good side)",
    ),
    "fail": IconWords(
        words="the process consistently misses the target",
        short="misses target",
        explained="the process will consistently miss the target unless it changes (the "
        "target lies outside the limits, on the wrong side)",
    ),
    "inconsistent": IconWords(
        words="the process will sometimes meet and sometimes miss the target",
        short="hit and miss",
        explained="the process will sometimes meet the target and sometimes not (the "
        "target lies between the limits)",
    ),
}
"""The assurance icons of Making Data Count, by icon name."""


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
        words = VARIATION_WORDS.get(str(icon))
        if words is None:
            return str(icon).replace("_", " ")
        return words.short if short else words.words
    kind = _variation_kind(entry)
    if kind is None:
        return None
    if kind in VARIATION_WORDS:  # an icon name, from a portfolio row
        return VARIATION_WORDS[kind].short if short else VARIATION_WORDS[kind].words
    if short:
        return SUMMARY_SHORT.get(kind, kind.replace("_", " "))
    return {
        "improvement": "special cause improvement",
        "concern": "special cause concern",
        "special_cause": "special cause, neither better nor worse",
        "too_few_points": "too few points to tell common cause from a real change",
    }.get(kind, VARIATION_WORDS["common_cause"].words)


def assurance_words(entry: Mapping[str, Any], *, short: bool = False) -> str | None:
    """The assurance icon in words; None without a target or for non-mdc rules."""
    icon = entry.get("assurance_icon")
    if not icon:
        return None
    words = ASSURANCE_WORDS.get(str(icon))
    if words is None:
        return str(icon).replace("_", " ")
    return words.short if short else words.words


SCORE_LEGEND = (
    "Score: IHI progress score, 0.5 to 5; in brackets, its change since the score before."
)
"""What a portfolio's score column says, in every format."""


# Were a cycle's predictions written before its test (`cycles[].predictions_first`)?
# A mark per cycle and one legend, the same in every format.
PREDICTION_MARKS = {"before": "✓", "after": "✗", "unknown": "?"}
PREDICTION_LEGEND = (
    "Predictions first: ✓ written before the test, ✗ written after the test began, "
    "? unknown (no predictions or no Do date yet); judged by git history where there "
    "is one, else by the cycle file's created date."
)


def prediction_mark(cycle: Mapping[str, Any]) -> str:
    """`✓ before (git)`: the mark, the verdict and its source, for one report cycle.

    >>> prediction_mark({"predictions_first": {"verdict": "after", "source": "created"}})
    '✗ after (created)'
    >>> prediction_mark({"predictions_first": {"verdict": "unknown", "source": None}})
    '? unknown'
    """
    first = cycle["predictions_first"]
    source = f" ({first['source']})" if first["source"] else ""
    return f"{PREDICTION_MARKS[first['verdict']]} {first['verdict']}{source}"


def predictions_held(predictions: Iterable[Mapping[str, Any]]) -> str:
    """How many of a cycle's predictions held, once it has been studied. Only questions
    with a prediction count: a `held` recorded for one without (a file written before
    `qi cycle log` refused it) is not a prediction that held.

    >>> predictions_held([{"prediction": p, "held": h} for p, h in (
    ...     ("3 of 4", "yes"), ("under 2 min", "partly"), ("none", "no"), (None, "yes"))])
    '1 of 3, 1 partly'
    >>> predictions_held([{"prediction": "3 of 4", "held": None}]), predictions_held([])
    ('1 not yet studied', 'no predictions')
    >>> predictions_held([{"prediction": None, "held": "yes"}])
    'no predictions'
    """
    predictions = [p for p in predictions if p.get("prediction")]
    if not predictions:
        return "no predictions"
    answered = [p for p in predictions if p.get("held") is not None]
    if not answered:
        return f"{len(predictions)} not yet studied"
    partly = sum(1 for p in answered if p["held"] == "partly")
    held = f"{sum(1 for p in answered if p['held'] == 'yes')} of {len(predictions)}"
    return held + (f", {partly} partly" if partly else "")


def amended_words(predictions: Iterable[Mapping[str, Any]]) -> str | None:
    """The mark of a cycle whose predictions were amended after the test started.

    >>> amended_words([{"amended": False}, {"amended": True}])
    'prediction 2 amended'
    >>> amended_words([{"amended": True}, {"amended": True}])
    'predictions 1, 2 amended'
    """
    numbers = [str(i) for i, p in enumerate(predictions, start=1) if p.get("amended")]
    if not numbers:
        return None
    return f"prediction{'s' * (len(numbers) > 1)} {', '.join(numbers)} amended"


def unread_words(unread: Sequence[Mapping[str, Any]]) -> str:
    """The cycle files a report could not list, where their cycles would be.

    >>> unread_words([{"file": "cycles/a.yaml", "line": 12, "message": "plan.start: bad"}])
    '1 cycle file could not be read: cycles/a.yaml:12: plan.start: bad'
    """
    listed = "; ".join(
        f"{u['file']}{':' + str(u['line']) if u['line'] else ''}: {u['message']}" for u in unread
    )
    return f"{counted(len(unread), 'cycle file')} could not be read: {listed}"


def unplaced_unread(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The unread cycle files no change idea of the report lists (its `change:` could
    not be read, or names no change idea): a report says them after the change ideas."""
    placed = {u["file"] for c in report["changes"] for u in c["unread_cycles"]}
    return [u for u in report["unread_cycles"] if u["file"] not in placed]
