"""`qi fishbone` (the cause-and-effect diagram) and `qi fishbone add` (a cause)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style, use_colour
from qi_cli.cli._loading import load_checked, load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_change, complete_driver
from qi_cli.errors import FieldError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.files.layout import DRIVERS_FILE, FISHBONE_FILE
from qi_cli.render.fishbone import render_fishbone_markdown, render_fishbone_text
from qi_cli.render.fishbone_svg import render_fishbone_svg
from qi_cli.toolkit.fishbone import fishbone_view, link_targets
from qi_cli.toolkit.fishbone_edit import write_cause

FORMATS = ("terminal", "markdown", "svg", "json")
# the library's field names, as these commands' flags say them
FLAGS = {
    "under": "--under",
    "addressed_by": "--addressed-by",
    "new": "--new",
    "effect": "--effect",
}

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)


def _complete_link(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Driver and change idea ids: what may address a cause."""
    return [*complete_driver(ctx, incomplete), *complete_change(ctx, incomplete)]


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="fishbone")


@app.callback()
def fishbone(
    ctx: typer.Context,
    format: str = typer.Option(
        "terminal", "--format", "-f", help="terminal, markdown, svg or json."
    ),
    width: int | None = typer.Option(None, "--width", help="Columns (default: the terminal's)."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Show the cause-and-effect (fishbone) diagram, or add a cause to it.

    The diagram lives in fishbone.yaml: the effect (the problem), and its causes by
    category, each with the drivers or change ideas that address it.

    Examples:

    \b
      qi fishbone
      qi fishbone --format svg > fishbone.svg
      qi fishbone add methods "Referral waits for the ward round" --addressed-by auto-referral
    """
    if ctx.invoked_subcommand is not None:
        return
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint=f"choose one of: {', '.join(FORMATS)}")
    loaded = load_checked(project_root(project), FISHBONE_FILE)
    view = fishbone_view(loaded)
    if format == "json":
        echo(json.dumps(view, indent=2, ensure_ascii=False))
    elif format == "svg":
        echo(render_fishbone_svg(view))
    elif format == "markdown":
        echo(render_fishbone_markdown(view).rstrip("\n"))
    else:
        columns = width or min(shutil.get_terminal_size((80, 24)).columns, 160)
        echo(render_fishbone_text(view, width=columns, colour=use_colour()).rstrip("\n"))


@app.command("add")
def fishbone_add(
    category: str = typer.Argument(
        ...,
        help="people, methods, equipment, environment, materials, measurement, "
        "or a category already in the diagram.",
    ),
    cause: str = typer.Argument(..., help='The cause, e.g. "Referral waits for the ward round".'),
    under: str | None = typer.Option(
        None, "--under", help="Add it as a sub-cause of this cause (its words, or their start)."
    ),
    addressed_by: list[str] = typer.Option(
        [],
        "--addressed-by",
        help="Id of a driver or change idea that addresses it (repeatable).",
        autocompletion=_complete_link,
    ),
    new: bool = typer.Option(
        False, "--new", help="Start a category of the team's own (not one of the classic six)."
    ),
    effect: str | None = typer.Option(
        None, "--effect", help="The problem the diagram explains, to start fishbone.yaml."
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add a cause (or, with --under, a sub-cause) to the fishbone diagram.

    Example:

    \b
      qi fishbone add people "One physio covers every ward at weekends"
      qi fishbone add methods "Paper referral" --under "Referral waits" --addressed-by auto-referral
    """
    root = project_root(project)
    loaded = load_for_writing(root, FISHBONE_FILE, DRIVERS_FILE)
    try:
        value = write_cause(
            root,
            category,
            cause,
            under=under,
            addressed_by=addressed_by,
            targets=link_targets(loaded),
            new_category=new,
            effect=effect,
        )
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    where = display_path(root / FISHBONE_FILE)
    what = "a sub-cause" if under else "a cause"
    total = sum(len(c.causes) for c in value.categories)
    echo(
        f"{style('added', 'green', bold=True)} {what} to {where}: {total} causes "
        f"in {len(value.categories)} categories"
    )
    if not addressed_by:
        echo("  next: link it to what addresses it with --addressed-by ID, or see `qi fishbone`")
