"""`qi data add`, `list`, `remove` and `import`: the week's number, or a spreadsheet export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer

from qi_cli.cli._common import echo, print_warning, style
from qi_cli.cli._loading import load_for_writing
from qi_cli.cli._project import PROJECT_OPTION, project_root
from qi_cli.cli.complete import complete_measure
from qi_cli.data import add_value, data_rows, parse_entry, remove_value, row_dict
from qi_cli.data_import import Columns, ImportPlan, Reading, import_file, rejected_hint
from qi_cli.dates import DateOrder, parse_user_date
from qi_cli.errors import FieldError, QiError, UsageError, name_fields
from qi_cli.files.csv_table import format_number
from qi_cli.files.disk import display_path
from qi_cli.files.loaded import LoadedProject
from qi_cli.files.loader import load_project
from qi_cli.measure_analysis import find_measure
from qi_cli.render.escape import terminal_text

# the library's field names, as `qi data add` says them
ADD_FLAGS = {
    "date": "--date",
    "denominator": "--denominator",
    "allow_future": "--allow-future",
    "replace": "--replace",
    "unit": "--unit",
}

# the library's field names, as `qi data import` says them
IMPORT_FLAGS = {
    "date_col": "--date-col",
    "value_col": "--value-col",
    "denominator_col": "--denominator-col",
    "denominator": "--denominator-col",
    "note_col": "--note-col",
    "unit_col": "--unit-col",
    "dayfirst": "--dayfirst",
    "monthfirst": "--monthfirst",
    "decimal_comma": "--decimal-comma",
    "allow_future": "--allow-future",
}

app = typer.Typer(
    help="Add, list and remove a measure's values, or import a spreadsheet export.",
    no_args_is_help=True,
)


# a negative value (`qi data add change-in-weight -5`) is the value, not an option
@app.command("add", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
def add(
    ctx: typer.Context,
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    value: str = typer.Argument(..., help="The value (numerator for a proportion or rate)."),
    date: str | None = typer.Option(
        None,
        "--date",
        "-d",
        help="YYYY-MM-DD, or 31/01/2026 when the project's settings.dates is day-first "
        "(default: today).",
    ),
    denominator: str | None = typer.Option(
        None, "--denominator", "-n", help="Cases (proportion) or exposure (rate)."
    ),
    note: str | None = typer.Option(None, "--note", help="A note kept beside the value."),
    unit: str | None = typer.Option(
        None, "--unit", help="The ward, team or site of the value (a measure kept per unit)."
    ),
    replace: bool = typer.Option(False, "--replace", help="Replace the value for this date."),
    allow_future: bool = typer.Option(
        False, "--allow-future", help="Accept a date after today (e.g. a week still to end)."
    ),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Add one value to a measure's data, keeping the file in date order.

    Examples:

    \b
      qi data add physio-within-24h 9 --denominator 12 --date 2026-03-02
      qi data add length-of-stay 6.4 --note "bank holiday week"
      qi data add physio-within-24h 9 --denominator 12 --unit "Ward 7"
    """
    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")
    for extra in [value, *ctx.args]:
        if extra.startswith("-") and not extra[1:2].isdigit() and extra[1:2] != ".":
            raise UsageError(f"no such option: {extra}", hint="see qi data add --help")
    if ctx.args:
        raise UsageError(f"unexpected argument: {ctx.args[0]}", hint="give one value")
    root = project_root(project)
    loaded = load_for_writing(root)
    measure = find_measure(loaded, measure_id)
    today = dt.date.today()
    day = parse_user_date(date, "--date", today, _order(loaded)) if date is not None else today
    latest = None if allow_future else today
    try:
        entry = parse_entry(
            measure, day.isoformat(), value, denominator, note, latest=latest, unit=unit
        )
        result = add_value(root, measure_id, measure, entry, replace_existing=replace)
    except FieldError as exc:
        raise exc.named(ADD_FLAGS) from None
    if format == "json":
        echo(
            json.dumps(
                {
                    "measure": measure_id,
                    "path": display_path(result.path),
                    "line": result.line,
                    "row": result.entry.cells(),
                    "replaced": list(result.replaced),
                },
                indent=2,
            )
        )
        return
    where = f"{display_path(result.path)}:{result.line}"
    verb = "replaced" if result.replaced else "added"
    old = f" (was {', '.join(result.replaced)})" if result.replaced else ""
    echo(f"{style(verb, 'green', bold=True)} {entry.describe()} on {entry.date}{old}: {where}")
    echo(f"  see the chart: qi chart {measure_id}")


