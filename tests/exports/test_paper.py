"""`qi export docx`: the board paper read back with python-docx."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from typer.testing import CliRunner

from tests.conftest import WriteProject, run

DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def test_paper_has_real_headings_pictures_with_alt_text_and_tables(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "paper.docx"
    code, _, err = run(runner, "export", "docx", "-p", str(write_project()), "-o", str(out))
    assert code == 0, err
    doc = Document(str(out))
    headings = [
        (p.style.name, p.text)
        for p in doc.paragraphs
        if p.style is not None and p.style.name.startswith(("Title", "Heading"))
    ]
    assert headings[:8] == [
        ("Title", "Falls on ward 7"),
        ("Heading 1", "Aim"),
        ("Heading 2", "Outcome: Falls per 1,000 bed days"),
        ("Heading 1", "Measures"),
        ("Heading 1", "Measures in detail"),
        ("Heading 2", "Falls per 1,000 bed days"),
        ("Heading 2", "Patients restrained"),
        ("Heading 1", "Driver diagram"),
    ]
    assert ("Heading 1", "Change ideas and PDSA cycles") in headings
    assert ("Heading 1", "What we learned") in headings
    assert headings[-1] == ("Heading 1", "Data quality")
    # every picture has alt text: 3 charts (the outcome twice) and the driver diagram
    alts = [d.get("descr", "") for d in doc.element.body.iter(DRAWING)]
    charts = [a for a in alts if " chart of " in a]
    assert len(charts) == 3
    assert sum(a.startswith("Driver diagram. Aim: Reduce falls") for a in alts) == 1
    assert all(a.strip() for a in alts)
    aim, measures = doc.tables[0], doc.tables[1]
    assert [c.text for c in aim.rows[0].cells][:4] == [
        "Outcome measure",
        "Baseline",
        "Latest",
        "Target",
    ]
    # the last week: 2 falls in 350 bed days is 5.71 per 1,000; the target is 4
    assert "5.71" in aim.rows[1].cells[2].text and aim.rows[1].cells[5].text == "not yet"
    assert [r.cells[0].text for r in measures.rows] == [
        "Measure",
        "Falls per 1,000 bed days",
        "Patients restrained",
    ]
    cycles = doc.tables[2]
    assert cycles.rows[1].cells[0].text.startswith("#1 ")
    assert cycles.rows[1].cells[2].text == "one bay, one night"
    assert cycles.rows[1].cells[6].text == "adapt"
    # the header row repeats on each page and tells a screen reader it is one
    assert cycles.rows[0]._tr.trPr.xpath("./w:tblHeader")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Patients like the lights; one found it too bright" in text
    assert doc.core_properties.category == "qi export"


def test_no_such_folder_for_the_paper(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "paper.docx"
    code, _, err = run(runner, "export", "docx", "-p", str(write_project()), "-o", str(out))
    assert code == 1
    assert "no such folder" in err and "Traceback" not in err


def test_control_characters_in_names_become_question_marks_not_a_crash(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    # YAML's double-quoted escapes can put characters in a name that XML cannot hold
    root = write_project()
    project = root / "project.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace("title: Falls on ward 7", 'title: "Falls \\x01on ward 7"'), encoding="utf-8"
    )
    measure = root / "measures" / "falls.yaml"
    text = measure.read_text(encoding="utf-8")
    measure.write_text(
        text.replace("name: Falls per 1,000 bed days", 'name: "Falls\\x07 per 1,000"'),
        encoding="utf-8",
    )
    out = tmp_path / "paper.docx"
    code, _, err = run(runner, "export", "docx", "-p", str(root), "-o", str(out))
    assert code == 0, err
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "Falls ?on ward 7"
    assert ("Falls? per 1,000") in [p.text for p in doc.paragraphs]
    for args in (
        ["export", "pptx", "-o", str(tmp_path / "deck.pptx")],
        [
            "chart",
            "falls",
            "--svg",
            str(tmp_path / "falls.svg"),
            "--png",
            str(tmp_path / "falls.png"),
        ],
    ):
        code, _, err = run(runner, *args, "-p", str(root))
        assert code == 0, err
    assert "\x07" not in (tmp_path / "falls.svg").read_text(encoding="utf-8")
