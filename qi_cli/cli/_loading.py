"""Loading the whole project for a command: `load_checked` to read, `load_for_writing`
before a command writes."""

from __future__ import annotations

from pathlib import Path

from qi_cli.cli._project import load_checked_from
from qi_cli.files.disk import refuse_unmerged
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project


def load_checked(root: Path, *files: str) -> LoadedProject:
    """Load the project; refuse to go on when one of `files` cannot be read."""
    return load_checked_from(load_project(root), files)


def load_for_writing(root: Path, *files: str) -> LoadedProject:
    """`load_checked` for a command that writes: also refused while any file of the
    project holds git merge conflict markers."""
    loaded = load_project(root)
    refuse_unmerged(loaded.errors)
    return load_checked_from(loaded, files)
