"""Missing values: what each chart does with a row that has no value.

The expected numbers are worked by hand in the comments, from the reference semantics:
qicharts2 0.8.1 (`qic` blanks `y` and `n` of a row that is not complete, so the row
adds nothing to the centre line and gets no limits) and NHSRplotthedots 0.2.2
(`ptd_spc` keeps a missing row in its group: it counts in `n`, has the point type
"common_cause" and breaks runs of consecutive rows).
"""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from qi_cli.stats import ChartResult, StatsError, analyse
from qi_cli.stats.prepare import scaled
from tests.conftest import WriteProject, run, weekly_csv

# the field test's case: y = [1, 2, NA, 4, 5, 2, 3, 1, 2, 3], n = 10 each
Y: list[float | None] = [1, 2, None, 4, 5, 2, 3, 1, 2, 3]
N: list[float] = [10] * 10
GAP = 2
# p̄ = Σy / Σn over the rows with a value = 23 / 90
P_BAR = 23 / 90
# ratios of the present rows: .1 .2 | .4 .5 .2 .3 .1 .2 .3; moving ranges that do not
# touch the gap: .1, then .1 .3 .1 .2 .1 .1 → MR̄ = 1.0 / 7 (none is ≥ 3.267·MR̄)
LANEY_HALF_WIDTH = 3 * (1.0 / 7) / 1.128  # 3·σ_i·σ_z = 3·MR̄(p)/1.128


def approx(value: float | None, expected: float) -> bool:
    return value is not None and math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize(
    ("chart", "ucl"),
    [
        ("p", P_BAR + 3 * math.sqrt(P_BAR * (1 - P_BAR) / 10)),  # 0.669346
        ("u", P_BAR + 3 * math.sqrt(P_BAR / 10)),
        ("pp", P_BAR + LANEY_HALF_WIDTH),
        ("up", P_BAR + LANEY_HALF_WIDTH),
    ],
)
def test_a_missing_numerator_has_no_denominator_and_no_limits(chart: str, ucl: float) -> None:
    r = analyse(Y, chart=chart, denominators=N)
    gap = r.points[GAP]
    assert (gap.y, gap.n, gap.lcl, gap.ucl, gap.lcl_2s, gap.ucl_2s) == (None,) * 6
    others = [p for p in r.points if p.index != GAP]
    assert all(p.n == 10 for p in others)
    assert all(approx(p.cl, P_BAR) for p in r.points)  # the centre line runs on
    assert all(approx(p.ucl, ucl) and p.lcl == 0 for p in others)  # p̄ − 3σ < 0 → 0


def test_a_missing_numerator_on_a_run_chart_with_denominators() -> None:
    r = analyse(Y, chart="run", denominators=N)
    assert [p.n for p in r.points] == [10, 10, None, 10, 10, 10, 10, 10, 10, 10]
    # median of .1 .1 .2 .2 .2 .3 .3 .4 .5
    assert all(approx(p.cl, 0.2) for p in r.points)


def test_the_single_row_path_agrees_with_the_grouped_path() -> None:
    single = analyse(Y, chart="p", denominators=N)
    grouped = analyse(Y, chart="p", denominators=N, subgroups=list(range(10)))
    assert single.to_dict() == grouped.to_dict()


def test_a_missing_denominator_drops_the_numerator_too() -> None:
    r = analyse([1, 2, 3, 4], chart="p", denominators=[10, None, 10, 10])
    assert (r.points[1].y, r.points[1].n, r.points[1].ucl) == (None, None, None)
    assert approx(r.points[0].cl, 8 / 30)


# --- Making Data Count (NHSRplotthedots 0.2.2) ----------------------------------------


def mdc(values: list[float | None], **kwargs: object) -> ChartResult:
    return analyse(values, chart="i", method="mdc", **kwargs)  # type: ignore[arg-type]


