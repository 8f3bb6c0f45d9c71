"""Similar projects and learning themes, as `qi site` finds them."""

from __future__ import annotations

import math

from qi_cli.site.learning import learning_themes
from qi_cli.site.similar import MIN_SCORE, content_words, similar_projects


def test_projects_sharing_rare_words_are_similar_and_say_which() -> None:
    words = {
        "falls-7": ["reduce", "falls", "ward", "night", "bed", "days"],
        "falls-9": ["fewer", "falls", "night", "ward"],
        "sepsis": ["screen", "sepsis", "within", "hour"],
        "ulcers": ["halve", "pressure", "ulcers", "ward"],
    }
    similar = similar_projects(words)
    assert similar["falls-7"] == [("falls-9", ["fall", "night", "ward"])]
    assert similar["falls-9"] == [("falls-7", ["fall", "night", "ward"])]
    assert similar["sepsis"] == []
    # "ward" alone is not enough: log(1 + 4/3) < MIN_SCORE
    assert math.log(1 + 4 / 3) < MIN_SCORE
    assert similar["ulcers"] == []


def test_a_word_in_most_projects_of_a_large_library_links_none_of_them() -> None:
    """Every project 'improves' and counts 'patients': those words say nothing, and the
    projects sharing them are never compared pair by pair (the work stays linear)."""
    words = {f"p{k:04d}": ["patients", "falls", f"unique{k}"] for k in range(2000)}
    words["p0000"] += ["delirium", "screening"]
    words["p0001"] += ["delirium", "screening"]
    similar = similar_projects(words)
    assert similar["p0000"] == [("p0001", ["delirium", "screening"])]
    assert all(similar[k] == [] for k in words if k not in ("p0000", "p0001"))


def test_content_words_drop_stop_words_and_plurals() -> None:
    assert content_words(["the", "injuries", "falls", "class", "per", "measure"]) == {
        "injury",
        "fall",
        "class",
    }


def _row(slug: str, *items: tuple[str, list[str], str]) -> dict[str, object]:
    return {
        "slug": slug,
        "title": slug.title(),
        "learning": [
            {"title": t, "drivers": d, "outcome": o, "html": f"<li>{t}</li>"} for t, d, o in items
        ],
    }


def test_learning_themes_join_driver_wordings_and_put_adopted_ideas_first() -> None:
    themes = learning_themes(
        [
            _row("a", ("Night lights", ["Lighting at night"], "testing")),
            _row("b", ("Motion lamps", ["lighting at night!"], "adopted")),
            _row("c", ("Bed alarms", [], "abandoned")),
        ]
    )
    assert [t["label"] for t in themes] == ["Lighting at night", "Not yet on a driver"]
    assert [i["title"] for i in themes[0]["ideas"]] == ["Motion lamps", "Night lights"]
    assert themes[0]["id"] == "theme-lighting-at-night"
