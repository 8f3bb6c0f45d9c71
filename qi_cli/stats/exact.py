"""Exact limits for the runs rules: Anhøj's crossings and the Swed–Eisenhart runs range.

Both limits are quantiles of discrete distributions with integer weights, so they can be
found exactly. Two tiers keep that fast:

* up to ``EXACT_MAX`` points the weights are summed as Python integers (exact);
* above it, the probabilities are summed in 60-digit decimal arithmetic, starting from
  a Stirling-series value of the first binomial coefficient and then walking with exact
  ratios. The total relative error is below 1e-45 (see ``_DECIDE``). When a cumulative
  probability lands within 1e-40 of the threshold, the answer is recomputed with
  integers, so every result is the exact quantile.

R's ``qbinom`` searches the floating-point CDF with a 64·DBL_EPSILON fuzz; it returns
the exact quantile unless the exact tail probability lies within about 1e-14 of 0.05,
which no binomial(n, 1/2) tail does for the sizes tested (n ≤ 2000 exhaustively, against
brute force, and spot values above).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from functools import lru_cache

EXACT_MAX = 3000
"""Largest number of useful points handled with pure integer arithmetic."""

_PREC = 60
_DECIDE = Decimal("1e-40")  # relative band around a threshold that triggers the integer path
_PI = Decimal("3.14159265358979323846264338327950288419716939937510582097494459230781640628")
# Bernoulli numbers B2..B22 as (numerator, denominator), for the Stirling series.
_BERNOULLI = (
    (1, 6),
    (-1, 30),
    (1, 42),
    (-1, 30),
    (5, 66),
    (-691, 2730),
    (7, 6),
    (-3617, 510),
    (43867, 798),
    (-174611, 330),
    (854513, 138),
)


def longest_run_max(n_useful: int) -> int:
    """Anhøj's limit for the longest run: ``round(log2(n)) + 3`` (Schilling 2012).

    A longest run *longer* than this is a signal (qicharts2 ``runs.analysis``). Python's
    ``round`` rounds half to even like R's; ``log2`` of an integer is never exactly .5.

    >>> longest_run_max(20), longest_run_max(8), longest_run_max(100)
    (7, 6, 10)
    """
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    return round(math.log2(n_useful)) + 3


@lru_cache(maxsize=4096)
def crossings_min(n_useful: int) -> int:
    """Anhøj's lower limit for crossings: ``qbinom(0.05, n_useful - 1, 0.5)`` (Chen 2010).

    The smallest k with P(X ≤ k) ≥ 0.05 for X ~ Binomial(n_useful − 1, 1/2). Fewer
    crossings than this is a signal.

    >>> [crossings_min(n) for n in (1, 2, 8, 10, 18, 20, 100)]
    [0, 0, 1, 2, 5, 6, 41]
    """
    if n_useful < 1:
        raise ValueError("n_useful must be at least 1")
    m = n_useful - 1
    if m <= EXACT_MAX:
        return qbinom_half_exact(m)
    return _qbinom_half_decimal(m)


def qbinom_half_exact(m: int) -> int:
    """qbinom(0.05, m, 0.5) by summing binomial coefficients as integers.

    P(X ≤ k) ≥ 1/20  ⇔  20 · Σ_{i≤k} C(m, i) ≥ 2^m.

    >>> qbinom_half_exact(19)
    6
    """
    target = 1 << m
    total = 0
    coef = 1
    for k in range(m + 1):
        total += coef
        if 20 * total >= target:
            return k
        coef = coef * (m - k) // (k + 1)
    return m  # pragma: no cover - the loop always returns: the full sum is 2^m


def _ln_factorial(x: int) -> Decimal:
    """ln(x!) to about 55 significant digits (context precision must be set by caller).

    Small x: the integer factorial itself. Large x: the Stirling series for ln Γ(x + 1)
    with ten Bernoulli terms; for x ≥ 1000 the first omitted term is below 1e-60.
    """
    if x < 1000:
        return Decimal(math.factorial(x)).ln()
    z = Decimal(x + 1)
    result = (z - Decimal("0.5")) * z.ln() - z + (2 * _PI).ln() / 2
    z_power = z
    z_squared = z * z
    for k, (num, den) in enumerate(_BERNOULLI[:10], start=1):
        result += Decimal(num) / (Decimal(den) * (2 * k) * (2 * k - 1) * z_power)
        z_power *= z_squared
    return result


def _ln_comb(n: int, k: int) -> Decimal:
    return _ln_factorial(n) - _ln_factorial(k) - _ln_factorial(n - k)


def _qbinom_half_decimal(m: int) -> int:
    """qbinom(0.05, m, 0.5) in 60-digit decimals over the window [m/2 − 8√m, m/2].

    By Hoeffding, P(X < m/2 − 8√m) ≤ exp(−128) < 1e-55, so the window holds the whole
    lower tail to far better than the 1e-40 decision band.
    """
    alpha = Decimal(1) / 20
    with localcontext() as ctx:
        ctx.prec = _PREC
        lo = max(0, int(m / 2 - 8 * math.sqrt(m)))
        term = (_ln_comb(m, lo) - m * Decimal(2).ln()).exp()
        cdf = Decimal(0)
        for k in range(lo, m + 1):
            cdf += term
            if abs(cdf - alpha) <= alpha * _DECIDE:
                return qbinom_half_exact(m)
            if cdf > alpha:
                return k
            term = term * (m - k) / (k + 1)
    return m  # pragma: no cover - the median is always reached first


# --- Swed–Eisenhart: the number of runs in a random arrangement -----------------------


def _runs_weights_exact(n_above: int, n_below: int) -> tuple[list[int], int]:
    """Integer weights of R = 2 … r_max runs, and their total C(n, n_above).

    Swed & Eisenhart (1943): with a = n_above − 1, b = n_below − 1,
    P(R = 2k) ∝ 2·C(a, k−1)·C(b, k−1),
    P(R = 2k + 1) ∝ C(a, k−1)·C(b, k) + C(a, k)·C(b, k−1).
    Index i of the list is R = i + 2.
    """
    a, b = n_above - 1, n_below - 1
    comb_a = _comb_row(a)
    comb_b = _comb_row(b)

    def ca(j: int) -> int:
        return comb_a[j] if 0 <= j <= a else 0

    def cb(j: int) -> int:
        return comb_b[j] if 0 <= j <= b else 0

    weights: list[int] = []
    r_max = 2 * min(n_above, n_below) + (1 if n_above != n_below else 0)
    for r in range(2, r_max + 1):
        k = r // 2
        if r % 2 == 0:
            weights.append(2 * ca(k - 1) * cb(k - 1))
        else:
            weights.append(ca(k - 1) * cb(k) + ca(k) * cb(k - 1))
    return weights, math.comb(n_above + n_below, n_above)


def _comb_row(a: int) -> list[int]:
    row = [1]
    for j in range(a):
        row.append(row[-1] * (a - j) // (j + 1))
    return row


def runs_limits_exact(n_useful: int) -> tuple[int, int]:
    """Two-sided 5 % runs limits by integer arithmetic (see :func:`runs_limits`).

    >>> runs_limits_exact(10), runs_limits_exact(20)
    ((3, 9), (7, 15))
    """
    n_above = n_useful // 2
    n_below = n_useful - n_above
    weights, total = _runs_weights_exact(n_above, n_below)
    # lower: the largest L with 40·Σ_{r<L} w_r ≤ total
    lower = 2
    cumulative = 0
    for i, weight in enumerate(weights):
        cumulative += weight
        if 40 * cumulative <= total:
            lower = i + 3  # R = i + 2 is strictly below L = i + 3
        else:
            break
    # upper: the smallest U with 40·Σ_{r>U} w_r ≤ total
    r_max = len(weights) + 1
    upper = r_max
    cumulative = 0
    for i in range(len(weights) - 1, -1, -1):
        cumulative += weights[i]
        if 40 * cumulative <= total:
            upper = i + 1  # everything from R = i + 2 upward is above U = i + 1
        else:
            break
    return lower, upper


def _runs_limits_decimal(n_useful: int) -> tuple[int, int]:
    """Runs limits in 60-digit decimals over mean ± 20 standard deviations.

    The number of runs is a sum of weakly dependent indicators with Gaussian tails; the
    probability outside the window (e^-200) is negligible against the 1e-40 band.
    """
    n_above = n_useful // 2
    n_below = n_useful - n_above
    a, b = n_above - 1, n_below - 1
    product = 2 * n_above * n_below
    mean = 1 + product / n_useful
    sd = math.sqrt(product * (product - n_useful) / (n_useful**2 * (n_useful - 1)))
    r_max = 2 * min(n_above, n_below) + (1 if n_above != n_below else 0)
    r_lo = max(2, int(mean - 20 * sd))
    r_hi = min(r_max, int(mean + 20 * sd) + 2)
    alpha = Decimal(1) / 40
    with localcontext() as ctx:
        ctx.prec = _PREC
        j0 = max(0, r_lo // 2 - 1)
        j1 = r_hi // 2 + 1
        ln_total = _ln_comb(n_useful, n_above)
        scale_a = _ln_comb(a, j0) if j0 <= a else Decimal(0)
        scale_b = _ln_comb(b, j0) if j0 <= b else Decimal(0)
        factor = (scale_a + scale_b - ln_total).exp()  # C(a,j0)·C(b,j0)/C(n,n_above)
        comb_a = _scaled_row(a, j0, j1)
        comb_b = _scaled_row(b, j0, j1)

        def ca(j: int) -> Decimal:
            return comb_a[j - j0] if j0 <= j <= min(a, j1) else Decimal(0)

        def cb(j: int) -> Decimal:
            return comb_b[j - j0] if j0 <= j <= min(b, j1) else Decimal(0)

        probs: list[Decimal] = []
        for r in range(r_lo, r_hi + 1):
            k = r // 2
            if r % 2 == 0:
                weight = 2 * ca(k - 1) * cb(k - 1)
            else:
                weight = ca(k - 1) * cb(k) + ca(k) * cb(k - 1)
            probs.append(weight * factor)
        lower = _decimal_lower(probs, r_lo, alpha)
        upper = _decimal_upper(probs, r_lo, r_hi, r_max, alpha)
    if lower is None or upper is None:
        return runs_limits_exact(n_useful)
    return lower, upper


def _scaled_row(a: int, j0: int, j1: int) -> list[Decimal]:
    """C(a, j)/C(a, j0) for j0 ≤ j ≤ min(a, j1), by exact ratios."""
    row = [Decimal(1)]
    for j in range(j0, min(a, j1)):
        row.append(row[-1] * (a - j) / (j + 1))
    return row


def _decimal_lower(probs: list[Decimal], r_lo: int, alpha: Decimal) -> int | None:
    lower = r_lo
    cumulative = Decimal(0)
    for i, prob in enumerate(probs):
        cumulative += prob
        if abs(cumulative - alpha) <= alpha * _DECIDE:
            return None
        if cumulative > alpha:
            break
        lower = r_lo + i + 1
    return lower


def _decimal_upper(
    probs: list[Decimal], r_lo: int, r_hi: int, r_max: int, alpha: Decimal
) -> int | None:
    upper = r_max if r_hi == r_max else r_hi
    cumulative = Decimal(0)
    for i in range(len(probs) - 1, -1, -1):
        cumulative += probs[i]
        if abs(cumulative - alpha) <= alpha * _DECIDE:
            return None
        if cumulative > alpha:
            break
        upper = r_lo + i - 1
    return upper


@lru_cache(maxsize=4096)
def runs_limits(n_useful: int) -> tuple[int, int]:
    """Exact two-sided 5 % limits for the number of runs (Swed & Eisenhart 1943).

    For ``n_useful`` points split as evenly as possible (⌊n/2⌋ above the median, the rest
    below), returns ``(L, U)``: the largest L with P(R < L) ≤ 0.025 and the smallest U
    with P(R > U) ≤ 0.025. Fewer runs than L, or more than U, is a signal (IHI rules,
    Perla, Provost & Murray 2011). The published tables agree with these exact values
    except in a few rows; qi uses the exact values.

    >>> runs_limits(10), runs_limits(15), runs_limits(20), runs_limits(30)
    ((3, 9), (5, 12), (7, 15), (11, 21))

    Perla et al.'s printed table says 6 and 16 for 20 points; exactly, P(R ≤ 6) = 0.0185
    and P(R ≤ 7) = 0.0513, so fewer than 7 runs is the 2.5 % tail.
    """
    if n_useful < 2:
        raise ValueError("n_useful must be at least 2")
    if n_useful <= EXACT_MAX:
        return runs_limits_exact(n_useful)
    return _runs_limits_decimal(n_useful)
