"""The process map as an SVG flowchart, laid out in layers by igraph's Sugiyama layout.

The layout is the classic layered one (Sugiyama, Tagawa and Toda 1981): each step gets
a layer, steps in a layer are ordered to keep edges from crossing, and an edge that
spans layers bends through the free places between the boxes. qi chooses the layers
itself (the longest path from the start, leaving out the edges that loop back) so the
start is always at the top; igraph orders and places the steps within the layers and
routes the long edges (`Graph.layout_sugiyama`). Edges are drawn at right angles and
turn only in the gaps between layers, where no box stands; a loop back to an earlier
step goes up a lane right of the drawing.

Shapes follow flowchart practice: start and end rounded, an action a rectangle, a
decision a diamond, a wait the half-round "delay" shape. Steps that a change idea
targets are filled amber and starred. All text is escaped and wrapped.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape
from typing import Any

import igraph

FONT = 12
LINE = 15  # a line of the label
SMALL = 11
SMALL_LINE = 13  # a line of the role or the change idea
CHAR = 6.6  # the average width of a 12px sans-serif character, for wrapping
PAD = 10
BOX_W = 190  # every step is as wide: columns line up
PITCH = BOX_W + 60  # from one column to the next
GAP = 44  # between layers, where edges turn
LANE = 16  # between the lanes that loops go up, right of the drawing
LOOP_OFFSET = 14  # a loop leaves and enters beside the middle of a step
MARGIN = 16
STROKE = "#333333"
CHANGED_FILL = "#fff3c4"
CHANGED_STROKE = "#b07d00"
FILL = "#ffffff"
END_FILL = "#eef3f8"
CHANGE_MARK = "★"
ROLE_COLOUR = "#555555"
CHANGED_TEXT = "#6e4b00"  # dark amber: 4.5:1 and more on the amber fill, for small text


def svg_wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters for the drawing; a longer word is broken,
    never cut short, so every letter of a label is drawn."""
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]


@dataclass
class Box:
    """One step's shape: its size and, once laid out, its place (top-left corner)."""

    step: dict[str, Any]
    lines: list[str]
    small: list[tuple[str, str]]  # the role and the change ideas: (line, colour)
    width: float
    height: float
    x: float = 0.0
    y: float = 0.0

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


def _box(step: dict[str, Any]) -> Box:
    kind = step["kind"]
    # characters a line holds: the box's width less its padding; a wait's text keeps
    # clear of its round end, a decision's stays in the middle half of the diamond
    room = {"decision": BOX_W / 2, "wait": BOX_W - 2 * PAD - 30}.get(kind, BOX_W - 2 * PAD)
    chars = int(room / CHAR)
    label = f"{step['number']}. {step['label']}"
    if step["duration"]:
        label += f" (typically {step['duration']})"
    lines = svg_wrap(label, chars)
    role = svg_wrap(step["role"], chars + 3) if step["role"] else []
    small = [(line, ROLE_COLOUR) for line in role]
    for change in step["changes"]:
        mark = svg_wrap(f"{CHANGE_MARK} {change['title']}", chars + 3)
        small += [(line, CHANGED_TEXT) for line in mark]
    text_height = len(lines) * LINE + len(small) * SMALL_LINE
    # a diamond is twice as tall as its text: the text sits in its middle half
    height = max(2 * text_height + PAD, 70) if kind == "decision" else text_height + 2 * PAD
    return Box(step=step, lines=lines, small=small, width=BOX_W, height=height)


def layers(view: dict[str, Any]) -> list[int]:
    """Each step's layer: the longest path to it from the start, loops left out.

    A depth-first walk from the start finds the edges that close a loop (they lead
    back to a step still on the walk); without them the map is acyclic, and the
    longest-path layering of an acyclic graph puts every edge downwards.

    >>> view = {"steps": [
    ...     {"number": 1, "kind": "start", "exits": [{"number": 2}]},
    ...     {"number": 2, "kind": "decision", "exits": [{"number": 3}, {"number": 4}]},
    ...     {"number": 3, "kind": "action", "exits": [{"number": 2}]},
    ...     {"number": 4, "kind": "end", "exits": []}]}
    >>> layers(view)
    [0, 1, 2, 2]
    """
    steps = view["steps"]
    n = len(steps)
    out = [[e["number"] - 1 for e in s["exits"]] for s in steps]
    start = next((i for i, s in enumerate(steps) if s["kind"] == "start"), 0)
    back: set[tuple[int, int]] = set()
    state = [0] * n  # 0 unseen, 1 on the walk, 2 done
    stack = [(start, iter(out[start]))]
    state[start] = 1
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            state[node] = 2
            stack.pop()
        elif state[child] == 1:
            back.add((node, child))
        elif state[child] == 0:
            state[child] = 1
            stack.append((child, iter(out[child])))
    layer = [0] * n
    # Kahn's order over the edges that go forward
    incoming = [0] * n
    for u in range(n):
        for v in out[u]:
            if (u, v) not in back:
                incoming[v] += 1
    ready = [u for u in range(n) if incoming[u] == 0]
    while ready:
        u = ready.pop(0)
        for v in out[u]:
            if (u, v) in back:
                continue
            layer[v] = max(layer[v], layer[u] + 1)
            incoming[v] -= 1
            if incoming[v] == 0:
                ready.append(v)
    return layer


