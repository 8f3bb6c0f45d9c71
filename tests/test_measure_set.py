"""`qi measure set`: one field of a measure, checked as `qi measure add` checks one."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from qi_cli.measures import measure_fields, set_measure_field
from qi_cli.project import create_project
from tests.conftest import MEASURE_YAML, WriteProject, run
from tests.workflow_fixtures import snapshot

COMMENTED = "# Falls: the outcome measure\n" + MEASURE_YAML.replace(
    "direction: decrease", "direction: decrease  # fewer is better"
)


def test_fields_include_the_definition() -> None:
    fields = measure_fields()
    assert {"name", "direction", "target", "frequency", "chart", "method"} <= set(fields)
    assert "definition.numerator" in fields and "baseline.until" in fields
    assert "phases" not in fields and "exclude" not in fields


def test_set_changes_the_line_and_keeps_comments(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"measures/falls.yaml": COMMENTED})
    code, out, err = run(runner, "measure", "set", "falls", "target", "3", "-p", str(root))
    assert (code, err) == (0, "")
    assert "set target: 3 (was 4) in" in out and out.rstrip().endswith("falls.yaml")
    text = (root / "measures" / "falls.yaml").read_text(encoding="utf-8")
    assert text == COMMENTED.replace("target: 4", "target: 3")
    numerator = "falls recorded in the incident system"
    code, _, err = run(
        runner, "measure", "set", "falls", "definition.numerator", numerator, "-p", str(root)
    )
    assert (code, err) == (0, "")
    measure = load_project(root).measures["falls"]
    assert measure.definition is not None and measure.definition.numerator == numerator
    assert measure.target == 3
    assert "# fewer is better" in (root / "measures" / "falls.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("falls", "direction", "up"), "direction: 'up' is not allowed"),
        (("falls", "chart", "xbar"), "an xbar chart needs subgroups data"),
        (("falls", "method", "ihi"), "the IHI rules"),
        (("falls", "multiply", "0"), "multiply"),
        (("falls", "screen_outliers", "maybe"), "is not true or false"),
        (("falls", "colour", "red"), "no field 'colour'"),
        (("restraint", "data_type", "proportion"), "the data would no longer fit"),
        (("nope", "target", "3"), "no measure 'nope'"),
    ],
)
def test_bad_values_are_refused_and_change_no_byte(
    runner: CliRunner, write_project: WriteProject, args: tuple[str, ...], words: str
) -> None:
    root = write_project()
    before = snapshot(root)
    code, out, err = run(runner, "measure", "set", *args, "-p", str(root))
    assert code in (1, 2) and out == ""
    assert words in err and "Traceback" not in err
    assert snapshot(root) == before


def test_library_sets_a_boolean(write_project: WriteProject) -> None:
    root = write_project()
    change = set_measure_field(root, "falls", "screen-outliers", "false")
    assert (change.field, change.old, change.new) == ("screen_outliers", True, False)
    assert load_project(root).measures["falls"].screen_outliers is False


def test_set_refuses_a_baseline_with_both_until_and_points(
    runner: CliRunner, write_project: WriteProject
) -> None:
    """The whole measure is checked before writing: what `qi validate` would call an
    error is refused, exit 1, nothing written."""
    root = write_project({"measures/falls.yaml": MEASURE_YAML + "baseline:\n  until: 2026-03-01\n"})
    before = snapshot(root)
    code, _, err = run(runner, "measure", "set", "falls", "baseline.points", "12", "-p", str(root))
    assert code == 1
    assert "error: baseline: give `until` or `points`, not both: nothing was written" in err
    assert snapshot(root) == before


def test_set_refuses_a_line_break_in_the_name(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({"measures/falls.yaml": MEASURE_YAML})
    before = snapshot(root)
    code, _, err = run(runner, "measure", "set", "falls", "name", "Falls\nper day", "-p", str(root))
    assert code == 2
    assert "error: name contains a line break or a control character" in err
    assert snapshot(root) == before


def test_set_refuses_a_run_chart_for_making_data_count_as_validate_does(
    runner: CliRunner, tmp_path: Path
) -> None:
    """`chart: run` with `method: mdc` was written, and `qi validate` then called it an
    error: the two now share the rule."""
    root = create_project(tmp_path, "Rib", template="example", folder_name="rib")
    code, _, err = run(runner, "measure", "set", "time-to-physio", "method", "mdc", "-p", str(root))
    assert code == 0, err
    before = (root / "measures" / "time-to-physio.yaml").read_bytes()
    code, _, err = run(runner, "measure", "set", "time-to-physio", "chart", "run", "-p", str(root))
    assert code == 2 and "Making Data Count (method mdc) draws XmR charts" in err
    assert (root / "measures" / "time-to-physio.yaml").read_bytes() == before
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out
