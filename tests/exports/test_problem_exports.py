"""The board paper and the slide deck carry "Understanding the problem": the example
project's fishbone, process map (now and redesigned), Pareto chart and stakeholder grid,
each a picture with its own alt text."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import run

DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
TOOLS = [
    "Cause and effect: Patients with rib fractures wait more than 24 hours",
    "Process map, as it is now",
    "Process map, as redesigned",
    "Pareto chart: ",
    "Stakeholder analysis",
]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return create_project(tmp_path, "Rib fracture pathway", template="example")


def test_the_paper_has_the_four_tools_before_the_driver_diagram(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "paper.docx"
    code, _, err = run(runner, "export", "docx", "-p", str(example), "-o", str(out))
    assert code == 0, err
    doc = Document(str(out))
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading")
    ]
    start = headings.index("Understanding the problem")
    assert start < headings.index("Driver diagram")
    tools = headings[start + 1 : start + 6]
    assert all(h.startswith(t) for h, t in zip(tools, TOOLS, strict=True))
    alts = [d.get("descr", "") for d in doc.element.body.iter(DRAWING)]
    assert any(a.startswith("Process map (current state): 1. Patient arrives in ED") for a in alts)
    assert any(a.startswith("Stakeholder analysis: ED consultants (high influence)") for a in alts)


def test_the_deck_has_a_slide_for_each_tool(
    example: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    code, _, err = run(runner, "export", "pptx", "-p", str(example), "-o", str(out))
    assert code == 0, err
    deck = Presentation(str(out))
    titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in deck.slides]
    start = next(i for i, t in enumerate(titles) if t.startswith("Cause and effect"))
    assert all(t.startswith(w) for t, w in zip(titles[start : start + 5], TOOLS, strict=True))
    assert titles[start + 5] == "Driver diagram"
    for slide in list(deck.slides)[start : start + 5]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr")
