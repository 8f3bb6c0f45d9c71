"""`qi chart` in the terminal: the target line, the limits of a P chart in numbers, the
line joining the points kept under the other lines, and cycle labels by change idea."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.render.svg import svg_for
from tests.conftest import DRIVERS_YAML, WriteProject, run, weekly_csv

BRAILLE = re.compile("[\u2800-\u28ff]")


def _chart(runner: CliRunner, root: Path, measure: str, width: int) -> list[str]:
    code, out, err = run(runner, "chart", measure, "-p", str(root), "--width", str(width))
    assert code == 0, err
    return out.splitlines()


def _plot_rows(lines: list[str]) -> list[str]:
    """The rows inside the frame, between its top and bottom edges."""
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top + 1 : bottom]


WAIT_YAML = """\
name: Minutes to first review
kind: process
data_type: continuous
direction: decrease
target: 20
frequency: weekly
definition:
  description: median minutes from arrival to first review
  unit: minutes
"""


def test_the_target_is_drawn_as_a_line_and_keyed(
    write_project: WriteProject, runner: CliRunner
) -> None:
    # every value is well above the target: the frame must reach down to 20 to show it
    root = write_project(
        {"measures/wait.yaml": WAIT_YAML, "measures/wait.csv": weekly_csv([40, 44, 38, 42, 41])}
    )
    lines = _chart(runner, root, "wait", 80)
    rows = _plot_rows(lines)
    target_rows = [i for i, row in enumerate(rows) if row.count("═") > 40]
    assert len(target_rows) == 1
    point_rows = [i for i, row in enumerate(rows) if "•" in row or "◆" in row]
    assert point_rows and max(point_rows) < target_rows[0]  # below every point: 20 < 38
    assert "═ target" in "\n".join(lines)


FEEDS_YAML = """\
name: Feeds given on time
kind: process
data_type: proportion
direction: increase
multiply: 100
frequency: weekly
definition:
  description: feeds given within 30 minutes of the planned time
  numerator: feeds on time
  denominator: feeds planned
"""
FEEDS = [5, 6, 4, 5, 7, 5, 6, 4, 5, 6, 5, 6]
PLANNED = [20, 25, 20, 20, 25, 20, 25, 20, 20, 25, 20, 40]


def test_a_p_chart_with_varying_limits_gives_the_latest_limits(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {
            "measures/feeds.yaml": FEEDS_YAML,
            "measures/feeds.csv": weekly_csv(FEEDS, denominators=PLANNED),
        }
    )
    text = "\n".join(_chart(runner, root, "feeds", 120))
    # by hand: p = 64 / 280; the last week has n = 40
    p = 64 / 280
    half = 3 * math.sqrt(p * (1 - p) / 40)
    low, high = f"{100 * (p - half):.2f}", f"{100 * (p + half):.2f}"
    assert (low, high) == ("2.94", "42.78")
    assert f"limits vary with the denominator (latest: {low} to {high}%, n = 40)" in text


def test_the_line_joining_points_stays_under_the_centre_and_limit_lines(
    write_project: WriteProject, runner: CliRunner
) -> None:
    # few points at 120 columns: the joining line is drawn, and crosses the mean
    values = [12, 3, 14, 2, 13, 4, 12, 3, 15, 2, 14, 3]
    root = write_project({"measures/restraint.csv": weekly_csv(values)})
    rows = _plot_rows(_chart(runner, root, "restraint", 120))
    assert any(BRAILLE.search(row) for row in rows)  # the joining line is there
    centre = [row for row in rows if row.count("─") > 20]
    assert centre, "no centre line"
    for row in centre:
        assert not BRAILLE.search(row), row


DRIVERS_TWO = (
    DRIVERS_YAML
    + """\
  bed-alarms:
    title: Bed alarms at night
    drivers: [lighting]
"""
)


def _cycle(change: str, start: str) -> str:
    return f"change: {change}\nmeasures: [restraint]\nplan:\n  start: {start}\n"


def test_cycle_labels_never_merge(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project(
        {
            "drivers.yaml": DRIVERS_TWO,
            "measures/restraint.csv": weekly_csv([4, 5, 3, 4, 6, 4, 5, 4, 3, 4, 5, 4] * 3),
            "cycles/2026-02-02-night-lights-a1b2.yaml": None,
            # one week apart, two change ideas: too close for two labels on one row
            "cycles/2026-03-02-night-lights-aa11.yaml": _cycle("night-lights", "2026-03-02"),
            "cycles/2026-03-09-bed-alarms-bb22.yaml": _cycle("bed-alarms", "2026-03-09"),
            "cycles/2026-03-10-night-lights-cc33.yaml": _cycle("night-lights", "2026-03-10"),
        }
    )
    lines = _chart(runner, root, "restraint", 60)
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    labels = " ".join(lines[1:top])
    assert "," not in labels  # not even two cycles of one change idea share a label
    assert sorted(re.findall(r"#[\d,]+", labels)) == ["#1", "#2", "#3"]
    assert top == 4  # title, then three staggered rows of labels, one a week apart
    text = "\n".join(lines)
    assert "┆ night-lights: #1 aa11 2026-03-02, #3 cc33 2026-03-10" in text
    assert "┆ bed-alarms: #2 bb22 2026-03-09" in text


def test_html_chart_cycle_labels_never_merge(write_project: WriteProject) -> None:
    root = write_project(
        {
            "drivers.yaml": DRIVERS_TWO,
            "measures/restraint.csv": weekly_csv([4, 5, 3, 4, 6, 4, 5, 4, 3, 4, 5, 4] * 3),
            "cycles/2026-02-02-night-lights-a1b2.yaml": None,
            "cycles/2026-03-02-night-lights-aa11.yaml": _cycle("night-lights", "2026-03-02"),
            "cycles/2026-03-03-bed-alarms-bb22.yaml": _cycle("bed-alarms", "2026-03-03"),
            "cycles/2026-03-04-night-lights-cc33.yaml": _cycle("night-lights", "2026-03-04"),
        }
    )
    svg = svg_for(analyse_measure(load_project(root), "restraint"))
    labels = re.findall(
        r'<text x="([\d.]+)" y="(\d+)" text-anchor="middle" class="ann">([^<]*)<', svg
    )
    assert sorted(text for _, _, text in labels) == ["#1", "#2", "#3"]
    # three cycles on three days: two rows, and the third label moved right of the first
    by_row: dict[str, list[float]] = {}
    for x, y, _ in labels:
        by_row.setdefault(y, []).append(float(x))
    assert sorted(by_row) == ["10", "22"]
    for xs in by_row.values():
        xs.sort()
        assert all(b - a >= 2 * 7 for a, b in itertools.pairwise(xs))  # "#1" is 2 chars
