"""`qi validate`'s checks of the PDSA cycles: references, dates, the method (a plan
with predictions, Do before Study, a decision with what was learned), stale plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from qi_cli.checks import error_at, known_ids, warning_at
from qi_cli.cycle_model import Cycle
from qi_cli.cycles.evidence import created_after_test, has_predictions, predictions_first
from qi_cli.errors import Issue
from qi_cli.files.layout import DRIVERS_FILE
from qi_cli.files.loaded import LoadedCycle, LoadedProject

STALE_CYCLE_DAYS = 30
"""Days after its planned start that a cycle not begun is called stale."""


def check_cycles(p: LoadedProject) -> Iterator[Issue]:
    changes = p.drivers.changes if p.drivers else {}
    today = dt.date.today()
    for c in p.cycles:
        path = p.display("cycles", c.path.name)
        cy = c.cycle
        if p.drivers is not None or not (p.root / DRIVERS_FILE).exists():
            listed = not isinstance(cy.change, str)  # a list: point at the unknown item
            for i, cid in enumerate(cy.changes):
                if cid not in changes:
                    at: tuple[str | int, ...] = ("change", i) if listed else ("change",)
                    yield error_at(
                        p, path, at, f"change: no change idea '{cid}'", known_ids(changes)
                    )
        if cy.follows:
            if cy.follows not in p.cycle_files:
                yield error_at(
                    p,
                    path,
                    ("follows",),
                    f"follows: no cycle '{cy.follows}'",
                    known_ids(p.cycle_files),
                )
            elif cy.follows == c.id:
                yield error_at(p, path, ("follows",), "a cycle cannot follow itself")
        for i, mid in enumerate(cy.measures):
            if mid not in p.measure_files:
                yield error_at(
                    p, path, ("measures", i), f"measures: no measure '{mid}'", known_ids(p.measures)
                )
        if cy.cancelled is not None:
            continue  # a cancelled cycle is kept as it was: nothing more to coach
        questions = cy.plan.questions
        if not has_predictions(cy):
            yield warning_at(p, path, ("plan",), "Q401", f"cycle {c.label} has no predictions")
        if cy.study is not None:
            answers = cy.study.answers
            predicted = [i for i, q in enumerate(questions) if q.prediction]
            # answers follow the questions in order; an empty entry answers nothing
            open_ = [
                i
                for i in predicted
                if i >= len(answers) or (not answers[i].actual and answers[i].held is None)
            ]
            if open_:
                yield warning_at(
                    p,
                    path,
                    ("study", "answers", open_[0]) if open_[0] < len(answers) else ("study",),
                    "Q402",
                    f"cycle {c.label}: the Study answers {len(predicted) - len(open_)} of "
                    f"{len(predicted)} predictions (not question "
                    + ", ".join(str(i + 1) for i in open_)
                    + ")",
                )
        if (cy.do is not None or cy.study is not None) and not cy.logged:
            yield warning_at(
                p,
                path,
                ("act",) if cy.act else (),
                "Q403",
                f"cycle {c.label} has no Act decision",
            )
        elif not cy.logged:
            planned = cy.plan.end or cy.plan.start or cy.created
            if planned and (today - planned).days > STALE_CYCLE_DAYS:
                yield warning_at(
                    p,
                    path,
                    (),
                    "Q404",
                    f"cycle {c.label} was planned for {planned} and has not been logged",
                    f"log what happened with `qi cycle log {c.short_id}`; if the test will not "
                    f'be carried out, `qi cycle cancel {c.short_id} --reason "why"`',
                )
        if cy.logged and cy.act and cy.act.decision == "adapt" and not _learned(cy):
            yield warning_at(
                p,
                path,
                ("study", "learned") if cy.study else ("act", "decision"),
                "Q408",
                f"cycle {c.label} was adapted with nothing written under study.learned",
                f'write what the test taught: `qi cycle log {c.short_id} --learned "..."`',
            )
        yield from _cycle_dates(p, c, path)
    for cid in changes:
        cycles = [c for c in p.cycles_of(cid) if c.cycle.cancelled is None]
        if len(cycles) == 1 and cycles[0].cycle.act and cycles[0].cycle.act.decision == "adopt":
            path = p.display("cycles", cycles[0].path.name)
            yield warning_at(
                p,
                path,
                ("act", "decision"),
                "Q405",
                f"change idea '{cid}' was adopted after a single test",
            )


def _learned(cycle: Cycle) -> bool:
    return bool(cycle.study and cycle.study.learned and cycle.study.learned.strip())


def _cycle_dates(p: LoadedProject, c: LoadedCycle, path: str) -> Iterator[Issue]:
    """Q406 (predictions written after the test began) and Q407 (Do before the plan)."""
    cy = c.cycle
    do_start = cy.do.start if cy.do else None
    # git is asked only when the file's own dates point to a problem (bench: validate)
    if created_after_test(cy) and predictions_first(c).verdict == "after":
        yield warning_at(
            p,
            path,
            ("created",),
            "Q406",
            f"cycle {c.label}: predictions written after the test began "
            f"(created {cy.created}, Do started {do_start})",
        )
    if do_start and cy.plan.start and do_start < cy.plan.start:
        yield warning_at(
            p,
            path,
            ("do", "start"),
            "Q407",
            f"cycle {c.label}: Do started {do_start}, before the planned start {cy.plan.start}",
        )
