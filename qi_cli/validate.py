"""Checks across files, and coaching on the method.

Each check is a small function in `CHECKS` that looks at a loaded project and yields
issues, so one run reports every problem (the beancount way). Errors are broken
references and impossible data; warnings carry a stable code (`Q101`) that
`qi explain` describes (the table is `qi_cli.coaching.CODES`) and that a project may
silence with a reason.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import difflib
import itertools
import os
import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path

from qi_cli.aim_reading import date_hint, number_hint, population_hint, when_in_aim, who_in_aim
from qi_cli.checks import error_at, known_ids, warning_at
from qi_cli.coaching import CODES
from qi_cli.cycles.checks import check_cycles
from qi_cli.errors import Issue
from qi_cli.files.csv_cells import MeasureRows
from qi_cli.files.disk import TEMPORARY_NAME
from qi_cli.files.git import merge_attribute
from qi_cli.files.layout import (
    CYCLES_DIR,
    DRIVERS_FILE,
    GITATTRIBUTES,
    MEASURES_DIR,
    PARETO_DIR,
    PROJECT_FILE,
)
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project
from qi_cli.measure_model import BASELINE_BOTH, Measure
from qi_cli.parallel import map_projects
from qi_cli.periods import missing_periods
from qi_cli.privacy import check_privacy
from qi_cli.project_model import date_order_problems
from qi_cli.thresholds import BASELINE_MIN, RUNS_MIN_USEFUL, SHORT_GROUP
from qi_cli.toolkit.fishbone import check_fishbone
from qi_cli.toolkit.process import check_process
from qi_cli.toolkit.stakeholders import check_stakeholders
from qi_cli.unit_checks import check_own_unit

_NUMBER = re.compile(r"\d")


def check_aim(p: LoadedProject) -> Iterator[Issue]:
    if p.project is None:
        return
    path = p.display(PROJECT_FILE)
    aim = p.project.aim
    if aim is None:
        yield warning_at(p, path, (), "Q105", "the project has no aim")
        return
    if aim.outcome_measure is None:
        yield warning_at(p, path, ("aim",), "Q104", "no outcome measure is linked to the aim")
    elif aim.outcome_measure not in p.measure_files:
        yield error_at(
            p,
            path,
            ("aim", "outcome_measure"),
            f"aim.outcome_measure: no measure '{aim.outcome_measure}'",
            known_ids(p.measures),
        )
    outcome = p.measures.get(aim.outcome_measure) if aim.outcome_measure else None
    if aim.target is None and not _NUMBER.search(aim.statement):
        yield warning_at(
            p,
            path,
            ("aim", "statement"),
            "Q101",
            "the aim has no number (how much?)",
            number_hint(p.project, outcome),
        )
    if aim.target_date is None and when_in_aim(aim.statement) is None:
        yield warning_at(
            p, path, ("aim",), "Q102", "the aim has no target date (by when?)", date_hint(p.project)
        )
    for at, message in date_order_problems(p.project):
        if at == ("aim", "target_date"):
            yield error_at(p, path, at, message)
    if not aim.population and who_in_aim(aim.statement) is None:
        yield warning_at(
            p,
            path,
            ("aim",),
            "Q103",
            "the aim does not say for whom (population)",
            population_hint(p.project, outcome),
        )


def check_dates(p: LoadedProject) -> Iterator[Issue]:
    if p.project is not None:
        path = p.display(PROJECT_FILE)
        for at, message in date_order_problems(p.project):
            if at == ("end_date",):
                yield error_at(p, path, at, message)
        for i in range(1, len(p.project.progress)):
            if p.project.progress[i].date < p.project.progress[i - 1].date:
                yield error_at(
                    p,
                    path,
                    ("progress", i, "date"),
                    "progress entries must be in date order",
                    "add new scores at the end (`qi project score`)",
                )
    for c in p.cycles:
        path = p.display("cycles", c.path.name)
        plan = c.cycle.plan
        if plan.start and plan.end and plan.end < plan.start:
            yield error_at(
                p, path, ("plan", "end"), f"plan.end {plan.end} is before plan.start {plan.start}"
            )
        do = c.cycle.do
        if do and do.start and do.end and do.end < do.start:
            yield error_at(p, path, ("do", "end"), f"do.end {do.end} is before do.start {do.start}")


def check_drivers(p: LoadedProject) -> Iterator[Issue]:
    if p.drivers is None:
        if not (p.root / DRIVERS_FILE).exists():
            yield Issue(
                path=p.display(DRIVERS_FILE),
                message="the project has no driver diagram",
                severity="warning",
                code="Q502",
                hint=f"{CODES['Q502'].fix} (qi explain Q502)",
            )
        return
    path = p.display(DRIVERS_FILE)
    drivers = p.drivers.drivers
    for did, driver in drivers.items():
        for i, parent in enumerate(driver.parents):
            if parent not in drivers:
                yield error_at(
                    p,
                    path,
                    ("drivers", did, "parents", i),
                    f"driver '{did}': no parent driver '{parent}'",
                    known_ids(drivers),
                )
        if driver.measure and driver.measure not in p.measure_files:
            yield error_at(
                p,
                path,
                ("drivers", did, "measure"),
                f"driver '{did}': no measure '{driver.measure}'",
                known_ids(p.measures),
            )
        if did in p.drivers.changes:
            yield error_at(
                p,
                path,
                ("changes", did),
                f"'{did}' is both a driver and a change idea",
                "give each a different id",
            )
    yield from _driver_loops(p, path)
    for cid, change in p.drivers.changes.items():
        for i, d in enumerate(change.drivers):
            if d not in drivers:
                yield error_at(
                    p,
                    path,
                    ("changes", cid, "drivers", i),
                    f"change idea '{cid}': no driver '{d}'",
                    known_ids(drivers),
                )
    has_children = {parent for d in drivers.values() for parent in d.parents}
    fed = {d for c in p.drivers.changes.values() for d in c.drivers}
    for did in drivers:
        if did not in has_children and did not in fed:
            yield warning_at(
                p, path, ("drivers", did), "Q501", f"driver '{did}' has no change idea"
            )


def _driver_loops(p: LoadedProject, path: str) -> Iterator[Issue]:
    assert p.drivers is not None
    drivers = p.drivers.drivers
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(did: str, trail: list[str]) -> list[str] | None:
        state[did] = 1
        for parent in drivers[did].parents:
            if parent not in drivers:
                continue
            if state.get(parent) == 1:
                return [*trail, did, parent]
            if parent not in state:
                found = visit(parent, [*trail, did])
                if found:
                    return found
        state[did] = 2
        return None

    for did in drivers:
        if did not in state:
            loop = visit(did, [])
            if loop:
                start = loop.index(loop[-1])
                yield error_at(
                    p,
                    path,
                    ("drivers", loop[-2], "parents"),
                    "the driver diagram has a loop: " + " -> ".join(loop[start:]),
                    "a driver cannot feed itself, even through other drivers",
                )
                return


def check_measures(p: LoadedProject) -> Iterator[Issue]:
    kinds = {m.kind for m in p.measures.values()}
    if p.measures and "balancing" not in kinds and p.project is not None:
        yield warning_at(
            p, p.display(PROJECT_FILE), (), "Q201", "the project has no balancing measure"
        )
    for mid, m in p.measures.items():
        path = p.display("measures", f"{mid}.yaml")
        if m.definition is None or not (m.definition.description or m.definition.numerator):
            yield warning_at(
                p,
                path,
                ("definition",) if m.definition else (),
                "Q202",
                f"measure '{mid}' has no operational definition",
            )
        if m.direction == "neutral":
            yield warning_at(
                p, path, (), "Q203", f"measure '{mid}' has no direction of improvement"
            )
        if m.target is None and m.kind != "balancing":
            yield warning_at(p, path, (), "Q204", f"measure '{mid}' has no target")
        if m.driver and p.drivers and m.driver not in p.drivers.drivers:
            yield error_at(
                p,
                path,
                ("driver",),
                f"driver: no driver '{m.driver}'",
                known_ids(p.drivers.drivers),
            )
        if m.chart_type in ("p", "pp", "u", "up") and not m.needs_denominator:
            yield error_at(
                p,
                path,
                ("chart",),
                f"a {m.chart_type} chart needs a proportion or rate measure, not {m.data_type}",
                "remove `chart:` to use the chart that fits the data type",
            )
        if m.chart_type in ("xbar", "s") and m.data_type != "subgroups":
            yield error_at(
                p,
                path,
                ("chart",),
                f"an {m.chart_type} chart needs subgroups data",
                "remove `chart:` to use the chart that fits the data type",
            )
        if m.method == "mdc" and m.chart_type != "i":
            yield error_at(
                p,
                path,
                ("method",),
                f"method mdc (Making Data Count) draws an I chart, not a {m.chart_type} chart",
                "set `chart: i`, or choose `method: anhoej` or `method: ihi`",
            )
        if m.baseline and m.baseline.both:
            yield error_at(p, path, ("baseline",), BASELINE_BOTH)
        cycle_ids = p.cycle_files
        event_dates = {e.date for e in p.events.events} if p.events else set()
        for i, phase in enumerate(m.phases):
            if phase.event is not None and phase.event not in event_dates and p.events:
                yield error_at(
                    p,
                    path,
                    ("phases", i, "event"),
                    f"phases[{i + 1}].event: no event on {phase.event} in events.yaml",
                    "give the date of an event in events.yaml, or add it with `qi event add`",
                )
            elif phase.event is not None and not p.events:
                yield error_at(
                    p,
                    path,
                    ("phases", i, "event"),
                    f"phases[{i + 1}].event: the project has no events.yaml",
                    "add the event with `qi event add DATE TEXT`",
                )
            if not phase.reason and phase.event is None:
                yield warning_at(
                    p, path, ("phases", i), "Q205", f"phase starting {phase.date} has no reason"
                )
            if phase.cycle and phase.cycle not in cycle_ids:
                yield error_at(
                    p,
                    path,
                    ("phases", i, "cycle"),
                    f"phases[{i + 1}].cycle: no cycle '{phase.cycle}'",
                    known_ids(cycle_ids),
                )
        for i, ex in enumerate(m.exclude):
            if not ex.reason:
                yield warning_at(
                    p, path, ("exclude", i), "Q303", f"excluded point {ex.date} has no reason"
                )
        rows = p.data.get(mid)
        if rows is None and not (p.root / "measures" / f"{mid}.csv").exists():
            yield warning_at(p, path, (), "Q207", f"measure '{mid}' has no data file yet")
        elif rows is not None:
            needed, rules = points_needed(m)
            useful = _useful_points(rows, m, needed)
            if rows.values.count(None) == len(rows):
                yield warning_at(p, path, (), "Q207", f"measure '{mid}' has no data yet")
            elif useful < needed:
                yield warning_at(
                    p,
                    path,
                    (),
                    "Q206",
                    f"measure '{mid}' has {useful} useful point{'s' * (useful != 1)}; "
                    f"{rules} "
                    f"need at least {needed}",
                )
            yield from _gaps(p, mid)
            yield from _future_rows(p, mid)


def _useful_points(rows: MeasureRows, m: Measure, enough: int) -> int:
    """How many rows have a value that is not excluded, counted up to `enough`."""
    left_out = {ex.date for ex in m.exclude}
    useful = (
        value
        for value, why, day in zip(rows.values, rows.exclusions, rows.dates, strict=True)
        if value is not None and not why and day not in left_out
    )
    return sum(1 for _ in itertools.islice(useful, enough))


def points_needed(m: Measure) -> tuple[int, str]:
    """How many useful points the measure's rule set needs, and the words for it (Q206).

    Kept to one number per rule set, over the whole series, so the warning is easy to
    predict; `qi chart` says the same per part or rebase group.

    >>> points_needed(Measure(name="LOS", kind="outcome", data_type="continuous"))
    (10, 'the run chart rules')
    """
    if m.method == "mdc":
        return SHORT_GROUP, "Making Data Count limits"
    if m.method == "ihi" or m.chart_type == "run":
        return RUNS_MIN_USEFUL, "the run chart rules"
    return BASELINE_MIN, f"stable {m.chart_type} chart limits"


def _gaps(p: LoadedProject, mid: str) -> Iterator[Issue]:
    m = p.measures[mid]
    rows = p.data[mid]
    gaps = missing_periods(m.frequency, list(rows.dates))
    if not gaps:
        return
    path = p.display("measures", f"{mid}.csv")
    for before, after in gaps:
        unit = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}[
            m.frequency
        ]
        yield Issue(
            path=path,
            message=f"no data between {before} and {after}: a {unit} or more is missing",
            line=rows.lines[bisect.bisect_right(rows.dates, after) - 1],  # its last row
            column=1,
            severity="warning",
            code="Q302",
            hint=f"{CODES['Q302'].fix} (qi explain Q302)",
        )


def _future_rows(p: LoadedProject, mid: str) -> Iterator[Issue]:
    rows = p.data[mid]  # in date order: the future ones last
    first = bisect.bisect_right(rows.dates, dt.date.today())
    if first < len(rows):
        later = len(rows) - first - 1
        more = f" (and {later} more)" if later else ""
        yield Issue(
            path=p.display("measures", f"{mid}.csv"),
            message=f"{rows.dates[first]} is in the future{more}",
            line=rows.lines[first],
            column=1,
            severity="warning",
            hint="a value is measured before it is entered: check the date",
        )


def check_merge_rule(p: LoadedProject) -> Iterator[Issue]:
    """Q304: in a git repository, measure data without `merge=union` conflicts as soon
    as two branches add data (git is asked only inside a repository)."""
    if not p.measure_files:
        return
    csv = f"{MEASURES_DIR}/{min(p.measure_files)}.csv"
    if merge_attribute(p.root, csv) not in (None, "union"):
        yield Issue(
            path=p.display(GITATTRIBUTES),
            message="measure data files will conflict when two git branches add data "
            "(no `merge=union` for measures/*.csv)",
            severity="warning",
            hint=f"{CODES['Q304'].fix} (qi explain Q304)",
            code="Q304",
        )


def check_leftovers(p: LoadedProject) -> Iterator[Issue]:
    """Q305: temporary files of qi writes that were cut short (a kill -9, a power cut)."""
    for folder in ("", MEASURES_DIR, CYCLES_DIR, PARETO_DIR):
        with contextlib.suppress(OSError):  # a folder that is missing or not a folder
            for name in sorted(os.listdir(p.root / folder)):
                if TEMPORARY_NAME.fullmatch(name):
                    shown = p.display(folder, name) if folder else p.display(name)
                    yield Issue(
                        path=shown,
                        message="a temporary file left by a qi command that was cut short",
                        severity="warning",
                        hint=f"{CODES['Q305'].fix}: rm {shlex.quote(shown)} (qi explain Q305)",
                        code="Q305",
                    )


def check_settings(p: LoadedProject) -> Iterator[Issue]:
    """A silenced code must exist and say why: the reason is what a reviewer reads."""
    if p.project is None or p.project.settings is None:
        return
    path = p.display(PROJECT_FILE)
    for i, silence in enumerate(p.project.settings.ignore):
        if silence.code not in CODES:
            close = difflib.get_close_matches(silence.code, CODES, n=3, cutoff=0.5)
            yield error_at(
                p,
                path,
                ("settings", "ignore", i, "code"),
                f"settings.ignore: no coaching code '{silence.code}'",
                ("did you mean " + " or ".join(close) + "? " if close else "")
                + "`qi explain` lists every code",
            )
        if not silence.reason:
            yield error_at(
                p,
                path,
                ("settings", "ignore", i, "reason"),
                f"settings.ignore: {silence.code} is silenced without a reason",
                "say why the advice does not apply to this project",
            )


CHECKS: list[Callable[[LoadedProject], Iterator[Issue]]] = [
    check_settings,
    check_aim,
    check_dates,
    check_drivers,
    check_measures,
    check_own_unit,
    check_merge_rule,
    check_leftovers,
    check_cycles,
    check_process,
    check_stakeholders,
    check_fishbone,
    check_privacy,
]


def validate_project(p: LoadedProject) -> list[Issue]:
    """All issues: those found while loading, then the cross-file and coaching checks."""
    issues = list(p.issues)
    for check in CHECKS:
        issues.extend(check(p))
    silenced = (
        {s.code for s in p.project.settings.ignore} if p.project and p.project.settings else set()
    )
    return [i for i in issues if i.code not in silenced]


def validate_folder(root: Path) -> list[Issue]:
    """Load and validate the project at `root` (a function of a path, for `map_projects`)."""
    return validate_project(load_project(root))


def validate_projects(roots: list[Path]) -> list[Issue]:
    """Every issue of every project, in order; many projects are checked on all cores."""
    return [issue for issues in map_projects(validate_folder, roots) for issue in issues]
