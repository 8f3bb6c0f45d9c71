"""`qi cycle new`, `qi cycle log`, `qi cycle list` and `qi cycle show`: PDSA cycles.

Three ways in, all first-class: prompts in a terminal for what flags did not give;
flags for every field (scripts); `--edit` opens the worksheet in $EDITOR.
Every prompt is answered before anything is written, so Ctrl-C leaves no trace.
The rules live in `qi_cli.cycles`; this module asks, calls and prints.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from qi_cli.cli._common import echo, style
from qi_cli.cli._project import PROJECT_OPTION, load_checked, print_rich, project_root
from qi_cli.cli.complete import complete_change, complete_cycle, complete_measure
from qi_cli.cli.cycle_questions import ask_log, ask_plan
from qi_cli.cli.prompts import edit_until_valid, heading, interactive, pick, print_warning
from qi_cli.cycles.answers import WHO_FIELDS, parse_decision, parse_held
from qi_cli.cycles.finding import (
    broken_cycle_files,
    cycle_dates,
    cycles_to_log,
    describe_cycle,
    filter_cycles,
    find_cycle,
    next_step_hint,
)
from qi_cli.cycles.log import (
    NO_PREDICTIONS,
    LogInput,
    log_patch,
    record_log,
    record_worksheet,
    worksheet_warnings,
)
from qi_cli.cycles.planning import (
    PlanInput,
    check_plan,
    create_cycle,
    create_cycle_from_text,
    first_plan,
    new_cycle_data,
    plan_with,
    read_worksheet,
)
from qi_cli.cycles.worksheets import EDIT_PREFIX, log_worksheet, new_worksheet, worksheet_lines
from qi_cli.dates import parse_user_date
from qi_cli.drivers import change_status, change_title
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.files.loader import DRIVERS_FILE, PROJECT_FILE, LoadedCycle, LoadedProject, load_project
from qi_cli.model import Cycle

app = typer.Typer(help="Plan, log and review PDSA cycles.", no_args_is_help=True)

# the library's field names, as these commands' flags say them
NEW_FLAGS = {"follows": "--next", "change": "--change"}
LOG_FLAGS = {
    "do.start": "--done-start",
    "do.end": "--done-end",
    "study.answers": "--actual",
    "study.actual": "--actual",
    "study.held": "--held",
    "study.learned": "--learned",
}


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="cycle")


def _warn_broken(loaded: LoadedProject) -> None:
    broken = broken_cycle_files(loaded)
    for issue in broken[:3]:
        print_warning(f"skipped {issue.format()}")
    if len(broken) > 3:
        print_warning(f"... and {len(broken) - 3} more problems in cycles/ (qi validate)")


# --- qi cycle new ---------------------------------------------------------------------------


@app.command("new")
def new(
    change: str | None = typer.Option(
        None,
        "--change",
        "-c",
        help="Id of the change idea to test.",
        autocompletion=complete_change,
    ),
    next_: str | None = typer.Option(
        None,
        "--next",
        "-n",
        help="Plan the next cycle of a ramp after CYCLE (number or id): carries over its context.",
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
      qi cycle new --next 2 --scale "one ward for a week"
      qi cycle new -c physio-review --scale "one patient" --start today \\
        -q "Seen by physio within 24 h?" --prediction "Yes, 4 of 5"
    """
    root = project_root(project)
    loaded = load_checked(root, DRIVERS_FILE, PROJECT_FILE)
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
    )
    try:
        plan = first_plan(loaded, change=change, follows=next_)
    except FieldError as exc:
        raise exc.named(NEW_FLAGS) from None
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
        given["start"] = parse_user_date(start, "--start", today)
    if end is not None:
        given["end"] = parse_user_date(end, "--end", today)
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
    options = [
        (cid, f"{c.title} [{cid}] ({change_status(loaded, cid)})") for cid, c in changes.items()
    ]
    return PlanInput(change=pick("Change idea", options))


def _report_new(loaded: LoadedProject, c: LoadedCycle | None, path: Path, cycle: Cycle) -> None:
    what = f"cycle #{c.number}" if c else "cycle"
    follows = ""
    if cycle.follows:
        parent = next((p for p in loaded.cycles if p.id == cycle.follows), None)
        follows = f", follows #{parent.number}" if parent else ""
    echo(
        f"{style('planned', 'green', bold=True)} {what} of "
        f"'{change_title(loaded, cycle.change)}'{follows}"
    )
    echo(f"  {display_path(path)}")
    if not any(q.prediction for q in cycle.plan.questions):
        print_warning(
            "no predictions yet: write what you expect before the test, "
            "so Study has something to compare with (qi explain Q401)"
        )
    elif any(not q.prediction for q in cycle.plan.questions):
        print_warning("some questions have no prediction: add them before the test")
    ref = c.number if c else path.stem
    echo(f"  next: after the test, qi cycle log {ref}")


