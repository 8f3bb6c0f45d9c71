"""Many projects are read on several cores; the results must equal a one-by-one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import qi_cli.parallel
from tests.conftest import WriteProject, run


def _portfolio(write_project: WriteProject, count: int) -> Path:
    for k in range(count):
        files: dict[str, str | None] = {}
        if k % 10 == 3:
            files["measures/falls.yaml"] = "name: [broken\n"
        write_project(files, name=f"p{k:03d}")
    root = write_project(name="p000")
    return root.parent


def test_parallel_validate_and_portfolio_equal_serial(
    write_project: WriteProject, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _portfolio(write_project, qi_cli.parallel.PARALLEL_FROM + 5)
    _, parallel_validate, _ = run(runner, "validate", str(folder), "--format", "json")
    _, parallel_portfolio, _ = run(runner, "portfolio", str(folder), "-f", "json", "--no-cache")
    monkeypatch.setattr(qi_cli.parallel, "PARALLEL_FROM", 10_000)
    _, serial_validate, _ = run(runner, "validate", str(folder), "--format", "json")
    _, serial_portfolio, _ = run(runner, "portfolio", str(folder), "-f", "json", "--no-cache")
    assert json.loads(parallel_validate) == json.loads(serial_validate)
    assert json.loads(parallel_portfolio) == json.loads(serial_portfolio)
    data = json.loads(parallel_validate)
    assert len(data["projects"]) == 55
    assert data["errors"] == 6  # p003, p013, ... p053: one broken measure each
