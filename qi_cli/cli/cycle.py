"""`qi cycle new`, `qi cycle log`, `qi cycle list` and `qi cycle show`: PDSA cycles.

Three ways in, all first-class: prompts in a terminal for what flags did not give;
flags for every field (scripts); `--edit` opens the worksheet in $EDITOR.
Every prompt is answered before anything is written, so Ctrl-C leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from qi_cli.cli._common import PROJECT_OPTION, echo, project_root, style
from qi_cli.cli.complete import complete_change, complete_cycle, complete_measure

if TYPE_CHECKING:
    from qi_cli.files.loader import LoadedCycle, LoadedProject
    from qi_cli.model import Cycle
    from qi_cli.workflow import LogInput, PlanInput

T = TypeVar("T")

app = typer.Typer(help="Plan, log and review PDSA cycles.", no_args_is_help=True)
EDIT_PREFIX = "# qi:"
MAX_FILE_TRIES = 8


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="cycle")


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _interactive(no_input: bool) -> bool:
    return not no_input and _stdin_is_terminal()


def _warn(message: str) -> None:
    echo(f"{style('warning:', 'yellow', bold=True, err=True)} {message}", err=True)


# --- prompts ------------------------------------------------------------------------------


def _ask(label: str, default: str | None = None) -> str | None:
    """One free-text prompt; Enter keeps the default (shown), or leaves it empty."""
    suffix = " " if label.rstrip().endswith(("?", ")")) else ": "
    answer: str = typer.prompt(
        label, default=default or "", show_default=bool(default), prompt_suffix=suffix
    )
    return answer.strip() or None


def _ask_valid(label: str, parse: Callable[[str], T], default: str | None = None) -> T:
    """Ask until the answer parses; the reason for a refusal is shown, then asked again."""
    from qi_cli.errors import QiError

    while True:
        answer = _ask(label, default) or ""
        try:
            return parse(answer)
        except QiError as exc:
            echo(f"  {exc.message}" + (f" ({exc.hint})" if exc.hint else ""), err=True)


def _heading(text: str) -> None:
    echo(style(text, "cyan", bold=True))


def _pick(label: str, options: Sequence[tuple[str, str]]) -> str:
    """Choose one of `options` (value, description) by number or by value."""
    from qi_cli.errors import UsageError

    for i, (_, description) in enumerate(options, start=1):
        echo(f"  {i}. {description}")
    values = [value for value, _ in options]

    def parse(text: str) -> str:
        if text.isdigit() and 1 <= int(text) <= len(options):
            return values[int(text) - 1]
        if text in values:
            return text
        raise UsageError(f"'{text}' is not one of the choices", hint=f"type 1 to {len(options)}")

    return _ask_valid(label, parse, "1" if len(options) == 1 else None)


# --- the editor ---------------------------------------------------------------------------


def _edit_loop(worksheet: str, check: Callable[[str], T]) -> tuple[str, T]:
    """Open the worksheet in $EDITOR until it validates; reopen with the errors on top.

    What was typed is kept between attempts; if the person gives up, it is saved to a
    temporary file so nothing typed is lost.
    """
    import tempfile

    from qi_cli.errors import QiError

    text = worksheet
    while True:
        edited = _run_editor(text)
        if edited is None:
            body = _strip(text)
            if text != worksheet:
                fd, kept = tempfile.mkstemp(prefix="qi-worksheet-", suffix=".yaml")
                with open(fd, "w", encoding="utf-8") as handle:
                    handle.write(body)
                raise QiError(
                    "the worksheet was not saved: nothing was written",
                    hint=f"what you typed is kept in {kept}",
                )
            raise QiError("the worksheet was not saved: nothing was written")
        body = _strip(edited)
        if not body.strip():
            raise QiError("the worksheet is empty: nothing was written")
        try:
            return body, check(body)
        except QiError as exc:
            issues = exc.issues or []
            offset = max(len(issues), 1) + 1
            lines = [
                _edit_message(i.line + offset if i.line else None, i.message, i.hint)
                for i in issues
            ] or [_edit_message(exc.line + offset if exc.line else None, exc.message, exc.hint)]
            lines.insert(0, f"{EDIT_PREFIX} could not save: fix this, then save and close")
            _warn(exc.message + " (reopening the editor)")
            text = "".join(line + "\n" for line in lines) + body


def _run_editor(text: str) -> str | None:
    """Open text in $VISUAL / $EDITOR; None when it was closed without a change."""
    import os
    import shlex
    import subprocess
    import tempfile

    from qi_cli.errors import QiError

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    editor = editor or ("notepad" if os.name == "nt" else "vi")
    fd, name = tempfile.mkstemp(prefix="qi-worksheet-", suffix=".yaml")
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            done = subprocess.run([*shlex.split(editor, posix=os.name != "nt"), name], check=False)
        except OSError as exc:
            raise QiError(
                f"cannot start the editor '{editor}': {exc.strerror or exc}",
                hint="set EDITOR to an editor you have, e.g. export EDITOR=nano",
            ) from None
        if done.returncode != 0:
            raise QiError(
                f"the editor '{editor}' exited with code {done.returncode}: nothing was written"
            )
        with open(name, encoding="utf-8") as handle:
            edited = handle.read()
    finally:
        Path(name).unlink(missing_ok=True)
    return None if edited == text else edited


def _edit_message(line: int | None, message: str, hint: str | None) -> str:
    where = f"line {line}: " if line else ""
    if ": " in message and message.split(": ", 1)[0].endswith(".yaml"):
        message = message.split(": ", 1)[1]
    return f"{EDIT_PREFIX} {where}{message}" + (f" ({hint})" if hint else "")


def _strip(text: str) -> str:
    from qi_cli.files.yaml_write import strip_comment_lines

    return strip_comment_lines(text, EDIT_PREFIX)


# --- qi cycle new ---------------------------------------------------------------------------


def _change_title(loaded: LoadedProject, change: str) -> str:
    if loaded.drivers and change in loaded.drivers.changes:
        return loaded.drivers.changes[change].title
    return change


def _describe(loaded: LoadedProject, c: LoadedCycle) -> str:
    when = c.cycle.date.isoformat() if c.cycle.date else "no date"
    return f"#{c.number} {_change_title(loaded, c.cycle.change)} ({c.cycle.status}, {when})"


def _plan_prompts(loaded: LoadedProject, plan: PlanInput, given: set[str]) -> PlanInput:
    """Ask for every field the flags did not give, with the carried-over defaults."""
    from dataclasses import replace

    from qi_cli.dates import parse_user_date
    from qi_cli.workflow import PURPOSES, WHO_FIELDS, parse_purpose

    today = dt.date.today()
    title = _change_title(loaded, plan.change)
    _heading(f"Plan a PDSA cycle: {title}")
    echo("  Enter keeps the value in [brackets]; leave a field empty to skip it.")
    changes: dict[str, Any] = {}
    if "objective" not in given:
        changes["objective"] = _ask("Objective of this cycle", plan.objective)
    if "purpose" not in given:
        changes["purpose"] = _ask_valid(
            f"Purpose ({', '.join(PURPOSES)})", parse_purpose, plan.purpose
        )
    if "scale" not in given:
        changes["scale"] = _ask("Scale (start small: one patient, one shift)", plan.scale)
    if "questions" not in given:
        questions: list[tuple[str, str | None]] = []
        for carried, _ in plan.questions:
            echo(f"  Question: {carried}")
            questions.append((carried, _ask("  Your prediction, before the test")))
        while True:
            asked = _ask(
                f"Question {len(questions) + 1} (what do you want to learn? Enter to finish)"
            )
            if not asked:
                break
            questions.append((asked, _ask("  Your prediction, before the test")))
        changes["questions"] = tuple(questions)
    for section, label in (("test", "The test"), ("data_collection", "Collecting the data")):
        if section not in given:
            values = dict(getattr(plan, section))
            for key in WHO_FIELDS:
                values[key] = _ask(f"{label}: {key}?", values.get(key))
            changes[section] = values
    if "start" not in given:
        default = (plan.start or today).isoformat()
        changes["start"] = _ask_valid(
            "Planned start (YYYY-MM-DD)", lambda t: parse_user_date(t, "start", today), default
        )
    if "end" not in given:
        start = changes.get("start") or plan.start or today
        changes["end"] = _ask_valid(
            "Planned end (YYYY-MM-DD)",
            lambda t: parse_user_date(t, "end", today),
            start.isoformat(),
        )
    if "measures" not in given and loaded.measures:
        echo("  Measures: " + ", ".join(loaded.measures))
        answer = _ask(
            "Measures this test should move (ids, comma-separated)", ", ".join(plan.measures)
        )
        changes["measures"] = tuple(m.strip() for m in (answer or "").split(",") if m.strip())
    if "person" not in given:
        lead = loaded.project.lead if loaded.project else None
        changes["person"] = _ask("Person responsible", plan.person or lead)
    return replace(plan, **changes)


def _worksheet_new(data: dict[str, Any]) -> str:
    """The full worksheet for --edit: every field, empty ones included, with guidance."""
    from qi_cli.files.yaml_write import render

    plan = data.get("plan", {})
    questions = plan.get("questions") or [{"question": None, "prediction": None}]
    full = {
        "change": data["change"],
        "follows": data.get("follows"),
        "person": data.get("person"),
        "purpose": data.get("purpose", "test"),
        "scale": data.get("scale"),
        "measures": data.get("measures") or [],
        "created": data["created"],
        "plan": {
            "objective": plan.get("objective"),
            "questions": [
                {"question": q.get("question"), "prediction": q.get("prediction")}
                for q in questions
            ],
            "test": {k: (plan.get("test") or {}).get(k) for k in ("who", "what", "when", "where")},
            "data_collection": {
                k: (plan.get("data_collection") or {}).get(k)
                for k in ("who", "what", "when", "where")
            },
            "start": plan.get("start"),
            "end": plan.get("end"),
        },
    }
    guide = (
        f"{EDIT_PREFIX} Plan a PDSA cycle. Fill in what you know, save and close the editor.\n"
        f"{EDIT_PREFIX} Empty fields are left out. Write a prediction for every question.\n"
        f"{EDIT_PREFIX} purpose: collect_information, develop, test or implement;"
        " dates: YYYY-MM-DD.\n"
    )
    return guide + render(full)


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
    from dataclasses import replace

    from qi_cli.cli._common import load_checked
    from qi_cli.dates import parse_user_date
    from qi_cli.errors import QiError, UsageError
    from qi_cli.files.loader import DRIVERS_FILE, PROJECT_FILE, load_project
    from qi_cli.files.yaml_write import create_file, create_text, prune, read_model
    from qi_cli.model import Cycle
    from qi_cli.workflow import (
        PlanInput,
        carry_over,
        check_cycle,
        check_plan,
        cycle_header,
        new_cycle_data,
        parse_purpose,
        unknown,
    )

    root = project_root(project)
    loaded = load_checked(root, DRIVERS_FILE, PROJECT_FILE)
    today = dt.date.today()
    interactive = _interactive(no_input) and not edit
    known_changes = list(loaded.drivers.changes) if loaded.drivers else []

    if next_ is not None:
        previous = loaded.cycle(next_)
        plan = replace(carry_over(previous.cycle), follows=previous.id)
        if change is not None and change != plan.change:
            raise UsageError(
                f"--next {next_} tests '{plan.change}', not '{change}'",
                hint="a ramp tests one change idea: drop --change, or plan a first cycle "
                "of the other idea without --next",
            )
    elif change is not None:
        plan = PlanInput(change=change)
    elif interactive and known_changes:
        assert loaded.drivers is not None
        _heading("Which change idea does this cycle test?")
        options = [
            (cid, f"{c.title} [{cid}] ({loaded.change_status(cid)})")
            for cid, c in loaded.drivers.changes.items()
        ]
        plan = PlanInput(change=_pick("Change idea", options))
    elif not known_changes:
        raise QiError(
            "there are no change ideas to test yet",
            hint='add one first: qi change add "Physio review within 24 h" --driver ID',
        )
    else:
        raise UsageError(
            "which change idea does this cycle test? give --change ID (or --next CYCLE)",
            hint=f"known change ideas: {', '.join(sorted(known_changes))}",
        )
    if loaded.drivers is None or plan.change not in loaded.drivers.changes:
        raise unknown("change idea", plan.change, known_changes, "add it with `qi change add`")

    # flags override what carried over
    given: set[str] = set()
    fields: dict[str, Any] = {}
    for name, value in (("objective", objective), ("scale", scale), ("person", person)):
        if value is not None:
            fields[name] = value
            given.add(name)
    if purpose is not None:
        fields["purpose"] = parse_purpose(purpose)
        given.add("purpose")
    if len(prediction) > len(question):
        raise UsageError(
            f"{len(prediction)} --prediction for {len(question)} --question",
            hint='give each prediction after its question: -q "Will ...?" --prediction "Yes"',
        )
    if question:
        fields["questions"] = tuple(
            (q, prediction[i] if i < len(prediction) else None) for i, q in enumerate(question)
        )
        given.add("questions")
    for section, values in (
        ("test", (test_who, test_what, test_when, test_where)),
        ("data_collection", (data_who, data_what, data_when, data_where)),
    ):
        if any(v is not None for v in values):
            merged = dict(getattr(plan, section))
            merged.update(
                {
                    k: v
                    for k, v in zip(("who", "what", "when", "where"), values, strict=True)
                    if v is not None
                }
            )
            fields[section] = merged
            given.add(section)
    if start is not None:
        fields["start"] = parse_user_date(start, "--start", today)
        given.add("start")
    if end is not None:
        fields["end"] = parse_user_date(end, "--end", today)
        given.add("end")
    if measure:
        fields["measures"] = tuple(measure)
        given.add("measures")
    plan = replace(plan, **fields)
    if not edit:
        check_plan(loaded, plan)  # refuse bad flags before asking any question
    if interactive:
        plan = _plan_prompts(loaded, plan, given)
        check_plan(loaded, plan)

    data = new_cycle_data(plan, today)
    if edit:

        def check(text: str) -> Cycle:
            cycle, _ = read_model(text, "worksheet", Cycle, empty_ok=True)
            check_cycle(loaded, cycle, today)
            return cycle

        text, cycle = _edit_loop(_worksheet_new(data), check)
        text = prune(text, "worksheet")
        date = cycle.plan.start or today

        def write(path: Path) -> Cycle:
            title = _change_title(loaded, cycle.change)
            header = "".join(f"# {line}\n" for line in cycle_header(path.stem, title).splitlines())
            return create_text(path, header + text, Cycle)

    else:
        cycle = Cycle.model_validate(data)
        date = plan.start or today

        def write(path: Path) -> Cycle:
            header = cycle_header(path.stem, _change_title(loaded, plan.change))
            return create_file(path, data, Cycle, header=header)

    path = _write_new_cycle(root, cycle.change, date, write)
    written = load_project(root)
    number = next((c for c in written.cycles if c.id == path.stem), None)
    _report_new(written, number, path, cycle)


def _write_new_cycle(root: Path, change: str, date: dt.date, write: Callable[[Path], Any]) -> Path:
    """A new file name with a random suffix; on the rare clash, another suffix."""
    from qi_cli.errors import QiError
    from qi_cli.workflow import cycle_file_name

    for _ in range(MAX_FILE_TRIES):
        path = root / cycle_file_name(change, date)
        if path.exists():
            continue
        try:
            write(path)
        except QiError:
            if path.exists():  # another run took this name a moment ago
                continue
            raise
        return path
    raise QiError(
        f"could not find a free file name in {root / 'cycles'}",
        hint="check the cycles folder; this should not happen",
    )


def _report_new(loaded: LoadedProject, c: LoadedCycle | None, path: Path, cycle: Cycle) -> None:
    from qi_cli.files.disk import display_path

    what = f"cycle #{c.number}" if c else "cycle"
    follows = ""
    if cycle.follows:
        parent = next((p for p in loaded.cycles if p.id == cycle.follows), None)
        follows = f", follows #{parent.number}" if parent else ""
    echo(
        f"{style('planned', 'green', bold=True)} {what} of "
        f"'{_change_title(loaded, cycle.change)}'{follows}"
    )
    echo(f"  {display_path(path)}")
    if not any(q.prediction for q in cycle.plan.questions):
        _warn(
            "no predictions yet: write what you expect before the test, "
            "so Study has something to compare with (qi explain Q401)"
        )
    elif any(not q.prediction for q in cycle.plan.questions):
        _warn("some questions have no prediction: add them before the test")
    ref = c.number if c else path.stem
    echo(f"  next: after the test, qi cycle log {ref}")


# --- qi cycle log ---------------------------------------------------------------------------


def _choose_cycle(loaded: LoadedProject, ref: str | None, interactive: bool) -> LoadedCycle:
    """The cycle named by `ref`, else the open one, else ask (or list them)."""
    from qi_cli.errors import QiError, UsageError
    from qi_cli.workflow import open_cycles

    if ref is not None:
        broken = [
            i
            for i in loaded.errors
            if Path(i.path).parent.name == "cycles" and Path(i.path).stem.startswith(ref.strip())
        ]
        if broken and not any(c.id.startswith(ref.strip()) for c in loaded.cycles):
            error = QiError.from_issue(broken[0])
            error.hint = (broken[0].hint + "; " if broken[0].hint else "") + "fix it first"
            raise error
        return loaded.cycle(ref)
    _warn_broken(loaded)
    candidates = open_cycles(loaded)
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        known = ", ".join(f"#{c.number}" for c in loaded.cycles) or "none yet"
        raise QiError(
            "no open cycle to log: every cycle has its Act decision",
            hint=f"name one to update (cycles: {known}), or plan one: qi cycle new --change ID",
        )
    if interactive:
        _heading("Which cycle do you want to log?")
        options = [(str(c.number), _describe(loaded, c)) for c in candidates]
        return loaded.cycle(_pick("Cycle", options))
    listed = "; ".join(_describe(loaded, c) for c in candidates)
    raise UsageError(
        f"{len(candidates)} cycles are open: which one?",
        hint=f"qi cycle log NUMBER; open: {listed}",
    )


def _log_prompts(loaded: LoadedProject, target: LoadedCycle, entry: LogInput) -> LogInput:
    """Ask for what is neither given by flags nor recorded yet: Do, Study, Act."""
    from dataclasses import replace

    from qi_cli.dates import parse_user_date
    from qi_cli.workflow import parse_decision, parse_yes_no

    today = dt.date.today()
    cycle = target.cycle
    do = cycle.do
    study = cycle.study
    changes: dict[str, Any] = {}
    _heading(f"Log cycle #{target.number}: {_change_title(loaded, cycle.change)}")
    if cycle.plan.objective:
        echo(f"  objective: {cycle.plan.objective}")
    echo("  Enter skips a question (or keeps the value in [brackets]).")

    def missing(name: str, section: Any) -> bool:
        return getattr(entry, name) is None and (
            section is None or getattr(section, _DO_FIELDS.get(name, name)) is None
        )

    _heading("Do")
    if missing("what_happened", do):
        changes["what_happened"] = _ask("What happened?")
    if missing("as_planned", do):
        changes["as_planned"] = typer.confirm("  Was it carried out as planned?", default=True)
    for name, label in (
        ("observations", "Observations and unexpected events"),
        ("problems", "Problems"),
        ("data_collected", "Data collected"),
    ):
        if missing(name, do):
            changes[name] = _ask(label)
    if missing("done_start", do):
        planned = cycle.plan.start
        default = planned if planned and planned <= today else today
        changes["done_start"] = _ask_valid(
            "Date of the test (YYYY-MM-DD)",
            lambda t: parse_user_date(t, "date of the test", today),
            default.isoformat(),
        )
    if missing("done_end", do):
        first = changes.get("done_start") or entry.done_start or (do.start if do else None)
        changes["done_end"] = _ask_valid(
            "Last day of the test",
            lambda t: parse_user_date(t, "last day", today),
            first.isoformat() if first else today.isoformat(),
        )

    _heading("Study")
    questions = cycle.plan.questions
    if not any(q.prediction for q in questions):
        _warn("this cycle has no predictions: note what you learned (qi explain Q401)")
    recorded = study.answers if study else []
    actual: list[str | None] = list(entry.actual)
    held: list[bool | None] = list(entry.held)
    for i, q in enumerate(questions):
        before = recorded[i] if i < len(recorded) else None
        echo(f"  Q{i + 1}: {q.question}")
        echo(f"      predicted: {q.prediction or '(no prediction)'}")
        if i >= len(actual):
            actual.append(None)
        if i >= len(held):
            held.append(None)
        if actual[i] is None and (before is None or before.actual is None):
            actual[i] = _ask("      What actually happened")
        if held[i] is None and q.prediction and (before is None or before.held is None):
            held[i] = _ask_valid(
                "      Did the prediction hold? (yes / no / ?)",
                lambda t: parse_yes_no(t, "held"),
                "?",
            )
    changes["actual"] = tuple(actual)
    changes["held"] = tuple(held)
    if entry.learned is None and (study is None or study.learned is None):
        changes["learned"] = _ask("What did you learn?")

    _heading("Act")
    act = cycle.act
    if entry.decision is None and (act is None or act.decision is None):
        changes["decision"] = _ask_valid(
            "Decision: adopt, adapt or abandon (Enter to decide later)",
            lambda t: parse_decision(t) if t.strip() else None,
        )
    if entry.next_steps is None and (act is None or act.next_steps is None):
        changes["next_steps"] = _ask("Next steps (the plan for the next cycle)")
    return replace(entry, **changes)


_DO_FIELDS = {
    "as_planned": "carried_out_as_planned",
    "done_start": "start",
    "done_end": "end",
}


def _worksheet_log(text: str, cycle: Cycle, given: dict[str, Any], display: str) -> str:
    """The cycle file with every Do, Study and Act field shown, for --edit."""
    from qi_cli.files.yaml_write import merge, splice
    from qi_cli.model import Act, Answer, Do, Study

    skeleton: dict[str, Any] = {}
    for key, model, section in (
        ("do", Do, cycle.do),
        ("study", Study, cycle.study),
        ("act", Act, cycle.act),
    ):
        fields: dict[str, Any] = {
            name: None
            for name in model.model_fields
            if name != "answers" and (section is None or getattr(section, name) is None)
        }
        if key == "study":
            answers = cycle.study.answers if cycle.study else []
            items = []
            for i in range(len(cycle.plan.questions)):
                old = answers[i] if i < len(answers) else None
                items.append(
                    {n: None for n in Answer.model_fields if old is None or getattr(old, n) is None}
                )
            if items:
                fields = {"answers": items, **fields}
        skeleton[key] = fields
    skeleton = merge(skeleton, given)
    guide = (
        f"{EDIT_PREFIX} Record what happened: Do, then Study (one answer per question of the\n"
        f"{EDIT_PREFIX} plan, in order; held: true or false), then Act (decision: adopt, adapt\n"
        f"{EDIT_PREFIX} or abandon). Save and close the editor. Dates: YYYY-MM-DD.\n"
    )
    return guide + splice(text, skeleton, _cycle_model(), display)


def _cycle_model() -> Any:
    from qi_cli.model import Cycle

    return Cycle


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
    from qi_cli.cli._common import load_checked
    from qi_cli.dates import parse_user_date
    from qi_cli.errors import QiError, UsageError
    from qi_cli.files.disk import display_path
    from qi_cli.files.loader import DRIVERS_FILE, PROJECT_FILE, load_project
    from qi_cli.files.yaml_write import read_model, replace_text, update_file
    from qi_cli.model import Cycle
    from qi_cli.workflow import (
        LogInput,
        check_cycle,
        conflicts,
        log_patch,
        parse_decision,
        parse_held,
    )

    root = project_root(project)
    loaded = load_checked(root, DRIVERS_FILE, PROJECT_FILE)
    today = dt.date.today()
    interactive = _interactive(no_input) and not edit
    target = _choose_cycle(loaded, cycle_ref, interactive)
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
    display = display_path(target.path)

    if edit:
        from qi_cli.files.disk import read_text

        old_text = read_text(target.path, display)
        worksheet = _worksheet_log(old_text, target.cycle, patch, display)

        def check(text: str) -> Cycle:
            cycle, _ = read_model(text, display, Cycle)
            check_cycle(loaded, cycle, today)
            return cycle

        text, _ = _edit_loop(worksheet, check)
        cycle = replace_text(root, target.path, text, Cycle, expected_old=old_text)
        warnings = []
        if cycle.study and not any(q.prediction for q in cycle.plan.questions):
            warnings.append("this cycle has no predictions to compare with (qi explain Q401)")
    else:
        if interactive:
            entry = _log_prompts(loaded, target, entry)
            patch, warnings = log_patch(target.cycle, entry, today)
            warnings = [w for w in warnings if "no predictions" not in w]  # said already
        if not patch:
            raise UsageError(
                f"nothing to log for cycle #{target.number}",
                hint="give what happened (--did), the study (--actual, --held, --learned) "
                "or the decision (--decision); or use --edit",
            )

        def make_patch(current: Cycle, _text: str) -> dict[str, Any]:
            clashes = conflicts(target.cycle, current, patch)
            if clashes:
                raise QiError(
                    f"{display}: {', '.join(clashes)} changed while you were logging; "
                    "nothing was written",
                    hint="run `qi cycle show` to see the new values, then log again",
                    path=display,
                )
            fresh, _ = log_patch(current, entry, today)
            return fresh

        cycle, _, _ = update_file(root, target.path, Cycle, make_patch)
    for warning in warnings:
        _warn(warning)
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
        f"'{_change_title(written, cycle.change)}': {', '.join(sections) or 'nothing'}{decided}"
    )
    echo(f"  {display}")
    from qi_cli.dates import parse_user_date
    from qi_cli.workflow import next_step_hint

    hint = next_step_hint(now)
    if hint:
        echo(f"  next: {hint}")


# --- qi cycle list / show ------------------------------------------------------------------


def _dates(cycle: Cycle) -> str:
    """When the test was done (else planned), compactly: 2025-03-04..06."""
    start: dt.date | None = cycle.plan.start or cycle.created
    end: dt.date | None = cycle.plan.end
    if cycle.do and cycle.do.start:
        start, end = cycle.do.start, cycle.do.end
    if start is None:
        return "-"
    if end is None or end == start:
        return start.isoformat()
    if end.year == start.year:
        return f"{start.isoformat()}..{end.isoformat()[5:]}"
    return f"{start.isoformat()}..{end.isoformat()}"


def _warn_broken(loaded: LoadedProject) -> None:
    broken = [i for i in loaded.errors if Path(i.path).parent.name == "cycles"]
    for issue in broken[:3]:
        _warn(f"skipped {issue.format()}")
    if len(broken) > 3:
        _warn(f"... and {len(broken) - 3} more problems in cycles/ (qi validate)")


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
    from rich.table import Table
    from rich.text import Text

    from qi_cli.cli._common import load_checked, print_rich
    from qi_cli.files.loader import DRIVERS_FILE
    from qi_cli.workflow import filter_cycles

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
            Text(_change_title(loaded, c.cycle.change)),
            _dates(c.cycle),
            Text(c.cycle.scale or "-"),
            Text(c.cycle.status, style=colours.get(c.cycle.status, "")),
            Text(decision, style=decisions.get(decision, "")),
            after,
        )
    print_rich(table)


def _wrap(label: str, value: object, indent: int = 2) -> list[str]:
    import shutil
    import textwrap

    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    if value is None or value == "":
        return []
    text = str(value)
    first = f"{' ' * indent}{label}: " if label else " " * indent
    rest = " " * (indent + (len(label) + 2 if label else 0))
    out: list[str] = []
    for i, para in enumerate(text.splitlines() or [""]):
        out += textwrap.wrap(
            para,
            width=width,
            initial_indent=first if i == 0 else rest,
            subsequent_indent=rest,
            break_on_hyphens=False,
        ) or [first.rstrip()]
    return out


def worksheet_lines(loaded: LoadedProject, c: LoadedCycle) -> list[tuple[str, bool]]:
    """The filled worksheet as (line, is_heading) pairs, ready to print."""
    from qi_cli.files.disk import display_path
    from qi_cli.workflow import next_step_hint, ramp

    cycle = c.cycle
    title = _change_title(loaded, cycle.change)
    out: list[tuple[str, bool]] = [
        (f"Cycle #{c.number}: {title} [{cycle.change}] ({cycle.status})", True)
    ]

    def add(label: str, value: object, indent: int = 2) -> None:
        out.extend((line, False) for line in _wrap(label, value, indent))

    add("file", display_path(c.path))
    chain = ramp(loaded, c.id)
    if len(chain) > 1:
        add(
            "ramp", " -> ".join(f"[#{r.number}]" if r.id == c.id else f"#{r.number}" for r in chain)
        )
    add("person", cycle.person)
    add("purpose", cycle.purpose.replace("_", " "))
    add("scale", cycle.scale)
    add("measures", ", ".join(cycle.measures))
    add("created", cycle.created)
    plan = cycle.plan
    out.append(("Plan", True))
    add("objective", plan.objective)
    if not plan.questions:
        add("questions", "(none: write questions and predictions before the test)")
    answers = cycle.study.answers if cycle.study else []
    for i, q in enumerate(plan.questions):
        add(f"Q{i + 1}", q.question)
        add("prediction", q.prediction or "(none)", 6)
    for section, label in ((plan.test, "test"), (plan.data_collection, "data collection")):
        if section:
            parts = [
                f"{k} {getattr(section, k)}"
                for k in ("who", "what", "when", "where")
                if getattr(section, k)
            ]
            add(label, "; ".join(parts))
    add("dates", " to ".join(d.isoformat() for d in (plan.start, plan.end) if d))
    if cycle.do:
        do = cycle.do
        out.append(("Do", True))
        add("what happened", do.what_happened)
        if do.carried_out_as_planned is not None:
            add("as planned", "yes" if do.carried_out_as_planned else "no")
        add("observations", do.observations)
        add("problems", do.problems)
        add("data collected", do.data_collected)
        add("dates", " to ".join(d.isoformat() for d in (do.start, do.end) if d))
    if cycle.study:
        out.append(("Study", True))
        for i, answer in enumerate(answers):
            question = plan.questions[i] if i < len(plan.questions) else None
            add(f"Q{i + 1}", question.question if question else "(no such question)")
            if question:
                add("predicted", question.prediction or "(none)", 6)
            add("actual", answer.actual, 6)
            if answer.held is not None:
                add("held", "yes" if answer.held else "no", 6)
        add("learned", cycle.study.learned)
    if cycle.act:
        out.append(("Act", True))
        add("decision", cycle.act.decision)
        add("next steps", cycle.act.next_steps)
    hint = next_step_hint(c)
    if hint:
        out.append(("", False))
        add("next", hint, 0)
    return out


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
    from qi_cli.cli._common import load_checked
    from qi_cli.errors import QiError
    from qi_cli.files.loader import DRIVERS_FILE

    loaded = load_checked(project_root(project), DRIVERS_FILE)
    if cycle_ref is None:
        if not loaded.cycles:
            _warn_broken(loaded)
            raise QiError("no cycles yet", hint="plan one with `qi cycle new --change ID`")
        target = loaded.cycles[-1]
    else:
        target = _choose_cycle(loaded, cycle_ref, False)
    for line, heading in worksheet_lines(loaded, target):
        echo(style(line, "cyan", bold=True) if heading else line)
