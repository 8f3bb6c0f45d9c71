"""Hand-computed rule cases: anhoej, ihi and mdc; boundaries, ties, gaps, phases."""

from __future__ import annotations

import math

from qi_cli.stats import analyse, parts_from_labels
from qi_cli.stats.runs import analyse_runs, find_runs


def signs_analysis(signs: list[int]) -> tuple[int | None, int | None, bool]:
    """Runs analysis of ±1 values around a centre line of 0."""
    n_obs, runs = find_runs(signs, [0] * len(signs), [True] * len(signs))
    a = analyse_runs(n_obs, runs)
    return a.longest_run, a.crossings, a.signal


# n = 20: longest_run_max = round(log2 20) + 3 = 7; crossings_min = qbinom(.05, 19, .5) = 6


def test_longest_run_at_limit_is_no_signal() -> None:
    signs = [1] * 7 + [-1, 1] * 6 + [-1]  # 7, then 13 single runs: 13 crossings
    assert signs_analysis(signs) == (7, 13, False)


def test_longest_run_one_over_limit_is_a_signal() -> None:
    signs = [1] * 8 + [-1, 1] * 5 + [-1, -1]  # 8 > 7
    assert signs_analysis(signs) == (8, 11, True)


def test_crossings_at_limit_is_no_signal() -> None:
    lengths = [3, 3, 3, 3, 3, 3, 2]  # 7 runs = 6 crossings = crossings_min
    signs = [s for k, n in enumerate(lengths) for s in [(-1) ** k] * n]
    assert signs_analysis(signs) == (3, 6, False)


def test_crossings_one_under_limit_is_a_signal() -> None:
    lengths = [4, 4, 3, 3, 3, 3]  # 5 crossings < 6, longest run 4 ≤ 7
    signs = [s for k, n in enumerate(lengths) for s in [(-1) ** k] * n]
    assert signs_analysis(signs) == (4, 5, True)


def test_points_on_centre_line_neither_add_nor_break() -> None:
    n_obs, runs = find_runs([1, 1, 0, 1, -1], [0] * 5, [True] * 5)
    assert n_obs == 5 and [len(r.points) for r in runs] == [3, 1]


def test_runs_are_the_stretches_of_one_side_with_their_positions() -> None:
    # by hand: 3 (on the line), None (missing) and the excluded 9 are not useful; the
    # others read + + | - | + + around 5, numbered from the offset 10
    y = [6, 7, 5, 7, 4, None, 8, 9, 6]
    include = [True] * 8 + [False]
    n_obs, runs = find_runs(y, [5] * 9, include, offset=10)
    assert n_obs == 8
    assert [(r.side, r.points) for r in runs] == [(1, (10, 11, 13)), (-1, (14,)), (1, (16, 17))]
    assert find_runs([], [], []) == (0, [])
    assert find_runs([5, 5], [5, 5], [True, True]) == (2, [])
    assert find_runs([1], [5], [True]) == (1, [(-1, (0,))])


def test_anhoej_shift_signal_and_message() -> None:
    y = [10, 11, 10, 12, 11, 10, 9, 11, 12, 16, 15, 17, 16, 15, 18, 16, 17, 15]
    r = analyse(y, direction="increase")
    shifts = [s for s in r.signals if s.rule == "shift"]
    assert [(s.points[0], s.points[-1], s.direction, s.improvement) for s in shifts] == [
        (0, 8, "down", False),
        (9, 17, "up", True),
    ]
    assert "9 points in a row above the median" in shifts[1].message
    assert "more than the 7" in shifts[1].message
    assert all("shift" in p.signals for p in r.points)


def test_missing_values_are_skipped_not_zero() -> None:
    y = [5.0, None, 7.0, float("nan"), 6.0]
    r = analyse(y, chart="i")
    assert r.points[1].y is None and r.points[3].y is None
    assert r.points[0].cl == 6.0  # mean of 5, 7, 6
    assert r.parts[0].n_useful == 2  # 6 is on the mean
    # moving ranges next to a gap are dropped: none left → no limits
    assert r.points[0].ucl is None


