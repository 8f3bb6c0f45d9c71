"""qi's speed and memory at scale, each figure beside its floor.

Prints the median wall time of repeated runs for: `qi --help`; `qi validate` and
`qi report` on one project; `qi validate` and `qi portfolio` on a synthetic portfolio
of 100 and 1,000 projects (5 measures x 200 points x 20 cycles each, from
bench/gen_portfolio.py); and the statistics on 100,000 points. A command's floor is a
bare `python -c` importing only what that command cannot avoid. The portfolio is timed
cold (--no-cache: every project read, validated and analysed) and warm (the per-project
cache), as the terminal table a person reads (and warm as JSON, without the drawing),
with the peak memory of the whole run (resident set, children included).

Budgets (issue "Architecture"): start-up as bench/startup.py states it (`qi --help`
within 1.5x `import typer`, `qi validate` within 2x typer, yaml and pydantic's
BaseModel); portfolio on 1,000 projects cold within 10 s, peak memory under 500 MB;
statistics on 100,000 points within 1 s.

Run: python bench/bench.py [--runs 5] [--projects 100,1000] [--quick]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
HERE = Path(__file__).resolve().parent
QI = [PY, "-m", "qi_cli"]


def timed(
    cmd: list[str], runs: int, env: dict[str, str] | None = None, *, warm: bool = True
) -> float:
    if warm:
        subprocess.run(cmd, capture_output=True, env=env)  # warm the file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def peak_mb(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and peak resident memory (MB) of one run, measured in a fresh child."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([PY, "-c", probe, *cmd], capture_output=True, text=True, env=env)
    seconds, kb = out.stdout.split()
    return float(seconds), int(kb) / 1024


def calibration(runs: int) -> float:
    """Seconds a fixed pure-Python loop takes here (median): the yardstick for comparing
    figures taken on different days of a machine whose speed varies."""
    loop = (
        "import time\nt = time.perf_counter()\nsum(i * i for i in range(2_000_000))\n"
        "print(time.perf_counter() - t)"
    )
    samples = [
        float(subprocess.run([PY, "-c", loop], capture_output=True, text=True).stdout)
        for _ in range(max(runs, 3))
    ]
    return statistics.median(samples)


def install_note() -> str:
    """Where the timed `qi` comes from, and whether its modules start from bytecode."""
    probe = (
        "import importlib.util, os, sys, qi_cli.files.loader as m\n"
        "cached = os.path.exists(importlib.util.cache_from_source(m.__file__))\n"
        "print(os.path.dirname(os.path.dirname(m.__file__)), cached or not sys.dont_write_bytecode)"
    )
    out = subprocess.run(
        [PY, "-c", probe], capture_output=True, text=True, check=True, cwd=tempfile.gettempdir()
    )
    where, compiled = out.stdout.rsplit(" ", 1)
    if compiled.strip() == "True":
        return f"qi_cli from {where}"
    return (
        f"qi_cli from {where}, WITHOUT cached bytecode (PYTHONDONTWRITEBYTECODE): start-up "
        "figures include compiling qi's modules; time an installed package (pip install .)"
    )


def row(name: str, seconds: float, floor_name: str = "", floor: float | None = None) -> None:
    ratio = f"{seconds / floor:6.2f}x" if floor else ""
    floor_text = f"{floor * 1000:8.0f} ms" if floor else ""
    print(f"{name:<44}{seconds * 1000:9.0f} ms   {floor_name:<34}{floor_text}{ratio:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--projects", default="100,1000")
    parser.add_argument("--quick", action="store_true", help="small portfolios, for a smoke run")
    args = parser.parse_args()
    sizes = [10, 30] if args.quick else [int(s) for s in args.projects.split(",")]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; median of {args.runs} runs")
    print(install_note())
    print(f"machine speed: a fixed Python loop takes {calibration(args.runs) * 1000:.0f} ms")
    print("(this machine's speed varies with its neighbours; compare runs with this figure)\n")
    print(f"{'command':<44}{'median':>12}   {'floor':<34}{'median':>11}{'ratio':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.chdir(base)  # so that `python -m qi_cli` runs the installed qi, not a checkout's
        env = {**os.environ, "QI_CACHE_DIR": str(base / "cache"), "NO_COLOR": "1"}
        subprocess.run([*QI, "demo", "--dir", str(base)], capture_output=True, check=True)
        example = base / "rib-fracture-pathway"
        f_typer = timed([PY, "-c", "import typer"], args.runs)
        row("qi --help", timed([*QI, "--help"], args.runs), "import typer", f_typer)
        floor = "import typer, yaml\nfrom pydantic import BaseModel"
        f_val = timed([PY, "-c", floor], args.runs)
        t_val = timed([*QI, "validate", str(example)], args.runs)
        row("qi validate (example project)", t_val, "typer, yaml, BaseModel", f_val)
        f_rep = timed([PY, "-c", floor + "\nimport rich.console, plotext"], args.runs)
        row(
            "qi report (example project)",
            timed([*QI, "report", str(example)], args.runs, env),
            "... + rich, plotext",
            f_rep,
        )
        previous: tuple[int, float] | None = None
        for n in sizes:
            folder = base / f"portfolio-{n}"
            subprocess.run(
                [PY, str(HERE / "gen_portfolio.py"), str(folder), "--projects", str(n)], check=True
            )
            runs = max(3, args.runs // 2) if n >= 1000 else args.runs
            row(f"qi validate ({n} projects)", timed([*QI, "validate", str(folder)], runs))
            # the terminal table is what a person runs; JSON shows the cost without drawing
            colds = [
                peak_mb([*QI, "portfolio", str(folder), "--no-cache"], env) for _ in range(runs)
            ]
            cold = statistics.median(seconds for seconds, _ in colds)
            cold_mb = max(mb for _, mb in colds)
            row(f"qi portfolio ({n} projects, cold)", cold)
            print(f"{'':<44}cold runs: {', '.join(f'{s:.1f} s' for s, _ in colds)}")
            subprocess.run([*QI, "portfolio", str(folder)], capture_output=True, env=env)
            warm = timed([*QI, "portfolio", str(folder)], runs, env)
            row(f"qi portfolio ({n} projects, warm cache)", warm)
            warm_json = timed([*QI, "portfolio", str(folder), "-f", "json"], runs, env)
            row(f"qi portfolio ({n} projects, warm, -f json)", warm_json)
            _, warm_mb = peak_mb([*QI, "portfolio", str(folder)], env)
            print(f"{'':<44}peak memory: cold {cold_mb:.0f} MB, warm {warm_mb:.0f} MB")
            if previous:
                scale = n / previous[0]
                grew = cold / previous[1]
                print(f"{'':<44}cold time grew {grew:.1f}x for {scale:.0f}x the projects")
            previous = (n, cold)
    stats = (
        "import random, time\nfrom qi_cli.stats import analyse\n"
        "random.seed(1); v=[random.gauss(10,2) for _ in range(100000)]\n"
        "for chart in ('run', 'i'):\n"
        "    t=time.perf_counter(); analyse(v, chart=chart); print(chart, time.perf_counter()-t)\n"
    )
    out = subprocess.run([PY, "-c", stats], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        chart, seconds = line.split()
        row(f"statistics, {chart} chart, 100,000 points", float(seconds))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this script: {own:.0f} MB")


if __name__ == "__main__":
    main()
