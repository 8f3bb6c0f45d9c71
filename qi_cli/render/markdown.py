"""Reports and portfolios as Markdown that renders well on GitHub and GitLab.

Tables for the figures, each chart as a text block (the terminal chart, colour off),
and the driver diagram as a Mermaid block, which both sites draw.

Every user's text goes through `render.escape` (`_md`, `mermaid_text`): a name cannot
start a heading, close a code block or a table cell, or carry HTML, on any renderer
(GitHub sanitises HTML; pandoc and many wikis do not).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from qi_cli.render.escape import (
    markdown_code,
    markdown_fence,
    markdown_paragraphs,
    markdown_text,
    mermaid_text,
)
from qi_cli.render.problem import problem_markdown
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

ChartText = Callable[[str], "str | None"]


def _cell(value: object) -> str:
    """A table cell: qi's own words as they are (a user's text is escaped by `_md`
    already); a pipe not escaped yet and a line break can never end the cell."""
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return re.sub(r"(?<!\\)\|", r"\\|", " ".join(str(value).split("\n")))


def _md(value: object) -> str | None:
    """A user's text for Markdown (None stays None: a table shows it as a dash)."""
    return markdown_text(str(value)) if value is not None else None


def _md_value(value: float | None, unit: str | None = None) -> str:
    return markdown_text(fmt_value(value, unit))


def _chart_words(m: dict[str, Any]) -> str | None:
    """`XmR (I) chart, Making Data Count`: the words of the analysis title, not codes."""
    title = m.get("title")
    if title and ": " in title:
        return str(title).rsplit(": ", 1)[1]
    return f"{m.get('chart')} ({m.get('method')})" if m.get("chart") else None


def latest_sentence(m: dict[str, Any]) -> str | None:
    """`Latest: 5 days on 2026-11-02: meets the target of 5.5 days (lower is better).`"""
    latest = m.get("latest")
    if not latest:
        return None
    text = f"Latest: {fmt_value(latest['value'], m['unit'])} on {latest['date']}"
    if m["target"] is None:
        return text + "; no target set."
    target = fmt_value(m["target"], m["unit"])
    if m["direction"] not in ("increase", "decrease") or latest["value"] is None:
        return text + f"; target {target}."
    up = m["direction"] == "increase"
    met = latest["value"] >= m["target"] if up else latest["value"] <= m["target"]
    verdict = "meets the target" if met else "does not meet the target yet"
    return f"{text}: {verdict} of {target} ({'higher' if up else 'lower'} is better)."


def verdict_sentences(m: dict[str, Any], variation: str | None) -> list[str]:
    """What a measure's chart says after its explanations: its variation (`variation`,
    as the caller words it), its assurance, and its latest value against the target."""
    sentences = [f"Variation: {variation}."] if variation else []
    if m.get("assurance_words"):
        sentences.append(f"Assurance: {m['assurance_words']}.")
    latest = latest_sentence(m)
    if latest:
        sentences.append(latest)
    return sentences


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _mermaid_id(prefix: str, ident: str) -> str:
    return prefix + ident.replace("-", "_")


def mermaid(report: dict[str, Any]) -> list[str]:
    """The driver diagram as a Mermaid flowchart, aim on the left, change ideas right."""
    diagram = report["driver_diagram"]
    aim = report.get("aim") or {}
    lines = ["```mermaid", "flowchart RL"]
    lines.append(
        f'  aim["Aim: {mermaid_text(aim.get("statement") or report["project"]["title"])}"]'
    )
    for d in diagram["drivers"]:
        node = _mermaid_id("d_", d["id"])
        lines.append(f'  {node}["{mermaid_text(d["name"])}"]')
        for parent in d["parents"] or ["aim"]:
            target = "aim" if parent == "aim" else _mermaid_id("d_", parent)
            lines.append(f"  {node} --> {target}")
    for c in diagram["changes"]:
        node = _mermaid_id("c_", c["id"])
        lines.append(f'  {node}(["{mermaid_text(c["title"])} ({c["status"]})"])')
        for d in c["drivers"]:
            lines.append(f"  {node} --> {_mermaid_id('d_', d)}")
    lines.append("```")
    return lines


