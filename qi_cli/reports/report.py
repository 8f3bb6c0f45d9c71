"""The project report as data: one JSON-ready dict that every format renders.

`build_report` tells a project's story in the order a ward huddle or a board paper
reads it: the charter and progress, the aim against its baseline and target, each
measure with its signals and (Making Data Count) icons, the driver diagram, each change
idea with its ramp of cycles, what was learned, the next steps, and data quality.
The terminal, Markdown, HTML and JSON outputs are renderers of this dict (`render/`),
so they always agree. The JSON form is documented in docs/report-schema.json.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from qi_cli.chart_settings import rules_sentence
from qi_cli.cycles.evidence import predictions_first
from qi_cli.cycles.finding import unread_cycle_files
from qi_cli.drivers import change_status
from qi_cli.errors import Issue, QiError
from qi_cli.files.git import folder_versions, git_history
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.measure_analysis import MeasureAnalysis, analyse_measure, unit_of
from qi_cli.measures import classify_variation
from qi_cli.model import PROGRESS_SCALE
from qi_cli.reports.problem import problem_section
from qi_cli.reports.words import ASSURANCE_WORDS, VARIATION_WORDS
from qi_cli.unit_charts import UnitCharts, analyse_units
from qi_cli.units import has_units

REPORT_SCHEMA = "qi-report/1"
# the most points a measure's analysis lists in a report (the latest ones): a report of a
# million points stays a few MB (bench/bench_points.py); `qi report --all-points` lifts it
REPORT_POINTS = 5000
PORTFOLIO_SCHEMA = "qi-portfolio/1"


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _variation_now(analysis: MeasureAnalysis) -> str:
    if analysis.result.variation_icon:
        return analysis.result.variation_icon
    return classify_variation(analysis) if analysis.series.n_present else "no_data"


KIND_ORDER = {"outcome": 0, "process": 1, "balancing": 2}


def measure_order(p: LoadedProject) -> list[str]:
    """The measures' ids as a report lists them: outcome, process, balancing, then by name.

    A board paper reads the outcome first and the balancing measures last; the id is
    only the file name, so it decides nothing but a tie.
    """
    return sorted(
        p.measures,
        key=lambda mid: (
            KIND_ORDER.get(p.measures[mid].kind, len(KIND_ORDER)),
            p.measures[mid].name.casefold(),
            mid,
        ),
    )


def analyse_all(p: LoadedProject) -> dict[str, MeasureAnalysis | QiError]:
    """Each measure's analysis, or the error that stops it (a report still shows it)."""
    out: dict[str, MeasureAnalysis | QiError] = {}
    for mid in measure_order(p):
        try:
            out[mid] = analyse_measure(p, mid)
        except QiError as exc:
            out[mid] = exc
    return out


def analyse_all_units(
    p: LoadedProject, analyses: dict[str, MeasureAnalysis | QiError]
) -> dict[str, UnitCharts]:
    """The small multiples of each measure kept per unit (a `unit` column) that charts."""
    out: dict[str, UnitCharts] = {}
    for mid, analysis in analyses.items():
        if isinstance(analysis, QiError) or not has_units(p.rows(mid)):
            continue
        try:
            out[mid] = analyse_units(p, mid)
        except QiError:  # the measure's own chart says what is wrong
            continue
    return out


def _latest(analysis: MeasureAnalysis) -> dict[str, Any] | None:
    """The last present point: its date and value."""
    ys = analysis.result.points.y
    last = next((k for k in range(len(ys) - 1, -1, -1) if ys[k] is not None), None)
    if last is None:
        return None
    return {"date": analysis.series.point_dates[last].isoformat(), "value": _round(ys[last])}


def _n_present(analysis: MeasureAnalysis) -> int:
    ys = analysis.result.points.y
    return len(ys) - ys.count(None)


def units_summary(charts: UnitCharts) -> dict[str, Any]:
    """A measure kept per unit, unit by unit: what the table of units in a report shows
    (each unit's chart is its own analysis: `qi chart ID --by unit --json` lists its points)."""
    units = []
    for chart in charts.charts:
        analysis = chart.analysis
        result = analysis.result
        units.append(
            {
                "unit": chart.unit,
                "own": chart.unit == charts.highlight,
                "n_points": _n_present(analysis),
                "latest": _latest(analysis),
                "centre_line": _round(result.points.cl[-1]) if result.points else None,
                "signals": list(dict.fromkeys(s.rule for s in result.signals)),
                "improvement": any(s.improvement is True for s in result.signals),
                "concern": any(s.improvement is False for s in result.signals),
                "variation": _variation_now(analysis),
                "variation_icon": result.variation_icon,
                "explanations": list(analysis.explanations),
            }
        )
    return {
        "highlight": charts.highlight,
        "y_range": [_round(v) for v in charts.y_range],
        "units": units,
    }


