"""The issues that checks report: a coached warning or an error, at the position of a
key in the file it is about (`qi validate`'s checks, and the toolkit's)."""

from __future__ import annotations

from qi_cli.coaching import CODES
from qi_cli.errors import Issue
from qi_cli.files.loader import LoadedProject


def warning_at(
    project: LoadedProject,
    path: str,
    loc: tuple[str | int, ...],
    code: str,
    message: str,
    hint: str | None = None,
) -> Issue:
    """The coached warning `code` about `loc` in the file `path`, with a hint: the fix
    for this project when given, else the code's general fix."""
    doc = project.documents.get(path)
    pos = doc.locate(loc) if doc else None
    return Issue(
        path=path,
        message=message,
        line=pos.line if pos else None,
        column=pos.column if pos else None,
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
) -> Issue:
    doc = project.documents.get(path)
    pos = doc.locate(loc) if doc else None
    return Issue(
        path=path,
        message=message,
        line=pos.line if pos else None,
        column=pos.column if pos else None,
        hint=hint,
    )


def known_ids(ids: object) -> str:
    names = sorted(ids)  # type: ignore[call-overload]
    return "known: " + (", ".join(names) if names else "none yet")
