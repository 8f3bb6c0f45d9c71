"""series: a measure and its rows as stats inputs (gaps, baseline, phases, exclusions)."""

from __future__ import annotations

import datetime as dt
import statistics
from pathlib import Path

import pytest

from qi_cli.cycle_model import Cycle
from qi_cli.errors import QiError, UsageError
from qi_cli.files.csv_cells import DataRow
from qi_cli.files.loaded import LoadedCycle
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import analyse_measure
from qi_cli.measure_model import Measure
from qi_cli.series import build_series, resolve_chart
from qi_cli.validate import validate_project
from tests.conftest import WriteProject, weekly_csv

MONDAY = dt.date(2026, 1, 5)


def week(k: int) -> dt.date:
    return MONDAY + dt.timedelta(weeks=k)


def rows(values: list[float | None], skip: tuple[int, ...] = ()) -> list[DataRow]:
    return [DataRow(week(k), v, line=k + 2) for k, v in enumerate(values) if k not in skip]


def measure(**fields: object) -> Measure:
    data: dict[str, object] = {"name": "LOS", "kind": "outcome", "data_type": "continuous"}
    data.update(fields)
    return Measure.model_validate(data)


@pytest.mark.parametrize(
    ("data_type", "chart"),
    [
        ("proportion", "p"),
        ("rate", "u"),
        ("count", "c"),
        ("continuous", "run"),
        ("subgroups", "xbar"),
        ("time_between", "t"),
        ("cases_between", "g"),
    ],
)
def test_chart_follows_data_type(data_type: str, chart: str) -> None:
    assert resolve_chart(measure(data_type=data_type)) == (chart, "anhoej")


def test_method_decides_chart_unless_set_explicitly() -> None:
    assert resolve_chart(measure(), "mdc") == ("i", "mdc")
    assert resolve_chart(measure(chart="i"), "ihi") == ("run", "ihi")
    with pytest.raises(UsageError, match="draws XmR"):
        resolve_chart(measure(), "mdc", "run")
    with pytest.raises(UsageError, match="needs a proportion or rate"):
        resolve_chart(measure(), None, "p")
    with pytest.raises(QiError, match="sets chart: c"):
        resolve_chart(measure(data_type="count", chart="c", method="mdc"))


def test_missing_week_is_a_gap_never_a_zero() -> None:
    # weeks 0..5 with week 3 missing from the file
    series = build_series("los", measure(chart="i"), rows([2, 4, 6, 99, 8, 10], skip=(3,)))
    assert series.point_dates == tuple(week(k) for k in range(6))
    assert series.values == (2, 4, 6, None, 8, 10)
    assert series.gaps == (False, False, False, True, False, False)
    result = series.analyse()
    assert result.points[3].y is None
    # hand calculation: mean of the 5 present values, not of 6 with a zero
    assert result.points[0].cl == pytest.approx(statistics.mean([2, 4, 6, 8, 10]))
    assert any("1 missing week shown as a gap" in n for n in series.notes)


def test_baseline_until_and_points_give_freeze() -> None:
    values: list[float | None] = [10, 12, 11, 13, 20, 21, 22, 23]
    by_date = build_series("los", measure(chart="i", baseline={"until": week(3)}), rows(values))
    by_points = build_series("los", measure(chart="i", baseline={"points": 4}), rows(values))
    assert by_date.freeze == by_points.freeze == 4
    result = by_date.analyse()
    # centre line from the 4 baseline points only: (10+12+11+13)/4
    assert result.points[-1].cl == pytest.approx(11.5)
    assert [p.baseline for p in result.points] == [True] * 4 + [False] * 4


def test_phases_become_parts_and_rebase() -> None:
    values: list[float | None] = [5, 6, 5, 6, 9, 10, 9, 10]
    phases = [
        {"date": week(4), "reason": "adopted"},
        {"date": week(0), "reason": "before the data: ignored"},
    ]
    series = build_series("los", measure(chart="i", phases=phases), rows(values))
    assert series.parts == (4,)
    result = series.analyse()
    assert result.points[0].cl == pytest.approx(5.5)
    assert result.points[-1].cl == pytest.approx(9.5)
    mdc = build_series("los", measure(method="mdc", phases=phases), rows(values))
    assert mdc.rebase == (0, 4)
    assert mdc.parts == ()
    assert mdc.analyse().points[-1].cl == pytest.approx(9.5)


