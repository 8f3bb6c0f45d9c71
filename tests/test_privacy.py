"""Q901: likely patient-identifiable text, found in one string (`find_identifiable`) and
in every published field of a project on disk (`qi validate`, at `path:line:column`).

NHS numbers are checked against the modulus 11 check digit worked by hand (the module's
doc): 943 476 5919 is valid (sum 299, remainder 2, check 9); 485 777 3456 is not (sum
312, remainder 4, check 7), so 485 777 3457 is.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.privacy import find_identifiable, nhs_number_ok
from tests.conftest import CYCLE_YAML, LOGGED_YAML, PROJECT_YAML, WriteProject, run

TODAY = dt.date(2026, 11, 30)
CYCLE = "cycles/2026-02-02-night-lights-a1b2.yaml"


def found(text: str, *, staff: bool = False) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in find_identifiable(text, staff=staff, today=TODAY)]


# --- the pure function ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),  # 299 = 27×11 + 2 → check 9
        ("4857773456", False),  # 312 = 28×11 + 4 → check 7, not 6
        ("4857773457", True),
        ("2000000010", True),  # 2×10 + 1×2 = 22 = 2×11 + 0 → check 11, written 0
        ("2000000011", False),
        ("0000000000", False),  # passes the sum, never issued: a placeholder
        ("1111111111", False),
        ("943476591", False),  # nine digits
    ],
)
def test_nhs_check_digit(digits: str, valid: bool) -> None:
    assert nhs_number_ok(digits) is valid


def test_remainder_one_makes_no_nhs_number() -> None:
    # 1×10 + 1×2 = 12 = 11 + 1 → check 10: no tenth digit makes a valid number
    assert not any(nhs_number_ok(f"100000001{d}") for d in range(10))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NHS no 943 476 5919", [("an NHS number", "943 *** ****")]),
        ("NHS number 9434765919.", [("an NHS number", "943*******")]),
        ("485-777-3457 was on the list", [("an NHS number", "485-***-****")]),
        (
            "Mrs Jones, DOB 12/03/1941",
            [("a name with a date of birth", "Mrs J****, DOB **/**/****")],
        ),
        ("DOB: 12.03.41", [("a date of birth", "DOB: **.**.**")]),
        ("date of birth 1941-03-12", [("a date of birth", "date of birth ****-**-**")]),
        ("she was born 3 March 1941 in Leeds", [("a date of birth", "born * ***** ****")]),
        (
            "Mr Khan 3 March 1941 admitted",
            [("a name with a date of birth", "Mr K*** * ***** ****")],
        ),
        ("bed 4 Mrs Patel", [("a bed with a patient's name", "bed 4 Mrs P****")]),
        ("bay 2 bed 3 Mr O'Neill", [("a bed with a patient's name", "bay 2 bed 3 Mr O'*****")]),
        (
            "Mrs Smith-Jones in bed 12",
            [("a bed with a patient's name", "Mrs S****-***** in bed 12")],
        ),
        ("MRN 1234567", [("a hospital number", "MRN *******")]),
        ("hospital number: RX1234567", [("a hospital number", "hospital number: *********")]),
    ],
)
def test_each_pattern_is_found_and_masked(text: str, expected: list[tuple[str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "NHS no 485 777 3456",  # wrong check digit
        "943 476 59190",  # part of a longer number
        "0.9434765919",
        "Ward 7 bed days: 1,204 in March 2026",
        "Cycle 3 ran on 12/03/2026 on Ward 7",
        "Mr Liu, team lead, reviewed the chart on 12/03/2026",
        "Mr Liu on bay 2 ran the test",  # staff allocated to a bay
        "babies born 1 April 2025 to 31 March 2026",  # a population
        "the hospital number is recorded on admission",
        "patient number 5 of 12",
        "Dr Jones reviewed bed 4",
        "falls per 1,000 bed days",
        "newborn 12/03/2026",
    ],
)
def test_normal_qi_text_is_left_alone(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "NHS no 943\n  476 5919",
        "seen: 943\n476\t5919",
        "D.O.B.\t12/03/1941",
        "dOb 12/03/1941",
        "HOSP\nNO: RX1234567",
        "Patient\tID 1234567",
        "bed\n4 Mrs\n\nPatel",
        "Mrs\tJones,\n12/03/1941",
    ],
)
def test_text_over_lines_tabs_and_in_any_case_is_found_as_on_one_line(text: str) -> None:
    # the quick look for what a pattern needs sees the text as written
    assert found(text) == found(" ".join(text.split())) != []


def test_the_shortest_finding_of_each_kind_is_found() -> None:
    # short text is passed over at once: the shortest text any pattern finds still is
    assert found("MRN12345") == [("a hospital number", "MRN*****")]
    assert found("DOB1/3/41") == [("a date of birth", "DOB*/*/**")]
    assert [kind for kind, _ in found("bed4 Mr X")] == ["a bed with a patient's name"]
    assert found("MRN1234") == []  # four digits: no hospital number


def test_staff_fields_are_checked_for_numbers_not_names() -> None:
    assert found("Mr Liu, bay 2 lead", staff=True) == []
    assert found("Mr Liu, bay 2 lead") == [("a bed with a patient's name", "Mr L**, bay 2")]
    assert found("Mr Liu 9434765919", staff=True) == [("an NHS number", "943*******")]


def test_a_date_of_birth_is_an_old_date() -> None:
    assert found("Mrs Jones 12/03/2010") == [
        ("a name with a date of birth", "Mrs J**** **/**/****")
    ]  # 16 years before 2026
    assert found("Mrs Jones 12/03/2011") == []


def test_hostile_text_takes_linear_time() -> None:
    texts = ["Mrs Jones" + " " * 50_000 + "1", "bed 4" + ",,," * 20_000, "Mrs A " * 20_000 + "1"]
    start = time.perf_counter()
    for text in texts:
        find_identifiable(text, today=TODAY)
    assert time.perf_counter() - start < 5


# --- through `qi validate` ------------------------------------------------------------


def q901(runner: CliRunner, root: Path, *args: str) -> list[tuple[str, str]]:
    code, out, err = run(runner, "validate", str(root), "--format", "json", *args)
    assert code in (0, 1), err
    issues = json.loads(out)["issues"]
    return [
        (
            f"{Path(i['path']).relative_to(root).as_posix()}:{i['line']}:{i['column']}",
            i["message"],
        )
        for i in issues
        if i["code"] == "Q901"
    ]


def _cycle(observation: str) -> str:
    return CYCLE_YAML + LOGGED_YAML.replace(
        "  what_happened: Lights left on in 3 of 4 bed spaces\n",
        f"  what_happened: Lights left on in 3 of 4 bed spaces\n  observations: {observation}\n",
    )


@pytest.mark.parametrize(
    ("files", "where", "words"),
    [
        (
            {CYCLE: _cycle("NHS 943 476 5919 kept the light on")},
            f"{CYCLE}:15:17",
            "an NHS number '943 *** ****'",
        ),
        (
            {CYCLE: _cycle("Mrs Jones, DOB 12/03/1941, liked it")},
            f"{CYCLE}:15:17",
            "a name with a date of birth 'Mrs J****, DOB **/**/****'",
        ),
        (
            {CYCLE: _cycle("bed 4 Mrs Patel asked for it off")},
            f"{CYCLE}:15:17",
            "a bed with a patient's name 'bed 4 Mrs P****'",
        ),
        (
            {CYCLE: _cycle("MRN 1234567 declined")},
            f"{CYCLE}:15:17",
            "a hospital number 'MRN *******'",
        ),
        (
            {
                "project.yaml": PROJECT_YAML
                + "problem: |\n  Falls.\n  Mr Smith in bed 12 fell twice\n"
            },
            "project.yaml:18:10",
            "a bed with a patient's name 'Mr S**** in bed 12'",
        ),
        (
            {"drivers.yaml": "drivers:\n  lighting:\n    name: Lights for bed 4 Mrs Patel\n"},
            "drivers.yaml:3:11",
            "a bed with a patient's name",
        ),
        (
            {
                "measures/restraint.yaml": "name: Restraint\nkind: balancing\ndata_type: count\n"
                "direction: decrease\ndefinition:\n  description: born 3 March 1941\n"
            },
            "measures/restraint.yaml:6:16",
            "a date of birth 'born * ***** ****'",
        ),
        (  # an escape hides the title from a look at the file's text
            {
                "drivers.yaml": "drivers:\n  lighting:\n"
                '    name: "Lights for bed 4 \\u004Drs Patel"\n'
            },
            "drivers.yaml:3:11",
            "a bed with a patient's name 'bed 4 Mrs P****'",
        ),
        (  # a folded text over lines is one line of words
            {
                "drivers.yaml": "drivers:\n  lighting:\n"
                "    name: >\n      seen 943\n      476\n      5919\n"
            },
            "drivers.yaml:3:11",
            "an NHS number '943 *** ****'",
        ),
        (
            {"events.yaml": "events:\n  - date: 2026-02-02\n    text: Mr Khan (bed 9) moved\n"},
            "events.yaml:3:11",
            "a bed with a patient's name",
        ),
        (
            {
                "fishbone.yaml": "effect: Falls at night\ncategories:\n  People:\n"
                "    - cause: bay 2 bed 3 Mr O'Neill gets up alone\n"
            },
            "fishbone.yaml:4:14",
            "a bed with a patient's name",
        ),
        (
            {
                "stakeholders.yaml": "stakeholders:\n  family:\n"
                "    name: Family of bed 4 Mrs Patel\n"
                "    influence: low\n    support: support\n    needed: support\n"
                "    plan: Call on 9434765919\n"
            },
            "stakeholders.yaml:7:11",
            "an NHS number",
        ),
        (
            {
                "measures/restraint.csv": "date,value,note\n2026-01-05,4,\n"
                "2026-01-12,5,bed 4 Mrs Patel twice\n"
            },
            "measures/restraint.csv:3:1",
            "a bed with a patient's name 'bed 4 Mrs P****'",
        ),
        (
            {
                "measures/restraint.csv": "date,value,note,exclude\n2026-01-05,4,,\n"
                "2026-01-12,5,,MRN 1234567 transferred\n"
            },
            "measures/restraint.csv:3:1",
            "a hospital number",
        ),
    ],
)
def test_validate_warns_at_the_field(
    runner: CliRunner,
    write_project: WriteProject,
    files: dict[str, str],
    where: str,
    words: str,
) -> None:
    root = write_project(files)
    issues = q901(runner, root)
    assert [w for w, _ in issues] == [where], issues
    assert words in issues[0][1]


def test_the_text_is_never_shown_in_full(runner: CliRunner, write_project: WriteProject) -> None:
    root = write_project({CYCLE: _cycle("Mrs Jones, DOB 12/03/1941, NHS 943 476 5919, bed 4")})
    code, out, err = run(runner, "validate", str(root))
    assert code == 0, err
    assert f"{CYCLE}:15:17: warning: likely patient-identifiable text: " in out
    assert "Q901" in out and "(qi explain Q901)" in out and "a patient" in out
    for secret in ("Jones", "12/03/1941", "1941", "476", "5919"):
        assert secret not in out + err


@pytest.mark.parametrize(
    "observation",
    [
        "NHS 485 777 3456 kept the light on",  # wrong check digit
        "Ward 7 bed days rose",
        "the cycle ran 12/03/2026 to 14/03/2026",
    ],
)
def test_near_misses_pass_validate(
    runner: CliRunner, write_project: WriteProject, observation: str
) -> None:
    assert q901(runner, write_project({CYCLE: _cycle(observation)})) == []


def test_staff_are_not_patients(runner: CliRunner, write_project: WriteProject) -> None:
    project = (
        PROJECT_YAML.replace(
            "  - name: Alex Moss\n    role: Project lead\n",
            "  - name: Mr Liu\n    role: bay 2 lead nurse\n",
        )
        + "sponsor: Mrs Patel, bed 4 manager\ncoach: Ms Green\n"
    )
    cycle = CYCLE_YAML.replace("person: Alex Moss", "person: Mr Liu, bay 2") + LOGGED_YAML
    assert q901(runner, write_project({"project.yaml": project, CYCLE: cycle})) == []


def test_settings_are_not_published(runner: CliRunner, write_project: WriteProject) -> None:
    project = PROJECT_YAML + (
        "settings:\n  ignore:\n    - code: Q201\n      reason: bed 4 Mrs Patel is a test\n"
    )
    assert q901(runner, write_project({"project.yaml": project})) == []


def test_a_private_project_is_still_checked(runner: CliRunner, write_project: WriteProject) -> None:
    files = {
        "project.yaml": PROJECT_YAML + "visibility: private\n",
        CYCLE: _cycle("bed 4 Mrs Patel asked for it off"),
    }
    assert [w for w, _ in q901(runner, write_project(files))] == [f"{CYCLE}:15:17"]


def test_silenced_with_a_reason(runner: CliRunner, write_project: WriteProject) -> None:
    project = PROJECT_YAML + (
        "settings:\n  ignore:\n    - code: Q901\n"
        "      reason: the bed names are the ward's teaching mannequins\n"
    )
    root = write_project({"project.yaml": project, CYCLE: _cycle("bed 4 Mrs Patel asked")})
    assert q901(runner, root) == []
    code, _, _ = run(runner, "validate", str(root), "--strict")
    assert code == 0


def test_explain_q901(runner: CliRunner) -> None:
    code, out, err = run(runner, "explain", "Q901")
    assert code == 0, err
    assert out.startswith("Q901: text that may identify a patient\n")
    assert "write 'a patient' instead" in out
    code, out, _ = run(runner, "explain")
    assert "Sharing: text that may identify a patient" in out and "  Q901  " in out


def test_a_number_written_bare_and_a_list_item_are_looked_at(
    runner: CliRunner, write_project: WriteProject
) -> None:
    files = {
        "events.yaml": "events:\n  - date: 2026-02-02\n    text: 9434765919\n",
        "fishbone.yaml": "effect: Falls at night\ncategories:\n  People:\n"
        "    - cause: gets up alone\n    - cause: bed 4 Mrs Patel gets up alone\n",
    }
    where = [w for w, _ in q901(runner, write_project(files))]
    assert where == ["fishbone.yaml:5:14", "events.yaml:3:11"]


def test_a_date_alone_is_no_ones() -> None:
    # the project check passes over a value that is a date alone (a cycle's `start`)
    # without looking at it: nothing may ever be found in one
    for date in ("1941-03-12", "2026-02-02", "9434-76-5919"[:10]):
        assert found(date) == [] and found(date, staff=True) == []
