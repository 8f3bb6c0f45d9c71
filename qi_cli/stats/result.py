"""Frozen result types returned by :func:`qi_cli.stats.analyse`.

Every type has ``to_dict()`` giving plain JSON-ready values (``None`` for missing).
Indices are 0-based positions of the analysed points; part and group numbers are
1-based, as qicharts2 numbers its parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import cached_property
from itertools import chain, count
from typing import Any, NamedTuple, overload

RULES = ("outside_limits", "shift", "trend", "two_of_three", "crossings", "runs")
"""Every rule name a :class:`Signal` can carry.

* ``outside_limits``: a point above the upper or below the lower 3-sigma limit.
* ``shift``: a run of points on one side of the centre line (anhoej: longer than
  ``longest_run_max``; ihi: 6 or more; mdc: 7 or more).
* ``trend``: points steadily going up or down (ihi: 5 or more; mdc: 7).
* ``two_of_three``: mdc, two of three points beyond 2 sigma on the same side.
* ``crossings``: anhoej, fewer crossings of the centre line than ``crossings_min``.
* ``runs``: ihi, too few or too many runs for the number of useful points.
"""


@dataclass(frozen=True)
class Signal:
    """One rule that fired, on which points, and what it means.

    ``direction`` is ``"up"``/``"down"`` for rules with a side (above the centre line,
    rising), else ``None``. ``improvement`` is ``True``/``False`` when the measure has an
    improvement direction and the rule has a side, else ``None``. ``observed`` is the
    count the rule looked at (run length, crossings, runs, number of points) and
    ``limit`` the limit it was compared with, when there is one.
    """

    rule: str
    points: tuple[int, ...]
    direction: str | None
    improvement: bool | None
    message: str
    part: int
    observed: int | None = None
    limit: int | None = None
    n_useful: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "points": list(self.points),
            "direction": self.direction,
            "improvement": self.improvement,
            "message": self.message,
            "part": self.part,
            "observed": self.observed,
            "limit": self.limit,
            "n_useful": self.n_useful,
        }


class Point(NamedTuple):
    """One plotted point (one subgroup for xbar/s charts).

    ``y`` is the plotted statistic after ``multiply`` (``None`` when missing); ``n`` the
    denominator (summed over the subgroup) or the subgroup size for xbar/s. For mdc,
    ``cl`` is the mean, ``lcl``/``ucl`` the process limits and ``lcl_2s``/``ucl_2s`` the
    "near" limits; ``point_type`` is only set for mdc (a point without a value is
    ``common_cause`` there) and ``special_cause`` names the rule that decides the point
    type.
    """

    # the field shadows tuple.index(), which no one calls on a point
    index: int  # type: ignore[assignment]
    y: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    lcl_2s: float | None
    ucl_2s: float | None
    part: int
    baseline: bool
    excluded: bool
    signals: tuple[str, ...]
    n: float | None = None
    point_type: str | None = None
    special_cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "y": self.y,
            "n": self.n,
            "cl": self.cl,
            "lcl": self.lcl,
            "ucl": self.ucl,
            "lcl_2s": self.lcl_2s,
            "ucl_2s": self.ucl_2s,
            "part": self.part,
            "baseline": self.baseline,
            "excluded": self.excluded,
            "signals": list(self.signals),
            "point_type": self.point_type,
            "special_cause": self.special_cause,
        }


@dataclass(frozen=True, eq=False)
class Points(Sequence[Point]):
    """The plotted points, kept a column per field: ``points[i]`` is the `Point` at
    position ``i``, whose ``index`` is ``first + i``, and ``points.cl`` every centre line.

    A `Point` is built only when one is asked for: a portfolio reads the latest value of
    thousands of charts and a report draws the latest 2,000 of a million points, so
    neither needs an object per point (bench/bench_points.py: analysing 1M points, 10.1 s
    to 3.8 s of processor time).
    """

    y: tuple[float | None, ...]
    cl: tuple[float | None, ...]
    lcl: tuple[float | None, ...]
    ucl: tuple[float | None, ...]
    lcl_2s: tuple[float | None, ...]
    ucl_2s: tuple[float | None, ...]
    part: tuple[int, ...]
    baseline: tuple[bool, ...]
    excluded: tuple[bool, ...]
    signals: tuple[tuple[str, ...], ...]
    n: tuple[float | None, ...]
    point_type: tuple[str | None, ...]
    special_cause: tuple[str | None, ...]
    first: int = 0

    def __post_init__(self) -> None:
        size = len(self.y)
        for f in fields(self):
            column = getattr(self, f.name)
            if f.name != "first" and len(column) != size:
                raise ValueError(f"points: {f.name} has {len(column)} entries, y has {size}")

    def __len__(self) -> int:
        return len(self.y)

    @overload
    def __getitem__(self, i: int) -> Point: ...
    @overload
    def __getitem__(self, i: slice) -> Points: ...
    def __getitem__(self, i: int | slice) -> Point | Points:
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                raise ValueError("points can be sliced only in order, without a step")
            stop = max(start, stop)
            columns = {name: getattr(self, name)[start:stop] for name in COLUMNS}
            return Points(**columns, first=self.first + start)
        k = range(len(self))[i]  # IndexError past either end, as a tuple's
        return Point(
            index=self.first + k,
            y=self.y[k],
            cl=self.cl[k],
            lcl=self.lcl[k],
            ucl=self.ucl[k],
            lcl_2s=self.lcl_2s[k],
            ucl_2s=self.ucl_2s[k],
            part=self.part[k],
            baseline=self.baseline[k],
            excluded=self.excluded[k],
            signals=self.signals[k],
            n=self.n[k],
            point_type=self.point_type[k],
            special_cause=self.special_cause[k],
        )

    def __iter__(self) -> Iterator[Point]:
        # the columns in the order of Point's fields (COLUMNS is made from them)
        return map(Point, count(self.first), *(getattr(self, name) for name in COLUMNS))

    def __reversed__(self) -> Iterator[Point]:
        return (self[k] for k in range(len(self) - 1, -1, -1))

    def __eq__(self, other: object) -> bool:
        """The same points as other points or as a tuple of `Point`s."""
        if isinstance(other, Points):
            return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self))
        if isinstance(other, tuple):
            return len(self) == len(other) and tuple(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    def starting_at(self, first: int) -> Points:
        """The same points, numbered from ``first`` (a chart of the latest points)."""
        return replace(self, first=first)

    @classmethod
    def from_parts(cls, parts: Sequence[dict[str, Sequence[Any]]]) -> Points:
        """The points of consecutive parts, each given as one sequence per field (the
        `COLUMNS`), joined into one tuple per field."""
        if len(parts) == 1:  # one part: its tuples kept as they are (1M points: 100 MB less)
            return cls(**{name: tuple(parts[0][name]) for name in COLUMNS}, first=0)
        joined = {name: tuple(chain.from_iterable(p[name] for p in parts)) for name in COLUMNS}
        return cls(**joined, first=0)


COLUMNS = tuple(name for name in Point._fields if name != "index")
"""The fields of a `Point` that `Points` keeps as columns (``index`` is counted)."""


@dataclass(frozen=True)
class PartSummary:
    """Runs analysis of one part (anhoej and ihi).

    ``n_obs`` counts the part's points that are not excluded (missing ones included, as
    qicharts2 does); ``n_useful`` those that are present and not on the centre line.
    The run statistics are ``None`` when ``n_useful`` is 0. ``runs_signal`` is
    qicharts2's (longest run or crossings) for anhoej and "shift, trend or runs" for ihi.
    ``runs``, ``runs_lower``, ``runs_upper``, ``shift`` and ``trend`` are ihi only.
    """

    part: int
    first: int
    last: int
    n_obs: int
    n_useful: int
    baseline_points: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    runs_signal: bool
    sigma_signals: int
    runs: int | None = None
    runs_lower: int | None = None
    runs_upper: int | None = None
    shift: bool | None = None
    trend: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "first": self.first,
            "last": self.last,
            "n_obs": self.n_obs,
            "n_useful": self.n_useful,
            "baseline_points": self.baseline_points,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "crossings": self.crossings,
            "crossings_min": self.crossings_min,
            "runs_signal": self.runs_signal,
            "sigma_signals": self.sigma_signals,
            "runs": self.runs,
            "runs_lower": self.runs_lower,
            "runs_upper": self.runs_upper,
            "shift": self.shift,
            "trend": self.trend,
        }


@dataclass(frozen=True)
class GroupSummary:
    """One Making Data Count rebase group (NHSRplotthedots ``summary.ptd_spc_df``).

    ``n`` counts the group's points, with or without a value (as NHSRplotthedots counts
    its rows), and a point without a value counts as common cause.
    ``mean``/``lpl``/``upl`` are ``None`` when they cannot be computed.
    ``variation_type`` is the point type of the group's last point; ``assurance_type``
    is set on the last group only, when there is a target and an improvement direction.
    """

    part: int
    first: int
    last: int
    n: int
    mean: float | None
    lpl: float | None
    upl: float | None
    common_cause: int
    special_cause_improvement: int
    special_cause_concern: int
    special_cause_neutral: int
    variation_type: str | None
    assurance_type: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "first": self.first,
            "last": self.last,
            "n": self.n,
            "mean": self.mean,
            "lpl": self.lpl,
            "upl": self.upl,
            "common_cause": self.common_cause,
            "special_cause_improvement": self.special_cause_improvement,
            "special_cause_concern": self.special_cause_concern,
            "special_cause_neutral": self.special_cause_neutral,
            "variation_type": self.variation_type,
            "assurance_type": self.assurance_type,
        }


@dataclass(frozen=True)
class ChartResult:
    """Everything :func:`~qi_cli.stats.analyse` found.

    ``parts`` is filled for anhoej and ihi, ``groups`` for mdc. ``centre_line`` names the
    centre line in words ("median" or "mean"). The three icon fields are mdc only.
    """

    chart: str
    method: str
    direction: str
    target: float | None
    multiply: float
    centre_line: str
    points: Points
    parts: tuple[PartSummary, ...]
    groups: tuple[GroupSummary, ...]
    signals: tuple[Signal, ...]
    warnings: tuple[str, ...]
    variation_icon: str | None = None
    assurance_type: str | None = None
    assurance_icon: str | None = None

    @cached_property
    def has_later_points(self) -> bool:
        """Whether some point lies outside the baseline: computed once, as each signal's
        sentence asks (`sentences.before_change`), so that explaining stays linear."""
        return not all(self.points.baseline)

    @cached_property
    def first_present(self) -> int | None:
        """The index of the first point with a value."""
        points = self.points
        return next((points.first + k for k, y in enumerate(points.y) if y is not None), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (lists, str, int, float, bool, None)."""
        return {
            "chart": self.chart,
            "method": self.method,
            "direction": self.direction,
            "target": self.target,
            "multiply": self.multiply,
            "centre_line": self.centre_line,
            "points": [p.to_dict() for p in self.points],
            "parts": [p.to_dict() for p in self.parts],
            "groups": [g.to_dict() for g in self.groups],
            "signals": [s.to_dict() for s in self.signals],
            "variation_icon": self.variation_icon,
            "assurance_type": self.assurance_type,
            "assurance_icon": self.assurance_icon,
            "warnings": list(self.warnings),
        }
