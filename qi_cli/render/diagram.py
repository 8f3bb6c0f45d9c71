"""The driver diagram as inline SVG for the HTML report: aim → primary drivers →
secondary drivers → change ideas, left to right, boxes joined by connectors.

Each column is a stack of boxes; a box's text is wrapped to the column and escaped. A
box sits level with the boxes it leads to where there is room (the mean of their
centres), pushed down where it would touch the box above, so the connectors run
mostly straight. The drawing scales with the page (a `viewBox`, width 100%): it reads
at 1000 pixels wide and on A4, in grey scale too (the kinds differ by border, not
only colour). The diagram's words are also its text alternative.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from html import escape
from typing import Any

WIDTH = 1000
GAP = 44  # between columns, where the connectors run
LINE = 15  # text line height
PAD = 7
SPACE = 10  # between boxes of a column
TOP = 30  # room for the column headings
CHAR = 6.6  # average width of a 12px sans-serif character
MAX_DEPTH = 4  # driver columns drawn; deeper drivers share the last one
EDGE = 2  # room around the drawing for the outer boxes' borders

STYLES = {
    "aim": 'fill="#1f6fb2" stroke="#1f6fb2"',
    "primary": 'fill="#dce9f5" stroke="#1f6fb2" stroke-width="1.6"',
    "secondary": 'fill="#f1f6fb" stroke="#5b8fc2"',
    "change": 'fill="#ffffff" stroke="#555555"',
    "abandoned": 'fill="#ffffff" stroke="#999999" stroke-dasharray="4 3"',
}
HEADINGS = {
    "aim": "Aim",
    "primary": "Primary drivers",
    "secondary": "Secondary drivers",
    "change": "Change ideas",
}


@dataclass
class _Box:
    key: str
    kind: str
    lines: list[str]
    links: list[str] = field(default_factory=list)  # keys of the boxes it leads to
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0

    @property
    def h(self) -> float:
        return len(self.lines) * LINE + 2 * PAD

    @property
    def mid(self) -> float:
        return self.y + self.h / 2


def _columns(report: dict[str, Any]) -> list[list[_Box]]:
    """The boxes of each column, in the order a reader follows them from the aim."""
    diagram = report["driver_diagram"]
    drivers = diagram["drivers"]
    primaries = [d for d in drivers if d["primary"] or not d["parents"]]
    secondaries = [d for d in drivers if d not in primaries]
    aim_text = (report.get("aim") or {}).get("statement") or report["project"]["title"]
    aim = _Box("aim", "aim", [aim_text], [f"d:{d['id']}" for d in primaries])
    boxes: dict[str, _Box] = {}
    for d in drivers:
        kind = "primary" if d in primaries else "secondary"
        boxes[f"d:{d['id']}"] = _Box(f"d:{d['id']}", kind, [d["name"]])
    for d in secondaries:
        for parent in d["parents"]:
            if f"d:{parent}" in boxes:
                boxes[f"d:{parent}"].links.append(f"d:{d['id']}")
    for c in diagram["changes"]:
        status = c["status"]
        box = _Box(f"c:{c['id']}", "abandoned" if status == "abandoned" else "change", [c["title"]])
        box.lines.append(f"({status})")
        boxes[box.key] = box
        for d in c["drivers"]:
            if f"d:{d}" in boxes:
                boxes[f"d:{d}"].links.append(box.key)
    # order each column by the first path from the aim that reaches it
    order: list[str] = []

    def visit(key: str) -> None:
        if key in order:
            return
        order.append(key)
        for nxt in boxes[key].links:
            visit(nxt)

    for key in aim.links:
        visit(key)
    order += [k for k in boxes if k not in order]  # drivers in a loop, unlinked ideas
    # a driver's column: one right of its furthest parent, so every link runs rightwards
    depth = {f"d:{d['id']}": 1 for d in primaries}
    for _ in range(len(drivers)):
        for d in secondaries:
            known = [depth[f"d:{p}"] for p in d["parents"] if f"d:{p}" in depth]
            if known:
                depth[f"d:{d['id']}"] = min(1 + max(known), MAX_DEPTH)
    columns = [[aim]]
    for level in range(1, MAX_DEPTH + 1):
        column = [boxes[k] for k in order if k.startswith("d:") and depth.get(k, 2) == level]
        if column:
            columns.append(column)
    changes = [boxes[k] for k in order if k.startswith("c:")]
    if changes:
        columns.append(changes)
    return columns


def _place(columns: list[list[_Box]]) -> float:
    """Set every box's position and width; return the drawing's height."""
    col_w = (WIDTH - GAP * (len(columns) - 1)) / len(columns)
    chars = max(12, int((col_w - 2 * PAD) / CHAR))
    for k, column in enumerate(columns):
        for box in column:
            box.x, box.w = k * (col_w + GAP), col_w
            wrapped = [
                part
                for line in box.lines
                for part in textwrap.wrap(line, chars, break_on_hyphens=False) or [""]
            ]
            box.lines = wrapped
    # the rightmost column is stacked; each column to its left sits level with its links
    by_key = {box.key: box for column in columns for box in column}
    for k in range(len(columns) - 1, -1, -1):
        bottom: float = TOP
        for box in columns[k]:
            targets = [by_key[t] for t in box.links if t in by_key and by_key[t].x > box.x]
            wanted = sum(t.mid for t in targets) / len(targets) - box.h / 2 if targets else bottom
            box.y = max(wanted, bottom)
            bottom = box.y + box.h + SPACE
    return max(box.y + box.h for column in columns for box in column) + 4


def _free_level(y: float, x1: float, x2: float, boxes: list[_Box]) -> float:
    """A height at which a line from x1 to x2 passes no box: `y` itself if it can, else
    the nearest gap between the boxes in the way (a line never runs behind a box)."""
    between = [b for b in boxes if b.x >= x1 and b.x + b.w <= x2]

    def free(level: float) -> bool:
        return all(not b.y - 2 <= level <= b.y + b.h + 2 for b in between)

    if free(y):
        return y
    gaps = [b.y - SPACE / 2 for b in between] + [b.y + b.h + SPACE / 2 for b in between]
    return min((g for g in gaps if free(g)), key=lambda g: abs(g - y), default=y)


def _connector(a: _Box, b: _Box, boxes: list[_Box]) -> str:
    """A curve from a box's right edge to the left edge of a box it leads to, with an
    arrow head; a link that skips a column runs through a gap between the boxes there."""
    x1, y1 = a.x + a.w, a.mid
    x2, y2 = b.x, b.mid
    start = x2 - GAP  # the last curve takes the gap before the box it reaches
    path = f"M{x1:.1f} {y1:.1f}"
    if start > x1 + 1:  # across other columns: into a free level, along it, then out
        level = _free_level(y1, x1, start, boxes)
        half = x1 + GAP / 2
        path += f"C{half:.1f} {y1:.1f} {half:.1f} {level:.1f} {x1 + GAP:.1f} {level:.1f}"
        path += f"H{start:.1f}"
        y1 = level
    c1, c2 = start + GAP / 2, x2 - GAP / 2
    path += f"C{c1:.1f} {y1:.1f} {c2:.1f} {y2:.1f} {x2 - 5:.1f} {y2:.1f}"
    return (
        f'<path d="{path}" fill="none" stroke="#777777" stroke-width="1.2"/>'
        f'<path d="M{x2 - 6:.1f} {y2 - 3.5:.1f}L{x2:.1f} {y2:.1f}L{x2 - 6:.1f} {y2 + 3.5:.1f}Z" '
        'fill="#777777"/>'
    )


def _box(box: _Box) -> str:
    colour = "#ffffff" if box.kind == "aim" else "#1a1a1a"
    weight = ' font-weight="600"' if box.kind in ("aim", "primary") else ""
    texts = []
    for n, line in enumerate(box.lines):
        status = box.kind in ("change", "abandoned") and n == len(box.lines) - 1
        fill = "#555555" if status else colour
        texts.append(
            f'<text x="{box.x + PAD:.1f}" y="{box.y + PAD + LINE * n + 11:.1f}" '
            f'fill="{fill}"{"" if status else weight}>{escape(line)}</text>'
        )
    return (
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" '
        f'rx="4" {STYLES[box.kind]}/>' + "".join(texts)
    )


def describe_diagram(report: dict[str, Any]) -> str:
    """The diagram in one paragraph of words: its text alternative."""
    diagram = report["driver_diagram"]
    names = {d["id"]: d["name"] for d in diagram["drivers"]}
    parts = []
    for d in diagram["drivers"]:
        kind = "primary driver" if d["primary"] or not d["parents"] else "secondary driver"
        parent = (
            f" (feeds {', '.join(names.get(p, p) for p in d['parents'])})" if d["parents"] else ""
        )
        parts.append(f"{kind} {d['name']}{parent}")
    for c in diagram["changes"]:
        drivers = ", ".join(names.get(d, d) for d in c["drivers"])
        parts.append(f"change idea {c['title']} ({c['status']}; for {drivers})")
    aim = (report.get("aim") or {}).get("statement") or report["project"]["title"]
    return f"Driver diagram. Aim: {aim}. " + "; ".join(parts) + "."


def driver_diagram_svg(report: dict[str, Any]) -> str:
    """The driver diagram as an `<svg>` element; empty when there are no drivers."""
    if not report["driver_diagram"]["drivers"]:
        return ""
    columns = _columns(report)
    height = _place(columns)
    kinds = [next(iter({b.kind for b in c} - {"abandoned"}), "change") for c in columns]
    heads = "".join(
        f'<text x="{column[0].x:.1f}" y="16" class="head">{HEADINGS[kind]}</text>'
        for column, kind in zip(columns, kinds, strict=True)
    )
    by_key = {box.key: box for column in columns for box in column}
    every = list(by_key.values())
    links = "".join(
        _connector(box, by_key[t], every)
        for column in columns
        for box in column
        for t in box.links
        if by_key[t].x > box.x  # a loop in the drivers: the list below still shows it
    )
    boxes = "".join(_box(box) for column in columns for box in column)
    alt = escape(describe_diagram(report))
    return (
        f'<svg class="drivers" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{-EDGE} {-EDGE} {WIDTH + 2 * EDGE} {height + 2 * EDGE:.0f}" '
        f'width="100%" role="img" aria-label="{alt}">'
        f"<title>Driver diagram</title><desc>{alt}</desc>"
        "<style>text{font:12px sans-serif}.head{font-weight:600;fill:#333}</style>"
        f"{heads}{links}{boxes}</svg>"
    )
