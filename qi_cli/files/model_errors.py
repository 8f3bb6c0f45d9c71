"""Pydantic's validation errors as issues at `path:line:column`, with a hint each.

A pydantic error names a location in the data (`("plan", "questions", 0,
"prediction")`); the YAML document read by `yaml_read` finds where that location is
written. Unknown keys get a "did you mean" hint from the model's own field names.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from qi_cli.errors import Issue, excerpt
from qi_cli.files.yaml_read import YamlDocument

_HINTS = {
    "missing": "add this key; see docs/format.md for an example",
    "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "date_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "date_type": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "bool_type": "write true or false (qi does not read yes/no/on/off as true/false)",
    "bool_parsing": "write true or false (qi does not read yes/no/on/off as true/false)",
    "float_parsing": "write a number, e.g. 4.5",
    "float_type": "write a number, e.g. 4.5",
    "int_parsing": "write a whole number, e.g. 12",
    "int_type": "write a whole number, e.g. 12",
    "string_type": "write text here (a list, a mapping or true/false is not allowed)",
    "date_from_datetime_inexact": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "date_future": "write dates as YYYY-MM-DD, e.g. 2025-03-04",
    "list_type": "write a list: one `- item` per line",
    "dict_type": "write a mapping of `key: value` lines",
    "model_type": "write a mapping of `key: value` lines",
    "format_version": "write the version as a number, without quotes: format: 1",
    "format_newer": "a newer qi wrote this project: update qi (pip install -U qi-cli)",
    "string_pattern_mismatch": "ids use lower-case letters, digits and hyphens, e.g. physio-review",
    # a cycle's `change:` (qi_cli.model.change_ids)
    "change_type": "write one id (change: night-lights) or a list (change: [night-lights, "
    "quiet-hours])",
    "change_empty": "write one id (change: night-lights) or a list of the ids tested together",
    "change_repeated": "list each change idea once",
}


def _unwrap(annotation: Any) -> Any:
    """`X` from `X | None` and `Annotated[X, ...]`; other unions stay as they are."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    return annotation


def model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that describes the mapping at `loc`, to list its keys.

    >>> from qi_cli.cycle_model import Cycle
    >>> model_at(Cycle, ("study", "answers", 0)).__name__, model_at(Cycle, ("change",))
    ('Answer', None)
    """
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) and origin is list:
            current = typing.get_args(current)[0]
        elif isinstance(part, str) and origin is dict:
            current = typing.get_args(current)[1]
        elif isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return None
            current = info.annotation
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_issues(
    exc: ValidationError, doc: YamlDocument, model: type[BaseModel]
) -> Iterator[Issue]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        hint = _HINTS.get(kind)
        if kind == "extra_forbidden":
            key = str(loc[-1])
            parent = model_at(model, loc[:-1])
            allowed = list(parent.model_fields) if parent else []
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"allowed keys: {', '.join(allowed)}" if allowed else None)
            )
            pos = doc.locate_key(loc)
            yield Issue(
                doc.path,
                f"unknown key {excerpt(key)}",
                line=pos.line if pos else None,
                column=pos.column if pos else None,
                hint=hint,
            )
            continue
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if kind == "missing":
            message = f"missing required key '{loc[-1]}'"
            loc_text = _dotted(loc[:-1])
            yield doc.issue(loc, f"{loc_text}: {message}" if loc_text else message, hint=hint)
            continue
        elif kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            hint = f"choose one of: {expected}"
            message = f"{excerpt(error['input'])} is not allowed here"
        elif kind == "string_pattern_mismatch":
            message = f"{excerpt(error['input'])} is not a valid id"
        elif kind == "bool_type" and isinstance(error.get("input"), str):
            message = f"{excerpt(error['input'])} is not true or false"
        where = _dotted(loc)
        yield doc.issue(loc, f"{where}: {message}" if where else message, hint=hint)
