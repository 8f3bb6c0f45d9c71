"""Small multiples in the terminal: one chart per unit on one scale.

Each unit's terminal chart (the same drawing as `qi chart`, with the shared value range)
is stacked under the unit's name. The HTML report's grid is `render.multiples_svg`.
"""

from __future__ import annotations

import textwrap

from qi_cli.render.chart import draw_chart
from qi_cli.render.escape import terminal_text
from qi_cli.render.marks import format_value
from qi_cli.unit_charts import UnitChart, UnitCharts

OWN = " (your unit)"


def unit_heading(chart: UnitChart, charts: UnitCharts) -> str:
    return terminal_text(chart.unit) + (OWN if chart.unit == charts.highlight else "")


def render_multiples_text(
    charts: UnitCharts, *, width: int = 80, height: int = 12, colour: bool = False
) -> str:
    """Each unit's chart under its name, all on the same scale."""
    low, high = charts.y_range
    lines = [
        *textwrap.wrap(
            f"{terminal_text(charts.name)}: {len(charts.charts)} units on one scale "
            f"({format_value(low)} to {format_value(high)})",
            width,
        ),
        "",
    ]
    for chart in charts.charts:
        heading = unit_heading(chart, charts)
        if chart.unit == charts.highlight:
            heading = f"▶ {heading}"
        lines.append(f"\x1b[1m{heading}\x1b[0m" if colour else heading)
        lines.append(
            draw_chart(
                chart.analysis,
                width=width,
                height=height,
                colour=colour,
                y_range=charts.y_range,
            )
        )
        for sentence in chart.analysis.explanations:
            lines.extend(
                textwrap.wrap(sentence, width, initial_indent="- ", subsequent_indent="  ")
            )
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
