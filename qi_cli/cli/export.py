"""`qi export`: chart images, a slide deck and a Word board paper for meetings.

The exports need the optional office extra (python-pptx, python-docx, resvg-py), so
their modules are imported inside each command, after `require_office` has checked
that the extra is installed: `qi export --help` and every other command start
without it.
"""

from __future__ import annotations

from pathlib import Path

import typer

from qi_cli.cli._common import echo
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.errors import QiError, UsageError
from qi_cli.exports.written import check_output, require_office
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.loader import load_project
from qi_cli.reports.report import analyse_all

app = typer.Typer(
    help="Export chart images, a PowerPoint deck or a Word board paper.", no_args_is_help=True
)

FORCE = typer.Option(False, "--force", help="Replace existing files even if qi did not write them.")


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="export")


def _write(path: Path, data: bytes) -> None:
    write_atomic(path, data)
    echo(f"wrote {display_path(path)}", err=True)


@app.command("charts")
def charts(
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write the charts into."),
    kind: str = typer.Option("png", "--format", "-f", help="png, svg or both."),
    force: bool = FORCE,
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Write every measure's chart as PNG (2×, for slides) or SVG.

    The files are named after the measures: FOLDER/MEASURE.png, FOLDER/MEASURE.svg.

    Example:

    \b
      qi export charts -o charts/ --format both
    """
    require_office("qi export charts")
    from qi_cli.exports.images import shown, write_charts  # the office extra: see above

    if kind not in ("png", "svg", "both"):
        raise UsageError(f"unknown format '{kind}'", hint="choose png, svg or both")
    if not output.is_dir():
        raise QiError(
            f"{display_path(output)}: no such folder", hint="create the folder first (mkdir)"
        )
    analyses = {
        mid: a
        for mid, a in analyse_all(load_project(project_root(project))).items()
        if not isinstance(a, QiError)
    }
    paths = write_charts(analyses, output, kind=kind, force=force)
    echo(f"wrote {shown(paths)}", err=True)


@app.command("pptx")
def pptx(
    output: Path = typer.Option(..., "--output", "-o", help="The .pptx file to write."),
    template: Path | None = typer.Option(
        None, "--template", help="A .pptx whose layouts and fonts the deck uses."
    ),
    force: bool = FORCE,
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Write a slide deck (.pptx): aim, measures, drivers, cycles.

    One slide a measure (its chart, its signals in words, the Making Data Count icons);
    alt text on every picture. --template uses a trust's own layouts and fonts.

    Example:

    \b
      qi export pptx -o team-meeting.pptx --template trust-template.pptx
    """
    require_office("qi export pptx")
    from qi_cli.exports.content import gather  # the office extra: see above
    from qi_cli.exports.slides import build_deck

    check_output(output, force=force)
    if template is not None and not template.is_file():
        raise QiError(
            f"{display_path(template)}: no such file", hint="give --template a .pptx file"
        )
    _write(output, build_deck(gather(project_root(project)), template))


@app.command("docx")
def docx(
    output: Path = typer.Option(..., "--output", "-o", help="The .docx file to write."),
    force: bool = FORCE,
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Write a Word board paper (.docx): the report with its charts.

    The same content as `qi report --format html`, charts and the driver diagram as
    pictures with alt text, and real headings a screen reader can navigate.

    Example:

    \b
      qi export docx -o board-paper.docx
    """
    require_office("qi export docx")
    from qi_cli.exports.content import gather  # the office extra: see above
    from qi_cli.exports.paper import build_paper

    check_output(output, force=force)
    _write(output, build_paper(gather(project_root(project))))
