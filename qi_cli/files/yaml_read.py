"""Reading YAML the way a person means it, with the position of every value.

PyYAML implements YAML 1.1, which has traps for hand-written files: `yes`, `no`, `on`
and `off` become booleans (the "Norway problem"), `1:30` becomes 90, duplicate keys
silently keep the last value, and an impossible date such as 2025-02-30 raises a bare
ValueError. qi reads with YAML 1.2 core-schema rules instead:

- only `true` / `false` are booleans; everything else that is not a number is text;
- dates stay text here, so pydantic checks them and the error points at the value;
- a duplicate key is an error naming both lines;
- aliases (`*name`) are refused, which also stops "billion laughs" bombs.

Plain files (the shape qi writes) are read by `yamlfast`; anything else by PyYAML's C
parser where it is available (`yamlnodes`, imported only then). We compose the node
tree and build plain Python values from it ourselves, and find where a value stands
from the same tree, so a pydantic error location maps back to `path:line:column`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from qi_cli.errors import Issue, QiError
from qi_cli.files import yamlfast

if TYPE_CHECKING:
    import yaml

MAX_YAML_BYTES = 2 * 1024 * 1024
"""qi's YAML files are a few kilobytes; anything this large is a mistake or an attack."""

Key = str | int


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
            from qi_cli.files.yaml_nodes import compose

            self._node = compose(self._text, self.path)
            self._text = None
        return self._node

    def locate(self, loc: tuple[Key, ...]) -> Position | None:
        """Where the value at `loc` stands; for a missing key, where its parent stands."""
        from qi_cli.files.yaml_nodes import position, walk

        node, _, _ = walk(self.node, tuple(loc))
        return position(node) if node is not None else None

    def locate_key(self, loc: tuple[Key, ...]) -> Position | None:
        """Where the key of `loc` is written (for unknown-key errors)."""
        from qi_cli.files.yaml_nodes import position, walk

        loc = tuple(loc)
        node, key_node, found = walk(self.node, loc)
        if key_node is not None and found == len(loc):
            return position(key_node)
        return position(node) if node is not None else None

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
    from qi_cli.files.yaml_nodes import Builder, compose  # libyaml, only for the unusual file

    node = compose(text, display)
    data = Builder(display).build(node) if node is not None else None
    return YamlDocument(display, data, node)


def load_yaml(path: Path, display: str) -> YamlDocument:
    return parse_yaml(read_text(path, display), display)
