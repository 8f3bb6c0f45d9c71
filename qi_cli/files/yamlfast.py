"""A fast reader for the plain YAML that qi writes, with libyaml as the judge.

`qi portfolio` reads tens of thousands of small YAML files, and composing each through
libyaml builds a Python node, two marks and a resolver call for every scalar: about
half a millisecond a file. Nearly every qi file is the same simple shape: block
mappings and sequences, one-line plain or quoted scalars, `[a, b]` lists and comments.
`parse_simple` reads exactly that shape line by line, several times faster.

It is a fast path, never a second opinion: anything it is not sure of (a block scalar,
a value over two lines, an escape, an anchor or tag, a flow mapping, a document marker,
a duplicate key, an odd indent, a control character) makes it return `UNSURE`, and
the caller reads the file with libyaml as before, which also reports any error. Where
it does answer, the answer equals libyaml's under qi's YAML 1.2 rules; the test suite
checks that on every file qi ships and on fuzzed variants of them.
"""

from __future__ import annotations

import re
from typing import Any

UNSURE: Any = object()
"""Returned when the text is outside the simple shape: read it with libyaml."""

NULL = re.compile(r"(?:~|null|Null|NULL|)")
BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)")
INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)")
FLOAT = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))"
)
"""qi's YAML 1.2 core-schema scalars (full matches); yamlio's resolver uses the same."""

# Anything but printable text on lines split at \n: control characters, \r, NEL,
# the Unicode line and paragraph separators, surrogates, a stray BOM, non-characters.
# (Written as the characters it finds, not as the complement of those it allows: the
# same set, eight times quicker to compile, and it is compiled at every start.)
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(
    r"(?!(?:true|True|TRUE|false|False|FALSE|null|Null|NULL):)"  # keys libyaml reads as
    r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?"  # true, false or null are left to it
)
_key = _KEY.fullmatch
_FLOW_ITEM = re.compile(r"[A-Za-z0-9_.+][^,\[\]{}#:'\"]*")
_BLOCK_HEADER = re.compile(r"(?:- +)?(?:[A-Za-z_][A-Za-z0-9_-]*: +)?[|>]-?")
_BLOCK_HEADER_END = re.compile(r"[|>]-? *$", re.MULTILINE)
_CONTENT = re.compile(r"^( *)([^ \n#](?:[^\n]*[^ \n])?) *$", re.MULTILINE)
"""Indent and content of each line that is not blank or a comment."""
_MARKER = re.compile(r"^(?:---|\.\.\.)", re.MULTILINE)
"""A document marker: `---` or `...` at the start of a line."""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


class _Unsure(Exception):
    """Raised inside the reader to give up."""


def scalar(tag: str, value: str) -> Any:
    """A scalar's Python value from its resolved tag (shared with yamlio's builder)."""
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        try:
            return int(value, 0) if value[:2] in ("0o", "0x") else int(value)
        except ValueError:
            return value
    if tag == "tag:yaml.org,2002:float":
        low = value.lower()
        if low.endswith(".inf"):
            return float("-inf") if low.startswith("-") else float("inf")
        if low == ".nan":
            return float("nan")
        return float(value)
    return value


def plain(value: str) -> Any:
    """A plain (unquoted) scalar's value under qi's YAML 1.2 rules."""
    first = value[:1]
    if first in "~nN" and NULL.fullmatch(value):  # "" is in every string: the empty value
        return None
    if first in "tTfF" and BOOL.fullmatch(value):
        return value[0] in "tT"
    if first in "-+.0123456789":
        if INT.fullmatch(value):
            return scalar("tag:yaml.org,2002:int", value)
        if FLOAT.fullmatch(value):
            return scalar("tag:yaml.org,2002:float", value)
    return value


