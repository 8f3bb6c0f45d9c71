"""Terminal charts with plotext: a measure's series, its lines, phases and PDSA cycles.

`draw_chart` returns the chart as a string (plotext's ``build()``), never prints. Every
mark has its own character, so the chart reads the same with colour off (piped output,
``NO_COLOR``, golden files): colour only repeats what the characters already say.

plotext 5.3.2 is used (pinned): ``build()`` returns the canvas as a string, the API
(``plot_size``, ``xticks``, ``vertical_line``, ``theme``) is stable, and although it
always emits escape codes, they are only the colours we ask for and are stripped
completely when colour is off. See the note in the project README for why not 6.x.

Layout: points are placed on a calendar x axis (days since the first point), so a
missing week takes its width as a gap. The cycle numbers are written on a row above
the frame, at the columns plotext uses for their markers.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import textwrap
from collections.abc import Iterator, Sequence
from typing import Any

import plotext as plt

from qi_cli.measure_analysis import MeasureAnalysis
from qi_cli.render.chart_frame import (
    ANSI,
    ANSI_SPLIT,
    Frame,
    baseline_row,
    baseline_span,
    cycle_rows,
    date_row,
    edge_labels,
    half_period,
    label_edge,
    latest_target,
    shade_baseline,
    strip_ansi,
)
from qi_cli.render.escape import terminal_text
from qi_cli.render.marks import MARKS, POINT_RULES, format_value, signal_points
from qi_cli.render.text import describe_chart
from qi_cli.render.thin import TERMINAL_POINTS_PER_COLUMN, latest
from qi_cli.stats.sentences import before_change

MIN_WIDTH = 40
MIN_HEIGHT = 10
MAX_HEIGHT = 200
SPARSE_COLUMNS = 4


COLOURS = {
    "point": "blue+",
    "line": "gray",
    "improvement": "cyan+",
    "concern": "orange+",
    "neutral": "magenta+",
    "excluded": "gray",
    "centre": "green",
    "limit": "red",
    "near": "red",
    "cycle": "cyan",
    "event": "yellow",
    "target": "green+",
}


def nice_step(span: float, count: int) -> float:
    """A 1, 2 or 5 times a power of ten step giving about ``count`` ticks over ``span``.

    >>> nice_step(10, 5), nice_step(0.9, 4), nice_step(37, 6)
    (2.0, 0.5, 10.0)
    """
    if span <= 0 or count < 1:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power * 1.0000001:
            return float(factor * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _x_of(date: dt.date, first: dt.date) -> float:
    return float((date - first).days)


def _values(analysis: MeasureAnalysis) -> list[float | None]:
    """The plotted value of each point: the engine's, or for mdc exclusions the raw one."""
    series = analysis.series
    return [p.y if p.y is not None else series.point_value(p.index) for p in analysis.result.points]


def _frame(
    analysis: MeasureAnalysis,
    first: dt.date,
    xs: list[float],
    y_range: tuple[float, float] | None = None,
) -> Frame:
    series = analysis.series
    ys: list[float] = [v for v in _values(analysis) if v is not None]
    if y_range is not None:  # small multiples share one scale
        ys = list(y_range)
    for p in analysis.result.points:
        ys.extend(v for v in (p.cl, p.lcl, p.ucl) if v is not None and math.isfinite(v))
    if ys:
        ys.extend(t for t in series.targets if t is not None and math.isfinite(t))
    if not ys:
        ys = [0.0, 1.0]
    lo, hi = min(ys), max(ys)
    if hi - lo < 1e-12:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.06
    lo, hi = lo - pad, hi + pad
    if min(ys) >= 0 > lo:
        lo = 0.0 if min(ys) - lo > 0 else lo
    span_dates = [*xs] + [_x_of(c.date, first) for c in series.cycles]
    half = half_period(xs)
    x_lo, x_hi = min(span_dates) - half, max(span_dates) + half
    if x_hi - x_lo < 1:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    return Frame(x_lo=x_lo, x_hi=x_hi, y_lo=lo, y_hi=hi)


