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

from qi_cli.aim_reading import when_in_aim, who_in_aim
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
LEARNED = "  learned: Patients like the lights; one found it too bright\n"
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
PROCESS_YAML = """\
title: Night-time toileting on ward 7
current:
  steps:
    call:
      kind: start
      label: Patient presses the call bell
      next: wait
    wait:
      kind: wait
      label: Wait for a nurse
      duration: 4 min
      next: walk
    walk:
      label: Nurse walks the patient to the toilet
      role: Healthcare assistant
      changes: [night-lights]
      next: back
    back:
      kind: end
      label: Back in bed
"""
STAKEHOLDERS_YAML = """\
stakeholders:
  night-staff:
    name: Night nursing team
    influence: high
    support: neutral
    needed: support
    plan: Share the falls chart at the night handover
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
        {
            "project.yaml": PROJECT_YAML.replace("  target_date: 2026-06-30\n", "").replace(
                " by 30 June 2026", ""
            )
        },
        "project.yaml:9:3",
        "no target date",
    ),
    "Q103": Case(
        {
            "project.yaml": PROJECT_YAML.replace(
                "  population: adult inpatients on ward 7\n", ""
            ).replace("falls on ward 7", "falls")
        },
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
    # a project in a git repository (a bare minimum of one) with no .gitattributes
    "Q304": Case(
        {".git/HEAD": "ref: refs/heads/main\n", ".git/objects/.keep": "", ".git/refs/.keep": ""},
        ".gitattributes",
        "measure data files will conflict when two git branches add data",
    ),
    # what a qi write killed between its temporary file and the rename leaves behind
    "Q305": Case(
        {"measures/.falls.csv.0123abcd.tmp": "date,value,denominator\n"},
        "measures/.falls.csv.0123abcd.tmp",
        "a temporary file left by a qi command that was cut short",
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
    "Q408": Case(
        {CYCLE: CYCLE_YAML + LOGGED_YAML.replace(LEARNED, "")},
        f"{CYCLE}:18:3",
        "cycle #1 a1b2 was adapted with nothing written under study.learned",
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
    "Q701": Case(
        {"process.yaml": PROCESS_YAML.replace("      role: Healthcare assistant\n", "")},
        "process.yaml:13:5",
        "step 'walk' has no role",
    ),
    "Q702": Case(
        {"process.yaml": PROCESS_YAML.replace("      duration: 4 min\n", "")},
        "process.yaml:8:5",
        "wait 'wait' has no typical duration",
    ),
    "Q801": Case(
        {"stakeholders.yaml": STAKEHOLDERS_YAML.replace("    plan: Share", "    role: Share")},
        "stakeholders.yaml:6:13",
        "stakeholder 'night-staff' must move from neutral to support but has no plan",
    ),
    "Q802": Case(
        {
            "stakeholders.yaml": STAKEHOLDERS_YAML.replace(
                "support: neutral", "support: opposition"
            ).replace("needed: support", "needed: opposition")
        },
        "stakeholders.yaml:6:13",
        "stakeholder 'night-staff' has high influence and is left in opposition",
    ),
    "Q901": Case(
        {CYCLE: CYCLE_YAML + LOGGED_YAML.replace("in 3 of 4 bed spaces", "for bed 4 Mrs Patel")},
        f"{CYCLE}:14:18",
        "likely patient-identifiable text: a bed with a patient's name 'bed 4 Mrs P****'",
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


# --- the aim sentence (Q102, Q103) and hints about this project ---------------------------

FIELD_TEST_AIM = (
    "Increase the proportion of patients with dementia who find the toilet unaided "
    "from 40% to 80% by 31 July 2026"
)


def with_aim(statement: str, extra: str = "", project: str = PROJECT_YAML) -> str:
    """The base project whose aim is `statement`, the outcome measure and `extra` lines."""
    head = project.split("aim:\n")[0]
    aim = f"aim:\n  statement: {json.dumps(statement)}\n  outcome_measure: falls\n{extra}"
    return head + aim + "progress:\n  - date: 2026-01-05\n    score: 1.0\n"


def test_the_field_test_aim_says_when_and_for_whom(
    write_project: WriteProject, runner: CliRunner
) -> None:
    assert issues_of(runner, write_project({"project.yaml": with_aim(FIELD_TEST_AIM)})) == []


@pytest.mark.parametrize(
    "when",
    [
        "by 31 July 2026",
        "by July 2026",
        "by 31/07/2026",
        "by end of March 2027",
        "by the end of March 2027",
        "by 2026-07-31",
        "by 31st July 2026",
        "by July 31, 2026",
        "by the end of 2026",
        "by Q2 2027",
        "within 6 months",
    ],
)
def test_a_date_in_the_aim_sentence_answers_by_when(
    when: str, write_project: WriteProject, runner: CliRunner
) -> None:
    statement = f"Reduce falls on Ward 10 from 8 to 4 per 1,000 bed days {when}"
    assert issues_of(runner, write_project({"project.yaml": with_aim(statement)})) == []


@pytest.mark.parametrize(
    "statement",
    [
        "Increase the share of patients with dementia who can find the toilet from 4 to 8 of 10",
        "Cut the stay of adults admitted with a hip fracture from 9 to 7 days",
        "Reduce falls in people aged 75 and over from 8 to 4 per 1,000 bed days",
        "Reduce falls in residents of Oak Lodge from 8 to 4 a month",
        "Raise vaccination in children under 5 from 80% to 95%",
        "Reduce falls on Ward 10 from 8 to 4 per 1,000 bed days",
        "Reduce waits in the emergency department from 6 to 4 hours",
        "Reduce falls in older people from 8 to 4 per 1,000 bed days",
    ],
)
def test_people_or_a_place_in_the_aim_sentence_answer_for_whom(
    statement: str, write_project: WriteProject, runner: CliRunner
) -> None:
    project = with_aim(statement, "  target_date: 2026-07-31\n")
    assert issues_of(runner, write_project({"project.yaml": project})) == []


def test_an_aim_without_date_or_people_is_still_coached(
    write_project: WriteProject, runner: CliRunner
) -> None:
    for statement in (
        "Reduce falls from 8 to 4 per 1,000 bed days",
        "Increase the proportion of patients by 20%",
    ):
        root = write_project({"project.yaml": with_aim(statement)}, name=f"p{len(statement)}")
        assert [i["code"] for i in issues_of(runner, root)] == ["Q102", "Q103"]


def hints(runner: CliRunner, root: object) -> dict[str, str]:
    return {str(i["code"]): str(i["hint"]) for i in issues_of(runner, root)}


def test_aim_hints_use_the_projects_own_words(
    write_project: WriteProject, runner: CliRunner
) -> None:
    project = with_aim("Reduce falls").replace(
        "start_date: 2026-01-05\n", "start_date: 2026-01-05\nend_date: 2026-12-31\n"
    )
    measure = MEASURE_YAML + "  inclusions: adults on Ward 10 with dementia\n"
    found = hints(runner, write_project({"project.yaml": project, "measures/falls.yaml": measure}))
    assert sorted(found) == ["Q101", "Q102", "Q103"]
    assert "'Falls per 1,000 bed days' should change, e.g. 'from <now> to 4'" in found["Q101"]
    assert "`target: 4`" in found["Q101"]
    assert "'by 31 December 2026' (the project's end date)" in found["Q102"]
    assert "`target_date: 2026-12-31`" in found["Q102"]
    assert "`population: adults on Ward 10 with dementia`" in found["Q103"]
    for hint in found.values():
        assert "rib fracture" not in hint and "7.2" not in hint


def test_aim_hints_without_end_date_or_inclusions_quote_the_project(
    write_project: WriteProject, runner: CliRunner
) -> None:
    project = with_aim("Reduce falls from 8 to 4 per 1,000 bed days")
    found = hints(runner, write_project({"project.yaml": project}))
    assert "('Reduce falls from 8 to 4 per 1,000 bed days by <date>')" in found["Q102"]
    # the rate's denominator is bed days, not people: the hint turns to the title
    assert "the title says 'on ward 7': say for whom in the aim too" in found["Q103"]
    assert "occupied bed days" not in found["Q103"]
    other = with_aim("Reduce falls").replace("title: Falls on ward 7", "title: Fewer falls")
    found = hints(runner, write_project({"project.yaml": other}, name="other"))
    assert "say whom 'Fewer falls' is for in the aim" in found["Q103"]


def test_q404_hint_names_the_cycle_and_the_cancel_command(
    write_project: WriteProject, runner: CliRunner
) -> None:
    hint = hints(runner, write_project(CASES["Q404"].files))["Q404"]
    assert "`qi cycle log a1b2`" in hint
    assert '`qi cycle cancel a1b2 --reason "why"`' in hint
    assert "abandon" not in hint and "abandon" not in CODES["Q404"].fix


@pytest.mark.parametrize("learned", ["  learned:\n", '  learned: "  "\n'])
def test_adapt_with_an_empty_learned_is_coached(
    learned: str, write_project: WriteProject, runner: CliRunner
) -> None:
    root = write_project({CYCLE: CYCLE_YAML + LOGGED_YAML.replace(LEARNED, learned)})
    found = hints(runner, root)
    assert list(found) == ["Q408"]
    assert '`qi cycle log a1b2 --learned "..."`' in found["Q408"]
    abandoned = LOGGED_YAML.replace(LEARNED, learned).replace("adapt", "abandon")
    assert issues_of(runner, write_project({CYCLE: CYCLE_YAML + abandoned}, name="p2")) == []


@pytest.mark.parametrize(
    "statement",
    [
        "Reduce falls from 8 to 4 per 1,000 bed days",
        "Cut waiting times by 50%",
        "Raise the score from 3.5 to 4.5 by 20 per cent",
        "Improve 2 wards",
    ],
)
def test_numbers_that_are_not_dates_do_not_answer_by_when(statement: str) -> None:
    assert when_in_aim(statement) is None


@pytest.mark.parametrize(
    "statement",
    [
        "Reduce falls by 2027",
        "Reduce patient falls",
        "Increase the proportion of patients by 20%",
        "Improve the patient experience",
    ],
)
def test_words_that_do_not_say_which_people_do_not_answer_for_whom(statement: str) -> None:
    assert who_in_aim(statement) is None