def units_markdown(m: dict[str, Any], units_text: ChartText | None = None) -> list[str]:
    """A measure kept per unit: a table of its units (latest value, centre line, signals,
    variation; the team's own unit marked), then each unit's chart, on one scale."""
    by_unit = m.get("by_unit")
    if not by_unit:
        return []
    low, high = by_unit["y_range"]
    out = [
        f"#### {_md(m['name'])}, unit by unit",
        "",
        f"Each unit has its own centre line, limits and signals; the charts share one "
        f"scale ({_md_value(low)} to {_md_value(high)}).",
        "",
    ]
    rows: list[list[object]] = []
    for u in by_unit["units"]:
        name = markdown_text(str(u["unit"])) + (" **(your unit)**" if u["own"] else "")
        latest = u["latest"]
        rows.append(
            [
                name,
                f"{_md_value(latest['value'], m['unit'])} on {latest['date']}" if latest else None,
                _md_value(u["centre_line"], m["unit"]) if u["centre_line"] is not None else None,
                rule_words(u["signals"]),
                variation_words(u, short=True),
            ]
        )
    out += _table(["Unit", "Latest", "Centre line", "Signals", "Variation"], rows)
    out.append("")
    text = units_text(m["id"]) if units_text else None
    if text:
        out += [*markdown_fence(text.rstrip("\n"), "text"), ""]
    return out


def render_report(
    report: dict[str, Any],
    chart_text: ChartText | None = None,
    units_text: ChartText | None = None,
) -> str:
    pr = report["project"]
    out = [f"# {_md(pr['title'])}", ""]
    score = pr["progress_score"]
    facts = [f"**Status:** {pr['status']}"]
    if score is not None:
        facts.append(f"**Progress:** {score:g} ({pr['progress_label']})")
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            facts.append(f"**{label}:** {_md(pr[key])}")
    out += [" · ".join(facts), ""]
    if report.get("since"):
        changed = report["changed_since"]
        out += [f"## Since {report['since']}", ""]
        out.append(f"- New cycles: {', '.join(f'#{n}' for n in changed['new_cycles']) or 'none'}")
        points = ", ".join(f"{k} {v}" for k, v in changed["new_points"].items() if v)
        out.append(f"- New data points: {points or 'none'}")
        signals = "; ".join(f"{k}: {rule_words(v)}" for k, v in changed["new_signals"].items())
        out += [f"- New signals: {signals or 'none'}", ""]
    if pr["problem"]:
        out += ["## Problem", "", markdown_paragraphs(pr["problem"]), ""]
    aim = report.get("aim")
    out += ["## Aim", ""]
    if aim:
        out += [f"> {_md(aim['statement'])}", ""]
        latest = aim.get("latest") or {}
        met = {True: "yes", False: "not yet", None: "–"}[aim.get("met")]
        unit = next(
            (m["unit"] for m in report["measures"] if m["id"] == aim.get("outcome_measure")), None
        )
        out += _table(
            ["Outcome measure", "Baseline", "Latest", "Target", "Target date", "Met"],
            [
                [
                    _md(aim.get("outcome_name") or aim.get("outcome_measure")),
                    _md_value(aim["baseline"], unit) if aim.get("baseline") is not None else None,
                    f"{_md_value(latest.get('value'), unit)} ({latest.get('date')})"
                    if latest
                    else None,
                    _md_value(aim["target"], unit) if aim.get("target") is not None else None,
                    aim.get("target_date"),
                    met,
                ]
            ],
        )
        out.append("")
    else:
        out += ["No aim yet.", ""]
    out += ["## Measures", ""]
    rows = []
    for m in report["measures"]:
        latest = m.get("latest")
        rows.append(
            [
                _md(m["name"]),
                m["kind"],
                f"{_md_value(latest['value'], m['unit'])} ({latest['date']})" if latest else None,
                _md_value(m["target"], m["unit"]) if m["target"] is not None else None,
                _chart_words(m),
                "cannot chart" if m.get("error") else rule_words(m["signals"]),
                variation_words(m),
                assurance_words(m),
            ]
        )
    out += _table(
        ["Measure", "Kind", "Latest", "Target", "Chart", "Signals", "Variation", "Assurance"], rows
    )
    out.append("")
    for m in report["measures"]:
        out += [f"### {_md(m['name'])}", ""]
        if m.get("error"):
            out += [f"Cannot chart this measure: {_md(m['error'])}", ""]
            continue
        text = chart_text(m["id"]) if chart_text else None
        if text:
            out += [*markdown_fence(text.rstrip("\n"), "text"), ""]
        out += [f"- {_md(line)}" for line in m["explanations"]]
        out += [f"- {_md(line)}" for line in verdict_sentences(m, m.get("variation_words"))]
        out += [f"- Note: {_md(w)}" for w in m["warnings"]]
        out.append("")
        out += units_markdown(m, units_text)
    out += problem_markdown(report)
    out += ["## Driver diagram", "", *mermaid(report), ""]
    out += ["## Change ideas and PDSA cycles", ""]
    for c in report["changes"]:
        out += [f"### {_md(c['title'])} — {c['status']}", ""]
        if c["unread_cycles"]:
            out += [_md(unread_words(c["unread_cycles"])) or "", ""]
        if not c["cycles"]:
            if not c["unread_cycles"]:
                out += ["No cycles yet.", ""]
            continue
        out += _table(
            [
                "Cycle",
                "Date",
                "Scale",
                "Purpose",
                "Predictions first",
                "Predictions held",
                "Decision",
            ],
            [
                [
                    f"#{cy['number']} {cy['short_id']}" + _with(cy["with"]),
                    cy["date"],
                    _md(cy["scale"]),
                    cy["purpose"],
                    prediction_mark(cy),
                    _held(cy["predictions"]),
                    cy["decision"] or cy["status"],
                ]
                for cy in c["cycles"]
            ],
        )
        out.append("")
    unplaced = unplaced_unread(report)
    if unplaced:
        out += [_md(unread_words(unplaced)) or "", ""]
    if report["cycles"]:
        out += [PREDICTION_LEGEND, ""]
    if report["learning"]:
        out += ["## What we learned", ""]
        for item in report["learning"]:
            text = _md(item["learned"] or "")
            decision = f" **{item['decision']}**" if item["decision"] else ""
            out.append(
                f"- #{item['cycle']} {item['short_id']} ({item['date']}, "
                f"{', '.join(item['changes'])}):"
                f"{decision} {text}".rstrip()
            )
        out.append("")
    if report["next_steps"]:
        out += ["## Next steps", ""]
        out += [
            f"- {_md(s['change'])} (after #{s['cycle']} {s['short_id']}): {_md(s['next_steps'])}"
            for s in report["next_steps"]
        ]
        out.append("")
    out += ["## Data quality", ""]
    issues = report["data_quality"]
    if issues:
        for i in issues:
            where = i["path"] + (f":{i['line']}" if i["line"] else "")
            code = f" [{i['code']}]" if i["code"] else ""
            out.append(f"- {i['severity']}: {markdown_code(where)} {_md(i['message'])}{code}")
    else:
        out.append("No problems found by `qi validate`.")
    out += ["", f"_Generated by qi on {report['generated']}._", ""]
    return "\n".join(out)


