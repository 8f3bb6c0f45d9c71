"""Shared set-up for the PDSA workflow tests: a project on disk, a runner, a fake editor."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from qi_cli.cli import app

CHANGE = "physio-review"
DRIVERS_YAML = """\
# The driver diagram (hand-written)
drivers:
  timely-assessment:
    name: Timely specialist assessment
  weekend-physio:
    name: Physio capacity at weekends
    parents: [timely-assessment]
changes:
  physio-review:
    title: Physio review within 24 h
    drivers: [weekend-physio]
  early-analgesia:
    title: Early analgesia protocol
    drivers: [timely-assessment]
"""

FAKE_EDITOR = """\
import json, os, pathlib, sys
path = pathlib.Path(sys.argv[1])
state = pathlib.Path(os.environ["FAKE_EDITOR_STATE"])
steps = json.loads(os.environ["FAKE_EDITOR_STEPS"])
n = int(state.read_text()) if state.exists() else 0
state.write_text(str(n + 1))
text = path.read_text(encoding="utf-8")
pathlib.Path(str(state) + f".seen{n}").write_text(text, encoding="utf-8")
step = steps[min(n, len(steps) - 1)]
if step is None:
    sys.exit(0)  # closed without saving
for old, new in step:
    if old == "":
        text = new
    else:
        assert old in text, (old, text)
        text = text.replace(old, new, 1)
path.write_text(text, encoding="utf-8")
"""


def make_project(tmp_path: Path, drivers: str = DRIVERS_YAML) -> Path:
    """A blank project with two drivers and two change ideas."""
    result = CliRunner().invoke(
        app, ["project", "new", "Rib fracture pathway", "--dir", str(tmp_path), "--no-input"]
    )
    assert result.exit_code == 0, result.output
    root = tmp_path / "rib-fracture-pathway"
    (root / "drivers.yaml").write_text(drivers, encoding="utf-8")
    return root


def qi(
    root: Path | None, *args: str, input: str | None = None, env: dict[str, str] | None = None
) -> Any:
    """Run `qi ARGS -p ROOT` in-process, colour off at 100 columns; returns the Result."""
    extra = ["-p", str(root)] if root is not None else []
    environment = {"NO_COLOR": "1", "COLUMNS": "100", "VISUAL": "", **(env or {})}
    return CliRunner().invoke(app, [*args, *extra], input=input, env=environment)


def cycle_files(root: Path) -> list[Path]:
    return sorted((root / "cycles").glob("*.yaml"))


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project, to prove that a failed command wrote nothing."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".qi.lock"
    }


def fake_editor(
    tmp_path: Path, steps: Sequence[Sequence[tuple[str, str]] | None]
) -> dict[str, str]:
    """Environment for a scripted $EDITOR: each run applies the next list of
    (old, new) replacements (old "" replaces everything); None closes unsaved."""
    script = tmp_path / "fake_editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    return {
        "EDITOR": f"{sys.executable} {script}",
        "FAKE_EDITOR_STATE": str(tmp_path / "editor-state"),
        "FAKE_EDITOR_STEPS": json.dumps(
            [list(map(list, s)) if s is not None else None for s in steps]
        ),
    }


def editor_saw(tmp_path: Path, n: int) -> str:
    """The text the fake editor was opened with on its n-th run (0-based)."""
    return (tmp_path / f"editor-state.seen{n}").read_text(encoding="utf-8")
