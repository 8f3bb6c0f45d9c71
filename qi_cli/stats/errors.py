"""The one error type of :mod:`qi_cli.stats`."""

from __future__ import annotations


class StatsError(ValueError):
    """Invalid input; the message names the precondition that failed.

    >>> raise StatsError("chart must be one of run, i; got 'x'")
    Traceback (most recent call last):
    ...
    qi_cli.stats.errors.StatsError: chart must be one of run, i; got 'x'
    """
