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

__all__ = ["Markup", "environment", "render_page"]


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
    )
    return env


def render_page(template: str, **context: Any) -> str:
    """The text of `template` (a path under `render/templates/`) filled with `context`."""
    return environment().get_template(template).render(**context)
