"""`qi cycle log` never overwrites what was recorded without saying so, through the real CLI.

A recorded field changes only with `--amend --reason` (flags, prompts and the editor
alike), the plan is frozen once the test has started (`--amend-plan --reason`), each
amendment leaves a history entry, and held answers are yes / no / partly everywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qi_cli.cli import prompts
from qi_cli.files.loader import load_project
from tests.workflow_fixtures import cycle_files, fake_editor, make_project, qi, snapshot

PLAN = (
    "--change",
    "physio-review",
    "-q",
    "Will physio see the patient within 24 h?",
    "--prediction",
    "70%",
    "-q",
    "Will the form take under 2 minutes?",
    "--prediction",
    "Yes",
    "--start",
    "2025-03-03",
    "--no-input",
)
LOG = (
    "--did",
    "Tried on 3 patients",
    "--done-start",
    "2025-03-03",
    "--actual",
    "2 of 3",
    "--held",
    "yes",
    "--learned",
    "Weekend rota is the gap",
    "--decision",
    "adapt",
    "--no-input",
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def logged(root: Path) -> Path:
    """The file of cycle #1, planned and logged."""
    assert qi(root, "cycle", "new", *PLAN).exit_code == 0
    (path,) = cycle_files(root)
    result = qi(root, "cycle", "log", "1", *LOG)
    assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--decision", "abandon"), "act.decision is already 'adapt' (not changed to 'abandon')"),
        (("--did", "OVERWRITTEN"), "do.what_happened is already 'Tried on 3 patients'"),
        (("--learned", "OVERWRITTEN too"), "study.learned is already 'Weekend rota is the gap'"),
        (("--held", "partly"), "study.answers.1.held is already 'yes' (not changed to 'partly')"),
        (("--done-start", "2025-03-02"), "do.start is already '2025-03-03'"),
        (("--actual", "3 of 3"), "study.answers.1.actual is already '2 of 3'"),
    ],
)
def test_logging_a_recorded_field_is_refused_and_writes_nothing(
    root: Path, logged: Path, args: tuple[str, ...], said: str
) -> None:
    before = snapshot(root)
    result = qi(root, "cycle", "log", "1", *args, "--no-input")
    assert result.exit_code == 1
    assert said in result.stderr and "nothing was written" in result.stderr
    assert f"cycles/{logged.name}" in result.stderr
    assert "--amend --reason" in result.stderr and "Traceback" not in result.output
    assert snapshot(root) == before


def test_the_same_value_again_and_empty_fields_are_logged_as_before(
    root: Path, logged: Path
) -> None:
    result = qi(root, "cycle", "log", "1", "--decision", "adapt", "--next-steps", "Weekend")
    assert result.exit_code == 0, result.output
    assert "amended" not in result.stdout and "history" not in logged.read_text()


def test_an_amend_says_was_and_now_and_keeps_a_history_entry(root: Path, logged: Path) -> None:
    result = qi(
        root,
        "cycle",
        "log",
        "1",
        "--decision",
        "abandon",
        "--held",
        "partly",
        "--amend",
        "--reason",
        "decided at Monday's huddle",
    )
    assert result.exit_code == 0, result.output
    assert "amended act.decision\n  was: adapt\n  now: abandon" in result.stdout
    assert "amended study.answers.1.held\n  was: yes\n  now: partly" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert cycle.act is not None and cycle.act.decision == "abandon"
    assert cycle.study is not None and cycle.study.answers[0].held == "partly"
    (entry,) = cycle.history
    assert entry.reason == "decided at Monday's huddle"
    assert [(a.field, a.was, a.now) for a in entry.fields] == [
        ("study.answers.1.held", "yes", "partly"),
        ("act.decision", "adapt", "abandon"),
    ]
    assert "history:\n  - date: " in logged.read_text()
    assert qi(None, "validate", str(root)).exit_code == 0
    shown = qi(root, "cycle", "show", "1").stdout
    assert "History" in shown and "decided at Monday's huddle" in shown
    assert "act.decision: was: adapt; now: abandon" in shown
    # a second amendment appends; the first entry stays as it was
    again = qi(root, "cycle", "log", "1", "--decision", "adopt", "--amend", "--reason", "r2")
    assert again.exit_code == 0, again.output
    history = load_project(root).cycles[0].cycle.history
    assert [h.reason for h in history] == ["decided at Monday's huddle", "r2"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--decision", "abandon", "--amend"), "missing --reason"),
        (("--decision", "abandon", "--reason", "x"), "--reason is for an amendment"),
    ],
)
def test_amend_needs_a_reason_and_a_reason_needs_amend(
    root: Path, logged: Path, args: tuple[str, ...], said: str
) -> None:
    before = snapshot(root)
    result = qi(root, "cycle", "log", "1", *args, "--no-input")
    assert result.exit_code == 2 and said in result.stderr
    assert snapshot(root) == before


