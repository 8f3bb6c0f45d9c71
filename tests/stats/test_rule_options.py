"""The rules a measure chooses: shift length, trend on/off, two of three on/off.

Every case is worked by hand in its comment; the defaults stay those of the reference
cases (tests/stats/test_reference_*.py keep passing unchanged).
"""

from __future__ import annotations

import pytest

from qi_cli.stats import StatsError, analyse
from qi_cli.stats.rule_options import RuleOptions

# 14 points: 3 above the median, 7 below, 4 above. Sorted, the 7th and 8th values are 2
# and 8, so the median is (2 + 8) / 2 = 5 and every point is useful (n = 14). Anhøj's
# longest-run limit is round(log2(14)) + 3 = round(3.81) + 3 = 7: a run of 7 is no
# signal, 8 would be.
SEVEN_THEN_FIVE = [9, 8, 9, 1, 2, 1, 2, 1, 2, 1, 8, 9, 8, 9]
RUN = (3, 4, 5, 6, 7, 8, 9)


def shifts(values: list[float], **options: object) -> list[tuple[int, ...]]:
    result = analyse(values, chart="run", **options)  # type: ignore[arg-type]
    return [s.points for s in result.signals if s.rule == "shift"]


def test_anhoej_by_n_is_the_default() -> None:
    assert shifts(SEVEN_THEN_FIVE) == []
    assert shifts(SEVEN_THEN_FIVE, shift="by n") == []


def test_a_fixed_shift_length_counts_points_in_a_row() -> None:
    # 7 in a row: a shift when the measure says 6 or 7 points make one, not with 8
    assert shifts(SEVEN_THEN_FIVE, shift=7) == [RUN]
    assert shifts(SEVEN_THEN_FIVE, shift=6) == [RUN]
    assert shifts(SEVEN_THEN_FIVE, shift=8) == []
    summary = analyse(SEVEN_THEN_FIVE, chart="run", shift=6).parts[0]
    assert summary.longest_run == 7 and summary.longest_run_max == 5  # more than 5 signals


def test_ihi_shift_length() -> None:
    # IHI: 6 in a row by default; the run of 7 below the median is one, not with 8
    assert shifts(SEVEN_THEN_FIVE, method="ihi") == [RUN]
    assert shifts(SEVEN_THEN_FIVE, method="ihi", shift=8) == []
    # "by n": more than round(log2(14)) + 3 = 7 points, so the run of 7 is not one
    assert shifts(SEVEN_THEN_FIVE, method="ihi", shift="by n") == []


RISING = [1, 2, 3, 4, 5, 6, 5, 4, 6, 5, 4, 5]  # 1..6: six points going up


def trends(method: str, **options: object) -> list[tuple[int, ...]]:
    result = analyse(RISING, chart="run", method=method, **options)  # type: ignore[arg-type]
    return [s.points for s in result.signals if s.rule == "trend"]


def test_trend_rule_on_and_off() -> None:
    assert trends("ihi") == [(0, 1, 2, 3, 4, 5)]  # IHI: 5 or more going up
    assert trends("ihi", trend=False) == []
    assert trends("anhoej") == []  # Anhøj has no trend rule
    assert trends("anhoej", trend=True) == [(0, 1, 2, 3, 4, 5)]  # IHI's, when turned on


# Making Data Count, limits fixed on the first 12 points: 9, 11 alternating gives mean
# 10 and every moving range 2, so the 3σ limits are 10 ± 2.66 × 2 = 4.68 to 15.32 and
# the 2σ lines 10 ± (2/3) × 2.66 × 2 = 6.45 to 13.55. Then 14, 14: two of three points
# beyond 13.55 on the high side, inside the limits.
TWO_HIGH = [9, 11] * 6 + [14, 14, 10]


def mdc_rules(**options: object) -> list[str]:
    result = analyse(
        TWO_HIGH,
        chart="i",
        method="mdc",
        fix_after_n_points=12,
        **options,  # type: ignore[arg-type]
    )
    assert result.points[0].ucl == pytest.approx(15.32)
    assert result.points[0].ucl_2s == pytest.approx(10 + 2 / 3 * 2.66 * 2)
    return [s.rule for s in result.signals]


def test_two_of_three_on_by_default_and_off_when_asked() -> None:
    assert mdc_rules() == ["two_of_three"]
    assert mdc_rules(two_of_three=False) == []


def test_mdc_shift_length() -> None:
    # 15 points: 8 at 4 then 7 at 6; mean (32 + 42) / 15 = 4.93: 8 below, 7 above
    values = [4.0] * 8 + [6.0] * 7
    default = analyse(values, chart="i", method="mdc")
    assert [s.points for s in default.signals if s.rule == "shift"] == [
        tuple(range(8)),
        tuple(range(8, 15)),
    ]
    longer = analyse(values, chart="i", method="mdc", shift=8)
    assert [s.points for s in longer.signals if s.rule == "shift"] == [tuple(range(8))]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"shift": 1}, "shift must be a number of points"),
        ({"shift": "by m"}, "shift must be a number of points"),
        ({"shift": True}, "shift must be a number of points"),
        ({"trend": "yes"}, "trend must be True, False or None"),
        ({"two_of_three": True}, "two_of_three is a Making Data Count rule"),
    ],
)
def test_bad_rule_options(options: dict[str, object], message: str) -> None:
    with pytest.raises(StatsError, match=message):
        analyse([1, 2, 3, 4], chart="run", **options)  # type: ignore[arg-type]


def test_rule_options_defaults() -> None:
    assert RuleOptions().shift_rule("anhoej") == "by n"
    assert RuleOptions().shift_length("ihi", 30) == 6
    assert RuleOptions().shift_length("mdc", 30) == 7
    assert RuleOptions().shift_length("anhoej", 30) == 9  # round(log2(30)) + 3 = 8, so 9
    assert not RuleOptions().two_of_three_on("anhoej")
