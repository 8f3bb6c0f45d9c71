"""A measure's data: values added in date order, refusals, and spreadsheet imports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.data import Entry, add_value, parse_entry
from qi_cli.data_import import Columns, Reading, import_file
from qi_cli.dates import parse_spreadsheet_date
from qi_cli.errors import QiError, UsageError
from qi_cli.files.csv_file import parse_data
from qi_cli.files.csv_table import format_number
from qi_cli.measure_model import Measure

PROPORTION = Measure.model_validate(
    {"name": "Seen in 24 h", "kind": "process", "data_type": "proportion", "multiply": 100}
)
RATE = Measure.model_validate({"name": "Falls", "kind": "outcome", "data_type": "rate"})
COUNT = Measure.model_validate({"name": "Falls", "kind": "outcome", "data_type": "count"})
CONTINUOUS = Measure.model_validate({"name": "LOS", "kind": "outcome", "data_type": "continuous"})


def project(tmp_path: Path, csv: str | None = None, measure_id: str = "m") -> Path:
    (tmp_path / "measures").mkdir()
    if csv is not None:
        (tmp_path / "measures" / f"{measure_id}.csv").write_bytes(csv.encode())
    return tmp_path


def read(root: Path, measure_id: str = "m") -> str:
    return (root / "measures" / f"{measure_id}.csv").read_bytes().decode()


def test_format_number() -> None:
    assert [format_number(v) for v in (5.0, 6.7, 12, 0.25, -3.0)] == [
        "5",
        "6.7",
        "12",
        "0.25",
        "-3",
    ]


@pytest.mark.parametrize(
    ("measure", "value", "denominator", "message"),
    [
        (PROPORTION, "12", "10", "numerator 12 is larger than denominator 10"),
        (PROPORTION, "3", "0", "denominator 0 must be above zero"),
        (PROPORTION, "3", "-4", "denominator -4 must be above zero"),
        (PROPORTION, "3", "ten", "denominator 'ten' is not a number"),
        (PROPORTION, "abc", "10", "value 'abc' is not a number"),
        (PROPORTION, "3", None, "a proportion needs a denominator"),
        (RATE, "3", None, "a rate needs a denominator"),
        (COUNT, "-1", None, "value -1 is negative"),
        (CONTINUOUS, "nan", None, "value 'nan' is not a number"),
        (CONTINUOUS, "inf", None, "value 'inf' is not a number"),
        (CONTINUOUS, "", None, "the value is empty"),
    ],
)
def test_refusals(measure: Measure, value: str, denominator: str | None, message: str) -> None:
    with pytest.raises(QiError, match=message) as info:
        parse_entry(measure, "2026-01-05", value, denominator)
    assert info.value.hint


def test_note_must_be_one_line() -> None:
    with pytest.raises(QiError, match="one line"):
        parse_entry(CONTINUOUS, "2026-01-05", "4", note="a\nb")


def test_add_keeps_date_order_and_other_lines_as_written(tmp_path: Path) -> None:
    root = project(tmp_path, "date,value\n2026-01-05,7.0\n2026-01-19,6.50\n")
    entry = parse_entry(CONTINUOUS, "2026-01-12", "6.0")
    result = add_value(root, "m", CONTINUOUS, entry)
    assert result.line == 3
    assert read(root) == "date,value\n2026-01-05,7.0\n2026-01-12,6\n2026-01-19,6.50\n"
    add_value(root, "m", CONTINUOUS, parse_entry(CONTINUOUS, "2025-12-29", "8"))
    add_value(root, "m", CONTINUOUS, parse_entry(CONTINUOUS, "2026-02-02", "5.25"))
    assert read(root).splitlines()[1] == "2025-12-29,8"
    assert read(root).splitlines()[-1] == "2026-02-02,5.25"


def test_add_creates_file_with_canonical_columns(tmp_path: Path) -> None:
    root = project(tmp_path)
    add_value(root, "m", PROPORTION, parse_entry(PROPORTION, "2026-01-05", "5", "13"))
    assert read(root) == "date,value,denominator\n2026-01-05,5,13\n"


def test_note_adds_a_column_in_canonical_order(tmp_path: Path) -> None:
    """The header alone changes: the earlier rows stay as written (short rows, and the
    file's CRLF line ends), so the change merges with a row added on another branch."""
    root = project(tmp_path, "date,value\r\n2026-01-05,7\r\n")
    entry = parse_entry(CONTINUOUS, "2026-01-12", "6", note="bank holiday, short week")
    add_value(root, "m", CONTINUOUS, entry)
    assert read(root) == (
        'date,value,note\r\n2026-01-05,7\r\n2026-01-12,6,"bank holiday, short week"\r\n'
    )
    rows, issues = parse_data(read(root), "m.csv", CONTINUOUS)
    assert issues == []
    assert rows[1].note == "bank holiday, short week"


def test_second_value_for_a_date_is_refused_unless_replace(tmp_path: Path) -> None:
    before = "date,value,denominator,note\n2026-01-05,5,13,audit\n2026-01-12,6,12,\n"
    root = project(tmp_path, before)
    with pytest.raises(QiError, match="already has a value for 2026-01-05: 5 of 13") as info:
        add_value(root, "m", PROPORTION, parse_entry(PROPORTION, "2026-01-05", "6", "13"))
    assert info.value.line == 2
    assert read(root) == before
    result = add_value(
        root,
        "m",
        PROPORTION,
        parse_entry(PROPORTION, "2026-01-05", "6", "13"),
        replace_existing=True,
    )
    assert result.replaced == ("5 of 13",)
    # the note written by hand stays with the replaced value
    assert read(root) == "date,value,denominator,note\n2026-01-05,6,13,audit\n2026-01-12,6,12,\n"


def test_subgroups_take_several_values_per_date(tmp_path: Path) -> None:
    subgroups = Measure.model_validate({"name": "T", "kind": "process", "data_type": "subgroups"})
    root = project(tmp_path, "date,value\n2026-01-05,4\n")
    add_value(root, "m", subgroups, parse_entry(subgroups, "2026-01-05", "6"))
    assert read(root) == "date,value\n2026-01-05,4\n2026-01-05,6\n"
    add_value(
        root, "m", subgroups, parse_entry(subgroups, "2026-01-05", "5"), replace_existing=True
    )
    assert read(root) == "date,value\n2026-01-05,5\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=1, max_size=25, unique=True))
def test_any_order_of_adds_gives_a_sorted_valid_file(days: list[int]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        root = project(Path(folder))
        for day in days:
            date = (dt.date(2026, 1, 1) + dt.timedelta(days=day)).isoformat()
            add_value(root, "m", CONTINUOUS, parse_entry(CONTINUOUS, date, str(day / 4)))
        rows, issues = parse_data(read(root), "m.csv", CONTINUOUS)
    assert issues == []
    assert [r.date for r in rows] == sorted(dt.date(2026, 1, 1) + dt.timedelta(d) for d in days)
    assert all(r.value == (r.date - dt.date(2026, 1, 1)).days / 4 for r in rows)


def test_parse_date_forms() -> None:
    assert parse_spreadsheet_date("2026-01-05T00:00:00") == dt.date(2026, 1, 5)
    assert parse_spreadsheet_date("05/01/2026", dayfirst=True) == dt.date(2026, 1, 5)
    assert parse_spreadsheet_date("01/05/2026", monthfirst=True) == dt.date(2026, 1, 5)
    assert parse_spreadsheet_date("5.1.26", dayfirst=True) == dt.date(2026, 1, 5)
    assert parse_spreadsheet_date("05-Jan-2026") == dt.date(2026, 1, 5)
    with pytest.raises(ValueError, match=r"pass \{dayfirst\}"):
        parse_spreadsheet_date("05/01/2026")
    with pytest.raises(ValueError, match="not a date"):
        parse_spreadsheet_date("week 3")
    with pytest.raises(ValueError):
        parse_spreadsheet_date("31/02/2026", dayfirst=True)


MESSY = (
    "\ufeffWeek starting,Ward,Seen in 24h,Admissions,Comment\r\n"
    "05/01/2026,7,5,13,\r\n"
    ",,,,\r\n"
    "12/01/2026,7,9,17,short-staffed\r\n"
    "19/01/2026,7,four,14,\r\n"
    "26/01/2026,7,4,11,\r\n"
    "\r\n"
    "02/02/2026,7,12,10,typo\r\n"
    "09/02/2026,7,7,12,\r\n"
    "16/02/2026,7,,,\r\n"
)


def test_import_messy_spreadsheet_export(tmp_path: Path) -> None:
    existing = "date,value,denominator\n2026-01-05,5,13\n2026-01-26,3,11\n2025-12-29,2,9\n"
    root = project(tmp_path, existing)
    source = tmp_path / "export.csv"
    source.write_bytes(MESSY.encode("utf-8"))
    columns = Columns("week starting", "3", "Admissions", "comment")

    uk = Reading(order="day-first")
    dry = import_file(root, "m", PROPORTION, source, columns, uk, dry_run=True)
    assert read(root) == existing  # a dry run writes nothing
    assert not dry.written

    plan = import_file(root, "m", PROPORTION, source, columns, uk)
    assert plan.written
    assert [e.date for e in plan.added] == [dt.date(2026, 1, 12), dt.date(2026, 2, 9)]
    assert plan.unchanged == 1  # 05/01 is already there with the same value
    assert [(c.date, c.existing, c.incoming.describe(), c.line) for c in plan.conflicts] == [
        (dt.date(2026, 1, 26), "3 of 11", "4 of 11", 6)
    ]
    assert [(r.line, r.reason) for r in plan.rejected] == [
        (
            5,
            "value 'four' is not a number: write a number such as 12 or 4.5; "
            "leave it empty if missing",
        ),
        (
            8,
            "numerator 12 is larger than denominator 10: a proportion counts cases out of "
            "the denominator: check both numbers",
        ),
    ]
    assert plan.no_value == [10]
    assert plan.blank_rows == 2
    assert plan.ignored_columns == ["Ward"]
    assert (dry.added, dry.conflicts, dry.rejected) == (plan.added, plan.conflicts, plan.rejected)
    text = read(root)
    # existing rows are all kept, as written (even the one out of order); new rows in order
    assert text == (
        "date,value,denominator,note\n"
        "2026-01-05,5,13\n"
        "2026-01-12,9,17,short-staffed\n"
        "2026-01-26,3,11\n"
        "2025-12-29,2,9\n"
        "2026-02-09,7,12,\n"
    )


def test_import_replace_takes_the_files_value(tmp_path: Path) -> None:
    root = project(tmp_path, "date,value,denominator,note\n2026-01-26,3,11,checked\n")
    source = tmp_path / "export.csv"
    source.write_text("date,value,denominator\n2026-01-26,4,11\n", encoding="utf-8")
    plan = import_file(root, "m", PROPORTION, source, Columns(), replace_existing=True)
    assert [c.date for c in plan.replaced] == [dt.date(2026, 1, 26)]
    assert read(root) == "date,value,denominator,note\n2026-01-26,4,11,checked\n"


def test_import_refuses_ambiguous_dates_and_missing_columns(tmp_path: Path) -> None:
    root = project(tmp_path, "date,value\n")
    source = tmp_path / "export.csv"
    source.write_text("Date,Value\n05/01/2026,4\n", encoding="utf-8")
    with pytest.raises(UsageError, match="05/01/2026 could be day/month") as ambiguous:
        import_file(root, "m", CONTINUOUS, source, Columns(), dry_run=True)
    assert ambiguous.value.message.endswith(
        "export.csv:2: dates such as 05/01/2026 could be day/month or month/day"
    )
    named = ambiguous.value.named({"dayfirst": "--dayfirst", "monthfirst": "--monthfirst"})
    assert "pass --dayfirst (UK, 31/01/2026) or --monthfirst" in (named.hint or "")
    with pytest.raises(QiError, match="no column 'los'"):
        import_file(root, "m", CONTINUOUS, source, Columns(value="los"))
    source.write_bytes("date,value\n2026-01-05,4\n".encode("utf-16"))
    with pytest.raises(QiError, match="UTF-16"):
        import_file(root, "m", CONTINUOUS, source, Columns())


def test_import_refuses_a_broken_measure_file(tmp_path: Path) -> None:
    root = project(tmp_path, "date,value\n2026-01-05,x\n")
    source = tmp_path / "export.csv"
    source.write_text("date,value\n2026-01-12,4\n", encoding="utf-8")
    with pytest.raises(QiError, match="not a number") as info:
        import_file(root, "m", CONTINUOUS, source, Columns())
    assert info.value.line == 2


def test_import_semicolons_and_duplicate_dates(tmp_path: Path) -> None:
    root = project(tmp_path)
    source = tmp_path / "export.csv"
    source.write_text("date;value\n2026-01-05;4\n2026-01-05;5\n", encoding="utf-8")
    plan = import_file(root, "m", CONTINUOUS, source, Columns())
    assert [e.describe() for e in plan.added] == ["4"]
    assert plan.rejected[0].reason == "second row for 2026-01-05 (first on line 2)"
    assert read(root) == "date,value\n2026-01-05,4\n"


def test_entry_cells() -> None:
    assert Entry(dt.date(2026, 1, 5), 5.0, 13.0, "x").cells() == {
        "date": "2026-01-05",
        "value": "5",
        "denominator": "13",
        "note": "x",
    }
