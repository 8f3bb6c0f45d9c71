"""`qi writeup`: the SQUIRE 2.0 draft, its headings in order, the project's own words
under the right items, marked prompts, Word output read back, and `qi validate --writeup`."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import WriteProject, run

# SQUIRE 2.0 (Ogrinc et al., BMJ Qual Saf 2016), written out from the guideline
SQUIRE_HEADINGS = [
    "## Title and abstract",
    "### 1. Title",
    "### 2. Abstract",
    "## Introduction",
    "### 3. Problem description",
    "### 4. Available knowledge",
    "### 5. Rationale",
    "### 6. Specific aims",
    "## Methods",
    "### 7. Context",
    "### 8. Interventions",
    "### 9. Study of the interventions",
    "### 10. Measures",
    "### 11. Analysis",
    "### 12. Ethical considerations",
    "## Results",
    "### 13. Results",
    "## Discussion",
    "### 14. Summary",
    "### 15. Interpretation",
    "### 16. Limitations",
    "### 17. Conclusions",
    "## Other information",
    "### 18. Funding",
    "## References",
]

# a run chart with a clear shift: 10 weeks at 10 hours, then 10 weeks at 2
SHIFT_MEASURE = """\
name: Hours to first review
kind: process
data_type: continuous
chart: run
direction: decrease
definition:
  description: median hours from arrival to the first review
  unit: hours
  data_source: the ward's review log
