"""`qi schema`: the JSON Schemas of qi's files, for editors and other tools."""

from __future__ import annotations

import difflib
from pathlib import Path

import typer

from qi_cli.cli._common import echo, style
from qi_cli.errors import UsageError
from qi_cli.files.disk import display_path, write_atomic
from qi_cli.files.output import check_schema_output
from qi_cli.schemas import KINDS, render_schema, schema_file_name


def register(app: typer.Typer) -> None:
    app.command("schema")(schema)


def _complete_kind(incomplete: str) -> list[str]:

    return [k for k in KINDS if k.startswith(incomplete)]


def schema(
    kind: str | None = typer.Argument(
        None,
        help="project, drivers, measure or cycle: print that schema.",
        metavar="KIND",
        autocompletion=_complete_kind,
        show_default=False,
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "--output",
        "-o",
        help="Write the schemas (all, or KIND) as KIND.schema.json files into this folder.",
        show_default=False,
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace files in --out that are not schemas qi wrote."
    ),
) -> None:
    """Print or write the JSON Schemas (draft-07) of qi's files.

    Editors that read `# yaml-language-server: $schema=...` (VS Code's YAML extension)
    then check and complete each file while you type. New projects carry the schemas
    in .qi/schemas/; after upgrading qi, refresh them from the project folder.

    \b
    Examples:
      qi schema measure              print the schema of measures/ID.yaml
      qi schema --out .qi/schemas    refresh this project's schemas
    """

    if kind is not None and kind not in KINDS:
        close = difflib.get_close_matches(kind, KINDS, n=1)
        raise UsageError(
            f"unknown file type '{kind}'",
            hint=(f"did you mean '{close[0]}'? " if close else "") + "choose " + ", ".join(KINDS),
        )
    if out is None and kind is None:
        for name, (_, files) in KINDS.items():
            echo(f"  {style(f'{name:<8}', bold=True)}  {files}")
        echo()
        echo("qi schema KIND prints one schema; qi schema --out DIR writes them all.")
        return
    if out is None:
        assert kind is not None
        echo(render_schema(kind).rstrip("\n"))
        return
    if out.exists() and not out.is_dir():
        raise UsageError(f"{display_path(out)}: is a file, expected a folder", hint="--out DIR")
    kinds = [kind] if kind else list(KINDS)
    check_schema_output(out, [schema_file_name(name) for name in kinds], force=force)
    for name in kinds:
        path = out / schema_file_name(name)
        write_atomic(path, render_schema(name))
        echo(f"{style('wrote', 'green', bold=True)} {display_path(path)}")
