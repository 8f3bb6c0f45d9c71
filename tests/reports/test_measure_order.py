"""Measures in reports: outcome, process, balancing, then by name, in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import WriteProject, run, weekly_csv


def _measure(name: str, kind: str) -> str:
    return (
        f"name: {name}\nkind: {kind}\ndata_type: count\ndirection: decrease\n"
        "definition:\n  description: counted each week\n"
    )


# ids sort a-checks, b-sensor, c-hourly, falls, restraint; names and kinds do not
EXPECTED = [
    "Falls per 1,000 bed days",  # outcome
    "Hourly rounding done",  # process, by name
    "Sensor mats in use",
    "Bed rails checked",  # balancing, by name
    "Patients restrained",
]


@pytest.fixture
def project(write_project: WriteProject) -> Path:
    data = weekly_csv([3, 4, 2, 5, 3, 4])
    return write_project(
        {
            "measures/a-checks.yaml": _measure("Bed rails checked", "balancing"),
            "measures/a-checks.csv": data,
            "measures/b-sensor.yaml": _measure("Sensor mats in use", "process"),
            "measures/b-sensor.csv": data,
            "measures/c-hourly.yaml": _measure("Hourly rounding done", "process"),
            "measures/c-hourly.csv": data,
        }
    )


def _order(text: str) -> list[str]:
    """The measure names in the order they first appear in `text`."""
    found = {name: text.find(name) for name in EXPECTED}
    assert all(at >= 0 for at in found.values()), found
    return sorted(found, key=found.__getitem__)


def test_json_report_lists_outcome_process_balancing(project: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "report", str(project), "--format", "json")
    assert code == 0, err
    assert [m["name"] for m in json.loads(out)["measures"]] == EXPECTED


@pytest.mark.parametrize("format", ["terminal", "markdown", "html"])
def test_every_format_lists_outcome_process_balancing(
    project: Path, runner: CliRunner, format: str
) -> None:
    code, out, err = run(runner, "report", str(project), "--format", format, "--width", "200")
    assert code == 0, err
    # the measures table comes first: each name's first mention is its row there
    assert _order(out) == EXPECTED
    # and each measure's chart section follows in the same order
    last = {name: out.rfind(name) for name in EXPECTED}
    assert sorted(last, key=last.__getitem__) == EXPECTED


def test_portfolio_lists_a_projects_measures_in_report_order(
    project: Path, runner: CliRunner
) -> None:
    code, out, err = run(runner, "portfolio", str(project.parent), "--format", "json")
    assert code == 0, err
    names = [m["name"] for m in json.loads(out)["projects"][0]["measures"]]
    assert names == EXPECTED
    code, out, err = run(runner, "portfolio", str(project.parent), "--width", "120")
    assert code == 0, err
    summary = out[out.index("Making Data Count") :]
    assert _order(re.sub(r"\s+", " ", summary)) == EXPECTED
