"""The fast YAML reader answers exactly as libyaml does, or not at all.

`yamlfast.parse_simple` may return UNSURE for anything; whenever it returns data, that
data must equal what libyaml (qi's YAML 1.2 resolver and builder) makes of the same
text, and libyaml must accept the text. These tests check that on every YAML file qi
ships or writes, on a table of traps, and on many thousands of generated and mutated
texts. They also check that the files qi writes really take the fast path.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.errors import QiError
from qi_cli.files import yamlfast
from qi_cli.files.yaml_nodes import Builder, compose
from qi_cli.files.yaml_read import parse_yaml
from tests.conftest import base_files, run

ROOT = Path(__file__).resolve().parent.parent
UNSURE = yamlfast.UNSURE


def libyaml(text: str) -> Any:
    node = compose(text, "f.yaml")
    return Builder("f.yaml").build(node) if node is not None else None


def same(a: Any, b: Any) -> bool:
    """Equal in value, type (True is not 1) and key order; NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def check(text: str) -> Any:
    """parse_simple's answer, after checking it against libyaml's."""
    fast = yamlfast.parse_simple(text)
    if fast is UNSURE:
        return fast
    try:
        full = libyaml(text)
    except QiError as exc:  # pragma: no cover - shown only when the test fails
        raise AssertionError(f"fast path accepted what libyaml refuses: {text!r}\n{exc}") from exc
    assert same(fast, full), f"{text!r}\nfast: {fast!r}\nlibyaml: {full!r}"
    return fast


def written_files(tmp_path: Path) -> list[Path]:
    """The YAML of the demo project, a new blank project and a generated bench project."""
    from typer.testing import CliRunner

    runner = CliRunner()
    assert run(runner, "demo", "--dir", str(tmp_path / "demo"))[0] == 0
    assert run(runner, "project", "new", "Falls on ward 7", "--dir", str(tmp_path))[0] == 0
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "gen_portfolio.py"),
            str(tmp_path / "gen"),
            "--projects",
            "2",
            "--cycles",
            "5",
        ],
        check=True,
        capture_output=True,
    )
    files = sorted(tmp_path.rglob("*.yaml"))
    assert len(files) > 30
    return files


def test_every_file_qi_writes_takes_the_fast_path_and_agrees(tmp_path: Path) -> None:
    for path in written_files(tmp_path):
        text = path.read_text(encoding="utf-8")
        assert check(text) is not UNSURE, f"{path} fell back to libyaml"


def test_shipped_and_test_files_agree() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates").rglob("*.yaml"))]
    texts += [text for name, text in base_files().items() if name.endswith(".yaml")]
    answered = [t for t in texts if check(t) is not UNSURE]
    assert len(answered) >= len(texts) - 2  # the two {{placeholder}} project templates


# fmt: off
TRAPS: list[tuple[str, Any]] = [
    ("a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 017\n", {"a": 1, "b": -2, "c": 31, "d": 15, "e": 17}),
    ("a: 1.5\nb: .5\nc: 1e3\nd: -.inf\ne: .NaN\n", None),  # NaN: compared with libyaml
    ("a: true\nb: False\nc: yes\nd: no\ne: on\n", {"a": True, "b": False, "c": "yes", "d": "no", "e": "on"}),  # noqa: E501
    ("a: ~\nb: null\nc:\nd: Null\ne: nil\n", {"a": None, "b": None, "c": None, "d": None, "e": "nil"}),  # noqa: E501
    ("date: 2026-02-30\ntime: 1:30\n", {"date": "2026-02-30", "time": "1:30"}),
    ("a: x #c\nb: x#c\nc: 'q' # c\n", {"a": "x", "b": "x#c", "c": "q"}),
    ("a: 'it''s'\nb: \"say 'hi'\"\nc: ''\nd: \"\"\n", {"a": "it's", "b": "say 'hi'", "c": "", "d": ""}),  # noqa: E501
    ("a: http://x.org/a?b=c\nb: Ward 7, bay 3\n", {"a": "http://x.org/a?b=c", "b": "Ward 7, bay 3"}),  # noqa: E501
    ("m: [a, b-c, 1, true]\nn: []\no: {}\n", {"m": ["a", "b-c", 1, True], "n": [], "o": {}}),
    ("q:\n  - question: Q?\n    prediction: P\n  - question: R?\n", {"q": [{"question": "Q?", "prediction": "P"}, {"question": "R?"}]}),  # noqa: E501
    ("q:\n- 1\n- -2\nr: x\n", {"q": [1, -2], "r": "x"}),
    ("- a\n-\n- - b\n", UNSURE),
    ("-\n  a: 1\n- b\n", [{"a": 1}, "b"]),
    ("a: >-\n  one\n  two\nb: |\n  x\n    y\n  # z\nc: 1\n", {"a": "one two", "b": "x\n  y\n# z\n", "c": 1}),  # noqa: E501
    ("a: >\n  one\n\n  two\n", UNSURE),  # a blank line in a folded scalar
    ("a: |-\n  x\n", {"a": "x"}),
    ("a: |\n  x", {"a": "x"}),  # no final line break, nothing to clip
    ("a: b: c\n", UNSURE),  # libyaml: mapping values are not allowed here
    ("a: x\n  y\n", UNSURE),  # a plain scalar over two lines
    ("a: 1\na: 2\n", UNSURE),  # duplicate: libyaml's reader names both lines
    ("a: &x 1\nb: *x\n", UNSURE),
    ("a: !!str 1\n", UNSURE),
    ("a: \"x\\ty\"\n", UNSURE),
    ("---\na: 1\n", UNSURE),
    ("a:\n  b: 1\n c: 2\n", UNSURE),  # an indent between two levels
    ("a: 1\n- b\n", UNSURE),
    ("a: [b, [c]]\n", UNSURE),
    ("a: {b: 1}\n", UNSURE),
    ("true: 1\n", UNSURE),
    ("a: x\r\nb: y\r\n", UNSURE),
    ("a: x\u2028y\n", UNSURE),
    ("# only a comment\n", UNSURE),
    ("", UNSURE),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), TRAPS)