"""
SHIFT_CSV = "date,value\n" + "".join(
    f"{date},{value}\n"
    for date, value in zip(
        [
            "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02",
            "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02", "2026-03-09",
            "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06", "2026-04-13",
            "2026-04-20", "2026-04-27", "2026-05-04", "2026-05-11", "2026-05-18",
        ],
        [10] * 10 + [2] * 10,
        strict=True,
    )
)  # fmt: skip


def _example(tmp_path: Path) -> Path:
    return create_project(tmp_path, "Rib fracture pathway", template="example", folder_name="rib")


def _item(text: str, heading: str) -> str:
    """The text under one `###` heading, up to the next heading."""
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1 :]
    following = re.search(r"^##", rest, flags=re.M)
    return rest[: following.start()] if following else rest


def test_the_draft_has_the_squire_headings_in_order(runner: CliRunner, tmp_path: Path) -> None:
    code, out, _ = run(runner, "writeup", str(_example(tmp_path)))
    assert code == 0
    assert out.startswith("# Rib fracture pathway\n")
    headings = [line for line in out.splitlines() if re.match(r"##+ ", line)]
    assert headings == SQUIRE_HEADINGS


def test_the_projects_own_words_sit_under_the_right_items(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    project = (root / "project.yaml").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(
        project.replace(
            "start_date: 2026-01-05\n",
            "start_date: 2026-01-05\n"
            "problem: Patients fall at night when they get up to the toilet unaided.\n"
            "reason: Falls with harm doubled on ward 7 last winter.\n",
        ),
        encoding="utf-8",
    )
    code, out, _ = run(runner, "writeup", str(root))
    assert code == 0
    assert "Patients fall at night" in _item(out, "### 3. Problem description")
    assert "Falls with harm doubled" in _item(out, "### 3. Problem description")
    rationale = _item(out, "### 5. Rationale")
    assert "Primary driver: Safe ward environment (secondary drivers: Lighting at night)" in (
        rationale
    )
    assert "Change idea: Night lights in bays, acting on Lighting at night" in rationale
    aims = _item(out, "### 6. Specific aims")
    assert "Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by 30 June 2026." in aims
    assert "- Population: adult inpatients on ward 7" in aims
    assert "- Alex Moss, Project lead" in _item(out, "### 7. Context")
    interventions = _item(out, "### 8. Interventions")
    assert "Night lights in bays" in interventions
    assert (
        "- Cycle 1, 2026-02-02, one bay, one night: See whether patients use the night "
        "lights. Decision: adapt." in interventions
    )
    study = _item(out, "### 9. Study of the interventions")
    assert "Cycle 1 (night-lights): predictions held 1 of 1." in study
    measures = _item(out, "### 10. Measures")
    assert "- Numerator: falls recorded in Datix" in measures
    assert "- Denominator: occupied bed days" in measures
    results = _item(out, "### 13. Results")
    assert "Night lights in bays: testing; decisions: adapt (cycle 1)" in results
    assert "Cycle 1 (2026-02-02): Patients like the lights; one found it too bright." in results
    conclusions = _item(out, "### 17. Conclusions")
    assert "Night lights in bays: Try a dimmer setting on two bays." in conclusions


def test_analysis_names_each_rule_set_with_its_reference_and_results_date_the_signals(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project(
        {
            "measures/review.yaml": SHIFT_MEASURE,
            "measures/review.csv": SHIFT_CSV,
            "measures/restraint.yaml": "name: Patients restrained\nkind: balancing\n"
            "data_type: count\nmethod: ihi\ndirection: decrease\n",
        }
    )
    code, out, _ = run(runner, "writeup", str(root))
    assert code == 0
    analysis = _item(out, "### 11. Analysis")
    assert "Hours to first review: run chart, Anhøj rules, read with the runs analysis" in analysis
    assert "Anhøj J, Olesen AV. Run charts revisited" in analysis
    assert "qicharts2" in analysis
    assert "Perla RJ, Provost LP, Murray SK." in analysis  # restraint: method ihi
    assert "Provost LP, Murray SK. The Health Care Data Guide" in analysis  # falls: a u chart
    assert "Making Data Count" not in analysis  # no measure uses mdc
    results = _item(out, "### 13. Results")
    # 10 points above, then 10 below the median of 6: a run of 10 > round(log2(20)) + 3 = 7
    assert "from 2026-03-16 to 2026-05-18" in results
    assert "from 2026-01-05 to 2026-03-09" in results
    assert "*Figure 1. Falls per 1,000 bed days" in results


def test_prompts_are_marked_where_no_file_holds_the_words(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, out, _ = run(runner, "writeup", str(_example(tmp_path)))
    assert code == 0
    for heading in (
        "### 7. Context",
        "### 12. Ethical considerations",
        "### 16. Limitations",
        "### 18. Funding",
    ):
        assert "\n> **To write:** " in _item(out, heading), heading
    # ethics and funding hold nothing but the prompt
    assert _item(out, "### 12. Ethical considerations").strip().startswith("> **To write:**")
    assert _item(out, "### 18. Funding").strip().count("\n") == 0


def test_user_text_is_escaped_in_markdown(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    project = (root / "project.yaml").read_text(encoding="utf-8")
    (root / "project.yaml").write_text(
        project.replace("title: Falls on ward 7", 'title: "Falls *now* <script>x</script>"'),
        encoding="utf-8",
    )
    code, out, _ = run(runner, "writeup", str(root))
    assert code == 0
    assert out.startswith("# Falls \\*now\\* &lt;script&gt;x&lt;/script&gt;\n")
    assert "<script>" not in out


def test_writing_a_file_never_replaces_an_edited_draft(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project()
    target = tmp_path / "draft.md"
    target.write_text("my edits\n", encoding="utf-8")
    code, _, err = run(runner, "writeup", str(root), "-o", str(target))
    assert code == 1
    assert "draft.md: already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "my edits\n"
    code, _, _ = run(runner, "writeup", str(root), "-o", str(target), "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# Falls on ward 7\n")


def test_usage_errors(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, _, err = run(runner, "writeup", str(root), "--format", "pdf")
    assert code == 2 and "unknown format 'pdf'" in err
    code, _, err = run(runner, "writeup", str(root), "--format", "docx")
    assert code == 2 and "give -o FILE.docx" in err
    code, out, _ = run(runner, "writeup", str(root), "--format", "markdown")
    assert code == 0 and out.startswith("# Falls on ward 7\n")


def test_docx_has_the_items_as_word_headings_and_marked_prompts(
    runner: CliRunner, tmp_path: Path
) -> None:
    docx = pytest.importorskip("docx")
    target = tmp_path / "draft.docx"
    code, _, err = run(runner, "writeup", str(_example(tmp_path)), "-o", str(target))
    assert code == 0, err
    document = docx.Document(str(target))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith("Heading") or p.style.name == "Title"
    ]
    assert headings[0] == ("Title", "Rib fracture pathway")
    expected = [
        ("Heading 1" if h.startswith("## ") else "Heading 2", h.split(" ", 1)[1])
        for h in SQUIRE_HEADINGS
    ]
    assert headings[1:] == expected
    texts = [p.text for p in document.paragraphs]
    problem = texts.index("3. Problem description")
    assert texts[problem + 1].startswith("Patients admitted with rib fractures stay a mean")
    ethics = texts.index("12. Ethical considerations")
    prompt = document.paragraphs[ethics + 1]
    assert prompt.text.startswith("To write: Say whether the project was registered")
    assert prompt.runs[0].bold and prompt.runs[0].font.highlight_color is not None
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 4 and captions[0].startswith("Figure 1. Mean length of stay")


def test_docx_without_python_docx_says_what_to_install(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # as if it were not installed
    target = tmp_path / "draft.docx"
    code, _, err = run(runner, "writeup", str(write_project()), "-o", str(target))
    assert code == 1
    assert "python-docx, which is not installed" in err
    assert 'pip install "qi-cli[office]"' in err
    assert "Traceback" not in err and not target.exists()


def test_validate_writeup_lists_the_empty_items(runner: CliRunner, tmp_path: Path) -> None:
    root = _example(tmp_path)
    code, out, _ = run(runner, "validate", str(root), "--writeup")
    assert code == 0
    listed = re.findall(r"^\s+(\d+)\. ([^:]+):", out, flags=re.M)
    # the example's files fill every item but those no file can hold
    assert listed == [
        ("12", "Ethical considerations"),
        ("15", "Interpretation"),
        ("16", "Limitations"),
        ("18", "Funding"),
    ]
    assert "4 of 18 items empty" in out
    code, out, _ = run(runner, "validate", str(root), "--writeup", "--strict")
    assert code == 1
    code, out, _ = run(runner, "validate", str(root), "--writeup", "--format", "json")
    assert code == 0
    empty = json.loads(out)["projects"][0]["empty"]
    assert [e["item"] for e in empty] == [12, 15, 16, 18]
    assert empty[0]["from"] is None


def test_validate_writeup_says_which_file_fills_an_item(
    runner: CliRunner, write_project: WriteProject
) -> None:
    code, out, _ = run(runner, "validate", str(write_project()), "--writeup")
    assert code == 0
    # no problem in the charter, no fishbone and no change idea with a source
    assert "   3. Problem description: from the charter: qi project set problem TEXT" in out
    assert "   4. Available knowledge: from a fishbone (qi fishbone add)" in out
    assert "   5. Rationale" not in out  # the driver diagram fills it


def test_a_cycle_planned_without_an_objective_is_written_up(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    """`--objective` is optional, so most cycles have none: the ramp lists them anyway."""
    root = write_project()
    code, _, err = run(
        runner, "cycle", "new", "--change", "night-lights", "--scale", "one patient",
        "--start", "2026-11-20", "-q", "Fewer falls?", "--prediction", "yes",
        "--no-input", "-p", str(root),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run(runner, "writeup", str(root))
    assert code == 0, err
    interventions = _item(out, "### 8. Interventions")
    assert re.search(r"Cycle \d+, 2026-11-20, one patient\. \(planned\)", interventions), (
        interventions
    )
    pytest.importorskip("docx")
    target = tmp_path / "draft.docx"
    code, _, err = run(runner, "writeup", str(root), "-o", str(target))
    assert code == 0 and target.exists(), err
