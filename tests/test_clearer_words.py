"""Messages in plain words where Python, click or pydantic spoke before."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from tests.conftest import WriteProject, run

CONTINUOUS_YAML = """\
name: Change in weight
kind: outcome
data_type: continuous
direction: decrease
definition:
  description: change in weight in kg
"""


def _csv(root: Path, measure_id: str) -> str:
    return (root / "measures" / f"{measure_id}.csv").read_text(encoding="utf-8")


def test_cr_only_line_endings_are_named(write_project: WriteProject) -> None:
    root = write_project({"measures/restraint.csv": None})
    (root / "measures" / "restraint.csv").write_bytes(b"date,value\r2026-01-05,4\r")
    errors = [i for i in load_project(root).errors if i.path.endswith("restraint.csv")]
    assert [(i.line, i.message) for i in errors] == [
        (1, "lines end with a carriage return only (old Mac line endings)")
    ]
    assert "line endings" in (errors[0].hint or "")


def test_a_negative_value_is_a_value_where_the_measure_allows_it(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"measures/weight.yaml": CONTINUOUS_YAML, "measures/weight.csv": None})
    code, _, err = run(
        runner, "data", "add", "weight", "-1.5", "--date", "2026-03-02", "-p", str(root)
    )
    assert code == 0, err
    assert _csv(root, "weight").splitlines()[-1] == "2026-03-02,-1.5"
    # a count cannot be negative: refused with the reason, not "No such option"
    code, _, err = run(
        runner, "data", "add", "restraint", "-5", "--date", "2026-03-30", "-p", str(root)
    )
    assert code == 1
    assert "value -5 is negative" in err


def test_an_unknown_option_to_data_add_is_still_named(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    before = _csv(root, "restraint")
    code, _, err = run(runner, "data", "add", "restraint", "5", "--bogus", "-p", str(root))
    assert code == 2
    assert "no such option: --bogus" in err
    assert _csv(root, "restraint") == before


def test_chart_of_an_empty_date_range_says_so(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    code, out, _ = run(runner, "chart", "falls", "--from", "2027-01-01", "-p", str(root))
    assert code == 0
    # the base project's data: 12 weeks from 2026-01-05
    assert out.strip() == "no data from 2027-01-01: the data runs from 2026-01-05 to 2026-03-23"
    assert "add the first value" not in out


def test_measure_add_with_a_bad_driver_id_speaks_plainly(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    code, _, err = run(
        runner, "measure", "add", "Bed rails", "--kind", "process", "--data-type", "count",
        "--direction", "decrease", "--driver", "../../x", "-p", str(root),
    )  # fmt: skip
    assert code == 2
    assert "driver: '../../x' is not a valid id" in err
    assert "should match pattern" not in err


def test_data_add_to_a_cr_only_file_is_refused_unchanged(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    path = root / "measures" / "restraint.csv"
    path.write_bytes(b"date,value\r2026-01-05,4\r")
    code, _, err = run(
        runner, "data", "add", "restraint", "5", "--date", "2026-01-12", "-p", str(root)
    )
    assert code == 1
    assert "carriage return only" in err
    assert path.read_bytes() == b"date,value\r2026-01-05,4\r"


def test_a_data_folder_that_is_a_file_is_named(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"cycles/2026-02-02-night-lights-a1b2.yaml": None})
    (root / "cycles").write_text("not a folder\n", encoding="utf-8")
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert "cycles: error: 'cycles' is a file, not a folder" in out


def test_a_writer_names_a_data_folder_that_is_a_file(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"measures/falls.csv": None, "measures/restraint.csv": None})
    for path in (root / "measures").iterdir():
        path.unlink()
    (root / "measures").rmdir()
    (root / "measures").write_text("not a folder\n", encoding="utf-8")
    code, _, err = run(
        runner, "measure", "add", "Bed rails", "--kind", "process", "--data-type", "count",
        "--direction", "decrease", "-p", str(root),
    )  # fmt: skip
    assert code == 1
    assert "measures is a file, not a folder" in err
    assert "File exists" not in err
    assert (root / "measures").read_text(encoding="utf-8") == "not a folder\n"


def test_a_fifo_as_a_csv_is_not_a_regular_file(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"measures/restraint.csv": None})
    os.mkfifo(root / "measures" / "restraint.csv")
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert "measures/restraint.csv: error: cannot read: not a regular file" in out
    assert "broken link" not in out
