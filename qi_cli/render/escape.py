"""User text made safe for every format qi writes: the terminal, Markdown, Mermaid, HTML.

A shared repository is written by many people, and the person who runs qi on it did not
write it: a title may hold an escape sequence that writes to their clipboard, a driver's
name a Markdown heading or a `<script>`. Each format has one function here, and every
user string passes through it on its way out:

* the terminal: `terminal_output` is the one gate every line qi prints passes
  (`cli._common.echo`): no control character but a line break and a tab gets through,
  only qi's own colours; `terminal_text` makes one field a single printable line;
* Markdown: `markdown_text` (a heading, a table cell, a list item), `markdown_paragraphs`,
  `markdown_code` and `markdown_fence` (code spans and blocks that user text cannot close);
* Mermaid: `mermaid_text`, a label on one line with its markup as entity codes;
* HTML and SVG: `xml_text` (Jinja's autoescape does the same for the HTML report).
"""

from __future__ import annotations

import html
import re

# C0 but the tab (\x09) and line break (\x0a), DEL, and C1: what a terminal obeys
# rather than shows (C1's \x9b is a one-byte ESC [ to some terminals)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# qi's own colours: Select Graphic Rendition, ESC [ digits and semicolons m
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_COLOUR_OR_CONTROL = re.compile(r"(\x1b\[[0-9;]*m)|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(char: str) -> str:
    return f"\\u{ord(char):04x}"


def terminal_output(text: str, *, colour: bool) -> str:
    """Text as qi prints it: every control character but a line break and a tab shown as
    `\\u001b` (never obeyed: a clipboard write `ESC ]52;…`, a window title `ESC ]0;…`, a
    cleared screen), and qi's own colour codes kept with `colour`, else removed.

    Shown as a JSON escape so that JSON output, whose strings may hold DEL and C1
    characters as they are, still means the same.

    >>> terminal_output("Ward 7\\x1b]0;owned\\x07\\nnext", colour=False)
    'Ward 7\\\\u001b]0;owned\\\\u0007\\nnext'
    >>> terminal_output("\\x1b[1mAim\\x1b[0m \\x9b2J", colour=True)
    '\\x1b[1mAim\\x1b[0m \\\\u009b2J'
    """
    if not _CONTROL.search(text):
        return text
    if not colour:
        return _CONTROL.sub(lambda m: _shown(m.group()), _COLOUR.sub("", text))
    return _COLOUR_OR_CONTROL.sub(_kept_or_shown, text)


def _kept_or_shown(match: re.Match[str]) -> str:
    """A colour code as it is; conceal (`ESC [8m`, never one of qi's: it hides the text
    after it) and any other control character shown.

    >>> _COLOUR_OR_CONTROL.sub(_kept_or_shown, "\\x1b[1;38;5;8mgrey\\x1b[8mhid")
    '\\x1b[1;38;5;8mgrey\\\\u001b[8mhid'
    """
    code = match.group(1)
    if code is None:
        return _shown(match.group())
    params = code[2:-1].split(";")
    i = 0
    while i < len(params):
        if params[i] in ("38", "48"):  # a colour by number (5;n) or by red, green, blue
            i += 3 if params[i + 1 : i + 2] == ["5"] else 5
            continue
        if params[i] == "8":
            return _shown("\x1b") + code[1:]
        i += 1
    return code


def terminal_text(text: str, *, keep_lines: bool = False) -> str:
    """A field safe to print in a terminal, on one line: a line break (unless
    `keep_lines`) or tab becomes a space, and any other control character (an escape
    sequence would recolour the terminal or move the cursor) becomes `?`, one column
    wide like the character a table laid out.

    >>> terminal_text("Ward 7\\x1b[2J\\nnight\\x9b")
    'Ward 7?[2J night?'
    >>> terminal_text("two\\nlines\\r", keep_lines=True)
    'two\\nlines?'
    """
    text = text.replace("\t", " ")
    if not keep_lines:
        text = text.replace("\n", " ")
    return _CONTROL.sub("?", text)


def mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: quotes, brackets, pipes, backticks and
    HTML become Mermaid's numeric entity codes (`#34;`), a line break becomes a space.

    >>> mermaid_text('Is it "A&E" <now>? #1 | x')
    'Is it #34;A#38;E#34; #60;now#62;? #35;1 #124; x'
    """
    out = []
    for char in " ".join(_CONTROL.sub("?", text).split()):
        out.append(f"#{ord(char)};" if char in '#"&<>|`' else char)
    return "".join(out)


# a list item's marker: `- `, `+ `, `1. `, `1) ` (`*`, `#` and `>` are escaped anyway)
_LINE_START = re.compile(r"^([-+]|\d+[.)])(?= |$)")


def markdown_text(text: str) -> str:
    """Text that Markdown shows as written, on one line: HTML's `&`, `<` and `>` as
    entities, Markdown's markup characters escaped, line breaks as spaces (a heading, a
    table cell, a list item end at a line break), and a list or quote marker at the
    start escaped.

    >>> markdown_text("a *b* <i>c</i> [d](e)")
    'a \\\\*b\\\\* &lt;i&gt;c&lt;/i&gt; \\\\[d\\\\](e)'
    >>> markdown_text("1. Break\\n```\\n# Injected")
    '1\\\\. Break \\\\`\\\\`\\\\` \\\\# Injected'
    """
    text = " ".join(_CONTROL.sub("?", text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "\\`*_[]#|~":
        text = text.replace(char, "\\" + char)
    return _LINE_START.sub(lambda m: m.group()[:-1] + "\\" + m.group()[-1], text, count=1)


def markdown_paragraphs(text: str) -> str:
    """Longer text (a problem statement) as Markdown paragraphs: each paragraph a person
    wrote (apart by a blank line) escaped as `markdown_text`, so none of them can be a
    heading, a list, a code block or HTML.

    >>> print(markdown_paragraphs("First line\\nsame paragraph\\n\\n# not a heading"))
    First line same paragraph
    <BLANKLINE>
    \\# not a heading
    """
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(markdown_text(p) for p in paragraphs if p.strip())


def markdown_code(text: str) -> str:
    """Text as a Markdown code span on one line, its backticks unable to close it.

    >>> markdown_code("measures/a`b.csv")
    '``measures/a`b.csv``'
    """
    text = " ".join(_CONTROL.sub("?", text).split())
    ticks = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def markdown_fence(text: str, info: str = "") -> list[str]:
    """A fenced code block holding `text`: its fence longer than any run of backticks
    in the text, so no line of it can end the block.

    >>> markdown_fence("a\\n```\\nb", "text")
    ['````text', 'a', '```', 'b', '````']
    """
    fence = "`" * max(3, _longest_run(text, "`") + 1)
    return [fence + info, *text.split("\n"), fence]


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


def xml_text(text: str) -> str:
    """Text for SVG and HTML: `&`, `<`, `>` and quotes as entities, and the control
    characters XML cannot hold at all as `?` (a line break as a space).

    >>> xml_text('<b class="x">A&E</b>\\x07')
    '&lt;b class=&quot;x&quot;&gt;A&amp;E&lt;/b&gt;?'
    """
    return html.escape(terminal_text(text))
