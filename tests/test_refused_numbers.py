"""Values Python would read but a person did not mean are refused with a reason, on the
command line and in a CSV; an empty --id or --date is refused, not taken as the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from tests.conftest import WriteProject, run

CONTINUOUS_YAML = """\
name: Length of stay
kind: outcome
data_type: continuous
direction: decrease
definition:
  description: mean length of stay in days
"""


MEASURE_OPTIONS = ("--kind", "process", "--data-type", "count", "--direction", "decrease")


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every project file's bytes (not the lock a writer takes)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and p.name != ".qi.lock"
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("restraint", "1_000"), "without underscores"),
        (("restraint", "\uff15"), "digits 0-9"),  # a full-width 5
        (("restraint", "1\uff10"), "digits 0-9"),
        (("falls", "2.5", "--denominator", "300"), "numerator 2.5 is not a whole number"),
        (("falls", "2", "--denominator", "3_00"), "without underscores"),
    ],
)
def test_data_add_refuses_numbers_people_do_not_write(
    runner: CliRunner, write_project: WriteProject, args: tuple[str, ...], words: str
) -> None:
    root = write_project()
    before = _snapshot(root)
    code, out, err = run(runner, "data", "add", *args, "--date", "2026-03-30", "-p", str(root))
    assert code == 1, out + err
    assert words in err
    assert _snapshot(root) == before


@pytest.mark.parametrize(
    ("cell", "words"),
    [("1_000", "without underscores"), ("\uff15", "digits 0-9"), ("nan", "is not a number")],
)
def test_csv_refuses_numbers_people_do_not_write(
    write_project: WriteProject, cell: str, words: str
) -> None:
    csv = "date,value\n2026-01-05,4\n2026-01-12," + cell + "\n"
    root = write_project({"measures/restraint.csv": csv})
    errors = [i for i in load_project(root).errors if i.path.endswith("restraint.csv")]
    assert [(i.line, i.message) for i in errors] == [(3, f"value '{cell}' is not a number")]
    assert words in (errors[0].hint or "") + errors[0].message


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("1_000", "write it without underscores, e.g. 1000"),
        ("\uff15", "type the digits 0-9 (this one holds other characters, e.g. full-width digits)"),
    ],
)
def test_data_import_gives_the_hint_data_add_gives(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path, cell: str, hint: str
) -> None:
    root = write_project()
    source = tmp_path / "export.csv"
    source.write_text(f"date,value\n2026-03-30,{cell}\n2026-04-06,3\n", encoding="utf-8")
    code, out, err = run(runner, "data", "import", "restraint", str(source), "-p", str(root))
    assert code == 0, err
    assert f"export.csv:2: value '{cell}' is not a number: {hint}\n" in out
    _, _, add_err = run(
        runner, "data", "add", "restraint", cell, "--date", "2026-03-30", "-p", str(root)
    )
    assert f"hint: {hint}" in add_err


def test_a_rate_or_proportion_numerator_in_a_csv_is_a_whole_number(
    write_project: WriteProject,
) -> None:
    csv = "date,value,denominator\n2026-01-05,2,300\n2026-01-12,5.5,300\n"
    root = write_project({"measures/falls.csv": csv})
    errors = [i for i in load_project(root).errors if i.path.endswith("falls.csv")]
    assert [(i.line, i.message) for i in errors] == [(3, "numerator 5.5 is not a whole number")]


def test_denominator_on_a_continuous_measure_is_refused(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project(
        {"measures/stay.yaml": CONTINUOUS_YAML, "measures/stay.csv": "date,value\n"}
    )
    before = _snapshot(root)
    code, _, err = run(
        runner, "data", "add", "stay", "4.5", "--denominator", "10", "--date", "2026-03-30",
        "-p", str(root),
    )  # fmt: skip
    assert code == 2
    assert "a continuous measure has no denominator" in err
    assert _snapshot(root) == before


@pytest.mark.parametrize(
    "args",
    [
        ("data", "add", "restraint", "4", "--date", ""),
        ("project", "score", "2", "--date", ""),
        ("measure", "add", "Bed rails", *MEASURE_OPTIONS, "--id", ""),
        ("driver", "add", "Staffing", "--id", ""),
    ],
)
def test_empty_id_or_date_is_refused_not_defaulted(
    runner: CliRunner, write_project: WriteProject, args: tuple[str, ...]
) -> None:
    root = write_project()
    before = _snapshot(root)
    code, out, err = run(runner, *args, "-p", str(root))
    assert code == 2, out + err
    assert "empty" in err or "'' is not a valid" in err
    assert _snapshot(root) == before
