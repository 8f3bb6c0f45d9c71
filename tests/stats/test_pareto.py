"""`qi_cli.stats.pareto` against qicharts2 0.8.1 `paretochart()` and hand calculations.

Provenance: tests/stats/pareto_funnel_cases.json is a verbatim copy of
shared/reference/pareto_funnel_cases.json, computed by qicharts2 itself (R 4.2.2, C
collation); only its Pareto cases are used here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from qi_cli.stats import StatsError
from qi_cli.stats.pareto import pareto

CASES = json.loads((Path(__file__).parent / "pareto_funnel_cases.json").read_text())["cases"]
PARETO = [c for c in CASES if c["tool"] == "qicharts2"]
FIELDS = ("category", "count", "count_cum", "p", "p_cum")


def same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) or isinstance(actual, float):
        return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)
    return bool(actual == expected)


def test_the_reference_file_holds_three_pareto_cases() -> None:
    assert [c["id"] for c in PARETO] == [
        "pareto_01_basic",
        "pareto_02_ties",
        "pareto_03_na_dropped",
    ]


@pytest.mark.parametrize("case", PARETO, ids=[c["id"] for c in PARETO])
def test_reference_case_field_by_field(case: dict[str, Any]) -> None:
    result = pareto(case["input"]["x"], include_missing=case["input"]["useNA"]).to_dict()
    expected = case["output"]
    assert len(result["rows"]) == expected["n_rows"]
    assert result["total"] == expected["total"]
    for name in FIELDS:
        got = [row[name] for row in result["rows"]]
        want = expected["rows"][name]
        assert len(got) == len(want), name
        for k, (a, e) in enumerate(zip(got, want, strict=True)):
            assert same(a, e), f"{case['id']} {name}[{k}]: {a!r} != {e!r}"
    # without missing values the plotted order is the axis order of qicharts2
    assert [row["category"] for row in result["rows"]] == expected["axis_order"]


def test_ties_are_in_code_point_order_not_input_order() -> None:
    # "Z" (90) < "a" (97) < "b" < "é" (233): upper case before lower, accents last
    events = ["é", "b", "a", "Z", "b", "a", "Z", "é", "c"]
    rows = pareto(events).rows
    assert [r.category for r in rows] == ["Z", "a", "b", "é", "c"]
    assert [r.count for r in rows] == [2, 2, 2, 2, 1]


def test_hand_calculation_with_ties() -> None:
    # counts 2, 2, 1 of 5: p = .4, .4, .2; cumulative .4, .8, 1.0
    rows = pareto(["y", "x", "z", "x", "y"]).to_dict()["rows"]
    assert rows == [
        {"category": "x", "count": 2, "count_cum": 2, "p": 0.4, "p_cum": 0.4},
        {"category": "y", "count": 2, "count_cum": 4, "p": 0.4, "p_cum": 0.8},
        {"category": "z", "count": 1, "count_cum": 5, "p": 0.2, "p_cum": 1.0},
    ]


def test_missing_values_are_dropped_and_counted_apart() -> None:
    result = pareto(["a", None, "b", "a", None])
    assert [(r.category, r.count) for r in result.rows] == [("a", 2), ("b", 1)]
    assert result.total == 3
    assert result.missing == 2
    assert result.rows[0].p == pytest.approx(2 / 3, rel=1e-12)


def test_missing_values_included_come_last_among_equal_counts() -> None:
    # a 2, missing 2, b 1: missing starts last, so it follows "a" at the tie
    result = pareto(["a", None, "b", "a", None], include_missing=True)
    assert [(r.category, r.count) for r in result.rows] == [("a", 2), (None, 2), ("b", 1)]
    assert result.total == 5
    assert result.missing == 0
    assert [r.p_cum for r in result.rows] == pytest.approx([0.4, 0.8, 1.0], rel=1e-12)


def test_missing_values_included_sort_by_their_count() -> None:
    result = pareto([None, None, None, "a"], include_missing=True)
    assert [r.category for r in result.rows] == [None, "a"]


def test_cumulative_share_is_the_running_sum_of_the_shares() -> None:
    # thirds: 1/3 + 1/3 is not 2/3 in binary; qicharts2 sums p, it does not divide
    result = pareto(["a", "b", "c"])
    assert result.rows[1].p_cum == math.fsum([1 / 3, 1 / 3])
    assert result.rows[2].p_cum == pytest.approx(1.0, rel=1e-15)


def test_counts_give_the_same_chart_as_events() -> None:
    events = ["falls"] * 6 + ["infection"] * 4 + ["delay"]
    counts = {"delay": 1, "infection": 4, "falls": 6}
    assert pareto(counts).to_dict() == pareto(events).to_dict()


def test_a_count_of_zero_is_a_bar_of_zero_at_the_end() -> None:
    rows = pareto({"a": 0, "b": 3}).rows
    assert [(r.category, r.count, r.p) for r in rows] == [("b", 3, 1.0), ("a", 0, 0.0)]


def test_a_single_category_is_still_a_chart() -> None:
    # qicharts2 stops here ("Number of categories must be greater than 1"); qi draws it
    rows = pareto(["falls", "falls"]).rows
    assert [(r.category, r.count, r.p, r.p_cum) for r in rows] == [("falls", 2, 1.0, 1.0)]


def test_the_vital_few_reach_80_percent() -> None:
    # 6, 4, 3, 2, 1 of 16: cumulative 37.5, 62.5, 81.25 -> the first three
    case = PARETO[0]["input"]["x"]
    assert [r.category for r in pareto(case).vital_few] == ["falls", "infection", "medication"]
    # exactly 80% counts as reached: x, y make 0.8
    assert [r.category for r in pareto(["y", "x", "z", "x", "y"]).vital_few] == ["x", "y"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "no categories"),
        ([None, None], "no categories"),
        ({"a": 0}, "every count is 0"),
        ({"a": -1}, "whole number"),
        ({"a": 1.5}, "whole number"),
    ],
)
def test_refused_input_names_the_precondition(data: Any, message: str) -> None:
    with pytest.raises(StatsError, match=message):
        pareto(data)
