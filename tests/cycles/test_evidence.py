"""Were a cycle's predictions written before its test? By git history, else `created`."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from qi_cli.cycle_model import Cycle
from qi_cli.cycles.evidence import PredictionsFirst, created_after_test, predictions_first
from qi_cli.files.git import folder_versions
from qi_cli.files.loaded import LoadedCycle
from qi_cli.files.yaml_write import read_model

PLANNED = """\
change: night-lights
created: {created}
plan:
  questions:
    - question: Will patients leave the light on?
      prediction: {prediction}
  start: 2026-02-02
"""
DONE = "do:\n  start: 2026-02-02\n"


def cycle_at(path: Path, text: str) -> LoadedCycle:
    path.write_text(text)
    cycle, _ = read_model(text, path.name, Cycle)
    return LoadedCycle(id=path.stem, path=path, cycle=cycle)


@pytest.mark.parametrize(
    ("created", "extra", "verdict"),
    [
        ("2026-01-30", DONE, "before"),
        ("2026-02-02", DONE, "before"),  # the same day counts as before
        ("2026-11-30", DONE, "after"),
        ("2026-01-30", "", "unknown"),  # no Do start yet: nothing to compare with
    ],
)
def test_created_date_without_git(tmp_path: Path, created: str, extra: str, verdict: str) -> None:
    c = cycle_at(tmp_path / "c.yaml", PLANNED.format(created=created, prediction="Yes") + extra)
    first = predictions_first(c, use_git=False)
    assert first.verdict == verdict
    assert first.source == ("created" if verdict != "unknown" else None)
    assert created_after_test(c.cycle) is (verdict == "after")


def test_no_predictions_is_unknown(tmp_path: Path) -> None:
    text = "change: night-lights\ncreated: 2026-11-30\n" + DONE
    c = cycle_at(tmp_path / "c.yaml", text)
    assert predictions_first(c) == PredictionsFirst("unknown", test_start=dt.date(2026, 2, 2))
    assert not created_after_test(c.cycle)


def commit(root: Path, date: str, message: str) -> None:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
        "GIT_AUTHOR_DATE": f"{date}T10:00:00",
        "GIT_COMMITTER_DATE": f"{date}T10:00:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["add", "."], ["commit", "-qm", message]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_history_is_the_stronger_evidence(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    path = tmp_path / "2026-02-02-night-lights-a1b2.yaml"
    # committed with its prediction before the test, though `created` says otherwise
    cycle_at(path, PLANNED.format(created="2026-11-30", prediction="Yes, 3 of 4"))
    commit(tmp_path, "2026-01-28", "plan")
    c = cycle_at(path, PLANNED.format(created="2026-11-30", prediction="Yes, 3 of 4") + DONE)
    commit(tmp_path, "2026-02-04", "log")
    first = predictions_first(c)
    assert (first.verdict, first.source, first.written) == ("before", "git", dt.date(2026, 1, 28))
    # the prediction rewritten after the test: the first commit holding it is the evidence
    c = cycle_at(path, PLANNED.format(created="2026-01-28", prediction="Yes, 2 of 4") + DONE)
    commit(tmp_path, "2026-02-05", "predict again")
    first = predictions_first(c)
    assert (first.verdict, first.source, first.written) == ("after", "git", dt.date(2026, 2, 5))
    # not committed yet: no git evidence, so the created date decides
    c = cycle_at(path, PLANNED.format(created="2026-01-28", prediction="Maybe") + DONE)
    assert predictions_first(c).source == "created"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_folders_versions_come_from_two_git_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, capture_output=True)
    cycles = tmp_path / "ward-7" / "cycles"  # a project in a sub-folder of the repository
    cycles.mkdir(parents=True)
    (cycles / "a.yaml").write_text("first: 1\n")
    (cycles / "gone.yaml").write_text("soon deleted\n")
    (cycles / "gone too.yaml").write_text("a space in its name\n")
    (tmp_path / "ward-7" / "project.yaml").write_text("not a cycle\n")
    commit(tmp_path, "2026-01-28", "plan")
    (cycles / "a.yaml").write_text("first: 2\n")
    (cycles / "b.yaml").write_text("b: café\n")
    (cycles / "gone.yaml").unlink()
    (cycles / "gone too.yaml").unlink()
    commit(tmp_path, "2026-02-04", "log")

    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "run", counting_run)
    versions = folder_versions(tmp_path / "ward-7", "cycles")
    jan, feb = dt.date(2026, 1, 28), dt.date(2026, 2, 4)
    assert versions == {
        "a.yaml": [(jan, "first: 1\n"), (feb, "first: 2\n")],
        "b.yaml": [(feb, "b: café\n")],
        "gone.yaml": [(jan, "soon deleted\n")],  # the commit that deleted it has no version
        "gone too.yaml": [(jan, "a space in its name\n")],
    }
    assert len(calls) == 3  # where the project sits, the log, every version at once
    # the same verdict as asking git for the one file
    path = cycles / "a.yaml"
    c = cycle_at(path, PLANNED.format(created="2026-11-30", prediction="Yes") + DONE)
    commit(tmp_path, "2026-02-05", "predict")
    versions = folder_versions(tmp_path / "ward-7", "cycles")
    assert predictions_first(c, versions=versions["a.yaml"]) == predictions_first(c)
    assert predictions_first(c).written == dt.date(2026, 2, 5)


def test_outside_a_repository_a_folder_has_no_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "cycles").mkdir()
    (tmp_path / "cycles" / "a.yaml").write_text("a: 1\n")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert folder_versions(tmp_path, "cycles") == {}
