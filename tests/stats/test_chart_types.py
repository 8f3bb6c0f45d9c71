"""Every place that names the chart types names the same ones: a chart type added to one
table and not another fails here, not as a KeyError in a user's `qi chart`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from qi_cli.model import DEFAULT_CHART, ChartType
from qi_cli.render.svg import ALT_NAMES
from qi_cli.stats import CHART_NAMES, CHARTS
from qi_cli.stats.limits import CHART_LINES
from qi_cli.stats.prepare import NO_DENOMINATOR_CHARTS, NON_NEGATIVE_CHARTS, RATIO_CHARTS

SCHEMA = Path(__file__).resolve().parents[2] / "qi_cli" / "schemas" / "measure.schema.json"


def test_each_table_of_chart_types_has_every_type() -> None:
    assert set(CHARTS) == set(CHART_NAMES)
    assert set(get_args(ChartType)) == set(CHARTS), "model.ChartType (what a measure file takes)"
    assert set(CHART_LINES) == set(CHARTS), "stats/limits.py CHART_LINES (the limits)"
    assert set(ALT_NAMES) == set(CHARTS), "render/svg.py ALT_NAMES (the alt text)"


def test_the_groups_and_defaults_name_known_types() -> None:
    for group in (RATIO_CHARTS, NO_DENOMINATOR_CHARTS, NON_NEGATIVE_CHARTS):
        assert set(group) <= set(CHARTS), group
    assert set(DEFAULT_CHART.values()) <= set(CHARTS)


def test_the_shipped_schema_offers_every_type() -> None:
    """The schema editors read; `qi schema --out qi_cli/schemas` writes it afresh."""
    chart = json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["chart"]
    assert chart["anyOf"][0]["enum"] == list(CHARTS)
