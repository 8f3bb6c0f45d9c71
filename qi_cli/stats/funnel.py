"""Funnel plots for comparing units (wards, teams, sites): Spiegelhalter's method.

Pure functions, no I/O. :func:`funnel` takes one numerator and one denominator per row
(rows of the same group are summed) and returns each unit's value, z-score, limits and
outlier flags around the pooled value, optionally widened for overdispersion.

Sources: Spiegelhalter DJ (2005), Funnel plots for comparing institutional performance,
*Stat Med* 24:1185–1202 (doi:10.1002/sim.1970); Spiegelhalter DJ et al. (2012),
Statistical methods for healthcare regulation, *JRSS A* 175:1–47 (the SHMI and CQC
standardised-ratio scales, winsorising and truncation); DerSimonian & Laird (1986) for the
additive random-effects variance tau². The numbers equal FunnelPlotR 0.5.0
``funnel_plot()`` except in two places where it departs from the published method and
this module follows the papers (see ``docs/statistics.md``):

* proportions: a limit whose angle passes 0 (or pi/2) is 0 (or the multiplier) at every
  denominator; FunnelPlotR's plotting grid can leave a small positive lower limit at the
  last point before the crossing, which flags a zero proportion as low;
* SR with the CQC (square-root) scale: the overdispersion-adjusted limits are squared
  back from the root scale, ``m·(1 ∓ z·√v)²`` (Spiegelhalter et al. 2012); FunnelPlotR
  leaves them on the root scale, ``m·(1 ∓ z·√v)``, about half as wide.

>>> r = funnel([10, 20], [100, 100], overdispersion=False)
>>> r.target, [u.outlier95 for u in r.units]
(0.15, [False, False])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .errors import StatsError
from .gamma import gamma_quantile

DataType = Literal["PR", "SR", "RC"]
SRMethod = Literal["SHMI", "CQC"]
DATA_TYPES: tuple[str, ...] = ("PR", "SR", "RC")
SR_METHODS: tuple[str, ...] = ("SHMI", "CQC")

Z95 = 1.959964
"""Two-sided 95% normal quantile, as FunnelPlotR hard-codes it."""
Z998 = 3.090232
"""Two-sided 99.8% normal quantile, as FunnelPlotR hard-codes it."""
TRIM = 0.1
"""Share of units winsorised (or truncated, SHMI) at each tail before estimating phi."""


@dataclass(frozen=True)
class Limits:
    """The 95% and 99.8% limits at one denominator, already times the multiplier."""

    lcl95: float
    ucl95: float
    lcl998: float
    ucl998: float


@dataclass(frozen=True)
class FunnelUnit:
    """One unit on the funnel plot."""

    group: str
    numerator: float
    denominator: float
    """As used: for SR on the SHMI scale, the expected count rounded to 2 dp."""
    rr: float
    """numerator / denominator (before the multiplier)."""
    z: float
    """The unadjusted z-score (−inf for SR-SHMI with O = 0)."""
    z_trimmed: float | None
    """The winsorised z-score used for phi; None when the unit was truncated (SHMI)."""
    trimmed: bool
    unadjusted: Limits
    adjusted: Limits
    limits: Limits
    """The limits in use (adjusted, or unadjusted when there is no overdispersion)."""
    outlier95: bool
    outlier998: bool


@dataclass(frozen=True)
class FunnelResult:
    """A funnel plot's statistics: the pooled target, overdispersion and the units."""

    data_type: str
    sr_method: str
    multiplier: float
    target: float
    """The pooled value (ΣO/Σn; 1 for SR), before the multiplier."""
    phi: float
    tau2: float
    adjusted: bool
    """True when the limits in use are widened by tau2."""
    units: tuple[FunnelUnit, ...]

    @property
    def centre(self) -> float:
        return self.target * self.multiplier

    def limits_at(self, denominator: float) -> Limits:
        """The limits in use at any denominator, to draw the funnel's curves."""
        tau2 = self.tau2 if self.adjusted else 0.0
        return _limits(
            self.data_type,
            self.sr_method,
            self.target,
            self.multiplier,
            denominator,
            tau2,
            exact=not self.adjusted,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: target, phi, tau2 and per unit rr, z, the limits in use, flags."""
        return {
            "data_type": self.data_type,
            "sr_method": self.sr_method if self.data_type == "SR" else None,
            "multiplier": self.multiplier,
            "target": self.target,
            "phi": _json_float(self.phi),
            "tau2": _json_float(self.tau2),
            "adjusted": self.adjusted,
            "units": [
                {
                    "group": u.group,
                    "numerator": u.numerator,
                    "denominator": u.denominator,
                    "rr": u.rr,
                    "z": _json_float(u.z),
                    "lcl95": _json_float(u.limits.lcl95),
                    "ucl95": _json_float(u.limits.ucl95),
                    "lcl998": _json_float(u.limits.lcl998),
                    "ucl998": _json_float(u.limits.ucl998),
                    "outlier95": u.outlier95,
                    "outlier998": u.outlier998,
                }
                for u in self.units
            ],
        }


def funnel(
    numerators: Sequence[float],
    denominators: Sequence[float],
    groups: Sequence[str] | None = None,
    data_type: str = "PR",
    sr_method: str = "SHMI",
    overdispersion: bool = True,
    multiplier: float = 1,
) -> FunnelResult:
    """Spiegelhalter's funnel plot of units, with 95% and 99.8% limits.

    ``data_type``: ``"PR"`` proportions (numerator events out of a denominator), ``"SR"``
    standardised ratios (observed over expected), ``"RC"`` a ratio of two counts.
    ``sr_method`` (SR only): ``"SHMI"`` (log scale, 10% truncation, E rounded to 2 dp) or
    ``"CQC"`` (square-root scale, 10% winsorising). With ``overdispersion`` the limits are
    widened by the additive random-effects variance tau² when phi > 1; otherwise phi and
    tau2 are reported as 0 and the limits are the unadjusted ones.
    """
    if data_type not in DATA_TYPES:
        raise StatsError(f"data_type must be one of {', '.join(DATA_TYPES)}, not {data_type!r}")
    if sr_method not in SR_METHODS:
        raise StatsError(f"sr_method must be SHMI or CQC, not {sr_method!r}")
    if not multiplier > 0:
        raise StatsError("the multiplier must be a positive number")
    names, obs, den = _grouped(numerators, denominators, groups, data_type)
    shmi = data_type == "SR" and sr_method == "SHMI"
    if shmi:
        den = [round(e, 2) for e in den]
        if any(e <= 0 for e in den):
            raise StatsError("an expected count rounds to 0.00; SHMI needs E of at least 0.005")
    target = 1.0 if data_type == "SR" else sum(obs) / sum(den)
    scores = [_z_score(data_type, sr_method, target, o, n) for o, n in zip(obs, den, strict=True)]
    z = [score for score, _ in scores]
    weights = [1.0 / s**2 for _, s in scores]
    kept, z_used = _truncate(z) if shmi else _winsorise(z)
    phi, tau2 = _overdispersion([z_used[i] for i in kept], [weights[i] for i in kept])
    adjusted = overdispersion and phi > 1
    if not overdispersion:
        phi = tau2 = 0.0
    units = []
    for i, (name, o, n) in enumerate(zip(names, obs, den, strict=True)):
        rr = o / n
        plain = _limits(data_type, sr_method, target, multiplier, n, 0.0, exact=True)
        widened = _limits(data_type, sr_method, target, multiplier, n, tau2, exact=False)
        used = widened if adjusted else plain
        value = rr * multiplier
        units.append(
            FunnelUnit(
                group=name,
                numerator=o,
                denominator=n,
                rr=rr,
                z=z[i],
                z_trimmed=z_used[i] if i in kept else None,
                trimmed=i not in kept or z_used[i] != z[i],
                unadjusted=plain,
                adjusted=widened,
                limits=used,
                outlier95=value > used.ucl95 or value < used.lcl95,
                outlier998=value > used.ucl998 or value < used.lcl998,
            )
        )
    return FunnelResult(
        data_type=data_type,
        sr_method=sr_method,
        multiplier=float(multiplier),
        target=target,
        phi=phi,
        tau2=tau2,
        adjusted=adjusted,
        units=tuple(units),
    )


def _grouped(
    numerators: Sequence[float],
    denominators: Sequence[float],
    groups: Sequence[str] | None,
    data_type: str,
) -> tuple[list[str], list[float], list[float]]:
    """Rows summed by group, in order of first appearance; every precondition checked."""
    if len(numerators) != len(denominators):
        raise StatsError("numerators and denominators must have the same length")
    if groups is None:
        groups = [str(i + 1) for i in range(len(numerators))]
    elif len(groups) != len(numerators):
        raise StatsError("groups must have one name per numerator")
    totals: dict[str, list[float]] = {}
    for name, o, n in zip(groups, numerators, denominators, strict=True):
        if not (math.isfinite(o) and math.isfinite(n)) or o < 0 or n < 0:
            raise StatsError(f"unit {name}: numerator and denominator must be 0 or more")
        pair = totals.setdefault(str(name), [0.0, 0.0])
        pair[0] += o
        pair[1] += n
    if len(totals) < 2:
        raise StatsError("a funnel plot needs at least 2 units")
    for name, (o, n) in totals.items():
        if n <= 0:
            raise StatsError(f"unit {name}: the denominator must be more than 0")
        if data_type == "PR" and o > n:
            raise StatsError(
                f"unit {name}: a proportion's numerator ({o:g}) exceeds its denominator ({n:g})"
            )
    if data_type != "SR" and sum(o for o, _ in totals.values()) == 0:
        raise StatsError("every numerator is 0: there is no pooled value to compare with")
    return list(totals), [p[0] for p in totals.values()], [p[1] for p in totals.values()]


def _z_score(
    data_type: str, sr_method: str, target: float, o: float, n: float
) -> tuple[float, float]:
    """(z, s) on the scale where a unit's value is roughly normal (Spiegelhalter et al. 2012)."""
    if data_type == "PR":
        s = 1.0 / (2.0 * math.sqrt(n))
        return (math.asin(math.sqrt(o / n)) - math.asin(math.sqrt(target))) / s, s
    if data_type == "SR" and sr_method == "SHMI":
        s = 1.0 / math.sqrt(n)
        return (-math.inf if o == 0 else math.sqrt(n) * math.log(o / n)), s
    if data_type == "SR":
        s = 1.0 / (2.0 * math.sqrt(n))
        return (math.sqrt(o / n) - 1.0) / s, s
    s = math.sqrt(o / (o + 0.5) ** 2 + n / (n + 0.5) ** 2)
    return (math.log((o + 0.5) / (n + 0.5)) - math.log(target)) / s, s


def _truncate(z: list[float]) -> tuple[set[int], list[float]]:
    """SHMI: drop the units in the lowest and highest 10% of z (by average rank)."""
    count = len(z)
    order = sorted(range(count), key=lambda i: z[i])
    ranks = [0.0] * count
    start = 0
    while start < count:  # ties share their average rank, as R's rank()
        end = start
        while end + 1 < count and z[order[end + 1]] == z[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2 + 1
        start = end + 1
    decile = [math.floor(10 * r / (count + 1)) for r in ranks]
    return {i for i in range(count) if 0 < decile[i] < 9}, list(z)


def _winsorise(z: list[float]) -> tuple[set[int], list[float]]:
    """Clamp z to its 10th and 90th percentiles (R's default type-7 quantile)."""
    low, high = _quantile(z, TRIM), _quantile(z, 1 - TRIM)
    return set(range(len(z))), [min(max(v, low), high) for v in z]


def _quantile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    lo = math.floor(h)
    if lo + 1 >= len(ordered):
        return ordered[lo]
    return ordered[lo] + (h - lo) * (ordered[lo + 1] - ordered[lo])


def _overdispersion(z: list[float], w: list[float]) -> tuple[float, float]:
    """phi = Σz²/K and DerSimonian–Laird tau² (Spiegelhalter 2005; Spiegelhalter et al. 2012)."""
    k = len(z)
    if k == 0:
        return 0.0, 0.0
    phi = sum(v * v for v in z) / k
    if k * phi < k - 1 or not math.isfinite(phi):
        return phi, (math.inf if not math.isfinite(phi) else 0.0)
    sw = sum(w)
    tau2 = max(0.0, (k * phi - (k - 1)) / (sw - sum(x * x for x in w) / sw))
    return phi, tau2


def _limits(
    data_type: str, sr_method: str, target: float, m: float, n: float, tau2: float, *, exact: bool
) -> Limits:
    """The 95% and 99.8% limits at denominator n (Spiegelhalter 2005; Spiegelhalter et al. 2012)."""
    if data_type == "SR" and exact:
        # Exact Poisson limits for a count of E, divided by E (Garwood 1936):
        # qchisq(a, 2E)/(2E) and qchisq(1-a, 2E+2)/(2E); qchisq(p, 2k)/2 = qgamma(p, k).
        return Limits(
            lcl95=m * gamma_quantile(0.025, n) / n,
            ucl95=m * gamma_quantile(0.975, n + 1) / n,
            lcl998=m * gamma_quantile(0.001, n) / n,
            ucl998=m * gamma_quantile(0.999, n + 1) / n,
        )
    bands = []
    for zq in (Z95, Z998):
        if data_type == "SR" and sr_method == "SHMI":
            half = zq * math.sqrt(1.0 / n + tau2)
            bands.append((m * math.exp(-half), m * math.exp(half)))
            continue
        half = zq * math.sqrt(1.0 / (4.0 * n) + tau2)
        if data_type == "PR":
            # On the angular scale; a limit past 0 or pi/2 is the end of the scale.
            centre = math.asin(math.sqrt(target))
            low = max(centre - half, 0.0)
            high = min(centre + half, math.pi / 2)
            bands.append((m * math.sin(low) ** 2, m * math.sin(high) ** 2))
        elif data_type == "SR":  # CQC: square-root scale, squared back (2012)
            bands.append((m * max(1.0 - half, 0.0) ** 2, m * (1.0 + half) ** 2))
        else:  # RC: log scale around the pooled ratio
            bands.append(
                (m * math.exp(math.log(target) - half), m * math.exp(math.log(target) + half))
            )
    (l95, u95), (l998, u998) = bands
    return Limits(lcl95=l95, ucl95=u95, lcl998=l998, ucl998=u998)


def _json_float(value: float) -> float | None:
    return value if math.isfinite(value) else None
