"""`qi driver add`, `qi change add`, `qi change list` and `qi drivers` (the diagram)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from qi_cli.cli._common import echo, style, use_colour
from qi_cli.cli._loading import load_checked, load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_driver, complete_measure
from qi_cli.cli.prompts import ask, interactive
from qi_cli.drivers import TreeNode, change_rows, driver_tree
from qi_cli.drivers_edit import add_change, add_driver, write_drivers
from qi_cli.errors import FieldError
from qi_cli.files.disk import display_path
from qi_cli.files.layout import DRIVERS_FILE, PROJECT_FILE
from qi_cli.render.escape import terminal_text

driver_app = typer.Typer(help="Add drivers to the driver diagram.", no_args_is_help=True)
change_app = typer.Typer(help="Add and list change ideas.", no_args_is_help=True)

# the library's field names, as these commands' flags say them
FLAGS = {"id": "--id", "parent": "--parent"}
STATUS_COLOURS = {
    "idea": "bright_black",
    "testing": "yellow",
    "adopted": "green",
    "abandoned": "red",
}


def print_rich(renderable: Any) -> None:
    """Print a rich table or tree by qi's colour rules (NO_COLOR, pipes: plain text),
    without the trailing spaces rich pads lines with."""
    console = Console(highlight=False, no_color=not use_colour(), emoji=False)
    with console.capture() as captured:
        console.print(renderable)
    echo("\n".join(line.rstrip() for line in captured.get().rstrip("\n").split("\n")))


def register(app: typer.Typer) -> None:
    app.add_typer(driver_app, name="driver")
    app.add_typer(change_app, name="change")
    app.command("drivers")(drivers)


@driver_app.command("add")
def driver_add(
    name: str = typer.Argument(..., help='The driver, e.g. "Timely specialist assessment".'),
    parent: list[str] = typer.Option(
        [],
        "--parent",
        help="Id of the driver this one feeds (repeatable); none for a primary driver.",
        autocompletion=complete_driver,
    ),
    driver_id: str | None = typer.Option(
        None, "--id", help="Id to use (default: made from the name)."
    ),
    measure: str | None = typer.Option(
        None, "--measure", help="Id of a measure for it.", autocompletion=complete_measure
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add a primary driver, or a secondary one with --parent.

    Example:

    \b
      qi driver add "Physio capacity at weekends" --parent timely-assessment
    """
    root = project_root(project)
    loaded = load_for_writing(root, DRIVERS_FILE, PROJECT_FILE)
    measures = list(loaded.measures)
    try:
        new_id, _ = write_drivers(
            root,
            lambda d: add_driver(
                d, name, parents=parent, driver_id=driver_id, measure=measure, measures=measures
            ),
        )
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    kind = "secondary driver" if parent else "primary driver"
    where = display_path(root / DRIVERS_FILE)
    echo(f"{style('added', 'green', bold=True)} {kind} {new_id} to {where}")
    if parent:
        echo(f'  next: qi change add "A change to test" --driver {new_id}')
    else:
        echo(f'  next: qi driver add "A secondary driver" --parent {new_id}')


