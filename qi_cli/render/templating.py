"""The one way qi makes a web page: Jinja2 templates shipped in `render/templates/`.

Autoescaping is on for every template, so user text is escaped unless a renderer
marks it safe on purpose (`Markup`, for SVG and HTML that qi drew and escaped itself).
Undefined names fail loudly instead of printing nothing.
"""

from __future__ import annotations

import re
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


# what `terminal_text(keep_lines=True)` changes: a tab and the control characters
_UNPRINTABLE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _printable(value: object) -> object:
    """User text without the control characters a page cannot hold (each shown as `?`);
    markup qi made itself is left alone. Most text has none: it is looked through once
    and passed on as it is."""
    if isinstance(value, str) and not isinstance(value, Markup) and _UNPRINTABLE.search(value):
        return terminal_text(value, keep_lines=True)
    return value


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment, with `row.name` looked up as a key first in a plain dict.

    Jinja tries an attribute first and a key only after the attribute failed, and the
    values the pages show are dicts: a failed attribute (an exception) for each of the
    thousands of values a site's page shows was a quarter of its drawing time
    (bench/bench_site.py). A dict's own attributes (`row.get`, `row.items`) keep
    Jinja's meaning, so every template reads the same as before."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment() -> Environment:
    """The shared environment: templates from `qi_cli/render/templates`, escaped."""
    env = _Environment(
        loader=PackageLoader("qi_cli.render", "templates"),
        # the templates are part of qi: read once per process, never looked at again
        auto_reload=False,
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
