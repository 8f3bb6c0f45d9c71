"""Safe writes: atomic replacement, no silent overwrite, and a lock for concurrent runs.

Every file qi writes goes through `write_atomic`: the new content is written to a
temporary file in the same folder, flushed and fsynced, then renamed over the target.
A crash or Ctrl-C at any moment leaves either the old file or the new one, never half
of each. `project_lock` serialises read-modify-write updates (two terminals adding data
to one measure at once) so neither write is lost.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Iterator
from pathlib import Path

from qi_cli.errors import QiError

LOCK_NAME = ".qi.lock"
LOCK_TIMEOUT_SECONDS = 30.0


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(_resolved(os.getcwd())))
    except (ValueError, OSError):
        return str(path)


@functools.lru_cache(maxsize=8)
def _resolved(folder: str) -> Path:
    """The current folder with its links resolved (asked of the file system once)."""
    return Path(folder).resolve()


def write_atomic(path: Path, content: str, *, overwrite: bool = True) -> None:
    """Write `content` to `path` atomically; with overwrite=False, refuse an existing file."""
    import tempfile  # here: reading commands never write (and it loads random)

    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise QiError(
            f"{display_path(path)}: cannot write: {exc.strerror or exc}",
            hint="check that the folder exists and that you may write to it",
            path=display_path(path),
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            # link() fails if the target exists, so two writers can never both "create"
            # the same file: the loser gets a clear error instead of replacing it.
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise QiError(
                    f"{display_path(path)}: already exists; qi never overwrites it",
                    hint="choose another name, or edit the existing file",
                    path=display_path(path),
                ) from None
            finally:
                tmp.unlink(missing_ok=True)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise QiError(
                f"{display_path(path)}: cannot write: {exc.strerror or exc}",
                hint="check that you may write to this folder and that the disk is not full",
                path=display_path(path),
            ) from None
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def project_lock(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold an exclusive lock on a project for one read-modify-write update."""
    lock_path = root / LOCK_NAME
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: fall back to an exclusive lock file
        yield from _lockfile(lock_path, timeout)
        return
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise QiError(
            f"{display_path(lock_path)}: cannot lock the project: {exc.strerror or exc}",
            hint="check that you may write to the project folder",
            path=display_path(lock_path),
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise QiError(
                        "another qi command is still writing to this project",
                        hint="wait for it to finish and try again",
                        path=display_path(lock_path),
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def _lockfile(lock_path: Path, timeout: float) -> Iterator[None]:  # pragma: no cover
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.close(fd)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise QiError(
                    "another qi command is still writing to this project",
                    hint=f"if no qi command is running, delete {lock_path}",
                ) from None
            time.sleep(0.05)
    try:
        yield
    finally:
        lock_path.unlink(missing_ok=True)