@change_app.command("add")
def change_add(
    title: str = typer.Argument(..., help='The change idea, e.g. "Physio review within 24 h".'),
    driver: list[str] = typer.Option(
        [],
        "--driver",
        "-d",
        help="Id of a driver it acts on (repeatable).",
        autocompletion=complete_driver,
    ),
    change_id: str | None = typer.Option(
        None, "--id", help="Id to use (default: made from the title)."
    ),
    description: str | None = typer.Option(None, "--description", help="What the change is."),
    source: str | None = typer.Option(
        None, "--source", help="Where the idea came from, e.g. staff survey."
    ),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even in a terminal."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add a change idea to test in PDSA cycles.

    Example:

    \b
      qi change add "Physio review within 24 h" --driver physio-capacity
    """
    root = project_root(project)
    loaded = load_for_writing(root, DRIVERS_FILE, PROJECT_FILE)
    known = list(loaded.drivers.drivers) if loaded.drivers else []
    if not driver and known and interactive(no_input):
        echo("Drivers: " + ", ".join(known))
        answer = ask(
            "Which driver(s) does it act on? (ids, comma-separated; Enter for none)", suffix=": "
        )
        driver = [d.strip() for d in (answer or "").split(",") if d.strip()]
    try:
        new_id, _ = write_drivers(
            root,
            lambda d: add_change(
                d,
                title,
                drivers=driver,
                change_id=change_id,
                description=description,
                source=source,
            ),
        )
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    echo(
        f"{style('added', 'green', bold=True)} change idea {new_id} "
        f"to {display_path(root / DRIVERS_FILE)} (status: idea)"
    )
    if not driver:
        echo(
            f"  {style('note:', 'yellow', err=True)} not linked to a driver yet; "
            "add `drivers: [ID]` to it in drivers.yaml",
            err=True,
        )
    echo(f"  next, plan a first small test: qi cycle new --change {new_id}")


@change_app.command("list")
def change_list(
    driver: str | None = typer.Option(
        None,
        "--driver",
        "-d",
        help="Only the ideas for a driver.",
        autocompletion=complete_driver,
    ),
    status: str | None = typer.Option(
        None,
        "--status",
        "-s",
        help="Only ideas with this status: idea, testing, adopted, abandoned.",
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """List change ideas with their status (derived from their cycles).

    Example:

    \b
      qi change list --status testing
    """
    loaded = load_checked(project_root(project), DRIVERS_FILE)
    rows = change_rows(loaded, driver=driver, status=status)
    if not rows:
        if loaded.drivers and loaded.drivers.changes:
            echo("no change ideas match")
        else:
            echo('no change ideas yet: qi change add "Physio review within 24 h" --driver ID')
        return
    table = Table(box=None, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("id", no_wrap=True)
    table.add_column("change idea", ratio=3, min_width=12)
    table.add_column("status", no_wrap=True)
    table.add_column("cycles", no_wrap=True)
    table.add_column("drivers", ratio=2, min_width=8, overflow="fold")
    for row in rows:
        last = row.last
        table.add_row(  # Text, never a string: a title's `[...]` is not rich markup
            Text(row.id),
            Text(terminal_text(row.title)),
            Text(row.status, style=STATUS_COLOURS.get(row.status, "")),
            Text(f"{row.cycles} (last {last.label})" if last else "0"),
            Text(", ".join(row.drivers) or "-"),
        )
    print_rich(table)


def tree_label(node: TreeNode, level: int) -> Any:
    if node.kind == "change":
        label = Text("◆ ")
        label.append(terminal_text(node.label))
        label.append(f" [{node.id}] ", style="bright_black")
        label.append(node.status or "", style=STATUS_COLOURS.get(node.status or "", ""))
        if node.cycles:
            label.append(f", {node.cycles} cycle{'s' if node.cycles != 1 else ''}")
        return label
    kind = "primary" if level == 0 else "secondary"
    label = Text(terminal_text(node.label), style="bold" if level == 0 else "")
    label.append(f" [{node.id}]", style="bright_black")
    label.append(f" {kind}" if not node.repeat else " (shown above)", style="bright_black")
    return label


def drivers(project: Path | None = PROJECT_OPTION) -> None:
    """Show the driver diagram: aim, primary and secondary drivers, change ideas.

    Each change idea shows its status: idea, testing, adopted or abandoned.

    Example:

    \b
      qi drivers
    """
    loaded = load_checked(project_root(project), DRIVERS_FILE, PROJECT_FILE)
    aim = loaded.project.aim if loaded.project else None
    root = Tree(
        Text.assemble(
            ("Aim: ", "bold"),
            terminal_text(aim.statement) if aim else "(no aim yet: add it to project.yaml)",
        )
    )
    nodes = driver_tree(loaded)

    def grow(branch: Any, node: TreeNode, level: int) -> None:
        child = branch.add(tree_label(node, level))
        for sub in node.children:
            grow(child, sub, level + 1)

    for node in nodes:
        grow(root, node, 0)
    print_rich(root)
    if not nodes:
        echo('no drivers yet: qi driver add "Timely specialist assessment"')
