"""`qi site`'s change detection reads only inside the project: a link is hashed by where
it points, never by the bytes of a file outside."""

from __future__ import annotations

from pathlib import Path

from qi_cli.files.stamps import files_digest, files_stamp


def test_a_link_out_of_the_project_is_hashed_by_its_text(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / "measures").mkdir(parents=True)
    (root / "project.yaml").write_text("format: 1\n", encoding="utf-8")
    outside = tmp_path / "outside.csv"
    outside.write_text("date,value\n", encoding="utf-8")
    (root / "measures" / "falls.csv").symlink_to(outside)
    before = files_digest(root), files_stamp(root)
    outside.write_text("date,value\n2026-01-05,3\n" * 1000, encoding="utf-8")
    assert (files_digest(root), files_stamp(root)) == before
    (root / "project.yaml").write_text("format: 1\ntitle: x\n", encoding="utf-8")
    assert files_digest(root) != before[0]


def test_the_digest_sees_new_bytes_and_ignores_hidden_files(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    (root / "drivers.yaml").write_text("drivers: {}\n", encoding="utf-8")
    first = files_digest(root)
    (root / ".qi.lock").write_text("", encoding="utf-8")
    assert files_digest(root) == first
    (root / "drivers.yaml").write_text("drivers: {a: 1}\n", encoding="utf-8")
    assert files_digest(root) != first
