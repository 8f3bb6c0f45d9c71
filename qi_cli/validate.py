"""Checks across files, and coaching on the method.

Each check is a small function in `CHECKS` that looks at a loaded project and yields
issues, so one run reports every problem (the beancount way). Errors are broken
references and impossible data; warnings carry a stable code (`Q101`) that
`qi explain` describes and that a project may silence with a reason.
"""

from __future__ import annotations

import datetime as dt
import difflib
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from qi_cli.errors import Issue
from qi_cli.files.loader import DRIVERS_FILE, PROJECT_FILE, LoadedProject
from qi_cli.model import Measure


@dataclass(frozen=True)
class Code:
    title: str
    why: str
    example: str
    fix: str = ""


CODES: dict[str, Code] = {
    "Q101": Code(
        "the aim has no number",
        "A SMART aim says by how much things will improve. Without a number nobody can "
        "tell when the aim is reached.",
        "statement: Reduce median length of stay from 7.2 to 5 days by 31 March 2026\n"
        "baseline: 7.2\ntarget: 5",
        fix="say by how much, e.g. 'from 7.2 to 5 days', and set `target:`",
    ),
    "Q102": Code(
        "the aim has no date",
        "A SMART aim is time-bound: 'by when' keeps the team focused and sets the review date.",
        "target_date: 2026-03-31",
        fix="add `target_date: YYYY-MM-DD` under aim",
    ),
    "Q103": Code(
        "the aim does not say for whom",
        "The aim names its population so that measures count the right patients.",
        "population: adults admitted with one or more rib fractures",
        fix="add `population:` under aim, e.g. adults admitted with rib fractures",
    ),
    "Q104": Code(
        "no outcome measure is linked to the aim",
        "The aim is answered by an outcome measure; link it so reports can show "
        "progress against the target.",
        "aim:\n  outcome_measure: length-of-stay",
        fix="add `outcome_measure: ID` under aim (the id of a measure in measures/)",
    ),
    "Q105": Code(
        "the project has no aim",
        "The first question of the Model for Improvement: what are we trying to accomplish?",
        "aim:\n  statement: Reduce ... from ... to ... by ...",
        fix="add an `aim:` with a SMART statement to project.yaml",
    ),
    "Q201": Code(
        "no balancing measure",
        "A balancing measure checks that improving one thing does not make another worse "
        "(e.g. readmissions when length of stay falls).",
        "kind: balancing   # in measures/readmissions.yaml",
        fix="add a balancing measure: `qi measure add ... --kind balancing`",
    ),
    "Q202": Code(
        "the measure has no operational definition",
        "Without a precise definition, two people count differently and the chart "
        "shows their differences, not the process.",
        "definition:\n  description: ...\n  numerator: ...\n  denominator: ...",
        fix="add a `definition:` with what is counted, numerator and denominator",
    ),
    "Q203": Code(
        "the measure has no direction of improvement",
        "Charts and icons can only call a signal an improvement or a concern when they "
        "know which way is better.",
        "direction: decrease",
        fix="add `direction: increase` or `direction: decrease`",
    ),
    "Q204": Code(
        "the measure has no target",
        "A target shows whether the process can meet the aim (the assurance icon).",
        "target: 90",
        fix="add `target:` with the value the team aims for",
    ),
    "Q205": Code(
        "a phase (rebase) has no reason",
        "Recalculating limits hides change unless there is a known reason, such as a "
        "change adopted after testing.",
        "phases:\n  - date: 2026-03-02\n    reason: physio review adopted on all wards",
        fix="add `reason:` to the phase, e.g. the change adopted at that date",
    ),
    "Q206": Code(
        "too little data for the chosen rules",
        "Each rule set needs enough points before its signals mean anything. Run chart "
        "rules (a run chart, or method ihi) need 10 useful points; SPC limits (method "
        "anhoej on an SPC chart) are provisional under 12 points; Making Data Count limits "
        "(method mdc) are provisional under 13. Useful points have a value and are not "
        "excluded. Keep collecting before drawing conclusions.",
        "20 weekly rows in measures/falls.csv before judging the first change;\n"
        "until then, read the chart as a picture, not as evidence",
        fix="keep collecting: conclusions from so few points are unreliable",
    ),
    "Q207": Code(
        "the measure has no data yet",
        "A measure without data cannot show whether a change is an improvement.",
        "qi data add length-of-stay 6.5 --date 2026-01-05",
        fix="add data with `qi data add ID VALUE`",
    ),
    "Q301": Code(
        "data rows are not in date order",
        "qi keeps data sorted by date so that git diffs stay small and readable.",
        "qi data add keeps the order; sort the rows by date when editing by hand",
        fix="sort the rows by date (qi data add keeps them sorted)",
    ),
    "Q302": Code(
        "a period is missing from the data",
        "A missing week or month is a gap in the chart, never a zero; check whether the "
        "data was not collected or was lost.",
        "add the missing row, or leave the value empty if it was not collected",
        fix="add the missing period, with an empty value if it was not collected",
    ),
    "Q303": Code(
        "an excluded point has no reason",
        "Leaving a point out changes the limits; the reason keeps the chart honest.",
        "exclude:\n  - date: 2026-02-09\n    reason: IT outage, data incomplete",
        fix="add `reason:` to the exclusion",
    ),
    "Q401": Code(
        "the cycle has no predictions",
        "Predictions, written before the test, turn a trial into learning: Study "
        "compares what happened with what you expected.",
        "questions:\n  - question: Will the physio see the patient within 24 h?\n"
        "    prediction: Yes, for 4 of 5 patients",
        fix="add a `prediction:` to each question of the plan, before the test",
    ),
    "Q402": Code(
        "the Study does not answer each prediction",
        "Study compares the data with each prediction, question by question.",
        "study:\n  answers:\n    - actual: 3 of 5 seen within 24 h\n      held: false",
        fix="add one `answers:` entry per question under study",
    ),
    "Q403": Code(
        "the cycle has no Act decision",
        "Every cycle ends with a decision: adopt, adapt or abandon.",
        "act:\n  decision: adapt\n  next_steps: test on the weekend shift",
        fix="log the decision: `qi cycle log` (adopt, adapt or abandon)",
    ),
    "Q404": Code(
        "the cycle was planned long ago and never logged",
        "PDSA cycles are small and quick; a cycle left open for weeks is usually "
        "finished but unrecorded, or stalled.",
        "qi cycle log 3",
        fix="log what happened with `qi cycle log`, or abandon the cycle",
    ),
    "Q405": Code(
        "a change adopted after a single test",
        "Ramps of cycles grow in scale (one patient, one shift, one ward) before a "
        "change is adopted, to learn where it fails.",
        "qi cycle new --next 3   # test again at a larger scale",
        fix="test again at a larger scale before adopting: `qi cycle new --next`",
    ),
    "Q501": Code(
        "a driver has no change idea",
        "Each secondary driver should lead to change ideas to test; otherwise the "
        "diagram does not say what to try.",
        "qi change add 'Physio review within 24 h' --driver physio-capacity",
        fix="add a change idea for it: `qi change add TITLE --driver ID`",
    ),
    "Q502": Code(
        "the project has no driver diagram",
        "The driver diagram links the aim to the changes being tested.",
        "qi driver add 'Timely specialist assessment'",
        fix="add drivers with `qi driver add`",
    ),
}

