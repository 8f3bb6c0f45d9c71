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

from collections.abc import Iterator, Sequence
from typing import Any

from qi_cli.checks import did_you_mean, error_at, warning_at
from qi_cli.errors import Issue, QiError
from qi_cli.files.layout import DRIVERS_FILE, FISHBONE_FILE
from qi_cli.files.loaded import LoadedProject
from qi_cli.fishbone_model import Cause, Fishbone

Loc = tuple[str | int, ...]


def words_of(text: str) -> str:
    """Text compared the way people mean it: case and spacing ignored."""
    return " ".join(text.split()).casefold()


# --- checks (qi validate) --------------------------------------------------------------


def _issue(
    p: LoadedProject, loc: Loc, message: str, hint: str | None = None, code: str | None = None
) -> Issue:
    """An error in fishbone.yaml at `loc`, or the coached warning `code`."""
    path = p.display(FISHBONE_FILE)
    if code:
        return warning_at(p, path, loc, code, message)
    return error_at(p, path, loc, message, hint)


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
        key = words_of(category.name)
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
