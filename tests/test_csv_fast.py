"""The column-at-a-time CSV reader gives exactly what the row loop gives, or declines.

`store._clean_rows` reads clean files quickly and returns None for anything that
needs a closer look; `parse_data` then reads row by row and reports the problems.
Every text here is read both ways (the fast reader switched off for the reference)
and the rows and issues must be identical.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.files import loader as store
from qi_cli.files.loader import DataRow, parse_data
from qi_cli.model import Measure

MEASURES = {
    kind: Measure.model_validate({"name": "M", "kind": "process", "data_type": kind})
    for kind in ("proportion", "rate", "count", "continuous", "subgroups")
}


def both_ways(text: str, measure: Measure, monkeypatch: pytest.MonkeyPatch) -> tuple[object, bool]:
    """parse_data's answer (checked equal to the row loop's), and whether the fast
    reader gave it."""
    answers: list[object] = []
    fast_reader = store._clean_rows

    def spy(*args: Any) -> object:
        answers.append(fast_reader(*args))
        return answers[-1]

    with monkeypatch.context() as m:
        m.setattr(store, "_clean_rows", spy)
        fast = parse_data(text, "m.csv", measure)
    with monkeypatch.context() as m:
        m.setattr(store, "_clean_rows", lambda *args: None)
        slow = parse_data(text, "m.csv", measure)
    assert fast == slow, text
    return fast, any(a is not None for a in answers)


def test_a_clean_file_takes_the_fast_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "date,value,denominator,note\n2026-01-05,3,10,\n2026-01-12,4,12, first week \n"
    (rows, issues), used_fast = both_ways(text, MEASURES["proportion"], monkeypatch)
    assert used_fast and issues == []
    assert rows == [
        DataRow(dt.date(2026, 1, 5), 3.0, 10.0, None, None, 2),
        DataRow(dt.date(2026, 1, 12), 4.0, 12.0, "first week", None, 3),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "2026-01-12,4,12\n2026-01-05,3,10\n",  # out of order: a warning
        "2026-01-05,3,10\n2026-01-05,4,10\n",  # a date twice
        "2026-01-05,,10\n",  # a missing value
        "20260105,3,10\n",  # a date Python reads but qi refuses
        "2026-02-30,3,10\n",  # a date that does not exist
        "2026-01-05,11,10\n",  # numerator above denominator
        "2026-01-05,-1,10\n",  # negative
        "2026-01-05,nan,10\n",
        "2026-01-05,3,0\n",
        "2026-01-05,3\n",  # a short row
        "2026-01-05,3,10,4\n",  # a long row
        '2026-01-05,"3",10\n',  # quotes
        "2026-01-05,3,10\r\n2026-01-12,3,10\r\n",  # CRLF is fine
        "2026-01-05,3,10\r2026-01-12,3,10\r",  # bare CR is not
        "\n2026-01-05,3,10\n\n",  # blank lines
        "2026-01-05,1e16,1e17\n",
        "2026-01-05,1_000,2000\n",
    ],
)
def test_awkward_files_read_the_same_either_way(body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    both_ways("date,value,denominator\n" + body, MEASURES["proportion"], monkeypatch)


CELLS = st.sampled_from(
    [
        "2026-01-05",
        "2026-01-12",
        "2026-01-19",
        "2026-02-30",
        "20260105",
        " 2026-01-26 ",
        "",
        "3",
        "0",
        "-1",
        "4.5",
        " 7 ",
        "1,5",
        "1e3",
        "nan",
        "inf",
        "x",
        "12",
        "1e16",
        '"2"',
        "ü",
    ]
)
ROW = st.lists(CELLS, min_size=1, max_size=5).map(",".join)


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    header = draw(
        st.sampled_from(
            [
                "date,value",
                "date,value,denominator",
                "value,date,note",
                "date,value,denominator,exclude",
                "Date , Value",
            ]
        )
    )
    if draw(st.integers(0, 3)):  # mostly clean-looking rows in date order
        start = dt.date(2026, 1, 5)
        rows = []
        width = header.count(",") + 1
        for k in range(draw(st.integers(1, 30))):
            day = (start + dt.timedelta(weeks=k)).isoformat()
            cells = [str(draw(st.integers(0, 20))) for _ in range(width)]
            names = [h.strip().lower() for h in header.split(",")]
            cells[names.index("date")] = day
            if "denominator" in names:
                cells[names.index("denominator")] = str(draw(st.integers(20, 40)))
            rows.append(",".join(cells))
        if not draw(st.integers(0, 2)) and rows:  # then spoil one
            rows[draw(st.integers(0, len(rows) - 1))] = draw(ROW)
    else:
        rows = draw(st.lists(ROW, max_size=8))
    return "\n".join([header, *rows]) + draw(st.sampled_from(["\n", "", "\r\n", "\n\n"]))


@settings(max_examples=1500, deadline=None)
@given(csv_texts(), st.sampled_from(sorted(MEASURES)))
def test_any_file_reads_the_same_either_way(text: str, kind: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        both_ways(text, MEASURES[kind], monkeypatch)