def _layout(
    view: dict[str, Any], boxes: list[Box]
) -> tuple[list[list[tuple[float, float]]], float]:
    """Place the boxes; return each edge's points (grid units turned to pixels) and the
    width of the drawing."""
    steps = view["steps"]
    edges = [(s["number"] - 1, e["number"] - 1) for s in steps for e in s["exits"]]
    layer = layers(view)
    graph = igraph.Graph(n=len(steps), edges=edges, directed=True)
    placed = graph.layout_sugiyama(layers=layer, hgap=1, vgap=1)
    routing = placed.edge_routing
    xs = [c[0] for c in placed.coords] + [p[0] for route in routing for p in route]
    left = float(min(xs))
    count = max(layer) + 1
    band = [20.0] * count  # a layer with only bends in it still needs room
    for box, at in zip(boxes, layer, strict=True):
        band[at] = max(band[at], box.height)
    top = [float(MARGIN)]
    for height in band[:-1]:
        top.append(top[-1] + height + GAP)

    def px(x: float) -> float:
        return MARGIN + BOX_W / 2 + (x - left) * PITCH

    for box, (x, _), at in zip(boxes, placed.coords, layer, strict=True):
        box.x = px(x) - box.width / 2
        box.y = top[at] + (band[at] - box.height) / 2
    routes = []
    right = max(b.x + b.width for b in boxes)
    loops = 0
    for (u, v), bends in zip(edges, routing, strict=True):
        if layer[v] <= layer[u]:  # a loop back: around the right of the drawing
            loops += 1
            lane = right + loops * LANE
            bottom = top[layer[u]] + band[layer[u]]
            routes.append(_loop(boxes[u], boxes[v], lane, bottom, top[layer[v]]))
            continue
        points = [(px(x), top[int(y)] + band[int(y)] / 2) for x, y in bends]
        routes.append(_orthogonal(boxes[u], points, boxes[v], top, band))
    width = max(2 * MARGIN + BOX_W + (max(xs) - left) * PITCH, right + loops * LANE + MARGIN)
    return routes, width


def _loop(
    source: Box, target: Box, lane: float, bottom: float, top: float
) -> list[tuple[float, float]]:
    """A loop back to an earlier step: out of the bottom of the step, along the gap under
    its layer, up a lane right of every box, and into the top of the earlier step.
    Both ends sit beside the middle, where the forward edges leave and arrive."""
    # a little off the middle of the gaps, where the forward edges turn
    below = bottom + GAP / 2 + 8
    above = top - GAP / 2 - 8
    x_out = source.cx + LOOP_OFFSET
    y_out = source.y + source.height
    if source.step["kind"] == "decision":  # on the diamond's sloping edge
        y_out -= LOOP_OFFSET * source.height / source.width
    x_in = target.cx + LOOP_OFFSET
    y_in = target.y
    if target.step["kind"] == "decision":  # on the diamond's sloping edge
        y_in += LOOP_OFFSET * target.height / target.width
    return [
        (x_out, y_out),
        (x_out, below),
        (lane, below),
        (lane, above),
        (x_in, above),
        (x_in, y_in),
    ]


def _gap_below(y: float, top: list[float], band: list[float]) -> float:
    """The middle of the gap under the layer that holds height y."""
    for t, b in zip(top, band, strict=True):
        if t - GAP / 2 <= y <= t + b + GAP / 2:
            return t + b + GAP / 2
    return y + GAP / 2


def _orthogonal(
    source: Box,
    bends: list[tuple[float, float]],
    target: Box,
    top: list[float],
    band: list[float],
) -> list[tuple[float, float]]:
    """An edge down the layers, as right-angled segments that turn only in the gaps."""
    start = (source.cx, source.y + source.height)
    end = (target.cx, target.y)
    points = [start]
    for point in [*bends, end]:
        last = points[-1]
        if point[0] != last[0]:
            mid = _gap_below(last[1], top, band)
            points += [(last[0], mid), (point[0], mid)]
        points.append(point)
    return points


