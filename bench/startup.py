"""Start-up time of qi commands beside their floors (median wall time of repeated runs).

A command's floor is a bare `python -c` that imports only what that command cannot
avoid: typer for `--help`; typer, pydantic and yaml for `validate`, as the issue
states it. `import pydantic` is lazy, so a second floor imports what validate really
cannot avoid: typer, pydantic's BaseModel and one model built (a clean project no
longer loads yaml). The goal is each command within 1.5x its floor. Each command runs
in turn with its floor, and the ratio is the median of the pairs' ratios (this
machine's speed varies from minute to minute).

Run: python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# bench/ is a folder of scripts, not a package: share bench.py's timer
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import PY, install_note
from bench import timed as median_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(install_note())
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)  # so that `python -m qi_cli` runs the installed qi, not a checkout's
        subprocess.run([PY, "-m", "qi_cli", "demo", "--dir", tmp], capture_output=True, check=True)
        example = Path(tmp) / "rib-fracture-pathway"
        rows = [
            (
                "qi --help",
                [PY, "-m", "qi_cli", "--help"],
                "import typer",
                [PY, "-c", "import typer"],
            ),
            (
                "qi validate (example)",
                [PY, "-m", "qi_cli", "validate", str(example)],
                "import typer, pydantic, yaml",
                [PY, "-c", "import typer, pydantic, yaml"],
            ),
            # `import pydantic` is lazy: BaseModel's machinery (schema generation,
            # importlib.metadata) loads on first use. This floor includes it and builds
            # one model, as validate cannot avoid that; like qi, it skips pydantic's
            # plugin search. It leaves out yaml, which a clean project no longer loads.
            (
                "qi validate (example)",
                [PY, "-m", "qi_cli", "validate", str(example)],
                "typer + BaseModel, one model",
                [
                    PY,
                    "-c",
                    "import typer\nfrom pydantic import BaseModel\n"
                    "class M(BaseModel):\n    x: int = 0\nM(x=1)",
                ],
            ),
        ]
        quiet = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "__all__"}
        print(f"{'command':<26}{'median':>9}   {'floor':<32}{'median':>9}{'ratio':>8}")
        for name, cmd, floor_name, floor in rows:
            # the command and its floor in turns, so that both meet the same load
            median_time(cmd, 1)  # warm the file cache, then time the two in turns
            median_time(floor, 1, quiet)
            pairs = [
                (median_time(cmd, 1, warm=False), median_time(floor, 1, quiet, warm=False))
                for _ in range(args.runs)
            ]
            t = statistics.median(a for a, _ in pairs)
            f = statistics.median(b for _, b in pairs)
            ratio = statistics.median(a / b for a, b in pairs)
            print(
                f"{name:<26}{t * 1000:>7.0f}ms   {floor_name:<32}{f * 1000:>7.0f}ms{ratio:>7.2f}x"
            )


if __name__ == "__main__":
    main()
