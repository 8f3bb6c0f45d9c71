"""What a deck and a board paper hold: the report's data and its pictures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qi_cli.errors import QiError
from qi_cli.exports.images import Picture, chart_picture, picture
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import MeasureAnalysis
from qi_cli.render.diagram import describe_diagram, driver_diagram_svg
from qi_cli.render.escape import terminal_text
from qi_cli.render.icons import assurance_icon, variation_icon
from qi_cli.render.problem import problem_pictures
from qi_cli.reports.report import analyse_all, build_report
from qi_cli.validate import validate_project

ICON_ZOOM = 4.0  # the 28-pixel icons drawn at 112 pixels


@dataclass(frozen=True)
class Content:
    """The report (as `qi report --format json` gives it) and its pictures."""

    report: dict[str, Any]
    analyses: dict[str, MeasureAnalysis]
    charts: dict[str, Picture]
    diagram: Picture | None
    problem: list[tuple[str, Picture]]
    """Understanding the problem: each toolkit drawing's heading and picture."""

    def icons(self, measure: dict[str, Any]) -> list[tuple[Picture, str]]:
        """A measure's Making Data Count icons, each with its words."""
        found = []
        for icon, words, draw in (
            (measure.get("variation_icon"), measure.get("variation_words"), variation_icon),
            (measure.get("assurance_icon"), measure.get("assurance_words"), assurance_icon),
        ):
            if icon and words:
                found.append((picture(draw(icon, words), words, zoom=ICON_ZOOM), words))
        return found


def _plain(value: Any) -> Any:
    """The report with every text safe for Office's XML: a control character (which XML
    cannot hold) as `?`, a line break as a space, as the terminal shows them."""
    if isinstance(value, str):
        return terminal_text(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def gather(root: Path) -> Content:
    """Read the project at `root` and draw every picture an export needs."""
    loaded = load_project(root)
    found = analyse_all(loaded)
    analyses = {mid: a for mid, a in found.items() if not isinstance(a, QiError)}
    report = _plain(build_report(loaded, validate_project(loaded), analyses=found))
    diagram_svg = driver_diagram_svg(report)
    return Content(
        report=report,
        analyses=analyses,
        charts={mid: chart_picture(a) for mid, a in analyses.items()},
        diagram=picture(diagram_svg, describe_diagram(report)) if diagram_svg else None,
        problem=[(h, picture(svg, alt)) for h, svg, alt, _ in problem_pictures(report)],
    )


def outcome(report: dict[str, Any]) -> dict[str, Any] | None:
    """The aim's outcome measure's summary, if it has one."""
    outcome_id = (report.get("aim") or {}).get("outcome_measure")
    return next((m for m in report["measures"] if m["id"] == outcome_id), None)
