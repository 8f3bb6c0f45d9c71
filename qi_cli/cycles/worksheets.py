"""The Do / Study / Act worksheets: the editor's skeletons, and the text of `qi cycle show`.

In the editor, lines starting with `EDIT_PREFIX` are guidance (and, after a failed save,
the problems found); they are stripped before the worksheet is read.
"""

from __future__ import annotations

import textwrap
from typing import Any

from qi_cli.cycles.answers import WHO_FIELDS
from qi_cli.cycles.evidence import predictions_first
from qi_cli.cycles.finding import next_step_hint, ramp
from qi_cli.drivers import changes_title
from qi_cli.files.disk import display_path, read_text
from qi_cli.files.loader import LoadedCycle, LoadedProject
from qi_cli.files.yaml_write import merge, render, splice
from qi_cli.model import NOT_YET_KNOWN, Act, Answer, Cycle, Do, Study

EDIT_PREFIX = "# qi:"


def new_worksheet(data: dict[str, Any]) -> str:
    """The full worksheet for `qi cycle new --edit`: every field, empty ones included,
    with guidance."""
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
            "test": {k: (plan.get("test") or {}).get(k) for k in WHO_FIELDS},
            "data_collection": {k: (plan.get("data_collection") or {}).get(k) for k in WHO_FIELDS},
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


def log_worksheet(target: LoadedCycle, given: dict[str, Any]) -> tuple[str, str]:
    """The cycle file's text, and the worksheet for `qi cycle log --edit`: the file with
    every Do, Study and Act field still empty shown, and `given` (what the flags said)
    filled in already."""
    display = display_path(target.path)
    text = read_text(target.path, display)
    cycle = target.cycle
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
        f"{EDIT_PREFIX} plan, in order; held: yes, no, partly or not yet known), then Act\n"
        f"{EDIT_PREFIX} (decision: adopt, adapt or abandon). Save and close the editor.\n"
        f"{EDIT_PREFIX} Dates: YYYY-MM-DD. What is recorded already changes only with --amend.\n"
    )
    return text, guide + splice(text, skeleton, Cycle, display)


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
        ) or [first.rstrip()]
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
