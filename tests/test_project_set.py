"""`qi project set`: one charter or aim field, checked by the model, comments kept."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from qi_cli.errors import FieldError
from qi_cli.files.loader import load_project
from qi_cli.project import set_field, settable_fields
from qi_cli.project_model import Project
from qi_cli.validate import validate_project
from tests.conftest import WriteProject, run
from tests.workflow_fixtures import snapshot

COMMENTED = """\
format: 1
title: Falls on ward 7   # the ward's own name for it
status: active
start_date: 2026-01-05
aim:
  # agreed with the sponsor in January
  statement: Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by 30 June 2026
  target: 4
"""


def test_settable_fields_are_the_charter_and_aim() -> None:
    fields = settable_fields(Project)
    assert {"title", "status", "sponsor", "aim.statement", "aim.target"} <= set(fields)
    assert fields["aim.target_date"] is dt.date
    assert "team" not in fields and "progress" not in fields and "format" not in fields


def test_set_keeps_comments_and_changes_only_the_line(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"project.yaml": COMMENTED})
    code, out, err = run(runner, "project", "set", "aim.target", "3.5", "-p", str(root))
    assert (code, err) == (0, "")
    assert "set aim.target: 3.5 (was 4) in" in out
    text = (root / "project.yaml").read_text(encoding="utf-8")
    assert text == COMMENTED.replace("target: 4", "target: 3.5")
    code, out, _ = run(runner, "project", "set", "sponsor", "Dr Helen Marsh", "-p", str(root))
    assert code == 0
    assert load_project(root).project is not None
    assert load_project(root).project.sponsor == "Dr Helen Marsh"  # type: ignore[union-attr]
    assert "# the ward's own name for it" in (root / "project.yaml").read_text(encoding="utf-8")


def test_set_the_aim_after_project_new(runner: CliRunner, tmp_path: object) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    code, _, _ = run(runner, "project", "new", "Falls", "--dir", str(base), "--no-input")
    assert code == 0
    root = base / "falls"
    statement = "Reduce falls from 8 to 4 per 1,000 bed days by June 2026"
    code, _, err = run(runner, "project", "set", "aim.statement", statement, "-p", str(root))
    assert (code, err) == (0, "")
    for field, value in (("aim.target", "4"), ("aim.target-date", "2030-06-30")):
        code, _, err = run(runner, "project", "set", field, value, "-p", str(root))
        assert (code, err) == (0, ""), field
    project = load_project(root)
    assert project.project is not None and project.project.aim is not None
    assert project.project.aim.statement == statement
    assert project.project.aim.target_date == dt.date(2030, 6, 30)
    assert [i for i in validate_project(project) if i.severity == "error"] == []


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("aim.target", "lots"), 2, "aim.target: 'lots' is not a number"),
        (("status", "done"), 2, "status: 'done' is not allowed"),
        (("start_date", "2026-02-30"), 2, "is not a date"),
        (("sponsr", "X"), 2, "did you mean sponsor?"),
        (("title", " "), 2, "title cannot be empty"),
        (("team", "Alex"), 2, "no field 'team'"),
    ],
)
def test_bad_values_are_refused_and_change_no_byte(
    runner: CliRunner, write_project: WriteProject, args: tuple[str, str], code: int, words: str
) -> None:
    root = write_project()
    before = snapshot(root)
    got, out, err = run(runner, "project", "set", *args, "-p", str(root))
    assert got == code
    assert words in err and "Traceback" not in err
    assert out == ""
    assert snapshot(root) == before


def test_an_aim_field_without_a_statement_says_what_to_set_first(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"project.yaml": "format: 1\ntitle: T\nstart_date: 2026-01-05\n"})
    before = snapshot(root)
    code, _, err = run(runner, "project", "set", "aim.target", "4", "-p", str(root))
    assert code == 2
    assert "aim.statement" in err and "set aim.statement first" in err
    assert snapshot(root) == before


def test_same_value_writes_nothing(write_project: WriteProject) -> None:
    root = write_project()
    before = snapshot(root)
    change = set_field(root, root / "project.yaml", Project, "status", "active")
    assert not change.changed
    assert snapshot(root) == before


def test_library_error_names_the_field(write_project: WriteProject) -> None:
    root = write_project()
    with pytest.raises(FieldError) as caught:
        set_field(root, root / "project.yaml", Project, "nonsense", "x")
    assert caught.value.field == "field"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("end_date", "2020-01-01"), "end_date is before start_date: nothing was written"),
        (("aim.target_date", "2025-12-31"), "aim.target_date 2025-12-31 is before the start date"),
    ],
)
def test_set_refuses_a_date_before_the_start(
    runner: CliRunner, write_project: WriteProject, args: tuple[str, str], words: str
) -> None:
    """The whole project.yaml is checked before writing, not only the field: a date
    `qi validate` would call an error is refused, exit 1, nothing written."""
    root = write_project({"project.yaml": COMMENTED})
    before = snapshot(root)
    code, out, err = run(runner, "project", "set", *args, "-p", str(root))
    assert code == 1, out + err
    assert f"error: {words}" in err
    assert "hint: the project's dates come on or after its start_date (2026-01-05)" in err
    assert snapshot(root) == before


def test_set_refuses_a_start_after_the_end(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project(
        {"project.yaml": COMMENTED.replace("status:", "end_date: 2026-12-31\nstatus:")}
    )
    before = snapshot(root)
    code, _, err = run(runner, "project", "set", "start_date", "2027-01-01", "-p", str(root))
    assert code == 1
    assert "error: end_date is before start_date: nothing was written" in err
    assert snapshot(root) == before
    code, _, err = run(runner, "project", "set", "start_date", "2026-12-31", "-p", str(root))
    assert (code, err) == (0, "")


def test_set_leaves_a_rule_the_file_broke_already_to_validate(
    runner: CliRunner, write_project: WriteProject
) -> None:
    """An old file whose end is before its start can still have another field set."""
    root = write_project(
        {"project.yaml": COMMENTED.replace("status:", "end_date: 2020-01-01\nstatus:")}
    )
    code, _, err = run(runner, "project", "set", "sponsor", "Dr Helen Marsh", "-p", str(root))
    assert (code, err) == (0, "")


@pytest.mark.parametrize("field", ["title", "sponsor", "ward"])
def test_set_refuses_a_line_break_in_a_one_line_field(
    runner: CliRunner, write_project: WriteProject, field: str
) -> None:
    """As `qi project new` refuses one in a title: exit 2, nothing written."""
    root = write_project({"project.yaml": COMMENTED})
    before = snapshot(root)
    code, _, err = run(runner, "project", "set", field, "a\nb", "-p", str(root))
    assert code == 2
    assert f"error: {field} contains a line break or a control character" in err
    assert snapshot(root) == before


def test_set_keeps_paragraphs_but_refuses_control_characters(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"project.yaml": COMMENTED})
    before = snapshot(root)
    code, _, err = run(runner, "project", "set", "problem", "red \x1b[31m text", "-p", str(root))
    assert code == 2
    assert "error: problem contains control characters" in err
    assert snapshot(root) == before
    code, _, err = run(runner, "project", "set", "problem", "One.\n\nTwo.", "-p", str(root))
    assert (code, err) == (0, "")
    loaded = load_project(root).project
    assert loaded is not None and loaded.problem == "One.\n\nTwo."


def test_an_outcome_measure_not_defined_yet_is_set_with_a_warning(
    runner: CliRunner, write_project: WriteProject
) -> None:
    """An aim is often written before its measures (the tutorial does): set, and told
    what is left to do, where `qi validate` alone called it an error later."""
    root = write_project()
    code, out, err = run(runner, "project", "set", "aim.outcome_measure", "fall", "-p", str(root))
    assert code == 0, out + err
    assert "set aim.outcome_measure: fall (was falls)" in out
    assert "warning: no measure 'fall' yet (known: falls, restraint)" in err
    assert "qi measure add NAME --id fall" in err
    code, _, err = run(
        runner, "project", "set", "aim.outcome_measure", "restraint", "-p", str(root)
    )
    assert code == 0 and err == ""
    assert load_project(root).project.aim.outcome_measure == "restraint"  # type: ignore[union-attr]
