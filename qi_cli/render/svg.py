"""Run and control charts as small, self-contained SVG for HTML reports.

Our own renderer (about 200 lines) instead of a plotting library: a report must be one
file with no external requests, print well on A4 and read without colour, and the
charts are simple line charts. Signal points differ in shape as well as colour
(a diamond for improvement, a square for concern, a triangle for a neutral signal), so
a grey-scale print still shows them. Each chart carries a text alternative.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from qi_cli.measure_analysis import DateLabels, MeasureAnalysis, unit_of
from qi_cli.render.marks import POINT_RULES, format_value, target_coords
from qi_cli.render.svg_parts import (
    CHAR_WIDTH,
    COMMON,
    CYCLE_DASH,
    EVENT,
    EVENT_DASH,
    LIMIT,
    LIMIT_DASH,
    LINE,
    NEAR_DASH,
    TARGET,
    TARGET_DASH,
    dot,
    draw_key,
    line_swatch,
    marker,
    marker_swatch,
    nice_ticks,
    polyline,
    short_number,
    spread,
    x_ticks,
)
from qi_cli.render.thin import SVG_POINTS, latest
from qi_cli.stats import ChartResult, Signal
from qi_cli.stats.sentences import before_change

ALT_NAMES = {
    "run": "Run chart",
    "i": "I chart (XmR)",
    "mr": "Moving range chart",
    "xbar": "Xbar chart",
    "s": "S chart",
    "t": "T chart",
    "p": "P chart",
    "pp": "P' chart",
    "u": "U chart",
    "up": "U' chart",
    "c": "C chart",
    "g": "G chart",
}
"""What each chart type is called at the start of a chart's alt text."""


@dataclass(frozen=True)
class Annotation:
    """A vertical marker: a PDSA cycle (at a fractional point position) or a phase."""

    position: float
    label: str
    kind: str = "cycle"  # cycle | phase | event
    group: str = ""  # a cycle's change idea


def _signals_by_point(result: ChartResult) -> dict[int, list[Signal]]:
    """The point rules' signals each point belongs to: one pass over the signals, so that
    marking every point stays linear (bench/bench_points.py: 1M points in seconds)."""
    by_point: dict[int, list[Signal]] = {}
    for s in result.signals:
        if s.rule in POINT_RULES:
            for i in s.points:
                by_point.setdefault(i, []).append(s)
    return by_point


def _point_kind(result: ChartResult, point_type: str | None, related: list[Signal]) -> str:
    """How a point with signals is marked (`point_type`: Making Data Count's)."""
    if not related:
        return "common"
    if point_type:
        if point_type.endswith("improvement"):
            return "improvement"
        if point_type.endswith("concern"):
            return "concern"
        return "neutral" if point_type != "common_cause" else "common"
    # a shift before the change is not the project's doing (`before_change`): neutral
    related = [s for s in related if before_change(result, s) is None]
    if any(s.improvement is False for s in related):
        return "concern"
    if any(s.improvement is True for s in related):
        return "improvement"
    return "neutral"


