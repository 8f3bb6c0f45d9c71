"""Plain-language sentences for signals and warnings.

Each sentence says which rule fired, on which points, what it means and what to check,
in words a nurse or a ward manager uses. Point numbers are 1-based in sentences; pass
``labels`` (for example dates, one per point) to name points by label instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import StatsError
from .result import ChartResult, Signal

_MAX_LISTED = 6


def explain(result: ChartResult, labels: Sequence[str] | None = None) -> list[str]:
    """One sentence per signal, naming points by ``labels`` when given.

    When nothing fired, a single sentence says so (and that it means little when there
    are too few points for the rules). Warnings are in ``result.warnings``.


    >>> from qi_cli.stats import analyse
    >>> r = analyse([10, 11, 10, 12, 11, 10, 9, 11, 12, 16, 15, 17, 16, 15, 18, 16, 17, 15])
    >>> for line in explain(r, [f"week {k}" for k in range(1, 19)]):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    Shift: 9 points in a row below the median from week 1 to week 9, more than the 7 that
    chance alone would explain for 18 useful points. Likely a real change; check it matches
    when the change was introduced.
    Shift: 9 points in a row above the median from week 10 to week 18, more than the 7 that
    chance alone would explain for 18 useful points. Likely a real change; check it matches
    when the change was introduced.
    Too few crossings: the line crosses the median only once in 18 useful points; chance
    alone would give at least 5. The process has probably shifted: look for when it changed
    and check it matches a change you made.
    >>> explain(analyse([3, 4, 5]))[0][:52]
    'No signals yet, but there are too few points to tell'
    """
    if labels is not None:
        if not isinstance(labels, Sequence):  # an iterator: read it once, into a list
            labels = list(labels)
        if len(labels) != len(result.points):
            raise StatsError(
                f"labels must have one entry per point ({len(result.points)}), got {len(labels)}"
            )
    if not result.signals:
        if any("Not enough data yet" in w for w in result.warnings):
            # with too few points, "no signal" says little: do not call it common cause
            return [
                "No signals yet, but there are too few points to tell: keep adding data "
                "before concluding that nothing has changed."
            ]
        return [
            "No signals: the variation looks like common cause, what this process "
            "usually does. To improve it, change the process; do not react to single points."
        ]
    n_parts = max(len(result.parts), len(result.groups))
    return [
        describe(s, result.method, result.centre_line, labels, n_parts, before_change(result, s))
        for s in result.signals
    ]


def before_change(result: ChartResult, signal: Signal) -> str | None:
    """Why a shift or trend is not the project's doing, when it comes before the change.

    * ``part``: the chart has phases and the signal lies in part 1, before the first
      phase (the change);
    * ``baseline``: the signal lies inside the frozen baseline period;
    * ``start``: a shift in the wrong direction from the first point of a chart with
      one part, followed by a shift in the right direction: the first run is where
      the process started, on its side of a median that lies between the two levels.

    None otherwise: the signal is read as a change.
    """
    if signal.rule not in ("shift", "trend"):
        return None
    points = result.points
    if max(len(result.parts), len(result.groups)) > 1:
        return "part" if signal.part == 1 else None
    # the cheap tests first, so that explaining every signal of a long chart stays
    # linear (bench/bench_points.py: the report of 1M points)
    if result.has_later_points and all(points[i].baseline for i in signal.points):
        return "baseline"
    if signal.rule != "shift" or signal.improvement is not False:
        return None
    if signal.points[0] != result.first_present:
        return None
    later_improvement = any(
        s.rule == "shift" and s.improvement is True and s.points[0] > signal.points[-1]
        for s in result.signals
    )
    return "start" if later_improvement else None


# what a shift or trend before the change means (`before_change`)
_BEFORE_CHANGE = {
    "part": "Part 1 comes before the first phase, the change this chart marks, so this is "
    "not a result of that change: the process was not stable before it (check whether an "
    "earlier test of change explains it). Consider a baseline that excludes these points.",
    "baseline": "This lies in the baseline period, before the change, so it is not a result "
    "of the change: the process was not stable before it. Consider a baseline that "
    "excludes these points.",
    "start": "This is where the process started, before the improvement that follows, not "
    "a change for the worse: the {centre_line} of the whole chart lies between the level "
    "before and the level after. Add a phase where the change began to give each period "
    "its own {centre_line}.",
}


def describe(
    signal: Signal,
    method: str,
    centre_line: str,
    labels: Sequence[str] | None = None,
    n_parts: int = 1,
    context: str | None = None,
) -> str:
    """The sentence for one signal (used for ``Signal.message`` with no labels).

    ``context`` (from `before_change`) says the signal comes before the change, and
    replaces "likely a real change" with what it means there.
    """
    prefix = f"Part {signal.part}: " if n_parts > 1 else ""
    if signal.rule in ("shift", "trend") and len(signal.points) > 1:
        # Points on the centre line (or repeats) inside a run do not break it.
        where = f"from {_name(signal.points[0], labels)} to {_name(signal.points[-1], labels)}"
    else:
        where = _where(signal.points, labels)
    count = len(signal.points)
    builder = _BUILDERS[signal.rule]
    text = builder(signal, method, centre_line, where, count)
    if signal.rule in ("shift", "trend"):
        meaning = _meaning(signal.improvement)
        if context in _BEFORE_CHANGE:
            meaning = _BEFORE_CHANGE[context].format(centre_line=centre_line)
        text = f"{text} {meaning}"
    return prefix + text


def _shift(signal: Signal, method: str, centre_line: str, where: str, count: int) -> str:
    side = "above" if signal.direction == "up" else "below"
    head = f"Shift: {count} points in a row {side} the {centre_line} {where}"
    if method == "anhoej":
        head += (
            f", more than the {signal.limit} that chance alone would explain for "
            f"{signal.n_useful} useful points."
        )
    else:
        head += f"; {signal.limit} or more in a row is unlikely to happen by chance alone."
    return head


def _trend(signal: Signal, method: str, centre_line: str, where: str, count: int) -> str:
    way = "up" if signal.direction == "up" else "down"
    return (
        f"Trend: {signal.observed} points in a row going {way} {where}; "
        f"{signal.limit} or more is unlikely to happen by chance alone."
    )


def _crossings(signal: Signal, method: str, centre_line: str, where: str, count: int) -> str:
    return (
        f"Too few crossings: the line crosses the {centre_line} only {_times(signal.observed)} "
        f"in {signal.n_useful} useful points; chance alone would give at least "
        f"{signal.limit}. The process has probably shifted: look for when it changed and "
        "check it matches a change you made."
    )


def _times(count: int | None) -> str:
    return {0: "no times", 1: "once", 2: "twice"}.get(count or 0, f"{count} times")


def _runs(signal: Signal, method: str, centre_line: str, where: str, count: int) -> str:
    observed, limit = signal.observed or 0, signal.limit or 0
    if observed < limit:
        return (
            f"Too few runs: {observed} runs in {signal.n_useful} useful points, fewer "
            f"than the {limit} that chance alone would give at least. The process has "
            "probably shifted: look for when it changed and check it matches a change "
            "you made."
        )
    return (
        f"Too many runs: {observed} runs in {signal.n_useful} useful points, more than "
        f"the {limit} that chance alone would give at most. The data swing up and down "
        "too regularly: check whether two sources (wards, shifts, staff) are mixed in "
        "one measure, or whether the process is being over-adjusted."
    )


def _outside(signal: Signal, method: str, centre_line: str, where: str, count: int) -> str:
    side = "above the upper" if signal.direction == "up" else "below the lower"
    noun = "point" if count == 1 else "points"
    tail = {
        True: "Something unusual happened, in the right direction: find out what, "
        "so you can keep it.",
        False: "Something unusual happened, in the wrong direction: find out what, "
        "and whether it can happen again.",
        None: "Something unusual happened then: find out what, and whether it can happen again.",
    }[signal.improvement]
    return f"Outside the limits: {count} {noun} {side} limit {where}. {tail}"


def _two_of_three(signal: Signal, method: str, centre_line: str, where: str, count: int) -> str:
    side = "upper" if signal.direction == "up" else "lower"
    other = "above" if signal.direction == "up" else "below"
    return (
        f"Two of three: {count} points close to the {side} limit (beyond two sigma) "
        f"{where}, with the points around them all {other} the {centre_line}. An early "
        f"sign of change: {_meaning(signal.improvement, early=True)}"
    )


def _meaning(improvement: bool | None, early: bool = False) -> str:
    if early:
        return {
            True: "it points to improvement; watch the next points.",
            False: "it points the wrong way; watch the next points and look for a cause.",
            None: "watch the next points.",
        }[improvement]
    return {
        True: "Likely a real improvement; check it matches when the change was introduced.",
        False: "Likely a real change for the worse; find out what changed then.",
        None: "Likely a real change; check it matches when the change was introduced.",
    }[improvement]


_BUILDERS = {
    "shift": _shift,
    "trend": _trend,
    "crossings": _crossings,
    "runs": _runs,
    "outside_limits": _outside,
    "two_of_three": _two_of_three,
}


def _name(index: int, labels: Sequence[str] | None) -> str:
    return str(labels[index]) if labels is not None else f"point {index + 1}"


def _where(points: tuple[int, ...], labels: Sequence[str] | None) -> str:
    """ "from A to B" for a block, "at A" for one point, a short list otherwise.

    >>> _where((3, 4, 5), None), _where((2,), ["a", "b", "c"]), _where((1, 5, 9), None)
    ('from point 4 to point 6', 'at c', 'at points 2, 6 and 10')
    """
    if not points:
        return ""
    if len(points) == 1:
        return f"at {_name(points[0], labels)}"
    if points[-1] - points[0] == len(points) - 1 and len(points) > 2:
        return f"from {_name(points[0], labels)} to {_name(points[-1], labels)}"
    shown = points if len(points) <= _MAX_LISTED else points[: _MAX_LISTED - 1]
    names = [str(labels[i]) if labels is not None else str(i + 1) for i in shown]
    if len(points) > _MAX_LISTED:
        names.append(f"{len(points) - _MAX_LISTED + 1} more")
    listed = ", ".join(names[:-1]) + " and " + names[-1]
    return f"at {listed}" if labels is not None else f"at points {listed}"


def not_enough_data(n_useful: int, needed: int, part: int, n_parts: int) -> str:
    """Warning for too few useful points for the runs rules.

    >>> not_enough_data(7, 10, 1, 1)
    'Not enough data yet: runs rules need 10 useful points; you have 7.'
    """
    prefix = f"Part {part}: " if n_parts > 1 else ""
    return (
        f"{prefix}Not enough data yet: runs rules need {needed} useful points; you have {n_useful}."
    )


LAST_POINT_MISSING = (
    "The last point has no value: Making Data Count counts it as common cause, so the "
    "variation icon does not describe the last value measured."
)


def short_group(count: int, needed: int, group: int, n_groups: int) -> str:
    """Warning for a Making Data Count group of fewer than ``needed`` points; points
    are rows, with or without a value, as NHSRplotthedots counts them.

    >>> short_group(12, 13, 1, 1)
    'Limits are provisional: the group has 12 points; 13 or more give stable limits.'
    """
    prefix = f"Part {group}: " if n_groups > 1 else ""
    points = "1 point" if count == 1 else f"{count} points"
    return (
        f"{prefix}Limits are provisional: the group has {points}; "
        f"{needed} or more give stable limits."
    )


def baseline_not_used() -> str:
    """Warning for a baseline period (``freeze``) given to a chart with phases (parts).

    >>> baseline_not_used()[:60]
    'The baseline period is not used because the chart has phases'
    """
    return (
        "The baseline period is not used because the chart has phases: each phase's "
        "centre line and limits come from its own points."
    )


def provisional(
    count: int, needed: int, part: int, n_parts: int, what: str = "baseline points"
) -> str:
    """Warning for limits computed from too few points.

    >>> provisional(8, 12, 1, 1)
    'Limits are provisional: they rest on 8 baseline points; 12 or more give stable limits.'
    >>> provisional(1, 12, 1, 1)[:48]
    'Limits are provisional: they rest on 1 baseline '
    """
    prefix = f"Part {part}: " if n_parts > 1 else ""
    if count == 1 and what.endswith("s"):
        what = what[:-1]  # "1 baseline point"
    return (
        f"{prefix}Limits are provisional: they rest on {count} {what}; "
        f"{needed} or more give stable limits."
    )