def test_traps(text: str, expected: Any) -> None:
    answer = check(text)
    if expected is UNSURE:
        assert answer is UNSURE
    elif expected is not None:
        assert same(answer, expected), answer


def yaml_printable(c: int) -> bool:
    """YAML 1.2's c-printable set, from the spec (production [1])."""
    return (
        c in (0x09, 0x0A, 0x0D, 0x85)
        or 0x20 <= c <= 0x7E
        or 0xA0 <= c <= 0xD7FF
        or 0xE000 <= c <= 0xFFFD
        or 0x10000 <= c <= 0x10FFFF
    )


def test_unusual_characters_are_exactly_those_libyaml_must_read() -> None:
    # The fast path sends to libyaml every character outside c-printable, and also
    # those with a special meaning to a line reader: tab, \r, NEL, the line and
    # paragraph separators, and a BOM inside the text.
    special = {0x09, 0x0D, 0x85, 0x2028, 0x2029, 0xFEFF}
    edges = {0, 0x9F, 0xA0, 0xD7FF, 0xD800, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF}
    edges |= {0x10000, 0x10FFFF, 0x2027, 0x202A, 0xFEFE, 0xFF00}
    codes = set(range(0x3000)) | {e + d for e in edges for d in (-1, 0, 1)}
    for c in sorted(codes & set(range(0x110000))):
        expected = c != 0x0A and (not yaml_printable(c) or c in special)
        found = yamlfast._UNUSUAL.search(chr(c)) is not None or chr(c) == "\t"
        assert found == expected, hex(c)


def test_a_fast_document_still_finds_positions() -> None:
    doc = parse_yaml("a: 1\nb:\n  - x\n  - y: [1, 2]\n", "f.yaml")
    assert doc.data == {"a": 1, "b": ["x", {"y": [1, 2]}]}
    pos = doc.locate(("b", 1, "y", 1))
    assert pos is not None and (pos.line, pos.column) == (4, 12)
    pos = doc.locate_key(("b", 1, "y"))
    assert pos is not None and (pos.line, pos.column) == (4, 5)


# Lines built from the pieces where YAML readers differ; most texts are valid YAML.
KEYS = st.sampled_from(["a", "b", "key_2", "a-b", "_x", "Key", "true", "null", "x y", "1"])
SEPARATORS = st.sampled_from([": ", ":", ":  ", " : ", ": # c"])
VALUES = st.sampled_from(
    [
        "",
        "x",
        "x y",
        "1",
        "-1",
        "+1",
        "0x1F",
        "0o17",
        "0b1",
        "1_000",
        "1e3",
        ".5",
        "1.",
        ".inf",
        "-.Inf",
        ".NaN",
        "~",
        "null",
        "NULL",
        "True",
        "yes",
        "2026-02-30",
        "a #b",
        "a#b",
        "a # b: c",
        "'it''s'",
        "'a",
        "'a' b",
        "'a' #c",
        '"x"',
        '"a\\"b"',
        '"a" ',
        "[a, b]",
        "[]",
        "[ ]",
        "[a,,b]",
        "[a, b,]",
        "[a: b]",
        "['a']",
        "[1, .5, true, ~]",
        "{}",
        "{ }",
        "{a: 1}",
        "|",
        "|-",
        ">",
        ">-",
        "|+",
        "|2",
        "- x",
        "-",
        "-x",
        "--",
        "&a x",
        "*a",
        "!t x",
        "%x",
        "@x",
        "`x",
        "?x",
        ":x",
        "? x",
        "http://x",
        "a: b",
        "a:",
        "x  ",
        "ü €",
        "a ]",
        "a, b",
        "a,b",
        "#",
        " #x",
        "a\\b",
        "'''",
        "'a''",
    ]
)
INDENTS = st.sampled_from(["", "", "  ", "    ", " ", "   ", "      "])


