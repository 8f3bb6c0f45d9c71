"""What a person types about a cycle: decisions, yes / no, purposes."""

from __future__ import annotations

import pytest

from qi_cli.cycles.answers import parse_decision, parse_held, parse_purpose
from qi_cli.errors import FieldError, UsageError


def test_decision_other_than_the_three_is_refused_with_the_choices() -> None:
    assert parse_decision(" Adapt ") == "adapt"
    with pytest.raises(UsageError) as info:
        parse_decision("adopted")
    assert info.value.hint is not None
    assert all(word in info.value.hint for word in ("adopt", "adapt", "abandon"))
    assert "did you mean 'adopt'" in info.value.hint


def test_held_is_yes_no_partly_or_not_yet_known() -> None:
    assert parse_held(["yes,no", "?", "Y", "Partly", "not yet known", "true"]) == [
        "yes",
        "no",
        None,
        "yes",
        "partly",
        None,
        "yes",
    ]
    with pytest.raises(UsageError, match="not yes, no or partly"):
        parse_held(["maybe"])


def test_purpose_accepts_plain_words() -> None:
    assert parse_purpose("collect information") == "collect_information"
    assert parse_purpose("impl") == "implement"
    with pytest.raises(UsageError, match="not a purpose"):
        parse_purpose("fun")


def test_held_names_its_field_and_the_prediction() -> None:
    with pytest.raises(FieldError) as info:
        parse_held(["yes", "maybe"])
    assert info.value.field == "study.held"
    assert info.value.message == "study.held (prediction 2): 'maybe' is not yes, no or partly"
    named = info.value.named({"study.held": "--held"})
    assert named.message == "--held (prediction 2): 'maybe' is not yes, no or partly"
