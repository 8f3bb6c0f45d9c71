"""`qi cycle new`: plan a PDSA cycle, by prompts, flags or the worksheet in $EDITOR.

Every prompt is answered before anything is written, so Ctrl-C leaves no trace; the
rules live in `qi_cli.cycles.planning`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import typer

from qi_cli.cli._common import echo, print_warning, style
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_change, complete_cycle, complete_measure
from qi_cli.cli.cycle_questions import ask_plan
from qi_cli.cli.prompts import ask_valid, edit_until_valid, heading, interactive, typed_date
from qi_cli.cycle_model import Cycle
from qi_cli.cycles.answers import WHO_FIELDS
from qi_cli.cycles.editor import EDIT_PREFIX, new_worksheet
from qi_cli.cycles.finding import number_note
from qi_cli.cycles.planning import (
    PlanInput,
    check_plan,
    create_cycle,
    create_cycle_from_text,
    first_plan,
    new_cycle_data,
    plan_warnings,
    plan_with,
    read_worksheet,
)
from qi_cli.dates import DateOrder
from qi_cli.drivers import change_status, changes_title
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.files.layout import DRIVERS_FILE, PROJECT_FILE
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.files.loader import load_project

# the library's field names, as this command's flags say them
NEW_FLAGS = {"follows": "--next", "change": "--change"}


def register(app: typer.Typer) -> None:
    app.command("new")(new)


def new(
    change: list[str] = typer.Option(
        [],
        "--change",
        "-c",
        help="Id of the change idea to test (repeat it for ideas tested together).",
        autocompletion=complete_change,
    ),
    next_: str | None = typer.Option(
        None,
        "--next",
        "-n",
        help="Plan the next cycle of a ramp after CYCLE (id, or number): carries over its context.",
        metavar="CYCLE",
        autocompletion=complete_cycle,
    ),
    objective: str | None = typer.Option(None, "--objective", help="What this cycle is for."),
    purpose: str | None = typer.Option(
        None, "--purpose", help="collect_information, develop, test (default) or implement."
    ),
    scale: str | None = typer.Option(
        None, "--scale", help="How small the test is: one nurse, one patient, one shift."
    ),
    question: list[str] = typer.Option(
        [], "--question", "-q", help="A question this test answers (repeatable, in order)."
    ),
    prediction: list[str] = typer.Option(
        [], "--prediction", help="Your prediction for each --question, in the same order."
    ),
    test_who: str | None = typer.Option(None, "--test-who", help="Who carries out the test."),
    test_what: str | None = typer.Option(None, "--test-what", help="What is done."),
    test_when: str | None = typer.Option(None, "--test-when", help="When it is done."),
    test_where: str | None = typer.Option(None, "--test-where", help="Where it is done."),
    data_who: str | None = typer.Option(None, "--data-who", help="Who collects the data."),
    data_what: str | None = typer.Option(None, "--data-what", help="What data is collected."),
    data_when: str | None = typer.Option(None, "--data-when", help="When it is collected."),
    data_where: str | None = typer.Option(None, "--data-where", help="Where it is recorded."),
    start: str | None = typer.Option(
        None, "--start", help="Planned start: YYYY-MM-DD, today or tomorrow."
    ),
    end: str | None = typer.Option(None, "--end", help="Planned end: YYYY-MM-DD."),
    measure: list[str] = typer.Option(
        [],
        "--measure",
        "-m",
        help="Id of a measure this test should move (repeatable).",
        autocompletion=complete_measure,
    ),
    person: str | None = typer.Option(None, "--person", help="Person responsible."),
    edit: bool = typer.Option(False, "--edit", "-e", help="Fill in the worksheet in $EDITOR."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even in a terminal."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Plan a PDSA cycle: writes one new file in cycles/ and prints where.

    In a terminal, qi asks for what the options did not give.

    Examples:

    \b
      qi cycle new --change physio-review
      qi cycle new --next 3f9a --scale "one ward for a week"
      qi cycle new --change night-lights --change quiet-hours
      qi cycle new -c physio-review --scale "one patient" --start today \\
        -q "Seen by physio within 24 h?" --prediction "Yes, 4 of 5"
    """
    root = project_root(project)
    loaded = load_for_writing(root, DRIVERS_FILE, PROJECT_FILE)
    today = dt.date.today()
    asking = interactive(no_input) and not edit
    given = _plan_flags(
        objective=objective,
        purpose=purpose,
        scale=scale,
        person=person,
        questions=question,
        predictions=prediction,
        test=(test_who, test_what, test_when, test_where),
        data_collection=(data_who, data_what, data_when, data_where),
        start=start,
        end=end,
        measures=measure,
        today=today,
        order=loaded.project.date_order if loaded.project else "iso",
    )
    try:
        plan = first_plan(loaded, changes=change, follows=next_)
    except FieldError as exc:
        raise exc.named(NEW_FLAGS) from None
    note = number_note(loaded, next_, loaded.cycle(next_)) if next_ is not None else None
    if note:
        echo(note)
    plan = plan_with(plan or _pick_change(loaded, asking), given)
    if not edit:
        check_plan(loaded, plan)  # refuse bad flags before asking any question
    if asking:
        plan = ask_plan(loaded, plan, set(given))
        check_plan(loaded, plan)
    if edit:
        text, cycle = edit_until_valid(
            new_worksheet(new_cycle_data(plan, today)),
            lambda text: read_worksheet(loaded, text, "worksheet", today, empty_ok=True),
            EDIT_PREFIX,
        )
        path = create_cycle_from_text(root, loaded, text, cycle, today)
    else:
        path, cycle = create_cycle(root, loaded, plan, today)
    written = load_project(root)
    number = next((c for c in written.cycles if c.id == path.stem), None)
    _report_new(written, number, path, cycle)