@app.command("list")
def list_(
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    json_output: bool = typer.Option(False, "--json", help="Print JSON."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """List a measure's values, each with its line in the CSV file.

    Examples:

    \b
      qi data list physio-within-24h
      qi data list length-of-stay --json
    """
    loaded = load_project(project_root(project))
    find_measure(loaded, measure_id)
    rows = data_rows(loaded, measure_id)
    path = loaded.display("measures", f"{measure_id}.csv")
    if json_output:
        payload = {"measure": measure_id, "path": path, "rows": [row_dict(r) for r in rows]}
        echo(json.dumps(payload, indent=2))
        return
    problems = [i for i in loaded.errors if i.path == path]
    if problems:  # said first: a row with an error is not among those listed
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        print_warning(
            f"{problems[0].where}: {problems[0].message}{more}; a row with an error is "
            "not listed (`qi validate` names each)"
        )
    if not rows:
        if not problems:
            echo(f"{path}: no values yet: add one with `qi data add {measure_id} VALUE`")
        return
    table = [("line", "date", "unit", "value", "denominator", "note", "exclude")]
    for r in rows:
        table.append(
            (
                str(r.line),
                r.date.isoformat(),
                terminal_text(r.unit or ""),  # a colleague's text: no escape sequence
                "-" if r.value is None else format_number(r.value),
                "" if r.denominator is None else format_number(r.denominator),
                terminal_text(" ".join((r.note or "").split())),
                terminal_text(" ".join((r.exclude or "").split())),
            )
        )
    used = [i for i in range(len(table[0])) if any(row[i] for row in table[1:])]
    widths = {i: max(len(row[i]) for row in table) for i in used}
    echo(style(path, bold=True))
    for n, row in enumerate(table):
        line = "  ".join(row[i].ljust(widths[i]) for i in used).rstrip()
        echo(style(line, bold=True) if n == 0 else line)


@app.command("remove")
def remove(
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    date: str = typer.Argument(
        ..., help="The date of the row to remove (YYYY-MM-DD, or as settings.dates says)."
    ),
    unit: str | None = typer.Option(
        None, "--unit", help="The unit whose row to remove (a measure kept per unit)."
    ),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Remove a measure's value for one date (every value of that date, for subgroups).

    Example:

    \b
      qi data remove physio-within-24h 2026-03-02
    """
    root = project_root(project)
    loaded = load_for_writing(root)
    measure = find_measure(loaded, measure_id)
    day = parse_user_date(date, "DATE", dt.date.today(), _order(loaded))
    try:
        removed = remove_value(root, measure_id, measure, day, unit)
    except FieldError as exc:
        raise exc.named({"date": "DATE", "unit": "--unit"}) from None
    where = display_path(removed.path)
    for line, text in removed.rows:
        echo(f"{style('removed', 'green', bold=True)} {removed.date}: {text} (was {where}:{line})")
    echo(f"  see the chart: qi chart {measure_id}")


@app.command("import")
def import_(
    measure_id: str = typer.Argument(
        ..., metavar="MEASURE", help="The measure's id.", autocompletion=complete_measure
    ),
    file: Path = typer.Argument(..., metavar="FILE.csv", help="A CSV export of a spreadsheet."),
    date_col: str = typer.Option("date", "--date-col", help="Date column: name or number."),
    value_col: str = typer.Option("value", "--value-col", help="Value column: name or number."),
    denominator_col: str | None = typer.Option(
        None, "--denominator-col", help="Denominator column (default: 'denominator' if present)."
    ),
    note_col: str | None = typer.Option(
        None, "--note-col", help="Note column (default: 'note' if present)."
    ),
    unit_col: str | None = typer.Option(
        None, "--unit-col", help="Unit column (ward, team, site): name or number."
    ),
    dayfirst: bool = typer.Option(False, "--dayfirst", help="Dates are dd/mm/yyyy (UK)."),
    monthfirst: bool = typer.Option(False, "--monthfirst", help="Dates are mm/dd/yyyy (US)."),
    decimal_comma: bool = typer.Option(
        False, "--decimal-comma", help="Numbers are written 1.198,5 (default: 1,198.5)."
    ),
    allow_future: bool = typer.Option(
        False, "--allow-future", help="Accept dates after today (default: rejected)."
    ),
    delimiter: str | None = typer.Option(
        None, "--delimiter", help="Cell separator (default: comma, or ; or tab when used)."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Take the spreadsheet's value where a date differs."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    project: Path | None = PROJECT_OPTION,
) -> None:
    """Import values from a spreadsheet export; existing values are never lost.

    Dates already in the measure with a different value are listed as conflicts and
    kept (or replaced with --replace); rejected rows are listed with their line, and
    the import fails (exit 1, nothing written) when every row was rejected.

    Dates like 03/04/2026 are read as --dayfirst or --monthfirst say; without either,
    as the file's other dates allow (13/01/2026 can only be day-first), else as the
    project's settings.dates. Numbers may have thousands separators (1,198).

    Examples:

    \b
      qi data import physio-within-24h export.csv --dayfirst --dry-run
      qi data import length-of-stay los.csv --date-col "Week starting" --value-col 3
    """
    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")
    if delimiter is not None and len(delimiter) != 1:
        raise UsageError("--delimiter must be one character", hint="e.g. --delimiter ';'")
    if dayfirst and monthfirst:
        raise UsageError("choose one of --dayfirst and --monthfirst")
    root = project_root(project)
    loaded = load_for_writing(root)
    measure = find_measure(loaded, measure_id)
    order: DateOrder | None = "day-first" if dayfirst else "month-first" if monthfirst else None
    reading = Reading(
        order=order,
        project_order=_order(loaded),
        decimal_comma=decimal_comma,
        allow_future=allow_future,
    )
    try:
        plan = import_file(
            root,
            measure_id,
            measure,
            file,
            Columns(date_col, value_col, denominator_col, note_col, unit_col),
            reading,
            delimiter=delimiter,
            replace_existing=replace,
            dry_run=dry_run,
        ).named(IMPORT_FLAGS)
    except FieldError as exc:
        raise exc.named(IMPORT_FLAGS) from None
    if format == "json":
        echo(json.dumps({"measure": measure_id, "dry_run": dry_run, **plan.to_dict()}, indent=2))
    else:
        _echo_plan(plan, measure_id, dry_run)
    if plan.all_rejected:
        raise QiError(
            f"{plan.source}: nothing imported: all {len(plan.rejected)} rows were rejected",
            hint=name_fields(rejected_hint(plan), IMPORT_FLAGS),
        )


def _order(loaded: LoadedProject) -> DateOrder:
    return loaded.project.date_order if loaded.project else "iso"


def _echo_plan(plan: ImportPlan, measure_id: str, dry_run: bool) -> None:
    would = "would " if dry_run else ""
    head = (
        f"{plan.source}: {would}add {len(plan.added)}, {would}replace {len(plan.replaced)}, "
        f"{plan.unchanged} already there, {len(plan.conflicts)} conflicts, "
        f"{len(plan.rejected)} rejected"
    )
    echo(style(head, bold=True))
    for entry in plan.added:
        echo(f"  + {entry.date}  {entry.describe()}" + (f"  ({entry.note})" if entry.note else ""))
    for c in plan.replaced:
        echo(f"  ~ {c.date}  {c.existing} -> {c.incoming.describe()}  (line {c.line})")
    if plan.conflicts:
        echo(
            style("conflicts (the measure's value is kept; --replace takes the file's):", "yellow")
        )
        for c in plan.conflicts:
            echo(f"  ! {c.date}  has {c.existing}, file line {c.line} says {c.incoming.describe()}")
    if plan.rejected:
        echo(style("rejected rows:", "red"))
        for r in plan.rejected:
            echo(f"  {plan.source}:{r.line}: {r.reason}")
    extras = [words for words in (plan.date_order, plan.numbers) if words]
    if plan.no_value:
        lines = ", ".join(str(n) for n in plan.no_value[:8])
        more = f" and {len(plan.no_value) - 8} more" if len(plan.no_value) > 8 else ""
        extras.append(f"rows without a value skipped (lines {lines}{more})")
    if plan.blank_rows:
        extras.append(f"{plan.blank_rows} blank rows skipped")
    if plan.ignored_columns:
        extras.append(f"columns not used: {', '.join(plan.ignored_columns)}")
    for extra in extras:
        echo(f"  note: {extra}")
    if dry_run:
        echo("dry run: nothing was written")
    elif plan.written:
        echo(f"  see the chart: qi chart {measure_id}")
