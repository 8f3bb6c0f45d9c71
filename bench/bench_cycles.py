"""`qi validate`, `qi cycle list` and `qi report` on a project of 1,000, 10,000 and
100,000 PDSA cycles: time and memory.

The example project, with N generated cycle files beside its own: the example's three
change ideas in turn, in ramps of five (each cycle `follows` the one before it in its
ramp), one a few hours apart, each fully logged (plan, do, study, act) and drawn on
the length-of-stay chart. Each command is timed once, with the peak resident memory
of the run. Time and memory should grow about linearly with the cycles.

The per-cycle figure is processor time over cycles.

Run: python bench/bench_cycles.py [--sizes 1000,10000,100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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
    "print(time.perf_counter() - t, use.ru_utime + use.ru_stime, use.ru_maxrss,\n"
    "      run.returncode, repr(run.stderr[-300:]))\n"
)

CHANGES = ("auto-physio-referral", "spirometer-in-ed", "early-block-review")
RAMP = 5


def cycle_yaml(k: int, day: dt.date, follows: str | None) -> str:
    follow = f"follows: {follows}\n" if follows else ""
    return f"""\
change: {CHANGES[k % len(CHANGES)]}
{follow}person: Sarah Okafor
scale: one patient
measures: [length-of-stay]
created: {day}
plan:
  objective: Test {k}
  questions:
    - question: Will it work?
      prediction: Yes, mostly
  start: {day}
  end: {day}
do:
  carried_out_as_planned: true
  what_happened: It ran.
  start: {day}
  end: {day}
study:
  answers:
    - actual: Mostly
      held: true
  learned: Something useful.
act:
  decision: {"adopt" if k % RAMP == RAMP - 1 else "adapt"}
  next_steps: Next test.
"""


def make_project(base: Path, n: int) -> Path:
    """The example project with `n` more cycles, spread over 2026."""
    folder = base / f"cycles-{n}"
    subprocess.run([*QI, "demo", "--dir", str(folder)], capture_output=True, check=True)
    root = folder / "rib-fracture-pathway"
    first = dt.date(2026, 1, 1)
    previous: dict[str, str] = {}
    for k in range(n):
        change = CHANGES[k % len(CHANGES)]
        day = first + dt.timedelta(days=k * 364 // n)
        # the 4 hex digits qi gives a cycle (k's, so that ids stay unique)
        stem = f"{day}-{change}-{k // 65536:x}{k % 65536:04x}"
        ramp_start = (k // len(CHANGES)) % RAMP == 0
        follows = None if ramp_start else previous.get(change)
        (root / "cycles" / f"{stem}.yaml").write_text(cycle_yaml(k, day, follows), encoding="utf-8")
        previous[change] = stem
    return root


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall time (s), processor time (s), peak resident memory (MB) and a failure's last
    words (a crash; "" when the command answered), of one run in a fresh child."""
    out = subprocess.run([PY, "-c", PROBE, *cmd], capture_output=True, text=True, env=env)
    seconds, cpu, kb, code, stderr = out.stdout.split(" ", 4)
    failed = "" if code in ("0", "1") else f"exit {code}: {stderr.strip()}"
    return float(seconds), float(cpu), int(kb) / 1024, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"{'a project of':<22}{'command':<16}{'time':>10}{'processor':>12}{'per cycle':>12}"
        f"{'peak memory':>14}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        os.chdir(base)  # so that `python -m qi_cli` runs the installed qi
        env = {**os.environ, "QI_CACHE_DIR": str(base / "cache"), "NO_COLOR": "1"}
        for n in sizes:
            root = make_project(base, n)
            commands = {
                "validate": ["validate", str(root)],
                "cycle list": ["cycle", "list", "-p", str(root)],
                "report": ["report", str(root), "-o", str(base / f"report-{n}.txt")],
            }
            for name, command in commands.items():
                seconds, cpu, mb, failed = measure([*QI, *command], env)
                per = cpu / n * 1e6
                print(
                    f"{n:>10,} cycles{'':<5}{name:<16}{seconds:>8.1f} s{cpu:>10.1f} s"
                    f"{per:>9.0f} µs{mb:>10.0f} MB  {failed}"
                )


if __name__ == "__main__":
    main()
