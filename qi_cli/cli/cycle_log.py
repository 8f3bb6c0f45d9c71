"""`qi cycle log`: record Do, Study and Act, by prompts, flags or the worksheet in $EDITOR.

Only the fields given are written; the rules live in `qi_cli.cycles.log`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from qi_cli.cli._common import echo, print_warning, style
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_cycle
from qi_cli.cli.cycle import warn_broken_cycles
from qi_cli.cli.cycle_questions import ask_log
from qi_cli.cli.prompts import (
    ask_valid,
    edit_until_valid,
    heading,
    interactive,
    pick,
    typed_date,
)
from qi_cli.cycles.answers import parse_decision, parse_held
from qi_cli.cycles.editor import EDIT_PREFIX, log_worksheet
from qi_cli.cycles.finding import (
    cycles_to_log,
    describe_cycle,
    find_cycle,
    next_step_hint,
    number_note,
)
from qi_cli.cycles.log import (
    Amending,
    LogInput,
    amendments,
    check_held,
    log_patch,
    record_log,
    record_worksheet,
    worksheet_warnings,
)
from qi_cli.cycles.planning import (
    read_worksheet,
)
from qi_cli.drivers import changes_title
from qi_cli.errors import FieldError, UsageError, name_fields
from qi_cli.files.disk import display_path
from qi_cli.files.layout import DRIVERS_FILE, PROJECT_FILE
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.files.loader import load_project

# the library's field names, as this command's flags say them
LOG_FLAGS = {
    "do.start": "--done-start",
    "do.end": "--done-end",
    "study.answers": "--actual",
    "study.actual": "--actual",
    "study.held": "--held",
    "study.learned": "--learned",
    "amend": "--amend",
    "amend_plan": "--amend-plan",
    "reason": "--reason",
}


def register(app: typer.Typer) -> None:
    app.command("log")(log)


def log(
    cycle_ref: str | None = typer.Argument(
        None,
        metavar="[CYCLE]",
        help="Cycle id (3f9a, as `qi cycle list` shows it) or number (3 or #3); "
        "default: the open cycle.",
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
        help="Study: did each prediction hold? yes, no, partly or ? (not yet known), one per "
        "question in order, comma-separated: --held yes,partly",
    ),
    learned: str | None = typer.Option(None, "--learned", help="Study: what was learned."),
    decision: str | None = typer.Option(
        None, "--decision", "-d", help="Act: adopt, adapt or abandon."
    ),
    next_steps: str | None = typer.Option(
        None, "--next-steps", help="Act: the plan for the next cycle."
    ),
    edit: bool = typer.Option(False, "--edit", "-e", help="Fill in the worksheet in $EDITOR."),
    amend: bool = typer.Option(
        False,
        "--amend",
        help="Change what was already recorded (Do, Study, Act); the old values are kept "
        "in the cycle's history.",
    ),
    amend_plan: bool = typer.Option(
        False,
        "--amend-plan",
        help="Change the plan after the test started, in $EDITOR; the old values are kept "
        "in the cycle's history.",
    ),
    reason: str | None = typer.Option(
        None, "--reason", help="Why the record is amended (with --amend or --amend-plan)."
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even in a terminal."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Record what happened in a cycle: Do, Study (each prediction) and Act.

    Without CYCLE, logs the open cycle (or asks which, if several are open).
    In a terminal, qi asks for what the options did not give. Run it again later to
    add what is still missing: only the fields you give are changed. What is recorded
    is never replaced silently: changing it needs --amend --reason, and the plan is
    frozen once the test has started (--amend-plan --reason).

    Examples:

    \b
      qi cycle log
      qi cycle log 3f9a --did "Tried on 5 patients" --as-planned \\
        --actual "3 of 5 seen" --held partly --learned "Weekend rota is the gap" \\
        --decision adapt
      qi cycle log 3f9a --decision abandon --amend --reason "decided at Monday's huddle"
    """
    edit = edit or amend_plan
    reason = _amend_reason(amend or amend_plan, reason, no_input)
    root = project_root(project)
    loaded = load_for_writing(root, DRIVERS_FILE, PROJECT_FILE)
    today = dt.date.today()
    order = loaded.project.date_order if loaded.project else "iso"
    asking = interactive(no_input) and not edit
    target = _choose_cycle(loaded, cycle_ref, asking)
    note = number_note(loaded, cycle_ref, target) if cycle_ref is not None else None
    if note:
        echo(note)
    display = display_path(target.path)
    try:
        entry = LogInput(
            what_happened=did,
            as_planned=as_planned,
            observations=observations,
            problems=problems,
            data_collected=data_collected,
            done_start=typed_date(done_start, "--done-start", today, order) if done_start else None,
            done_end=typed_date(done_end, "--done-end", today, order) if done_end else None,
            actual=tuple(actual),
            held=tuple(parse_held(held)),
            learned=learned,
            decision=parse_decision(decision) if decision is not None else None,
            next_steps=next_steps,
            amend_reason=reason if amend else None,
        )
        # refuse bad flags first
        doc = loaded.document_of(target)
        patch, warnings = log_patch(target.cycle, entry, today, where=display, doc=doc)
        if edit:
            old_text, worksheet = log_worksheet(target, patch)
            text, _ = edit_until_valid(
                worksheet,
                lambda text: check_held(target.cycle, read_worksheet(loaded, text, display, today)),
                EDIT_PREFIX,
            )
            amending = Amending(log=amend, plan=amend_plan, reason=reason)
            cycle, changed = record_worksheet(
                root, target, text, old_text, amending=amending, today=today
            )
            warnings = worksheet_warnings(cycle)
        else:
            if asking:
                entry = ask_log(loaded, target, entry, amending=amend)
                patch, warnings = log_patch(target.cycle, entry, today, where=display, doc=doc)
                warnings = [w for w in warnings if w.code != "Q401"]  # said while asking
            if not patch:
                raise UsageError(
                    f"nothing to log for cycle {target.label}",
                    hint="give what happened (--did), the study (--actual, --held, --learned) "
                    "or the decision (--decision); or use --edit",
                )
            changed = amendments(target.cycle, patch)
            cycle = record_log(root, target, entry, today)
    except FieldError as exc:
        raise exc.named(LOG_FLAGS) from None
    for warning in warnings:
        print_warning(name_fields(warning.message, LOG_FLAGS))
    for amended in changed:
        echo(f"{style('amended', 'yellow', bold=True)} {amended.field}")
        echo(f"  was: {amended.was if amended.was is not None else '(empty)'}")
        echo(f"  now: {amended.now if amended.now is not None else '(empty)'}")
    written = load_project(root)
    now = next((c for c in written.cycles if c.id == target.id), target)
    sections = [
        name
        for name, section in (("Do", cycle.do), ("Study", cycle.study), ("Act", cycle.act))
        if section is not None
    ]
    decided = f" (decision: {cycle.act.decision})" if cycle.act and cycle.act.decision else ""
    echo(
        f"{style('logged', 'green', bold=True)} cycle {now.label} "
        f"'{changes_title(written, cycle.changes)}': {', '.join(sections) or 'nothing'}{decided}"
    )
    echo(f"  {display}")
    hint = next_step_hint(now)
    if hint:
        echo(f"  next, {hint}")


