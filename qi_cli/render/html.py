"""Reports and portfolios as one self-contained HTML file for sharing and board papers.

No scripts, fonts, images or styles from elsewhere: the charts are inline SVG
(`render.svg`), the styles are inline, and the page prints on A4. Nothing depends on
colour alone: signal points differ in shape, icons are written in words, and every
chart has a text alternative.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from qi_cli.events import KIND_WORDS
from qi_cli.render.diagram import driver_diagram_svg
from qi_cli.render.icons import assurance_icon, variation_icon
from qi_cli.render.markdown import fmt_value, latest_sentence
from qi_cli.render.problem import problem_html
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    SCORE_LEGEND,
    amended_words,
    assurance_words,
    counted,
    prediction_mark,
    predictions_held,
    rule_words,
    variation_words,
)

ChartSvg = Callable[[str], "str | None"]

CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #1a1a1a; max-width: 980px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 2px solid #1a1a1a; padding-bottom: 2px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
.facts { color: #333; margin: 0 0 12px; } .facts b { font-weight: 600; }
blockquote { margin: 8px 0; padding: 8px 12px; border-left: 4px solid #1f6fb2;
  background: #f3f7fb; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #bbb; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
.measure { break-inside: avoid; page-break-inside: avoid; margin-bottom: 18px; }
.signals li { margin: 2px 0; } .note { color: #555; }
.tag { display: inline-block; border: 1px solid #555; border-radius: 3px; padding: 0 5px;
       font-size: 12px; margin-right: 4px; }
.tree ul { margin: 2px 0 2px 18px; padding: 0; } .tree li { list-style: none; margin: 2px 0; }
.tree .kind { color: #555; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.legend { font-size: 12px; color: #333; }
.nowrap { white-space: nowrap; }
figure { margin: 4px 0; }
.mdc { float: left; margin: 0 6px 2px 0; }
.mdc svg { display: block; }
details { margin: 6px 0 12px; font-size: 13px; }
footer { margin-top: 28px; color: #555; font-size: 12px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; line-height: 1.3; }
  h1 { font-size: 19pt; } h3 { font-size: 11pt; margin: 6pt 0 2pt; }
  h2 { font-size: 13pt; margin: 9pt 0 4pt; break-after: avoid; }
  blockquote { margin: 4pt 0; padding: 4pt 8pt; }
  table { font-size: 8.5pt; margin: 3pt 0 6pt; } th, td { padding: 2px 4px; }
  tr, figure, .measure { break-inside: avoid; }
  /* the summary (aim, outcome chart, measures, decisions) is the first page */
  .summary { break-after: page; }
  .summary figure svg { max-height: 78mm; }
  details { display: none; }
  a { color: inherit; text-decoration: none; }
}
"""

LEGEND = (
    "Each chart has its own key below it. Signals are marked by shape as well as colour "
    "(diamond: improvement, square: concern, triangle: special cause with no preferred "
    "direction), so the charts read the same printed in black and white."
)


