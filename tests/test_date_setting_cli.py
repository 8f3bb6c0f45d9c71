"""A project's `settings.dates`: UK (or US) dates typed in flags and prompts, the ISO date
stored and echoed, and never a silent guess at 03/04/2026."""

from __future__ import annotations

import datetime as dt
import typing
from pathlib import Path

import pytest

from qi_cli import dates, project_model
from qi_cli.cli import prompts
from qi_cli.files.loader import load_project
from tests.workflow_fixtures import cycle_files, make_project, qi


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = make_project(tmp_path)
    result = qi(root, "project", "set", "settings.dates", "day-first")
    assert result.exit_code == 0, result.output
    assert "settings:\n  dates: day-first\n" in (root / "project.yaml").read_text()
    result = qi(root, "measure", "add", "Falls", "-k", "outcome", "-t", "count", "--id", "falls")
    assert result.exit_code == 0, result.output
    return root


def test_the_model_and_the_date_parser_know_the_same_orders() -> None:
    assert typing.get_args(project_model.DateOrder) == typing.get_args(dates.DateOrder)


def test_data_add_takes_day_first_dates_and_says_the_iso_date(root: Path) -> None:
    result = qi(root, "data", "add", "falls", "3", "--date", "31/01/2026")
    assert result.exit_code == 0, result.output
    assert "added 3 on 2026-01-31" in result.stdout
    # 03/04/2026 is 3 April in a day-first project, never 4 March
    result = qi(root, "data", "add", "falls", "2", "--date", "03/04/2026")
    assert "added 2 on 2026-04-03" in result.stdout
    text = (root / "measures" / "falls.csv").read_text()
    assert text == "date,value\n2026-01-31,3\n2026-04-03,2\n"
    result = qi(root, "data", "remove", "falls", "03/04/2026")
    assert result.exit_code == 0, result.output
    assert "removed 2026-04-03: 2" in result.stdout


def test_without_the_setting_a_day_first_date_is_refused_naming_it(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    qi(root, "measure", "add", "Falls", "-k", "outcome", "-t", "count", "--id", "falls")
    result = qi(root, "data", "add", "falls", "3", "--date", "31/01/2026")
    assert result.exit_code == 2
    assert "'31/01/2026' is not a date" in result.stderr
    assert "qi project set settings.dates day-first" in result.stderr
    assert (root / "measures" / "falls.csv").read_text() == "date,value\n"


def test_an_impossible_day_first_date_names_the_form(root: Path) -> None:
    result = qi(root, "data", "add", "falls", "3", "--date", "31/04/2026")
    assert result.exit_code == 2
    assert "31/04/2026 is not a date: day is out of range for month" in result.stderr
    assert "(DD/MM/YYYY)" in result.stderr


def test_cycle_flags_take_day_first_dates_and_echo_them(root: Path) -> None:
    result = qi(
        root, "cycle", "new", "--change", "physio-review", "--start", "02/03/2026",
        "--end", "06/03/2026", "--no-input",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--start: 02/03/2026 is 2026-03-02" in result.stdout
    assert "--end: 06/03/2026 is 2026-03-06" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert (cycle.plan.start, cycle.plan.end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 6))
    (path,) = cycle_files(root)
    ref = path.stem.rsplit("-", 1)[1]
    result = qi(
        root, "cycle", "log", ref, "--did", "Tried it", "--done-start", "03/03/2026",
        "--no-input",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--done-start: 03/03/2026 is 2026-03-03" in result.stdout
    do = load_project(root).cycles[0].cycle.do
    assert do is not None and do.start == dt.date(2026, 3, 3)


def test_prompts_take_day_first_dates(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    answers = [
        "Try the form",  # objective
        "test",  # purpose
        "one patient",  # scale
        "",  # no questions
        *[""] * 8,  # test and data collection who/what/when/where
        "31/02/2026",  # impossible: asked again with the form
        "02/03/2026",  # start: 2 March
        "06/03/2026",  # end
        "",  # measures
        "Sam",  # person
    ]
    result = qi(root, "cycle", "new", "--change", "physio-review", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Planned start (DD/MM/YYYY)" in result.stdout
    assert "check the day and the month (DD/MM/YYYY)" in result.stderr
    assert "start: 02/03/2026 is 2026-03-02" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert (cycle.plan.start, cycle.plan.end) == (dt.date(2026, 3, 2), dt.date(2026, 3, 6))
