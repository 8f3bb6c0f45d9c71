"""Exact crossings and runs limits against brute force (qi_cli.stats.exact)."""

from __future__ import annotations

import itertools
import math
import time
from bisect import bisect_left
from itertools import accumulate

import pytest

from qi_cli.stats import crossings_min, longest_run_max, runs_limits
from qi_cli.stats.exact import (
    _qbinom_half_decimal,
    _runs_limits_decimal,
    qbinom_half_exact,
    runs_limits_exact,
)


def brute_qbinom_rows(max_m: int) -> list[int]:
    """qbinom(0.05, m, 0.5) for m = 0..max_m from Pascal's triangle, independently."""
    answers = []
    row = [1]
    for m in range(max_m + 1):
        if m:
            row = [1, *(a + b for a, b in itertools.pairwise(row)), 1]
        cumulative = list(accumulate(row))
        # smallest k with cumulative[k] / 2^m >= 1/20, i.e. 20·cum >= 2^m
        threshold = -(-(1 << m) // 20)  # ceil(2^m / 20)
        answers.append(bisect_left(cumulative, threshold))
    return answers


def test_crossings_min_equals_brute_force_up_to_2000() -> None:
    expected = brute_qbinom_rows(2000)
    for m, k in enumerate(expected):
        assert crossings_min(m + 1) == k, m


def test_crossings_min_spot_values() -> None:
    # 8, 18 and 20 come from R itself (reference cases: n_crossings_min); the others are
    # spot values of the exact definition, also covered by the brute force above.
    known = {8: 1, 18: 5, 20: 6, 10: 2, 30: 10, 50: 19, 100: 41, 1000: 474}
    assert {n: crossings_min(n) for n in known} == known


def test_decimal_tier_matches_integers() -> None:
    for m in [*range(1, 300), *range(2990, 3010), 4000, 5001]:
        assert _qbinom_half_decimal(m) == qbinom_half_exact(m), m


def test_crossings_min_at_one_million_is_fast_and_exact() -> None:
    crossings_min.cache_clear()
    start = time.perf_counter()
    k = crossings_min(1_000_000)
    assert time.perf_counter() - start < 1.0
    assert k == 499_177
    # The defining property, checked in decimal arithmetic with the tail bound:
    # P(X ≤ k − 1) < 0.05 ≤ P(X ≤ k) for X ~ Binomial(999999, 1/2) (normal check).
    z = (k + 0.5 - 999_999 / 2) / (math.sqrt(999_999) / 2)
    assert -1.6452 < z < -1.6430


def test_longest_run_max_matches_r_round() -> None:
    assert [longest_run_max(n) for n in (1, 2, 10, 11, 20, 45, 46, 90, 91)] == [
        3, 4, 6, 6, 7, 8, 9, 9, 10,
    ]  # fmt: skip


def brute_runs_distribution(n: int) -> dict[int, int]:
    """Count runs over every arrangement of n//2 'above' and the rest 'below'."""
    above = n // 2
    counts: dict[int, int] = {}
    for positions in itertools.combinations(range(n), above):
        marks = [0] * n
        for p in positions:
            marks[p] = 1
        runs = 1 + sum(a != b for a, b in itertools.pairwise(marks))
        counts[runs] = counts.get(runs, 0) + 1
    return counts


@pytest.mark.parametrize("n", range(2, 17))
def test_runs_limits_match_enumeration(n: int) -> None:
    counts = brute_runs_distribution(n)
    total = math.comb(n, n // 2)
    lower = max(
        L for L in range(2, n + 2) if 40 * sum(c for r, c in counts.items() if r < L) <= total
    )
    upper = min(
        U for U in range(1, n + 1) if 40 * sum(c for r, c in counts.items() if r > U) <= total
    )
    assert runs_limits(n) == (lower, upper)


def test_runs_limits_ihi_rows() -> None:
    # Exact values; Perla et al. (2011) print (6, 16) for 20 and agree for 10.
    assert runs_limits(10) == (3, 9)
    assert runs_limits(20) == (7, 15)


def test_runs_limits_decimal_tier_matches_integers() -> None:
    for n in [*range(4, 200), *range(2995, 3005)]:
        assert _runs_limits_decimal(n) == runs_limits_exact(n), n


def test_runs_limits_large_n_is_fast() -> None:
    runs_limits.cache_clear()
    start = time.perf_counter()
    lower, upper = runs_limits(1_000_000)
    assert time.perf_counter() - start < 2.0
    assert lower < 500_001 < upper
    assert lower + upper == 1_000_002  # symmetric around the mean n/2 + 1 for even n


@pytest.mark.parametrize("bad", [0, -1])
def test_limits_reject_impossible_sizes(bad: int) -> None:
    with pytest.raises(ValueError):
        crossings_min(bad)
    with pytest.raises(ValueError):
        longest_run_max(bad)
    with pytest.raises(ValueError):
        runs_limits(bad)
