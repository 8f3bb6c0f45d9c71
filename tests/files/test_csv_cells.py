"""A measure's rows kept a column per field (`MeasureRows`), read as `DataRow`s on demand."""

from __future__ import annotations

import datetime as dt
import gc

import pytest

from qi_cli.files.csv_cells import NO_ROWS, DataRow, MeasureRows
from qi_cli.files.csv_file import parse_data
from qi_cli.measure_model import Measure

JAN_5, JAN_12, JAN_19 = dt.date(2026, 1, 5), dt.date(2026, 1, 12), dt.date(2026, 1, 19)
ROWS = [
    DataRow(date=JAN_12, value=4.0, denominator=12.0, line=2, unit="A"),
    DataRow(date=JAN_5, value=3.0, note="first", line=3, unit="B"),
    DataRow(date=JAN_12, value=None, exclude="audit", line=4, unit="B"),
]


def test_rows_as_columns_read_back_as_the_rows_they_were_made_of() -> None:
    rows = MeasureRows.of(ROWS)
    assert rows.dates == [JAN_12, JAN_5, JAN_12]
    assert rows.values == [4.0, 3.0, None]
    assert rows.exclusions == [None, None, "audit"]
    assert rows.units == ["A", "B", "B"]
    assert len(rows) == 3
    assert rows[1] == ROWS[1] and rows[-1] == ROWS[2]
    assert list(rows) == ROWS and rows == ROWS and rows == tuple(ROWS)
    assert list(reversed(rows)) == ROWS[::-1]
    assert rows[1:] == ROWS[1:] and isinstance(rows[1:], MeasureRows)
    assert MeasureRows.of(rows) is rows
    with pytest.raises(IndexError):
        rows[3]


def test_rows_sorted_by_date_keep_the_order_of_a_dates_rows() -> None:
    rows = MeasureRows.of(ROWS)
    assert rows.in_date_order() == [ROWS[1], ROWS[0], ROWS[2]]
    in_order = rows.in_date_order()
    assert in_order.in_date_order() is in_order  # already in order: no copy
    assert rows.take([2, 0]) == [ROWS[2], ROWS[0]]


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="values has 1 entries"):
        MeasureRows(
            dates=[JAN_5, JAN_12],
            values=[1.0],
            denominators=[None, None],
            notes=[None, None],
            exclusions=[None, None],
            lines=[2, 3],
            units=[None, None],
        )
    assert len(NO_ROWS) == 0 and NO_ROWS == []


def test_a_clean_file_is_read_into_columns_with_no_object_per_row() -> None:
    # a DataRow per row would be walked by the garbage collector at every full
    # collection as long as the project is loaded
    measure = Measure(name="LOS", kind="outcome", data_type="continuous")
    days = [dt.date(2030, 1, 1) + dt.timedelta(days=k) for k in range(500)]
    text = "date,value,note\n" + "".join(f"{d},{k % 9}.5,\n" for k, d in enumerate(days))
    rows, issues = parse_data(text, "los.csv", measure)
    assert issues == []
    assert not [o for o in gc.get_objects() if isinstance(o, DataRow) and o.date in days]
    assert rows.dates == days
    assert rows.values[:3] == [0.5, 1.5, 2.5] and rows.values[-1] == 499 % 9 + 0.5
    assert list(rows.lines) == list(range(2, 502))
    assert rows.notes == [None] * 500
    assert rows[7] == DataRow(date=days[7], value=7.5, line=9)


def test_rows_out_of_order_in_a_clean_file_are_sorted_by_date() -> None:
    text = "date,value,unit\n2026-01-12,4,A\n2026-01-05,3,A\n2026-01-12,5,B\n2026-01-05,6,B\n"
    rows, issues = parse_data(text, "m.csv", None)
    assert issues == []
    assert [(r.date, r.value, r.line, r.unit) for r in rows] == [
        (JAN_5, 3.0, 3, "A"),
        (JAN_5, 6.0, 5, "B"),
        (JAN_12, 4.0, 2, "A"),
        (JAN_12, 5.0, 4, "B"),
    ]
