"""render.table draws what rich draws for the same table, a hundred times faster.

The portfolio's tables are drawn by `draw_table` instead of rich (thousands of rows);
these tests render generated tables both ways and compare them line for line.
"""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from qi_cli.render.table import Column, draw_table, wrap

WORDS = st.sampled_from(
    ["Ward", "7", "falls", "improvement", "(lower)", "2026-03-02", "–", "5.5 days", "/",
     "common cause", "Physiotherapy", "reviewed", "within", "24", "hours", "Zoë", "hit and miss",
     "a", "special-cause", "outstanding"]
)  # fmt: skip
TEXT = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[list[str] | None], int]:
    k = draw(st.integers(2, 6))
    columns = [
        Column(
            draw(TEXT),
            ratio=draw(st.sampled_from([None, 1, 2, 3, 4])) if i != 1 else draw(st.integers(1, 4)),
            justify=draw(st.sampled_from(["left", "right"])),
        )
        for i in range(k)
    ]
    rows: list[list[str] | None] = []
    for _ in range(draw(st.integers(1, 8))):
        rows.append([draw(TEXT) for _ in range(k)])
        if draw(st.integers(0, 5)) == 0:
            rows.append(None)
    if rows[-1] is None:
        rows.pop()
    return columns, rows, draw(st.integers(70, 160))


def rich_lines(
    columns: list[Column], rows: list[list[str] | None], width: int, title: str, caption: str
) -> list[str]:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        title_justify="left",
        expand=True,
        caption=caption,
        caption_justify="left",
        pad_edge=False,
    )
    for c in columns:
        if c.ratio is None:
            table.add_column(c.header, no_wrap=True, justify=c.justify)  # type: ignore[arg-type]
        else:
            table.add_column(c.header, ratio=c.ratio, justify=c.justify)  # type: ignore[arg-type]
    for row in rows:
        if row is None:
            table.add_section()
        else:
            table.add_row(*row)
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return [line.rstrip() for line in text.splitlines()]


def fits(columns: list[Column], rows: list[list[str] | None], width: int) -> bool:
    """Whether the columns that do not wrap leave room for the others (rich then
    squeezes even those, which the portfolio's layouts never need)."""
    fixed = [
        max(len(c.header), *(len(r[i]) for r in rows if r)) + 2
        for i, c in enumerate(columns)
        if c.ratio is None
    ]
    flexible = [c for c in columns if c.ratio is not None]
    return sum(fixed) + 12 * len(flexible) + len(columns) + 2 <= width


@settings(max_examples=300, deadline=None)
@given(tables())
def test_draws_what_rich_draws(table: tuple[list[Column], list[list[str] | None], int]) -> None:
    columns, rows, width = table
    if not fits(columns, rows, width):
        return
    ours = draw_table(columns, rows, width=width, title="Title of it", caption="A caption")
    assert ours == rich_lines(columns, rows, width, "Title of it", "A caption")


def test_wrap_breaks_at_spaces_and_cuts_long_words() -> None:
    assert wrap("Mean length of stay", 10) == ["Mean", "length of", "stay"]
    assert wrap("Physiotherapy review", 8) == ["Physiot…", "review"]
    assert wrap("two\nlines", 20) == ["two", "lines"]
    assert wrap("病棟の転倒", 6) == ["病棟…"]  # wide letters take two columns


def test_sections_and_right_justified_columns() -> None:
    columns = [Column("Project", ratio=3), Column("Err", justify="right")]
    lines = draw_table(columns, [["Falls", "12"], None, ["Ward 7 pressure ulcers", ""]], width=30)
    assert lines == [
        "",
        " Project                  Err",
        " " + "─" * 28,
        " Falls                     12",
        "",
        " Ward 7 pressure ulcers",
        "",
    ]


def test_compact_listing_shares_the_width_and_colours_cells() -> None:
    columns = [
        Column("#", justify="right"),
        Column("idea", ratio=1, min_width=6),
        Column("scale", ratio=1),
    ]
    rows: list[list[str] | None] = [
        ["1", "Automatic physio referral from ED", "one patient"],
        ["10", "Leaflet", "all wards"],
    ]
    lines = draw_table(columns, rows, width=30, compact=True)
    # no edges, no rule, no blank lines: the header, then the rows wrapped at spaces
    # "#" takes 2, "scale" its longest cell (11): "idea" gets the other 13 of 30
    assert lines[0] == " #  idea           scale"
    assert lines[1:5] == [
        " 1  Automatic      one patient",
        "    physio",
        "    referral from",
        "    ED",
    ]
    assert all(len(line) <= 30 for line in lines)
    # wide enough: a ratio column is as wide as its longest cell and no wider
    wide = draw_table(columns, rows, width=120, compact=True)
    assert wide[1] == " 1  Automatic physio referral from ED  one patient"
    coloured = draw_table(
        columns, rows, width=120, compact=True, colour=True, cell_colours={(1, 2): "green"}
    )
    assert coloured[2] == "10  Leaflet                            \x1b[32mall wards\x1b[0m"
    plain = draw_table(columns, rows, width=120, compact=True, cell_colours={(1, 2): "green"})
    assert "\x1b" not in "".join(plain)
