"""A cycle's stable id through the real CLI: shown, accepted, used in hints, and numbers
that may have moved (a back-dated plan, a merge of two branches) refused, not guessed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.workflow_fixtures import cycle_files, make_project, qi, snapshot


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path)


def plan(root: Path, *args: str) -> tuple[Path, str]:
    """Plan a cycle; its file and the short id qi printed in its hint."""
    before = set(cycle_files(root))
    result = qi(root, "cycle", "new", "--no-input", *args)
    assert result.exit_code == 0, result.output
    (path,) = set(cycle_files(root)) - before
    short = path.stem.rsplit("-", 1)[1]
    assert f"next, after the test: qi cycle log {short}\n" in result.stdout
    return path, short


def test_a_back_dated_plan_keeps_ids_and_hints_and_refuses_a_moved_number(root: Path) -> None:
    _, a = plan(root, "--change", "physio-review", "--start", "2025-03-10", "-q", "Q?")
    second, b = plan(root, "--change", "physio-review", "--start", "2025-03-17")
    assert "planned_as: 2\n" in second.read_text()
    # a cycle planned today for a test two weeks ago: it becomes #1, the others move
    _, c = plan(root, "--change", "early-analgesia", "--start", "2025-03-03")
    listing = qi(root, "cycle", "list").stdout
    assert [line.split()[:2] for line in listing.splitlines()[1:]] == [
        ["1", c],
        ["2", a],
        ["3", b],
    ]
    before = snapshot(root)
    # the person saw the first cycle as #1: #1 could be it or the back-dated one
    refused = qi(root, "cycle", "log", "1", "--did", "x")
    assert refused.exit_code == 1
    assert "cycle #1 could be more than one cycle" in refused.stderr
    assert f"{c} (now #1, planned as #1" in refused.stderr
    assert f"{a} (now #2, planned as #1" in refused.stderr
    assert "give the id" in refused.stderr
    assert snapshot(root) == before  # a refused command writes nothing
    # #2 now names the first cycle, but the person saw the second one as #2
    assert qi(root, "cycle", "show", "2").exit_code == 1
    # the hint printed when the first cycle was planned still names it
    logged = qi(root, "cycle", "log", a, "--did", "x", "--decision", "adapt")
    assert logged.exit_code == 0, logged.output
    assert f"logged cycle #2 {a} " in logged.stdout
    assert f"next, plan the next test: qi cycle new --next {a}\n" in logged.stdout
    assert "is " not in logged.stdout.splitlines()[0]  # no note: an id was given
    # a number nobody could have seen otherwise still works, and says what it found
    shown = qi(root, "cycle", "show", "3")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"cycle #3 is {b} (Physio review within 24 h)\n")
    assert f"Cycle #3 {b}: Physio review within 24 h" in shown.stdout


GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@x",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@x",
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), *args],
        check=True,
        capture_output=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_branches_planning_the_same_number_are_told_apart_by_id(root: Path) -> None:
    plan(root, "--change", "physio-review", "--start", "2025-03-03")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "start")
    git(root, "checkout", "-q", "-b", "weekend")
    weekend, w = plan(root, "--change", "physio-review", "--start", "2025-03-10")
    git(root, "add", ".")
    git(root, "commit", "-qm", "weekend cycle")
    git(root, "checkout", "-q", "main")
    weekday, d = plan(root, "--change", "early-analgesia", "--start", "2025-03-10")
    git(root, "add", ".")
    git(root, "commit", "-qm", "weekday cycle")
    git(root, "merge", "-q", "--no-edit", "weekend")
    # both branches printed "planned cycle #2"; after the merge only one of them is #2
    assert "planned_as: 2\n" in weekend.read_text() and "planned_as: 2\n" in weekday.read_text()
    refused = qi(root, "cycle", "log", "2", "--did", "x")
    assert refused.exit_code == 1 and "cycle #2 could be more than one cycle" in refused.stderr
    assert w in refused.stderr and d in refused.stderr
    for short, change in ((w, "Physio review within 24 h"), (d, "Early analgesia protocol")):
        result = qi(root, "cycle", "log", short, "--did", "x")  # each branch's hint still works
        assert result.exit_code == 0, result.output
        assert f"{short} '{change}'" in result.stdout
    # same date: the merged cycles are numbered by file name, early-analgesia first
    shown = qi(root, "cycle", "show", "#3")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"cycle #3 is {w} (Physio review within 24 h)\n")


def test_ids_digits_prefixes_and_old_file_names(root: Path) -> None:
    cycle = "change: physio-review\ncreated: 2025-03-01\nplan:\n  start: 2025-03-03\n"
    folder = root / "cycles"
    folder.mkdir(exist_ok=True)
    (folder / "2025-03-03-physio-review-1234.yaml").write_text(cycle)
    (folder / "first-trial.yaml").write_text(cycle.replace("03-03", "03-05"))
    (folder / "2025-03-07-physio-review-ab12.yaml").write_text(cycle.replace("03-03", "03-07"))
    (folder / "2025-03-08-early-analgesia-ab12.yaml").write_text(
        cycle.replace("physio-review", "early-analgesia").replace("03-03", "03-08")
    )
    listing = qi(root, "cycle", "list").stdout
    assert "first-trial" in listing  # a file without the 4-hex suffix: its whole name
    # an id made of digits names its cycle; `#N` is always a number
    assert qi(root, "cycle", "show", "1234").stdout.startswith("Cycle #1 1234:")
    assert qi(root, "cycle", "show", "first").stdout.startswith("Cycle #2 first-trial:")
    note = qi(root, "cycle", "show", "#2").stdout
    assert note.startswith("cycle #2 is first-trial (Physio review within 24 h)\n")
    # two hand-named files that share a suffix: qi asks for the whole name
    shared = qi(root, "cycle", "show", "ab12")
    assert shared.exit_code == 1 and "cycle id 'ab12' is shared by 2 cycles" in shared.stderr
    assert "2025-03-08-early-analgesia-ab12" in shared.stderr
    whole = qi(root, "cycle", "show", "2025-03-08-early-analgesia-ab12")
    assert whole.exit_code == 0 and whole.stdout.startswith("Cycle #4 ab12:")


def test_new_files_get_a_free_suffix_with_a_letter(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets

    first, a = plan(root, "--change", "physio-review")
    suffixes = iter(["1234", a, "beef"])  # all digits, then taken, then free
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(suffixes))
    _, b = plan(root, "--change", "early-analgesia")
    assert b == "beef" and first.exists()


def test_show_marks_when_the_predictions_were_written(root: Path) -> None:
    path, short = plan(
        root, "--change", "physio-review", "-q", "Seen in 24 h?", "--prediction", "Yes"
    )
    shown = qi(root, "cycle", "show", short).stdout
    assert "predictions: unknown" in shown  # no Do start yet
    logged = qi(root, "cycle", "log", short, "--did", "x", "--done-start", "2020-01-06")
    assert logged.exit_code == 0, logged.output
    shown = qi(root, "cycle", "show", short).stdout
    assert "predictions: written after the test began (created)" in shown
    text = path.read_text().replace("2020-01-06", "2099-01-05")
    path.write_text(text)
    shown = qi(root, "cycle", "show", short).stdout
    assert "predictions: written before the test (created)" in shown