def measure_summary(
    p: LoadedProject,
    mid: str,
    analysis: MeasureAnalysis | QiError,
    since: dt.date | None = None,
    *,
    points: bool = True,
    max_points: int | None = REPORT_POINTS,
) -> dict[str, Any]:
    """One measure's entry: definition, latest value, signals in words, icons, and (with
    `points`) the analysis point by point, which a portfolio row does not need: the
    latest `max_points` points (all when None), with `points_omitted` saying how many
    earlier points were left out."""
    m = p.measures[mid]
    entry: dict[str, Any] = {
        "id": mid,
        "name": m.name,
        "kind": m.kind,
        "data_type": m.data_type,
        "unit": unit_of(m),
        "direction": m.direction,
        "target": m.fixed_target,
        "frequency": m.frequency,
        "definition": m.definition.model_dump(exclude_none=True) if m.definition else {},
    }
    if isinstance(analysis, QiError):
        entry.update(
            error=analysis.message,
            chart=m.chart_type,
            method=m.method,
            latest=None,
            signals=[],
            explanations=[],
            warnings=[],
            analysis=None,
        )
        return entry
    result = analysis.result
    variation_words = VARIATION_WORDS.get(result.variation_icon or "")
    assurance_words = ASSURANCE_WORDS.get(result.assurance_icon or "")
    entry.update(
        chart=result.chart,
        method=result.method,
        rules=rules_sentence(analysis.series.measure, analysis.series.method),
        target=analysis.series.target,
        title=analysis.title,
        n_points=_n_present(analysis),
        latest=_latest(analysis),
        centre_line=_round(result.points.cl[-1]) if result.points else None,
        signals=list(dict.fromkeys(s.rule for s in result.signals)),
        improvement=any(s.improvement is True for s in result.signals),
        concern=any(s.improvement is False for s in result.signals),
        # what the chart says now, in the same word as `qi measure list` and the portfolio
        variation=_variation_now(analysis),
        explanations=list(analysis.explanations),
        warnings=list(result.warnings) + list(analysis.series.notes),
        variation_icon=result.variation_icon,
        assurance_icon=result.assurance_icon,
        variation_words=variation_words.words if variation_words else None,
        assurance_words=assurance_words.words if assurance_words else None,
        analysis=analysis.to_dict(max_points) if points else None,
    )
    if since is not None:
        new_rows = [
            d
            for d, y in zip(analysis.series.point_dates, result.points.y, strict=True)
            if y is not None and d >= since
        ]
        new_signals = [
            s.rule
            for s in result.signals
            if any(analysis.series.point_dates[i] >= since for i in s.points)
        ]
        entry["since"] = {"new_points": len(new_rows), "new_signals": new_signals}
    return entry


def _cycle_entry(
    p: LoadedProject,
    c: LoadedCycle,
    history: dict[str, dict[str, str]],
    versions: dict[str, list[tuple[dt.date, str]]],
) -> dict[str, Any]:
    cy = c.cycle
    # a question or prediction changed after the test started (`qi cycle log --amend-plan`)
    amended = {
        int(a.field.split(".")[2])
        for h in cy.history
        for a in h.fields
        if a.field.startswith("plan.questions.") and a.field.split(".")[2].isdigit()
    }
    entry: dict[str, Any] = {
        "number": c.number,
        "id": c.id,
        "short_id": c.short_id,
        "change": cy.changes[0],  # the first change idea, as before a cycle could test several
        "changes": cy.changes,
        "follows": cy.follows,
        "scale": cy.scale,
        "purpose": cy.purpose,
        "person": cy.person,
        "status": cy.status,
        "date": _iso(cy.date),
        "planned_start": _iso(cy.plan.start),
        "objective": cy.plan.objective,
        "predictions": [
            {
                "question": q.question,
                "prediction": q.prediction,
                "actual": cy.study.answers[i].actual
                if cy.study and i < len(cy.study.answers)
                else None,
                "held": cy.study.answers[i].held
                if cy.study and i < len(cy.study.answers)
                else None,
                "amended": i + 1 in amended,
            }
            for i, q in enumerate(cy.plan.questions)
        ],
        "learned": cy.study.learned if cy.study else None,
        "decision": cy.act.decision if cy.act else None,
        "next_steps": cy.act.next_steps if cy.act else None,
    }
    rel = f"cycles/{c.path.name}"
    entry["predictions_first"] = predictions_first(
        c, use_git=rel in history, versions=versions.get(c.path.name, [])
    ).to_dict()
    if rel in history:
        git: dict[str, Any] = dict(history[rel])
        test_start = cy.do.start if cy.do and cy.do.start else cy.plan.start
        if "added" in git and test_start is not None:
            git["predictions_before_test"] = dt.date.fromisoformat(git["added"]) <= test_start
        entry["git"] = git
    return entry


def _driver_tree(p: LoadedProject) -> dict[str, Any]:
    if p.drivers is None:
        return {"drivers": [], "changes": []}
    return {
        "drivers": [
            {
                "id": did,
                "name": d.name,
                "parents": list(d.parents),
                "primary": d.primary,
                "measure": d.measure,
            }
            for did, d in p.drivers.drivers.items()
        ],
        "changes": [
            {
                "id": cid,
                "title": c.title,
                "drivers": list(c.drivers),
                "status": change_status(p, cid),
            }
            for cid, c in p.drivers.changes.items()
        ],
    }


