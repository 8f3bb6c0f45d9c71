"""The one way qi makes a web page: Jinja2 templates shipped in `render/templates/`.

Autoescaping is on for every template, so user text is escaped unless a renderer
marks it safe on purpose (`Markup`, for SVG and HTML that qi drew and escaped itself).
Undefined names fail loudly instead of printing nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from qi_cli.render.escape import terminal_text

__all__ = ["Markup", "dash", "environment", "render_page"]


def dash(value: object) -> str:
    """A value as a page shows it: an en dash for nothing, a float without trailing zeros.

    >>> dash(None), dash(""), dash(0), dash(2.50), dash("<b>")
    ('–', '–', '0', '2.5', '<b>')
    """
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return value if isinstance(value, str) else str(value)


def _printable(value: object) -> object:
    """User text without the control characters a page cannot hold (each shown as `?`);
    markup qi made itself is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return terminal_text(value, keep_lines=True)
    return value


@cache
def environment() -> Environment:
    """The shared environment: templates from `qi_cli/render/templates`, escaped."""
    env = Environment(
        loader=PackageLoader("qi_cli.render", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_printable,
    )
    env.filters["dash"] = dash
    return env


def render_page(template: str, **context: Any) -> str:
    """The text of `template` (a path under `render/templates/`) filled with `context`."""
    return environment().get_template(template).render(**context)
