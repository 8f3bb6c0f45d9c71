"""The A3 summary: a project on one landscape page, in the storyboard layout of QI posters.

Three columns: the problem, the aim, the measures and the next steps; the theory of
change (driver diagram) and the outcome chart; the ramps of PDSA cycles and what was
learned. The sections are numbered in the order the story is told. One self-contained
HTML file (inline SVG and styles, nothing fetched) whose print styles fill one A3
landscape sheet; printed on A4 it scales to 71%. `exports.pdf` prints it to PDF where
a browser is installed.
"""

from __future__ import annotations

from html import escape
from typing import Any

from qi_cli.render.diagram import driver_diagram_svg
from qi_cli.render.escape import xml_text
from qi_cli.render.markdown import verdict_sentences
from qi_cli.render.templating import Markup, render_page
from qi_cli.render.values import fmt_value
from qi_cli.reports.words import counted, variation_words

# the learning and ramps a sheet has room for; the rest is counted, never dropped unsaid
MAX_LEARNING = 6
MAX_RAMP = 6


def _e(value: object) -> str:
    return "–" if value is None or value == "" else xml_text(str(value))


def _section(step: int, title: str, body: list[str], extra: str = "") -> str:
    head = f'<h2><span class="step">{step}</span> {escape(title)}</h2>'
    return f'<section class="{extra}">' + head + "".join(body) + "</section>"


def _problem(report: dict[str, Any]) -> list[str]:
    problem = report["project"]["problem"]
    return [f"<p>{_e(problem)}</p>" if problem else '<p class="note">No problem stated yet.</p>']


def _aim(report: dict[str, Any]) -> list[str]:
    aim = report.get("aim")
    if not aim:
        return ['<p class="note">No aim yet.</p>']
    body = [f'<p class="aim">{_e(aim["statement"])}</p>']
    unit = next(
        (m["unit"] for m in report["measures"] if m["id"] == aim.get("outcome_measure")), None
    )
    latest = aim.get("latest") or {}
    met = {True: "yes", False: "not yet", None: "–"}[aim.get("met")]
    cells = [
        fmt_value(aim.get("baseline"), unit),
        fmt_value(latest.get("value"), unit)
        + (f" ({latest['date']})" if latest.get("date") else ""),
        fmt_value(aim.get("target"), unit),
        aim.get("target_date"),
        met,
    ]
    body.append(
        "<table><tr><th>Baseline</th><th>Latest</th><th>Target</th><th>By</th><th>Met</th></tr>"
        "<tr>" + "".join(f'<td class="nowrap">{_e(c)}</td>' for c in cells) + "</tr></table>"
    )
    return body


def _measures(report: dict[str, Any]) -> list[str]:
    if not report["measures"]:
        return ['<p class="note">No measures yet.</p>']
    rows = "".join(
        f"<tr><td>{_e(m['name'])}</td><td>{_e(m['kind'])}</td>"
        f"<td>{_e(fmt_value(m['latest']['value'], m['unit']) if m.get('latest') else None)}</td>"
        f"<td>{_e(fmt_value(m['target'], m['unit']) if m['target'] is not None else None)}</td>"
        f"<td>{_e('cannot chart' if m.get('error') else variation_words(m, short=True))}</td></tr>"
        for m in report["measures"]
    )
    return [
        "<table><tr><th>Measure</th><th>Kind</th><th>Latest</th><th>Target</th>"
        f"<th>Variation</th></tr>{rows}</table>"
    ]


def _outcome(report: dict[str, Any], outcome_svg: str | None) -> tuple[str, list[str]]:
    outcome_id = (report.get("aim") or {}).get("outcome_measure")
    m = next((x for x in report["measures"] if x["id"] == outcome_id), None)
    if m is None:
        return "Outcome", ['<p class="note">The aim names no outcome measure yet.</p>']
    body = [f"<figure>{outcome_svg}</figure>"] if outcome_svg else []
    words = verdict_sentences(m, variation_words(m))
    # the first sentence of each signal's explanation: what, when
    words += [x.split(";")[0].split(". ")[0].rstrip(".") + "." for x in m["explanations"][:3]]
    if m.get("error"):
        words.append(f"Cannot chart: {m['error']}")
    body.append("<ul>" + "".join(f"<li>{_e(w)}</li>" for w in words) + "</ul>")
    return f"Outcome: {m['name']}", body