def _cycle_labels(
    annotations: Sequence[Annotation], sx: Callable[[float], float]
) -> list[tuple[float, str, int]]:
    """`#3` above each cycle line (`E1` above an event's), with its row (0 nearest the
    plot).

    Every cycle has a label of its own (never `#4,5`, as in the terminal chart): a label
    that would touch the one before it goes on the row above, and when both rows are
    taken it moves right, so no label hides another.
    """
    out: list[tuple[float, str, int]] = []
    ends: list[float] = []  # the right edge of the last label of each row
    for a in sorted(annotations, key=lambda a: (a.position, a.kind != "event")):
        if a.kind == "phase":
            continue
        x = sx(a.position)
        text = a.label
        half = len(text) * CHAR_WIDTH / 2
        row = next((r for r, end in enumerate(ends) if x - half > end + CHAR_WIDTH / 2), None)
        if row is None and len(ends) < 2:  # two rows fit above the plot
            ends.append(0.0)
            row = len(ends) - 1
        if row is None:
            row = min(range(len(ends)), key=ends.__getitem__)
            x = ends[row] + CHAR_WIDTH / 2 + half
        ends[row] = x + half
        out.append((x, text, row))
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
    note: str = "",
    alt: str | None = None,
    targets: Sequence[float | None] | None = None,
    stepped: bool = True,
) -> str:
    """The chart as an `<svg>` element with its key, a title and a text alternative.

    ``note`` is written under the key (what a long series' chart left out, see
    `render.thin`); ``alt`` replaces the text alternative made from ``result``.
    ``targets`` gives the target in force at each point when it changes over time
    (``stepped``: steps, else a trajectory); without it ``result.target`` is one line.
    """
    points = result.points
    suffix = unit if unit == "%" else (f" {unit}" if unit else "")
    margin_chars = max(
        len(f"target {format_value(result.target)}{suffix}") if result.target is not None else 0,
        len(result.centre_line) + 7,
    )
    left, right, top = 56, min(160, int(margin_chars * CHAR_WIDTH) + 12), 28
    plot_w = width - left - right
    plot_h = height - top - 30
    values: list[float] = []
    for column in (points.y, points.cl, points.lcl, points.ucl):
        values.extend(v for v in column if v is not None and math.isfinite(v))
    if result.target is not None:
        values.append(result.target)
    moving = [t for t in targets or () if t is not None and math.isfinite(t)]
    values.extend(moving)
    ticks = nice_ticks(min(values, default=0.0), max(values, default=1.0))
    y_min, y_max = ticks[0], ticks[-1]
    n = max(len(points), 1)

    def sx(i: float) -> float:
        return left + (plot_w * (i + 0.5) / n)

    xs = [sx(i) for i in range(len(points))]  # each point's x, worked out once

    def sy(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / (y_max - y_min or 1))

    # each x and each value's y written out once for the lines and markers that share
    # them: writing the same numbers again was a third of a chart's drawing time
    # (bench/bench_site.py)
    x_text = [f"{x:.1f}" for x in xs]
    y_of: dict[float, tuple[float, str]] = {}

    def at(v: float) -> tuple[float, str]:
        """A value's y, and its y as the chart writes it."""
        found = y_of.get(v)
        if found is None:
            y = sy(v)
            found = y_of[v] = (y, f"{y:.1f}")
        return found

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
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{short_number(t)}</text>"
        )
    if unit:
        parts.append(
            f'<text x="{left - 6}" y="{top - 10}" text-anchor="end" class="tick">'
            f"{escape(unit)}</text>"
        )
    longest = max((len(label) for label in labels), default=10)
    for i in x_ticks(len(labels), plot_w, longest):
        x = sx(i)
        anchor = "middle"
        if x - longest * CHAR_WIDTH / 2 < 0:
            anchor = "start"
        elif x + longest * CHAR_WIDTH / 2 > width:
            anchor = "end"
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" '
            'stroke="#999999"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="{anchor}" class="tick">'
            f"{escape(labels[i])}</text>"
        )
    # phase boundaries (a new part or rebase group starts)
    phased = False
    part = points.part
    for i in range(1, len(points)):
        if part[i] != part[i - 1]:
            phased = True
            x = (sx(i) + sx(i - 1)) / 2
            parts.append(
                f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
                'stroke="#000000" stroke-width="1.5"/>'
            )
    cycles = [a for a in annotations if a.kind != "phase"]
    for a in cycles:
        x = sx(a.position)
        stroke = EVENT if a.kind == "event" else "#888888"
        dash = EVENT_DASH if a.kind == "event" else CYCLE_DASH
        parts.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" '
            f'stroke="{stroke}" {dash}/>'
        )
    for x, text, row in _cycle_labels(cycles, sx):
        parts.append(
            f'<text x="{x:.1f}" y="{top - 6 - 12 * row}" text-anchor="middle" class="ann">'
            f"{escape(text)}</text>"
        )

    def line_of(column: Sequence[float | None], attrs: str) -> list[str]:
        """A line's paths, broken where it has no value and where a part starts."""
        missing = column.count(None)
        if missing == len(column):
            return []
        coords: list[tuple[float, float] | None] = []
        texts: list[str] = []
        if not missing and not phased:  # one unbroken line, as most are: no gap to look for
            ys = [at(v) for v in column if v is not None]
            coords += zip(xs, [y for y, _ in ys], strict=True)
            texts += [f"{x} {y}" for x, (_, y) in zip(x_text, ys, strict=True)]
            return polyline(coords, attrs, texts)
        for i, v in enumerate(column):
            if v is None or (i and part[i - 1] != part[i]):
                coords.append(None)
                texts.append("")
            if v is not None:
                y, y_text = at(v)
                coords.append((xs[i], y))
                texts.append(f"{x_text[i]} {y_text}")
        return polyline(coords, attrs, texts)

    lines = {
        "cl": points.cl,
        "ucl": points.ucl,
        "lcl": points.lcl,
        "ucl_2s": points.ucl_2s,
        "lcl_2s": points.lcl_2s,
    }
    has = {name: any(v is not None for v in column) for name, column in lines.items()}
    near = result.method == "mdc" and (has["ucl_2s"] or has["lcl_2s"])
    parts += line_of(points.cl, f'stroke="{LINE}" stroke-width="1.2"')
    for name in ("ucl", "lcl"):
        parts += line_of(lines[name], f'stroke="{LIMIT}" {LIMIT_DASH}')
    if near:
        for name in ("ucl_2s", "lcl_2s"):
            parts += line_of(lines[name], f'stroke="{LIMIT}" {NEAR_DASH}')
    # labels in the right margin: the target and the last centre line, never overlapping
    margin: list[tuple[float, str, str]] = []
    if moving and targets is not None:
        parts += polyline(
            target_coords(targets, sx, sy, stepped), f'stroke="{TARGET}" {TARGET_DASH}'
        )
    elif result.target is not None:
        y = sy(result.target)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            f'stroke="{TARGET}" {TARGET_DASH}/>'
        )
    if result.target is not None:
        margin.append((sy(result.target), f"target {format_value(result.target)}{suffix}", TARGET))
    last_cl = next((v for v in reversed(points.cl) if v is not None), None)
    if last_cl is not None:
        margin.append((sy(last_cl), f"{result.centre_line} {format_value(last_cl)}", LINE))
    # the latest limits (for limits that vary with the denominator, the last point's)
    last_limits = next(
        (
            k
            for k in reversed(range(len(points)))
            if points.ucl[k] is not None or points.lcl[k] is not None
        ),
        None,
    )
    if last_limits is not None:
        for name, value in (("UCL", points.ucl[last_limits]), ("LCL", points.lcl[last_limits])):
            if value is not None and math.isfinite(value) and y_min <= value <= y_max:
                margin.append((sy(value), f"{name} {format_value(value)}", LIMIT))
    for y, text, colour in spread(margin, 13, top + 4, top + plot_h + 4):
        parts.append(
            f'<text x="{left + plot_w + 5}" y="{y + 4:.1f}" class="lab" style="fill:{colour}">'
            f"{escape(text)}</text>"
        )
    series: list[tuple[float, float] | None] = []
    y_texts: list[str] = []
    for x, v in zip(xs, points.y, strict=True):
        y, y_text = (0.0, "") if v is None else at(v)
        series.append(None if v is None else (x, y))
        y_texts.append(y_text)
    texts = [f"{x} {y}" for x, y in zip(x_text, y_texts, strict=True)]
    parts += polyline(series, f'stroke="{COMMON}" stroke-width="1.4"', texts)
    kinds: set[str] = set()
    by_point = _signals_by_point(result)
    for i, coords in enumerate(series):
        if coords is None:
            continue
        if points.excluded[i]:
            kind = "excluded"
        elif i in by_point:
            kind = _point_kind(result, points.point_type[i], by_point[i])
        else:
            kind = "common"
        kinds.add(kind)
        if kind == "common":
            parts.append(dot(x_text[i], y_texts[i]))
        else:
            parts.append(marker(kind, *coords))
    # the key: only the marks this chart uses, drawn exactly as on the chart
    key: list[tuple[str, str]] = [(marker_swatch("common"), "value")]
    words = {
        "improvement": "improvement",
        "concern": "concern",
        "neutral": "special cause",
        "excluded": "excluded",
    }
    key += [(marker_swatch(k), w) for k, w in words.items() if k in kinds]
    if has["cl"]:
        key.append((line_swatch(f'stroke="{LINE}" stroke-width="1.2"'), result.centre_line))
    if has["ucl"] or has["lcl"]:
        key.append((line_swatch(f'stroke="{LIMIT}" {LIMIT_DASH}'), "limits (3σ)"))
    if near:
        key.append((line_swatch(f'stroke="{LIMIT}" {NEAR_DASH}'), "2σ"))
    if result.target is not None:
        key.append((line_swatch(f'stroke="{TARGET}" {TARGET_DASH}'), "target"))
    if any(a.kind == "cycle" for a in cycles):
        key.append(
            (
                '<path d="M{x:.1f} {y:.1f}m9 -7v14" stroke="#888888" ' + CYCLE_DASH + "/>",
                "PDSA cycle #",
            )
        )
    if any(a.kind == "event" for a in cycles):
        key.append(
            (
                f'<path d="M{{x:.1f}} {{y:.1f}}m9 -7v14" stroke="{EVENT}" ' + EVENT_DASH + "/>",
                "event E",
            )
        )
    if phased:
        key.append(
            (
                '<path d="M{x:.1f} {y:.1f}m9 -7v14" stroke="#000000" stroke-width="1.5"/>',
                "new phase",
            )
        )
    legend, legend_h = draw_key(key, left, top + plot_h + 38, width - left - 8)
    parts += legend
    total_h = top + plot_h + 38 + legend_h
    for line in textwrap.wrap(note, width=int((width - left - 8) / CHAR_WIDTH)):
        parts.append(f'<text x="{left}" y="{total_h + 4:.1f}" class="lab">{escape(line)}</text>')
        total_h += 15
    if alt is None:
        alt = alt_text(result, labels, title, unit)
    if note:
        alt = f"{alt} {note}"
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_h:.0f}" '
        f'width="100%" role="img" aria-label="{escape(alt)}">\n'
        f"<title>{escape(title)}</title>\n<desc>{escape(alt)}</desc>\n"
        "<style>.tick{font:11px sans-serif;fill:#444}.ann{font:11px sans-serif;fill:#333}"
        ".lab{font:11px sans-serif;fill:#333}</style>\n"
        f"{body}\n</svg>"
    )


