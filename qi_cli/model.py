"""The domain model of a QI project: pydantic models for every file, no I/O.

A project folder holds (see docs/format.md):

- `project.yaml`   the charter, the aim and the progress score history (`Project`)
- `drivers.yaml`   the driver diagram and the change ideas (`DriverDiagram`)
- `measures/ID.yaml` one measure and its operational definition (`Measure`),
  with its data in `measures/ID.csv`
- `cycles/*.yaml`  one PDSA cycle each (`Cycle`)

Words follow the Model for Improvement (Langley et al.) and the IHI PDSA worksheet.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

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


class TeamMember(Strict):
    name: Text
    role: Text | None = None


class Scope(Strict):
    included: Text | None = Field(None, description="what the project covers")
    excluded: Text | None = Field(None, description="what it deliberately leaves out")


class ProgressEntry(Strict):
    date: dt.date
    score: float = Field(description="IHI progress scale, 0.5 to 5.0 in steps of 0.5")
    note: Text | None = None

    @field_validator("score")
    @classmethod
    def _on_scale(cls, value: float) -> float:
        if value not in PROGRESS_SCALE:
            raise ValueError("progress score must be one of 0.5, 1.0, 1.5, ... 5.0")
        return value


class Aim(Strict):
    statement: Text = Field(description="SMART: what, by how much, for whom, by when")
    outcome_measure: Id | None = Field(None, description="id of the measure the aim refers to")
    baseline: float | None = None
    target: float | None = None
    target_date: dt.date | None = None
    population: Text | None = None


class Silence(Strict):
    code: str = Field(pattern=r"^Q\d{3}$")
    reason: Text


# how people write dates by hand; the same words as `qi_cli.dates.DateOrder` (a test
# keeps them equal: the model may not import the date parser)
DateOrder = Literal["iso", "day-first", "month-first"]


class Settings(Strict):
    ignore: list[Silence] = Field(default_factory=list, description="coaching codes to silence")
    dates: DateOrder = Field(
        "iso",
        description="how dates are typed at the command line and in prompts: iso "
        "(2026-01-31 only), day-first (31/01/2026 too) or month-first (01/31/2026 too)",
    )


class Project(Strict):
    """`project.yaml`: the charter, the aim and progress."""

    format: Literal[1]
    title: Text
    status: Status = "planning"
    start_date: dt.date
    end_date: dt.date | None = None
    directorate: Text | None = Field(None, description="the directorate or division")
    ward: Text | None = Field(None, description="the ward, team or department")
    tags: list[Id] = Field(default_factory=list, description="topics, for finding projects")
    visibility: Visibility = Field(
        "internal",
        description="who may see the project on a published site: public (anyone), "
        "internal (the trust's own site, the default) or private (nobody)",
    )
    problem: Text | None = None
    reason: Text | None = Field(None, description="why this matters now")
    scope: Scope | None = None
    team: list[TeamMember] = Field(default_factory=list)
    sponsor: Text | None = None
    coach: Text | None = None
    expected_benefits: Text | None = None
    patient_involvement: Text | None = None
    aim: Aim | None = None
    progress: list[ProgressEntry] = Field(default_factory=list)
    settings: Settings | None = None

    @property
    def lead(self) -> str | None:
        for member in self.team:
            if member.role and "lead" in member.role.lower():
                return member.name
        return self.team[0].name if self.team else None

    @property
    def date_order(self) -> DateOrder:
        """How the project's people type dates (`settings.dates`)."""
        return self.settings.dates if self.settings else "iso"

    @property
    def progress_score(self) -> float | None:
        return self.progress[-1].score if self.progress else None


class Definition(Strict):
    """The operational definition: how exactly the measure is counted."""

    description: Text | None = Field(None, description="what is counted, in plain words")
    numerator: Text | None = None
    denominator: Text | None = None
    unit: Text | None = None
    inclusions: Text | None = None
    exclusions: Text | None = None
    data_source: Text | None = None
    collected_by: Text | None = None
    sampling: Text | None = None


class Baseline(Strict):
    until: dt.date | None = Field(None, description="the last date of the baseline period")
    points: int | None = Field(None, ge=1, description="or: the number of baseline points")


class Phase(Strict):
    date: dt.date = Field(description="the first date of the new phase")
    reason: Text | None = None
    cycle: str | None = Field(None, description="the cycle whose change started this phase")
    event: dt.date | None = Field(
        None, description="the date of the event (events.yaml) that started this phase"
    )


class Exclusion(Strict):
    date: dt.date
    reason: Text | None = None


class Rules(Strict):
    """The rules a measure's chart applies, when not the method's own."""

    shift: Literal[6, 7, 8, "by n"] | None = Field(
        None,
        description="points in a row on one side of the centre line that make a shift: 6, 7, "
        '8, or "by n" (Anhøj: more than round(log2(n)) + 3); the method\'s own if unset',
    )
    trend: StrictBool | None = Field(
        None, description="the trend rule on (true) or off (false); the method's own if unset"
    )
    two_of_three: StrictBool | None = Field(
        None, description="Making Data Count's two-of-three rule; on unless set to false"
    )


class TargetStep(Strict):
    """A target from a date on: the value in force until the next step."""

    model_config = ConfigDict(populate_by_name=True)

    start: dt.date = Field(alias="from", description="the first date this target applies")
    value: float


