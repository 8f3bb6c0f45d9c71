"""The office extra is optional: without it a command says what to install, and
every other command starts without loading it."""

from __future__ import annotations

import subprocess
import sys
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.exports import written
from tests.conftest import WriteProject, run

OFFICE = ("pptx", "docx", "resvg_py", "PIL", "lxml")


@pytest.mark.parametrize(
    "args",
    [
        ["export", "pptx", "-o", "deck.pptx"],
        ["export", "docx", "-o", "paper.docx"],
        ["export", "charts", "-o", "."],
        ["chart", "falls", "--png", "falls.png"],
    ],
)
def test_without_the_extra_the_command_says_what_to_install(
    args: list[str],
    write_project: WriteProject,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = written.find_spec

    def without_pptx(name: str) -> ModuleSpec | None:
        return None if name == "pptx" else real(name)

    monkeypatch.setattr(written, "find_spec", without_pptx)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(runner, *args, "-p", str(write_project()))
    assert code == 1
    assert "needs the office extra, which is not installed (missing: python-pptx)" in err
    assert 'pip install "qi-cli[office]"' in err
    assert "Traceback" not in err
    assert list(tmp_path.glob("*.p*")) == []


def test_svg_needs_no_extra(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(written, "find_spec", lambda name: None)
    out = tmp_path / "falls.svg"
    code, _, err = run(runner, "chart", "falls", "-p", str(write_project()), "--svg", str(out))
    assert code == 0, err
    assert out.read_text(encoding="utf-8").count("<svg") == 1


def _loaded_by(*argv: str) -> set[str]:
    code = (
        "import sys\nfrom qi_cli.__main__ import main\n"
        f"sys.argv = ['qi', *{list(argv)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(','.join(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.strip().splitlines()[-1].split(","))


def test_validate_chart_and_export_help_do_not_load_the_office_libraries(
    write_project: WriteProject,
) -> None:
    root = str(write_project())
    for argv in (["validate", root], ["chart", "falls", "-p", root], ["export", "--help"]):
        loaded = _loaded_by(*argv)
        assert not {m.split(".")[0] for m in loaded} & set(OFFICE), argv
    # `qi chart` without --svg/--png draws in the terminal: no exports, no SVG renderer
    assert not {"qi_cli.exports.written", "qi_cli.render.svg"} & _loaded_by(
        "chart", "falls", "-p", root
    )
