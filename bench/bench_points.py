"""`qi report` on one measure of 10,000, 100,000 and 1,000,000 points: time and memory.

The example project, with its length-of-stay measure made daily and given N values.
For each size, the HTML, terminal and JSON reports are timed (one run each) with the
peak resident memory of the run. Time and memory should grow about linearly with the
points (budget: the HTML report of 1M points within 10 s); the charts draw a bounded
number of points (render/thin.py) and the JSON lists the latest 5,000.

Run: python bench/bench_points.py [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PY = sys.executable
QI = [PY, "-m", "qi_cli"]
PROBE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "run = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(time.perf_counter() - t, use.ru_utime + use.ru_stime, use.ru_maxrss)\n"
    "sys.exit(run.returncode and run.stderr[-400:])\n"
)


def make_project(base: Path, n: int) -> Path:
    """The example project with `n` daily values of length of stay."""
    folder = base / f"points-{n}"
    subprocess.run([*QI, "demo", "--dir", str(folder)], capture_output=True, check=True)
    root = folder / "rib-fracture-pathway"
    measure = root / "measures" / "length-of-stay.yaml"
    text = measure.read_text(encoding="utf-8").replace("frequency: weekly", "frequency: daily")
    measure.write_text(re.sub(r"baseline:\n  until: .*\n", "", text), encoding="utf-8")
    rng = random.Random(1)
    first = dt.date(2026, 1, 1)
    rows = [f"{first + dt.timedelta(days=i)},{rng.gauss(7, 1):.1f}," for i in range(n)]
    (root / "measures" / "length-of-stay.csv").write_text(
        "date,value,note\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    return root


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time (s), processor time (s) and peak resident memory (MB) of one run, in a
    fresh child. On a machine shared with other work, the processor time is the steadier
    figure: wall time also counts the waits for a free core."""
    out = subprocess.run([PY, "-c", PROBE, *cmd], capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr}")
    seconds, cpu, kb = out.stdout.split()
    return float(seconds), float(cpu), int(kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'qi report, one measure of':<28}{'format':<10}{'time':>10}{'processor':>12}"
        f"{'peak memory':>14}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.chdir(base)  # so that `python -m qi_cli` runs the installed qi
        env = {**os.environ, "QI_CACHE_DIR": str(base / "cache"), "NO_COLOR": "1"}
        for n in sizes:
            root = make_project(base, n)
            for fmt in ("html", "terminal", "json"):
                out = base / f"report-{n}.{fmt}"
                seconds, cpu, mb = measure(
                    [*QI, "report", str(root), "--format", fmt, "-o", str(out)], env
                )
                print(
                    f"{n:>12,} points{'':<9}{fmt:<10}{seconds:>8.1f} s{cpu:>10.1f} s{mb:>10.0f} MB"
                )


if __name__ == "__main__":
    main()