def _shape(box: Box) -> str:
    kind = box.step["kind"]
    changed = bool(box.step["changes"])
    fill = CHANGED_FILL if changed else (END_FILL if kind in ("start", "end") else FILL)
    stroke = CHANGED_STROKE if changed else STROKE
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{2.5 if changed else 1.2}"'
    x, y, w, h = box.x, box.y, box.width, box.height
    if kind == "decision":
        corners = [(x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2)]
        points = " ".join(f"{cx:g},{cy:g}" for cx, cy in corners)
        return f'<polygon class="shape" points="{points}" {paint}/>'
    if kind == "wait":  # the flowchart "delay": flat on the left, half round on the right
        r = h / 2
        return (
            f'<path class="shape" d="M{x:g},{y:g} L{x + w - r:g},{y:g} '
            f'A{r:g},{r:g} 0 0 1 {x + w - r:g},{y + h:g} L{x:g},{y + h:g} Z" {paint}/>'
        )
    rx = min(h / 2, 22) if kind in ("start", "end") else 3
    return (
        f'<rect class="shape" x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" rx="{rx:g}" '
        f"{paint}/>"
    )


def _text(box: Box) -> list[str]:
    text_height = len(box.lines) * LINE + len(box.small) * SMALL_LINE
    shift = -box.height / 4 if box.step["kind"] == "wait" else 0  # clear of the round end
    cx = box.cx + shift
    y = box.cy - text_height / 2 + FONT - 1
    out = []
    for line in box.lines:
        out.append(
            f'<text x="{cx:g}" y="{y:g}" font-size="{FONT}" text-anchor="middle">'
            f"{escape(line)}</text>"
        )
        y += LINE
    for line, colour in box.small:
        out.append(
            f'<text x="{cx:g}" y="{y:g}" font-size="{SMALL}" font-style="italic" '
            f'text-anchor="middle" fill="{colour}">{escape(line)}</text>'
        )
        y += SMALL_LINE
    return out


def _edge(points: list[tuple[float, float]], label: str | None, marker: str) -> list[str]:
    coords = " ".join(f"{x:g},{y:g}" for x, y in points)
    out = [
        f'<polyline class="edge" points="{coords}" fill="none" stroke="{STROKE}" '
        f'stroke-width="1.2" marker-end="url(#{marker})"/>'
    ]
    if label:
        # beside the first segment that is this branch's own: after its first turn
        (x0, y0), x1 = points[0], points[1][0]
        if len(points) > 2 and x1 == x0 and points[2][0] != x1:
            x0, y0 = points[2]
        out.append(
            f'<text class="branch" x="{x0 + 5:g}" y="{y0 + 13:g}" font-size="{SMALL}" '
            f'fill="#333333">{escape(label)}</text>'
        )
    return out


def process_svg(view: dict[str, Any]) -> str:
    """The flowchart of one state of the process map, as a self-contained SVG (its title's
    element id names the state, so both states can share a page)."""
    boxes = [_box(step) for step in view["steps"]]
    routes, width = _layout(view, boxes)
    height = max(b.y + b.height for b in boxes) + MARGIN
    state = "future state" if view["state"] == "future" else "current state"
    title = f"{view['title'] or 'Process map'} ({state})"
    targeted = [b.step for b in boxes if b.step["changes"]]
    marker = f"process-arrow-{view['state']}"  # ids unique on a page with both states
    legend = []
    if targeted:
        legend_y = height + 4
        legend.append(
            f'<text x="{MARGIN}" y="{legend_y + SMALL:g}" font-size="{SMALL}" '
            f'fill="{CHANGED_TEXT}">{CHANGE_MARK} amber: a step a change idea targets</text>'
        )
        height = legend_y + SMALL_LINE + MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="qi-process" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="process-title-{view["state"]}" font-family="sans-serif">',
        f'<title id="process-title-{view["state"]}">{escape(title)}</title>',
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 Z" '
        f'fill="{STROKE}"/></marker></defs>',
    ]
    exits = [e for s in view["steps"] for e in s["exits"]]
    for points, out_edge in zip(routes, exits, strict=True):
        out += _edge(points, out_edge["label"], marker)
    for box in boxes:
        step = box.step
        classes = f"step step-{step['kind']}" + (" step-changed" if step["changes"] else "")
        about = f"{step['number']}. {step['label']} ({step['kind']}"
        about += f", {step['role']})" if step["role"] else ")"
        out.append(f'<g class="{classes}" data-step="{escape(step["id"])}">')
        out.append(f"<title>{escape(about)}</title>")
        out.append(_shape(box))
        out += _text(box)
        out.append("</g>")
    out += legend
    out.append("</svg>")
    return "\n".join(out) + "\n"
