"""Shell completion of ids (measures, change ideas, cycles, drivers) from the project.

Attach a function to an argument or option with Typer's `autocompletion=`:

    measure_id: str = typer.Argument(..., autocompletion=complete_measure)

The shell runs `qi` on every Tab, so each function reads as little as it can: measure and
cycle ids are file names (`measures/ID.yaml`, `cycles/ID.yaml`); change ideas and
drivers need `drivers.yaml`, read by qi's YAML reader (the same rules as every command:
the id `017:` is offered as `017`, `on:` as `on`) but not checked against the model.
The project is the one given with `--project` earlier on the line, else the one holding
the current folder. Completion never fails: with no project, or an unreadable file, it
offers nothing. It reads only the project's own files (a link that leads outside the
project is not followed), offers only valid ids, and shows titles without control
characters (the shell prints them in the terminal).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from qi_cli.errors import QiError
from qi_cli.files.disk import refuse_link_outside
from qi_cli.files.layout import CYCLES_DIR, DRIVERS_FILE, MEASURES_DIR, PROJECT_FILE
from qi_cli.files.yaml_read import load_yaml
from qi_cli.model import is_valid_id
from qi_cli.render.escape import terminal_text


def complete_measure(ctx: typer.Context, incomplete: str) -> list[str]:
    """Measure ids: the `measures/*.yaml` file names."""
    return _file_ids(ctx, MEASURES_DIR, incomplete)


def complete_cycle(ctx: typer.Context, incomplete: str) -> list[str]:
    """Cycle ids: the `cycles/*.yaml` file names (newest last, as their names sort)."""
    return _file_ids(ctx, CYCLES_DIR, incomplete)


def complete_change(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Change idea ids from `drivers.yaml`, each with its title (shown by zsh and fish)."""
    return _diagram_ids(ctx, "changes", "title", incomplete)


def complete_driver(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Driver ids from `drivers.yaml`, each with its name."""
    return _diagram_ids(ctx, "drivers", "name", incomplete)


def project_root(ctx: typer.Context | None) -> Path | None:
    """The project folder for completion: --project if already typed, else from here up."""
    try:
        given = ctx.params.get("project") if ctx is not None else None
        start = Path(given) if given else Path.cwd()
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / PROJECT_FILE).is_file():
                return folder
    except (OSError, RuntimeError, ValueError, TypeError):
        return None
    return None


def _file_ids(ctx: typer.Context, folder: str, incomplete: str) -> list[str]:
    root = project_root(ctx)
    if root is None:
        return []
    try:
        refuse_link_outside(root / folder, root)
        names = sorted(p.stem for p in (root / folder).glob("*.yaml") if is_valid_id(p.stem))
    except (OSError, QiError):
        return []
    return [name for name in names if name.startswith(incomplete)]


def _diagram_ids(
    ctx: typer.Context, section: str, label: str, incomplete: str
) -> list[tuple[str, str]]:
    root = project_root(ctx)
    if root is None:
        return []
    data = _read_drivers(root / DRIVERS_FILE)
    entries = data.get(section) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return []
    found = []
    for name, value in entries.items():
        if not (isinstance(name, str) and is_valid_id(name) and name.startswith(incomplete)):
            continue
        text = value.get(label) if isinstance(value, dict) else None
        found.append((name, terminal_text(" ".join(str(text).split())) if text else ""))
    return sorted(found)


def _read_drivers(path: Path) -> Any:
    """The data of `drivers.yaml`, or None if it is missing or cannot be read."""
    try:
        return load_yaml(path, DRIVERS_FILE, root=path.parent).data
    except QiError:
        return None
