"""The report's "Understanding the problem" section: the example project's fishbone,
process map (now and redesigned), Pareto chart and stakeholder analysis in every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import run

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return create_project(
        tmp_path, "Rib fracture pathway", template="example", folder_name="rib-fracture-pathway"
    )


def _section(html: str) -> str:
    start = html.index('<section class="problem">')
    return html[start : html.index("</section>", start) + len("</section>")]


def test_html_report_draws_the_four_tools(example: Path, runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, _, err = run(runner, "report", str(example), "--format", "html", "-o", str(target))
    assert code == 0, err
    html = target.read_text()
    section = _section(html)
    # before the driver diagram, the theory of change the tools lead to
    assert html.index("Understanding the problem") < html.index("<h2>Driver diagram</h2>")
    root = ET.fromstring(section)
    titles = [h.text for h in root.iter("h3")]
    assert titles[0].startswith("Cause and effect: Patients with rib fractures wait")
    assert titles[1:3] == ["Process map, as it is now", "Process map, as redesigned"]
    assert titles[3].startswith("Pareto chart: ")
    assert titles[4] == "Stakeholder analysis"
    svgs = list(root.iter(f"{SVG}svg"))
    assert len(svgs) == 5
    words = " ".join(t for svg in svgs for t in svg.itertext())
    # the example's own words, from each file
    for expected in ("Triage and first observations", "ED consultants", "Referral not"):
        assert expected in words
    # the Pareto chart's numbers, counted by hand from pareto/physio-delay-reasons.csv:
    # 38 delays with a reason, the first four reasons 33 of them (86.8%)
    assert "Total: 38." in section and "86.8%" in section


def test_markdown_and_json_reports_carry_the_section(example: Path, runner: CliRunner) -> None:
    code, md, err = run(runner, "report", str(example), "--format", "markdown")
    assert code == 0, err
    lines = md.splitlines()
    start = lines.index("## Understanding the problem")
    end = lines.index("## Driver diagram")
    part = lines[start:end]
    headings = [line for line in part if line.startswith("### ")]
    assert len(headings) == 5
    assert part.count("```mermaid") == 3  # the fishbone and the two process maps
    assert sum(1 for line in part if line.startswith("```")) % 2 == 0  # every fence closed
    code, out, err = run(runner, "report", str(example), "--format", "json")
    assert code == 0, err
    problem = json.loads(out)["problem"]
    assert problem["fishbone"]["effect"].startswith("Patients with rib fractures")
    assert problem["process"]["future"] is not None
    assert [row["count"] for row in problem["pareto"][0]["rows"]] == [14, 9, 6, 4, 3, 2]
    assert problem["skipped"] == []


def test_a_project_without_the_tools_has_no_section(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "project", "new", "Plain", "--no-input", "--dir", str(tmp_path))
    assert code == 0, err
    code, md, err = run(runner, "report", str(tmp_path / "plain"), "--format", "markdown")
    assert code == 0, err
    assert "Understanding the problem" not in md


def test_a_broken_process_map_is_named_not_drawn(example: Path, runner: CliRunner) -> None:
    text = (example / "process.yaml").read_text()
    (example / "process.yaml").write_text(text.replace("next: imaging", "next: imagin", 1))
    code, md, err = run(runner, "report", str(example), "--format", "markdown")
    assert code == 0, err
    assert "Not drawn (run `qi validate`):" in md
    assert "process map:" in md and "imagin" in md
    assert "### Cause and effect" in md  # the other tools are still drawn
