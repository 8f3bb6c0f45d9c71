"""`qi data list` and `qi data remove`: a measure's rows, with their lines."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from qi_cli.data import nearest_dates, remove_value
from qi_cli.files.loader import load_project
from tests.conftest import WriteProject, run
from tests.workflow_fixtures import snapshot

CSV = """\
date,value,denominator,note
2026-01-05,2,350,

2026-01-12,3,350,"bank holiday
week"
2026-01-19,1,350,
"""


def test_list_shows_rows_with_their_lines(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project({"measures/falls.csv": CSV})
    code, out, err = run(runner, "data", "list", "falls", "-p", str(root))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[1].split() == ["line", "date", "value", "denominator", "note"]
    assert lines[2].split() == ["2", "2026-01-05", "2", "350"]
    # a row over two lines (a note with a line break) is shown at the line it starts on
    assert lines[3].split() == ["4", "2026-01-12", "3", "350", "bank", "holiday", "week"]
    assert lines[4].split() == ["6", "2026-01-19", "1", "350"]


def test_list_json(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project()
    code, out, _ = run(runner, "data", "list", "restraint", "--json", "-p", str(root))
    assert code == 0
    data = json.loads(out)
    assert data["measure"] == "restraint"
    assert data["rows"][0] == {
        "line": 2,
        "date": "2026-01-05",
        "value": 4.0,
        "denominator": None,
        "note": None,
        "exclude": None,
    }
    assert len(data["rows"]) == 12


def test_remove_takes_out_one_row_and_keeps_the_others_as_written(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"measures/falls.csv": CSV})
    code, out, err = run(runner, "data", "remove", "falls", "2026-01-12", "-p", str(root))
    assert (code, err) == (0, "")
    assert "removed 2026-01-12: 3 of 350 (note: bank holiday week) (was " in out
    assert "falls.csv:4)" in out  # the line the row starts on
    text = (root / "measures" / "falls.csv").read_text(encoding="utf-8")
    assert text == "date,value,denominator,note\n2026-01-05,2,350,\n2026-01-19,1,350,\n"
    assert [r.date for r in load_project(root).data["falls"]] == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 19),
    ]


def test_remove_refuses_a_date_without_a_row_naming_the_nearest(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()
    before = snapshot(root)
    code, out, err = run(runner, "data", "remove", "falls", "2026-01-13", "-p", str(root))
    assert (code, out) == (1, "")
    assert "no row for 2026-01-13" in err
    assert "2026-01-05, 2026-01-12, 2026-01-19" in err
    assert snapshot(root) == before
    code, _, err = run(runner, "data", "remove", "falls", "13/01/2026", "-p", str(root))
    assert code == 2 and "is not a date" in err
    assert snapshot(root) == before


def test_remove_every_subgroup_value_of_a_date(write_project: WriteProject) -> None:
    measure = "name: Door to needle\nkind: process\ndata_type: subgroups\n"
    csv = "date,value\n2026-01-05,30\n2026-01-05,40\n2026-01-12,35\n"
    root = write_project({"measures/dtn.yaml": measure, "measures/dtn.csv": csv})
    project = load_project(root)
    removed = remove_value(root, "dtn", project.measures["dtn"], dt.date(2026, 1, 5))
    assert removed.rows == ((2, "30"), (3, "40"))
    assert (root / "measures" / "dtn.csv").read_text() == "date,value\n2026-01-12,35\n"


def test_nearest_dates() -> None:
    days = [dt.date(2026, 1, d) for d in (5, 12, 19, 26)]
    assert nearest_dates(days, dt.date(2026, 1, 30), n=2) == days[2:]
    assert nearest_dates([], dt.date(2026, 1, 30)) == []
