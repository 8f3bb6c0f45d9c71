"""The text around a terminal chart's frame: labels above it, dates and the baseline
under it, the values of its lines at its right edge, the baseline period shaded
(`render.chart` draws the plot).

Columns and rows are found as plotext places them, so a label sits over its marker.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qi_cli.measure_analysis import MeasureAnalysis
from qi_cli.render.marks import format_value

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ANSI_SPLIT = re.compile(r"(\x1b\[[0-9;]*[A-Za-z])")


MAX_LABEL_ROWS = 3
SHADE = "˙"  # the baseline band with colour off: a light dot, every other column
BACKGROUND = "\x1b[48;5;236m"  # the baseline band with colour on: dark grey
BACKGROUND_OFF = "\x1b[49m"
RESETS = ("\x1b[0m", "\x1b[m")


def strip_ansi(text: str) -> str:
    return ANSI.sub("", text)


@dataclass(frozen=True)
class Frame:
    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float


def latest_target(analysis: MeasureAnalysis) -> float | None:
    """The measure's target in force at the last point (as the HTML chart draws it)."""
    target = analysis.series.target
    return target if target is not None and math.isfinite(target) else None


def half_period(xs: Sequence[float]) -> float:
    if len(xs) < 2:
        return 3.5
    steps = sorted(b - a for a, b in itertools.pairwise(xs))
    return max(steps[len(steps) // 2] / 2, 0.5)


def edge_labels(analysis: MeasureAnalysis, frame: Frame) -> list[tuple[float, str]]:
    """The values written at the right edge: the latest centre line and limits (for
    limits that vary with the denominator, the last point's) and the target in force."""
    points = analysis.result.points
    out: list[tuple[float, str]] = []
    last = next((p for p in reversed(points) if p.ucl is not None or p.lcl is not None), None)
    if last is not None and last.ucl is not None:
        out.append((last.ucl, f"UCL {format_value(last.ucl)}"))
    centre = next((p.cl for p in reversed(points) if p.cl is not None), None)
    if centre is not None:
        out.append((centre, f"{analysis.result.centre_line} {format_value(centre)}"))
    if last is not None and last.lcl is not None:
        out.append((last.lcl, f"LCL {format_value(last.lcl)}"))
    target = latest_target(analysis)
    if target is not None:
        out.append((target, f"target {format_value(target)}"))
    return [(v, t) for v, t in out if math.isfinite(v) and frame.y_lo <= v <= frame.y_hi]


def label_edge(
    lines: list[str], labels: list[tuple[float, str]], frame: Frame, colour: bool
) -> None:
    """Write each label after the frame's right edge, on the row of its line; a label
    whose row is taken goes to the nearest free row, so none hides another."""
    plain = [strip_ansi(line) for line in lines]
    top = next((i for i, line in enumerate(plain) if "┐" in line), None)
    bottom = next((i for i, line in enumerate(plain) if "┘" in line), None)
    if top is None or bottom is None or bottom - top < 2:
        return
    inner = bottom - top - 1
    taken: set[int] = set()
    for value, text in sorted(labels, key=lambda item: -item[0]):
        rel = 0.5 + (inner - 1) * (value - frame.y_lo) / (frame.y_hi - frame.y_lo)
        wanted = bottom - 1 - math.floor(round(rel, 8))
        row = min(
            (r for r in range(top + 1, bottom) if r not in taken),
            key=lambda r: (abs(r - wanted), -r),  # a tie: below, so labels keep their order
            default=None,
        )
        if row is None:
            continue
        taken.add(row)
        edge = plain[row].rindex("│") if "│" in plain[row] else len(plain[row])
        pad = " " * (edge + 1 - len(plain[row]))
        lines[row] = lines[row] + pad + " " + text


def baseline_span(
    analysis: MeasureAnalysis, top: str, xs: list[float], frame: Frame
) -> tuple[int, int] | None:
    """The first and last text column of the baseline period, when the centre line and
    limits come from a baseline (frozen) and not from every point; else None."""
    points = analysis.result.points
    base = [p.index for p in points if p.baseline]
    if not base or len(base) == len(points) or "┌" not in top or "┐" not in top:
        return None
    last = base[-1]
    half = half_period(xs)
    start = frame_column(top, max(xs[0] - half, frame.x_lo), frame)
    end_x = (xs[last] + xs[last + 1]) / 2 if last + 1 < len(xs) else xs[last] + half
    end = frame_column(top, min(end_x, frame.x_hi), frame)
    return (start, end) if end - start >= 2 else None


def baseline_row(span: tuple[int, int]) -> str:
    """`╰──── baseline ────╯` under the dates, spanning the baseline period."""
    start, end = span
    width = end - start + 1
    words = " baseline "
    if width - 2 < len(words):
        words = ""
    inner = words.center(width - 2, "─")
    return " " * start + "╰" + inner + "╯"


def shade_baseline(lines: list[str], span: tuple[int, int], colour: bool) -> None:
    """Shade the plot area over the baseline period: a grey background behind it with
    colour on; with colour off, a light dot in the empty cells of every other column
    (a stipple light enough that points and lines stay clear, `˙ ˙ ˙`)."""
    start, end = span
    plain = [strip_ansi(line) for line in lines]
    top = next((i for i, line in enumerate(plain) if "┐" in line), None)
    bottom = next((i for i, line in enumerate(plain) if "┘" in line), None)
    if top is None or bottom is None:
        return
    for row in range(top + 1, bottom):
        if colour:
            lines[row] = _with_background(lines[row], start, end)
        else:
            text = plain[row].ljust(end + 1)
            cells = [
                SHADE if c == " " and (start + k) % 2 == 0 else c
                for k, c in enumerate(text[start : end + 1])
            ]
            lines[row] = (text[:start] + "".join(cells) + text[end + 1 :]).rstrip()


def _with_background(line: str, start: int, end: int) -> str:
    """`line` (with colour codes) with the background set on columns start..end: set
    where the band starts, set again after each reset inside it, unset where it ends."""
    out: list[str] = []
    column = 0
    for token in ANSI_SPLIT.split(line):
        if ANSI.fullmatch(token):
            out.append(token)
            if token in RESETS and start <= column <= end:  # plotext resets each mark
                out.append(BACKGROUND)
            continue
        for char in token:
            if column == start:
                out.append(BACKGROUND)
            out.append(char)
            if column == end:
                out.append(BACKGROUND_OFF)
            column += 1
    if column <= end:  # a row cut short of the band's end (trailing spaces dropped)
        if column < start:
            out.append(" " * (start - column) + BACKGROUND)
        out.append(" " * (end + 1 - max(column, start)) + BACKGROUND_OFF)
    return "".join(out)


def cycle_rows(top: str, cycles: list[tuple[float, str]], frame: Frame) -> list[str]:
    """`#3` (cycle) and `E1` (event) labels above the frame, at the columns of their
    markers, top row first.

    Every cycle has a label of its own (never `#4,5`): a label that would touch the one
    before it is staggered onto a row above, and past `MAX_LABEL_ROWS` rows it moves
    right instead, so no label is hidden (the lines under the chart key each number
    to its change idea, and each event to what happened).
    """
    if not cycles or "┌" not in top or "┐" not in top:
        return []
    width = top.rindex("┐") + 2
    rows: list[list[str]] = []
    ends: list[int] = []  # the first free column of each row
    for x, text in sorted(cycles, key=lambda c: (c[0], c[1].startswith("#"), c[1])):
        col = frame_column(top, x, frame)
        start = max(0, min(col, width - len(text)))
        row = next((r for r, end in enumerate(ends) if end <= start), None)
        if row is None and len(rows) < MAX_LABEL_ROWS:
            rows.append([" "] * width)
            ends.append(0)
            row = len(rows) - 1
        if row is None:
            row = min(range(len(ends)), key=ends.__getitem__)
            start = ends[row]
        line = rows[row]
        if start + len(text) > len(line):
            line.extend([" "] * (start + len(text) - len(line)))
        line[start : start + len(text)] = list(text)
        ends[row] = start + len(text) + 1
    return ["".join(r).rstrip() for r in reversed(rows)]


def frame_column(top: str, x: float, frame: Frame) -> int:
    """The text column plotext uses for x (its `get_matrix_data`, offset by the frame)."""
    left, right = top.index("┌"), top.rindex("┐")
    bins = right - left - 1
    rel = 0.5 + (bins - 1) * (x - frame.x_lo) / (frame.x_hi - frame.x_lo)
    return left + 1 + math.floor(round(rel, 8))


def date_row(top: str, xs: list[float], dates: list[dt.date], frame: Frame) -> str:
    """The x axis labels, centred under their tick marks, never overlapping."""
    if "┌" not in top or "┐" not in top:
        return ""
    width = len(top)
    row = [" "] * width
    end = 0
    for x, date in zip(xs, dates, strict=True):
        text = date.isoformat()
        start = frame_column(top, x, frame) - len(text) // 2
        start = min(max(start, 0), width - len(text))
        if start < end:
            continue
        row[start : start + len(text)] = list(text)
        end = start + len(text) + 1
    return "".join(row).rstrip()
