"""The report's "Understanding the problem" part: the fishbone, the process map, the
Pareto charts and the stakeholder analysis, each as the data its drawings take.

A tool the project does not use is left out; one whose file cannot be drawn (a process
map with a broken reference, a Pareto file with errors) is left out with the reason, so
that the rest of the report still comes out (`qi validate` names the problem).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qi_cli.errors import QiError
from qi_cli.files.loaded import LoadedPareto, LoadedProject
from qi_cli.toolkit.fishbone import fishbone_view
from qi_cli.toolkit.pareto import pareto_view
from qi_cli.toolkit.process import process_view
from qi_cli.toolkit.stakeholders import stakeholder_view


def _view(make: Callable[[], dict[str, Any]], skipped: list[str], what: str) -> Any:
    try:
        return make()
    except QiError as exc:
        skipped.append(f"{what}: {exc.message}")
        return None


def problem_section(p: LoadedProject) -> dict[str, Any]:
    """Each tool's view (None when the project has no such file), and what was skipped."""
    skipped: list[str] = []
    section: dict[str, Any] = {
        "fishbone": None,
        "process": None,
        "pareto": [],
        "stakeholders": None,
        "skipped": skipped,
    }
    if p.fishbone is not None:
        section["fishbone"] = _view(lambda: fishbone_view(p), skipped, "fishbone")
    if p.process is not None:
        current = _view(lambda: process_view(p), skipped, "process map")
        future = None
        if current is not None and p.process.future is not None:
            future = _view(lambda: process_view(p, future=True), skipped, "future process map")
        if current is not None:
            section["process"] = {"current": current, "future": future}
    for chart in p.pareto.values():

        def pareto(chart: LoadedPareto = chart) -> dict[str, Any]:
            return pareto_view(chart)

        view = _view(pareto, skipped, f"Pareto chart {chart.id}")
        if view is not None:
            section["pareto"].append(view)
    if p.stakeholders is not None:
        section["stakeholders"] = stakeholder_view(p.stakeholders)
    return section