def _with(others: list[str]) -> str:
    """` (with Quiet hours)`: the other change ideas a cycle tests together with this one."""
    return f" (with {' + '.join(markdown_text(o) for o in others)})" if others else ""


def _held(predictions: list[dict[str, Any]]) -> str:
    """How many predictions held, and whether one was amended after the test."""
    amended = amended_words(predictions) if predictions else None
    return predictions_held(predictions) + (f" ({amended})" if amended else "")


def render_portfolio(portfolio: dict[str, Any]) -> str:
    """The QI team's board summary: one row per project, then the Making Data Count table."""
    out = [
        f"# QI portfolio: {_md(portfolio['root'])}",
        "",
        f"{counted(len(portfolio['projects']), 'project')}, generated {portfolio['generated']}.",
        "",
    ]
    rows = []
    for p in portfolio["projects"]:
        score = p["progress_score"]
        change = p["progress_change"]
        shown = f"{score:g}" if score is not None else None
        if shown and change:
            shown += f" ({change:+g})"
        outcome = p.get("outcome") or {}
        rows.append(
            [
                _md(p["title"]),
                _md(p["lead"]),
                "unreadable" if p["status"] is None and p["errors"] else p["status"],
                shown,
                p["last_cycle"],
                p["cycles"],
                f"{p['adopted']}/{p['abandoned']}",
                f"{_md_value(outcome.get('latest'), outcome.get('unit'))} vs "
                f"{_md_value(outcome.get('target'), outcome.get('unit'))}"
                if outcome
                else None,
                variation_words(outcome) if outcome else None,
                p["errors"] or "",
            ]
        )
    out += _table(
        [
            "Project",
            "Lead",
            "Status",
            "Score",
            "Last cycle",
            "Cycles",
            "Adopted/abandoned",
            "Outcome vs target",
            "Outcome variation",
            "Errors",
        ],
        rows,
    )
    out += ["", SCORE_LEGEND]
    out += ["", "## Making Data Count summary", ""]
    mdc_rows = []
    for p in portfolio["projects"]:
        for m in p.get("measures", []):
            mdc_rows.append(
                [
                    _md(p["title"]),
                    _md(m["name"]),
                    m["kind"],
                    _md_value(m.get("latest"), m.get("unit")),
                    _md_value(m.get("target"), m.get("unit"))
                    if m.get("target") is not None
                    else None,
                    variation_words(m) or "no data yet",
                    assurance_words(m),
                ]
            )
    out += _table(
        ["Project", "Measure", "Kind", "Latest", "Target", "Variation", "Assurance"], mdc_rows
    )
    out.append("")
    return "\n".join(out)
