"""The SQUIRE write-up draft as a Word document (python-docx, the `office` extra).

Headings use Word's own Heading styles, so a screen reader and the navigation pane can
move through the items; a prompt for the writers is a highlighted paragraph that
starts "To write:". python-docx is an optional dependency: `load_docx` says exactly
what to install when it is missing.
"""

from __future__ import annotations

import importlib
import io
from types import ModuleType

from qi_cli.errors import QiError
from qi_cli.exports.writeup import (
    INTRO,
    PROMPT_MARK,
    SQUIRE_REFERENCE,
    Writeup,
    figure_prompt,
    heading_of,
    sections,
)
from qi_cli.render.escape import terminal_text

INSTALL_HINT = (
    'install the office extra: pip install "qi-cli[office]" (or: pip install python-docx)'
)


def load_docx() -> ModuleType:
    """python-docx, or a QiError that says how to install it."""
    try:
        return importlib.import_module("docx")
    except ModuleNotFoundError:
        raise QiError(
            "writing a .docx needs python-docx, which is not installed", hint=INSTALL_HINT
        ) from None


def _clean(text: str) -> str:
    """A control character cannot be stored in a .docx at all (XML forbids it)."""
    return terminal_text(text)


def render_docx(writeup: Writeup) -> bytes:
    """The draft as the bytes of a .docx file (nothing is written here)."""
    docx = load_docx()
    highlight = importlib.import_module("docx.enum.text").WD_COLOR_INDEX.YELLOW
    document = docx.Document()
    document.core_properties.title = _clean(writeup.title)
    document.core_properties.subject = "SQUIRE 2.0 write-up draft"
    document.add_heading(_clean(writeup.title), level=0)
    intro = document.add_paragraph()
    intro.add_run(INTRO.format(date=writeup.generated)).italic = True
    figures = 0
    for part, items in sections(writeup):
        document.add_heading(part, level=1)
        for item in items:
            document.add_heading(heading_of(item), level=2)
            for block in item.blocks:
                if block.kind == "text":
                    document.add_paragraph(_clean(block.text))
                elif block.kind == "list":
                    for line in block.items:
                        document.add_paragraph(_clean(line), style="List Bullet")
                else:
                    text = block.text
                    if block.kind == "chart":
                        figures += 1
                        document.add_paragraph(
                            _clean(f"Figure {figures}. {block.text}"), style="Caption"
                        )
                        text = figure_prompt(block)
                    paragraph = document.add_paragraph()
                    mark = paragraph.add_run(PROMPT_MARK + " ")
                    mark.bold = True
                    mark.font.highlight_color = highlight
                    paragraph.add_run(_clean(text)).font.highlight_color = highlight
    document.add_heading("References", level=1)
    document.add_paragraph(SQUIRE_REFERENCE, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
