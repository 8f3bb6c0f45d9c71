"""Making Data Count XmR rules (NHS England; NHSRplotthedots 0.2.2 ``ptd_spc``).

Follows ``ptd_spc_standard``, ``ptd_calculate_point_type`` and
``ptd_calculate_assurance_type`` of NHSRplotthedots. Per rebase group:

* mean of the first ``fix_after_n_points`` rows (all rows without it); MR̄ over the same
  rows, screened (ranges ≥ 3.267·MR̄ dropped, MR̄ recomputed; the mean is not);
* process limits mean ± 2.66·MR̄; near limits mean ± (2·2.66/3)·MR̄;
* outside: y > upper or y < lower; trend: 7 points with 6 strictly rising (falling)
  steps; shift: 7 points on one side of the mean (a point on the mean breaks it);
  two of three: 2 of 3 consecutive points close to a limit (beyond the near limit,
  not outside) with all 3 on the same side of the mean, only the close points flagged;
* priority for the point type: outside > trend > two of three > shift.

A missing value stays a row of its group, as in NHSRplotthedots: it counts in the
group's ``n`` (and towards the 13 points a group needs), it leaves the mean out, a moving
range next to it is dropped (R's ``diff``), and it breaks every run: shifts, trends and
two-of-three windows are runs of consecutive rows, so a rule never reaches across a gap.
It matches no rule, so its point type is ``common_cause``, and when it is the last row
it gives the variation icon. (Where a trend reaches a gap NHSRplotthedots stops with an
error, ``if (NA)``, rather than give an answer; qi's answer is that the gap ends it.)
"""

from __future__ import annotations

import bisect
import collections
import itertools
import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from qi_cli.thresholds import SHORT_GROUP

from .limits import MR_SCREEN, mean
from .options import Options, make_signal
from .prepare import Rows, scaled
from .result import ChartResult, GroupSummary, Points, Signal
from .rule_options import RuleOptions
from .sentences import LAST_POINT_MISSING, describe, short_group

LIMIT = 2.66
LIMIT_CLOSE = 2 * (LIMIT / 3)
RUN_LENGTH = 7
PRIORITY = ("outside_limits", "trend", "two_of_three", "shift")

VARIATION_ICONS = {
    ("special_cause_improvement", "increase"): "improvement_high",
    ("special_cause_improvement", "decrease"): "improvement_low",
    ("special_cause_concern", "increase"): "concern_low",
    ("special_cause_concern", "decrease"): "concern_high",
}
ASSURANCE_ICONS = {
    "consistent_pass": "pass",
    "consistent_fail": "fail",
    "inconsistent": "inconsistent",
}


@dataclass(frozen=True)
class Flag:
    """A rule hit: rule name, side (+1 above/rising, −1 below/falling), point indices."""

    rule: str
    side: int
    points: tuple[int, ...]


