"""`qi rename`: a measure, driver or change idea id, and every reference to it."""

from __future__ import annotations

from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.errors import FieldError
from qi_cli.rename import describe, rename_id

FLAGS = {"kind": "KIND", "old": "OLD", "new": "NEW"}


def register(app: typer.Typer) -> None:
    app.command("rename")(rename)


def rename(
    kind: str = typer.Argument(..., help="measure, driver or change."),
    old: str = typer.Argument(..., help="The id it has now."),
    new: str = typer.Argument(..., help="The new id: lower-case letters, digits and hyphens."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Rename a measure, driver or change idea id, and every reference to it.

    References in drivers.yaml, cycles, measures and project.yaml are updated, and a
    measure's files are renamed; comments are kept. Nothing is written unless every
    file can be updated. Cycle file names keep their name: it is the cycle's identity.

    Examples:

    \b
      qi rename measure falls falls-per-1000-bed-days
      qi rename change night-lights bay-night-lights
    """
    try:
        result = rename_id(project_root(project), kind, old, new)
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    echo(f"{style('renamed', 'green', bold=True)} {result.kind} {result.old} -> {result.new}")
    for change in result.changes:
        echo(f"  {change.what}: {describe(change)}")
    if not result.changes:
        echo("  no file referred to it")
