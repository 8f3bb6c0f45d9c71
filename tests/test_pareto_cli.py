"""`qi pareto`: the project's Pareto data and any CSV, in every format, and bad input."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import WriteProject, run
from tests.goldens import check_golden

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE_COUNTS = [14, 9, 6, 4, 3, 2]  # counted by hand in the example's CSV (38 named)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return create_project(
        tmp_path, "Rib fracture pathway", template="example", folder_name="rib-fracture-pathway"
    )


def test_example_json_is_the_hand_count(example: Path, runner: CliRunner) -> None:
    code, out, err = run(runner, "pareto", "--project", str(example), "--format", "json")
    assert code == 0, err
    view = json.loads(out)
    assert view["id"] == "physio-delay-reasons"
    assert view["title"].startswith("Reasons for waiting more than 24 hours")
    assert [r["count"] for r in view["rows"]] == EXAMPLE_COUNTS
    assert view["total"] == 38
    assert view["missing_dropped"] == 2
    running = 0
    for row, count in zip(view["rows"], EXAMPLE_COUNTS, strict=True):
        running += count
        assert row["count_cum"] == running
        assert row["p"] == pytest.approx(count / 38, rel=1e-12)
        assert row["p_cum"] == pytest.approx(running / 38, rel=1e-12)
    # 14 + 9 + 6 = 29 of 38 is 76.3%; with the next 4 it is 86.8%: four reach 80%
    assert len(view["vital_few"]) == 4


def test_include_missing_adds_a_bar_for_rows_without_a_category(
    example: Path, runner: CliRunner
) -> None:
    code, out, _ = run(
        runner, "pareto", "physio-delay-reasons", "-p", str(example), "-f", "json",
        "--include-missing",
    )  # fmt: skip
    assert code == 0
    view = json.loads(out)
    # 2 missing tie with "Referral lost" (2): missing comes after the named category
    assert [(r["category"], r["count"]) for r in view["rows"][-2:]] == [
        ("Referral lost (phone or paper)", 2),
        (None, 2),
    ]
    assert view["total"] == 40 and view["missing_dropped"] == 0


@pytest.mark.parametrize("width", [80, 120])
def test_example_terminal_golden(
    width: int, example: Path, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    code, out, err = run(runner, "pareto", "-p", str(example), "--width", str(width))
    assert code == 0, err
    assert "\x1b[" not in out  # NO_COLOR
    assert max(len(line) for line in out.splitlines()) <= width
    check_golden(f"toolkit/pareto-example-{width}.txt", out, request)


def test_example_markdown_golden(
    example: Path, runner: CliRunner, request: pytest.FixtureRequest
) -> None:
    code, out, err = run(runner, "pareto", "-p", str(example), "--format", "markdown")
    assert code == 0, err
    check_golden("toolkit/pareto-example.md", out, request)


def test_example_svg_has_bars_line_and_readable_labels(example: Path, runner: CliRunner) -> None:
    code, out, _ = run(runner, "pareto", "-p", str(example), "--format", "svg")
    assert code == 0
    svg = ET.fromstring(out)
    bars = svg.findall(f".//{SVG}rect[@class='bar']")
    assert len(bars) == 6
    heights = [float(b.get("height", "0")) for b in bars]
    assert heights == sorted(heights, reverse=True)  # largest first
    # bar heights are proportional to the shares: 14/38 against 2/38
    assert heights[0] / heights[-1] == pytest.approx(7, rel=1e-2)
    assert svg.find(f".//{SVG}path[@class='cumulative']") is not None
    assert svg.find(f".//{SVG}line[@class='eighty']") is not None
    words = " ".join(t.text or "" for t in svg.iter(f"{SVG}text"))
    assert "Outlying on a" in words and "medical ward" in words
    assert "80%" in words
    assert "Pareto chart of Reasons for waiting" in (svg.get("aria-label") or "")


def test_a_csv_outside_a_project(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "falls-by-type.csv"
    path.write_text("category,count\nunwitnessed,7\nfrom bed,3\n")
    code, out, err = run(runner, "pareto", str(path), "--format", "json")
    assert code == 0, err
    view = json.loads(out)
    assert view["title"] == "Falls by type"
    assert [(r["category"], r["count_cum"]) for r in view["rows"]] == [
        ("unwitnessed", 7),
        ("from bed", 10),
    ]


def test_a_single_category_is_drawn(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "one.csv"
    path.write_text("category\nfalls\nfalls\n")
    code, out, err = run(runner, "pareto", str(path), "--width", "80")
    assert code == 0, err
    assert "falls" in out and "100.0%" in out
    assert "vital few" not in out  # one bar has no few to single out


def test_user_text_is_escaped_in_every_format(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        'category\n"<b>bold</b> & co"\n"```"\n"*star* | pipe"\n"bell\x07 \x1b[31mred"\n'
    )
    code, out, _ = run(runner, "pareto", str(path), "--width", "80")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "bell? ?[31mred" in out
    code, out, _ = run(runner, "pareto", str(path), "--format", "markdown")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in out
    assert "\\*star\\* \\| pipe" in out
    assert "````text" in out  # a category of backticks cannot close the chart's block
    code, out, _ = run(runner, "pareto", str(path), "--format", "svg")
    svg = ET.fromstring(out)  # parses: nothing unescaped
    labels = [t.text for t in svg.iter(f"{SVG}tspan")] + [t.text for t in svg.iter(f"{SVG}text")]
    assert any(label and "<b>bold</b>" in label for label in labels)


def test_a_bad_row_is_named_with_its_line(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"pareto/delays.csv": "category,count\nweekend,4\nward round,x\n"})
    code, out, err = run(runner, "pareto", "delays", "-p", str(root))
    assert code == 1
    assert out == ""
    assert "pareto/delays.csv:3:12: count 'x' is not a whole number" in err
    assert "hint:" in err and "Traceback" not in err
    code, out, _ = run(runner, "validate", str(root), "--format", "json")
    issues = json.loads(out)["issues"]
    assert [(i["line"], i["column"]) for i in issues if "pareto" in i["path"]] == [(3, 12)]


def test_project_chart_titles_and_unknown_ids(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {
            "pareto/falls-by-type.csv": "category\nunwitnessed\n",
            "pareto/falls-by-type.yaml": "title: Falls by type\ncolour: red\n",
        }
    )
    code, out, _ = run(runner, "validate", str(root), "--format", "json")
    issues = json.loads(out)["issues"]
    assert [(i["line"], i["message"], i["hint"]) for i in issues if "pareto" in i["path"]] == [
        (2, "unknown key 'colour'", "allowed keys: title, description, source, include_missing")
    ]
    code, _, err = run(runner, "pareto", "fals-by-type", "-p", str(root))
    assert code == 1
    assert "no Pareto chart 'fals-by-type'" in err and "did you mean 'falls-by-type'?" in err


def test_no_pareto_data_and_usage_errors(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project()
    code, _, err = run(runner, "pareto", "-p", str(root))
    assert code == 1
    assert "has no Pareto data yet" in err and "pareto/ID.csv" in err
    code, _, err = run(runner, "pareto", "-p", str(root), "--format", "pdf")
    assert code == 2
    assert "unknown format 'pdf'" in err
    code, _, err = run(runner, "pareto", "-p", str(root), "--width", "20")
    assert code == 2
    assert "too narrow" in err


def test_a_title_without_data_and_a_file_name_that_is_not_an_id(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(
        {"pareto/delays.yaml": "title: Delays\n", "pareto/Falls by type.csv": "category\nx\n"}
    )
    code, out, _ = run(runner, "validate", str(root), "--format", "json")
    assert code == 1
    found = [(i["path"], i["message"]) for i in json.loads(out)["issues"] if "pareto" in i["path"]]
    assert [(Path(p).name, m) for p, m in found] == [
        ("delays.yaml", "no data file pareto/delays.csv for this chart"),
        ("Falls by type.csv", "file name 'Falls by type.csv' is not a valid id"),
    ]


def test_a_csv_that_is_not_there(tmp_path: Path, runner: CliRunner) -> None:
    code, _, err = run(runner, "pareto", str(tmp_path / "nope.csv"))
    assert code == 1
    assert "nope.csv: file not found" in err
