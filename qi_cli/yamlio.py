"""Reading YAML the way a person means it, with the position of every value.

PyYAML implements YAML 1.1, which has traps for hand-written files: `yes`, `no`, `on`
and `off` become booleans (the "Norway problem"), `1:30` becomes 90, duplicate keys
silently keep the last value, and an impossible date such as 2025-02-30 raises a bare
ValueError. qi reads with YAML 1.2 core-schema rules instead:

- only `true` / `false` are booleans; everything else that is not a number is text;
- dates stay text here, so pydantic checks them and the error points at the value;
- a duplicate key is an error naming both lines;
- aliases (`*name`) are refused, which also stops "billion laughs" bombs.

The parse uses PyYAML's C parser where it is available. We compose the node tree and
build plain Python values from it ourselves, recording where every value stands, so a
pydantic error location can be mapped back to `path:line:column`.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from qi_cli import yamlfast
from qi_cli.errors import Issue, QiError

try:  # the C parser is several times faster; fall back to the pure-Python one
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_YAML_BYTES = 2 * 1024 * 1024
"""qi's YAML files are a few kilobytes; anything this large is a mistake or an attack."""

Key = str | int


class _Loader(_BaseLoader):
    """A safe loader whose implicit types follow the YAML 1.2 core schema."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("bool", yamlfast.BOOL, "tTfF"),
    ("int", yamlfast.INT, "-+0123456789"),
    ("float", yamlfast.FLOAT, "-+.0123456789"),
    ("null", yamlfast.NULL, ["~", "n", "N", ""]),
):
    _Loader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(f"^{_pattern.pattern}$"), list(_first)
    )


class Position(NamedTuple):
    """Where a value stands in a file; a named tuple because there is one per node."""

    line: int  # 1-based
    column: int  # 1-based


class YamlDocument:
    """Plain Python data, and the node tree it was built from for finding positions.

    Positions are looked up only when a problem is reported, by walking the nodes along
    the problem's location; reading a valid file records none (it is the common case,
    and `qi portfolio` reads thousands of files). A document read by the fast path
    (`yamlfast`) composes its node tree with libyaml the first time it is asked.
    """

    __slots__ = ("_node", "_text", "data", "path")

    def __init__(
        self, path: str, data: Any, node: yaml.Node | None = None, text: str | None = None
    ) -> None:
        self.path = path
        self.data = data
        self._node = node
        self._text = text

    @property
    def node(self) -> yaml.Node | None:
        if self._node is None and self._text is not None:
            self._node = _compose(self._text, self.path)
            self._text = None
        return self._node

    def _walk(self, loc: tuple[Key, ...]) -> tuple[yaml.Node | None, yaml.Node | None, int]:
        """The value node and key node at `loc`, and how many parts of `loc` were found."""
        node, key_node, found = self.node, None, 0
        for part in loc:
            if isinstance(node, yaml.MappingNode) and isinstance(part, str):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and str(_scalar_value(k)) == part:
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

    def locate(self, loc: tuple[Key, ...]) -> Position | None:
        """Where the value at `loc` stands; for a missing key, where its parent stands."""
        node, _, _ = self._walk(tuple(loc))
        return _pos(node) if node is not None else None

    def locate_key(self, loc: tuple[Key, ...]) -> Position | None:
        """Where the key of `loc` is written (for unknown-key errors)."""
        loc = tuple(loc)
        node, key_node, found = self._walk(loc)
        if key_node is not None and found == len(loc):
            return _pos(key_node)
        return _pos(node) if node is not None else None

    def issue(self, loc: tuple[Key, ...], message: str, **kwargs: Any) -> Issue:
        pos = self.locate(loc)
        return Issue(
            self.path,
            message,
            line=pos.line if pos else None,
            column=pos.column if pos else None,
            **kwargs,
        )


def read_text(path: Path, display: str, *, max_bytes: int = MAX_YAML_BYTES) -> str:
    """Read a qi file as UTF-8 text, refusing what a person did not mean to give us."""
    try:
        raw = _read_bytes(path, display, max_bytes)
    except QiError:
        raise
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
    return decode(raw, display)


def _read_bytes(path: Path, display: str, max_bytes: int) -> bytes:
    """The file's bytes, read with os.open/os.read: a portfolio reads thousands of small
    files, and open() adds a file object, a buffer and two system calls to each."""
    # O_BINARY: without it Windows opens in text mode (\r\n read as \n, Ctrl-Z as the end)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(path)
        parts: list[bytes] = []
        total = info.st_size  # the size first, then what was read (a file may grow)
        while True:
            if total > max_bytes:
                raise QiError(
                    f"{display}: file is too large ({total / 1e6:.1f} MB; qi files are small)",
                    hint="check that this is the file you meant; qi refuses it to stay fast",
                    path=display,
                )
            part = os.read(fd, info.st_size + 1 if not parts else 65536)
            if not part:  # the end of the file
                return b"".join(parts)
            parts.append(part)
            total = sum(map(len, parts))
    finally:
        os.close(fd)


def decode(raw: bytes, display: str) -> str:
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
        return raw.decode("utf-8")
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


def parse_yaml(text: str, display: str) -> YamlDocument:
    """Parse one YAML document into plain data with positions; raise QiError if broken."""
    if "\t" in text:
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
    data = yamlfast.parse_simple(text)
    if data is not yamlfast.UNSURE:
        return YamlDocument(display, data, text=text)
    node = _compose(text, display)
    data = _Builder(display).build(node) if node is not None else None
    return YamlDocument(display, data, node)


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


def load_yaml(path: Path, display: str) -> YamlDocument:
    return parse_yaml(read_text(path, display), display)


def _scalar_value(node: yaml.ScalarNode) -> Any:
    """A key node's value, converted as the builder converts it (for finding positions)."""
    if node.value == "":
        return ""
    try:
        return _Builder("").build(node)
    except QiError:
        return node.value


def _pos(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str")
) | {"!"}


class _Builder:
    """Turns a composed node tree into dicts, lists and scalars; refuses what qi does not
    read (aliases, complex keys, duplicate keys, unknown tags)."""

    def __init__(self, display: str) -> None:
        self.display = display
        self._seen: set[int] = set()

    def _fail(self, node: yaml.Node, message: str, hint: str) -> QiError:
        pos = _pos(node)
        return QiError(
            f"{self.display}: {message}",
            hint=hint,
            path=self.display,
            line=pos.line,
            column=pos.column,
        )

    def build(self, node: yaml.Node) -> Any:
        if id(node) in self._seen:
            raise self._fail(
                node,
                "YAML aliases (*name) are not supported in qi files",
                "write the value out in full instead of referring to an anchor",
            )
        self._seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item) for item in node.value]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise self._fail(
                    key_node,
                    "keys must be plain words",
                    "write `name: value` with a simple name before the colon",
                )
            key = str(self._scalar(key_node)) if key_node.value != "" else ""
            if key in first_line:
                raise self._fail(
                    key_node,
                    f"duplicate key '{key}' (first on line {first_line[key]})",
                    "a key can appear once in a mapping: merge the two entries or remove one",
                )
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        tag = node.tag
        if tag in _TAGS:
            return yamlfast.scalar(tag, node.value)
        raise self._fail(
            node,
            f"unsupported YAML tag {tag}",
            "qi files use plain values: text, numbers, true/false, lists and mappings",
        )
