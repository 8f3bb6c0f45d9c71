"""Benchmark of qi_cli.stats: run and i chart analysis, and the exact crossings limit.

Run with ``python bench/bench_stats.py``. Prints median wall-clock times; the goal is
100k points under 1 s with linear growth.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from qi_cli.stats import analyse
from qi_cli.stats.exact import crossings_min, runs_limits

SIZES = (1_000, 10_000, 100_000, 1_000_000)


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rng = random.Random(2024)
    print(f"{'points':>10} {'run chart':>12} {'i chart':>12}")
    for size in SIZES:
        values = [rng.gauss(50, 5) for _ in range(size)]
        repeat = 5 if size < 1_000_000 else 3
        run = median_time(lambda v=values: analyse(v, chart="run"), repeat)  # type: ignore[misc]
        i = median_time(lambda v=values: analyse(v, chart="i"), repeat)  # type: ignore[misc]
        print(f"{size:>10,} {run:>11.3f}s {i:>11.3f}s")
    crossings_min.cache_clear()
    start = time.perf_counter()
    k = crossings_min(1_000_000)
    elapsed = time.perf_counter() - start
    print(f"crossings_min(1,000,000) = {k} in {elapsed * 1000:.1f} ms (uncached)")
    runs_limits.cache_clear()
    start = time.perf_counter()
    limits = runs_limits(1_000_000)
    elapsed = time.perf_counter() - start
    print(f"runs_limits(1,000,000) = {limits} in {elapsed * 1000:.1f} ms (uncached)")


if __name__ == "__main__":
    main()
