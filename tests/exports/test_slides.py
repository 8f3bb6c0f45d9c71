"""`qi export pptx`: the deck read back with python-pptx, with and without a template."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from typer.testing import CliRunner

from tests.conftest import WriteProject, run


def _texts(slide: object) -> str:
    return "\n".join(
        shape.text_frame.text
        for shape in slide.shapes  # type: ignore[attr-defined]
        if shape.has_text_frame
    )


def _pictures(slide: object) -> list[str]:
    """The alt text (`descr`) of every picture on a slide."""
    return [
        shape._element._nvXxPr.cNvPr.get("descr", "")
        for shape in slide.shapes  # type: ignore[attr-defined]
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]


def _deck(runner: CliRunner, root: Path, out: Path, *extra: str) -> None:
    code, _, err = run(runner, "export", "pptx", "-p", str(root), "-o", str(out), *extra)
    assert code == 0, err
    assert "wrote" in err


def test_deck_has_each_slide_with_its_pictures_and_alt_text(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    _deck(runner, write_project(), out)
    deck = Presentation(str(out))
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    assert titles == [
        "Falls on ward 7",
        "Aim",
        "Falls per 1,000 bed days",  # the outcome first, then the others
        "Patients restrained",
        "Driver diagram",
        "PDSA cycles",
        "What we learned",
    ]
    # the aim against its target: the last week is 2 falls in 350 bed days, 5.71 per
    # 1,000, above the target of 4 for a measure that should decrease
    aim = _texts(slides[1])
    assert "Reduce falls on ward 7 from 8 to 4 per 1,000 bed days" in aim
    assert "5.71" in aim and "target 4" in aim and "not yet met" in aim
    assert _pictures(slides[1])  # the outcome's chart
    falls = _pictures(slides[2])
    assert len(falls) == 1
    assert falls[0].startswith("U chart of Falls per 1,000 bed days")  # a rate: a U chart
    assert "12 points from 2026-01-05 to 2026-03-23" in falls[0]
    assert "Latest" in _texts(slides[2])
    diagram = _pictures(slides[4])
    assert len(diagram) == 1
    assert diagram[0].startswith("Driver diagram. Aim: Reduce falls on ward 7")
    assert "change idea Night lights in bays" in diagram[0]
    for slide in slides:
        assert all(alt.strip() for alt in _pictures(slide)), slide.shapes.title.text
    table = next(s for s in slides[5].shapes if s.has_table).table
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Cycle", "Change idea", "Scale", "Predictions held", "Decision"],
        ["#1", "Night lights in bays", "one bay, one night", "1 of 1", "adapt"],
    ]
    learned = _texts(slides[6])
    assert "adapt: Patients like the lights; one found it too bright" in learned
    assert deck.core_properties.category == "qi export"


def test_template_layouts_and_size_are_used_and_its_example_slides_left_out(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    # a trust's template: 4:3, its own layout names, and an example slide that must not
    # reach the deck
    template = Presentation()
    layouts = list(template.slide_layouts)
    layouts[0].name = "Trust cover"
    layouts[1].name = "Trust heading and text"
    layouts[5].name = "Trust heading"
    example = template.slides.add_slide(layouts[1])
    example.shapes.title.text = "Example slide: delete me"
    path = tmp_path / "trust.pptx"
    template.save(str(path))

    out = tmp_path / "deck.pptx"
    _deck(runner, write_project(), out, "--template", str(path))
    deck = Presentation(str(out))
    slides = list(deck.slides)
    assert deck.slide_width == 9144000 and deck.slide_height == 6858000  # the template's 4:3
    assert "Example slide: delete me" not in [s.shapes.title.text for s in slides]
    assert slides[0].slide_layout.name == "Trust cover"
    assert slides[0].shapes.title.text == "Falls on ward 7"
    # the plainest layout with a title is the one for content
    assert {s.slide_layout.name for s in slides[1:]} == {"Trust heading"}
    # the template's fonts: qi sets no font name, and no title size of its own
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for paragraph in shape.text_frame.paragraphs:
                    assert all(run.font.name is None for run in paragraph.runs)
        title = slide.shapes.title.text_frame.paragraphs[0].runs[0]
        assert title.font.size is None


def test_template_that_is_not_a_deck_is_a_clear_error(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "template.pptx"
    bad.write_text("not a deck", encoding="utf-8")
    out = tmp_path / "deck.pptx"
    code, _, err = run(
        runner, "export", "pptx", "-p", str(write_project()), "-o", str(out), "--template", str(bad)
    )
    assert code == 1
    assert "template.pptx: cannot be read as a PowerPoint template" in err
    assert "Traceback" not in err and not out.exists()


def test_an_existing_deck_is_replaced_only_if_qi_wrote_it(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = write_project()
    theirs = tmp_path / "theirs.pptx"
    Presentation().save(str(theirs))  # a person's own deck
    before = theirs.read_bytes()
    code, _, err = run(runner, "export", "pptx", "-p", str(root), "-o", str(theirs))
    assert code == 1 and "was not written by qi" in err
    assert theirs.read_bytes() == before
    ours = tmp_path / "ours.pptx"
    _deck(runner, root, ours)
    _deck(runner, root, ours)  # a second export replaces the first
    _deck(runner, root, theirs, "--force")
    assert Presentation(str(theirs)).core_properties.category == "qi export"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_deck_and_draws_every_slide(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "deck.pptx"
    _deck(runner, write_project(), out)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        check=True,
        timeout=240,
    )
    assert (tmp_path / "deck.pdf").stat().st_size > 0
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(tmp_path / "deck.pdf")], capture_output=True, text=True, check=True
        ).stdout
        assert "Pages:           7" in info
