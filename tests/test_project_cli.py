"""`qi project new`, `qi demo`, the error boundary, and templates in the installed wheel."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import shlex
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from qi_cli.project import slugify
from tests.conftest import run

REPO = Path(__file__).resolve().parent.parent


def test_new_project_validates_clean(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = run(
        runner,
        "project",
        "new",
        "Rib fracture pathway",
        "--dir",
        str(tmp_path),
        "--lead",
        "Sam Patel",
        "--sponsor",
        "Dr Jones: ED",
        "--aim",
        "Reduce LOS from 7.2 to 5 days by 31 March 2027",
        "--no-input",
    )
    assert code == 0, err
    root = tmp_path / "rib-fracture-pathway"
    assert f"created {root}/" in out
    data = yaml.safe_load((root / "project.yaml").read_text())
    assert data["title"] == "Rib fracture pathway"
    assert data["team"] == [{"name": "Sam Patel", "role": "Project lead"}]
    assert data["sponsor"] == "Dr Jones: ED"
    assert data["aim"]["statement"] == "Reduce LOS from 7.2 to 5 days by 31 March 2027"
    import datetime as dt

    assert data["start_date"] == dt.date.today()
    assert (root / ".gitignore").read_text().splitlines()[::2] == [".qi.lock", ".*.tmp"]
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out
    assert "0 errors" in out
    # comments guide the person who opens the file
    assert "# The aim (SMART)" in (root / "project.yaml").read_text()
    assert not any(
        line != line.rstrip() for line in (root / "project.yaml").read_text().splitlines()
    )


def test_blank_project_without_aim_still_validates(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "project", "new", "Falls", "--dir", str(tmp_path))
    assert code == 0, err
    code, out, _ = run(runner, "validate", str(tmp_path / "falls"))
    assert code == 0
    assert "[Q105]" in out


def test_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "falls").mkdir()
    (tmp_path / "falls" / "notes.txt").write_text("mine")
    code, _, err = run(runner, "project", "new", "Falls", "--dir", str(tmp_path))
    assert code == 1
    assert "already exists; qi never overwrites a project" in err
    assert (tmp_path / "falls" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["falls"]  # no staging folder left


def test_example_template(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(
        runner, "project", "new", "Our copy", "--template", "example", "--dir", str(tmp_path)
    )
    assert code == 0, err
    root = tmp_path / "our-copy"
    assert yaml.safe_load((root / "project.yaml").read_text())["title"] == "Our copy"
    code, out, _ = run(runner, "validate", str(root))
    assert code == 0, out


def test_unknown_template_is_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "project", "new", "X", "--template", "fancy", "--dir", str(tmp_path))
    assert code == 2
    assert "unknown template 'fancy'" in err
    assert "blank, example" in err


@pytest.mark.parametrize(
    ("title", "folder"),
    [
        ("../../etc/evil", "etc-evil"),
        ("a/b\\c", "a-b-c"),
        ("Démence: signalétique", "demence-signaletique"),
    ],
)
def test_titles_make_safe_folder_names(
    runner: CliRunner, tmp_path: Path, title: str, folder: str
) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    code, _, err = run(runner, "project", "new", title, "--dir", str(parent))
    assert code == 0, err
    assert [p.name for p in parent.iterdir()] == [folder]
    assert yaml.safe_load((parent / folder / "project.yaml").read_text())["title"] == title


def test_non_latin_title_and_control_characters(runner: CliRunner, tmp_path: Path) -> None:
    code, _, _ = run(runner, "project", "new", "病棟の転倒", "--dir", str(tmp_path))
    assert code == 0
    (only,) = list(tmp_path.iterdir())
    assert only.name.startswith("project-") and only.name == slugify("病棟の転倒")
    code, _, err = run(runner, "project", "new", "bad\x07title", "--dir", str(tmp_path))
    assert code == 2
    assert "control characters" in err


def test_missing_parent_folder(runner: CliRunner, tmp_path: Path) -> None:
    code, _, err = run(runner, "project", "new", "X", "--dir", str(tmp_path / "nope"))
    assert code == 1
    assert "no such folder" in err


def test_demo_copies_and_validates_example(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = run(runner, "demo", "--dir", str(tmp_path))
    assert code == 0, err
    assert "validated: 0 errors" in out
    assert (tmp_path / "rib-fracture-pathway" / "project.yaml").is_file()
    # a second demo into the same folder refuses rather than overwrites
    code, _, err = run(runner, "demo", "--dir", str(tmp_path))
    assert code == 1
    assert "already exists" in err


def test_not_in_a_project_has_a_hint(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(runner, "validate")
    assert code == 1
    assert "not inside a qi project" in err
    assert "qi project new" in err


def test_version_and_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "qi_cli", "--version"], capture_output=True, text=True, check=True
    )
    from qi_cli import __version__

    assert out.stdout.strip() == f"qi {__version__}"
    out = subprocess.run(
        [sys.executable, "-m", "qi_cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "validate" in out.stdout and "project" in out.stdout


def test_wheel_ships_templates_and_runs_from_elsewhere(tmp_path: Path) -> None:
    """A plain (non-editable) install must find its templates from any folder."""
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("qi_cli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "qi_cli/templates/blank/project.yaml" in names
    assert "qi_cli/templates/example/project.yaml" in names
    assert any(
        n.startswith("qi_cli/templates/example/cycles/") and n.endswith(".yaml") for n in names
    )
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    # -P: do not put the current folder first on sys.path, as an installed `qi` does not
    result = subprocess.run(
        [sys.executable, "-P", "-m", "qi_cli", "project", "new", "From the wheel", "--no-input"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [sys.executable, "-P", "-c", "import qi_cli; print(qi_cli.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.stdout.startswith(str(site))
    assert (elsewhere / "from-the-wheel" / "project.yaml").is_file()


# --- qi demo: the summary first, pasteable next steps, a pager only in a terminal -----

NEXT_LINE = re.compile(r"^\s*next(?:, [^:]+)?: (.+)$")


def next_commands(out: str) -> list[str]:
    """The commands of every `next` line: `next: CMD`, `next, WHY: CMD`, or `next:`
    followed by one indented command a line."""
    commands: list[str] = []
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "next:":
            for following in lines[i + 1 :]:
                if not following.startswith("  ") or not following.strip():
                    break
                commands.append(following.strip())
        elif match := NEXT_LINE.match(line):
            commands.append(match.group(1))
    return commands


def assert_pasteable(command: str) -> None:
    words = shlex.split(command)
    assert words[0] in ("qi", "cd", "git"), command
    assert "..." not in command and ", qi " not in command, command


def test_demo_prints_its_summary_first_and_next_steps_that_run(
    runner: CliRunner, tmp_path: Path
) -> None:
    code, out, err = run(runner, "demo", "--dir", str(tmp_path))
    assert code == 0, err
    head = out.splitlines()[:7]
    assert head[0] == f"example project: {tmp_path / 'rib-fracture-pathway'}"
    assert head[1] == "validated: 0 errors, 0 coaching warnings"
    assert head[2:] == [
        "next:",
        f"  cd {tmp_path / 'rib-fracture-pathway'}",
        "  qi chart length-of-stay",
        "  qi cycle list",
        "  qi report --format html -o report.html",
    ]
    assert "temporary folder" not in out
    assert out.count("Rib fracture pathway") == 1  # the report follows the summary, once
    commands = next_commands(out)
    for command in commands:
        assert_pasteable(command)
    # pasted into a shell, in order, they work
    shell = subprocess.run(
        ["sh", "-e", "-c", "\n".join(commands)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
             "NO_COLOR": "1"},
    )  # fmt: skip
    assert shell.returncode == 0, shell.stderr
    assert (tmp_path / "rib-fracture-pathway" / "report.html").is_file()


def test_demo_in_a_temporary_folder_says_so_and_how_to_keep_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # read TMPDIR again
    code, out, _ = run(runner, "demo")
    assert code == 0
    (copy,) = tmp_path.glob("qi-demo-*/rib-fracture-pathway")
    assert out.splitlines()[:3] == [
        f"example project: {copy.resolve()}",
        "  a temporary folder, which the system may clear; to keep a copy to work in:",
        "  qi demo --dir ~/qi-example",
    ]
    assert f"  cd {copy.resolve()}" in out.splitlines()


def test_demo_pages_the_report_in_a_terminal_only(tmp_path: Path) -> None:
    """In a terminal (a pseudo-terminal here) the report goes to $PAGER, after the
    summary; piped, it is printed and no pager runs."""
    paged = tmp_path / "paged.txt"
    env = {
        **os.environ,
        "PAGER": f"cat > {shlex.quote(str(paged))}",
        "NO_COLOR": "1",
        "COLUMNS": "80",
        "LINES": "24",
    }
    primary, secondary = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "qi_cli", "demo", "--dir", str(tmp_path / "a")],
        stdin=secondary, stdout=secondary, stderr=secondary, env=env, timeout=120,
    )  # fmt: skip
    os.close(secondary)
    screen = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(primary, 65536):
            screen += chunk
    os.close(primary)
    assert done.returncode == 0, screen.decode()
    shown = screen.decode().replace("\r\n", "\n")
    assert shown.startswith("example project: ")
    assert "next:\n  cd " in shown
    assert "Rib fracture pathway" not in shown  # the report went to the pager
    report = paged.read_text(encoding="utf-8")
    assert "Rib fracture pathway" in report and "\x1b[" not in report  # NO_COLOR holds
    paged.unlink()
    piped = subprocess.run(
        [sys.executable, "-m", "qi_cli", "demo", "--dir", str(tmp_path / "b")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "Rib fracture pathway" in piped.stdout
    assert not paged.exists()


def test_every_next_line_is_a_command_that_can_be_pasted(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outputs = []

    def qi(*args: str) -> None:
        code, out, err = run(runner, *args)
        assert code == 0, err
        outputs.append(out + err)

    monkeypatch.chdir(tmp_path)
    qi("project", "new", "Falls on ward 7", "--no-input")
    monkeypatch.chdir(tmp_path / "falls-on-ward-7")
    qi("driver", "add", "Safe ward at night")
    qi("driver", "add", "Lighting", "--parent", "safe-ward-at-night")
    qi("change", "add", "Night lights", "--driver", "lighting")
    qi("cycle", "new", "--change", "night-lights", "--scale", "one bay", "--no-input",
       "-q", "Lights on?", "--prediction", "Yes")  # fmt: skip
    qi("cycle", "log", "1", "--did", "Lights on in bay 2", "--no-input")
    qi("cycle", "log", "1", "--actual", "4 of 4", "--held", "yes", "--learned", "Liked",
       "--decision", "adapt", "--next-steps", "Two bays", "--no-input")  # fmt: skip
    qi("project", "gitattributes")
    commands = [c for out in outputs for c in next_commands(out)]
    assert len(commands) >= 6
    for command in commands:
        assert_pasteable(command)
