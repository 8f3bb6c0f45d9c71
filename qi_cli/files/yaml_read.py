"""Reading YAML the way a person means it, with the position of every value.

PyYAML implements YAML 1.1, which has traps for hand-written files: `yes`, `no`, `on`
and `off` become booleans (the "Norway problem"), `1:30` becomes 90, `017` becomes 15,
duplicate keys silently keep the last value, and an impossible date such as 2025-02-30
raises a bare ValueError. qi reads with YAML 1.2 core-schema rules instead:

- only `true` / `false` are booleans; everything else that is not a number is text;
- dates stay text here, so pydantic checks them and the error points at the value;
- a key is the text written in the file, never a resolved value: `017:` is the id
  `017`, `on:` is `on`, `1e3:` is `1e3`;
- a duplicate key is an error naming both lines;
- aliases (`*name`), merge keys (`<<`) and tabs used as indentation are refused; no
  aliases also stops "billion laughs" bombs.

Every file is composed by libyaml (PyYAML's C parser where it is built, else its
pure-Python one) into a node tree that keeps the position of each node. We build plain
Python values from that tree ourselves, and find where a value stands from the same
tree, so a pydantic error location maps back to `path:line:column`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from qi_cli.errors import Issue, QiError, excerpt
from qi_cli.files.disk import read_text

try:  # the C parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

Key = str | int


class Position(NamedTuple):
    """Where a value stands in a file (1-based line and column)."""

    line: int
    column: int


_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

# The YAML 1.2 core schema's plain scalars (https://yaml.org/spec/1.2.2/#1032-tag-resolution)
_BOOL_TEXT = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT_TEXT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT_TEXT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_NULL_TEXT = re.compile(r"~|null|Null|NULL")


def _plain_tag(value: str) -> str:
    """The tag of a plain (unquoted) scalar under the YAML 1.2 core schema: only these
    forms are null, booleans and numbers; everything else (`yes`, `on`, `1:30`,
    `2025-02-30`) is text."""
    first = value[:1]
    if not value or (first in "~nN" and _NULL_TEXT.fullmatch(value)):
        return _NULL
    if first in "tTfF" and _BOOL_TEXT.fullmatch(value):
        return _BOOL
    if first in "-+.0123456789":
        if _INT_TEXT.fullmatch(value):
            return _INT
        if _FLOAT_TEXT.fullmatch(value):
            return _FLOAT
    return _STR


_MAYBE_NOT_TEXT = frozenset("~nNtTfF-+.0123456789")
"""The first characters of the plain scalars that are not text (`_plain_tag`); an empty
value (null) has none."""

_PLAIN = "?"
"""YAML's non-specific tag of a plain scalar: the builder resolves it (`_plain_tag`)."""


class _Loader(_BaseLoader):
    """A safe loader that leaves the tag of a plain scalar unresolved (`?`).

    The builder resolves it under the YAML 1.2 core schema, and only for a value: a key
    is its text, never resolved. PyYAML's own resolver (YAML 1.1 rules, tried through a
    table of patterns and the machinery for path resolvers, which qi does not use) took
    half the time of composing a file, and `qi portfolio` composes 27,000 of them for
    1,000 projects (bench/bench.py).
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track on the way down."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track on the way up."""


_TAGS = frozenset((_PLAIN, _STR, _NULL, _BOOL, _INT, _FLOAT))
"""The tags of the scalars qi reads."""
MAX_DEPTH = 64
"""How deeply lists and mappings may nest: qi's files go six levels deep; hundreds of
levels are a mistake or an attack, and would exhaust Python's stack (RecursionError)."""


