"""Adding causes to the fishbone (`qi fishbone add`): the one place that writes fishbone.yaml.

Reading and checking the diagram is `qi_cli.toolkit.fishbone`: `qi validate` and
`qi fishbone` do not load the YAML writer.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qi_cli.checks import did_you_mean
from qi_cli.drivers import required_text
from qi_cli.errors import FieldError, QiError
from qi_cli.files.layout import FISHBONE_FILE
from qi_cli.files.yaml_write import update_file, yaml_scalar
from qi_cli.fishbone_model import STANDARD_CATEGORIES, Category, Fishbone
from qi_cli.schemas import schema_comment
from qi_cli.toolkit.fishbone import words_of

FISHBONE_HEADER = (
    "# The cause-and-effect (fishbone) diagram: the effect the team studies, and its causes\n"
    "# by category. `addressed_by` names the drivers or change ideas that act on a cause.\n"
)


def _find_category(fishbone: Fishbone, name: str) -> int | None:
    for i, category in enumerate(fishbone.categories):
        if words_of(category.name) == words_of(name):
            return i
    return None


def _find_cause(category: Category, under: str) -> int:
    """The cause `under` names: its text (case and spacing ignored) or a unique start."""
    wanted = words_of(under)
    texts = [words_of(c.cause) for c in category.causes]
    if wanted in texts:
        return texts.index(wanted)
    starts = [j for j, text in enumerate(texts) if text.startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    listed = "; ".join(c.cause for c in category.causes) or "none yet"
    if starts:
        raise FieldError(
            "under",
            f"{{under}} '{under}' starts more than one cause in {category.name}",
            hint=f"give more of the cause's words; causes in {category.name}: {listed}",
        )
    raise FieldError(
        "under",
        f"no cause '{under}' in {category.name} for {{under}}",
        hint=f"causes in {category.name}: {listed}",
        exit_code=1,
    )


def add_cause(
    fishbone: Fishbone,
    category: str,
    cause: str,
    *,
    under: str | None = None,
    addressed_by: Sequence[str] = (),
    targets: dict[str, str] | None = None,
    new_category: bool = False,
) -> dict[str, Any]:
    """The patch that adds `cause` to `category` (under the cause `under`, if given).

    A category that is not in the diagram yet is started when it is one of the classic
    six, or when `new_category` says the team means a category of its own (so that a
    typing slip does not start a new bone).
    """
    category = required_text(category, "category")
    cause = required_text(cause, "cause")
    for ref in addressed_by:
        if targets is not None and ref not in targets:
            raise FieldError(
                "addressed_by",
                f"no driver or change idea '{ref}' for {{addressed_by}}",
                hint=did_you_mean(ref, targets, "drivers and change ideas")
                + " A new one is added with `qi change add` or `qi driver add`.",
                exit_code=1,
            )
    entry: dict[str, Any] = {"cause": cause}
    if addressed_by:
        entry["addressed_by"] = list(dict.fromkeys(addressed_by))
    i = _find_category(fishbone, category)
    if i is None:
        if under is not None:
            raise FieldError(
                "under",
                f"no category '{category}' yet, so no cause for {{under}}",
                hint="add the cause itself first, then its sub-causes with {under}",
                exit_code=1,
            )
        known = [c.name for c in fishbone.categories]
        if words_of(category) not in STANDARD_CATEGORIES and not new_category:
            present = {words_of(name) for name in known}
            choices = [*known, *(c for c in STANDARD_CATEGORIES if c not in present)]
            close = difflib.get_close_matches(category, choices, n=1, cutoff=0.6)
            raise FieldError(
                "new",
                f"no category '{category}' in the diagram",
                hint=(f"did you mean '{close[0]}'? " if close else "")
                + f"categories: {', '.join(choices)}; give {{new}} to start a category "
                "of the team's own",
                exit_code=1,
            )
        new = {"name": category, "causes": [entry]}
        return {"categories": [{} for _ in fishbone.categories] + [new]}
    causes = fishbone.categories[i].causes
    if under is None:
        _refuse_repeat(cause, [c.cause for c in causes], fishbone.categories[i].name)
        patch: dict[str, Any] = {"causes": [{} for _ in causes] + [entry]}
    else:
        j = _find_cause(fishbone.categories[i], under)
        subs = causes[j].causes
        _refuse_repeat(cause, [s.cause for s in subs], causes[j].cause)
        patch = {"causes": [{} for _ in range(j)] + [{"causes": [{} for _ in subs] + [entry]}]}
    return {"categories": [{} for _ in range(i)] + [patch]}


def _refuse_repeat(cause: str, present: Sequence[str], where: str) -> None:
    if words_of(cause) in {words_of(text) for text in present}:
        raise QiError(
            f"'{cause}' is already a cause under {where}",
            hint="the diagram keeps each cause once; `qi fishbone` shows it",
        )


def write_cause(
    root: Path,
    category: str,
    cause: str,
    *,
    under: str | None = None,
    addressed_by: Sequence[str] = (),
    targets: dict[str, str] | None = None,
    new_category: bool = False,
    effect: str | None = None,
) -> Fishbone:
    """Add a cause to fishbone.yaml under the project lock (re-read inside it, so two
    people adding at once both land). A missing file is started from `effect`."""
    path = root / FISHBONE_FILE
    empty = None
    if effect is not None:
        if path.exists():
            raise FieldError(
                "effect",
                "fishbone.yaml already states its effect",
                hint="leave out {effect}; to change the effect, edit fishbone.yaml",
                exit_code=1,
            )
        effect = required_text(effect, "effect")
        empty = schema_comment("fishbone") + FISHBONE_HEADER + f"effect: {yaml_scalar(effect)}\n"
    elif not path.exists():
        raise FieldError(
            "effect",
            "the project has no fishbone.yaml yet",
            hint='start it with the problem it explains: {effect} "Delays to physio review"',
            exit_code=1,
        )

    def patch(current: Fishbone, _text: str) -> dict[str, Any]:
        return add_cause(
            current,
            category,
            cause,
            under=under,
            addressed_by=addressed_by,
            targets=targets,
            new_category=new_category,
        )

    value, _, _ = update_file(root, path, Fishbone, patch, empty=empty)
    return value