class Trajectory(Strict):
    """A target that moves in a straight line from a value on a date to another."""

    model_config = ConfigDict(populate_by_name=True)

    start: dt.date = Field(alias="from", description="the date the trajectory starts")
    start_value: float = Field(alias="value", description="the target on that date")
    to: float = Field(description="the target reached at the end")
    by: dt.date | None = Field(
        None, description="the date the target is reached; the aim's target date if unset"
    )


class TrajectoryTarget(Strict):
    trajectory: Trajectory


_STEPS = TypeAdapter(list[TargetStep])
_TRAJECTORY = TypeAdapter(TrajectoryTarget)
_NUMBER = TypeAdapter(float, config=ConfigDict(allow_inf_nan=False))


def target_value(value: object) -> float | list[TargetStep] | TrajectoryTarget | None:
    """A measure's `target:` as written: a number, a list of steps or a trajectory.

    The form is chosen by the shape written (a number, a list, a mapping), so an error
    names the one form the file uses and the line it is on.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str, list, dict)):
        raise PydanticCustomError(
            "target_type", "write a number, a list of steps (from: date, value) or a trajectory"
        )
    try:
        if isinstance(value, list):
            not_steps = [i for i, item in enumerate(value) if not isinstance(item, dict)]
            if not_steps:
                raise ValidationError.from_exception_data(
                    "target",
                    [
                        {
                            "type": PydanticCustomError(
                                "step_type", "a step is a mapping: `from: DATE` and `value: NUMBER`"
                            ),
                            "loc": (i,),
                            "input": value[i],
                        }
                        for i in not_steps
                    ],
                )
            steps = _STEPS.validate_python(value)
            for i, (a, b) in enumerate(itertools.pairwise(steps), start=1):
                if b.start <= a.start:
                    raise ValidationError.from_exception_data(
                        "target",
                        [
                            {
                                "type": PydanticCustomError(
                                    "step_order", "steps must be in date order, each date once"
                                ),
                                "loc": (i, "from"),
                                "input": str(b.start),
                            }
                        ],
                    )
            return steps
        if isinstance(value, dict):
            return _TRAJECTORY.validate_python(value)
        return _NUMBER.validate_python(value)
    except ValidationError as exc:
        raise ValidationError.from_exception_data(
            "target",
            [
                {
                    "type": PydanticCustomError(e["type"], e["msg"].replace("{", "{{")),
                    "loc": e["loc"],
                    "input": e["input"],
                }
                for e in exc.errors(include_url=False)
            ],
        ) from None


Target = Annotated[
    float | list[TargetStep] | TrajectoryTarget | None,
    PlainValidator(
        target_value, json_schema_input_type=float | list[TargetStep] | TrajectoryTarget | None
    ),
]


class Measure(Strict):
    """`measures/ID.yaml`: one measure of the family (outcome, process, balancing)."""

    name: Text
    kind: Kind
    data_type: DataType
    definition: Definition | None = None
    direction: Direction = "neutral"
    target: Target = Field(
        None,
        description="a number, a list of steps ({from: date, value}), or "
        "{trajectory: {from: date, value, to, by}}",
    )
    frequency: Frequency = "weekly"
    chart: ChartType | None = Field(None, description="chart type; follows the data type if unset")
    method: Method = Field("anhoej", description="rule set: anhoej, ihi or mdc")
    multiply: float = Field(1, gt=0, description="e.g. 100 to show a proportion as percent")
    screen_outliers: StrictBool = True
    baseline: Baseline | None = None
    phases: list[Phase] = Field(default_factory=list)
    exclude: list[Exclusion] = Field(default_factory=list)
    driver: Id | None = None
    own_unit: Text | None = Field(
        None, description="the team's own unit (ward, team, site), highlighted among the units"
    )
    shared_as: Id | None = Field(
        None, description="the id this measure shares with other projects, to compare them"
    )
    rules: Rules | None = Field(None, description="the chart rules, when not the method's own")

    @property
    def chart_type(self) -> ChartType:
        """The chart drawn: as set, else the one that fits the data type (Making Data
        Count is an XmR method, so `method: mdc` on continuous data draws an I chart)."""
        if self.chart:
            return self.chart
        if self.method == "mdc" and self.data_type == "continuous":
            return "i"
        return DEFAULT_CHART[self.data_type]

    @property
    def needs_denominator(self) -> bool:
        return self.data_type in ("proportion", "rate")

    @property
    def fixed_target(self) -> float | None:
        """The target when it is one number (not steps or a trajectory)."""
        return self.target if isinstance(self.target, (int, float)) else None


class Driver(Strict):
    name: Text
    parents: list[Id] = Field(
        default_factory=list, description="driver ids this one feeds; none for a primary driver"
    )
    measure: Id | None = None

    @property
    def primary(self) -> bool:
        return not self.parents


class ChangeIdea(Strict):
    title: Text
    drivers: list[Id] = Field(default_factory=list)
    description: Text | None = None
    source: Text | None = Field(None, description="where the idea came from")


class DriverDiagram(Strict):
    """`drivers.yaml`: primary and secondary drivers and the change ideas."""

    drivers: dict[Id, Driver] = Field(default_factory=dict)
    changes: dict[Id, ChangeIdea] = Field(default_factory=dict)


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
