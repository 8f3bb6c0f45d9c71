"""``analyse``: check the input, compute centre lines, limits and rules, explain signals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from qi_cli.thresholds import BASELINE_MIN, RUNS_MIN_USEFUL

from . import mdc as mdc_rules
from .errors import StatsError
from .ihi import TREND_MIN, analyse_ihi, find_trends
from .limits import CHART_LINES, Lines, PartData, points_outside
from .options import Options, make_signal
from .prepare import (
    CHARTS,
    DIRECTIONS,
    METHODS,
    Rows,
    as_list,
    build_rows,
    check_chart_inputs,
    check_choice,
    index_list,
    integer,
    number,
    same_length,
    scaled,
)
from .result import ChartResult, PartSummary, Points, Signal
from .rule_options import check_rules
from .runs import analyse_runs, find_runs
from .sentences import (
    baseline_not_used,
    describe,
    not_enough_data,
    provisional,
)

MEDIAN_CHARTS = ("run", "g")


def analyse(
    values: Sequence[float | None],
    chart: str = "run",
    method: str = "anhoej",
    denominators: Sequence[float | None] | None = None,
    subgroups: Sequence[Any] | None = None,
    freeze: int | None = None,
    parts: Sequence[int] | None = None,
    exclude: Sequence[int] | None = None,
    multiply: float = 1,
    screen_outliers: bool = True,
    direction: str = "neutral",
    target: float | None = None,
    rebase: Sequence[int] | None = None,
    fix_after_n_points: int | None = None,
    shift: int | str | None = None,
    trend: bool | None = None,
    two_of_three: bool | None = None,
) -> ChartResult:
    """Analyse a series as a run chart or a control (SPC) chart.

    ``values`` are the measurements (numerators when ``denominators`` are given), one per
    row; ``None``/NaN is missing and skipped. ``subgroups`` gives each row's subgroup key
    (xbar/s charts: several rows per subgroup; other charts: rows with the same key are
    aggregated). Points are the rows, or the subgroups in order of first appearance.

    * ``freeze``: the number of points in the baseline (anhoej/ihi; ignored with parts);
    * ``parts``: break points: a new part starts at each given 0-based index (the same
      numbers as qicharts2's ``part``: a new part starts *after* that many points);
    * ``exclude``: 0-based indices left out of the centre line, limits and runs analysis;
    * ``rebase``: 0-based indices that start a new Making Data Count group (mdc);
    * ``fix_after_n_points``: mdc limits from the first n points of each group (≥ 12);
    * ``shift``, ``trend``, ``two_of_three``: the rules in force, None for the method's
      own (see :mod:`qi_cli.stats.rule_options`).

    Raises :class:`StatsError` for invalid input.

    >>> r = analyse([3, 5, 4, 6, 5, 7, 9, 8, 9, 10, 11, 10], chart="i")
    >>> r.points[0].cl, [s.rule for s in r.signals]
    (7.25, ['outside_limits', 'outside_limits', 'crossings'])
    """
    chart = check_choice(chart, "chart", CHARTS)
    method = check_choice(method, "method", METHODS)
    direction = check_choice(direction, "direction", DIRECTIONS)
    if not isinstance(screen_outliers, bool):
        raise StatsError("screen_outliers must be True or False")
    scale = number(multiply, "multiply")
    if scale is None or scale <= 0:
        raise StatsError("multiply must be a positive finite number")
    goal = number(target, "target")
    raw = as_list(values, "values")
    raw_n = same_length(denominators, "denominators", len(raw))
    raw_groups = same_length(subgroups, "subgroups", len(raw))
    check_chart_inputs(chart, method, raw_n, raw_groups)
    rows = build_rows(chart, raw, raw_n, raw_groups)
    options = Options(
        chart=chart,
        method=method,
        multiply=scale,
        screen=screen_outliers,
        direction=direction,
        target=goal,
        rules=check_rules(method, shift, trend, two_of_three),
    )
    size = len(rows.y)
    if method == "mdc":
        if freeze is not None or parts is not None or exclude is not None:
            raise StatsError(
                "freeze, parts and exclude apply to anhoej and ihi; mdc uses rebase and "
                "fix_after_n_points"
            )
        starts = [0]
        if rebase is not None:
            starts = sorted({0, *index_list(rebase, "rebase", 0, max(size - 1, 0))})
        fix = None
        if fix_after_n_points is not None:
            fix = integer(fix_after_n_points, "fix_after_n_points")
            if fix < 12:
                raise StatsError("fix_after_n_points must be at least 12")
        return mdc_rules.analyse_mdc(rows, options, starts, fix)
    if rebase is not None or fix_after_n_points is not None:
        raise StatsError("rebase and fix_after_n_points apply to mdc; anhoej and ihi use parts")
    warnings: list[str] = []
    breaks = [] if parts is None else index_list(parts, "parts", 1, size - 1)
    n_base = size
    if freeze is not None:
        n_base = integer(freeze, "freeze")
        if not 1 <= n_base <= max(size, 1):
            raise StatsError(f"freeze must be between 1 and the number of points ({size})")
        if breaks:
            warnings.append(baseline_not_used())
            n_base = size
    excluded = set() if exclude is None else set(index_list(exclude, "exclude", 0, size - 1))
    return _analyse_parts(rows, options, breaks, n_base, excluded, warnings)


def _centre_line_name(chart: str, method: str) -> str:
    return "median" if method == "ihi" or chart in MEDIAN_CHARTS else "mean"


def _analyse_parts(
    rows: Rows,
    options: Options,
    breaks: list[int],
    n_base: int,
    excluded: set[int],
    warnings: list[str],
) -> ChartResult:
    size = len(rows.y)
    bounds = list(zip([0, *breaks], [*breaks, size], strict=False))
    n_parts = len(bounds)
    columns: list[dict[str, Sequence[Any]]] = []  # each part's points
    summaries: list[PartSummary] = []
    signals: list[Signal] = []
    if rows.zero_denominators:
        warnings.append(
            f"{rows.zero_denominators} points have a denominator of 0: they are shown as gaps."
        )
    for number_, (start, end) in enumerate(bounds, start=1):
        if excluded:
            include = [i not in excluded for i in range(start, end)]
        else:
            include = [True] * (end - start)
        if n_base >= end:  # every point of the part is in the baseline
            base = list(include)
        else:
            base = [inc and i < n_base for inc, i in zip(include, range(start, end), strict=False)]
        part = PartData(
            y=rows.y[start:end],
            y_sum=rows.y_sum[start:end],
            n=rows.n[start:end],
            size=rows.size[start:end],
            sd=rows.sd[start:end],
            base=base,
        )
        lines = CHART_LINES[options.chart](part, options.screen)
        above, below = points_outside(lines, options.multiply, start)
        summary, part_signals = _part_rules(
            lines, include, start, number_, options, _count(lines.y, base), len(above) + len(below)
        )
        for side, hits in ((1, above), (-1, below)):
            if hits:
                part_signals.append(
                    make_signal("outside_limits", hits, side, options, number_, len(hits))
                )
        summaries.append(summary)
        signals.extend(part_signals)
        columns.append(
            _point_columns(lines, rows, options, start, number_, n_base, excluded, part_signals)
        )
        warnings.extend(_part_warnings(summary, lines, options, n_parts))
    signals.sort(key=_signal_order)
    centre = _centre_line_name(options.chart, options.method)
    signals = [
        replace(s, message=describe(s, options.method, centre, None, n_parts)) for s in signals
    ]
    return ChartResult(
        chart=options.chart,
        method=options.method,
        direction=options.direction,
        target=options.target,
        multiply=options.multiply,
        centre_line=centre,
        points=Points.from_parts(columns),
        parts=tuple(summaries),
        groups=(),
        signals=tuple(signals),
        warnings=tuple(warnings),
    )


def _signal_order(s: Signal) -> tuple[int, bool, int, str]:
    """By part; point rules by first point; part-wide rules (crossings, runs) last."""
    return (s.part, s.rule in ("crossings", "runs"), s.points[0] if s.points else 0, s.rule)


def _count(ys: list[float | None], flags: list[bool]) -> int:
    """How many points are flagged and present."""
    return len([y for y, f in zip(ys, flags, strict=False) if f and y is not None])


def _part_rules(
    lines: Lines,
    include: list[bool],
    start: int,
    part: int,
    options: Options,
    baseline_points: int,
    sigma_signals: int,
) -> tuple[PartSummary, list[Signal]]:
    n_obs, runs = find_runs(lines.y, lines.cl, include, start)
    analysis = analyse_runs(n_obs, runs)
    first, last = start, start + len(lines.y) - 1
    signals: list[Signal] = []
    n_useful = analysis.n_useful
    if options.method == "ihi":
        present = [
            (start + k, y)
            for k, (y, inc) in enumerate(zip(lines.y, include, strict=False))
            if inc and y is not None
        ]
        rules = options.rules
        shift_min = rules.shift_length("ihi", n_useful)
        ihi = analyse_ihi(runs, present, n_useful, shift_min, rules.trend_on("ihi"))
        for run in ihi.shifts:
            signals.append(
                make_signal(
                    "shift",
                    run.points,
                    run.side,
                    options,
                    part,
                    len(run.points),
                    shift_min,
                    n_useful,
                )
            )
        for trend in ihi.trends:
            signals.append(
                make_signal(
                    "trend",
                    trend.points,
                    trend.side,
                    options,
                    part,
                    trend.length,
                    TREND_MIN,
                    n_useful,
                )
            )
        if ihi.runs_signal and ihi.runs is not None:
            limit = ihi.runs_lower if ihi.runs < (ihi.runs_lower or 0) else ihi.runs_upper
            signals.append(
                make_signal(
                    "runs", analysis.useful_points, None, options, part, ihi.runs, limit, n_useful
                )
            )
        summary = PartSummary(
            part=part,
            first=first,
            last=last,
            n_obs=n_obs,
            n_useful=n_useful,
            baseline_points=baseline_points,
            longest_run=analysis.longest_run,
            longest_run_max=None,
            crossings=analysis.crossings,
            crossings_min=None,
            runs_signal=bool(signals),
            sigma_signals=sigma_signals,
            runs=ihi.runs,
            runs_lower=ihi.runs_lower,
            runs_upper=ihi.runs_upper,
            shift=bool(ihi.shifts),
            trend=bool(ihi.trends),
        )
        return summary, signals
    shift_min = options.rules.shift_length("anhoej", n_useful)
    long_runs = [r for r in analysis.runs if len(r.points) >= shift_min]
    few_crossings = (analysis.crossings or 0) < (analysis.crossings_min or 0)
    runs_signal = bool(long_runs or few_crossings) and options.chart != "mr"
    if runs_signal:
        for run in long_runs:
            signals.append(
                make_signal(
                    "shift",
                    run.points,
                    run.side,
                    options,
                    part,
                    len(run.points),
                    shift_min - 1,
                    n_useful,
                )
            )
        if few_crossings:
            signals.append(
                make_signal(
                    "crossings",
                    analysis.useful_points,
                    None,
                    options,
                    part,
                    analysis.crossings,
                    analysis.crossings_min,
                    n_useful,
                )
            )
    summary = PartSummary(
        part=part,
        first=first,
        last=last,
        n_obs=n_obs,
        n_useful=n_useful,
        baseline_points=baseline_points,
        longest_run=analysis.longest_run,
        longest_run_max=None if analysis.longest_run_max is None else shift_min - 1,
        crossings=analysis.crossings,
        crossings_min=analysis.crossings_min,
        runs_signal=runs_signal,
        sigma_signals=sigma_signals,
    )
    if options.rules.trend_on("anhoej") and options.chart != "mr":
        signals.extend(_trend_signals(lines, include, start, part, options, n_useful))
    return summary, signals


def _trend_signals(
    lines: Lines, include: list[bool], start: int, part: int, options: Options, n_useful: int
) -> list[Signal]:
    """The trend rule when a measure turns it on for anhoej: IHI's, 5 points."""
    present = [
        (start + k, y)
        for k, (y, inc) in enumerate(zip(lines.y, include, strict=False))
        if inc and y is not None
    ]
    return [
        make_signal("trend", t.points, t.side, options, part, t.length, TREND_MIN, n_useful)
        for t in find_trends(present)
    ]


def _point_columns(
    lines: Lines,
    rows: Rows,
    options: Options,
    start: int,
    part: int,
    n_base: int,
    excluded: set[int],
    signals: list[Signal],
) -> dict[str, Sequence[Any]]:
    """A part's points, one sequence per field of `Point` (see `Points`); `signals` are
    the part's."""
    f = options.multiply
    size = len(lines.y)
    end = start + size
    in_base = min(max(n_base - start, 0), size)
    sizes = [float(n) for n in rows.size[start:end]] if options.chart in ("xbar", "s") else None
    return {
        "y": scaled(lines.y, f),
        "cl": scaled(lines.cl, f),
        "lcl": scaled(lines.lcl, f),
        "ucl": scaled(lines.ucl, f),
        "lcl_2s": scaled(lines.lcl_2s, f),
        "ucl_2s": scaled(lines.ucl_2s, f),
        "part": (part,) * size,
        "baseline": (True,) * in_base + (False,) * (size - in_base),
        "excluded": tuple(i in excluded for i in range(start, end))
        if excluded
        else (False,) * size,
        "signals": _point_flags(signals, start, size),
        "n": sizes if sizes is not None else rows.n[start:end],
        "point_type": (None,) * size,
        "special_cause": (None,) * size,
    }


def _point_flags(signals: list[Signal], start: int, size: int) -> list[tuple[str, ...]]:
    """The rules that fired on each point of a part, each once, in the signals' order."""
    flags: list[tuple[str, ...]] = [()] * size
    for s in signals:
        one = (s.rule,)  # most points fire one rule: one tuple shared by them all
        for i in s.points:
            rules = flags[i - start]
            if not rules:
                flags[i - start] = one
            elif s.rule not in rules:
                flags[i - start] = rules + one
    return flags


def _part_warnings(summary: PartSummary, lines: Lines, options: Options, n_parts: int) -> list[str]:
    warnings: list[str] = []
    needs_runs = options.chart != "mr"
    if needs_runs and summary.n_useful < RUNS_MIN_USEFUL:
        warnings.append(not_enough_data(summary.n_useful, RUNS_MIN_USEFUL, summary.part, n_parts))
    if options.chart != "run" and options.method == "anhoej":
        if summary.baseline_points < BASELINE_MIN:
            warnings.append(
                provisional(summary.baseline_points, BASELINE_MIN, summary.part, n_parts)
            )
        if any(c is not None for c in lines.cl) and all(u is None for u in lines.ucl):
            prefix = f"Part {summary.part}: " if n_parts > 1 else ""
            warnings.append(
                f"{prefix}Limits cannot be computed: the baseline has too little "
                "variation or too few points."
            )
    return warnings
