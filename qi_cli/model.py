"""The domain model of a QI project: pydantic models for every file, no I/O.

A project folder holds (see docs/format.md), each file with its model in a module of
its own:

- `project.yaml`   the charter, the aim and the progress score history
  (`project_model.Project`)
- `drivers.yaml`   the driver diagram and the change ideas (`driver_model.DriverDiagram`)
- `measures/ID.yaml` one measure and its operational definition
  (`measure_model.Measure`), with its data in `measures/ID.csv`
- `cycles/*.yaml`  one PDSA cycle each (`cycle_model.Cycle`)

This module holds what they share: ids, texts, the words a file may use, and `Strict`,
the base of every model. Words follow the Model for Improvement (Langley et al.) and
the IHI PDSA worksheet.
"""

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

FORMAT_VERSION = 1
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
_ID = re.compile(ID_PATTERN)


def is_valid_id(text: str) -> bool:
    """Ids name files, so they are lower-case letters, digits and hyphens only.

    >>> is_valid_id("physio-review"), is_valid_id("../evil"), is_valid_id("Ward 7")
    (True, False, False)
    """
    return len(text) <= 64 and _ID.fullmatch(text) is not None


Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=64,
        description="lower-case letters, digits and hyphens, e.g. physio-review",
    ),
]
Text = Annotated[str, Field(max_length=10_000)]

Status = Literal["planning", "active", "sustaining", "completed", "on_hold", "abandoned"]
Visibility = Literal["public", "internal", "private"]
Kind = Literal["outcome", "process", "balancing"]
DataType = Literal[
    "proportion", "rate", "count", "continuous", "subgroups", "time_between", "cases_between"
]
Direction = Literal["increase", "decrease", "neutral"]
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "irregular"]
ChartType = Literal["run", "i", "mr", "xbar", "s", "t", "p", "pp", "u", "up", "c", "g"]
Method = Literal["anhoej", "ihi", "mdc"]
Purpose = Literal["collect_information", "develop", "test", "implement"]
Decision = Literal["adopt", "adapt", "abandon"]
HeldWord = Literal["yes", "no", "partly"]

# did a prediction hold? The IHI worksheet's answers, and the words people type for them;
# `true` / `false` are the answers files written before "partly" existed hold
HELD_WORDS: dict[str, HeldWord | None] = {
    **dict.fromkeys(("yes", "y", "true", "t", "1", "held", "✓"), "yes"),
    **dict.fromkeys(("no", "n", "false", "f", "0", "not", "✗"), "no"),
    **dict.fromkeys(("partly", "partially", "partial", "part", "~"), "partly"),
    **dict.fromkeys(("not yet known", "?", "-", "", "unsure", "unknown", "not sure"), None),
}
NOT_YET_KNOWN = "not yet known"


def held_word(value: object) -> object:
    """A held answer as written (a word, or `true` / `false`) in its canonical form.

    >>> [held_word(v) for v in (True, "Yes", "partial", "not yet known", "maybe")]
    ['yes', 'yes', 'partly', None, 'maybe']
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        word = " ".join(value.lower().split())
        return HELD_WORDS.get(word, value)
    return value


# a file may say `not yet known` (or leave it empty) and `true` / `false`; all are read
# into the canonical words, or None
Held = Annotated[
    HeldWord | None,
    BeforeValidator(held_word),
    WithJsonSchema(
        {
            "enum": ["yes", "no", "partly", NOT_YET_KNOWN, True, False, None],
            "description": "did the prediction hold? yes, no, partly or not yet known",
        }
    ),
]

PROGRESS_SCALE: dict[float, str] = {
    0.5: "intent to participate",
    1.0: "charter and team established",
    1.5: "planning begun",
    2.0: "activity, but no changes",
    2.5: "changes tested, but no improvement",
    3.0: "modest improvement",
    3.5: "improvement",
    4.0: "significant improvement",
    4.5: "sustainable improvement",
    5.0: "outstanding sustainable results",
}

DEFAULT_CHART: dict[str, ChartType] = {
    "proportion": "p",
    "rate": "u",
    "count": "c",
    "continuous": "run",
    "subgroups": "xbar",
    "time_between": "t",
    "cases_between": "g",
}


class Strict(BaseModel):
    """Every qi model refuses unknown keys, so a typo is an error, not silently ignored.

    Numbers must be finite: YAML reads `.nan` and `.inf` as floats, and a target or a
    multiplier of NaN would only fail later, inside the arithmetic of a chart.
    """

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        frozen=True,
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        defer_build=True,
    )
