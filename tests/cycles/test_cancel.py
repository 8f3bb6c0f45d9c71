"""`qi cycle cancel`: a cycle stopped before its Act decision stays, marked, as evidence."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from typer.testing import CliRunner

from qi_cli.cycles.cancel import cancel_cycle
from qi_cli.drivers import change_status
from qi_cli.errors import QiError
from qi_cli.files.loader import load_project
from qi_cli.series import linked_cycles
from qi_cli.validate import validate_project
from tests.conftest import CYCLE_YAML, LOGGED_YAML, WriteProject, run
from tests.workflow_fixtures import snapshot

LOGGED = "cycles/2026-02-02-night-lights-a1b2.yaml"
PLANNED = "cycles/2026-03-02-night-lights-c3d4.yaml"
TODAY = dt.date.today().isoformat()


@pytest.mark.parametrize("ref", ["2", "#2", "2026-03-02-night-lights-c3d4", "2026-03"])
def test_cancel_keeps_the_cycle_with_date_and_reason(
    runner: CliRunner, write_project: WriteProject, ref: str
) -> None:
    root = write_project({PLANNED: CYCLE_YAML.replace("2026-02-0", "2026-03-0")})
    before = (root / PLANNED).read_text(encoding="utf-8")
    code, out, err = run(runner, "cycle", "cancel", ref, "--reason", "ward closed", "-p", str(root))
    assert (code, err) == (0, ""), err
    assert "cancelled cycle #2 c3d4" in out
    after = (root / PLANNED).read_text(encoding="utf-8")
    assert after == before + (
        f"cancelled:\n  date: {TODAY}\n  reason: ward closed\n"
        f"history:\n  - date: {TODAY}\n    reason: ward closed\n    fields:\n"
        "      - field: status\n        was: planned\n        now: cancelled\n"
    )
    assert yaml.safe_load(after)["plan"] == yaml.safe_load(before)["plan"]


def test_a_cancelled_cycle_is_shown_as_cancelled_and_not_coached(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({PLANNED: CYCLE_YAML.replace("2026-02-0", "2025-03-0")})
    project = load_project(root)
    assert any(i.code == "Q404" for i in validate_project(project))  # stale, before
    stem = "2026-03-02-night-lights-c3d4"
    code, _, _ = run(runner, "cycle", "cancel", stem, "--reason", "ward closed", "-p", str(root))
    assert code == 0
    project = load_project(root)
    assert not [i for i in validate_project(project) if i.code and i.code.startswith("Q4")]
    assert [i for i in validate_project(project) if i.severity == "error"] == []
    code, out, _ = run(runner, "cycle", "list", "-p", str(root))
    assert code == 0 and "cancelled" in out
    code, out, _ = run(runner, "cycle", "show", stem, "-p", str(root))
    assert code == 0
    assert "(cancelled)" in out and f"cancelled: {TODAY}: ward closed" in out
    code, out, _ = run(runner, "report", str(root))
    assert code == 0 and "cancelled" in out


def test_a_cancelled_cycle_does_not_count_towards_the_change_status(
    write_project: WriteProject,
) -> None:
    adopted = (CYCLE_YAML + LOGGED_YAML).replace("decision: adapt", "decision: adopt")
    root = write_project({LOGGED: adopted, PLANNED: CYCLE_YAML.replace("2026-02-0", "2026-03-0")})
    assert change_status(load_project(root), "night-lights") == "testing"
    cancel_cycle(root, load_project(root), "2", "ward closed", dt.date(2026, 3, 1))
    assert change_status(load_project(root), "night-lights") == "adopted"


@pytest.mark.parametrize(
    ("ref", "args", "code", "words"),
    [
        ("1", ("--reason", "x"), 1, "has its Act decision (adapt)"),
        ("2", ("--reason", "  "), 2, "--reason is empty"),
        ("9", ("--reason", "x"), 1, "no cycle '9'"),
        ("2", (), 2, "--reason"),
    ],
)
def test_refusals_change_no_byte(
    runner: CliRunner,
    write_project: WriteProject,
    ref: str,
    args: tuple[str, ...],
    code: int,
    words: str,
) -> None:
    root = write_project({PLANNED: CYCLE_YAML.replace("2026-02-0", "2026-03-0")})
    before = snapshot(root)
    got, out, err = run(runner, "cycle", "cancel", ref, *args, "-p", str(root))
    assert (got, out) == (code, "")
    assert words in err and "Traceback" not in err
    assert snapshot(root) == before


def test_cancelling_twice_is_refused_with_the_first_reason(write_project: WriteProject) -> None:
    root = write_project({PLANNED: CYCLE_YAML.replace("2026-02-0", "2026-03-0")})
    cancel_cycle(root, load_project(root), "2", "ward closed", dt.date(2026, 3, 1))
    before = snapshot(root)
    with pytest.raises(QiError, match="already cancelled on 2026-03-01: ward closed"):
        cancel_cycle(root, load_project(root), "2", "again", dt.date(2026, 3, 2))
    assert snapshot(root) == before


def test_old_files_without_the_field_stay_valid(write_project: WriteProject) -> None:
    project = load_project(write_project())
    assert project.cycles[0].cycle.cancelled is None
    assert project.cycles[0].cycle.status == "done"


def test_a_cancelled_cycle_is_not_drawn_on_its_measures_chart(write_project: WriteProject) -> None:
    root = write_project({PLANNED: CYCLE_YAML.replace("2026-02-0", "2026-03-0")})
    assert len(linked_cycles(load_project(root), "falls")) == 2
    cancel_cycle(root, load_project(root), "2", "ward closed", dt.date(2026, 3, 1))
    assert [c.number for c in linked_cycles(load_project(root), "falls")] == [1]


def test_a_cancelled_cycle_cannot_be_logged_and_is_not_open(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project({PLANNED: CYCLE_YAML.replace("2026-02-0", "2026-03-0")})
    cancel_cycle(root, load_project(root), "c3d4", "ward closed", dt.date(2026, 3, 1))
    before = snapshot(root)
    args = ("--did", "tried anyway", "--no-input", "-p", str(root))
    code, out, err = run(runner, "cycle", "log", "c3d4", *args)
    assert code == 1 and out == ""
    assert "was cancelled on 2026-03-01 (ward closed)" in err and "Traceback" not in err
    assert snapshot(root) == before
    # with no cycle named, the cancelled one is never the one logged
    code, _, err = run(runner, "cycle", "log", *args)
    assert code == 1 and "no open cycle" in err
    assert snapshot(root) == before
    code, out, err = run(runner, "cycle", "list", "--status", "cancelled", "-p", str(root))
    assert code == 0, err
    assert "c3d4" in out and "a1b2" not in out
    code, out, _ = run(runner, "cycle", "list", "--status", "open", "-p", str(root))
    assert "c3d4" not in out


def test_cancel_appends_to_the_history_and_keeps_earlier_entries(
    runner: CliRunner, write_project: WriteProject
) -> None:
    running = CYCLE_YAML.replace("2026-02-0", "2026-03-0") + (
        "do:\n  start: 2026-03-02\n"
        "history:\n"
        "  - date: 2026-03-01\n"
        "    reason: typo in the objective\n"
        "    fields:\n"
        "      - field: plan.objective\n"
        "        was: See wether\n"
        "        now: See whether\n"
    )
    root = write_project({PLANNED: running})
    cancel_cycle(root, load_project(root), "c3d4", "ward closed", dt.date(2026, 3, 4))
    (cycle,) = [c.cycle for c in load_project(root).cycles if c.short_id == "c3d4"]
    assert [(h.date, h.reason) for h in cycle.history] == [
        (dt.date(2026, 3, 1), "typo in the objective"),
        (dt.date(2026, 3, 4), "ward closed"),
    ]
    assert [(a.field, a.was, a.now) for a in cycle.history[1].fields] == [
        ("status", "running", "cancelled")
    ]
    code, out, _ = run(runner, "cycle", "show", "c3d4", "-p", str(root))
    assert code == 0
    assert "2026-03-04: ward closed\n      status: was: running; now: cancelled" in out