# --- qi cycle log ---------------------------------------------------------------------------


@app.command("log")
def log(
    cycle_ref: str | None = typer.Argument(
        None,
        metavar="[CYCLE]",
        help="Cycle number (3 or #3) or id; default: the open cycle.",
        autocompletion=complete_cycle,
    ),
    did: str | None = typer.Option(
        None, "--did", "--what-happened", help="Do: what happened during the test."
    ),
    as_planned: bool | None = typer.Option(
        None, "--as-planned/--not-as-planned", help="Do: was it carried out as planned?"
    ),
    observations: str | None = typer.Option(
        None, "--observations", help="Do: observations and unexpected events."
    ),
    problems: str | None = typer.Option(None, "--problems", help="Do: problems met."),
    data_collected: str | None = typer.Option(
        None, "--data-collected", help="Do: the data collected."
    ),
    done_start: str | None = typer.Option(
        None, "--done-start", help="Do: the day the test was done (YYYY-MM-DD, today, yesterday)."
    ),
    done_end: str | None = typer.Option(None, "--done-end", help="Do: its last day, if longer."),
    actual: list[str] = typer.Option(
        [],
        "--actual",
        "-a",
        help="Study: what actually happened, one per question of the plan, in order (repeatable).",
    ),
    held: list[str] = typer.Option(
        [],
        "--held",
        help="Study: did each prediction hold? yes, no or ? (not sure), one per question "
        "in order, comma-separated: --held yes,no",
    ),
    learned: str | None = typer.Option(None, "--learned", help="Study: what was learned."),
    decision: str | None = typer.Option(
        None, "--decision", "-d", help="Act: adopt, adapt or abandon."
    ),
    next_steps: str | None = typer.Option(
        None, "--next-steps", help="Act: the plan for the next cycle."
    ),
    edit: bool = typer.Option(False, "--edit", "-e", help="Fill in the worksheet in $EDITOR."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even in a terminal."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Record what happened in a cycle: Do, Study (each prediction) and Act.

    Without CYCLE, logs the open cycle (or asks which, if several are open).
    In a terminal, qi asks for what the options did not give. Run it again later to
    add what is still missing: only the fields you give are changed.

    Examples:

    \b
      qi cycle log
      qi cycle log 3 --did "Tried on 5 patients" --as-planned \\
        --actual "3 of 5 seen" --held no --learned "Weekend rota is the gap" \\
        --decision adapt
    """
    root = project_root(project)
    loaded = load_checked(root, DRIVERS_FILE, PROJECT_FILE)
    today = dt.date.today()
    asking = interactive(no_input) and not edit
    target = _choose_cycle(loaded, cycle_ref, asking)
    try:
        entry = LogInput(
            what_happened=did,
            as_planned=as_planned,
            observations=observations,
            problems=problems,
            data_collected=data_collected,
            done_start=parse_user_date(done_start, "--done-start", today) if done_start else None,
            done_end=parse_user_date(done_end, "--done-end", today) if done_end else None,
            actual=tuple(actual),
            held=tuple(parse_held(held)),
            learned=learned,
            decision=parse_decision(decision) if decision is not None else None,
            next_steps=next_steps,
        )
        patch, warnings = log_patch(target.cycle, entry, today)  # refuse bad flags first
    except FieldError as exc:
        raise exc.named(LOG_FLAGS) from None
    display = display_path(target.path)
    if edit:
        old_text, worksheet = log_worksheet(target, patch)
        text, _ = edit_until_valid(
            worksheet,
            lambda text: read_worksheet(loaded, text, display, today),
            EDIT_PREFIX,
        )
        cycle = record_worksheet(root, target, text, old_text)
        warnings = worksheet_warnings(cycle)
    else:
        if asking:
            entry = ask_log(loaded, target, entry)
            patch, warnings = log_patch(target.cycle, entry, today)
            warnings = [w for w in warnings if NO_PREDICTIONS not in w]  # said already
        if not patch:
            raise UsageError(
                f"nothing to log for cycle #{target.number}",
                hint="give what happened (--did), the study (--actual, --held, --learned) "
                "or the decision (--decision); or use --edit",
            )
        cycle = record_log(root, target, entry, today)
    for warning in warnings:
        print_warning(warning)
    written = load_project(root)
    now = next((c for c in written.cycles if c.id == target.id), target)
    sections = [
        name
        for name, section in (("Do", cycle.do), ("Study", cycle.study), ("Act", cycle.act))
        if section is not None
    ]
    decided = f" (decision: {cycle.act.decision})" if cycle.act and cycle.act.decision else ""
    echo(
        f"{style('logged', 'green', bold=True)} cycle #{now.number} "
        f"'{change_title(written, cycle.change)}': {', '.join(sections) or 'nothing'}{decided}"
    )
    echo(f"  {display}")
    hint = next_step_hint(now)
    if hint:
        echo(f"  next: {hint}")


def _choose_cycle(loaded: LoadedProject, ref: str | None, asking: bool) -> LoadedCycle:
    """The cycle named by `ref`, else the open one, else ask (or list them)."""
    if ref is not None:
        return find_cycle(loaded, ref)
    _warn_broken(loaded)
    candidates = cycles_to_log(loaded)
    if len(candidates) == 1:
        return candidates[0]
    if asking:
        heading("Which cycle do you want to log?")
        options = [(str(c.number), describe_cycle(loaded, c)) for c in candidates]
        return loaded.cycle(pick("Cycle", options))
    listed = "; ".join(describe_cycle(loaded, c) for c in candidates)
    raise UsageError(
        f"{len(candidates)} cycles are open: which one?",
        hint=f"qi cycle log NUMBER; open: {listed}",
    )


# --- qi cycle list / show ------------------------------------------------------------------


@app.command("list")
def list_(
    change: str | None = typer.Option(
        None,
        "--change",
        "-c",
        help="Only the cycles of a change idea.",
        autocompletion=complete_change,
    ),
    status: str | None = typer.Option(
        None, "--status", "-s", help="Only cycles that are planned, running, done or open."
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """List cycles: number, change idea, dates, scale, status, decision, ramp.

    Example:

    \b
      qi cycle list --change physio-review
    """
    loaded = load_checked(project_root(project), DRIVERS_FILE)
    cycles = filter_cycles(loaded, change=change, status=status)
    _warn_broken(loaded)
    if not cycles:
        if loaded.cycles:
            echo("no cycles match")
        else:
            echo("no cycles yet: plan one with `qi cycle new --change ID`")
        return
    numbers = {c.id: c.number for c in loaded.cycles}
    colours = {"planned": "bright_black", "running": "yellow", "done": "green"}
    decisions = {"adopt": "green", "adapt": "yellow", "abandon": "red"}
    table = Table(box=None, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("change idea", ratio=2, min_width=12)
    table.add_column("dates", no_wrap=True)
    table.add_column("scale", ratio=1, min_width=8)
    table.add_column("status", no_wrap=True)
    table.add_column("decision", no_wrap=True)
    table.add_column("after", no_wrap=True)
    for c in cycles:
        decision = c.cycle.act.decision if c.cycle.act and c.cycle.act.decision else "-"
        after = f"#{numbers[c.cycle.follows]}" if c.cycle.follows in numbers else "-"
        table.add_row(
            str(c.number),
            Text(change_title(loaded, c.cycle.change)),
            cycle_dates(c.cycle),
            Text(c.cycle.scale or "-"),
            Text(c.cycle.status, style=colours.get(c.cycle.status, "")),
            Text(decision, style=decisions.get(decision, "")),
            after,
        )
    print_rich(table)


@app.command("show")
def show(
    cycle_ref: str | None = typer.Argument(
        None,
        metavar="[CYCLE]",
        help="Cycle number (3 or #3) or id; default: the latest.",
        autocompletion=complete_cycle,
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Show a cycle's worksheet: Plan, Do, Study, Act, and its place in the ramp.

    Example:

    \b
      qi cycle show 3
    """
    loaded = load_checked(project_root(project), DRIVERS_FILE)
    if cycle_ref is None:
        if not loaded.cycles:
            _warn_broken(loaded)
            raise QiError("no cycles yet", hint="plan one with `qi cycle new --change ID`")
        target = loaded.cycles[-1]
    else:
        target = find_cycle(loaded, cycle_ref)
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    for line, is_heading in worksheet_lines(loaded, target, width):
        echo(style(line, "cyan", bold=True) if is_heading else line)