def test_phase_on_a_gap_starts_at_the_gap() -> None:
    series = build_series(
        "los",
        measure(chart="i", phases=[{"date": week(2) + dt.timedelta(days=2)}]),
        rows([1, 2, 3, 4, 5], skip=(2,)),
    )
    # the phase starts on Wednesday of the missing week: the first point after is week 3
    assert series.phases[0].index == 3


def test_exclusions_from_yaml_and_csv_column() -> None:
    data = rows([10, 11, 50, 12, 11, 10])
    data[4] = DataRow(week(4), 11, exclude="audit week", line=6)
    series = build_series(
        "los", measure(chart="i", exclude=[{"date": week(2), "reason": "IT outage"}]), data
    )
    assert series.excluded == (False, False, True, False, True, False)
    result = series.analyse()
    assert [p.excluded for p in result.points] == list(series.excluded)
    # excluded points leave the centre line: mean of 10, 11, 12, 10
    assert result.points[0].cl == pytest.approx(10.75)
    assert result.points[2].y == 50  # still plotted


def test_mdc_exclusion_is_left_out_but_drawn() -> None:
    values: list[float | None] = [10, 11, 50, 12, 11, 10]
    series = build_series(
        "los", measure(method="mdc", exclude=[{"date": week(2), "reason": "x"}]), rows(values)
    )
    assert series.values[2] is None
    assert series.point_value(2) == 50
    assert series.analyse().points[0].cl == pytest.approx(statistics.mean([10, 11, 12, 11, 10]))


def test_mdc_baseline_needs_twelve_points() -> None:
    values: list[float | None] = [float(v) for v in range(20)]
    short = build_series("los", measure(method="mdc", baseline={"points": 8}), rows(values))
    assert short.fix_after_n_points is None
    assert any("12 or more" in n for n in short.notes)
    long = build_series("los", measure(method="mdc", baseline={"points": 12}), rows(values))
    assert long.fix_after_n_points == 12
    assert long.analyse().points[0].cl == pytest.approx(statistics.mean(range(12)))


def test_date_range_filters_points_and_cycles() -> None:
    cycle_in = LoadedCycle(
        "c1",
        Path("c1.yaml"),
        Cycle.model_validate({"change": "x", "measures": ["los"], "plan": {"start": week(3)}}),
        1,
    )
    cycle_out = LoadedCycle(
        "c2",
        Path("c2.yaml"),
        Cycle.model_validate({"change": "x", "measures": ["los"], "plan": {"start": week(9)}}),
        2,
    )
    series = build_series(
        "los",
        measure(),
        rows([1, 2, 3, 4, 5, 6, 7, 8]),
        [cycle_in, cycle_out],
        start=week(2),
        end=week(5),
    )
    assert series.point_dates == (week(2), week(3), week(4), week(5))
    assert [c.number for c in series.cycles] == [1]


def test_proportion_uses_denominators() -> None:
    data = [DataRow(week(k), v, d) for k, (v, d) in enumerate([(5, 10), (6, 12), (3, 4)])]
    series = build_series("p", measure(data_type="proportion", multiply=100), data)
    result = series.analyse()
    assert series.chart == "p"
    assert result.points[2].y == pytest.approx(75)
    # p chart centre line = sum(y)/sum(n) = 14/26, as percent
    assert result.points[0].cl == pytest.approx(1400 / 26)


def test_subgroups_one_point_per_date() -> None:
    data = [
        DataRow(week(0), 4),
        DataRow(week(0), 6),
        DataRow(week(1), 5),
        DataRow(week(1), 7),
        DataRow(week(3), 6),
        DataRow(week(3), 8),
    ]
    series = build_series("s", measure(data_type="subgroups"), data)
    result = series.analyse()
    assert series.chart == "xbar"
    assert len(result.points) == 4  # weeks 0, 1, 3 and the missing week 2
    assert [p.y for p in result.points] == [5, 6, None, 7]