def _target_samples(
    analysis: MeasureAnalysis, xs: list[float], frame: Frame, columns: int
) -> tuple[list[float], list[float]]:
    """The target line sampled across the chart: flat for a number, a staircase for
    steps (each value from its date on), a sloping line for a trajectory."""
    series = analysis.series
    samples = max(columns * 3, 10)
    tx = [frame.x_lo + (frame.x_hi - frame.x_lo) * k / samples for k in range(samples + 1)]
    if series.target_kind in ("fixed", "aim"):
        target = latest_target(analysis)
        return (tx, [target] * len(tx)) if target is not None else ([], [])
    first = series.point_dates[0]
    out_x: list[float] = []
    out_y: list[float] = []
    for x in tx:
        day = first + dt.timedelta(days=round(x))
        value = _target_on(analysis, day)
        if value is not None and frame.y_lo <= value <= frame.y_hi:
            out_x.append(x)
            out_y.append(value)
    return out_x, out_y


def _target_on(analysis: MeasureAnalysis, day: dt.date) -> float | None:
    """The target in force on any day, from the per-point targets: a step holds from
    its point on; a trajectory is interpolated between points."""
    series = analysis.series
    dates, targets = series.point_dates, series.targets
    k = bisect.bisect_right(dates, day) - 1
    if k < 0:
        return None
    here = targets[k]
    if series.target_kind == "trajectory" and k + 1 < len(dates) and here is not None:
        after = targets[k + 1]
        if after is not None:
            share = (day - dates[k]).days / (dates[k + 1] - dates[k]).days
            return here + (after - here) * share
    return here


def _segments(xs: list[float], ys: list[float | None]) -> Iterator[tuple[list[float], list[float]]]:
    """Runs of consecutive present values: a missing value breaks the line."""
    run_x: list[float] = []
    run_y: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if run_x:
                yield run_x, run_y
            run_x, run_y = [], []
        else:
            run_x.append(x)
            run_y.append(y)
    if run_x:
        yield run_x, run_y


def _step_samples(
    xs: list[float],
    levels: list[float | None],
    parts: list[int],
    frame: Frame,
    columns: int,
) -> tuple[list[float], list[float]]:
    """Sample a per-point line (centre or limit) as a step function, one level per point.

    Each point's level covers half the way to its neighbours; the level is not drawn
    where it is missing, so a line stops at a gap in the limits and jumps at a phase.
    `xs` ascend, as a series' point dates do.
    """
    out_x: list[float] = []
    out_y: list[float] = []
    if not xs:
        return out_x, out_y
    samples = max(columns * 3, 10)
    half = half_period(xs)
    for k in range(samples + 1):
        x = frame.x_lo + (frame.x_hi - frame.x_lo) * k / samples
        if x < xs[0] - half * 0.999 or x > xs[-1] + half * 0.999:
            continue
        i = _nearest(xs, x)
        # do not bridge a gap of more than one period with a flat line
        if abs(xs[i] - x) > half * 1.001:
            continue
        level = levels[i]
        if level is None or not math.isfinite(level):
            continue
        if not frame.y_lo <= level <= frame.y_hi:
            continue
        out_x.append(x)
        out_y.append(level)
    return out_x, out_y


def _nearest(xs: list[float], x: float) -> int:
    """The index of the point nearest `x` in ascending `xs`, the first one on a tie: what
    `min(range(len(xs)), key=lambda j: (abs(xs[j] - x), j))` gives, found by bisection."""
    right = bisect.bisect_left(xs, x)  # xs[right:] >= x: their distance grows with j
    candidates = []
    if right > 0:
        # below x the distance shrinks towards x; walk back over points at the same
        # distance (equal values, or a difference lost to rounding) to the first one
        left = right - 1
        while left > 0 and abs(xs[left - 1] - x) == abs(xs[left] - x):
            left -= 1
        candidates.append(left)
    if right < len(xs):
        candidates.append(right)
    return min(candidates, key=lambda j: (abs(xs[j] - x), j))


