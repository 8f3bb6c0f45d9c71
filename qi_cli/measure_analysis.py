"""A measure's analysis: its series, the statistics and the sentences that explain them.

`analyse_measure` is what a chart, a report and the portfolio ask for: it finds the
measure (refusing one whose CSV is broken), builds its `Series` (`qi_cli.series`), runs
the statistics once and explains the signals. `MeasureAnalysis.to_dict` is the `--json`
form of a chart. Nothing here prints or writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import typing
from collections.abc import Sequence
from dataclasses import dataclass, replace

from qi_cli.chart_settings import rules_in_force
from qi_cli.errors import QiError
from qi_cli.files.loaded import LoadedProject
from qi_cli.measure_model import Measure
from qi_cli.model import ChartType, Method
from qi_cli.series import Series, build_series, linked_cycles
from qi_cli.stats import CHART_NAMES, METHOD_NAMES, ChartResult, explain
from qi_cli.units import has_units, period_totals


@dataclass(frozen=True)
class MeasureAnalysis:
    """A measure's series, the statistics result and the sentences that explain it."""

    series: Series
    result: ChartResult
    explanations: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        return self.series.labels

    @property
    def title(self) -> str:
        return chart_title(self.series)

    def to_dict(self, max_points: int | None = None) -> dict[str, object]:
        """The statistics result with a date on every point, for other tools (`--json`).

        With `max_points`, only the latest points are listed (each keeps its index) and
        `points_omitted` says how many earlier ones were left out.
        """
        omitted = max(0, len(self.result.points) - max_points) if max_points is not None else 0
        data = dataclasses.replace(self.result, points=self.result.points[omitted:]).to_dict()
        points = data["points"]
        assert isinstance(points, list)
        for point, date, gap, excl in zip(
            points,
            self.series.point_dates[omitted:],
            self.series.gaps[omitted:],
            self.series.excluded[omitted:],
            strict=True,
        ):
            point["date"] = date.isoformat()
            point["gap"] = gap
            if excl:
                point["excluded"] = True
        for point, target in zip(points, self.series.targets, strict=False):
            point["target"] = target
        for signal in data["signals"]:
            signal["dates"] = [self.series.point_dates[i].isoformat() for i in signal["points"]]
        return {
            "measure": self.series.measure_id,
            "name": self.series.measure.name,
            "unit": unit_of(self.series.measure),
            "frequency": self.series.measure.frequency,
            **data,
            "points_omitted": omitted,
            "explanations": list(self.explanations),
            "notes": list(self.series.notes),
            "target_kind": self.series.target_kind,
            "events": [e.to_dict() for e in self.series.events],
            "rules": rules_in_force(self.series.measure, self.series.method),
            "phases": [
                {
                    "date": p.date.isoformat(),
                    "reason": p.reason,
                    "cycle": p.cycle,
                    "event": p.event.isoformat() if p.event else None,
                }
                for p in self.series.phases
            ],
            "cycles": [
                {
                    "number": c.number,
                    "id": c.id,
                    "change": c.change,
                    "changes": list(c.changes),
                    "date": c.date.isoformat(),
                }
                for c in self.series.cycles
            ],
        }


def unit_of(measure: Measure) -> str | None:
    if measure.definition and measure.definition.unit:
        return measure.definition.unit
    if measure.data_type == "proportion" and measure.multiply == 100:
        return "%"
    return None


def chart_title(series: Series) -> str:
    unit = unit_of(series.measure)
    name = series.measure.name + (f" ({unit})" if unit and unit != "%" else "")
    if unit == "%":
        name += " (%)"
    return f"{name}: {CHART_NAMES[series.chart]}, {METHOD_NAMES[series.method]}"


def analyse_measure(
    project: LoadedProject,
    measure_id: str,
    *,
    method: Method | None = None,
    chart: ChartType | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    annotations: bool = True,
) -> MeasureAnalysis:
    """Everything a chart or a report needs for one measure of a loaded project."""
    measure = measure_with_data(project, measure_id)
    rows = project.rows(measure_id)
    totals_note = None
    if has_units(rows):
        rows, totals_note = period_totals(rows, measure.data_type)
    cycles = linked_cycles(project, measure_id) if annotations else []
    aim = project.project.aim if project.project else None
    series = build_series(
        measure_id,
        measure,
        rows,
        cycles,
        method=method,
        chart=chart,
        start=start,
        end=end,
        aim=aim,
        events=project.events.events if project.events and annotations else (),
    )
    if totals_note is not None:
        series = replace(series, notes=(totals_note, *series.notes))
    result = series.analyse()
    labels = DateLabels(series.point_dates)
    explanations = explain(result, labels) if series.n_present else []
    return MeasureAnalysis(
        series=series,
        result=result,
        explanations=latest_sentences(result, explanations, measure_id),
    )


MAX_SENTENCES = 25
"""Signal sentences a chart's reading keeps, the latest: a long series of noisy data
fires thousands of signals (1,000,000 random daily points: 9,523), more than a person
reads in a report."""


def latest_sentences(result: ChartResult, sentences: list[str], measure_id: str) -> tuple[str, ...]:
    """The sentences of the `MAX_SENTENCES` signals that end latest, in their order, and
    one more that says how many earlier ones were left out and where they are listed."""
    if len(sentences) <= MAX_SENTENCES or len(sentences) != len(result.signals):
        return tuple(sentences)
    last = len(result.points)
    ends = [s.points[-1] if s.points else last for s in result.signals]
    keep = sorted(sorted(range(len(ends)), key=ends.__getitem__)[-MAX_SENTENCES:])
    left_out = len(sentences) - MAX_SENTENCES
    return (
        *(sentences[k] for k in keep),
        f"{left_out:,} earlier signal{'s' if left_out > 1 else ''} of this chart "
        f"{'are' if left_out > 1 else 'is'} not described here: "
        f"qi chart {measure_id} --json lists every signal.",
    )


class DateLabels(Sequence[str]):
    """Each point's ISO date, written out only when a sentence names the point: a chart
    has hundreds of points and its sentences name a few (and a portfolio reads
    thousands of charts)."""

    def __init__(self, dates: Sequence[dt.date]) -> None:
        self._dates = dates

    def __len__(self) -> int:
        return len(self._dates)

    @typing.overload
    def __getitem__(self, i: int) -> str: ...
    @typing.overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [d.isoformat() for d in self._dates[i]]
        return self._dates[i].isoformat()


def measure_with_data(project: LoadedProject, measure_id: str) -> Measure:
    """The measure with this id, refused (QiError at the problem) when its CSV is broken:
    a chart of the rows that could be read would hide the rest."""
    measure = find_measure(project, measure_id)
    csv_path = project.display("measures", f"{measure_id}.csv")
    for issue in project.errors:
        if issue.path == csv_path:
            raise QiError.from_issue(issue)
    return measure


def find_measure(project: LoadedProject, measure_id: str) -> Measure:
    """The measure with this id, or a QiError naming the file problem or the known ids."""
    measure = project.measures.get(measure_id)
    if measure is not None:
        return measure
    path = project.display("measures", f"{measure_id}.yaml")
    for issue in project.errors:
        if issue.path == path or issue.path == project.display("measures", f"{measure_id}.csv"):
            raise QiError.from_issue(issue)
    known = ", ".join(sorted(project.measures)) or "none yet"
    close = difflib.get_close_matches(measure_id, list(project.measures), n=1)
    raise QiError(
        f"no measure '{measure_id}' in {project.title}",
        hint=(f"did you mean '{close[0]}'? " if close else "") + f"known measures: {known}",
    )
