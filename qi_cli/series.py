"""A measure's data as a chart series: the inputs of :func:`qi_cli.stats.analyse`.

`build_series` turns a `Measure`, its CSV rows and the project's cycles into one
`Series`: one point per period (per date; per subgroup date for xbar/s charts), with

* calendar gaps filled with missing points (value ``None``), so a missing week is a gap
  in the chart and never a zero (`periods.missing_periods` finds them);
* the baseline (``baseline.until`` or ``baseline.points``) as ``freeze`` (anhoej, ihi)
  or ``fix_after_n_points`` (mdc);
* phases as ``parts`` break points (anhoej, ihi) or ``rebase`` group starts (mdc);
* excluded points (the measure's ``exclude:`` list and the CSV ``exclude`` column) as
  ``exclude`` indices (anhoej, ihi); Making Data Count has no exclusion, so for mdc an
  excluded point is left out of the calculation as if missing, and still drawn;
* the PDSA cycles that list this measure in their ``measures:`` as annotations.

`Series.analyse` runs the statistics on it; `qi_cli.measure_analysis.analyse_measure`
adds the sentences that explain them. Nothing here prints or writes.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import operator
from collections.abc import Sequence
from dataclasses import dataclass, field

from qi_cli.chart_settings import target_line
from qi_cli.errors import FieldError, QiError
from qi_cli.event_model import Event
from qi_cli.events import EventMark, event_marks
from qi_cli.files.csv_cells import DataRow, MeasureRows
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.measure_model import Measure
from qi_cli.model import ChartType, Method
from qi_cli.periods import PERIOD_NAMES, add_days, fill_gaps, period_days
from qi_cli.project_model import Aim
from qi_cli.stats import (
    CHART_NAMES,
    ChartResult,
    StatsError,
    analyse,
)

MDC_FIX_MIN = 12


@dataclass(frozen=True)
class CycleMark:
    """A PDSA cycle drawn on the chart: its number, id, change ideas and date."""

    number: int
    id: str
    changes: tuple[str, ...]  # one change idea, or several tested together
    date: dt.date

    @property
    def change(self) -> str:
        """The first change idea the cycle tests (all of them: `changes`)."""
        return self.changes[0]


@dataclass(frozen=True)
class PhaseMark:
    """A phase (rebase) boundary: the first point of the new phase and why it started."""

    date: dt.date
    index: int
    reason: str | None
    cycle: str | None
    event: dt.date | None = None


@dataclass(frozen=True)
class Series:
    """One measure, ready for the statistics engine: one entry per plotted point.

    ``rows`` holds the values passed to ``analyse`` (several per point for subgroups,
    where ``subgroups`` names each row's point date). ``point_dates`` has one date per
    plotted point; ``gaps[i]`` is true for a period missing from the file and
    ``excluded[i]`` for a point left out of the calculations.
    """

    measure_id: str
    measure: Measure
    chart: str
    method: str
    point_dates: tuple[dt.date, ...]
    values: tuple[float | None, ...]
    denominators: tuple[float | None, ...] | None
    subgroups: tuple[dt.date, ...] | None
    gaps: tuple[bool, ...]
    excluded: tuple[bool, ...]
    excluded_values: tuple[float | None, ...]
    freeze: int | None
    parts: tuple[int, ...]
    rebase: tuple[int, ...]
    fix_after_n_points: int | None
    phases: tuple[PhaseMark, ...]
    cycles: tuple[CycleMark, ...]
    notes: tuple[str, ...] = field(default=())
    targets: tuple[float | None, ...] = field(default=())
    target_kind: str = "none"  # none, fixed, steps, trajectory or aim
    events: tuple[EventMark, ...] = field(default=())

    @property
    def target(self) -> float | None:
        """The target in force at the last point: what "latest against target" and the
        Making Data Count assurance compare with."""
        return self.targets[-1] if self.targets else None

    @property
    def labels(self) -> list[str]:
        """One label per point: its ISO date (what the explanations name points by)."""
        return list(map(dt.date.isoformat, self.point_dates))

    @property
    def n_present(self) -> int:
        return len(self.values) - self.values.count(None)

    def point_value(self, i: int) -> float | None:
        """The plotted value of point ``i`` before the engine (after ``multiply``), or None.

        Used to draw points the engine did not see: mdc's excluded points.
        """
        return self.excluded_values[i]

    def analyse(self) -> ChartResult:
        """Run the statistics engine on this series (StatsError becomes a QiError)."""
        mdc = self.method == "mdc"
        exclude = [i for i, x in enumerate(self.excluded) if x]
        rules = self.measure.rules
        try:
            return analyse(
                list(self.values),
                chart=self.chart,
                method=self.method,
                denominators=None if self.denominators is None else list(self.denominators),
                subgroups=None if self.subgroups is None else list(self.subgroups),
                freeze=None if mdc else self.freeze,
                parts=None if mdc or not self.parts else list(self.parts),
                exclude=None if mdc or not exclude else exclude,
                multiply=self.measure.multiply,
                screen_outliers=self.measure.screen_outliers,
                direction=self.measure.direction,
                target=self.target,
                rebase=list(self.rebase) if mdc and self.rebase else None,
                fix_after_n_points=self.fix_after_n_points if mdc else None,
                shift=rules.shift if rules else None,
                trend=rules.trend if rules else None,
                two_of_three=rules.two_of_three if rules and mdc else None,
            )
        except StatsError as exc:
            raise QiError(
                f"measure '{self.measure_id}': {exc}",
                hint="check the measure's chart, method and data (`qi validate`)",
            ) from None


def resolve_chart(
    measure: Measure, method: Method | None = None, chart: ChartType | None = None
) -> tuple[str, str]:
    """The (chart, method) to draw: the measure's, or the overrides, made consistent.

    Making Data Count draws XmR charts and the IHI rules are run chart rules, so a chart
    type that only follows from the data type gives way to the method; a chart type set
    explicitly (on the command line or in the measure) that the method cannot draw is
    refused.
    """
    chosen_method: str = method or measure.method
    explicit = chart or measure.chart
    chosen: str = explicit or measure.chart_type
    needed = {"mdc": "i", "ihi": "run"}.get(chosen_method)
    if needed and chosen != needed:
        if explicit and chart is not None:
            raise FieldError(
                "chart",
                f"method '{chosen_method}' draws {CHART_NAMES[needed]}s, not a {chosen} chart",
                hint=f"use {{chart}} {needed}, or {{method}} anhoej for a {chosen} chart",
                mentions=("method",),
            )
        if explicit and measure.chart is not None and chart is None and method is None:
            raise QiError(
                f"the measure sets chart: {chosen} and method: {chosen_method}, which "
                f"draws {CHART_NAMES[needed]}s",
                hint=f"set chart: {needed}, or method: anhoej",
            )
        chosen = needed
    if chosen in ("p", "pp", "u", "up") and not measure.needs_denominator:
        raise FieldError(
            "chart",
            f"a {chosen} chart needs a proportion or rate measure, not {measure.data_type}",
            hint="leave out {chart} to use the chart that fits the data type",
        )
    if chosen in ("xbar", "s") and measure.data_type != "subgroups":
        raise FieldError(
            "chart",
            f"an {chosen} chart needs subgroups data, not {measure.data_type}",
            hint="leave out {chart} to use the chart that fits the data type",
        )
    if chosen in ("c", "g", "t") and measure.needs_denominator:
        raise FieldError(
            "chart",
            f"a {chosen} chart takes no denominators; this measure is a {measure.data_type}",
            hint="leave out {chart} to use the chart that fits the data type",
        )
    return chosen, chosen_method


def linked_cycles(project: LoadedProject, measure_id: str) -> list[LoadedCycle]:
    """The cycles drawn on a measure's chart: those that list it in `measures:`.

    A cycle names the measures it expects to move; linking through the driver diagram
    as well would mark every cycle of a project on its outcome measure. A cancelled cycle
    tested nothing, so it is not drawn.
    """
    return [
        c
        for c in project.cycles
        if measure_id in c.cycle.measures and c.cycle.date and c.cycle.cancelled is None
    ]


def build_series(
    measure_id: str,
    measure: Measure,
    rows: Sequence[DataRow],
    cycles: Sequence[LoadedCycle] = (),
    *,
    method: Method | None = None,
    chart: ChartType | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    aim: Aim | None = None,
    events: Sequence[Event] = (),
) -> Series:
    """Turn a measure and its rows into a `Series` (see the module docstring)."""
    chosen_chart, chosen_method = resolve_chart(measure, method, chart)
    mdc = chosen_method == "mdc"
    notes: list[str] = []
    kept = MeasureRows.of(rows).in_date_order()
    if start is not None or end is not None:
        low = 0 if start is None else bisect.bisect_left(kept.dates, start)
        high = len(kept) if end is None else bisect.bisect_right(kept.dates, end)
        kept = kept[low:high]
    dates = kept.dates
    uses_denominators = chosen_chart in ("p", "pp", "u", "up") or (
        measure.needs_denominator and chosen_chart in ("run", "i", "mr")
    )
    subgroup_chart = chosen_chart in ("xbar", "s")
    # one entry per date (subgroup charts keep every row of a date)
    one_row_a_date = all(map(operator.lt, dates, itertools.islice(dates, 1, None)))
    row_dates = list(dates) if one_row_a_date else sorted(set(dates))
    gap_set, too_long = fill_gaps(measure.frequency, row_dates)
    notes.extend(
        f"No data from {before} to {after}: {missing} periods are too many to draw as gaps; "
        "check the dates."
        for before, after, missing in too_long
    )
    point_dates = sorted(set(row_dates) | gap_set) if gap_set else row_dates
    n = len(point_dates)
    # the position of the row shown at each point, None in a gap: the last of its date
    # (the CSV reader refuses repeats but for subgroups)
    shown: Sequence[int | None]
    if one_row_a_date and not gap_set:
        shown = range(n)  # the usual case: no dictionary of dates (1M points: 0.7 s)
    else:
        row_at = dict(zip(dates, range(len(dates)), strict=True))
        shown = list(map(row_at.get, point_dates))
    excluded_dates = {e.date for e in measure.exclude}
    excluded = [False] * n
    if excluded_dates or kept.exclusions.count(None) != len(kept):
        index = dict(zip(point_dates, range(n), strict=True))
        for day, why in zip(dates, kept.exclusions, strict=True):
            if why or day in excluded_dates:
                excluded[index[day]] = True

    left_out = mdc and True in excluded  # Making Data Count has no exclusion
    values, denominators, subgroups = _columns(
        point_dates, kept, shown, subgroup_chart, excluded if left_out else None
    )

    excluded_values: list[float | None] = [None] * n
    if left_out:
        for i, k in enumerate(shown):
            value = None if k is None else kept.values[k]
            if not excluded[i] or k is None or value is None:
                continue
            if not uses_denominators:
                excluded_values[i] = value * measure.multiply
            elif denominator := kept.denominators[k]:
                excluded_values[i] = value / denominator * measure.multiply
        notes.append(
            "Making Data Count has no exclusions: excluded points are drawn but left "
            "out of the mean, the limits and the rules."
        )

    freeze: int | None = None
    fix: int | None = None
    if measure.baseline is not None and n:
        if measure.baseline.until is not None:
            count = bisect.bisect_right(point_dates, measure.baseline.until)
        else:
            count = min(measure.baseline.points or 0, n)
        if count < 1:
            notes.append("The baseline period is outside the dates shown: limits use all points.")
        elif mdc:
            if count < MDC_FIX_MIN:
                notes.append(
                    f"The baseline has {count} points; Making Data Count fixes limits on "
                    f"{MDC_FIX_MIN} or more, so the limits use every point."
                )
            else:
                fix = count
        else:
            freeze = count

    phases: list[PhaseMark] = []
    for phase in sorted(measure.phases, key=lambda p: p.date):
        first = bisect.bisect_left(point_dates, phase.date)
        if first in (0, n):
            continue
        if any(p.index == first for p in phases):
            continue
        phases.append(
            PhaseMark(
                date=phase.date,
                index=first,
                reason=phase.reason,
                cycle=phase.cycle,
                event=phase.event,
            )
        )
    breaks = tuple(p.index for p in phases)

    marks: list[CycleMark] = []
    shown_events: tuple[EventMark, ...] = ()
    if point_dates:
        last = add_days(point_dates[-1], period_days(measure.frequency))
        shown_events = event_marks(events, measure_id, point_dates[0], last)
        for c in cycles:
            date = c.cycle.date
            if date is not None and point_dates[0] <= date <= last:
                marks.append(
                    CycleMark(number=c.number, id=c.id, changes=tuple(c.cycle.changes), date=date)
                )
    marks.sort(key=lambda m: (m.date, m.number))

    if gap_set:
        word = PERIOD_NAMES.get(measure.frequency, "period")
        count = len(gap_set)
        notes.append(
            f"{count} missing {word}{'s' * (count != 1)} shown as "
            f"{'a gap' if count == 1 else 'gaps'}, not as zero: "
            + ", ".join(d.isoformat() for d in sorted(gap_set)[:6])
            + (f" and {count - 6} more" if count > 6 else "")
            + "."
        )

    targets, target_kind = target_line(measure_id, measure, point_dates, aim)
    return Series(
        targets=targets,
        target_kind=target_kind,
        events=shown_events,
        measure_id=measure_id,
        measure=measure,
        chart=chosen_chart,
        method=chosen_method,
        point_dates=tuple(point_dates),
        values=tuple(values),
        denominators=tuple(denominators) if uses_denominators else None,
        subgroups=tuple(subgroups) if subgroup_chart else None,
        gaps=tuple(d in gap_set for d in point_dates) if gap_set else (False,) * n,
        excluded=tuple(excluded),
        excluded_values=tuple(excluded_values),
        freeze=freeze,
        parts=breaks if not mdc else (),
        rebase=(0, *breaks) if mdc and breaks else (),
        fix_after_n_points=fix,
        phases=tuple(phases),
        cycles=tuple(marks),
        notes=tuple(notes),
    )


def _columns(
    point_dates: Sequence[dt.date],
    rows: MeasureRows,
    shown: Sequence[int | None],
    subgroup_chart: bool,
    left_out: list[bool] | None,
) -> tuple[list[float | None], list[float | None], Sequence[dt.date]]:
    """Values, denominators and subgroup dates, one entry per point (per row for
    subgroup charts); a gap or a left-out point (`left_out`: None for none) has no
    value. `shown` is the position of each point's row (None in a gap)."""
    if not subgroup_chart:  # one row a point: made a column at a time
        if isinstance(shown, range):  # every row, in order: the columns as they are
            values, denominators = list(rows.values), list(rows.denominators)
        else:
            values = [None if k is None else rows.values[k] for k in shown]
            denominators = [None if k is None else rows.denominators[k] for k in shown]
        if left_out is not None:
            values = [None if out else v for v, out in zip(values, left_out, strict=True)]
        return values, denominators, point_dates
    by_date: dict[dt.date, list[int]] = {}
    for k, day in enumerate(rows.dates):
        by_date.setdefault(day, []).append(k)
    values = []
    denominators = []
    subgroups: list[dt.date] = []
    for i, day in enumerate(point_dates):
        positions = by_date.get(day)
        if not positions:  # a gap: one missing value
            values.append(None)
            denominators.append(None)
            subgroups.append(day)
            continue
        for k in positions:
            out = left_out is not None and left_out[i]
            values.append(None if out else rows.values[k])
            denominators.append(rows.denominators[k])
            subgroups.append(day)
    return values, denominators, subgroups
