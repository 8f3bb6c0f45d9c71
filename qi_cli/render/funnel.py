"""A funnel plot of units: as text for the terminal and as SVG for reports.

Text: one line per unit, smallest denominator first, with its value, its 95% and
99.8% limits and a strip that places the value between them (``|`` the 99.8% limits,
``:`` the 95% limits, ``+`` the pooled value, ``●`` the unit). SVG: the units as
points against their denominator, the limits as curves around the pooled value.
"""

from __future__ import annotations

import math

from qi_cli.render.escape import terminal_text, xml_text
from qi_cli.render.marks import format_value
from qi_cli.render.svg_parts import CONCERN, LIMIT, LINE, nice_ticks
from qi_cli.render.table import cell_len, wrap
from qi_cli.stats.funnel import FunnelUnit
from qi_cli.unit_funnel import MeasureFunnel

STRIP = 17


def _flag(unit: FunnelUnit, value: float, centre: float) -> str:
    side = "high" if value > centre else "low"
    if unit.outlier998:
        return f"{side}, outside 99.8%"
    if unit.outlier95:
        return f"{side}, outside 95%"
    return ""


def _strip(unit: FunnelUnit, value: float, centre: float) -> str:
    """The unit's value placed between its own 99.8% limits, on a fixed-width strip."""
    low, high = unit.limits.lcl998, unit.limits.ucl998
    cells = [" "] * STRIP
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return "".join(cells)

    def at(x: float) -> int:
        return min(max(round((x - low) / (high - low) * (STRIP - 1)), 0), STRIP - 1)

    cells[0] = cells[-1] = "|"
    cells[at(unit.limits.lcl95)] = ":"
    cells[at(unit.limits.ucl95)] = ":"
    cells[at(centre)] = "+"
    if value < low:
        return "●" + "".join(cells)[1:]
    if value > high:
        return "".join(cells)[:-1] + "●"
    cells[at(value)] = "●"
    return "".join(cells)


def _period(view: MeasureFunnel) -> str:
    if view.start is None and view.end is None:
        return "all dates"
    start = view.start.isoformat() if view.start else "the first date"
    end = view.end.isoformat() if view.end else "the last date"
    return f"{start} to {end}"


def summary_lines(view: MeasureFunnel) -> list[str]:
    """What the plot compares, and what it found, in words."""
    result = view.result
    m = result.multiplier
    flagged = [u for u in result.units if u.outlier95]
    lines = [
        f"{len(result.units)} {view.compared}, {_period(view)}; "
        f"pooled value {format_value(result.centre)}.",
    ]
    if result.adjusted:
        lines.append(
            f"The {view.compared} vary more than chance alone explains (phi {result.phi:.2f}): the "
            f"limits are widened by tau² = {result.tau2:.3g} (Spiegelhalter 2005)."
        )
    if not flagged:
        lines.append(
            f"No {view.compared[:-1]} lies outside the 95% limits: the differences "
            "are within chance."
        )
    else:
        named = ", ".join(f"{u.group} ({_flag(u, u.rr * m, result.centre)})" for u in flagged)
        lines.append(f"Outside the limits: {named}.")
    return lines


def render_funnel_text(view: MeasureFunnel, *, width: int = 80, colour: bool = False) -> str:
    """The funnel plot as text: a table of units with a strip each, then the summary."""
    result = view.result
    m = result.multiplier
    units = sorted(result.units, key=lambda u: u.denominator)
    scale = "expected" if result.data_type == "SR" else "n"
    longest = max(cell_len(terminal_text(u.group)) for u in units)
    name_width = min(longest + 2, max(12, width - 60))  # the other columns take 60
    title = f"{terminal_text(view.name)} ({terminal_text(view.measure_id)})"
    kind = view.compared[:-1]  # unit, project
    columns = f"{kind:<{name_width}}{scale:>8}{'value':>8}  {'95% limits':<14}99.8% strip"
    header = [*wrap(f"{title}: funnel plot of {view.compared}", width), "", columns]
    body = []
    for unit in units:
        value = unit.rr * m
        name = terminal_text(unit.group)
        if cell_len(name) > name_width - 2:
            name = name[: name_width - 3] + "…"
        mark = "▶ " if unit.group == view.highlight else ""
        limits = f"{format_value(unit.limits.lcl95)}–{format_value(unit.limits.ucl95)}"
        line = (
            f"{mark + name:<{name_width}}{format_value(unit.denominator):>8}"
            f"{format_value(value):>8}  {limits:<14}{_strip(unit, value, result.centre)}"
        )
        flag = _flag(unit, value, result.centre).replace(", outside", "")
        if flag:
            line += f" {flag}"
            if colour:
                line = f"\x1b[1m{line}\x1b[0m"
        body.append(line)
    words = summary_lines(view)
    if view.data_type == "rate":
        words.append(
            "Rates are compared as observed / expected events, expected = exposure × "
            "pooled rate (exact Poisson limits)."
        )
    footer = [""]
    for sentence in words:
        footer.extend(wrap(sentence, width))
    footer.append(f"| 99.8% limits  : 95% limits  + pooled value  ● the {view.compared[:-1]}")
    return "\n".join(header + body + footer) + "\n"


