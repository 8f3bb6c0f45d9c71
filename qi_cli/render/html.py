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

from qi_cli.render.markdown import fmt_value, latest_sentence
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    SCORE_LEGEND,
    amended_words,
    assurance_words,
    counted,
    prediction_mark,
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
footer { margin-top: 28px; color: #555; font-size: 12px; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
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


def render_report(report: dict[str, Any], chart_svg: ChartSvg | None = None) -> str:
    pr = report["project"]
    body = [f"<header><h1>{escape(pr['title'])}</h1>"]
    facts = [f"<b>Status:</b> {_e(pr['status'])}"]
    if pr["progress_score"] is not None:
        facts.append(f"<b>Progress:</b> {pr['progress_score']:g} ({_e(pr['progress_label'])})")
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            facts.append(f"<b>{label}:</b> {_e(pr[key])}")
    body.append(f'<p class="facts">{" · ".join(facts)}</p></header>')
    if report.get("since"):
        changed = report["changed_since"]
        body.append(f"<h2>Since {_e(report['since'])}</h2><ul>")
        cycles = ", ".join(f"#{n}" for n in changed["new_cycles"]) or "none"
        body.append(f"<li>New cycles: {_e(cycles)}</li>")
        points = ", ".join(f"{k} {v}" for k, v in changed["new_points"].items() if v)
        body.append(f"<li>New data points: {_e(points or 'none')}</li>")
        signals = "; ".join(f"{k}: {', '.join(v)}" for k, v in changed["new_signals"].items())
        body.append(f"<li>New signals: {_e(signals or 'none')}</li></ul>")
    if pr["problem"]:
        body.append(f"<h2>Problem</h2><p>{_e(pr['problem'])}</p>")
    body.append("<h2>Aim</h2>")
    aim = report.get("aim")
    if aim:
        body.append(f"<blockquote>{_e(aim['statement'])}</blockquote>")
        latest = aim.get("latest") or {}
        met = {True: "yes", False: "not yet", None: "–"}[aim.get("met")]
        unit = next(
            (m["unit"] for m in report["measures"] if m["id"] == aim.get("outcome_measure")), None
        )
        body.append(
            _table(
                ["Outcome measure", "Baseline", "Latest", "Target", "Target date", "Met"],
                [
                    [
                        _e(aim.get("outcome_name") or aim.get("outcome_measure")),
                        _e(
                            fmt_value(aim["baseline"], unit)
                            if aim.get("baseline") is not None
                            else None
                        ),
                        _e(fmt_value(latest.get("value"), unit))
                        + (f" ({_date(latest.get('date'))})" if latest else ""),
                        _e(
                            fmt_value(aim["target"], unit)
                            if aim.get("target") is not None
                            else None
                        ),
                        _date(aim.get("target_date")),
                        met,
                    ]
                ],
            )
        )
    else:
        body.append("<p>No aim yet.</p>")
    body.append("<h2>Measures</h2>")
    rows = []
    for m in report["measures"]:
        latest = m.get("latest")
        rows.append(
            [
                _e(m["name"]),
                _e(m["kind"]),
                _e(fmt_value(latest["value"], m["unit"]) if latest else None)
                + (f"<br>{_date(latest['date'])}" if latest else ""),
                _e(fmt_value(m["target"], m["unit"]) if m["target"] is not None else None),
                "cannot chart" if m.get("error") else _e(rule_words(m["signals"])),
                _e(variation_words(m)),
                _e(assurance_words(m)),
            ]
        )
    body.append(
        _table(["Measure", "Kind", "Latest", "Target", "Signals", "Variation", "Assurance"], rows)
    )
    body.append(f'<p class="legend">{escape(LEGEND)}</p>')
    for m in report["measures"]:
        body.append(f'<section class="measure"><h3>{_e(m["name"])}</h3>')
        if m.get("error"):
            body.append(f"<p>Cannot chart this measure: {_e(m['error'])}</p></section>")
            continue
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
        body.append(
            '<ul class="signals">' + "".join(f"<li>{i}</li>" for i in items) + "</ul></section>"
        )
    body.append("<h2>Driver diagram</h2>")
    body.append(_tree(report))
    body.append("<h2>Change ideas and PDSA cycles</h2>")
    for c in report["changes"]:
        body.append(f'<h3>{_e(c["title"])} <span class="tag">{_e(c["status"])}</span></h3>')
        if not c["cycles"]:
            body.append("<p>No cycles yet.</p>")
            continue
        body.append(
            _table(
                ["Cycle", "Date", "Scale", "Objective", "Predictions first", "Decision"],
                [
                    [
                        f"#{cy['number']} {_e(cy['short_id'])}",
                        _date(cy["date"]),
                        _e(cy["scale"]),
                        _e(cy["objective"]) + _amended_tag(cy["predictions"]),
                        _e(prediction_mark(cy)),
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
                f"({_e(item['date'])}, {_e(item['change'])}):{decision} "
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
    return _page(pr["title"], body)


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
                    _e(variation_words(m) or "no data yet"),
                    _e(assurance_words(m)),
                ]
            )
    body.append(
        _table(["Project", "Measure", "Kind", "Latest", "Target", "Variation", "Assurance"], mdc)
    )
    body.append(f"<footer>Generated by qi on {_e(portfolio['generated'])}.</footer>")
    return _page("QI portfolio", body)
