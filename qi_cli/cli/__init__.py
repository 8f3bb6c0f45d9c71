"""The `qi` command: thin Typer commands over the library (one module per command group).

Only typer is imported at start-up; each command imports what it needs when it runs,
so `qi --help` stays as fast as `import typer`.
"""

from __future__ import annotations

import typer

from qi_cli import __version__
from qi_cli.cli import demo, project, validate
from qi_cli.cli._common import QiGroup

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


# Command groups, in the order a team meets them. Each module registers its own commands.
app.add_typer(project.app, name="project")
validate.register(app)
demo.register(app)
# -- PDSA workflow (drivers, change ideas, cycles): registered below this line
from qi_cli.cli import cycle, drivers  # noqa: E402

drivers.register(app)
cycle.register(app)
# -- measures, data and charts: registered below this line
from qi_cli.cli import chart, data, measure  # noqa: E402

app.add_typer(measure.app, name="measure")
app.add_typer(data.app, name="data")
chart.register(app)
# -- reports and portfolio: registered below this line
from qi_cli.cli import report  # noqa: E402

report.register(app)
# -- coaching, schemas and completion
from qi_cli.cli import explain, schema  # noqa: E402

explain.register(app)
schema.register(app)
