"""The numbers of a Pareto chart, as qicharts2 0.8.1 `paretochart()` computes them.

Source: qicharts2::paretochart (Anhøj 2018); worked cases in
tests/stats/pareto_funnel_cases.json, computed by the package itself (R 4.2.2, C
collation). The method:

1. Count each distinct category. Missing values (None) are dropped unless
   `include_missing`; then they are one more category.
2. Order the categories by code point (R's C collation; Python compares strings the
   same way), missing last, then sort by count, largest first. The sort is stable, so
   tied categories keep that order.
3. `p = count / total` (the total leaves out dropped missing values); the cumulative
   count is a running sum, and the cumulative proportion is the running sum of `p`
   (not cumulative count / total).

Where qi differs: qicharts2 refuses fewer than two categories; qi draws one bar. And
ggplot2 draws a missing-value bar at the right end whatever its count, while its
cumulative line follows the rows; qi plots the rows in their order, so the line rises
from left to right.

>>> result = pareto(["falls", "delay", "falls", None])
>>> [(r.category, r.count, r.p_cum) for r in result.rows]
[('falls', 2, 0.6666666666666666), ('delay', 1, 1.0)]
>>> result.missing
1
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import StatsError

VITAL_FEW = 0.8  # the 80% line: the few categories that account for most of the total


@dataclass(frozen=True)
class ParetoRow:
    """One bar: a category (None: missing values), its count and share, and the sums."""

    category: str | None
    count: int
    count_cum: int
    p: float
    p_cum: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "count": self.count,
            "count_cum": self.count_cum,
            "p": self.p,
            "p_cum": self.p_cum,
        }


@dataclass(frozen=True)
class ParetoResult:
    """The bars in plotted order (largest first), the total, and what was left out."""

    rows: tuple[ParetoRow, ...]
    total: int
    missing: int  # missing values dropped (0 when they are counted as a category)

    @property
    def vital_few(self) -> tuple[ParetoRow, ...]:
        """The first categories up to and including the one whose cumulative share
        reaches 80%: the "vital few" a team tackles first."""
        for i, row in enumerate(self.rows):
            if row.p_cum >= VITAL_FEW - 1e-12:
                return self.rows[: i + 1]
        return self.rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": [row.to_dict() for row in self.rows],
            "total": self.total,
            "missing_dropped": self.missing,
            "vital_few": [row.category for row in self.vital_few],
        }


def pareto(
    categories: Iterable[str | None] | Mapping[str | None, int],
    include_missing: bool = False,
) -> ParetoResult:
    """The Pareto chart of `categories`: one label per event (None when missing), or
    a mapping of category to count (a count of 0 still gives a bar, as an unused
    factor level does in qicharts2).

    >>> [r.category for r in pareto({"b": 3, "a": 3, "c": 5}).rows]
    ['c', 'a', 'b']
    """
    if isinstance(categories, Mapping):
        counts: dict[str | None, int] = {}
        for category, count in categories.items():
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise StatsError(f"a count must be a whole number of 0 or more; got {count!r}")
            counts[category] = count
    else:
        counts = dict(Counter(categories))
    missing = counts.pop(None, 0)
    # code-point order, as R's C collation (None was popped above)
    named: list[str] = sorted(c for c in counts if c is not None)
    order: list[str | None] = [*named]
    if include_missing and missing:
        order.append(None)  # missing values start last, so they come last among ties
        counts[None] = missing
        missing = 0
    if not order:
        raise StatsError("there are no categories to count")
    order.sort(key=lambda c: counts[c], reverse=True)  # stable: ties keep the order above
    total = sum(counts[c] for c in order)
    if total == 0:
        raise StatsError("every count is 0: there is nothing to chart")
    rows: list[ParetoRow] = []
    shares: list[float] = []
    count_cum = 0
    for category in order:
        count = counts[category]
        count_cum += count
        p = count / total
        shares.append(p)
        # R's cumsum adds in extended precision; fsum is the correctly rounded sum
        rows.append(
            ParetoRow(
                category=category,
                count=count,
                count_cum=count_cum,
                p=p,
                p_cum=math.fsum(shares),
            )
        )
    return ParetoResult(rows=tuple(rows), total=total, missing=missing)
