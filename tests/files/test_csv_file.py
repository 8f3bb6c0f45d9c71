"""A measure's CSV: records with line numbers, every problem found, writes kept as written."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.errors import QiError
from qi_cli.files import csv_file
from qi_cli.files.csv_cells import DataRow
from qi_cli.files.csv_file import parse_data
from qi_cli.files.csv_records import CsvSyntaxError, read_records, read_spans
from qi_cli.files.csv_table import read_table
from qi_cli.measure_model import Measure

MEASURES = {
    kind: Measure.model_validate({"name": "M", "kind": "process", "data_type": kind})
    for kind in ("proportion", "rate", "count", "continuous", "subgroups")
}
JAN_5, JAN_12 = dt.date(2026, 1, 5), dt.date(2026, 1, 12)


def test_records_carry_the_lines_they_span() -> None:
    text = 'date,note\n2026-01-05,"two\nlines"\n\n2026-01-12,x\n'
    assert list(read_spans(text)) == [
        (1, 1, ["date", "note"]),
        (2, 3, ["2026-01-05", "two\nlines"]),  # a record ends on the line its last cell does
        (4, 4, []),
        (5, 5, ["2026-01-12", "x"]),
    ]
    assert [line for line, _ in read_records(text)] == [1, 2, 4, 5]  # where each starts
    assert list(read_records("a;b\n1;2\n", delimiter=";")) == [(1, ["a", "b"]), (2, ["1", "2"])]
    assert list(read_records("a,b\n1,2")) == [(1, ["a", "b"]), (2, ["1", "2"])]
    assert list(read_records("")) == []


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('date,value,note\n2026-01-05,4,"ward closed\n2026-01-12,5,\n', 2, 14),
        ('date,value,note\n2026-01-05,4,"ward closed', 2, 14),  # no line end at the end
        ('date,value,note\r\n2026-01-05,4,"a ""b"" c\r\n', 2, 14),  # quotes written twice
        ('date,note\n2026-01-05,"two\nlines"\nabc,"y\n', 4, 5),  # after a cell over two lines
        ('date,note,exclude\n2026-01-05,"two\nlines","y\n', 3, 8),  # in the same record
        ('date,"value\n2026-01-05,4\n', 1, 6),  # in the header
        ('date;note\n2026-01-05;"x\n', 2, 12),
    ],
)
def test_a_quote_never_closed_is_refused_where_it_opens(text: str, line: int, column: int) -> None:
    """The lenient reader would read it to the end of the file as one cell: the rows
    after it would vanish into that cell."""
    with pytest.raises(CsvSyntaxError) as info:
        list(read_records(text, delimiter=";" if ";" in text else ","))
    assert (info.value.line, info.value.column) == (line, column)
    assert str(info.value).startswith("unclosed quote")


@pytest.mark.parametrize(
    "text",
    [
        'date,note\n2026-01-05,"closed"\n',
        'date,note\n2026-01-05,"closed"',
        'date,note\n2026-01-05,"a ""b"""\n',
        'date,note\n2026-01-05,a "b\n',  # a quote inside an unquoted cell is a character
        'date,note\n2026-01-05,"ends with a line break\n"\n',
        'date,note\n2026-01-05,"qi:end-of-text"\n',
    ],
)
def test_quotes_that_close_are_read_as_before(text: str) -> None:
    assert list(read_records(text))[-1][1][0] == "2026-01-05"


def test_a_record_that_is_not_csv_names_its_line() -> None:
    with pytest.raises(CsvSyntaxError) as info:
        list(read_records("date,value\n2026-01-05,3\r2026-01-12,4\r"))
    assert info.value.line == 2


def test_a_clean_file() -> None:
    text = "date,value,denominator,note\n2026-01-05,3,10,\n2026-01-12,4,12, first week \n"
    rows, issues = parse_data(text, "m.csv", MEASURES["proportion"])
    assert issues == []
    assert rows == [
        DataRow(date=JAN_5, value=3.0, denominator=10.0, line=2),
        DataRow(date=JAN_12, value=4.0, denominator=12.0, note="first week", line=3),
    ]


