"""Missing values: what each chart does with a row that has no value.

The expected numbers are worked by hand in the comments, from the reference semantics:
qicharts2 0.8.1 (`qic` blanks `y` and `n` of a row that is not complete, so the row
adds nothing to the centre line and gets no limits) and NHSRplotthedots 0.2.2
(`ptd_spc` keeps a missing row in its group: it counts in `n`, has the point type
"common_cause" and breaks runs of consecutive rows).
"""

from __future__ import annotations

import math

import pytest

from qi_cli.stats import analyse

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
