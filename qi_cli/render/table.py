"""Long tables for the terminal, laid out as rich lays out a SIMPLE_HEAD table, fast.

rich renders a table cell by cell through its renderable protocol, about a
millisecond a row: the portfolio of 1,000 projects (7,000 rows with its Making Data
Count summary) took five seconds to print. `draw_table` gives the same layout with
plain string operations: columns that fit their longest cell, columns that share the
width left over by ratio and wrap at spaces, the header underlined, sections apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len as rich_cell_len

from qi_cli.render.escape import terminal_text

BOLD, ITALIC, DIM, RESET = "\x1b[1m", "\x1b[3m", "\x1b[2m", "\x1b[0m"
COLOURS = {"green": "\x1b[32m", "yellow": "\x1b[33m", "red": "\x1b[31m", "grey": "\x1b[90m"}
"""The colours a cell may take (`draw_table`'s `cell_colours`)."""


@dataclass(frozen=True)
class Column:
    header: str
    ratio: int | None = None
    """None: as wide as the longest cell, never wrapped; else a share of the rest."""
    justify: str = "left"
    min_width: int = 1
    """The narrowest a ratio column may be made."""


def cell_len(text: str) -> int:
    """Columns `text` takes in a terminal (wide East Asian letters take two)."""
    if text.isascii():
        return len(text)

    return rich_cell_len(text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at spaces; a longer word ends
    in an ellipsis."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if cell_len(paragraph) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            if cell_len(word) > width:  # a word wider than the column: cut, as rich does
                word = word[: _fit(word, width - 1)] + "…"
            line = word
        lines.append(line)
    return lines


def shorten(text: str, width: int, max_lines: int) -> list[str]:
    """`text` in at most `max_lines` lines of `width` columns, never broken inside a word.

    Lines break at spaces, and a word wider than `width` at its hyphens; what does not
    fit is cut at a word boundary and marked with an ellipsis. Only a single word wider
    than the column with no hyphen is cut inside, as `wrap` cuts it.

    >>> shorten("Dementia-friendly signage on Ward 10", 16, 3)
    ['Dementia-', 'friendly signage', 'on Ward 10']
    >>> shorten("Dementia-friendly signage on Ward 10 and the day room", 18, 2)
    ['Dementia-friendly', 'signage on Ward…']
    """
    tokens: list[tuple[str, bool]] = []  # (text, a space before it)
    for word in text.split():
        if cell_len(word) > width and "-" in word.strip("-"):
            pieces = word.split("-")
            tokens.append((pieces[0] + "-", True))
            tokens += [(piece + "-", False) for piece in pieces[1:-1]]
            tokens.append((pieces[-1], False))
        else:
            tokens.append((word, True))
    lines: list[list[tuple[str, bool]]] = [[]]
    for token, spaced in tokens:
        line = lines[-1]
        if line and cell_len(_joined([*line, (token, spaced)])) > width:
            lines.append([])
            line = lines[-1]
        line.append((token, spaced))
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while len(last) > 1 and cell_len(_joined(last)) + 1 > width:
            last.pop()
        text, spaced = last[-1]
        lines = [*lines[: max_lines - 1], [*last[:-1], (text.rstrip("-,;:") + "…", spaced)]]
    return [wrap(_joined(line), width)[0] for line in lines]


def _joined(tokens: Sequence[tuple[str, bool]]) -> str:
    return "".join((" " if spaced and k else "") + text for k, (text, spaced) in enumerate(tokens))


def _fit(word: str, width: int) -> int:
    """How many characters of `word` fit in `width` columns."""
    used = 0
    for i, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return i
    return len(word)


def ratio_distribute(total: int, ratios: list[int], minimums: list[int]) -> list[int]:
    """Share `total` by `ratios`, each at least its minimum (rich's own rule)."""
    out: list[int] = []
    remaining_ratio = sum(ratios)
    remaining = total
    for ratio, minimum in zip(ratios, minimums, strict=True):
        share = -(-ratio * remaining // remaining_ratio) if remaining_ratio > 0 else remaining
        share = max(minimum, share)
        out.append(share)
        remaining_ratio -= ratio
        remaining -= share
    return out


def _longest(column: Column, i: int, rows: Sequence[Sequence[str] | None]) -> int:
    """The width of column `i`'s longest line, its header included."""
    return max(
        [cell_len(part) for row in rows if row for part in row[i].split("\n")]
        + [cell_len(part) for part in column.header.split("\n")]
    )


def draw_table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str] | None],
    *,
    width: int,
    title: str | None = None,
    caption: str | None = None,
    colour: bool = False,
    bold_rows: frozenset[int] = frozenset(),
    cell_colours: Mapping[tuple[int, int], str] | None = None,
    compact: bool = False,
) -> list[str]:
    """The table's lines (trailing spaces removed); a None row starts a new section.

    `cell_colours` maps (row, column) to a name in COLOURS, used when `colour` is on.
    `compact` draws a plain listing (as `qi cycle list` shows cycles): columns two spaces
    apart, no edges, no rule under the header, no blank line around the table, and a
    ratio column no wider than its longest cell."""
    # every cell is laid out as it will show: no control character from a file
    rows = [None if r is None else [terminal_text(c, keep_lines=True) for c in r] for r in rows]
    box = not compact
    k = len(columns)
    pads = [(0 if i == 0 else 1) + (0 if i == k - 1 else 1) for i in range(k)]
    available = width - 2 - (k - 1) if box else width  # the two edges and the dividers
    fixed: dict[int, int] = {}
    for i, column in enumerate(columns):
        if column.ratio is None:
            fixed[i] = _longest(column, i, rows) + pads[i]
    # a ratio column never grows past its longest cell: the rest goes to the others
    flexible = [i for i in range(k) if i not in fixed]
    while True:
        shares = ratio_distribute(
            available - sum(fixed.values()),
            [columns[i].ratio or 0 for i in flexible],
            [columns[i].min_width + pads[i] for i in flexible],
        )
        natural = {i: _longest(columns[i], i, rows) + pads[i] for i in flexible}
        capped = [i for i, share in zip(flexible, shares, strict=True) if share > natural[i]]
        if not capped or box:
            break
        fixed.update((i, natural[i]) for i in capped)
        flexible = [i for i in flexible if i not in capped]
    widths = [fixed[i] if i in fixed else shares[flexible.index(i)] for i in range(k)]
    inner = [max(w - p, 1) for w, p in zip(widths, pads, strict=True)]

    def cells(row: Sequence[str]) -> list[list[str]]:
        return [
            wrap(text, inner[i]) if columns[i].ratio is not None else text.split("\n")
            for i, text in enumerate(row)
        ]

    def join(parts: list[list[str]], bottom: bool, row: int = -1) -> list[str]:
        height = max(len(p) for p in parts)
        if bottom:
            parts = [[""] * (height - len(p)) + p for p in parts]
        out = []
        for n in range(height):
            texts = []
            for i, part in enumerate(parts):
                text = part[n] if n < len(part) else ""
                gap = " " * max(inner[i] - cell_len(text), 0)
                name = cell_colours.get((row, i)) if colour and cell_colours else None
                if name and text:
                    text = f"{COLOURS[name]}{text}{RESET}"
                texts.append(gap + text if columns[i].justify == "right" else text + gap)
            out.append((" " + "   ".join(texts) if box else "  ".join(texts)).rstrip())
        return out

    def style(line: str, code: str) -> str:
        return f"{code}{line}{RESET}" if colour and line else line

    lines: list[str] = []
    if title:
        lines += [style(line, ITALIC) for line in wrap(terminal_text(title), width)]
    if box:
        lines.append("")
    lines += [style(line, BOLD) for line in join(cells([c.header for c in columns]), True)]
    if box:
        lines.append(" " + "─" * (width - 2))
    for n, row in enumerate(rows):
        if row is None:
            lines.append("")
            continue
        drawn = join(cells(row), False, n)
        lines += [style(line, BOLD) for line in drawn] if n in bold_rows else drawn
    if box:
        lines.append("")
    if caption:
        lines += [style(line, DIM + ITALIC) for line in wrap(caption, width)]
    return lines
