"""A slide deck for the meeting where the project is discussed (python-pptx).

Slides: the title; the aim and the outcome against its target; one slide a measure
(its chart, the signals in plain words, the Making Data Count icons with their
words); the driver diagram; the cycles; what was learned and the next steps. Every
picture carries alt text. With a template, its own layouts (found by name) and its
theme's fonts are used, and its example slides are left out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.shapes.picture import Picture as PptxPicture
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Pt

from qi_cli.errors import QiError
from qi_cli.exports.content import Content, outcome
from qi_cli.exports.images import Picture
from qi_cli.exports.written import MARK
from qi_cli.files.disk import display_path
from qi_cli.render.markdown import latest_sentence
from qi_cli.render.values import fmt_value
from qi_cli.reports.words import predictions_held

WIDE = (Emu(12192000), Emu(6858000))  # 16:9, 13.33 × 7.5 inches
ROWS_PER_SLIDE = 8
ITEMS_PER_SLIDE = 6
MARGIN = Emu(457200)  # half an inch
EMU_PER_POINT = 12700
SIZES = (18, 16, 14, 13, 12, 11, 10)  # text sizes tried, largest first


def _layout(deck: Deck, names: Sequence[str], *, title_slide: bool) -> SlideLayout:
    """The template's layout with one of `names` (as PowerPoint names them); else, for a
    title slide the first layout, for the others the plainest layout with a title."""
    layouts = list(deck.slide_layouts)
    for name in names:
        for layout in layouts:
            if layout.name.strip().lower() == name:
                return layout
    titled = [layout for layout in layouts if layout.placeholders.get(idx=0) is not None]
    if title_slide or not titled:
        return layouts[0]
    return min(titled, key=lambda layout: len(layout.placeholders))


def _open(template: Path | None) -> Deck:
    if template is None:
        deck = Presentation()
        deck.slide_width, deck.slide_height = WIDE
        return deck
    try:
        deck = Presentation(str(template))
    except Exception as exc:  # python-pptx raises many types for a file that is not a deck
        raise QiError(
            f"{display_path(template)}: cannot be read as a PowerPoint template ({exc})",
            hint="give --template a .pptx file saved by PowerPoint or LibreOffice",
        ) from None
    # a trust's template often holds example slides: the deck starts empty (python-pptx
    # has no public call to remove a slide; this is its documented recipe)
    slide_ids = deck.slides._sldIdLst
    for slide_id in list(slide_ids):
        deck.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return deck


class _Builder:
    def __init__(self, deck: Deck, *, own_fonts: bool) -> None:
        self.deck = deck
        self.own_fonts = own_fonts
        self.width = deck.slide_width or WIDE[0]
        self.height = deck.slide_height or WIDE[1]
        self.title_layout = _layout(deck, ["title slide"], title_slide=True)
        self.body_layout = _layout(deck, ["title only", "title and content"], title_slide=False)

    def slide(self, title: str) -> tuple[Slide, int]:
        """A new slide titled `title`, and where its content may start (from the top)."""
        slide = self.deck.slides.add_slide(self.body_layout)
        top = int(MARGIN)
        if slide.shapes.title is not None:
            slide.shapes.title.text = title
            if self.own_fonts:  # python-pptx's plain template: 44-point titles wrap
                slide.shapes.title.text_frame.paragraphs[0].runs[0].font.size = Pt(32)
                self.widen(slide)
            top = int(slide.shapes.title.top or 0) + int(slide.shapes.title.height or 0)
        else:
            box = slide.shapes.add_textbox(MARGIN, MARGIN, self.width - 2 * MARGIN, Emu(700000))
            box.text_frame.text = title
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(28)
            top = int(MARGIN) + 700000
        for shape in list(slide.placeholders):  # the layout's empty body boxes show prompts
            if shape.placeholder_format.idx != 0:
                shape._element.getparent().remove(shape._element)
        return slide, top + int(MARGIN) // 2

    def widen(self, slide: Slide) -> None:
        """python-pptx's plain template is 4:3: its boxes span the widened slide."""
        for shape in slide.placeholders:
            top, height = shape.top, shape.height  # inherited until all four are set
            shape.left, shape.width = MARGIN, Emu(self.width - 2 * MARGIN)
            shape.top, shape.height = top, height

    def picture(
        self, slide: Slide, pic: Picture, left: int, top: int, width: int, height: int
    ) -> PptxPicture:
        """`pic` fitted inside the box, its proportions kept, with its alt text."""
        scale = min(width / pic.width, height / pic.height)
        w, h = int(pic.width * scale), int(pic.height * scale)
        shape = slide.shapes.add_picture(
            io.BytesIO(pic.png), Emu(left + (width - w) // 2), Emu(top), Emu(w), Emu(h)
        )
        shape._element._nvXxPr.cNvPr.set("descr", pic.alt)
        return shape

    def bullets(
        self,
        slide: Slide,
        items: Sequence[str],
        left: int,
        top: int,
        width: int,
        height: int,
        *,
        mark: str = "• ",
    ) -> None:
        """A text box of bullet points, in the largest size that fits the box."""
        box = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
        frame = box.text_frame
        frame.word_wrap = True
        size = _fitting_size(items, width, height)
        for i, item in enumerate(items):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = f"{mark}{item}"
            paragraph.space_after = Pt(size // 3)
            for run in paragraph.runs:
                run.font.size = Pt(size)

    def table(
        self,
        slide: Slide,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        top: int,
        widths: Sequence[float],
    ) -> None:
        width = self.width - 2 * MARGIN
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), MARGIN, Emu(top), Emu(width), Emu(400000 * (len(rows) + 1))
        )
        table = shape.table
        for j, share in enumerate(widths):
            table.columns[j].width = Emu(int(width * share))
        for i, row in enumerate([header, *rows]):
            for j, text in enumerate(row):
                cell = table.cell(i, j)
                cell.text = text
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(14 if i == 0 else 12)