STALE_CYCLE_DAYS = 30
_NUMBER = re.compile(r"\d")


def _warn(
    project: LoadedProject, path: str, loc: tuple[str | int, ...], code: str, message: str
) -> Issue:
    doc = project.documents.get(path)
    pos = doc.locate(loc) if doc else None
    return Issue(
        path,
        message,
        line=pos.line if pos else None,
        column=pos.column if pos else None,
        severity="warning",
        hint=f"{CODES[code].fix} (qi explain {code})",
        code=code,
    )


def _error(
    project: LoadedProject,
    path: str,
    loc: tuple[str | int, ...],
    message: str,
    hint: str | None = None,
) -> Issue:
    doc = project.documents.get(path)
    pos = doc.locate(loc) if doc else None
    return Issue(
        path, message, line=pos.line if pos else None, column=pos.column if pos else None, hint=hint
    )


def _known(ids: object) -> str:
    names = sorted(ids)  # type: ignore[call-overload]
    return "known: " + (", ".join(names) if names else "none yet")


def check_aim(p: LoadedProject) -> Iterator[Issue]:
    if p.project is None:
        return
    path = p.display(PROJECT_FILE)
    aim = p.project.aim
    if aim is None:
        yield _warn(p, path, (), "Q105", "the project has no aim")
        return
    if aim.outcome_measure is None:
        yield _warn(p, path, ("aim",), "Q104", "no outcome measure is linked to the aim")
    elif aim.outcome_measure not in p.measure_files:
        yield _error(
            p,
            path,
            ("aim", "outcome_measure"),
            f"aim.outcome_measure: no measure '{aim.outcome_measure}'",
            _known(p.measures),
        )
    if aim.target is None and not _NUMBER.search(aim.statement):
        yield _warn(p, path, ("aim", "statement"), "Q101", "the aim has no number (how much?)")
    if aim.target_date is None:
        yield _warn(p, path, ("aim",), "Q102", "the aim has no target date (by when?)")
    elif aim.target_date < p.project.start_date:
        yield _error(
            p,
            path,
            ("aim", "target_date"),
            f"aim.target_date {aim.target_date} is before the start date {p.project.start_date}",
        )
    if not aim.population:
        yield _warn(p, path, ("aim",), "Q103", "the aim does not say for whom (population)")


