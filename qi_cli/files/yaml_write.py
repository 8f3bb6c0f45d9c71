"""Writing qi's YAML files so that a person's hand edits survive, byte for byte.

Reading is `yaml_read`'s job; this module writes. It is imported only by the commands
that write, because ruamel.yaml is slow to import.

How an update works ("write only what you own"):

- The patch (a nested mapping of the values to set) is applied to the file's *text*,
  one key at a time. A key that already holds a block mapping is descended into; any
  other key that must change has just its own lines re-emitted, through a ruamel.yaml
  round trip of those lines only (which keeps their comments and quoting); a new key
  is inserted where the model's field order puts it. Every other line of the file is
  kept byte for byte: comments, blank lines, odd indentation, quoting.
- The result is read back with qi's own reader and checked twice before anything is
  written: it must be valid for the pydantic model, and it must hold exactly the old
  data with the patch merged in. A bad write never lands.
- The write is atomic (`disk.write_atomic`), and read-modify-write updates hold
  `disk.project_lock`, so two terminals updating one file at once both keep their
  change.

Output is deterministic: the same file and the same patch give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from qi_cli.errors import QiError
from qi_cli.files.disk import display_path, project_lock, read_text, write_atomic
from qi_cli.files.model_errors import model_at, validation_issues
from qi_cli.files.yaml_read import parse_yaml

M = TypeVar("M", bound=BaseModel)
Patch = Mapping[str, Any]

# strings that YAML 1.1 tools (PyYAML, older editors) would read as booleans or null:
# quoted, so the file means the same thing to every tool that opens it
_AMBIGUOUS = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}
_INDENT = 2


def _yaml() -> Any:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line: one value, one line, small diffs
    yaml.allow_unicode = True
    yaml.indent(mapping=_INDENT, sequence=_INDENT + 2, offset=_INDENT)
    return yaml


def _load_rt(text: str, display: str) -> Any:
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise QiError(
            f"{display}: cannot update this file: {exc.problem or exc.context}",
            hint="fix the file first (qi validate shows where)",
            path=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except YAMLError as exc:
        raise QiError(f"{display}: cannot update this file: {exc}", path=display) from None


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def to_yaml(value: Any) -> Any:
    """Plain Python data as ruamel nodes, in the order given, written the readable way."""
    if isinstance(value, Mapping):
        return CommentedMap((k, to_yaml(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return CommentedSeq(to_yaml(v) for v in value)
    if isinstance(value, str):
        if "\n" in value:
            return LiteralScalarString(value)
        if value.lower() in _AMBIGUOUS:
            return DoubleQuotedScalarString(value)
    return value


def yaml_scalar(value: object) -> str:
    """A value written as a YAML scalar that reads back as exactly the same value.

    >>> yaml_scalar("Reduce falls: 20% by March")
    '"Reduce falls: 20% by March"'
    >>> yaml_scalar("Ward 7")
    'Ward 7'
    >>> yaml_scalar("yes")
    '"yes"'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 .,()'/-]*", text) and not text.endswith(" ")
    special = text.lower() in {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
    if plain and not special:
        return text
    return json.dumps(text, ensure_ascii=False)


def render(data: Mapping[str, Any], *, header: str | None = None) -> str:
    """A new file's text: the data in the given key order, after an optional comment."""
    text = _dump(to_yaml(data))
    if header:
        text = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines()) + text
    return text


# --- the text splice ------------------------------------------------------------------


