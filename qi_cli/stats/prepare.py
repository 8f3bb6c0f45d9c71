"""Input checking and aggregation into one row per plotted point.

All checks raise :class:`StatsError` naming the precondition that failed. Conventions:

* ``None`` and NaN are missing values: skipped, never treated as zero. A missing
  denominator, or a denominator of 0, makes the point missing too.
* Infinite values are rejected (StatsError): they are always a data error.
* Several rows with the same subgroup key are aggregated as qicharts2's ``qic`` does:
  the mean of the values, their sum for c charts, Σy/Σn when denominators are given,
  and the sample standard deviation for s charts.
* With denominators, a row whose value or denominator is missing keeps neither: it
  adds nothing to its subgroup's denominator, and a point with no value has no
  denominator, so no limits are drawn at the gap. qicharts2 does the same (``qic``
  blanks ``y`` and ``n`` of incomplete rows with ``complete.cases(y, n)``; its summed
  ``n`` is then 0 where qi keeps ``None``).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import StatsError

METHODS = ("anhoej", "ihi", "mdc")
DIRECTIONS = ("increase", "decrease", "neutral")
RATIO_CHARTS = ("p", "pp", "u", "up")
NO_DENOMINATOR_CHARTS = ("c", "g", "t", "xbar", "s")
NON_NEGATIVE_CHARTS = ("p", "pp", "u", "up", "c", "g")
CHART_NAMES = {
    "run": "run chart",
    "i": "XmR (I) chart",
    "mr": "moving range chart",
    "xbar": "Xbar chart",
    "s": "S chart",
    "t": "T chart (time between events)",
    "p": "P chart",
    "pp": "P' chart (Laney)",
    "u": "U chart",
    "up": "U' chart (Laney)",
    "c": "C chart",
    "g": "G chart (cases between events)",
}
"""What each chart is called in titles and messages."""
CHARTS = tuple(CHART_NAMES)
"""The chart types, in the order help and messages list them."""

METHOD_NAMES = {
    "anhoej": "Anhøj rules",
    "ihi": "IHI run chart rules",
    "mdc": "Making Data Count",
}
"""What each rule set is called in titles and messages."""


@dataclass(frozen=True)
class Rows:
    """One row per plotted point, before ``multiply``.

    ``y`` is the statistic the chart plots (mean, ratio, count or SD); ``y_sum`` the sum
    of the present values; ``n`` the summed denominator; ``size`` the number of present
    values; ``sd`` their sample SD (``None`` below two values).
    """

    y: list[float | None]
    y_sum: list[float | None]
    n: list[float | None]
    size: list[int]
    sd: list[float | None]
    zero_denominators: int


def number(value: Any, what: str) -> float | None:
    """A finite float, or ``None`` for None/NaN; StatsError for anything else.

    >>> number(3, "values"), number(float("nan"), "values"), number(None, "values")
    (3.0, None, None)
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise StatsError(f"{what} must be numbers or None, got {type(value).__name__}")
    try:
        result = float(value)
    except OverflowError:
        raise StatsError(f"{what} must be finite numbers (got a too large integer)") from None
    if math.isnan(result):
        return None
    if math.isinf(result):
        raise StatsError(f"{what} must be finite numbers or None (got {result})")
    return result


