"""`qi validate`'s check of a measure kept per unit (kept apart from `unit_charts`, so
that `qi validate` does not load the statistics)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from qi_cli.checks import did_you_mean, error_at
from qi_cli.errors import Issue
from qi_cli.files.loaded import LoadedProject
from qi_cli.units import unit_names


def check_own_unit(p: LoadedProject) -> Iterator[Issue]:
    """A measure's `own_unit` must name a unit of its data: a typo would silently mark
    no unit in `qi chart --by unit`, `qi funnel` and the report (a warning at the value)."""
    for mid, measure in p.measures.items():
        rows = p.data.get(mid)
        if measure.own_unit is None or rows is None:
            continue
        names = unit_names(rows)
        if measure.own_unit in names:
            continue
        data = f"{mid}.csv"
        if names:
            message = f"own_unit: no unit '{measure.own_unit}' in {data}"
            hint = did_you_mean(measure.own_unit, names, "units")
        else:
            message = f"own_unit: {data} has no unit column"
            hint = "add a unit column to the CSV (the ward, team or site of each row)"
        issue = error_at(p, p.display("measures", f"{mid}.yaml"), ("own_unit",), message, hint)
        yield dataclasses.replace(issue, severity="warning")
