"""How much data each rule set needs: the numbers behind "not enough data yet".

A module of constants and nothing else, outside the statistics package, so that `qi validate`
can warn about short series (Q206) without importing the statistics engine.
"""

RUNS_MIN_USEFUL = 10
"""Run chart rules need at least 10 useful points (Perla, Provost & Murray 2011)."""

BASELINE_MIN = 12
"""SPC limits from fewer baseline points are provisional (Provost & Murray, The Health
Care Data Guide, 2011)."""

SHORT_GROUP = 13
"""NHSRplotthedots warns when a rebase group has fewer than 13 points."""