def integer(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise StatsError(f"{what} must be an integer, got {type(value).__name__}")
    return value


def as_list(values: Any, what: str) -> list[Any]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise StatsError(f"{what} must be a sequence (list or tuple)")
    return list(values)


def check_choice(value: Any, what: str, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in choices:
        raise StatsError(f"{what} must be one of {', '.join(choices)}; got {value!r}")
    return value


def build_rows(
    chart: str,
    raw_values: list[Any],
    raw_denominators: list[Any] | None,
    raw_subgroups: list[Any] | None,
) -> Rows:
    """Check values and denominators and aggregate them into plotted rows."""
    values = _numbers(raw_values, "values")
    denominators = None
    if raw_denominators is not None:
        denominators = _numbers(raw_denominators, "denominators")
        if any(d is not None and d < 0 for d in denominators):
            raise StatsError("denominators must not be negative")
    _check_value_ranges(chart, values, denominators)
    if raw_subgroups is None:
        return _single_rows(chart, values, denominators)
    return _grouped_rows(chart, values, denominators, raw_subgroups)


def _numbers(raw: list[Any], what: str) -> list[float | None]:
    """Each value as `number` gives it: a finite float, or None."""
    if set(map(type, raw)) <= {float, type(None)} and math.isfinite(sum(filter(None, raw))):
        # the usual case, floats (None in a gap) that are all finite, taken as they are: a
        # sum is finite only when each value is (portfolio of 1,000 projects: 0.4 M
        # instructions a project less than a check a value)
        return list(raw)
    isfinite = math.isfinite
    return [v if type(v) is float and isfinite(v) else number(v, what) for v in raw]


def _check_value_ranges(
    chart: str, values: list[float | None], denominators: list[float | None] | None
) -> None:
    if chart in NON_NEGATIVE_CHARTS and any(v is not None and v < 0 for v in values):
        raise StatsError(f"values must not be negative for a {chart} chart (counts or events)")
    if chart == "t" and any(v is not None and v <= 0 for v in values):
        raise StatsError("values must be greater than zero for a t chart (time between events)")
    if chart in ("p", "pp") and denominators is not None:
        for v, d in zip(values, denominators, strict=False):
            if v is not None and d is not None and v > d:
                raise StatsError(
                    f"numerators must not exceed denominators for a {chart} chart "
                    f"(got {v:g} of {d:g})"
                )


def _single_rows(
    chart: str, values: list[float | None], denominators: list[float | None] | None
) -> Rows:
    if denominators is None:
        return Rows(
            y=list(values),
            y_sum=list(values),
            n=[None] * len(values),
            size=[0 if v is None else 1 for v in values],
            sd=[None] * len(values),
            zero_denominators=0,
        )
    y: list[float | None] = []
    y_sum: list[float | None] = []
    zero = 0
    for v, d in zip(values, denominators, strict=False):
        if v is None or d is None or d == 0:
            zero += v is not None and d == 0
            y.append(None)
            y_sum.append(None)
        else:
            y.append(v / d)
            y_sum.append(v)
    # a missing value drops its denominator too (qicharts2's complete.cases): no limits
    n = [None if v is None or d == 0 else d for v, d in zip(values, denominators, strict=False)]
    return Rows(
        y=y,
        y_sum=y_sum,
        n=n,
        size=[0 if v is None else 1 for v in y],
        sd=[None] * len(values),
        zero_denominators=zero,
    )


def _grouped_rows(
    chart: str,
    values: list[float | None],
    denominators: list[float | None] | None,
    subgroups: list[Any],
) -> Rows:
    order: dict[Hashable, list[int]] = {}
    try:
        for i, key in enumerate(subgroups):
            order.setdefault(key, []).append(i)
    except TypeError:
        raise StatsError("subgroups must be hashable keys (numbers, strings or dates)") from None
    rows = Rows(y=[], y_sum=[], n=[], size=[], sd=[], zero_denominators=0)
    zero = 0
    for members in order.values():
        present = [
            i
            for i in members
            if values[i] is not None and (denominators is None or denominators[i] is not None)
        ]
        ys = [v for v in (values[i] for i in present) if v is not None]
        total = math.fsum(ys) if ys else None
        denominator = None
        if denominators is not None:
            ds = [d for d in (denominators[i] for i in present) if d is not None]
            denominator = math.fsum(ds) if ds else None
        rows.size.append(len(ys))
        rows.y_sum.append(total)
        rows.sd.append(_sample_sd(ys))
        rows.n.append(None if denominator == 0 else denominator)
        if total is None:
            rows.y.append(None)
        elif denominators is not None:
            if denominator == 0 or denominator is None:
                zero += 1
                rows.y.append(None)
                rows.y_sum[-1] = None
            else:
                rows.y.append(total / denominator)
        elif chart == "c":
            rows.y.append(total)
        else:
            rows.y.append(total / len(ys))
    return Rows(
        y=rows.y, y_sum=rows.y_sum, n=rows.n, size=rows.size, sd=rows.sd, zero_denominators=zero
    )


def same_length(seq: Any, what: str, length: int) -> list[Any] | None:
    """`seq` as a list of `length` items (None stays None); StatsError otherwise."""
    if seq is None:
        return None
    items = as_list(seq, what)
    if len(items) != length:
        raise StatsError(f"{what} must have the same length as values ({length}), got {len(items)}")
    return items


def check_chart_inputs(
    chart: str, method: str, denominators: list[Any] | None, subgroups: list[Any] | None
) -> None:
    """StatsError when the chart and method do not fit the inputs given."""
    if chart in RATIO_CHARTS and denominators is None:
        raise StatsError(f"a {chart} chart needs denominators")
    if chart in NO_DENOMINATOR_CHARTS and denominators is not None:
        raise StatsError(f"a {chart} chart takes no denominators")
    if chart in ("xbar", "s") and subgroups is None:
        raise StatsError(f"a {chart} chart needs subgroups (several values per subgroup)")
    if method == "ihi" and chart != "run":
        raise StatsError("method 'ihi' applies to run charts: use chart='run'")
    if method == "mdc" and chart != "i":
        raise StatsError("method 'mdc' draws XmR charts: use chart='i'")


def scaled(values: list[float | None], factor: float) -> list[float | None]:
    """The values times ``multiply``; a result that is not finite is missing."""
    if factor == 1:
        # the usual case, every value finite, kept as it is; a sum is finite only when
        # each value is (summed in C: a generated portfolio project's statistics in
        # 1.4 M instructions fewer than with a call of isfinite a value)
        if math.isfinite(sum(filter(None, values))):
            return values
        return [None if v is None or not math.isfinite(v) else v for v in values]
    return [None if v is None or not math.isfinite(v * factor) else v * factor for v in values]


def _sample_sd(ys: list[float]) -> float | None:
    """Sample standard deviation (n − 1), as R's ``sd``; None below two values."""
    if len(ys) < 2:
        return None
    mean = math.fsum(ys) / len(ys)
    return math.sqrt(math.fsum((y - mean) ** 2 for y in ys) / (len(ys) - 1))


def index_list(raw: Any, what: str, low: int, high: int) -> list[int]:
    """Sorted unique integers, each within [low, high]."""
    items = as_list(raw, what)
    result = set()
    for item in items:
        value = integer(item, f"each of {what}")
        if not low <= value <= high:
            raise StatsError(f"{what} must be between {low} and {high}; got {value}")
        result.add(value)
    return sorted(result)


def parts_from_labels(labels: Sequence[Hashable]) -> list[int]:
    """Break points (for ``parts=``) from one phase label per point.

    A new part starts where a label first appears, as qicharts2 does with ``part`` given
    as labels. Labels must be contiguous.

    >>> parts_from_labels(["before", "before", "after", "after", "after"])
    [2]
    """
    breaks: list[int] = []
    seen: set[Hashable] = set()
    for i, label in enumerate(labels):
        if i and label != labels[i - 1]:
            if label in seen:
                raise StatsError(f"part labels must be contiguous; {label!r} appears twice")
            breaks.append(i)
        seen.add(label)
    return breaks
