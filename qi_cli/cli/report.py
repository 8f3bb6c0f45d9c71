"""`qi report` (one project's story) and `qi portfolio` (every project under a folder)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import typer

from qi_cli.cli._common import echo, use_colour
from qi_cli.cli._project import project_root
from qi_cli.dates import parse_period, parse_user_date
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.exports.pdf import print_pdf
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.loader import load_project
from qi_cli.files.output import check_output, marked
from qi_cli.render.chart import MAX_WIDTH, chart_page
from qi_cli.render.funnel import render_funnel_svg, render_funnel_text
from qi_cli.render.markdown import render_portfolio as markdown_portfolio
from qi_cli.render.markdown import render_report as markdown_report
from qi_cli.render.multiples import render_multiples_text
from qi_cli.render.report_charts import chart_svgs
from qi_cli.render.svg import svg_for
from qi_cli.render.terminal import render_portfolio as terminal_portfolio
from qi_cli.render.terminal import render_report as terminal_report
from qi_cli.reports.compare import compare_projects
from qi_cli.reports.portfolio import build_portfolio
from qi_cli.reports.report import REPORT_POINTS, analyse_all, analyse_all_units, build_report
from qi_cli.validate import validate_project

FORMATS = ("terminal", "markdown", "html", "json", "a3")
COMPARE_FORMATS = ("terminal", "svg", "json")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("portfolio")(portfolio)


def _check_format(format: str) -> None:
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint=f"choose one of: {', '.join(FORMATS)}")


MIN_WIDTH = 40  # as `qi chart`: narrower, a chart has no room for its axis


def _width(width: int | None) -> int:
    if width is not None and width < MIN_WIDTH:
        raise UsageError(f"--width {width} is too narrow", hint=f"give --width {MIN_WIDTH} or more")
    if width is not None and width > MAX_WIDTH:
        raise UsageError(f"--width {width} is too wide", hint=f"give --width {MAX_WIDTH} or less")
    return width or min(shutil.get_terminal_size((100, 24)).columns, 120)


FORCE_OPTION: Any = typer.Option(
    False, "--force", help="Replace the -o file even if qi did not write it."
)


def _check_output(output: Path | None, force: bool) -> None:
    """Refuse a bad -o before any work: a missing folder, a folder, a project's own
    file, or a file that is not a previous qi report (without --force)."""
    if output is None:
        return
    check_output(output, force=force)


def _emit(text: str | bytes, output: Path | None, format: str) -> None:
    if output is None:
        assert isinstance(text, str)  # only a PDF is bytes, and it needs -o
        echo(text.rstrip("\n"))
        return
    write_atomic(output, text if isinstance(text, bytes) else marked(text, format))
    echo(f"wrote {display_path(output)}", err=True)


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
    _check_output(output, force)
    start = _since(since)
    cols = _width(width)
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
        _emit(json.dumps(data, indent=2, ensure_ascii=False), output, format)
    elif format == "markdown":

        def text(mid: str) -> str | None:
            a = analysis_of(mid)
            return chart_page(a, width=min(cols, 100), height=18) if a else None

        def unit_text(mid: str) -> str | None:
            found = units.get(mid)
            return render_multiples_text(found, width=min(cols, 100)) if found else None

        _emit(markdown_report(data, text, unit_text), output, format)
    elif format == "html":
        # web pages (jinja2) imported only for them: 70 ms of every terminal report
        from qi_cli.render.html import render_report as html_report

        _emit(html_report(data, chart_svgs(analyses, units)), output, format)
    elif format == "a3":
        from qi_cli.exports.a3 import render_a3  # jinja2, as above

        outcome = (data.get("aim") or {}).get("outcome_measure")
        a3 = analysis_of(outcome) if outcome else None
        poster = render_a3(data, svg_for(a3) if a3 else None)
        if output is not None and output.suffix.lower() == ".pdf":
            _emit(print_pdf(poster, display_path(output)), output, format)
        else:
            _emit(poster, output, format)
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

        _emit(terminal_report(data, width=cols, colour=colour, chart_text=page), output, format)


def portfolio(
    root: Path = typer.Argument(Path("."), help="Folder holding the projects."),
    format: str = typer.Option(
        "terminal", "--format", "-f", help="terminal, markdown, html or json."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to FILE (atomically)."),
    status: list[str] = typer.Option(
        [],
        "--status",
        help="Only projects with this status "
        "(repeatable): planning, active, sustaining, completed, "
        "on_hold, abandoned.",
    ),
    stale: int | None = typer.Option(
        None, "--stale", metavar="DAYS", help="Only projects with no cycle for DAYS days or more."
    ),
    sort: str = typer.Option(
        "title", "--sort", help="title, status, score, last-cycle, cycles or errors."
    ),
    width: int | None = typer.Option(None, "--width", help="Width in columns (terminal)."),
    no_cache: bool = typer.Option(
        False,
        "--no-cache",
        help="Re-read every project; do not use or update the summary cache ($QI_CACHE_DIR).",
    ),
    compare: str | None = typer.Option(
        None,
        "--compare",
        metavar="MEASURE",
        help="A funnel plot of the projects sharing this measure (its id, or shared_as).",
    ),
    period: str | None = typer.Option(
        None, "--period", help="With --compare: FROM..TO (default: all dates)."
    ),
    force: bool = FORCE_OPTION,
) -> None:
    """Every project under ROOT, one row each, and the Making Data Count summary.

    Examples:

    \b
      qi portfolio projects/ --status active --sort score --format markdown
      qi portfolio projects/ --compare falls-per-1000-bed-days --period 2026-01-01..
    """
    cols = _width(width)
    _check_output(output, force)
    if compare is not None:
        _compare(root, compare, period, format, output, cols)
        return
    if period is not None:
        raise UsageError("--period goes with --compare", hint="add --compare MEASURE")
    _check_format(format)
    data = build_portfolio(root, status=status, stale=stale, sort=sort, use_cache=not no_cache)
    if format == "json":
        _emit(json.dumps(data, indent=2, ensure_ascii=False), output, format)
    elif format == "markdown":
        _emit(markdown_portfolio(data), output, format)
    elif format == "html":
        from qi_cli.render.html import render_portfolio as html_portfolio  # jinja2, as above

        _emit(html_portfolio(data), output, format)
    else:
        colour = output is None and use_colour()
        _emit(terminal_portfolio(data, width=cols, colour=colour), output, format)


def _compare(
    root: Path, measure_id: str, period: str | None, format: str, output: Path | None, cols: int
) -> None:
    """`qi portfolio ROOT --compare MEASURE`: the projects sharing a measure, on a funnel."""
    if format not in COMPARE_FORMATS:
        raise UsageError(
            f"--compare draws terminal, svg or json, not {format}",
            hint="e.g. --format svg -o funnel.svg",
        )
    start, end = parse_period(period, "--period", dt.date.today()) if period else (None, None)
    try:
        view = compare_projects(root, measure_id, start=start, end=end)
    except FieldError as exc:
        raise exc.named({"period": "--period"}) from None
    if format == "json":
        _emit(
            json.dumps(view.to_dict(), indent=2, ensure_ascii=False, allow_nan=False),
            output,
            format,
        )
    elif format == "svg":
        _emit(render_funnel_svg(view), output, format)
    else:
        colour = output is None and use_colour()
        _emit(render_funnel_text(view, width=cols, colour=colour), output, format)