def test_too_little_data_is_a_warning() -> None:
    r = analyse([1, 2, 3, 4, 5, 6, 7])
    assert "Not enough data yet: runs rules need 10 useful points; you have 6." in r.warnings


def test_provisional_limits_warning() -> None:
    r = analyse(list(range(10)), chart="i")
    assert any(w.startswith("Limits are provisional: they rest on 10 baseline") for w in r.warnings)


def test_parts_each_have_their_own_centre_line() -> None:
    r = analyse([1, 2, 3, 10, 11, 12], chart="i", parts=[3])
    assert [p.part for p in r.points] == [1, 1, 1, 2, 2, 2]
    assert r.points[0].cl == 2 and r.points[3].cl == 11
    assert [(s.first, s.last) for s in r.parts] == [(0, 2), (3, 5)]


def test_parts_from_labels() -> None:
    assert parts_from_labels(["a", "a", "b", "b", "b", "c"]) == [2, 5]


def test_freeze_uses_baseline_for_centre_line_but_runs_on_all() -> None:
    y = [1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6]
    r = analyse(y, freeze=6)
    assert r.points[0].cl == 1.5  # median of the first six
    assert [p.baseline for p in r.points] == [True] * 6 + [False] * 6
    # signs - + - + - + then six + (all above the frozen median): the last run is 7 long
    assert r.parts[0].n_useful == 12 and r.parts[0].longest_run == 7


def test_excluded_point_leaves_centre_line_but_is_checked() -> None:
    y = [10.0] * 6 + [11.0] * 6 + [100.0]
    r = analyse(y, chart="i", exclude=[12], screen_outliers=False)
    # without point 12: mean 10.5, ranges 0×5, 1, 0×5 → MR̄ 1/11
    assert math.isclose(r.points[0].cl or 0, 10.5)
    assert math.isclose(r.points[0].ucl or 0, 10.5 + 3 * (1 / 11) / 1.128)
    assert r.points[12].excluded and "outside_limits" in r.points[12].signals
    assert r.parts[0].n_obs == 12


# --- ihi ---------------------------------------------------------------------------


def test_ihi_shift_runs_and_limits() -> None:
    # sorted: 1 1 2 2 3 3 4 5 10 11 12 13 → median 3.5; 6 below then 6 above
    y = [1, 2, 3, 1, 2, 3, 10, 4, 11, 5, 12, 13]
    r = analyse(y, method="ihi")
    part = r.parts[0]
    assert (part.runs, part.runs_lower, part.runs_upper) == (2, 4, 10)  # exact for n = 12
    assert part.shift is True and part.trend is False and part.runs_signal
    assert sorted({s.rule for s in r.signals}) == ["runs", "shift"]
    assert "Too few runs: 2 runs in 12 useful points" in r.signals[-1].message


def test_ihi_five_below_is_not_a_shift() -> None:
    y = [1, 2, 3, 1, 2, 9, 10, 4, 11, 5, 12, 13]
    r = analyse(y, method="ihi")
    assert r.parts[0].shift is False


def test_ihi_trend_five_with_tie_not_counted() -> None:
    # 1 2 2 3 4 5: the repeated 2 neither adds nor breaks → 5 rising points
    r = analyse([1, 2, 2, 3, 4, 5, 3, 1, 2, 1], method="ihi")
    trends = [s for s in r.signals if s.rule == "trend"]
    assert [(t.points, t.observed, t.direction) for t in trends] == [((0, 1, 2, 3, 4, 5), 5, "up")]
    r4 = analyse([1, 2, 3, 4, 2, 1, 3, 1, 2, 1], method="ihi")
    assert not [s for s in r4.signals if s.rule == "trend"]


