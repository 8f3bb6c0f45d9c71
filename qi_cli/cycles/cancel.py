"""Cancelling a cycle: it stays in its file, marked with the date and the reason.

A cycle is evidence, so cancelling never deletes or renumbers it, and it is kept in the
cycle's `history:` like an amendment (date, what changed, reason). A cycle with an Act
decision was carried through to its end: it is not cancelled, but logged as it was.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from qi_cli.cycle_model import Amended, Cycle
from qi_cli.cycles.finding import find_cycle
from qi_cli.cycles.log import history_patch
from qi_cli.errors import FieldError, QiError
from qi_cli.files.loaded import LoadedCycle, LoadedProject
from qi_cli.files.yaml_write import update_file


def cancel_cycle(
    root: Path, project: LoadedProject, ref: str, reason: str, today: dt.date
) -> tuple[LoadedCycle, Cycle]:
    """Mark the cycle `ref` names as cancelled; refuse a cancelled or decided cycle."""
    reason = reason.strip()
    if not reason:
        raise FieldError("reason", "{reason} is empty", hint="say why the cycle was stopped")
    found = find_cycle(project, ref)
    label = f"cycle {found.label}"

    def patch(current: Cycle, _text: str) -> dict[str, Any]:
        if current.cancelled is not None:
            raise QiError(
                f"{label} was already cancelled on {current.cancelled.date}: "
                f"{current.cancelled.reason}",
                hint="a cycle is cancelled once; its reason stays as recorded",
            )
        if current.act is not None and current.act.decision is not None:
            raise QiError(
                f"{label} has its Act decision ({current.act.decision}): it was carried out, "
                "so it cannot be cancelled",
                hint="record what was learned instead: plan the next cycle with "
                f"qi cycle new --next {found.short_id}",
            )
        stopped = Amended(field="status", was=current.status, now="cancelled")
        return {
            "cancelled": {"date": today, "reason": reason},
            "history": history_patch(current, [stopped], reason, today),
        }

    after, _, _ = update_file(root, found.path, Cycle, patch)
    return found, after