def _ramps(report: dict[str, Any]) -> list[str]:
    if not report["changes"]:
        return ['<p class="note">No change ideas yet.</p>']
    body = []
    for c in report["changes"]:
        body.append(f'<h3>{_e(c["title"])} <span class="tag">{_e(c["status"])}</span></h3>')
        cycles = c["cycles"][-MAX_RAMP:]
        if not cycles:
            body.append('<p class="note">No cycles yet.</p>')
            continue
        earlier = len(c["cycles"]) - len(cycles)
        if earlier:
            body.append(f'<p class="note">{counted(earlier, "earlier cycle")} not shown.</p>')
        body.append(
            '<ol class="ramp">'
            + "".join(
                f"<li>#{cy['number']} {_e(cy['date'])}: {_e(cy['scale'])} → "
                f"<b>{_e(cy['decision'] or cy['status'])}</b></li>"
                for cy in cycles
            )
            + "</ol>"
        )
    return body


def _learning(report: dict[str, Any]) -> list[str]:
    learned = [x for x in report["learning"] if x["learned"]]
    if not learned:
        return ['<p class="note">Nothing learned recorded yet.</p>']
    shown = learned[-MAX_LEARNING:]
    body = [
        "<ul>"
        + "".join(f"<li><b>#{x['cycle']}</b> {_e(x['learned'])}</li>" for x in shown)
        + "</ul>"
    ]
    if len(learned) > len(shown):
        earlier = len(learned) - len(shown)
        body.append(f'<p class="note">The latest shown; {earlier} earlier in the full report.</p>')
    return body


def _next_steps(report: dict[str, Any]) -> list[str]:
    steps = report["next_steps"]
    if not steps:
        return ['<p class="note">No next steps recorded.</p>']
    return [
        "<ul>"
        + "".join(f"<li><b>{_e(s['change'])}:</b> {_e(s['next_steps'])}</li>" for s in steps)
        + "</ul>"
    ]


def render_a3(report: dict[str, Any], outcome_svg: str | None = None) -> str:
    """The A3 page of a report (`build_report`'s dict), with the outcome chart's SVG."""
    pr = report["project"]
    facts = [f"<b>Status:</b> {_e(pr['status'])}"]
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            facts.append(f"<b>{label}:</b> {_e(pr[key])}")
    team = ", ".join(t["name"] for t in pr["team"])
    diagram = driver_diagram_svg(report)
    outcome_title, outcome_body = _outcome(report, outcome_svg)
    first = [
        _section(1, "The problem", _problem(report)),
        _section(2, "Our aim", _aim(report)),
        _section(3, "Our measures", _measures(report), "grow"),
    ]
    second = [
        _section(
            4,
            "Our theory of change",
            [f'<figure class="drivers">{diagram}</figure>']
            if diagram
            else ['<p class="note">No driver diagram yet.</p>'],
        ),
        _section(5, outcome_title, outcome_body, "grow"),
    ]
    third = [
        _section(6, "Tests of change: the PDSA ramps", _ramps(report)),
        _section(7, "What we learned", _learning(report), "grow"),
    ]
    # the story ends under the aim it serves, where the first column has room
    first.append(_section(8, "Next steps", _next_steps(report)))
    columns = "".join(f'<div class="col">{"".join(c)}</div>' for c in (first, second, third))
    sheet = (
        f'<header><div><h1>{_e(pr["title"])}</h1><p class="facts">{" · ".join(facts)}</p>'
        + (f'<p class="facts"><b>Team:</b> {_e(team)}</p>' if team else "")
        + f'</div><div class="stamp">A3 summary, {_e(report["generated"])}<br>'
        "made with qi from the project files</div></header>\n"
        f'<div class="board">{columns}</div>'
    )
    # the page shell and its print styles are the report templates' (report/a3.html.j2)
    return render_page("report/a3.html.j2", title=f"{pr['title']}: A3 summary", sheet=Markup(sheet))
