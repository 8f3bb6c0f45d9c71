"""The stakeholder analysis as a grid and a table: terminal, Markdown and SVG.

The grid is the IHI and NHS one: influence (high, low) down the side, the five levels
of support across, each stakeholder in the cell where they stand now, with an arrow to
where the project needs them. The table says who they are, the move needed and the
plan. Every function takes the analysis as data (`stakeholder_view`) and returns text.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

from qi_cli.render.escape import markdown_text
from qi_cli.render.printable import printable
from qi_cli.render.table import Column, draw_table

MOVE_UP, MOVE_DOWN = "→", "←"
TITLE = "Stakeholder analysis"


def svg_wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters for the drawing; a longer word is broken,
    never cut short, so every letter of a label is drawn."""
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


def _move(row: dict[str, Any], words: dict[str, str]) -> str:
    """`neutral → support`, or the level alone when no move is needed."""
    if row["gap"] == 0:
        return words[row["support"]]
    return (
        f"{words[row['support']]} {MOVE_UP if row['gap'] > 0 else MOVE_DOWN} {words[row['needed']]}"
    )


def _words(view: dict[str, Any]) -> dict[str, str]:
    return {level["id"]: level["label"] for level in view["levels"]}


def _names(view: dict[str, Any], influence: str, level: str) -> list[str]:
    rows = {r["id"]: r for r in view["stakeholders"]}
    out = []
    for sid in view["grid"][influence][level]:
        row = rows[sid]
        mark = f" {MOVE_UP}" if row["gap"] > 0 else (f" {MOVE_DOWN}" if row["gap"] < 0 else "")
        out.append(row["name"] + mark)
    return out


def terminal(view: dict[str, Any], *, width: int = 80, colour: bool = False) -> str:
    """The grid (where each stakeholder stands now) and the table of moves and plans."""
    view = printable(view)
    words = _words(view)
    if not view["stakeholders"]:
        return "no stakeholders yet\n"
    # support down the side and influence across: two wide columns fit any terminal
    grid_columns = [
        Column("support now"),
        *(Column(f"{i} influence", ratio=1) for i in view["influences"]),
    ]
    grid_rows = [
        [level["label"]] + ["\n".join(_names(view, i, level["id"])) for i in view["influences"]]
        for level in reversed(view["levels"])
    ]
    lines = draw_table(
        grid_columns,
        grid_rows,
        width=width,
        title=f"{TITLE}: where each stakeholder stands now ({MOVE_UP} the project needs "
        "more support from them)",
        colour=colour,
    )
    table_rows = []
    for r in view["stakeholders"]:
        who = r["name"] + (f"\n{r['role']}" if r["role"] else "")
        table_rows.append([who, r["influence"], _move(r, words), r["plan"] or "–"])
    lines += draw_table(
        [
            Column("stakeholder", ratio=3, min_width=10),
            Column("influence"),
            Column("now → needed", ratio=2, min_width=10),
            Column("plan", ratio=4, min_width=12),
        ],
        table_rows,
        width=width,
        colour=colour,
    )
    return "\n".join(line.rstrip() for line in lines) + "\n"


