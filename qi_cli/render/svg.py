"""Run and control charts as small, self-contained SVG for HTML reports.

Our own renderer (about 200 lines) instead of a plotting library: a report must be one
file with no external requests, print well on A4 and read without colour, and the
charts are simple line charts. Signal points differ in shape as well as colour
(a diamond for improvement, a square for concern, a triangle for a neutral signal), so
a grey-scale print still shows them. Each chart carries a text alternative.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from qi_cli.stats import ChartResult

if TYPE_CHECKING:
    from qi_cli.series import MeasureAnalysis

# Making Data Count colours: blue improvement, orange concern, purple neutral, grey.
IMPROVEMENT = "#1f6fb2"
CONCERN = "#d46a00"
NEUTRAL = "#7b3fa0"
COMMON = "#4d4d4d"
LINE = "#333333"
LIMIT = "#8a8a8a"
TARGET = "#2e7d32"


@dataclass(frozen=True)
class Annotation:
    """A vertical marker: a PDSA cycle (at a fractional point position) or a phase."""

    position: float
    label: str
    kind: str = "cycle"  # cycle | phase


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high].

    >>> nice_ticks(0, 9.3)
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    >>> nice_ticks(5, 5)
    [4.0, 5.0, 6.0]
    """
    if high <= low:
        return [low - 1.0, low, low + 1.0]
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"


def _point_kind(result: ChartResult, index: int) -> str:
    point = result.points[index]
    if not point.signals:
        return "common"
    if point.point_type:
        if point.point_type.endswith("improvement"):
            return "improvement"
        if point.point_type.endswith("concern"):
            return "concern"
        return "neutral" if point.point_type != "common_cause" else "common"
    related = [s for s in result.signals if index in s.points]
    if any(s.improvement is True for s in related):
        return "improvement"
    if any(s.improvement is False for s in related):
        return "concern"
    return "neutral"


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "improvement":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}'
            f'L{x - 5:.1f} {y:.1f}Z" fill="{IMPROVEMENT}"/>'
        )
    if kind == "concern":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{CONCERN}"/>'
    if kind == "neutral":
        return (
            f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z" '
            f'fill="{NEUTRAL}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.8" fill="{COMMON}"/>'


def _polyline(coords: Sequence[tuple[float, float] | None], attrs: str) -> list[str]:
    """One path per unbroken stretch: a missing value is a gap, never a zero."""
    out: list[str] = []
    run: list[tuple[float, float]] = []
    for c in [*coords, None]:
        if c is None:
            if len(run) > 1:
                d = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in run)
                out.append(f'<path d="{d}" fill="none" {attrs}/>')
            run = []
        else:
            run.append(c)
    return out


