"""`qi driver add`, `qi change add`, `qi change list`, `qi drivers` through the real CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qi_cli.cli import prompts
from qi_cli.files.loader import load_project
from tests.workflow_fixtures import make_project, qi, snapshot


def test_driver_add_primary_then_secondary(tmp_path: Path) -> None:
    root = make_project(tmp_path, drivers="drivers: {}\nchanges: {}\n")
    result = qi(root, "driver", "add", "Timely specialist assessment")
    assert result.exit_code == 0, result.output
    assert "added primary driver timely-specialist-assessment" in result.stdout
    result = qi(root, "driver", "add", "Weekend physio", "--parent", "timely-specialist-assessment")
    assert result.exit_code == 0, result.output
    assert "secondary driver weekend-physio" in result.stdout
    assert (root / "drivers.yaml").read_text() == (
        "drivers:\n"
        "  timely-specialist-assessment:\n"
        "    name: Timely specialist assessment\n"
        "  weekend-physio:\n"
        "    name: Weekend physio\n"
        "    parents:\n"
        "      - timely-specialist-assessment\n"
        "changes: {}\n"
    )


def test_driver_add_creates_a_missing_drivers_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "drivers.yaml").unlink()
    result = qi(root, "driver", "add", "Timely assessment", "--id", "timely")
    assert result.exit_code == 0, result.output
    project = load_project(root)
    assert project.drivers is not None and list(project.drivers.drivers) == ["timely"]
    text = (root / "drivers.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=.qi/schemas/drivers.schema.json\n")
    assert text.splitlines()[1].startswith("# The driver diagram")


@pytest.mark.parametrize(
    ("args", "message", "listed"),
    [
        (("driver", "add", "X", "--parent", "nope"), "no driver 'nope'", "timely-assessment"),
        (
            ("driver", "add", "Physio capacity at weekends", "--id", "weekend-physio"),
            "already a driver",
            "weekend-physio",
        ),
        (("driver", "add", "X", "--measure", "los"), "no measure 'los'", "none yet"),
        (("change", "add", "New idea", "-d", "nope"), "no driver 'nope'", "weekend-physio"),
        (("change", "add", "Physio review", "--id", "physio-review"), "already a change", ""),
        (("change", "add", "Thing", "--id", "Not An Id"), "not a valid id", ""),
        (("change", "list", "--driver", "nope"), "no driver 'nope'", "timely-assessment"),
        (("change", "list", "--status", "done"), "not a change idea status", "adopted"),
    ],
)
def test_bad_input_is_refused_listing_the_known_ids(
    tmp_path: Path, args: tuple[str, ...], message: str, listed: str
) -> None:
    root = make_project(tmp_path)
    before = snapshot(root)
    result = qi(root, *args)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert listed in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_id_and_parent_errors_name_the_flags(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    taken = qi(root, "driver", "add", "Again", "--id", "weekend-physio")
    assert taken.exit_code == 1
    assert "choose another id with --id" in taken.stderr
    orphan = qi(root, "driver", "add", "New", "--parent", "nowhere")
    assert orphan.exit_code == 1
    assert "no driver 'nowhere'" in orphan.stderr
    assert "a --parent must exist first" in orphan.stderr


def test_change_add_keeps_the_hand_edited_file(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    before = (root / "drivers.yaml").read_text()
    result = qi(root, "change", "add", "Weekend physio rota", "--driver", "weekend-physio")
    assert result.exit_code == 0, result.output
    assert "qi cycle new --change weekend-physio-rota" in result.stdout
    after = (root / "drivers.yaml").read_text()
    assert after == before + (
        "  weekend-physio-rota:\n    title: Weekend physio rota\n    drivers:\n"
        "      - weekend-physio\n"
    )


def test_change_add_without_a_driver_asks_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    root = make_project(tmp_path)
    result = qi(root, "change", "add", "Bedside physio sheet", input="weekend-physio\n")
    assert result.exit_code == 0, result.output
    assert "Which driver(s)" in result.stdout
    project = load_project(root)
    assert project.drivers is not None
    assert project.drivers.changes["bedside-physio-sheet"].drivers == ["weekend-physio"]


def test_change_add_without_a_driver_in_a_script_notes_it(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = qi(root, "change", "add", "Loose idea")
    assert result.exit_code == 0
    assert "not linked to a driver" in result.stderr


def _log(root: Path, change: str, decision: str) -> None:
    result = qi(root, "cycle", "new", "--change", change, "--start", "2025-03-01")
    assert result.exit_code == 0, result.output
    stem = sorted((root / "cycles").glob(f"*{change}*.yaml"))[-1].stem
    result = qi(root, "cycle", "log", stem, "--did", "done", "--decision", decision)
    assert result.exit_code == 0, result.output


def test_change_status_is_derived_from_cycles_everywhere(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = qi(root, "change", "list")
    assert [line.split()[-3] for line in result.stdout.splitlines()[1:]] == ["idea", "idea"]
    result = qi(root, "cycle", "new", "--change", "physio-review")
    assert result.exit_code == 0
    result = qi(root, "change", "list")
    assert "testing" in result.stdout
    _log(root, "early-analgesia", "abandon")
    result = qi(root, "change", "list", "--status", "abandoned")
    assert "early-analgesia" in result.stdout and "physio-review" not in result.stdout
    assert "1 (last #" in result.stdout
    tree = qi(root, "drivers").stdout
    assert "Physio review within 24 h [physio-review] testing, 1 cycle" in tree
    assert "Early analgesia protocol [early-analgesia] abandoned" in tree


def test_adopted_after_the_last_decision(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    _log(root, "physio-review", "adopt")
    assert "adopted" in qi(root, "change", "list", "--driver", "weekend-physio").stdout


def test_drivers_tree(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    result = qi(root, "drivers")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Aim: (no aim yet: add it to project.yaml)",
        "└── Timely specialist assessment [timely-assessment] primary",
        "    ├── Physio capacity at weekends [weekend-physio] secondary",
        "    │   └── ◆ Physio review within 24 h [physio-review] idea",
        "    └── ◆ Early analgesia protocol [early-analgesia] idea",
    ]


def test_a_driver_with_two_parents_is_shown_under_each(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        drivers="drivers:\n  a: {name: A}\n  b: {name: B}\n  c: {name: C, parents: [a, b]}\n"
        "changes:\n  x: {title: X, drivers: [c]}\n  y: {title: Y}\n",
    )
    lines = qi(root, "drivers").stdout.splitlines()
    assert sum("C [c]" in line for line in lines) == 2
    assert any("(shown above)" in line for line in lines)
    assert any("◆ Y [y] idea" in line for line in lines)


@pytest.mark.parametrize("columns", ["80", "120"])
def test_tables_fit_the_terminal_without_escape_codes(tmp_path: Path, columns: str) -> None:
    root = make_project(tmp_path)
    qi(root, "change", "add", "A much longer change idea title " * 3, "--driver", "weekend-physio")
    for args in (("drivers",), ("change", "list")):
        result = qi(root, *args, env={"COLUMNS": columns})
        assert result.exit_code == 0
        assert "\x1b[" not in result.stdout
        assert all(len(line) <= int(columns) for line in result.stdout.splitlines())
        assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_piped_real_process_has_no_escape_codes(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    for args in (["drivers"], ["change", "list"]):
        done = subprocess.run(
            [sys.executable, "-m", "qi_cli", *args, "-p", str(root)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "\x1b[" not in done.stdout and "weekend-physio" in done.stdout


def test_a_broken_drivers_file_is_reported_with_its_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, drivers="drivers:\n  a: {name: A\nchanges: {}\n")
    for args in (("drivers",), ("change", "list"), ("driver", "add", "B")):
        result = qi(root, *args)
        assert result.exit_code == 1
        assert "drivers.yaml:" in result.stderr and "fix it first" in result.stderr
        assert "Traceback" not in result.output


def test_outside_a_project(tmp_path: Path) -> None:
    result = qi(tmp_path, "drivers")
    assert result.exit_code == 1
    assert "not inside a qi project" in result.stderr


@pytest.mark.parametrize(
    "command", [("driver", "add"), ("change", "add"), ("change", "list"), ("drivers",)]
)
def test_every_command_has_an_example_and_project_option(command: tuple[str, ...]) -> None:
    result = qi(None, *command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "--project" in result.stdout
