"""The portfolio for the terminal: one row per project, then every measure's Making Data
Count summary.

Drawn by `render.table`, not rich: a portfolio can have thousands of rows. A module of
its own so that `qi portfolio` loads neither rich's console nor the report's charts.
"""

from __future__ import annotations

from typing import Any

from qi_cli.render.table import Column, cell_len, draw_table, shorten
from qi_cli.render.values import dash, one_line, value_text
from qi_cli.reports.words import SCORE_LEGEND, assurance_words, counted, variation_words


def _latest_target(entry: dict[str, Any]) -> str:
    unit = entry.get("unit")
    text = value_text(entry.get("latest"), unit)
    if entry.get("target") is not None:
        text += " / " + value_text(entry["target"], unit)
    return text


TITLE_LINES = 3
"""A project's title takes at most this many lines of the portfolio's table."""


def _title_width(titles: list[str], width: int) -> int:
    """The project column's width: 20 columns or a fifth of the table, wider for a long
    word (up to 30 columns, so that no word is cut), narrower when every title is short."""
    longest_word = max((cell_len(w) for t in titles for w in t.split()), default=7)
    longest = max((cell_len(t) for t in titles), default=7)
    return max(7, min(longest, max(20, width // 5, min(longest_word, 30))))


def render_portfolio(portfolio: dict[str, Any], *, width: int = 100, colour: bool = False) -> str:
    """The projects table, then every measure's Making Data Count summary.

    Drawn by `render.table`, not rich: a portfolio can have thousands of rows.
    """
    projects = [{**p, "title": one_line(p["title"])} for p in portfolio["projects"]]
    wide = width >= 120
    narrow = width < 100
    caption = f"{SCORE_LEGEND}\nErr: validation errors (run qi validate in the project)" + (
        "; Ad/Ab: change ideas adopted / abandoned" if wide else ""
    )
    title_width = _title_width([p["title"] for p in projects], width)
    columns = [Column("Project")]
    if wide:
        columns.append(Column("Lead", ratio=2))
    columns += [Column("Status"), Column("Score"), Column("Last cycle")]
    if not narrow:
        columns.append(Column("Cycles", justify="right"))
    if wide:
        columns.append(Column("Ad/Ab"))
    if narrow:
        columns.append(Column("Outcome (latest / target)", ratio=3))
    else:
        columns += [Column("Outcome / target", ratio=2), Column("Variation", ratio=3)]
    columns.append(Column("Err", justify="right"))
    rows: list[list[str] | None] = []
    for p in projects:
        outcome = p.get("outcome") or {}
        score = p["progress_score"]
        shown = f"{score:g}" if score is not None else "–"
        if score is not None and p["progress_change"]:
            shown += f" ({p['progress_change']:+g})"
        cells = ["\n".join(shorten(p["title"], title_width, TITLE_LINES))]
        if wide:
            cells.append(dash(p["lead"]))
        status = dash(p["status"]).replace("_", " ")
        if p["status"] is None and p["errors"]:
            status = "unreadable"
        cells += [status, shown, dash(p["last_cycle"])]
        if not narrow:
            cells.append(str(p["cycles"]))
        if wide:
            cells.append(f"{p['adopted']}/{p['abandoned']}")
        variation = (variation_words(outcome, short=True) or "no data yet") if outcome else "–"
        if narrow:
            cells.append(f"{_latest_target(outcome)}\n{variation}" if outcome else "–")
        else:
            cells += [_latest_target(outcome) if outcome else "–", variation]
        cells.append(str(p["errors"]) if p["errors"] else "")
        rows.append(cells)
    title = f"QI portfolio: {one_line(portfolio['root'])} ({counted(len(projects), 'project')})"
    lines = draw_table(columns, rows, width=width, title=title, caption=caption, colour=colour)
    measures = [(p, m) for p in projects for m in p.get("measures", [])]
    if measures:
        columns = [Column("Project / measure" if narrow else "Measure", ratio=4)]
        if not narrow:
            columns.append(Column("Kind"))
        columns += [
            Column("Latest / target", ratio=2),
            Column("Variation", ratio=2),
            Column("Assurance", ratio=2),
        ]
        rows = []
        heads: set[int] = set()
        last = None
        for p, m in measures:
            if p["title"] != last:
                if last is not None:
                    rows.append(None)
                heads.add(len(rows))
                rows.append([p["title"] + ":", *[""] * (3 if narrow else 4)])
                last = p["title"]
            name = one_line(m["name"]) + (f" ({m['kind']})" if narrow else "")
            rows.append(
                [
                    name,
                    *([] if narrow else [m["kind"]]),
                    _latest_target(m),
                    variation_words(m, short=True) or "no data yet",
                    assurance_words(m, short=True) or "–",
                ]
            )
        lines.append("")
        lines += draw_table(
            columns,
            rows,
            width=width,
            title="Making Data Count summary (every measure)",
            colour=colour,
            bold_rows=frozenset(heads),
        )
    return "\n".join(line.rstrip() for line in lines).rstrip("\n") + "\n"