def test_editor_changing_a_logged_field_is_refused_without_amend(
    root: Path, logged: Path, tmp_path: Path
) -> None:
    before = snapshot(root)
    env = fake_editor(tmp_path, [[("decision: adapt", "decision: abandon")]])
    result = qi(root, "cycle", "log", "1", "--edit", env=env)
    assert result.exit_code == 1
    assert "act.decision is already 'adapt' (not changed to 'abandon')" in result.stderr
    assert snapshot(root) == before
    (tmp_path / "again").mkdir()
    env = fake_editor(tmp_path / "again", [[("decision: adapt", "decision: abandon")]])
    result = qi(root, "cycle", "log", "1", "--edit", "--amend", "--reason", "huddle", env=env)
    assert result.exit_code == 0, result.output
    assert "amended act.decision\n  was: adapt\n  now: abandon" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert [a.field for h in cycle.history for a in h.fields] == ["act.decision"]


def test_editor_cannot_change_a_prediction_once_the_test_started(
    root: Path, logged: Path, tmp_path: Path
) -> None:
    before = snapshot(root)
    env = fake_editor(tmp_path, [[("prediction: 70%", "prediction: 65%")]])
    result = qi(root, "cycle", "log", "1", "--edit", "--amend", "--reason", "x", env=env)
    assert result.exit_code == 1
    assert "the plan is frozen once the test has started" in result.stderr
    assert "plan.questions.1.prediction is already '70%'" in result.stderr
    assert "--amend-plan --reason" in result.stderr
    assert snapshot(root) == before


def test_amend_plan_changes_a_prediction_and_reports_mark_it(
    root: Path, logged: Path, tmp_path: Path
) -> None:
    env = fake_editor(tmp_path, [[("prediction: 70%", "prediction: 65%")]])
    result = qi(root, "cycle", "log", "1", "--amend-plan", "--reason", "typo in the plan", env=env)
    assert result.exit_code == 0, result.output
    assert "amended plan.questions.1.prediction\n  was: 70%\n  now: 65%" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert cycle.plan.questions[0].prediction == "65%"
    assert cycle.history[0].reason == "typo in the plan"
    assert qi(None, "validate", str(root)).exit_code == 0
    outputs = {
        fmt: qi(None, "report", str(root), "--format", fmt).stdout
        for fmt in ("terminal", "markdown", "html", "json")
    }
    assert "(prediction 1 amended)" in outputs["terminal"]
    assert "(prediction 1 amended)" in outputs["markdown"]
    assert '<span class="tag">prediction 1 amended</span>' in outputs["html"]
    report = json.loads(outputs["json"])
    assert [p["amended"] for p in report["cycles"][0]["predictions"]] == [True, False]


def test_held_partly_and_yes_are_accepted_by_flags_and_editor_and_written_canonically(
    root: Path, tmp_path: Path
) -> None:
    assert qi(root, "cycle", "new", *PLAN).exit_code == 0
    (path,) = cycle_files(root)
    assert qi(root, "cycle", "log", "1", "--held", "Partly", "--no-input").exit_code == 0
    assert 'held: "partly"' in path.read_text() or "held: partly" in path.read_text()
    env = fake_editor(
        tmp_path,
        [[("    - actual:\n      held:\n", "    - actual: 90 s\n      held: Y\n")]],
    )
    result = qi(root, "cycle", "log", "1", "--edit", env=env)
    assert result.exit_code == 0, result.output
    study = load_project(root).cycles[0].cycle.study
    assert study is not None and [a.held for a in study.answers] == ["partly", "yes"]
    assert "held: Y" not in path.read_text()
    shown = qi(root, "cycle", "show", "1").stdout
    assert "held: partly" in shown and "held: yes" in shown
    markdown = qi(None, "report", str(root), "--format", "markdown").stdout
    assert "1 of 2, 1 partly" in markdown


