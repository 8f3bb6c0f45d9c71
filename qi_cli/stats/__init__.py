"""Statistics engine of qi: run charts, control (SPC) charts and their rules.

Pure Python, no I/O. One entry point, :func:`analyse`, three rule sets:

* ``anhoej``: qicharts2 0.8.1 (Anhøj's longest run and crossings, 3-sigma limits);
* ``ihi``: the IHI run chart rules (shift 6, trend 5, exact runs limits);
* ``mdc``: NHS Making Data Count (NHSRplotthedots 0.2.2 XmR rules and icons).

Funnel plots and Pareto charts have modules of their own, imported by the commands that
draw them: :func:`qi_cli.stats.funnel.funnel` and :func:`qi_cli.stats.pareto.pareto`
(a chart starts without them: bench/startup.py's `qi chart` figure).

>>> from qi_cli.stats import analyse, explain
>>> result = analyse([12, 14, 13, 15, 14, 13, 15, 14, 13, 14], chart="i")
>>> result.points[0].cl, result.signals
(13.7, ())
"""

from .analysis import analyse
from .errors import StatsError
from .exact import crossings_min, longest_run_max, runs_limits
from .prepare import CHART_NAMES, CHARTS, DIRECTIONS, METHOD_NAMES, METHODS, parts_from_labels
from .result import RULES, ChartResult, GroupSummary, PartSummary, Point, Points, Signal
from .sentences import explain

__all__ = [
    "CHARTS",
    "CHART_NAMES",
    "DIRECTIONS",
    "METHODS",
    "METHOD_NAMES",
    "RULES",
    "ChartResult",
    "GroupSummary",
    "PartSummary",
    "Point",
    "Points",
    "Signal",
    "StatsError",
    "analyse",
    "crossings_min",
    "explain",
    "longest_run_max",
    "parts_from_labels",
    "runs_limits",
]