def render_svg(
    result: ChartResult,
    labels: Sequence[str],
    *,
    title: str,
    annotations: Sequence[Annotation] = (),
    unit: str = "",
    width: int = 720,
    height: int = 300,
) -> str:
    """The chart as an `<svg>` element with a title and a text alternative."""
    points = result.points
    left, right, top, bottom = 56, 16, 28, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    values: list[float] = []
    for p in points:
        for v in (p.y, p.cl, p.lcl, p.ucl):
            if v is not None and math.isfinite(v):
                values.append(v)
    if result.target is not None:
        values.append(result.target)
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    y_min, y_max = ticks[0], ticks[-1]
    n = max(len(points), 1)

    def sx(i: float) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def sy(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min or 1))

    parts: list[str] = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" '
        'fill="#ffffff" stroke="#cccccc"/>'
    ]
    for t in ticks:
        y = sy(t)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eeeeee"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{_fmt(t)}</text>'
        )
    step = max(1, math.ceil(len(labels) / 8))
    for i in range(0, len(labels), step):
        x = sx(i)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" class="tick">'
            f"{escape(labels[i])}</text>"
        )
    # phase boundaries (a new part or rebase group starts)
    for i in range(1, len(points)):
        if points[i].part != points[i - 1].part:
            x = (sx(i) + sx(i - 1)) / 2
            parts.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
                'stroke="#000000" stroke-width="1.5"/>'
            )
    for a in annotations:
        x = sx(a.position)
        if a.kind == "phase":
            continue
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
            'stroke="#999999" stroke-dasharray="2 3"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top - 6}" text-anchor="middle" class="ann">'
            f"{escape(a.label)}</text>"
        )
    if result.target is not None:
        y = sy(result.target)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{TARGET}" stroke-dasharray="8 4"/>'
        )
        parts.append(
            f'<text x="{left + plot_w - 4}" y="{y - 4:.1f}" text-anchor="end" '
            f'class="lab" fill="{TARGET}">target {_fmt(result.target)}</text>'
        )

    def line_of(attr: str) -> list[tuple[float, float] | None]:
        coords: list[tuple[float, float] | None] = []
        for i, p in enumerate(points):
            v = getattr(p, attr)
            if v is None or (i and points[i - 1].part != p.part):
                coords.append(None)
            if v is not None:
                coords.append((sx(i), sy(v)))
        return coords

    parts += _polyline(line_of("cl"), f'stroke="{LINE}" stroke-width="1.2"')
    for attr in ("ucl", "lcl"):
        parts += _polyline(line_of(attr), f'stroke="{LIMIT}" stroke-dasharray="6 3"')
    if result.method == "mdc":
        for attr in ("ucl_2s", "lcl_2s"):
            parts += _polyline(line_of(attr), f'stroke="{LIMIT}" stroke-dasharray="1 3"')
    series = [(sx(i), sy(p.y)) if p.y is not None else None for i, p in enumerate(points)]
    parts += _polyline(series, f'stroke="{COMMON}" stroke-width="1.4"')
    for i, p in enumerate(points):
        if p.y is None:
            continue
        kind = _point_kind(result, i)
        marker = _marker(kind, sx(i), sy(p.y))
        if p.excluded:
            marker = (
                f'<circle cx="{sx(i):.1f}" cy="{sy(p.y):.1f}" r="3.2" fill="#ffffff" '
                f'stroke="{COMMON}"/>'
            )
        parts.append(marker)
    alt = describe_chart(result, labels, title, unit)
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(alt)}">\n'
        f"<title>{escape(title)}</title>\n<desc>{escape(alt)}</desc>\n"
        "<style>.tick{font:11px sans-serif;fill:#444}.ann{font:10px sans-serif;fill:#555}"
        ".lab{font:11px sans-serif}</style>\n"
        f"{body}\n</svg>"
    )


def describe_chart(result: ChartResult, labels: Sequence[str], title: str, unit: str = "") -> str:
    """A one-sentence text alternative for a chart, for screen readers and alt text."""
    present = [(labels[i], p.y) for i, p in enumerate(result.points) if p.y is not None]
    kind = {
        "run": "Run chart",
        "i": "I chart (XmR)",
        "p": "P chart",
        "u": "U chart",
        "c": "C chart",
        "g": "G chart",
        "t": "T chart",
        "xbar": "Xbar chart",
        "s": "S chart",
        "mr": "Moving range chart",
        "pp": "P' chart",
        "up": "U' chart",
    }.get(result.chart, "Chart")
    if not present:
        return f"{kind} of {title}: no data yet."
    first, last = present[0], present[-1]
    suffix = f" {unit}" if unit else ""
    signals = len(result.signals)
    said = f"{signals} signal{'s' * (signals != 1)}" if signals else "no signals"
    return (
        f"{kind} of {title}: {len(present)} points from {first[0]} to {last[0]}; "
        f"latest {_fmt(last[1] or 0.0)}{suffix}; {said}."
    )


def date_position(dates: Sequence[dt.date], when: dt.date) -> float | None:
    """Where a date falls between the points, as a fractional point index.

    >>> d = [dt.date(2026, 1, 5), dt.date(2026, 1, 12)]
    >>> date_position(d, dt.date(2026, 1, 8))
    0.42857142857142855
    """
    if not dates or when < dates[0] or when > dates[-1]:
        return None
    for i in range(len(dates) - 1):
        if dates[i] <= when <= dates[i + 1]:
            span = (dates[i + 1] - dates[i]).days or 1
            return i + (when - dates[i]).days / span
    return float(len(dates) - 1)


def svg_for(analysis: MeasureAnalysis, *, width: int = 720, height: int = 300) -> str:
    """The SVG chart of one measure's analysis, with its PDSA cycles marked."""
    from qi_cli.series import unit_of

    series = analysis.series
    dates = list(series.point_dates)
    annotations = []
    for cycle in series.cycles:
        position = date_position(dates, cycle.date)
        if position is not None:
            annotations.append(Annotation(position, f"#{cycle.number}"))
    return render_svg(
        analysis.result,
        analysis.labels,
        title=analysis.title,
        annotations=annotations,
        unit=unit_of(series.measure) or "",
        width=width,
        height=height,
    )
