"""The charts of a project's HTML report as inline SVG, one measure at a time.

`qi report --format html` and the pages of `qi site` draw the same charts: a measure's
chart, and for a measure kept per unit (ward, team, site) its total followed by one
small chart per unit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from qi_cli.errors import QiError
from qi_cli.measure_analysis import MeasureAnalysis
from qi_cli.render.multiples_svg import render_multiples_svg
from qi_cli.render.svg import svg_for
from qi_cli.unit_charts import UnitCharts


def chart_svgs(
    analyses: Mapping[str, MeasureAnalysis | QiError], units: Mapping[str, UnitCharts]
) -> Callable[[str], str | None]:
    """A function from a measure's id to its charts as SVG (None when it cannot chart);
    `units` holds the small multiples of the measures kept per unit
    (`reports.report.analyse_all_units`)."""

    def svg(mid: str) -> str | None:
        found = analyses.get(mid)
        if found is None or isinstance(found, QiError):
            return None
        if mid not in units:
            return svg_for(found)
        return svg_for(found) + render_multiples_svg(units[mid])

    return svg
