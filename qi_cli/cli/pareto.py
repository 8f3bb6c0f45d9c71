"""`qi pareto [CHART]`: a Pareto chart of categories (reasons for delay, types of falls)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, use_colour
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.errors import QiError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.files.loader import load_project
from qi_cli.render.pareto import render_pareto_markdown, render_pareto_svg, render_pareto_text
from qi_cli.render.values import MAX_WIDTH
from qi_cli.toolkit.pareto import find_pareto, pareto_view, project_of, read_pareto_file

FORMATS = ("terminal", "markdown", "svg", "json")
MIN_WIDTH = 50


def register(app: typer.Typer) -> None:
    app.command("pareto")(pareto)


def pareto(
    chart: str | None = typer.Argument(
        None,
        metavar="[CHART]",
        help="A chart's id in the project's pareto/ folder, or any CSV file "
        "(default: the project's only chart).",
        show_default=False,
    ),
    format: str = typer.Option(
        "terminal", "--format", "-f", help="terminal, markdown, svg or json."
    ),
    include_missing: bool | None = typer.Option(
        None,
        "--include-missing/--drop-missing",
        help="Count rows with no category as one more bar (default: as pareto/ID.yaml says, "
        "else dropped).",
        show_default=False,
    ),
    width: int | None = typer.Option(None, "--width", help="Columns (default: the terminal's)."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Draw a Pareto chart: categories largest first, the cumulative percentage, the 80% line.

    The data is a CSV file with a `category` column: one row per event, or one row per
    category with a `count` column. A project keeps it in pareto/ID.csv, titled by
    pareto/ID.yaml.

    Examples:

    \b
      qi pareto physio-delay-reasons
      qi pareto falls-by-type.csv --format svg > falls.svg
      qi pareto physio-delay-reasons --include-missing --format markdown
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint=f"choose one of: {', '.join(FORMATS)}")
    if width is not None and width < MIN_WIDTH:
        raise UsageError(f"--width {width} is too narrow", hint=f"give --width {MIN_WIDTH} or more")
    if width is not None and width > MAX_WIDTH:
        raise UsageError(f"--width {width} is too wide", hint=f"give --width {MAX_WIDTH} or less")
    path = Path(chart) if chart else None
    if path is not None and path.suffix == ".csv" and not path.is_file():
        raise QiError(
            f"{display_path(path)}: file not found",
            hint="give a CSV file, or the id of a chart in the project's pareto/ folder",
        )
    if path is not None and path.suffix == ".csv":
        root = project_of(path)
        loaded = load_project(root) if root else None
        found = find_pareto(loaded, path.name) if loaded else read_pareto_file(path)
    else:
        found = find_pareto(load_project(project_root(project)), chart)
    view = pareto_view(found, include_missing)
    if format == "json":
        echo(json.dumps(view, indent=2, ensure_ascii=False))
    elif format == "svg":
        echo(render_pareto_svg(view))
    elif format == "markdown":
        echo(render_pareto_markdown(view).rstrip("\n"))
    else:
        columns = width or min(shutil.get_terminal_size((80, 24)).columns, 160)
        echo(render_pareto_text(view, width=columns, colour=use_colour()).rstrip("\n"))
