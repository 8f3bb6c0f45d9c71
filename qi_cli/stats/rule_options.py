"""Which rules a chart applies: the shift length, the trend rule, two of three.

Each rule set has its own defaults (`docs/statistics.md`, "Choosing the rules"):

=============  ======================  =====================  ==============
method         shift                   trend                  two of three
=============  ======================  =====================  ==============
anhoej         by n (Anhøj)            off                    (no such rule)
ihi            6 points                on, 5 points           (no such rule)
mdc            7 points                on, 7 points           on
=============  ======================  =====================  ==============

A measure may choose another shift length (6, 7 or 8 points, or "by n": longer than
round(log2(n)) + 3 useful points, Schilling 2012 as Anhøj & Olesen 2014 use it), turn
the trend rule on or off (Anhøj & Olesen found that the trend rule adds false alarms
without finding more true shifts), and turn Making Data Count's two-of-three rule off.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import StatsError
from .exact import longest_run_max

BY_N = "by n"
SHIFT_DEFAULT: dict[str, int | str] = {"anhoej": BY_N, "ihi": 6, "mdc": 7}
TREND_DEFAULT = {"anhoej": False, "ihi": True, "mdc": True}


@dataclass(frozen=True)
class RuleOptions:
    """The rules in force; None means the method's own default."""

    shift: object = None  # a number of points, BY_N, or None
    trend: bool | None = None
    two_of_three: bool | None = None

    def shift_rule(self, method: str) -> int | str:
        """The shift rule in force: a number of points in a row, or "by n"."""
        if isinstance(self.shift, (int, str)):
            return self.shift
        return SHIFT_DEFAULT[method]

    def trend_on(self, method: str) -> bool:
        return TREND_DEFAULT[method] if self.trend is None else self.trend

    def two_of_three_on(self, method: str) -> bool:
        return method == "mdc" and self.two_of_three is not False

    def shift_length(self, method: str, n_useful: int) -> int:
        """How many useful points in a row on one side make a shift.

        >>> RuleOptions().shift_length("anhoej", 24), RuleOptions(shift=8).shift_length("ihi", 24)
        (9, 8)
        """
        rule = self.shift_rule(method)
        if rule == BY_N:
            return longest_run_max(max(n_useful, 1)) + 1
        assert isinstance(rule, int)
        return rule


def check_rules(method: str, shift: object, trend: object, two_of_three: object) -> RuleOptions:
    """The rule options of `analyse`, checked."""
    if shift not in (None, BY_N) and (
        isinstance(shift, bool) or not isinstance(shift, int) or not 2 <= shift <= 20
    ):
        raise StatsError(f"shift must be a number of points (2 to 20) or {BY_N!r}")
    for name, value in (("trend", trend), ("two_of_three", two_of_three)):
        if value is not None and not isinstance(value, bool):
            raise StatsError(f"{name} must be True, False or None")
    if two_of_three and method != "mdc":
        raise StatsError("two_of_three is a Making Data Count rule (method mdc)")
    return RuleOptions(
        shift=shift,
        trend=trend,  # type: ignore[arg-type]
        two_of_three=two_of_three,  # type: ignore[arg-type]
    )
