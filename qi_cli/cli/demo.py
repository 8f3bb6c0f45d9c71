"""`qi demo`: the bundled example project, validated and reported.

The summary (where the copy is, what to type next) comes first; the report follows,
in a pager when a person reads it in a terminal (it runs to about 230 lines at 80
columns), and straight out when piped.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

import typer
from rich.console import Console
from rich.text import Text

from qi_cli.cli._common import echo, style, use_colour
from qi_cli.errors import FieldError, QiError
from qi_cli.files.disk import cannot_create, display_path, resolve_path
from qi_cli.files.loader import load_project
from qi_cli.project import create_project
from qi_cli.render.chart import chart_page
from qi_cli.render.escape import terminal_output
from qi_cli.render.terminal import render_report
from qi_cli.reports.report import analyse_all, build_report
from qi_cli.validate import validate_project

FOLDER = "rib-fracture-pathway"
NEXT_COMMANDS = (
    "qi chart length-of-stay",
    "qi cycle list",
    "qi report --format html -o report.html",
)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    dir: Path | None = typer.Option(
        None, "--dir", "-d", help="Where to copy the example (default: a temporary folder)."
    ),
) -> None:
    """Copy the example project, validate it and show its report.

    Example:

    \b
      qi demo --dir ~/qi-example
    """
    temporary = dir is None
    parent, made = _make_parent(dir)
    try:
        root = create_project(
            parent, "Rib fracture pathway", template="example", folder_name=FOLDER
        )
    except BaseException as exc:
        _remove_empty(parent, made)  # a failed demo leaves no folder behind
        if isinstance(exc, FieldError):
            raise exc.named({"parent": "--dir"}) from None
        raise
    loaded = load_project(root)
    issues = validate_project(loaded)
    errors = [i for i in issues if i.severity == "error"]
    for issue in errors:
        echo(issue.format(), err=True)
    if errors:
        raise QiError(
            f"the example project has {len(errors)} validation error(s)",
            hint="this is a bug in qi: please report it",
        )
    # a temporary folder is named in full: the cd below must work from any folder
    shown = str(root.resolve()) if temporary else display_path(root)
    echo(f"{style('example project:', bold=True)} {shown}")
    if temporary:
        echo("  a temporary folder, which the system may clear; to keep a copy to work in:")
        echo("  qi demo --dir ~/qi-example")
    listed = " (qi validate lists them)" if issues else ""
    echo(f"validated: 0 errors, {len(issues)} coaching warnings{listed}")
    echo("next:")
    for command in (f"cd {shlex.quote(shown)}", *NEXT_COMMANDS):
        echo(f"  {command}")
    echo()
    width = min(shutil.get_terminal_size((100, 24)).columns, 120)
    colour = use_colour()
    analyses = analyse_all(loaded)
    data = build_report(loaded, issues, analyses=analyses, since=None)

    def chart(mid: str) -> str | None:
        found = analyses.get(mid)
        if found is None or isinstance(found, QiError):
            return None
        return chart_page(found, width=width, height=18, colour=colour)

    _show(render_report(data, width=width, colour=colour, chart_text=chart), colour)


def _make_parent(dir: Path | None) -> tuple[Path, Path | None]:
    """The folder to copy the example into, and the top folder made for it (None when
    it existed): a temporary folder without --dir."""
    try:
        if dir is None:
            parent = Path(tempfile.mkdtemp(prefix="qi-demo-"))
            return parent, parent
        resolve_path(dir)
        made = next((p for p in reversed((dir, *dir.parents)) if not p.exists()), None)
        dir.mkdir(parents=True, exist_ok=True)
        return dir, made
    except OSError as exc:
        raise cannot_create(dir or Path(tempfile.gettempdir()), exc) from None


def _remove_empty(parent: Path, made: Path | None) -> None:
    """Remove the folders made for the example, up to `made`, if they are empty."""
    if made is None:
        return
    for folder in (parent, *parent.parents):
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == made:
            return


def _show(text: str, colour: bool) -> None:
    """Print the report; in a terminal, page it with rich's pager ($PAGER, else less)."""
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        echo(text.rstrip("\n"))
        return
    # as git does: quit at once if it fits one screen, keep colours, leave it on screen
    os.environ.setdefault("LESS", "FRX")
    console = Console(highlight=False)
    with console.pager(styles=colour):
        shown = terminal_output(text.rstrip("\n"), colour=colour)
        console.print(Text.from_ansi(shown), soft_wrap=True)
