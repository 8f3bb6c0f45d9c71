"""The choices an analysis runs with, and the `Signal` a rule that fired becomes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .result import Signal
from .rule_options import RuleOptions


@dataclass(frozen=True)
class Options:
    chart: str
    method: str
    multiply: float
    screen: bool
    direction: str
    target: float | None
    rules: RuleOptions = field(default_factory=RuleOptions)


def improvement(side: int | None, direction: str) -> bool | None:
    if side is None or direction == "neutral":
        return None
    return (side > 0) == (direction == "increase")


def make_signal(
    rule: str,
    points: Sequence[int],
    side: int | None,
    options: Options,
    part: int,
    observed: int | None = None,
    limit: int | None = None,
    n_useful: int | None = None,
) -> Signal:
    where = None if side is None else ("up" if side > 0 else "down")
    return Signal(
        rule=rule,
        points=tuple(points),
        direction=where,
        improvement=improvement(side, options.direction),
        message="",
        part=part,
        observed=observed,
        limit=limit,
        n_useful=n_useful,
    )
