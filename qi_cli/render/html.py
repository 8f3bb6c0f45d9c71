"""Reports and portfolios as one self-contained HTML file for sharing and board papers.

No scripts, fonts, images or styles from elsewhere: the charts are inline SVG
(`render.svg`), the styles are inline, and the page prints on A4. Nothing depends on
colour alone: signal points differ in shape, icons are written in words, and every
chart has a text alternative.

The pages are Jinja2 templates (`render/templates/report/`, on the shell
`base.html.j2`); this module turns a report into the plain values they show, and the
templates escape every one of them. `report_content` is the report without its page,
for pages that embed it (the site's project pages); `CSS` is its style sheet.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from typing import Any

from qi_cli.events import KIND_WORDS
from qi_cli.render.diagram import driver_diagram_svg
from qi_cli.render.icons import assurance_icon, variation_icon
from qi_cli.render.markdown import verdict_sentences
from qi_cli.render.problem import TITLE as PROBLEM_TITLE
from qi_cli.render.problem import problem_pictures
from qi_cli.render.templating import Markup, dash, render_page
from qi_cli.render.values import fmt_value
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    SCORE_LEGEND,
    amended_words,
    assurance_words,
    counted,
    prediction_mark,
    predictions_held,
    rule_words,
    unplaced_unread,
    unread_words,
    variation_words,
)

ChartSvg = Callable[[str], "str | None"]

CSS = (
    resources.files("qi_cli.render")
    .joinpath("templates/report/style.css.j2")
    .read_text(encoding="utf-8")
)
"""The report's style sheet (the file the report's templates include)."""

LEGEND = (
    "Each chart has its own key below it. Signals are marked by shape as well as colour "
    "(diamond: improvement, square: concern, triangle: special cause with no preferred "
    "direction), so the charts read the same printed in black and white."
)


def measure_anchor(measure_id: str) -> str:
    """The id of a measure's section in the report, for links from other pages."""
    return f"measure-{measure_id}"


def cycle_anchor(cycle_id: str) -> str:
    """The id of a cycle's row in the report (its first, when it tests several ideas)."""
    return f"cycle-{cycle_id}"


def _svg(text: str | None) -> Markup | None:
    """SVG that qi drew and escaped itself, to be placed as it is."""
    return Markup(text) if text else None


def _facts(pr: dict[str, Any]) -> list[tuple[str, str]]:
    facts = [("Status", dash(pr["status"]))]
    if pr["progress_score"] is not None:
        facts.append(("Progress", f"{pr['progress_score']:g} ({dash(pr['progress_label'])})"))
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            facts.append((label, dash(pr[key])))
    return facts


def _since(report: dict[str, Any]) -> dict[str, str] | None:
    if not report.get("since"):
        return None
    changed = report["changed_since"]
    points = ", ".join(f"{k} {v}" for k, v in changed["new_points"].items() if v)
    signals = "; ".join(f"{k}: {', '.join(v)}" for k, v in changed["new_signals"].items())
    return {
        "date": report["since"],
        "cycles": ", ".join(f"#{n}" for n in changed["new_cycles"]) or "none",
        "points": points or "none",
        "signals": signals or "none",
    }


def _aim(report: dict[str, Any]) -> dict[str, Any] | None:
    """The aim and where its outcome measure stands."""
    aim = report.get("aim")
    if not aim:
        return None
    latest = aim.get("latest") or {}
    unit = next(
        (m["unit"] for m in report["measures"] if m["id"] == aim.get("outcome_measure")), None
    )

    def value(key: str) -> str:
        return dash(fmt_value(aim[key], unit) if aim.get(key) is not None else None)

    return {
        "statement": aim["statement"],
        "outcome": aim.get("outcome_name") or aim.get("outcome_measure"),
        "baseline": value("baseline"),
        "latest": dash(fmt_value(latest.get("value"), unit)),
        "has_latest": bool(latest),
        "latest_date": latest.get("date"),
        "target": value("target"),
        "target_date": aim.get("target_date"),
        "met": {True: "yes", False: "not yet", None: "–"}[aim.get("met")],
    }


