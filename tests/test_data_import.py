"""`qi data import` of spreadsheet exports as people's spreadsheets write them: thousands
separators, decimal commas, day/month dates, rows that cannot be kept."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.data_import import spreadsheet_number
from tests.conftest import WriteProject, run

RATE_YAML = "name: Falls rate\nkind: outcome\ndata_type: rate\nmultiply: 1000\n"


def falls_export(tmp_path: Path, rows: list[str], name: str = "falls-export.csv") -> Path:
    """A spreadsheet export as Excel writes it: quoted cells with commas, CRLF."""
    path = tmp_path / name
    path.write_bytes(("\r\n".join(["Month,Falls,Occupied bed days", *rows]) + "\r\n").encode())
    return path


def import_args(root: Path, source: Path, *extra: str) -> list[str]:
    return [
        "data", "import", "falls-rate", str(source), "--date-col", "Month",
        "--value-col", "Falls", "--denominator-col", "Occupied bed days", "-p", str(root), *extra,
    ]  # fmt: skip


def rate_project(write_project: WriteProject, csv: str | None = None) -> Path:
    return write_project({"measures/falls-rate.yaml": RATE_YAML, "measures/falls-rate.csv": csv})


def test_thousands_separators_are_read_and_named(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    # the field test's export: 1,198 bed days in a month, dates day-first
    root = rate_project(write_project)
    source = falls_export(
        tmp_path, ['01/01/2026,4,"1,198"', '01/02/2026,3,"1,076"', '01/03/2026,5,"1,201"']
    )
    code, out, err = run(runner, *import_args(root, source, "--dayfirst"))
    assert (code, err) == (0, "")
    assert "add 3, replace 0, 0 already there, 0 conflicts, 0 rejected" in out
    assert "+ 2026-01-01  4 of 1198" in out
    assert "note: ',' read as the thousands separator: 1,198 is 1198 (see --decimal-comma)" in out
    assert (root / "measures" / "falls-rate.csv").read_text() == (
        "date,value,denominator\n2026-01-01,4,1198\n2026-02-01,3,1076\n2026-03-01,5,1201\n"
    )


def test_decimal_comma_exports(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project()  # restraint is a count, falls a rate: use a continuous measure
    measure = "name: Length of stay\nkind: outcome\ndata_type: continuous\n"
    (root / "measures" / "los.yaml").write_text(measure)
    source = tmp_path / "los.csv"
    source.write_text("Week;Mean days\n2026-01-05;1.198,5\n2026-01-12;6,25\n2026-01-19;7\n")
    args = ["data", "import", "los", str(source), "--value-col", "Mean days",
            "--date-col", "Week", "-p", str(root)]  # fmt: skip
    code, out, err = run(runner, *args, "--decimal-comma")
    assert (code, err) == (0, "")
    assert "note: ',' read as the decimal mark and '.' as the thousands separator" in out
    assert (root / "measures" / "los.csv").read_text() == (
        "date,value\n2026-01-05,1198.5\n2026-01-12,6.25\n2026-01-19,7\n"
    )


def test_without_decimal_comma_a_comma_decimal_is_refused_with_the_flag_named(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project()
    (root / "measures" / "los.yaml").write_text("name: LOS\nkind: outcome\ndata_type: continuous\n")
    source = tmp_path / "los.csv"
    source.write_text("date;value\n2026-01-05;6,25\n2026-01-12;1.200\n")
    code, out, _ = run(runner, "data", "import", "los", str(source), "-p", str(root))
    assert code == 0
    assert "los.csv:2: '6,25' is not a number: ',' separates thousands (see --decimal-comma)" in out
    # 1.200 read as 1.2 is said, with the way to read it as 1200
    assert "note: '.' read as the decimal mark: 1.200 is 1.2 (see --decimal-comma)" in out


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("1,198", False, "1198"),
        ("12,345,678.5", False, "12345678.5"),
        ("1 198", False, "1198"),
        ("-1,000", False, "-1000"),
        ("4.5", False, "4.5"),
        ("1.198,5", True, "1198.5"),
        ("1.198", True, "1198"),
        ("6,25", True, "6.25"),
        ("1\u00a0198,5", True, "1198.5"),
    ],
)
def test_spreadsheet_numbers(text: str, decimal_comma: bool, expected: str) -> None:
    assert spreadsheet_number(text, decimal_comma=decimal_comma)[0] == expected


@pytest.mark.parametrize(
    ("text", "decimal_comma"), [("1,5", False), ("11,98", False), ("1,198.5", True)]
)
def test_spreadsheet_numbers_with_misplaced_separators(text: str, decimal_comma: bool) -> None:
    with pytest.raises(ValueError, match=r"thousands|decimal point"):
        spreadsheet_number(text, decimal_comma=decimal_comma)


def test_every_row_rejected_exits_1_and_creates_no_file(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = rate_project(write_project)  # the measure has no CSV yet
    source = falls_export(tmp_path, ['13/01/2026,4,"1,19"', '14/01/2026,3,"10,76"'])
    code, out, err = run(runner, *import_args(root, source))
    assert code == 1
    assert "2 rejected" in out
    assert "falls-export.csv:2: '1,19' is not a number" in out
    assert "nothing imported: all 2 rows were rejected" in err
    assert "--decimal-comma" in err
    assert not (root / "measures" / "falls-rate.csv").exists()
    code, out, err = run(runner, *import_args(root, source, "--format", "json"))
    assert code == 1
    assert json.loads(out)["written"] is False
    assert not (root / "measures" / "falls-rate.csv").exists()


def test_an_existing_file_is_left_as_it_was_when_every_row_is_rejected(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = rate_project(write_project, "date,value,denominator\n")
    source = falls_export(tmp_path, ["13/01/2026,x,100"])
    code, _, _ = run(runner, *import_args(root, source))
    assert code == 1
    assert (root / "measures" / "falls-rate.csv").read_text() == "date,value,denominator\n"


# --- the order of day and month ---------------------------------------------------------


def test_the_order_is_inferred_when_only_one_reading_is_possible(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = rate_project(write_project)
    rows = ["05/01/2026,2,900", "12/01/2026,3,910", "19/01/2026,1,905", "02/02/2026,4,899"]
    code, out, err = run(runner, *import_args(root, falls_export(tmp_path, rows)))
    assert (code, err) == (0, "")
    assert out.count("day/month") == 1  # said once, not per row
    assert "note: dates read as day/month/year: line 4's 19/01/2026 can only be read so" in out
    assert "+ 2026-01-05  2 of 900" in out  # 05/01 is 5 January, as the file's other dates say
    assert "+ 2026-02-02  4 of 899" in out
    rows = ["01/05/2026,2,900", "01/12/2026,3,910", "01/19/2026,1,905"]
    code, out, _ = run(runner, *import_args(root, falls_export(tmp_path, rows, "us.csv")))
    assert code == 0
    assert "dates read as month/day/year: line 4's 01/19/2026" in out
    assert "3 already there" in out  # the same dates as the day-first file's


def test_an_ambiguous_file_needs_a_flag_once(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = rate_project(write_project)
    source = falls_export(tmp_path, ["01/01/2026,2,900", "05/01/2026,3,910", "12/01/2026,1,905"])
    code, out, err = run(runner, *import_args(root, source))
    assert (code, out) == (2, "")
    # 01/01 reads the same both ways: the message names a date that does not
    assert err.count("could be day/month or month/day") == 1
    assert "falls-export.csv:3: dates such as 05/01/2026" in err
    assert "--dayfirst" in err and "--monthfirst" in err
    assert not (root / "measures" / "falls-rate.csv").exists()
    code, out, _ = run(runner, *import_args(root, source, "--monthfirst"))
    assert code == 0
    assert "+ 2026-05-01  3 of 910" in out


def test_the_project_setting_reads_an_ambiguous_file(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    from tests.conftest import PROJECT_YAML

    root = write_project(
        {
            "project.yaml": PROJECT_YAML + "settings:\n  dates: day-first\n",
            "measures/falls-rate.yaml": RATE_YAML,
        }
    )
    source = falls_export(tmp_path, ["03/04/2026,2,900"])
    code, out, _ = run(runner, *import_args(root, source))
    assert code == 0
    assert "+ 2026-04-03  2 of 900" in out
    assert "dates read as day/month/year (the project's settings.dates)" in out


def test_a_file_that_mixes_the_orders_is_refused_naming_both(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = rate_project(write_project)
    source = falls_export(tmp_path, ["13/01/2026,2,900", "01/20/2026,3,910"])
    code, _, err = run(runner, *import_args(root, source))
    assert code == 2
    assert "mix day/month (line 2: 13/01/2026) and month/day (line 3: 01/20/2026)" in err
    code, out, _ = run(runner, *import_args(root, source, "--dayfirst"))
    assert code == 0
    assert "falls-export.csv:3: " in out  # the other row, rejected with its line


# --- what cannot be a measurement ---------------------------------------------------------


def test_future_dates_are_rejected_unless_allowed(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = rate_project(write_project)
    future = dt.date.today() + dt.timedelta(days=400)
    source = tmp_path / "f.csv"
    source.write_text(f"Month,Falls,Occupied bed days\n2026-01-01,2,900\n{future},3,910\n")
    code, out, _ = run(runner, *import_args(root, source, "--dry-run"))
    assert code == 0
    assert f"f.csv:3: {future} is in the future" in out
    code, out, _ = run(runner, *import_args(root, source, "--dry-run", "--allow-future"))
    assert "would add 2" in out


def test_a_count_refuses_fractions_on_import(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project()
    source = tmp_path / "r.csv"
    source.write_text("date,value\n2026-03-30,2.5\n2026-04-06,3\n")
    code, out, _ = run(runner, "data", "import", "restraint", str(source), "-p", str(root))
    assert code == 0
    assert "r.csv:2: value 2.5 is not a whole number" in out
    assert "+ 2026-04-06  3" in out


def test_rejected_rows_name_the_import_flags_not_data_adds(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    # the reasons come from the library's checks, which name fields: `qi data import`
    # says them as its own flags (it has no --denominator), also in --format json
    root = write_project()
    (root / "measures" / "los.yaml").write_text(
        "name: Length of stay\nkind: outcome\ndata_type: continuous\n"
    )
    source = tmp_path / "los.csv"
    source.write_text("date,value,beds\n2026-01-05,4,10\n2026-01-12,'6,25',10\n")
    args = ["data", "import", "los", str(source), "--denominator-col", "beds", "-p", str(root)]
    code, out, err = run(runner, *args)
    assert code == 1
    assert "los.csv:2: --denominator-col: a continuous measure has no denominator" in out
    assert "{" not in out + err and "--denominator:" not in out
    code, out, _ = run(runner, *args, "--format", "json")
    reasons = [r["reason"] for r in json.loads(out)["rejected"]]
    assert reasons[0] == "--denominator-col: a continuous measure has no denominator"
    assert all("{" not in r for r in reasons)
