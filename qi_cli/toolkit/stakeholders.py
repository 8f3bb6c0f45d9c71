"""The stakeholder analysis (`stakeholders.yaml`): its coaching, and the analysis as data.

The grid places each stakeholder by influence (high or low) and by where they stand
now on the five-point support scale, as in the IHI and NHS stakeholder analysis; the
table adds where the project needs them and the plan to move them there. Adding a
stakeholder is `qi_cli.toolkit.stakeholders_edit`, so that commands that only read do
not load the YAML writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qi_cli.checks import warning_at
from qi_cli.errors import Issue, QiError
from qi_cli.files.layout import STAKEHOLDERS_FILE
from qi_cli.files.loaded import LoadedProject
from qi_cli.stakeholder_model import INFLUENCES, SUPPORT_LEVELS, StakeholderAnalysis

SUPPORT_WORDS = {
    "strong_opposition": "strong opposition",
    "opposition": "opposition",
    "neutral": "neutral",
    "support": "support",
    "strong_support": "strong support",
}


def _warning(p: LoadedProject, sid: str, key: str, code: str, message: str) -> Issue:
    return warning_at(p, p.display(STAKEHOLDERS_FILE), ("stakeholders", sid, key), code, message)


def check_stakeholders(p: LoadedProject) -> Iterator[Issue]:
    """Coaching on the analysis: a move with no plan, an influential opponent left so."""
    if p.stakeholders is None:
        return
    for sid, person in p.stakeholders.stakeholders.items():
        if person.gap > 0 and not person.plan:
            yield _warning(
                p,
                sid,
                "needed",
                "Q801",
                f"stakeholder '{sid}' must move from {SUPPORT_WORDS[person.support]} to "
                f"{SUPPORT_WORDS[person.needed]} but has no plan",
            )
        if person.influence == "high" and person.needed in ("strong_opposition", "opposition"):
            yield _warning(
                p,
                sid,
                "needed",
                "Q802",
                f"stakeholder '{sid}' has high influence and is left in "
                f"{SUPPORT_WORDS[person.needed]}",
            )


def stakeholder_view(analysis: StakeholderAnalysis) -> dict[str, Any]:
    """The analysis as JSON-ready data: the scale, the grid's cells and the rows."""
    people = analysis.stakeholders
    rows = [
        {
            "id": sid,
            "name": person.name,
            "role": person.role,
            "influence": person.influence,
            "support": person.support,
            "needed": person.needed,
            "gap": person.gap,
            "plan": person.plan,
        }
        for sid, person in people.items()
    ]
    grid = {
        influence: {
            level: [r["id"] for r in rows if r["influence"] == influence and r["support"] == level]
            for level in SUPPORT_LEVELS
        }
        for influence in INFLUENCES
    }
    return {
        "levels": [{"id": level, "label": SUPPORT_WORDS[level]} for level in SUPPORT_LEVELS],
        "influences": list(INFLUENCES),
        "grid": grid,
        "stakeholders": rows,
    }


def loaded_analysis(p: LoadedProject) -> StakeholderAnalysis:
    """The project's stakeholder analysis, or an error that says how to start one."""
    if p.stakeholders is None:
        raise QiError(
            f"{p.display(STAKEHOLDERS_FILE)}: no stakeholder analysis yet",
            hint='add the first stakeholder: qi stakeholder add "ED consultants" '
            '--influence high --support neutral --needed support --plan "..."',
        )
    return p.stakeholders
