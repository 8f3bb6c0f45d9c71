"""Creating a measure's files and summarising the family of measures.

`create_measure` writes ``measures/ID.yaml`` (and an empty ``measures/ID.csv`` with
its header) as new files: it never overwrites. `summarise` gives, per measure, what
`qi measure list` shows: kind, latest value, target, direction, chart and signal.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.csv_file import read_data
from qi_cli.files.disk import display_path, project_lock, write_new_files
from qi_cli.files.layout import MEASURES_DIR
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.yaml_write import render
from qi_cli.measure_analysis import MeasureAnalysis, analyse_measure, unit_of
from qi_cli.measure_model import BASELINE_BOTH, Measure
from qi_cli.model import DataType, Direction, Kind, is_valid_id
from qi_cli.project import MEASURE_ONE_LINE, FieldChange, set_field, settable_fields, slugify
from qi_cli.schemas import schema_comment
from qi_cli.thresholds import RUNS_MIN_USEFUL

_ORDER = (
    "name",
    "kind",
    "data_type",
    "definition",
    "direction",
    "target",
    "frequency",
    "chart",
    "method",
    "multiply",
    "screen_outliers",
    "baseline",
    "phases",
    "exclude",
    "driver",
)


# the words people type for a measure's kind, data type and direction, read as qi's
# words (a prompt or flag that says "percentage" means a proportion)
CHOICES: dict[str, tuple[str, ...]] = {
    "kind": get_args(Kind),
    "data_type": get_args(DataType),
    "direction": get_args(Direction),
}
SYNONYMS: dict[str, dict[str, str]] = {
    "kind": {"outcomes": "outcome", "processes": "process", "balance": "balancing"},
    "data_type": {
        **dict.fromkeys(("percentage", "percent", "%", "proportions", "pct"), "proportion"),
        **dict.fromkeys(("rates", "rate_per", "per_1000", "per_1,000"), "rate"),
        **dict.fromkeys(("counts", "number", "number_of"), "count"),
        **dict.fromkeys(("measurement", "measurements", "continuous_data"), "continuous"),
        **dict.fromkeys(("subgroup",), "subgroups"),
        **dict.fromkeys(("days_between", "time_between_events"), "time_between"),
        **dict.fromkeys(("cases_between_events",), "cases_between"),
    },
    "direction": {
        **dict.fromkeys(("up", "higher", "more", "increasing", "higher_is_better"), "increase"),
        **dict.fromkeys(("↑", "increases", "rise"), "increase"),
        **dict.fromkeys(
            ("down", "lower", "less", "fewer", "decreasing", "lower_is_better"), "decrease"
        ),
        **dict.fromkeys(("↓", "decreases", "fall", "reduce"), "decrease"),
        **dict.fromkeys(("none", "either", "no_direction", "n/a"), "neutral"),
    },
}


def choice_word(field: str, text: str) -> str:
    """A kind, data type or direction as typed, in qi's word; a refusal lists the
    allowed words.

    >>> choice_word("data_type", "Percentage"), choice_word("direction", "higher is better")
    ('proportion', 'increase')
    """
    word = "_".join(text.strip().lower().replace("-", " ").split())
    allowed = CHOICES[field]
    if word in allowed:
        return word
    if word in SYNONYMS[field]:
        return SYNONYMS[field][word]
    raise UsageError(
        f"{field}: '{text.strip()}' is not allowed", hint=f"choose {', '.join(allowed)}"
    )


def check_new_id(root: Path, measure_id: str) -> None:
    """Refuse an id that is not valid or whose files exist, before anything is asked or
    written (a FieldError names `id`)."""
    if not is_valid_id(measure_id):
        raise FieldError(
            "id",
            f"'{measure_id}' is not a valid measure id",
            hint="ids use lower-case letters, digits and hyphens, e.g. time-to-physio",
        )
    for path in (
        root / MEASURES_DIR / f"{measure_id}.yaml",
        root / MEASURES_DIR / f"{measure_id}.csv",
    ):
        if path.exists():
            raise FieldError(
                "id",
                f"{display_path(path)}: measure '{measure_id}' already exists",
                hint="choose another {id}, or edit the existing file",
                exit_code=1,
                path=display_path(path),
            )


def measure_id_for(name: str, given: str | None) -> str:
    """The id a new measure gets: the one given, else one made from its name."""
    return given if given is not None else slugify(name, fallback="measure")


def parse_target(text: str | None) -> float | None:
    """A target as typed (90, 90%); nothing typed is no target."""
    if not text or not text.strip():
        return None
    try:
        value = float(text.strip().removesuffix("%"))
    except ValueError:
        raise UsageError(f"target '{text}' is not a number", hint="e.g. 90 or 4.5") from None
    if not math.isfinite(value):
        raise UsageError(f"target '{text}' is not a number", hint="e.g. 90 or 4.5")
    return value


def build_measure(fields: dict[str, Any]) -> Measure:
    """A `Measure` from the fields a person gave; a FieldError names the field that is
    wrong. A proportion is shown as a percentage unless `multiply` says otherwise."""
    if fields.get("multiply") is None and fields.get("data_type") == "proportion":
        fields = {**fields, "multiply": 100}
    if not str(fields.get("name") or "").strip():
        raise UsageError("the measure has no name", hint='give its name in quotes: "Falls"')
    definition = {k: v for k, v in (fields.pop("definition", None) or {}).items() if v}
    baseline = {k: v for k, v in (fields.pop("baseline", None) or {}).items() if v}
    data = {k: v for k, v in fields.items() if v is not None}
    if definition:
        data["definition"] = definition
    if baseline:
        data["baseline"] = baseline
    try:
        measure = Measure.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            raise UsageError(
                f"{where}: '{error['input']}' is not allowed", hint=f"choose {expected}"
            ) from None
        if error["type"] == "string_pattern_mismatch":
            raise UsageError(
                f"{where}: '{error['input']}' is not a valid id",
                hint="ids use lower-case letters, digits and hyphens, e.g. physio-review",
            ) from None
        raise UsageError(f"{where}: {message}") from None
    check_measure(measure)
    return measure


def check_measure(measure: Measure) -> None:
    """Refuse a chart or rule set that does not fit the measure's data (a FieldError
    names `chart` or `method`)."""
    if measure.chart_type in ("p", "pp", "u", "up") and not measure.needs_denominator:
        raise FieldError(
            "chart",
            f"a {measure.chart_type} chart needs a proportion or rate, not {measure.data_type}",
            hint="leave out {chart}: the chart type follows from the data type",
        )
    if measure.chart_type in ("xbar", "s") and measure.data_type != "subgroups":
        raise FieldError(
            "chart",
            f"an {measure.chart_type} chart needs subgroups data",
            hint="leave out {chart}: the chart type follows from the data type",
        )
    if measure.method == "mdc" and measure.chart_type != "i":  # as qi validate checks it
        raise FieldError(
            "method",
            "Making Data Count ({method} mdc) draws XmR charts",
            hint="use {chart} i, or {method} anhoej",
            mentions=("chart",),
        )
    if measure.method == "ihi" and measure.chart_type != "run":
        raise FieldError(
            "method",
            "the IHI rules ({method} ihi) are run chart rules",
            hint="use {chart} run, or {method} anhoej",
            mentions=("chart",),
        )


def check_chart_fits(data_type: str, chart: str | None, method: str) -> None:
    """Refuse a data type that the chart or rule set already chosen does not fit (the
    checks of `check_measure`), so a prompt can ask again before anything else."""
    fields = {"name": "-", "kind": "process", "data_type": data_type, "method": method}
    try:
        trial = Measure.model_validate({**fields, "chart": chart})
    except ValidationError:
        return  # a chart or method that does not exist: `build_measure` names it
    check_measure(trial)


def measure_fields() -> dict[str, object]:
    """The fields `qi measure set` sets, with their types."""
    return settable_fields(Measure)


def set_measure_field(root: Path, measure_id: str, field: str, value: str) -> FieldChange:
    """Set one field of `measures/ID.yaml`, checked as `qi measure add` checks a new
    measure (the chart must fit the data type) before anything is written."""
    path = root / MEASURES_DIR / f"{measure_id}.yaml"
    csv_path = path.with_suffix(".csv")

    def check(before: Measure, measure: Measure) -> None:
        check_measure(measure)
        if (
            measure.baseline
            and measure.baseline.both
            and not (before.baseline and before.baseline.both)
        ):
            raise FieldError(
                "value",
                f"{BASELINE_BOTH}: nothing was written",
                hint="a baseline ends at a date or after a number of points: "
                "change the one that is set, or remove it from the file first",
                exit_code=1,
            )
        if not csv_path.exists():
            return
        # a new data type must still read the data already collected
        _, issues = read_data(csv_path, measure, root=root)
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise FieldError(
                "value",
                f"{errors[0].where}: the data would no longer fit: {errors[0].message}",
                hint="fix the data first (qi data list shows it), or keep the old value",
            )

    return set_field(root, path, Measure, field, value, check=check, one_line=MEASURE_ONE_LINE)


def measure_yaml(measure: Measure) -> str:
    """The YAML of a new measure: keys in the order of the example project's files;
    phases and exclusions are added later, by hand or by qi."""
    data = measure.model_dump(exclude_defaults=True, exclude_none=True)
    data["name"], data["kind"], data["data_type"] = measure.name, measure.kind, measure.data_type
    ordered = {key: _typed_as_written(data[key]) for key in _ORDER if key in data}
    return render({key: value for key, value in ordered.items() if not isinstance(value, list)})


def _typed_as_written(value: Any) -> Any:
    """A whole number typed as `4` is written back as 4, not 4.0."""
    if isinstance(value, dict):
        return {k: _typed_as_written(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def create_measure(root: Path, measure_id: str, measure: Measure) -> tuple[Path, Path]:
    """Write `measures/ID.yaml` and its CSV header; refuse if either exists."""
    folder = root / MEASURES_DIR
    yaml_path = folder / f"{measure_id}.yaml"
    csv_path = folder / f"{measure_id}.csv"
    if not is_valid_id(measure_id):
        raise UsageError(
            f"'{measure_id}' is not a valid measure id",
            hint="ids use lower-case letters, digits and hyphens, e.g. time-to-physio",
        )
    with project_lock(root):
        check_new_id(root, measure_id)
        header = "date,value" + (",denominator" if measure.needs_denominator else "") + "\n"
        text = schema_comment("measure", depth=1) + measure_yaml(measure)
        write_new_files([(yaml_path, text), (csv_path, header)])
    return yaml_path, csv_path


@dataclass(frozen=True, kw_only=True)
class MeasureSummary:
    """One line of `qi measure list`."""

    id: str
    name: str
    kind: str
    chart: str
    method: str
    direction: str
    target: float | None
    unit: str | None
    latest: float | None
    latest_date: dt.date | None
    points: int
    signal: str
    problem: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "chart": self.chart,
            "method": self.method,
            "direction": self.direction,
            "target": self.target,
            "unit": self.unit,
            "latest": self.latest,
            "latest_date": None if self.latest_date is None else self.latest_date.isoformat(),
            "points": self.points,
            "signal": self.signal,
            "problem": self.problem,
        }


_KIND_ORDER = {"outcome": 0, "process": 1, "balancing": 2}


def classify_variation(analysis: MeasureAnalysis) -> str:
    """What a measure's chart says now: improvement, concern, special_cause (a signal
    neither better nor worse), common_cause, or too_few_points to say.

    Making Data Count's icon speaks for the last point. Without one (or when it says
    common cause), the signal that reaches the most recent point decides, so a concern
    after an earlier improvement reads as a concern. With no signal, fewer than 10
    useful points are too few to call the variation common cause (Perla, Provost &
    Murray 2011). `qi measure list` and `qi portfolio` both say what this says.
    """
    result = analysis.result
    icon = result.variation_icon or ""
    for prefix, word in (
        ("improvement", "improvement"),
        ("concern", "concern"),
        ("neutral", "special_cause"),
    ):
        if icon.startswith(prefix):
            return word
    if result.signals:
        point_rules = [s for s in result.signals if s.rule not in ("crossings", "runs")]
        latest = max(point_rules or result.signals, key=lambda s: s.points[-1] if s.points else -1)
        if latest.improvement is True:
            return "improvement"
        if latest.improvement is False:
            return "concern"
        return "special_cause"
    if analysis.series.n_present < RUNS_MIN_USEFUL:
        return "too_few_points"
    return "common_cause"


# the words of the signal column of `qi measure list`
_SIGNAL_WORDS = {
    "special_cause": "signal",
    "common_cause": "none",
    "too_few_points": "too few points",
}


def summarise(project: LoadedProject) -> list[MeasureSummary]:
    """Every measure of a project, outcome first, with its latest value and signal."""
    out: list[MeasureSummary] = []
    for mid, measure in sorted(
        project.measures.items(), key=lambda kv: (_KIND_ORDER[kv[1].kind], kv[0])
    ):
        latest: float | None = None
        latest_date: dt.date | None = None
        points = 0
        signal = "no data"
        problem = None
        chart: str = measure.chart_type
        method: str = measure.method
        target = measure.fixed_target
        try:
            analysis = analyse_measure(project, mid, annotations=False)
        except QiError as exc:
            problem = exc.message
            signal = "?"
        else:
            chart, method = analysis.series.chart, analysis.series.method
            target = analysis.series.target
            present = [p for p in analysis.result.points if p.y is not None]
            points = len(present)
            if present:
                latest = present[-1].y
                latest_date = analysis.series.point_dates[present[-1].index]
                word = classify_variation(analysis)
                signal = _SIGNAL_WORDS.get(word, word)
        out.append(
            MeasureSummary(
                id=mid,
                name=measure.name,
                kind=measure.kind,
                chart=chart,
                method=method,
                direction=measure.direction,
                target=target,
                unit=unit_of(measure),
                latest=latest,
                latest_date=latest_date,
                points=points,
                signal=signal,
                problem=problem,
            )
        )
    return out
