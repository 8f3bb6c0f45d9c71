"""Statistics engine of qi: run charts, control (SPC) charts and their rules.

Pure Python, no I/O. One entry point, :func:`analyse`, three rule sets:

* ``anhoej``: qicharts2 0.8.1 (Anhøj's longest run and crossings, 3-sigma limits);
* ``ihi``: the IHI run chart rules (shift 6, trend 5, exact runs limits);
* ``mdc``: NHS Making Data Count (NHSRplotthedots 0.2.2 XmR rules and icons).

>>> from qi_cli.stats import analyse, explain
>>> result = analyse([12, 14, 13, 15, 14, 13, 15, 14, 13, 14], chart="i")
>>> result.points[0].cl, result.signals
(13.7, ())
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import analyse
    from .errors import StatsError
    from .exact import crossings_min, longest_run_max, runs_limits
    from .prepare import CHARTS, DIRECTIONS, METHODS, parts_from_labels
    from .result import RULES, ChartResult, GroupSummary, PartSummary, Point, Signal
    from .sentences import explain

# The names are loaded on first use (PEP 562), so that a module needing one constant
# (`qi validate` asks how many points the rules need) does not import the whole engine.
_HOME = {
    "analyse": "analysis",
    "StatsError": "errors",
    "crossings_min": "exact",
    "longest_run_max": "exact",
    "runs_limits": "exact",
    "explain": "sentences",
    "CHARTS": "prepare",
    "DIRECTIONS": "prepare",
    "METHODS": "prepare",
    "parts_from_labels": "prepare",
    "RULES": "result",
    "ChartResult": "result",
    "GroupSummary": "result",
    "PartSummary": "result",
    "Point": "result",
    "Signal": "result",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CHARTS",
    "DIRECTIONS",
    "METHODS",
    "RULES",
    "ChartResult",
    "GroupSummary",
    "PartSummary",
    "Point",
    "Signal",
    "StatsError",
    "analyse",
    "crossings_min",
    "explain",
    "longest_run_max",
    "parts_from_labels",
    "runs_limits",
]