def markdown(view: dict[str, Any], *, heading: str = "##") -> str:
    """A Markdown section: the grid as a table, then who, the move needed and the plan."""
    words = _words(view)
    lines = [f"{heading} {TITLE}", ""]
    if not view["stakeholders"]:
        return "\n".join([*lines, "No stakeholders yet."]) + "\n"
    header = ["Influence", *(level["label"].capitalize() for level in view["levels"])]
    lines += [
        "Where each stakeholder stands now (→: the project needs more support from them).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    for influence in view["influences"]:
        cells = [
            "<br>".join(markdown_text(n) for n in _names(view, influence, level["id"])) or "–"
            for level in view["levels"]
        ]
        lines.append(f"| {influence.capitalize()} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| Stakeholder | Role | Influence | Now → needed | Plan |",
        "|---|---|---|---|---|",
    ]
    for r in view["stakeholders"]:
        cells = [
            markdown_text(r["name"]),
            markdown_text(r["role"] or "–"),
            r["influence"],
            _move(r, words),
            markdown_text(r["plan"] or "–"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --- SVG ---------------------------------------------------------------------------------

CELL_W = 150
HEAD_W = 86
CHIP_W = 138
LINE = 14
SMALL_LINE = 12
CHAR = 6.4  # the average width of a 12px sans-serif character
MARGIN = 12
HEADER_H = 40
MOVE_FILL, MOVE_STROKE = "#fff3c4", "#b07d00"
HOLD_FILL, HOLD_STROKE = "#e8f3e8", "#2e7d32"


def _chip(row: dict[str, Any], words: dict[str, str]) -> tuple[list[str], list[str]]:
    name = svg_wrap(row["name"], int(CHIP_W / CHAR) - 2)
    if row["gap"] > 0:
        note = svg_wrap(f"{MOVE_UP} needed: {words[row['needed']]}", int(CHIP_W / 5.8) - 2)
    elif row["gap"] < 0:
        note = svg_wrap(f"{MOVE_DOWN} needed: {words[row['needed']]}", int(CHIP_W / 5.8) - 2)
    else:
        note = ["where needed"]
    return name, note


def stakeholder_svg(view: dict[str, Any]) -> str:
    """The grid as SVG: one chip per stakeholder in the cell where they stand now,
    amber with the level needed when they must move, green when they stand where
    needed."""
    words = _words(view)
    rows = {r["id"]: r for r in view["stakeholders"]}
    chips = {sid: _chip(r, words) for sid, r in rows.items()}

    def chip_h(sid: str) -> float:
        name, note = chips[sid]
        return len(name) * LINE + len(note) * SMALL_LINE + 10

    row_h = {
        influence: max(
            [60.0]
            + [
                sum(chip_h(sid) + 6 for sid in view["grid"][influence][level["id"]]) + 12
                for level in view["levels"]
            ]
        )
        for influence in view["influences"]
    }
    width = 2 * MARGIN + HEAD_W + CELL_W * len(view["levels"])
    height = 2 * MARGIN + HEADER_H + sum(row_h.values()) + 24
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qi-stakeholders" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        'aria-labelledby="stakeholders-title" font-family="sans-serif">',
        f'<title id="stakeholders-title">{TITLE}: influence and support now</title>',
    ]
    x0, y0 = float(MARGIN + HEAD_W), float(MARGIN + HEADER_H)
    out.append(
        f'<text x="{MARGIN:g}" y="{MARGIN + 24:g}" font-size="11" fill="#555555">support now</text>'
    )
    for i, level in enumerate(view["levels"]):
        x = x0 + i * CELL_W + CELL_W / 2
        out.append(
            f'<text x="{x:g}" y="{MARGIN + 24:g}" font-size="12" font-weight="bold" '
            f'text-anchor="middle">{escape(level["label"])}</text>'
        )
    y = y0
    for influence in view["influences"]:
        h = row_h[influence]
        out.append(
            f'<text x="{MARGIN:g}" y="{y + 20:g}" font-size="12" font-weight="bold">'
            f"{escape(influence)} influence</text>"
        )
        for i, level in enumerate(view["levels"]):
            cx = x0 + i * CELL_W
            out.append(
                f'<rect class="cell" x="{cx:g}" y="{y:g}" width="{CELL_W}" height="{h:g}" '
                'fill="#fafafa" stroke="#bbbbbb"/>'
            )
            cy = y + 6
            for sid in view["grid"][influence][level["id"]]:
                out += _chip_svg(rows[sid], chips[sid], cx + (CELL_W - CHIP_W) / 2, cy)
                cy += chip_h(sid) + 6
        y += h
    out.append(
        f'<text x="{MARGIN:g}" y="{y + 18:g}" font-size="11" fill="#555555">'
        f"{MOVE_UP} amber: the project needs more support from them; green: they stand "
        "where needed</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _chip_svg(
    row: dict[str, Any], chip: tuple[list[str], list[str]], x: float, y: float
) -> list[str]:
    name, note = chip
    h = len(name) * LINE + len(note) * SMALL_LINE + 10
    fill, stroke = (MOVE_FILL, MOVE_STROKE) if row["gap"] != 0 else (HOLD_FILL, HOLD_STROKE)
    about = f"{row['name']}: {row['support'].replace('_', ' ')} now, "
    about += f"{row['needed'].replace('_', ' ')} needed"
    out = [
        f'<g class="stakeholder" data-stakeholder="{escape(row["id"])}">',
        f"<title>{escape(about)}</title>",
        f'<rect x="{x:g}" y="{y:g}" width="{CHIP_W}" height="{h:g}" rx="4" fill="{fill}" '
        f'stroke="{stroke}"/>',
    ]
    ty = y + 5 + LINE - 3
    for line in name:
        out.append(
            f'<text x="{x + CHIP_W / 2:g}" y="{ty:g}" font-size="12" text-anchor="middle">'
            f"{escape(line)}</text>"
        )
        ty += LINE
    for line in note:
        out.append(
            f'<text x="{x + CHIP_W / 2:g}" y="{ty:g}" font-size="10" font-style="italic" '
            f'text-anchor="middle" fill="#555555">{escape(line)}</text>'
        )
        ty += SMALL_LINE
    out.append("</g>")
    return out
