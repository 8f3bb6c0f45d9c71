"""`qi stakeholder add`: a person or group added to the stakeholder analysis."""

from __future__ import annotations

from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.errors import FieldError
from qi_cli.files.disk import display_path
from qi_cli.files.layout import STAKEHOLDERS_FILE
from qi_cli.toolkit.stakeholders_edit import add_stakeholder, write_stakeholders

stakeholder_app = typer.Typer(
    help="Add people and groups to the stakeholder analysis.", no_args_is_help=True
)
LEVELS = "strong_opposition, opposition, neutral, support or strong_support"
# the library's field names, as the command's flags say them
FLAGS = {
    "id": "--id",
    "influence": "--influence",
    "support": "--support",
    "needed": "--needed",
}


def register(app: typer.Typer) -> None:
    app.add_typer(stakeholder_app, name="stakeholder")


@stakeholder_app.command("add")
def stakeholder_add(
    name: str = typer.Argument(..., help='The person or group, e.g. "ED consultants".'),
    influence: str = typer.Option(
        ..., "--influence", help="high or low: how much they can help or block the project."
    ),
    support: str = typer.Option(..., "--support", help=f"Where they stand now: {LEVELS}."),
    needed: str = typer.Option(
        ..., "--needed", help="Where the project needs them to stand (same levels)."
    ),
    role: str | None = typer.Option(None, "--role", help="Their part in the process."),
    plan: str | None = typer.Option(None, "--plan", help="How the team will move them."),
    stakeholder_id: str | None = typer.Option(
        None, "--id", help="Id to use (default: made from the name)."
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add a stakeholder: their influence, support now, support needed and the plan.

    \b
    Example:
      qi stakeholder add "ED consultants" --role "Own the ED proforma" \\
        --influence high --support neutral --needed support \\
        --plan "Show the baseline audit at ED governance"
    """
    root = project_root(project)
    load_for_writing(root, STAKEHOLDERS_FILE)
    try:
        new_id, analysis = write_stakeholders(
            root,
            lambda current: add_stakeholder(
                current,
                name,
                influence=influence,
                support=support,
                needed=needed,
                role=role,
                plan=plan,
                stakeholder_id=stakeholder_id,
            ),
        )
    except FieldError as exc:
        raise exc.named(FLAGS) from None
    echo(
        f"{style('added', 'green', bold=True)} stakeholder {new_id} "
        f"to {display_path(root / STAKEHOLDERS_FILE)}"
    )
    person = analysis.stakeholders[new_id]
    if person.gap > 0 and not person.plan:
        echo(
            f"  {style('note:', 'yellow', err=True)} they must move but have no plan yet; "
            f"add `plan:` to {new_id} in {STAKEHOLDERS_FILE} (qi explain Q801)",
            err=True,
        )
    echo("  next: qi stakeholders")
