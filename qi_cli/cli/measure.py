"""`qi measure add`, `set` and `list`: the family of measures and how each is defined."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style, use_colour
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_driver, complete_measure
from qi_cli.cli.project import echo_change
from qi_cli.cli.prompts import ask_optional, ask_required, ask_valid, interactive
from qi_cli.errors import FieldError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import find_measure
from qi_cli.measure_model import needs_denominator
from qi_cli.measures import (
    CHOICES,
    build_measure,
    check_chart_fits,
    check_new_id,
    choice_word,
    create_measure,
    measure_fields,
    measure_id_for,
    parse_target,
    set_measure_field,
    summarise,
)
from qi_cli.render.table import Column, draw_table
from qi_cli.render.values import value_text

app = typer.Typer(
    help="Define and edit measures (outcome, process, balancing); list them with their signals.",
    no_args_is_help=True,
)

DATA_TYPES = "proportion, rate, count, continuous, subgroups, time_between, cases_between"


# the library's field names, as `qi measure add` says them
FLAGS = {"chart": "--chart", "method": "--method", "id": "--id"}
SET_FLAGS = {"field": "FIELD", "chart": "chart", "method": "method"}
MEASURE_FIELDS = ", ".join(measure_fields())


@app.command("add")
def add(
    name: str | None = typer.Argument(None, help="What the measure is called, in plain words."),
    kind: str | None = typer.Option(None, "--kind", "-k", help="outcome, process or balancing."),
    data_type: str | None = typer.Option(
        None, "--data-type", "-t", help=f"{DATA_TYPES}; decides the chart."
    ),
    id: str | None = typer.Option(None, "--id", help="File name (default: from the name)."),
    direction: str | None = typer.Option(
        None, "--direction", help="Which way is better: increase, decrease or neutral."
    ),
    target: float | None = typer.Option(None, "--target", help="The value the team aims for."),
    frequency: str = typer.Option(
        "weekly", "--frequency", help="daily, weekly, monthly, quarterly or irregular."
    ),
    chart: str | None = typer.Option(
        None,
        "--chart",
        help="Chart type (default: from the data type: proportion p, rate u, count c, "
        "continuous run, subgroups xbar, time_between t, cases_between g).",
    ),
    method: str = typer.Option("anhoej", "--method", help="Rules: anhoej, ihi or mdc."),
    multiply: float | None = typer.Option(
        None, "--multiply", help="Scale values, e.g. 100 for percent (default for proportions)."
    ),
    description: str | None = typer.Option(None, "--description", help="What is counted."),
    numerator: str | None = typer.Option(
        None, "--numerator", help="Operational definition: numerator."
    ),
    denominator: str | None = typer.Option(
        None, "--denominator", help="Operational definition: denominator."
    ),
    unit: str | None = typer.Option(None, "--unit", help="Unit of a continuous value, e.g. days."),
    inclusions: str | None = typer.Option(None, "--inclusions", help="Who or what is included."),
    exclusions: str | None = typer.Option(None, "--exclusions", help="Who or what is left out."),
    data_source: str | None = typer.Option(
        None, "--data-source", help="Where the data comes from."
    ),
    collected_by: str | None = typer.Option(
        None, "--collected-by", help="Who collects it, and when."
    ),
    sampling: str | None = typer.Option(None, "--sampling", help="e.g. every eligible admission."),
    baseline_until: str | None = typer.Option(
        None, "--baseline-until", help="Last date of the baseline period (YYYY-MM-DD)."
    ),
    baseline_points: int | None = typer.Option(
        None, "--baseline-points", help="Or: baseline points."
    ),
    driver: str | None = typer.Option(
        None,
        "--driver",
        help="The driver this measure belongs to.",
        autocompletion=complete_driver,
    ),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add a measure with its operational definition (asks for what is missing).

    Example:

    \b
      qi measure add "Physio review within 24 hours" --kind process \\
        --data-type proportion --direction increase --target 90 \\
        --numerator "seen by a physio within 24 h" --denominator "rib fracture admissions"
    """
    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")
    root = project_root(project)
    load_for_writing(root)
    try:
        if name is not None:
            check_new_id(root, measure_id_for(name, id))
        kind, data_type, direction = (
            None if text is None else choice_word(field, text)
            for field, text in (("kind", kind), ("data_type", data_type), ("direction", direction))
        )
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    if name is None and interactive():
        name = ask_valid(
            "Name of the measure", lambda text: _new_name(root, text, id), names={"id": "name"}
        )
    name = ask_required(name, "NAME", "Name of the measure")
    kind = _ask_choice(kind, "--kind", "kind", "Kind")
    data_type = _ask_choice(
        data_type,
        "--data-type",
        "data_type",
        "Data type",
        check=lambda word: check_chart_fits(word, chart, method),
    )
    direction = _ask_choice(direction, "--direction", "direction", "Direction of improvement")
    if target is None and interactive():
        target = ask_valid("Target (Enter to skip)", parse_target)
    description = ask_optional(description, "What is counted, in plain words")
    if needs_denominator(data_type):
        numerator = ask_optional(numerator, "Numerator")
        denominator = ask_optional(denominator, "Denominator")
    measure_id = measure_id_for(name, id)
    try:
        measure = build_measure(
            {
                "name": name,
                "kind": kind,
                "data_type": data_type,
                "direction": direction,
                "target": target,
                "frequency": frequency,
                "chart": chart,
                "method": method,
                "multiply": multiply,
                "driver": driver,
                "definition": {
                    "description": description,
                    "numerator": numerator,
                    "denominator": denominator,
                    "unit": unit,
                    "inclusions": inclusions,
                    "exclusions": exclusions,
                    "data_source": data_source,
                    "collected_by": collected_by,
                    "sampling": sampling,
                },
                "baseline": {"until": baseline_until, "points": baseline_points},
            }
        )
        yaml_path, csv_path = create_measure(root, measure_id, measure)
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    if format == "json":
        echo(
            json.dumps(
                {
                    "id": measure_id,
                    "yaml": display_path(yaml_path),
                    "csv": display_path(csv_path),
                    "chart": measure.chart_type,
                    "method": measure.method,
                },
                indent=2,
            )
        )
        return
    echo(f"{style('added measure', 'green', bold=True)} {measure_id}: {display_path(yaml_path)}")
    echo(f"  chart: {measure.chart_type} ({measure.method}); data goes in {display_path(csv_path)}")
    echo(f"  next: qi data add {measure_id} VALUE --date YYYY-MM-DD")


