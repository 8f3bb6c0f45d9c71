"""measures: building a new one, and the variation word of `qi measure list` and portfolio."""

from __future__ import annotations

import datetime as dt

import pytest

from qi_cli.errors import FieldError
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.measures import build_measure, classify_variation, summarise
from qi_cli.reports.portfolio import summarise_project
from tests.conftest import WriteProject, weekly_csv

# restraint: lower is better. Ten weeks around 10, nine low weeks (an improvement
# shift), then nine high weeks (a concern shift) that reach the latest point.
IMPROVED_THEN_WORSE = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, *[4] * 9, *[16] * 9]


@pytest.mark.parametrize(
    ("values", "variation", "signal"),
    [
        (IMPROVED_THEN_WORSE, "concern", "concern"),
        (IMPROVED_THEN_WORSE[:19], "improvement", "improvement"),
        ([10, 12, 11, 10, 12, 11, 10, 12, 11, 10, 12], "common_cause", "none"),
        ([10, 12, 11], "too_few_points", "too few points"),
    ],
)
def test_measure_list_and_portfolio_say_the_same(
    write_project: WriteProject, values: list[float], variation: str, signal: str
) -> None:
    root = write_project({"measures/restraint.csv": weekly_csv(values)})
    project = load_project(root)
    assert classify_variation(analyse_measure(project, "restraint")) == variation
    listed = {s.id: s.signal for s in summarise(project)}
    assert listed["restraint"] == signal
    row = summarise_project(root, dt.date(2026, 12, 1))
    shown = {m["id"]: m["variation"] for m in row["measures"]}
    assert shown["restraint"] == variation


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"data_type": "count", "chart": "p"}, "chart", "a p chart needs a proportion or rate"),
        ({"data_type": "count", "method": "ihi"}, "method", "the IHI rules (method ihi)"),
        ({"data_type": "continuous", "method": "mdc"}, None, None),  # draws an I chart
        # as `qi validate` refuses it: Making Data Count draws no run chart
        ({"data_type": "continuous", "method": "mdc", "chart": "run"}, "method", "draws XmR"),
    ],
)
def test_build_measure_names_the_field_it_refuses(
    fields: dict[str, str], field: str | None, message: str | None
) -> None:
    given = {"name": "Falls", "kind": "outcome", **fields}
    if field is None:
        assert build_measure(given).method == "mdc"
        return
    with pytest.raises(FieldError) as info:
        build_measure(given)
    assert info.value.field == field
    assert message in info.value.message
    assert "--" not in info.value.message + (info.value.hint or "")


def test_a_proportion_is_a_percentage_unless_told() -> None:
    given = {"name": "Seen", "kind": "process", "data_type": "proportion"}
    assert build_measure(given).multiply == 100
    assert build_measure({**given, "multiply": 1}).multiply == 1
