"""`qi project new`, `qi project set` and `qi project score`."""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import typer

from qi_cli.cli._common import echo, print_warning, style
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.prompts import ask, interactive
from qi_cli.dates import parse_user_date
from qi_cli.errors import FieldError
from qi_cli.files.disk import display_path
from qi_cli.files.git import configure_merge_driver
from qi_cli.files.layout import GITATTRIBUTES
from qi_cli.model import PROGRESS_SCALE
from qi_cli.project import (
    MERGE_RULE,
    QI_MERGE_RULES,
    FieldChange,
    add_merge_rule,
    create_project,
    record_score,
    set_project_field,
    settable_fields,
    template_values,
)
from qi_cli.project_model import Project

app = typer.Typer(
    help="Create a project, set its charter and aim, record its progress.", no_args_is_help=True
)

# the library's field names, as these commands' flags say them
NEW_FLAGS = {"parent": "--dir"}
SCORE_FLAGS = {"date": "--date"}
SET_FLAGS = {"field": "FIELD"}
PROJECT_FIELDS = ", ".join(settable_fields(Project))


@app.command("new")
def new(
    title: str = typer.Argument(..., help='The project\'s title, e.g. "Rib fracture pathway".'),
    dir: Path = typer.Option(Path("."), "--dir", "-d", help="Parent folder for the project."),
    template: str = typer.Option(
        "blank", "--template", "-t", help="blank, or example (a worked example project)."
    ),
    lead: str | None = typer.Option(None, "--lead", help="Project lead's name."),
    sponsor: str | None = typer.Option(None, "--sponsor", help="Executive sponsor."),
    coach: str | None = typer.Option(None, "--coach", help="QI coach supporting the team."),
    problem: str | None = typer.Option(None, "--problem", help="The problem to be addressed."),
    reason: str | None = typer.Option(None, "--reason", help="Why this matters now."),
    aim: str | None = typer.Option(
        None, "--aim", help="SMART aim: what, by how much, for whom, by when."
    ),
    scope_in: str | None = typer.Option(None, "--scope-in", help="What the project covers."),
    scope_out: str | None = typer.Option(None, "--scope-out", help="What it leaves out."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt, even in a terminal."),
) -> None:
    """Create a project folder from a template.

    Example:

    \b
      qi project new "Rib fracture pathway" --lead "Sam Patel"
    """
    asking = interactive(no_input) and template == "blank"
    if asking and lead is None:
        lead = ask("Project lead (your name)", suffix=": ")
    if asking and aim is None:
        aim = ask("Aim: what will improve, by how much, for whom, by when", suffix=": ")
    texts = {
        "sponsor": sponsor,
        "coach": coach,
        "problem": problem,
        "reason": reason,
        "scope_in": scope_in,
        "scope_out": scope_out,
    }
    values = template_values(lead=lead, aim=aim, texts=texts)
    try:
        target = create_project(dir, title, template=template, values=values)
    except FieldError as exc:
        raise exc.named(NEW_FLAGS) from None
    echo(f"{style('created', 'green', bold=True)} {display_path(target)}/")
    echo(f"  next: cd {shlex.quote(display_path(target))} && qi validate")


@app.command("score")
def score(
    value: float = typer.Argument(..., help="IHI progress score: 0.5, 1.0, 1.5 ... 5.0."),
    note: str | None = typer.Option(None, "--note", "-n", help="Why the score changed."),
    date: str | None = typer.Option(None, "--date", help="Date of the score (default today)."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Record the project's progress on the IHI scale, as a new dated entry.

    Example:

    \b
      qi project score 3.0 --note "Shift in length of stay after the new pathway"
    """
    when = parse_user_date(date, "--date", dt.date.today()) if date is not None else dt.date.today()
    root = project_root(project)
    load_for_writing(root)
    try:
        after = record_score(root, value, note, when)
    except FieldError as exc:
        raise exc.named(SCORE_FLAGS) from None
    previous = after.progress[-2].score if len(after.progress) >= 2 else None
    change = f" (was {previous:g})" if previous is not None else ""
    echo(f"{style('progress', 'green', bold=True)} {value:g} {PROGRESS_SCALE[value]}{change}")


@app.command(
    "set",
    help=f"""Set one field of the charter or the aim in project.yaml (comments are kept).

The value is checked before anything is written. FIELD is one of: {PROJECT_FIELDS}.

Examples:

\b
  qi project set aim.statement "Reduce falls from 8 to 4 per 1,000 bed days by June"
  qi project set aim.target 4
  qi project set status active
""",
)
def set_(
    field: str = typer.Argument(..., help="The field, e.g. title, sponsor, aim.target."),
    value: str = typer.Argument(..., help="Its new value (a date as YYYY-MM-DD)."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    root = project_root(project)
    load_for_writing(root)
    try:
        change = set_project_field(root, field, value)
    except FieldError as exc:
        raise exc.named(SET_FLAGS) from None
    echo_change(change)


def echo_change(change: FieldChange) -> None:
    """`set aim.target: 4 (was 5) in project.yaml`."""
    where = display_path(change.path)
    new = shown(change.new)
    if not change.changed:
        echo(f"{change.field} is already {new}: {where} unchanged")
        return
    was = "" if change.old is None else f" (was {shown(change.old)})"
    echo(f"{style('set', 'green', bold=True)} {change.field}: {new}{was} in {where}")
    for warning in change.warnings:
        print_warning(warning)


def shown(value: object) -> str:
    """A value as a person writes it: 4 not 4.0, true not True."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


@app.command("gitattributes")
def gitattributes(project: Path | None = PROJECT_OPTION) -> None:
    """Let data added on two git branches merge without a conflict (.gitattributes).

    New projects have it; this adds `measures/*.csv merge=union` to an older project's
    .gitattributes (other lines are kept). Commit the file, and every branch made
    afterwards merges its new data rows with the others'. It also sets up, in this
    clone, qi's merge driver for project.yaml and drivers.yaml (`merge=qi`): drivers,
    change ideas and progress scores added on two branches are all kept. Run it once
    in each clone.

    Example:

    \b
      qi project gitattributes && git add .gitattributes
    """
    root = project_root(project)
    load_for_writing(root)
    done = add_merge_rule(root)
    path = display_path(root / GITATTRIBUTES)
    if done == "present":
        echo(f"{path}: measure data already merges line by line (nothing to do)")
    else:
        echo(f"{style(done, 'green', bold=True)} {path}: {MERGE_RULE}")
        echo(f"  and {', '.join(QI_MERGE_RULES)}")
    if configure_merge_driver(root):
        echo(f"{style('configured', 'green', bold=True)} this clone's git: merge.qi.driver")
    if done != "present":
        echo(f"  next: git add {path} && git commit -m 'Data files merge line by line'")
