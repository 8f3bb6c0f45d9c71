"""Start-up time of qi commands beside their floors (median wall time of repeated runs).

A command's floor is a bare `python -c` that imports only what that command cannot
avoid (issue "Architecture"): typer for `qi --help`; typer, yaml and pydantic's
BaseModel for `qi validate` and `qi cycle list` in the example project; that floor
plus plotext for `qi chart`. Budgets: `qi --help` within 1.5x its floor, the others
within 2x. Each command runs in turn with its floor, and the ratio is the median of
the pairs' ratios (this machine's speed varies from minute to minute).

Each command and its floor also run once under valgrind's callgrind, and that ratio is
of instructions executed, not seconds: a figure that does not move with the load of a
shared machine (about 20 s a run; skipped, with a note, when valgrind is not installed).
Both tables are printed; --instructions prints only the counts, --wall only the times.

Run: python bench/startup.py [--runs 7] [--instructions | --wall]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# bench/ is a folder of scripts, not a package: share bench.py's timer
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import PY, QI, install_note
from bench import timed as median_time


def instructions(cmd: list[str], env: dict[str, str] | None = None) -> int:
    """Instructions executed by `cmd`, counted by valgrind's callgrind."""
    grind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd]
    out = subprocess.run(grind, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"valgrind did not count {cmd}: {out.stderr[-300:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--instructions", action="store_true", help="count only, don't time")
    only.add_argument("--wall", action="store_true", help="time only, don't count")
    args = parser.parse_args()
    print(install_note())
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # so that `python -m qi_cli` runs the installed qi, not a checkout's
        subprocess.run([*QI, "demo", "--dir", tmp], capture_output=True, check=True)
        rows = commands(Path(tmp) / "rib-fracture-pathway")
        if not args.wall:
            if shutil.which("valgrind") is None:
                print("valgrind is not installed: no instruction counts")
            else:
                count_rows(rows)
        if not args.instructions:
            time_rows(rows, args.runs)


Row = tuple[str, list[str], str, str, float]
QUIET = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}


def commands(example: Path) -> list[Row]:
    """(name, command, floor's name, floor's code, budget) of each command timed."""
    models = "import typer, yaml\nfrom pydantic import BaseModel"
    return [
        ("qi --help", [*QI, "--help"], "import typer", "import typer", 1.5),
        ("qi validate", [*QI, "validate", str(example)], "typer, yaml, BaseModel", models, 2),
        (
            "qi cycle list",
            [*QI, "cycle", "list", "-p", str(example)],
            "typer, yaml, BaseModel",
            models,
            2,
        ),
        (
            "qi chart",
            [*QI, "chart", "length-of-stay", "-p", str(example)],
            "typer, yaml, BaseModel, plotext",
            models + "\nimport plotext",
            2,
        ),
    ]


def count_rows(rows: list[Row]) -> None:
    """Instructions of each command beside its floor's (one run each)."""
    head = f"{'command':<16}{'instr.':>9}   {'floor':<32}{'instr.':>9}"
    print(f"{head}{'ratio':>8}{'budget':>8}")
    for name, cmd, floor_name, floor_code, budget in rows:
        a, b = instructions(cmd), instructions([PY, "-c", floor_code], QUIET)
        print(
            f"{name:<16}{a / 1e6:>8.0f}M   {floor_name:<32}{b / 1e6:>8.0f}M"
            f"{a / b:>7.2f}x{budget:>7}x"
        )


def time_rows(rows: list[Row], runs: int) -> None:
    """Median wall time of each command and its floor, run in turns."""
    print(f"{'command':<16}{'median':>9}   {'floor':<32}{'median':>9}{'ratio':>8}{'budget':>8}")
    for name, cmd, floor_name, floor_code, budget in rows:
        floor = [PY, "-c", floor_code]
        # the command and its floor in turns, so that both meet the same load
        median_time(cmd, 1)  # warm the file cache, then time the two in turns
        median_time(floor, 1, QUIET)
        pairs = [
            (median_time(cmd, 1, warm=False), median_time(floor, 1, QUIET, warm=False))
            for _ in range(runs)
        ]
        t = statistics.median(a for a, _ in pairs)
        f = statistics.median(b for _, b in pairs)
        ratio = statistics.median(a / b for a, b in pairs)
        print(
            f"{name:<16}{t * 1000:>7.0f}ms   {floor_name:<32}{f * 1000:>7.0f}ms"
            f"{ratio:>7.2f}x{budget:>7}x"
        )


if __name__ == "__main__":
    main()
