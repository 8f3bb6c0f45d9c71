"""A whole view (the JSON-ready data a renderer draws) made safe for a terminal."""

from __future__ import annotations

from typing import Any

from qi_cli.render.escape import terminal_text


def printable(value: Any) -> Any:
    """The view with every text made safe for a terminal (no escape sequences).

    >>> printable({"label": "Ward 7\\x1b[2J", "n": 1, "steps": ["a\\nb"]})
    {'label': 'Ward 7?[2J', 'n': 1, 'steps': ['a b']}
    """
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, dict):
        return {key: printable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [printable(item) for item in value]
    return value
