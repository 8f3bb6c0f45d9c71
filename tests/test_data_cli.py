"""`qi data add` and `qi data import` through the real CLI, and parallel writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from tests.conftest import WriteProject, run


def csv_text(root: Path, measure_id: str = "falls") -> str:
    return (root / "measures" / f"{measure_id}.csv").read_text(encoding="utf-8")


def test_add_appends_in_date_order(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, out, err = run(
        runner, "data", "add", "falls", "3", "--denominator", "340", "--date", "2026-03-30",
        "--note", "new beds", "-p", str(root),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "added 3 of 340 on 2026-03-30" in out
    assert out.splitlines()[0].endswith("falls.csv:14")
    assert csv_text(root).splitlines()[-1] == "2026-03-30,3,340,new beds"
    assert load_project(root).errors == []


def test_add_defaults_to_today(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, out, _ = run(runner, "data", "add", "restraint", "4", "-p", str(root), "-f", "json")
    assert code == 0
    assert json.loads(out)["row"] == {"date": dt.date.today().isoformat(), "value": "4"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["falls", "3"], "a rate needs a denominator"),
        (["falls", "three", "-n", "340"], "value 'three' is not a number"),
        (["falls", "3", "-n", "0"], "denominator 0 must be above zero"),
        (["falls", "3", "-n", "-5"], "denominator -5 must be above zero"),
        (["restraint", "--", "-2"], "value -2 is negative"),
    ],
)
def test_add_refusals_write_nothing(
    runner: CliRunner, write_project: WriteProject, args: list[str], message: str
) -> None:
    root = write_project()
    before = {p: csv_text(root, p) for p in ("falls", "restraint")}
    code, _, err = run(runner, "data", "add", "--date", "2026-03-30", "-p", str(root), *args)
    assert code == 1
    assert message in err
    assert "hint:" in err
    assert "Traceback" not in err
    assert {p: csv_text(root, p) for p in ("falls", "restraint")} == before


def test_proportion_numerator_above_denominator(
    runner: CliRunner, write_project: WriteProject
) -> None:
    measure = "name: Seen\nkind: process\ndata_type: proportion\n"
    root = write_project(
        {"measures/seen.yaml": measure, "measures/seen.csv": "date,value,denominator\n"}
    )
    code, _, err = run(runner, "data", "add", "seen", "12", "-n", "10", "-p", str(root))
    assert code == 1
    assert "numerator 12 is larger than denominator 10" in err
    assert csv_text(root, "seen") == "date,value,denominator\n"


def test_duplicate_names_the_line_and_replace_works(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    code, _, err = run(
        runner, "data", "add", "falls", "5", "-n", "350", "--date", "2026-01-12", "-p", str(root)
    )
    assert code == 1
    assert "falls.csv:3:1: already has a value for 2026-01-12: 3 of 350" in err
    code, out, _ = run(
        runner, "data", "add", "falls", "5", "-n", "350", "--date", "2026-01-12", "--replace",
        "-p", str(root),
    )  # fmt: skip
    assert code == 0
    assert "replaced 5 of 350 on 2026-01-12 (was 3 of 350)" in out
    assert csv_text(root).splitlines()[2] == "2026-01-12,5,350"


def test_usage_errors_exit_2(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, _, err = run(
        runner, "data", "add", "restraint", "4", "--date", "12/01/2026", "-p", str(root)
    )
    assert code == 2
    assert "'12/01/2026' is not a date" in err
    code, _, err = run(runner, "data", "add", "nope", "4", "-p", str(root))
    assert code == 1
    assert "no measure 'nope'" in err


def test_import_dry_run_then_import(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = write_project()
    source = tmp_path / "export.csv"
    source.write_bytes(
        "\ufeffWeek,Falls,Bed days,Extra\r\n"
        "30/03/2026,2,345,x\r\n"
        "\r\n"
        "06/04/2026,oops,340,\r\n"
        "12/01/2026,4,350,\r\n".encode()
    )
    args = ["data", "import", "falls", str(source), "--date-col", "Week", "--value-col", "falls",
            "--denominator-col", "3", "--dayfirst", "-p", str(root)]  # fmt: skip
    before = csv_text(root)
    code, out, err = run(runner, *args, "--dry-run")
    assert (code, err) == (0, "")
    assert "would add 1, would replace 0, 0 already there, 1 conflicts, 1 rejected" in out
    assert "+ 2026-03-30  2 of 345" in out
    assert "! 2026-01-12  has 3 of 350, file line 5 says 4 of 350" in out
    assert "export.csv:4: value 'oops' is not a number" in out
    assert "columns not used: Extra" in out
    assert "dry run: nothing was written" in out
    assert csv_text(root) == before
    code, out, _ = run(runner, *args, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["written"] is True
    assert data["rejected"] == [
        {
            "line": 4,
            "reason": "value 'oops' is not a number: "
            "write a number such as 12 or 4.5; leave it empty if missing",
        }
    ]
    assert csv_text(root) == before + "2026-03-30,2,345\n"


def test_import_missing_file(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, _, err = run(runner, "data", "import", "falls", "nope.csv", "-p", str(root))
    assert code == 1
    assert "nope.csv: file not found" in err


def test_twenty_parallel_adds_lose_no_row(write_project: WriteProject) -> None:
    root = write_project({"measures/restraint.csv": "date,value\n"})
    env = {**os.environ, "NO_COLOR": "1"}
    first = dt.date(2026, 1, 5)
    procs = []
    for k in range(20):
        date = (first + dt.timedelta(weeks=k)).isoformat()
        args = ["data", "add", "restraint", str(k), "--date", date, "-p", str(root)]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "qi_cli", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
            )
        )
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    project = load_project(root)
    assert project.errors == []
    rows = project.data["restraint"]
    assert [r.value for r in rows] == list(range(20))
    assert [r.date for r in rows] == [first + dt.timedelta(weeks=k) for k in range(20)]
    assert csv_text(root, "restraint").count("\n") == 21


def test_a_count_refuses_a_fraction(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    before = csv_text(root, "restraint")
    code, _, err = run(
        runner, "data", "add", "restraint", "2.5", "-d", "2026-03-30", "-p", str(root)
    )
    assert code == 1
    assert "refused: value 2.5 is not a whole number" in err
    assert "hint: a count measure counts" in err
    assert csv_text(root, "restraint") == before


def test_a_future_date_is_refused_unless_allowed(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    before = csv_text(root, "restraint")
    code, _, err = run(runner, "data", "add", "restraint", "4", "-d", later, "-p", str(root))
    assert code == 1
    assert f"refused: {later} is in the future (today is {dt.date.today()})" in err
    assert "--allow-future" in err
    assert csv_text(root, "restraint") == before
    code, out, _ = run(
        runner, "data", "add", "restraint", "4", "-d", later, "--allow-future", "-p", str(root)
    )
    assert code == 0
    assert f"added 4 on {later}" in out