def field_order(model: type[BaseModel] | None, path: tuple[str, ...]) -> list[str]:
    """The keys of the mapping at `path`, in the model's order ([] for free mappings).

    >>> from qi_cli.cycle_model import Cycle
    >>> field_order(Cycle, ("act",))
    ['decision', 'next_steps']
    """
    found = model_at(model, path) if model is not None else None
    return list(found.model_fields) if found is not None else []


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_filler(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _block_end(lines: list[str], node: Any, key: str, region_end: int) -> int:
    """The line after the last line of `key`'s entry (trailing comments at or left of
    the key's column are not part of it: they usually introduce what follows)."""
    line, column = node.lc.key(key)
    later = [node.lc.key(k)[0] for k in node if node.lc.key(k)[0] > line]
    end = min([*later, region_end])
    while end > line + 1 and _is_filler(lines[end - 1]):
        if lines[end - 1].strip() and _indent_of(lines[end - 1]) > column:
            break
        end -= 1
    return int(end)


def _is_block_mapping(node: Any, key: str) -> bool:
    value = node[key]
    return (
        isinstance(value, CommentedMap)
        and len(value) > 0
        and value.lc.key(next(iter(value)))[0] > node.lc.key(key)[0]
    )


def _locate(doc: Any, lines: list[str], path: tuple[str, ...]) -> tuple[Any, int]:
    """The mapping at `path` and the end of its lines (it starts after its key)."""
    node, end = doc, len(lines)
    for part in path:
        end = _block_end(lines, node, part, end)
        node = node[part]
    return node, end


def merge(old: Any, new: Any) -> Any:
    """Merge a patch into plain data: mappings key by key, lists item by item.

    >>> merge({"a": 1, "b": {"c": 2}}, {"b": {"d": 3}})
    {'a': 1, 'b': {'c': 2, 'd': 3}}
    >>> merge([{"x": 1}, {"x": 2}], [{"y": 1}])
    [{'x': 1, 'y': 1}, {'x': 2}]
    """
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = merge(old[key], value) if key in old else value
        return merged
    if isinstance(old, list) and isinstance(new, list):
        items = [merge(o, n) for o, n in zip(old, new, strict=False)]
        return items + (old[len(new) :] if len(old) > len(new) else list(new[len(old) :]))
    return new


def _merge_rt(old: Any, new: Any) -> Any:
    """`merge` on ruamel nodes, in place where possible so their comments survive."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        if not old:
            old.fa.set_block_style()
        for key, value in new.items():
            old[key] = _merge_rt(old[key], value) if key in old else to_yaml(value)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        for i, value in enumerate(new):
            if i < len(old):
                old[i] = _merge_rt(old[i], value)
            else:
                old.append(to_yaml(value))
        return old
    return to_yaml(new)


def _reindent(text: str, column: int) -> list[str]:
    pad = " " * column
    return [(pad + line if line.strip() else line) + "\n" for line in text.splitlines()]


def _splice_key(
    text: str,
    display: str,
    model: type[BaseModel] | None,
    path: tuple[str, ...],
    key: str,
    value: Any,
) -> str:
    lines = text.splitlines(keepends=True)
    doc = _load_rt(text, display)
    if doc is None:
        doc = to_yaml({})
    node, region_end = _locate(doc, lines, path)
    if key in node:
        if isinstance(value, Mapping) and _is_block_mapping(node, key):
            for sub_key, sub_value in value.items():
                text = _splice_key(text, display, model, (*path, key), sub_key, sub_value)
            return text
        # re-emit this key's own lines through a round trip, keeping their comments
        start, column = node.lc.key(key)
        end = _block_end(lines, node, key, region_end)
        block = "".join(line[min(column, _indent_of(line)) :] for line in lines[start:end])
        entry = _load_rt(block, display)
        entry[key] = _merge_rt(entry[key], value)
        return "".join([*lines[:start], *_reindent(_dump(entry), column), *lines[end:]])
    # a new key: after the last present key that comes before it in the model's order
    order = field_order(model, path)
    rank = {k: i for i, k in enumerate(order)}
    present = sorted(node, key=lambda k: node.lc.key(k)[0])
    if present:
        column = node.lc.key(present[0])[1]
        before = [k for k in present if rank.get(k, len(rank)) < rank.get(key, len(rank))]
        if before and order:
            at = _block_end(lines, node, before[-1], region_end)
        elif order:
            at = node.lc.key(present[0])[0]
        else:
            at = _block_end(lines, node, present[-1], region_end)
    else:  # an empty document
        column, at = 0, len(lines)
    if at > 0 and at <= len(lines) and not lines[at - 1].endswith("\n"):
        lines[at - 1] += "\n"
    new = _reindent(_dump(to_yaml({key: value})), column)
    return "".join([*lines[:at], *new, *lines[at:]])


def splice(text: str, patch: Patch, model: type[BaseModel], display: str = "<file>") -> str:
    """Apply `patch` to a YAML file's text, changing only the lines that must change.

    >>> from qi_cli.cycle_model import Cycle
    >>> text = "change: x   # the idea\\nplan:\\n    objective: try it\\n"
    >>> print(splice(text, {"act": {"decision": "adopt"}}, Cycle), end="")
    change: x   # the idea
    plan:
        objective: try it
    act:
      decision: adopt
    """
    for key, value in patch.items():
        text = _splice_key(text, display, model, (), key, value)
    return text


def rename_key(text: str, display: str, path: tuple[str, ...], old: str, new: str) -> str:
    """Rename the key `old` of the mapping at `path`, changing only that key's text.

    >>> print(rename_key("a:\\n  x: 1  # one\\n  y: 2\\n", "<file>", ("a",), "x", "z"), end="")
    a:
      z: 1  # one
      y: 2
    """
    lines = text.splitlines(keepends=True)
    node = _load_rt(text, display)
    for part in path:
        node = node[part]
    line, column = node.lc.key(old)
    row = lines[line]
    for written in (old, f'"{old}"', f"'{old}'"):
        if row.startswith(written, column) and row[column + len(written) :][:1] in (":", " "):
            lines[line] = row[:column] + new + row[column + len(written) :]
            return "".join(lines)
    raise QiError(
        f"{display}:{line + 1}: cannot rename '{old}' as written on this line",
        hint="rename it by hand in the file",
        path=display,
        line=line + 1,
    )


# --- checking before writing -------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Data as qi's reader returns it: dates are text, mappings are dicts."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


def drop_empty(value: Any) -> Any:
    """Plain data without the keys and list items left empty.

    >>> drop_empty({"a": None, "b": [{"c": ""}, {"c": 1}], "d": {}})
    {'b': [{'c': 1}]}
    """
    if isinstance(value, dict):
        kept = {k: drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [drop_empty(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


def read_model(text: str, display: str, model: type[M], *, empty_ok: bool = False) -> tuple[M, Any]:
    """Parse and validate text exactly as `qi validate` would; raise QiError if bad.

    With empty_ok, keys left empty (a worksheet's blanks) are ignored; errors still
    point at the line in `text`.
    """
    doc = parse_yaml(text, display)
    if empty_ok and isinstance(doc.data, dict):
        doc.data = drop_empty(doc.data)
    if not isinstance(doc.data, dict):
        raise QiError(
            f"{display}: expected a mapping of `key: value` lines",
            hint="see docs/format.md",
            path=display,
            line=1,
            column=1,
        )
    try:
        return model.model_validate(doc.data), doc.data
    except ValidationError as exc:
        issues = list(validation_issues(exc, doc, model))
        first = issues[0]
        error = QiError.from_issue(first)
        error.message = f"{first.path}: {first.message}"
        error.issues = issues
        raise error from None


def check(text: str, display: str, model: type[M], expected: Any) -> M:
    """Validate text that is about to be written, and confirm it holds `expected`."""
    value, data = read_model(text, display, model)
    if _plain(expected) != data:
        raise QiError(
            f"{display}: qi could not update this file safely; nothing was written",
            hint="this is a bug in qi: please report it, with the file",
            path=display,
        )
    return value


# --- writing -----------------------------------------------------------------------------


def create_file(
    path: Path, data: Mapping[str, Any], model: type[M], *, header: str | None = None
) -> M:
    """Write a new file; refuse to replace one that exists."""
    text = render(data, header=header)
    value = check(text, display_path(path), model, data)
    write_atomic(path, text, overwrite=False)
    return value


def create_text(path: Path, text: str, model: type[M]) -> M:
    """Write a new file from text a person wrote (e.g. in their editor)."""
    value, _ = read_model(text, display_path(path), model)
    write_atomic(path, _with_newline(text), overwrite=False)
    return value


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def update_file(
    root: Path,
    path: Path,
    model: type[M],
    make_patch: Callable[[M, str], Patch],
    *,
    empty: str | None = None,
) -> tuple[M, str, str]:
    """Read-modify-write one file under the project lock.

    `make_patch(current, text)` sees the file as it is now, inside the lock, and returns
    what to change (it may raise QiError: then nothing is written). `empty` is the text
    to start from when the file does not exist yet. Returns the new value, the old text
    and the new text.
    """
    display = display_path(path)
    with project_lock(root):
        missing = empty is not None and not path.exists()
        old_text = empty if missing and empty is not None else read_text(path, display, root=root)
        current, old_data = read_model(old_text, display, model)
        patch = make_patch(current, old_text)
        if not patch:
            return current, old_text, old_text
        new_text = _with_newline(splice(old_text, patch, model, display))
        value = check(new_text, display, model, merge(old_data, _plain(patch)))
        if new_text != old_text:
            write_atomic(path, new_text, overwrite=True)
        return value, old_text, new_text


def replace_text(root: Path, path: Path, text: str, model: type[M], *, expected_old: str) -> M:
    """Replace a file with text a person edited, unless it changed while they typed."""
    display = display_path(path)
    value, _ = read_model(text, display, model)
    with project_lock(root):
        now = read_text(path, display, root=root)
        if now != expected_old:
            fd, kept = tempfile.mkstemp(prefix=f"qi-{path.stem}-", suffix=".yaml")
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            raise QiError(
                f"{display}: changed by someone else while you were editing; not saved",
                hint=f"your text is kept in {kept}: run the command again and copy it in",
                path=display,
            )
        write_atomic(path, _with_newline(text), overwrite=True)
    return value


def strip_comment_lines(text: str, prefix: str) -> str:
    """Remove the lines qi added at the top of an editor buffer (they start with prefix).

    >>> strip_comment_lines("# qi: error\\nchange: x\\n", "# qi:")
    'change: x\\n'
    """
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(prefix))


def prune(text: str, display: str) -> str:
    """Drop the keys a worksheet left empty, keeping the comments of the rest.

    >>> print(prune("a: 1  # one\\nb:\\nc:\\n  - d:\\n  - d: 2\\n", "<file>"), end="")
    a: 1  # one
    c:
      - d: 2
    """

    def empty(value: Any) -> bool:
        return value is None or (isinstance(value, (str, Mapping, list)) and not value)

    def walk(value: Any) -> Any:
        if isinstance(value, CommentedMap):
            for key in list(value):
                value[key] = walk(value[key])
                if empty(value[key]):
                    del value[key]
        elif isinstance(value, CommentedSeq):
            for i in reversed(range(len(value))):
                value[i] = walk(value[i])
                if empty(value[i]):
                    del value[i]
        return value

    data = walk(_load_rt(text, display))
    return "" if empty(data) else _dump(data)