def group_limits(
    y: Sequence[float | None], fix_after: int | None, screen: bool
) -> tuple[float | None, float | None]:
    """(mean, MR̄) of a group from its first ``fix_after`` rows (ptd_spc_standard).

    >>> group_limits([1.0, 3.0, 2.0, None, 4.0], None, False)
    (2.5, 1.5)
    """
    rows = list(y if fix_after is None else y[:fix_after])
    centre = mean([v for v in rows if v is not None])
    ranges = [abs(b - a) for a, b in itertools.pairwise(rows) if a is not None and b is not None]
    amr = mean(ranges)
    if screen and amr is not None:
        cut = MR_SCREEN * amr
        amr = mean([r for r in ranges if r < cut])
    return centre, amr


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def analyse_group(
    part: int,
    indices: range,
    y: Sequence[float | None],
    *,
    fix_after: int | None,
    screen: bool,
    direction: str,
    target: float | None,
    rule_options: RuleOptions | None = None,
) -> tuple[GroupSummary, dict[str, Sequence[Any]], list[Flag]]:
    """Apply the Making Data Count rules to rebase group number ``part`` (positions
    ``indices`` of ``y``): its summary, its points (a list per field of `Point`) and the
    rules that fired.

    ``target`` gives the summary an assurance type; the caller passes it for the last
    group only, as NHSRplotthedots does. ``rule_options`` may change the shift length and turn
    the trend and two-of-three rules off.
    """
    chosen = rule_options or RuleOptions()
    values = list(y[indices.start : indices.stop])
    centre, amr = group_limits(values, fix_after, screen)
    lpl = upl = nlpl = nupl = None
    if centre is not None and amr is not None:
        lpl, upl = centre - LIMIT * amr, centre + LIMIT * amr
        nlpl, nupl = centre - LIMIT_CLOSE * amr, centre + LIMIT_CLOSE * amr
    # the present points: their positions and values
    idx: Sequence[int] = indices
    ys: list[float] = values  # type: ignore[assignment]  # checked: no None in values
    if None in values:
        idx = [i for i, v in zip(indices, values, strict=True) if v is not None]
        ys = [v for v in values if v is not None]
    rtm = [0] * len(ys) if centre is None else [(v > centre) - (v < centre) for v in ys]
    flags: list[Flag] = []
    close = [False] * len(ys)  # beyond a near limit, not outside
    if lpl is not None and upl is not None and nlpl is not None and nupl is not None:
        above = tuple(i for i, v in zip(idx, ys, strict=True) if v > upl)
        below = tuple(i for i, v in zip(idx, ys, strict=True) if v < lpl)
        for side, hits in ((1, above), (-1, below)):
            if hits:
                flags.append(Flag(rule="outside_limits", side=side, points=hits))
        close = [lpl <= v < nlpl or nupl < v <= upl for v in ys]
    for run in _consecutive(idx):  # the other rules never reach across a missing row
        found = [
            *(_trends(idx[run], ys[run]) if chosen.trend_on("mdc") else []),
            *(
                _two_of_three(idx[run], close[run], rtm[run])
                if chosen.two_of_three_on("mdc")
                else []
            ),
            *_shifts(idx[run], rtm[run], chosen.shift_length("mdc", len(idx))),
        ]
        flags.extend(found)
    deciding = _point_rules(flags, idx, ys, rtm)
    size = len(indices)
    signals: list[tuple[str, ...]] = [()] * size
    for flag in flags:
        for i in flag.points:
            signals[i - indices.start] += (flag.rule,)
    # a missing row matches no rule: common cause, as NHSRplotthedots types it
    kinds = [point_type(None, direction)] * size
    deciders: list[str | None] = [None] * size
    for i, (rule, side) in deciding.items():
        kinds[i - indices.start] = point_type(side, direction)
        deciders[i - indices.start] = rule
    # the points no rule decides are common cause
    counts = collections.Counter(kinds[i - indices.start] for i in deciding)
    counts["common_cause"] += size - len(deciding)
    in_base = size if fix_after is None else min(fix_after, size)
    points: dict[str, Sequence[Any]] = {
        "y": values,
        "cl": (centre,) * size,
        "lcl": (lpl,) * size,
        "ucl": (upl,) * size,
        "lcl_2s": (nlpl,) * size,
        "ucl_2s": (nupl,) * size,
        "part": (part,) * size,
        "baseline": (True,) * in_base + (False,) * (size - in_base),
        "excluded": (False,) * size,
        "signals": signals,
        "n": (None,) * size,
        "point_type": kinds,
        "special_cause": deciders,
    }
    summary = GroupSummary(
        part=part,
        first=indices[0] if indices else 0,
        last=indices[-1] if indices else -1,
        n=len(indices),
        mean=centre,
        lpl=lpl,
        upl=upl,
        common_cause=counts["common_cause"],
        special_cause_improvement=counts["special_cause_improvement"],
        special_cause_concern=counts["special_cause_concern"],
        special_cause_neutral=sum(
            count for kind, count in counts.items() if kind.startswith("special_cause_neutral")
        ),
        variation_type=kinds[-1] if kinds else None,
        assurance_type=assurance_type(target, direction, lpl, upl),
    )
    return summary, points, flags


def _consecutive(idx: Sequence[int]) -> list[slice]:
    """Slices of ``idx`` (sorted positions) where the positions follow each other.

    >>> _consecutive([0, 1, 2, 4, 5, 8])
    [slice(0, 3, None), slice(3, 5, None), slice(5, 6, None)]
    """
    if not idx:
        return []
    if idx[-1] - idx[0] == len(idx) - 1:  # no missing row: the usual case
        return [slice(0, len(idx))]
    starts = [0, *(k for k in range(1, len(idx)) if idx[k] != idx[k - 1] + 1)]
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], len(idx)], strict=True)]


