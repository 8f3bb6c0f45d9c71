"""Quantiles of the gamma distribution, for exact Poisson (Garwood) limits.

``qchisq(p, 2a) / 2`` is the ``p`` quantile of a gamma distribution with shape ``a`` and
scale 1, so the funnel plot's exact limits for a standardised ratio (Garwood 1936) need
only :func:`gamma_quantile`. The shape need not be an integer (an expected count E).

The regularised incomplete gamma functions are the textbook pair: a power series below
``x = a + 1`` and a continued fraction (modified Lentz) above it (Press et al.,
*Numerical Recipes*, 3rd ed., §6.2). The quantile is found by Newton's method inside a
bisection bracket, on whichever tail is smaller so that its relative accuracy is kept.
"""

from __future__ import annotations

import math

_EPS = 1e-16
_TINY = 1e-300


def _log_prefactor(a: float, x: float) -> float:
    return a * math.log(x) - x - math.lgamma(a)


def _lower_series(a: float, x: float) -> float:
    """P(a, x) by its power series; converges fast for x < a + 1."""
    term = total = 1.0 / a
    ap = a
    for _ in range(100_000):
        ap += 1.0
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(_log_prefactor(a, x))


def _upper_fraction(a: float, x: float) -> float:
    """Q(a, x) by its continued fraction (modified Lentz); converges fast for x > a + 1."""
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, 100_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            break
    return math.exp(_log_prefactor(a, x)) * h


def gamma_tails(a: float, x: float) -> tuple[float, float]:
    """``(P(a, x), Q(a, x))``: the regularised lower and upper incomplete gamma functions."""
    if x <= 0.0:
        return 0.0, 1.0
    if x < a + 1.0:
        p = _lower_series(a, x)
        return p, 1.0 - p
    q = _upper_fraction(a, x)
    return 1.0 - q, q


def gamma_quantile(p: float, shape: float) -> float:
    """The ``p`` quantile of Gamma(shape, scale 1), to about 1e-14 relative.

    >>> round(gamma_quantile(0.5, 1.0), 12)  # exponential median: ln 2
    0.69314718056
    >>> round(2 * gamma_quantile(0.975, 1.0), 9)  # qchisq(0.975, 2) = -2 ln 0.025
    7.377758908
    """
    if not 0.0 < p < 1.0 or shape <= 0.0:
        raise ValueError("gamma_quantile needs 0 < p < 1 and shape > 0")
    upper = p > 0.5
    target = 1.0 - p if upper else p  # solve on the smaller tail
    # Wilson–Hilferty start, then Newton steps kept inside a shrinking bracket.
    z = _normal_quantile(p)
    x = max(shape * (1.0 - 1.0 / (9.0 * shape) + z / (3.0 * math.sqrt(shape))) ** 3, 1e-10)
    lo, hi = 0.0, math.inf
    for _ in range(200):
        lower, upper_tail = gamma_tails(shape, x)
        value = upper_tail if upper else lower
        # P increases with x; Q decreases. Keep the root bracketed.
        below = value < target if not upper else value > target
        if below:
            lo = x
        else:
            hi = x
        density = math.exp(_log_prefactor(shape, x)) / x
        step = (value - target) / density * (-1.0 if upper else 1.0)
        new = x - step
        if not lo < new < hi or density == 0.0:
            new = (lo + hi) / 2.0 if math.isfinite(hi) else x * 2.0
        if abs(new - x) <= 1e-15 * x:
            return new
        x = new
    return x


def _normal_quantile(p: float) -> float:
    """A rough normal quantile (Abramowitz & Stegun 26.2.23), only a starting point."""
    q = min(p, 1.0 - p)
    t = math.sqrt(-2.0 * math.log(q))
    z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (
        1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t**3
    )
    return z if p > 0.5 else -z
