"""`qi validate`: every problem in one run, as `path:line:column: severity: message`."""

from __future__ import annotations

import difflib
import importlib
import json
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.coaching import CODES
from qi_cli.errors import QiError, UsageError
from qi_cli.files.disk import display_path
from qi_cli.files.project_folder import find_project_root, find_projects
from qi_cli.validate import validate_projects


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)


def validate(
    path: Path | None = typer.Argument(
        None,
        help="A project folder, or a folder of projects (default: the project holding "
        "the current folder).",
    ),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
    select: list[str] = typer.Option([], "--select", help="Only report these codes (repeatable)."),
    ignore: list[str] = typer.Option(
        [], "--ignore", help="Do not report these codes (repeatable)."
    ),
    writeup: bool = typer.Option(
        False,
        "--writeup",
        help="List the SQUIRE 2.0 items that `qi writeup` finds empty in the files instead.",
    ),
) -> None:
    """Check every file of a project (or of every project under PATH).

    Examples:

    \b
      qi validate            (the project holding this folder)
      qi validate projects/  (every project under a folder)
    """

    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")

    for code in [*select, *ignore]:
        if code.upper() not in CODES:
            close = difflib.get_close_matches(code.upper(), list(CODES), n=3)
            raise UsageError(
                f"unknown coaching code '{code}'",
                hint=(f"did you mean {', '.join(close)}? " if close else "")
                + "`qi explain` lists every code",
            )
    if writeup:
        # The draft needs the statistics and the renderers, which a plain `qi validate`
        # never loads (tests/test_cli_lazy.py): its command module is loaded only here,
        # as the CLI loads every command module.
        importlib.import_module("qi_cli.cli.writeup").list_empty_items(
            _projects(path), as_json=format == "json", strict=strict
        )
        return
    select = [c.upper() for c in select]
    ignore = [c.upper() for c in ignore]
    roots = _projects(path)
    issues = validate_projects(roots)
    if select:
        issues = [i for i in issues if i.code in select or (i.severity == "error" and not i.code)]
    if ignore:
        issues = [i for i in issues if i.code not in ignore]
    errors = sum(1 for i in issues if i.severity == "error")
    warnings = len(issues) - errors
    failed = errors > 0 or (strict and warnings > 0)
    if format == "json":
        echo(
            json.dumps(
                {
                    "projects": [display_path(r) for r in roots],
                    "errors": errors,
                    "warnings": warnings,
                    "issues": [i.to_dict() for i in issues],
                },
                indent=2,
            )
        )
    else:
        for issue in issues:
            colour = "red" if issue.severity == "error" else "yellow"
            head = f"{issue.where}: {style(issue.severity, colour, bold=True)}: {issue.message}"
            echo(head + (f" [{issue.code}]" if issue.code else ""))
            if issue.hint:
                echo(f"  {style('hint:', 'cyan')} {issue.hint}")
        noun = "project" if len(roots) == 1 else "projects"
        summary = (
            f"{len(roots)} {noun}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}"
        )
        echo(style(summary, "red" if failed else "green", bold=True))
    if failed:
        raise typer.Exit(1)


def _projects(path: Path | None) -> list[Path]:
    """The projects to check: the one holding the current folder, or, for a folder
    given explicitly, every project under it (a portfolio)."""
    if path is None:
        try:
            return [find_project_root(Path("."))]
        except QiError as exc:
            raise QiError(
                exc.message,
                hint="cd into a project folder, or create one with `qi project new`; "
                "to check every project under a folder, name it: qi validate PATH",
            ) from None
    roots = find_projects(path)
    if roots:
        return roots
    try:
        return [find_project_root(path)]
    except QiError:
        raise QiError(
            f"{display_path(path)}: no qi project here (no project.yaml found)",
            hint="pass a project folder, or create one with `qi project new`",
        ) from None
