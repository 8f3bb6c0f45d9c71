"""The layers drawn in docs/architecture.md are the layers of the code."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold() -> None:
    """import-linter checks pyproject.toml's contracts: imports point inward
    (cli -> render -> reports -> features -> files -> model/stats) and no two sibling
    modules import each other."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is a test dependency: pip install '.[test]'"
    result = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_no_private_module_or_name_of_a_dependency_is_imported() -> None:
    """A private import (once `typer._click`) pins a dependency's insides: a release may
    move them. qi's own modules may import each other's private names; nothing else."""
    found = []
    for path in sorted((ROOT / "qi_cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parts = node.module.split(".")
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                parts, names = [], [alias.name for alias in node.names]
            else:
                continue
            modules = [parts] if parts else [n.split(".") for n in names]
            for module in modules:
                if module[0] == "qi_cli" or module[0] == "__future__":
                    continue
                private = [p for p in module if p.startswith("_")]
                if parts:
                    private += [n for n in names if n.startswith("_")]
                if private:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {private}")
    assert found == []
