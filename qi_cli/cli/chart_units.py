"""`qi chart MEASURE --by unit`: one small chart per unit (ward, team, site), on one scale.

Loaded by `cli/chart.py` only when --by unit is given."""

from __future__ import annotations

import datetime as dt
import json

from qi_cli.cli._common import echo, use_colour
from qi_cli.files.loaded import LoadedProject
from qi_cli.render.multiples import render_multiples_text
from qi_cli.unit_charts import analyse_units


def print_unit_charts(
    loaded: LoadedProject,
    measure_id: str,
    *,
    method: str | None,
    chart_type: str | None,
    start: dt.date | None,
    end: dt.date | None,
    annotations: bool,
    highlight: str | None,
    json_output: bool,
    width: int,
    height: int,
) -> None:
    """Print a measure's chart for each unit, as text or (json_output) as JSON (a
    FieldError names the field: `qi chart` names it as its flag)."""
    charts = analyse_units(
        loaded,
        measure_id,
        method=method,  # type: ignore[arg-type]
        chart=chart_type,  # type: ignore[arg-type]
        start=start,
        end=end,
        annotations=annotations,
        highlight=highlight,
    )
    if json_output:
        echo(json.dumps(charts.to_dict(), indent=2, ensure_ascii=False))
        return
    text = render_multiples_text(charts, width=width, height=min(height, 12), colour=use_colour())
    echo(text.rstrip("\n"))
