"""`qi writeup`: a SQUIRE 2.0 write-up draft from the project files (Markdown or Word)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.cli._project import project_root
from qi_cli.errors import QiError, UsageError
from qi_cli.exports.writeup import FILLED_FROM, render_markdown
from qi_cli.exports.writeup_build import build_writeup, write_up
from qi_cli.exports.writeup_docx import render_docx
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.loader import load_project
from qi_cli.files.output import refuse_bad_target, refuse_project_file
from qi_cli.render.chart import draw_chart
from qi_cli.reports.report import analyse_all, build_report
from qi_cli.validate import validate_project

FORMATS = ("md", "docx")


def register(app: typer.Typer) -> None:
    app.command("writeup")(writeup)


def _format(format: str | None, output: Path | None) -> str:
    if format is None:
        return "docx" if output is not None and output.suffix.lower() == ".docx" else "md"
    if format == "markdown":  # as `qi report --format markdown` says it
        format = "md"
    if format not in FORMATS:
        raise UsageError(f"unknown format '{format}'", hint="choose md or docx")
    if format == "docx" and output is None:
        raise UsageError("--format docx needs a file", hint="give -o FILE.docx")
    return format


def writeup(
    project: Path | None = typer.Argument(
        None, help="Project folder (default: the project holding the current folder)."
    ),
    format: str | None = typer.Option(
        None, "--format", "-f", help="md or docx (default: docx for -o FILE.docx, else md)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to FILE (atomically); never replaces one."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace FILE if it exists (a draft you edited is lost)."
    ),
) -> None:
    """Draft a SQUIRE 2.0 write-up from the project files, with prompts for the rest.

    Every SQUIRE 2.0 item gets what the files hold (charter, aim, driver diagram,
    fishbone, change ideas and cycles, measures, charts and signals); what no file
    holds (context, ethics, limitations, funding) is a marked "To write" prompt.
    `qi validate --writeup` lists the items the files leave empty.

    Examples:

    \b
      qi writeup -o writeup.md
      qi writeup --format docx -o writeup.docx
    """
    chosen = _format(format, output)
    if output is not None:
        refuse_bad_target(output)
        refuse_project_file(output)  # never over a project's own files, even with --force
        if output.exists() and not force:
            raise QiError(
                f"{display_path(output)}: already exists; qi never overwrites a draft "
                "you may have edited",
                hint="choose another name, or add --force to replace it",
            )
    loaded = load_project(project_root(project))
    analyses = analyse_all(loaded)
    report = build_report(loaded, validate_project(loaded), analyses=analyses)
    draft = build_writeup(loaded, report)
    if chosen == "docx":
        assert output is not None  # _format asks for -o
        write_atomic(output, render_docx(draft))
    else:

        def chart(mid: str) -> str | None:
            found = analyses.get(mid)
            if found is None or isinstance(found, QiError):
                return None
            return draw_chart(found, width=100, height=18)

        text = render_markdown(draft, chart)
        if output is None:
            echo(text.rstrip("\n"))
            return
        write_atomic(output, text)
    echo(f"wrote {display_path(output)}", err=True)


def list_empty_items(roots: list[Path], *, as_json: bool, strict: bool) -> None:
    """`qi validate --writeup`: the SQUIRE items each project's files leave empty, and
    where their words would come from."""
    drafts = [(root, write_up(load_project(root))) for root in roots]
    if as_json:
        echo(
            json.dumps(
                {
                    "projects": [
                        {
                            "project": display_path(root),
                            "empty": [
                                {"item": i.number, "name": i.name, "from": FILLED_FROM[i.number]}
                                for i in draft.empty()
                            ],
                        }
                        for root, draft in drafts
                    ]
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        for root, draft in drafts:
            empty = draft.empty()
            echo(f"{draft.title} ({display_path(root)}): SQUIRE 2.0 items the files leave empty:")
            for item in empty:
                source = FILLED_FROM[item.number]
                where = f"from {source}" if source else "no file holds it: write it in the draft"
                echo(f"  {item.number:>2}. {item.name}: {where}")
            summary = f"{len(empty)} of {len(draft.items)} items empty"
            echo(style(summary, "yellow" if empty else "green", bold=True))
    if strict and any(draft.empty() for _, draft in drafts):
        raise typer.Exit(1)
