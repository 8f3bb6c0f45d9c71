"""User text made safe for the formats qi writes: Markdown and Mermaid labels, and
wrapped for SVG.

HTML and SVG use `html.escape`; the terminal shows text as it is.
"""

from __future__ import annotations

import textwrap


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


def svg_wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters for a drawing; a longer word is broken,
    never cut short, so every letter of a label is drawn.

    >>> svg_wrap("Wait for <script>alert(1)</script>", 12)
    ['Wait for', '<script>aler', 't(1)</script', '>']
    """
    return textwrap.wrap(text, chars, break_on_hyphens=False) or [""]
