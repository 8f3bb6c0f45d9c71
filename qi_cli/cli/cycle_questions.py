"""The questions of `qi cycle new` and `qi cycle log` in a terminal.

Each asks only for what the flags did not give (and, for a log, what is not recorded
yet), with the carried-over or planned values as defaults.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import typer

from qi_cli.cli._common import echo, print_warning
from qi_cli.cli.prompts import ask, ask_date, ask_valid, heading
from qi_cli.cycles.answers import (
    PURPOSES,
    WHO_FIELDS,
    check_date_order,
    check_test_date,
    likely_test_date,
    parse_decision,
    parse_held_word,
    parse_purpose,
)
from qi_cli.cycles.evidence import has_predictions
from qi_cli.cycles.log import DO_FIELDS, LogInput, shown
from qi_cli.cycles.planning import PlanInput
from qi_cli.drivers import changes_title, unknown
from qi_cli.errors import FieldError
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.model import HeldWord


def ask_plan(loaded: LoadedProject, plan: PlanInput, given: set[str]) -> PlanInput:
    """Ask for every field the flags did not give, with the carried-over defaults."""
    today = dt.date.today()
    heading(f"Plan a PDSA cycle: {changes_title(loaded, plan.changes)}")
    echo("  Enter keeps the value in [brackets]; leave a field empty to skip it.")
    changes: dict[str, Any] = {}
    if "objective" not in given:
        changes["objective"] = ask("Objective of this cycle", plan.objective)
    if "purpose" not in given:
        changes["purpose"] = ask_valid(
            f"Purpose ({', '.join(PURPOSES)})", parse_purpose, plan.purpose
        )
    if "scale" not in given:
        changes["scale"] = ask("Scale (start small: one patient, one shift)", plan.scale)
    if "questions" not in given:
        questions: list[tuple[str, str | None]] = []
        for carried, _ in plan.questions:
            echo(f"  Question: {carried}")
            questions.append((carried, ask("  Your prediction, before the test")))
        while True:
            asked = ask(
                f"Question {len(questions) + 1} (what do you want to learn? Enter to finish)"
            )
            if not asked:
                break
            questions.append((asked, ask("  Your prediction, before the test")))
        changes["questions"] = tuple(questions)
    for section, label in (("test", "The test"), ("data_collection", "Collecting the data")):
        if section not in given:
            values = dict(getattr(plan, section))
            for key in WHO_FIELDS:
                values[key] = ask(f"{label}: {key}?", values.get(key))
            changes[section] = values
    order = loaded.project.date_order if loaded.project else "iso"
    if "start" not in given:
        default = (plan.start or today).isoformat()
        changes["start"] = ask_date("Planned start", "start", today, order, default)
    if "end" not in given:
        start = changes.get("start") or plan.start or today
        changes["end"] = ask_date(
            "Planned end",
            "end",
            today,
            order,
            start.isoformat(),
            check=lambda day: check_date_order(start, day, "planned"),
        )
    if "measures" not in given and loaded.measures:
        echo("  Measures: " + ", ".join(loaded.measures))
        changes["measures"] = ask_valid(
            "Measures this test should move (ids, comma-separated)",
            lambda text: _known_measures(loaded, text),
            ", ".join(plan.measures),
        )
    if "person" not in given:
        lead = loaded.project.lead if loaded.project else None
        changes["person"] = ask("Person responsible", plan.person or lead)
    return replace(plan, **changes)


def ask_log(
    loaded: LoadedProject, target: LoadedCycle, entry: LogInput, *, amending: bool = False
) -> LogInput:
    """Ask for what the flags did not give: Do, Study, Act. A field already recorded is
    shown and kept; when amending, it is asked with the recorded value as the default."""
    today = dt.date.today()
    order = loaded.project.date_order if loaded.project else "iso"
    cycle = target.cycle
    do = cycle.do
    study = cycle.study
    act = cycle.act
    changes: dict[str, Any] = {}
    heading(f"Log cycle #{target.number}: {changes_title(loaded, cycle.changes)}")
    if cycle.plan.objective:
        echo(f"  objective: {cycle.plan.objective}")
    echo("  Enter skips a question (or keeps the value in [brackets]).")

    def recorded(section: Any, name: str) -> Any:
        return None if section is None else getattr(section, DO_FIELDS.get(name, name))

    def to_ask(name: str, label: str, section: Any) -> tuple[bool, str | None]:
        """Whether to ask for `name`, and the recorded value as the default."""
        if getattr(entry, name) is not None:
            return False, None
        value = shown(recorded(section, name))
        if value is not None and not amending:
            echo(f"  {label}: {value} (recorded)")
            return False, None
        return True, value

    heading("Do")
    asking, default = to_ask("what_happened", "What happened", do)
    if asking:
        changes["what_happened"] = ask("What happened?", default)
    asking, default = to_ask("as_planned", "Carried out as planned", do)
    if asking:
        changes["as_planned"] = typer.confirm(
            "  Was it carried out as planned?", default=default != "no"
        )
    for name, label in (
        ("observations", "Observations and unexpected events"),
        ("problems", "Problems"),
        ("data_collected", "Data collected"),
    ):
        asking, default = to_ask(name, label, do)
        if asking:
            changes[name] = ask(label, default)
    asking, default = to_ask("done_start", "Date of the test", do)
    if asking:
        changes["done_start"] = ask_date(
            "Date of the test",
            "date of the test",
            today,
            order,
            default or likely_test_date(cycle.plan.start, today).isoformat(),
            check=_test_date(today, "date of the test"),
        )
    asking, default = to_ask("done_end", "Last day of the test", do)
    if asking:
        first = changes.get("done_start") or entry.done_start or (do.start if do else None)
        changes["done_end"] = ask_date(
            "Last day of the test",
            "last day",
            today,
            order,
            default or (first or today).isoformat(),
            check=_test_date(today, "last day", start=first),
        )

    heading("Study")
    questions = cycle.plan.questions
    if not has_predictions(cycle):
        print_warning("this cycle has no predictions: note what you learned (qi explain Q401)")
    answers = study.answers if study else []
    actual: list[str | None] = list(entry.actual)
    held: list[HeldWord | None] = list(entry.held)
    for i, q in enumerate(questions):
        before = answers[i] if i < len(answers) else None
        echo(f"  Q{i + 1}: {q.question}")
        echo(f"      predicted: {q.prediction or '(no prediction)'}")
        if i >= len(actual):
            actual.append(None)
        if i >= len(held):
            held.append(None)
        was = before.actual if before else None
        if actual[i] is None and was is not None and not amending:
            echo(f"      actual: {was} (recorded)")
        elif actual[i] is None:
            actual[i] = ask("      What actually happened", was)
        was_held = before.held if before else None
        if held[i] is None and was_held is not None and not amending:
            echo(f"      held: {was_held} (recorded)")
        elif held[i] is None and q.prediction:
            held[i] = ask_valid(
                "      Did the prediction hold? (yes / no / partly / ? not yet known)",
                parse_held_word,
                was_held or "?",
            )
    changes["actual"] = tuple(actual)
    changes["held"] = tuple(held)
    asking, default = to_ask("learned", "What we learned", study)
    if asking:
        changes["learned"] = ask("What did you learn?", default)

    heading("Act")
    asking, default = to_ask("decision", "Decision", act)
    if asking:
        changes["decision"] = ask_valid(
            "Decision: adopt, adapt or abandon (Enter to decide later)",
            lambda t: parse_decision(t) if t.strip() else None,
            default,
        )
    asking, default = to_ask("next_steps", "Next steps", act)
    if asking:
        changes["next_steps"] = ask("Next steps (the plan for the next cycle)", default)
    return replace(entry, **changes)


def _test_date(
    today: dt.date, what: str, *, start: dt.date | None = None
) -> Callable[[dt.date], None]:
    """The library's rule for a day of the test, its field said as the prompt says it."""

    def check(day: dt.date) -> None:
        try:
            check_test_date(day, today, field="day", start=start)
        except FieldError as exc:
            raise exc.named({"day": what}) from None

    return check


def _known_measures(loaded: LoadedProject, text: str) -> tuple[str, ...]:
    """Measure ids typed at the prompt, each refused at once if there is no such measure."""
    ids = tuple(m.strip() for m in text.split(",") if m.strip())
    for measure_id in ids:
        if measure_id not in loaded.measures:
            raise unknown("measure", measure_id, loaded.measures, "leave it out, or Enter for none")
    return ids
