"""Pareto charts: text bars for the terminal, an SVG for HTML, and Markdown.

Each function takes the chart as data (`qi_cli.toolkit.pareto.pareto_view`) and
returns text. The terminal chart is turned on its side, so that long category names
read on their own line: one bar per category, largest first, on a 0-100% scale; `●`
marks the cumulative percentage and `┆` the 80% line, so it reads the same without
colour. The SVG is the classic chart: bars sorted descending, the cumulative line and
points on the same percent axis, a dashed 80% line, and each bar labelled with its count.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from qi_cli.render.escape import markdown_fence, markdown_text, terminal_text, xml_text
from qi_cli.render.svg_parts import CHAR_WIDTH
from qi_cli.render.table import cell_len, wrap

BAR, CUMULATIVE, EIGHTY, THIN = "█", "●", "┆", "▏"
MISSING_LABEL = "(missing)"
MIN_PLOT = 20
ANSI = {"bar": "\x1b[34m", "cumulative": "\x1b[33;1m", "eighty": "\x1b[90m", "bold": "\x1b[1m"}
RESET = "\x1b[0m"


def _label(row: dict[str, Any]) -> str:
    category = row["category"]
    return MISSING_LABEL if category is None else str(category)


def percent(p: float) -> str:
    """A share as people read it: one decimal.

    >>> percent(0.368421), percent(1.0)
    ('36.8%', '100.0%')
    """
    return f"{100 * p:.1f}%"


def _paint(text: str, kind: str, colour: bool) -> str:
    return f"{ANSI[kind]}{text}{RESET}" if colour and kind in ANSI else text


def _plot_row(p: float, p_cum: float, size: int, colour: bool) -> str:
    """One bar on a 0-100% scale of `size` columns, with the 80% line and the
    cumulative mark (the mark wins where they meet: it is the one that must be read)."""
    cells = [" "] * size
    kinds = ["space"] * size
    full = round(p * size)
    for i in range(min(full, size)):
        cells[i], kinds[i] = BAR, "bar"
    if full == 0 and p > 0:
        cells[0], kinds[0] = THIN, "bar"  # a small share is still seen
    eighty = math.ceil(0.8 * size) - 1
    if cells[eighty] == " ":
        cells[eighty], kinds[eighty] = EIGHTY, "eighty"
    mark = min(size - 1, max(0, math.ceil(p_cum * size - 1e-9) - 1))
    cells[mark], kinds[mark] = CUMULATIVE, "cumulative"
    # one colour code per run of marks of a kind, not per character
    out = ""
    for kind, run in itertools.groupby(zip(cells, kinds, strict=True), key=lambda c: c[1]):
        text = "".join(cell for cell, _ in run)
        out += _paint(text, kind, colour)
    return out.rstrip()


def _axis(size: int) -> str:
    """`0%`, `50%`, `80%` and `100%` under the columns they stand for."""
    line = [" "] * (size + 4)
    # the ends and the 80% line first; 50% only where it has room
    for value, text in ((0.0, "0%"), (1.0, "100%"), (0.8, "80%"), (0.5, "50%")):
        column = 0 if value == 0 else math.ceil(value * size) - 1
        start = max(0, min(column - len(text) // 2, size + 4 - len(text)))
        if value == 0.0:
            start = 0
        if all(c == " " for c in line[max(0, start - 1) : start + len(text) + 1]):
            line[start : start + len(text)] = text
    return "".join(line).rstrip()


def summary(view: dict[str, Any]) -> list[str]:
    """The sentences under a chart: the total, what was left out, the vital few."""
    total = view["total"]
    lines = [f"Total: {total}."]
    if view["missing_dropped"]:
        n = view["missing_dropped"]
        lines.append(
            f"{n} row{'s' * (n != 1)} with no category {'are' if n != 1 else 'is'} left out "
            "(qi pareto --include-missing counts them)."
        )
    few = view["vital_few"]
    rows = view["rows"]
    if len(rows) > 1:
        reached = rows[len(few) - 1]["p_cum"]
        lines.append(
            f"The first {len(few)} of {len(rows)} categories account for {percent(reached)} "
            "of the total: the vital few to tackle first."
        )
    return lines


def pareto_bars(view: dict[str, Any], *, width: int = 80, colour: bool = False) -> list[str]:
    """The chart's lines: a header with the scale, then a row per category with its
    count, share, cumulative share and bar (a long name wraps onto lines of its own)."""
    rows = view["rows"]
    n_width = max(len("n"), *(len(str(r["count"])) for r in rows))
    numbers = n_width + 2 + 6 + 2 + 6  # n, %, cum %
    labels = [terminal_text(_label(r)) for r in rows]
    longest = max(cell_len(label) for label in labels)
    label_width = max(8, min(longest, 40, round(width * 0.33), width - numbers - MIN_PLOT - 6))
    plot = max(MIN_PLOT, width - label_width - numbers - 6)
    head = f"{'category':<{label_width}}  {'n':>{n_width}}  {'%':>6}  {'cum %':>6}  "
    out = [(head + _axis(plot)).rstrip()]
    for row, label in zip(rows, labels, strict=True):
        lines = wrap(label, label_width)
        first = lines[0] + " " * (label_width - cell_len(lines[0]))
        numbers_text = (
            f"{row['count']:>{n_width}}  {percent(row['p']):>6}  {percent(row['p_cum']):>6}"
        )
        out.append(f"{first}  {numbers_text}  {_plot_row(row['p'], row['p_cum'], plot, colour)}")
        out += [line.rstrip() for line in lines[1:]]
    out.append(f"{BAR} share of the total   {CUMULATIVE} cumulative share   {EIGHTY} 80%")
    return out


def render_pareto_text(view: dict[str, Any], *, width: int = 80, colour: bool = False) -> str:
    """The chart for the terminal: the title, the bars, and the sentences that read it."""
    bold, reset = (ANSI["bold"], RESET) if colour else ("", "")
    out = [line for line in wrap(terminal_text(view["title"]), width)]
    out[0] = f"{bold}{out[0]}{reset}"
    if view.get("description"):
        out += wrap(terminal_text(view["description"]), width)
    out += ["", *pareto_bars(view, width=width, colour=colour), ""]
    out += [line for sentence in summary(view) for line in wrap(sentence, width)]
    return "\n".join(out) + "\n"


def render_pareto_markdown(view: dict[str, Any], *, heading: str = "##") -> str:
    """The chart for Markdown: a table in plotted order, the sentences, and the text
    chart in a code block (which GitHub and GitLab show as written)."""
    out = [f"{heading} {markdown_text(view['title'])}", ""]
    if view.get("description"):
        out += [markdown_text(view["description"]), ""]
    if view.get("source"):
        out += [f"Source: {markdown_text(view['source'])}", ""]
    out += ["| # | category | n | % | cumulative % |", "|---:|---|---:|---:|---:|"]
    for i, row in enumerate(view["rows"], start=1):
        label = "*(missing)*" if row["category"] is None else markdown_text(row["category"])
        out.append(
            f"| {i} | {label} | {row['count']} | {percent(row['p'])} | {percent(row['p_cum'])} |"
        )
    out += ["", *summary(view), ""]
    bars = pareto_bars(view, width=80)
    # a category holding a fence cannot close the block: the fence is longer
    out += [*markdown_fence("\n".join(bars), "text"), ""]
    return "\n".join(out)


# --- SVG ------------------------------------------------------------------------------

BAR_FILL = "#1f6fb2"
LINE_COLOUR = "#d46a00"
EIGHTY_COLOUR = "#6b6b6b"


def _svg_wrap(text: str, chars: int) -> list[str]:
    return wrap(" ".join(text.split()), max(4, chars))


def alt_text(view: dict[str, Any]) -> str:
    """One sentence for screen readers: what is counted and the largest categories."""
    rows = view["rows"]
    top = "; ".join(f"{_label(r)} {r['count']} ({percent(r['p'])})" for r in rows[:3])
    return (
        f"Pareto chart of {view['title']}: {view['total']} in {len(rows)} categories, "
        f"largest first: {top}. {len(view['vital_few'])} categories reach "
        f"{percent(rows[len(view['vital_few']) - 1]['p_cum'])}."
    )


def render_pareto_svg(view: dict[str, Any], *, width: int = 720) -> str:
    """The chart as an `<svg>` element with a title, a text alternative and a key."""
    rows = view["rows"]
    left, right, top = 48, 48, 30
    plot_w = width - left - right
    slot = plot_w / len(rows)
    chars = int((slot - 6) // CHAR_WIDTH)
    labels = [_svg_wrap(_label(r), chars) for r in rows]
    label_lines = min(4, max(len(lines) for lines in labels))
    plot_h = 220
    bottom = top + plot_h
    height = bottom + 14 + label_lines * 13 + 40

    def sy(p: float) -> float:
        return bottom - plot_h * p

    parts = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        'stroke="#cccccc"/>'
    ]
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        y = sy(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#eeeeee"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">'
            f"{round(tick * 100)}%</text>"
        )
    points = []
    for i, (row, lines) in enumerate(zip(rows, labels, strict=True)):
        x = left + i * slot
        y = sy(row["p"])
        parts.append(
            f'<rect class="bar" x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{bottom - y:.1f}" fill="{BAR_FILL}"><title>{xml_text(_label(row))}: '
            f"{row['count']} ({percent(row['p'])})</title></rect>"
        )
        # the count inside a bar tall enough, clear of the cumulative point on its top
        inside = bottom - y >= 18
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{y + 13 if inside else y - 4:.1f}" '
            f'text-anchor="middle" class="{"count in" if inside else "count"}">'
            f"{row['count']}</text>"
        )
        shown = lines[:label_lines]
        if len(lines) > label_lines:
            shown[-1] = shown[-1][: max(1, chars - 1)] + "…"
        for k, line in enumerate(shown):
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{bottom + 14 + k * 13:.1f}" '
                f'text-anchor="middle" class="cat">{xml_text(line)}</text>'
            )
        points.append((x + slot / 2, sy(row["p_cum"])))
    y80 = sy(0.8)
    parts.append(
        f'<line class="eighty" x1="{left}" y1="{y80:.1f}" x2="{left + plot_w}" y2="{y80:.1f}" '
        f'stroke="{EIGHTY_COLOUR}" stroke-dasharray="6 4"/>'
    )
    parts.append(f'<text x="{left + plot_w + 4}" y="{y80 + 4:.1f}" class="tick">80%</text>')
    path = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points)
    parts.append(
        f'<path class="cumulative" d="{path}" fill="none" stroke="{LINE_COLOUR}" '
        'stroke-width="1.6"/>'
    )
    for (x, y), row in zip(points, rows, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="{LINE_COLOUR}">'
            f"<title>cumulative {percent(row['p_cum'])}</title></circle>"
        )
    key_y = height - 14
    first, second = "share of the total (count on the bar)", "cumulative share"
    x2 = left + 16 + len(first) * CHAR_WIDTH + 20  # each key item after the words before it
    x3 = x2 + 24 + len(second) * CHAR_WIDTH + 20
    parts += [
        f'<rect x="{left}" y="{key_y - 9}" width="12" height="10" fill="{BAR_FILL}"/>',
        f'<text x="{left + 16}" y="{key_y}" class="tick">{first}</text>',
        f'<path d="M{x2:.1f} {key_y - 4}h18" stroke="{LINE_COLOUR}" stroke-width="1.6"/>',
        f'<circle cx="{x2 + 9:.1f}" cy="{key_y - 4}" r="3.2" fill="{LINE_COLOUR}"/>',
        f'<text x="{x2 + 24:.1f}" y="{key_y}" class="tick">{second}</text>',
        f'<path d="M{x3:.1f} {key_y - 4}h18" stroke="{EIGHTY_COLOUR}" stroke-dasharray="6 4"/>',
        f'<text x="{x3 + 24:.1f}" y="{key_y}" class="tick">80%</text>',
    ]
    alt = alt_text(view)
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
        f'width="100%" role="img" aria-label="{xml_text(alt)}">\n'
        f"<title>{xml_text(view['title'])}</title>\n<desc>{xml_text(alt)}</desc>\n"
        "<style>.tick{font:11px sans-serif;fill:#444}.cat{font:11px sans-serif;fill:#222}"
        ".count{font:bold 11px sans-serif;fill:#222}.in{fill:#ffffff}</style>\n"
        f"{body}\n</svg>"
    )
