"""Were a cycle's predictions written before its test? The evidence, and how strong it is.

A prediction only turns a test into learning if it was written before the test
(Langley et al., The Improvement Guide, 2nd ed., ch. 4: "predictions are made before
the test"). qi judges it from two sources, the stronger first:

- **git**: the date of the first commit whose version of the cycle file holds every
  prediction the file holds now, against the Do start date;
- **created**: the `created` date qi writes when the cycle is planned, against the Do
  start date (a person can change it, so it is the weaker evidence).

The verdict is `before`, `after`, or `unknown` (no predictions, no Do start date yet, or
neither source).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import ValidationError

from qi_cli.cycle_model import Cycle
from qi_cli.errors import QiError
from qi_cli.files.git import committed_versions
from qi_cli.files.loaded import LoadedCycle
from qi_cli.files.yaml_read import parse_yaml

Verdict = Literal["before", "after", "unknown"]

VERDICT_WORDS: dict[str, str] = {
    "before": "written before the test",
    "after": "written after the test began",
    "unknown": "unknown",
}


def has_predictions(cycle: Cycle) -> bool:
    """A plan with at least one prediction: Study has something to compare with (Q401)."""
    return any(q.prediction for q in cycle.plan.questions)


@dataclass(frozen=True)
class PredictionsFirst:
    """The verdict, where it comes from (git, created, or None) and the dates compared."""

    verdict: Verdict
    source: Literal["git", "created"] | None = None
    written: dt.date | None = None
    test_start: dt.date | None = None

    @property
    def words(self) -> str:
        """`written before the test (git)`."""
        source = f" ({self.source})" if self.source else ""
        return VERDICT_WORDS[self.verdict] + source

    def to_dict(self) -> dict[str, str | None]:
        return {
            "verdict": self.verdict,
            "source": self.source,
            "written": self.written.isoformat() if self.written else None,
            "test_start": self.test_start.isoformat() if self.test_start else None,
        }


def _predictions(cycle: Cycle) -> set[str]:
    return {" ".join(q.prediction.split()) for q in cycle.plan.questions if q.prediction}


Versions = Iterable[tuple[dt.date, str]]
"""A file's committed versions, oldest first: (author date, text)."""


def git_written(c: LoadedCycle, versions: Versions | None = None) -> dt.date | None:
    """The date of the first commit of the cycle file that holds all its predictions;
    `versions` as `files.git.folder_versions` gives them, else asked of git for this file."""
    wanted = _predictions(c.cycle)
    for date, text in committed_versions(c.path) if versions is None else versions:
        try:
            old = Cycle.model_validate(parse_yaml(text, c.path.name).data)
        except (QiError, ValidationError):
            continue
        if wanted <= _predictions(old):
            return date
    return None


def _judge(written: dt.date, start: dt.date) -> Verdict:
    return "before" if written <= start else "after"


def predictions_first(
    c: LoadedCycle, *, use_git: bool = True, versions: Versions | None = None
) -> PredictionsFirst:
    """Were the cycle's predictions written before the Do start date? (See the module.)

    `versions`: the file's committed versions when the caller has read them for many
    cycles at once (`files.git.folder_versions`); else git is asked for this file."""
    cycle = c.cycle
    start = cycle.do.start if cycle.do else None
    if not _predictions(cycle) or start is None:
        return PredictionsFirst("unknown", test_start=start)
    written = git_written(c, versions) if use_git else None
    if written is not None:
        return PredictionsFirst(_judge(written, start), "git", written, start)
    if cycle.created is not None:
        return PredictionsFirst(_judge(cycle.created, start), "created", cycle.created, start)
    return PredictionsFirst("unknown", test_start=start)


def created_after_test(cycle: Cycle) -> bool:
    """The file says it was created after its test began (a cheap first look, no git)."""
    start = cycle.do.start if cycle.do else None
    return bool(
        _predictions(cycle) and start and cycle.created is not None and cycle.created > start
    )