def build_report(
    p: LoadedProject,
    issues: Sequence[Issue],
    *,
    analyses: dict[str, MeasureAnalysis | QiError] | None = None,
    units: dict[str, UnitCharts] | None = None,
    since: dt.date | None = None,
    today: dt.date | None = None,
    use_git: bool = True,
    max_points: int | None = REPORT_POINTS,
) -> dict[str, Any]:
    """The whole report for one loaded project (see the module docstring); each measure
    lists its latest `max_points` points (all when None), and a measure kept per unit
    its units (`by_unit`, from `units`: `analyse_all_units` when None)."""
    if p.project is None:
        errors = [i for i in issues if i.severity == "error"]
        raise QiError(
            f"{p.display('project.yaml')}: the project file has errors; no report",
            hint="run `qi validate` and fix the errors it lists",
            issues=errors,
        )
    pr = p.project
    history = git_history(p.root) if use_git else {}
    versions = folder_versions(p.root, "cycles") if history else {}
    if analyses is None:
        analyses = analyse_all(p)
    if units is None:
        units = analyse_all_units(p, analyses)
    measures = [
        measure_summary(p, mid, analyses[mid], since, max_points=max_points)
        for mid in measure_order(p)
    ]
    for entry in measures:
        if entry["id"] in units:
            entry["by_unit"] = units_summary(units[entry["id"]])
    by_id = {m["id"]: m for m in measures}
    aim: dict[str, Any] | None = None
    if pr.aim:
        aim = pr.aim.model_dump(mode="json")
        outcome = by_id.get(pr.aim.outcome_measure or "")
        if outcome is not None:
            aim["latest"] = outcome["latest"]
            aim["outcome_name"] = outcome["name"]
            aim["met"] = _target_met(outcome, pr.aim.target)
    cycles = [_cycle_entry(p, c, history, versions) for c in p.cycles]
    # a cycle file that could not be read is said where its cycle would be listed: under
    # the change idea it names, else with the cycles (its problems are in data_quality)
    unread_all = unread_cycle_files(p)
    changes = []
    titles = {cid: c.title for cid, c in p.drivers.changes.items()} if p.drivers else {}
    for change in _driver_tree(p)["changes"]:
        # a cycle testing several change ideas is in the ramp of each, saying which others
        ramp = [
            {**c, "with": [titles.get(o, o) for o in c["changes"] if o != change["id"]]}
            for c in cycles
            if change["id"] in c["changes"]
        ]
        unread = [u for u in unread_all if change["id"] in u["changes"]]
        changes.append({**change, "cycles": ramp, "unread_cycles": unread})
    learning = [
        {
            "cycle": c["number"],
            "short_id": c["short_id"],
            "change": c["change"],
            "changes": c["changes"],
            "learned": c["learned"],
            "decision": c["decision"],
            "date": c["date"],
        }
        for c in cycles
        if c["learned"] or c["decision"]
    ]
    next_steps = []
    for change in changes:
        if change["cycles"] and change["status"] == "testing":
            last = change["cycles"][-1]
            if last["next_steps"]:
                next_steps.append(
                    {
                        "change": change["title"],
                        "cycle": last["number"],
                        "short_id": last["short_id"],
                        "next_steps": last["next_steps"],
                    }
                )
    score = pr.progress_score
    report: dict[str, Any] = {
        "schema": REPORT_SCHEMA,
        "generated": (today or dt.date.today()).isoformat(),
        "since": _iso(since),
        "project": {
            "title": pr.title,
            "status": pr.status,
            "start_date": _iso(pr.start_date),
            "lead": pr.lead,
            "team": [m.model_dump(exclude_none=True) for m in pr.team],
            "sponsor": pr.sponsor,
            "coach": pr.coach,
            "problem": pr.problem,
            "patient_involvement": pr.patient_involvement,
            "progress_score": score,
            "progress_label": PROGRESS_SCALE.get(score) if score is not None else None,
            "progress_history": [e.model_dump(mode="json") for e in pr.progress],
        },
        "aim": aim,
        "measures": measures,
        "driver_diagram": _driver_tree(p),
        "problem": problem_section(p),
        "changes": changes,
        "cycles": cycles,
        "unread_cycles": unread_all,
        "learning": learning,
        "next_steps": next_steps,
        "data_quality": [i.to_dict() for i in issues],
    }
    if since is not None:
        report["changed_since"] = {
            "new_cycles": [c["number"] for c in cycles if (c["date"] or "") >= since.isoformat()],
            "new_points": {m["id"]: m.get("since", {}).get("new_points", 0) for m in measures},
            "new_signals": {
                m["id"]: m.get("since", {}).get("new_signals", [])
                for m in measures
                if m.get("since", {}).get("new_signals")
            },
        }
    return report


def _target_met(measure: dict[str, Any], target: float | None) -> bool | None:
    latest = measure.get("latest")
    if target is None or latest is None or latest["value"] is None:
        return None
    if measure["direction"] == "decrease":
        return bool(latest["value"] <= target)
    if measure["direction"] == "increase":
        return bool(latest["value"] >= target)
    return None