class YamlDocument:
    """Plain Python data, and the text it was read from for finding positions.

    Positions are looked up only when a problem is reported: the node tree is composed
    again then, by walking the nodes along the problem's location. A document does not
    keep its first node tree: `qi portfolio` holds the documents of thousands of files,
    and keeping their trees made it three times slower (bench/bench.py, 1,000 projects),
    the garbage collector walking them again and again.
    """

    __slots__ = ("_node", "data", "path", "text")

    def __init__(self, path: str, data: Any, text: str) -> None:
        self.path = path
        self.data = data
        self.text = text
        self._node: yaml.Node | None = None

    @property
    def node(self) -> yaml.Node | None:
        """The node tree of the text (composed the first time it is asked for)."""
        if self._node is None and self.data is not None:
            self._node = _compose(self.text, self.path)
        return self._node

    def locate(self, loc: tuple[Key, ...]) -> Position | None:
        """Where the value at `loc` stands; for a missing key, where its parent stands."""
        node, _, _ = _walk(self.node, tuple(loc))
        return _position(node) if node is not None else None

    def locate_key(self, loc: tuple[Key, ...]) -> Position | None:
        """Where the key of `loc` is written (for unknown-key errors)."""
        loc = tuple(loc)
        node, key_node, found = _walk(self.node, loc)
        if key_node is not None and found == len(loc):
            return _position(key_node)
        return _position(node) if node is not None else None

    def issue(self, loc: tuple[Key, ...], message: str, **kwargs: Any) -> Issue:
        pos = self.locate(loc)
        return Issue(
            self.path,
            message,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
            **kwargs,
        )


