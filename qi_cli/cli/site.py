"""`qi site`: the project library as a static website (see docs/site.md)."""

from __future__ import annotations

from pathlib import Path

import typer

from qi_cli.cli._common import echo, print_warning
from qi_cli.files.disk import display_path
from qi_cli.site.build import build_site


def register(app: typer.Typer) -> None:
    app.command("site")(site)


def site(
    root: Path = typer.Argument(Path("."), help="Folder holding the projects."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to build the site in."),
    audience: str = typer.Option(
        "internal",
        "--audience",
        help="internal (public and internal projects) or public (public projects only); "
        "private projects are never published.",
    ),
    title: str = typer.Option("QI project library", "--title", help="The site's name."),
    force: bool = typer.Option(
        False, "--force", help="Build in a folder that has other files (not a previous site)."
    ),
) -> None:
    """Build the project library as a static website: every project, what was learned, measures.

    The site opens from disk (file://) and publishes as it is to GitHub Pages, GitLab
    Pages or a shared drive. Run it again to bring it up to date: only pages that
    changed are rewritten.

    Examples:

    \b
      qi site projects/ -o site
      qi site projects/ -o public-site --audience public
    """
    result = build_site(root, output, audience=audience, force=force, title=title)
    for problem in result.skipped:
        print_warning(f"skipped {problem} (run `qi validate` there)")
    if result.published == 0:
        print_warning(
            "no project is published: only "
            + ("public projects are" if audience == "public" else "public and internal are")
            + " (set one with `qi project set visibility public` in its folder)"
        )
    shown = display_path(result.out)
    echo(
        f"{shown}: {result.published} project{'s' * (result.published != 1)} published; "
        f"{result.read} read, {len(result.written)} file{'s' * (len(result.written) != 1)} "
        f"written, {len(result.removed)} removed"
    )
    echo(f"open {display_path(result.out / 'index.html')}", err=True)
