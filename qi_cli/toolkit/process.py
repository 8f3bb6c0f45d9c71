"""The process map (`process.yaml`): its checks, and the map as data for the renderers.

A process map is only useful when it can be followed: one start, every step reachable
from it, every `next:` and branch naming a step that exists, and at least one end.
`check_process` finds every way a map breaks those rules (errors at `path:line:column`
with a "did you mean") and coaches on what a useful map says (who does each step, how
long a wait lasts). `process_view` numbers the steps in the order they are written and
returns the map as JSON-ready data: the outline, the flowchart and the Mermaid block
are all drawn from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qi_cli.checks import did_you_mean, error_at, warning_at
from qi_cli.errors import Issue, QiError
from qi_cli.files.layout import DRIVERS_FILE, PROCESS_FILE
from qi_cli.files.loaded import LoadedProject
from qi_cli.process_model import ProcessMap, ProcessState, Step

Loc = tuple[str | int, ...]
OWNED_KINDS = ("action", "decision")  # the steps somebody does (a wait is a queue)


def _issue(
    p: LoadedProject, loc: Loc, message: str, hint: str | None = None, code: str | None = None
) -> Issue:
    """An error in process.yaml at `loc`, or the coached warning `code`: a state, its
    steps or one step are shown where their key is written; deeper, the value itself."""
    path, key = p.display(PROCESS_FILE), len(loc) <= 3
    if code:
        return warning_at(p, path, loc, code, message, key=key)
    return error_at(p, path, loc, message, hint, key=key)


def exits(step: Step) -> list[tuple[str | None, str]]:
    """Where a step leads: `(branch label, step id)`, a label only for a decision."""
    if step.kind == "decision":
        return [(branch.label, branch.to) for branch in step.branches]
    return [(None, step.next)] if step.next else []


def reachable(state: ProcessState, start: str) -> set[str]:
    """The steps that can be reached from `start`, following every exit."""
    seen = {start}
    todo = [start]
    while todo:
        step = state.steps.get(todo.pop())
        for _, target in exits(step) if step else []:
            if target in state.steps and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _step_rules(p: LoadedProject, where: Loc, sid: str, step: Step) -> Iterator[Issue]:
    """What each kind of step must say: a decision branches, an end stops, others go on."""
    at = (*where, sid)
    if step.kind == "decision":
        if step.next:
            yield _issue(
                p,
                (*at, "next"),
                f"decision '{sid}' goes on by its branches, not by `next`",
                "move the step into `branches:` with the answer that leads to it",
            )
        if len(step.branches) < 2:
            yield _issue(
                p,
                (*at, "branches") if step.branches else at,
                f"decision '{sid}' needs at least two branches",
                'add `branches:` with one `- label: "yes"`, `to: ID` per answer',
            )
        return
    if step.branches:
        yield _issue(
            p,
            (*at, "branches"),
            f"step '{sid}' has branches but is not a decision",
            "add `kind: decision`, or use `next:` for a single way on",
        )
    if step.kind == "end" and step.next:
        yield _issue(
            p,
            (*at, "next"),
            f"end step '{sid}' cannot lead on",
            "remove `next:`, or make it another kind of step",
        )
    if step.kind != "end" and not step.next and not step.branches:
        yield _issue(
            p,
            at,
            f"step '{sid}' leads nowhere",
            "add `next: ID`, or make it the end of the process with `kind: end`",
        )


def _references(
    p: LoadedProject, where: Loc, sid: str, step: Step, changes: set[str] | None
) -> Iterator[Issue]:
    state_steps = _steps_at(p, where)
    at = (*where, sid)
    targets: list[tuple[Loc, str]] = []
    if step.next:
        targets.append(((*at, "next"), step.next))
    targets += [((*at, "branches", i, "to"), b.to) for i, b in enumerate(step.branches)]
    for loc, target in targets:
        if target == sid:
            yield _issue(
                p, loc, f"step '{sid}' leads to itself", "point it at the step that follows"
            )
        elif state_steps.get(target) is not None and state_steps[target].kind == "start":
            yield _issue(
                p,
                loc,
                f"step '{sid}' leads back to the start '{target}'",
                "a process starts once: point it at the step after the start",
            )
        elif target not in state_steps:
            yield _issue(
                p,
                loc,
                f"step '{sid}': no step '{target}'",
                did_you_mean(target, state_steps, "steps"),
            )
    if changes is None:
        return
    for i, change in enumerate(step.changes):
        if change not in changes:
            yield _issue(
                p,
                (*at, "changes", i),
                f"step '{sid}': no change idea '{change}' in drivers.yaml",
                did_you_mean(change, changes, "change ideas"),
            )


def _steps_at(p: LoadedProject, where: Loc) -> dict[str, Step]:
    assert p.process is not None
    state = p.process.current if where[0] == "current" else p.process.future
    return state.steps if state else {}


def _check_state(
    p: LoadedProject, name: str, state: ProcessState, changes: set[str] | None
) -> Iterator[Issue]:
    where: Loc = (name, "steps")
    if not state.steps:
        yield _issue(p, (name,), f"the {name} state has no steps", "add `steps:` with a start")
        return
    for sid, step in state.steps.items():
        yield from _step_rules(p, where, sid, step)
        yield from _references(p, where, sid, step, changes)
    starts = [sid for sid, step in state.steps.items() if step.kind == "start"]
    if not starts:
        yield _issue(
            p,
            where,
            f"the {name} state has no start step",
            "mark the first step with `kind: start`",
        )
    for extra in starts[1:]:
        yield _issue(
            p,
            (*where, extra, "kind"),
            f"the {name} state has more than one start step ('{starts[0]}' and '{extra}')",
            "a process map starts in one place: make the others actions",
        )
    if not any(step.kind == "end" for step in state.steps.values()):
        yield _issue(
            p, where, f"the {name} state has no end step", "mark the last step with `kind: end`"
        )
    if len(starts) == 1:
        seen = reachable(state, starts[0])
        for sid in state.steps:
            if sid not in seen:
                yield _issue(
                    p,
                    (*where, sid),
                    f"step '{sid}' cannot be reached from the start '{starts[0]}'",
                    "point a `next:` or a branch at it, or remove it",
                )
    for sid, step in state.steps.items():
        if step.kind in OWNED_KINDS and not step.role:
            yield _issue(p, (*where, sid), f"step '{sid}' has no role", code="Q701")
        if step.kind == "wait" and not step.duration:
            yield _issue(p, (*where, sid), f"wait '{sid}' has no typical duration", code="Q702")


def check_process(p: LoadedProject) -> Iterator[Issue]:
    """Every broken reference and unreachable step of process.yaml, and the coaching."""
    if p.process is None:
        return
    # a change idea is checked against drivers.yaml, unless that file could not be read
    # (its own error is reported; every reference to it would only repeat it)
    drivers_broken = p.drivers is None and (p.root / DRIVERS_FILE).exists()
    changes = None if drivers_broken else set(p.drivers.changes if p.drivers else ())
    yield from _check_state(p, "current", p.process.current, changes)
    if p.process.future is not None:
        yield from _check_state(p, "future", p.process.future, changes)


def process_state(process: ProcessMap, future: bool) -> ProcessState:
    """The current state, or the future one (an error when the map has none yet)."""
    if not future:
        return process.current
    if process.future is None:
        raise QiError(
            f"{PROCESS_FILE} has no future state yet",
            hint="add `future:` with its `steps:` when the team has designed it "
            "(see docs/format.md)",
        )
    return process.future


def process_view(p: LoadedProject, *, future: bool = False) -> dict[str, Any]:
    """The map as JSON-ready data, steps numbered in the order they are written.

    Refuses (QiError at the first error's `path:line:column`) a map that cannot be
    followed: the drawings need every reference to resolve."""
    if p.process is None:
        raise QiError(
            f"{p.display(PROCESS_FILE)}: no process map yet",
            hint="write process.yaml with the steps of the process (see docs/format.md), "
            "or start from `qi project new NAME --template example`",
        )
    errors = [i for i in check_process(p) if i.severity == "error"]
    if errors:
        error = QiError.from_issue(errors[0])
        more = f"; {len(errors) - 1} more: qi validate" if len(errors) > 1 else ""
        error.hint = (error.hint or "fix it") + more
        raise error
    state = process_state(p.process, future)
    numbers = {sid: n for n, sid in enumerate(state.steps, start=1)}
    titles = {cid: c.title for cid, c in p.drivers.changes.items()} if p.drivers else {}
    steps = [
        {
            "number": numbers[sid],
            "id": sid,
            "kind": step.kind,
            "label": step.label,
            "role": step.role,
            "duration": step.duration,
            "changes": [{"id": c, "title": titles.get(c, c)} for c in step.changes],
            "exits": [
                {"label": label, "to": target, "number": numbers[target]}
                for label, target in exits(step)
            ],
        }
        for sid, step in state.steps.items()
    ]
    return {
        "title": p.process.title,
        "state": "future" if future else "current",
        "description": state.description,
        "has_future": p.process.future is not None,
        "steps": steps,
    }
