"""Invalid input raises StatsError (a ValueError) naming the failed precondition."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.stats import CHARTS, METHODS, StatsError, analyse, explain


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"chart": "x"}, "chart must be one of"),
        ({"method": "nelson"}, "method must be one of"),
        ({"direction": "up"}, "direction must be one of"),
        ({"chart": "p"}, "a p chart needs denominators"),
        ({"chart": "c", "denominators": [1, 1, 1]}, "a c chart takes no denominators"),
        ({"chart": "p", "denominators": [1, 1]}, "denominators must have the same length"),
        ({"chart": "u", "denominators": [1, -1, 1]}, "denominators must not be negative"),
        ({"chart": "p", "denominators": [1, 1, 1]}, "numerators must not exceed denominators"),
        ({"chart": "xbar"}, "needs subgroups"),
        ({"freeze": 0}, "freeze must be between 1"),
        ({"freeze": 2.5}, "freeze must be an integer"),
        ({"parts": [0]}, "parts must be between 1 and 2"),
        ({"exclude": [3]}, "exclude must be between 0 and 2"),
        ({"multiply": 0}, "multiply must be a positive"),
        ({"method": "mdc"}, "use chart='i'"),
        ({"method": "ihi", "chart": "i"}, "use chart='run'"),
        ({"chart": "i", "method": "mdc", "freeze": 2}, "mdc uses rebase"),
        ({"rebase": [1]}, "rebase and fix_after_n_points apply to mdc"),
        ({"chart": "i", "method": "mdc", "fix_after_n_points": 5}, "at least 12"),
        ({"screen_outliers": "yes"}, "screen_outliers must be True or False"),
        ({"subgroups": [[1], [2], [3]]}, "subgroups must be hashable"),
    ],
)
def test_invalid_input(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(StatsError, match=message):
        analyse([1, 2, 3], **kwargs)


def test_bad_values() -> None:
    with pytest.raises(StatsError, match="t chart"):
        analyse([1, 0, 3], chart="t")
    with pytest.raises(StatsError, match="finite"):
        analyse([1, float("inf"), 3])
    with pytest.raises(StatsError, match="numbers or None"):
        analyse([1, "2", 3])  # type: ignore[list-item]
    with pytest.raises(StatsError, match="sequence"):
        analyse("123")  # type: ignore[arg-type]
    with pytest.raises(StatsError, match="negative"):
        analyse([1, -2, 3], chart="c")
    with pytest.raises(StatsError, match="finite"):
        analyse([10**400])


def test_stats_error_is_a_value_error() -> None:
    assert issubclass(StatsError, ValueError)


def test_labels_must_match_points() -> None:
    with pytest.raises(StatsError, match="labels must have one entry per point"):
        explain(analyse([1, 2, 3]), ["a"])


def test_empty_and_tiny_input_is_not_an_error() -> None:
    r = analyse([])
    assert r.points == () and r.signals == ()
    assert analyse([None, None], chart="i").points[0].cl is None
    assert analyse([1.0], chart="i", method="mdc").groups[0].lpl is None


values = st.lists(
    st.one_of(
        st.none(),
        st.floats(allow_nan=True, allow_infinity=True, width=32),
        st.integers(-5, 100),
        st.text(max_size=1),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(
    values=values,
    chart=st.sampled_from([*CHARTS, "zz"]),
    method=st.sampled_from([*METHODS, "zz"]),
    denominators=st.one_of(st.none(), values),
    subgroups=st.one_of(st.none(), st.lists(st.integers(0, 5), max_size=30)),
    freeze=st.one_of(st.none(), st.integers(-2, 32)),
    parts=st.one_of(st.none(), st.lists(st.integers(-1, 32), max_size=3)),
    exclude=st.one_of(st.none(), st.lists(st.integers(-1, 32), max_size=3)),
    rebase=st.one_of(st.none(), st.lists(st.integers(-1, 32), max_size=3)),
    multiply=st.sampled_from([1, 100, 0, -1, 0.5]),
    direction=st.sampled_from(["increase", "decrease", "neutral"]),
    target=st.one_of(st.none(), st.floats(-10, 10)),
)
def test_analyse_raises_only_stats_error(**kwargs: Any) -> None:
    try:
        result = analyse(**kwargs)
    except StatsError:
        return
    result.to_dict()
    explain(result)
