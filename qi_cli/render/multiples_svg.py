"""Small multiples for the HTML report: a grid of small panels, one per unit, on one
scale: values, centre line and limits, signal points in orange, the user's own unit
framed and labelled."""

from __future__ import annotations

import math

from qi_cli.render.escape import xml_text
from qi_cli.render.marks import format_value, signal_points
from qi_cli.render.multiples import OWN
from qi_cli.render.svg_parts import CONCERN, LIMIT, LINE, nice_ticks
from qi_cli.unit_charts import UnitChart, UnitCharts

PANEL_W, PANEL_H = 300, 170


def _panel(chart: UnitChart, charts: UnitCharts, x0: float, y0: float) -> list[str]:
    analysis = chart.analysis
    points = analysis.result.points
    low, high = charts.y_range
    ticks = nice_ticks(low, high, 4)
    low, high = min(ticks[0], low), max(ticks[-1], high)
    left, top, right, bottom = 40, 32, 10, 18
    plot_w, plot_h = PANEL_W - left - right, PANEL_H - top - bottom
    n = max(len(points), 1)

    def sx(i: float) -> float:
        return x0 + left + plot_w * (i + 0.5) / n

    def sy(v: float) -> float:
        return y0 + top + plot_h * (1 - (v - low) / (high - low or 1))

    own = chart.unit == charts.highlight
    title = chart.unit + (OWN if own else "")
    bold = ' font-weight="bold"' if own else ""
    out = [
        f'<g aria-label="{xml_text(title)}">',
        f'<rect x="{x0 + 1}" y="{y0 + 1}" width="{PANEL_W - 2}" height="{PANEL_H - 2}" '
        f'fill="{"#eef4fb" if own else "white"}" stroke="{LINE if own else "#cccccc"}" '
        f'stroke-width="{2 if own else 1}"/>',
        f'<text x="{x0 + 8}" y="{y0 + 16}" font-size="12"{bold}>{xml_text(title)}</text>',
    ]
    for tick in ticks:
        out.append(
            f'<text x="{x0 + left - 4}" y="{sy(tick) + 3:.1f}" font-size="9" '
            f'text-anchor="end">{xml_text(format_value(tick))}</text>'
        )
    for field, attrs in (
        ("cl", ""),
        ("lcl", ' stroke-dasharray="4 3"'),
        ("ucl", ' stroke-dasharray="4 3"'),
    ):
        coords = [
            (sx(p.index), sy(v))
            for p in points
            if (v := getattr(p, field)) is not None and math.isfinite(v)
        ]
        if coords:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            colour = LINE if field == "cl" else LIMIT
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}"{attrs}/>')
    values = [
        (p.index, p.y if p.y is not None else analysis.series.point_value(p.index)) for p in points
    ]
    present = [(i, v) for i, v in values if v is not None]
    if present:
        path = " ".join(f"{sx(i):.1f},{sy(v):.1f}" for i, v in present)
        out.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.2"/>')
    dates = analysis.series.point_dates
    if dates:  # the first and last dates: the panels share them when the units do
        for i, anchor in ((0, "start"), (len(dates) - 1, "end")):
            out.append(
                f'<text x="{sx(i):.1f}" y="{y0 + PANEL_H - 5}" font-size="9" '
                f'text-anchor="{anchor}">{dates[i].isoformat()}</text>'
            )
    flagged = signal_points(analysis)
    for i, v in present:
        colour = CONCERN if i in flagged else LINE
        out.append(f'<circle cx="{sx(i):.1f}" cy="{sy(v):.1f}" r="2.5" fill="{colour}"/>')
    out.append("</g>")
    return out


def render_multiples_svg(charts: UnitCharts, *, columns: int = 3) -> str:
    """The units' charts as a grid of small panels on one scale, in one `<svg>`."""
    count = len(charts.charts)
    columns = max(1, min(columns, count))
    rows = math.ceil(count / columns)
    width, height = columns * PANEL_W, rows * PANEL_H + 24
    title = f"{charts.name}: {count} units on one scale"
    desc = "; ".join(
        f"{c.unit}: " + (c.analysis.explanations[0] if c.analysis.explanations else "no signal")
        for c in charts.charts
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11">',
        f"<title>{xml_text(title)}</title>",
        f"<desc>{xml_text(desc)}</desc>",
        f'<text x="4" y="16" font-size="13" font-weight="bold">{xml_text(title)}</text>',
    ]
    for k, chart in enumerate(charts.charts):
        out += _panel(chart, charts, (k % columns) * PANEL_W, 24 + (k // columns) * PANEL_H)
    out.append("</svg>")
    return "\n".join(out) + "\n"