UNCLOSED = "unclosed quote: the cell that starts here runs to the end of the file"
# (body after the header "date,value,denominator", rows read as (date, value, line),
#  problems as (line, column, severity, message))
CASES = [
    # rows in any order (as a git merge leaves them) are read, sorted, without a warning
    ("2026-01-12,4,12\n2026-01-05,3,10\n", [(JAN_5, 3.0, 3), (JAN_12, 4.0, 2)], []),
    (
        "2026-01-05,3,10\n2026-01-12,4,10\n2026-01-05,4,10\n",
        [(JAN_5, 3.0, 2), (JAN_12, 4.0, 3)],
        [(4, 1, "error", "2026-01-05 is entered twice: lines 2 and 4")],
    ),
    # two branches that each changed the columns, merged line by line
    (
        "2026-01-05,3,10\ndate,value,denominator,note\n2026-01-12,4,10,x\n",
        [(JAN_5, 3.0, 2)],
        [
            (
                3,
                1,
                "error",
                "a second header line (two branches changed the columns, and a merge kept both)",
            ),
            (4, 1, "error", "4 cells but the header names 3 columns"),
        ],
    ),
    ("2026-01-05,,10\n", [(JAN_5, None, 2)], []),
    ("20260105,3,10\n", [], [(2, 1, "error", "'20260105' is not a date")]),
    ("2026-02-30,3,10\n", [], [(2, 1, "error", "'2026-02-30' is not a date")]),
    ("2026-01-05,11,10\n", [], [(2, 12, "error", "numerator 11 is larger than denominator 10")]),
    ("2026-01-05,-1,10\n", [], [(2, 12, "error", "value -1 is negative")]),
    ("2026-01-05,nan,10\n", [], [(2, 12, "error", "value 'nan' is not a number")]),
    ("2026-01-05,3,0\n", [], [(2, 14, "error", "denominator 0 must be above zero")]),
    ("2026-01-05,3\n", [], [(2, 12, "error", "value without a denominator")]),
    ("2026-01-05,3,10,4\n", [], [(2, 1, "error", "4 cells but the header names 3 columns")]),
    ('2026-01-05,"3",10\n', [(JAN_5, 3.0, 2)], []),
    ("2026-01-05,3,10\r\n2026-01-12,3,10\r\n", [(JAN_5, 3.0, 2), (JAN_12, 3.0, 3)], []),
    ("\n2026-01-05,3,10\n\n", [(JAN_5, 3.0, 3)], []),
    ("2026-01-05,1e16,1e17\n", [], [(2, 12, "error", "value 1e16 is too large")]),
    # a quote never closed: on the last line (which the column reader would take), or
    # earlier, where it would take the rows after it into its cell
    ('2026-01-05,3,10\n2026-01-12,4,"10\n', [(JAN_5, 3.0, 2)], [(3, 14, "error", UNCLOSED)]),
    ('2026-01-05,3,"10\n2026-01-12,4,10\n', [], [(2, 14, "error", UNCLOSED)]),
    # a row over two lines is at the line it starts on
    ('2026-01-05,"3\n",10\n2026-01-12,4,10\n', [(JAN_5, 3.0, 2), (JAN_12, 4.0, 4)], []),
    # a proportion's denominator counts cases
    ("2026-01-05,3,10.5\n", [], [(2, 14, "error", "denominator 10.5 is not a whole number")]),
    ("2026-01-05,3,10.0\n", [(JAN_5, 3.0, 2)], []),
]


@pytest.mark.parametrize(("body", "expected_rows", "expected_issues"), CASES)
def test_awkward_files(
    body: str,
    expected_rows: list[tuple[dt.date, float | None, int]],
    expected_issues: list[tuple[int, int, str, str]],
) -> None:
    rows, issues = parse_data("date,value,denominator\n" + body, "m.csv", MEASURES["proportion"])
    assert [(r.date, r.value, r.line) for r in rows] == expected_rows
    assert [(i.line, i.column, i.severity, i.message) for i in issues] == expected_issues


def test_a_bare_carriage_return_is_named_on_its_line() -> None:
    text = "date,value,denominator\n2026-01-05,3,10\r2026-01-12,3,10\r"
    rows, issues = parse_data(text, "m.csv", MEASURES["proportion"])
    assert rows == []
    assert [(i.line, i.message) for i in issues] == [
        (2, "lines end with a carriage return only (old Mac line endings)")
    ]


