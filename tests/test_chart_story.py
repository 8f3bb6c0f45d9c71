"""Charts that tell the whole story: events, targets that change over time, the values
of the lines at the right edge, and the rules a measure chooses (issue 19, part 1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.chart_settings import target_line
from qi_cli.errors import QiError
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.measure_model import Measure
from qi_cli.project_model import Aim
from qi_cli.render.chart import chart_page, draw_chart
from qi_cli.render.chart_frame import BACKGROUND, BACKGROUND_OFF, SHADE, strip_ansi
from qi_cli.render.svg import svg_for
from tests.conftest import WriteProject, run, weekly_csv
from tests.goldens import check_golden

WAIT_BASE = """\
name: Minutes to first review
kind: process
data_type: continuous
direction: decrease
frequency: weekly
definition:
  unit: minutes
"""
WAITS = [40, 44, 38, 42, 41, 39, 43, 40, 30, 28, 31, 27, 29, 30, 26, 28, 27, 29, 25, 26]
STEPS = """\
target:
  - from: 2026-01-05
    value: 40
  - from: 2026-03-02  # week 9: the second step
    value: 33
  - from: 2026-04-27
    value: 25
"""
TRAJECTORY = """\
target:
  trajectory:
    from: 2026-01-05
    value: 45
    to: 25
    by: 2026-05-18
"""
EVENTS = """\
events:
  - date: 2026-02-02
    text: New EPR went live
    kind: system_change
  - date: 2026-03-02
    text: Two nurses left the ward
    kind: staffing
    measures: [wait]
  - date: 2026-03-09
    text: Flu outbreak
    kind: external_event
    measures: [falls]
