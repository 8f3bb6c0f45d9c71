"""A regular expression compiled the first time it is used.

Compiling a large pattern costs more than most runs of it: the patterns that read an
aim's sentence and look for identifiable text took 75 million instructions of
`qi validate`'s start-up (bench/startup.py), and most projects never need them (their
cheap word checks find nothing). `LazyPattern` is written like `re.compile` and used like
the pattern it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property


class LazyPattern:
    """`re.compile(source, flags)`, compiled on the first search."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.source, self.flags)

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.search(text, pos)

    def match(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self.compiled.match(text, pos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)
