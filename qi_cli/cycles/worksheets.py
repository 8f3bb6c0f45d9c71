"""A cycle's worksheet as `qi cycle show` prints it: Plan, Do, Study, Act, its ramp.

The worksheets opened in an editor (`--edit`) are `qi_cli.cycles.editor`.
"""

from __future__ import annotations

import textwrap

from qi_cli.cycles.answers import WHO_FIELDS
from qi_cli.cycles.evidence import predictions_first
from qi_cli.cycles.finding import next_step_hint, ramp
from qi_cli.drivers import changes_title
from qi_cli.files.disk import display_path
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.model import NOT_YET_KNOWN


def _wrap(label: str, value: object, width: int, indent: int = 2) -> list[str]:
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
        ) or [(first if i == 0 else "").rstrip()]  # a blank line between paragraphs
    return out


def worksheet_lines(project: LoadedProject, c: LoadedCycle, width: int) -> list[tuple[str, bool]]:
    """The filled worksheet as (line, is_heading) pairs, wrapped to `width`."""
    cycle = c.cycle
    title = changes_title(project, cycle.changes)
    out: list[tuple[str, bool]] = [
        (f"Cycle {c.label}: {title} [{', '.join(cycle.changes)}] ({cycle.status})", True)
    ]

    def add(label: str, value: object, indent: int = 2) -> None:
        out.extend((line, False) for line in _wrap(label, value, width, indent))

    add("file", display_path(c.path))
    chain = ramp(project, c.id)
    if len(chain) > 1:
        add("ramp", " -> ".join(f"[{r.label}]" if r.id == c.id else r.label for r in chain))
    add("person", cycle.person)
    add("purpose", cycle.purpose.replace("_", " "))
    add("scale", cycle.scale)
    add("measures", ", ".join(cycle.measures))
    add("created", cycle.created)
    if cycle.cancelled is not None:
        add("cancelled", f"{cycle.cancelled.date}: {cycle.cancelled.reason}")
    add("predictions", predictions_first(c).words)
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
            parts = [f"{k} {getattr(section, k)}" for k in WHO_FIELDS if getattr(section, k)]
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
            if answer.held is not None or (question and question.prediction):
                add("held", answer.held or NOT_YET_KNOWN, 6)
        add("learned", cycle.study.learned)
    if cycle.act:
        out.append(("Act", True))
        add("decision", cycle.act.decision)
        add("next steps", cycle.act.next_steps)
    if cycle.history:
        out.append(("History", True))
        for entry in cycle.history:
            add(entry.date.isoformat(), entry.reason)
            for amended in entry.fields:
                was = amended.was if amended.was is not None else "(empty)"
                now = amended.now if amended.now is not None else "(empty)"
                add(amended.field, f"was: {was}; now: {now}", 6)
    hint = next_step_hint(c)
    if hint:
        out.append(("", False))
        add("next", hint, 0)
    return out
