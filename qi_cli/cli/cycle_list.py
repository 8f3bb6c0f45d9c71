"""`qi cycle list` and `qi cycle show`: the cycles of a project, and one worksheet."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style, use_colour
from qi_cli.cli._project import PROJECT_OPTION, load_core_checked, project_root
from qi_cli.cli.complete import complete_change, complete_cycle
from qi_cli.cli.cycle import warn_broken_cycles
from qi_cli.cycles.finding import (
    cycle_dates,
    filter_cycles,
    find_cycle,
    number_note,
)
from qi_cli.cycles.worksheets import worksheet_lines
from qi_cli.drivers import changes_title
from qi_cli.errors import QiError
from qi_cli.files.layout import DRIVERS_FILE
from qi_cli.render.escape import terminal_text
from qi_cli.render.table import Column, draw_table


def register(app: typer.Typer) -> None:
    app.command("list")(list_)
    app.command("show")(show)


def list_(
    change: str | None = typer.Option(
        None,
        "--change",
        "-c",
        help="Only the cycles of a change idea.",
        autocompletion=complete_change,
    ),
    status: str | None = typer.Option(
        None,
        "--status",
        "-s",
        help="Only cycles that are planned, running, done, cancelled or open.",
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """List cycles: number, id, change idea, dates, scale, status, decision, ramp.

    Example:

    \b
      qi cycle list --change physio-review
    """
    loaded = load_core_checked(project_root(project), DRIVERS_FILE)
    cycles = filter_cycles(loaded, change=change, status=status)
    warn_broken_cycles(loaded)
    if not cycles:
        if loaded.cycles:
            echo("no cycles match")
        else:
            echo("no cycles yet: plan one with `qi cycle new --change ID`")
        return
    labels = {c.id: c.label for c in loaded.cycles}
    status_colours = {"planned": "grey", "running": "yellow", "done": "green"}
    decision_colours = {"adopt": "green", "adapt": "yellow", "abandon": "red"}
    columns = [
        Column("#", justify="right"),
        Column("id"),
        Column("change idea", ratio=1, min_width=12),
        Column("dates"),
        Column("scale", ratio=1, min_width=8),
        Column("status"),
        Column("decision"),
        Column("after"),
    ]
    rows: list[list[str]] = []
    colours: dict[tuple[int, int], str] = {}
    for n, c in enumerate(cycles):
        decision = c.cycle.act.decision if c.cycle.act and c.cycle.act.decision else "-"
        rows.append(
            [
                str(c.number),
                c.short_id,
                changes_title(loaded, c.cycle.changes),
                cycle_dates(c.cycle),
                c.cycle.scale or "-",
                c.cycle.status,
                decision,
                labels.get(c.cycle.follows or "", "-"),
            ]
        )
        for column, name in (
            (5, status_colours.get(c.cycle.status)),
            (6, decision_colours.get(decision)),
        ):
            if name:
                colours[n, column] = name
    width = shutil.get_terminal_size((80, 24)).columns
    colour = use_colour()
    lines = draw_table(
        columns, rows, width=width, colour=colour, cell_colours=colours, compact=True
    )
    echo("\n".join(lines))


def show(
    cycle_ref: str | None = typer.Argument(
        None,
        metavar="[CYCLE]",
        help="Cycle id (3f9a) or number (3 or #3); default: the latest.",
        autocompletion=complete_cycle,
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Show a cycle's worksheet: Plan, Do, Study, Act, and its place in the ramp.

    Example:

    \b
      qi cycle show 3f9a
    """
    loaded = load_core_checked(project_root(project), DRIVERS_FILE)
    if cycle_ref is None:
        if not loaded.cycles:
            warn_broken_cycles(loaded)
            raise QiError("no cycles yet", hint="plan one with `qi cycle new --change ID`")
        target = loaded.cycles[-1]
    else:
        target = find_cycle(loaded, cycle_ref)
        note = number_note(loaded, cycle_ref, target)
        if note:
            echo(note)
    width = max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
    for line, is_heading in worksheet_lines(loaded, target, width):
        line = terminal_text(line)  # the plan and log as written: no escape sequences
        echo(style(line, "cyan", bold=True) if is_heading else line)