def _stretches(values: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(first, end) of each stretch of equal values, in order.

    >>> list(_stretches([1, 1, -1, 0, 0, 0]))
    [(0, 2), (2, 3), (3, 6)]
    """
    # where a value differs from the one before it, found in C: a run of a million
    # points has half a million stretches (bench/bench_points.py)
    changes = itertools.compress(
        range(1, len(values)), map(operator.ne, values, itertools.islice(values, 1, None))
    )
    return itertools.pairwise([0, *changes, len(values)] if values else [])


def _shifts(idx: Sequence[int], rtm: Sequence[int], length: int = RUN_LENGTH) -> list[Flag]:
    return [
        Flag(rule="shift", side=rtm[first], points=tuple(idx[first:end]))
        for first, end in _stretches(rtm)
        if end - first >= length and rtm[first] != 0
    ]


def _trends(idx: Sequence[int], ys: Sequence[float]) -> list[Flag]:
    """Maximal strictly monotone stretches of at least 7 points (6 steps)."""
    steps = [(b > a) - (b < a) for a, b in itertools.pairwise(ys)]
    return [  # steps first to end-1 join points first to end
        Flag(rule="trend", side=steps[first], points=tuple(idx[first : end + 1]))
        for first, end in _stretches(steps)
        if end - first >= RUN_LENGTH - 1 and steps[first] != 0
    ]


def _two_of_three(idx: Sequence[int], close: list[bool], rtm: list[int]) -> list[Flag]:
    flagged: dict[int, int] = {}
    # the windows of three (j, j+1, j+2) that hold two close points a < b, found from
    # the close points, which are few: b - 2 <= j <= a
    near = list(itertools.compress(range(len(close)), close))
    windows = sorted(
        {
            j
            for a, b in itertools.pairwise(near)
            if b - a <= 2
            for j in range(max(b - 2, 0), min(a, len(close) - 3) + 1)
        }
    )
    for j in windows:
        window = range(j, j + 3)
        side = rtm[j] + rtm[j + 1] + rtm[j + 2]
        if abs(side) == 3:
            for k in window:
                if close[k]:
                    flagged[k] = side // 3
    clusters: list[list[int]] = []
    for k in sorted(flagged):
        if clusters and k - clusters[-1][-1] <= 2 and flagged[k] == flagged[clusters[-1][-1]]:
            clusters[-1].append(k)
        else:
            clusters.append([k])
    return [
        Flag(rule="two_of_three", side=flagged[c[0]], points=tuple(idx[k] for k in c))
        for c in clusters
    ]


def _point_rules(
    flags: list[Flag], idx: Sequence[int], ys: Sequence[float], rtm: Sequence[int]
) -> dict[int, tuple[str, int]]:
    """The deciding rule and side of each flagged point (NHSRplotthedots priority).

    ``idx``, ``ys`` and ``rtm`` are the group's present points; ``flags`` the rules
    that fired on them."""
    by_rule: dict[str, dict[int, int]] = {rule: {} for rule in PRIORITY}
    for flag in flags:
        for i in flag.points:
            by_rule[flag.rule][i] = flag.side
    result: dict[int, tuple[str, int]] = {}
    for rule in PRIORITY:  # a point is decided by the first rule, in priority, that flags it
        for i, side in by_rule[rule].items():
            if i in result:
                continue
            k = bisect.bisect_left(idx, i)  # its position among the present points
            if rule == "trend":
                side = _trend_side(k, idx, ys, by_rule["trend"])
            elif rule != "outside_limits":
                side = 1 if rtm[k] > 0 else -1
            result[i] = (rule, side)
    return result


def _trend_side(k: int, idx: Sequence[int], ys: Sequence[float], trend: dict[int, int]) -> int:
    """NHSRplotthedots: a point in a trend on both sides takes the right-hand step.

    A step is between neighbouring rows (a missing row between two points ends a run)."""
    if k + 1 < len(idx) and idx[k + 1] == idx[k] + 1 and idx[k + 1] in trend:
        step = _sign(ys[k + 1] - ys[k])
    elif k > 0 and idx[k - 1] == idx[k] - 1:
        step = _sign(ys[k] - ys[k - 1])
    else:
        step = 0
    return 1 if step == 1 else -1


def point_type(side: int | None, direction: str) -> str:
    """Point type from the deciding rule's side and the improvement direction.

    >>> point_type(1, "increase"), point_type(1, "decrease"), point_type(-1, "neutral")
    ('special_cause_improvement', 'special_cause_concern', 'special_cause_neutral_low')
    >>> point_type(None, "increase")
    'common_cause'
    """
    if side is None:
        return "common_cause"
    if direction == "neutral":
        return "special_cause_neutral_high" if side > 0 else "special_cause_neutral_low"
    improving = (side > 0) == (direction == "increase")
    return "special_cause_improvement" if improving else "special_cause_concern"


def variation_icon(last_point_type: str, direction: str) -> str:
    """Icon name for the last point (NHSRplotthedots ``geom_ptd_icon``).

    >>> variation_icon("special_cause_concern", "increase")
    'concern_low'
    """
    if last_point_type.startswith("special_cause_neutral"):
        return last_point_type.removeprefix("special_cause_")
    return VARIATION_ICONS.get((last_point_type, direction), "common_cause")


def assurance_type(
    target: float | None, direction: str, lpl: float | None, upl: float | None
) -> str | None:
    """Whether the process will consistently meet a target (ptd_calculate_assurance_type).

    >>> assurance_type(5.0, "increase", -3.0, 3.3), assurance_type(5.0, "decrease", -3.0, 3.3)
    ('consistent_fail', 'consistent_pass')
    >>> assurance_type(0.0, "increase", -3.0, 3.3), assurance_type(None, "increase", 0.0, 1.0)
    ('inconsistent', None)
    """
    if target is None or direction == "neutral" or lpl is None or upl is None:
        return None
    increasing = direction == "increase"
    if target > upl:
        return "consistent_fail" if increasing else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if increasing else "consistent_fail"
    return "inconsistent"


def analyse_mdc(rows: Rows, options: Options, starts: list[int], fix: int | None) -> ChartResult:
    """A Making Data Count XmR chart of `rows`: a rebase group from each of `starts`,
    limits fixed after `fix` points of each group when given."""
    size = len(rows.y)
    y = scaled(rows.y, options.multiply)
    bounds = list(zip(starts, [*starts[1:], size], strict=False))
    n_parts = len(bounds)
    columns: list[dict[str, Sequence[Any]]] = []  # each group's points
    groups: list[GroupSummary] = []
    signals: list[Signal] = []
    warnings: list[str] = []
    last_type: str | None = None
    for number_, (start, end) in enumerate(bounds, start=1):
        group, group_points, flags = analyse_group(
            number_,
            range(start, end),
            y,
            fix_after=fix,
            screen=options.screen,
            direction=options.direction,
            target=options.target if number_ == n_parts else None,  # assurance: last group
            rule_options=options.rules,
        )
        present = end - start - y[start:end].count(None)
        shift_min = options.rules.shift_length("mdc", present)
        for flag in flags:
            limit = {"shift": shift_min, "trend": 7, "two_of_three": 2}.get(flag.rule)
            signals.append(
                make_signal(
                    flag.rule, flag.points, flag.side, options, number_, len(flag.points), limit
                )
            )
        columns.append(group_points)
        groups.append(group)
        last_type = group.variation_type or last_type
        if group.n < SHORT_GROUP:
            warnings.append(short_group(group.n, SHORT_GROUP, number_, n_parts))
        if group.mean is not None and group.lpl is None:
            prefix = f"Part {number_}: " if n_parts > 1 else ""
            warnings.append(
                f"{prefix}Limits cannot be computed: the group has too little variation or "
                "too few points."
            )
    if size and y[-1] is None and any(v is not None for v in y):
        warnings.append(LAST_POINT_MISSING)
    centre = "mean"
    signals.sort(key=lambda s: (s.part, s.points[0], s.rule))
    signals = [replace(s, message=describe(s, "mdc", centre, None, n_parts)) for s in signals]
    assurance = groups[-1].assurance_type if groups else None
    return ChartResult(
        chart=options.chart,
        method="mdc",
        direction=options.direction,
        target=options.target,
        multiply=options.multiply,
        centre_line=centre,
        points=Points.from_parts(columns),
        parts=(),
        groups=tuple(groups),
        signals=tuple(signals),
        warnings=tuple(warnings),
        variation_icon=(
            None if last_type is None else variation_icon(last_type, options.direction)
        ),
        assurance_type=assurance,
        assurance_icon=None if assurance is None else ASSURANCE_ICONS[assurance],
    )
