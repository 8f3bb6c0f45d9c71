"""`cycles/*.yaml`: one PDSA cycle each, Plan, Do, Study and Act (`Cycle`).

Words follow the Model for Improvement (Langley et al.) and the IHI PDSA worksheet;
the ids, texts and word lists all files share are in `qi_cli.model`.
"""

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from qi_cli.model import ID_PATTERN, Decision, Held, Id, Purpose, Strict, Text


class Who(Strict):
    who: Text | None = None
    what: Text | None = None
    when: Text | None = None
    where: Text | None = None


class Question(Strict):
    question: Text
    prediction: Text | None = None


class Plan(Strict):
    objective: Text | None = None
    questions: list[Question] = Field(default_factory=list)
    test: Who | None = None
    data_collection: Who | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class Do(Strict):
    carried_out_as_planned: StrictBool | None = None
    what_happened: Text | None = None
    observations: Text | None = None
    problems: Text | None = None
    data_collected: Text | None = None
    start: dt.date | None = None
    end: dt.date | None = None


class Answer(Strict):
    actual: Text | None = Field(None, description="what actually happened")
    held: Held = None


class Study(Strict):
    answers: list[Answer] = Field(
        default_factory=list, description="one per question of the plan, in the same order"
    )
    learned: Text | None = None


class Act(Strict):
    decision: Decision | None = None
    next_steps: Text | None = None


class Cancelled(Strict):
    """A cycle stopped before its Act decision: kept as evidence, with when and why."""

    date: dt.date = Field(description="the day the cycle was cancelled")
    reason: Text = Field(description="why the cycle was stopped")


class Amended(Strict):
    field: str = Field(description="the field changed, e.g. act.decision or plan.questions.1")
    was: Text | None = Field(None, description="its value before, as it was shown")
    now: Text | None = Field(None, description="its value after")


class HistoryEntry(Strict):
    """One change to what a cycle had recorded, kept in its file."""

    date: dt.date
    reason: Text
    fields: list[Amended] = Field(default_factory=list)


_ID_SCHEMA = {"type": "string", "pattern": ID_PATTERN, "maxLength": 64}
_ONE_ID = TypeAdapter(Id, config=ConfigDict(str_strip_whitespace=True, coerce_numbers_to_str=True))


def _one_change(value: object, refusal: str) -> str:
    """One change idea id, checked as every id is (a mapping or true/false is none)."""
    if isinstance(value, (dict, list, bool)) or value is None:
        raise PydanticCustomError("change_type", refusal)
    return str(_ONE_ID.validate_python(value))


def change_ids(value: object) -> str | list[str]:
    """A cycle's `change:` as written: one id, or a list of distinct ids.

    Each id is checked on its own, so an error names the list item it is about (its
    line in the file), and the one-id form stays exactly as old files have it.

    >>> change_ids("night-lights"), change_ids(["night-lights", "quiet-hours"])
    ('night-lights', ['night-lights', 'quiet-hours'])
    """
    if not isinstance(value, list):
        return _one_change(value, "write one change idea id, or a list of ids")
    if not value:
        raise PydanticCustomError("change_empty", "the list names no change idea")
    errors: list[InitErrorDetails] = []
    ids: list[str] = []
    for i, item in enumerate(value):
        try:
            one = _one_change(item, "write a change idea id here")
            if one in ids:
                raise PydanticCustomError("change_repeated", "'{id}' is listed twice", {"id": one})
        except PydanticCustomError as exc:
            errors.append({"type": exc, "loc": (i,), "input": item})
        except ValidationError as exc:  # not an id: the same error as a single id gets
            errors += [
                {"type": PydanticCustomError(e["type"], e["msg"]), "loc": (i,), "input": item}
                for e in exc.errors(include_url=False)
            ]
        else:
            ids.append(one)
    if errors:
        raise ValidationError.from_exception_data("change", errors)
    return ids


# `change: night-lights`, or `change: [night-lights, quiet-hours]` for a cycle that tests
# several change ideas at once; `Cycle.changes` is always the list
ChangeIds = Annotated[
    str | list[str],
    PlainValidator(change_ids),
    WithJsonSchema(
        {
            "anyOf": [
                _ID_SCHEMA,
                {"type": "array", "items": _ID_SCHEMA, "minItems": 1, "uniqueItems": True},
            ],
            "description": "the change idea this cycle tests (its id), or a list of the "
            "change ideas it tests together",
        }
    ),
]


class Cycle(Strict):
    """`cycles/*.yaml`: one PDSA cycle (the IHI worksheet)."""

    change: ChangeIds
    follows: str | None = Field(None, description="id of the cycle this one follows in a ramp")
    person: Text | None = Field(None, description="person responsible")
    purpose: Purpose = "test"
    scale: Text | None = Field(None, description="e.g. one nurse, one patient, one shift")
    measures: list[Id] = Field(default_factory=list)
    created: dt.date | None = None
    planned_as: int | None = Field(
        None,
        ge=1,
        description="the number qi showed when the cycle was planned; numbers are a display "
        "order that can move, so qi uses this to spot a number that now names another cycle",
    )
    plan: Plan = Field(default_factory=Plan)
    do: Do | None = None
    study: Study | None = None
    act: Act | None = None
    cancelled: Cancelled | None = Field(
        None, description="set when the cycle was stopped before its Act decision"
    )
    history: list[HistoryEntry] = Field(
        default_factory=list, description="changes to what was recorded, oldest first"
    )

    @property
    def changes(self) -> list[str]:
        """The change ideas this cycle tests: one, or several tested together."""
        return [self.change] if isinstance(self.change, str) else list(self.change)

    @property
    def logged(self) -> bool:
        return self.act is not None and self.act.decision is not None

    @property
    def status(self) -> Literal["planned", "running", "done", "cancelled"]:
        if self.cancelled is not None:
            return "cancelled"
        if self.logged:
            return "done"
        if self.do is not None and (self.do.what_happened or self.do.start):
            return "running"
        return "planned"

    @property
    def date(self) -> dt.date | None:
        """The date a cycle is shown at: when the test was done, else when it was planned."""
        if self.do and self.do.start:
            return self.do.start
        return self.plan.start or self.created
