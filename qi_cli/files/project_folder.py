"""A project's folders: finding projects, listing the files qi reads in a folder, and
reading one YAML file of a project against its model (every problem an `Issue`)."""

from __future__ import annotations

import errno
import operator
import os
import typing
from pathlib import Path
from typing import NamedTuple

from pydantic import BaseModel, ValidationError

from qi_cli.errors import Issue, QiError
from qi_cli.files.disk import display_path, refuse_link_outside, resolve_path
from qi_cli.files.layout import PROJECT_FILE
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.model_errors import validation_issues
from qi_cli.files.yaml_read import load_yaml
from qi_cli.model import is_valid_id


def _where(folder: Path) -> str:
    shown = display_path(folder)
    return f"this folder ({folder.resolve()})" if shown == "." else shown


def find_project_root(start: Path) -> Path:
    """The project folder holding `start`: it, or the nearest parent with project.yaml."""
    start = resolve_path(start)
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise QiError(
        f"{_where(start)}: not inside a qi project (no {PROJECT_FILE} here or above)",
        hint="cd into a project folder, pass --project PATH, or create one with `qi project new`",
    )


def find_projects(root: Path) -> list[Path]:
    """Every project folder under `root` (a repository can hold a whole portfolio)."""
    if not resolve_path(root).exists():
        raise QiError(f"{display_path(root)}: no such folder", hint="check the path")
    if (root / PROJECT_FILE).is_file():
        return [root]
    found: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
        if PROJECT_FILE in files:
            found.append(Path(folder))
            dirs[:] = []
    return found


def require_projects(root: Path) -> list[Path]:
    """`find_projects`, refusing a folder that holds none (a portfolio, a site)."""
    roots = find_projects(root)
    if not roots:
        raise QiError(
            f"{display_path(root)}: no qi projects here (no project.yaml found)",
            hint="pass the folder that holds the projects",
        )
    return roots


def issue_from_error(exc: QiError) -> Issue:
    return Issue(
        exc.path or "?",
        exc.message.split(": ", 1)[1]
        if exc.path and exc.message.startswith(exc.path)
        else exc.message,
        line=exc.line,
        column=exc.column,
        hint=exc.hint,
    )


M = typing.TypeVar("M", bound=BaseModel)


def read_yaml_model(
    loaded: LoadedProject, path: Path, model: type[M], *parts: str, listed: Found | None = None
) -> M | None:
    """Read, check and return one YAML file of the project at `loaded.root / *parts`
    (`listed`: as `list_files` found it)."""
    display = loaded.display(*parts)
    try:
        doc = load_yaml(path, display, root=links_root(loaded, listed))
    except QiError as exc:
        loaded.issues.append(issue_from_error(exc))
        return None
    loaded.documents[display] = doc
    if doc.data is None:
        loaded.issues.append(
            Issue(
                display,
                "file is empty",
                line=1,
                column=1,
                hint=f"see `qi schema` or docs/format.md for what a {path.name} holds",
            )
        )
        return None
    if not isinstance(doc.data, dict):
        loaded.issues.append(
            doc.issue((), "expected a mapping of `key: value` lines", hint="see docs/format.md")
        )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        loaded.issues.extend(validation_issues(exc, doc, model))
        return None


class Found(NamedTuple):
    """A file qi reads in one of a project's folders."""

    path: Path
    name: str
    stem: str
    suffix: str
    link: bool = True
    """Whether the folder's entry is a symbolic link (True when not known)."""


def links_root(loaded: LoadedProject, listed: Found | None) -> Path | None:
    """The project root to check a file's links against (`disk.refuse_link_outside`);
    None for a file that `list_files` found to be no link, in a folder that
    `folder_inside` allowed: there is no link on its way to resolve. The directory entry
    says so without a system call; checking again took a twentieth of reading a
    project (bench/bench.py, 27 files a project)."""
    return None if listed is not None and not listed.link else loaded.root


def list_files(loaded: LoadedProject, folder: Path, suffixes: tuple[str, ...]) -> list[Found]:
    """The files qi reads in a folder, in name order; hidden files (editor backups,
    macOS `._` files) are skipped, and a `.yml` file is reported, not silently ignored.

    Read with os.scandir and string operations: a portfolio lists thousands of files,
    and the directory entry already says which are files without one stat each."""
    found = []
    for entry in sorted(os.scandir(folder), key=operator.attrgetter("name")):
        name = entry.name
        if name.startswith(".") or name.endswith("~"):
            continue
        stem, dot, suffix = name.rpartition(".")
        suffix = dot + suffix if stem else ""  # as Path.suffix: ".bashrc" has none
        stem = stem if stem else name
        if suffix == ".yml":
            loaded.issues.append(
                Issue(
                    loaded.display(folder.name, name),
                    "qi reads .yaml files; this .yml file is ignored",
                    hint=f"rename it to {stem}.yaml",
                )
            )
        elif suffix in suffixes:
            path = folder / name
            problem = "cannot read: a broken link or a link loop"
            try:
                is_file, is_dir, link = entry.is_file(), entry.is_dir(), entry.is_symlink()
            except OSError as exc:  # a link loop, or a link to a folder we may not read
                is_file = is_dir = False
                if exc.errno != errno.ELOOP:
                    problem = f"cannot read: {exc.strerror or exc}"
            if is_file:
                found.append(Found(path=path, name=name, stem=stem, suffix=suffix, link=link))
            elif is_dir:
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        "is a folder, expected a file",
                        hint="remove or rename the folder",
                    )
                )
            elif os.path.exists(path):  # a device (/dev/zero), a pipe or a socket
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        "cannot read: not a regular file (a device, a pipe or a socket)",
                        hint="replace it with the measure's CSV or YAML file",
                    )
                )
            else:
                loaded.issues.append(
                    Issue(
                        loaded.display(folder.name, name),
                        problem,
                        hint="point the link at a real file, or remove it",
                    )
                )
    return found


def folder_inside(loaded: LoadedProject, folder: Path) -> bool:
    """Whether a folder of the project may be read: not a link that leads outside it
    (the names of another folder's files would be listed as the project's)."""
    try:
        refuse_link_outside(folder, loaded.root)
    except QiError as exc:
        loaded.issues.append(issue_from_error(exc))
        return False
    return True


def not_a_folder(loaded: LoadedProject, folder: Path) -> None:
    """A data folder that is a file: say so (the project's files in it cannot be read)."""
    if folder.exists() or folder.is_symlink():
        loaded.issues.append(
            Issue(
                folder.name,
                f"'{folder.name}' is a file, not a folder",
                hint=f"move the file away and make a folder {folder.name}/",
            )
        )


def valid_file_id(stem: str, loaded: LoadedProject, folder: str, name: str) -> bool:
    if is_valid_id(stem):
        return True
    loaded.issues.append(
        Issue(
            loaded.display(folder, name),
            f"file name '{name}' is not a valid id",
            hint="rename the file: ids use lower-case letters, digits and hyphens "
            "(at most 64), e.g. time-to-physio.yaml",
        )
    )
    return False


def read_optional(loaded: LoadedProject, name: str, model: type[M]) -> M | None:
    """One of the project's optional YAML files (drivers.yaml, fishbone.yaml …), if it is there."""
    path = loaded.root / name
    if not path.exists():
        return None
    return read_yaml_model(loaded, path, model, name)
