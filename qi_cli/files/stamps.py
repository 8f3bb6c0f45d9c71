"""What changed in a project folder, for `qi site`'s rebuild: a stamp of its files'
names, sizes and modification times (cheap), and a digest of their bytes (a fresh
checkout gives every file a new time, not new bytes)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def _files(root: Path) -> list[tuple[str, str]]:
    """(path relative to the project, full path) of every file a project's page uses,
    hidden ones left out; by `scandir` and string joins, as a rebuild of 1,000 projects
    lists 27,000 files before it knows it has nothing to do (bench/bench_site.py)."""
    out: list[tuple[str, str]] = []

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():  # a link too: by its text, below
                out.append((prefix + entry.name, entry.path))

    walk(str(root), "")
    return out


def files_stamp(root: Path) -> str:
    """A hash of the project's file names, sizes and modification times."""
    parts = []
    for rel, full in _files(root):
        try:
            st = os.lstat(full)
        except OSError:
            continue
        parts.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def files_digest(root: Path) -> str:
    """A hash of the project's file names and contents; a link by where it points (the
    loader reads no link that leads out of the project, and one that stays in it leads to
    a file hashed here under its own name), so no read leaves the project."""
    h = hashlib.sha256()
    for rel, full in _files(root):
        try:
            if os.path.islink(full):
                data = os.readlink(full).encode("utf-8", "surrogateescape")
            else:
                with open(full, "rb") as handle:
                    data = handle.read()
        except OSError:
            continue
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()
