"""What `qi report` and `qi portfolio` share: the width of the page, the checks of
`-o FILE`, and how the result reaches the terminal or the file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import typer

from qi_cli.cli._common import echo
from qi_cli.errors import UsageError
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.output import check_output, marked
from qi_cli.render.values import MAX_WIDTH

MIN_WIDTH = 40  # as `qi chart`: narrower, a chart has no room for its axis


def page_width(width: int | None) -> int:
    """`--width`, checked, else the terminal's width (at most 120 columns)."""
    if width is not None and width < MIN_WIDTH:
        raise UsageError(f"--width {width} is too narrow", hint=f"give --width {MIN_WIDTH} or more")
    if width is not None and width > MAX_WIDTH:
        raise UsageError(f"--width {width} is too wide", hint=f"give --width {MAX_WIDTH} or less")
    return width or min(shutil.get_terminal_size((100, 24)).columns, 120)


FORCE_OPTION: Any = typer.Option(
    False, "--force", help="Replace the -o file even if qi did not write it."
)


def refuse_bad_output(output: Path | None, force: bool) -> None:
    """Refuse a bad -o before any work: a missing folder, a folder, a project's own
    file, or a file that is not a previous qi report (without --force)."""
    if output is None:
        return
    check_output(output, force=force)


def emit(text: str | bytes, output: Path | None, format: str) -> None:
    """Print `text`, or write it to `output` (atomically, marked as qi's) and say so."""
    if output is None:
        assert isinstance(text, str)  # only a PDF is bytes, and it needs -o
        echo(text.rstrip("\n"))
        return
    write_atomic(output, text if isinstance(text, bytes) else marked(text, format))
    echo(f"wrote {display_path(output)}", err=True)
