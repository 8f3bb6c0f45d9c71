"""Adding a stakeholder to `stakeholders.yaml` (`qi stakeholder add`).

`add_stakeholder` checks what a person typed and builds the patch; `write_stakeholders`
applies it under the project lock through `qi_cli.files.yaml_write`, which keeps the
comments and layout of the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qi_cli.drivers import clean, required_text
from qi_cli.errors import FieldError
from qi_cli.files.layout import STAKEHOLDERS_FILE
from qi_cli.files.yaml_write import update_file
from qi_cli.model import is_valid_id
from qi_cli.project import slugify
from qi_cli.schemas import schema_comment
from qi_cli.stakeholder_model import INFLUENCES, SUPPORT_LEVELS, StakeholderAnalysis

STAKEHOLDERS_HEADER = (
    "# The stakeholder analysis: who can help or block the project, where they stand\n"
    "# now (support), where the project needs them (needed), and the plan to move them.\n"
    "# Support: strong_opposition, opposition, neutral, support, strong_support.\n"
    "stakeholders: {}\n"
)


def choice(value: str, choices: tuple[str, ...], field: str) -> str:
    """A word from `choices`, as typed with spaces, hyphens or capitals.

    >>> choice("Strong support", ("neutral", "strong_support"), "support")
    'strong_support'
    """
    word = "_".join(value.strip().lower().replace("-", " ").split())
    if word in choices:
        return word
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    shown = ", ".join(c.replace("_", " ") for c in choices)
    raise FieldError(
        field,
        f"{{{field}}}: '{value}' is not a level",
        hint=(f"did you mean '{close[0].replace('_', ' ')}'? " if close else "")
        + f"choose one of: {shown}",
    )


def add_stakeholder(
    analysis: StakeholderAnalysis,
    name: str,
    *,
    influence: str,
    support: str,
    needed: str,
    role: str | None = None,
    plan: str | None = None,
    stakeholder_id: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """A new stakeholder's id and the patch that adds them to stakeholders.yaml."""
    name = required_text(name, "stakeholder's name")
    entry: dict[str, Any] = {"name": name}
    if clean(role):
        entry["role"] = clean(role)
    entry["influence"] = choice(influence, INFLUENCES, "influence")
    entry["support"] = choice(support, SUPPORT_LEVELS, "support")
    entry["needed"] = choice(needed, SUPPORT_LEVELS, "needed")
    if clean(plan):
        entry["plan"] = clean(plan)
    new_id = (
        stakeholder_id.strip()
        if stakeholder_id is not None
        else slugify(name, fallback="stakeholder")
    )
    if not is_valid_id(new_id):
        raise FieldError(
            "id",
            f"'{new_id}' is not a valid id",
            hint="ids use lower-case letters, digits and hyphens for {id}, e.g. ed-consultants",
        )
    if new_id in analysis.stakeholders:
        raise FieldError(
            "id",
            f"there is already a stakeholder with the id '{new_id}'",
            hint="choose another id with {id} (ids in use: "
            + ", ".join(sorted(analysis.stakeholders))
            + ")",
            exit_code=1,
        )
    return new_id, {"stakeholders": {new_id: entry}}


def write_stakeholders(
    root: Path, make: Callable[[StakeholderAnalysis], tuple[str, dict[str, Any]]]
) -> tuple[str, StakeholderAnalysis]:
    """Add to stakeholders.yaml under the lock, re-reading it so parallel adds both land;
    a missing file starts with a header that explains it."""
    result: dict[str, str] = {}

    def patch(current: StakeholderAnalysis, _text: str) -> dict[str, Any]:
        new_id, data = make(current)
        result["id"] = new_id
        return data

    empty = schema_comment("stakeholders") + STAKEHOLDERS_HEADER
    path = root / STAKEHOLDERS_FILE
    value, _, _ = update_file(root, path, StakeholderAnalysis, patch, empty=empty)
    return result["id"], value