def _measure_row(m: dict[str, Any]) -> dict[str, Any]:
    """A measure's row in the summary: latest, target, signals and its icons."""
    latest = m.get("latest")
    variation, assurance = variation_words(m), assurance_words(m)
    return {
        "name": m["name"],
        "kind": m["kind"],
        "latest": dash(fmt_value(latest["value"], m["unit"]) if latest else None),
        "latest_date": latest["date"] if latest else None,
        "target": dash(fmt_value(m["target"], m["unit"]) if m["target"] is not None else None),
        "signals": "cannot chart" if m.get("error") else dash(rule_words(m["signals"])),
        "variation_icon": _svg(variation_icon(m.get("variation_icon"), variation or "")),
        "variation": variation,
        "assurance_icon": _svg(assurance_icon(m.get("assurance_icon"), assurance or "")),
        "assurance": assurance,
    }


def _decisions(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each change idea with its status and the latest decision of its cycles."""
    rows = []
    for c in report["changes"]:
        decided = [cy for cy in c["cycles"] if cy["decision"]]
        rows.append(
            {
                "title": c["title"],
                "status": c["status"],
                "cycles": len(c["cycles"]),
                "last": decided[-1] if decided else None,
            }
        )
    return rows


def _details(
    report: dict[str, Any], chart_svg: ChartSvg | None, outcome: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Each measure's section: its chart and what the chart shows, in words."""
    sections = []
    for m in report["measures"]:
        section: dict[str, Any] = {
            "anchor": measure_anchor(m["id"]),
            "name": m["name"],
            "error": m.get("error"),
        }
        sections.append(section)
        if m.get("error"):
            continue
        in_summary = m is outcome
        items = [*m["explanations"], *verdict_sentences(m, m.get("variation_words"))]
        after = [
            f"{e['label']} {e['date']} {KIND_WORDS.get(e['kind'], e['kind'])}: {e['text']}"
            for e in (m.get("analysis") or {}).get("events", [])
        ]
        if m.get("rules"):
            after.append(m["rules"])
        section.update(
            in_summary=in_summary,
            chart=None if in_summary or not chart_svg else _svg(chart_svg(m["id"])),
            sentences=items,
            notes=m["warnings"],
            after_notes=after,
        )
    return sections


def _problem(report: dict[str, Any]) -> dict[str, Any] | None:
    """The "Understanding the problem" section: each tool's drawing."""
    pictures = problem_pictures(report)
    if not pictures:
        return None
    return {
        "title": PROBLEM_TITLE,
        "pictures": [
            {"heading": heading, "svg": _svg(svg), "notes": notes}
            for heading, svg, _alt, notes in pictures
        ],
        "skipped": report["problem"]["skipped"],
    }


def _tree(report: dict[str, Any]) -> dict[str, Any]:
    """The driver diagram as nested nodes under the aim, for its list form."""
    diagram = report["driver_diagram"]
    drivers = {d["id"]: d for d in diagram["drivers"]}
    children: dict[str, list[str]] = {}
    for d in diagram["drivers"]:
        for parent in d["parents"] or ["__aim__"]:
            children.setdefault(parent, []).append(d["id"])
    changes: dict[str, list[dict[str, Any]]] = {}
    for c in diagram["changes"]:
        for d in c["drivers"]:
            changes.setdefault(d, []).append(c)

    def node(did: str, trail: frozenset[str]) -> dict[str, Any]:
        d = drivers[did]
        return {
            "kind": "primary driver" if d["primary"] else "secondary driver",
            "name": d["name"],
            "children": [node(k, trail | {did}) for k in children.get(did, []) if k not in trail],
            "changes": changes.get(did, []),
        }

    aim = (report.get("aim") or {}).get("statement") or report["project"]["title"]
    return {"name": aim, "children": [node(k, frozenset()) for k in children.get("__aim__", [])]}


def _changes(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Each change idea and the rows of its cycles; a cycle's anchor is on its first row."""
    anchored: set[str] = set()
    out = []
    for c in report["changes"]:
        rows = []
        for cy in c["cycles"]:
            first = cy["id"] not in anchored
            anchored.add(cy["id"])
            rows.append(
                {
                    "anchor": cycle_anchor(cy["id"]) if first else None,
                    "number": cy["number"],
                    "short_id": cy["short_id"],
                    "with": " + ".join(cy["with"]),
                    "date": cy["date"],
                    "scale": cy["scale"],
                    "objective": cy["objective"],
                    "amended": amended_words(cy["predictions"]),
                    "mark": prediction_mark(cy),
                    "held": predictions_held(cy["predictions"]),
                    "decision": cy["decision"] or cy["status"],
                }
            )
        unread = unread_words(c["unread_cycles"]) if c["unread_cycles"] else None
        out.append({"title": c["title"], "status": c["status"], "cycles": rows, "unread": unread})
    return out


def _report_view(report: dict[str, Any], chart_svg: ChartSvg | None) -> dict[str, Any]:
    """Everything report/content.html.j2 shows, as plain values (and SVG marked safe)."""
    outcome_id = (report.get("aim") or {}).get("outcome_measure")
    outcome = next((m for m in report["measures"] if m["id"] == outcome_id), None)
    outcome_chart = (
        _svg(chart_svg(outcome["id"]))
        if chart_svg and outcome and not outcome.get("error")
        else None
    )
    diagram = _svg(driver_diagram_svg(report))
    return {
        "project": report["project"],
        "facts": _facts(report["project"]),
        "aim": _aim(report),
        "outcome": outcome,
        "outcome_chart": outcome_chart,
        "measures": [_measure_row(m) for m in report["measures"]],
        "decisions": _decisions(report),
        "since": _since(report),
        "legend": LEGEND,
        # the outcome's section points up to the summary only when the chart is there
        "details": _details(report, chart_svg, outcome if outcome_chart else None),
        "problem": _problem(report),
        "diagram": diagram,
        "tree": _tree(report) if diagram else None,
        "changes": _changes(report),
        "has_cycles": bool(report["cycles"]),
        "unread_cycles": unread_words(unplaced) if (unplaced := unplaced_unread(report)) else None,
        "prediction_legend": PREDICTION_LEGEND,
        "learning": [
            {**item, "changes": ", ".join(item["changes"]), "learned": item["learned"] or ""}
            for item in report["learning"]
        ],
        "next_steps": report["next_steps"],
        "data_quality": [
            {**i, "where": str(i["path"]) + (f":{i['line']}" if i["line"] else "")}
            for i in report["data_quality"]
        ],
        "generated": report["generated"],
    }


def report_content(report: dict[str, Any], chart_svg: ChartSvg | None = None) -> Markup:
    """The report's content (header to footer), for a page of its own or of a site."""
    return Markup(render_page("report/content.html.j2", **_report_view(report, chart_svg)))


def render_report(report: dict[str, Any], chart_svg: ChartSvg | None = None) -> str:
    """The report as one self-contained page."""
    content = report_content(report, chart_svg)
    return render_page("report/page.html.j2", title=report["project"]["title"], content=content)


def _portfolio_row(p: dict[str, Any]) -> dict[str, Any]:
    outcome = p.get("outcome") or {}
    score = p["progress_score"]
    shown = f"{score:g}" if score is not None else None
    if shown and p["progress_change"]:
        shown += f" ({p['progress_change']:+g})"
    return {
        "title": p["title"],
        "lead": p["lead"],
        "status": "unreadable" if p["status"] is None and p["errors"] else p["status"],
        "score": shown,
        "last_cycle": p["last_cycle"],
        "cycles": p["cycles"],
        "adopted": p["adopted"],
        "abandoned": p["abandoned"],
        "outcome": (
            f"{fmt_value(outcome.get('latest'), outcome.get('unit'))} vs "
            f"{fmt_value(outcome.get('target'), outcome.get('unit'))}"
            if outcome
            else None
        ),
        "variation": variation_words(outcome) if outcome else None,
        "errors": p["errors"] or None,
    }


def _portfolio_measure(p: dict[str, Any], m: dict[str, Any]) -> dict[str, Any]:
    variation, assurance = variation_words(m), assurance_words(m)
    return {
        "project": p["title"],
        "name": m["name"],
        "kind": m["kind"],
        "latest": fmt_value(m.get("latest"), m.get("unit")),
        "target": fmt_value(m.get("target"), m.get("unit"))
        if m.get("target") is not None
        else None,
        "variation_icon": _svg(variation_icon(m.get("variation_icon"), variation or "")),
        "variation": variation or "no data yet",
        "assurance_icon": _svg(assurance_icon(m.get("assurance_icon"), assurance or "")),
        "assurance": assurance,
    }


def render_portfolio(portfolio: dict[str, Any]) -> str:
    """Every project in a table, and the Making Data Count summary of their measures."""
    return render_page(
        "report/portfolio.html.j2",
        title="QI portfolio",
        count=counted(len(portfolio["projects"]), "project"),
        root=portfolio["root"],
        generated=portfolio["generated"],
        projects=[_portfolio_row(p) for p in portfolio["projects"]],
        score_legend=SCORE_LEGEND,
        measures=[
            _portfolio_measure(p, m) for p in portfolio["projects"] for m in p.get("measures", [])
        ],
    )
