"""`qi merge-file`: git's merge driver for project.yaml and drivers.yaml."""

from __future__ import annotations

from pathlib import Path

import typer

from qi_cli.errors import QiError
from qi_cli.files.merge import merge_file as merge


def register(app: typer.Typer) -> None:
    app.command("merge-file")(merge_file)


def merge_file(
    base: Path = typer.Argument(..., help="The common ancestor's version (git's %O)."),
    ours: Path = typer.Argument(..., help="Our version, where the result is left (%A)."),
    theirs: Path = typer.Argument(..., help="Their version (%B)."),
    name: str = typer.Argument(..., help="The file's path in the repository (%P)."),
) -> None:
    """Merge a project.yaml or drivers.yaml that two git branches both changed.

    Run by git, not by hand: `qi project gitattributes` installs it in this clone.
    Additions on both sides (drivers, change ideas, progress scores) are kept; the
    same value changed differently on both sides is left as a normal git conflict.

    Example (what `qi project gitattributes` sets up):

    \b
      git config merge.qi.driver "qi merge-file %O %A %B %P"
    """
    if not merge(base, ours, theirs, name):
        raise QiError(f"{name}: both branches changed the same value: resolve the conflict")
