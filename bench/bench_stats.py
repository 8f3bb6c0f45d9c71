"""Benchmark of qi_cli.stats: run and i chart analysis, and the exact crossings limit.

Run with ``python bench/bench_stats.py``. Prints median wall-clock times; the goal is
100k points under 1 s with linear growth. Then many small series, as a portfolio of
1,000 projects reads them: one analysis of each of five charts (run, i, c, p, u) of 200
weekly points, in processor time per measure (the steadier figure on a shared machine).
"""

from __future__ import annotations

import math
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


def small_series(rng: random.Random) -> list[Callable[[], object]]:
    """One analysis of each chart a generated portfolio uses (bench/gen_portfolio.py):
    200 points with a shift half-way."""
    ys = [rng.gauss(10, 2) + (3 if i >= 100 else 0) for i in range(200)]
    counts = [float(rng.randint(0, 12)) for _ in range(200)]
    sizes = [float(rng.randint(20, 40)) for _ in range(200)]
    parts = [float(rng.randint(0, 15)) for _ in range(200)]
    return [
        lambda: analyse(ys, chart="run"),
        lambda: analyse(ys, chart="i", direction="decrease", target=8.0),
        lambda: analyse(counts, chart="c"),
        lambda: analyse(parts, chart="p", denominators=sizes, multiply=100),
        lambda: analyse(counts, chart="u", denominators=sizes),
    ]


def per_measure_ms(analyses: list[Callable[[], object]], rounds: int, repeat: int) -> float:
    """The least processor time of `repeat` tries, per analysis, in milliseconds."""
    best = math.inf
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(rounds):
            for run in analyses:
                run()
        best = min(best, time.process_time() - start)
    return best / (rounds * len(analyses)) * 1000


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
    ms = per_measure_ms(small_series(rng), rounds=200, repeat=5)
    print(f"a 200-point measure (run, i, c, p, u charts): {ms:.2f} ms of processor time")


if __name__ == "__main__":
    main()