def test_mdc_a_missing_last_point_is_common_cause_and_counts_in_n() -> None:
    # the field test's case, direction increase
    y: list[float | None] = [10, 11, 10, 12, 10, 11, 10, 11, 10, 30, None]
    r = mdc(y, direction="increase")
    # mean of the 10 values = 125/10 = 12.5; moving ranges 1 1 2 2 1 1 1 1 20: MR̄ = 30/9,
    # 20 ≥ 3.267·30/9 = 10.89 is screened out → MR̄ = 10/8 = 1.25
    group = r.groups[0]
    assert approx(group.mean, 12.5) and approx(group.upl, 12.5 + 2.66 * 1.25)
    assert approx(group.lpl, 12.5 - 2.66 * 1.25)
    # 30 > 15.825: above the upper limit, an improvement; the missing row matches no rule
    assert r.points[9].point_type == "special_cause_improvement"
    assert (r.points[10].point_type, r.points[10].special_cause) == ("common_cause", None)
    # n counts every row (dplyr's n()); common cause = n − flagged = 11 − 10: the first
    # nine are below the mean, the 10s close to the lower limit (below 12.5 − 2.2167)
    assert group.n == 11
    assert (group.common_cause, group.special_cause_improvement) == (1, 1)
    assert group.special_cause_concern == 9
    # the variation icon comes from the last row, as ptd_spc's summary takes it
    assert (group.variation_type, r.variation_icon) == ("common_cause", "common_cause")
    assert any(w.startswith("The last point has no value") for w in r.warnings)
    assert not any("no value" in w for w in mdc(y[:-1], direction="increase").warnings)


def test_mdc_a_group_of_thirteen_rows_with_one_missing_is_not_short() -> None:
    y: list[float | None] = [1, 2, 1.5, 2.5, 1, 2, 1.5, 2.5, 1, 2, None, 1.5, 2]
    r = mdc(y)
    assert r.groups[0].n == 13  # ptd_add_short_group_warnings: n() < 13, rows
    assert not any("provisional" in w for w in r.warnings)
    short = mdc(y[:-1])
    assert short.groups[0].n == 12
    assert "Limits are provisional: the group has 12 points; 13 or more" in short.warnings[0]


def test_mdc_a_missing_row_breaks_a_shift() -> None:
    # 9s above the mean, 1s below; rows 3–5 and 7–10 are above, row 6 is missing: seven
    # points above the mean, but not seven consecutive rows (ptd_seven_point_one_side_mean
    # compares each row with the 6 rows before it, and NA never equals)
    y: list[float | None] = [1, 9, 1, 9, 9, 9, None, 9, 9, 9, 9, 1, 9, 1]
    assert [s.rule for s in mdc(y).signals] == []
    filled = mdc([9 if v is None else v for v in y])
    assert [(s.rule, s.points) for s in filled.signals] == [("shift", (3, 4, 5, 6, 7, 8, 9, 10))]


def test_mdc_a_missing_row_breaks_a_two_of_three_window() -> None:
    # mean 95/16 = 5.9375; moving ranges nine 1s, 0, 2.5, 2.5, 1, 1 (none next to the
    # gap): MR̄ = 16/14; near upper limit 5.9375 + (2·2.66/3)·8/7 = 7.964, upper 8.9775.
    # Rows 11 and 13 (8.5) are close to the upper limit, row 12 is missing: no window of
    # three consecutive rows holds two close points.
    y: list[float | None] = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 6, 8.5, None, 8.5, 6, 5, 6]
    r = mdc(y)
    assert approx(r.groups[0].mean, 95 / 16) and approx(r.groups[0].upl, 95 / 16 + 2.66 * 8 / 7)
    assert [s.rule for s in r.signals] == []


def test_mdc_a_missing_row_ends_a_trend() -> None:
    # NHSRplotthedots stops with an error here (`if (NA)` in ptd_seven_point_trend); qi
    # treats the gap as it does for the other rules: 3 rising rows, then 4, no trend of 7
    y: list[float | None] = [5, 6, 5, 6, 5, 6, 1, 2, 3, None, 4, 5, 6, 7, 5, 6, 5]
    assert "trend" not in [s.rule for s in mdc(y).signals]
    filled = mdc([3.5 if v is None else v for v in y])
    assert [s.points for s in filled.signals if s.rule == "trend"] == [tuple(range(6, 14))]


