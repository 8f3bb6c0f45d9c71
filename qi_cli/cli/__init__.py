"""The `qi` command: thin Typer commands over the library (one module per command group).

Start-up is kept to `import typer` and little else: the root group knows each
command's name, module and one-line summary (`COMMANDS`), and imports and builds a
command only when it runs (or when its own `--help` is asked for). Each command then
imports what it needs. `tests/test_cli_lazy.py` keeps the summaries equal to the
commands' own help.
"""

from __future__ import annotations

import typer

from qi_cli import __version__
from qi_cli.cli._common import QiGroup

# name -> (module in qi_cli.cli, one-line summary), in the order a team meets them
COMMANDS: dict[str, tuple[str, str]] = {
    "project": ("project", "Create a project, set its charter and aim, record its progress."),
    "validate": ("validate", "Check every file of a project (or of every project under PATH)."),
    "driver": ("drivers", "Add drivers to the driver diagram."),
    "change": ("drivers", "Add and list change ideas."),
    "drivers": (
        "drivers",
        "Show the driver diagram: aim, primary and secondary drivers, change ideas.",
    ),
    "process": ("process", "Show the process map: its steps, who does them, where each leads."),
    "stakeholder": ("stakeholder_add", "Add people and groups to the stakeholder analysis."),
    "stakeholders": (
        "stakeholders",
        "Show the stakeholder analysis: the influence and support grid, and the plans.",
    ),
    "cycle": ("cycle", "Plan, log and review PDSA cycles."),
    "event": (
        "event",
        "Record events (a new system, a data problem, staffing) that charts show.",
    ),
    "measure": (
        "measure",
        "Define and edit measures (outcome, process, balancing); list them with their signals.",
    ),
    "data": ("data", "Add, list and remove a measure's values, or import a spreadsheet export."),
    "chart": (
        "chart",
        "Draw a measure's chart, mark its PDSA cycles and explain every signal.",
    ),
    "report": (
        "report",
        "One page that tells a project's story: aim, measures, changes, cycles, learning.",
    ),
    "portfolio": (
        "portfolio",
        "Every project under ROOT, one row each, and the Making Data Count summary.",
    ),
    "site": (
        "site",
        "Build the project library as a static website: every project, what was learned, measures.",
    ),
    "export": ("export", "Export chart images, a PowerPoint deck or a Word board paper."),
    "explain": (
        "explain",
        "Explain a coaching warning of `qi validate`: what it means, why, and a fix.",
    ),
    "writeup": (
        "writeup",
        "Draft a SQUIRE 2.0 write-up from the project files, with prompts for the rest.",
    ),
    "fishbone": ("fishbone", "Show the cause-and-effect (fishbone) diagram, or add a cause to it."),
    "funnel": (
        "funnel",
        "Compare a measure's units (wards, teams, sites) on a funnel plot.",
    ),
    "pareto": (
        "pareto",
        "Draw a Pareto chart: categories largest first, the cumulative percentage, the 80% line.",
    ),
    "rename": ("rename", "Rename a measure, driver or change idea id, and every reference to it."),
    "schema": ("schema", "Print or write the JSON Schemas (draft-07) of qi's files."),
    "demo": ("demo", "Copy the example project, validate it and show its report."),
    "merge-file": (
        "merge_file",
        "Merge a project.yaml or drivers.yaml that two git branches both changed.",
    ),
}
QiGroup.lazy_commands = COMMANDS

app = typer.Typer(
    cls=QiGroup,
    name="qi",
    help="Run quality-improvement projects with PDSA cycles, from plain files in git.\n\n"
    'Start with `qi demo` to see an example project, or `qi project new "Title"`.',
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qi {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Run quality-improvement projects with PDSA cycles, from plain files in git."""
