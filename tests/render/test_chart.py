"""`qi chart` and the renderers: golden charts at fixed width, colour off.

Goldens are reviewed by eye; refresh with `pytest --update-goldens` (or
QI_UPDATE_GOLDENS=1) and review the diff of tests/goldens/charts/.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.project import create_project
from qi_cli.render.chart import _nearest, chart_page, draw_chart
from qi_cli.render.chart_frame import Frame, label_edge
from tests.conftest import WriteProject, run, weekly_csv
from tests.goldens import check_golden

ESCAPE = re.compile(r"\x1b\[")

LOS_YAML = """\
name: Length of stay
kind: outcome
data_type: continuous
definition:
  description: mean length of stay of the week's discharges
  unit: days
direction: decrease
target: 5
frequency: weekly
exclude:
  - date: 2026-02-16
    reason: IT outage, half the discharges missing
"""
# 24 weeks; week 9 (2026-03-09) missing from the file; a clear drop after the cycle
LOS_VALUES = [7.1, 6.8, 7.4, 7.0, 6.6, 7.5, 3.1, 7.2, 6.9, 7.3, 6.2, 5.9, 5.6, 5.8, 5.4, 5.7,
              5.5, 5.2, 5.6, 5.3, 5.5, 5.1, 5.4]  # fmt: skip
CYCLE_YAML = """\
change: night-lights
measures: [los]
plan:
  start: 2026-03-16