def test_the_table_keeps_lines_as_written() -> None:
    text = 'date,value,note\n2026-01-12,7.0,"a\nb"\n\n2026-01-05 ,3,\n'
    table = read_table(text)
    assert table.header == ["date", "value", "note"]
    assert [r.date for r in table.records] == [JAN_12, JAN_5]
    assert table.text() == 'date,value,note\n2026-01-12,7.0,"a\nb"\n2026-01-05 ,3,\n'
    record = table.new_record(dt.date(2026, 1, 8), {"date": "2026-01-08", "value": "4"})
    assert table.insert(record) == 0  # before the first row dated after it
    # a new column: every row is written anew, its cells as they were (a line break
    # in a cell stays quoted)
    table.ensure_columns(["denominator"])
    assert table.text() == (
        'date,value,denominator,note\n2026-01-08,4,,\n2026-01-12,7.0,,"a\nb"\n2026-01-05 ,3,,\n'
    )


def test_a_date_entered_twice_names_both_lines_and_the_commands_that_resolve_it() -> None:
    text = "date,value\n2026-01-05,3\n2026-01-12,4\n2026-01-05,5\n"
    _, (issue,) = parse_data(text, "measures/falls.csv", MEASURES["count"])
    assert issue.where == "measures/falls.csv:4:1"
    assert issue.message == "2026-01-05 is entered twice: lines 2 and 4"
    assert issue.hint is not None
    assert "qi data add falls VALUE --date 2026-01-05 --replace" in issue.hint
    assert "qi data remove falls 2026-01-05" in issue.hint


def test_a_new_last_column_changes_the_header_alone() -> None:
    """Adding a note must not rewrite every row: a branch that adds the first note then
    merges line by line with a branch that adds a row."""
    table = read_table("date,value\n2026-01-05,3\n2026-01-12,4\n")
    table.insert(
        table.new_record(
            dt.date(2026, 1, 19), {"date": "2026-01-19", "value": "5", "note": "new bins"}
        )
    )
    text = table.text()
    assert text == "date,value,note\n2026-01-05,3\n2026-01-12,4\n2026-01-19,5,new bins\n"
    rows, issues = parse_data(text, "m.csv", MEASURES["count"])
    assert issues == []
    assert [(r.value, r.note) for r in rows] == [(3.0, None), (4.0, None), (5.0, "new bins")]


def test_the_table_refuses_what_is_not_csv() -> None:
    assert read_table("").header == []
    with pytest.raises(QiError, match="cannot read the file"):
        read_table("date,value\n2026-01-05,3\r2026-01-12,4\r")


CELLS = st.sampled_from(
    ["2026-01-05", "2026-01-12", "2026-02-30", "20260105", " 2026-01-26 ", "", "3", "0", "-1"]
)
CELLS |= st.sampled_from(["4.5", " 7 ", "1,5", "1e3", "nan", "inf", "x", "12", "1e16", '"2"', "ü"])
ROW = st.lists(CELLS, min_size=1, max_size=5).map(",".join)
HEADERS = st.sampled_from(
    ["date,value", "date,value,denominator", "value,date,note", "Date , Value"]
)


@settings(max_examples=500, deadline=None)
@given(HEADERS, st.lists(ROW, max_size=8), st.sampled_from(sorted(MEASURES)))
def test_every_row_read_keeps_the_rules(header: str, body: list[str], kind: str) -> None:
    measure = MEASURES[kind]
    rows, issues = parse_data("\n".join([header, *body]) + "\n", "m.csv", measure)
    assert [r.date for r in rows] == sorted(r.date for r in rows)
    assert all(i.line is not None and i.message for i in issues)
    for row in rows:
        assert row.denominator is None or 0 < row.denominator <= 1e15
        if row.value is not None and kind in ("proportion", "rate", "count"):
            assert row.value >= 0
        if row.value is not None and kind == "proportion":
            assert row.denominator is not None and row.value <= row.denominator


# Clean files are read a column at a time, others row by row: both readers must agree.
GOOD_CELLS = {
    "date": st.dates(dt.date(2026, 1, 1), dt.date(2026, 1, 20)).map(dt.date.isoformat)
    | st.sampled_from([" 2026-01-21", "2026-01-22 "]),
    # good cells many times over, so that whole files are often clean; then cells the
    # column reader must leave to the row reader (spaces alone, nan, infinity, a number
    # too large for a float, a space the row reader strips and float() does not)
    "value": st.sampled_from(["", "0", "3", "12", " 7 ", "\t8", "1e1", "6.0"] * 5)
    | st.sampled_from(["4.5", "-2", "1_0", " ", "nan", "-Infinity", "1e400", "-1e400", "5\x1f"]),
    "denominator": st.sampled_from(["10", "20.0", "11"] * 5 + ["", "0", "1e16", "inf", " 10"]),
    "note": st.sampled_from(["", "a note", '"a, b"', " spaced "]),
    "exclude": st.sampled_from(["", "yes", "outage"]),
    "unit": st.sampled_from(["ward-1", "ward-2", " ward-3 "] * 5 + [""]),
}
COLUMN_SETS = st.sampled_from(
    [
        ("date", "value"),
        ("date", "value", "denominator"),
        ("value", "date", "note", "exclude"),
        ("date", "value", "denominator", "unit"),
        ("date", "value", "note"),
    ]
)


