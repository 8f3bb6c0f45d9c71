"""Every reference case from qicharts2 0.8.1 and NHSRplotthedots 0.2.2 (R 4.2.2).

Provenance: tests/stats/reference_cases.json is a copy of shared/reference/cases.json,
computed by the R packages themselves (see tests/stats/README.md).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from qi_cli.stats import analyse, parts_from_labels

CASES = json.loads((Path(__file__).parent / "reference_cases.json").read_text())["cases"]
QIC = [c for c in CASES if c["tool"] == "qicharts2"]
PTD = [c for c in CASES if c["tool"] == "NHSRplotthedots"]


def close(actual: float | None, expected: float | None) -> bool:
    if expected is None or actual is None:
        return actual is None and expected is None
    return math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12)


def assert_column(actual: list[Any], expected: list[Any], name: str) -> None:
    assert len(actual) == len(expected), name
    for k, (a, e) in enumerate(zip(actual, expected, strict=True)):
        assert close(a, e), f"{name}[{k}]: {a!r} != {e!r}"


def test_every_case_is_used() -> None:
    assert len(CASES) == len(QIC) + len(PTD) == 8


def run_qic(case: dict[str, Any]) -> Any:
    inp = case["input"]
    part = inp.get("part")
    if part is not None and isinstance(part[0], str):
        part = parts_from_labels(part)
    exclude = inp.get("exclude")
    return analyse(
        inp["y"],
        chart=inp["chart"],
        denominators=inp.get("n"),
        subgroups=inp.get("x") if inp["chart"] in ("xbar", "s") else None,
        freeze=inp.get("freeze"),
        parts=part,
        exclude=None if exclude is None else [i - 1 for i in exclude],  # 1-based in R
        multiply=inp["multiply"],
        screen_outliers=inp["options"]["qic.screenedmr"],
    )


@pytest.mark.parametrize("case", QIC, ids=[c["id"] for c in QIC])
def test_qicharts2_case(case: dict[str, Any]) -> None:
    result = run_qic(case)
    series = case["output"]["series"]
    points = result.points
    assert [p.index + 1 for p in points] == series["index"]
    assert_column([p.y for p in points], series["y"], "y")
    assert_column([p.cl for p in points], series["cl"], "cl")
    assert_column([p.lcl for p in points], series["lcl"], "lcl")
    assert_column([p.ucl for p in points], series["ucl"], "ucl")
    assert_column([p.lcl_2s for p in points], series["lcl_95"], "lcl_95")
    assert_column([p.ucl_2s for p in points], series["ucl_95"], "ucl_95")
    assert [p.part for p in points] == series["part"]
    assert [p.baseline for p in points] == series["baseline"]
    assert [not p.excluded for p in points] == series["include"]
    assert ["outside_limits" in p.signals for p in points] == series["sigma_signal"]
    by_part = {s.part: s.runs_signal for s in result.parts}
    assert [by_part[p.part] for p in points] == series["runs_signal"]
    for summary, expected in zip(result.parts, case["output"]["parts"], strict=True):
        assert summary.part == expected["part"]
        assert summary.first + 1 == expected["first_index"]
        assert summary.last + 1 == expected["last_index"]
        assert summary.n_obs == expected["n_obs"]
        assert summary.n_useful == expected["n_useful"]
        assert summary.longest_run == expected["longest_run"]
        assert summary.longest_run_max == expected["longest_run_max"]
        assert summary.crossings == expected["n_crossings"]
        assert summary.crossings_min == expected["n_crossings_min"]
        assert summary.runs_signal is expected["runs_signal"]
        assert summary.sigma_signals == expected["sigma_signals"]


def run_ptd(case: dict[str, Any]) -> Any:
    inp = case["input"]
    dates = inp["dates"]
    rebase = inp.get("rebase")
    return analyse(
        inp["values"],
        chart="i",
        method="mdc",
        direction=inp["improvement_direction"],
        target=inp.get("target"),
        rebase=None if rebase is None else [dates.index(d) for d in rebase],
        fix_after_n_points=inp.get("fix_after_n_points"),
        screen_outliers=inp["screen_outliers"],
    )


SPECIAL_CAUSE_TYPE = {
    ("outside_limits", 1): "Above UCL",
    ("outside_limits", -1): "Below LCL",
    ("trend", 1): "7 Point Trend (Increasing)",
    ("trend", -1): "7 Point Trend (Decreasing)",
    ("two_of_three", 1): "2 in 3 Above CL",
    ("two_of_three", -1): "2 in 3 Below CL",
    ("shift", 1): "7 Points Above CL",
    ("shift", -1): "7 Points Below CL",
}


@pytest.mark.parametrize("case", PTD, ids=[c["id"] for c in PTD])
def test_nhsrplotthedots_case(case: dict[str, Any]) -> None:
    result = run_ptd(case)
    out = case["output"]
    series = out["series"]
    points = result.points
    assert_column([p.y for p in points], series["y"], "y")
    assert_column([p.cl for p in points], series["mean"], "mean")
    assert_column([p.lcl for p in points], series["lpl"], "lpl")
    assert_column([p.ucl for p in points], series["upl"], "upl")
    assert [p.part - 1 for p in points] == series["rebase_group"]
    short = {g.part: g.n < 13 for g in result.groups}
    assert [short[p.part] for p in points] == series["short_group_warning"]
    assert ["outside_limits" in p.signals for p in points] == series["outside_limits"]
    assert [(p.y > p.cl) - (p.y < p.cl) for p in points] == series["relative_to_mean"]
    assert [p.point_type for p in points] == series["point_type"]
    assert [p.point_type != "common_cause" for p in points] == series["special_cause_flag"]
    assert [_type_string(p, result.direction) for p in points] == series["special_cause_type"]
    assert result.variation_icon == out["variation_icon"]
    assert result.assurance_type == out["assurance_type"]
    assert result.assurance_icon == out["assurance_icon"]
    for group, expected in zip(result.groups, out["groups"], strict=True):
        assert group.part - 1 == expected["rebase_group"]
        assert close(group.mean, expected["mean"])
        assert close(group.lpl, expected["lpl"])
        assert close(group.upl, expected["upl"])
        assert group.n == expected["n"]
        assert group.common_cause == expected["common_cause"]
        assert group.special_cause_improvement == expected["special_cause_improvement"]
        assert group.special_cause_concern == expected["special_cause_concern"]
        assert group.variation_type == expected["variation_type"]
        assert group.assurance_type == expected["assurance_type"]


def _type_string(point: Any, direction: str) -> str:
    """NHSRplotthedots' special_cause_type from our deciding rule and point type."""
    if point.special_cause is None:
        return "Common Cause"
    kind = point.point_type
    if "neutral" in kind:
        side = 1 if kind.endswith("high") else -1
    else:
        improving = kind == "special_cause_improvement"
        side = 1 if improving == (direction == "increase") else -1
    return SPECIAL_CAUSE_TYPE[(point.special_cause, side)]
