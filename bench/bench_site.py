"""`qi site` at scale: a cold build of 1,000 projects, and a rebuild after one changed.

Generates a synthetic portfolio (bench/gen_portfolio.py: 5 measures x 200 points x 20
cycles per project), then times `qi site ROOT -o SITE` as a person runs it: cold (an
empty folder: every project read, checked, analysed and drawn), then again after one
project's data changed (one value added to one measure), then again with nothing
changed. Each run is a fresh `qi` process; its peak memory is the largest resident set
of the process and of its worker processes, added up (a bound on the whole run).

Budgets (issue 16): 1,000 projects cold within 30 s and under 1 GB; a rebuild after one
project changed within 3 s, rewriting only that project's page and the aggregate pages.

Run: python bench/bench_site.py [--projects 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gen_portfolio import generate  # noqa: E402

PY = sys.executable
PROBE = """\
import os, resource, subprocess, sys, threading, time
peak = [0]
def rss(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0
def family(pid):
    out = [pid]
    for p in out:
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                out += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out
t = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
def watch():
    while proc.poll() is None:
        peak[0] = max(peak[0], sum(rss(p) for p in family(proc.pid)))
        time.sleep(0.05)
threading.Thread(target=watch, daemon=True).start()
out, err = proc.communicate()
use = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - t, peak[0], use.ru_utime + use.ru_stime, repr(out.strip()))
"""


def run_site(root: Path, site: Path) -> tuple[float, float, float, str]:
    """Wall seconds, peak MB (the process and its workers), processor seconds (the same)
    and the summary line of one build."""
    cmd = [PY, "-m", "qi_cli", "site", str(root), "-o", str(site)]
    done = subprocess.run([PY, "-c", PROBE, *cmd], capture_output=True, text=True, check=True)
    seconds, kb, cpu, out = done.stdout.split(" ", 3)
    return float(seconds), int(kb) / 1024, float(cpu), ast.literal_eval(out)


def figures(wall: float, mb: float, cpu: float, line: str) -> str:
    return f"{wall:6.1f} s wall, {cpu:6.1f} s processor, peak {mb:4.0f} MB  ({line})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="build in DIR and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        root, site = base / "projects", base / "site"
        if not root.exists():
            generate(root, args.projects, 5, 200, 20)
        os.environ.setdefault("QI_CACHE_DIR", str(base / "cache"))
        shutil.rmtree(site, ignore_errors=True)
        shape = "5 measures x 200 points x 20 cycles"
        print(f"{args.projects} projects ({shape}), {os.cpu_count()} cores")
        print(f"cold build:           {figures(*run_site(root, site))}")
        # one new weekly value of the outcome measure, a week after the last one
        csv = sorted(root.iterdir())[args.projects // 2] / "measures" / "m1.csv"
        last = csv.read_text(encoding="utf-8").splitlines()[-1].split(",")[0]
        day = dt.date.fromisoformat(last) + dt.timedelta(weeks=1)
        with open(csv, "a", encoding="utf-8") as handle:
            handle.write(f"{day},9.5\n")
        print(f"one project changed:  {figures(*run_site(root, site))}")
        print(f"nothing changed:      {figures(*run_site(root, site))}")
        print("budgets: cold <= 30 s and < 1024 MB; one project changed <= 3 s")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
