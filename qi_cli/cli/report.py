"""`qi report`: one project's story (`qi portfolio`, every project under a folder, is
`cli/portfolio.py`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import typer

from qi_cli.cli._common import use_colour
from qi_cli.cli._output import FORCE_OPTION, emit, page_width, refuse_bad_output
from qi_cli.cli._project import project_root
from qi_cli.dates import parse_user_date
from qi_cli.errors import QiError, UsageError
from qi_cli.exports.pdf import print_pdf
from qi_cli.files.disk import display_path
from qi_cli.files.loader import load_project
from qi_cli.render.chart import chart_page
from qi_cli.render.markdown import render_report as markdown_report
from qi_cli.render.multiples import render_multiples_text
from qi_cli.render.report_charts import chart_svgs
from qi_cli.render.svg import svg_for
from qi_cli.render.terminal import render_report as terminal_report
from qi_cli.reports.report import REPORT_POINTS, analyse_all, analyse_all_units, build_report
from qi_cli.validate import validate_project

FORMATS = ("terminal", "markdown", "html", "json", "a3")


def register(app: typer.Typer) -> None:
    app.command("report")(report)


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint=f"choose one of: {', '.join(FORMATS)}")


def _since(value: str | None) -> dt.date | None:
    if value is None:
        return None
    return parse_user_date(value, "--since", dt.date.today())


def report(
    project: Path | None = typer.Argument(
        None, help="Project folder (default: the project holding the current folder)."
    ),
    format: str = typer.Option(
        "terminal",
        "--format",
        "-f",
        help="terminal, markdown, html, json, or a3 (a one-page poster; PDF for -o FILE.pdf).",
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to FILE (atomically)."),
    since: str | None = typer.Option(None, "--since", help="Also say what changed since DATE."),
    width: int | None = typer.Option(None, "--width", help="Width in columns (terminal, charts)."),
    force: bool = FORCE_OPTION,
    all_points: bool = typer.Option(
        False,
        "--all-points",
        help=f"JSON: list every point of each measure (default: the latest {REPORT_POINTS:,}).",
    ),
) -> None:
    """One page that tells a project's story: aim, measures, changes, cycles, learning.

    Example:

    \b
      qi report --format html -o board-paper.html
      qi report --format a3 -o poster.pdf
    """
    _check_format(format)
    refuse_bad_output(output, force)
    start = _since(since)
    cols = page_width(width)
    root = project_root(project)
    loaded = load_project(root)
    issues = validate_project(loaded)
    analyses = analyse_all(loaded)
    units = analyse_all_units(loaded, analyses)  # measures kept per unit: one chart a unit
    data = build_report(
        loaded,
        issues,
        analyses=analyses,
        units=units,
        since=start,
        max_points=None if all_points else REPORT_POINTS,
    )
    colour = output is None and format == "terminal" and use_colour()

    def analysis_of(mid: str) -> Any:
        found = analyses.get(mid)
        return None if found is None or isinstance(found, QiError) else found

    if format == "json":
        emit(json.dumps(data, indent=2, ensure_ascii=False), output, format)
    elif format == "markdown":

        def text(mid: str) -> str | None:
            a = analysis_of(mid)
            return chart_page(a, width=min(cols, 100), height=18) if a else None

        def unit_text(mid: str) -> str | None:
            found = units.get(mid)
            return render_multiples_text(found, width=min(cols, 100)) if found else None

        emit(markdown_report(data, text, unit_text), output, format)
    elif format == "html":
        # web pages (jinja2) imported only for them: 70 ms of every terminal report
        from qi_cli.render.html import render_report as html_report

        emit(html_report(data, chart_svgs(analyses, units)), output, format)
    elif format == "a3":
        from qi_cli.exports.a3 import render_a3  # jinja2, as above

        outcome = (data.get("aim") or {}).get("outcome_measure")
        a3 = analysis_of(outcome) if outcome else None
        poster = render_a3(data, svg_for(a3) if a3 else None)
        if output is not None and output.suffix.lower() == ".pdf":
            emit(print_pdf(poster, display_path(output)), output, format)
        else:
            emit(poster, output, format)
    else:

        def page(mid: str) -> str | None:
            a = analysis_of(mid)
            if a is None:
                return None
            text = chart_page(a, width=cols, height=18, colour=colour)
            if mid not in units:
                return text
            # a measure kept per unit: its total, then each unit's chart on one scale
            return text + "\n" + render_multiples_text(units[mid], width=cols, colour=colour)

        emit(terminal_report(data, width=cols, colour=colour, chart_text=page), output, format)
