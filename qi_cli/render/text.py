"""The words under a chart: legend, lines, signals explained, icons, latest value.

Everything here returns strings; `describe_chart` gives the whole block. Sentences about
signals come from the statistics engine (`qi_cli.stats.explain`), with dates as labels.
"""

from __future__ import annotations

import textwrap

from qi_cli.chart_settings import rules_sentence
from qi_cli.files.loaded import short_cycle_id
from qi_cli.measure_analysis import MeasureAnalysis, unit_of
from qi_cli.render.marks import MARKS, format_value, signal_points
from qi_cli.reports.words import ASSURANCE_WORDS, VARIATION_WORDS
from qi_cli.stats import Points


def _wrap(text: str, width: int, first: str = "", rest: str = "  ") -> list[str]:
    return textwrap.wrap(
        text,
        width=max(width, 30),
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _unit(analysis: MeasureAnalysis) -> str:
    unit = unit_of(analysis.series.measure)
    if unit is None:
        return ""
    return unit if unit == "%" else f" {unit}"


def legend(analysis: MeasureAnalysis) -> str:
    """The marks used on this chart, in one line (wrapped by the caller)."""
    series, result = analysis.series, analysis.result
    items = [f"{MARKS.point} value"]
    if signal_points(analysis):
        items.append(f"{MARKS.signal} signal")
    if any(series.excluded):
        items.append(f"{MARKS.excluded} excluded")
    points = result.points
    if any(v is not None for v in points.cl):
        items.append(f"{MARKS.centre} {result.centre_line}")
    if any(v is not None for v in points.ucl) or any(v is not None for v in points.lcl):
        items.append(f"{MARKS.limit} {'process ' if series.method == 'mdc' else ''}limits")
    if series.method == "mdc" and any(v is not None for v in points.ucl_2s):
        items.append(f"{MARKS.near} 2σ")
    if any(t is not None for t in series.targets):
        kind = {"steps": "stepped target", "trajectory": "target trajectory"}
        items.append(f"{MARKS.target} {kind.get(series.target_kind, 'target')}")
    if any(points.baseline) and not all(points.baseline):
        items.append("╰─╯ baseline")
    if series.phases:
        items.append(f"{MARKS.phase} new phase")
    if series.cycles:
        items.append(f"{MARKS.cycle} PDSA cycle #")
    if series.events:
        items.append(f"{MARKS.event} event E")
    return "   ".join(items)


def _latest_limits(points: Points, unit: str) -> str:
    """`(latest: 23.5% to 58.6%, n = 12)`: the limits of the part's last point that has them."""
    k = next(
        (
            k
            for k in reversed(range(len(points)))
            if points.lcl[k] is not None or points.ucl[k] is not None
        ),
        None,
    )
    if k is None:
        return ""
    last = points[k]
    low = format_value(last.lcl) if last.lcl is not None else "none"
    high = format_value(last.ucl) if last.ucl is not None else "none"
    n = f", n = {format_value(last.n)}" if last.n is not None else ""
    return f" (latest: {low} to {high}{unit}{n})"


def _lines_text(analysis: MeasureAnalysis) -> list[str]:
    """The centre line and limits of each part, in numbers."""
    series, result = analysis.series, analysis.result
    unit = _unit(analysis)
    out: list[str] = []
    # each part's points, a slice of the columns (a part's points follow each other)
    part = result.points.part
    starts = [0, *(k for k in range(1, len(part)) if part[k] != part[k - 1])]
    ends = [*starts[1:], len(part)]
    for start, end in zip(starts, ends, strict=True) if part else ():
        pts = result.points[start:end]
        cls = [v for v in pts.cl if v is not None]
        if not cls:
            continue
        first, last = series.point_dates[start], series.point_dates[end - 1]
        head = f"{first} to {last}: " if len(starts) > 1 else ""
        cl_text = f"{result.centre_line} {format_value(cls[-1])}{unit}"
        # each distinct limit rounded (1M points: one limit, rounded once)
        lcls = {round(v, 9) for v in set(pts.lcl) if v is not None}
        ucls = {round(v, 9) for v in set(pts.ucl) if v is not None}
        limits = ""
        if len(lcls) == 1 and len(ucls) == 1:
            limits = f", limits {format_value(lcls.pop())} to {format_value(ucls.pop())}{unit}"
        elif lcls or ucls:
            limits = ", limits vary with the denominator" + _latest_limits(pts, unit)
        base = [
            k
            for k, (b, y) in enumerate(zip(pts.baseline, pts.y, strict=True))
            if b and y is not None
        ]
        frozen = ""
        if base and len(base) < len(pts.y) - pts.y.count(None):
            until = series.point_dates[start + base[-1]]
            frozen = f" (from the baseline, to {until})"
        out.append(f"{head}{cl_text}{limits}{frozen}")
    return out


def _latest(analysis: MeasureAnalysis) -> str | None:
    series, result = analysis.series, analysis.result
    measure = series.measure
    unit = _unit(analysis)
    ys = result.points.y
    k = next((k for k in reversed(range(len(ys))) if ys[k] is not None), None)
    if k is None:
        return None
    last = result.points[k]
    date = series.point_dates[last.index]
    value = f"{format_value(last.y)}{unit}" if last.y is not None else "?"
    if series.denominators is not None and series.values[last.index] is not None:
        n = series.denominators[last.index]
        if n is not None and measure.data_type == "proportion":
            value += f" ({format_value(series.values[last.index] or 0)} of {format_value(n)})"
    text = f"Latest: {value} on {date}"
    goal = series.targets[last.index] if series.targets else None
    if goal is None:
        return text + ("; no target set." if series.target_kind == "none" else "; no target then.")
    target = f"{format_value(goal)}{unit}"
    if series.target_kind in ("steps", "trajectory"):
        target += ", the target then in force"
    if measure.direction == "neutral" or last.y is None:
        return text + f"; target {target}."
    better = "higher" if measure.direction == "increase" else "lower"
    meets = last.y >= goal if measure.direction == "increase" else last.y <= goal
    verdict = "meets the target" if meets else "does not meet the target yet"
    return f"{text}: {verdict} of {target} ({better} is better)."


def describe_chart(analysis: MeasureAnalysis, *, width: int = 80) -> str:
    """The plain-text block under a chart: legend, lines, phases, cycles, signals, icons."""
    series, result = analysis.series, analysis.result
    out: list[str] = []
    # an item of the key is never split over two lines ("PDSA cycle / #")
    items = _wrap(legend(analysis).replace(" ", "\u00a0").replace("\u00a0" * 3, "   "), width)
    out.extend(line.replace("\u00a0", " ") for line in items)
    for line in _lines_text(analysis):
        out.extend(_wrap(line, width))
    out.extend(_wrap(rules_sentence(series.measure, series.method), width))
    for i, phase in enumerate(series.phases, start=2):
        event = next((e for e in series.events if e.date == phase.event), None)
        reason = phase.reason or (event.text if event else "no reason given (qi explain Q205)")
        if event is not None:
            reason += f" (event {event.label})"
        elif phase.event is not None:
            reason += f" (event of {phase.event})"
        cycle = ""
        if phase.cycle:
            numbers = [c.number for c in series.cycles if c.id == phase.cycle]
            short = short_cycle_id(phase.cycle)
            cycle = f" (cycle #{numbers[0]} {short})" if numbers else f" (cycle {phase.cycle})"
        out.extend(_wrap(f"{MARKS.phase} phase {i} from {phase.date}: {reason}{cycle}", width))
    by_change: dict[str, list[str]] = {}
    for c in series.cycles:
        for change in c.changes:  # a cycle testing several ideas is listed under each
            by_change.setdefault(change, []).append(f"#{c.number} {short_cycle_id(c.id)} {c.date}")
    for change, cycles in by_change.items():
        out.extend(_wrap(f"{MARKS.cycle} {change}: {', '.join(cycles)}", width))
    for e in series.events:
        out.extend(_wrap(f"{MARKS.event} {e.label} {e.date} {e.kind_words}: {e.text}", width))
    out.append("")
    if analysis.explanations:
        if result.signals:
            out.append("Signals:")
        for sentence in analysis.explanations:
            out.extend(_wrap(sentence, width, "- ", "  "))
    if result.variation_icon:
        variation = VARIATION_WORDS.get(result.variation_icon)
        words = variation.explained if variation else result.variation_icon
        out.extend(_wrap(f"Variation: {words}.", width))
    if result.assurance_icon:
        assurance = ASSURANCE_WORDS.get(result.assurance_icon)
        words = assurance.explained if assurance else result.assurance_icon
        out.extend(_wrap(f"Assurance: {words}.", width))
    elif series.method == "mdc" and series.target is None:
        out.extend(_wrap("Assurance: no target set, so no assurance icon.", width))
    latest = _latest(analysis)
    if latest:
        out.extend(_wrap(latest, width))
    notes = [*result.warnings, *series.notes]
    if notes:
        out.append("")
        for note in notes:
            out.extend(_wrap(f"Note: {note}", width))
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
