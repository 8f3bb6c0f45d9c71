"""`qi_cli.stats.funnel` against FunnelPlotR 0.5.0, published tables and hand calculations.

Provenance: tests/stats/pareto_funnel_cases.json is a verbatim copy of
shared/reference/pareto_funnel_cases.json; its four funnel cases were computed by
FunnelPlotR 0.5.0 ``funnel_plot()`` itself (R 4.2.2). Every field is compared: numbers
with a relative tolerance of 1e-9, flags exactly.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.stats import StatsError
from qi_cli.stats.funnel import Z95, Z998, _overdispersion, funnel

CASES = json.loads((Path(__file__).parent / "pareto_funnel_cases.json").read_text())["cases"]
FUNNEL = [c for c in CASES if c["tool"] == "FunnelPlotR"]
LIMITS = ("lcl95", "ucl95", "lcl998", "ucl998")


def same(actual: Any, expected: Any) -> bool:
    if expected is None or isinstance(expected, (bool, str)):
        return bool(actual == expected)
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


def test_the_reference_file_holds_four_funnel_cases() -> None:
    assert [c["input"]["data_type"] for c in FUNNEL] == ["PR", "PR", "SR", "SR"]


@pytest.mark.parametrize("case", FUNNEL, ids=[c["id"] for c in FUNNEL])
def test_funnel_equals_funnelplotr_field_by_field(case: dict[str, Any]) -> None:
    given_, expected = case["input"], case["output"]
    # draw_adjusted = TRUE, draw_unadjusted = FALSE is overdispersion on; the reverse, off.
    assert given_["draw_adjusted"] != given_["draw_unadjusted"]
    result = funnel(
        given_["numerator"],
        given_["denominator"],
        given_["group"],
        data_type=given_["data_type"],
        sr_method=given_.get("sr_method", "SHMI"),
        overdispersion=given_["draw_adjusted"],
        multiplier=given_["multiplier"],
    )
    assert same(result.target, expected["target"])
    assert same(result.phi, expected["phi"])
    assert same(result.tau2, expected["tau2"])
    assert result.adjusted == (expected["outlier_limits"] == "adjusted")
    assert sum(u.z_trimmed is not None for u in result.units) == expected["n_z_used"]
    units = expected["units"]
    assert [u.group for u in result.units] == units["group"]
    for i, unit in enumerate(result.units):
        for field in ("numerator", "denominator", "rr", "z", "z_trimmed", "trimmed"):
            assert same(getattr(unit, field), units[field][i]), (unit.group, field)
        for field in LIMITS:
            assert same(getattr(unit.unadjusted, field), units[field][i]), (unit.group, field)
            assert same(getattr(unit.adjusted, field), units["od_" + field][i]), unit.group
        assert unit.outlier95 is units["outlier95"][i], unit.group
        assert unit.outlier998 is units["outlier998"][i], unit.group
    flagged = [u.group for u in result.units if u.outlier95]
    assert flagged == expected["outliers95"]
    assert [u.group for u in result.units if u.outlier998] == expected["outliers998"]
    data = result.to_dict()
    in_use = "od_" if result.adjusted else ""
    for i, row in enumerate(data["units"]):
        for field in LIMITS:
            assert same(row[field], units[in_use + field][i])


def test_exact_poisson_limits_equal_the_published_garwood_table() -> None:
    # Exact 95% limits for an observed Poisson count of 10: 4.7954 to 18.3904; for 1:
    # 0.0253 to 5.5716 (Garwood 1936; tabulated in Ulm 1990, Am J Epidemiol 131:373).
    # A standardised ratio's limits at E are those of a count of E, divided by E.
    result = funnel([10, 1], [10, 1], data_type="SR", overdispersion=False)
    ten, one = (u.limits for u in result.units)
    assert ten.lcl95 * 10 == pytest.approx(4.7954, abs=5e-5)
    assert ten.ucl95 * 10 == pytest.approx(18.3904, abs=5e-5)
    assert one.lcl95 == pytest.approx(0.0253, abs=5e-5)
    assert one.ucl95 == pytest.approx(5.5716, abs=5e-5)


# The 13 trials of BCG vaccine against tuberculosis (Colditz et al. 1994, JAMA 271:698):
# TB cases and non-cases, vaccinated (a, b) and control (c, d).
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def test_the_overdispersion_step_equals_a_published_dersimonian_laird_example() -> None:
    # The between-unit variance of the adjusted funnel (Spiegelhalter 2005, over-dispersion;
    # Spiegelhalter et al. 2012) is DerSimonian and Laird's estimate from the units'
    # z-scores and weights. Its published worked example: the BCG trials as log relative
    # risks, z = (y - pooled y) * sqrt(w), w = 1/var: Q = 152.2330 on 12 df, tau2 = 0.3088,
    # I2 = 92.1173% (metafor's rma(method="DL"), Viechtbauer 2010, J Stat Softw 36(3),
    # which its tests check against Stata's metan).
    y = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in BCG]
    w = [1 / (1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)) for a, b, c, d in BCG]
    pooled = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    z = [(yi - pooled) * math.sqrt(wi) for yi, wi in zip(y, w, strict=True)]
    phi, tau2 = _overdispersion(z, w)
    k = len(BCG)
    assert phi * k == pytest.approx(152.2330, abs=5e-5)  # Q = K * phi
    assert tau2 == pytest.approx(0.3088, abs=5e-5)
    assert 100 * (phi * k - (k - 1)) / (phi * k) == pytest.approx(92.1173, abs=5e-5)
    # fewer than K - 1: no overdispersion (tau2 0), as in the paper
    assert _overdispersion([0.5] * k, w)[1] == 0.0


def test_a_worked_proportion_example_by_hand() -> None:
    # Spiegelhalter 2005: proportions on the angular scale, phi from the z-scores and
    # tau² by DerSimonian–Laird, worked through by hand for four
    # units with a pooled proportion of 100/500 = 0.2.
    obs, den = [5, 20, 30, 45], [50, 100, 150, 200]
    result = funnel(obs, den, ["A", "B", "C", "D"], data_type="PR")
    assert result.target == 0.2
    theta = math.asin(math.sqrt(0.2))  # 0.463648
    z = [
        (math.asin(math.sqrt(o / n)) - theta) * 2 * math.sqrt(n)
        for o, n in zip(obs, den, strict=True)
    ]
    # z = [-2.1651, 0, 0.0, 0.8882] roughly; winsorised at R's type-7 10th/90th centiles:
    ordered = sorted(z)
    low = ordered[0] + 0.3 * (ordered[1] - ordered[0])
    high = ordered[2] + 0.7 * (ordered[3] - ordered[2])
    zw = [min(max(v, low), high) for v in z]
    phi = sum(v * v for v in zw) / 4
    w = [4 * n for n in den]
    tau2 = max(0.0, (4 * phi - 3) / (sum(w) - sum(x * x for x in w) / sum(w)))
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-12, abs=1e-15)
    assert [u.z for u in result.units] == pytest.approx(z, rel=1e-12, abs=1e-12)
    # phi < 1 here: no overdispersion, the unadjusted limits are used.
    assert phi < 1 and not result.adjusted
    a = result.units[0]
    half = Z95 / (2 * math.sqrt(50))
    assert a.limits.lcl95 == pytest.approx(math.sin(theta - half) ** 2, rel=1e-12)
    assert a.limits.ucl95 == pytest.approx(math.sin(theta + half) ** 2, rel=1e-12)
    # 5/50 = 0.10 sits below the 95% lower limit 0.1020 at n = 50: flagged low.
    assert a.outlier95 and not a.outlier998


def test_a_ratio_of_counts_by_hand() -> None:
    obs, den = [30, 10, 60], [20, 20, 60]
    result = funnel(obs, den, data_type="RC", overdispersion=False)
    target = 100 / 100
    assert result.target == target
    for unit, o, n in zip(result.units, obs, den, strict=True):
        s = math.sqrt(o / (o + 0.5) ** 2 + n / (n + 0.5) ** 2)
        assert unit.z == pytest.approx(math.log((o + 0.5) / (n + 0.5)) / s, rel=1e-12)
        # FunnelPlotR's RC limits use 1/(4n) as the variance on the log scale.
        assert unit.limits.ucl998 == pytest.approx(math.exp(Z998 / (2 * math.sqrt(n))))
    assert [u.outlier95 for u in result.units] == [True, True, False]


def test_a_zero_proportion_at_the_edge_of_the_funnel_is_not_flagged() -> None:
    # Departure from FunnelPlotR (documented in docs/statistics.md). Target 0.1: at
    # n = 23 the 99.8% lower limit's angle asin(sqrt(0.1)) - 3.090232/(2*sqrt(23)) is
    # -0.00043, just past 0. The published method (Spiegelhalter 2005) ends the
    # limit at 0 there. FunnelPlotR evaluates the limit on a grid and keeps
    # sin²(-0.00043) = 1.9e-7 at the last point before the crossing, so 0/23 is flagged low.
    result = funnel([0, 50, 47], [23, 477, 470], data_type="PR", overdispersion=False)
    zero = result.units[0]
    assert result.target == 0.1
    assert zero.limits.lcl998 == 0.0
    assert not zero.outlier998
    # The z-score agrees: -asin(sqrt(0.1)) * 2 * sqrt(23) = -3.0862 is inside ±3.090232.
    assert -Z998 < zero.z == pytest.approx(-3.0862, abs=1e-4)


def test_sr_cqc_adjusted_limits_are_squared_back_from_the_root_scale() -> None:
    # Departure from FunnelPlotR (documented in docs/statistics.md): Spiegelhalter et al.
    # 2012 put sqrt(O/E) on a normal scale with variance 1/(4E) + tau², then square
    # the limits back; FunnelPlotR leaves them as 1 ∓ z·sqrt(v), about half as wide.
    obs, exp_ = [40, 80, 150, 60, 200, 20], [50, 60, 160, 70, 150, 30]
    result = funnel(obs, exp_, data_type="SR", sr_method="CQC")
    z = [(math.sqrt(o / e) - 1) * 2 * math.sqrt(e) for o, e in zip(obs, exp_, strict=True)]
    ordered = sorted(z)  # N = 6: the type-7 centiles sit at positions 0.5 and 4.5
    low = (ordered[0] + ordered[1]) / 2
    high = (ordered[4] + ordered[5]) / 2
    phi = sum(min(max(v, low), high) ** 2 for v in z) / 6
    w = [4 * e for e in exp_]
    tau2 = (6 * phi - 5) / (sum(w) - sum(x * x for x in w) / sum(w))
    assert result.phi == pytest.approx(phi, rel=1e-12)
    assert result.tau2 == pytest.approx(tau2, rel=1e-12)
    assert result.adjusted
    for unit, e in zip(result.units, exp_, strict=True):
        half = Z95 * math.sqrt(1 / (4 * e) + tau2)
        assert unit.limits.lcl95 == pytest.approx((1 - half) ** 2, rel=1e-12)
        assert unit.limits.ucl95 == pytest.approx((1 + half) ** 2, rel=1e-12)
        # FunnelPlotR would draw 1 + half: narrower than the published limit.
        assert unit.limits.ucl95 - 1 > 2 * half


def test_rows_of_the_same_group_are_summed_in_order_of_first_appearance() -> None:
    result = funnel([1, 2, 3, 4], [10, 20, 30, 40], ["b", "a", "b", "a"], overdispersion=False)
    assert [(u.group, u.numerator, u.denominator) for u in result.units] == [
        ("b", 4, 40),
        ("a", 6, 60),
    ]


def test_the_multiplier_scales_the_centre_limits_and_nothing_else() -> None:
    plain = funnel([5, 20, 30], [50, 100, 150], overdispersion=False)
    percent = funnel([5, 20, 30], [50, 100, 150], overdispersion=False, multiplier=100)
    assert percent.target == plain.target and percent.centre == 100 * plain.centre
    for a, b in zip(plain.units, percent.units, strict=True):
        assert b.limits.ucl95 == pytest.approx(100 * a.limits.ucl95)
        assert (a.outlier95, a.outlier998) == (b.outlier95, b.outlier998)


def test_no_overdispersion_reports_phi_and_tau2_as_zero() -> None:
    result = funnel([5, 40, 30, 90], [50, 100, 150, 200], overdispersion=False)
    assert (result.phi, result.tau2, result.adjusted) == (0.0, 0.0, False)
    data = result.to_dict()
    assert set(data) >= {"target", "phi", "tau2", "units"}
    assert set(data["units"][0]) >= {"rr", "z", *LIMITS, "outlier95", "outlier998"}


def test_an_infinite_phi_is_written_as_null_in_json() -> None:
    # SHMI with O = 0 gives z = -inf; with fewer than 10 units it is not truncated.
    data = funnel([0, 5, 6], [4, 5, 6], data_type="SR").to_dict()
    assert data["phi"] is None and data["units"][0]["z"] is None
    json.dumps(data, allow_nan=False)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (([1, 2], [10]), {}, "same length"),
        (([1], [10]), {}, "at least 2 units"),
        (([1, -2], [10, 10]), {}, "0 or more"),
        (([11, 2], [10, 10]), {}, "exceeds its denominator"),
        (([1, 2], [0, 10]), {}, "more than 0"),
        (([0, 0], [10, 10]), {}, "every numerator is 0"),
        (([1, 2], [10, 10]), {"data_type": "XX"}, "data_type"),
        (([1, 2], [10, 10]), {"sr_method": "XX"}, "sr_method"),
        (([1, 2], [10, 10], ["a"]), {}, "one name per"),
        (([1, 2], [0.001, 10]), {"data_type": "SR"}, "rounds to 0.00"),
    ],
)
def test_bad_input_is_a_stats_error(args: Any, kwargs: Any, message: str) -> None:
    with pytest.raises(StatsError, match=message):
        funnel(*args, **kwargs)


units = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 200)), min_size=2, max_size=12
).filter(lambda rows: sum(o for o, _ in rows) > 0)
kinds = st.sampled_from([("PR", "SHMI"), ("SR", "SHMI"), ("SR", "CQC"), ("RC", "SHMI")])


@settings(max_examples=80, deadline=None)
@given(
    rows=units,
    kind=kinds,
    overdispersion=st.booleans(),
    sizes=st.tuples(st.floats(1, 5000), st.floats(1, 5000)),
)
def test_limits_widen_as_denominators_shrink_around_the_pooled_value(
    rows: list[tuple[int, int]],
    kind: tuple[str, str],
    overdispersion: bool,
    sizes: tuple[float, float],
) -> None:
    data_type, method = kind
    obs = [min(o, n) if data_type == "PR" else o for o, n in rows]
    den = [float(n) for _, n in rows]
    result = funnel(obs, den, data_type=data_type, sr_method=method, overdispersion=overdispersion)
    small, large = sorted(sizes)
    narrow, wide = result.limits_at(large), result.limits_at(small)
    for limits in (narrow, wide):
        assert limits.lcl998 <= limits.lcl95 <= result.centre <= limits.ucl95 <= limits.ucl998
    assert wide.lcl95 <= narrow.lcl95 + 1e-12 and wide.ucl95 >= narrow.ucl95 - 1e-12
    assert wide.lcl998 <= narrow.lcl998 + 1e-12 and wide.ucl998 >= narrow.ucl998 - 1e-12
    for unit in result.units:
        assert unit.limits.lcl95 <= result.centre <= unit.limits.ucl95
        assert unit.outlier95 or not unit.outlier998
