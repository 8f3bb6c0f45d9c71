"""`qi portfolio ROOT --compare MEASURE`: projects that share a measure on one funnel plot.

Projects share a measure when their measure files have the same id, or when a measure
declares ``shared_as: ID`` (its own id differs: ``falls-ward7`` shared as ``falls``).
Each project's numerators and denominators are summed over the period (every unit of
a measure kept per unit counts) and compared with the pooled value, as units are by
``qi funnel``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from qi_cli.errors import FieldError, QiError
from qi_cli.files.disk import display_path
from qi_cli.files.loader import load_project
from qi_cli.files.project_folder import find_projects
from qi_cli.measure_model import Measure
from qi_cli.unit_funnel import MeasureFunnel, check_comparable, funnel_of_totals
from qi_cli.units import UnitTotal, unit_totals


def compare_projects(
    root: Path,
    measure_id: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    overdispersion: bool = True,
) -> MeasureFunnel:
    """The funnel plot of every project under root that has the measure."""
    found: list[tuple[str, str, Measure, UnitTotal | None]] = []
    for folder in find_projects(root):
        loaded = load_project(folder)
        title = loaded.project.title if loaded.project else folder.name
        for mid, measure in loaded.measures.items():
            if mid != measure_id and measure.shared_as != measure_id:
                continue
            totals = unit_totals(loaded.rows(mid), start, end, as_unit=title)
            found.append((title, display_path(folder), measure, totals[0] if totals else None))
            break
    if len(found) < 2:
        raise QiError(
            f"{len(found)} project(s) under {display_path(root)} have the measure '{measure_id}'",
            hint="projects share a measure by its id, or by `shared_as: ID` in measures/ID.yaml",
        )
    first = found[0][2]
    for _title, where, measure, _ in found:
        check_comparable(f"{measure_id} in {where}", measure)
        if measure.data_type != first.data_type:
            raise QiError(
                f"'{measure_id}' is a {first.data_type} in {found[0][1]} but a "
                f"{measure.data_type} in {where}",
                hint="projects compared on a funnel plot must measure the same thing",
            )
    titles = [title for title, _, _, _ in found]
    totals = []
    for title, where, _, total in found:
        if total is None:
            continue
        # two projects with one title are told apart by their folders
        name = f"{title} ({where})" if titles.count(title) > 1 else title
        totals.append(
            UnitTotal(
                unit=name,
                numerator=total.numerator,
                denominator=total.denominator,
                periods=total.periods,
            )
        )
    if len(totals) < 2:
        raise FieldError(
            "period",
            f"{{period}}: {len(totals)} project(s) have values for '{measure_id}' in this period",
            hint="choose a period in which at least two projects have data",
            exit_code=1,
        )
    return funnel_of_totals(
        measure_id,
        first,
        totals,
        start=start,
        end=end,
        overdispersion=overdispersion,
        highlight=None,
        compared="projects",
    )
