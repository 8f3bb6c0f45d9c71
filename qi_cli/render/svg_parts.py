"""The pieces every SVG chart of qi is drawn with: colours, scales, point markers, lines
with gaps, labels that keep apart, and the key.

Used by the run and control charts (`render/svg.py`), the small multiples, funnel plots,
Pareto charts, fishbones and the Making Data Count icons, so that they look alike.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

# Making Data Count colours: blue improvement, orange concern, purple neutral, grey.
IMPROVEMENT = "#1f6fb2"
CONCERN = "#d46a00"
NEUTRAL = "#7b3fa0"
COMMON = "#4d4d4d"
LINE = "#333333"
LIMIT = "#737373"  # also the colour of the UCL and LCL labels: 4.7:1 on white (WCAG AA)
TARGET = "#2e7d32"
EVENT = "#b26a00"
EVENT_DASH = 'stroke-dasharray="2 3" stroke-width="1.2"'


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high].

    >>> nice_ticks(0, 9.3)
    [0, 2, 4, 6, 8, 10]
    >>> nice_ticks(5.0, 5.0)
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


def short_number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.3g}"


CHAR_WIDTH = 6.2  # average width of an 11px sans-serif character, for layout


def marker(kind: str, x: float, y: float) -> str:
    if kind == "improvement":
        return (
            f'<path d="M{x:.1f} {y - 5.5:.1f}L{x + 5.5:.1f} {y:.1f}L{x:.1f} {y + 5.5:.1f}'
            f'L{x - 5.5:.1f} {y:.1f}Z" fill="{IMPROVEMENT}"/>'
        )
    if kind == "concern":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" fill="{CONCERN}"/>'
    if kind == "neutral":
        return (
            f'<path d="M{x:.1f} {y - 5.5:.1f}L{x + 5.5:.1f} {y + 4.5:.1f}L{x - 5.5:.1f} '
            f'{y + 4.5:.1f}Z" fill="{NEUTRAL}"/>'
        )
    if kind == "excluded":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.4" fill="#ffffff" stroke="{COMMON}" '
            'stroke-width="1.2"/>'
        )
    return dot(f"{x:.1f}", f"{y:.1f}")


def dot(x: str, y: str) -> str:
    """The marker of a common-cause point, at coordinates already written out."""
    return f'<circle cx="{x}" cy="{y}" r="2.8" fill="{COMMON}"/>'


def polyline(
    coords: Sequence[tuple[float, float] | None],
    attrs: str,
    texts: Sequence[str] | None = None,
) -> list[str]:
    """One path per unbroken stretch: a missing value is a gap, never a zero.

    `texts`, when given, holds each coordinate written as the path writes it
    (`f"{x:.1f} {y:.1f}"`; anything at a gap), for a chart that wrote its numbers once."""
    if texts is None:
        texts = ["" if c is None else f"{c[0]:.1f} {c[1]:.1f}" for c in coords]
    out: list[str] = []
    start = 0
    for end in [*(k for k, c in enumerate(coords) if c is None), len(coords)]:
        if end - start > 1:
            out.append(f'<path d="M{"L".join(texts[start:end])}" fill="none" {attrs}/>')
        elif end - start == 1:  # a part of one point still shows its level
            point = coords[start]
            assert point is not None  # a gap ends every stretch
            x, y = point
            out.append(f'<path d="M{x - 4:.1f} {y:.1f}L{x + 4:.1f} {y:.1f}" {attrs}/>')
        start = end + 1
    return out


TARGET_DASH = 'stroke-dasharray="12 3 2 3" stroke-width="1.6"'
LIMIT_DASH = 'stroke-dasharray="5 3"'
NEAR_DASH = 'stroke-dasharray="1 3"'
CYCLE_DASH = 'stroke-dasharray="2 3"'


def spread(
    items: list[tuple[float, str, str]], gap: float, low: float, high: float
) -> list[tuple[float, str, str]]:
    """Labels at their y, pushed apart so that none overlaps (kept between low and high)."""
    items = sorted(items)
    out: list[tuple[float, str, str]] = []
    for y, text, colour in items:
        if out and y - out[-1][0] < gap:
            y = out[-1][0] + gap
        out.append((y, text, colour))
    overflow = out[-1][0] - high if out else 0
    if overflow > 0:
        out = [(y - overflow, t, c) for y, t, c in out]
    return [(max(y, low), t, c) for y, t, c in out]


def x_ticks(n: int, plot_w: float, label_chars: int) -> list[int]:
    """Evenly spaced point indices for the x labels, always the first and the last."""
    if n <= 0:
        return []
    fit = max(2, int(plot_w // ((label_chars + 3) * CHAR_WIDTH)))
    if n <= fit:
        return list(range(n))
    return sorted({round(k * (n - 1) / (fit - 1)) for k in range(fit)})


def draw_key(
    items: list[tuple[str, str]], left: float, top: float, width: float
) -> tuple[list[str], float]:
    """Swatch and words for each mark used, flowing into rows; returns the parts and height."""
    parts: list[str] = []
    x, y = left, top
    for swatch, words in items:
        w = 26 + len(words) * CHAR_WIDTH + 14
        if x + w > left + width and x > left:
            x, y = left, y + 16
        parts.append(swatch.format(x=x, y=y))
        parts.append(f'<text x="{x + 24:.1f}" y="{y + 4:.1f}" class="lab">{escape(words)}</text>')
        x += w
    return parts, (y - top) + 16


def line_swatch(attrs: str) -> str:
    return '<path d="M{x:.1f} {y:.1f}h18" fill="none" ' + attrs + "/>"


def marker_swatch(kind: str) -> str:
    return '<g transform="translate({x:.1f} {y:.1f}) translate(9 0)">' + marker(kind, 0, 0) + "</g>"
