"""`qi validate`: exact positions, cross-file references, coaching codes, exit codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import (
    CYCLE_YAML,
    DRIVERS_YAML,
    LOGGED_YAML,
    MEASURE_YAML,
    PROJECT_YAML,
    WriteProject,
    run,
)


def lines_of(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": error:" in line or ": warning:" in line]


def test_base_project_is_clean(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project()
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out
    assert lines_of(out) == []
    assert out.strip().endswith("1 project: 0 errors, 0 warnings")


def test_unknown_key_with_did_you_mean(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"measures/falls.yaml": MEASURE_YAML.replace("direction:", "dirction:")})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/measures/falls.yaml:4:1: error: unknown key 'dirction'" in out
    assert "hint: did you mean 'direction'?" in out


def test_impossible_date_points_at_value(write_project: WriteProject, runner: CliRunner) -> None:
    cycle = CYCLE_YAML.replace("2026-02-03", "2026-02-30") + LOGGED_YAML
    root = write_project({"cycles/2026-02-02-night-lights-a1b2.yaml": cycle})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    line = next(x for x in lines_of(out) if "plan.end" in x)
    assert line.startswith(
        f"{root}/cycles/2026-02-02-night-lights-a1b2.yaml:11:8: error: plan.end:"
    )
    assert "YYYY-MM-DD" in out


def test_yes_is_not_a_boolean(write_project: WriteProject, runner: CliRunner) -> None:
    cycle = CYCLE_YAML + LOGGED_YAML.replace("as_planned: true", "as_planned: yes")
    root = write_project({"cycles/2026-02-02-night-lights-a1b2.yaml": cycle})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert ":13:27: error: do.carried_out_as_planned: 'yes' is not true or false" in out
    assert "write true or false" in out


def test_duplicate_key_names_both_lines(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"project.yaml": PROJECT_YAML + "status: completed\n"})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/project.yaml:18:1: error: duplicate key 'status' (first on line 3)" in out


def test_wrong_type_and_literal(write_project: WriteProject, runner: CliRunner) -> None:
    measure = MEASURE_YAML.replace("kind: outcome", "kind: result").replace(
        "target: 4", "target: four"
    )
    root = write_project({"measures/falls.yaml": measure})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert ":2:7: error: kind: 'result' is not allowed here" in out
    assert "choose one of: 'outcome', 'process' or 'balancing'" in out
    assert ":5:9: error: target: Input should be a valid number" in out


def test_missing_required_key_points_at_parent(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"project.yaml": PROJECT_YAML.replace("format: 1\n", "")})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/project.yaml:1:1: error: missing required key 'format'" in out


@pytest.mark.parametrize(
    ("written", "message", "hint"),
    [
        ('"1"', "the version must be a whole number, such as 1", "without quotes: format: 1"),
        ("true", "the version must be a whole number, such as 1", "without quotes: format: 1"),
        ("2", "version 2 is newer than this qi reads (it reads version 1)", "update qi"),
        ("0", "'0' is not allowed here", "choose one of: 1"),
    ],
)
def test_a_format_version_qi_cannot_read_says_why(
    write_project: WriteProject, runner: CliRunner, written: str, message: str, hint: str
) -> None:
    """`format: "1"` was told "choose one of: 1", and `format: true` passed as version 1."""
    root = write_project(
        {"project.yaml": PROJECT_YAML.replace("format: 1\n", f"format: {written}\n")}
    )
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/project.yaml:1:9: error: format: {message}\n" in out
    assert hint in out


def test_broken_references_list_known_ids(write_project: WriteProject, runner: CliRunner) -> None:
    drivers = DRIVERS_YAML.replace("drivers: [lighting]", "drivers: [lights]")
    cycle = (CYCLE_YAML + LOGGED_YAML).replace("change: night-lights", "change: night-light")
    cycle = cycle.replace("[falls]", "[fall]")
    project = PROJECT_YAML.replace("outcome_measure: falls", "outcome_measure: falls-rate")
    root = write_project(
        {
            "drivers.yaml": drivers,
            "project.yaml": project,
            "cycles/2026-02-02-night-lights-a1b2.yaml": cycle,
        }
    )
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    found = lines_of(out)
    assert (
        f"{root}/drivers.yaml:10:15: error: change idea 'night-lights': no driver 'lights'" in found
    )
    assert (
        f"{root}/project.yaml:10:20: error: aim.outcome_measure: no measure 'falls-rate'" in found
    )
    assert (
        f"{root}/cycles/2026-02-02-night-lights-a1b2.yaml:1:9: "
        "error: change: no change idea 'night-light'" in found
    )
    assert (
        f"{root}/cycles/2026-02-02-night-lights-a1b2.yaml:4:12: error: measures: no measure 'fall'"
        in found
    )
    assert "known: lighting, safe-environment" in out
    assert "known: night-lights" in out


def test_driver_loop_is_an_error(write_project: WriteProject, runner: CliRunner) -> None:
    drivers = DRIVERS_YAML.replace(
        "    name: Safe ward environment\n",
        "    name: Safe ward environment\n    parents: [lighting]\n",
    )
    root = write_project({"drivers.yaml": drivers})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert "the driver diagram has a loop:" in out
    assert (
        "safe-environment -> lighting -> safe-environment" in out
        or "lighting -> safe-environment -> lighting" in out
    )


def test_data_file_for_unknown_measure(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"measures/ghost.csv": "date,value\n2026-01-05,1\n"})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/measures/ghost.csv:1:1: error: data file for unknown measure 'ghost'" in out


def test_csv_errors_have_line_and_column(write_project: WriteProject, runner: CliRunner) -> None:
    csv = (
        "date,value,denominator\n2026-01-05,2,350\n2026-01-12,lots,350\n2026-01-19,400,350\n"
        "2026-02-30,1,350\n2026-01-26,1,0\n2026-01-26,1,300\n"
    )
    root = write_project({"measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    found = lines_of(out)
    path = f"{root}/measures/falls.csv"
    assert f"{path}:3:12: error: value 'lots' is not a number" in found
    assert f"{path}:5:1: error: '2026-02-30' is not a date" in found
    assert f"{path}:6:14: error: denominator 0 must be above zero" in found


def test_proportion_numerator_above_denominator(
    write_project: WriteProject, runner: CliRunner
) -> None:
    measure = MEASURE_YAML.replace("data_type: rate", "data_type: proportion").replace(
        "multiply: 1000", "multiply: 100"
    )
    csv = "date,value,denominator\n2026-01-05,12,10\n"
    root = write_project({"measures/falls.yaml": measure, "measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert (
        f"{root}/measures/falls.csv:2:12: error: numerator 12 is larger than denominator 10" in out
    )


def test_coaching_warnings_have_codes_and_do_not_fail(
    write_project: WriteProject, runner: CliRunner
) -> None:
    cycle = CYCLE_YAML.replace("      prediction: Yes, 3 of 4 patients\n", "")
    measure = MEASURE_YAML.replace("direction: decrease\n", "").replace("target: 4\n", "")
    root = write_project(
        {
            "cycles/2026-02-02-night-lights-a1b2.yaml": cycle,
            "measures/falls.yaml": measure,
            "measures/restraint.yaml": None,
            "measures/restraint.csv": None,
        }
    )
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out
    codes = {line.rsplit("[", 1)[1].rstrip("]") for line in lines_of(out)}
    assert {"Q401", "Q203", "Q204", "Q201"} <= codes
    code, out, _ = run(runner, "validate", str(root), "--strict")
    assert code == 1
    code, out, _ = run(runner, "validate", str(root), "--ignore", "Q401")
    assert "Q401" not in out


def test_project_setting_silences_a_code(write_project: WriteProject, runner: CliRunner) -> None:
    project = (
        PROJECT_YAML
        + "settings:\n  ignore:\n    - code: Q201\n      reason: no balancing measure fits\n"
    )
    root = write_project(
        {"project.yaml": project, "measures/restraint.yaml": None, "measures/restraint.csv": None}
    )
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0
    assert "Q201" not in out


def test_gap_in_weekly_data_is_a_warning(write_project: WriteProject, runner: CliRunner) -> None:
    csv = "date,value,denominator\n2026-01-05,2,350\n2026-01-12,3,350\n2026-01-26,1,350\n"
    root = write_project({"measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0
    assert (
        f"{root}/measures/falls.csv:4:1: warning: no data between 2026-01-12 and 2026-01-26" in out
    )


def test_rows_dated_in_the_future_are_named_by_the_earliest_and_counted(
    write_project: WriteProject, runner: CliRunner
) -> None:
    soon = dt.date.today() + dt.timedelta(days=7)
    later = soon + dt.timedelta(days=7)
    csv = f"date,value,denominator\n{later},2,350\n2026-01-05,3,350\n{soon},1,350\n"
    root = write_project({"measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root), "--ignore", "Q302")
    assert code == 0
    assert f"{root}/measures/falls.csv:4:1: warning: {soon} is in the future (and 1 more)" in out


def test_a_gap_is_shown_at_the_last_row_of_the_date_after_it(
    write_project: WriteProject, runner: CliRunner
) -> None:
    subgroups = MEASURE_YAML.replace("data_type: rate", "data_type: subgroups")
    csv = "date,value\n2026-01-05,2\n2026-01-26,3\n2026-01-12,3\n2026-01-26,4\n"
    root = write_project({"measures/falls.yaml": subgroups, "measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out
    assert (
        f"{root}/measures/falls.csv:5:1: warning: no data between 2026-01-12 and 2026-01-26" in out
    )


def test_json_format(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"measures/falls.yaml": MEASURE_YAML.replace("kind:", "knd:")})
    code, out, _ = run(runner, "validate", str(root), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["errors"] >= 1
    issue = next(i for i in data["issues"] if i["message"] == "unknown key 'knd'")
    assert (issue["line"], issue["column"], issue["severity"]) == (2, 1, "error")
    assert issue["hint"] == "did you mean 'kind'?"


def test_folder_of_projects_validates_all(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    write_project(name="a")
    write_project({"project.yaml": "format: 1\ntitle: [broken\n"}, name="b")
    code, out, _ = run(runner, "validate", str(tmp_path))
    assert code == 1
    assert "2 projects: 1 error" in out
    assert f"{tmp_path}/b/project.yaml:" in out


def test_usage_errors_exit_2(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = write_project()
    code, _, err = run(runner, "validate", str(root), "--format", "xml")
    assert code == 2
    assert "unknown format 'xml'" in err
    code, _, err = run(runner, "validate", "--no-such-flag")
    assert code == 2
    code, _, err = run(runner, "validate", str(tmp_path / "missing"))
    assert code == 1
    assert "no such folder" in err
    assert "Traceback" not in err


def test_hidden_and_yml_files(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project(
        {
            "measures/.falls.csv.swp": "junk",
            "cycles/.draft.yaml": "not: a cycle\n",
            "cycles/old.yml": CYCLE_YAML,
            "cycles/My Cycle.yaml": CYCLE_YAML,
        }
    )
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    found = lines_of(out)
    assert f"{root}/cycles/old.yml: error: qi reads .yaml files; this .yml file is ignored" in found
    assert (
        f"{root}/cycles/My Cycle.yaml: error: file name 'My Cycle.yaml' is not a valid id" in found
    )
    assert len(found) == 2, found  # hidden files are not read at all


def test_broken_measure_does_not_cascade(write_project: WriteProject, runner: CliRunner) -> None:
    root = write_project({"measures/falls.yaml": "name: [unclosed\n"})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    errors = [x for x in lines_of(out) if ": error:" in x]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{root}/measures/falls.yaml:2:1: error: YAML syntax error")


def test_csv_dates_must_be_iso(write_project: WriteProject, runner: CliRunner) -> None:
    csv = "date,value,denominator\n20260105,2,350\n2026-W03-1,2,350\n"
    root = write_project({"measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert "'20260105' is not a date" in out
    assert "'2026-W03-1' is not a date" in out


def test_unknown_column_keeps_reading_rows(write_project: WriteProject, runner: CliRunner) -> None:
    csv = "date,value,denominator,comment\n2026-01-05,2,350,x\n"
    root = write_project({"measures/falls.csv": csv})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/measures/falls.csv:1:24: error: unknown column 'comment'" in out
    assert "Q207" not in out


def test_mdc_needs_an_i_chart(write_project: WriteProject, runner: CliRunner) -> None:
    measure = MEASURE_YAML + "method: mdc\n"
    root = write_project({"measures/falls.yaml": measure})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert "method mdc (Making Data Count) draws an I chart, not a u chart" in out


def test_unknown_codes_in_select_and_ignore_are_refused(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project()
    code, _, err = run(runner, "validate", str(root), "--ignore", "Q4O1")
    assert code == 2
    assert "unknown coaching code 'Q4O1'" in err
    assert "did you mean Q401" in err
    code, _, _ = run(runner, "validate", str(root), "--ignore", "q401")
    assert code == 0


def test_a_count_with_a_fraction_is_an_error_at_its_line(
    write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({"measures/restraint.csv": "date,value\n2026-01-05,4\n2026-01-12,2.5\n"})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert f"{root}/measures/restraint.csv:3:12: error: value 2.5 is not a whole number" in out


def test_a_date_in_the_future_is_flagged(write_project: WriteProject, runner: CliRunner) -> None:
    import datetime as dt

    later = [dt.date.today() + dt.timedelta(days=d) for d in (370, 377)]
    rows = "".join(f"{day},3\n" for day in later)
    root = write_project({"measures/restraint.csv": "date,value\n2026-01-05,4\n" + rows})
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0
    assert (
        f"{root}/measures/restraint.csv:3:1: warning: {later[0]} is in the future (and 1 more)"
        in out
    )


# --- where validate looks -------------------------------------------------------------


def test_outside_a_project_validate_says_so_and_scans_nothing(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from a folder that holds projects but is none: no scan of everything below."""
    write_project(name="ward-7")
    write_project({"measures/falls.csv": "date,value\nnot-a-date,3\n"}, name="broken")
    parent = write_project(name="ward-7").parent
    monkeypatch.chdir(parent)
    code, out, err = run(runner, "validate")
    assert code == 1
    assert out == ""
    assert "not inside a qi project" in err
    assert "qi validate PATH" in err and "qi project new" in err


def test_an_explicit_folder_still_checks_every_project_under_it(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project(name="ward-7")
    parent = write_project({"measures/falls.csv": "date,value\nnot-a-date,3\n"}, name="broken")
    monkeypatch.chdir(parent.parent)
    code, out, _ = run(runner, "validate", ".")
    assert code == 1
    assert "broken/measures/falls.csv:2:1: error: 'not-a-date' is not a date" in out
    assert out.splitlines()[-1].startswith("2 projects: ")


def test_inside_a_project_folder_validate_checks_that_project(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project()
    monkeypatch.chdir(root / "measures")
    code, out, _ = run(runner, "validate")
    assert code == 0, out
    assert out.splitlines()[-1].startswith("1 project: 0 errors")
