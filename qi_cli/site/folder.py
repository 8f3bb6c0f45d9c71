"""The site's folder: where a site may be written, its manifest, and writing only what
changed.

A folder that holds a previous site has `qi-site.json` (the manifest): the audience,
the date and qi version it was built with, and for each project a hash of its files,
its page's address and (for a published project) the row the aggregate pages need, so
a rebuild reads only the projects that changed. Nothing about a project that is not
published is kept there but hashes of its path and files.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from qi_cli.errors import QiError
from qi_cli.files.disk import display_path, resolve_path, write_atomic
from qi_cli.files.layout import CYCLES_DIR, MEASURES_DIR, PARETO_DIR, PROJECT_FILE

MANIFEST = "qi-site.json"
SITE_SCHEMA = "qi-site/1"
_DATA_FOLDERS = frozenset((MEASURES_DIR, CYCLES_DIR, PARETO_DIR, ".qi", ".git"))


def read_manifest(out: Path) -> dict[str, Any] | None:
    """The manifest of the site in `out`, or None when `out` holds no qi site."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SITE_SCHEMA:
        return None
    if not isinstance(data.get("projects"), dict):
        return None
    return data


def check_site_folder(out: Path, root: Path, *, force: bool) -> dict[str, Any] | None:
    """Refuse a bad `-o` before any work, and return the previous site's manifest.

    Refused always: a file; a new folder in a folder that does not exist; the projects'
    folder itself or a folder holding it; a folder inside a project. Refused without
    `force`: a folder with files in it that is not a previous qi site.
    """
    if out.exists() and not out.is_dir():
        raise QiError(
            f"{display_path(out)}: is a file, not a folder",
            hint="give -o a folder for the site, e.g. -o site",
        )
    if not out.exists() and not out.parent.is_dir():  # a typo should not make folders
        raise QiError(
            f"{display_path(out.parent)}: no such folder",
            hint="create it first, or check the path given to -o",
        )
    target = resolve_path(out)
    top = resolve_path(root)
    if target == top or target in top.parents:
        raise QiError(
            f"{display_path(out)}: holds the projects; the site needs a folder of its own",
            hint="give -o a new folder, e.g. -o site",
        )
    for folder in (target, *target.parents):
        if (folder / PROJECT_FILE).is_file():
            rel = target.relative_to(folder).parts
            if not rel or rel[0] in _DATA_FOLDERS:
                raise QiError(
                    f"{display_path(out)}: is inside the project in {display_path(folder)}; "
                    "qi writes no site among a project's files",
                    hint="give -o a folder outside the project, e.g. beside it",
                )
            break
    manifest = read_manifest(target)
    if manifest is None and not force and target.is_dir() and any(target.iterdir()):
        raise QiError(
            f"{display_path(out)}: already has files in it and is not a site qi built; "
            "nothing written",
            hint="give -o a new or empty folder, or add --force to build the site there",
        )
    return manifest


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` to `path` atomically unless the file already holds exactly it."""
    data = text.encode("utf-8")
    with contextlib.suppress(OSError):
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    write_atomic(path, data)
    return True


WRITERS = 4
"""Pages written at once: each write waits for the disk (fsync) with the processor idle;
1,000 pages one at a time spent 2 s waiting (bench/bench_site.py)."""


def write_pages(out: Path, pages: Iterable[tuple[str, str]]) -> list[str]:
    """Write each (path under `out`, text) whose file does not already hold exactly it,
    a few at a time, taking pages from `pages` only as they are written (so a thousand
    are never all in memory); the paths written, in order."""
    written: list[str] = []
    pending = iter(pages)
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        while batch := list(itertools.islice(pending, WRITERS * 4)):
            done = pool.map(lambda page: write_if_changed(out / page[0], page[1]), batch)
            written += [path for (path, _), changed in zip(batch, done, strict=True) if changed]
    return written


def remove_page(out: Path, relative: str) -> bool:
    """Remove a page the previous build wrote (and its folder, once empty)."""
    path = out / relative
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise QiError(
            f"{display_path(path)}: cannot remove: {exc.strerror or exc}",
            hint="check that you may write to the site's folder",
        ) from None
    with contextlib.suppress(OSError):
        os.rmdir(path.parent)
    return True
