"""Renaming a measure, driver or change idea id, with every reference to it.

A rename touches several files (drivers.yaml, cycles, measures, project.yaml, the
steps of process.yaml, fishbone.yaml, the measure's own file names). Every new text is
made and checked first (valid for its model, holding exactly the old data with the id
renamed); only then are the files written, under the project lock. A write that still
fails stops the rename and says exactly which files were renamed and which were not.

Cycle file names keep the change idea's old id: a cycle's file name is its identity,
which `follows:` and every hint refer to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qi_cli.cycle_model import Cycle
from qi_cli.driver_model import DriverDiagram
from qi_cli.errors import FieldError, QiError
from qi_cli.files.disk import (
    display_path,
    move_file,
    project_lock,
    read_text,
    refuse_unmerged,
    write_atomic,
)
from qi_cli.files.layout import (
    DRIVERS_FILE,
    FISHBONE_FILE,
    MEASURES_DIR,
    PROCESS_FILE,
    PROJECT_FILE,
)
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project
from qi_cli.files.yaml_write import check, merge, read_model, rename_key, splice
from qi_cli.fishbone_model import Fishbone
from qi_cli.measure_model import Measure
from qi_cli.model import is_valid_id
from qi_cli.process_model import ProcessMap
from qi_cli.project_model import Project
from qi_cli.toolkit.fishbone import rename_links

KINDS = ("measure", "driver", "change")


@dataclass(frozen=True)
class FileChange:
    """One file a rename writes (`text`) or moves (`target`)."""

    path: Path
    what: str
    text: str | None = None
    target: Path | None = None


@dataclass(frozen=True)
class RenameResult:
    kind: str
    old: str
    new: str
    changes: tuple[FileChange, ...]


def _swap(values: list[str], old: str, new: str) -> list[str]:
    return [new if v == old else v for v in values]


def _renamed_key(data: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    return {(new if k == old else k): v for k, v in data.items()}


def _edit(
    path: Path,
    model: type[BaseModel],
    patch: Callable[[Any], dict[str, Any]],
    *,
    key: tuple[tuple[str, ...], str, str] | None = None,
) -> FileChange | None:
    """The new text of one file: `key` (mapping path, old, new) renamed, then `patch`
    (made from the current value) spliced in; checked against the data it must hold."""
    display = display_path(path)
    text = read_text(path, display)
    value, data = read_model(text, display, model)
    changes = patch(value)
    if not changes and key is None:
        return None
    expected: Any = data
    if key is not None:
        where, old, new = key
        text = rename_key(text, display, where, old, new)
        parent = expected
        for part in where[:-1]:
            parent = parent[part]
        parent[where[-1]] = _renamed_key(parent[where[-1]], old, new)
    if changes:
        text = splice(text, changes, model, display)
        expected = merge(expected, changes)
    check(text, display, model, expected)
    return FileChange(path=path, what="references", text=text)


def _refuse_broken(project: LoadedProject) -> None:
    for issue in project.errors:
        if issue.path.endswith(".yaml"):
            error = QiError.from_issue(issue)
            error.message = f"cannot rename: {issue.path} cannot be read: {issue.message}"
            error.hint = "fix it first (qi validate shows every problem); nothing was renamed"
            raise error


def _check_ids(project: LoadedProject, kind: str, old: str, new: str) -> None:
    if kind not in KINDS:
        raise FieldError("kind", f"'{kind}' cannot be renamed", hint="choose " + ", ".join(KINDS))
    if not is_valid_id(new):
        raise FieldError(
            "new",
            f"'{new}' is not a valid id",
            hint="ids use lower-case letters, digits and hyphens, e.g. night-lights",
        )
    diagram = project.drivers or DriverDiagram()
    known: set[str] = set(
        {
            "measure": project.measure_files,
            "driver": diagram.drivers,
            "change": diagram.changes,
        }[kind]
    )
    if kind == "measure" and (project.root / MEASURES_DIR / f"{new}.csv").exists():
        known.add(new)
    if old not in known:
        listed = ", ".join(sorted(known)) or "none yet"
        raise FieldError("old", f"no {kind} '{old}'", hint=f"known: {listed}", exit_code=1)
    taken = known | (set(diagram.drivers) | set(diagram.changes) if kind != "measure" else set())
    if new in taken:
        raise FieldError(
            "new",
            f"'{new}' is already the id of a {kind if new in known else 'driver or change idea'}",
            hint="choose another id",
            exit_code=1,
        )


def plan_rename(project: LoadedProject, kind: str, old: str, new: str) -> list[FileChange]:
    """Every file a rename changes, with its new text, checked; nothing is written."""
    _check_ids(project, kind, old, new)
    _refuse_broken(project)
    root = project.root
    out: list[FileChange | None] = []
    drivers_path = root / DRIVERS_FILE
    if project.drivers is not None and drivers_path.exists():

        def drivers_patch(d: DriverDiagram) -> dict[str, Any]:
            patch: dict[str, Any] = {}
            for did, driver in d.drivers.items():
                if kind == "driver" and old in driver.parents:
                    named = new if did == old else did
                    patch.setdefault("drivers", {})[named] = {
                        "parents": _swap(driver.parents, old, new)
                    }
                if kind == "measure" and driver.measure == old:
                    patch.setdefault("drivers", {})[did] = {"measure": new}
            for cid, change in d.changes.items():
                if kind == "driver" and old in change.drivers:
                    patch.setdefault("changes", {})[cid] = {
                        "drivers": _swap(change.drivers, old, new)
                    }
            return patch

        key = {"driver": (("drivers",), old, new), "change": (("changes",), old, new)}.get(kind)
        out.append(_edit(drivers_path, DriverDiagram, drivers_patch, key=key))
    for c in project.cycles:

        def cycle_patch(cy: Cycle) -> dict[str, Any]:
            if kind == "change" and old in cy.changes:
                # one id stays one id; inside a list, only the renamed item changes
                return {"change": new if isinstance(cy.change, str) else _swap(cy.change, old, new)}
            if kind == "measure" and old in cy.measures:
                return {"measures": _swap(cy.measures, old, new)}
            return {}

        out.append(_edit(c.path, Cycle, cycle_patch))
    if kind == "change" and project.process is not None:
        out.append(_edit(root / PROCESS_FILE, ProcessMap, lambda m: _process_patch(m, old, new)))
    if kind in ("driver", "change") and project.fishbone is not None:
        patch = rename_links(project.fishbone, old, new)
        out.append(_edit(root / FISHBONE_FILE, Fishbone, lambda _f: patch))
    if kind == "driver":
        for mid, measure in project.measures.items():
            if measure.driver == old:
                path = root / MEASURES_DIR / f"{mid}.yaml"
                out.append(_edit(path, Measure, lambda _m: {"driver": new}))
    if kind == "measure":
        aim = project.project.aim if project.project else None
        if aim is not None and aim.outcome_measure == old:
            patch = {"aim": {"outcome_measure": new}}
            out.append(_edit(root / PROJECT_FILE, Project, lambda _p: patch))
        for suffix in (".yaml", ".csv"):
            source = root / MEASURES_DIR / f"{old}{suffix}"
            if source.exists():
                target = source.with_name(f"{new}{suffix}")
                out.append(FileChange(path=source, what="file name", target=target))
    return [c for c in out if c is not None]


def _process_patch(process: ProcessMap, old: str, new: str) -> dict[str, Any]:
    """The steps of the process map that name change idea `old`, naming `new` instead."""
    patch: dict[str, Any] = {}
    for name, state in (("current", process.current), ("future", process.future)):
        for sid, step in state.steps.items() if state else ():
            if old in step.changes:
                steps = patch.setdefault(name, {}).setdefault("steps", {})
                steps[sid] = {"changes": _swap(step.changes, old, new)}
    return patch


def rename_id(root: Path, kind: str, old: str, new: str) -> RenameResult:
    """Rename a measure, driver or change idea id everywhere, under the project lock."""
    with project_lock(root):
        loaded = load_project(root)
        refuse_unmerged(loaded.errors)
        changes = plan_rename(loaded, kind, old, new)
        done: list[FileChange] = []
        for change in changes:
            try:
                if change.target is not None:
                    move_file(change.path, change.target)
                elif change.text is not None:
                    write_atomic(change.path, change.text, overwrite=True)
            except QiError as exc:
                written = ", ".join(describe(c) for c in done) or "nothing"
                left = ", ".join(describe(c) for c in changes[len(done) :])
                raise QiError(
                    f"rename of {kind} '{old}' stopped: {exc.message}; "
                    f"already renamed: {written}; not renamed: {left}",
                    hint="finish the files not renamed by hand, or undo the others (git checkout)",
                ) from None
            done.append(change)
    return RenameResult(kind=kind, old=old, new=new, changes=tuple(changes))


def describe(change: FileChange) -> str:
    """`measures/a.yaml -> measures/b.yaml`, or the file whose references changed."""
    if change.target is not None:
        return f"{display_path(change.path)} -> {display_path(change.target)}"
    return display_path(change.path)
