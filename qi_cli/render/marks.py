"""The marks of a chart and how its numbers are written, shared by every chart format.

The terminal chart (`render.chart`), the words under it (`render.text`) and the SVG
chart (`render.svg`) mark the same points and write values the same way.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qi_cli.measure_analysis import MeasureAnalysis


@dataclass(frozen=True)
class Marks:
    """The character and colour of each kind of mark (and the legend's words for it)."""

    point: str = "•"
    signal: str = "◆"
    excluded: str = "×"
    line: str = "braille"
    centre: str = "─"
    limit: str = "┄"
    near: str = "·"
    cycle: str = "┆"
    event: str = "╎"
    phase: str = "│"
    target: str = "═"


MARKS = Marks()


POINT_RULES = ("outside_limits", "shift", "trend", "two_of_three")
"""Rules that mark points. Crossings and runs are about the whole part: they are
explained under the chart, and marking every point of the part would hide the others."""


def signal_points(analysis: MeasureAnalysis) -> set[int]:
    """The points drawn with the signal marker."""
    return {i for s in analysis.result.signals if s.rule in POINT_RULES for i in s.points}


def format_value(value: float, decimals: int | None = None) -> str:
    """A value as people write it: no trailing .0, at most 2 decimals unless asked.

    >>> format_value(5.0), format_value(6.6667), format_value(0.05, 2)
    ('5', '6.67', '0.05')
    """
    if decimals is not None:
        return f"{value:.{decimals}f}"
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def target_coords(
    targets: Sequence[float | None],
    sx: Callable[[float], float],
    sy: Callable[[float], float],
    stepped: bool,
) -> list[tuple[float, float] | None]:
    """A target that changes over time: a staircase (steps) or a sloping line through
    each point's target (a trajectory); no line where no target is in force."""
    coords: list[tuple[float, float] | None] = []
    for i, t in enumerate(targets):
        if t is None or not math.isfinite(t):
            coords.append(None)
        elif stepped:
            coords += [(sx(i - 0.5), sy(t)), (sx(i + 0.5), sy(t))]
        else:
            coords.append((sx(i), sy(t)))
    return coords
