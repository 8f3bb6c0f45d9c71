"""Shared fixtures: projects written inline as files on disk, and the real CLI."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qi_cli.cli import app
from tests.goldens import pytest_addoption  # noqa: F401  (--update-goldens)

PROJECT_YAML = """\
format: 1
title: Falls on ward 7
status: active
start_date: 2026-01-05
team:
  - name: Alex Moss
    role: Project lead
aim:
  statement: Reduce falls on ward 7 from 8 to 4 per 1,000 bed days by 30 June 2026
  outcome_measure: falls
  baseline: 8
  target: 4
  target_date: 2026-06-30
  population: adult inpatients on ward 7
progress:
  - date: 2026-01-05
    score: 1.0
"""

MEASURE_YAML = """\
name: Falls per 1,000 bed days
kind: outcome
data_type: rate
direction: decrease
target: 4
multiply: 1000
definition:
  description: inpatient falls per 1,000 occupied bed days
  numerator: falls recorded in Datix
  denominator: occupied bed days
"""

BALANCING_YAML = """\
name: Patients restrained
kind: balancing
data_type: count
direction: decrease
definition:
  description: number of patients with bed rails raised at night
"""

DRIVERS_YAML = """\
drivers:
  safe-environment:
    name: Safe ward environment
  lighting:
    name: Lighting at night
    parents: [safe-environment]
changes:
  night-lights:
    title: Night lights in bays
    drivers: [lighting]
"""

CYCLE_YAML = """\
change: night-lights
person: Alex Moss
scale: one bay, one night
measures: [falls]
plan:
  objective: See whether patients use the night lights
  questions:
    - question: Will patients leave the light on?
      prediction: Yes, 3 of 4 patients
  start: 2026-02-02
  end: 2026-02-03
"""

LOGGED_YAML = """\
do:
  carried_out_as_planned: true
  what_happened: Lights left on in 3 of 4 bed spaces
  start: 2026-02-02
  end: 2026-02-03
study:
  answers:
    - actual: 3 of 4 left the light on
      held: true
  learned: Patients like the lights; one found it too bright
act:
  decision: adapt
  next_steps: Try a dimmer setting on two bays
"""


def weekly_csv(
    values: list[float], start: str = "2026-01-05", denominators: list[float] | None = None
) -> str:
    import datetime as dt

    first = dt.date.fromisoformat(start)
    header = "date,value" + (",denominator" if denominators else "")
    lines = [header]
    for i, value in enumerate(values):
        day = first + dt.timedelta(weeks=i)
        row = f"{day},{value:g}"
        if denominators:
            row += f",{denominators[i]:g}"
        lines.append(row)
    return "\n".join(lines) + "\n"


def base_files() -> dict[str, str]:
    """A small valid project: the starting point that each test changes one file of."""
    return {
        "project.yaml": PROJECT_YAML,
        "drivers.yaml": DRIVERS_YAML,
        "measures/falls.yaml": MEASURE_YAML,
        "measures/falls.csv": weekly_csv(
            [2, 3, 1, 2, 4, 2, 3, 2, 1, 2, 3, 2], denominators=[350] * 12
        ),
        "measures/restraint.yaml": BALANCING_YAML,
        "measures/restraint.csv": weekly_csv([4, 5, 3, 4, 6, 4, 5, 4, 3, 4, 5, 4]),
        "cycles/2026-02-02-night-lights-a1b2.yaml": CYCLE_YAML + LOGGED_YAML,
    }


WriteProject = Callable[..., Path]


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write a project folder: the base project, with files replaced or removed.

    `write_project({"measures/falls.yaml": "..."})` replaces one file (text is dedented);
    a value of None removes the file from the base project.
    """

    def write(
        files: dict[str, str | None] | None = None, *, base: bool = True, name: str = "proj"
    ) -> Path:
        root = tmp_path / name
        content: dict[str, str | None] = dict(base_files()) if base else {}
        content.update(files or {})
        for rel, text in content.items():
            if text is None:
                continue
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return write


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """Run the real CLI; return exit code, stdout and stderr."""
    result = runner.invoke(app, list(args), input=input, env={"NO_COLOR": "1", "COLUMNS": "100"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read or write the user's qi cache."""
    monkeypatch.setenv("QI_CACHE_DIR", str(tmp_path_factory.mktemp("qi-cache")))
