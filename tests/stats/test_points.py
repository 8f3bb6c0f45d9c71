"""A chart's points are kept a column per field and read as a sequence of `Point`s."""

from __future__ import annotations

import pytest

from qi_cli.stats import Point, Points, analyse

# an I chart of 1..5: mean 3, MR̄ 1, σ = 1/1.128 (Montgomery 6.33)
SIGMA = 1 / 1.128


def test_each_field_is_a_column_of_the_hand_calculated_values() -> None:
    points = analyse([1, 2, 3, 4, 5], chart="i").points
    assert isinstance(points, Points)
    assert points.y == (1.0, 2.0, 3.0, 4.0, 5.0)
    assert points.cl == (3.0,) * 5
    assert points.ucl == (3 + 3 * SIGMA,) * 5
    assert points.lcl == (3 - 3 * SIGMA,) * 5
    assert points.part == (1,) * 5 and points.first == 0


def test_a_point_is_the_same_record_by_position_by_slice_and_in_order() -> None:
    points = analyse([1, 2, 3, 4, 5], chart="i", exclude=[1]).points
    third = Point(
        index=2,
        y=3.0,
        cl=3.0,
        lcl=3 - 3 * SIGMA,
        ucl=3 + 3 * SIGMA,
        lcl_2s=3 - 2 * SIGMA,
        ucl_2s=3 + 2 * SIGMA,
        part=1,
        baseline=True,
        excluded=False,
        signals=(),
        n=None,
    )
    assert points[1].excluded and not points[2].excluded
    plain = analyse([1, 2, 3, 4, 5], chart="i").points
    assert plain[2] == third == plain[-3]
    assert list(plain)[2] == third
    assert [p.index for p in plain] == [0, 1, 2, 3, 4]
    assert [p.index for p in reversed(plain)] == [4, 3, 2, 1, 0]
    later = plain[3:]
    assert isinstance(later, Points) and len(later) == 2
    assert [p.index for p in later] == [3, 4] and later.y == (4.0, 5.0)
    assert [p.index for p in later.starting_at(0)] == [0, 1]
    assert plain == tuple(plain) and plain[3:] != plain[2:]
    with pytest.raises(IndexError):
        plain[5]


def test_an_empty_chart_has_no_points() -> None:
    points = analyse([]).points
    assert len(points) == 0 and points == () and list(points) == []


def test_columns_of_unequal_length_are_refused() -> None:
    columns = {name: [1.0] for name in ("y", "cl", "lcl", "ucl", "lcl_2s", "ucl_2s")}
    flags = {"part": [1], "baseline": [True], "excluded": [False], "signals": [()]}
    extra = {"n": [None], "point_type": [None], "special_cause": []}
    with pytest.raises(ValueError, match="special_cause has 0 entries"):
        Points.from_parts([{**columns, **flags, **extra}])


def test_making_data_count_points_carry_their_type() -> None:
    # 20 points of 10 and 11, then 8 of 20: mean 370/28 = 13.21, screened MR̄ 19/26 = 0.73,
    # upper limit 13.21 + 2.66 · 0.73 = 15.16: the 20s are above it, an improvement upwards
    result = analyse([10.0, 11.0] * 10 + [20.0] * 8, chart="i", method="mdc", direction="increase")
    points = result.points
    assert points.point_type[-1] == "special_cause_improvement"
    assert points[-1].special_cause == "outside_limits"
    assert [p.point_type for p in points] == list(points.point_type)