def parse_simple(text: str) -> Any:
    """The data in `text` if it is simple block YAML, else `UNSURE`."""
    if "\t" in text:
        return UNSURE
    # isprintable() is false for every character _UNUSUAL finds (and for a few more,
    # such as a no-break space): a quick test before the slower search
    if not text.replace("\n", "").isprintable() and _UNUSUAL.search(text):
        return UNSURE
    lines: list[tuple[int, str, list[str] | None]] | None
    if not ("|" in text or ">" in text) or _BLOCK_HEADER_END.search(text) is None:
        # no block scalars: one regex does it all
        if ("---" in text or "..." in text) and _MARKER.search(text):
            return UNSURE
        lines = [(len(indent), content, None) for indent, content in _CONTENT.findall(text)]
    else:
        lines = _tokens(text)
        if lines is None:
            return UNSURE
    if not lines:
        return UNSURE
    count = len(lines)
    lines.append(_END)
    reader = _Reader(lines)
    try:
        data = reader.block(0, lines[0][0])
    except _Unsure:
        return UNSURE
    return data if reader.at == count else UNSURE


def _tokens(text: str) -> list[tuple[int, str, list[str] | None]] | None:
    """The content lines of `text`, each with the raw lines of its block scalar if it
    starts one; None for a document marker."""
    raw = text.split("\n")
    lines: list[tuple[int, str, list[str] | None]] = []  # indent, content, block scalar
    i = 0
    while i < len(raw):
        line = raw[i]
        i += 1
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        indent = len(line) - len(content)
        if indent == 0 and content[:3] in ("---", "..."):
            return None
        content = content.rstrip(" ")
        block: list[str] | None = None
        if content[-1] in "|>-" and _BLOCK_HEADER.fullmatch(content):
            start, pad = i, " " * (indent + 1)  # the lines blank or indented under this one
            while i < len(raw) and (not raw[i].strip(" ") or raw[i].startswith(pad)):
                i += 1
            end = i
            while end > start and not raw[end - 1].strip(" "):
                end -= 1
            block = raw[start:end]
            if end < len(raw):
                block.append("")  # the last line of the scalar ends with a line break
            if any(raw[start:i][end - start :]):
                block.append(" ")  # trailing lines of spaces: content if indented enough
        lines.append((indent, content, block))
    return lines


_END = (-1, "", None)
"""After the last line: less indented than anything, so every block ends there."""


