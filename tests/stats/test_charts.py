"""Hand-computed centre lines and limits, one case per chart type (anhoej/qicharts2)."""

from __future__ import annotations

import itertools
import math

import pytest

from qi_cli.stats import analyse


def approx(value: float | None, expected: float) -> bool:
    return value is not None and math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_run_chart_median_and_runs() -> None:
    # median of 1..5 is 3; the point on it is not useful: signs - - + + → 2 runs
    r = analyse([1, 2, 3, 4, 5])
    assert {p.cl for p in r.points} == {3.0}
    assert all(p.ucl is None and p.lcl is None for p in r.points)
    part = r.parts[0]
    # n = 4: longest_run_max = round(log2 4) + 3 = 5; qbinom(0.05, 3, 0.5) = 0 (P(0) = 1/8)
    assert (part.n_useful, part.longest_run, part.crossings) == (4, 2, 1)
    assert (part.longest_run_max, part.crossings_min, part.runs_signal) == (5, 0, False)


def test_i_chart() -> None:
    # mean 13/5 = 2.6; moving ranges 2, 1, 2, 1 → MR̄ 1.5 (none ≥ 3.267·1.5); σ = 1.5/1.128
    r = analyse([1, 3, 2, 4, 3], chart="i")
    p = r.points[0]
    sigma = 1.5 / 1.128
    assert approx(p.cl, 2.6)
    assert approx(p.ucl, 2.6 + 3 * sigma) and approx(p.lcl, 2.6 - 3 * sigma)
    assert approx(p.ucl_2s, 2.6 + 2 * sigma) and approx(p.lcl_2s, 2.6 - 2 * sigma)


def test_i_chart_screening_drops_large_moving_ranges() -> None:
    # ranges 0 ×7 and 8: MR̄ = 1, 8 ≥ 3.267 → dropped → MR̄ 0 → limits on the mean
    values = [1.0] * 8 + [9.0, 1.0]
    screened = analyse(values, chart="i", screen_outliers=False)
    # unscreened: ranges 0×7, 8, 8 → MR̄ = 16/9
    assert approx(screened.points[0].ucl, 1.8 + 3 * (16 / 9) / 1.128)
    with_screen = analyse(values, chart="i")
    assert approx(with_screen.points[0].ucl, 1.8)  # only zero ranges are left


def test_mr_chart() -> None:
    # y = |Δ| = (-, 2, 1, 2, 1); cl 1.5; UCL 3.267·1.5; 2σ line (3.267/3)·2·1.5
    r = analyse([1, 3, 2, 4, 3], chart="mr")
    assert [p.y for p in r.points] == [None, 2, 1, 2, 1]
    p = r.points[1]
    assert approx(p.cl, 1.5) and approx(p.ucl, 4.9005) and p.lcl == 0
    assert approx(p.ucl_2s, 3.267)
    assert not r.parts[0].runs_signal and not r.signals


def test_xbar_and_s_charts() -> None:
    # subgroups a: 1, 3; b: 2, 4; c: 3, 5 → means 2, 3, 4; every SD √2; n = 2
    values = [1, 3, 2, 4, 3, 5]
    groups = ["a", "a", "b", "b", "c", "c"]
    xbar = analyse(values, chart="xbar", subgroups=groups)
    assert [p.y for p in xbar.points] == [2, 3, 4]
    assert [p.n for p in xbar.points] == [2, 2, 2]
    # c4(2) = √(2/π); A3 = 3/(c4·√2) = 3√π/2; σ̂ = mean SD = √2
    a3 = 3 * math.sqrt(math.pi) / 2
    assert approx(xbar.points[0].cl, 3.0)
    assert approx(xbar.points[0].ucl, 3 + a3 * math.sqrt(2))
    s = analyse(values, chart="s", subgroups=groups)
    # cl = √2; B4 = 1 + 3·c5/c4 = 1 + 3√(π/2 − 1); B3 = max(0, 1 − 3√(π/2 − 1)) = 0
    assert approx(s.points[0].y, math.sqrt(2)) and approx(s.points[0].cl, math.sqrt(2))
    assert approx(s.points[0].ucl, math.sqrt(2) * (1 + 3 * math.sqrt(math.pi / 2 - 1)))
    assert s.points[0].lcl == 0


def test_xbar_unequal_subgroups_use_pooled_sd() -> None:
    # a: 1, 3 (n 2, s² 2); b: 2, 4, 6 (n 3, s² 4) → pooled √((1·2 + 2·4)/3) = √(10/3)
    values = [1, 3, 2, 4, 6]
    r = analyse(values, chart="xbar", subgroups=[1, 1, 2, 2, 2])
    assert approx(r.points[0].cl, (2 * 2 + 3 * 4) / 5)
    c4_3 = math.sqrt(2 / 2) * math.exp(math.lgamma(1.5) - math.lgamma(1.0))
    assert approx(r.points[1].ucl, 16 / 5 + 3 / (c4_3 * math.sqrt(3)) * math.sqrt(10 / 3))


