"""WCAG 2.1's contrast ratio, for tests that check text colours reach AA (4.5:1).

The formula: https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio (relative luminance of
sRGB colours, linearised and weighted); tests/render/test_html_templates.py checks it
against published values.
"""

from __future__ import annotations


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(text: str, background: str = "#ffffff") -> float:
    """The contrast ratio of two colours written `#rgb` or `#rrggbb`, 1 to 21."""
    high, low = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
