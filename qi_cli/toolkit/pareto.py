"""Pareto charts (`pareto/ID.csv`, titled by `pareto/ID.yaml`): finding one, and the
chart as data for the renderers.

The numbers come from `qi_cli.stats.pareto` (as qicharts2 computes them); this module
finds the data (an id in the project's `pareto/` folder, or any CSV file), refuses a
file with errors with the first one at its line, and returns the chart as JSON-ready
data: what the terminal chart, the SVG and the Markdown are all drawn from.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from qi_cli.errors import QiError
from qi_cli.files.disk import display_path
from qi_cli.files.layout import PARETO_DIR, PROJECT_FILE
from qi_cli.files.loaded import LoadedPareto, LoadedProject
from qi_cli.files.pareto_csv import ParetoData, read_pareto
from qi_cli.stats import StatsError
from qi_cli.stats.pareto import pareto


def project_of(path: Path) -> Path | None:
    """The project folder a file in a `pareto/` folder belongs to, if it is in one."""
    folder = path.resolve().parent
    if folder.name == PARETO_DIR and (folder.parent / PROJECT_FILE).is_file():
        return folder.parent
    return None


def find_pareto(loaded: LoadedProject, ref: str | None) -> LoadedPareto:
    """The project's Pareto chart `ref` (its id, or its file name); the only one if
    `ref` is None."""
    charts = loaded.pareto
    known = ", ".join(sorted(charts)) or "none yet"
    if ref is None:
        if len(charts) == 1:
            return next(iter(charts.values()))
        if not charts:
            raise QiError(
                f"{loaded.title} has no Pareto data yet",
                hint=f"add {PARETO_DIR}/ID.csv with a `category` column (see docs/format.md)",
            )
        raise QiError(f"{loaded.title} has {len(charts)} Pareto charts", hint=f"give one: {known}")
    name = Path(ref).name.removesuffix(".csv").removesuffix(".yaml")
    if name in charts:
        return charts[name]
    close = difflib.get_close_matches(name, charts, n=1, cutoff=0.6)
    raise QiError(
        f"no Pareto chart '{ref}' in {loaded.title}",
        hint=(f"did you mean '{close[0]}'? " if close else "") + f"known: {known}",
    )


def read_pareto_file(path: Path) -> LoadedPareto:
    """A Pareto CSV outside any project: its title is its file name."""
    return LoadedPareto(id=path.stem, path=path, data=read_pareto(path, display_path(path)))


def _refuse_errors(data: ParetoData) -> None:
    errors = [i for i in data.issues if i.severity == "error"]
    if errors:
        error = QiError.from_issue(errors[0])
        more = len(errors) - 1
        error.hint = (error.hint or "") + (
            f" (and {more} more problem{'s' * (more != 1)}: qi validate)" if more else ""
        )
        raise error


def pareto_view(chart: LoadedPareto, include_missing: bool | None = None) -> dict[str, Any]:
    """The chart as JSON-ready data: title, the rows in plotted order, the vital few."""
    _refuse_errors(chart.data)
    meta = chart.chart
    if include_missing is None:
        include_missing = meta.include_missing if meta else False
    try:
        result = pareto(chart.data.categories, include_missing=include_missing)
    except StatsError as exc:
        raise QiError(
            f"{display_path(chart.path)}: {exc}",
            hint="add one row per event with its category (or category,count rows)",
        ) from None
    data = result.to_dict()
    return {
        "id": chart.id,
        "title": meta.title if meta else chart.id.replace("-", " ").capitalize(),
        "description": meta.description if meta else None,
        "source": meta.source if meta else None,
        "file": display_path(chart.path),
        "include_missing": include_missing,
        **data,
    }
