"""The YAML loader: YAML 1.1 traps guarded, positions kept, broken files refused cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qi_cli.errors import QiError
from qi_cli.files.yaml_read import load_yaml, parse_yaml
from tests.conftest import WriteProject


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


LOADS = (
    "import sys\nfrom pathlib import Path\nfrom qi_cli.files.loader import load_project\n"
    "p = load_project(Path(sys.argv[1]))\n"
    "print(len(p.errors), 'yaml' in sys.modules)\n"
)


def test_a_clean_project_is_read_without_pyyaml(write_project: WriteProject) -> None:
    # the plain files qi writes take the fast reader; libyaml is loaded only for an
    # unusual file or a problem's position
    root = write_project()
    out = subprocess.run(
        [sys.executable, "-c", LOADS, str(root)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["0", "False"]
    (root / "project.yaml").write_text("title: [not, closed\n", encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-c", LOADS, str(root)], capture_output=True, text=True, check=True
    )
    errors, loaded = out.stdout.split()
    assert int(errors) >= 1 and loaded == "True"
