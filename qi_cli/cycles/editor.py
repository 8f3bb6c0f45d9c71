"""The worksheets `qi cycle new --edit` and `qi cycle log --edit` open in an editor.

Lines starting with `EDIT_PREFIX` are guidance (and, after a failed save, the problems
found); they are stripped before the worksheet is read.
"""

from __future__ import annotations

from typing import Any

from qi_cli.cycle_model import Act, Answer, Cycle, Do, Study
from qi_cli.cycles.answers import WHO_FIELDS
from qi_cli.files.disk import display_path, read_text
from qi_cli.files.loaded import LoadedCycle
from qi_cli.files.yaml_write import merge, render, splice

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
    filled in already (a `history` entry in `given` is not: the worksheet's changes are
    compared as a whole when it is written)."""
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
            for i, question in enumerate(cycle.plan.questions):
                old = answers[i] if i < len(answers) else None
                items.append(
                    {
                        n: None
                        for n in Answer.model_fields
                        if (old is None or getattr(old, n) is None)
                        and (n != "held" or question.prediction)  # nothing to hold without one
                    }
                )
            if items:
                fields = {"answers": items, **fields}
        skeleton[key] = fields
    skeleton = merge(skeleton, {k: v for k, v in given.items() if k != "history"})
    guide = (
        f"{EDIT_PREFIX} Record what happened: Do, then Study (one answer per question of the\n"
        f"{EDIT_PREFIX} plan, in order; held: yes, no, partly or not yet known), then Act\n"
        f"{EDIT_PREFIX} (decision: adopt, adapt or abandon). Save and close the editor.\n"
        f"{EDIT_PREFIX} Dates: YYYY-MM-DD. What is recorded already changes only with --amend.\n"
    )
    return text, guide + splice(text, skeleton, Cycle, display)
