"""What a measure's chart is judged by: the target in force at each date, the rules.

A measure's `target:` is one number, steps or a trajectory (`qi_cli.model`); the chart,
"latest against target" and the Making Data Count assurance use the target in force on
each point's date (docs/statistics.md, "Targets that change over time"). The rules in
force are the method's own or the measure's `rules:` (`qi_cli.stats.rule_options`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from qi_cli.errors import QiError
from qi_cli.measure_model import Measure, TargetStep, TrajectoryTarget
from qi_cli.project_model import Aim
from qi_cli.stats.rule_options import BY_N, RuleOptions


def target_line(
    measure_id: str, measure: Measure, dates: Sequence[dt.date], aim: Aim | None = None
) -> tuple[tuple[float | None, ...], str]:
    """The target in force at each date, and what kind of target it is.

    A number holds on every date; a list of steps holds each value from its date until
    the next step (nothing before the first); a trajectory runs in a straight line from
    its start value on its start date to ``to`` on ``by`` (the aim's target date if
    unset), and holds ``to`` after. A measure without a target that is the aim's outcome
    measure takes the aim's target.
    """
    target = measure.target
    if target is None:
        if aim is not None and aim.outcome_measure == measure_id and aim.target is not None:
            return (aim.target,) * len(dates), "aim"
        return (None,) * len(dates), "none"
    if isinstance(target, (int, float)):
        return (float(target),) * len(dates), "fixed"
    if isinstance(target, TrajectoryTarget):
        line = target.trajectory
        end = line.by or (aim.target_date if aim is not None else None)
        if end is None or end <= line.start:
            raise QiError(
                f"measure '{measure_id}': the target trajectory has no end date after {line.start}",
                hint="set `by:` under target.trajectory, or the aim's target_date",
            )
        days = (end - line.start).days
        out: list[float | None] = []
        for d in dates:
            if d < line.start:
                out.append(None)
            elif d >= end:
                out.append(line.to)
            else:
                share = (d - line.start).days / days
                out.append(line.start_value + (line.to - line.start_value) * share)
        return tuple(out), "trajectory"
    return tuple(_step_at(target, d) for d in dates), "steps"


def _step_at(steps: Sequence[TargetStep], date: dt.date) -> float | None:
    value = None
    for step in sorted(steps, key=lambda s: s.start):
        if step.start <= date:
            value = step.value
    return value


def rules_in_force(measure: Measure, method: str) -> dict[str, object]:
    """The rules a chart of this measure applies: the method's own, or the measure's."""
    rules = measure.rules
    options = RuleOptions(
        shift=rules.shift if rules else None,
        trend=rules.trend if rules else None,
        two_of_three=rules.two_of_three if rules else None,
    )
    out: dict[str, object] = {
        "shift": options.shift_rule(method),
        "trend": options.trend_on(method),
    }
    if method == "mdc":
        out["two_of_three"] = options.two_of_three_on(method)
    return out


def rules_sentence(measure: Measure, method: str) -> str:
    """`Rules: shift 6 points in a row, trend on, two of three off.`"""
    rules = rules_in_force(measure, method)
    shift = rules["shift"]
    parts = [
        "shift by n (Anhøj)" if shift == BY_N else f"shift {shift} points in a row",
        f"trend {'on' if rules['trend'] else 'off'}",
    ]
    if "two_of_three" in rules:
        parts.append(f"two of three {'on' if rules['two_of_three'] else 'off'}")
    if method == "anhoej":
        parts.append("crossings")
    return "Rules: " + ", ".join(parts) + "."
