"""Nothing lost: atomic writes survive a killed writer, parallel writers all land, and
no name a user types can make qi write outside the project folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from qi_cli.files.loader import load_project
from tests.conftest import WriteProject, run

PYTHON = sys.executable


def test_killed_writer_leaves_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "data.csv"
    old = "date,value\n2026-01-05,1\n"
    target.write_text(old)
    # the child writes a large new version and is killed just before the rename
    child = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        import qi_cli.files.disk as fsio
        real_replace = os.replace
        def slow_replace(src, dst):
            print("ready", flush=True)
            time.sleep(60)
            real_replace(src, dst)
        fsio.os.replace = slow_replace
        fsio.write_atomic(Path({str(target)!r}), "date,value\\n" + "2026-01-05,2\\n" * 200000)
    """)
    proc = subprocess.Popen([PYTHON, "-c", child], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert target.read_text() == old
    # what is left behind is a hidden temporary file that qi never reads as data
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "data.csv"]
    assert all(name.startswith(".data.csv.") and name.endswith(".tmp") for name in leftovers)


def test_killed_data_add_leaves_project_valid(write_project: WriteProject, tmp_path: Path) -> None:
    root = write_project()
    csv = root / "measures" / "restraint.csv"
    before = csv.read_text()
    child = textwrap.dedent(f"""
        import os, sys, time
        import qi_cli.files.disk as fsio
        def stop(src, dst):
            print("ready", flush=True)
            time.sleep(60)
        fsio.os.replace = stop
        sys.argv = ["qi", "data", "add", "restraint", "7", "--date", "2026-06-01",
                    "-p", {str(root)!r}]
        from qi_cli.__main__ import main
        main()
    """)
    proc = subprocess.Popen([PYTHON, "-c", child], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    assert csv.read_text() == before
    loaded = load_project(root)
    assert [i for i in loaded.issues if i.severity == "error"] == []


def test_twenty_parallel_cycle_plans_all_land(write_project: WriteProject) -> None:
    root = write_project()
    procs = [
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "qi_cli",
                "cycle",
                "new",
                "--change",
                "night-lights",
                "--objective",
                f"test {k}",
                "--question",
                "Will it work?",
                "--prediction",
                "Yes",
                "--start",
                "2026-03-02",
                "--no-input",
                "-p",
                str(root),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(20)
    ]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    assert all(code == 0 for code, _ in results), results
    loaded = load_project(root)
    assert [i for i in loaded.issues if i.severity == "error"] == []
    objectives = sorted(c.cycle.plan.objective or "" for c in loaded.cycles)
    assert objectives == sorted(
        [*(f"test {k}" for k in range(20)), "See whether patients use the night lights"]
    )
    assert sorted(c.number for c in loaded.cycles) == list(range(1, 22))


def test_names_never_escape_the_project(
    write_project: WriteProject, runner: CliRunner, tmp_path: Path
) -> None:
    root = write_project()
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    attempts = [
        ("change", "add", "Escape", "--id", "../../evil", "--no-input"),
        ("driver", "add", "Escape", "--id", "../evil"),
        (
            "measure",
            "add",
            "Escape",
            "--id",
            "../evil",
            "--kind",
            "process",
            "--data-type",
            "count",
        ),
        ("data", "add", "../falls", "3"),
        ("chart", "../../etc/passwd"),
    ]
    for args in attempts:
        code, out, err = run(runner, *args, "-p", str(root))
        assert code in (1, 2), (args, out, err)
        assert "Traceback" not in err
    # titles with slashes and control characters make safe names inside the project
    code, out, err = run(
        runner, "change", "add", "../../a/b\\c\x1b[31m", "--no-input", "-p", str(root)
    )
    assert code in (0, 1, 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before
    for path in root.rglob("*"):
        assert path.resolve().is_relative_to(root.resolve())