def _ticks(frame: Frame, rows: int) -> tuple[list[float], list[str]]:
    count = max(2, rows // 4)
    while True:
        step = nice_step(frame.y_hi - frame.y_lo, count)
        first = math.ceil(frame.y_lo / step - 1e-9) * step
        ticks: list[float] = []
        value = first
        while value <= frame.y_hi + 1e-9:
            ticks.append(round(value, 10))
            value += step
        # a short chart still gets at least three labelled values on its y axis
        if len(ticks) >= 3 or count >= rows:
            break
        count += 1
    decimals = _decimals(step)
    return ticks, [format_value(t, decimals) for t in ticks]


def _date_ticks(dates: Sequence[dt.date], first: dt.date, columns: int) -> list[dt.date]:
    """Evenly spaced point dates for the x axis: as many as fit with room between them."""
    if not dates:
        return []
    fit = max(2, columns // 14)
    if len(dates) <= fit:
        return list(dates)
    chosen = [dates[round(k * (len(dates) - 1) / (fit - 1))] for k in range(fit)]
    return sorted(set(chosen))


def _signal_kind(analysis: MeasureAnalysis, index: int) -> str | None:
    """improvement, concern or neutral for a point that belongs to a signal, else None."""
    point = analysis.result.points[index]
    if not point.signals:
        return None
    if point.point_type is not None:
        if point.point_type == "special_cause_improvement":
            return "improvement"
        if point.point_type == "special_cause_concern":
            return "concern"
        if point.point_type == "common_cause":
            return None
        return "neutral"
    result = analysis.result
    kinds = {  # a shift before the change is not the project's doing: neutral
        s.improvement if before_change(result, s) is None else None
        for s in result.signals
        if index in s.points and s.rule in POINT_RULES
    }
    if not kinds:
        return None
    if False in kinds:
        return "concern"
    if True in kinds:
        return "improvement"
    return "neutral"


def draw_chart(
    analysis: MeasureAnalysis,
    *,
    width: int = 80,
    height: int = 20,
    colour: bool = False,
    annotations: bool = True,
    y_range: tuple[float, float] | None = None,
) -> str:
    """The chart of one measure as text: cycle numbers row, plot with axes.

    ``colour`` False gives plain text without any escape code (piped output,
    NO_COLOR, golden files). The caller decides (`cli._common.use_colour`).
    """
    width = max(MIN_WIDTH, width)
    height = max(MIN_HEIGHT, height)
    series = analysis.series
    dates = list(series.point_dates)
    if not dates:
        return "(no data yet: add the first value with `qi data add`)"
    first = dates[0]
    xs = [_x_of(d, first) for d in dates]
    values = _values(analysis)
    frame = _frame(analysis, first, xs, y_range)
    rows = height - 3  # frame top and bottom, x tick labels
    y_ticks, y_labels = _ticks(frame, rows)
    label_width = max(len(s) for s in y_labels) if y_labels else 1
    edge = edge_labels(analysis, frame)
    room = max((len(text) + 1 for _, text in edge), default=0)
    plot_width = width - room
    columns = plot_width - label_width - 2
    points = analysis.result.points
    marks = MARKS

    plt.clear_figure()
    plt.theme("pro")
    plt.limit_size(False, False)
    plt.plot_size(plot_width, height)
    plt.xlim(frame.x_lo, frame.x_hi)
    plt.ylim(frame.y_lo, frame.y_hi)
    plt.yticks(y_ticks, y_labels)
    tick_dates = _date_ticks(dates, first, columns)
    tick_xs = [_x_of(d, first) for d in tick_dates]
    # plotext places tick labels in an order that depends on the hash seed, so the
    # labels are written by `date_row` instead; plotext only draws the tick marks
    plt.xticks(tick_xs, [" "] * len(tick_xs))

    def colour_of(name: str) -> Any:
        return COLOURS[name] if colour else "default"

    # phases: a vertical line half-way between the last point before and the first after
    for phase in series.phases:
        x = (xs[phase.index - 1] + xs[phase.index]) / 2
        plt.vertical_line(x, color=colour_of("centre") if colour else None)

    # the series: a light line between consecutive present points, drawn first so
    # that every line and mark drawn after it stays whole where the line crosses it
    # (only when points are sparse: in a dense series the line would hide the marks)
    if len(xs) > 1 and columns / len(xs) >= SPARSE_COLUMNS:
        joined = [None if series.excluded[p.index] else p.y for p in points]
        for seg_x, seg_y in _segments(xs, joined):
            if len(seg_x) > 1:
                plt.plot(seg_x, seg_y, marker=marks.line, color=colour_of("line"))

    # PDSA cycles: a dotted vertical line at the cycle's date
    cycle_columns: list[tuple[float, str]] = []
    if annotations:
        y_rows = [
            frame.y_lo + (frame.y_hi - frame.y_lo) * (k + 0.5) / (rows * 2) for k in range(rows * 2)
        ]
        for event in series.events:
            x = _x_of(event.date, first)
            cycle_columns.append((x, event.label))
            plt.scatter([x] * len(y_rows), y_rows, marker=marks.event, color=colour_of("event"))
        for mark in series.cycles:
            x = _x_of(mark.date, first)
            cycle_columns.append((x, f"#{mark.number}"))
            plt.scatter([x] * len(y_rows), y_rows, marker=marks.cycle, color=colour_of("cycle"))

    # the target, then centre line and limits as step lines, one level per point
    tx, ty = _target_samples(analysis, xs, frame, columns)
    if tx:
        plt.scatter(tx, ty, marker=marks.target, color=colour_of("target"))
    parts = [p.part for p in points]
    lines: list[tuple[str, str, list[float | None]]] = []
    if series.method == "mdc":
        lines.append(("near", marks.near, [p.lcl_2s for p in points]))
        lines.append(("near", marks.near, [p.ucl_2s for p in points]))
    lines.append(("limit", marks.limit, [p.lcl for p in points]))
    lines.append(("limit", marks.limit, [p.ucl for p in points]))
    lines.append(("centre", marks.centre, [p.cl for p in points]))
    for name, char, levels in lines:
        lx, ly = _step_samples(xs, levels, parts, frame, columns)
        if lx:
            plt.scatter(lx, ly, marker=char, color=colour_of(name))

    flagged = signal_points(analysis)
    groups: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for i, (x, y) in enumerate(zip(xs, values, strict=True)):
        if y is None:
            continue
        if series.excluded[i]:
            key = ("excluded", marks.excluded)
        elif i in flagged:
            key = (_signal_kind(analysis, i) or "neutral", marks.signal)
        else:
            key = ("point", marks.point)
        bucket = groups.setdefault(key, ([], []))
        bucket[0].append(x)
        bucket[1].append(y)
    for (name, char), (gx, gy) in groups.items():
        plt.scatter(gx, gy, marker=char, color=colour_of(name))

    canvas = plt.build()
    plt.clear_figure()
    if not colour:
        canvas = strip_ansi(canvas)
    lines_out = [_rstrip(line) for line in canvas.split("\n")]
    while lines_out and not lines_out[-1].strip():
        lines_out.pop()
    top = strip_ansi(lines_out[0]) if lines_out else ""
    if lines_out and not strip_ansi(lines_out[-1]).strip():
        lines_out.pop()
    span = baseline_span(analysis, top, xs, frame)
    if span is not None:
        shade_baseline(lines_out, span, colour)
    label_edge(lines_out, edge, frame, colour)
    lines_out.append(date_row(top, tick_xs, tick_dates, frame))
    if span is not None:
        lines_out.append(baseline_row(span))
    out = [_paint(row, COLOURS["cycle"], colour) for row in cycle_rows(top, cycle_columns, frame)]
    out.extend(lines_out)
    return "\n".join(out)


def _rstrip(line: str) -> str:
    """Drop trailing spaces, also those between trailing colour codes (kept as they are)."""
    tokens = ANSI_SPLIT.split(line)
    for k in range(len(tokens) - 1, -1, -1):
        if ANSI.fullmatch(tokens[k]):
            continue
        tokens[k] = tokens[k].rstrip()
        if tokens[k]:
            break
    return "".join(tokens)


def _paint(text: str, colour_name: str, colour: bool) -> str:
    if not colour:
        return text

    return str(plt.colorize(text, colour_name))


def chart_page(
    analysis: MeasureAnalysis,
    *,
    width: int = 80,
    height: int = 20,
    colour: bool = False,
    annotations: bool = True,
) -> str:
    """Title, chart and the words under it: what `qi chart` shows and reports embed."""
    title = "\n".join(
        textwrap.wrap(terminal_text(analysis.title), width=width, subsequent_indent="  ")
    )
    if colour:
        title = str(plt.colorize(title, style="bold"))
    # a long series: its latest points drawn, the rest summarised (render.thin)
    window = latest(analysis, max(MIN_WIDTH, width) * TERMINAL_POINTS_PER_COLUMN)
    chart = draw_chart(
        window.analysis, width=width, height=height, colour=colour, annotations=annotations
    )
    if window.note:
        chart += "\n" + textwrap.fill(window.note, width=width)
    words = terminal_text(describe_chart(analysis, width=width), keep_lines=True)
    return f"{title}\n{chart}\n{words}\n"