# --- through `qi chart`, from the files on disk ---------------------------------------

PROPORTION_YAML = """\
name: Patients seen within 24 h
kind: process
data_type: proportion
direction: increase
target: 0.5
definition:
  description: patients seen by the physio within 24 h of admission
"""

MDC_YAML = """\
name: Patients who found the toilet unaided
kind: outcome
data_type: continuous
direction: increase
target: 20
chart: i
method: mdc
definition:
  description: patients with dementia who found the toilet unaided in the week
"""


def chart_json(runner: CliRunner, root: object, measure: str) -> dict[str, object]:
    code, out, err = run(runner, "chart", measure, "--json", "--project", str(root))
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def test_qi_chart_draws_no_limits_at_an_empty_week(
    write_project: WriteProject, runner: CliRunner
) -> None:
    csv = weekly_csv([1, 2, 0, 4, 5, 2, 3, 1, 2, 3], denominators=N)
    csv = csv.replace("2026-01-19,0,10", "2026-01-19,,10")  # the third week: no value
    files = {"measures/seen.yaml": PROPORTION_YAML, "measures/seen.csv": csv}
    points = chart_json(runner, write_project(files), "seen")["points"]
    assert isinstance(points, list)
    gap = points[GAP]
    assert (gap["y"], gap["n"], gap["lcl"], gap["ucl"]) == (None, None, None, None)
    assert approx(points[0]["ucl"], P_BAR + 3 * math.sqrt(P_BAR * (1 - P_BAR) / 10))


def test_qi_chart_counts_an_empty_last_week_in_the_making_data_count_group(
    write_project: WriteProject, runner: CliRunner
) -> None:
    csv = weekly_csv([10, 11, 10, 12, 10, 11, 10, 11, 10, 30, 0])
    csv = csv.replace("2026-03-16,0\n", "2026-03-16,\n")  # the last week: no value
    files = {"measures/toilet.yaml": MDC_YAML, "measures/toilet.csv": csv}
    data = chart_json(runner, write_project(files), "toilet")
    groups = data["groups"]
    assert isinstance(groups, list)
    assert (groups[0]["n"], data["variation_icon"]) == (11, "common_cause")
    warnings = data["warnings"]
    assert isinstance(warnings, list)
    assert any(str(w).startswith("The last point has no value") for w in warnings)


def test_a_value_that_is_not_finite_after_multiply_is_missing_and_the_rest_kept() -> None:
    # finite values whose sum overflows are kept as they are; inf and NaN are missing
    big = [1e308, 1e308, None, 0.0]
    assert scaled(big, 1) == big
    assert scaled([1.0, math.inf, 2.0], 1) == [1.0, None, 2.0]
    assert scaled([math.inf, -math.inf, math.nan], 1) == [None, None, None]
    assert scaled([1e308, 2.0, None], 10) == [None, 20.0, None]


def test_float_values_are_checked_one_by_one_when_any_is_not_finite() -> None:
    # floats and gaps: NaN is missing, infinity refused, huge finite values kept
    result = analyse([1.0, math.nan, None, 3.0, 5.0])
    assert result.points.y == (1.0, None, None, 3.0, 5.0)
    with pytest.raises(StatsError, match="finite"):
        analyse([1.0, math.inf, 3.0])
    with pytest.raises(StatsError, match="denominators must be finite"):
        analyse([1.0, 2.0, 3.0], chart="p", denominators=[4.0, -math.inf, 5.0])
    big = analyse([1e308, 1e308, 1.0], chart="run")
    assert big.points.y == (1e308, 1e308, 1.0)
    assert big.points.cl[0] == 1e308  # the median of the three
