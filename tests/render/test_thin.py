"""A long series: its chart draws a bounded number of points and says what it summarised;
the JSON report lists a bounded number of points unless asked for all; sizes are capped."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.reports.report import REPORT_POINTS
from tests.conftest import WriteProject, run, weekly_csv

START = dt.date(2026, 1, 5)


def _long_project(write_project: WriteProject, n: int) -> Path:
    """The restraint measure (a count) with `n` weekly values 1, 2, 3, 4, 5, 1, 2, …"""
    values = [float(i % 5 + 1) for i in range(n)]
    return write_project({"measures/restraint.csv": weekly_csv(values)})


def _week(i: int) -> str:
    return (START + dt.timedelta(weeks=i)).isoformat()


def _chart_svg(html: str, name: str) -> str:
    found = [s for s in html.split("<svg")[1:] if f"<title>{name}" in s]
    assert len(found) == 1, f"one chart titled {name}"
    return found[0].split("</svg>")[0]


def test_html_chart_of_a_long_series_draws_the_latest_points_and_says_so(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = _long_project(write_project, 2500)
    out = tmp_path / "report.html"
    code, _, err = run(runner, "report", str(root), "--format", "html", "-o", str(out))
    assert code == 0, err
    svg = _chart_svg(out.read_text(encoding="utf-8"), "Patients restrained")
    # one marker per drawn point: the 2,000 latest (the rest would be 2,500)
    markers = len(re.findall(r"<circle|<rect x=|<path d=\"M[^\"]*Z\"", svg))
    assert markers <= 2000 + 10  # + the key's swatches
    assert markers >= 2000
    # the first 500 values are 1..5 repeated: from 1 to 5, mean 3
    words = " ".join(re.findall(r'class="lab">([^<]*)</text>', svg))
    assert f"Drawn: the latest 2,000 of 2,500 points, from {_week(500)}." in words
    assert f"The 500 before them ({_week(0)} to {_week(499)}) ranged from 1 to 5 (mean 3)" in words
    # the text alternative still describes the whole series
    assert f"2500 points from {_week(0)} to {_week(2499)}" in svg


def test_terminal_chart_of_a_long_series_says_what_it_summarised(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = _long_project(write_project, 2500)
    code, out, err = run(runner, "chart", "restraint", "-p", str(root), "--width", "80")
    assert code == 0, err
    flat = " ".join(out.split())
    # 80 columns, 4 points a column: the latest 320 points
    assert f"Drawn: the latest 320 of 2,500 points, from {_week(2180)}." in flat
    assert "ranged from 1 to 5 (mean 3)" in flat
    # the x axis starts at the first drawn point, not at 2026
    axis = [line for line in out.splitlines() if re.match(r"^\s*\d{4}-\d{2}-\d{2}", line)]
    assert axis and axis[0].split()[0] == _week(2180)


def test_short_series_draws_every_point_without_a_note(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = _long_project(write_project, 40)
    code, out, _ = run(runner, "chart", "restraint", "-p", str(root), "--width", "80")
    assert code == 0
    assert "Drawn:" not in out


def test_json_report_lists_the_latest_points_unless_all_are_asked_for(
    runner: CliRunner, write_project: WriteProject
) -> None:
    n = REPORT_POINTS + 200
    root = _long_project(write_project, n)
    code, out, err = run(runner, "report", str(root), "-f", "json")
    assert code == 0, err
    measure = next(m for m in json.loads(out)["measures"] if m["id"] == "restraint")
    points = measure["analysis"]["points"]
    assert len(points) == REPORT_POINTS
    assert measure["analysis"]["points_omitted"] == 200
    assert points[0]["index"] == 200 and points[0]["date"] == _week(200)
    assert points[-1]["index"] == n - 1
    assert measure["n_points"] == n  # the summary still counts every point

    code, out, err = run(runner, "report", str(root), "-f", "json", "--all-points")
    assert code == 0, err
    measure = next(m for m in json.loads(out)["measures"] if m["id"] == "restraint")
    assert len(measure["analysis"]["points"]) == n
    assert measure["analysis"]["points_omitted"] == 0


@pytest.mark.parametrize(
    "args",
    [
        ["chart", "falls", "--width", "10000000"],
        ["chart", "falls", "--height", "1000000"],
        ["report", "--width", "10000000"],
        ["pareto", "--width", "10000000"],
    ],
)
def test_huge_sizes_are_a_usage_error(
    runner: CliRunner, write_project: WriteProject, args: list[str]
) -> None:
    root = write_project()
    where = [str(root)] if args[0] == "report" else ["-p", str(root)]
    args = [*args[:1], *where, *args[1:]]
    code, out, err = run(runner, *args)
    assert code == 2
    assert "too" in err
    assert "at most" in err or "or less" in err
    assert "Traceback" not in out + err