def test_analyse_measure_links_cycles_and_labels(write_project: WriteProject) -> None:
    root = write_project()
    analysis = analyse_measure(load_project(root), "falls")
    assert [c.number for c in analysis.series.cycles] == [1]
    assert analysis.series.cycles[0].date == dt.date(2026, 2, 2)
    assert analysis.labels[0] == "2026-01-05"
    data = analysis.to_dict()
    assert data["points"][0]["date"] == "2026-01-05"  # type: ignore[index]
    assert data["cycles"] == [
        {
            "number": 1,
            "id": "2026-02-02-night-lights-a1b2",
            "change": "night-lights",
            "changes": ["night-lights"],
            "date": "2026-02-02",
        }
    ]
    # the restraint measure is not in the cycle's measures: no marks
    assert analyse_measure(load_project(root), "restraint").series.cycles == ()


def test_analyse_measure_refuses_unknown_or_broken(write_project: WriteProject) -> None:
    root = write_project({"measures/restraint.csv": "date,value\n2026-01-05,abc\n"})
    project = load_project(root)
    with pytest.raises(QiError, match="no measure 'fall'") as unknown:
        analyse_measure(project, "fall")
    assert "did you mean 'falls'" in (unknown.value.hint or "")
    with pytest.raises(QiError, match="not a number") as info:
        analyse_measure(project, "restraint")
    assert info.value.line == 2


def test_weekly_csv_fixture_round_trip(write_project: WriteProject) -> None:
    root = write_project({"measures/restraint.csv": weekly_csv([1, 2, 3])})
    analysis = analyse_measure(load_project(root), "restraint")
    assert [p.y for p in analysis.result.points] == [1, 2, 3]
    assert analysis.result.points[0].cl == pytest.approx(2)


def test_missing_week_warns_in_validate_and_gaps_in_chart(write_project: WriteProject) -> None:
    csv = weekly_csv([4, 5, 3, 4, 6])
    lines = csv.splitlines()
    del lines[3]  # 2026-01-19 is missing
    root = write_project({"measures/restraint.csv": "\n".join(lines) + "\n"})
    project = load_project(root)
    gaps = [i for i in validate_project(project) if i.code == "Q302"]
    assert [(i.severity, i.line) for i in gaps] == [("warning", 4)]
    series = analyse_measure(project, "restraint").series
    assert series.gaps == (False, False, True, False, False)
    assert series.values[2] is None


@pytest.mark.parametrize("frequency", ["daily", "weekly", "monthly", "quarterly"])
def test_a_date_typed_in_year_9999_is_a_note_not_a_crash(frequency: str) -> None:
    data = [*rows([5.0, 6.0, 5.5]), DataRow(dt.date(9999, 12, 31), 6.0, line=5)]
    linked = LoadedCycle("c1", Path("cycles/c1.yaml"), Cycle(change="x", created=week(1)), 1)
    series = build_series("los", measure(frequency=frequency), data, [linked])
    assert series.point_dates[-1] == dt.date(9999, 12, 31)
    assert len(series.point_dates) < 1000  # the long gap is not drawn period by period
    assert any("too many to draw as gaps" in note for note in series.notes)


def test_rows_out_of_order_or_with_a_gap_read_as_the_same_points() -> None:
    values: list[float | None] = [10, 12, 11, 13, 20, 21, 22, 23]
    chosen = measure(
        method="mdc",
        baseline={"until": week(3) + dt.timedelta(days=2)},  # a Wednesday: 4 points before
        phases=[{"date": week(9), "reason": "after the last point: ignored"}],
        exclude=[{"date": week(5), "reason": "audit"}],
    )
    in_order = build_series("los", chosen, rows(values))
    shuffled = build_series("los", chosen, list(reversed(rows(values))))
    assert shuffled == in_order
    assert in_order.values == (10, 12, 11, 13, 20, None, 22, 23)  # mdc leaves 21 out
    assert in_order.excluded_values[5] == 21 and in_order.phases == ()
    assert in_order.fix_after_n_points is None  # 4 baseline points: too few to fix (12)
    gap = build_series("los", chosen, list(reversed(rows(values, skip=(1,)))))
    assert gap.values == (10, None, 11, 13, 20, None, 22, 23)
    assert gap.gaps == (False, True, False, False, False, False, False, False)
    assert gap.excluded_values[5] == 21
