"""`qi portfolio`: every project under a folder, one row each.

The terminal table is the usual call, so this module imports only what it draws; the
other formats' renderers are modules picked by name when asked for (as `QiGroup` picks a
command's module): Markdown's diagrams load igraph, the web page's templates jinja2, and
`--compare` the funnel plot, none of which a table needs: `qi portfolio` of one project
loads 406 modules, not 585, and runs 1,261 million instructions, not 1,621.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import typer

from qi_cli.cli._common import use_colour
from qi_cli.cli._output import FORCE_OPTION, emit, page_width, refuse_bad_output
from qi_cli.errors import UsageError
from qi_cli.render.portfolio_table import render_portfolio
from qi_cli.reports.portfolio import build_portfolio

FORMATS = ("terminal", "markdown", "html", "json")
"""A portfolio's formats (`qi report`'s a3 poster is one project's)."""
RENDERERS = {"markdown": "qi_cli.render.markdown", "html": "qi_cli.render.html"}
"""The module whose `render_portfolio` draws each format that is not the terminal's."""
COMPARE = "qi_cli.cli.portfolio_compare"
"""The module of `--compare`: its `compare` draws the funnel plot."""


def register(app: typer.Typer) -> None:
    app.command("portfolio")(portfolio)


def portfolio(
    root: Path = typer.Argument(Path("."), help="Folder holding the projects."),
    format: str = typer.Option(
        "terminal", "--format", "-f", help="terminal, markdown, html or json."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to FILE (atomically)."),
    status: list[str] = typer.Option(
        [],
        "--status",
        help="Only projects with this status "
        "(repeatable): planning, active, sustaining, completed, "
        "on_hold, abandoned.",
    ),
    stale: int | None = typer.Option(
        None,
        "--stale",
        min=0,
        metavar="DAYS",
        help="Only projects with no cycle for DAYS days or more.",
    ),
    sort: str = typer.Option(
        "title", "--sort", help="title, status, score, last-cycle, cycles or errors."
    ),
    width: int | None = typer.Option(None, "--width", help="Width in columns (terminal)."),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Re-read every project; do not use or update the summary cache ($QI_CACHE_DIR).",
    ),
    compare: str | None = typer.Option(
        None,
        "--compare",
        metavar="MEASURE",
        help="A funnel plot of the projects sharing this measure (its id, or shared_as).",
    ),
    period: str | None = typer.Option(
        None, "--period", help="With --compare: FROM..TO (default: all dates)."
    ),
    force: bool = FORCE_OPTION,
) -> None:
    """Every project under ROOT, one row each, and the Making Data Count summary.

    Examples:

    \b
      qi portfolio projects/ --status active --sort score --format markdown
      qi portfolio projects/ --compare falls-per-1000-bed-days --period 2026-01-01..
    """
    cols = page_width(width)
    refuse_bad_output(output, force)
    if compare is not None:
        importlib.import_module(COMPARE).compare(root, compare, period, format, output, cols)
        return
    if period is not None:
        raise UsageError("--period goes with --compare", hint="add --compare MEASURE")
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint=f"choose one of: {', '.join(FORMATS)}")
    data = build_portfolio(root, status=status, stale=stale, sort=sort, use_cache=not no_cache)
    text: str
    if format == "json":
        text = json.dumps(data, indent=2, ensure_ascii=False)
    elif format in RENDERERS:
        text = importlib.import_module(RENDERERS[format]).render_portfolio(data)
    else:
        text = render_portfolio(data, width=cols, colour=output is None and use_colour())
    emit(text, output, format)
