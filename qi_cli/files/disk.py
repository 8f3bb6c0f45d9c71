"""Files on disk: reading text safely, atomic writes, and a lock for concurrent runs.

Every file qi reads goes through `read_text`: a bounded read of the bytes, then UTF-8
decoding that refuses, with a message a person can act on, what is not a qi file (a
folder, a broken link, UTF-16, Latin-1, a binary file, a file far too large). A file of
a project is never read through a link that leads outside the project.

Every file qi writes goes through `write_atomic`: the new content is written to a
temporary file in the same folder, flushed and fsynced, then renamed over the target.
A crash or Ctrl-C at any moment leaves either the old file or the new one, never half
of each. A new file gets the mode the umask gives any new file, and a rewritten file
keeps its mode, so a colleague who could read the board paper still can.
`project_lock` serialises read-modify-write updates (two terminals adding data to one
measure at once) so neither write is lost.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from qi_cli.errors import Issue, QiError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: locks fall back to an exclusive file
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".qi.lock"
LOCK_TIMEOUT_SECONDS = 30.0
MAX_YAML_BYTES = 2 * 1024 * 1024
"""qi's YAML files are a few kilobytes; anything this large is a mistake or an attack."""
_PIECE = 64 * 1024
"""How much more `read_text` asks for at a time after the size a file reports."""
MAX_CSV_BYTES = 20 * 1024 * 1024
"""A measure's data file: years of daily values fit in a few hundred kilobytes."""


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(_resolved(os.getcwd())))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a link loop (Python < 3.13)
        return str(path)


def resolve_path(path: Path) -> Path:
    """`path` with its links resolved; a link loop is refused, naming the path given."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop: RuntimeError before Python 3.13
        raise QiError(
            f"{path}: cannot open: a symbolic link loop (a link that leads back to itself)",
            hint="fix or remove the link, or give the folder it was meant to point to",
            path=str(path),
        ) from None


@functools.lru_cache(maxsize=8)
def _resolved(folder: str) -> Path:
    """The current folder with its links resolved (asked of the file system once)."""
    return Path(folder).resolve()


def refuse_link_outside(path: Path, root: Path) -> None:
    """Refuse a file or folder of the project at `root` that is, or lies in a folder
    that is, a link leading outside the project.

    A shared repository can hold `measures/x.csv -> /etc/passwd` (git stores links): qi
    would read the file and quote its lines back in messages and reports. Only the
    links on the way from `root` down to `path` are resolved (one `lstat` for each
    step), and the message names the link, never what it leads to."""
    # strings, not pathlib: it runs for every file a portfolio reads (pathlib: 4x slower)
    base = os.path.abspath(root)
    full = os.path.abspath(path)
    prefix = base.rstrip(os.sep) + os.sep
    if not full.startswith(prefix):
        return  # not a path inside the project
    parts = full[len(prefix) :].split(os.sep)
    step = base
    inside = ""
    for depth, part in enumerate(parts, start=1):
        step = os.path.join(step, part)
        if not os.path.islink(step):
            continue
        try:
            target = os.path.realpath(step, strict=True)
            inside = inside or os.path.realpath(base).rstrip(os.sep) + os.sep
        except (OSError, RuntimeError):
            return  # a broken link or a link loop: reading it says so
        if not (target + os.sep).startswith(inside):
            shown = os.path.normpath(os.path.join(display_path(Path(base)), *parts[:depth]))
            raise QiError(
                f"{shown}: a link that leads outside the project; qi does not follow it",
                hint="qi reads only the project's own files: put a copy of the file here instead",
                path=shown,
            )


def read_text(
    path: Path,
    display: str,
    *,
    root: Path | None = None,
    max_bytes: int = MAX_YAML_BYTES,
    keep_bom: bool = False,
) -> str:
    """Read a qi file as UTF-8 text, refusing what a person did not mean to give us.

    A file of a project (`root` given) is refused when it is reached by a link that
    leads outside the project (`refuse_link_outside`). A byte-order mark is dropped, or
    with `keep_bom` kept as the text's first character, for a writer that keeps it."""
    if root is not None:
        refuse_link_outside(path, root)
    try:
        # unbuffered: no buffer object for a file read whole (7 µs of a file's 30, 1% of
        # a portfolio's 27 files a project); a read may return less than asked, so read on
        with open(path, "rb", buffering=0) as handle:
            # the size the file reports and one byte more (asking for the limit would
            # make a 2 MB buffer for every small file); a file that grew, or a device
            # with no size, is read on, in small pieces, up to one byte over the limit
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(min(size, max_bytes) + 1)
            while len(raw) <= max_bytes and (
                more := handle.read(min(max_bytes + 1 - len(raw), _PIECE))
            ):
                raw += more
            if len(raw) > max_bytes:
                size = max(size, len(raw))
                raise QiError(
                    f"{display}: file is too large ({size / 1e6:.1f} MB; qi files are small)",
                    hint="check that this is the file you meant; qi refuses it to stay fast",
                    path=display,
                )
    except IsADirectoryError:
        raise QiError(
            f"{display}: is a folder, expected a file",
            hint="remove or rename the folder",
            path=display,
        ) from None
    except FileNotFoundError:
        raise QiError(f"{display}: file not found", path=display) from None
    except OSError as exc:
        raise QiError(
            f"{display}: cannot read: {exc.strerror or exc}",
            hint="check the file's permissions and that the path is not a broken link",
            path=display,
        ) from None
    text = decode(raw, display)
    return "\ufeff" + text if keep_bom and raw.startswith(b"\xef\xbb\xbf") else text