def _e(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return escape(f"{value:g}")
    return escape(str(value))


def _date(value: object) -> str:
    return f'<span class="nowrap">{_e(value)}</span>'


def _where(issue: dict[str, Any]) -> str:
    return str(issue["path"]) + (f":{issue['line']}" if issue["line"] else "")


def _amended_tag(predictions: list[dict[str, Any]]) -> str:
    amended = amended_words(predictions)
    return f' <span class="tag">{escape(amended)}</span>' if amended else ""


def _icon_cell(icon: str) -> str:
    """A Making Data Count icon before its words in a table cell (nothing without one)."""
    return f'<span class="mdc">{icon}</span>' if icon else ""


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page(title: str, body: list[str]) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _tree(report: dict[str, Any]) -> str:
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

    def node(did: str, trail: frozenset[str]) -> str:
        d = drivers[did]
        kind = "primary driver" if d["primary"] else "secondary driver"
        inner = [node(k, trail | {did}) for k in children.get(did, []) if k not in trail]
        inner += [
            f'<li><span class="kind">change idea</span> {escape(c["title"])} '
            f'<span class="tag">{escape(c["status"])}</span></li>'
            for c in changes.get(did, [])
        ]
        sub = f"<ul>{''.join(inner)}</ul>" if inner else ""
        return f'<li><span class="kind">{kind}</span> {escape(d["name"])}{sub}</li>'

    aim = (report.get("aim") or {}).get("statement") or report["project"]["title"]
    items = "".join(node(k, frozenset()) for k in children.get("__aim__", []))
    return (
        f'<div class="tree"><ul><li><span class="kind">aim</span> {escape(aim)}'
        f"<ul>{items}</ul></li></ul></div>"
    )


def _since(report: dict[str, Any]) -> list[str]:
    if not report.get("since"):
        return []
    changed = report["changed_since"]
    cycles = ", ".join(f"#{n}" for n in changed["new_cycles"]) or "none"
    points = ", ".join(f"{k} {v}" for k, v in changed["new_points"].items() if v)
    signals = "; ".join(f"{k}: {', '.join(v)}" for k, v in changed["new_signals"].items())
    return [
        f"<h2>Since {_e(report['since'])}</h2><ul>",
        f"<li>New cycles: {_e(cycles)}</li>",
        f"<li>New data points: {_e(points or 'none')}</li>",
        f"<li>New signals: {_e(signals or 'none')}</li></ul>",
    ]


def _aim(report: dict[str, Any]) -> list[str]:
    """The aim and where its outcome measure stands."""
    aim = report.get("aim")
    if not aim:
        return ["<h2>Aim</h2>", "<p>No aim yet.</p>"]
    latest = aim.get("latest") or {}
    met = {True: "yes", False: "not yet", None: "–"}[aim.get("met")]
    unit = next(
        (m["unit"] for m in report["measures"] if m["id"] == aim.get("outcome_measure")), None
    )

    def value(key: str) -> str:
        return _e(fmt_value(aim[key], unit) if aim.get(key) is not None else None)

    row = [
        _e(aim.get("outcome_name") or aim.get("outcome_measure")),
        value("baseline"),
        _e(fmt_value(latest.get("value"), unit))
        + (f" ({_date(latest.get('date'))})" if latest else ""),
        value("target"),
        _date(aim.get("target_date")),
        met,
    ]
    header = ["Outcome measure", "Baseline", "Latest", "Target", "Target date", "Met"]
    return [
        "<h2>Aim</h2>",
        f"<blockquote>{_e(aim['statement'])}</blockquote>",
        _table(header, [row]),
    ]


def _measures_table(report: dict[str, Any]) -> str:
    """One row a measure: latest, target, signals and the Making Data Count icons."""
    rows = []
    for m in report["measures"]:
        latest = m.get("latest")
        variation, assurance = variation_words(m), assurance_words(m)
        rows.append(
            [
                _e(m["name"]),
                _e(m["kind"]),
                _e(fmt_value(latest["value"], m["unit"]) if latest else None)
                + (f"<br>{_date(latest['date'])}" if latest else ""),
                _e(fmt_value(m["target"], m["unit"]) if m["target"] is not None else None),
                "cannot chart" if m.get("error") else _e(rule_words(m["signals"])),
                _icon_cell(variation_icon(m.get("variation_icon"), variation or ""))
                + _e(variation),
                _icon_cell(assurance_icon(m.get("assurance_icon"), assurance or ""))
                + _e(assurance),
            ]
        )
    header = ["Measure", "Kind", "Latest", "Target", "Signals", "Variation", "Assurance"]
    return _table(header, rows)


def _decisions(report: dict[str, Any]) -> list[str]:
    """Each change idea with its status and the latest decision of its cycles."""
    if not report["changes"]:
        return []
    rows = []
    for c in report["changes"]:
        decided = [cy for cy in c["cycles"] if cy["decision"]]
        last = decided[-1] if decided else None
        latest = (
            f"#{last['number']} {_e(last['short_id'])} {_date(last['date'])}: "
            f"<b>{_e(last['decision'])}</b>"
            if last
            else "–"
        )
        rows.append([_e(c["title"]), _e(c["status"]), str(len(c["cycles"])), latest])
    return [
        "<h2>Decisions</h2>",
        _table(["Change idea", "Status", "Cycles", "Latest decision"], rows),
    ]


def render_report(report: dict[str, Any], chart_svg: ChartSvg | None = None) -> str:
    """The report as one self-contained page."""
    return _page(report["project"]["title"], [report_content(report, chart_svg)])


def report_content(report: dict[str, Any], chart_svg: ChartSvg | None = None) -> str:
    """The report's content (header to footer), for a page of its own or of a site."""
    pr = report["project"]
    body = [f"<header><h1>{escape(pr['title'])}</h1>"]
    facts = [f"<b>Status:</b> {_e(pr['status'])}"]
    if pr["progress_score"] is not None:
        facts.append(f"<b>Progress:</b> {pr['progress_score']:g} ({_e(pr['progress_label'])})")
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            facts.append(f"<b>{label}:</b> {_e(pr[key])}")
    body.append(f'<p class="facts">{" · ".join(facts)}</p></header>')
    since = _since(report)
    # the summary: what a board reads on the first printed page
    outcome_id = (report.get("aim") or {}).get("outcome_measure")
    outcome = next((m for m in report["measures"] if m["id"] == outcome_id), None)
    outcome_svg = (
        chart_svg(outcome["id"]) if chart_svg and outcome and not outcome.get("error") else None
    )
    body.append('<section class="summary">')
    body += _aim(report)
    if outcome is not None and outcome_svg:
        body.append(f"<h3>Outcome: {_e(outcome['name'])}</h3><figure>{outcome_svg}</figure>")
    body.append("<h2>Measures</h2>")
    body.append(_measures_table(report))
    body += _decisions(report)
    body.append("</section>")
    if since:
        body += since
    if pr["problem"]:
        body.append(f"<h2>Problem</h2><p>{_e(pr['problem'])}</p>")
    body.append("<h2>Measures in detail</h2>")
    body.append(f'<p class="legend">{escape(LEGEND)}</p>')
    for m in report["measures"]:
        body.append(f'<section class="measure"><h3>{_e(m["name"])}</h3>')
        if m.get("error"):
            body.append(f"<p>Cannot chart this measure: {_e(m['error'])}</p></section>")
            continue
        if m is outcome and outcome_svg:
            body.append('<p class="note">Its chart is in the summary at the top.</p>')
        else:
            svg = chart_svg(m["id"]) if chart_svg else None
            if svg:
                body.append(f"<figure>{svg}</figure>")
        items = [escape(x) for x in m["explanations"]]
        if m.get("variation_words"):
            items.append("Variation: " + escape(m["variation_words"]) + ".")
        if m.get("assurance_words"):
            items.append("Assurance: " + escape(m["assurance_words"]) + ".")
        latest_text = latest_sentence(m)
        if latest_text:
            items.append(escape(latest_text))
        items += [f'<span class="note">Note: {escape(w)}</span>' for w in m["warnings"]]
        for e in (m.get("analysis") or {}).get("events", []):
            words = KIND_WORDS.get(e["kind"], e["kind"])
            items.append(escape(f"{e['label']} {e['date']} {words}: {e['text']}"))
        if m.get("rules"):
            items.append(escape(m["rules"]))
        body.append(
            '<ul class="signals">' + "".join(f"<li>{i}</li>" for i in items) + "</ul></section>"
        )
    body += problem_html(report)
    body.append("<h2>Driver diagram</h2>")
    diagram = driver_diagram_svg(report)
    if diagram:
        body.append(f'<figure class="diagram">{diagram}</figure>')
        body.append(
            f"<details><summary>The driver diagram as a list</summary>{_tree(report)}</details>"
        )
    else:
        body.append("<p>No drivers yet: <code>qi driver add</code> draws the diagram.</p>")
    body.append("<h2>Change ideas and PDSA cycles</h2>")
    for c in report["changes"]:
        body.append(f'<h3>{_e(c["title"])} <span class="tag">{_e(c["status"])}</span></h3>')
        if not c["cycles"]:
            body.append("<p>No cycles yet.</p>")
            continue
        body.append(
            _table(
                [
                    "Cycle",
                    "Date",
                    "Scale",
                    "Objective",
                    "Predictions first",
                    "Predictions held",
                    "Decision",
                ],
                [
                    [
                        f"#{cy['number']} {_e(cy['short_id'])}"
                        + (f" (with {_e(' + '.join(cy['with']))})" if cy["with"] else ""),
                        _date(cy["date"]),
                        _e(cy["scale"]),
                        _e(cy["objective"]) + _amended_tag(cy["predictions"]),
                        _e(prediction_mark(cy)),
                        _e(predictions_held(cy["predictions"])),
                        _e(cy["decision"] or cy["status"]),
                    ]
                    for cy in c["cycles"]
                ],
            )
        )
    if report["cycles"]:
        body.append(f'<p class="legend">{_e(PREDICTION_LEGEND)}</p>')
    if report["learning"]:
        body.append("<h2>What we learned</h2><ul>")
        for item in report["learning"]:
            decision = f" <b>{_e(item['decision'])}</b>" if item["decision"] else ""
            body.append(
                f"<li>#{item['cycle']} {_e(item['short_id'])} "
                f"({_e(item['date'])}, {_e(', '.join(item['changes']))}):{decision} "
                f"{escape(item['learned'] or '')}</li>"
            )
        body.append("</ul>")
    if report["next_steps"]:
        body.append("<h2>Next steps</h2><ul>")
        body += [
            f"<li>{_e(s['change'])} (after #{s['cycle']} {_e(s['short_id'])}): "
            f"{_e(s['next_steps'])}</li>"
            for s in report["next_steps"]
        ]
        body.append("</ul>")
    body.append("<h2>Data quality</h2>")
    issues = report["data_quality"]
    if issues:
        body.append(
            "<ul>"
            + "".join(
                f"<li>{_e(i['severity'])}: <code>{_e(_where(i))}</code> {_e(i['message'])}"
                f"{' [' + escape(i['code']) + ']' if i['code'] else ''}</li>"
                for i in issues
            )
            + "</ul>"
        )
    else:
        body.append("<p>No problems found by <code>qi validate</code>.</p>")
    body.append(f"<footer>Generated by qi on {_e(report['generated'])}.</footer>")
    return "\n".join(body)


def render_portfolio(portfolio: dict[str, Any]) -> str:
    body = [
        f'<h1>QI portfolio</h1><p class="facts">{counted(len(portfolio["projects"]), "project")} '
        f"in {_e(portfolio['root'])}, generated {_e(portfolio['generated'])}.</p>"
    ]
    rows = []
    for p in portfolio["projects"]:
        outcome = p.get("outcome") or {}
        score = p["progress_score"]
        shown = f"{score:g}" if score is not None else None
        if shown and p["progress_change"]:
            shown += f" ({p['progress_change']:+g})"
        rows.append(
            [
                _e(p["title"]),
                _e(p["lead"]),
                _e("unreadable" if p["status"] is None and p["errors"] else p["status"]),
                _e(shown),
                _date(p["last_cycle"]),
                _e(p["cycles"]),
                f"{p['adopted']} / {p['abandoned']}",
                _e(
                    f"{fmt_value(outcome.get('latest'), outcome.get('unit'))} vs "
                    f"{fmt_value(outcome.get('target'), outcome.get('unit'))}"
                    if outcome
                    else None
                ),
                _e(variation_words(outcome) if outcome else None),
                _e(p["errors"] or ""),
            ]
        )
    body.append("<h2>Projects</h2>")
    body.append(
        _table(
            [
                "Project",
                "Lead",
                "Status",
                "Score",
                "Last cycle",
                "Cycles",
                "Adopted / abandoned",
                "Outcome vs target",
                "Outcome variation",
                "Errors",
            ],
            rows,
        )
    )
    body.append(f'<p class="legend">{escape(SCORE_LEGEND)}</p>')
    body.append("<h2>Making Data Count summary</h2>")
    mdc = []
    for p in portfolio["projects"]:
        for m in p.get("measures", []):
            mdc.append(
                [
                    _e(p["title"]),
                    _e(m["name"]),
                    _e(m["kind"]),
                    _e(fmt_value(m.get("latest"), m.get("unit"))),
                    _e(
                        fmt_value(m.get("target"), m.get("unit"))
                        if m.get("target") is not None
                        else None
                    ),
                    _icon_cell(variation_icon(m.get("variation_icon"), variation_words(m) or ""))
                    + _e(variation_words(m) or "no data yet"),
                    _icon_cell(assurance_icon(m.get("assurance_icon"), assurance_words(m) or ""))
                    + _e(assurance_words(m)),
                ]
            )
    body.append(
        _table(["Project", "Measure", "Kind", "Latest", "Target", "Variation", "Assurance"], mdc)
    )
    body.append(f"<footer>Generated by qi on {_e(portfolio['generated'])}.</footer>")
    return _page("QI portfolio", body)