def _plan_flags(
    *,
    objective: str | None,
    purpose: str | None,
    scale: str | None,
    person: str | None,
    questions: list[str],
    predictions: list[str],
    test: tuple[str | None, ...],
    data_collection: tuple[str | None, ...],
    start: str | None,
    end: str | None,
    measures: list[str],
    today: dt.date,
    order: DateOrder,
) -> dict[str, Any]:
    """The plan's fields the flags gave (they override what a ramp carried over)."""
    given: dict[str, Any] = {
        name: value
        for name, value in (
            ("objective", objective),
            ("scale", scale),
            ("person", person),
            ("purpose", purpose),
        )
        if value is not None
    }
    if len(predictions) > len(questions):
        raise UsageError(
            f"{len(predictions)} --prediction for {len(questions)} --question",
            hint='give each prediction after its question: -q "Will ...?" --prediction "Yes"',
        )
    if questions:
        given["questions"] = tuple(
            (q, predictions[i] if i < len(predictions) else None) for i, q in enumerate(questions)
        )
    for section, values in (("test", test), ("data_collection", data_collection)):
        if any(v is not None for v in values):
            given[section] = {
                k: v for k, v in zip(WHO_FIELDS, values, strict=True) if v is not None
            }
    if start is not None:
        given["start"] = typed_date(start, "--start", today, order)
    if end is not None:
        given["end"] = typed_date(end, "--end", today, order)
    if measures:
        given["measures"] = tuple(measures)
    return given


def _pick_change(loaded: LoadedProject, asking: bool) -> PlanInput:
    """Without --change or --next: ask which change idea, or say how to give it."""
    changes = loaded.drivers.changes if loaded.drivers else {}
    if not changes:
        raise QiError(
            "there are no change ideas to test yet",
            hint='add one first: qi change add "Physio review within 24 h" --driver ID',
        )
    if not asking:
        raise UsageError(
            "which change idea does this cycle test? give --change ID (or --next CYCLE)",
            hint=f"known change ideas: {', '.join(sorted(changes))}",
        )
    heading("Which change idea does this cycle test?")
    options = list(changes)
    for i, (cid, c) in enumerate(changes.items(), start=1):
        echo(f"  {i}. {c.title} [{cid}] ({change_status(loaded, cid)})")
    echo("  Several tested together: separate them with commas, e.g. 1, 3")

    def parse(text: str) -> tuple[str, ...]:
        if not text.strip():
            raise UsageError("choose a change idea", hint=f"type 1 to {len(options)}, or an id")
        picked: list[str] = []
        for item in (part.strip() for part in text.split(",")):
            cid = (
                options[int(item) - 1] if item.isdigit() and 0 < int(item) <= len(options) else item
            )
            if cid not in changes:
                raise UsageError(
                    f"'{item}' is not one of the change ideas",
                    hint=f"type 1 to {len(options)}, or an id",
                )
            if cid in picked:
                raise UsageError(f"'{item}' is given twice", hint="name each change idea once")
            picked.append(cid)
        return tuple(picked)

    return PlanInput(changes=ask_valid("Change idea", parse, "1" if len(options) == 1 else None))


def _report_new(loaded: LoadedProject, c: LoadedCycle | None, path: Path, cycle: Cycle) -> None:
    what = f"cycle {c.label}" if c else "cycle"
    follows = ""
    if cycle.follows:
        parent = next((p for p in loaded.cycles if p.id == cycle.follows), None)
        follows = f", follows {parent.label}" if parent else ""
    echo(
        f"{style('planned', 'green', bold=True)} {what} of "
        f"'{changes_title(loaded, cycle.changes)}'{follows}"
    )
    echo(f"  {display_path(path)}")
    for warning in plan_warnings(cycle):
        print_warning(warning.message)
    ref = c.short_id if c else path.stem
    echo(f"  next, after the test: qi cycle log {ref}")


# --- qi cycle log ---------------------------------------------------------------------------
