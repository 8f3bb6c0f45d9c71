"""The YAML reader: YAML 1.2 rules, keys as written, positions kept, broken files refused."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from qi_cli.errors import QiError
from qi_cli.files.loader import load_project
from qi_cli.files.yaml_read import load_yaml, parse_yaml
from tests.conftest import WriteProject, run


def test_yes_no_on_off_stay_text() -> None:
    doc = parse_yaml("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\ng: NO\n", "x.yaml")
    assert doc.data == {
        "a": "yes",
        "b": "no",
        "c": "on",
        "d": "off",
        "e": True,
        "f": False,
        "g": "NO",
    }


def test_dates_and_times_stay_text_for_pydantic() -> None:
    doc = parse_yaml("start: 2025-02-30\nt: 1:30\nn: 012\nx: 0x1f\nf: 1.5e3\n", "x.yaml")
    assert doc.data == {"start": "2025-02-30", "t": "1:30", "n": 12, "x": 31, "f": 1500.0}


def test_positions_of_values_and_keys() -> None:
    doc = parse_yaml(
        "title: A\nplan:\n  questions:\n    - question: Q\n      prediction: P\n", "c.yaml"
    )
    assert doc.locate(("plan", "questions", 0, "prediction")) is not None
    pos = doc.locate(("plan", "questions", 0, "prediction"))
    assert (pos.line, pos.column) == (5, 19)
    key = doc.locate_key(("plan", "questions", 0, "prediction"))
    assert (key.line, key.column) == (5, 7)
    # a missing key points at its parent mapping
    parent = doc.locate(("plan", "questions", 0, "missing"))
    assert (parent.line, parent.column) == (4, 7)


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(QiError) as info:
        parse_yaml("title: A\nstatus: active\ntitle: B\n", "p.yaml")
    err = info.value
    assert (err.line, err.column) == (3, 1)
    assert "duplicate key 'title' (first on line 1)" in err.message


def test_syntax_error_has_position() -> None:
    with pytest.raises(QiError) as info:
        parse_yaml("title: A\nteam:\n  - name: B\n role: x\n", "p.yaml")
    assert info.value.line == 4
    assert "YAML syntax error" in info.value.message


def test_tab_indentation_is_named() -> None:
    with pytest.raises(QiError) as info:
        parse_yaml("a:\n\tb: 1\n", "p.yaml")
    assert (info.value.line, info.value.column) == (2, 1)
    assert "tab" in info.value.message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for name, prev in zip("bcdefghij", "abcdefghi", strict=True):
        items = ", ".join([f"*{prev}"] * 9)
        bomb += f"{name}: &{name} [{items}]\n"
    with pytest.raises(QiError) as info:
        parse_yaml(bomb, "bomb.yaml")
    assert "aliases" in info.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfetitle", "UTF-16"),
        (b"title: caf\xe9\n", "not valid UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
    ],
)
def test_bad_encodings(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(raw)
    with pytest.raises(QiError) as info:
        load_yaml(path, "p.yaml")
    assert expected in info.value.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"\xef\xbb\xbftitle: Caf\xc3\xa9\n")
    assert load_yaml(path, "p.yaml").data == {"title": "Café"}


def test_folder_and_missing_and_huge(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").mkdir()
    with pytest.raises(QiError, match="is a folder"):
        load_yaml(tmp_path / "d.yaml", "d.yaml")
    with pytest.raises(QiError, match="not found"):
        load_yaml(tmp_path / "nope.yaml", "nope.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (3 * 1024 * 1024))
    with pytest.raises(QiError, match="too large"):
        load_yaml(big, "big.yaml")


def test_a_broken_file_is_an_issue_of_the_project(write_project: WriteProject) -> None:
    root = write_project({"project.yaml": "title: [not, closed\n"})
    errors = load_project(root).errors
    assert errors and errors[0].path.endswith("project.yaml") and errors[0].line is not None


# fmt: off
SCALARS: list[tuple[str, Any]] = [
    ("a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 017\n", {"a": 1, "b": -2, "c": 31, "d": 15, "e": 17}),
    ("a: 1.5\nb: .5\nc: 1e3\nd: -.inf\n", {"a": 1.5, "b": 0.5, "c": 1000.0, "d": -math.inf}),
    ("a: true\nb: False\nc: yes\nd: no\ne: on\n", {"a": True, "b": False, "c": "yes", "d": "no", "e": "on"}),  # noqa: E501
    ("a: ~\nb: null\nc:\nd: Null\ne: nil\n", {"a": None, "b": None, "c": None, "d": None, "e": "nil"}),  # noqa: E501
    ("date: 2026-02-30\ntime: 1:30\n", {"date": "2026-02-30", "time": "1:30"}),
    ("a: x #c\nb: x#c\nc: 'q' # c\n", {"a": "x", "b": "x#c", "c": "q"}),
    ("a: 'it''s'\nb: \"say 'hi'\"\nc: ''\nd: \"\"\n", {"a": "it's", "b": "say 'hi'", "c": "", "d": ""}),  # noqa: E501
    ("a: http://x.org/a?b=c\nb: Ward 7, bay 3\n", {"a": "http://x.org/a?b=c", "b": "Ward 7, bay 3"}),  # noqa: E501
    ("m: [a, b-c, 1, true]\nn: []\no: {}\n", {"m": ["a", "b-c", 1, True], "n": [], "o": {}}),
    ("q:\n  - question: Q?\n    prediction: P\n  - question: R?\n", {"q": [{"question": "Q?", "prediction": "P"}, {"question": "R?"}]}),  # noqa: E501
    ("q:\n- 1\n- -2\nr: x\n", {"q": [1, -2], "r": "x"}),
    ("-\n  a: 1\n- b\n", [{"a": 1}, "b"]),
    ("a: >-\n  one\n  two\nb: |\n  x\n    y\n  # z\nc: 1\n", {"a": "one two", "b": "x\n  y\n# z\n", "c": 1}),  # noqa: E501
    ("a: |-\n  x\n", {"a": "x"}),
    ("a: |\n  x", {"a": "x"}),  # no final line break, nothing to clip
    ("a: !!str 1\nb: !!int x\n", {"a": "1", "b": "x"}),  # a tag that does not fit: text
    ("# only a comment\n", None),
    ("", None),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), SCALARS)
def test_values_follow_yaml_1_2(text: str, expected: Any) -> None:
    assert parse_yaml(text, "f.yaml").data == expected


def test_keys_keep_the_text_written_in_the_file() -> None:
    # YAML 1.1 would make these 15, 1000.0, True, False and None: a key is never resolved
    text = "017: a\n1e3: b\non: c\nno: d\nnull: e\n0x1F: f\n'7': g\n"
    doc = parse_yaml(text, "d.yaml")
    assert doc.data == {
        "017": "a",
        "1e3": "b",
        "on": "c",
        "no": "d",
        "null": "e",
        "0x1F": "f",
        "7": "g",
    }
    # an error about a key is found by the same text
    pos = doc.locate_key(("1e3",))
    assert pos is not None and (pos.line, pos.column) == (2, 1)
    assert doc.locate(("017",)) == (1, 6)


def test_keys_that_mean_the_same_number_are_two_keys() -> None:
    assert parse_yaml("017: a\n17: b\n", "d.yaml").data == {"017": "a", "17": "b"}
    with pytest.raises(QiError, match="duplicate key '017' \\(first on line 1\\)"):
        parse_yaml("017: a\n'017': b\n", "d.yaml")


@pytest.mark.parametrize(
    ("text", "message", "where"),
    [
        ("base: {a: 1}\nother:\n  <<: {a: 2}\n", "merge keys (<<) are not supported", (3, 3)),
        ("? [a, b]\n: c\n", "keys must be plain words", (1, 3)),
        ("a: !custom x\n", "unsupported YAML tag !custom", (1, 4)),
        ("!custom a: x\n", "unsupported YAML tag !custom", (1, 1)),
    ],
)
def test_keys_and_tags_qi_does_not_read(text: str, message: str, where: tuple[int, int]) -> None:
    with pytest.raises(QiError) as info:
        parse_yaml(text, "f.yaml")
    assert message in info.value.message
    assert (info.value.line, info.value.column) == where


def test_a_quoted_merge_key_is_plain_text() -> None:
    assert parse_yaml("'<<': x\n", "f.yaml").data == {"<<": "x"}


def test_a_change_idea_017_keeps_its_id_through_the_cli(write_project: WriteProject) -> None:
    drivers = """\
        drivers:
          lighting:
            name: Lighting at night
        changes:
          017:
            title: Night lights in bays
            drivers: [lighting]
        """
    root = write_project({"drivers.yaml": drivers})
    runner = CliRunner()
    code, out, err = run(runner, "change", "list", "--project", str(root))
    assert code == 0, err
    assert "017" in out.split() and "17" not in out.split()
    code, out, err = run(
        runner,
        "cycle",
        "new",
        "--project",
        str(root),
        "--change",
        "017",
        "--objective",
        "Try the lights",
        "-q",
        "Will patients leave them on?",
        "--prediction",
        "Yes",
        "--no-input",
    )
    assert code == 0, err
    assert "planned cycle" in out
    assert [c.cycle.change for c in load_project(root).cycles if c.cycle.change == "017"]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: &k name\n*k : 2\n", (1, 4)),  # an alias as a key
        ("&k name: 1\nb: *k\n", (1, 1)),  # an alias of a key
        ("a: [&k x, *k]\n", (1, 5)),
    ],
)
def test_every_alias_is_refused_keys_too(text: str, where: tuple[int, int]) -> None:
    with pytest.raises(QiError, match=r"aliases \(\*name\) are not supported") as info:
        parse_yaml(text, "f.yaml")
    assert (info.value.line, info.value.column) == where


@pytest.mark.parametrize("comment", ["", "  # a * in a comment: aliases are looked for"])
def test_every_rule_holds_with_and_without_a_star_in_the_text(comment: str) -> None:
    # a text without `*` has no alias, and its plain words are read in the mapping's
    # loop: the depth limit, merge keys, duplicates and YAML 1.2 values still hold
    deepest = "{a: " * 64 + "x" + "}" * 64  # the value 64 levels down
    assert parse_yaml(deepest + comment, "f.yaml").data is not None
    with pytest.raises(QiError, match="nested too deeply") as info:
        parse_yaml("{a: " * 65 + "x" + "}" * 65 + comment, "f.yaml")
    assert (info.value.line, info.value.column) == (1, 261)
    with pytest.raises(QiError, match=r"merge keys \(<<\)"):
        parse_yaml(f"a:\n  <<: x{comment}\n", "f.yaml")
    with pytest.raises(QiError, match="duplicate key 'on'"):
        parse_yaml(f"a:\n  on: 1\n  on: 2{comment}\n", "f.yaml")
    text = f"a:\n  '<<': x\n  017: 017\n  on: on\n  n:\n  t: True\n  f: -.5{comment}\n"
    assert parse_yaml(text, "f.yaml").data == {
        "a": {"<<": "x", "017": 17, "on": "on", "n": None, "t": True, "f": -0.5}
    }
