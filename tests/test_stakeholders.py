"""The stakeholder analysis: stakeholders.yaml written by `qi stakeholder add`, checked,
and shown as a grid and a table in the terminal, Markdown and SVG."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.cli import app
from qi_cli.schemas import schema_comment
from tests.conftest import WriteProject, run
from tests.goldens import check_golden
from tests.test_coaching import STAKEHOLDERS_YAML, issues_of

SVG = "{http://www.w3.org/2000/svg}"
LEVELS = ["strong_opposition", "opposition", "neutral", "support", "strong_support"]


@pytest.fixture
def example(runner: CliRunner, tmp_path: Path) -> Path:
    code, _, err = run(
        runner, "project", "new", "Rib fractures", "--template", "example", "--dir", str(tmp_path)
    )
    assert code == 0, err
    return tmp_path / "rib-fractures"


def add(runner: CliRunner, root: Path, *args: str) -> tuple[int, str, str]:
    return run(runner, "stakeholder", "add", *args, "--project", str(root))


# --- qi stakeholder add -------------------------------------------------------------------


def test_add_creates_the_file_then_keeps_what_people_wrote(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project()
    code, out, err = add(
        runner,
        root,
        "ED consultants",
        "--role",
        "Own the ED proforma",
        "--influence",
        "High",
        "--support",
        "neutral",
        "--needed",
        "strong support",
        "--plan",
        "Show the audit at ED governance",
    )
    assert code == 0, err
    assert out.startswith(f"added stakeholder ed-consultants to {root}/stakeholders.yaml\n")
    assert err == ""
    path = root / "stakeholders.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(schema_comment("stakeholders") + "# The stakeholder analysis:")
    assert text.endswith(
        "stakeholders:\n"
        "  ed-consultants:\n"
        "    name: ED consultants\n"
        "    role: Own the ED proforma\n"
        "    influence: high\n"
        "    support: neutral\n"
        "    needed: strong_support\n"
        "    plan: Show the audit at ED governance\n"
    )
    # a comment written by hand survives the next add, and the first entry is unchanged
    path.write_text(text.replace("  ed-consultants:\n", "  # met on 3 March\n  ed-consultants:\n"))
    code, out, err = add(
        runner,
        root,
        "Night staff",
        "--influence",
        "low",
        "--support",
        "support",
        "--needed",
        "strong-support",
    )
    assert code == 0, err
    assert "they must move but have no plan yet" in err and "Q801" in err
    text = path.read_text(encoding="utf-8")
    assert "  # met on 3 March\n  ed-consultants:\n" in text
    assert text.endswith(
        "  night-staff:\n    name: Night staff\n    influence: low\n    support: support\n"
        "    needed: strong_support\n"
    )
    assert issues_of(runner, root) == [
        issue for issue in issues_of(runner, root) if issue["code"] == "Q801"
    ]


def test_add_refuses_bad_input_and_writes_nothing(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"stakeholders.yaml": STAKEHOLDERS_YAML})
    before = (root / "stakeholders.yaml").read_bytes()
    base = ["--influence", "high", "--support", "neutral", "--needed", "support"]
    # the id is made from the name, and this one is taken
    code, _, err = add(runner, root, "Night staff", *base)
    assert code == 1
    assert "there is already a stakeholder with the id 'night-staff'" in err
    assert "choose another id with --id" in err
    code, _, err = add(runner, root, "Porters", *base[:2], "--support", "suport", *base[4:])
    assert code == 2
    assert "--support: 'suport' is not a level" in err
    assert "did you mean 'support'?" in err
    code, _, err = add(runner, root, "Porters", "--influence", "medium", *base[2:])
    assert code == 2 and "--influence: 'medium' is not a level" in err
    assert "choose one of: high, low" in err
    code, _, err = add(runner, root, "  ", *base)
    assert code == 2 and "the stakeholder's name is empty" in err
    code, _, err = add(runner, root, "Porters", *base, "--id", "Porters!")
    assert code == 2 and "'Porters!' is not a valid id" in err
    code, _, err = add(runner, root, "Porters", "--influence", "high")
    assert code == 2 and "--support" in err
    assert "Traceback" not in err
    assert (root / "stakeholders.yaml").read_bytes() == before


# --- the file checked ---------------------------------------------------------------------


def test_the_file_is_checked_at_its_place(write_project: WriteProject, runner: CliRunner) -> None:
    text = STAKEHOLDERS_YAML.replace("    support: neutral\n", "    suport: neutral\n").replace(
        "needed: support", "needed: strongly"
    )
    issues = issues_of(runner, write_project({"stakeholders.yaml": text}))
    found = {(f"{i['line']}:{i['column']}", str(i["message"]), str(i["hint"])) for i in issues}
    assert ("5:5", "unknown key 'suport'", "did you mean 'support'?") in found
    assert any(
        w == "6:13" and "'strongly' is not allowed here" in m and "strong_support" in h
        for w, m, h in found
    ), found
    assert any("missing required key 'support'" in m for _, m, _ in found), found


def test_the_example_is_clean_and_shows_no_warning(example: Path, runner: CliRunner) -> None:
    assert issues_of(runner, example) == []


# --- shown --------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_golden(width: int, example: Path, request: pytest.FixtureRequest) -> None:
    result = CliRunner().invoke(
        app,
        ["stakeholders", "--project", str(example)],
        env={"NO_COLOR": "1", "COLUMNS": str(width)},
    )
    assert result.exit_code == 0, result.stderr
    check_golden(f"toolkit/stakeholders-{width}.txt", result.stdout, request)
    assert all(len(line) <= width for line in result.stdout.splitlines())


def test_terminal_places_each_stakeholder_by_support_and_influence(
    example: Path, runner: CliRunner
) -> None:
    code, out, _ = run(runner, "stakeholders", "--project", str(example))
    assert code == 0
    lines = out.splitlines()
    rows = {
        level: next(line for line in lines if line.startswith(f" {level}  "))
        for level in ("strong support", "support", "neutral", "opposition")
    }
    assert "Acute pain service →" in rows["opposition"]
    assert "ED consultants →" in rows["neutral"]
    assert "Ward 7 nursing team →" in rows["support"]
    # high influence is the left column, low the right
    neutral = rows["neutral"]
    assert neutral.index("ED consultants") < 50
    support = rows["support"]
    assert support.index("Ward 7 nursing team") > 40
    assert re.search(r"\n Acute pain service +high +opposition →", out)


def test_markdown_golden(example: Path, runner: CliRunner, request: pytest.FixtureRequest) -> None:
    code, out, err = run(runner, "stakeholders", "--format", "markdown", "--project", str(example))
    assert code == 0, err
    check_golden("toolkit/stakeholders.md", out, request)
    assert "| High | – | Acute pain service → | ED consultants →<br>Site bed managers | – |" in out


def test_markdown_escapes_what_people_wrote(write_project: WriteProject, runner: CliRunner) -> None:
    text = STAKEHOLDERS_YAML.replace("Night nursing team", "'Night | *team* <b>'")
    root = write_project({"stakeholders.yaml": text})
    code, out, _ = run(runner, "stakeholders", "-f", "markdown", "--project", str(root))
    assert code == 0
    assert r"Night \| \*team\* &lt;b&gt;" in out
    assert "<b>" not in out and "| Night |" not in out


def test_terminal_never_prints_escape_sequences(
    write_project: WriteProject, runner: CliRunner
) -> None:
    text = STAKEHOLDERS_YAML.replace("Night nursing team", '"Night\\e[2J team"')
    root = write_project({"stakeholders.yaml": text})
    code, out, _ = run(runner, "stakeholders", "--project", str(root))
    assert code == 0
    assert "\x1b" not in out and "Night?[2J team" in out


def test_svg_puts_each_chip_in_its_cell(example: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "stakeholders", "--format", "svg", "--project", str(example))
    assert code == 0, err
    root = ET.fromstring(out)
    cells = [
        tuple(float(c.get(k, 0)) for k in ("x", "y", "width", "height"))
        for c in root.findall(f"{SVG}rect[@class='cell']")
    ]
    assert len(cells) == 10  # 2 influences x 5 levels, high first, then by level
    chips = {g.get("data-stakeholder"): g for g in root.iter(f"{SVG}g")}
    expected = {
        "ed-consultants": ("high", "neutral", "ED consultants"),
        "ward-7-nurses": ("low", "support", "Ward 7 nursing team"),
        "physio-team": ("high", "strong_support", "Respiratory physiotherapy team"),
        "acute-pain-team": ("high", "opposition", "Acute pain service"),
        "bed-managers": ("high", "neutral", "Site bed managers"),
        "patients": ("low", "strong_support", "Patients and families"),
    }
    assert set(chips) == set(expected)
    rects = {}
    for sid, (influence, level, name) in expected.items():
        rect = chips[sid].find(f"{SVG}rect")
        assert rect is not None
        x, y = float(rect.get("x", 0)), float(rect.get("y", 0))
        w, h = float(rect.get("width", 0)), float(rect.get("height", 0))
        cx, cy, cw, ch = cells[(0 if influence == "high" else 5) + LEVELS.index(level)]
        assert cx <= x and x + w <= cx + cw and cy <= y and y + h <= cy + ch, sid
        rects[sid] = (x, y, x + w, y + h)
        words = " ".join(t.text or "" for t in chips[sid].iter(f"{SVG}text"))
        assert name in words
    for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2):
        assert not (ra[0] < rb[2] and rb[0] < ra[2] and ra[1] < rb[3] and rb[1] < ra[3]), (a, b)
    # amber for those who must move, green for those where needed
    fills = {sid: chips[sid].find(f"{SVG}rect").get("fill") for sid in expected}  # type: ignore[union-attr]
    assert fills["ed-consultants"] == fills["acute-pain-team"] == "#fff3c4"
    assert fills["physio-team"] == fills["bed-managers"] == "#e8f3e8"


def test_show_without_a_file_says_how_to_start(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project()
    code, out, err = run(runner, "stakeholders", "--project", str(root))
    assert code == 1 and out == ""
    assert "stakeholders.yaml: no stakeholder analysis yet" in err
    assert 'qi stakeholder add "ED consultants"' in err
    code, _, err = run(runner, "stakeholders", "-f", "docx", "--project", str(root))
    assert code == 2 and "unknown format 'docx'" in err