def decode(raw: bytes, display: str) -> str:
    """The text of a file's bytes: UTF-8, with or without a byte-order mark."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise QiError(
            f"{display}: file is UTF-16; qi reads UTF-8",
            hint="save the file as UTF-8 (in Excel: 'CSV UTF-8'; in an editor: encoding UTF-8)",
            path=display,
            line=1,
            column=1,
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw[:8192]:
        raise QiError(
            f"{display}: looks like a binary file, not text",
            hint="qi reads plain-text YAML and CSV files",
            path=display,
            line=1,
            column=1,
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise QiError(
            f"{display}: not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            hint="the file is probably Latin-1 or Windows-1252: save it as UTF-8",
            path=display,
            line=line,
            column=column,
        ) from None
    refuse_conflict_markers(text, display)
    return text


# the lines git writes around each side of a conflict it could not merge
# (<<<<<<< ours, ||||||| base with diff3, =======, >>>>>>> theirs)
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|>{7})(?: |$)|^={7}$", re.MULTILINE)


MERGE_CONFLICT = "unresolved git merge conflict"


def refuse_unmerged(issues: Iterable[Issue]) -> None:
    """Refuse to change a project while one of its files holds merge conflict markers
    (`issues` are the loader's): the file is not read, so what qi would check the change
    against (a driver's id, a cycle's number) is not known, and a write would land in
    the middle of someone's merge."""
    for issue in issues:
        if issue.severity == "error" and issue.message.startswith(MERGE_CONFLICT):
            raise QiError(
                f"{issue.path}: {MERGE_CONFLICT}: resolve the merge first; nothing was written",
                hint="keep the lines you want between <<<<<<< and >>>>>>>, delete the marker "
                "lines, check with qi validate, then run this command again",
                path=issue.path,
                line=issue.line,
                column=issue.column,
            )


def refuse_conflict_markers(text: str, display: str) -> None:
    """Refuse a file that a git merge left with conflict markers, at the first marker.

    A line `=======` alone could be text (an underline in a note), so the markers count
    only when the `<<<<<<<` or `>>>>>>>` of a conflict is there too."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return
    markers = list(_CONFLICT_MARKER.finditer(text))
    if not any(m.group().startswith(("<", ">")) for m in markers):
        return
    line = text.count("\n", 0, markers[0].start()) + 1
    raise QiError(
        f"{display}: {MERGE_CONFLICT} at line {line}: keep one side, then run qi validate",
        hint="keep the lines you want between <<<<<<< and >>>>>>>, and delete the marker lines",
        path=display,
        line=line,
        column=1,
    )


def _refuse_file_as_folder(path: Path) -> None:
    """A folder on the way to `path` that is a file (`measures` made by mistake): say so,
    rather than the system's "File exists"."""
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise QiError(
            f"{display_path(path)}: cannot write: {display_path(blocker)} is a file, not a folder",
            hint=f"move the file away and make a folder {blocker.name}/",
            path=display_path(path),
        )


def write_atomic(path: Path, content: str | bytes, *, overwrite: bool = True) -> None:
    """Write `content` (text as UTF-8, or bytes as they are) to `path` atomically; with
    overwrite=False, refuse an existing file.

    Text is written as UTF-8 with `\\n` line ends; bytes (an image, a slide deck) as they
    are. The new file's mode is the existing file's, else what the umask gives."""
    folder = path.parent
    _refuse_file_as_folder(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temporary(folder, path.name)
    except OSError as exc:
        raise QiError(
            f"{display_path(path)}: cannot write: {exc.strerror or exc}",
            hint="check that the folder exists and that you may write to it",
            path=display_path(path),
        ) from None
    try:
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        with os.fdopen(fd, "wb") as handle:
            with contextlib.suppress(FileNotFoundError):  # a rewritten file keeps its mode
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
            handle.write(data)
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


TEMPORARY_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")
"""The name of `write_atomic`'s temporary file, which a crash or kill -9 can leave behind
(new projects' .gitignore has `.*.tmp`; `qi validate` warns Q305)."""

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)  # Windows: no \r\n


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new empty file `.NAME.RANDOM.tmp` in `folder`, open for writing.

    Not tempfile.mkstemp: its files are always mode 0600, which a rename would give the
    target (colleagues on a shared drive could not read what qi wrote). Created with
    0666, a file gets what the umask allows, as one made by any other program does."""
    for _ in range(100):
        tmp = folder / f".{name}.{os.urandom(4).hex()}.tmp"
        try:
            return os.open(tmp, _NEW_FILE, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def write_new_files(files: Iterable[tuple[Path, str]]) -> None:
    """Write new files (each refused if it exists), all of them or none: when one cannot
    be written, those written before it are removed again."""
    written: list[Path] = []
    try:
        for path, text in files:
            write_atomic(path, text, overwrite=False)
            written.append(path)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def create_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Make the folder `target` whole or not at all: `fill` writes its files into a new
    hidden folder beside it (through `write_atomic`), which is then renamed into place.
    On any failure the half-made folder is removed and nothing is left at `target`."""
    try:
        staging = make_temporary_folder(target.parent, target.name)
    except OSError as exc:
        raise cannot_create(target, exc) from None
    try:
        fill(staging)
        if target.exists():
            raise QiError(f"{display_path(target)}: already exists; qi never overwrites it")
        os.rename(staging, target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise cannot_create(target, exc) from None
        if isinstance(exc, QiError):  # a file of the half-made copy: name it in the target
            exc.message = exc.message.replace(display_path(staging), display_path(target))
            exc.path = exc.path and exc.path.replace(display_path(staging), display_path(target))
        raise


_CANNOT_WRITE = {
    errno.ENOSPC: "the disk is full: free some space, then run the command again",
    errno.EDQUOT: "your disk quota is full: free some space, then run the command again",
    errno.EROFS: "the disk is read-only: choose a folder on a disk you can write to",
    errno.EACCES: "you may not write to this folder: choose another, or ask for access",
    errno.EPERM: "you may not write to this folder: choose another, or ask for access",
}


def cannot_create(target: Path, exc: OSError) -> QiError:
    """A folder that could not be made (disk full, read-only, no permission), as an
    error that names it and says that nothing was left behind."""
    return QiError(
        f"{display_path(target)}: cannot create it: {exc.strerror or exc}; nothing was written",
        hint=_CANNOT_WRITE.get(exc.errno or 0, "check that you may write to this folder"),
        path=display_path(target),
    )


def make_temporary_folder(parent: Path, name: str) -> Path:
    """A new empty folder `.NAME.RANDOM.new` in `parent`, its mode from the umask (not
    tempfile.mkdtemp's 0700): a project is built in it, then renamed into place."""
    for _ in range(100):
        folder = parent / f".{name}.{os.urandom(4).hex()}.new"
        try:
            folder.mkdir(mode=0o777)
            return folder
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(parent))


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
    if fcntl is None:  # pragma: no cover - Windows
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


def move_file(source: Path, target: Path) -> None:
    """Rename a file; refuse to replace one that exists (link, then unlink the old name,
    so no moment has neither name)."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise QiError(
            f"{display_path(target)}: already exists; qi never overwrites it",
            hint="choose another name",
            path=display_path(target),
        ) from None
    except OSError as exc:
        raise QiError(
            f"{display_path(source)}: cannot rename: {exc.strerror or exc}",
            hint="check that you may write to this folder",
            path=display_path(source),
        ) from None
    try:
        source.unlink()
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise QiError(
            f"{display_path(source)}: cannot rename: {exc.strerror or exc}",
            hint="check that you may write to this folder",
            path=display_path(source),
        ) from None
    _fsync_folder(target.parent)
