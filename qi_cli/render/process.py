"""The process map as a numbered outline for the terminal and as a Mermaid flowchart.

Both take the map as data (`qi_cli.toolkit.process.process_view`) and return text. The
flowchart drawn as SVG for HTML is `qi_cli.render.process_svg`.
"""

from __future__ import annotations

from typing import Any

from qi_cli.render.escape import markdown_text, mermaid_text
from qi_cli.render.printable import printable
from qi_cli.render.table import DIM, RESET, cell_len, wrap

CHANGE_MARK = "★"
YELLOW = "\x1b[33m"
# how a kind of step is announced in the outline (an action needs no word)
KIND_WORDS = {"start": "start: ", "end": "end: ", "decision": "decision: ", "wait": "wait: "}


def _heading(view: dict[str, Any]) -> str:
    state = "future state" if view["state"] == "future" else "current state"
    title = view["title"] or "Process map"
    return f"{title} ({state}, {len(view['steps'])} steps)"


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{RESET}" if colour and text else text


def _step_text(step: dict[str, Any], *, kind: bool = True) -> str:
    """The step's label and typical duration; `kind` names the kind of step first (the
    outline has no shapes to show it)."""
    text = (KIND_WORDS.get(step["kind"], "") if kind else "") + str(step["label"])
    if step["duration"]:
        text += f" (typically {step['duration']})"
    return text


def outline(view: dict[str, Any], *, width: int = 80, colour: bool = False) -> str:
    """The map as a numbered list: each step, who does it, and where it goes next.

    A step's way on is shown when it is not simply the next number; a decision shows
    each branch. Steps that a change idea targets carry a star and the idea's title."""
    view = printable(view)
    steps = view["steps"]
    digits = len(str(len(steps)))
    indent = digits + 4  # "  12. "
    lines = [_paint(line, "\x1b[1m", colour) for line in wrap(_heading(view), width)]
    if view["description"]:
        lines += wrap(view["description"], width)
    lines.append("")
    targeted = False
    for step in steps:
        head = f"  {step['number']:>{digits}}. "
        text = _step_text(step)
        if step["role"]:
            text += f" · {step['role']}"
        body = wrap(text, max(width - indent, 20))
        for n, line in enumerate(body):
            if colour and step["role"] and n == len(body) - 1 and " · " in line:
                before, _, role = line.rpartition(" · ")
                line = f"{before} · {_paint(role, DIM, True)}"
            lines.append((head if n == 0 else " " * indent) + line)
        for change in step["changes"]:
            targeted = True
            mark = f"{CHANGE_MARK} change idea: {change['title']}"
            for line in wrap(mark, max(width - indent - 2, 20)):
                lines.append(" " * (indent + 2) + _paint(line, YELLOW, colour))
        exits = step["exits"]
        plain_next = (
            step["kind"] != "decision"
            and len(exits) == 1
            and exits[0]["number"] == step["number"] + 1
        )
        if plain_next:
            continue
        labels = [e["label"] or "" for e in exits]
        label_width = max((cell_len(label) for label in labels), default=0)
        for out, label in zip(exits, labels, strict=True):
            target = steps[out["number"] - 1]["label"]
            arrow = f"{label}{' ' * (label_width - cell_len(label))} → " if label_width else "→ "
            text = f"{arrow}{out['number']}. {target}"
            pad = " " * (indent + 2)
            hang = " " * (indent + 2 + cell_len(arrow))
            for n, line in enumerate(wrap(text, max(width - indent - 2, 20))):
                lines.append((pad if n == 0 else hang) + line)
    if targeted:
        lines += ["", f"{CHANGE_MARK} a change idea targets this step"]
    return "\n".join(line.rstrip() for line in lines) + "\n"


# Mermaid's shapes: start and end a stadium, a decision a rhombus, a wait a hexagon
# (GitHub's Mermaid has no delay shape of its own), an action a rectangle
SHAPES = {
    "start": ('(["', '"])'),
    "end": ('(["', '"])'),
    "decision": ('{"', '"}'),
    "wait": ('{{"', '"}}'),
    "action": ('["', '"]'),
}


def mermaid(view: dict[str, Any]) -> list[str]:
    """The map as a Mermaid flowchart block (top to bottom), the targeted steps marked."""
    lines = ["```mermaid", "flowchart TD"]
    targeted = []
    for step in view["steps"]:
        node = f"s{step['number']}"
        label = f"{step['number']}. {mermaid_text(_step_text(step, kind=False))}"
        if step["role"]:
            label += f"<br/><i>{mermaid_text(step['role'])}</i>"
        if step["changes"]:
            label += f"<br/>{CHANGE_MARK} " + mermaid_text(
                "; ".join(c["title"] for c in step["changes"])
            )
            targeted.append(node)
        opening, closing = SHAPES[step["kind"]]
        lines.append(f"  {node}{opening}{label}{closing}")
    for step in view["steps"]:
        for out in step["exits"]:
            edge = f'-->|"{mermaid_text(out["label"])}"|' if out["label"] else "-->"
            lines.append(f"  s{step['number']} {edge} s{out['number']}")
    if targeted:
        lines.append("  classDef change fill:#fff3c4,stroke:#b07d00,stroke-width:2px")
        lines.append(f"  class {','.join(targeted)} change")
    lines.append("```")
    return lines


def markdown(view: dict[str, Any], *, heading: str = "##") -> str:
    """A Markdown section: heading, the Mermaid flowchart, and what the star means."""
    lines = [f"{heading} {markdown_text(_heading(view))}", ""]
    if view["description"]:
        lines += [markdown_text(view["description"]), ""]
    lines += mermaid(view)
    if any(step["changes"] for step in view["steps"]):
        lines += ["", "Steps a change idea targets:", ""]
        for step in view["steps"]:
            for change in step["changes"]:
                lines.append(
                    f"- {CHANGE_MARK} {step['number']}. {markdown_text(step['label'])}: "
                    f"{markdown_text(change['title'])} (`{change['id']}`)"
                )
    return "\n".join(lines) + "\n"
