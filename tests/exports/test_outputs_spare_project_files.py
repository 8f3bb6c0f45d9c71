"""Every command that writes a file with -o (exports, write-up, chart images) refuses to
write over a file of the project or into its data folders, even with --force: no byte of
the project changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.project import create_project
from tests.conftest import run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return create_project(tmp_path, "Rib fracture pathway", template="example")


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (["writeup", "--format", "md"], "project.yaml"),
        (["writeup", "--format", "md"], "measures/length-of-stay.csv"),
        (["export", "pptx"], "drivers.yaml"),
        (["export", "docx"], "cycles/notes.docx"),
        (["chart", "length-of-stay", "--svg"], "measures/length-of-stay.yaml"),
    ],
)
def test_never_over_a_project_file_even_with_force(
    example: Path, runner: CliRunner, command: list[str], target: str
) -> None:
    before = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    path = example / target
    flag = [] if command[0] == "chart" else ["-o"]
    # `qi writeup` takes the project as an argument, the others as -p
    where = [str(example)] if command[0] == "writeup" else ["-p", str(example)]
    code, _, err = run(runner, *command, *flag, str(path), "--force", *where)
    assert code == 1, err
    assert "belongs to the project" in err and "Traceback" not in err
    after = {p: p.read_bytes() for p in example.rglob("*") if p.is_file()}
    assert after == before
