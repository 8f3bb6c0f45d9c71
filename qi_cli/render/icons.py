"""The Making Data Count icons as small inline SVG, for the HTML report and portfolio.

Drawn after NHS England's Making Data Count icons: a circle whose colour says the kind
of variation (grey common cause, blue special cause improvement, orange concern,
purple special cause with no better direction) holding a few points that show it,
with H or L for higher or lower; assurance is a circle with P (the process passes
the target), F (it fails it) or a line that crosses the target (hit and miss).
Each icon carries its words as `<title>` and `aria-label`, so it reads without
colour, without pictures and to a screen reader; the words are also printed beside it.
"""

from __future__ import annotations

from html import escape

from qi_cli.render.svg import COMMON, CONCERN, IMPROVEMENT, NEUTRAL

SIZE = 28

# the five points inside a variation icon, as heights from -1 (low) to 1 (high)
_FLAT = (0.0, 0.35, -0.2, 0.25, 0.0)
_HIGH = (-0.45, -0.35, -0.4, 0.45, 0.6)
_LOW = (0.45, 0.35, 0.4, -0.45, -0.6)


def _variation_look(icon: str) -> tuple[str, tuple[float, ...], str]:
    """Colour, the points' shape and the letter of a variation icon."""
    kind, _, side = icon.partition("_")
    colour = {"improvement": IMPROVEMENT, "concern": CONCERN, "neutral": NEUTRAL}.get(kind, COMMON)
    if icon == "common_cause" or side not in ("high", "low"):
        return COMMON, _FLAT, ""
    return colour, _HIGH if side == "high" else _LOW, "H" if side == "high" else "L"


def _svg(words: str, body: str) -> str:
    label = escape(words)
    return (
        f'<svg class="icon" xmlns="http://www.w3.org/2000/svg" width="{SIZE}" '
        f'height="{SIZE}" viewBox="0 0 28 28" role="img" aria-label="{label}">'
        f"<title>{label}</title>{body}</svg>"
    )


VARIATION_ICONS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
ASSURANCE_ICONS = ("pass", "fail", "inconsistent")


def variation_icon(icon: str | None, words: str) -> str:
    """The variation icon (`improvement_low`, `common_cause`, ...) as SVG; empty for none."""
    if not icon:
        return ""
    return _svg(words, variation_drawing(icon))


def variation_drawing(icon: str) -> str:
    """The shapes inside a variation icon's 28 by 28 box (a page can define them once)."""
    colour, heights, letter = _variation_look(icon)
    ring = f'<circle cx="14" cy="14" r="12.5" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
    base = 13 if letter == "L" else 17  # the points clear of the letter, above or below
    dots = "".join(
        f'<circle cx="{6 + 4 * k}" cy="{base - 4.5 * h:.1f}" r="1.7" '
        f'fill="{colour if k >= 3 and letter else COMMON}"/>'
        for k, h in enumerate(heights)
    )
    mark = (
        f'<text x="14" y="{10.5 if letter == "H" else 25}" text-anchor="middle" '
        f'font-family="sans-serif" font-size="8" font-weight="700" fill="{colour}">'
        f"{letter}</text>"
        if letter
        else ""
    )
    return ring + dots + mark


def assurance_icon(icon: str | None, words: str) -> str:
    """The assurance icon (`pass`, `fail`, `inconsistent`) as SVG; empty for none."""
    if not icon:
        return ""
    return _svg(words, assurance_drawing(icon))


def assurance_drawing(icon: str) -> str:
    """The shapes inside an assurance icon's 28 by 28 box."""
    colour = {"pass": IMPROVEMENT, "fail": CONCERN}.get(icon, COMMON)
    ring = f'<circle cx="14" cy="14" r="12.5" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
    if icon in ("pass", "fail"):
        letter = "P" if icon == "pass" else "F"
        inner = (
            f'<text x="14" y="18.5" text-anchor="middle" font-family="sans-serif" '
            f'font-size="13" font-weight="700" fill="{colour}">{letter}</text>'
        )
    else:  # hit and miss: the process wanders either side of the target line
        inner = (
            f'<path d="M5 14h18" stroke="{CONCERN}" stroke-width="1.4" stroke-dasharray="3 2"/>'
            f'<path d="M6 18L10 9L14 19L18 10L22 17" fill="none" stroke="{colour}" '
            'stroke-width="1.6"/>'
        )
    return ring + inner
