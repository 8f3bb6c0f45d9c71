"""The issues that checks report: a coached warning or an error, at the position of a
key in the file it is about (`qi validate`'s checks, and the toolkit's)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from qi_cli.coaching import CODES
from qi_cli.errors import Issue
from qi_cli.files.loaded import LoadedProject


def _position(
    project: LoadedProject, path: str, loc: tuple[str | int, ...], key: bool
) -> tuple[int | None, int | None]:
    """Line and column of `loc` in `path` (of its key, with `key`), when the file is known."""
    doc = project.documents.get(path)
    pos = (doc.locate_key(loc) if key else doc.locate(loc)) if doc else None
    return (pos.line, pos.column) if pos else (None, None)


def warning_at(
    project: LoadedProject,
    path: str,
    loc: tuple[str | int, ...],
    code: str,
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
) -> Issue:
    """The coached warning `code` about `loc` in the file `path`, with a hint: the fix
    for this project when given, else the code's general fix."""
    line, column = _position(project, path, loc, key)
    return Issue(
        path=path,
        message=message,
        line=line,
        column=column,
        severity="warning",
        hint=f"{hint or CODES[code].fix} (qi explain {code})",
        code=code,
    )


def error_at(
    project: LoadedProject,
    path: str,
    loc: tuple[str | int, ...],
    message: str,
    hint: str | None = None,
    *,
    key: bool = False,
) -> Issue:
    """The error about `loc` in the file `path`."""
    line, column = _position(project, path, loc, key)
    return Issue(path=path, message=message, line=line, column=column, hint=hint)


def known_ids(ids: object) -> str:
    names = sorted(ids)  # type: ignore[call-overload]
    return "known: " + (", ".join(names) if names else "none yet")


def did_you_mean(name: str, known: Iterable[str], what: str) -> str:
    """A hint for an unknown name: the closest known one, else the list.

    >>> did_you_mean("triag", ["triage", "imaging"], "steps")
    "did you mean 'triage'?"
    >>> did_you_mean("x", [], "change ideas")
    'known change ideas: none yet'
    """
    names = sorted(known)
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"known {what}: " + (", ".join(names) if names else "none yet")
