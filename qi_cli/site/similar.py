"""Similar projects: those whose aims and measures share telling words, to catch a
second team about to start the same project.

Each project brings the content words of its aim and its measures' names. Words that
say little (stop words, and words in a large share of all projects, such as "reduce"
or "patients" in a hospital's library) are dropped; the rest are weighted by how rare
they are (inverse document frequency), and two projects are similar when the weights
of their shared words add up to enough. An inverted index (word -> projects) finds the
candidates, and a word shared by too many projects is never followed, so the work
grows with the number of projects, not its square.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

_STOP_TEXT = """
    about above after again against all also and any are because been before being
    below between both but can could did does doing down during each few for from
    further had has have having her here hers his how into its itself just more most
    much not now off once only other our out over own same she should some such than
    that the their theirs them then there these they this those through too under
    until very was were what when where which while who whom why will with within
    without would you your per by to of in on at as an or is it be we us
    improve improving improvement increase increasing reduce reducing reduction
    decrease decreasing rate rates number numbers proportion percentage measure
    measures month months week weeks year years day days target baseline end
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
MAX_SHARE = 0.2
"""A word in more than this share of the projects tells them apart no more than a stop word."""
MIN_COMMON = 25
"""…unless it is in this many projects or fewer: a small library keeps its shared words."""
MIN_SCORE = 1.5
"""The sum of the shared words' weights from which two projects are shown as similar."""
SHOWN = 5


def _stem(word: str) -> str:
    """A crude singular, so "falls" meets "fall" and "injuries" meets "injury"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(words: Sequence[str]) -> set[str]:
    """The words that can make two projects similar.

    >>> sorted(content_words(["reduce", "falls", "ward", "the", "injuries"]))
    ['fall', 'injury', 'ward']
    """
    return {_stem(w) for w in words if w not in STOP_WORDS} - STOP_WORDS


def similar_projects(words: Mapping[str, Sequence[str]]) -> dict[str, list[tuple[str, list[str]]]]:
    """For each project (by key), the most similar others with the words they share."""
    sets = {key: content_words(ws) for key, ws in words.items()}
    index: dict[str, list[str]] = {}
    for key in sorted(sets):
        for word in sets[key]:
            index.setdefault(word, []).append(key)
    n = len(sets)
    limit = max(MIN_COMMON, int(n * MAX_SHARE))
    weight = {w: math.log(1 + n / len(keys)) for w, keys in index.items() if len(keys) <= limit}
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for key in sorted(sets):
        scores: dict[str, float] = {}
        shared: dict[str, list[str]] = {}
        for word in sorted(sets[key]):
            if word not in weight:
                continue
            for other in index[word]:
                if other != key:
                    scores[other] = scores.get(other, 0.0) + weight[word]
                    shared.setdefault(other, []).append(word)
        best = sorted(
            (other for other, score in scores.items() if score >= MIN_SCORE),
            key=lambda other: (-scores[other], other),
        )[:SHOWN]
        out[key] = [(other, shared[other]) for other in best]
    return out
