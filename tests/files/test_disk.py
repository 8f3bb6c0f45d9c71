"""Reading a file: bounded by the size limit, whatever the file says its size is."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qi_cli.errors import QiError
from qi_cli.files.disk import read_text


def test_a_file_up_to_the_limit_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(b"x" * 100)
    assert read_text(path, "m.csv", max_bytes=100) == "x" * 100
    with pytest.raises(QiError, match=r"m\.csv: file is too large \(0\.0 MB"):
        read_text(path, "m.csv", max_bytes=99)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_with_no_size_is_read_only_up_to_the_limit() -> None:
    with pytest.raises(QiError, match="file is too large"):
        read_text(Path("/dev/zero"), "zero", max_bytes=1000)


def test_a_broken_link_is_named(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").symlink_to(tmp_path / "gone.yaml")
    with pytest.raises(QiError, match=r"p\.yaml: file not found"):
        read_text(tmp_path / "p.yaml", "p.yaml")