def test_old_true_false_answers_stay_valid(root: Path) -> None:
    (root / "cycles").mkdir(exist_ok=True)
    (root / "cycles" / "2025-03-01-physio-review-abcd.yaml").write_text(
        "change: physio-review\n"
        "plan:\n  questions:\n    - question: q\n      prediction: p\n"
        "study:\n  answers:\n    - held: true\n",
        encoding="utf-8",
    )
    assert qi(None, "validate", str(root)).exit_code == 0
    result = qi(root, "cycle", "log", "1", "--held", "yes", "--learned", "fine", "--no-input")
    assert result.exit_code == 0, result.output
    result = qi(root, "cycle", "log", "1", "--held", "no", "--no-input")
    assert result.exit_code == 1 and "held is already 'yes'" in result.stderr


def test_prompts_show_a_recorded_value_and_keep_it(
    root: Path, logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    answers = [
        "n",  # as planned?
        "",  # observations
        "",  # problems
        "",  # data collected
        "",  # last day
        "90 seconds",  # Q2 actual
        "partly",  # Q2 held
        "",  # next steps
    ]
    result = qi(root, "cycle", "log", "1", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "What happened: Tried on 3 patients (recorded)" in result.stdout
    assert "Decision: adapt (recorded)" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert cycle.study is not None
    assert [a.held for a in cycle.study.answers] == ["yes", "partly"]
    assert cycle.act is not None and cycle.act.decision == "adapt" and not cycle.history


def test_prompts_when_amending_offer_the_recorded_value(
    root: Path, logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    answers = [
        "",  # what happened: keep
        "",  # as planned?
        "",  # observations
        "",  # problems
        "",  # data collected
        "",  # date of the test: keep
        "",  # last day
        "",  # Q1 actual: keep
        "",  # Q1 held: keep
        "",  # Q2 actual
        "",  # Q2 held
        "",  # learned: keep
        "abandon",  # decision: changed
        "",  # next steps
    ]
    result = qi(
        root, "cycle", "log", "1", "--amend", "--reason", "huddle", input="\n".join(answers) + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "amended act.decision\n  was: adapt\n  now: abandon" in result.stdout
    cycle = load_project(root).cycles[0].cycle
    assert [a.field for h in cycle.history for a in h.fields] == ["act.decision"]


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of the file that holds `text`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_the_refusal_names_the_line_of_the_recorded_value(root: Path, logged: Path) -> None:
    line = _line_of(logged, "decision: adapt")
    result = qi(root, "cycle", "log", "1", "--decision", "abandon", "--no-input")
    assert result.exit_code == 1
    assert f"cycles/{logged.name}:{line}:13: act.decision is" in result.stderr.replace("\\", "/")
    did = _line_of(logged, "what_happened: Tried on 3 patients")
    result = qi(root, "cycle", "log", "1", "--did", "x", "--decision", "abandon", "--no-input")
    assert result.exit_code == 1
    assert f"cycles/{logged.name}:{did}:" in result.stderr
    assert f"do.what_happened (line {did}) is already" in result.stderr
    assert f"act.decision (line {line}) is already 'adapt'" in result.stderr


def test_the_editor_refusal_names_the_line_of_the_recorded_value(
    root: Path, logged: Path, tmp_path: Path
) -> None:
    line = _line_of(logged, "prediction: 70%")
    env = fake_editor(tmp_path, [[("prediction: 70%", "prediction: 65%")]])
    result = qi(root, "cycle", "log", "1", "--edit", "--amend", "--reason", "x", env=env)
    assert result.exit_code == 1
    assert f"cycles/{logged.name}:{line}:" in result.stderr
