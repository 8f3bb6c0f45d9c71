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

from qi_cli.files.csv_cells import DataRow, MeasureRows

SUMMED = ("proportion", "rate", "count")
"""Data types whose values add up across units; the others are averaged."""


def has_units(rows: Sequence[DataRow]) -> bool:
    units = MeasureRows.of(rows).units
    return units.count(None) != len(units)


def unit_names(rows: Sequence[DataRow]) -> list[str]:
    """The units in the order they first appear in the file."""
    return [name for name in dict.fromkeys(MeasureRows.of(rows).units) if name is not None]


def period_totals(rows: Sequence[DataRow], data_type: str) -> tuple[MeasureRows, str]:
    """One row per date, over every unit, and the sentence that says so under a chart."""
    columns = MeasureRows.of(rows)
    exclusions = columns.exclusions
    by_date: dict[dt.date, list[int]] = {}  # the positions of each date's values
    for k, (date, value) in enumerate(zip(columns.dates, columns.values, strict=True)):
        if value is not None:
            by_date.setdefault(date, []).append(k)
    summed = data_type in SUMMED
    totals: list[DataRow] = []
    for date, every in sorted(by_date.items()):
        # Excluded rows stay out of the total; a period whose rows are all excluded
        # is excluded as a whole.
        group = [k for k in every if exclusions[k] is None] or every
        values = [v for v in map(columns.values.__getitem__, group) if v is not None]
        dens = [d for d in map(columns.denominators.__getitem__, group) if d is not None]
        totals.append(
            DataRow(
                date=date,
                value=sum(values) if summed else sum(values) / len(values),
                denominator=sum(dens) if dens and summed else None,
                exclude=exclusions[every[0]] if group is every else None,
                line=columns.lines[group[0]],
            )
        )
    count = len(unit_names(columns))
    how = "the total" if summed else "the mean"
    note = (
        f"Each point is {how} of {count} units for its period; "
        "qi chart MEASURE --by unit draws each unit, qi funnel MEASURE compares them."
    )
    return MeasureRows.of(totals), note


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
    columns = MeasureRows.of(rows)
    units = columns.units if as_unit is None else [as_unit] * len(columns)
    sums: dict[str, list[float]] = {}
    for date, value, denominator, exclude, unit in zip(
        columns.dates, columns.values, columns.denominators, columns.exclusions, units, strict=True
    ):
        if unit is None or value is None or denominator is None or exclude is not None:
            continue
        if (start is not None and date < start) or (end is not None and date > end):
            continue
        entry = sums.setdefault(unit, [0.0, 0.0, 0])
        entry[0] += value
        entry[1] += denominator
        entry[2] += 1
    return [
        UnitTotal(unit=name, numerator=o, denominator=n, periods=int(k))
        for name, (o, n, k) in sums.items()
    ]