class _Reader:
    """Reads the lines (content without indent or trailing spaces, and a block
    scalar's raw lines, then "" if a line break ends them)."""

    def __init__(self, lines: list[tuple[int, str, list[str] | None]]) -> None:
        self.lines = lines
        self.at = 0

    def block(self, at: int, indent: int) -> Any:
        content = self.lines[at][1]
        if content == "-" or content[:2] == "- ":
            return self.sequence(indent)
        return self.mapping(indent)

    def _nested(self, indent: int, sequence_may_align: bool) -> Any:
        """The block under a key or dash at `indent` with nothing after it."""
        next_indent, content, _ = self.lines[self.at]
        if next_indent > indent:
            return self.block(self.at, next_indent)
        if sequence_may_align and next_indent == indent and (content == "-" or content[:2] == "- "):
            return self.sequence(indent)
        return None

    def mapping(self, indent: int, first: str | None = None) -> dict[str, Any]:
        lines = self.lines
        result: dict[str, Any] = {}
        at = self.at  # kept in a local (the hottest loop of loading a portfolio)
        while True:
            line_indent, content, block = lines[at]
            if first is not None:
                content, first = first, None
            elif line_indent != indent:
                break
            match = _key(content)
            if match is None:
                raise _Unsure
            key, rest = match.groups()
            if key in result:
                raise _Unsure
            at += 1
            if rest is None or rest[0] == "#":
                self.at = at
                result[key] = self._nested(indent, sequence_may_align=True)
                at = self.at
                continue
            c = rest[0]
            if c.isalnum() and " #" not in rest and ": " not in rest and rest[-1] != ":":
                # what inline() makes of the common value, sooner; a word that does not
                # start like null, true or false is text as it is
                result[key] = rest if c.isalpha() and c not in "nNtTfF" else plain(rest)
            else:
                result[key] = self.inline(rest, indent, block)
        self.at = at
        if lines[at][0] >= indent:
            # a dash under a mapping, an indent between two levels, or a line indented
            # under a value: a value over two lines, or an error for libyaml to name
            raise _Unsure
        return result

    def sequence(self, indent: int) -> list[Any]:
        lines = self.lines
        result: list[Any] = []
        while True:
            line_indent, content, block = lines[self.at]
            if line_indent != indent or not (content == "-" or content[:2] == "- "):
                break
            rest = content[1:].lstrip(" ")
            if not rest or rest[0] == "#":
                self.at += 1
                result.append(self._nested(indent, sequence_may_align=False))
            elif _key(rest):
                item_indent = indent + len(content) - len(rest)
                result.append(self.mapping(item_indent, first=rest))
            elif rest == "-" or rest[:2] == "- ":
                raise _Unsure  # a sequence in a sequence on one line
            else:
                self.at += 1
                result.append(self.inline(rest, indent, block))
                if lines[self.at][0] > indent:
                    raise _Unsure
        if lines[self.at][0] > indent:
            raise _Unsure
        return result

    def inline(self, rest: str, indent: int, block: list[str] | None) -> Any:
        """A value begun on the same line as its key or dash (at `indent`)."""
        first = rest[0]
        if block is not None and rest in ("|", "|-", ">", ">-"):
            return _block_scalar(rest, indent, block)
        if first == '"':
            end = rest.find('"', 1)
            if end < 0 or "\\" in rest[:end]:
                raise _Unsure
            _comment_only(rest[end + 1 :])
            return rest[1:end]
        if first == "'":
            end = 1
            while True:
                end = rest.find("'", end)
                if end < 0:
                    raise _Unsure
                if rest[end + 1 : end + 2] != "'":
                    break
                end += 2
            _comment_only(rest[end + 1 :])
            return rest[1:end].replace("''", "'")
        if first == "[":
            end = rest.find("]")
            if end < 0:
                raise _Unsure
            _comment_only(rest[end + 1 :])
            inner = rest[1:end].strip(" ")
            if not inner:
                return []
            items = [item.strip(" ") for item in inner.split(",")]
            if not all(_FLOW_ITEM.fullmatch(item) for item in items):
                raise _Unsure
            return [plain(item) for item in items]
        if first == "{":
            if rest[:2] != "{}":
                raise _Unsure
            _comment_only(rest[2:])
            return {}
        if first in _INDICATORS and not (first == "-" and rest[1:2] not in ("", " ")):
            raise _Unsure
        cut = rest.find(" #")
        if cut >= 0:
            rest = rest[:cut].rstrip(" ")
        if ": " in rest or rest[-1] == ":":
            raise _Unsure
        return plain(rest)


def _comment_only(after: str) -> None:
    """What follows a closed quote or bracket must be nothing or a comment."""
    if after and not (after[0] == " " and after.lstrip(" ")[:1] in ("", "#")):
        raise _Unsure


def _block_scalar(header: str, indent: int, block: list[str]) -> str:
    """A `|` or `>` scalar, with strip (`-`) or clip chomping, in its simplest form:
    every line at one indent (more for literal), no blank lines, no trailing spaces."""
    if block[-1:] == [" "]:
        raise _Unsure
    broken = block[-1:] == [""]
    body = block[:-1] if broken else block
    if not body:
        raise _Unsure
    first = body[0]
    at = len(first) - len(first.lstrip(" "))
    if at <= indent:
        raise _Unsure
    pad = " " * at
    for line in body:
        if not line.startswith(pad) or line[-1] == " " or not line.strip(" "):
            raise _Unsure
        if header[0] == ">" and line[at] == " ":
            raise _Unsure  # a more-indented line in a folded scalar keeps its break
    text = ("\n" if header[0] == "|" else " ").join(line[at:] for line in body)
    return text if header.endswith("-") or not broken else text + "\n"
