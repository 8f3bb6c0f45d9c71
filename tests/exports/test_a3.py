"""`qi report --format a3`: the one-page storyboard, parsed as HTML and printed to PDF."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import WriteProject, run


class _Sections(HTMLParser):
    """Each section's heading text, the classes of the SVGs inside it, and its text."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[dict[str, list[str]]] = []
        self._in_h2 = False
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.sections.append({"heading": [], "svgs": [], "text": []})
        elif tag == "h2":
            self._in_h2 = True
        elif tag == "svg" and self.sections:
            self.sections[-1]["svgs"].append(dict(attrs).get("class") or "chart")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data: str) -> None:
        if not self.sections:
            return
        key = "heading" if self._in_h2 else "text"
        self.sections[-1][key].append(data)


def _sections(html: str) -> dict[str, dict[str, str | list[str]]]:
    parser = _Sections()
    parser.feed(html)
    return {
        " ".join("".join(s["heading"]).split()): {"svgs": s["svgs"], "text": "".join(s["text"])}
        for s in parser.sections
    }


def _example(tmp_path: Path) -> Path:
    return create_project(tmp_path, "Rib fracture pathway", template="example", folder_name="rib")


def test_the_page_holds_the_storyboard_sections(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "report", str(_example(tmp_path)), "--format", "a3")
    assert code == 0
    assert "@page { size: A3 landscape" in out
    sections = _sections(out)
    assert list(sections) == [
        "1 The problem",
        "2 Our aim",
        "3 Our measures",
        "8 Next steps",
        "4 Our theory of change",
        "5 Outcome: Mean length of stay, rib fracture admissions",
        "6 Tests of change: the PDSA ramps",
        "7 What we learned",
    ]
    assert sections["1 The problem"]["text"].startswith("Patients admitted with rib fractures")
    assert "Reduce the mean length of stay" in sections["2 Our aim"]["text"]
    assert sections["4 Our theory of change"]["svgs"] == ["drivers"]
    outcome = sections["5 Outcome: Mean length of stay, rib fracture admissions"]
    assert outcome["svgs"][0] == "chart"
    assert "Latest: 5 days on 2026-11-02" in outcome["text"]
    ramps = str(sections["6 Tests of change: the PDSA ramps"]["text"])
    # the ramp of the automatic physio referral: cycles 1, 2, 4, 6, the last adopted
    assert re.search(r"#1 2026-02-09: one patient → adapt.*#6 2026-04-20: all wards", ramps)
    assert "→ adopt" in ramps
    learned = str(sections["7 What we learned"]["text"])
    # nine cycles with learning: the latest six shown, the three before them counted
    assert "#4" in learned and "#9" in learned and "#3 " not in learned
    assert "3 earlier in the full report" in learned


def test_user_text_is_escaped(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    project = (root / "project.yaml").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(
        project.replace("title: Falls on ward 7", 'title: "Falls <script>alert(1)</script>"'),
        encoding="utf-8",
    )
    code, out, _ = run(runner, "report", str(root), "--format", "a3")
    assert code == 0
    assert "<script>" not in out
    assert "<h1>Falls &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in out


def test_without_a_browser_a_pdf_says_how(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QI_BROWSER", "no-such-browser-here")
    target = tmp_path / "poster.pdf"
    code, _, err = run(runner, "report", str(write_project()), "-f", "a3", "-o", str(target))
    assert code == 1
    assert "poster.pdf: no browser found to print the PDF" in err
    assert "apt install chromium" in err and "print it from a browser" in err
    assert not target.exists()


def _browser() -> str | None:
    return next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )


@pytest.mark.skipif(_browser() is None, reason="no Chromium to print with")
def test_the_example_prints_on_one_a3_landscape_page(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "poster.pdf"
    code, _, err = run(runner, "report", str(_example(tmp_path)), "-f", "a3", "-o", str(target))
    assert code == 0, err
    pdf = target.read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1
    # A3 landscape: 420 x 297 mm is 1190.6 x 841.9 points
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    assert abs(float(box.group(1)) - 1190.6) < 1.5 and abs(float(box.group(2)) - 841.9) < 1.5


def test_a_pdf_into_a_missing_folder_is_refused_before_printing(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QI_BROWSER", "no-such-browser-here")  # the folder is named first
    target = tmp_path / "missing" / "poster.pdf"
    code, _, err = run(runner, "report", str(write_project()), "-f", "a3", "-o", str(target))
    assert code == 1
    assert "missing: no such folder" in err
