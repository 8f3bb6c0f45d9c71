"""The SQUIRE 2.0 write-up draft filled from a project: `build_writeup` and `write_up`.

Each item gets what the files already say (the charter, the aim, the driver diagram and
fishbone, the change ideas and their ramps of cycles, the operational definitions, the
charts' rules and signals), and a prompt wherever the writers must add what no file
holds. The draft's types and its Markdown are in `writeup.py`.
"""

from __future__ import annotations

from typing import Any

from qi_cli.exports.writeup import ITEMS, Block, Item, Writeup
from qi_cli.files.loaded import LoadedProject
from qi_cli.render.markdown import verdict_sentences
from qi_cli.render.values import fmt_value
from qi_cli.reports.report import build_report
from qi_cli.reports.words import counted, predictions_held, rule_words, variation_words
from qi_cli.validate import validate_project

METHOD_WORDS = {
    "anhoej": "the runs analysis of Anhøj (unusually long runs, unusually few crossings), "
    "as implemented in the R package qicharts2",
    "ihi": "the IHI run chart rules (shift, trend, too few or too many runs)",
    "mdc": "the NHS England Making Data Count rules (a point outside the limits, a shift "
    "of 7, a trend of 7, two of three points near a limit) and its variation and "
    "assurance icons",
}
METHOD_REFERENCES = {
    "anhoej": [
        "Anhøj J, Olesen AV. Run charts revisited: a simulation study of run chart rules "
        "for detection of non-random variation in health care processes. PLoS ONE "
        "2014;9(11):e113825.",
        "Anhøj J. qicharts2: Quality Improvement Charts. R package (CRAN).",
    ],
    "ihi": [
        "Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for "
        "learning from variation in healthcare processes. BMJ Quality & Safety "
        "2011;20(1):46–51.",
    ],
    "mdc": [
        'NHS England (formerly NHS Improvement). Making Data Count: "Getting started" and '
        '"Strengthening your decisions". 2019.',
    ],
}
# Shewhart limits on every control chart, whichever rule set reads them
SPC_REFERENCE = (
    "Provost LP, Murray SK. The Health Care Data Guide: Learning from Data for "
    "Improvement. San Francisco: Jossey-Bass; 2011."
)

# coaching codes about measures and their data (qi_cli/coaching.py): a write-up's limits
LIMITATION_CODES = ("Q2", "Q302", "Q303")

DEFINITION_LABELS = {
    "description": "Definition",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "unit": "Unit",
    "inclusions": "Included",
    "exclusions": "Excluded",
    "data_source": "Data source",
    "collected_by": "Collected by",
    "sampling": "Sampling",
}


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _outcome(report: dict[str, Any]) -> dict[str, Any] | None:
    outcome_id = (report.get("aim") or {}).get("outcome_measure")
    return next((m for m in report["measures"] if m["id"] == outcome_id), None)


def _outcome_sentence(report: dict[str, Any]) -> str | None:
    """`Mean length of stay …: baseline 7.2 days; latest 5.1 days on 2026-11-02 (target 5.5
    days, met).`"""
    aim, outcome = report.get("aim") or {}, _outcome(report)
    if outcome is None or not outcome.get("latest"):
        return None
    unit = outcome["unit"]
    latest = outcome["latest"]
    parts = []
    if aim.get("baseline") is not None:
        parts.append(f"baseline {fmt_value(aim['baseline'], unit)}")
    parts.append(f"latest {fmt_value(latest['value'], unit)} on {latest['date']}")
    met = {True: "met", False: "not met yet", None: None}[aim.get("met")]
    if aim.get("target") is not None:
        target = f"target {fmt_value(aim['target'], unit)}"
        parts.append(f"{target}, {met}" if met else target)
    return f"{outcome['name']}: " + "; ".join(parts) + "."


def _span(report: dict[str, Any]) -> str | None:
    dates = sorted(c["date"] for c in report["cycles"] if c["date"])
    return f"between {dates[0]} and {dates[-1]}" if dates else None


