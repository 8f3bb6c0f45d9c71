"""Shell completion of ids: measures, change ideas, cycles and drivers of the project."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import typer
from typer.testing import CliRunner

from qi_cli.cli import app
from qi_cli.cli.complete import (
    complete_change,
    complete_cycle,
    complete_driver,
    complete_measure,
    project_root,
)
from tests.conftest import WriteProject

CYCLE_ID = "2026-02-02-night-lights-a1b2"


def ctx(project: Path | None = None) -> typer.Context:
    return cast(typer.Context, SimpleNamespace(params={"project": project}))


def complete(runner: CliRunner, line: str, shell: str = "bash") -> list[str]:
    """What the shell offers after `line` (the last word is the one being completed)."""
    words = line.split(" ")
    env = {
        "_QI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
        "_TYPER_COMPLETE_ARGS": line,
        "NO_COLOR": "1",
    }
    result = runner.invoke(app, [], prog_name="qi", env=env)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return [line for line in result.stdout.splitlines() if line]


def test_ids_from_the_project_folder(write_project: WriteProject) -> None:
    root = write_project()
    assert complete_measure(ctx(root), "") == ["falls", "restraint"]
    assert complete_measure(ctx(root), "f") == ["falls"]
    assert complete_cycle(ctx(root), "2026") == [CYCLE_ID]
    assert complete_change(ctx(root), "") == [("night-lights", "Night lights in bays")]
    assert complete_driver(ctx(root), "") == [
        ("lighting", "Lighting at night"),
        ("safe-environment", "Safe ward environment"),
    ]
    assert complete_driver(ctx(root), "x") == []


def test_ids_are_offered_as_written(write_project: WriteProject) -> None:
    # YAML 1.1 would read these keys as True, 15 and False; qi's reader keeps the text
    drivers = """\
        drivers:
          no:
            name: No lifting alone
        changes:
          on:
            title: Call bell on
          017:
            title: Form 17
        """
    root = write_project({"drivers.yaml": drivers})
    assert complete_change(ctx(root), "") == [("017", "Form 17"), ("on", "Call bell on")]
    assert complete_change(ctx(root), "0") == [("017", "Form 17")]
    assert complete_driver(ctx(root), "") == [("no", "No lifting alone")]


def test_project_from_the_current_folder(
    write_project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project()
    monkeypatch.chdir(root / "measures")
    assert project_root(ctx()) == root.resolve()
    assert complete_measure(ctx(), "r") == ["restraint"]


def test_no_project_offers_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for function in (complete_measure, complete_cycle, complete_change, complete_driver):
        assert function(ctx(), "") == []
        assert function(ctx(tmp_path / "missing"), "") == []


@pytest.mark.parametrize(
    "drivers",
    ["drivers: [broken\n", "- a list\n", "drivers:\n  x: just text\nchanges: 3\n", "\xff"],
)
def test_unreadable_drivers_file_offers_what_it_can(
    drivers: str, write_project: WriteProject
) -> None:
    root = write_project({"drivers.yaml": drivers})
    assert complete_change(ctx(root), "") == []
    found: Any = complete_driver(ctx(root), "")
    assert found in ([], [("x", "")])


def test_shell_completes_measure_ids(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project())
    assert complete(runner, "qi chart ") == ["falls", "restraint"]
    assert complete(runner, "qi data add re") == ["restraint"]
    assert complete(runner, "qi cycle new --measure ") == ["falls", "restraint"]


def test_shell_completes_cycles_changes_and_drivers(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project())
    assert complete(runner, "qi cycle log ") == [CYCLE_ID]
    assert complete(runner, "qi cycle show 2026-02") == [CYCLE_ID]
    assert complete(runner, "qi cycle new --next ") == [CYCLE_ID]
    assert complete(runner, "qi cycle new --change ") == ["night-lights"]
    assert complete(runner, "qi cycle list --change n") == ["night-lights"]
    assert complete(runner, 'qi change add "Quiet hours" --driver ') == [
        "lighting",
        "safe-environment",
    ]
    assert complete(runner, "qi change list --driver l") == ["lighting"]
    assert complete(runner, "qi driver add Lamps --parent s") == ["safe-environment"]
    assert complete(runner, "qi measure add Lamps --driver s") == ["safe-environment"]


def test_zsh_shows_titles(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(write_project())
    (line,) = complete(runner, "qi cycle new --change ", shell="zsh")
    assert '"night-lights":"Night lights in bays"' in line


def test_project_option_on_the_line(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project()
    monkeypatch.chdir(tmp_path)
    assert complete(runner, "qi chart ") == []
    assert complete(runner, f"qi chart --project {root} ") == ["falls", "restraint"]
