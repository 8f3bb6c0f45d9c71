"""Measures recorded per unit (ward, team, site): a CSV with a `unit` column.

A measure's rows may each name the unit they belong to. Charted without ``--by unit``,
such a measure shows one point per period: the total over the units (numerators and
denominators summed, so a proportion is the pooled proportion; a measurement is the
mean of the units' values). ``unit_totals`` sums each unit over a period for the funnel plot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from qi_cli.files.csv_cells import DataRow

SUMMED = ("proportion", "rate", "count")
"""Data types whose values add up across units; the others are averaged."""


def has_units(rows: Sequence[DataRow]) -> bool:
    return any(r.unit is not None for r in rows)


def unit_names(rows: Sequence[DataRow]) -> list[str]:
    """The units in the order they first appear in the file."""
    return list(dict.fromkeys(r.unit for r in rows if r.unit is not None))


def period_totals(rows: Sequence[DataRow], data_type: str) -> tuple[list[DataRow], str]:
    """One row per date, over every unit, and the sentence that says so under a chart."""
    by_date: dict[dt.date, list[DataRow]] = {}
    for row in rows:
        if row.value is not None:
            by_date.setdefault(row.date, []).append(row)
    totals = []
    for date, every in sorted(by_date.items()):
        # Excluded rows stay out of the total; a period whose rows are all excluded
        # is excluded as a whole.
        group = [r for r in every if r.exclude is None] or every
        exclude = every[0].exclude if group is every and every[0].exclude else None
        values = [r.value for r in group if r.value is not None]
        dens = [r.denominator for r in group if r.denominator is not None]
        summed = data_type in SUMMED
        value = sum(values) if summed else sum(values) / len(values)
        totals.append(
            DataRow(
                date=date,
                value=value,
                denominator=sum(dens) if dens and summed else None,
                exclude=exclude,
                line=group[0].line,
            )
        )
    count = len(unit_names(rows))
    how = "the total" if data_type in SUMMED else "the mean"
    note = (
        f"Each point is {how} of {count} units for its period; "
        "qi chart MEASURE --by unit draws each unit, qi funnel MEASURE compares them."
    )
    return totals, note


@dataclass(frozen=True)
class UnitTotal:
    """One unit's numerator and denominator summed over a period."""

    unit: str
    numerator: float
    denominator: float
    periods: int


def unit_totals(
    rows: Sequence[DataRow],
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    as_unit: str | None = None,
) -> list[UnitTotal]:
    """Each unit's sums over the dates from start to end (both included). With
    ``as_unit`` every row counts towards that one name (a project as a whole)."""
    sums: dict[str, list[float]] = {}
    for row in rows:
        unit = as_unit if as_unit is not None else row.unit
        if unit is None or row.value is None or row.denominator is None:
            continue
        if row.exclude is not None:
            continue
        if (start is not None and row.date < start) or (end is not None and row.date > end):
            continue
        entry = sums.setdefault(unit, [0.0, 0.0, 0])
        entry[0] += row.value
        entry[1] += row.denominator
        entry[2] += 1
    return [
        UnitTotal(unit=name, numerator=o, denominator=n, periods=int(k))
        for name, (o, n, k) in sums.items()
    ]
