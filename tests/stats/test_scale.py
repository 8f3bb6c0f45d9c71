"""The statistics stay linear in the points: a long series with many signals.

Bounds are CPU seconds, several times what a loaded two-core machine takes, and far
below what a quadratic step takes at these sizes (bench/bench_points.py has the figures).
"""

from __future__ import annotations

import time

from qi_cli.stats import analyse


def test_mdc_with_thousands_of_shifts_is_linear() -> None:
    # runs of 7 alternately above and below the mean: a shift every 7 points (7,142 of
    # them in 50,000 points); the shift length was once recounted over the whole group
    # for each one (50,000 x 7,142 steps, about half a minute)
    values = [12.0 if (i // 7) % 2 else 8.0 for i in range(50_000)]
    start = time.process_time()
    result = analyse(values, chart="i", method="mdc", two_of_three=False)
    assert time.process_time() - start < 5.0
    shifts = [s for s in result.signals if s.rule == "shift"]
    assert len(shifts) == 50_000 // 7  # the last run (50,000 = 7,142 x 7 + 6) is short
    assert shifts[0].points == (0, 1, 2, 3, 4, 5, 6)
    # 3,571 runs of 8.0 and 3,571 of 12.0, then 6 more points of 8.0
    assert result.groups[0].mean == (3_571 * 7 * 8.0 + 3_571 * 7 * 12.0 + 6 * 8.0) / 50_000
