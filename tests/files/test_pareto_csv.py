"""A Pareto chart's CSV: both shapes, missing categories, and every problem at its place."""

from __future__ import annotations

from qi_cli.files.pareto_csv import parse_pareto


def test_one_row_per_event_keeps_other_columns_out_of_the_way() -> None:
    text = "date,Category,note\n2026-01-05,falls,bay 2\n2026-01-06,,\n\n2026-01-07,delay,x\n"
    data = parse_pareto(text, "p.csv")
    assert data.issues == []
    assert data.categories == ["falls", None, "delay"]
    assert data.rows == 3


def test_counts_per_category_are_summed_over_rows() -> None:
    text = "category,count\nfalls,3\ndelay,2\nfalls,4\n,1\nnone,0\n"
    data = parse_pareto(text, "p.csv")
    assert data.issues == []
    assert data.categories == {"falls": 7, "delay": 2, None: 1, "none": 0}


def test_a_cell_is_read_as_written_apart_from_its_outer_spaces() -> None:
    data = parse_pareto('category\n" Falls "\n"Falls, at night"\n', "p.csv")
    assert data.categories == ["Falls", "Falls, at night"]


def test_bad_counts_are_reported_at_their_line_and_column() -> None:
    text = "category,count\nfalls,3\ndelay,2.5\nother,-1\nlast,\n"
    issues = parse_pareto(text, "p.csv").issues
    assert [(i.line, i.column, i.severity) for i in issues] == [
        (3, 7, "error"),
        (4, 7, "error"),
        (5, 6, "error"),
    ]
    assert issues[0].message == "count '2.5' is not a whole number of 0 or more"
    assert issues[2].message == "the count is missing"
    assert issues[0].hint


def test_no_category_column() -> None:
    issues = parse_pareto("date,reason\n2026-01-01,x\n", "p.csv").issues
    assert [(i.line, i.message) for i in issues] == [(1, "no `category` column")]
    assert "category" in (issues[0].hint or "")


def test_empty_file_and_header_only() -> None:
    assert [i.message for i in parse_pareto("", "p.csv").issues] == ["file is empty"]
    issues = parse_pareto("category\n", "p.csv").issues
    assert [(i.severity, i.line, i.message) for i in issues] == [("warning", 2, "no data rows yet")]


def test_an_unclosed_quote_is_an_error_at_its_line() -> None:
    # Python's csv reads an unclosed quote to the end of the file, as one cell
    data = parse_pareto('category\nfalls\n"delay\nother\nmore\n', "p.csv")
    assert [(i.severity, i.line, i.column, i.message) for i in data.issues] == [
        ("error", 3, 1, "unclosed quote: the cell that starts here runs to the end of the file")
    ]
    assert "quote" in (data.issues[0].hint or "")


def test_a_category_over_two_lines_is_an_error_at_its_first() -> None:
    data = parse_pareto('category\nfalls\n"delay\nother"\nmore\n', "p.csv")
    assert [(i.severity, i.line, i.message) for i in data.issues] == [
        ("error", 3, "the category runs over several lines")
    ]