def alt_text(result: ChartResult, labels: Sequence[str], title: str, unit: str = "") -> str:
    """A one-sentence text alternative for a chart, for screen readers and alt text."""
    ys = result.points.y
    present = len(ys) - ys.count(None)
    kind = ALT_NAMES[result.chart]
    if not present:
        return f"{kind} of {title}: no data yet."
    first = next(k for k, y in enumerate(ys) if y is not None)
    last = next(k for k in range(len(ys) - 1, -1, -1) if ys[k] is not None)
    suffix = f" {unit}" if unit else ""
    signals = len(result.signals)
    said = f"{signals} signal{'s' * (signals != 1)}" if signals else "no signals"
    return (
        f"{kind} of {title}: {present} points from {labels[first]} to {labels[last]}; "
        f"latest {short_number(ys[last] or 0.0)}{suffix}; {said}."
    )


def date_position(dates: Sequence[dt.date], when: dt.date) -> float | None:
    """Where a date falls between the points, as a fractional point index.

    >>> d = [dt.date(2026, 1, 5), dt.date(2026, 1, 12)]
    >>> date_position(d, dt.date(2026, 1, 8))
    0.42857142857142855
    """
    if not dates or when < dates[0] or when > dates[-1]:
        return None
    i = bisect.bisect_left(dates, when)  # the first point on or after it
    if dates[i] == when:
        return float(i)
    span = (dates[i] - dates[i - 1]).days
    return i - 1 + (when - dates[i - 1]).days / span


