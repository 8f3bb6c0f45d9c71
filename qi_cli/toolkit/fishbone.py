"""The cause-and-effect diagram (`fishbone.yaml`): its checks, adding a cause, and the
diagram as data for the renderers.

`check_fishbone` finds links to drivers or change ideas that do not exist (errors at
`path:line:column` with a "did you mean"), categories written twice, and coaches on the
causes nothing addresses yet (Q601): a cause the team found but no driver or change
idea acts on is a gap between studying the problem and changing it. `add_cause` builds
the patch `qi fishbone add` writes through `qi_cli.files.yaml_write`, which keeps the
comments and layout of what people wrote by hand. `fishbone_view` is the diagram as
JSON-ready data, what the tree, the SVG and the Mermaid block are drawn from.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from qi_cli.coaching import CODES
from qi_cli.drivers import required_text
from qi_cli.errors import FieldError, Issue, QiError
from qi_cli.files.loader import DRIVERS_FILE, FISHBONE_FILE, LoadedProject
from qi_cli.files.yaml_write import update_file, yaml_scalar
from qi_cli.fishbone_model import STANDARD_CATEGORIES, Category, Cause, Fishbone
from qi_cli.schemas import schema_comment

Loc = tuple[str | int, ...]

FISHBONE_HEADER = (
    "# The cause-and-effect (fishbone) diagram: the effect the team studies, and its causes\n"
    "# by category. `addressed_by` names the drivers or change ideas that act on a cause.\n"
)


def _words(text: str) -> str:
    """Text compared the way people mean it: case and spacing ignored."""
    return " ".join(text.split()).casefold()


def did_you_mean(name: str, known: Iterable[str], what: str) -> str:
    """A hint for an unknown name: the closest known one, else the list.

    >>> did_you_mean("night-light", ["night-lights", "lighting"], "ids")
    "did you mean 'night-lights'?"
    """
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"known {what}: " + (", ".join(names) if names else "none yet")


# --- checks (qi validate) --------------------------------------------------------------


def _issue(
    p: LoadedProject, loc: Loc, message: str, hint: str | None = None, code: str | None = None
) -> Issue:
    path = p.display(FISHBONE_FILE)
    doc = p.documents.get(path)
    pos = doc.locate(loc) if doc else None
    if code:
        hint = f"{CODES[code].fix} (qi explain {code})"
    return Issue(
        path=path,
        message=message,
        line=pos.line if pos else None,
        column=pos.column if pos else None,
        severity="warning" if code else "error",
        hint=hint,
        code=code,
    )


def link_targets(p: LoadedProject) -> dict[str, str] | None:
    """Every id a cause may be addressed by, and what it is (driver or change idea);
    None when drivers.yaml exists but cannot be read (its links are then not checked,
    so one broken file does not turn every link into an error)."""
    if p.drivers is None:
        return None if (p.root / DRIVERS_FILE).exists() else {}
    targets = dict.fromkeys(p.drivers.drivers, "driver")
    targets.update(dict.fromkeys(p.drivers.changes, "change idea"))
    return targets


def check_fishbone(p: LoadedProject) -> Iterator[Issue]:
    """Unknown links and repeated categories (errors); causes nothing addresses (Q601)."""
    fishbone = p.fishbone
    if fishbone is None:
        return
    targets = link_targets(p)
    seen: dict[str, int] = {}
    for i, category in enumerate(fishbone.categories):
        key = _words(category.name)
        if key in seen:
            yield _issue(
                p,
                ("categories", i, "name"),
                f"category '{category.name}' is written twice",
                f"merge its causes into the first (category {seen[key] + 1})",
            )
        seen.setdefault(key, i)
        for j, cause in enumerate(category.causes):
            here: Loc = ("categories", i, "causes", j)
            if targets is not None:
                yield from _unknown_links(p, here, cause.addressed_by, targets)
                for k, sub in enumerate(cause.causes):
                    yield from _unknown_links(p, (*here, "causes", k), sub.addressed_by, targets)
            if not addressed(cause) and not cause.out_of_scope:
                yield _issue(
                    p,
                    (*here, "cause"),
                    f"cause '{cause.cause}' ({category.name}) is not addressed by any driver "
                    "or change idea",
                    code="Q601",
                )


def _unknown_links(
    p: LoadedProject, loc: Loc, ids: Sequence[str], targets: dict[str, str]
) -> Iterator[Issue]:
    for n, ref in enumerate(ids):
        if ref not in targets:
            yield _issue(
                p,
                (*loc, "addressed_by", n),
                f"addressed_by: no driver or change idea '{ref}'",
                did_you_mean(ref, targets, "drivers and change ideas"),
            )


def addressed(cause: Cause) -> bool:
    """A cause is addressed when it, or one of its sub-causes, names a driver or idea."""
    return bool(cause.addressed_by) or any(sub.addressed_by for sub in cause.causes)


# --- adding a cause (qi fishbone add) --------------------------------------------------


def _find_category(fishbone: Fishbone, name: str) -> int | None:
    for i, category in enumerate(fishbone.categories):
        if _words(category.name) == _words(name):
            return i
    return None


def _find_cause(category: Category, under: str) -> int:
    """The cause `under` names: its text (case and spacing ignored) or a unique start."""
    wanted = _words(under)
    texts = [_words(c.cause) for c in category.causes]
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
        if _words(category) not in STANDARD_CATEGORIES and not new_category:
            present = {_words(name) for name in known}
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
    if _words(cause) in {_words(text) for text in present}:
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


def rename_links(fishbone: Fishbone, old: str, new: str) -> dict[str, Any]:
    """The patch that renames the driver or change idea id `old` to `new` wherever a
    cause or sub-cause is addressed by it (for `qi rename`); empty when none is."""

    def swapped(ids: Sequence[str]) -> list[str]:
        return [new if ref == old else ref for ref in ids]

    categories: list[dict[str, Any]] = []
    for category in fishbone.categories:
        causes: list[dict[str, Any]] = []
        for cause in category.causes:
            entry: dict[str, Any] = {}
            if old in cause.addressed_by:
                entry["addressed_by"] = swapped(cause.addressed_by)
            subs = [
                {"addressed_by": swapped(sub.addressed_by)} if old in sub.addressed_by else {}
                for sub in cause.causes
            ]
            if any(subs):
                entry["causes"] = subs
            causes.append(entry)
        categories.append({"causes": causes} if any(causes) else {})
    return {"categories": categories} if any(categories) else {}


# --- the diagram as data ---------------------------------------------------------------


def fishbone_view(p: LoadedProject) -> dict[str, Any]:
    """The diagram as JSON-ready data: each cause with the titles of what addresses it."""
    fishbone = p.fishbone
    if fishbone is None:
        raise QiError(
            "the project has no fishbone.yaml yet",
            hint='start it: qi fishbone add people "A cause" --effect "The problem"',
        )
    names: dict[str, str] = {}
    if p.drivers is not None:
        names.update({k: d.name for k, d in p.drivers.drivers.items()})
        names.update({k: c.title for k, c in p.drivers.changes.items()})

    def links(ids: Sequence[str]) -> list[dict[str, Any]]:
        return [{"id": ref, "title": names.get(ref)} for ref in ids]

    return {
        "effect": fishbone.effect,
        "description": fishbone.description,
        "categories": [
            {
                "name": category.name,
                "causes": [
                    {
                        "cause": cause.cause,
                        "addressed_by": links(cause.addressed_by),
                        "addressed": addressed(cause),
                        "out_of_scope": cause.out_of_scope,
                        "causes": [
                            {"cause": sub.cause, "addressed_by": links(sub.addressed_by)}
                            for sub in cause.causes
                        ],
                    }
                    for cause in category.causes
                ],
            }
            for category in fishbone.categories
        ],
        "unaddressed": [
            {"category": category.name, "cause": cause.cause}
            for category in fishbone.categories
            for cause in category.causes
            if not addressed(cause) and not cause.out_of_scope
        ],
    }