"""


def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def _measure(extra: str) -> Measure:
    import yaml

    return Measure.model_validate(yaml.safe_load(WAIT_BASE + extra))


DATES = [dt.date(2026, 1, 5) + dt.timedelta(weeks=k) for k in range(20)]


def test_a_stepped_target_holds_each_value_from_its_date() -> None:
    targets, kind = target_line("wait", _measure(STEPS), DATES)
    assert kind == "steps"
    assert targets[:8] == (40,) * 8  # 2026-01-05 .. 2026-02-23
    assert targets[8:16] == (33,) * 8  # from 2026-03-02
    assert targets[16:] == (25,) * 4  # from 2026-04-27


def test_a_trajectory_is_a_straight_line_to_its_end_date() -> None:
    targets, kind = target_line("wait", _measure(TRAJECTORY), DATES)
    assert kind == "trajectory"
    span = _days("2026-01-05", "2026-05-18")  # 133 days, 19 weeks
    assert span == 133
    # week k: 45 − 20 × 7k / 133
    for k in (0, 1, 7, 18):
        assert targets[k] == pytest.approx(45 - 20 * 7 * k / 133)
    assert targets[19] == 25  # 2026-05-18: reached, and held after


def test_a_trajectory_without_an_end_takes_the_aims_target_date() -> None:
    measure = _measure(TRAJECTORY.replace("    by: 2026-05-18\n", ""))
    aim = Aim(statement="Cut waits", target_date=dt.date(2026, 3, 2))
    targets, _ = target_line("wait", measure, DATES, aim)
    assert targets[4] == pytest.approx(45 - 20 * 28 / 56)  # half way: 35
    assert targets[8:] == (25,) * 12
    with pytest.raises(QiError, match="no end date"):
        target_line("wait", measure, DATES)


def test_the_aims_target_is_the_outcome_measures_default() -> None:
    aim = Aim(statement="Cut waits", outcome_measure="wait", target=20)
    assert target_line("wait", _measure(""), DATES[:2], aim) == ((20, 20), "aim")
    assert target_line("other", _measure(""), DATES[:2], aim) == ((None, None), "none")
    # the measure's own target wins
    assert target_line("wait", _measure("target: 30\n"), DATES[:1], aim) == ((30,), "fixed")


@pytest.fixture
def story(write_project: WriteProject) -> Path:
    return write_project(
        {
            "measures/wait.yaml": WAIT_BASE + STEPS,
            "measures/wait.csv": weekly_csv(WAITS),
            "measures/slope.yaml": WAIT_BASE.replace("Minutes", "Slope minutes")
            + "chart: i\n"
            + TRAJECTORY,
            "measures/slope.csv": weekly_csv(WAITS),
            "events.yaml": EVENTS,
        }
    )


def test_latest_is_judged_against_the_target_in_force(story: Path) -> None:
    analysis = analyse_measure(load_project(story), "wait")
    assert analysis.series.target == 25
    assert analysis.result.target == 25  # what the statistics (assurance) see
    text = chart_page(analysis, width=200)
    # the last value, 26, misses the 25 in force now (it met the 33 of March)
    assert "does not meet the target yet of 25 minutes, the target then in force" in text
    assert "═ stepped target" in text


def test_mdc_assurance_uses_the_target_in_force_at_the_end(write_project: WriteProject) -> None:
    # 12 points alternating 9, 11: mean 10, limits 10 ± 2.66 × 2 = 4.68 to 15.32. A first
    # target of 20 lies above the upper limit (lower is better: always met, "pass"); the
    # target in force at the end, 3, lies below the lower limit: never met, "fail".
    root = write_project(
        {
            "measures/m.yaml": WAIT_BASE
            + "method: mdc\ntarget:\n  - from: 2026-01-05\n    value: 20\n"
            "  - from: 2026-03-02\n    value: 3\n",
            "measures/m.csv": weekly_csv([9, 11] * 6),
        }
    )
    result = analyse_measure(load_project(root), "m").result
    assert result.groups[-1].upl == pytest.approx(15.32)
    assert result.assurance_type == "consistent_fail"


def test_mdc_assurance_after_a_rebase_uses_the_new_limits(write_project: WriteProject) -> None:
    # NHSRplotthedots issue 172: 20 points alternating 58, 62 (mean 60, moving range 4,
    # limits 60 ± 2.66 × 4 = 49.36 to 70.64: a target of 90 is never met, "fail"); a
    # rebase, then 10 points alternating 85, 95 (mean 90, limits 90 ± 26.6 = 63.4 to
    # 116.6): the target lies between the new limits, so assurance is "inconsistent".
    root = write_project(
        {
            "measures/m.yaml": WAIT_BASE.replace("decrease", "increase")
            + "method: mdc\ntarget: 90\nphases:\n  - date: 2026-05-25\n    reason: new rota\n",
            "measures/m.csv": weekly_csv([58, 62] * 10 + [85, 95] * 5),
        }
    )
    result = analyse_measure(load_project(root), "m").result
    first, last = result.groups
    assert (first.lpl, first.upl) == (pytest.approx(49.36), pytest.approx(70.64))
    assert (last.lpl, last.upl) == (pytest.approx(63.4), pytest.approx(116.6))
    assert result.assurance_type == "inconsistent"


def test_events_are_drawn_listed_and_in_json(story: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "chart", "wait", "-p", str(story), "--width", "100")
    assert code == 0, err
    lines = out.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    labels = " ".join(lines[1:top])
    assert "E1" in labels and "E2" in labels and "E3" not in labels  # the flu is for falls
    assert any("╎" in line for line in lines[top:])
    assert "╎ E1 2026-02-02 system change: New EPR went live" in out
    assert "╎ E2 2026-03-02 staffing: Two nurses left the ward" in out
    assert "Flu outbreak" not in out
    code, out, _ = run(runner, "chart", "wait", "-p", str(story), "--json")
    data = json.loads(out)
    assert [e["label"] for e in data["events"]] == ["E1", "E2"]
    assert data["events"][1] == {
        "label": "E2",
        "date": "2026-03-02",
        "text": "Two nurses left the ward",
        "kind": "staffing",
    }
    assert [p["target"] for p in data["points"]][7:9] == [40, 33]
    assert data["rules"] == {"shift": "by n", "trend": False}
    falls = json.loads(run(runner, "chart", "falls", "-p", str(story), "--json")[1])
    assert [e["text"] for e in falls["events"]] == ["New EPR went live", "Flu outbreak"]


def test_events_in_the_svg_chart(story: Path) -> None:
    svg = svg_for(analyse_measure(load_project(story), "wait"))
    assert 'class="ann">E1</text>' in svg and 'class="ann">E2</text>' in svg
    assert "event E" in svg


def test_event_text_is_escaped_in_svg(write_project: WriteProject) -> None:
    root = write_project(
        {"events.yaml": "events:\n  - date: 2026-02-02\n    text: <b>EPR</b> & more\n"}
    )
    analysis = analyse_measure(load_project(root), "falls")
    assert analysis.series.events[0].text == "<b>EPR</b> & more"
    assert "<b>" not in svg_for(analysis)


def test_a_phase_names_an_event_as_its_reason(write_project: WriteProject) -> None:
    root = write_project(
        {
            "measures/wait.yaml": WAIT_BASE
            + "phases:\n  - date: 2026-03-02\n    event: 2026-03-02\n",
            "measures/wait.csv": weekly_csv(WAITS),
            "events.yaml": EVENTS,
        }
    )
    text = chart_page(analyse_measure(load_project(root), "wait"), width=100)
    assert "│ phase 2 from 2026-03-02: Two nurses left the ward (event E2)" in text


def test_labelled_lines_at_the_right_edge(write_project: WriteProject) -> None:
    # I chart of 1, 3, 1, 3 …: mean 2, every moving range 2, limits 2 ± 2.66 × 2
    root = write_project(
        {
            "measures/m.yaml": WAIT_BASE + "chart: i\ntarget: 6\n",
            "measures/m.csv": weekly_csv([1, 3] * 8),
        }
    )
    text = chart_page(analyse_measure(load_project(root), "m"), width=80)
    rows = {line.rsplit("│ ", 1)[1]: line for line in text.splitlines() if "│ " in line[-14:]}
    assert set(rows) == {"UCL 7.32", "mean 2", "LCL -3.32", "target 6"}
    assert "┄┄┄" in rows["UCL 7.32"] and "┄┄┄" in rows["LCL -3.32"]
    assert "───" in rows["mean 2"] and "═══" in rows["target 6"]
    assert all(len(line) <= 80 for line in text.splitlines())


def test_rule_settings_are_validated_with_positions(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {"measures/wait.yaml": WAIT_BASE + "rules:\n  shift: 5\n  trend: on\n  two_of_three: 1\n"}
    )
    code, out, err = run(runner, "validate", str(root))
    assert code == 1
    text = out + err
    assert "measures/wait.yaml:9:10: error: rules.shift: '5' is not allowed here" in text
    assert "choose one of: 6, 7, 8 or 'by n'" in text
    assert "measures/wait.yaml:10:10: error: rules.trend: 'on' is not true or false" in text
    assert "measures/wait.yaml:11:17: error: rules.two_of_three:" in text


def test_target_steps_are_validated_with_positions(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {"measures/wait.yaml": WAIT_BASE + STEPS.replace("value: 33", "valeu: 33")}
    )
    code, out, err = run(runner, "validate", str(root))
    assert code == 1
    text = out + err
    assert "measures/wait.yaml:11:5: error: target[2]: missing required key 'value'" in text
    assert "measures/wait.yaml:12:5: error: unknown key 'valeu'" in text
    root = write_project(
        {"measures/wait.yaml": WAIT_BASE + STEPS.replace("2026-04-27", "2026-02-02")}
    )
    code, out, err = run(runner, "validate", str(root))
    assert code == 1
    assert (
        "measures/wait.yaml:13:11: error: target[3].from: steps must be in date order" in out + err
    )


def test_the_report_names_the_rules_in_force(write_project: WriteProject) -> None:
    root = write_project(
        {
            "measures/wait.yaml": WAIT_BASE
            + "method: mdc\nrules:\n  shift: 8\n  two_of_three: false\n",
            "measures/wait.csv": weekly_csv(WAITS),
        }
    )
    text = chart_page(analyse_measure(load_project(root), "wait"), width=100)
    assert "Rules: shift 8 points in a row, trend on, two of three off." in text


def test_event_add_keeps_comments_and_checks_input(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project()
    code, _out, err = run(
        runner, "event", "add", "2026-02-02", "New EPR", "--kind", "System change", "-p", str(root)
    )
    assert code == 0, err
    text = (root / "events.yaml").read_text(encoding="utf-8")
    assert "  - date: 2026-02-02\n    text: New EPR\n    kind: system_change\n" in text
    (root / "events.yaml").write_text(text + "# keep me\n", encoding="utf-8")
    code, _, err = run(
        runner, "event", "add", "2026-03-09", "Flu", "-k", "external event", "-m", "falls",
        "-p", str(root),
    )  # fmt: skip
    assert code == 0, err
    text = (root / "events.yaml").read_text(encoding="utf-8")
    assert "# keep me" in text and "    measures:\n      - falls\n" in text
    assert [e.text for e in load_project(root).events.events] == ["New EPR", "Flu"]  # type: ignore[union-attr]
    code, _, err = run(runner, "event", "add", "2026-03-09", "X", "-k", "weather", "-p", str(root))
    assert code == 2 and "--kind: 'weather' is not a kind of event" in err
    code, _, err = run(runner, "event", "add", "2026-03-09", "X", "-m", "fals", "-p", str(root))
    assert code == 1 and "no measure 'fals' for --measure" in err and "did you mean 'falls'" in err
    code, _, err = run(runner, "event", "add", "2026-02-30", "X", "-p", str(root))
    assert code == 2 and "DATE" in err
    code, _, err = run(runner, "event", "add", "2026-03-09", "Flu", "-m", "falls", "-p", str(root))
    assert code == 1 and "already has this event" in err
    assert "Traceback" not in err


def test_a_broken_events_file_is_reported_with_its_position(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"events.yaml": "events:\n  - date: 2026-02-02\n    txt: EPR\n"})
    code, out, err = run(runner, "validate", str(root))
    assert code == 1
    text = out + err
    assert "events.yaml:2:5: error: events[1]: missing required key 'text'" in text
    assert "events.yaml:3:5: error: unknown key 'txt'" in text


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("measure", ["wait", "slope"])
def test_golden_story_charts(
    story: Path, measure: str, width: int, request: pytest.FixtureRequest
) -> None:
    analysis = analyse_measure(load_project(story), measure)
    text = chart_page(analysis, width=width, height=20, colour=False)
    check_golden(f"charts/story-{measure}-{width}.txt", text, request)


def test_a_phase_event_must_exist(write_project: WriteProject, runner: CliRunner) -> None:
    phase = "phases:\n  - date: 2026-03-02\n    event: 2026-03-03\n"
    root = write_project({"measures/wait.yaml": WAIT_BASE + phase, "events.yaml": EVENTS})
    code, out, err = run(runner, "validate", str(root))
    assert code == 1
    assert "measures/wait.yaml:10:12: error: phases[1].event: no event on 2026-03-03" in out + err
    assert "Q205" not in out + err  # the event is the phase's reason


def test_the_baseline_period_is_marked_under_the_terminal_chart(
    write_project: WriteProject,
) -> None:
    # 16 weekly points, the first 8 the baseline: the bracket ends half-way across
    root = write_project(
        {
            "measures/m.yaml": WAIT_BASE + "chart: i\nbaseline:\n  points: 8\n",
            "measures/m.csv": weekly_csv([1, 3] * 8),
        }
    )
    lines = chart_page(analyse_measure(load_project(root), "m"), width=80).splitlines()
    frame = next(line for line in lines if "┌" in line)
    left, right = frame.index("┌"), frame.index("┐")
    bracket = next(line for line in lines if "╰" in line and "baseline" in line)
    assert bracket.index("╰") <= left + 2
    assert abs(bracket.index("╯") - (left + (right - left) / 2)) <= 2
    assert "╰─╯ baseline" in "\n".join(lines)
    # limits from every point: no bracket
    root = write_project(
        {"measures/m.yaml": WAIT_BASE + "chart: i\n", "measures/m.csv": weekly_csv([1, 3] * 8)},
        name="all",
    )
    text = chart_page(analyse_measure(load_project(root), "m"), width=80)
    assert "baseline" not in text


def _band(lines: list[str]) -> tuple[list[str], int, int]:
    """The rows inside the frame, and the columns of the baseline bracket under it."""
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    bracket = next(line for line in lines if "╰" in line)
    return lines[top + 1 : bottom], bracket.index("╰"), bracket.index("╯")


def test_the_baseline_period_is_shaded_in_the_terminal_chart(
    write_project: WriteProject,
) -> None:
    # 16 weekly points, the first 8 the baseline; values 1 and 3, so most cells are empty
    root = write_project(
        {
            "measures/m.yaml": WAIT_BASE + "chart: i\nbaseline:\n  points: 8\n",
            "measures/m.csv": weekly_csv([1, 3] * 8),
        }
    )
    analysis = analyse_measure(load_project(root), "m")
    # colour off: a light dot in every other empty column over the baseline, none after
    plain = draw_chart(analysis, width=80, height=20, colour=False).splitlines()
    rows, start, end = _band(plain)
    assert len(rows) == 17
    for row in rows:
        shaded = {k for k, c in enumerate(row) if c == SHADE}
        even = {k for k in range(start, end + 1) if k % 2 == 0}
        # every even column of the band is a dot, unless a mark or a line is there
        assert all(k in shaded or row[k] not in " " for k in even), row
        assert shaded <= even  # nothing outside the band, nothing on odd columns
    assert sum(row.count(SHADE) for row in rows) > 100
    # colour on: no dots, a grey background over exactly those columns
    coloured = draw_chart(analysis, width=80, height=20, colour=True).splitlines()
    assert SHADE not in strip_ansi("\n".join(coloured))
    top = next(i for i, line in enumerate(plain) if "┌" in line)
    for line in coloured[top + 1 : top + 1 + len(rows)]:
        before, _, after = line.partition(BACKGROUND)
        assert len(strip_ansi(before)) == start  # the band starts at the bracket
        inside = after.split(BACKGROUND_OFF)[0]
        assert len(strip_ansi(inside)) == end - start + 1


def test_events_are_listed_under_the_html_chart_escaped(
    write_project: WriteProject, runner: CliRunner
) -> None:
    events = EVENTS.replace("New EPR went live", "<b>EPR</b> & co")
    root = write_project({"events.yaml": events})
    code, out, err = run(runner, "report", str(root), "--format", "html")
    assert code == 0, err
    assert "E1 2026-02-02 system change: &lt;b&gt;EPR&lt;/b&gt; &amp; co" in out
    assert "E2 2026-03-09 external event: Flu outbreak" in out  # falls: E1 and the flu
    assert "<b>EPR" not in out
