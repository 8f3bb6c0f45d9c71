"""LazyPattern: written like re.compile, used like the pattern, compiled on first use."""

from __future__ import annotations

import re

from qi_cli.patterns import LazyPattern


def test_not_compiled_until_first_search() -> None:
    pattern = LazyPattern(r"bed (\d+)", re.IGNORECASE)
    assert "compiled" not in vars(pattern)
    assert pattern.search("Moved to BED 4 at noon").group(1) == "4"  # type: ignore[union-attr]
    assert vars(pattern)["compiled"] is pattern.compiled  # kept: compiled once


def test_answers_as_the_compiled_pattern() -> None:
    source, text = r"(?P<n>\d{2})", "ward 12, bed 34, bay 5"
    lazy, eager = LazyPattern(source), re.compile(source)
    assert [m.group("n") for m in lazy.finditer(text)] == ["12", "34"]
    assert lazy.match(text) is None and eager.match(text) is None
    assert lazy.match(text, 5).group() == eager.match(text, 5).group() == "12"  # type: ignore[union-attr]
    assert lazy.search(text, 8).group() == "34"  # type: ignore[union-attr]
