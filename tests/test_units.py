"""Measures recorded per unit: the CSV's unit column, the total chart, and `qi funnel`."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.files.csv_file import parse_data
from tests.conftest import PROJECT_YAML, WriteProject, run

PROPORTION_YAML = """\
name: Seen by a physio within 24 hours
kind: process
data_type: proportion
direction: increase
frequency: monthly
multiply: 100
definition:
  description: patients seen by a physiotherapist within 24 hours of admission
  numerator: patients seen within 24 hours
  denominator: patients admitted
"""

# Six wards, three months; ward <F&G> is far below the others.
UNITS = {
    "Ward 1": [(40, 50), (42, 50), (41, 50)],
    "Ward 2": [(80, 100), (78, 100), (82, 100)],
    "Ward 3": [(20, 25), (19, 25), (21, 25)],
    "Ward 4": [(160, 200), (158, 200), (162, 200)],
    "Ward 5": [(60, 75), (61, 75), (59, 75)],
    "<F&G>": [(30, 60), (28, 60), (29, 60)],
}
MONTHS = ["2026-01-01", "2026-02-01", "2026-03-01"]


def units_csv() -> str:
    lines = ["date,value,denominator,unit"]
    for unit, rows in UNITS.items():
        for month, (o, n) in zip(MONTHS, rows, strict=True):
            name = f'"{unit}"' if "," in unit else unit
            lines.append(f"{month},{o},{n},{name}")
    return "\n".join(lines) + "\n"


def project(write_project: WriteProject) -> Path:
    return write_project(
        {"measures/physio.yaml": PROPORTION_YAML, "measures/physio.csv": units_csv()}
    )


def test_a_unit_column_is_read_and_one_date_may_hold_one_row_per_unit() -> None:
    rows, issues = parse_data(units_csv(), "physio.csv", None)
    assert issues == []
    assert len(rows) == 18
    assert {r.unit for r in rows} == set(UNITS)


def test_a_date_twice_for_one_unit_and_a_row_without_unit_are_errors_with_line() -> None:
    text = "date,value,denominator,unit\n2026-01-01,1,2,A\n2026-01-01,1,2,A\n2026-01-01,1,2,\n"
    _, issues = parse_data(text, "physio.csv", None)
    found = [(i.line, i.column, i.message) for i in issues]
    assert found == [
        (3, 1, "2026-01-01 is entered twice for unit A: lines 2 and 3"),
        (4, 16, "row has no unit"),
    ]
    assert all(i.hint for i in issues)


def test_a_chart_of_a_measure_with_units_shows_the_total_per_period(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    code, out, _ = run(runner, "chart", "physio", "--project", str(root), "--json")
    assert code == 0, out
    data = json.loads(out)
    # January: 40+80+20+160+60+30 = 390 seen of 50+100+25+200+75+60 = 510 admitted.
    first = data["points"][0]
    assert math.isclose(first["y"], 100 * 390 / 510, rel_tol=1e-12)
    assert any("total of 6 units" in note for note in data["notes"])
    code, out, _ = run(runner, "chart", "physio", "--project", str(root), "--width", "80")
    assert code == 0
    assert "Each point is the total of 6 units" in out


def test_qi_funnel_names_the_unit_outside_the_limits(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    code, out, err = run(
        runner, "funnel", "physio", "--project", str(root), "--highlight", "Ward 3"
    )
    assert code == 0, err
    assert "<F&G> (low, outside 99.8%)" in out
    assert "▶ Ward 3" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_qi_funnel_json_pools_the_units_over_the_period(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    code, out, _ = run(
        runner,
        "funnel",
        "physio",
        "--project",
        str(root),
        "-f",
        "json",
        "--period",
        "2026-02-01..2026-03-31",
        "--no-overdispersion",
    )
    assert code == 0, out
    data = json.loads(out)
    # February and March: 780 seen of 1020 admitted.
    seen = sum(o for rows in UNITS.values() for o, _ in rows[1:])
    admitted = sum(n for rows in UNITS.values() for _, n in rows[1:])
    assert (seen, admitted) == (780, 1020)
    assert math.isclose(data["target"], 780 / 1020, rel_tol=1e-12)
    assert math.isclose(data["centre"], 100 * 780 / 1020, rel_tol=1e-12)
    assert data["phi"] == 0 and data["tau2"] == 0
    ward1 = next(u for u in data["units"] if u["group"] == "Ward 1")
    assert (ward1["numerator"], ward1["denominator"], ward1["periods"]) == (83, 100, 2)
    theta = math.asin(math.sqrt(780 / 1020))
    half = 1.959964 / (2 * math.sqrt(100))
    assert math.isclose(ward1["ucl95"], 100 * math.sin(theta + half) ** 2, rel_tol=1e-12)


def test_qi_funnel_svg_is_well_formed_and_escapes_unit_names(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    code, out, _ = run(runner, "funnel", "physio", "--project", str(root), "-f", "svg")
    assert code == 0
    svg = ET.fromstring(out)
    assert svg.tag.endswith("svg")
    assert "&lt;F&amp;G&gt;" in out


def test_qi_funnel_refuses_bad_input_in_one_line(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    code, _, err = run(runner, "funnel", "falls", "--project", str(root))
    assert code == 1 and "falls has no units" in err and "Traceback" not in err
    code, _, err = run(runner, "funnel", "physio", "--project", str(root), "--highlight", "X")
    assert code == 2 and "--highlight: no unit 'X' in physio" in err
    code, _, err = run(runner, "funnel", "physio", "--project", str(root), "--period", "2026")
    assert code == 2 and "FROM..TO" in err
    code, _, err = run(
        runner, "funnel", "physio", "--project", str(root), "--period", "2027-01-01.."
    )
    assert code == 1 and "--period: physio has values for 0 unit(s)" in err


def test_qi_funnel_refuses_a_broken_csv_as_qi_chart_does(
    runner: CliRunner, write_project: WriteProject
) -> None:
    """A funnel of the rows that could be read would hide the broken one."""
    root = write_project(
        {
            "measures/physio.yaml": PROPORTION_YAML,
            "measures/physio.csv": units_csv() + "not-a-date,1,4,Ward 7\n",
        }
    )
    for command in (["funnel", "physio"], ["chart", "physio", "--by", "unit"]):
        code, out, err = run(runner, *command, "--project", str(root))
        assert code == 1, out
        assert "measures/physio.csv:" in err and "'not-a-date' is not a date" in err


def test_chart_by_unit_refuses_svg_and_png_rather_than_ignore_them(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = project(write_project)
    target = tmp_path / "units.svg"
    code, _, err = run(
        runner, "chart", "physio", "--by", "unit", "--svg", str(target), "--project", str(root)
    )
    assert code == 2 and "one chart, not one per unit" in err
    assert not target.exists()


def test_chart_by_unit_draws_one_chart_per_unit_on_one_scale(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    code, out, err = run(
        runner,
        "chart",
        "physio",
        "--by",
        "unit",
        "--highlight",
        "<F&G>",
        "--project",
        str(root),
        "--width",
        "80",
    )
    assert code == 0, err
    for unit in UNITS:
        assert unit in out
    assert "▶ <F&G> (your unit)" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    code, out, _ = run(runner, "chart", "physio", "--by", "unit", "--project", str(root), "--json")
    data = json.loads(out)
    assert [u["unit"] for u in data["units"]] == list(UNITS)
    # Ward 1's own centre line: 123 seen of 150 admitted, as a percentage.
    ward1 = data["units"][0]
    assert math.isclose(ward1["chart"]["points"][0]["cl"], 100 * 123 / 150, rel_tol=1e-12)
    # One scale for all: down to the lowest line, <F&G>'s lower limit: its p chart has
    # p = 87/180 and n = 60, so 100 * (p - 3 * sqrt(p * (1 - p) / 60)) = 28.98.
    low, high = data["y_range"]
    p = 87 / 180
    assert math.isclose(low, 100 * (p - 3 * math.sqrt(p * (1 - p) / 60)), rel_tol=1e-12)
    limits = [pt["ucl"] for u in data["units"] for pt in u["chart"]["points"] if pt["ucl"]]
    assert high == max(limits)


def test_the_measure_names_its_own_unit_and_the_report_draws_the_grid(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project(
        {
            "measures/physio.yaml": PROPORTION_YAML + "own_unit: Ward 3\n",
            "measures/physio.csv": units_csv(),
        }
    )
    code, out, _ = run(runner, "chart", "physio", "--by", "unit", "--project", str(root))
    assert code == 0 and "▶ Ward 3 (your unit)" in out
    code, out, _ = run(runner, "funnel", "physio", "--project", str(root))
    assert "▶ Ward 3" in out
    page = tmp_path / "report.html"
    code, _, err = run(runner, "report", str(root), "-f", "html", "-o", str(page))
    assert code == 0, err
    html = page.read_text()
    assert "6 units on one scale" in html
    assert "Ward 3 (your unit)" in html and "&lt;F&amp;G&gt;" in html
    assert "<F&G>" not in html


def test_chart_by_unit_refuses_bad_input(runner: CliRunner, write_project: WriteProject) -> None:
    root = project(write_project)
    code, _, err = run(runner, "chart", "falls", "--by", "unit", "--project", str(root))
    assert code == 1 and "falls has no units" in err
    code, _, err = run(runner, "chart", "physio", "--by", "ward", "--project", str(root))
    assert code == 2 and "unknown --by 'ward'" in err
    code, _, err = run(runner, "chart", "physio", "--highlight", "Ward 1", "--project", str(root))
    assert code == 2 and "add --by unit" in err


def test_data_add_unit_writes_a_row_per_unit_and_refuses_a_second_for_one_unit(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    csv_path = root / "measures" / "physio.csv"
    before = csv_path.read_text()
    args = ("data", "add", "physio", "41", "-n", "50", "--date", "2026-04-01")
    code, _, err = run(runner, *args, "--unit", "Ward 1, east", "--project", str(root))
    assert code == 0, err
    assert csv_path.read_text() == before + '2026-04-01,41,50,"Ward 1, east"\n'
    code, _, err = run(runner, *args, "--unit", "Ward 2", "--project", str(root))
    assert code == 0, err
    code, _, err = run(runner, *args, "--unit", "Ward 2", "--project", str(root))
    assert code == 1 and "already has a value for 2026-04-01" in err
    written = csv_path.read_text()
    code, _, err = run(runner, *args, "--project", str(root))
    assert code == 1 and "kept per unit" in err and "--unit NAME" in err
    assert csv_path.read_text() == written
    code, _, err = run(
        runner, "data", "add", "falls", "3", "-n", "300", "--unit", "A", "--project", str(root)
    )
    assert code == 1 and "no unit column" in err
    code, out, err = run(runner, "validate", str(root))
    assert code == 0 and "physio.csv" not in out + err


def test_data_import_unit_col_matches_rows_by_date_and_unit(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = project(write_project)
    export = tmp_path / "export.csv"
    export.write_text(
        "Month,Ward,Seen,Admitted\n"
        "01/04/2026,Ward 1,41,50\n"
        "01/04/2026,Ward 2,80,100\n"
        "01/04/2026,Ward 2,81,100\n"
        "01/03/2026,Ward 1,41,50\n"
    )
    csv_path = root / "measures" / "physio.csv"
    before = csv_path.read_text()
    args = [
        "data",
        "import",
        "physio",
        str(export),
        "--date-col",
        "Month",
        "--value-col",
        "Seen",
        "--denominator-col",
        "Admitted",
        "--dayfirst",
        "--project",
        str(root),
    ]
    code, out, err = run(runner, *args, "--unit-col", "Ward")
    assert code == 0, err
    assert "41 of 50 (Ward 1)" in out
    assert "second row for 2026-04-01 and unit Ward 2 (first on line 3)" in out
    assert "1 already there" in out  # 2026-03-01, Ward 1: 41 of 50 as in the file
    assert csv_path.read_text() == before + "2026-04-01,41,50,Ward 1\n2026-04-01,80,100,Ward 2\n"
    code, _, err = run(runner, *args)
    assert code == 1 and "kept per unit: add --unit-col" in err
    assert csv_path.read_text().count("\n") == 21


def test_portfolio_compare_puts_the_projects_sharing_a_measure_on_one_funnel(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    # Three projects: two keep "physio", the third keeps "physio-ward9" shared as physio.
    physio = PROPORTION_YAML
    csv = "date,value,denominator\n2026-01-01,{0},{1}\n2026-02-01,{2},{3}\n"
    write_project(
        {"measures/physio.yaml": physio, "measures/physio.csv": csv.format(40, 50, 42, 50)},
        name="a",
    )
    write_project(
        {
            "project.yaml": PROJECT_YAML.replace("Falls on ward 7", "Ward B falls"),
            "measures/physio.yaml": physio,
            "measures/physio.csv": units_csv(),
        },
        name="b",
    )
    write_project(
        {
            "project.yaml": PROJECT_YAML.replace("Falls on ward 7", "Ward C"),
            "measures/physio-ward9.yaml": physio + "shared_as: physio\n",
            "measures/physio-ward9.csv": csv.format(10, 40, 12, 40),
        },
        name="c",
    )
    code, out, err = run(
        runner, "portfolio", str(tmp_path), "--compare", "physio", "-f", "json", "--no-cache"
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["compared"] == "projects"
    by_name = {u["group"]: u for u in data["units"]}
    assert len(by_name) == 3
    # b sums every unit: 1170 seen of 1530; c is 22 of 80; a is 82 of 100.
    assert (by_name["Ward B falls"]["numerator"], by_name["Ward B falls"]["denominator"]) == (
        1170,
        1530,
    )
    assert (by_name["Ward C"]["numerator"], by_name["Ward C"]["denominator"]) == (22, 80)
    assert math.isclose(data["target"], (82 + 1170 + 22) / (100 + 1530 + 80), rel_tol=1e-12)
    code, out, _ = run(
        runner, "portfolio", str(tmp_path), "--compare", "physio", "--no-cache", "--width", "80"
    )
    assert code == 0 and "funnel plot of projects" in out and "Ward C" in out
    code, _, err = run(runner, "portfolio", str(tmp_path), "--compare", "nothing")
    assert code == 1 and "0 project(s)" in err
    code, _, err = run(runner, "portfolio", str(tmp_path), "--compare", "physio", "-f", "html")
    assert code == 2 and "terminal, svg or json" in err
    code, _, err = run(runner, "portfolio", str(tmp_path), "--period", "2026-01-01..")
    assert code == 2 and "--compare" in err


def test_data_list_shows_each_rows_unit(runner: CliRunner, write_project: WriteProject) -> None:
    root = project(write_project)
    code, out, _ = run(runner, "data", "list", "physio", "-p", str(root))
    assert code == 0
    assert out.splitlines()[1].split() == ["line", "date", "unit", "value", "denominator"]
    assert "<F&G>" in out
    code, out, _ = run(runner, "data", "list", "physio", "-p", str(root), "--json")
    assert json.loads(out)["rows"][0]["unit"] == "Ward 1"


def test_a_rate_is_compared_with_exact_poisson_limits_around_the_pooled_rate(
    runner: CliRunner, write_project: WriteProject
) -> None:
    # Falls per 1,000 bed days: 30 falls in 3,000 bed days pool to 10 per 1,000. Each
    # unit's expected count is 1,000 × 0.01 = 10 falls, and the exact 95% Poisson limits
    # for a count of 10 are 4.7954 to 18.3904 (Garwood 1936; Ulm 1990's table): per
    # 1,000 bed days, 4.7954 to 18.3904 again.
    csv = "date,value,denominator,unit\n2026-01-05,8,1000,A\n2026-01-05,12,1000,B\n"
    csv += "2026-01-05,10,1000,C\n"
    root = write_project({"measures/falls.csv": csv})
    code, out, err = run(runner, "funnel", "falls", "-p", str(root), "-f", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["data_type"] == "SR" and data["centre"] == 10
    a = data["units"][0]
    assert (a["group"], a["exposure"], a["denominator"], a["value"]) == ("A", 1000, 10, 8)
    assert abs(a["lcl95"] - 4.7954) < 5e-4 and abs(a["ucl95"] - 18.3904) < 5e-4
    code, out, _ = run(runner, "funnel", "falls", "-p", str(root), "--width", "80")
    assert "exact Poisson limits" in out


def test_data_remove_takes_one_units_row_and_refuses_to_guess(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = project(write_project)
    csv_path = root / "measures" / "physio.csv"
    before = csv_path.read_text()
    code, _, err = run(runner, "data", "remove", "physio", "2026-02-01", "-p", str(root))
    assert code == 1 and "has a value for each of 6 units" in err and "--unit NAME" in err
    assert csv_path.read_text() == before
    code, _, err = run(
        runner, "data", "remove", "physio", "2026-02-01", "--unit", "Ward 2", "-p", str(root)
    )
    assert code == 0, err
    assert csv_path.read_text() == before.replace("2026-02-01,78,100,Ward 2\n", "")


def test_the_terminal_and_markdown_reports_draw_each_unit_and_json_lists_them(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project(
        {
            "measures/physio.yaml": PROPORTION_YAML + "own_unit: Ward 3\n",
            "measures/physio.csv": units_csv(),
        }
    )
    # terminal: the total's chart, then one chart per unit, the team's own marked
    code, out, err = run(runner, "report", str(root), "--width", "80")
    assert code == 0, err
    assert "Seen by a physio within 24 hours: 6 units on one scale" in out
    assert "▶ Ward 3 (your unit)" in out
    # the project's falls and restraint charts, physio's total, and its 6 units
    assert sum("┌" in line for line in out.splitlines()) == 2 + 1 + 6
    assert max(len(line) for line in out.splitlines()) <= 80
    # Markdown: a table of the units (hand calculation: each unit's pooled proportion
    # over its three months is its centre line, its March value the latest), then the
    # charts in a text block
    code, out, err = run(runner, "report", str(root), "--format", "markdown")
    assert code == 0, err
    assert "#### Seen by a physio within 24 hours, unit by unit" in out
    assert "| Unit | Latest | Centre line | Signals | Variation |" in out
    # Ward 1: 123 of 150 = 82%, March 41 of 50 = 82%; Ward 3: 60 of 75 = 80%, March
    # 21 of 25 = 84%; <F&G>: 87 of 180 = 48.3%, March 29 of 60 = 48.3%
    assert "| Ward 1 | 82% on 2026-03-01 | 82% | none |" in out
    assert "| Ward 3 **(your unit)** | 84% on 2026-03-01 | 80% | none |" in out
    assert "| &lt;F&amp;G&gt; | 48.3% on 2026-03-01 | 48.3% | none |" in out
    table_end = out.index("| &lt;F&amp;G&gt;")
    start = out.index("```text", table_end)
    block = out[start : out.index("\n```\n", start)]
    assert block.count("┌") == 6 and "▶ Ward 3 (your unit)" in block
    # JSON: each unit's figures under the measure
    code, out, err = run(runner, "report", str(root), "--format", "json")
    assert code == 0, err
    measures = {m["id"]: m for m in json.loads(out)["measures"]}
    assert "by_unit" not in measures["falls"]
    by_unit = measures["physio"]["by_unit"]
    assert by_unit["highlight"] == "Ward 3"
    units = {u["unit"]: u for u in by_unit["units"]}
    assert list(units) == list(UNITS)
    assert units["Ward 3"]["own"] and not units["Ward 1"]["own"]
    assert math.isclose(units["Ward 1"]["centre_line"], 82.0)
    assert math.isclose(units["Ward 3"]["centre_line"], 80.0)
    assert math.isclose(units["<F&G>"]["centre_line"], round(100 * 87 / 180, 4))
    assert units["Ward 3"]["latest"] == {"date": "2026-03-01", "value": 84.0}
    assert units["Ward 1"]["n_points"] == 3
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent.parent / "docs" / "report-schema.json").read_text())
    jsonschema.validate(json.loads(out), schema, cls=jsonschema.Draft7Validator)


def test_a_report_without_units_has_no_unit_section(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({})
    code, out, _ = run(runner, "report", str(root), "--format", "json")
    assert code == 0
    assert all("by_unit" not in m for m in json.loads(out)["measures"])
    code, out, _ = run(runner, "report", str(root), "--format", "markdown")
    assert "unit by unit" not in out


def test_validate_warns_when_own_unit_names_no_unit_of_the_data(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project(
        {
            "measures/physio.yaml": PROPORTION_YAML + "own_unit: ward 3\n",
            "measures/physio.csv": units_csv(),
        }
    )
    code, out, err = run(runner, "validate", str(root))
    assert code == 0, out + err  # a warning: the charts still draw, with no unit marked
    text = out + err
    assert "measures/physio.yaml:11:11: warning: own_unit: no unit 'ward 3' in physio.csv" in text
    assert "did you mean 'Ward 3'?" in text
    # a name far from every unit: the hint lists them
    (root / "measures" / "physio.yaml").write_text(PROPORTION_YAML + "own_unit: ICU\n")
    code, out, err = run(runner, "validate", str(root))
    assert "known units: <F&G>, Ward 1, Ward 2, Ward 3, Ward 4, Ward 5" in out + err
    # a CSV without a unit column
    (root / "measures" / "physio.csv").write_text(
        "date,value,denominator\n2026-01-01,40,50\n2026-02-01,42,50\n"
    )
    code, out, err = run(runner, "validate", str(root))
    assert "measures/physio.yaml:11:11: warning: own_unit: physio.csv has no unit column" in (
        out + err
    )
    # the right name: no warning
    (root / "measures" / "physio.yaml").write_text(PROPORTION_YAML + "own_unit: Ward 3\n")
    (root / "measures" / "physio.csv").write_text(units_csv())
    code, out, err = run(runner, "validate", str(root))
    assert "own_unit" not in out + err
