"""Team work in git: two branches that each add data, a cycle and a measure merge
cleanly, and what git cannot merge is named at its line. Real git, real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from tests.conftest import run

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

# the user's own git configuration (conflict style, hooks, signing) stays out of it
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

Qi = Callable[..., str]


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=root, env=GIT_ENV, capture_output=True, text=True, check=check
    )


@pytest.fixture
def qi(runner: CliRunner) -> Qi:
    """Run a qi command in the current folder; fail the test on a non-zero exit."""

    def call(*args: str) -> str:
        code, out, err = run(runner, *args)
        assert code == 0, f"qi {' '.join(args)}: {err}"
        return out

    return call


def start_repository(tmp_path: Path, qi: Qi, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new project with a measure, a change idea and two weeks of data, committed."""
    monkeypatch.chdir(tmp_path)
    qi("project", "new", "Falls on ward 7", "--lead", "Sam Patel", "--no-input")
    root = tmp_path / "falls-on-ward-7"
    monkeypatch.chdir(root)
    git(root, "init", "-q")
    git(root, "checkout", "-q", "-b", "main")
    git(root, "config", "user.name", "Sam Patel")
    git(root, "config", "user.email", "sam@example.org")
    qi("measure", "add", "Falls", "--kind", "outcome", "--data-type", "count",
       "--direction", "decrease")  # fmt: skip
    qi("driver", "add", "Safe ward at night")
    qi("change", "add", "Night lights", "--driver", "safe-ward-at-night")
    qi("data", "add", "falls", "3", "--date", "2026-01-05")
    qi("data", "add", "falls", "4", "--date", "2026-01-12")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Baseline")
    return root


def on_branch(root: Path, branch: str, *commands: tuple[str, ...], qi: Qi) -> None:
    """On a new branch from main: run the qi commands, then commit everything."""
    git(root, "checkout", "-q", "main")
    git(root, "checkout", "-q", "-b", branch)
    for command in commands:
        qi(*command)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"Work on {branch}")


