"""`qi process`: the process map as a numbered outline, Markdown with Mermaid, or SVG."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, use_colour
from qi_cli.cli._loading import load_checked
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.errors import UsageError
from qi_cli.files.layout import DRIVERS_FILE, PROCESS_FILE
from qi_cli.render.process import markdown, outline
from qi_cli.render.process_svg import process_svg
from qi_cli.toolkit.process import process_view

FORMATS = ("text", "markdown", "svg")


def register(app: typer.Typer) -> None:
    app.command("process")(process)


def process(
    future: bool = typer.Option(
        False, "--future", help="Show the future state (the process as redesigned)."
    ),
    format: str = typer.Option(
        "text",
        "--format",
        "-f",
        help="text (a numbered outline), markdown (a Mermaid flowchart) or svg.",
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Show the process map: its steps, who does them, where each leads.

    Steps that a change idea targets are starred. The map lives in process.yaml
    (see docs/format.md).

    \b
    Examples:
      qi process
      qi process --future
      qi process --format svg > process-map.svg
    """
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint="choose " + ", ".join(FORMATS))
    loaded = load_checked(project_root(project), PROCESS_FILE, DRIVERS_FILE)
    view = process_view(loaded, future=future)
    if format == "markdown":
        echo(markdown(view).rstrip("\n"))
    elif format == "svg":
        echo(process_svg(view).rstrip("\n"))
    else:
        width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))
        echo(outline(view, width=width, colour=use_colour()).rstrip("\n"))
