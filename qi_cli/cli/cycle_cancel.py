"""`qi cycle cancel`: stop a cycle before its Act decision, keeping it as evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_cycle
from qi_cli.cycles.cancel import cancel_cycle
from qi_cli.drivers import changes_title
from qi_cli.errors import FieldError
from qi_cli.files.disk import display_path
from qi_cli.files.layout import DRIVERS_FILE

FLAGS = {"reason": "--reason"}


def register(app: typer.Typer) -> None:
    app.command("cancel")(cancel)


def cancel(
    cycle: str = typer.Argument(
        ...,
        metavar="CYCLE",
        help="The cycle: its number, id or file name (a unique start is enough).",
        autocompletion=complete_cycle,
    ),
    reason: str = typer.Option(..., "--reason", "-r", help="Why the cycle was stopped."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Cancel a cycle that will not be carried out; it stays in its file as evidence.

    The file keeps the cycle as it was, with the date and the reason; a cancelled cycle
    no longer counts towards its change idea's status. A cycle with its Act decision
    cannot be cancelled.

    Example:

    \b
      qi cycle cancel 3 --reason "ward closed for refurbishment"
    """
    root = project_root(project)
    loaded = load_for_writing(root, DRIVERS_FILE)
    try:
        found, _ = cancel_cycle(root, loaded, cycle, reason, dt.date.today())
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    title = changes_title(loaded, found.cycle.changes)
    echo(
        f"{style('cancelled', 'yellow', bold=True)} cycle {found.label} "
        f"{title}: {display_path(found.path)}"
    )
    echo(f"  reason: {reason.strip()}")