def _title_abstract(p: LoadedProject, report: dict[str, Any], items: list[Item]) -> None:
    title, abstract = items[0], items[1]
    title.text(report["project"]["title"])
    title.prompt(
        "Say in the title that this is an initiative to improve care, e.g. "
        '"…: a quality improvement project".'
    )
    pr, aim = report["project"], report.get("aim") or {}
    lines = []
    if pr["problem"]:
        lines.append(f"Problem: {_sentence(pr['problem'])}")
    if aim.get("statement"):
        lines.append(f"Aim: {_sentence(aim['statement'])}")
    tested = [c for c in report["changes"] if c["cycles"]]
    if report["cycles"]:
        span = _span(report)
        lines.append(
            f"Interventions: {counted(len(tested), 'change idea')} tested in "
            f"{counted(len(report['cycles']), 'PDSA cycle')}"
            + (f" {span}" if span else "")
            + (": " + "; ".join(c["title"] for c in tested) if tested else "")
            + "."
        )
    outcome = _outcome_sentence(report)
    if outcome:
        lines.append(f"Results: {outcome}")
    abstract.bullets(lines)
    abstract.prompt(
        "Turn these lines into the journal's structured abstract (background, local "
        "problem, methods, interventions, results, conclusions) within its word limit."
    )


def _introduction(p: LoadedProject, report: dict[str, Any], items: list[Item]) -> None:
    problem, knowledge, rationale, aims = items[2:6]
    pr = p.project
    if pr is not None:
        problem.text(pr.problem)
        problem.text(pr.reason)
        problem.text(pr.expected_benefits and f"Expected benefits: {pr.expected_benefits}")
    if not problem.filled:
        problem.prompt(
            "Describe the local problem and why it matters; the charter can hold it: "
            "qi project set problem TEXT."
        )
    if p.fishbone is not None:
        fb = p.fishbone
        knowledge.text(
            f"The team's cause-and-effect (fishbone) analysis of the problem, "
            f'"{_sentence(fb.effect)[:-1]}", found these causes.'
            + (f" {_sentence(fb.description)}" if fb.description else "")
        )
        knowledge.bullets(
            [
                f"{cat.name}: " + "; ".join(c.cause for c in cat.causes)
                for cat in fb.categories
                if cat.causes
            ]
        )
    sources = [
        f"{c.title}: {c.source}"
        for c in (p.drivers.changes.values() if p.drivers else [])
        if c.source
    ]
    if sources:
        knowledge.text("Where the change ideas came from:")
        knowledge.bullets(sources)
    knowledge.prompt(
        "Summarise what is already known about the problem, including earlier studies "
        "and guidelines, with references."
    )
    _rationale(report, rationale)
    aim = report.get("aim")
    if aim and aim.get("statement"):
        aims.text(_sentence(aim["statement"]))
        unit = (_outcome(report) or {}).get("unit")
        facts = [
            f"{label}: {fmt_value(aim[key], unit) if isinstance(aim[key], float) else aim[key]}"
            for key, label in (
                ("outcome_name", "Outcome measure"),
                ("baseline", "Baseline"),
                ("target", "Target"),
                ("target_date", "By"),
                ("population", "Population"),
            )
            if aim.get(key) is not None
        ]
        aims.bullets(facts)
    else:
        aims.prompt("State the aim; the charter can hold it: qi project set aim.statement TEXT.")


def _rationale(report: dict[str, Any], item: Item) -> None:
    diagram = report["driver_diagram"]
    if diagram["drivers"]:
        names = {d["id"]: d["name"] for d in diagram["drivers"]}
        primary = [d for d in diagram["drivers"] if d["primary"] or not d["parents"]]
        item.text(
            "The team's theory of change is its driver diagram: what must happen for the "
            "aim to be met (primary drivers), what feeds each (secondary drivers), and the "
            "change ideas tested."
        )
        lines = []
        for d in primary:
            feeders = [s["name"] for s in diagram["drivers"] if d["id"] in s["parents"]]
            lines.append(
                f"Primary driver: {d['name']}"
                + (f" (secondary drivers: {'; '.join(feeders)})" if feeders else "")
            )
        for c in diagram["changes"]:
            lines.append(
                f"Change idea: {c['title']}, acting on "
                + "; ".join(names.get(d, d) for d in c["drivers"])
            )
        item.bullets(lines)
    item.prompt(
        "Name the theory or framework behind the changes (e.g. the Model for Improvement) "
        "and the assumptions that led the team to expect them to work."
    )


