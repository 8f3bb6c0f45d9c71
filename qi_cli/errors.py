"""Errors are values: every problem qi reports carries a file, a line, a column and a hint.

`Issue` is one finding (an error or a coaching warning) that `qi validate` collects;
`QiError` is raised when a command cannot go on. The one error boundary in
`qi_cli.__main__` turns a `QiError` into a message and an exit code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]

EXCERPT_CHARS = 40
"""The most of a bad value a message quotes."""


def excerpt(value: object) -> str:
    """A bad value as a message quotes it: in quotes, on one line, cut to
    `EXCERPT_CHARS` characters. A bad value can be a whole line of a file that is no qi
    file at all, and a message needs only enough of it to find it.

    >>> excerpt("Ward 7")
    "'Ward 7'"
    >>> excerpt("root:x:0:0:root:/root:/bin/bash:" + "x" * 40)
    "'root:x:0:0:root:/root:/bin/bash:xxxxxxx…'"
    """
    text = " ".join(str(value).split())
    if len(text) > EXCERPT_CHARS:
        text = text[: EXCERPT_CHARS - 1] + "…"
    return f"'{text}'"


@dataclass(frozen=True)
class Issue:
    """One problem found in a project, with where it is and what to do about it."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: Severity = "error"
    hint: str | None = None
    code: str | None = None

    @property
    def where(self) -> str:
        """`path:line:column`, as editors and terminals understand it."""
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"

    def format(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{self.where}: {self.severity}: {self.message}{code}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class QiError(Exception):
    """A problem the user can fix; shown as one line and a hint, exit code 1."""

    message: str
    hint: str | None = None
    path: str | None = None
    line: int | None = None
    column: int | None = None
    exit_code: int = 1
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_issue(cls, issue: Issue) -> QiError:
        return cls(
            issue.message,
            hint=issue.hint,
            path=issue.path,
            line=issue.line,
            column=issue.column,
            issues=[issue],
        )

    @property
    def where(self) -> str | None:
        if self.path is None:
            return None
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column or 1}"


class UsageError(QiError):
    """A wrong command-line argument: exit code 2, like Click's own usage errors."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint, exit_code=2)


class FieldError(UsageError):
    """A value the library refuses, naming the field it belongs to (`do.start`,
    `study.actual`), never a command-line flag.

    The message and hint write field names in braces (`{do.start}: ... is in the
    future`): `field` and any other fields in `mentions`. As a library error they read
    as the field names; `named` gives the same error in the words of whoever asked: a
    command's flags (`--done-start`), or a prompt's own label.
    """

    def __init__(
        self,
        field: str,
        message: str,
        hint: str | None = None,
        *,
        mentions: tuple[str, ...] = (),
        exit_code: int = 2,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.field = field
        self.fields = (field, *mentions)
        self.template = message
        self.hint_template = hint
        super().__init__(self._words(message, {}), self._words(hint, {}) if hint else None)
        self.exit_code = exit_code  # 1 when the value is well formed but taken
        self.path, self.line, self.column = path, line, column

    def _words(self, text: str, names: Mapping[str, str]) -> str:
        return name_fields(text, {name: names.get(name, name) for name in self.fields})

    def named(self, names: Mapping[str, str]) -> QiError:
        """The error with field names replaced by `names` (field -> flag or label)."""
        hint = self._words(self.hint_template, names) if self.hint_template else None
        return QiError(
            self._words(self.template, names),
            hint=hint,
            path=self.path,
            line=self.line,
            column=self.column,
            exit_code=self.exit_code,
        )


def name_fields(text: str, names: Mapping[str, str]) -> str:
    """`text` with each field of `names` written in braces (`{decimal_comma}`) replaced
    by its name there: a command's flag, a prompt's label.

    >>> name_fields("see {decimal_comma}", {"decimal_comma": "--decimal-comma"})
    'see --decimal-comma'
    """
    for field_name, name in names.items():
        text = text.replace("{" + field_name + "}", name)
    return text