def test_ihi_needs_ten_useful_points_for_runs() -> None:
    r = analyse([1, 2, 3, 4, 5, 6, 7, 8], method="ihi")
    assert r.parts[0].runs_lower is None
    assert any(w.startswith("Not enough data yet") for w in r.warnings)


# --- mdc ---------------------------------------------------------------------------


def test_mdc_trend_of_seven_and_tie_breaks_it() -> None:
    up = [5, 4, 5, 4, 1, 2, 3, 4, 5, 6, 7, 4, 5, 4, 5]
    r = analyse(up, chart="i", method="mdc", direction="decrease")
    trend = [s for s in r.signals if s.rule == "trend"]
    assert [(s.points, s.direction, s.improvement) for s in trend] == [
        ((4, 5, 6, 7, 8, 9, 10), "up", False)
    ]
    assert r.points[4].point_type == "special_cause_concern"
    tied = [5, 4, 5, 4, 1, 2, 3, 3, 5, 6, 7, 4, 5, 4, 5]
    r2 = analyse(tied, chart="i", method="mdc")
    assert not [s for s in r2.signals if s.rule == "trend"]


def test_mdc_shift_needs_seven_and_point_on_mean_breaks_it() -> None:
    # mean of 14 values ±1 around 0 … with seven 1s in a row
    seven = [-1, 1, -1, 1, 1, 1, 1, 1, 1, 1, -1, -1, 1, -1]
    mean = sum(seven) / 14
    r = analyse([v - mean for v in seven], chart="i", method="mdc", direction="increase")
    shift = [s for s in r.signals if s.rule == "shift"]
    assert [s.points for s in shift] == [(3, 4, 5, 6, 7, 8, 9)]
    six = [-1, 1, -1, 1, 1, 1, 1, 1, 1, -1, -1, -1, 1, -1]
    mean6 = sum(six) / 14
    r6 = analyse([v - mean6 for v in six], chart="i", method="mdc")
    assert not [s for s in r6.signals if s.rule == "shift"]


def test_mdc_rebase_and_fix_after_n_points() -> None:
    y = [float(v % 3) for v in range(13)] + [10 + float(v % 3) for v in range(13)]
    r = analyse(y, chart="i", method="mdc", rebase=[13])
    assert [g.part for g in r.groups] == [1, 2]
    assert math.isclose(r.groups[0].mean or 0, 12 / 13)
    assert math.isclose(r.groups[1].mean or 0, 10 + 12 / 13)
    fixed = analyse(y, chart="i", method="mdc", fix_after_n_points=12)
    assert math.isclose(fixed.groups[0].mean or 0, 1.0)  # mean of the first 12 only
    assert fixed.points[12].baseline is False


def test_mdc_short_group_warning_and_icons() -> None:
    y = [1.0, 2.0, 1.5, 2.5, 1.0, 2.0, 1.5, 2.5, 1.0, 2.0]
    r = analyse(y, chart="i", method="mdc", direction="decrease", target=10.0)
    assert any("Limits are provisional" in w for w in r.warnings)
    assert r.variation_icon == "common_cause"
    # target 10 above the upper limit, lower is better → consistently passes
    upper = r.groups[-1].upl
    assert upper is not None and upper < 10
    assert (r.assurance_type, r.assurance_icon) == ("consistent_pass", "pass")
    low = analyse(y, chart="i", method="mdc", direction="decrease", target=-5.0)
    assert (low.assurance_type, low.assurance_icon) == ("consistent_fail", "fail")
    inside = analyse(y, chart="i", method="mdc", direction="increase", target=1.7)
    assert (inside.assurance_type, inside.assurance_icon) == ("inconsistent", "inconsistent")


def test_mdc_neutral_points_and_icon() -> None:
    y = [1.0, 2.0] * 7 + [30.0]
    r = analyse(y, chart="i", method="mdc")
    assert r.points[-1].point_type == "special_cause_neutral_high"
    assert r.variation_icon == "neutral_high"
    assert r.assurance_type is None and r.assurance_icon is None