def _methods(p: LoadedProject, report: dict[str, Any], items: list[Item]) -> None:
    context, interventions, study, measures, analysis, ethics = items[6:12]
    pr = p.project
    if pr is not None and pr.scope is not None:
        context.text(pr.scope.included and f"Included: {pr.scope.included}")
        context.text(pr.scope.excluded and f"Excluded: {pr.scope.excluded}")
    team = [
        f"{m['name']}, {m['role']}" if m.get("role") else m["name"]
        for m in report["project"]["team"]
    ]
    if team:
        context.text("The team:")
        context.bullets(team)
    for key, label in (("sponsor", "Sponsor"), ("coach", "QI coach")):
        context.text(report["project"][key] and f"{label}: {report['project'][key]}.")
    context.text(report["project"]["patient_involvement"])
    context.prompt(
        "Describe the setting (the organisation, the wards, the patients) and what in it "
        "the team thought would matter: staffing, culture, earlier attempts, other changes "
        "under way."
    )
    _interventions(p, report, interventions)
    _study(report, study)
    for m in report["measures"]:
        definition = m["definition"]
        lines = [
            f"{DEFINITION_LABELS[key]}: {definition[key]}"
            for key in DEFINITION_LABELS
            if definition.get(key)
        ]
        lines.append(f"Frequency: {m['frequency']}" if m.get("frequency") else "")
        if m.get("target") is not None:
            lines.append(f"Target: {fmt_value(m['target'], m['unit'])}")
        measures.text(f"{m['name']} ({m['kind']} measure).")
        measures.bullets([line for line in lines if line])
    if not report["measures"]:
        measures.prompt("Define the measures: qi measure add.")
    measures.prompt("Say how the completeness and accuracy of the data were checked.")
    _analysis(report, analysis)
    ethics.prompt(
        "Say whether the project was registered or reviewed (e.g. the trust's quality "
        "improvement or audit office, or a research ethics committee), how patients' data "
        "were protected, and any conflicts of interest."
    )


def _interventions(p: LoadedProject, report: dict[str, Any], item: Item) -> None:
    described = {cid: c for cid, c in (p.drivers.changes.items() if p.drivers else [])}
    for c in report["changes"]:
        change = described.get(c["id"])
        item.text(
            f"{c['title']} ({c['status']})."
            + (f" {_sentence(change.description)}" if change and change.description else "")
        )
        ramp = [
            f"Cycle {cy['number']}"
            + (f", {cy['date']}" if cy["date"] else "")
            + (f", {cy['scale']}" if cy["scale"] else "")
            + (f": {_sentence(cy['objective'])}" if cy["objective"] else ".")
            + (f" Decision: {cy['decision']}." if cy["decision"] else f" ({cy['status']})")
            for cy in c["cycles"]
        ]
        item.bullets(ramp)
    if not report["changes"]:
        item.prompt("Describe the changes; the driver diagram can hold them: qi change add.")


def _study(report: dict[str, Any], item: Item) -> None:
    cycles = report["cycles"]
    if not cycles:
        item.prompt("Plan the first PDSA cycle: qi cycle new.")
        return
    first = sum(1 for c in cycles if c["predictions_first"]["verdict"] == "before")
    held = [
        c
        for c in cycles
        if any(pr["prediction"] and pr["held"] is not None for pr in c["predictions"])
    ]
    item.text(
        "Each change was tested in Plan-Do-Study-Act cycles of growing scale (the Model "
        f"for Improvement): {counted(len(cycles), 'cycle')}, each with written questions "
        f"and predictions; in {first} of them the predictions were recorded before the "
        f"test began, and {len(held)} {'has' if len(held) == 1 else 'have'} been studied."
    )
    item.bullets(
        [
            f"Cycle {c['number']} ({', '.join(c['changes'])}): predictions held "
            f"{predictions_held(c['predictions'])}."
            for c in held
        ]
    )
    process = [m["name"] for m in report["measures"] if m["kind"] == "process"]
    if process:
        item.text(
            "Whether the changes were carried out as intended was followed by the process "
            "measures: " + "; ".join(process) + "."
        )
    item.prompt(
        "Say how the team judged whether the results were due to the changes (e.g. the "
        "timing of the changes against the signals in the charts) and not to something "
        "else."
    )


def _chart_words(m: dict[str, Any]) -> str:
    title = m.get("title") or ""
    return title.rsplit(": ", 1)[1] if ": " in title else f"{m['chart']} chart"


def _analysis(report: dict[str, Any], item: Item) -> None:
    charted = [m for m in report["measures"] if not m.get("error")]
    lines = [
        f"{m['name']}: {_chart_words(m)}, read with {METHOD_WORDS.get(m['method'], m['method'])}."
        for m in charted
    ]
    if lines:
        item.text(
            "Each measure was plotted over time and read with the rules of its method; a "
            "signal is a pattern that chance alone rarely gives."
        )
        item.bullets(lines)
    methods = list(dict.fromkeys(m["method"] for m in charted))
    references = [r for method in methods for r in METHOD_REFERENCES.get(method, [])]
    if any(m["chart"] != "run" for m in charted):
        references.append(SPC_REFERENCE)
    if references:
        item.text("References for the methods:")
        item.bullets(references)
    item.prompt("Name the software used for the charts (qi) and any other analysis done.")


