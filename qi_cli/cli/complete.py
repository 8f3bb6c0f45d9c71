"""Shell completion of ids (measures, change ideas, cycles, drivers) from the project.

Attach a function to an argument or option with Typer's `autocompletion=`:

    measure_id: str = typer.Argument(..., autocompletion=complete_measure)

The shell runs `qi` on every Tab, so each function reads as little as it can: measure and
cycle ids are file names (`measures/ID.yaml`, `cycles/ID.yaml`); change ideas and
drivers need `drivers.yaml`, read with the plain YAML loader and not checked. The
project is the one given with `--project` earlier on the line, else the one holding
the current folder. Completion never fails: with no project, or an unreadable file, it
offers nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

PROJECT_FILE = "project.yaml"  # qi_cli.files.loader's names, repeated to keep Tab fast
MAX_DRIVERS_BYTES = 1_000_000


def complete_measure(ctx: typer.Context, incomplete: str) -> list[str]:
    """Measure ids: the `measures/*.yaml` file names."""
    return _file_ids(ctx, "measures", incomplete)


def complete_cycle(ctx: typer.Context, incomplete: str) -> list[str]:
    """Cycle ids: the `cycles/*.yaml` file names (newest last, as their names sort)."""
    return _file_ids(ctx, "cycles", incomplete)


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
        names = sorted(p.stem for p in (root / folder).glob("*.yaml") if not p.name.startswith("."))
    except OSError:
        return []
    return [name for name in names if name.startswith(incomplete)]


def _diagram_ids(
    ctx: typer.Context, section: str, label: str, incomplete: str
) -> list[tuple[str, str]]:
    root = project_root(ctx)
    if root is None:
        return []
    data = _read_drivers(root / "drivers.yaml")
    entries = data.get(section) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        return []
    found = []
    for key, value in entries.items():
        name = str(key)
        if not name.startswith(incomplete):
            continue
        text = value.get(label) if isinstance(value, dict) else None
        found.append((name, " ".join(str(text).split()) if text else ""))
    return sorted(found)


def _read_drivers(path: Path) -> Any:
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if path.stat().st_size > MAX_DRIVERS_BYTES:
            return None
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