def _amend_reason(amending: bool, reason: str | None, no_input: bool) -> str | None:
    """The reason for an amendment: given, or asked; refused without an amendment."""
    if not amending:
        if reason is not None:
            raise UsageError(
                "--reason is for an amendment", hint="add --amend or --amend-plan, or drop --reason"
            )
        return None
    if reason is None or not reason.strip():
        if not interactive(no_input):
            raise UsageError(
                "missing --reason", hint="say why the record is amended: it is kept in its history"
            )
        reason = ask_valid("Why is the record amended?", _non_empty)
    return reason.strip()


def _non_empty(text: str) -> str:
    if not text.strip():
        raise UsageError("a reason is needed", hint="it is kept in the cycle's history")
    return text


def _choose_cycle(loaded: LoadedProject, ref: str | None, asking: bool) -> LoadedCycle:
    """The cycle named by `ref`, else the open one, else ask (or list them)."""
    if ref is not None:
        return find_cycle(loaded, ref)
    warn_broken_cycles(loaded)
    candidates = cycles_to_log(loaded)
    if len(candidates) == 1:
        return candidates[0]
    if asking:
        heading("Which cycle do you want to log?")
        options = [(c.short_id, describe_cycle(loaded, c)) for c in candidates]
        return loaded.cycle(pick("Cycle", options))
    listed = "; ".join(describe_cycle(loaded, c) for c in candidates)
    raise UsageError(
        f"{len(candidates)} cycles are open: which one?",
        hint=f"qi cycle log ID; open: {listed}",
    )