def _results(p: LoadedProject, report: dict[str, Any], item: Item) -> None:
    notes = [
        f"{e['date']}: {e['note']}" for e in report["project"]["progress_history"] if e.get("note")
    ]
    if notes:
        item.text("The project's course, as its progress notes record it:")
        item.bullets(notes)
    for m in report["measures"]:
        item.text(f"{m['name']} ({m['kind']} measure).")
        if m.get("error"):
            item.text(f"Not charted: {m['error']}")
            continue
        latest = m["latest"]
        item.blocks.append(
            Block(
                kind="chart",
                measure=m["id"],
                text=f"{m['name']}: {_chart_words(m)}, "
                + counted(m["n_points"], "point")
                + (f" to {latest['date']}" if latest else "")
                + f"; signals: {rule_words(m['signals'])}.",
            )
        )
        lines = [*m["explanations"], *verdict_sentences(m, variation_words(m))]
        if not m["explanations"]:
            lines.append(f"Signals: {rule_words(m['signals'])}.")
        item.bullets(lines)
    decided = []
    for c in report["changes"]:
        decisions = [
            f"{cy['decision']} (cycle {cy['number']})" for cy in c["cycles"] if cy["decision"]
        ]
        decided.append(
            f"{c['title']}: {c['status']}"
            + (f"; decisions: {', '.join(decisions)}" if decisions else "")
        )
    if decided:
        item.text("What became of each change idea (adopted, adapted, abandoned):")
        item.bullets(decided)
    learned = [
        f"Cycle {x['cycle']} ({x['date'] or 'no date'}): {_sentence(x['learned'])}"
        for x in report["learning"]
        if x["learned"]
    ]
    if learned:
        item.text("What the cycles taught the team:")
        item.bullets(learned)
    item.prompt(
        "Add what the files do not hold: how the changes evolved in practice, "
        "unintended consequences, and missing data."
    )


def _discussion(report: dict[str, Any], items: list[Item]) -> None:
    summary, interpretation, limitations, conclusions = items[13:17]
    summary.text(_outcome_sentence(report))
    summary.prompt(
        "Summarise the key findings and their link to the rationale and aims; name the "
        "project's particular strengths."
    )
    interpretation.prompt(
        "Interpret the results: how the changes and the outcomes are linked, how they "
        "compare with other published work, their impact on people and systems, costs "
        "and trade-offs."
    )
    # the measures' own doubts (provisional limits, too few points, gaps, exclusions)
    warnings = [
        f"{i['path']}: {i['message']}"
        for i in report["data_quality"]
        if (i["code"] or "").startswith(LIMITATION_CODES)
    ]
    warnings += [f"{m['name']}: {w}" for m in report["measures"] for w in m["warnings"]]
    if warnings:
        limitations.text("What the checks and the charts say about the data:")
        limitations.bullets(warnings)
    limitations.prompt(
        "Name the limits to generalising the work, what may have biased the measures "
        "(e.g. definitions, missing data, other changes at the time), and how the team "
        "dealt with them."
    )
    steps = [f"{s['change']}: {_sentence(s['next_steps'])}" for s in report["next_steps"]]
    if steps:
        conclusions.text("Next steps:")
        conclusions.bullets(steps)
    conclusions.prompt(
        "Say what the work means in practice: its usefulness, how it will be sustained "
        "and spread, and what should be studied next."
    )


def build_writeup(p: LoadedProject, report: dict[str, Any]) -> Writeup:
    """The 18 SQUIRE items of one project (`report` is `build_report`'s dict)."""
    items = [Item(number=n, name=name, part=part) for n, name, part in ITEMS]
    _title_abstract(p, report, items)
    _introduction(p, report, items)
    _methods(p, report, items)
    _results(p, report, items[12])
    _discussion(report, items)
    items[17].prompt(
        "Name the sources of funding and their role in the work, or say there was none."
    )
    return Writeup(title=report["project"]["title"], generated=report["generated"], items=items)


def write_up(p: LoadedProject) -> Writeup:
    """The draft of one loaded project: its report built, then its SQUIRE items."""
    report = build_report(p, validate_project(p))
    return build_writeup(p, report)