@st.composite
def mostly_clean_files(draw: st.DrawFn) -> str:
    columns = draw(COLUMN_SETS)
    rows = draw(st.lists(st.tuples(*(GOOD_CELLS[c] for c in columns)), max_size=12))
    if draw(st.booleans()):  # most files have each date once
        rows = list({row[columns.index("date")]: row for row in rows}.values())
    return ",".join(columns) + "\n" + "".join(",".join(row) + "\n" for row in rows)


@settings(max_examples=400, deadline=None)
@given(mostly_clean_files(), st.sampled_from(sorted(MEASURES)))
def test_the_column_reader_and_the_row_reader_agree(text: str, kind: str) -> None:
    measure = MEASURES[kind]
    column_wise = parse_data(text, "m.csv", measure)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_file, "clean_rows", lambda *args: None)
        row_wise = parse_data(text, "m.csv", measure)
    assert column_wise == row_wise


def test_a_clean_file_is_read_a_column_at_a_time() -> None:
    text = "date,value,note\n2026-01-12,4,\n2026-01-05,3,first\n"
    rows = csv_file.clean_rows(text, 3, {"date": 0, "value": 1, "note": 2}, MEASURES["count"])
    assert rows == [
        DataRow(date=dt.date(2026, 1, 5), value=3.0, note="first", line=3),
        DataRow(date=dt.date(2026, 1, 12), value=4.0, line=2),
    ]


@pytest.mark.parametrize(
    "cell", [" ", "nan", "NaN", "inf", "-Infinity", "1e400", "-1e400", "5\x1f", "1_0", "\uff15"]
)
def test_the_column_reader_leaves_a_cell_it_cannot_judge_to_the_row_reader(cell: str) -> None:
    """Spaces alone, nan, infinity, a number too large for a float, a space float()
    does not strip: the row reader says what each is."""
    for text in (
        f"date,value\n2026-01-05,3\n2026-01-12,{cell}\n",
        f"date,value,denominator\n2026-01-05,3,10\n2026-01-12,4,{cell}\n",
    ):
        width = text.split("\n")[0].count(",") + 1
        index = dict(zip(("date", "value", "denominator")[:width], range(width), strict=True))
        for measure in MEASURES.values():
            assert csv_file.clean_rows(text, width, index, measure) is None
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(csv_file, "clean_rows", lambda *args: None)
                row_wise = parse_data(text, "m.csv", measure)
            assert parse_data(text, "m.csv", measure) == row_wise


def test_a_clean_file_with_every_rule_is_read_a_column_at_a_time() -> None:
    """A proportion's values and denominators, spaces around numbers and an empty value:
    each rule checked a column at a time, without the row reader."""
    text = "date,value,denominator,note\n2026-01-05, 3 ,10, a \n2026-01-12,,\t8,\n"
    index = {"date": 0, "value": 1, "denominator": 2, "note": 3}
    assert csv_file.clean_rows(text, 4, index, MEASURES["proportion"]) == [
        DataRow(date=JAN_5, value=3.0, denominator=10.0, note="a", line=2),
        DataRow(date=JAN_12, value=None, denominator=8.0, line=3),
    ]
    refusals = ("2026-01-12,9,8,", "2026-01-12,1.5,8,", "2026-01-12,-1,8,", "2026-01-12,1,0,")
    for refused in (*refusals, "2026-01-12,1,8.5,", '2026-01-12,1,8,"open'):
        text = "date,value,denominator,note\n2026-01-05,3,10,\n" + refused + "\n"
        assert csv_file.clean_rows(text, 4, index, MEASURES["proportion"]) is None, refused
    # a rate's denominator is an exposure (bed days): it may have decimals
    text = "date,value,denominator,note\n2026-01-05,3,10.5,\n"
    assert csv_file.clean_rows(text, 4, index, MEASURES["rate"]) == [
        DataRow(date=JAN_5, value=3.0, denominator=10.5, line=2)
    ]