def test_two_branches_of_data_cycles_and_measures_merge_and_validate_clean(
    tmp_path: Path, qi: Qi, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = start_repository(tmp_path, qi, monkeypatch)
    rules = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "measures/*.csv merge=union" in rules
    on_branch(
        root,
        "sam",
        ("data", "add", "falls", "6", "--date", "2026-01-26"),
        ("cycle", "new", "--change", "night-lights", "--scale", "one bay", "--no-input",
         "-q", "Will patients leave the light on?", "--prediction", "Yes"),
        ("measure", "add", "Patients restrained", "--kind", "balancing",
         "--data-type", "count", "--direction", "decrease"),
        ("data", "add", "patients-restrained", "2", "--date", "2026-01-26"),
        qi=qi,
    )  # fmt: skip
    on_branch(
        root,
        "alex",
        ("data", "add", "falls", "5", "--date", "2026-01-19", "--note", "agency staff"),
        ("cycle", "new", "--change", "night-lights", "--scale", "two bays", "--no-input",
         "-q", "Will the night staff switch them on?", "--prediction", "Most nights"),
        ("measure", "add", "Minutes to answer a call bell", "--kind", "process",
         "--data-type", "continuous", "--direction", "decrease"),
        qi=qi,
    )  # fmt: skip
    merged = git(root, "merge", "--no-edit", "sam", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "CONFLICT" not in merged.stdout
    # each branch's new row is kept; the note column added on one branch is the header's
    text = (root / "measures" / "falls.csv").read_text(encoding="utf-8")
    assert text == (
        "date,value,note\n2026-01-05,3\n2026-01-12,4\n2026-01-19,5,agency staff\n2026-01-26,6\n"
    )
    out = qi("validate")
    assert out.splitlines()[-1].startswith("1 project: 0 errors"), out
    assert "date order" not in out and "Q304" not in out
    loaded = load_project(root)
    assert [(str(r.date), r.value) for r in loaded.data["falls"]] == [
        ("2026-01-05", 3),
        ("2026-01-12", 4),
        ("2026-01-19", 5),
        ("2026-01-26", 6),
    ]
    assert sorted(loaded.measures) == [
        "falls",
        "minutes-to-answer-a-call-bell",
        "patients-restrained",
    ]
    assert sorted(c.cycle.scale for c in loaded.cycles) == ["one bay", "two bays"]


def test_rows_merged_in_the_other_order_are_read_sorted_without_a_warning(
    tmp_path: Path, qi: Qi, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = start_repository(tmp_path, qi, monkeypatch)
    on_branch(root, "later", ("data", "add", "falls", "6", "--date", "2026-01-26"), qi=qi)
    on_branch(root, "earlier", ("data", "add", "falls", "5", "--date", "2026-01-19"), qi=qi)
    git(root, "checkout", "-q", "later")
    assert git(root, "merge", "--no-edit", "earlier", check=False).returncode == 0
    text = (root / "measures" / "falls.csv").read_text(encoding="utf-8")
    assert text.endswith("2026-01-26,6\n2026-01-19,5\n")  # git keeps ours, then theirs
    out = qi("validate")
    assert "falls.csv" not in out, out
    assert [r.value for r in load_project(root).data["falls"]] == [3, 4, 5, 6]


def test_a_date_entered_on_both_branches_names_both_lines_and_the_fix(
    tmp_path: Path, runner: CliRunner, qi: Qi, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = start_repository(tmp_path, qi, monkeypatch)
    on_branch(root, "sam", ("data", "add", "falls", "5", "--date", "2026-01-19"), qi=qi)
    on_branch(root, "alex", ("data", "add", "falls", "7", "--date", "2026-01-19"), qi=qi)
    assert git(root, "merge", "--no-edit", "sam", check=False).returncode == 0
    code, out, _ = run(runner, "validate")
    assert code == 1
    assert "measures/falls.csv:5:1: error: 2026-01-19 is entered twice: lines 4 and 5" in out
    hint = "qi data add falls VALUE --date 2026-01-19 --replace"
    assert hint in out
    qi(*hint.replace("VALUE", "5").split()[1:])  # the hint's command resolves it
    assert qi("validate").splitlines()[-1].startswith("1 project: 0 errors")
    assert (
        (root / "measures" / "falls.csv")
        .read_text(encoding="utf-8")
        .endswith("2026-01-12,4\n2026-01-19,5\n")
    )


def test_without_the_merge_rule_a_conflict_is_named_at_its_line(
    tmp_path: Path, runner: CliRunner, qi: Qi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older project (no .gitattributes): validate says what to do about the
    conflict, in data and in YAML, and `qi project gitattributes` prevents the next."""
    root = start_repository(tmp_path, qi, monkeypatch)
    git(root, "rm", "-q", ".gitattributes")
    git(root, "commit", "-q", "-m", "An older project")
    code, out, _ = run(runner, "validate")
    assert code == 0
    assert ".gitattributes: warning: measure data files will conflict" in out
    assert "qi project gitattributes" in out
    on_branch(
        root, "sam", ("data", "add", "falls", "5", "--date", "2026-01-19"),
        ("project", "set", "sponsor", "Dr Lee"), qi=qi,
    )  # fmt: skip
    on_branch(
        root, "alex", ("data", "add", "falls", "6", "--date", "2026-01-26"),
        ("project", "set", "sponsor", "Dr Shah"), qi=qi,
    )  # fmt: skip
    merged = git(root, "merge", "--no-edit", "sam", check=False)
    assert merged.returncode == 1 and "CONFLICT" in merged.stdout
    code, out, _ = run(runner, "validate")
    assert code == 1
    message = "error: unresolved git merge conflict at line {}: keep one side, then run qi validate"
    csv_line = (root / "measures" / "falls.csv").read_text().splitlines().index("<<<<<<< HEAD")
    yaml_lines = (root / "project.yaml").read_text().splitlines()
    assert f"measures/falls.csv:{csv_line + 1}:1: " + message.format(csv_line + 1) in out
    yaml_line = yaml_lines.index("<<<<<<< HEAD") + 1
    assert f"project.yaml:{yaml_line}:1: " + message.format(yaml_line) in out
    assert "Traceback" not in out and "is not a date" not in out
    # a command that writes refuses the project mid-merge, naming a conflict, exit 1
    code, _, err = run(runner, "data", "add", "falls", "2", "--date", "2026-02-02")
    assert code == 1
    assert f"project.yaml:{yaml_line}:1: unresolved git merge conflict: resolve the merge" in err
    git(root, "merge", "--abort")
    out = qi("project", "gitattributes")
    assert out.startswith("created .gitattributes: measures/*.csv merge=union")
    assert "Q304" not in qi("validate")


def test_a_write_cut_short_leaves_a_file_that_git_ignores_and_validate_names(
    tmp_path: Path, runner: CliRunner, qi: Qi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 between the temporary file and the rename: `git add -A` does not take
    it, and `qi validate` says how to remove it."""
    root = start_repository(tmp_path, qi, monkeypatch)
    leftover = root / "measures" / ".falls.csv.3f9a1c2b.tmp"
    leftover.write_text("date,value\n2026-01-05,3\n", encoding="utf-8")
    git(root, "add", "-A")
    assert git(root, "status", "--porcelain").stdout == ""
    code, out, _ = run(runner, "validate")
    assert code == 0
    assert (
        "measures/.falls.csv.3f9a1c2b.tmp: warning: a temporary file left by a qi command "
        "that was cut short [Q305]"
    ) in out
    assert "rm measures/.falls.csv.3f9a1c2b.tmp" in out


def test_drivers_change_ideas_scores_and_data_added_on_two_branches_merge_with_qi_driver(
    tmp_path: Path, qi: Qi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everyday additions on two branches: with qi's merge driver (installed by
    `qi project gitattributes`), git merges them without a conflict and nothing is lost;
    the same value changed on both sides is still a conflict."""
    # git runs the driver through the shell: the qi of this environment
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    monkeypatch.setitem(GIT_ENV, "PATH", path)
    root = start_repository(tmp_path, qi, monkeypatch)
    assert "configured this clone's git: merge.qi.driver" in qi("project", "gitattributes")
    on_branch(
        root, "sam",
        ("driver", "add", "Staff awareness"),
        ("change", "add", "Falls huddle", "--driver", "staff-awareness", "--no-input"),
        ("project", "score", "2.0", "--note", "team meets weekly"),
        ("data", "add", "falls", "5", "--date", "2026-01-19"),
        qi=qi,
    )  # fmt: skip
    on_branch(
        root, "alex",
        ("driver", "add", "Equipment"),
        ("change", "add", "Bed alarms", "--driver", "equipment", "--no-input"),
        ("project", "score", "1.5"),
        ("data", "add", "falls", "6", "--date", "2026-01-26"),
        qi=qi,
    )  # fmt: skip
    merged = git(root, "merge", "--no-edit", "sam", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    out = qi("validate")
    assert out.splitlines()[-1].startswith("1 project: 0 errors"), out
    loaded = load_project(root)
    assert loaded.drivers is not None and loaded.project is not None
    assert sorted(loaded.drivers.drivers) == ["equipment", "safe-ward-at-night", "staff-awareness"]
    assert sorted(loaded.drivers.changes) == ["bed-alarms", "falls-huddle", "night-lights"]
    assert [(p.score, p.note) for p in loaded.project.progress][-2:] == [
        (1.5, None),
        (2.0, "team meets weekly"),
    ]
    assert [r.value for r in loaded.data["falls"]] == [3, 4, 5, 6]
    # a real conflict stays one: both branches set the sponsor
    on_branch(root, "lee", ("project", "set", "sponsor", "Dr Lee"), qi=qi)
    on_branch(root, "shah", ("project", "set", "sponsor", "Dr Shah"), qi=qi)
    clash = git(root, "merge", "--no-edit", "lee", check=False)
    assert clash.returncode == 1 and "CONFLICT" in clash.stdout
    text = (root / "project.yaml").read_text(encoding="utf-8")
    assert "<<<<<<< " in text and "Dr Lee" in text and "Dr Shah" in text
