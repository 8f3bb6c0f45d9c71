"""Small multiples: one chart per unit (ward, team, site) of a measure, on one scale.

Each unit's rows go through the same series and statistics as any measure, so every
unit has its own centre line, limits and signals. The charts share one value range
(``y_range``) so that a glance compares their levels, and the user's own unit can be
highlighted.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from qi_cli.errors import FieldError
from qi_cli.files.loaded import LoadedProject
from qi_cli.measure_analysis import DateLabels, MeasureAnalysis, measure_with_data
from qi_cli.model import ChartType, Method
from qi_cli.series import build_series, linked_cycles
from qi_cli.stats import explain
from qi_cli.units import unit_names


@dataclass(frozen=True)
class UnitChart:
    unit: str
    analysis: MeasureAnalysis


@dataclass(frozen=True)
class UnitCharts:
    """A measure's units, each analysed as its own chart, and their shared range."""

    measure_id: str
    name: str
    highlight: str | None
    charts: tuple[UnitChart, ...]
    y_range: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure_id,
            "name": self.name,
            "highlight": self.highlight,
            "y_range": list(self.y_range),
            "units": [{"unit": c.unit, "chart": c.analysis.to_dict()} for c in self.charts],
        }


def analyse_units(
    project: LoadedProject,
    measure_id: str,
    *,
    method: Method | None = None,
    chart: ChartType | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    annotations: bool = True,
    highlight: str | None = None,
) -> UnitCharts:
    """One analysis per unit of a measure, in the order the units first appear."""
    measure = measure_with_data(project, measure_id)
    rows = project.rows(measure_id)
    names = unit_names(rows)
    if not names:
        raise FieldError(
            "by",
            f"{measure_id} has no units: {{by}} unit draws one chart per unit",
            hint="add a unit column to the measure's CSV (ward, team or site of each row)",
            exit_code=1,
        )
    if highlight is None and measure.own_unit in names:
        highlight = measure.own_unit  # the measure's setting; --highlight overrides it
    if highlight is not None and highlight not in names:
        raise FieldError(
            "highlight",
            f"{{highlight}}: no unit '{highlight}' in {measure_id}",
            hint=f"units: {', '.join(names)}",
        )
    cycles = linked_cycles(project, measure_id) if annotations else []
    charts = []
    for name in names:
        series = build_series(
            measure_id,
            measure,
            rows.take(k for k, unit in enumerate(rows.units) if unit == name),
            cycles,
            method=method,
            chart=chart,
            start=start,
            end=end,
        )
        result = series.analyse()
        labels = DateLabels(series.point_dates)
        explanations = tuple(explain(result, labels)) if series.n_present else ()
        analysis = MeasureAnalysis(series=series, result=result, explanations=explanations)
        charts.append(UnitChart(unit=name, analysis=analysis))
    return UnitCharts(
        measure_id=measure_id,
        name=measure.name,
        highlight=highlight,
        charts=tuple(charts),
        y_range=shared_range([c.analysis for c in charts]),
    )


def shared_range(analyses: list[MeasureAnalysis]) -> tuple[float, float]:
    """The range that holds every unit's values, centre lines, limits and target."""
    values: list[float] = []
    for analysis in analyses:
        for p in analysis.result.points:
            y = p.y if p.y is not None else analysis.series.point_value(p.index)
            values.extend(v for v in (y, p.cl, p.lcl, p.ucl) if v is not None and math.isfinite(v))
        if analysis.result.target is not None:
            values.append(analysis.result.target)
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if high - low < 1e-12:
        low, high = low - 1, high + 1
    return low, high