def _line() -> st.SearchStrategy[str]:
    keyed = st.tuples(INDENTS, KEYS, SEPARATORS, VALUES).map("".join)
    dashed = st.tuples(INDENTS, st.sampled_from(["- ", "-", "-  ", "- - "]), VALUES).map("".join)
    dash_key = st.tuples(INDENTS, st.just("- "), KEYS, SEPARATORS, VALUES).map("".join)
    scalar_line = st.tuples(INDENTS, VALUES).map("".join)
    other = st.sampled_from(["", "  ", "# note", "  # note", "---", "...", "  text", "    more"])
    return st.one_of(keyed, keyed, dashed, dash_key, scalar_line, other)


GENERATED = st.tuples(st.lists(_line(), min_size=1, max_size=12), st.booleans()).map(
    lambda t: "\n".join(t[0]) + ("\n" if t[1] else "")
)


@settings(max_examples=1000, deadline=None)
@given(GENERATED)
def test_generated_texts_agree_with_libyaml(text: str) -> None:
    check(text)


# Whole documents: a random tree of mappings, sequences and the values above, laid out
# with a random indent step, sequences aligned with or indented under their key, and
# comment and blank lines; most are valid YAML, which the fast path must then read.
BLOCK_LINES = st.sampled_from(["one", "two words", " more", "# hash", "x: y", "- z", "'q'"])
LEAF = st.one_of(
    VALUES.map(lambda v: ("val", v)),
    st.tuples(
        st.sampled_from(["|", "|-", ">", ">-"]), st.lists(BLOCK_LINES, min_size=1, max_size=3)
    ).map(lambda t: ("block", *t)),
)
NAMES = st.sampled_from(["a", "b", "c", "key_2", "a-b", "_x", "Key", "what_happened", "null"])
TREE = st.recursive(
    LEAF,
    lambda inner: st.one_of(
        st.lists(st.tuples(NAMES, inner), min_size=1, max_size=4).map(lambda i: ("map", i)),
        st.lists(inner, min_size=1, max_size=4).map(lambda i: ("seq", i)),
    ),
    max_leaves=12,
)


def render(node: Any, indent: int, step: int, align: bool) -> list[str]:
    """`node` as block YAML lines at `indent`."""
    pad = " " * indent
    lines: list[str] = []
    if node[0] == "map":
        for key, child in node[1]:
            if child[0] == "val":
                lines.append(f"{pad}{key}: {child[1]}".rstrip(" "))
            elif child[0] == "block":
                lines.append(f"{pad}{key}: {child[1]}")
                lines += [" " * (indent + step) + line for line in child[2]]
            else:
                lines.append(f"{pad}{key}:")
                under = indent if align and child[0] == "seq" else indent + step
                lines += render(child, under, step, align)
    elif node[0] == "seq":
        for child in node[1]:
            if child[0] == "val":
                lines.append(f"{pad}- {child[1]}".rstrip(" "))
            elif child[0] == "block":
                lines.append(f"{pad}- {child[1]}")
                lines += [" " * (indent + step) + line for line in child[2]]
            elif child[0] == "map":
                inner = render(child, indent + 2, step, align)
                lines += [f"{pad}- {inner[0].lstrip(' ')}", *inner[1:]]
            else:
                lines.append(f"{pad}-")
                lines += render(child, indent + step, step, align)
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    tree = draw(TREE.filter(lambda n: n[0] in ("map", "seq")))
    lines = render(tree, 0, draw(st.integers(1, 4)), draw(st.booleans()))
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(["", "# note", "   # indented note", "  "])))
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=1000, deadline=None)
@given(documents())
def test_generated_documents_agree_with_libyaml(text: str) -> None:
    check(text)


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "templates").rglob("*.yaml"))]
    texts += [text for name, text in base_files().items() if name.endswith(".yaml")]
    return [t for t in texts if "{{" not in t]


EDITS = st.sampled_from([*" -:#'\"|>[]{},\n\\&*!~", "  ", "\n  ", ": ", " #", "- "])


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real qi file with a few small edits: the mistakes people make by hand."""
    text = draw(st.sampled_from(_corpus()))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(EDITS)
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 3)) :]
        else:
            text = text[:at] + piece + text[at + 1 :]
    return text


@settings(max_examples=1000, deadline=None)
@given(mutated())
def test_mutated_files_agree_with_libyaml(text: str) -> None:
    check(text)
