"""A SQUIRE 2.0 write-up draft, filled from the project files.

SQUIRE 2.0 (Ogrinc G, Davies L, Goodman D, et al. SQUIRE 2.0: revised publication
guidelines from a detailed consensus process. *BMJ Quality & Safety* 2016;25:986–992)
lists the 18 items a report of an improvement project should hold. `build_writeup`
fills each item with what the files already say (the charter, the aim, the driver
diagram and fishbone, the change ideas and their ramps of cycles, the operational
definitions, the charts' rules and signals), and marks a prompt wherever the writers
must add what no file holds (context, ethics, limitations, funding).

This module holds the draft as data (`Writeup`, its `Item`s and their `Block`s) and
`render_markdown`; `writeup_build.py` fills the items from a project, and
`writeup_docx.py` writes the draft as a Word file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from qi_cli.render.escape import markdown_text

SQUIRE_REFERENCE = (
    "Ogrinc G, Davies L, Goodman D, Batalden P, Davidoff F, Stevens D. SQUIRE 2.0 "
    "(Standards for QUality Improvement Reporting Excellence): revised publication "
    "guidelines from a detailed consensus process. BMJ Quality & Safety 2016;25:986–992."
)


# the rule set of each `method:` and where it comes from (docs/statistics.md)
@dataclass(frozen=True)
class Block:
    """One piece of an item: a paragraph, a list, a prompt for the writers, or a chart."""

    kind: Literal["text", "list", "prompt", "chart"]
    text: str = ""
    items: tuple[str, ...] = ()
    measure: str = ""  # the measure id of a chart


@dataclass
class Item:
    """One SQUIRE 2.0 item, in its part (Introduction, Methods, …)."""

    number: int
    name: str
    part: str
    blocks: list[Block] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        """Whether the files gave it anything beyond prompts."""
        return any(b.kind != "prompt" for b in self.blocks)

    def text(self, text: str | None) -> None:
        if text:
            self.blocks.append(Block(kind="text", text=text))

    def bullets(self, items: Sequence[str]) -> None:
        if items:
            self.blocks.append(Block(kind="list", items=tuple(items)))

    def prompt(self, text: str) -> None:
        self.blocks.append(Block(kind="prompt", text=text))


PARTS = (
    "Title and abstract",
    "Introduction",
    "Methods",
    "Results",
    "Discussion",
    "Other information",
)
# (number, name, part): the 18 items of SQUIRE 2.0, in order
ITEMS: tuple[tuple[int, str, str], ...] = (
    (1, "Title", "Title and abstract"),
    (2, "Abstract", "Title and abstract"),
    (3, "Problem description", "Introduction"),
    (4, "Available knowledge", "Introduction"),
    (5, "Rationale", "Introduction"),
    (6, "Specific aims", "Introduction"),
    (7, "Context", "Methods"),
    (8, "Interventions", "Methods"),
    (9, "Study of the interventions", "Methods"),
    (10, "Measures", "Methods"),
    (11, "Analysis", "Methods"),
    (12, "Ethical considerations", "Methods"),
    (13, "Results", "Results"),
    (14, "Summary", "Discussion"),
    (15, "Interpretation", "Discussion"),
    (16, "Limitations", "Discussion"),
    (17, "Conclusions", "Discussion"),
    (18, "Funding", "Other information"),
)


@dataclass
class Writeup:
    title: str
    generated: str
    items: list[Item]

    def item(self, number: int) -> Item:
        return self.items[number - 1]

    def empty(self) -> list[Item]:
        """The items the files left empty: only prompts in them."""
        return [i for i in self.items if not i.filled]


# where each item's words come from, for `qi validate --writeup`; None: no file holds them
FILLED_FROM: dict[int, str | None] = {
    1: "the project's title",
    2: "the charter, the aim, the cycles and the outcome measure",
    3: "the charter: qi project set problem TEXT",
    4: "a fishbone (qi fishbone add) or the source of a change idea",
    5: "the driver diagram: qi driver add",
    6: "the aim: qi project set aim.statement TEXT",
    7: "the charter's scope and team (the setting itself is for the team to describe)",
    8: "the change ideas (qi change add) and their cycles",
    9: "the PDSA cycles: qi cycle new",
    10: "the measures' operational definitions: qi measure add",
    11: "the measures' charts and rule sets",
    12: None,
    13: "the measures' data (qi data add) and the cycles' decisions",
    14: "the outcome measure of the aim, with data",
    15: None,
    16: None,
    17: "the next steps of the change ideas being tested",
    18: None,
}


PROMPT_MARK = "To write:"
INTRO = (
    "A SQUIRE 2.0 write-up draft, made by qi from the project files on {date}. Every "
    'passage marked "To write" is for the team to write; the rest comes from the files '
    "and should be checked and rewritten as prose."
)


def heading_of(item: Item) -> str:
    """`3. Problem description`; the Results part holds one item of its own name."""
    return f"{item.number}. {item.name}"


def sections(writeup: Writeup) -> list[tuple[str, list[Item]]]:
    """The parts in order, each with its items."""
    return [(part, [i for i in writeup.items if i.part == part]) for part in PARTS]


ChartText = Callable[[str], "str | None"]


def _fence(text: str) -> str:
    longest = max((len(run) for run in text.split("\n") for run in _backtick_runs(run)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.rstrip()}\n{fence}"


def _backtick_runs(line: str) -> list[str]:
    runs, current = [], ""
    for char in line:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs


def render_markdown(writeup: Writeup, chart_text: ChartText | None = None) -> str:
    """The draft as Markdown: parts as `##`, items as `###`, prompts as quoted
    **To write:** paragraphs, each chart as a numbered figure (drawn in text)."""
    out = [f"# {markdown_text(writeup.title)}", "", f"*{INTRO.format(date=writeup.generated)}*"]
    figures = 0
    for part, items in sections(writeup):
        out += ["", f"## {part}"]
        for item in items:
            out += ["", f"### {heading_of(item)}"]
            for block in item.blocks:
                out.append("")
                if block.kind == "text":
                    out.append(markdown_text(block.text))
                elif block.kind == "list":
                    out += [f"- {markdown_text(x)}" for x in block.items]
                elif block.kind == "prompt":
                    out.append(f"> **{PROMPT_MARK}** {markdown_text(block.text)}")
                else:
                    figures += 1
                    out.append(f"*Figure {figures}. {markdown_text(block.text)}*")
                    chart = chart_text(block.measure) if chart_text else None
                    if chart:
                        out += ["", _fence(chart)]
                    out += ["", f"> **{PROMPT_MARK}** {markdown_text(figure_prompt(block))}"]
    out += ["", "## References", "", f"- {markdown_text(SQUIRE_REFERENCE)}"]
    return "\n".join(out) + "\n"


def figure_prompt(block: Block) -> str:
    return (
        "replace this figure with the chart as an image (the HTML report, "
        f"qi report --format html, draws it; qi chart {block.measure} shows it)."
    )
