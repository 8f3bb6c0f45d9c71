"""A long series drawn as its latest points, with the rest summarised in one sentence.

A chart of a million points does not need a million SVG elements or terminal cells: no
screen or page shows more than a few thousand. The statistics (limits, signals) still
use every point; only the drawing is bounded. The earlier points are not hidden: the
sentence under the chart says how many there were, their dates and their range.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from qi_cli.measure_analysis import MeasureAnalysis
from qi_cli.render.marks import format_value
from qi_cli.stats import ChartResult

# the most points an SVG chart draws (its plot is about 500 px wide: 4 points a pixel)
SVG_POINTS = 2000
# the most points a terminal chart draws, per column of the plot
TERMINAL_POINTS_PER_COLUMN = 4


@dataclass(frozen=True)
class Window:
    """What a chart draws, and the sentence that says what it left out ("" when nothing)."""

    analysis: MeasureAnalysis
    note: str


def latest(analysis: MeasureAnalysis, keep: int) -> Window:
    """The analysis cut to its latest `keep` points (index, signals, phases renumbered)."""
    total = len(analysis.result.points)
    if total <= keep:
        return Window(analysis=analysis, note="")
    start = total - keep
    series = analysis.series
    result = analysis.result
    points = result.points[start:].starting_at(0)
    signals = tuple(
        dataclasses.replace(s, points=tuple(i - start for i in s.points if i >= start))
        for s in result.signals
        if s.points and s.points[-1] >= start
    )
    cut_result: ChartResult = dataclasses.replace(result, points=points, signals=signals)
    per_point: dict[str, Any] = {
        "point_dates": series.point_dates[start:],
        "values": series.values[start:],
        "gaps": series.gaps[start:],
        "excluded": series.excluded[start:],
        "excluded_values": series.excluded_values[start:],
        "phases": tuple(
            dataclasses.replace(p, index=p.index - start) for p in series.phases if p.index > start
        ),
        "cycles": tuple(c for c in series.cycles if c.date >= series.point_dates[start]),
    }
    if series.denominators is not None:
        per_point["denominators"] = series.denominators[start:]
    if series.targets:  # the target in force at each point
        per_point["targets"] = series.targets[start:]
    if series.events:
        per_point["events"] = tuple(e for e in series.events if e.date >= series.point_dates[start])
    cut_series = dataclasses.replace(series, **per_point)
    cut = dataclasses.replace(analysis, series=cut_series, result=cut_result)
    return Window(analysis=cut, note=_summary(analysis, start, keep))


def _summary(analysis: MeasureAnalysis, start: int, keep: int) -> str:
    """One sentence: which points are drawn, and the count, dates and range of the rest."""
    dates = analysis.series.point_dates
    earlier = [y for y in analysis.result.points.y[:start] if y is not None and math.isfinite(y)]
    total = len(dates)
    said = (
        f"Drawn: the latest {keep:,} of {total:,} points, from {dates[start].isoformat()}. "
        f"The {start:,} before them ({dates[0].isoformat()} to {dates[start - 1].isoformat()})"
    )
    if earlier:
        said += (
            f" ranged from {format_value(min(earlier))} to {format_value(max(earlier))}"
            f" (mean {format_value(sum(earlier) / len(earlier))})"
        )
    else:
        said += " have no values"
    return said + "; the limits and signals use every point."
