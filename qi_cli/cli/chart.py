"""`qi chart MEASURE`: the run or control chart in the terminal, with PDSA cycles marked."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, use_colour
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_measure
from qi_cli.dates import parse_user_date
from qi_cli.errors import FieldError, UsageError
from qi_cli.files.core_loader import load_core
from qi_cli.files.csv_cells import MeasureRows
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.measure_analysis import MeasureAnalysis, analyse_measure
from qi_cli.render.chart import MAX_HEIGHT, MIN_HEIGHT, MIN_WIDTH, chart_page
from qi_cli.render.values import MAX_WIDTH
from qi_cli.stats import CHARTS, METHODS

# the library's field names, as `qi chart` says them
CHART_FLAGS = {"chart": "--chart", "method": "--method", "by": "--by", "highlight": "--highlight"}


def register(app: typer.Typer) -> None:
    app.command("chart")(chart)


def _date(text: str | None, flag: str) -> object:
    if text is None:
        return None
    return parse_user_date(text, flag, dt.date.today())


def _write_images(
    analysis: MeasureAnalysis, svg: Path | None, png: Path | None, *, force: bool
) -> None:
    """The chart as files: SVG needs nothing more, PNG the office extra's rasteriser."""
    # imported only when a file is asked for: `qi chart` itself starts as it did
    # (bench/startup.py's `qi chart` figure; these add zipfile, ElementTree, the SVG renderer)
    from qi_cli.exports.written import check_output, require_office, svg_file
    from qi_cli.render.svg import svg_for

    for path in (p for p in (svg, png) if p is not None):
        check_output(path, force=force)
    if png is not None:
        require_office("qi chart --png")
        from qi_cli.exports.images import write_chart  # the office extra: imported when there

        write_chart(analysis, png, force=force)
        echo(f"wrote {display_path(png)}", err=True)
    if svg is not None:
        write_atomic(svg, svg_file(svg_for(analysis)))
        echo(f"wrote {display_path(svg)}", err=True)


def chart(
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    method: str | None = typer.Option(None, "--method", help="Rules: anhoej, ihi or mdc."),
    chart_type: str | None = typer.Option(
        None, "--chart", help="Chart type: run, i, mr, xbar, s, t, p, pp, u, up, c, g."
    ),
    start: str | None = typer.Option(None, "--from", help="First date shown (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Last date shown (YYYY-MM-DD)."),
    width: int | None = typer.Option(None, "--width", help="Columns (default: the terminal's)."),
    height: int = typer.Option(20, "--height", help="Rows of the plot."),
    no_annotations: bool = typer.Option(
        False, "--no-annotations", help="Do not mark the PDSA cycles."
    ),
    json_output: bool = typer.Option(
        False, "--json", help="Print the statistics result with dates, as JSON."
    ),
    format: str = typer.Option("text", "--format", "-f", help="text, or json (same as --json)."),
    by: str | None = typer.Option(
        None, "--by", help="unit: one chart per unit (ward, team, site), on one scale."
    ),
    highlight: str | None = typer.Option(
        None, "--highlight", help="With --by unit: your own unit, marked."
    ),
    svg: Path | None = typer.Option(
        None, "--svg", help="Write the chart as SVG (the HTML report's drawing)."
    ),
    png: Path | None = typer.Option(
        None, "--png", help="Write the chart as PNG at 2× (needs qi-cli[office])."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace a --svg/--png file qi did not write."
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Draw a measure's chart, mark its PDSA cycles and explain every signal.

    Examples:

    \b
      qi chart physio-within-24h
      qi chart length-of-stay --method mdc --from 2026-01-01 --width 120
      qi chart time-to-physio --json > time-to-physio.json
      qi chart physio-within-24h --by unit --highlight "Ward 7"
      qi chart length-of-stay --png length-of-stay.png
    """

    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")
    json_output = json_output or format == "json"
    if method is not None and method not in METHODS:
        raise UsageError(f"unknown method '{method}'", hint=f"choose {', '.join(METHODS)}")
    if chart_type is not None and chart_type not in CHARTS:
        raise UsageError(f"unknown chart '{chart_type}'", hint=f"choose {', '.join(CHARTS)}")
    first, last = _date(start, "--from"), _date(end, "--to")
    assert first is None or isinstance(first, dt.date)
    assert last is None or isinstance(last, dt.date)
    if first and last and last < first:
        raise UsageError("--to is before --from")
    if width is None:
        width = min(shutil.get_terminal_size((80, 24)).columns, 160)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise UsageError(f"the chart needs at least --width {MIN_WIDTH} and --height {MIN_HEIGHT}")
    if width > MAX_WIDTH or height > MAX_HEIGHT:
        raise UsageError(
            f"--width {width} --height {height} is too large",
            hint=f"give at most --width {MAX_WIDTH} and --height {MAX_HEIGHT}",
        )
    if by is not None and by != "unit":
        raise UsageError(f"unknown --by '{by}'", hint="charts can be split by unit: --by unit")
    if highlight is not None and by is None:
        raise UsageError("--highlight marks a unit of --by unit", hint="add --by unit")
    if by is not None and (svg is not None or png is not None):
        raise UsageError(
            "--svg and --png write one chart, not one per unit",
            hint="leave out --by unit, or see the units side by side in `qi report --format html`",
        )
    loaded = load_core(project_root(project))
    try:
        if by == "unit":
            # loaded only for --by unit: a plain chart starts without the per-unit analysis
            # and its drawing (bench/startup.py's `qi chart` figure)
            from qi_cli.cli.chart_units import print_unit_charts

            print_unit_charts(
                loaded,
                measure_id,
                method=method,
                chart_type=chart_type,
                start=first,
                end=last,
                annotations=not no_annotations,
                highlight=highlight,
                json_output=json_output,
                width=width,
                height=height,
            )
            return
        analysis = analyse_measure(
            loaded,
            measure_id,
            method=method,  # type: ignore[arg-type]
            chart=chart_type,  # type: ignore[arg-type]
            start=first,
            end=last,
            annotations=not no_annotations,
        )
    except FieldError as exc:
        raise exc.named(CHART_FLAGS) from None
    if svg is not None or png is not None:
        _write_images(analysis, svg, png, force=force)
        return
    if json_output:
        echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False))
        return
    if not analysis.series.point_dates and (first or last):
        echo(_empty_range(loaded.rows(measure_id), first, last))
        return
    page = chart_page(
        analysis,
        width=width,
        height=height,
        colour=use_colour(),
        annotations=not no_annotations,
    )
    echo(page.rstrip("\n"))


def _empty_range(rows: MeasureRows, first: dt.date | None, last: dt.date | None) -> str:
    """What `--from`/`--to` left nothing of: the range asked for and the data's own."""
    asked = " ".join(
        part for part in (f"from {first}" if first else "", f"to {last}" if last else "") if part
    )
    if not rows:
        return f"no data {asked}: the measure has no data yet (add some: qi data add)"
    return f"no data {asked}: the data runs from {rows.dates[0]} to {rows.dates[-1]}"
