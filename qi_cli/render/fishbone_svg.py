"""The cause-and-effect diagram drawn as a fishbone (Ishikawa) SVG, for HTML.

The effect is the head on the right, at the end of a horizontal spine. Each category
is a bone slanting away from the spine, above and below in turn, with its name in a box
at the far end; each cause is a labelled rib along its bone (its sub-causes beneath it
in smaller type). A rib drawn solid names a driver or change idea that addresses the
cause; a dashed orange rib is a cause nothing addresses yet. Text is wrapped, escaped,
and sized from its length, so bones never share their space.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from qi_cli.render.escape import xml_text
from qi_cli.render.svg_parts import CHAR_WIDTH
from qi_cli.render.table import wrap

CAUSE_CHARS = 30  # a cause wraps at this many characters
SUB_CHARS = 34  # a sub-cause, in smaller type
SUB_WIDTH = 5.6  # average width of a 10px character
LINE = 14  # px between the lines of a label
GAP = 8  # px between causes
RIB_GAP = 3  # px under every label's rib, so the next label's letters clear it
SLANT = 0.45  # a bone moves this far left for each px away from the spine
SPINE = "#333333"
ADDRESSED = "#1f6fb2"
UNADDRESSED = "#d46a00"
HEAD_CHARS = 24


@dataclass
class _Label:
    """One cause or sub-cause: its wrapped lines and how it is drawn."""

    lines: list[str]
    sub: bool
    addressed: bool
    tip: str

    @property
    def width(self) -> float:
        return max(len(line) for line in self.lines) * (SUB_WIDTH if self.sub else CHAR_WIDTH)

    @property
    def height(self) -> float:
        return len(self.lines) * LINE


@dataclass
class _Bone:
    name: str
    labels: list[_Label] = field(default_factory=list)

    @property
    def height(self) -> float:
        causes = sum(1 for label in self.labels if not label.sub)
        labels = sum(label.height + RIB_GAP for label in self.labels)
        return labels + GAP * max(0, causes - 1)

    @property
    def text_width(self) -> float:
        widths = [label.width + (12 if label.sub else 0) for label in self.labels]
        return max([len(self.name) * CHAR_WIDTH, *widths])


def _tip(cause: dict[str, Any]) -> str:
    links = ", ".join(link["title"] or link["id"] for link in cause["addressed_by"])
    if links:
        return f"{cause['cause']}: addressed by {links}"
    if cause.get("out_of_scope"):
        return f"{cause['cause']}: out of scope ({cause['out_of_scope']})"
    return f"{cause['cause']}: not addressed yet"


def _bones(view: dict[str, Any]) -> list[_Bone]:
    bones = []
    for category in view["categories"]:
        bone = _Bone(name=" ".join(category["name"].split()))
        for cause in category["causes"]:
            bone.labels.append(
                _Label(
                    lines=wrap(" ".join(cause["cause"].split()), CAUSE_CHARS),
                    sub=False,
                    addressed=cause["addressed"] or bool(cause.get("out_of_scope")),
                    tip=_tip(cause),
                )
            )
            for sub in cause["causes"]:
                bone.labels.append(
                    _Label(
                        lines=wrap(" ".join(sub["cause"].split()), SUB_CHARS),
                        sub=True,
                        addressed=True,
                        tip=_tip({**sub, "out_of_scope": None})
                        if sub["addressed_by"]
                        else sub["cause"],
                    )
                )
        bones.append(bone)
    return bones


def _text(x: float, y: float, lines: list[str], cls: str, anchor: str = "end") -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{y + k * LINE:.1f}">{xml_text(line)}</tspan>'
        for k, line in enumerate(lines)
    )
    return f'<text class="{cls}" text-anchor="{anchor}">{spans}</text>'


def render_fishbone_svg(view: dict[str, Any]) -> str:
    """The fishbone as an `<svg>` element, with a title, a text alternative and a key."""
    bones = _bones(view)
    top_bones, bottom_bones = bones[0::2], bones[1::2]
    pad = 16
    reach_top = max([60.0, *(b.height + 2 * pad for b in top_bones)])
    reach_bottom = max([60.0, *(b.height + 2 * pad for b in bottom_bones)])
    box_h = 22
    margin = 12
    spine_y = margin + box_h + reach_top
    columns = math.ceil(len(bones) / 2) or 1
    # each column is as wide as its widest text, plus the bone's slant
    widths = []
    for k in range(columns):
        pair = bones[2 * k : 2 * k + 2]
        reach = max(reach_top, reach_bottom)
        text = max([120.0, *(b.text_width for b in pair)])
        widths.append(text + reach * SLANT + 36)
    left = margin + 8
    head_lines = wrap(" ".join(view["effect"].split()), HEAD_CHARS)
    head_w = HEAD_CHARS * CHAR_WIDTH + 24
    head_h = max(44.0, len(head_lines) * LINE + 18)
    spine_end = left + sum(widths) + 10
    width = spine_end + head_w + margin
    height = spine_y + reach_bottom + box_h + margin + 30
    parts = [
        f'<path class="spine" d="M{left:.1f} {spine_y:.1f}H{spine_end:.1f}" stroke="{SPINE}" '
        'stroke-width="3" fill="none"/>',
        f'<path d="M{spine_end - 12:.1f} {spine_y - 7:.1f}L{spine_end:.1f} {spine_y:.1f}'
        f'L{spine_end - 12:.1f} {spine_y + 7:.1f}Z" fill="{SPINE}"/>',
        f'<rect class="head" x="{spine_end:.1f}" y="{spine_y - head_h / 2:.1f}" '
        f'width="{head_w:.1f}" height="{head_h:.1f}" rx="6" fill="#fff4e5" stroke="{SPINE}" '
        'stroke-width="1.5"/>',
        _text(
            spine_end + head_w / 2,
            spine_y - (len(head_lines) - 1) * LINE / 2 + 4,
            head_lines,
            "effect",
            "middle",
        ),
    ]
    x_join = float(left)
    for k in range(columns):
        x_join += widths[k]
        for side, bone in (
            (-1, bones[2 * k] if 2 * k < len(bones) else None),
            (1, bones[2 * k + 1] if 2 * k + 1 < len(bones) else None),
        ):
            if bone is not None:
                reach = reach_top if side < 0 else reach_bottom
                parts += _draw_bone(bone, x_join, spine_y, side, reach, box_h)
    key_y = height - 12
    parts += [
        f'<path d="M{left} {key_y - 4}h22" stroke="{ADDRESSED}" stroke-width="1.4"/>',
        f'<text x="{left + 28}" y="{key_y}" class="key">addressed by a driver or change idea '
        "(or out of scope)</text>",
        f'<path d="M{left + 330} {key_y - 4}h22" stroke="{UNADDRESSED}" stroke-width="1.4" '
        'stroke-dasharray="4 3"/>',
        f'<text x="{left + 358}" y="{key_y}" class="key">not addressed yet</text>',
    ]
    alt = alt_text(view)
    body = "\n".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" role="img" aria-label="{xml_text(alt)}">\n'
        f"<title>{xml_text('Cause and effect: ' + view['effect'])}</title>\n"
        f"<desc>{xml_text(alt)}</desc>\n"
        "<style>.cause{font:11px sans-serif;fill:#222}.sub{font:10px sans-serif;fill:#555}"
        ".cat{font:bold 12px sans-serif;fill:#222}.effect{font:bold 12px sans-serif;fill:#222}"
        ".key{font:11px sans-serif;fill:#444}</style>\n"
        f"{body}\n</svg>"
    )


def _draw_bone(
    bone: _Bone, x_join: float, spine_y: float, side: int, reach: float, box_h: float
) -> list[str]:
    """One category: the bone from the spine to its name, and its ribs with labels.
    `side` is -1 above the spine, 1 below it."""
    end_x = x_join - reach * SLANT
    end_y = spine_y + side * reach

    def bone_x(y: float) -> float:
        return x_join - abs(y - spine_y) * SLANT

    parts = [
        f'<path class="bone" d="M{x_join:.1f} {spine_y:.1f}L{end_x:.1f} {end_y:.1f}" '
        f'stroke="{SPINE}" stroke-width="2" fill="none"/>'
    ]
    name_w = len(bone.name) * CHAR_WIDTH + 16
    box_y = end_y - box_h if side < 0 else end_y
    parts.append(
        f'<rect class="category" x="{end_x - name_w / 2:.1f}" y="{box_y:.1f}" '
        f'width="{name_w:.1f}" height="{box_h}" rx="4" fill="#eef4fa" stroke="{SPINE}"/>'
    )
    parts.append(_text(end_x, box_y + 15, [bone.name], "cat", "middle"))
    # labels fill the bone's length from its far end (above) or from the spine (below)
    y = (end_y + 16 if side < 0 else spine_y + 16) + 10
    first = True
    for label in bone.labels:
        if not label.sub and not first:
            y += GAP
        first = False
        rib_y = y + (len(label.lines) - 1) * LINE + 4
        bx = bone_x(rib_y)
        indent = 14 if label.sub else 0
        # clear of the bone along the whole label: where it comes nearest the text
        x_text = min(bone_x(y - 10), bx) - 6 - indent
        colour = ADDRESSED if label.addressed else UNADDRESSED
        dash = "" if label.addressed else ' stroke-dasharray="4 3"'
        rib_len = label.width + 10
        parts.append(
            f'<g class="{"subcause" if label.sub else "cause"}">'
            f"<title>{xml_text(label.tip)}</title>"
            f'<path d="M{bx:.1f} {rib_y:.1f}H{bx - indent - rib_len:.1f}" stroke="{colour}" '
            f'stroke-width="{1 if label.sub else 1.4}" fill="none"{dash}/>'
            + _text(x_text, y, label.lines, "sub" if label.sub else "cause")
            + "</g>"
        )
        y += label.height + RIB_GAP
    return parts


def alt_text(view: dict[str, Any]) -> str:
    """One sentence for screen readers: the effect and its categories."""
    counts = "; ".join(
        f"{c['name']} ({len(c['causes'])} cause{'s' * (len(c['causes']) != 1)})"
        for c in view["categories"]
    )
    open_ = len(view["unaddressed"])
    return (
        f"Cause-and-effect diagram of {view['effect']}: {counts or 'no categories yet'}. "
        f"{open_} cause{'s' * (open_ != 1)} not addressed yet."
    )
