"""`qi funnel MEASURE`: a funnel plot comparing a measure's units over a period."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, use_colour
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_measure
from qi_cli.dates import parse_period
from qi_cli.errors import FieldError, UsageError
from qi_cli.files.loader import load_project
from qi_cli.render.funnel import render_funnel_svg, render_funnel_text
from qi_cli.unit_funnel import measure_funnel

FORMATS = ("terminal", "svg", "json")


def register(app: typer.Typer) -> None:
    app.command("funnel")(funnel)


def funnel(
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    period: str | None = typer.Option(
        None, "--period", help="FROM..TO, either end may be left open (default: all dates)."
    ),
    highlight: str | None = typer.Option(None, "--highlight", help="Your own unit, marked."),
    no_overdispersion: bool = typer.Option(
        False, "--no-overdispersion", help="Keep the plain limits even if units vary widely."
    ),
    format: str = typer.Option("terminal", "--format", "-f", help="terminal, svg or json."),
    width: int | None = typer.Option(None, "--width", help="Columns (default: the terminal's)."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Compare a measure's units (wards, teams, sites) on a funnel plot.

    Each unit's numerators and denominators are summed over the period and compared
    with the pooled value: 95% and 99.8% limits, widened when the units vary more than
    chance explains (Spiegelhalter 2005). The measure's CSV needs a unit column.

    Examples:

    \b
      qi funnel falls-per-1000-bed-days
      qi funnel physio-within-24h --period 2026-01-01..2026-03-31 --highlight "Ward 7"
      qi funnel physio-within-24h --format svg > funnel.svg
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint=f"choose {', '.join(FORMATS)}")
    start, end = parse_period(period, "--period", dt.date.today()) if period else (None, None)
    if width is None:
        width = min(shutil.get_terminal_size((80, 24)).columns, 160)
    loaded = load_project(project_root(project))
    try:
        view = measure_funnel(
            loaded,
            measure_id,
            start=start,
            end=end,
            overdispersion=not no_overdispersion,
            highlight=highlight,
        )
    except FieldError as exc:
        raise exc.named({"highlight": "--highlight", "period": "--period"}) from None
    if format == "json":
        echo(json.dumps(view.to_dict(), indent=2, ensure_ascii=False, allow_nan=False))
    elif format == "svg":
        echo(render_funnel_svg(view).rstrip("\n"))
    else:
        echo(render_funnel_text(view, width=width, colour=use_colour()).rstrip("\n"))