def render_funnel_svg(view: MeasureFunnel, *, width: int = 720, height: int = 400) -> str:
    """The funnel plot as SVG: units as points, the 95% and 99.8% limits as curves."""
    result = view.result
    m = result.multiplier
    left, right, top, bottom = 56, 16, 32, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    sizes = [u.denominator for u in result.units]
    x_max = max(sizes) * 1.05
    x_min = 0.0
    # The curves start at half the smallest unit's size; the scale holds every unit's
    # own limits, and what lies beyond (the funnel's narrow end) is clipped.
    x_first = min(sizes) / 2
    grid = [x_first + (x_max - x_first) * i / 160 for i in range(161)]
    curves = [result.limits_at(x) for x in grid]
    values = [u.rr * m for u in result.units]
    finite = [
        v for u in result.units for v in (u.limits.lcl998, u.limits.ucl998) if math.isfinite(v)
    ]
    y_low = min([*values, *finite, result.centre])
    y_high = max([*values, *finite, result.centre])
    ticks = nice_ticks(y_low, y_high)
    y_low, y_high = min(ticks[0], y_low), max(ticks[-1], y_high)

    def px(x: float) -> float:
        return left + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return top + (1 - (y - y_low) / (y_high - y_low)) * plot_h

    title = f"{view.name}: funnel plot of {len(result.units)} {view.compared}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" font-family="sans-serif" font-size="11">',
        f"<title>{xml_text(title)}</title>",
        f"<desc>{xml_text(' '.join(summary_lines(view)))}</desc>",
        f'<text x="{left}" y="18" font-size="13" font-weight="bold">{xml_text(title)}</text>',
        f'<clipPath id="funnel-plot"><rect x="{left}" y="{top}" width="{plot_w}" '
        f'height="{plot_h}"/></clipPath>',
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
        f'stroke="#cccccc"/>',
    ]
    for tick in ticks:
        out.append(
            f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">'
            f"{xml_text(format_value(tick))}</text>"
        )
    for tick in nice_ticks(0, x_max):
        if tick <= x_max:
            out.append(
                f'<text x="{px(tick):.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                f"{xml_text(format_value(tick))}</text>"
            )
    label = "expected count" if result.data_type == "SR" else "denominator"
    out.append(
        f'<text x="{left + plot_w / 2}" y="{height - bottom + 32}" '
        f'text-anchor="middle">{label}</text>'
    )
    key_y = height - 8
    out.append(
        f'<g font-size="10"><line x1="{left}" y1="{key_y - 4}" x2="{left + 24}" y2="{key_y - 4}" '
        f'stroke="{LINE}"/><text x="{left + 28}" y="{key_y}">pooled value '
        f"{xml_text(format_value(result.centre))}</text>"
        f'<line x1="{left + 150}" y1="{key_y - 4}" x2="{left + 174}" y2="{key_y - 4}" '
        f'stroke="{LIMIT}" stroke-dasharray="5 3"/><text x="{left + 178}" y="{key_y}">'
        f"95% limits</text>"
        f'<line x1="{left + 250}" y1="{key_y - 4}" x2="{left + 274}" y2="{key_y - 4}" '
        f'stroke="{LIMIT}"/><text x="{left + 278}" y="{key_y}">99.8% limits</text>'
        f'<rect x="{left + 360}" y="{key_y - 8}" width="8" height="8" fill="{CONCERN}"/>'
        f'<text x="{left + 372}" y="{key_y}">outside the 95% limits</text></g>'
    )
    out.append('<g clip-path="url(#funnel-plot)">')
    out.append(
        f'<line x1="{left}" y1="{py(result.centre):.1f}" x2="{left + plot_w}" '
        f'y2="{py(result.centre):.1f}" stroke="{LINE}"/>'
    )
    for name, dash in (("95", "5 3"), ("998", "1 0")):
        for side in ("lcl", "ucl"):
            points = " ".join(
                f"{px(x):.1f},{py(getattr(c, side + name)):.1f}"
                for x, c in zip(grid, curves, strict=True)
                if math.isfinite(getattr(c, side + name))
            )
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{LIMIT}" '
                f'stroke-dasharray="{dash}"/>'
            )
    out.append("</g>")
    for unit, value in zip(result.units, values, strict=True):
        x, y = px(unit.denominator), py(value)
        colour = CONCERN if unit.outlier95 else LINE
        tip = f"{unit.group}: {format_value(value)} (n {format_value(unit.denominator)})"
        if unit.outlier95:
            out.append(
                f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
                f"<title>{xml_text(tip)}</title></rect>"
            )
        else:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{xml_text(tip)}</title></circle>"
            )
        if unit.group == view.highlight or unit.outlier95:
            weight = ' font-weight="bold"' if unit.group == view.highlight else ""
            out.append(
                f'<text x="{x + 7:.1f}" y="{y + 4:.1f}"{weight}>{xml_text(unit.group)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"
