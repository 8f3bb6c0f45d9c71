"""Hypothesis invariants of the statistics engine.

Integer data and power-of-two scale factors keep the arithmetic exact, so a signal can
only change if the method itself were not shift- or scale-invariant.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qi_cli.stats import CHARTS, ChartResult, StatsError, analyse, explain

FAST = settings(max_examples=60, deadline=None)
series = st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=1, max_size=40)
CASES = [("run", "anhoej"), ("i", "anhoej"), ("run", "ihi"), ("i", "mdc")]


def signal_summary(result: ChartResult) -> list[Any]:
    return [(s.rule, s.points, s.direction) for s in result.signals]


def lines(result: ChartResult) -> list[tuple[float | None, ...]]:
    return [(p.cl, p.lcl, p.ucl, p.lcl_2s, p.ucl_2s) for p in result.points]


def near_a_line(result: ChartResult) -> bool:
    """A point within rounding of a limit could flip; such draws are skipped."""
    for p in result.points:
        for line in (p.cl, p.lcl, p.ucl, p.lcl_2s, p.ucl_2s):
            if (
                p.y is not None
                and line is not None
                and p.y != line
                and math.isclose(p.y, line, rel_tol=1e-9, abs_tol=1e-9)
            ):
                return True
    return False


def same_lines(a: ChartResult, b: ChartResult, shift: float, scale: float) -> bool:
    for la, lb in zip(lines(a), lines(b), strict=True):
        for x, y in zip(la, lb, strict=True):
            if (x is None) != (y is None):
                return False
            if (
                x is not None
                and y is not None
                and not math.isclose(x * scale + shift, y, rel_tol=1e-9, abs_tol=1e-9)
            ):
                return False
    return True


@FAST
@given(values=series, shift=st.integers(-1000, 1000), case=st.sampled_from(CASES))
def test_adding_a_constant_moves_lines_and_keeps_signals(
    values: list[int | None], shift: int, case: tuple[str, str]
) -> None:
    chart, method = case
    base = analyse(values, chart=chart, method=method)
    assume(not near_a_line(base))
    moved = analyse([None if v is None else v + shift for v in values], chart=chart, method=method)
    assert same_lines(base, moved, shift, 1)
    assert signal_summary(moved) == signal_summary(base)


@FAST
@given(values=series, power=st.integers(-4, 6), case=st.sampled_from(CASES))
def test_multiplying_scales_lines_and_keeps_signals(
    values: list[int | None], power: int, case: tuple[str, str]
) -> None:
    chart, method = case
    scale = 2.0**power
    base = analyse(values, chart=chart, method=method)
    scaled = analyse([None if v is None else v * scale for v in values], chart=chart, method=method)
    assert same_lines(base, scaled, 0, scale)
    assert signal_summary(scaled) == signal_summary(base)
    via_multiply = analyse(values, chart=chart, method=method, multiply=scale)
    assert signal_summary(via_multiply) == signal_summary(base)


@FAST
@given(values=series, case=st.sampled_from(CASES))
def test_reversing_direction_swaps_improvement_and_concern(
    values: list[int | None], case: tuple[str, str]
) -> None:
    chart, method = case
    up = analyse(values, chart=chart, method=method, direction="increase")
    down = analyse(values, chart=chart, method=method, direction="decrease")
    neutral = analyse(values, chart=chart, method=method)
    assert signal_summary(up) == signal_summary(down) == signal_summary(neutral)
    for a, b, c in zip(up.signals, down.signals, neutral.signals, strict=True):
        if a.improvement is None:
            assert b.improvement is None
        else:
            assert b.improvement is (not a.improvement)
        assert c.improvement is None
    swap = {
        "special_cause_improvement": "special_cause_concern",
        "special_cause_concern": "special_cause_improvement",
    }
    for p, q in zip(up.points, down.points, strict=True):
        assert q.point_type == swap.get(p.point_type or "", p.point_type)


numbers = st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False), st.integers(0, 10**6))


@settings(max_examples=200, deadline=None)
@given(
    data=st.lists(st.tuples(numbers, st.integers(0, 100), st.integers(0, 4)), max_size=40),
    chart=st.sampled_from(CHARTS),
    freeze=st.one_of(st.none(), st.integers(1, 10)),
    exclude=st.lists(st.integers(0, 10), max_size=3),
    parts=st.lists(st.integers(1, 10), max_size=2),
    screen=st.booleans(),
)
def test_valid_numbers_never_raise_other_errors(
    data: list[tuple[Any, int, int]],
    chart: str,
    freeze: int | None,
    exclude: list[int],
    parts: list[int],
    screen: bool,
) -> None:
    values = [v for v, _, _ in data]
    kwargs: dict[str, Any] = {"chart": chart, "screen_outliers": screen}
    if chart in ("p", "pp", "u", "up", "run", "i"):
        kwargs["denominators"] = [max(n, 1) * 10**6 for _, n, _ in data]
    if chart in ("xbar", "s"):
        kwargs["subgroups"] = [k for _, _, k in data]
    try:
        r = analyse(values, freeze=freeze, exclude=exclude or None, parts=parts or None, **kwargs)
    except StatsError:
        return
    r.to_dict()
    explain(r, [f"label {i}" for i in range(len(r.points))])
