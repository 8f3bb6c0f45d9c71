"""Centre lines and limits of one part, per chart type (anhoej / qicharts2 0.8.1).

Each function follows the matching ``qic.<chart>`` function of qicharts2
(``R/helper.functions.R``) and the textbooks it cites: Montgomery, *Introduction to
Statistical Quality Control* (6.29–6.33, 7.17, 7.19, p. 319), Nelson (1982) for the
moving-range screening, Laney (2002) for p′ and u′, and Provost & Murray (2011) for the
t chart transformation. Values are computed before ``multiply``; a limit that is not
finite is ``None``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

Num = float | None

MR_SCREEN = 3.267  # D4 for n = 2: moving ranges at or above 3.267·MR̄ are dropped
D2 = 1.128  # d2 for n = 2: σ = MR̄ / 1.128


@dataclass(frozen=True)
class PartData:
    """The rows of one part; ``base`` marks baseline points that are not excluded."""

    y: list[Num]
    y_sum: list[Num]
    n: list[Num]
    size: list[int]
    sd: list[Num]
    base: list[bool]


@dataclass(frozen=True)
class Lines:
    y: list[Num]
    cl: list[Num]
    lcl: list[Num]
    ucl: list[Num]
    lcl_2s: list[Num]
    ucl_2s: list[Num]


def mean(xs: list[float]) -> float | None:
    """Arithmetic mean (correctly rounded sum), None when empty.

    >>> mean([1.0, 2.0, 4.0]), mean([])
    (2.3333333333333335, None)
    """
    return math.fsum(xs) / len(xs) if xs else None


def median(xs: list[float]) -> float | None:
    """Median as R's ``median``: the middle value or the mean of the two middle ones.

    >>> median([3.0, 1.0, 2.0]), median([4.0, 1.0, 3.0, 2.0]), median([])
    (2.0, 2.5, None)
    """
    if not xs:
        return None
    s = sorted(xs)
    half = len(s) // 2
    if len(s) % 2:
        return s[half]
    return (s[half - 1] + s[half]) / 2


def average_moving_range(deviations: list[Num], screen: bool) -> float | None:
    """MR̄ of consecutive values; a missing value drops the ranges on either side.

    With ``screen`` (qicharts2 option ``qic.screenedmr``), ranges at or above
    3.267·MR̄ are dropped and MR̄ recomputed (Nelson 1982).

    >>> average_moving_range([1.0, 2.0, 4.0, None, 5.0], screen=False)
    1.5
    >>> average_moving_range([1.0] * 8 + [9.0], screen=True)  # the range of 8 is dropped
    0.0
    >>> average_moving_range([5.0, 5.0, 5.0], screen=True) is None  # all ranges 0: none kept
    True
    """
    ranges = [
        abs(b - a) for a, b in itertools.pairwise(deviations) if a is not None and b is not None
    ]
    amr = mean(ranges)
    if screen and amr is not None:
        limit = MR_SCREEN * amr
        amr = mean([r for r in ranges if r < limit])
    return amr


def _const(value: Num, length: int) -> list[Num]:
    return [value] * length


def _base_values(part: PartData, ys: list[Num] | None = None) -> list[float]:
    source = part.y if ys is None else ys
    return [y for y, b in zip(source, part.base, strict=False) if b and y is not None]


def _around(cl: Num, sigma: Num | list[Num], k: float, length: int) -> tuple[list[Num], list[Num]]:
    """cl ∓ k·σ at each point; `sigma` is one number for every point, or one per point."""
    if cl is None:
        return _const(None, length), _const(None, length)
    if not isinstance(sigma, list):  # one σ: one number per limit, not one per point
        return (
            _const(None if sigma is None else cl - k * sigma, length),
            _const(None if sigma is None else cl + k * sigma, length),
        )
    return [None if s is None else cl - k * s for s in sigma], [
        None if s is None else cl + k * s for s in sigma
    ]


def _lines(y: list[Num], cl: Num, sigma: Num | list[Num]) -> Lines:
    """The lines of a part: `sigma` is one σ for every point (bench/bench_points.py: 1M
    points, 4 x 24 MB of floats less), or one per point."""
    length = len(y)
    lcl, ucl = _around(cl, sigma, 3, length)
    lcl_2s, ucl_2s = _around(cl, sigma, 2, length)
    return Lines(y=list(y), cl=_const(cl, length), lcl=lcl, ucl=ucl, lcl_2s=lcl_2s, ucl_2s=ucl_2s)


def _clip(values: list[Num], low: float | None, high: float | None) -> list[Num]:
    lo = -math.inf if low is None else low
    hi = math.inf if high is None else high
    # NaN compares false both ways and is kept, as a limit that is not finite is
    return [v if v is None or not (v < lo or v > hi) else (lo if v < lo else hi) for v in values]


def _clipped(lines: Lines, high: float | None = None) -> Lines:
    return Lines(
        y=lines.y,
        cl=lines.cl,
        lcl=_clip(lines.lcl, 0.0, high),
        ucl=_clip(lines.ucl, None, high),
        lcl_2s=_clip(lines.lcl_2s, 0.0, high),
        ucl_2s=_clip(lines.ucl_2s, None, high),
    )


def run_lines(part: PartData, screen: bool) -> Lines:
    """Run chart: the median of the baseline; no limits (qic.run)."""
    cl = median(_base_values(part))
    none = _const(None, len(part.y))
    return Lines(
        y=list(part.y), cl=_const(cl, len(part.y)), lcl=none, ucl=none, lcl_2s=none, ucl_2s=none
    )


def i_lines(part: PartData, screen: bool) -> Lines:
    """Individuals (XmR): mean ± 3·MR̄/1.128 (qic.i; Montgomery 6.33)."""
    cl = mean(_base_values(part))
    if cl is None:
        return _lines(part.y, None, None)
    # qicharts2 takes the ranges of (y − cl); kept for identical rounding.
    deviations = [
        None if y is None else y - cl for y, b in zip(part.y, part.base, strict=False) if b
    ]
    amr = average_moving_range(deviations, screen)
    sigma = None if amr is None else amr / D2
    return _lines(part.y, cl, sigma)


def mr_lines(part: PartData, screen: bool) -> Lines:
    """Moving ranges: y = |Δy|, cl = mean, UCL = 3.267·cl, LCL = 0 (qic.mr)."""
    # one moving range per point, the first missing; no points, no ranges
    y: list[Num] = [None] if part.y else []
    y.extend(
        None if a is None or b is None else abs(b - a)
        for a, b in zip(part.y, part.y[1:], strict=False)
    )
    cl = mean([v for v, b in zip(y, part.base, strict=False) if b and v is not None])
    length = len(y)
    ucl = None if cl is None else MR_SCREEN * cl
    ucl_2s = None if cl is None else (MR_SCREEN / 3) * 2 * cl
    zero: Num = None if cl is None else 0.0
    return Lines(
        y=y,
        cl=_const(cl, length),
        lcl=_const(zero, length),
        ucl=_const(ucl, length),
        lcl_2s=_const(zero, length),
        ucl_2s=_const(ucl_2s, length),
    )


def c4(n: int) -> float | None:
    """Bias correction c4(n) = √(2/(n−1))·Γ(n/2)/Γ((n−1)/2); None for n ≤ 1.

    >>> round(c4(5), 4)
    0.94
    """
    if n <= 1:
        return None
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def _pooled_sd(part: PartData) -> float | None:
    """σ̂ of xbar/s charts: mean(s_i) for equal sizes, else pooled (Montgomery 6.29/6.31)."""
    present = [i for i, s in enumerate(part.size) if s > 0]
    sizes = {part.size[i] for i in present}
    base = [i for i in present if part.base[i]]
    if len(sizes) > 1:
        pairs = [(part.size[i], part.sd[i]) for i in base]
        num = math.fsum((n - 1) * sd**2 for n, sd in pairs if sd is not None)
        den = math.fsum(part.size[i] - 1 for i in base)
        return math.sqrt(num / den) if den > 0 else None
    return mean([s for s in (part.sd[i] for i in base) if s is not None])


def xbar_lines(part: PartData, screen: bool) -> Lines:
    """x̄ chart: weighted grand mean ± A3(n_i)·σ̂, A3 = 3/(c4·√n) (qic.xbar)."""
    base = [i for i, b in enumerate(part.base) if b and part.size[i] > 0]
    weight = math.fsum(part.size[i] for i in base)
    cl = math.fsum(part.size[i] * part.y[i] for i in base) / weight if weight else None  # type: ignore[operator]
    sd = _pooled_sd(part)
    sigma: list[Num] = []
    for n in part.size:
        c = c4(n)
        sigma.append(None if c is None or sd is None else sd / (c * math.sqrt(n)))
    return _lines(part.y, cl, sigma)


def s_lines(part: PartData, screen: bool) -> Lines:
    """s chart: cl = σ̂, limits B3(n_i)·cl and B4(n_i)·cl (qic.s)."""
    cl = _pooled_sd(part)
    length = len(part.y)
    out = Lines(y=list(part.sd), cl=_const(cl, length), lcl=[], ucl=[], lcl_2s=[], ucl_2s=[])
    for n in part.size:
        c = c4(n)
        for k, low, high in ((3, out.lcl, out.ucl), (2, out.lcl_2s, out.ucl_2s)):
            if c is None or cl is None:
                low.append(None)
                high.append(None)
                continue
            ratio = k * math.sqrt(1 - c * c) / c
            low.append(max(0.0, 1 - ratio) * cl)
            high.append((1 + ratio) * cl)
    return out


T_POWER = 3.6


def t_lines(part: PartData, screen: bool) -> Lines:
    """Time between events: I chart of y^(1/3.6), back-transformed (qic.t)."""
    transformed = [None if y is None else y ** (1 / T_POWER) for y in part.y]
    inner = i_lines(PartData(y=transformed, y_sum=[], n=[], size=[], sd=[], base=part.base), screen)

    def back(v: Num) -> Num:
        return None if v is None or v < 0 else v**T_POWER

    lcl = [0.0 if v is not None and v < 0 else back(v) for v in inner.lcl]
    return Lines(
        y=[back(v) for v in inner.y],
        cl=[back(v) for v in inner.cl],
        lcl=lcl,
        ucl=[back(v) for v in inner.ucl],
        lcl_2s=[back(v) for v in inner.lcl_2s],
        ucl_2s=[back(v) for v in inner.ucl_2s],
    )


def _ratio_cl(part: PartData) -> float | None:
    idx = [i for i, b in enumerate(part.base) if b and part.y_sum[i] is not None]
    total_n = math.fsum(part.n[i] for i in idx)  # type: ignore[misc]
    return math.fsum(part.y_sum[i] for i in idx) / total_n if total_n else None  # type: ignore[misc]


def _laney(part: PartData, cl: Num, sigma: list[Num], screen: bool) -> list[Num]:
    """Laney (2002): inflate σ_i by σ_z = MR̄(z)/1.128, z_i = (p_i − cl)/σ_i."""
    z: list[Num] = []
    for y, s, b in zip(part.y, sigma, part.base, strict=False):
        if b:
            z.append(None if y is None or s is None or s == 0 or cl is None else (y - cl) / s)
    amr = average_moving_range(z, screen)
    if amr is None:
        return _const(None, len(sigma))
    return [None if s is None else s * (amr / D2) for s in sigma]


def _sigmas(spread: Num, ns: list[Num]) -> list[Num]:
    """σ_i = √(spread/n_i) for each n_i, None where n_i is missing or 0 (or spread is
    None): spread is cl(1−cl) for proportions (binomial), cl for rates (Poisson)."""
    if spread is None:
        return _const(None, len(ns))
    sqrt = math.sqrt
    return [None if n is None or n == 0 else sqrt(spread / n) for n in ns]


def p_lines(part: PartData, screen: bool) -> Lines:
    """Proportions: cl = Σy/Σn, σ_i = √(cl(1−cl)/n_i), limits within [0, 1] (qic.p)."""
    cl = _ratio_cl(part)
    sigma = _sigmas(None if cl is None else cl * (1 - cl), part.n)
    return _clipped(_lines(part.y, cl, sigma), high=1.0)


def pp_lines(part: PartData, screen: bool) -> Lines:
    """Laney p′ (qic.pp)."""
    cl = _ratio_cl(part)
    sigma = _laney(part, cl, _sigmas(None if cl is None else cl * (1 - cl), part.n), screen)
    return _clipped(_lines(part.y, cl, sigma), high=1.0)


def u_lines(part: PartData, screen: bool) -> Lines:
    """Rates: cl = Σy/Σn, σ_i = √(cl/n_i), LCL ≥ 0 (qic.u; Montgomery 7.19)."""
    cl = _ratio_cl(part)
    return _clipped(_lines(part.y, cl, _sigmas(cl, part.n)))


def up_lines(part: PartData, screen: bool) -> Lines:
    """Laney u′ (qic.up)."""
    cl = _ratio_cl(part)
    sigma = _laney(part, cl, _sigmas(cl, part.n), screen)
    return _clipped(_lines(part.y, cl, sigma))


def c_lines(part: PartData, screen: bool) -> Lines:
    """Counts: cl = mean, σ = √cl, LCL ≥ 0 (qic.c; Montgomery 7.17)."""
    cl = mean(_base_values(part))
    sigma = None if cl is None else math.sqrt(cl)
    return _clipped(_lines(part.y, cl, sigma))


def g_lines(part: PartData, screen: bool) -> Lines:
    """Opportunities between events: mean ± 3√(m(m+1)), LCL ≥ 0; cl drawn at the median.

    qic.g (Montgomery p. 319); the runs analysis uses the drawn median.
    """
    values = _base_values(part)
    m = mean(values)
    sigma = None if m is None else math.sqrt(m * (m + 1))
    lines = _clipped(_lines(part.y, m, sigma))
    return Lines(
        y=lines.y,
        cl=_const(median(values), len(part.y)),
        lcl=lines.lcl,
        ucl=lines.ucl,
        lcl_2s=lines.lcl_2s,
        ucl_2s=lines.ucl_2s,
    )


CHART_LINES: dict[str, Callable[[PartData, bool], Lines]] = {
    "run": run_lines,
    "i": i_lines,
    "mr": mr_lines,
    "xbar": xbar_lines,
    "s": s_lines,
    "t": t_lines,
    "p": p_lines,
    "pp": pp_lines,
    "u": u_lines,
    "up": up_lines,
    "c": c_lines,
    "g": g_lines,
}


def points_outside(lines: Lines, factor: float, start: int) -> tuple[list[int], list[int]]:
    """Points strictly above and strictly below the limits (after multiply, as qicharts2
    compares), in order; a point above is never also counted below."""
    isfinite = math.isfinite
    above = [
        i
        for i, y, high in zip(itertools.count(start), lines.y, lines.ucl)
        if y is not None and high is not None and isfinite(high) and y * factor > high * factor
    ]
    below = [
        i
        for i, y, low in zip(itertools.count(start), lines.y, lines.lcl)
        if y is not None and low is not None and isfinite(low) and y * factor < low * factor
    ]
    if above and below:  # only with limits the wrong way round; the upper one wins
        upper = set(above)
        below = [i for i in below if i not in upper]
    return above, below