def _fitting_size(items: Sequence[str], width: int, height: int) -> int:
    """The largest font size (points) at which `items` fill no more than the box.

    An estimate, as no font is measured: a character is about half the size wide, a line
    1.2 sizes high, and each item a third of a line more."""
    width_pt, height_pt = width / EMU_PER_POINT - 14, height / EMU_PER_POINT - 8
    for size in SIZES:
        per_line = max(1, int(width_pt / (size * 0.5)))
        lines = sum(-(-(len(item) + 2) // per_line) + 1 / 3 for item in items)
        if lines * size * 1.2 <= height_pt:
            return size
    return SIZES[-1]


def _chunks(items: Sequence[Any], size: int) -> Iterator[tuple[int, Sequence[Any]]]:
    for start in range(0, len(items), size):
        yield start // size, items[start : start + size]


def _titled(title: str, part: int, parts: int) -> str:
    return title if parts <= 1 else f"{title} ({part + 1} of {parts})"


def _aim_slide(b: _Builder, content: Content) -> None:
    report = content.report
    aim = report.get("aim")
    slide, top = b.slide("Aim")
    width = b.width - 2 * MARGIN
    if not aim:
        b.bullets(
            slide,
            ["No aim yet: `qi project set aim` records it."],
            MARGIN,
            top,
            width,
            Emu(1000000),
        )
        return
    m = outcome(report)
    unit = m["unit"] if m else None
    latest = aim.get("latest") or {}
    met = {True: "met", False: "not yet met", None: "not known"}[aim.get("met")]
    items = [aim["statement"]]
    if aim.get("target") is not None:
        against = (
            f"latest {fmt_value(latest.get('value'), unit)} ({latest.get('date')})"
            if latest
            else "no data yet"
        )
        items.append(
            f"{aim.get('outcome_name') or aim.get('outcome_measure')}: baseline "
            f"{fmt_value(aim.get('baseline'), unit)}; {against}; target "
            f"{fmt_value(aim['target'], unit)} by {aim.get('target_date') or '–'}: {met}."
        )
    text_h = 1400000
    b.bullets(slide, items, MARGIN, top, width, text_h)
    chart = content.charts.get(m["id"]) if m else None
    if chart:
        b.picture(slide, chart, MARGIN, top + text_h, width, b.height - top - text_h - MARGIN // 2)


def _measure_slide(b: _Builder, content: Content, m: dict[str, Any]) -> None:
    slide, top = b.slide(m["name"])
    width = b.width - 2 * MARGIN
    chart = content.charts.get(m["id"])
    side = int(width * 0.32)
    if chart is None:
        b.bullets(
            slide,
            [f"Cannot chart this measure: {m.get('error')}"],
            MARGIN,
            top,
            width,
            Emu(1000000),
        )
        return
    chart_w = width - side - MARGIN // 2
    b.picture(slide, chart, MARGIN, top, chart_w, b.height - top - MARGIN)
    left = MARGIN + chart_w + MARGIN // 2
    y = top
    for icon, words in content.icons(m):
        b.picture(slide, icon, left, y, 560000, 560000)
        b.bullets(slide, [words], left + 620000, y, side - 620000, 560000, mark="")
        y += 700000
    said = list(m["explanations"])
    latest = latest_sentence(m)
    if latest:
        said.append(latest)
    b.bullets(slide, said, left, y, side, b.height - y - MARGIN // 2)


def _cycles_slides(b: _Builder, content: Content) -> None:
    titles = {c["id"]: c["title"] for c in content.report["changes"]}
    rows = [
        [
            f"#{cy['number']}",
            " + ".join(titles.get(c, c) for c in cy["changes"]),
            cy["scale"] or "–",
            predictions_held(cy["predictions"]),
            cy["decision"] or cy["status"],
        ]
        for cy in content.report["cycles"]
    ]
    chunks = list(_chunks(rows, ROWS_PER_SLIDE))
    for part, chunk in chunks:
        slide, top = b.slide(_titled("PDSA cycles", part, len(chunks)))
        b.table(
            slide,
            ["Cycle", "Change idea", "Scale", "Predictions held", "Decision"],
            chunk,
            top,
            [0.08, 0.32, 0.25, 0.2, 0.15],
        )


def _learning_slides(b: _Builder, content: Content) -> None:
    report = content.report
    items = [
        f"#{i['cycle']} ({i['date']}): {(i['decision'] + ': ') if i['decision'] else ''}"
        f"{i['learned'] or ''}"
        for i in report["learning"]
    ] + [f"Next: {s['change']}: {s['next_steps']}" for s in report["next_steps"]]
    if not items:
        items = ["No cycle has recorded its learning yet."]
    chunks = list(_chunks(items, ITEMS_PER_SLIDE))
    for part, chunk in chunks:
        slide, top = b.slide(_titled("What we learned", part, len(chunks)))
        b.bullets(slide, chunk, MARGIN, top, b.width - 2 * MARGIN, b.height - top - MARGIN)


def build_deck(content: Content, template: Path | None = None) -> bytes:
    """The deck as the bytes of a .pptx file."""
    report = content.report
    pr = report["project"]
    b = _Builder(_open(template), own_fonts=template is None)
    first = b.deck.slides.add_slide(b.title_layout)
    if first.shapes.title is not None:
        first.shapes.title.text = pr["title"]
    subtitle = " · ".join(
        x for x in (pr.get("lead"), pr["status"], f"report of {report['generated']}") if x
    )
    for shape in first.placeholders:
        if shape.placeholder_format.idx == 1:
            shape.text_frame.text = subtitle
    if b.own_fonts:
        b.widen(first)
    _aim_slide(b, content)
    for m in report["measures"]:
        _measure_slide(b, content, m)
    for heading, pic in content.problem:  # understanding the problem, one slide each
        slide, top = b.slide(heading)
        b.picture(slide, pic, MARGIN, top, b.width - 2 * MARGIN, b.height - top - MARGIN)
    if content.diagram is not None:
        slide, top = b.slide("Driver diagram")
        b.picture(
            slide, content.diagram, MARGIN, top, b.width - 2 * MARGIN, b.height - top - MARGIN
        )
    if report["cycles"]:
        _cycles_slides(b, content)
    _learning_slides(b, content)
    props = b.deck.core_properties
    props.title = pr["title"]
    props.category = MARK
    props.author = pr.get("lead") or ""
    props.last_modified_by = "qi"
    out = io.BytesIO()
    b.deck.save(out)
    return out.getvalue()
