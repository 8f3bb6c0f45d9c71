"""The prompts' editor: chosen among those installed, and named."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.workflow_fixtures import cycle_files, make_project, qi


def fake_program(folder: Path, name: str) -> Path:
    """An executable `name` in `folder` that records its arguments and changes nothing."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(
        f"#!{sys.executable}\n"
        "import pathlib, sys\n"
        "pathlib.Path(sys.argv[0] + '.ran').write_text(' '.join(sys.argv[1:]))\n"
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(os.name == "nt", reason="a POSIX PATH and executables")
def test_without_editor_the_first_installed_fallback_is_used_and_named(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    bin_dir = tmp_path / "bin"
    nano = fake_program(bin_dir, "nano")  # no sensible-editor here: nano is next
    fake_program(bin_dir, "vi")
    env = {"EDITOR": "", "VISUAL": "", "PATH": str(bin_dir)}
    result = qi(root, "cycle", "new", "--change", "physio-review", "--edit", env=env)
    assert "opening the worksheet in nano (set EDITOR to choose another editor)" in result.stderr
    assert Path(str(nano) + ".ran").read_text().endswith(".yaml")
    assert not Path(str(bin_dir / "vi") + ".ran").exists()
    assert result.exit_code == 1  # closed without a change: nothing written
    assert cycle_files(root) == []


@pytest.mark.skipif(os.name == "nt", reason="a POSIX PATH")
def test_no_editor_installed_says_so(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (tmp_path / "empty").mkdir()
    env = {"EDITOR": "", "VISUAL": "", "PATH": str(tmp_path / "empty")}
    result = qi(root, "cycle", "new", "--change", "physio-review", "--edit", env=env)
    assert result.exit_code == 1
    assert "no editor found: EDITOR is not set and none of sensible-editor, nano, vi" in (
        result.stderr
    )
    assert "hint: set EDITOR to an editor you have" in result.stderr
    assert "Traceback" not in result.output
    assert cycle_files(root) == []


@pytest.mark.skipif(os.name == "nt", reason="a POSIX PATH")
def test_an_editor_that_cannot_start_suggests_one_that_exists(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    fake_program(tmp_path / "bin", "vi")
    env = {"EDITOR": "no-such-editor", "VISUAL": "", "PATH": str(tmp_path / "bin")}
    result = qi(root, "cycle", "new", "--change", "physio-review", "--edit", env=env)
    assert result.exit_code == 1
    assert "cannot start the editor 'no-such-editor'" in result.stderr
    assert "export EDITOR=vi" in result.stderr
    assert "nano" not in result.stderr


def test_cycle_prompts_refuse_an_unknown_measure_and_an_end_before_the_start_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from qi_cli.cli import prompts
    from qi_cli.files.loader import load_project

    root = make_project(tmp_path)
    qi(root, "measure", "add", "Falls", "-k", "outcome", "-t", "count", "--id", "falls")
    monkeypatch.setattr(prompts, "stdin_is_terminal", lambda: True)
    answers = [
        "Try the form",  # objective
        "test",  # purpose
        "one patient",  # scale
        "",  # no questions
        *[""] * 8,  # test and data collection who/what/when/where
        "2026-03-02",  # start
        "2026-03-01",  # end before the start: asked again at once
        "2026-03-06",
        "fals",  # no such measure: asked again at once
        "falls",
        "Sam",  # person
    ]
    result = qi(root, "cycle", "new", "--change", "physio-review", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "the planned end date 2026-03-01 is before its start date 2026-03-02" in result.stderr
    assert "no measure 'fals' (known measures: falls;" in result.stderr
    cycle = load_project(root).cycles[0].cycle
    assert cycle.measures == ["falls"]
    assert str(cycle.plan.end) == "2026-03-06"
