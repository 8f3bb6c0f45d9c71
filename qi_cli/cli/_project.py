"""What commands that work on one project share: --project, finding the project, and
loading its core files (`load_core_checked`, for commands that show no toolkit file).
Loading the whole project: `_loading.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qi_cli.errors import QiError
from qi_cli.files.core_loader import load_core
from qi_cli.files.loaded import LoadedProject
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


def load_core_checked(root: Path, *files: str) -> LoadedProject:
    """`_loading.load_checked` for a command that shows no toolkit file (the cycle list):
    only the core files are read (bench/startup.py's `qi cycle list` figure)."""
    return load_checked_from(load_core(root), files)


def load_checked_from(loaded: LoadedProject, files: tuple[str, ...]) -> LoadedProject:
    """Refuse to go on when one of `files` cannot be read."""
    wanted = {loaded.display(f) for f in files}
    for issue in loaded.errors:
        if issue.path in wanted:
            error = QiError.from_issue(issue)
            error.hint = (issue.hint + "; " if issue.hint else "") + "fix it first (qi validate)"
            raise error
    return loaded
