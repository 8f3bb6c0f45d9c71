"""What git's history says about a project's files: when each was first committed, and
the text of a file at each of its commits.

Every call is read-only and quiet: without git, outside a repository, or on any git
error the answer is empty, and qi falls back on the dates written in the files.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import subprocess
from collections.abc import Iterator
from pathlib import Path

GIT_TIMEOUT = 60


def _git(root: Path, *args: str) -> str | None:
    """git's output, or None when git is missing or fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_history(root: Path) -> dict[str, dict[str, str]]:
    """When each file under `root` was first committed and last changed, from git.

    One `git log` call for the whole folder; {} when git or a repository is missing
    (outside a repository git is not asked at all: `qi site` reports on every project,
    and a process a project is time its build does not need, bench/bench_site.py).
    Keys are paths relative to `root`.
    """
    if not in_repository(root):
        return {}
    prefix = _git(root, "rev-parse", "--show-prefix")
    if prefix is None:
        return {}
    prefix = prefix.strip()
    log = _git(root, "log", "--format=%x00%as", "--name-only", "--no-renames", "--", ".")
    if log is None:
        return {}
    history: dict[str, dict[str, str]] = {}
    date = ""
    for line in log.splitlines():  # newest commit first
        if line.startswith("\x00"):
            date = line[1:]
        elif line and line.startswith(prefix):
            rel = line[len(prefix) :]
            item = history.setdefault(rel, {"updated": date})
            item["added"] = date
    return history


def committed_versions(path: Path) -> Iterator[tuple[dt.date, str]]:
    """(author date, text) of `path` at each commit that changed it, oldest first.

    Each version is read only when the caller asks for it, so a caller that stops at
    the first version it wants runs two git commands, not one per commit.
    """
    root = path.parent
    log = _git(root, "log", "--reverse", "--no-renames", "--format=%H %as", "--", path.name)
    for line in (log or "").splitlines():
        commit, _, date = line.partition(" ")
        text = _git(root, "show", f"{commit}:./{path.name}")
        if text is not None:
            yield dt.date.fromisoformat(date), text


def folder_versions(root: Path, folder: str) -> dict[str, list[tuple[dt.date, str]]]:
    """(author date, text) of each file in `root`/`folder` at each commit that changed it,
    oldest first, keyed by file name; {} without git or a repository.

    Two git commands for the whole folder, whatever its size: `qi site` asked git twice
    per cycle file before, 40,000 processes for 1,000 projects of 20 cycles. A file whose
    name git must quote (a control character, a quote) is left out, as if uncommitted.
    """
    prefix = _git(root, "rev-parse", "--show-prefix")
    if prefix is None:
        return {}
    inside = prefix.strip() + folder + "/"
    log = _git(
        root,
        *("-c", "core.quotePath=false", "log", "--reverse", "--no-renames"),
        *("--format=%x00%H %as", "--name-only", "--", folder),
    )
    wanted: list[tuple[str, str, str]] = []  # (file name, date, object)
    commit = date = ""
    for line in (log or "").splitlines():  # oldest commit first
        if line.startswith("\x00"):
            commit, _, date = line[1:].partition(" ")
        elif line.startswith(inside) and "/" not in line[len(inside) :]:
            wanted.append((line[len(inside) :], date, f"{commit}:{line}"))
    if not wanted:
        return {}
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "cat-file", "--batch"],
            input="".join(f"{spec}\n" for _, _, spec in wanted).encode(),
            capture_output=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    versions: dict[str, list[tuple[dt.date, str]]] = {}
    out, at = done.stdout, 0
    for name, day, _ in wanted:
        end = out.find(b"\n", at)
        if end < 0:  # git stopped early: what it gave is all there is
            break
        header = out[at:end].split()
        at = end + 1
        # "<object> blob <size>"; else "<object> missing" (the commit deleted the file),
        # where the object's name may hold spaces
        if len(header) != 3 or header[1] != b"blob" or not header[2].isdigit():
            continue
        size = int(header[2])
        text = out[at : at + size].decode("utf-8", errors="replace")
        at += size + 1  # the content, then a line break
        versions.setdefault(name, []).append((dt.date.fromisoformat(day), text))
    return versions


MERGE_DRIVER = "qi merge-file %O %A %B %P"


def configure_merge_driver(root: Path) -> bool:
    """Tell this clone's git to merge with `qi merge-file` where .gitattributes says
    `merge=qi`; False outside a repository or without git. (A clone without it merges
    those files line by line, as before: git's fallback for an unknown driver.)"""
    name = "qi: additions to project.yaml and drivers.yaml on both branches are kept"
    return (
        in_repository(root)
        and _git(root, "config", "merge.qi.name", name) is not None
        and _git(root, "config", "merge.qi.driver", MERGE_DRIVER) is not None
    )


def in_repository(folder: Path) -> bool:
    """Is `folder` inside a git working tree? (A look for `.git` above it: no git run.)"""
    folder = folder.resolve()
    return any((parent / ".git").exists() for parent in (folder, *folder.parents))


def merge_attribute(root: Path, path: str) -> str | None:
    """git's `merge` attribute of `path` (relative to `root`): "union", "unspecified"...;
    None outside a repository or without git.

    A project whose own .gitattributes has the line qi writes is answered without
    running git: `qi validate` of a portfolio in git asks this of every project."""
    if not in_repository(root):
        return None
    rule = f"{path.rpartition('/')[0]}/*.csv merge=union"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        lines = (root / ".gitattributes").read_text(encoding="utf-8").splitlines()
        if rule in (line.strip() for line in lines):
            return "union"
    out = _git(root, "check-attr", "merge", "--", path)
    if not out:
        return None
    return out.rstrip("\n").rpartition(": ")[2]
