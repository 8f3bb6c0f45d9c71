"""User text made safe for the formats qi writes: Markdown and Mermaid labels.

HTML and SVG take `xml_text`; the terminal gets the text without control characters.
"""

from __future__ import annotations

import html
import unicodedata


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, brackets, pipes and HTML become
    Mermaid's numeric entity codes (`#34;`), a line break becomes a space.

    >>> mermaid_text('Is it "A&E" <now>? #1 | x')
    'Is it #34;A#38;E#34; #60;now#62;? #35;1 #124; x'
    """
    out = []
    for char in " ".join(text.split()):
        out.append(f"#{ord(char)};" if char in '#"&<>|`' else char)
    return "".join(out)


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written: its markup characters escaped.

    >>> markdown_text("a *b* <i>c</i> [d](e)")
    'a \\\\*b\\\\* &lt;i&gt;c&lt;/i&gt; \\\\[d\\\\](e)'
    """
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]#|":
        text = text.replace(char, "\\" + char)
    return text


def terminal_text(text: str) -> str:
    """Text safe to print in a terminal: a line break or tab becomes a space, and any
    other control character (an escape sequence would recolour or move the cursor)
    becomes `?`.

    >>> terminal_text("Ward 7\\x1b[2J\\nnight")
    'Ward 7?[2J night'
    """
    text = " ".join(text.replace("\t", " ").split("\n"))
    return "".join("?" if unicodedata.category(char) == "Cc" else char for char in text)


def xml_text(text: str) -> str:
    """Text for SVG and HTML: `&`, `<`, `>` and quotes as entities, and the control
    characters XML cannot hold at all as `?` (a line break as a space).

    >>> xml_text('<b class="x">A&E</b>\\x07')
    '&lt;b class=&quot;x&quot;&gt;A&amp;E&lt;/b&gt;?'
    """
    return html.escape(terminal_text(text))
