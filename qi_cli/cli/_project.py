"""What commands that work on one project share: --project, finding and loading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qi_cli.errors import QiError
from qi_cli.files.disk import refuse_unmerged
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project
from qi_cli.files.project_folder import find_project_root


def project_root(project: Path | None) -> Path:
    """The project a command works on: --project, else the folder we are in."""
    return find_project_root(project or Path.cwd())


PROJECT_OPTION: Any = typer.Option(
    None,
    "--project",
    "-p",
    help="Project folder (default: the project holding the current folder).",
    show_default=False,
)


def load_checked(root: Path, *files: str) -> LoadedProject:
    """Load the project; refuse to go on when one of `files` cannot be read."""
    return load_checked_from(load_project(root), files)


def load_checked_from(loaded: LoadedProject, files: tuple[str, ...]) -> LoadedProject:
    wanted = {loaded.display(f) for f in files}
    for issue in loaded.errors:
        if issue.path in wanted:
            error = QiError.from_issue(issue)
            error.hint = (issue.hint + "; " if issue.hint else "") + "fix it first (qi validate)"
            raise error
    return loaded


def load_for_writing(root: Path, *files: str) -> LoadedProject:
    """`load_checked` for a command that writes: also refused while any file of the
    project holds git merge conflict markers."""
    loaded = load_project(root)
    refuse_unmerged(loaded.errors)
    return load_checked_from(loaded, files)