"""


def los_csv() -> str:
    lines = weekly_csv([*LOS_VALUES[:9], 0, *LOS_VALUES[9:]]).splitlines()
    del lines[10]  # the row of 2026-03-09: a missing week
    return "\n".join(lines) + "\n"


@pytest.fixture
def los_project(write_project: WriteProject) -> Path:
    return write_project(
        {
            "measures/los.yaml": LOS_YAML,
            "measures/los.csv": los_csv(),
            "cycles/2026-03-16-night-lights-ab12.yaml": CYCLE_YAML,
        }
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    parent = tmp_path_factory.mktemp("example")
    return create_project(parent, "Rib fracture pathway", template="example", folder_name="rib")


def page(root: Path, measure: str, width: int = 80, **options: object) -> str:
    analysis = analyse_measure(load_project(root), measure, **options)  # type: ignore[arg-type]
    return chart_page(analysis, width=width, height=20, colour=False)


def test_golden_run_chart_with_gap_exclusion_and_cycle(
    los_project: Path, request: pytest.FixtureRequest
) -> None:
    text = page(los_project, "los")
    check_golden("charts/los-run-80.txt", text, request)
    assert not ESCAPE.search(text)
    assert "#2" in text.splitlines()[1]  # the cycle's number above the chart
    assert "1 missing week shown as a gap, not as zero: 2026-03-09." in text
    assert "× excluded" in text


def test_golden_xmr_with_phase(los_project: Path, request: pytest.FixtureRequest) -> None:
    yaml_path = los_project / "measures" / "los.yaml"
    yaml_path.write_text(
        LOS_YAML + "chart: i\nphases:\n  - date: 2026-03-16\n    reason: night lights adopted\n"
        "    cycle: 2026-03-16-night-lights-ab12\n",
        encoding="utf-8",
    )
    text = page(los_project, "los", width=120)
    check_golden("charts/los-xmr-phase-120.txt", text, request)
    assert "│ phase 2 from 2026-03-16: night lights adopted (cycle #2 ab12)" in text
    assert max(len(line) for line in text.splitlines()) <= 120


def test_golden_mdc_example_80(example: Path, request: pytest.FixtureRequest) -> None:
    text = page(example, "length-of-stay")
    check_golden("charts/example-length-of-stay-mdc-80.txt", text, request)
    assert "Variation: special cause, improvement" in text
    assert "Assurance:" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_golden_p_chart_example_120(example: Path, request: pytest.FixtureRequest) -> None:
    text = page(example, "physio-within-24h", width=120)
    check_golden("charts/example-physio-p-120.txt", text, request)


def test_golden_few_points(write_project: WriteProject, request: pytest.FixtureRequest) -> None:
    root = write_project({"measures/restraint.csv": weekly_csv([4, 6, 3, 5, 7])})
    text = page(root, "restraint")
    check_golden("charts/few-points-80.txt", text, request)
    # mean 5 (hand calculation): the point on the centre line is not useful, so 4 are
    assert "Not enough data yet: runs rules need 10 useful points; you have 4." in text


def test_signal_points_use_their_own_marker(los_project: Path) -> None:
    analysis = analyse_measure(load_project(los_project), "los")
    chart = draw_chart(analysis, width=80, height=20, colour=False)
    flagged = {i for s in analysis.result.signals if s.rule == "shift" for i in s.points}
    assert flagged  # the drop after the cycle is a shift
    assert chart.count("◆") == len(flagged)
    assert chart.count("×") == 1


def test_colour_only_when_asked(los_project: Path) -> None:
    analysis = analyse_measure(load_project(los_project), "los")
    coloured = chart_page(analysis, width=80, colour=True)
    plain = chart_page(analysis, width=80, colour=False)
    assert ESCAPE.search(coloured)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_cli_plain_with_no_color_and_json(runner: CliRunner, los_project: Path) -> None:
    code, out, err = run(runner, "chart", "los", "-p", str(los_project), "--width", "80")
    assert (code, err) == (0, "")
    assert not ESCAPE.search(out)
    assert out == page(los_project, "los")
    code, out, _ = run(runner, "chart", "los", "-p", str(los_project), "--json")
    data = json.loads(out)
    assert data["points"][9] == {**data["points"][9], "date": "2026-03-09", "y": None, "gap": True}
    assert data["cycles"][0]["number"] == 2
    assert data["signals"][0]["dates"][0] == data["points"][data["signals"][0]["points"][0]]["date"]


def test_cli_options(runner: CliRunner, los_project: Path) -> None:
    p = ["-p", str(los_project)]
    code, out, _ = run(runner, "chart", "los", *p, "--no-annotations", "--width", "80")
    assert code == 0
    assert "┆" not in out and "#2" not in out
    code, out, _ = run(runner, "chart", "los", *p, "--from", "2026-03-16", "--to", "2026-04-27")
    assert code == 0
    assert "2026-03-16" in out and "2026-01-05" not in out
    code, out, _ = run(runner, "chart", "los", *p, "--method", "mdc", "--width", "100")
    assert code == 0
    assert "XmR (I) chart, Making Data Count" in out
    assert max(len(line) for line in out.splitlines()) <= 100


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [
        (["nope"], "no measure 'nope'", 1),
        (["los", "--method", "mdc", "--chart", "run"], "draws XmR", 2),
        (["los", "--chart", "p"], "needs a proportion or rate", 2),
        (["los", "--method", "shewhart"], "unknown method", 2),
        (["los", "--width", "20"], "at least --width 40", 2),
        (["los", "--from", "March"], "is not a date", 2),
    ],
)
def test_cli_errors(
    runner: CliRunner, los_project: Path, args: list[str], message: str, exit_code: int
) -> None:
    code, _, err = run(runner, "chart", *args, "-p", str(los_project))
    assert code == exit_code
    assert message in err
    assert "Traceback" not in err


def test_empty_measure_still_answers(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project({"measures/restraint.csv": "date,value\n"})
    code, out, _ = run(runner, "chart", "restraint", "-p", str(root))
    assert code == 0
    assert "no data yet" in out


def test_example_project_is_untouched_by_charting(example: Path) -> None:
    before = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    page(example, "time-to-physio")
    assert {p: p.read_bytes() for p in example.rglob("*") if p.is_file()} == before
    shutil.rmtree(example / "nothing", ignore_errors=True)


NEAR = st.one_of(
    st.integers(-5, 40).map(float),
    st.floats(-1e-15, 1e-15, allow_nan=False),  # differences lost to rounding
    st.floats(allow_nan=False),  # huge values, distances that overflow to inf
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(NEAR, min_size=1, max_size=30), NEAR)
def test_nearest_point_by_bisection_is_the_linear_answer(xs: list[float], x: float) -> None:
    # duplicates and ties included: the first of the nearest points, as min() gives
    xs = sorted(xs)
    linear = min(range(len(xs)), key=lambda j: (abs(xs[j] - x), j))
    assert _nearest(xs, x) == linear


@pytest.mark.parametrize(
    ("xs", "x"),
    [([0.0, 1e-17, 1.0], 0.5), ([-1e-17, 0.0, 2.0], 1.0), ([-1.7e308, -1.6e308], 1.7e308)],
)
def test_nearest_point_ties_lost_to_rounding(xs: list[float], x: float) -> None:
    assert _nearest(xs, x) == 0  # as min() over every point gives


def test_edge_labels_keep_the_order_of_their_values_when_lines_share_a_row() -> None:
    # 5 rows for 0..10: the median 16.1 and the target 18 of the example's run chart,
    # scaled, fall on one row; the one moved must go below, never above the higher value
    lines = ["┌─────┐", *(["│     │"] * 5), "└─────┘"]
    frame = Frame(x_lo=0, x_hi=1, y_lo=0, y_hi=10)
    label_edge(lines, [(6.1, "median 6.1"), (6.0, "target 6"), (9.9, "UCL 9.9")], frame, False)
    rows = [line[line.rindex("│") + 1 :].strip() if "│" in line else "" for line in lines]
    labelled = [text for text in rows if text]
    assert labelled == ["UCL 9.9", "median 6.1", "target 6"]
    assert rows.index("median 6.1") == 3  # its own row (row of 6.0 and 6.1), then below
    assert rows.index("target 6") == 4
