"""Generate a synthetic portfolio of qi projects for benchmarks.

Each project has a charter and aim, a driver diagram with change ideas, MEASURES
measures of mixed data types with POINTS weekly points each (a shift half-way), and
CYCLES PDSA cycles in ramps. Deterministic: the same arguments give the same files.

Run: python bench/gen_portfolio.py OUT --projects 1000 [--measures 5 --points 200 --cycles 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

KINDS = [
    ("proportion", "process", "increase", "p"),
    ("continuous", "outcome", "decrease", "i"),
    ("count", "balancing", "decrease", "c"),
    ("rate", "process", "decrease", "u"),
    ("continuous", "process", "decrease", "run"),
]
START = dt.date(2022, 1, 3)


def project_yaml(k: int, outcome: str) -> str:
    return f"""\
format: 1
title: Synthetic project {k}
status: {random.choice(["active", "active", "sustaining", "planning", "completed"])}
start_date: {START}
problem: Generated for benchmarks.
team:
  - name: Lead {k}
    role: Project lead
  - name: Nurse {k}
    role: Ward nurse
sponsor: Director {k % 17}
coach: Coach {k % 9}
aim:
  statement: Improve measure m0 by 20% by 31 March 2027
  outcome_measure: {outcome}
  baseline: 10
  target: 8
  target_date: 2027-03-31
  population: adult inpatients
progress:
  - date: {START}
    score: 1.0
  - date: {START + dt.timedelta(days=200)}
    score: {random.choice([2.0, 2.5, 3.0, 3.5])}
"""


def drivers_yaml(changes: int) -> str:
    lines = [
        "drivers:",
        "  primary-a:",
        "    name: Primary driver A",
        "  secondary-a:",
        "    name: Secondary driver A",
        "    parents: [primary-a]",
        "changes:",
    ]
    for c in range(changes):
        lines += [f"  change-{c}:", f"    title: Change idea {c}", "    drivers: [secondary-a]"]
    return "\n".join(lines) + "\n"


def measure_yaml(m: int) -> str:
    data_type, kind, direction, chart = KINDS[m % len(KINDS)]
    return f"""\
name: Measure {m}
kind: {kind}
data_type: {data_type}
direction: {direction}
target: 8
frequency: weekly
chart: {chart}
definition:
  description: synthetic measure {m}
"""


def measure_csv(m: int, points: int) -> str:
    data_type = KINDS[m % len(KINDS)][0]
    rows = ["date,value,denominator" if data_type in ("proportion", "rate") else "date,value"]
    for i in range(points):
        day = START + dt.timedelta(weeks=i)
        shift = 1.0 if i < points // 2 else 0.8
        if data_type == "proportion":
            n = random.randint(10, 30)
            rows.append(f"{day},{min(n, round(n * random.uniform(0.3, 0.7) / shift))},{n}")
        elif data_type == "rate":
            rows.append(f"{day},{random.randint(0, 9)},{random.randint(200, 400)}")
        elif data_type == "count":
            rows.append(f"{day},{random.randint(0, 12)}")
        else:
            rows.append(f"{day},{random.gauss(10 * shift, 1.5):.1f}")
    return "\n".join(rows) + "\n"


def cycle_yaml(c: int, change: int, follows: str | None, day: dt.date, measure: str) -> str:
    follow = f"follows: {follows}\n" if follows else ""
    return f"""\
change: change-{change}
{follow}person: Nurse
scale: {random.choice(["one patient", "one shift", "one ward"])}
measures: [{measure}]
created: {day}
plan:
  objective: Test {c}
  questions:
    - question: Will it work?
      prediction: Yes, mostly
  start: {day}
  end: {day + dt.timedelta(days=3)}
do:
  carried_out_as_planned: true
  what_happened: It ran.
  start: {day}
  end: {day + dt.timedelta(days=3)}
study:
  answers:
    - actual: Mostly
      held: true
  learned: Something useful.
act:
  decision: {random.choice(["adapt", "adapt", "adopt", "abandon"])}
  next_steps: Next test.
"""


def generate(out: Path, projects: int, measures: int, points: int, cycles: int) -> None:
    random.seed(20261125)
    for k in range(projects):
        root = out / f"project-{k:04d}"
        (root / "measures").mkdir(parents=True, exist_ok=True)
        (root / "cycles").mkdir(exist_ok=True)
        (root / "project.yaml").write_text(project_yaml(k, "m1"))
        changes = max(1, cycles // 5)
        (root / "drivers.yaml").write_text(drivers_yaml(changes))
        for m in range(measures):
            (root / "measures" / f"m{m}.yaml").write_text(measure_yaml(m))
            (root / "measures" / f"m{m}.csv").write_text(measure_csv(m, points))
        previous: dict[int, str] = {}
        for c in range(cycles):
            change = c % changes
            day = START + dt.timedelta(weeks=points // 3 + c * 2)
            cid = f"{day}-change-{change}-{k % 65536:04x}{c:02d}"
            (root / "cycles" / f"{cid}.yaml").write_text(
                cycle_yaml(c, change, previous.get(change), day, f"m{c % measures}")
            )
            previous[change] = cid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--measures", type=int, default=5)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args()
    generate(args.out, args.projects, args.measures, args.points, args.cycles)


if __name__ == "__main__":
    main()
