"""What was learned across the trust: every change idea, grouped by the driver it works on.

Teams word their drivers differently, so the grouping is by the driver's wording made
plain (lower case, single spaces, no punctuation): "Safe ward environment" in two
projects is one theme. A change idea under several drivers appears under each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

NO_DRIVER = "Not yet on a driver"
OUTCOMES = ("adopted", "adapted", "abandoned", "testing", "idea")


def theme_key(wording: str) -> str:
    """The plain form of a driver's wording.

    >>> theme_key("  Safe ward-environment! ")
    'safe ward environment'
    """
    return " ".join(re.sub(r"[^\w]+", " ", wording.casefold()).split())


def learning_themes(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Themes, most change ideas first, each with its ideas (adopted ones first)."""
    themes: dict[str, dict[str, Any]] = {}
    labels: dict[str, dict[str, int]] = {}
    for row in rows:
        for item in row["learning"]:
            for wording in item["drivers"] or [NO_DRIVER]:
                key = theme_key(wording) or theme_key(NO_DRIVER)
                theme = themes.setdefault(key, {"key": key, "items": []})
                counts = labels.setdefault(key, {})
                counts[wording] = counts.get(wording, 0) + 1
                theme["items"].append({**item, "project": row["title"]})
    out = []
    for theme in sorted(themes.values(), key=lambda t: (-len(t["items"]), t["key"])):
        counts = labels[theme["key"]]
        items = sorted(
            theme["items"],
            key=lambda i: (OUTCOMES.index(i["outcome"]), i["title"].casefold(), i["project"]),
        )
        out.append(
            {
                "id": "theme-" + theme["key"].replace(" ", "-"),
                # the wording most projects use, the first in order on a tie
                "label": min(counts, key=lambda w: (-counts[w], w)),
                "count": len(items),
                "ideas": items,
            }
        )
    return out