def svg_for(analysis: MeasureAnalysis, *, width: int = 720, height: int = 300) -> str:
    """The SVG chart of one measure's analysis, with its PDSA cycles and events marked.

    A long series is drawn as its latest `SVG_POINTS` points and a sentence on the rest.
    """
    labels = DateLabels(analysis.series.point_dates)  # a million points: two labels written
    alt = alt_text(analysis.result, labels, analysis.title, unit_of(analysis.series.measure) or "")
    window = latest(analysis, SVG_POINTS)
    analysis = window.analysis
    series = analysis.series
    dates = list(series.point_dates)
    annotations = []
    for cycle in series.cycles:
        position = date_position(dates, cycle.date)
        if position is not None:
            annotations.append(Annotation(position, f"#{cycle.number}", group=cycle.change))
    for event in series.events:
        position = date_position(dates, event.date)
        if position is not None:
            annotations.append(Annotation(position, event.label, kind="event"))
    moving = series.target_kind in ("steps", "trajectory")
    return render_svg(
        analysis.result,
        analysis.labels,
        title=analysis.title,
        annotations=annotations,
        unit=unit_of(series.measure) or "",
        width=width,
        height=height,
        note=window.note,
        alt=alt,
        targets=series.targets if moving else None,
        stepped=series.target_kind == "steps",
    )
