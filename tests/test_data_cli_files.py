"""`qi data add`, `remove` and `import` on measure CSVs a person edited by hand or saved
from a spreadsheet: a quote left open, a row `qi validate` flags, CRLF line ends, and
a proportion's denominator. Through the real CLI, with the files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import WriteProject, run

CONTINUOUS_YAML = """\
name: Length of stay
kind: outcome
data_type: continuous
direction: decrease
definition:
  unit: days
"""

PROPORTION_YAML = """\
name: Risk assessed
kind: process
data_type: proportion
direction: increase
"""

# a note with quotes written twice (as qi writes it), then a row typed by hand whose
# quote is never closed
OPEN_QUOTE = b'date,value,note\n2026-11-01,5.2,"first ""week"""\n2026-11-08,4.9,"ward closed\n'


def los_project(write_project: WriteProject, csv: bytes) -> tuple[Path, Path]:
    root = write_project({"measures/los.yaml": CONTINUOUS_YAML})
    path = root / "measures" / "los.csv"
    path.write_bytes(csv)
    return root, path


def test_validate_reports_a_quote_never_closed_at_its_line_and_column(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root, _ = los_project(write_project, OPEN_QUOTE)
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    assert (
        "measures/los.csv:3:16: error: unclosed quote: the cell that starts here runs to "
        "the end of the file"
    ) in out
    assert "hint: end the cell with a closing quote" in out


@pytest.mark.parametrize(
    "args",
    [
        ["data", "add", "los", "5.0", "--date", "2026-11-15"],
        ["data", "remove", "los", "2026-11-01"],
        ["data", "import", "los", "SOURCE"],
        ["data", "import", "los", "SOURCE", "--dry-run"],
    ],
)
def test_a_write_to_a_file_with_a_quote_left_open_is_refused_unchanged(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path, args: list[str]
) -> None:
    """Written after the open quote, the new row would be read as part of its note."""
    root, path = los_project(write_project, OPEN_QUOTE)
    source = tmp_path / "export.csv"
    source.write_text("date,value\n2026-11-22,4.8\n", encoding="utf-8")
    args = [str(source) if a == "SOURCE" else a for a in args]
    code, out, err = run(runner, *args, "-p", str(root))
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and "/measures/los.csv:3:16: unclosed quote" in err
    assert "nothing was written: fix the file first (`qi validate` lists every problem)" in err
    assert path.read_bytes() == OPEN_QUOTE


@pytest.mark.parametrize(
    ("row", "where", "message"),
    [
        ("2026-02-30,4.1", "3:1", "'2026-02-30' is not a date"),
        ("2026-03-02,abc", "3:12", "value 'abc' is not a number"),
        ("date,value", "3:1", "a second header line"),
    ],
)
@pytest.mark.parametrize("command", ["add", "remove", "import"])
def test_a_write_to_a_file_validate_flags_is_refused_unchanged(
    runner: CliRunner,
    write_project: WriteProject,
    tmp_path: Path,
    row: str,
    where: str,
    message: str,
    command: str,
) -> None:
    csv = f"date,value\n2026-02-23,4.5\n{row}\n2026-03-09,4.2\n".encode()
    root, path = los_project(write_project, csv)
    source = tmp_path / "export.csv"
    source.write_text("date,value\n2026-03-16,4.8\n", encoding="utf-8")
    args = {
        "add": ["add", "los", "3.9", "--date", "2026-03-16"],
        "remove": ["remove", "los", "2026-02-23"],
        "import": ["import", "los", str(source)],
    }[command]
    code, _, err = run(runner, "data", *args, "-p", str(root))
    assert code == 1
    assert err.startswith("error: ") and f"/measures/los.csv:{where}: {message}" in err
    assert path.read_bytes() == csv


def test_a_date_entered_twice_can_still_be_put_right(
    runner: CliRunner, write_project: WriteProject
) -> None:
    """The error's hint names `qi data add --replace` and `qi data remove`: they work."""
    csv = b"date,value\n2026-03-02,4.5\n2026-03-02,4.7\n"
    root, path = los_project(write_project, csv)
    code, _, err = run(
        runner, "data", "add", "los", "4.6", "--date", "2026-03-02", "--replace", "-p", str(root)
    )
    assert (code, err) == (0, "")
    assert path.read_bytes() == b"date,value\n2026-03-02,4.6\n"
    path.write_bytes(csv)
    code, _, err = run(runner, "data", "remove", "los", "2026-03-02", "-p", str(root))
    assert (code, err) == (0, "")
    assert path.read_bytes() == b"date,value\n"


def test_list_gives_the_line_a_row_over_several_lines_starts_on(
    runner: CliRunner, write_project: WriteProject
) -> None:
    csv = b'date,value,note\n2026-11-01,5.2,"two\nlines"\n2026-11-08,4.9,\n'
    root, _ = los_project(write_project, csv)
    code, out, _ = run(runner, "data", "list", "los", "-p", str(root))
    assert code == 0
    rows = [line.split()[:2] for line in out.splitlines()[2:]]
    assert rows == [["2", "2026-11-01"], ["4", "2026-11-08"]]


# as a spreadsheet saves it: CRLF line ends, a note over two lines (its line break CRLF
# too), and a number written by hand as 4.90
CRLF = b'date,value,note\r\n2026-11-01,5.2,"two\r\nlines"\r\n2026-11-15,4.90,\r\n'


def test_add_keeps_a_files_crlf_line_ends(runner: CliRunner, write_project: WriteProject) -> None:
    root, path = los_project(write_project, CRLF)
    code, _, err = run(runner, "data", "add", "los", "5", "--date", "2026-11-08", "-p", str(root))
    assert (code, err) == (0, "")
    assert path.read_bytes() == (
        b'date,value,note\r\n2026-11-01,5.2,"two\r\nlines"\r\n2026-11-08,5,\r\n2026-11-15,4.90,\r\n'
    )


def test_remove_keeps_a_files_crlf_line_ends(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root, path = los_project(write_project, CRLF)
    code, _, err = run(runner, "data", "remove", "los", "2026-11-15", "-p", str(root))
    assert (code, err) == (0, "")
    assert path.read_bytes() == b'date,value,note\r\n2026-11-01,5.2,"two\r\nlines"\r\n'


def test_import_keeps_a_files_crlf_line_ends(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root, path = los_project(write_project, CRLF)
    source = tmp_path / "export.csv"
    source.write_text("date,value\n2026-11-08,5\n2026-11-22,4.7\n", encoding="utf-8")
    code, _, err = run(runner, "data", "import", "los", str(source), "-p", str(root))
    assert (code, err) == (0, "")
    assert path.read_bytes() == (
        b'date,value,note\r\n2026-11-01,5.2,"two\r\nlines"\r\n2026-11-08,5,\r\n'
        b"2026-11-15,4.90,\r\n2026-11-22,4.7,\r\n"
    )


def test_add_to_an_lf_file_writes_lf(runner: CliRunner, write_project: WriteProject) -> None:
    root, path = los_project(write_project, b"date,value\n2026-11-01,5.2\n")
    code, _, _ = run(runner, "data", "add", "los", "5", "--date", "2026-11-08", "-p", str(root))
    assert code == 0
    assert path.read_bytes() == b"date,value\n2026-11-01,5.2\n2026-11-08,5\n"


def proportion_project(write_project: WriteProject, csv: str) -> Path:
    return write_project({"measures/ra.yaml": PROPORTION_YAML, "measures/ra.csv": csv})


def test_add_refuses_a_proportions_fractional_denominator(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = proportion_project(write_project, "date,value,denominator\n")
    code, out, err = run(
        runner, "data", "add", "ra", "3", "-n", "20.5", "--date", "2026-11-04", "-p", str(root)
    )
    assert (code, out) == (1, "")
    assert "error: refused: denominator 20.5 is not a whole number" in err
    assert "hint: a proportion's denominator counts cases" in err
    assert (root / "measures" / "ra.csv").read_text(encoding="utf-8") == "date,value,denominator\n"


def test_import_rejects_a_proportions_fractional_denominator(
    runner: CliRunner, write_project: WriteProject, tmp_path: Path
) -> None:
    root = proportion_project(write_project, "date,value,denominator\n")
    source = tmp_path / "export.csv"
    source.write_text(
        "date,value,denominator\n2026-11-02,3,20\n2026-11-09,3,20.5\n", encoding="utf-8"
    )
    code, out, _ = run(runner, "data", "import", "ra", str(source), "-p", str(root))
    assert code == 0
    assert "add 1," in out and "1 rejected" in out
    assert "export.csv:3: denominator 20.5 is not a whole number" in out
    csv = (root / "measures" / "ra.csv").read_text(encoding="utf-8")
    assert csv == "date,value,denominator\n2026-11-02,3,20\n"


@pytest.mark.parametrize("body", ["2026-11-02,3,20.5\n", "2026-11-02,3,20\n2026-11-09,,20.5\n"])
def test_validate_reports_a_proportions_fractional_denominator(
    runner: CliRunner, write_project: WriteProject, body: str
) -> None:
    root = proportion_project(write_project, "date,value,denominator\n" + body)
    line = body.count("\n") + 1
    code, out, _ = run(runner, "validate", str(root))
    assert code == 1
    column = 14 if line == 2 else 13
    assert (
        f"measures/ra.csv:{line}:{column}: error: denominator 20.5 is not a whole number"
    ) in out


def test_a_rates_denominator_is_an_exposure_and_may_have_decimals(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root = write_project()  # falls: a rate per 1,000 bed days
    code, out, err = run(
        runner, "data", "add", "falls", "3", "-n", "342.5", "--date", "2026-03-30",
        "-p", str(root),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "added 3 of 342.5" in out
    code, _, _ = run(runner, "validate", str(root))
    assert code == 0


# Excel's "CSV UTF-8": a byte-order mark, its own capitals in the header, CRLF
EXCEL = "\ufeffDate,Value\r\n2026-11-01,5.2\r\n".encode()


def test_add_keeps_a_spreadsheets_header_line_as_it_was_written(
    runner: CliRunner, write_project: WriteProject
) -> None:
    """Only the new row is new: git shows one added line, and Excel still reads the
    file's accents (it needs the byte-order mark to know the file is UTF-8)."""
    root, path = los_project(write_project, EXCEL)
    code, _, err = run(runner, "data", "add", "los", "5", "--date", "2026-11-08", "-p", str(root))
    assert (code, err) == (0, "")
    assert path.read_bytes() == EXCEL + b"2026-11-08,5\r\n"
    code, _, err = run(runner, "data", "remove", "los", "2026-11-08", "-p", str(root))
    assert (code, err) == (0, "")
    assert path.read_bytes() == EXCEL


def test_a_new_column_rewrites_the_header_but_keeps_the_byte_order_mark(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root, path = los_project(write_project, EXCEL)
    code, _, err = run(
        runner, "data", "add", "los", "5", "--date", "2026-11-08", "--note", "café",
        "-p", str(root),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert path.read_bytes() == (
        "\ufeffdate,value,note\r\n2026-11-01,5.2\r\n2026-11-08,5,café\r\n".encode()
    )
    code, out, _ = run(runner, "data", "list", "los", "-p", str(root))
    assert code == 0 and "café" in out


def test_list_says_that_a_row_with_an_error_is_not_listed(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root, _ = los_project(write_project, b"date,value\n2026-11-01,5.2\n2026-11-08,abc\n")
    code, out, err = run(runner, "data", "list", "los", "-p", str(root))
    assert code == 0
    assert "2026-11-01" in out and "2026-11-08" not in out
    assert "measures/los.csv:3:" in err and "a row with an error is not listed" in err


def test_list_of_a_file_whose_only_row_has_an_error_does_not_say_no_values_yet(
    runner: CliRunner, write_project: WriteProject
) -> None:
    root, _ = los_project(write_project, b'date,value\n2026-11-01,"open\n')
    code, out, err = run(runner, "data", "list", "los", "-p", str(root))
    assert code == 0
    assert "no values yet" not in out and "unclosed quote" in err
