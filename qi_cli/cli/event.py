"""`qi event add`: something that happened to the process, drawn on every chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.cli._loading import load_checked
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_measure
from qi_cli.dates import parse_user_date
from qi_cli.errors import FieldError
from qi_cli.events_edit import write_events
from qi_cli.files.disk import display_path
from qi_cli.files.layout import EVENTS_FILE

event_app = typer.Typer(
    help="Record events (a new system, a data problem, staffing) that charts show.",
    no_args_is_help=True,
)
KINDS = "system change, data issue, external event, staffing, policy or other"
FLAGS = {"kind": "--kind", "measure": "--measure", "text": "TEXT"}


def register(app: typer.Typer) -> None:
    app.add_typer(event_app, name="event")


@event_app.command("add")
def event_add(
    date: str = typer.Argument(
        ..., metavar="DATE", help="The day it happened (YYYY-MM-DD, or as settings.dates says)."
    ),
    text: str = typer.Argument(..., metavar="TEXT", help='What happened, e.g. "New EPR live".'),
    kind: str = typer.Option("other", "--kind", "-k", help=f"The kind of event: {KINDS}."),
    measures: list[str] = typer.Option(
        [],
        "--measure",
        "-m",
        help="A measure it applies to (repeat for several; default: every measure).",
        autocompletion=complete_measure,
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add an event: charts draw it next to the PDSA cycles and list it under the chart.

    \b
    Examples:
      qi event add 2026-03-02 "New EPR went live" --kind "system change"
      qi event add 2026-07-13 "EPR outage" --kind data-issue -m time-to-physio
    """
    root = project_root(project)
    loaded = load_checked(root, EVENTS_FILE)
    order = loaded.project.date_order if loaded.project else "iso"
    day = parse_user_date(date, "DATE", dt.date.today(), order)
    try:
        event = write_events(
            root,
            day,
            text,
            kind=kind,
            measures=measures,
            known_measures=sorted(loaded.measure_files) if loaded.measure_files else None,
        )
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    where = ", ".join(event.measures) if event.measures else "every measure"
    echo(
        f"{style('added', 'green', bold=True)} event on {event.date} ({where}) "
        f"to {display_path(root / EVENTS_FILE)}"
    )
    echo("  next: qi chart MEASURE")
