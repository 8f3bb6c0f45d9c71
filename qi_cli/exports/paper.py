"""A board paper as a Word document (python-docx): the HTML report's content.

Real Word headings (Title, Heading 1, Heading 2), so a screen reader's list of
headings and Word's navigation pane show the paper's structure; charts and the driver
diagram as pictures with alt text; tables with a header row that repeats on each page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as Paper
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from qi_cli.exports.content import Content, outcome
from qi_cli.exports.images import Picture
from qi_cli.exports.written import MARK
from qi_cli.render.markdown import latest_sentence
from qi_cli.render.values import fmt_value
from qi_cli.reports.words import (
    PREDICTION_LEGEND,
    prediction_mark,
    predictions_held,
    rule_words,
)

TEXT_WIDTH = 6.3  # inches between A4's margins


def _picture(doc: Paper, pic: Picture, width: float = TEXT_WIDTH) -> None:
    shape = doc.add_picture(io.BytesIO(pic.png), width=Inches(width))
    shape._inline.docPr.set("descr", pic.alt)


def _table(
    doc: Paper,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float] | None = None,
) -> None:
    """A table across the page; `widths` are the columns' shares of it (default: equal)."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    first = table.rows[0]
    repeat = OxmlElement("w:tblHeader")  # a header row, for screen readers and page breaks
    repeat.set(qn("w:val"), "true")
    first._tr.get_or_add_trPr().append(repeat)
    for cell, text in zip(first.cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    shares = widths or [1 / len(header)] * len(header)
    for column, share in zip(table.columns, shares, strict=True):  # Word and LibreOffice
        column.width = Inches(TEXT_WIDTH * share)  # read these; cells' widths for others
    for row in table.rows:
        for cell, share in zip(row.cells, shares, strict=True):
            cell.width = Inches(TEXT_WIDTH * share)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _bullets(doc: Paper, items: Sequence[str]) -> None:
    for item in items:
        doc.add_paragraph(item, style="List Bullet")


def _aim(doc: Paper, report: dict[str, Any]) -> None:
    doc.add_heading("Aim", level=1)
    aim = report.get("aim")
    if not aim:
        doc.add_paragraph("No aim yet.")
        return
    doc.add_paragraph(aim["statement"], style="Intense Quote")
    m = outcome(report)
    unit = m["unit"] if m else None
    latest = aim.get("latest") or {}
    met = {True: "yes", False: "not yet", None: "–"}[aim.get("met")]
    _table(
        doc,
        ["Outcome measure", "Baseline", "Latest", "Target", "Target date", "Met"],
        [
            [
                aim.get("outcome_name") or aim.get("outcome_measure") or "–",
                fmt_value(aim.get("baseline"), unit),
                fmt_value(latest.get("value"), unit)
                + (f" ({latest.get('date')})" if latest else ""),
                fmt_value(aim.get("target"), unit),
                aim.get("target_date") or "–",
                met,
            ]
        ],
    )


def _measures(doc: Paper, report: dict[str, Any]) -> None:
    doc.add_heading("Measures", level=1)
    _table(
        doc,
        ["Measure", "Kind", "Latest", "Target", "Signals", "Variation", "Assurance"],
        [
            [
                m["name"],
                m["kind"],
                fmt_value(m["latest"]["value"], m["unit"]) + f" ({m['latest']['date']})"
                if m.get("latest")
                else "–",
                fmt_value(m["target"], m["unit"]) if m["target"] is not None else "–",
                "cannot chart" if m.get("error") else rule_words(m["signals"]),
                m.get("variation_words") or "–",
                m.get("assurance_words") or "–",
            ]
            for m in report["measures"]
        ],
        [0.17, 0.12, 0.13, 0.11, 0.15, 0.16, 0.16],  # no word broken at 9 pt (LibreOffice)
    )


def _measure(doc: Paper, content: Content, m: dict[str, Any]) -> None:
    doc.add_heading(m["name"], level=2)
    if m.get("error"):
        doc.add_paragraph(f"Cannot chart this measure: {m['error']}")
        return
    chart = content.charts.get(m["id"])
    if chart:
        _picture(doc, chart)
    icons = content.icons(m)
    if icons:
        paragraph = doc.add_paragraph()
        for icon, words in icons:
            run = paragraph.add_run()
            run.add_picture(io.BytesIO(icon.png), width=Inches(0.3))
            paragraph.runs[-1]._r.xpath(".//wp:docPr")[0].set("descr", icon.alt)
            paragraph.add_run(f" {words}.   ")
    items = list(m["explanations"])
    latest = latest_sentence(m)
    if latest:
        items.append(latest)
    items += [f"Note: {w}" for w in m["warnings"]]
    _bullets(doc, items)


def _cycles(doc: Paper, report: dict[str, Any]) -> None:
    doc.add_heading("Change ideas and PDSA cycles", level=1)
    for c in report["changes"]:
        doc.add_heading(f"{c['title']} ({c['status']})", level=2)
        if not c["cycles"]:
            doc.add_paragraph("No cycles yet.")
            continue
        _table(
            doc,
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
                    f"#{cy['number']} {cy['short_id']}"
                    + (f" (with {' + '.join(cy['with'])})" if cy["with"] else ""),
                    cy["date"] or "–",
                    cy["scale"] or "–",
                    cy["objective"] or "–",
                    prediction_mark(cy),
                    predictions_held(cy["predictions"]),
                    cy["decision"] or cy["status"],
                ]
                for cy in c["cycles"]
            ],
            [0.1, 0.11, 0.16, 0.3, 0.1, 0.1, 0.13],
        )
    if report["cycles"]:
        doc.add_paragraph(PREDICTION_LEGEND).runs[0].font.size = Pt(8)


