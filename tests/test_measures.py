"""measures: the variation word that `qi measure list` and `qi portfolio` both show."""

from __future__ import annotations

import datetime as dt

import pytest

from qi_cli.files.loader import load_project
from qi_cli.measures import classify_variation, summarise
from qi_cli.reports.portfolio import summarise_project
from qi_cli.series import analyse_measure
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
