"""Coaching warnings: one project per code that triggers exactly that code, at its place.

Each case changes one or two files of the clean base project (tests/conftest.py) and
expects exactly one issue: the warning with its code, at `path:line:column`. A test
also checks that every code in `CODES` has a case here, so a new code needs a test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from qi_cli.coaching import CODES
from tests.conftest import (
    BALANCING_YAML,
    CYCLE_YAML,
    DRIVERS_YAML,
    LOGGED_YAML,
    MEASURE_YAML,
    PROJECT_YAML,
    WriteProject,
    run,
    weekly_csv,
)

CYCLE = "cycles/2026-02-02-night-lights-a1b2.yaml"
TWELVE: list[float] = [2, 3, 1, 2, 4, 2, 3, 2, 1, 2, 3, 2]
HINT_WITHOUT_EXPLAIN: set[str] = set()
CONTINUOUS_YAML = """\
name: Length of stay
kind: outcome
data_type: continuous
direction: decrease
target: 5
definition:
  description: mean length of stay in days of patients discharged in the week
"""


@dataclass(frozen=True)
class Case:
    files: dict[str, str | None]
    where: str  # path:line:column, relative to the project folder
    message: str  # a part of the message


CASES: dict[str, Case] = {
    "Q101": Case(
        {
            "project.yaml": PROJECT_YAML.replace(
                "Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by 30 June 2026",
                "Reduce falls on our ward",
            ).replace("  target: 4\n", "")
        },
        "project.yaml:9:14",
        "the aim has no number",
    ),
    "Q102": Case(
        {"project.yaml": PROJECT_YAML.replace("  target_date: 2026-06-30\n", "")},
        "project.yaml:9:3",
        "no target date",
    ),
    "Q103": Case(
        {"project.yaml": PROJECT_YAML.replace("  population: adult inpatients on ward 7\n", "")},
        "project.yaml:9:3",
        "for whom",
    ),
    "Q104": Case(
        {"project.yaml": PROJECT_YAML.replace("  outcome_measure: falls\n", "")},
        "project.yaml:9:3",
        "no outcome measure is linked to the aim",
    ),
    "Q105": Case(
        {"project.yaml": PROJECT_YAML.split("aim:\n")[0] + "progress: []\n"},
        "project.yaml:1:1",
        "the project has no aim",
    ),
    "Q201": Case(
        {"measures/restraint.yaml": None, "measures/restraint.csv": None},
        "project.yaml:1:1",
        "no balancing measure",
    ),
    "Q202": Case(
        {"measures/falls.yaml": MEASURE_YAML.split("definition:")[0]},
        "measures/falls.yaml:1:1",
        "measure 'falls' has no operational definition",
    ),
    "Q203": Case(
        {"measures/falls.yaml": MEASURE_YAML.replace("direction: decrease\n", "")},
        "measures/falls.yaml:1:1",
        "measure 'falls' has no direction of improvement",
    ),
    "Q204": Case(
        {"measures/falls.yaml": MEASURE_YAML.replace("target: 4\n", "")},
        "measures/falls.yaml:1:1",
        "measure 'falls' has no target",
    ),
    "Q205": Case(
        {"measures/falls.yaml": MEASURE_YAML + "phases:\n  - date: 2026-02-02\n"},
        "measures/falls.yaml:12:5",
        "phase starting 2026-02-02 has no reason",
    ),
    "Q206": Case(
        {"measures/falls.csv": weekly_csv(TWELVE[:11], denominators=[350] * 11)},
        "measures/falls.yaml:1:1",
        "measure 'falls' has 11 useful points; stable u chart limits need at least 12",
    ),
    "Q207": Case(
        {"measures/falls.csv": None},
        "measures/falls.yaml:1:1",
        "measure 'falls' has no data file yet",
    ),
    "Q301": Case(
        {
            "measures/restraint.csv": weekly_csv([4, 5, 3, 4, 6, 4, 5, 4, 3, 4, 5, 4]).replace(
                "2026-01-12,5\n2026-01-19,3\n", "2026-01-19,3\n2026-01-12,5\n"
            )
        },
        "measures/restraint.csv:4:1",
        "not in date order",
    ),
    "Q302": Case(
        {
            "measures/restraint.csv": weekly_csv([4, 5, 3, 4, 6, 4, 5, 4, 3, 4, 5, 4, 2]).replace(
                "2026-01-19,3\n", ""
            )
        },
        "measures/restraint.csv:4:1",
        "no data between 2026-01-12 and 2026-01-26",
    ),
    "Q303": Case(
        {
            "measures/falls.yaml": MEASURE_YAML + "exclude:\n  - date: 2026-01-12\n",
            "measures/falls.csv": weekly_csv([*TWELVE, 2], denominators=[350] * 13),
        },
        "measures/falls.yaml:12:5",
        "excluded point 2026-01-12 has no reason",
    ),
    "Q401": Case(
        {CYCLE: CYCLE_YAML.replace("      prediction: Yes, 3 of 4 patients\n", "") + LOGGED_YAML},
        f"{CYCLE}:6:3",
        "cycle #1 a1b2 has no predictions",
    ),
    "Q402": Case(
        {
            CYCLE: CYCLE_YAML
            + LOGGED_YAML.replace(
                "    - actual: 3 of 4 left the light on\n      held: true\n", "    - held:\n"
            )
        },
        f"{CYCLE}:19:7",
        "cycle #1 a1b2: the Study answers 0 of 1 predictions (not question 1)",
    ),
    "Q403": Case(
        {CYCLE: CYCLE_YAML + LOGGED_YAML.replace("  decision: adapt\n", "")},
        f"{CYCLE}:23:3",
        "cycle #1 a1b2 has no Act decision",
    ),
    "Q404": Case(
        {CYCLE: CYCLE_YAML},
        f"{CYCLE}:1:1",
        "cycle #1 a1b2 was planned for 2026-02-03 and has not been logged",
    ),
    "Q405": Case(
        {CYCLE: CYCLE_YAML + LOGGED_YAML.replace("decision: adapt", "decision: adopt")},
        f"{CYCLE}:23:13",
        "change idea 'night-lights' was adopted after a single test",
    ),
    "Q406": Case(
        {CYCLE: CYCLE_YAML.replace("plan:\n", "created: 2026-11-30\nplan:\n") + LOGGED_YAML},
        f"{CYCLE}:5:10",
        "cycle #1 a1b2: predictions written after the test began "
        "(created 2026-11-30, Do started 2026-02-02)",
    ),
    "Q407": Case(
        {CYCLE: CYCLE_YAML + LOGGED_YAML.replace("  start: 2026-02-02\n", "  start: 2026-01-31\n")},
        f"{CYCLE}:15:10",
        "cycle #1 a1b2: Do started 2026-01-31, before the planned start 2026-02-02",
    ),
    "Q501": Case(
        {
            "drivers.yaml": DRIVERS_YAML.replace(
                "changes:\n",
                "  staffing:\n    name: Staff on the ward at night\n"
                "    parents: [safe-environment]\nchanges:\n",
            )
        },
        "drivers.yaml:8:5",
        "driver 'staffing' has no change idea",
    ),
    "Q502": Case(
        {"drivers.yaml": None, CYCLE: None},
        "drivers.yaml",
        "the project has no driver diagram",
    ),
    "Q601": Case(
        {
            "fishbone.yaml": """\
                effect: Falls at night on ward 7
                categories:
                  - name: environment
                    causes:
                      - cause: Dark bays at night
                        addressed_by: [night-lights]
                      - cause: Bed rails left down
                        out_of_scope: the bed rail audit is another project
                  - name: people
                    causes:
                      - cause: Patients walk alone to the toilet
                      - cause: Agency staff on nights
                        causes:
                          - cause: Handover misses who is at risk
                            addressed_by: [lighting]
                """
        },
        "fishbone.yaml:11:16",
        "cause 'Patients walk alone to the toilet' (people) is not addressed by any driver "
        "or change idea",
    ),
}


def issues_of(runner: CliRunner, root: object, *args: str) -> list[dict[str, object]]:
    code, out, err = run(runner, "validate", str(root), "--format", "json", *args)
    assert code in (0, 1), err
    assert "Traceback" not in err
    data = json.loads(out)
    issues: list[dict[str, object]] = data["issues"]
    return issues


def where(issue: dict[str, object], root: object) -> str:
    text = str(issue["path"]).removeprefix(f"{root}/")
    if issue["line"] is not None:
        text += f":{issue['line']}:{issue['column']}"
    return text


def test_every_code_has_a_case() -> None:
    assert sorted(CASES) == sorted(CODES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_is_reported_alone_at_its_place(
    code: str, write_project: WriteProject, runner: CliRunner
) -> None:
    case = CASES[code]
    root = write_project(case.files)
    issues = issues_of(runner, root)
    assert [(i["severity"], i["code"]) for i in issues] == [("warning", code)], issues
    assert where(issues[0], root) == case.where
    assert case.message in str(issues[0]["message"])
    hint = str(issues[0]["hint"])
    assert f"(qi explain {code})" in hint or (code in HINT_WITHOUT_EXPLAIN and code in hint)


@pytest.mark.parametrize("code", sorted(CASES))
def test_code_is_a_warning_that_strict_turns_into_a_failure(
    code: str, write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project(CASES[code].files)
    assert run(runner, "validate", str(root))[0] == 0
    assert run(runner, "validate", str(root), "--strict")[0] == 1
    assert run(runner, "validate", str(root), "--strict", "--ignore", code)[0] == 0


@pytest.mark.parametrize("code", sorted(CODES))
def test_code_is_documented(code: str) -> None:
    info = CODES[code]
    assert info.title and info.why and info.example and info.fix
    assert not info.title.endswith(".")


@pytest.mark.parametrize(
    ("measure", "points", "message"),
    [
        (CONTINUOUS_YAML, 9, "has 9 useful points; the run chart rules need at least 10"),
        (
            CONTINUOUS_YAML + "chart: i\nmethod: ihi\n",
            9,
            "has 9 useful points; the run chart rules need at least 10",
        ),
        (CONTINUOUS_YAML + "chart: i\n", 11, "has 11 useful points; stable i chart limits"),
        (
            CONTINUOUS_YAML + "chart: i\nmethod: mdc\n",
            12,
            "has 12 useful points; Making Data Count limits need at least 13",
        ),
    ],
)
def test_too_little_data_follows_the_method(
    measure: str, points: int, message: str, write_project: WriteProject, runner: CliRunner
) -> None:
    files: dict[str, str | None] = {
        "measures/los.yaml": measure,
        "measures/los.csv": weekly_csv([6.5 + (i % 3) for i in range(points)]),
    }
    issues = issues_of(runner, write_project(files))
    assert [(i["code"], i["path"]) for i in issues] == [
        ("Q206", str(write_project(files) / "measures/los.yaml"))
    ]
    assert message in str(issues[0]["message"])
    more = {"measures/los.csv": weekly_csv([6.5 + (i % 3) for i in range(points + 1)])}
    assert issues_of(runner, write_project({**files, **more}, name="more")) == []


def test_excluded_and_missing_points_are_not_useful(
    write_project: WriteProject, runner: CliRunner
) -> None:
    csv = weekly_csv([*TWELVE, 2], denominators=[350] * 13).replace(
        "2026-01-12,3,350", "2026-01-12,,350"
    )
    measure = MEASURE_YAML + "exclude:\n  - date: 2026-01-19\n    reason: IT outage\n"
    issues = issues_of(
        runner, write_project({"measures/falls.csv": csv, "measures/falls.yaml": measure})
    )
    assert [i["code"] for i in issues] == ["Q206"]
    assert "has 11 useful points" in str(issues[0]["message"])


def test_study_answer_per_prediction_in_order(
    write_project: WriteProject, runner: CliRunner
) -> None:
    cycle = CYCLE_YAML.replace(
        "      prediction: Yes, 3 of 4 patients\n",
        "      prediction: Yes, 3 of 4 patients\n"
        "    - question: Will the nurses switch them off in the morning?\n"
        "    - question: Will anyone complain about the light?\n"
        "      prediction: No\n",
    )
    root = write_project({CYCLE: cycle + LOGGED_YAML})
    issues = issues_of(runner, root)
    assert [i["code"] for i in issues] == ["Q402"]
    assert "answers 1 of 2 predictions (not question 3)" in str(issues[0]["message"])
    answers = LOGGED_YAML.replace(
        "      held: true\n", "      held: true\n    - actual: n/a\n    - held: true\n"
    )
    assert issues_of(runner, write_project({CYCLE: cycle + answers}, name="p2")) == []


def test_balancing_measure_needs_no_target(write_project: WriteProject, runner: CliRunner) -> None:
    assert "target:" not in BALANCING_YAML
    assert issues_of(runner, write_project()) == []


def test_silencing_needs_a_known_code_and_a_reason(
    write_project: WriteProject, runner: CliRunner
) -> None:
    project = PROJECT_YAML + (
        "settings:\n  ignore:\n    - code: Q210\n      reason: none fits\n"
        '    - code: Q201\n      reason: ""\n'
    )
    root = write_project({"project.yaml": project})
    issues = issues_of(runner, root)
    assert [(where(i, root), i["severity"], i["message"]) for i in issues] == [
        ("project.yaml:20:13", "error", "settings.ignore: no coaching code 'Q210'"),
        ("project.yaml:23:15", "error", "settings.ignore: Q201 is silenced without a reason"),
    ]
    assert "did you mean" in str(issues[0]["hint"])


def test_silenced_code_with_reason_is_not_reported(
    write_project: WriteProject, runner: CliRunner
) -> None:
    project = PROJECT_YAML + (
        "settings:\n  ignore:\n    - code: Q404\n      reason: cycles are logged at month end\n"
    )
    root = write_project({"project.yaml": project, CYCLE: CYCLE_YAML})
    assert issues_of(runner, root) == []
    assert run(runner, "validate", str(root), "--strict")[0] == 0


def test_select_keeps_only_the_chosen_codes(write_project: WriteProject, runner: CliRunner) -> None:
    files = {**CASES["Q401"].files, **CASES["Q203"].files}
    root = write_project(files)
    assert sorted(str(i["code"]) for i in issues_of(runner, root)) == ["Q203", "Q401"]
    assert [i["code"] for i in issues_of(runner, root, "--select", "Q401")] == ["Q401"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_q406_is_not_raised_when_git_shows_the_predictions_first(
    write_project: WriteProject, runner: CliRunner
) -> None:
    files = dict(CASES["Q406"].files)
    planned = str(files[CYCLE]).split("do:\n", 1)[0]
    root = write_project({CYCLE: planned})
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
        "GIT_AUTHOR_DATE": "2026-01-28T10:00:00",
        "GIT_COMMITTER_DATE": "2026-01-28T10:00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "plan"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)
    (root / CYCLE).write_text(str(files[CYCLE]))  # logged later, `created` still wrong
    assert "Q406" not in [i["code"] for i in issues_of(runner, root)]
