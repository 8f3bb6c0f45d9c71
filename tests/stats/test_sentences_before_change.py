"""Signals before the change: a shift there is not the project's doing, and says so."""

from __future__ import annotations

from pathlib import Path

import plotext as plt
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.project import create_project
from qi_cli.render.chart import COLOURS, draw_chart
from qi_cli.render.svg import svg_for
from qi_cli.render.svg_parts import CONCERN, NEUTRAL
from qi_cli.stats import analyse, explain
from tests.conftest import run

HIGH = [30, 31, 29, 32, 30, 31, 29, 30]
LOW = [10, 11, 9, 12, 10, 11, 9, 10]
WORSE = "Likely a real change for the worse"


def test_a_worse_shift_from_the_start_before_an_improvement_is_the_starting_level() -> None:
    # 16 useful points: Anhøj's longest run limit is round(log2(16) + 3) = 7; the median
    # (12 + 29) / 2 = 20.5 splits the two levels, so both runs of 8 are shifts
    result = analyse(HIGH + LOW, direction="decrease")
    assert [(s.rule, s.improvement) for s in result.signals][:2] == [
        ("shift", False),
        ("shift", True),
    ]
    first, second = explain(result)[:2]
    assert WORSE not in first
    assert "where the process started, before the improvement that follows" in first
    assert "Add a phase where the change began" in first
    assert "Likely a real improvement" in second


def test_a_worse_shift_after_an_improvement_is_still_a_change_for_the_worse() -> None:
    result = analyse(LOW + HIGH, direction="decrease")
    sentences = explain(result)
    assert "Likely a real improvement" in sentences[0]
    assert WORSE in sentences[1]


def test_a_shift_in_part_1_is_before_the_change() -> None:
    # a phase after 16 points: part 1 holds both runs, part 2 is steady
    result = analyse(HIGH + LOW + [10, 12, 9, 11, 10, 12], direction="decrease", parts=[16])
    part_1 = [line for line in explain(result) if line.startswith("Part 1: Shift")]
    assert len(part_1) == 2
    for line in part_1:
        assert WORSE not in line and "Likely a real improvement" not in line
        assert "the process was not stable before it" in line
        assert "Consider a baseline that excludes these points." in line


def test_a_shift_inside_a_frozen_baseline_is_before_the_change() -> None:
    # a baseline of 20 points, 9 high then 11 low: its median lies between them, and the
    # 9 high points are a shift (30 useful points: the limit is round(log2(30) + 3) = 8)
    values = [*HIGH, 31, *LOW, 10, 12, 11, *LOW[:2], *LOW]
    result = analyse(values, direction="decrease", freeze=20)
    lines = dict(zip(result.signals, explain(result), strict=True))
    high = next(s for s in result.signals if s.rule == "shift" and s.direction == "up")
    assert high.points == tuple(range(9))
    assert "lies in the baseline period, before the change" in lines[high]
    assert WORSE not in lines[high]
    # the low run goes on after the baseline: it is read as a change, as before
    low = next(s for s in result.signals if s.rule == "shift" and s.direction == "down")
    assert max(low.points) >= 20
    assert "Likely a real improvement" in lines[low]


def test_a_baseline_with_phases_says_plainly_that_it_is_not_used() -> None:
    result = analyse(HIGH + LOW, freeze=4, parts=[8])
    assert result.warnings[0] == (
        "The baseline period is not used because the chart has phases: each phase's "
        "centre line and limits come from its own points."
    )
    assert not any("freeze" in w for w in result.warnings)


def test_the_demo_baseline_is_not_called_a_change_for_the_worse(tmp_path: Path) -> None:
    root = create_project(tmp_path, "Rib fracture pathway", template="example", folder_name="rib")
    code, out, err = run(CliRunner(), "chart", "time-to-physio", "-p", str(root))
    assert code == 0, err
    text = " ".join(out.split())
    assert "Shift: 15 points in a row above the median from 2026-01-05 to 2026-04-13" in text
    assert WORSE not in text
    assert "where the process started, before the improvement that follows" in text


def test_the_charts_do_not_mark_the_starting_level_as_a_concern(tmp_path: Path) -> None:
    root = create_project(tmp_path, "Rib fracture pathway", template="example", folder_name="rib")
    analysis = analyse_measure(load_project(root), "time-to-physio")
    svg = svg_for(analysis)
    assert f'fill="{CONCERN}"' not in svg  # no concern square, point or key
    assert svg.count(f'fill="{NEUTRAL}"') == 15 + 1  # the 15 points, and the key's swatch
    coloured = draw_chart(analysis, width=80, colour=True)
    concern = plt.colorize("◆", COLOURS["concern"])
    assert concern.split("◆")[0] not in coloured  # no signal point in the concern colour
