"""`qi demo`: the bundled example project, validated and reported."""

from __future__ import annotations

import tempfile
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.cli.report import report
from qi_cli.errors import FieldError, QiError
from qi_cli.files.disk import display_path
from qi_cli.files.loader import load_project
from qi_cli.project import create_project
from qi_cli.validate import validate_project


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    dir: Path | None = typer.Option(
        None, "--dir", "-d", help="Where to copy the example (default: a temporary folder)."
    ),
) -> None:
    """Copy the example project, validate it and show its report.

    Example:

    \b
      qi demo --dir ~/qi-example
    """
    parent = dir if dir is not None else Path(tempfile.mkdtemp(prefix="qi-demo-"))
    parent.mkdir(parents=True, exist_ok=True)
    try:
        root = create_project(
            parent, "Rib fracture pathway", template="example", folder_name="rib-fracture-pathway"
        )
    except FieldError as exc:
        raise exc.named({"parent": "--dir"}) from None
    echo(f"{style('example project:', bold=True)} {display_path(root)}")
    loaded = load_project(root)
    issues = validate_project(loaded)
    errors = [i for i in issues if i.severity == "error"]
    for issue in errors:
        echo(issue.format(), err=True)
    if errors:
        raise QiError(
            f"the example project has {len(errors)} validation error(s)",
            hint="this is a bug in qi: please report it",
        )
    warnings = len(issues) - len(errors)
    echo(f"validated: 0 errors, {warnings} coaching warnings")
    echo()
    report(project=root, format="terminal", output=None, since=None, width=None)
    echo()
    echo(
        f"next: cd {display_path(root)} && qi chart length-of-stay, qi cycle list, "
        "qi report --format html -o report.html"
    )
