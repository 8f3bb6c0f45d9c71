"""reports.words: one table of words per Making Data Count icon, in every form."""

from __future__ import annotations

from qi_cli.reports.words import (
    ASSURANCE_WORDS,
    VARIATION_WORDS,
    assurance_words,
    counted,
    rule_words,
    variation_words,
)
from qi_cli.stats import RULES
from qi_cli.stats.mdc import ASSURANCE_ICONS, VARIATION_ICONS


def test_every_icon_the_engine_gives_has_its_words() -> None:
    neutral_and_common = {"common_cause", "neutral_high", "neutral_low"}
    assert set(VARIATION_WORDS) == {*VARIATION_ICONS.values(), *neutral_and_common}
    assert set(ASSURANCE_WORDS) == set(ASSURANCE_ICONS.values())
    for words in [*VARIATION_WORDS.values(), *ASSURANCE_WORDS.values()]:
        assert words.short and words.words and words.explained
        assert len(words.short) <= len(words.words)


def test_variation_words_long_and_short() -> None:
    icon = {"variation_icon": "improvement_low"}
    assert variation_words(icon) == "special cause improvement (lower)"
    assert variation_words(icon, short=True) == "improvement (lower)"
    assert variation_words({"variation": "too_few_points"}, short=True) == "too few points to tell"
    assert variation_words({"variation": "concern_high"}) == "special cause concern (higher)"
    assert variation_words({"latest": {"value": 3}, "concern": True}) == "special cause concern"
    assert variation_words({"latest": None}) is None


def test_assurance_rules_and_counts_in_words() -> None:
    assert assurance_words({"assurance_icon": "fail"}, short=True) == "misses target"
    assert assurance_words({"assurance_icon": None}) is None
    assert rule_words([]) == "none"
    assert all("_" not in rule_words([rule]) for rule in RULES)
    assert counted(1, "cycle") == "1 cycle"
    assert counted(2, "cycle") == "2 cycles"