def load_yaml(path: Path, display: str, *, root: Path | None = None) -> YamlDocument:
    """Read and parse one YAML file (of the project at `root`: see `disk.read_text`);
    raise QiError if it cannot be read or is broken."""
    return parse_yaml(read_text(path, display, root=root), display)


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse one YAML document into plain data with positions; raise QiError if broken."""
    if "\t" in text:
        _refuse_tab_indent(text, display)
    node = _compose(text, display)
    data = _Builder(display, aliases="*" in text).build(node) if node is not None else None
    return YamlDocument(display, data, text)


def _refuse_tab_indent(text: str, display: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip())]
        if "\t" in indent:
            raise QiError(
                f"{display}: a tab is used for indentation",
                hint="YAML indents with spaces only: replace the tab with spaces",
                path=display,
                line=number,
                column=indent.index("\t") + 1,
            )


def _compose(text: str, display: str) -> yaml.Node | None:
    """libyaml's node tree of `text`; a syntax error becomes a QiError at its position."""
    try:
        loader = _Loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        raise QiError(
            f"{display}: YAML syntax error: {problem}",
            hint="check the indentation and the quoting near this position; "
            "text with ': ' or '#' in it needs quotes",
            path=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except yaml.YAMLError as exc:
        raise QiError(f"{display}: YAML error: {exc}", path=display) from None


def _walk(
    node: yaml.Node | None, loc: tuple[Key, ...]
) -> tuple[yaml.Node | None, yaml.Node | None, int]:
    """The value node and key node at `loc`, and how many parts of `loc` were found.

    A key is matched by its text as written, exactly as the builder names it."""
    key_node: yaml.Node | None = None
    found = 0
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == part:
                    node, key_node = v, k
                    break
            else:
                return node, None, found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                return node, None, found
            node, key_node = node.value[part], None
        else:
            return node, None, found
        found += 1
    return node, key_node, found


def _position(node: yaml.Node) -> Position:
    return Position(line=node.start_mark.line + 1, column=node.start_mark.column + 1)


def _scalar(tag: str, value: str) -> Any:
    """A scalar's Python value from its tag (a plain scalar's is resolved here); text
    when an explicit tag does not fit (`!!int x`), for pydantic to refuse with the
    value's position."""
    if tag == _PLAIN:
        tag = _plain_tag(value)
    if tag == _STR:  # most values are text
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() == "true"
    try:
        if tag == _INT:
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        if tag == _FLOAT:
            low = value.lower()
            if low.endswith(".inf"):
                return float("-inf") if low.startswith("-") else float("inf")
            if low == ".nan":
                return float("nan")
            return float(value)
    except ValueError:
        return value
    return value


def _plain_value(value: str) -> Any:
    """A plain (unquoted) scalar's value under the YAML 1.2 core schema (`_plain_tag`)."""
    if value and value[0] not in _MAYBE_NOT_TEXT:  # most values are words: text at once
        return value
    return _scalar(_plain_tag(value), value)


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars; refuses what qi does not
    read (aliases, merge keys, complex keys, duplicate keys, unknown tags).

    A key or value that is a plain word is read in the mapping's loop, without a call
    for its node: most of a qi file is such words (a project's 27 files: 4.3 M
    instructions to build, 7.7 M with a call a node; bench/bench.py's portfolio)."""

    def __init__(self, display: str, *, aliases: bool = True) -> None:
        self.display = display
        # an alias is written `*name`: a text without `*` has none to look for
        self._seen: set[int] | None = set() if aliases else None

    def _fail(self, node: yaml.Node, message: str, hint: str) -> QiError:
        pos = _position(node)
        return QiError(
            f"{self.display}: {message}",
            hint=hint,
            path=self.display,
            line=pos.line,
            column=pos.column,
        )

    def build(self, node: yaml.Node, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise self._fail(
                node,
                f"nested too deeply (more than {MAX_DEPTH} levels of lists and mappings)",
                "qi files nest a few levels deep: check the indentation from here up",
            )
        if self._seen is not None:
            self._once(node)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        return [self.build(item, depth + 1) for item in node.value]

    def _once(self, node: yaml.Node) -> None:
        """Refuse a node met before: an alias (`*name`) is the node of its anchor."""
        assert self._seen is not None
        if id(node) in self._seen:
            raise self._fail(
                node,
                "YAML aliases (*name) are not supported in qi files",
                "write the value out in full instead of referring to an anchor",
            )
        self._seen.add(id(node))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _PLAIN:
            return _plain_value(node.value)
        if node.tag in _TAGS:
            return _scalar(node.tag, node.value)
        raise self._unsupported_tag(node)

    def _mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        quick = self._seen is None and depth < MAX_DEPTH  # no alias, a value may nest
        for key_node, value_node in node.value:
            if quick and type(key_node) is yaml.ScalarNode and key_node.tag == _PLAIN:
                key = key_node.value
                if key == "<<":
                    key = self._key(key_node)  # refused
            else:
                key = self._key(key_node)
            if key in result:
                # the earlier keys are all plain scalars: `_key` has read them
                first = next(k for k, _ in node.value if k.value == key)
                raise self._fail(
                    key_node,
                    f"duplicate key {excerpt(key)} (first on line {_position(first).line})",
                    "a key can appear once in a mapping: merge the two entries or remove one",
                )
            if quick and type(value_node) is yaml.ScalarNode and value_node.tag == _PLAIN:
                result[key] = _plain_value(value_node.value)
            else:
                result[key] = self.build(value_node, depth + 1)
        return result

    def _key(self, node: yaml.Node) -> str:
        """A key is the text written in the file: `017:` is "017", never 17."""
        if not isinstance(node, yaml.ScalarNode):
            raise self._fail(
                node,
                "keys must be plain words",
                "write `name: value` with a simple name before the colon",
            )
        if self._seen is not None:
            self._once(node)
        if node.value == "<<" and not node.style:  # plain, not quoted
            raise self._fail(
                node,
                "merge keys (<<) are not supported in qi files",
                "write the keys out in full instead of merging another mapping",
            )
        if node.tag not in _TAGS:
            raise self._unsupported_tag(node)
        return str(node.value)

    def _unsupported_tag(self, node: yaml.Node) -> QiError:
        return self._fail(
            node,
            f"unsupported YAML tag {node.tag}",
            "qi files use plain values: text, numbers, true/false, lists and mappings",
        )
