"""`qi explain CODE`: what a coaching warning means, why it matters, how to fix it."""

from __future__ import annotations

import difflib
import json
import shutil
import textwrap

import typer

from qi_cli.cli._common import echo, style
from qi_cli.coaching import CHART_RULES, CODES
from qi_cli.errors import QiError, UsageError

# The first digit of a code says which part of the project it is about.
AREAS = {
    "1": "The aim and the charter (project.yaml)",
    "2": "Measures (measures/*.yaml)",
    "3": "Data (measures/*.csv)",
    "4": "PDSA cycles (cycles/*.yaml)",
    "5": "The driver diagram (drivers.yaml)",
    "6": "The cause-and-effect diagram (fishbone.yaml)",
    "9": "Sharing: text that may identify a patient (every file)",
}


def register(app: typer.Typer) -> None:
    app.command("explain")(explain)


def explain(
    code: str | None = typer.Argument(
        None, help="A coaching code, e.g. Q101 (the code at the end of a warning).", metavar="CODE"
    ),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Explain a coaching warning of `qi validate`: what it means, why, and a fix.

    Without a code, list every code with its title.

    \b
    Examples:
      qi explain Q401    what a cycle without predictions means
      qi explain         every code, with its title
    """
    if format not in ("text", "json"):
        raise UsageError(f"unknown format '{format}'", hint="choose text or json")
    if code is None:
        if format == "json":
            echo(json.dumps([_as_dict(c) for c in sorted(CODES)], indent=2, ensure_ascii=False))
            return
        _list_codes()
        return
    rule = rule_name(code)
    if rule is not None:
        if format == "json":
            echo(json.dumps(_rule_dict(rule), indent=2, ensure_ascii=False))
            return
        _describe_rule(rule)
        return
    found = find_code(code)
    if format == "json":
        echo(json.dumps(_as_dict(found), indent=2, ensure_ascii=False))
        return
    _describe(found)


def rule_name(text: str) -> str | None:
    """The chart rule `text` names (`shift`, `two_of_three`, `Two of three`), or None."""
    word = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    return word if word in CHART_RULES else None


def _rule_dict(rule: str) -> dict[str, str]:
    info = CHART_RULES[rule]
    return {
        "rule": rule,
        "title": info.title,
        "why": info.why,
        "fix": info.fix,
        "example": info.example,
    }


def _describe_rule(rule: str) -> None:
    info = CHART_RULES[rule]
    width = max(40, min(shutil.get_terminal_size((88, 24)).columns - 1, 88))
    echo(style(info.title[0].upper() + info.title[1:], bold=True))
    echo()
    echo(textwrap.fill(info.why, width=width, initial_indent="  ", subsequent_indent="  "))
    echo()
    echo(style("How a measure chooses it", bold=True))
    text = info.fix[0].upper() + info.fix[1:] + "."
    echo(textwrap.fill(text, width=width, initial_indent="  ", subsequent_indent="  "))
    echo()
    echo(style("Example (measures/ID.yaml)", bold=True))
    for line in info.example.splitlines():
        echo(f"    {line}")


def find_code(text: str) -> str:
    """The code the user meant: `Q401`, `q401` or `401`; else an error naming close ones."""
    wanted = text.strip().upper()
    if wanted.isdigit():
        wanted = "Q" + wanted
    if wanted in CODES:
        return wanted
    words = text.strip().lower()
    close = difflib.get_close_matches(wanted, CODES, n=4, cutoff=0.6)
    if len(words) >= 4:  # a word such as "balancing" finds the codes whose title holds it
        close += [c for c, info in sorted(CODES.items()) if words in info.title and c not in close]
    first, last = min(CODES), max(CODES)
    hint = f"codes run from {first} to {last}; `qi explain` lists them"
    if close:
        titles = "; ".join(f"{c} {CODES[c].title}" for c in close)
        hint = f"did you mean {titles}? `qi explain` lists every code"
    raise QiError(f"unknown coaching code '{text}'", hint=hint)


def _as_dict(code: str) -> dict[str, str]:
    info = CODES[code]
    return {
        "code": code,
        "title": info.title,
        "why": info.why,
        "fix": info.fix,
        "example": info.example,
    }


def _list_codes() -> None:
    area = ""
    for code in sorted(CODES):
        if code[1] != area:
            if area:
                echo()
            area = code[1]
            echo(style(AREAS.get(area, "Other"), bold=True))
        echo(f"  {style(code, 'yellow')}  {CODES[code].title}")
    echo()
    echo(style("Chart rules (qi explain shift, …)", bold=True))
    pad = max(map(len, CHART_RULES))
    for rule, info in CHART_RULES.items():
        echo(f"  {style(rule.ljust(pad), 'yellow')}  {info.title.split(': ', 1)[1]}")
    echo()
    echo("Run `qi explain CODE` for what a code means and how to fix it.")


def _describe(code: str) -> None:
    info = CODES[code]
    width = max(40, min(shutil.get_terminal_size((88, 24)).columns - 1, 88))

    def paragraph(text: str) -> None:
        echo(textwrap.fill(text, width=width, initial_indent="  ", subsequent_indent="  "))

    echo(f"{style(code, 'yellow', bold=True)}: {style(info.title, bold=True)}")
    echo()
    echo(style("Why it matters", bold=True))
    paragraph(info.why)
    if info.fix:
        echo()
        echo(style("What to do", bold=True))
        paragraph(info.fix[0].upper() + info.fix[1:] + ".")
    echo()
    echo(style("Example", bold=True))
    for line in info.example.splitlines():
        echo(f"    {line}")
    echo()
    echo(style("When the advice does not fit this project", bold=True))
    echo("  silence it in project.yaml, with the reason for the team and reviewers:")
    echo("    settings:")
    echo("      ignore:")
    echo(f"        - code: {code}")
    echo("          reason: ...")
    echo(f"  or for one run: qi validate --ignore {code}")