def build_paper(content: Content) -> bytes:
    """The board paper as the bytes of a .docx file."""
    report = content.report
    pr = report["project"]
    doc = Document()
    for section in doc.sections:  # A4, as NHS papers are printed
        section.page_width, section.page_height = Inches(8.27), Inches(11.69)
        section.left_margin = section.right_margin = Inches(0.98)
    doc.add_heading(pr["title"], level=0)
    facts = [f"Status: {pr['status']}"]
    if pr["progress_score"] is not None:
        facts.append(f"Progress: {pr['progress_score']:g} ({pr['progress_label']})")
    for key, label in (("lead", "Lead"), ("sponsor", "Sponsor"), ("coach", "QI coach")):
        if pr[key]:
            facts.append(f"{label}: {pr[key]}")
    doc.add_paragraph(" · ".join(facts))
    _aim(doc, report)
    m = outcome(report)
    if m is not None and m["id"] in content.charts:
        doc.add_heading(f"Outcome: {m['name']}", level=2)
        _picture(doc, content.charts[m["id"]])
    _measures(doc, report)
    if pr["problem"]:
        doc.add_heading("Problem", level=1)
        doc.add_paragraph(pr["problem"])
    doc.add_heading("Measures in detail", level=1)
    for measure in report["measures"]:
        _measure(doc, content, measure)
    if content.problem:
        doc.add_heading("Understanding the problem", level=1)
        for heading, pic in content.problem:
            doc.add_heading(heading, level=2)
            _picture(doc, pic)
    doc.add_heading("Driver diagram", level=1)
    if content.diagram is not None:
        _picture(doc, content.diagram)
    else:
        doc.add_paragraph("No drivers yet.")
    _cycles(doc, report)
    if report["learning"]:
        doc.add_heading("What we learned", level=1)
        _bullets(
            doc,
            [
                f"#{i['cycle']} {i['short_id']} ({i['date']}, {', '.join(i['changes'])}): "
                f"{(i['decision'] + '. ') if i['decision'] else ''}{i['learned'] or ''}"
                for i in report["learning"]
            ],
        )
    if report["next_steps"]:
        doc.add_heading("Next steps", level=1)
        _bullets(
            doc,
            [
                f"{s['change']} (after #{s['cycle']} {s['short_id']}): {s['next_steps']}"
                for s in report["next_steps"]
            ],
        )
    doc.add_heading("Data quality", level=1)
    issues = report["data_quality"]
    if issues:
        _bullets(doc, [f"{i['severity']}: {i['path']} {i['message']}" for i in issues])
    else:
        doc.add_paragraph("No problems found by qi validate.")
    doc.add_paragraph(f"Generated by qi on {report['generated']}.")
    props = doc.core_properties
    props.title = pr["title"]
    props.category = MARK
    props.author = pr.get("lead") or ""
    props.last_modified_by = "qi"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
