"""Reading a file (bounded by the size limit, whatever the file says its size is) and
writing one (atomic, with the mode a person expects)."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.errors import QiError
from qi_cli.files.disk import create_folder, read_text, write_atomic, write_new_files
from tests.conftest import run


def test_a_file_up_to_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"x" * 100)
    assert read_text(path, "m.csv", max_bytes=100) == "x" * 100
    with pytest.raises(QiError, match=r"m\.csv: file is too large \(0\.0 MB"):
        read_text(path, "m.csv", max_bytes=99)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_with_no_size_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(QiError, match="file is too large"):
        read_text(Path("/dev/zero"), "zero", max_bytes=1000)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_with_no_size_is_read_whole_in_pieces(tmp_path: Path) -> None:
    # a pipe reports size 0 and gives its text a little at a time: all of it is read
    fifo = tmp_path / "m.csv"
    os.mkfifo(fifo)
    text = "date,value\n" + "2026-01-05,1\n" * 20_000  # 260 KB, several reads
    writer = threading.Thread(target=fifo.write_text, args=(text,))
    writer.start()
    try:
        assert read_text(fifo, "m.csv", max_bytes=1_000_000) == text
    finally:
        writer.join()


def test_a_broken_link_is_named(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").symlink_to(tmp_path / "gone.yaml")
    with pytest.raises(QiError, match=r"p\.yaml: file not found"):
        read_text(tmp_path / "p.yaml", "p.yaml")


# --- the modes of written files ---------------------------------------------------------


@pytest.fixture(params=[0o022, 0o007])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """Run a test under a umask (a shared drive's 007, a home folder's 022), then restore."""
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_files_follow_the_umask_and_rewritten_files_keep_their_mode(
    umask: int, tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(runner, "project", "new", "Falls", "--dir", str(tmp_path), "--no-input")
    assert code == 0, err
    root = tmp_path / "falls"
    new_file, new_folder = 0o666 & ~umask, 0o777 & ~umask  # 0644/0755, or 0660/0770
    assert mode(root) == new_folder
    for path in root.rglob("*"):
        assert mode(path) == (new_folder if path.is_dir() else new_file), path
    monkeypatch.chdir(root)
    os.chmod(root / "drivers.yaml", 0o640)  # set by the team: kept when qi rewrites it
    assert run(runner, "driver", "add", "Safe ward")[0] == 0
    assert run(runner, "change", "add", "Night lights", "--driver", "safe-ward")[0] == 0
    assert "safe-ward" in (root / "drivers.yaml").read_text(encoding="utf-8")
    assert mode(root / "drivers.yaml") == 0o640
    code, _, err = run(
        runner, "cycle", "new", "--change", "night-lights", "--scale", "one bay", "--no-input"
    )
    assert code == 0, err
    (cycle,) = (root / "cycles").glob("*.yaml")
    assert mode(cycle) == new_file
    code, _, err = run(runner, "report", "--format", "markdown", "-o", "board.md")
    assert code == 0, err
    assert mode(root / "board.md") == new_file
    os.chmod(root / "board.md", 0o664)
    assert run(runner, "report", "--format", "html", "-o", "board.md")[0] == 0
    assert mode(root / "board.md") == 0o664
    assert not list(root.glob(".*.tmp"))


def test_a_write_that_fails_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(QiError, match="already exists"):
        write_atomic(target, "new\n", overwrite=False)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


# --- git conflict markers ---------------------------------------------------------------


def test_conflict_markers_are_refused_at_the_first_marker(tmp_path: Path) -> None:
    path = tmp_path / "drivers.yaml"
    path.write_text(
        "drivers:\n<<<<<<< HEAD\n  a: {name: A}\n=======\n  b: {name: B}\n>>>>>>> alex\n",
        encoding="utf-8",
    )
    with pytest.raises(QiError) as info:
        read_text(path, "drivers.yaml")
    assert info.value.message == (
        "drivers.yaml: unresolved git merge conflict at line 2: keep one side, then run qi validate"
    )
    assert (info.value.line, info.value.column) == (2, 1)


def test_a_line_of_equals_signs_alone_is_text(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    text = 'date,value,note\n2026-01-05,3,"Results\n=======\nall good"\n'
    path.write_text(text, encoding="utf-8")
    assert read_text(path, "m.csv") == text


def test_new_files_are_written_all_or_none(tmp_path: Path) -> None:
    """A measure's two files: when the second exists, the first is not left behind, and
    the existing one keeps its bytes."""
    first, second = tmp_path / "m.yaml", tmp_path / "m.csv"
    second.write_text("date,value\n2026-01-05,3\n", encoding="utf-8")
    with pytest.raises(QiError, match=r"m\.csv: already exists"):
        write_new_files([(first, "name: m\n"), (second, "date,value\n")])
    assert not first.exists()
    assert second.read_text(encoding="utf-8") == "date,value\n2026-01-05,3\n"
    write_new_files([(first, "name: m\n"), (tmp_path / "n.csv", "date,value\n")])
    assert first.read_text(encoding="utf-8") == "name: m\n"


def test_a_folder_is_created_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "proj"

    def half(folder: Path) -> None:
        write_atomic(folder / "project.yaml", "format: 1\n")
        raise QiError(f"{folder}/drivers.yaml: cannot write")

    with pytest.raises(QiError) as caught:
        create_folder(target, half)
    assert caught.value.message == f"{target}/drivers.yaml: cannot write"  # not the copy's
    assert list(tmp_path.iterdir()) == []
    create_folder(target, lambda folder: write_atomic(folder / "a" / "b.yaml", "x: 1\n"))
    assert (target / "a" / "b.yaml").read_text(encoding="utf-8") == "x: 1\n"
    with pytest.raises(QiError, match="already exists"):
        create_folder(target, lambda folder: None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["proj"]
