"""The Making Data Count icons as small inline SVG, for the HTML report and portfolio.

Drawn after NHS England's Making Data Count icons (as NHSRplotthedots ships them):

- variation: a ring whose colour says the kind of variation (grey common cause, blue
  special cause improvement, orange special cause concern, purple special cause that
  is neither) around five points joined by a line, the last two in the ring's colour
  when they are the special cause, with H (higher, the letter above the points) or L
  (lower, below them);
- assurance: a ring with the target as a dashed line and the process as a grey line:
  blue with P where the process passes the target (above the line), orange with F
  where it fails it (below), grey where it wanders across it (hit and miss).

The colours are a shade darker than NHS England's so that the letters read at 4.5:1
on white (WCAG 2.1 AA). Each icon carries its words as `<title>` and `aria-label`, so
it reads without colour, without pictures and to a screen reader; the words are also
printed beside it.
"""

from __future__ import annotations

from html import escape

from qi_cli.render.svg_parts import COMMON, CONCERN, IMPROVEMENT, NEUTRAL

SIZE = 28

# the colour of a letter: the ring's, but for orange, whose shade for graphics (3.6:1
# on white) is too light for text; this one is 4.8:1
LETTER_INK = {CONCERN: "#b35900"}

# the five points inside a variation icon, as heights from -1 (low) to 1 (high)
_FLAT = (0.0, 0.35, -0.2, 0.25, 0.0)
_HIGH = (-0.45, -0.35, -0.4, 0.45, 0.6)
_LOW = (0.45, 0.35, 0.4, -0.45, -0.6)

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

VARIATION_COLOURS = {"improvement": IMPROVEMENT, "concern": CONCERN, "neutral": NEUTRAL}
ASSURANCE_COLOURS = {"pass": IMPROVEMENT, "fail": CONCERN, "inconsistent": COMMON}


def _variation_look(icon: str) -> tuple[str, tuple[float, ...], str]:
    """Colour, the points' shape and the letter of a variation icon."""
    kind, _, side = icon.partition("_")
    if icon == "common_cause" or kind not in VARIATION_COLOURS or side not in ("high", "low"):
        return COMMON, _FLAT, ""
    return VARIATION_COLOURS[kind], _HIGH if side == "high" else _LOW, side[0].upper()


def _svg(words: str, body: str) -> str:
    label = escape(words)
    return (
        f'<svg class="icon" xmlns="http://www.w3.org/2000/svg" width="{SIZE}" '
        f'height="{SIZE}" viewBox="0 0 28 28" role="img" aria-label="{label}">'
        f"<title>{label}</title>{body}</svg>"
    )


def _ring(colour: str) -> str:
    return f'<circle cx="14" cy="14" r="12.5" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'


def _letter(letter: str, colour: str, y: float, size: int) -> str:
    return (
        f'<text x="14" y="{y:g}" text-anchor="middle" font-family="sans-serif" '
        f'font-size="{size}" font-weight="700" fill="{LETTER_INK.get(colour, colour)}">'
        f"{letter}</text>"
    )


def variation_icon(icon: str | None, words: str) -> str:
    """The variation icon (`improvement_low`, `common_cause`, ...) as SVG; empty for none."""
    if not icon:
        return ""
    return _svg(words, variation_drawing(icon))


def variation_drawing(icon: str) -> str:
    """The shapes inside a variation icon's 28 by 28 box (a site defines them once)."""
    colour, heights, letter = _variation_look(icon)
    base = 13 if letter == "L" else 17  # the points clear of the letter, above or below
    points = [(6 + 4 * k, round(base - 4.5 * h, 1)) for k, h in enumerate(heights)]
    line = "".join(f"{'M' if k == 0 else 'L'}{x} {y:g}" for k, (x, y) in enumerate(points))
    joined = f'<path d="{line}" fill="none" stroke="{COMMON}" stroke-width="0.9"/>'
    dots = "".join(
        f'<circle cx="{x}" cy="{y:.1f}" r="1.7" fill="{colour if k >= 3 and letter else COMMON}"/>'
        for k, (x, y) in enumerate(points)
    )
    mark = _letter(letter, colour, 10.5 if letter == "H" else 25, 8) if letter else ""
    return _ring(colour) + joined + dots + mark


def assurance_icon(icon: str | None, words: str) -> str:
    """The assurance icon (`pass`, `fail`, `inconsistent`) as SVG; empty for none."""
    if not icon:
        return ""
    return _svg(words, assurance_drawing(icon))


def assurance_drawing(icon: str) -> str:
    """The shapes inside an assurance icon's 28 by 28 box."""
    colour = ASSURANCE_COLOURS.get(icon, COMMON)
    if icon in ("pass", "fail"):
        # the letter on top; under it the process on its side of the dashed target
        target, process = (
            (21.5, "M7 17.5L10 16L13 18L16 16.5L19 17.5L21 16")
            if icon == "pass"
            else (17, "M7 21L10 19.5L13 22L16 20L19 21.5L21 20")
        )
        inner = (
            _letter("P" if icon == "pass" else "F", colour, 13, 11)
            + f'<path d="M5.5 {target:g}h17" stroke="{colour}" stroke-width="1.4" '
            'stroke-dasharray="3 2"/>'
            + f'<path d="{process}" fill="none" stroke="{COMMON}" stroke-width="1.4"/>'
        )
    else:  # hit and miss: the process wanders either side of the target line
        inner = (
            f'<path d="M5 14h18" stroke="{CONCERN}" stroke-width="1.4" stroke-dasharray="3 2"/>'
            f'<path d="M6 18L10 9L14 19L18 10L22 17" fill="none" stroke="{colour}" '
            'stroke-width="1.6"/>'
        )
    return _ring(colour) + inner
