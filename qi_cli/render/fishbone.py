"""The cause-and-effect (fishbone) diagram: a tree for the terminal, a Mermaid block and a
list for Markdown. The SVG, drawn as a real fishbone, is in `fishbone_svg`.

Each function takes the diagram as data (`qi_cli.toolkit.fishbone.fishbone_view`) and
returns text; user text is escaped for each output (`qi_cli.render.escape`).
"""

from __future__ import annotations

import re
from typing import Any

from qi_cli.render.escape import markdown_text, mermaid_text, terminal_text
from qi_cli.render.table import wrap

BOLD, DIM, YELLOW, RESET = "\x1b[1m", "\x1b[2m", "\x1b[33m", "\x1b[0m"
NOT_ADDRESSED = "not addressed yet"


def _paint(text: str, code: str, colour: bool) -> str:
    return f"{code}{text}{RESET}" if colour else text


def _links(links: list[dict[str, Any]]) -> str:
    return ", ".join(link["id"] for link in links)


def _node(
    out: list[str], lead: str, rest: str, lines: list[tuple[str, str]], width: int, colour: bool
) -> None:
    """One tree entry: its text after `lead` (`├── `), wrapped lines after `rest`."""
    first = True
    for text, code in lines:
        for line in wrap(text, max(20, width - len(lead))):
            prefix = lead if first else rest
            out.append(prefix + (_paint(line, code, colour) if code else line))
            first = False


def render_fishbone_text(view: dict[str, Any], *, width: int = 80, colour: bool = False) -> str:
    """The diagram as a tree: the effect, then each category, its causes and sub-causes,
    and what addresses each cause."""
    out = [
        _paint(line, BOLD, colour)
        for line in wrap("Effect: " + terminal_text(view["effect"]), width)
    ]
    if view.get("description"):
        out += wrap(terminal_text(view["description"]), width)
    for category in view["categories"]:
        out += ["", _paint(terminal_text(category["name"]), BOLD, colour)]
        causes = category["causes"]
        if not causes:
            out.append("└── (no causes yet)")
        for i, cause in enumerate(causes):
            last = i == len(causes) - 1
            lead, rest = ("└── ", "    ") if last else ("├── ", "│   ")
            lines: list[tuple[str, str]] = [(terminal_text(cause["cause"]), "")]
            if cause["addressed_by"]:
                lines.append(("addressed by: " + terminal_text(_links(cause["addressed_by"])), DIM))
            elif cause["out_of_scope"]:
                lines.append(("out of scope: " + terminal_text(cause["out_of_scope"]), DIM))
            elif not cause["addressed"]:
                lines.append((NOT_ADDRESSED, YELLOW))
            _node(out, lead, rest, lines, width, colour)
            subs = cause["causes"]
            for j, sub in enumerate(subs):
                sub_last = j == len(subs) - 1
                sub_lead, sub_rest = ("└── ", "    ") if sub_last else ("├── ", "│   ")
                sub_lines = [(terminal_text(sub["cause"]), "")]
                if sub["addressed_by"]:
                    sub_lines.append(
                        ("addressed by: " + terminal_text(_links(sub["addressed_by"])), DIM)
                    )
                _node(out, rest + sub_lead, rest + sub_rest, sub_lines, width, colour)
    unaddressed = view["unaddressed"]
    if unaddressed:
        n = len(unaddressed)
        out += [
            "",
            *wrap(
                f"{n} cause{'s' * (n != 1)} not addressed by any driver or change idea "
                "(qi explain Q601).",
                width,
            ),
        ]
    return "\n".join(line.rstrip() for line in out) + "\n"


_LIST_START = re.compile(r"^(\d+)([.)])|^([-+])")


def list_item(text: str) -> str:
    """Text for a Markdown list item: escaped, and never read as a nested list.

    >>> list_item("1. Staff"), list_item("- rota")
    ('1\\\\. Staff', '\\\\- rota')
    """
    text = markdown_text(text)
    return _LIST_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)


def _mermaid_id(*indices: int) -> str:
    return "c" + "_".join(str(i) for i in indices)


def fishbone_mermaid(view: dict[str, Any]) -> list[str]:
    """The diagram as a Mermaid flowchart (GitHub and GitLab draw it): causes point to
    their category, categories to the effect, on the right."""
    lines = ["```mermaid", "flowchart LR"]
    lines.append(f'  effect[["{mermaid_text(view["effect"])}"]]')
    for i, category in enumerate(view["categories"]):
        node = _mermaid_id(i)
        lines.append(f'  {node}(["{mermaid_text(category["name"])}"])')
        lines.append(f"  {node} --> effect")
        for j, cause in enumerate(category["causes"]):
            cause_node = _mermaid_id(i, j)
            lines.append(f'  {cause_node}["{mermaid_text(cause["cause"])}"] --> {node}')
            for k, sub in enumerate(cause["causes"]):
                sub_node = _mermaid_id(i, j, k)
                lines.append(f'  {sub_node}("{mermaid_text(sub["cause"])}") --> {cause_node}')
    lines.append("```")
    return lines


def _addressed_by(cause: dict[str, Any]) -> str:
    """ " (addressed by `id`, …)" after a cause in Markdown, or nothing."""
    ids = ", ".join(f"`{link['id']}`" for link in cause["addressed_by"])
    return f" (addressed by {ids})" if ids else ""


def render_fishbone_markdown(view: dict[str, Any], *, heading: str = "##") -> str:
    """The diagram for Markdown: the effect, the Mermaid block, then every cause as a
    list (readable where Mermaid is not drawn), with what addresses it."""
    out = [f"{heading} Cause and effect: {markdown_text(view['effect'])}", ""]
    if view.get("description"):
        out += [markdown_text(view["description"]), ""]
    out += [*fishbone_mermaid(view), ""]
    for category in view["categories"]:
        out.append(f"- **{list_item(category['name'])}**")
        for cause in category["causes"]:
            note = _addressed_by(cause)
            if not note and cause["out_of_scope"]:
                note = f" (out of scope: {markdown_text(cause['out_of_scope'])})"
            elif not note and not cause["addressed"]:
                note = f" (*{NOT_ADDRESSED}*)"
            out.append(f"  - {list_item(cause['cause'])}{note}")
            for sub in cause["causes"]:
                out.append(f"    - {list_item(sub['cause'])}{_addressed_by(sub)}")
    unaddressed = view["unaddressed"]
    if unaddressed:
        n = len(unaddressed)
        out += [
            "",
            f"{n} cause{'s' * (n != 1)} not addressed by any driver or change idea "
            "(`qi explain Q601`).",
        ]
    return "\n".join(out) + "\n"
