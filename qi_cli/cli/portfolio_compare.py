"""`qi portfolio ROOT --compare MEASURE`: the projects sharing a measure, on a funnel plot
(loaded by `cli/portfolio.py` only for `--compare`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from qi_cli.cli._common import use_colour
from qi_cli.cli._output import emit
from qi_cli.dates import parse_period
from qi_cli.errors import FieldError, UsageError
from qi_cli.render.funnel import render_funnel_svg, render_funnel_text
from qi_cli.reports.compare import compare_projects

COMPARE_FORMATS = ("terminal", "svg", "json")


def compare(
    root: Path, measure_id: str, period: str | None, format: str, output: Path | None, cols: int
) -> None:
    """The funnel plot of `measure_id` across the projects under `root`, in `format`."""
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
        emit(
            json.dumps(view.to_dict(), indent=2, ensure_ascii=False, allow_nan=False),
            output,
            format,
        )
    elif format == "svg":
        emit(render_funnel_svg(view), output, format)
    else:
        colour = output is None and use_colour()
        emit(render_funnel_text(view, width=cols, colour=colour), output, format)
