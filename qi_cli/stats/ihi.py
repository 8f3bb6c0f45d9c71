"""IHI run chart rules (Perla, Provost & Murray, BMJ Qual Saf 2011;20:46–51).

Centre line: the median. Useful observations: points not on the median.

* shift: 6 or more consecutive useful points on the same side of the median;
* trend: 5 or more consecutive points all going up or all going down; when two
  consecutive values are equal, the second neither adds to nor breaks the trend;
* runs: too few or too many runs (runs = crossings + 1) against the exact two-sided 5 %
  Swed–Eisenhart limits (:func:`qi_cli.stats.exact.runs_limits`); needs 10 or more
  useful observations.
* the "astronomical point" is a judgement and is not flagged automatically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qi_cli.thresholds import RUNS_MIN_USEFUL

from .exact import runs_limits
from .runs import Run

SHIFT_MIN = 6
TREND_MIN = 5


@dataclass(frozen=True)
class Trend:
    """A trend: ``side`` +1 rising, −1 falling; ``length`` counts the points that add to
    it (repeated values do not); ``points`` include the repeats inside it."""

    side: int
    length: int
    points: tuple[int, ...]


@dataclass(frozen=True)
class IhiAnalysis:
    shifts: tuple[Run, ...]
    trends: tuple[Trend, ...]
    runs: int | None
    runs_lower: int | None
    runs_upper: int | None
    runs_signal: bool


def find_trends(values: Sequence[tuple[int, float]], minimum: int = TREND_MIN) -> list[Trend]:
    """Trends of at least ``minimum`` points in ``(index, value)`` pairs.

    >>> [(t.side, t.length, t.points) for t in find_trends(
    ...     list(enumerate([1, 2, 2, 3, 4, 5, 4, 3])))]
    [(1, 5, (0, 1, 2, 3, 4, 5))]
    """
    trends: list[Trend] = []
    # Collapse repeats: each entry keeps every index sharing one distinct value.
    distinct: list[tuple[float, list[int]]] = []
    for index, value in values:
        if distinct and distinct[-1][0] == value:
            distinct[-1][1].append(index)
        else:
            distinct.append((value, [index]))
    start = 0
    side = 0
    for k in range(1, len(distinct) + 1):
        step = 0
        if k < len(distinct):
            step = 1 if distinct[k][0] > distinct[k - 1][0] else -1
        if k == len(distinct) or (side and step != side):
            length = k - start
            if side and length >= minimum:
                points = tuple(i for _, idx in distinct[start:k] for i in idx)
                trends.append(Trend(side=side, length=length, points=points))
            start = k - 1
        side = step
    return trends


def analyse_ihi(
    runs: list[Run],
    values: Sequence[tuple[int, float]],
    n_useful: int,
    shift_min: int = SHIFT_MIN,
    trend: bool = True,
) -> IhiAnalysis:
    """All IHI rules for one part.

    ``runs`` are the runs of useful points around the median (see
    :func:`qi_cli.stats.runs.find_runs`), ``values`` the included present points;
    ``shift_min`` and ``trend`` are the rules a measure chose (IHI's by default).
    """
    shifts = tuple(r for r in runs if len(r.points) >= shift_min)
    trends = tuple(find_trends(values)) if trend else ()
    if n_useful < RUNS_MIN_USEFUL:
        return IhiAnalysis(
            shifts=shifts,
            trends=trends,
            runs=len(runs) or None,
            runs_lower=None,
            runs_upper=None,
            runs_signal=False,
        )
    lower, upper = runs_limits(n_useful)
    count = len(runs)
    return IhiAnalysis(
        shifts=shifts,
        trends=trends,
        runs=count,
        runs_lower=lower,
        runs_upper=upper,
        runs_signal=count < lower or count > upper,
    )
