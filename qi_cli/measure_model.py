"""`measures/ID.yaml`: one measure, its operational definition, its target and its chart
settings (`Measure`); its data is in `measures/ID.csv`.

Words follow the Model for Improvement (Langley et al.) and the IHI PDSA worksheet;
the ids, texts and word lists all files share are in `qi_cli.model`.
"""

import datetime as dt
import itertools
from typing import Annotated, Literal

from pydantic import (
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    TypeAdapter,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from qi_cli.model import (
    DEFAULT_CHART,
    ChartType,
    DataType,
    Direction,
    Frequency,
    Id,
    Kind,
    Method,
    Strict,
    Text,
)


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

    @property
    def both(self) -> bool:
        """`until` and `points` both given: `qi validate` reports it, `qi measure set`
        refuses to write it (a model rule would make such a file unreadable)."""
        return self.until is not None and self.points is not None


BASELINE_BOTH = "baseline: give `until` or `points`, not both"


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
        return needs_denominator(self.data_type)

    @property
    def fixed_target(self) -> float | None:
        """The target when it is one number (not steps or a trajectory)."""
        return self.target if isinstance(self.target, (int, float)) else None


def needs_denominator(data_type: str | None) -> bool:
    """A proportion (cases) or a rate (exposure) has a denominator; other data types none."""
    return data_type in ("proportion", "rate")