def _new_name(root: Path, text: str, given_id: str | None) -> str:
    """A name typed at the prompt, refused at once if its measure already exists."""
    if not text.strip():
        raise UsageError("the measure needs a name", hint="e.g. Falls per 1,000 bed days")
    check_new_id(root, measure_id_for(text, given_id))
    return text


def _ask_choice(
    value: str | None,
    flag: str,
    field: str,
    question: str,
    check: Callable[[str], None] | None = None,
) -> str | None:
    """A kind, data type or direction: the flag's, else asked (each answer checked as it is
    typed, synonyms such as "percentage" read as qi's word, then by `check`). A
    direction may be skipped."""
    optional = field == "direction"
    if value is not None or (optional and not interactive()):
        return value
    choices = ", ".join(CHOICES[field])
    if not interactive():
        raise UsageError(f"missing {flag}", hint=f"{question}: {choices}")

    def parse(text: str) -> str | None:
        if optional and not text.strip():
            return None
        word = choice_word(field, text)
        if check is not None:
            check(word)
        return word

    label = f"{question} ({choices}" + ("; Enter to skip)" if optional else ")")
    return ask_valid(label, parse, names=FLAGS)


@app.command(
    "set",
    help=f"""Set one field of a measure: its name, definition, direction, target, chart...

The value is checked as `qi measure add` checks a new measure before anything is
written; comments in the file are kept. FIELD is one of: {MEASURE_FIELDS}.

Examples:

\b
  qi measure set falls target 3.5
  qi measure set falls definition.numerator "falls recorded in the incident system"
  qi measure set falls chart i
""",
)
def set_(
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    field: str = typer.Argument(..., help="The field, e.g. target, definition.numerator."),
    value: str = typer.Argument(..., help="Its new value."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    root = project_root(project)
    find_measure(load_for_writing(root), measure_id)
    try:
        change = set_measure_field(root, measure_id, field, value)
    except FieldError as exc:
        raise exc.named(SET_FLAGS) from None
    echo_change(change)


@app.command("list")
def list_(
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    json_output: bool = typer.Option(False, "--json", help="Same as --format json."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """List the measures: kind, latest value, target, direction, chart and signal.

    Examples:

    \b
      qi measure list
      qi measure list --json
    """
    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")
    loaded = load_project(project_root(project))
    summaries = summarise(loaded)
    skipped = {i.path: i for i in reversed(loaded.errors) if i.path.endswith(".yaml")}
    for issue in skipped.values():
        if Path(issue.path).parent.name == "measures":
            echo(f"{style('warning:', 'yellow')} skipped {issue.format()}", err=True)
    if json_output or format == "json":
        echo(json.dumps({"measures": [s.to_dict() for s in summaries]}, indent=2))
        return
    if not summaries:
        echo("no measures yet: add one with `qi measure add`")
        return
    better = {"increase": "higher", "decrease": "lower", "neutral": "-"}  # which is better
    signal_colours = {"improvement": "green", "concern": "red", "signal": "yellow"}
    columns = [
        Column("measure"),  # an id to type: never cut
        Column("kind"),
        Column("latest", ratio=1, min_width=12),  # a date in brackets fits
        Column("target", ratio=1, min_width=6),
        Column("better"),
        Column("chart", ratio=1, min_width=6),
        Column("signal"),
    ]
    rows: list[list[str]] = []
    colours: dict[tuple[int, int], str] = {}
    for n, s in enumerate(summaries):
        latest = "-"
        if s.latest is not None and s.latest_date is not None:
            latest = f"{value_text(s.latest, s.unit)} ({s.latest_date})"
        target = "-" if s.target is None else value_text(s.target, s.unit)
        rows.append(
            [s.id, s.kind, latest, target, better[s.direction], f"{s.chart} {s.method}", s.signal]
        )
        if s.signal in signal_colours:
            colours[n, 6] = signal_colours[s.signal]
    width = shutil.get_terminal_size((80, 24)).columns
    lines = draw_table(
        columns, rows, width=width, colour=use_colour(), cell_colours=colours, compact=True
    )
    echo("\n".join(lines))
    for s in summaries:
        if s.problem:
            echo(f"{style('warning:', 'yellow')} {s.id}: {s.problem}", err=True)