def test_t_chart_transforms_and_back_transforms() -> None:
    # constant times: transformed MR̄ = 0 → limits on the centre line (no screening)
    r = analyse([2, 2, 2, 2], chart="t", screen_outliers=False)
    assert approx(r.points[0].cl, 2.0) and approx(r.points[0].ucl, 2.0)
    values = [1.0, 8.0, 27.0, 4.0]
    r = analyse(values, chart="t", screen_outliers=False)
    z = [v ** (1 / 3.6) for v in values]
    m = sum(z) / 4
    amr = sum(abs(b - a) for a, b in itertools.pairwise(z)) / 3
    assert approx(r.points[0].cl, m**3.6)
    assert approx(r.points[0].ucl, (m + 3 * amr / 1.128) ** 3.6)
    assert r.points[0].lcl == 0  # m − 3σ < 0 on the transformed scale → 0


def test_p_chart() -> None:
    # cl = 6/30 = 0.2; σ = √(0.2·0.8/10); LCL below 0 → 0
    r = analyse([1, 2, 3], chart="p", denominators=[10, 10, 10])
    sigma = math.sqrt(0.016)
    assert [round(p.y or 0, 12) for p in r.points] == [0.1, 0.2, 0.3]
    assert approx(r.points[0].ucl, 0.2 + 3 * sigma) and r.points[0].lcl == 0
    assert approx(r.points[0].ucl_2s, 0.2 + 2 * sigma) and r.points[0].lcl_2s == 0
    percent = analyse([1, 2, 3], chart="p", denominators=[10, 10, 10], multiply=100)
    assert approx(percent.points[0].ucl, 100 * (0.2 + 3 * sigma))


def test_pp_chart_laney() -> None:
    # z = (p − cl)/σ = −0.1/σ, 0, 0.1/σ; MR̄(z) = 0.1/σ → σ_z = 0.1/(σ·1.128)
    # limits cl ± 3·σ·σ_z = 0.2 ± 0.3/1.128
    r = analyse([1, 2, 3], chart="pp", denominators=[10, 10, 10])
    assert approx(r.points[0].ucl, 0.2 + 0.3 / 1.128)
    assert r.points[0].lcl == 0  # 0.2 − 0.266 < 0


def test_u_and_up_charts() -> None:
    # u = 1, 2, 3 per unit; cl = 12/6 = 2; σ_i = √(2/2) = 1
    r = analyse([2, 4, 6], chart="u", denominators=[2, 2, 2])
    assert approx(r.points[0].ucl, 5.0) and r.points[0].lcl == 0
    assert approx(r.points[0].ucl_2s, 4.0) and r.points[0].lcl_2s == 0
    # Laney: z = −1, 0, 1 → MR̄ 1 → limits 2 ± 3/1.128
    up = analyse([2, 4, 6], chart="up", denominators=[2, 2, 2])
    assert approx(up.points[0].ucl, 2 + 3 / 1.128) and up.points[0].lcl == 0


def test_c_chart() -> None:
    # mean 6; σ = √6
    r = analyse([4, 9, 5], chart="c")
    assert approx(r.points[0].cl, 6.0) and approx(r.points[0].ucl, 6 + 3 * math.sqrt(6))
    assert r.points[0].lcl == 0


def test_g_chart_draws_median_but_limits_from_mean() -> None:
    # mean 4; σ = √(4·5) = √20; median 2.5
    r = analyse([1, 2, 3, 10], chart="g")
    assert r.points[0].cl == 2.5
    assert approx(r.points[0].ucl, 4 + 3 * math.sqrt(20)) and r.points[0].lcl == 0
    assert r.centre_line == "median"


def test_ratio_run_chart_uses_ratios() -> None:
    r = analyse([1, 4, 9], denominators=[1, 2, 3])
    assert [p.y for p in r.points] == [1, 2, 3]
    assert r.points[0].cl == 2


@pytest.mark.parametrize("chart", ["i", "c", "g"])
def test_outside_limits_is_strict(chart: str) -> None:
    # a point exactly on the UCL is not a signal; one above it is
    base = [5.0] * 12 + [6.0] * 12
    r = analyse(base, chart=chart)
    ucl = r.points[0].ucl
    assert ucl is not None
    on = analyse([*base, ucl], chart=chart, freeze=24)
    assert "outside_limits" not in on.points[-1].signals
    above = analyse([*base, ucl + 1], chart=chart, freeze=24)
    assert "outside_limits" in above.points[-1].signals
