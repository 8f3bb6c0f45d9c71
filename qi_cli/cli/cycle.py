"""`qi cycle`: plan, log and review PDSA cycles.

Each subcommand lives in its own module, imported only when it runs: `qi cycle list`
does not load the prompts, the editor or the YAML writer that `new` and `log` need.
"""

from __future__ import annotations

from typing import ClassVar

import typer

from qi_cli.cli._common import LazyGroup, print_warning
from qi_cli.cycles.finding import broken_cycle_files
from qi_cli.files.loaded import LoadedProject


class CycleGroup(LazyGroup):
    lazy_commands: ClassVar[dict[str, tuple[str, str]]] = {
        "new": ("cycle_new", "Plan a PDSA cycle: writes one new file in cycles/ and prints where."),
        "log": (
            "cycle_log",
            "Record what happened in a cycle: Do, Study (each prediction) and Act.",
        ),
        "list": (
            "cycle_list",
            "List cycles: number, id, change idea, dates, scale, status, decision, ramp.",
        ),
        "show": (
            "cycle_list",
            "Show a cycle's worksheet: Plan, Do, Study, Act, and its place in the ramp.",
        ),
        "cancel": (
            "cycle_cancel",
            "Cancel a cycle that will not be carried out; it stays in its file as evidence.",
        ),
    }


app = typer.Typer(cls=CycleGroup, help="Plan, log and review PDSA cycles.", no_args_is_help=True)


def register(parent: typer.Typer) -> None:
    parent.add_typer(app, name="cycle")


def warn_broken_cycles(loaded: LoadedProject) -> None:
    """Say which cycle files could not be read (a command skips them)."""
    broken = broken_cycle_files(loaded)
    for issue in broken[:3]:
        print_warning(f"skipped {issue.format()}")
    if len(broken) > 3:
        print_warning(f"... and {len(broken) - 3} more problems in cycles/ (qi validate)")