def check_dates(p: LoadedProject) -> Iterator[Issue]:
    if p.project is not None:
        path = p.display(PROJECT_FILE)
        if p.project.end_date and p.project.end_date < p.project.start_date:
            yield _error(p, path, ("end_date",), "end_date is before start_date")
        for i in range(1, len(p.project.progress)):
            if p.project.progress[i].date < p.project.progress[i - 1].date:
                yield _error(
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
            yield _error(
                p, path, ("plan", "end"), f"plan.end {plan.end} is before plan.start {plan.start}"
            )
        do = c.cycle.do
        if do and do.start and do.end and do.end < do.start:
            yield _error(p, path, ("do", "end"), f"do.end {do.end} is before do.start {do.start}")


def check_drivers(p: LoadedProject) -> Iterator[Issue]:
    if p.drivers is None:
        if not (p.root / DRIVERS_FILE).exists():
            yield Issue(
                p.display(DRIVERS_FILE),
                "the project has no driver diagram",
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
                yield _error(
                    p,
                    path,
                    ("drivers", did, "parents", i),
                    f"driver '{did}': no parent driver '{parent}'",
                    _known(drivers),
                )
        if driver.measure and driver.measure not in p.measure_files:
            yield _error(
                p,
                path,
                ("drivers", did, "measure"),
                f"driver '{did}': no measure '{driver.measure}'",
                _known(p.measures),
            )
        if did in p.drivers.changes:
            yield _error(
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
                yield _error(
                    p,
                    path,
                    ("changes", cid, "drivers", i),
                    f"change idea '{cid}': no driver '{d}'",
                    _known(drivers),
                )
    has_children = {parent for d in drivers.values() for parent in d.parents}
    fed = {d for c in p.drivers.changes.values() for d in c.drivers}
    for did in drivers:
        if did not in has_children and did not in fed:
            yield _warn(p, path, ("drivers", did), "Q501", f"driver '{did}' has no change idea")


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
                yield _error(
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
        yield _warn(p, p.display(PROJECT_FILE), (), "Q201", "the project has no balancing measure")
    for mid, m in p.measures.items():
        path = p.display("measures", f"{mid}.yaml")
        if m.definition is None or not (m.definition.description or m.definition.numerator):
            yield _warn(
                p,
                path,
                ("definition",) if m.definition else (),
                "Q202",
                f"measure '{mid}' has no operational definition",
            )
        if m.direction == "neutral":
            yield _warn(p, path, (), "Q203", f"measure '{mid}' has no direction of improvement")
        if m.target is None and m.kind != "balancing":
            yield _warn(p, path, (), "Q204", f"measure '{mid}' has no target")
        if m.driver and p.drivers and m.driver not in p.drivers.drivers:
            yield _error(
                p, path, ("driver",), f"driver: no driver '{m.driver}'", _known(p.drivers.drivers)
            )
        if m.chart_type in ("p", "pp", "u", "up") and not m.needs_denominator:
            yield _error(
                p,
                path,
                ("chart",),
                f"a {m.chart_type} chart needs a proportion or rate measure, not {m.data_type}",
                "remove `chart:` to use the chart that fits the data type",
            )
        if m.chart_type in ("xbar", "s") and m.data_type != "subgroups":
            yield _error(
                p,
                path,
                ("chart",),
                f"an {m.chart_type} chart needs subgroups data",
                "remove `chart:` to use the chart that fits the data type",
            )
        if m.method == "mdc" and m.chart_type != "i":
            yield _error(
                p,
                path,
                ("method",),
                f"method mdc (Making Data Count) draws an I chart, not a {m.chart_type} chart",
                "set `chart: i`, or choose `method: anhoej` or `method: ihi`",
            )
        if m.baseline and m.baseline.until and m.baseline.points:
            yield _error(p, path, ("baseline",), "baseline: give `until` or `points`, not both")
        cycle_ids = p.cycle_files
        for i, phase in enumerate(m.phases):
            if not phase.reason:
                yield _warn(
                    p, path, ("phases", i), "Q205", f"phase starting {phase.date} has no reason"
                )
            if phase.cycle and phase.cycle not in cycle_ids:
                yield _error(
                    p,
                    path,
                    ("phases", i, "cycle"),
                    f"phases[{i + 1}].cycle: no cycle '{phase.cycle}'",
                    _known(cycle_ids),
                )
        for i, ex in enumerate(m.exclude):
            if not ex.reason:
                yield _warn(
                    p, path, ("exclude", i), "Q303", f"excluded point {ex.date} has no reason"
                )
        rows = p.data.get(mid)
        if rows is None and not (p.root / "measures" / f"{mid}.csv").exists():
            yield _warn(p, path, (), "Q207", f"measure '{mid}' has no data file yet")
        elif rows is not None:
            left_out = {ex.date for ex in m.exclude}
            useful = [
                r for r in rows if r.value is not None and not r.exclude and r.date not in left_out
            ]
            needed, rules = points_needed(m)
            if not any(r.value is not None for r in rows):
                yield _warn(p, path, (), "Q207", f"measure '{mid}' has no data yet")
            elif len(useful) < needed:
                yield _warn(
                    p,
                    path,
                    (),
                    "Q206",
                    f"measure '{mid}' has {len(useful)} useful point{'s' * (len(useful) != 1)}; "
                    f"{rules} "
                    f"need at least {needed}",
                )
            yield from _gaps(p, mid)


def points_needed(m: Measure) -> tuple[int, str]:
    """How many useful points the measure's rule set needs, and the words for it (Q206).

    Kept to one number per rule set, over the whole series, so the warning is easy to
    predict; `qi chart` says the same per part or rebase group.

    >>> points_needed(Measure(name="LOS", kind="outcome", data_type="continuous"))
    (10, 'the run chart rules')
    """
    from qi_cli.stats.thresholds import BASELINE_MIN, RUNS_MIN_USEFUL, SHORT_GROUP

    if m.method == "mdc":
        return SHORT_GROUP, "Making Data Count limits"
    if m.method == "ihi" or m.chart_type == "run":
        return RUNS_MIN_USEFUL, "the run chart rules"
    return BASELINE_MIN, f"stable {m.chart_type} chart limits"


REGULAR = ("daily", "weekly", "monthly", "quarterly")
"""Frequencies with a calendar: a period with no date in it is a gap."""


def periods(frequency: str, dates: Sequence[dt.date]) -> list[int]:
    """The number of the day, week (Monday to Sunday), month or quarter of each date.

    >>> periods("weekly", [dt.date(2026, 1, 4), dt.date(2026, 1, 5)])  # Sunday, Monday
    [105659, 105660]
    """
    if frequency == "daily":
        return list(map(dt.date.toordinal, dates))
    if frequency == "weekly":
        return [(o - 1) // 7 for o in map(dt.date.toordinal, dates)]
    if frequency == "monthly":
        return [d.year * 12 + d.month - 1 for d in dates]
    if frequency == "quarterly":
        return [d.year * 4 + (d.month - 1) // 3 for d in dates]
    raise ValueError(f"no calendar periods for {frequency!r} data")


def missing_periods(frequency: str, dates: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Calendar gaps in a regular series, as (last date before, first date after) pairs.

    >>> missing_periods("weekly", [dt.date(2025, 1, 6), dt.date(2025, 1, 13), dt.date(2025, 1, 27)])
    [(datetime.date(2025, 1, 13), datetime.date(2025, 1, 27))]
    """
    if frequency not in REGULAR:  # irregular: no calendar to compare with
        return []
    in_order = all(map(operator.lt, dates, dates[1:]))  # no repeats either: the usual case
    ordered = list(dates) if in_order else sorted(set(dates))
    numbers = periods(frequency, ordered)
    if len(set(numbers)) == len(numbers) and (
        not numbers or numbers[-1] - numbers[0] < len(numbers)
    ):
        return []  # one date in each period, none missing: the usual case, found quickly
    return [
        (ordered[k - 1], ordered[k])
        for k in range(1, len(ordered))
        if numbers[k] - numbers[k - 1] > 1
    ]


def _gaps(p: LoadedProject, mid: str) -> Iterator[Issue]:
    m = p.measures[mid]
    dates = [r.date for r in p.data[mid]]
    gaps = missing_periods(m.frequency, dates)
    if not gaps:
        return
    path = p.display("measures", f"{mid}.csv")
    line_of = {r.date: r.line for r in p.data[mid]}
    for before, after in gaps:
        unit = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}[
            m.frequency
        ]
        yield Issue(
            path,
            f"no data between {before} and {after}: a {unit} or more is missing",
            line=line_of[after],
            column=1,
            severity="warning",
            code="Q302",
            hint=f"{CODES['Q302'].fix} (qi explain Q302)",
        )


def check_cycles(p: LoadedProject) -> Iterator[Issue]:
    changes = p.drivers.changes if p.drivers else {}
    today = dt.date.today()
    for c in p.cycles:
        path = p.display("cycles", c.path.name)
        cy = c.cycle
        if cy.change not in changes and (
            p.drivers is not None or not (p.root / DRIVERS_FILE).exists()
        ):
            yield _error(
                p, path, ("change",), f"change: no change idea '{cy.change}'", _known(changes)
            )
        if cy.follows:
            if cy.follows not in p.cycle_files:
                yield _error(
                    p,
                    path,
                    ("follows",),
                    f"follows: no cycle '{cy.follows}'",
                    _known(p.cycle_files),
                )
            elif cy.follows == c.id:
                yield _error(p, path, ("follows",), "a cycle cannot follow itself")
        for i, mid in enumerate(cy.measures):
            if mid not in p.measure_files:
                yield _error(
                    p, path, ("measures", i), f"measures: no measure '{mid}'", _known(p.measures)
                )
        questions = cy.plan.questions
        if not any(q.prediction for q in questions):
            yield _warn(p, path, ("plan",), "Q401", f"cycle #{c.number} has no predictions")
        if cy.study is not None:
            answers = cy.study.answers
            predicted = [i for i, q in enumerate(questions) if q.prediction]
            # answers follow the questions in order; an empty entry answers nothing
            open_ = [
                i
                for i in predicted
                if i >= len(answers) or (not answers[i].actual and answers[i].held is None)
            ]
            if open_:
                yield _warn(
                    p,
                    path,
                    ("study", "answers", open_[0]) if open_[0] < len(answers) else ("study",),
                    "Q402",
                    f"cycle #{c.number}: the Study answers {len(predicted) - len(open_)} of "
                    f"{len(predicted)} predictions (not question "
                    + ", ".join(str(i + 1) for i in open_)
                    + ")",
                )
        if (cy.do is not None or cy.study is not None) and not cy.logged:
            yield _warn(
                p,
                path,
                ("act",) if cy.act else (),
                "Q403",
                f"cycle #{c.number} has no Act decision",
            )
        elif not cy.logged:
            planned = cy.plan.end or cy.plan.start or cy.created
            if planned and (today - planned).days > STALE_CYCLE_DAYS:
                yield _warn(
                    p,
                    path,
                    (),
                    "Q404",
                    f"cycle #{c.number} was planned for {planned} and has not been logged",
                )
    for cid in changes:
        cycles = p.cycles_of(cid)
        if len(cycles) == 1 and cycles[0].cycle.act and cycles[0].cycle.act.decision == "adopt":
            path = p.display("cycles", cycles[0].path.name)
            yield _warn(
                p,
                path,
                ("act", "decision"),
                "Q405",
                f"change idea '{cid}' was adopted after a single test",
            )


def check_settings(p: LoadedProject) -> Iterator[Issue]:
    """A silenced code must exist and say why: the reason is what a reviewer reads."""
    if p.project is None or p.project.settings is None:
        return
    path = p.display(PROJECT_FILE)
    for i, silence in enumerate(p.project.settings.ignore):
        if silence.code not in CODES:
            close = difflib.get_close_matches(silence.code, CODES, n=3, cutoff=0.5)
            yield _error(
                p,
                path,
                ("settings", "ignore", i, "code"),
                f"settings.ignore: no coaching code '{silence.code}'",
                ("did you mean " + " or ".join(close) + "? " if close else "")
                + "`qi explain` lists every code",
            )
        if not silence.reason:
            yield _error(
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
    check_cycles,
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
    from qi_cli.files.loader import load_project

    return validate_project(load_project(root))


def validate_projects(roots: list[Path]) -> list[Issue]:
    """Every issue of every project, in order; many projects are checked on all cores."""
    from qi_cli.parallel import map_projects

    return [issue for issues in map_projects(validate_folder, roots) for issue in issues]
