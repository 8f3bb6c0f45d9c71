"""How a report writes a value, and the terminal's table cells: a dash for nothing, a
user's text on one line, a value with its unit; the widest page.

Shared by the terminal report (`render.terminal`), the portfolio's table
(`render.portfolio_table`) and the Markdown, HTML and office formats.
"""

from __future__ import annotations

from qi_cli.render.escape import terminal_text

MAX_WIDTH = 400
"""The widest terminal page qi draws (`--width`): wider than any screen; more would
only cost time and memory."""


def fmt_value(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "–"
    text = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    if unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit else text


def dash(value: object) -> str:
    """A cell for the terminal: a dash for nothing, a user's text escaped."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return terminal_text(str(value))


def one_line(value: object) -> str:
    """A user's text for a panel or table: one line, no control characters (`None`: "")."""
    return terminal_text(str(value)) if value is not None else ""


def value_text(value: float | None, unit: str | None) -> str:
    """A value with its unit, for the terminal."""
    return terminal_text(fmt_value(value, unit))
