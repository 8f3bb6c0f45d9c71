"""`qi stakeholders`: the stakeholder analysis as a grid and a table (adding one is
`stakeholder_add.py`, so that showing does not load the YAML writer)."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, use_colour
from qi_cli.cli._loading import load_checked
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.errors import UsageError
from qi_cli.files.layout import STAKEHOLDERS_FILE
from qi_cli.render.stakeholders import markdown, stakeholder_svg, terminal
from qi_cli.toolkit.stakeholders import loaded_analysis, stakeholder_view

FORMATS = ("text", "markdown", "svg")


def register(app: typer.Typer) -> None:
    app.command("stakeholders")(stakeholders)


def stakeholders(
    format: str = typer.Option(
        "text", "--format", "-f", help="text, markdown (tables) or svg (the grid)."
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Show the stakeholder analysis: the influence and support grid, and the plans.

    \b
    Examples:
      qi stakeholders
      qi stakeholders --format svg > stakeholders.svg
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint="choose " + ", ".join(FORMATS))
    loaded = load_checked(project_root(project), STAKEHOLDERS_FILE)
    view = stakeholder_view(loaded_analysis(loaded))
    if format == "markdown":
        echo(markdown(view).rstrip("\n"))
    elif format == "svg":
        echo(stakeholder_svg(view).rstrip("\n"))
    else:
        width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))
        echo(terminal(view, width=width, colour=use_colour()).rstrip("\n"))
