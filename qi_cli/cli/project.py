"""`qi project new` and `qi project score`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from qi_cli.cli._common import PROJECT_OPTION, echo, project_root, style

app = typer.Typer(help="Create a project and record its progress.", no_args_is_help=True)


def _ask(label: str, given: str | None, interactive: bool) -> str | None:
    if given is not None or not interactive:
        return given
    answer: str = typer.prompt(label, default="", show_default=False)
    return answer.strip() or None


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
    from qi_cli.project import create_project, yaml_scalar

    interactive = sys.stdin.isatty() and not no_input and template == "blank"
    lead = _ask("Project lead (your name)", lead, interactive)
    aim = _ask("Aim: what will improve, by how much, for whom, by when", aim, interactive)
    values = {
        key: yaml_scalar(value)
        for key, value in {
            "sponsor": sponsor,
            "coach": coach,
            "problem": problem,
            "reason": reason,
            "scope_in": scope_in,
            "scope_out": scope_out,
        }.items()
    }
    values["team"] = f"\n  - name: {yaml_scalar(lead)}\n    role: Project lead" if lead else " []"
    if aim:
        values["aim"] = (
            f"aim:\n  statement: {yaml_scalar(aim)}\n"
            "  outcome_measure:  # the id of the outcome measure in measures/\n"
            "  baseline:\n  target:\n  target_date:  # YYYY-MM-DD\n  population:"
        )
    else:
        values["aim"] = (
            "# aim:\n#   statement: Reduce ... from ... to ... by ...\n"
            "#   outcome_measure: ...  # the id of the outcome measure in measures/\n"
            "#   baseline: ...\n#   target: ...\n#   target_date: YYYY-MM-DD\n"
            "#   population: ..."
        )
    target = create_project(dir, title, template=template, values=values)
    from qi_cli.files.disk import display_path

    echo(f"{style('created', 'green', bold=True)} {display_path(target)}/")
    echo(f"  next: cd {display_path(target)} && qi validate")


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
    import datetime as dt

    from qi_cli.errors import QiError, UsageError
    from qi_cli.files.loader import PROJECT_FILE
    from qi_cli.files.yaml_write import update_file
    from qi_cli.model import PROGRESS_SCALE, Project

    if value not in PROGRESS_SCALE:
        scale = ", ".join(f"{k:g} {v}" for k, v in PROGRESS_SCALE.items())
        raise UsageError(f"{value:g} is not on the IHI progress scale", hint=f"choose: {scale}")
    from qi_cli.dates import parse_user_date

    when = parse_user_date(date, "--date", dt.date.today()) if date else dt.date.today()
    root = project_root(project)

    def patch(current: Project, _text: str) -> dict[str, object]:
        if current.progress and when < current.progress[-1].date:
            raise QiError(
                f"{when} is before the last progress entry ({current.progress[-1].date})",
                hint="progress entries are kept in date order; give a later --date",
            )
        entry: dict[str, object] = {"date": when, "score": value}
        if note:
            entry["note"] = note
        return {"progress": [{} for _ in current.progress] + [entry]}

    after, _, _ = update_file(root, root / PROJECT_FILE, Project, patch)
    previous = after.progress[-2].score if len(after.progress) >= 2 else None
    change = f" (was {previous:g})" if previous is not None else ""
    echo(f"{style('progress', 'green', bold=True)} {value:g} {PROGRESS_SCALE[value]}{change}")
