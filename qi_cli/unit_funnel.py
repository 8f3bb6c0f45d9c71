"""A funnel plot of a measure's units (wards, teams, sites) over a period.

Each unit's numerators and denominators are summed over the period, then compared with
the pooled value by :func:`qi_cli.stats.funnel` (Spiegelhalter 2005):

* a proportion is compared as a proportion (``PR``);
* a rate (events per exposure) as a standardised ratio (``SR``): a unit's expected count
  is its exposure times the pooled rate, and the multiplier puts the ratio back on the
  rate's own scale, so the plot shows each unit's rate around the pooled rate with
  exact Poisson limits.

Other data types have no denominator to compare units by, and are refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from qi_cli.errors import FieldError, QiError
from qi_cli.files.loaded import LoadedProject
from qi_cli.measure_analysis import measure_with_data
from qi_cli.measure_model import Measure
from qi_cli.stats import StatsError
from qi_cli.stats.funnel import FunnelResult, funnel
from qi_cli.units import UnitTotal, unit_names, unit_totals


@dataclass(frozen=True)
class MeasureFunnel:
    """A measure's units on a funnel plot, ready for a renderer."""

    measure_id: str
    name: str
    data_type: str
    start: dt.date | None
    end: dt.date | None
    highlight: str | None
    periods: dict[str, int]
    result: FunnelResult
    exposures: dict[str, float] | None = None
    """For a rate: each unit's summed denominator (its expected count is in the result)."""
    compared: str = "units"
    """What the points are: units of one project, or projects sharing a measure."""

    def to_dict(self) -> dict[str, Any]:
        stats = self.result.to_dict()
        for unit in stats["units"]:
            unit["periods"] = self.periods[unit["group"]]
            if self.exposures is not None:
                unit["exposure"] = self.exposures[unit["group"]]
            unit["value"] = unit["rr"] * self.result.multiplier
        return {
            "measure": self.measure_id,
            "name": self.name,
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "highlight": self.highlight,
            "compared": self.compared,
            "centre": self.result.centre,
            **stats,
        }


def measure_funnel(
    project: LoadedProject,
    measure_id: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    overdispersion: bool = True,
    highlight: str | None = None,
) -> MeasureFunnel:
    """The funnel plot of a measure's units from start to end (both included)."""
    measure = measure_with_data(project, measure_id)
    rows = project.rows(measure_id)
    names = unit_names(rows)
    if len(names) < 2:
        raise QiError(
            f"{measure_id} has {'no units' if not names else 'one unit only'}: "
            "a funnel plot compares units",
            hint="add a unit column to the measure's CSV (ward, team or site of each row)",
        )
    check_comparable(measure_id, measure)
    if highlight is None and measure.own_unit in names:
        highlight = measure.own_unit  # the measure's setting; --highlight overrides it
    if highlight is not None and highlight not in names:
        raise FieldError(
            "highlight",
            f"{{highlight}}: no unit '{highlight}' in {measure_id}",
            hint=f"units: {', '.join(names)}",
        )
    totals = unit_totals(rows, start, end)
    if len(totals) < 2:
        raise FieldError(
            "period",
            f"{{period}}: {measure_id} has values for {len(totals)} unit(s) in this period",
            hint="choose a period in which at least two units have data",
            exit_code=1,
        )
    return funnel_of_totals(
        measure_id,
        measure,
        totals,
        start=start,
        end=end,
        overdispersion=overdispersion,
        highlight=highlight,
    )


def check_comparable(measure_id: str, measure: Measure) -> None:
    """Only proportions and rates have the numerator and denominator a funnel needs."""
    if measure.data_type not in ("proportion", "rate"):
        raise QiError(
            f"{measure_id} is a {measure.data_type} measure: a funnel plot compares "
            "proportions or rates",
            hint="funnel plots need a numerator and a denominator per unit",
        )


def funnel_of_totals(
    measure_id: str,
    measure: Measure,
    totals: list[UnitTotal],
    *,
    start: dt.date | None,
    end: dt.date | None,
    overdispersion: bool,
    highlight: str | None,
    compared: str = "units",
) -> MeasureFunnel:
    """Units' (or projects') sums over a period on one funnel plot."""
    groups = [t.unit for t in totals]
    observed = [t.numerator for t in totals]
    denominators = [t.denominator for t in totals]
    try:
        if measure.data_type == "proportion":
            result = funnel(
                observed,
                denominators,
                groups,
                data_type="PR",
                overdispersion=overdispersion,
                multiplier=measure.multiply,
            )
        else:
            pooled = sum(observed) / sum(denominators)
            if pooled == 0:
                raise QiError(
                    f"{measure_id} has no events in this period: there is no rate to compare",
                    hint="choose a longer period",
                )
            expected = [n * pooled for n in denominators]
            result = funnel(
                observed,
                expected,
                groups,
                data_type="SR",
                overdispersion=overdispersion,
                multiplier=pooled * measure.multiply,
            )
    except StatsError as exc:
        raise QiError(f"{measure_id}: {exc}", hint="check the unit rows of the CSV") from None
    return MeasureFunnel(
        measure_id=measure_id,
        name=measure.name,
        data_type=measure.data_type,
        start=start,
        end=end,
        highlight=highlight,
        periods={t.unit: t.periods for t in totals},
        result=result,
        compared=compared,
        exposures={t.unit: t.denominator for t in totals} if measure.data_type == "rate" else None,
    )
