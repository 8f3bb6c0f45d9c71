"""Who a site is for, and so which projects it publishes (`visibility:` in project.yaml).

A public site shows public projects only; an internal site (the default, for a trust's
own intranet) shows public and internal ones. A private project is never published.
"""

from __future__ import annotations

from qi_cli.errors import UsageError

AUDIENCES: dict[str, frozenset[str]] = {
    "internal": frozenset({"public", "internal"}),
    "public": frozenset({"public"}),
}


def published(audience: str) -> frozenset[str]:
    """The visibilities a site for `audience` shows.

    >>> sorted(published("internal"))
    ['internal', 'public']
    """
    if audience not in AUDIENCES:
        raise UsageError(
            f"unknown --audience '{audience}'", hint=f"choose one of: {', '.join(AUDIENCES)}"
        )
    return AUDIENCES[audience]
