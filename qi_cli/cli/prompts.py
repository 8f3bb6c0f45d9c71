"""Asking a person: prompts, choices, and the worksheet editor, shared by every command.

Prompts are only shown to a person at a terminal (`interactive`); a script gets an
error naming the missing flag instead. Every prompt is answered before anything is
written, so Ctrl-C leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

import typer

from qi_cli.cli._common import echo, print_warning, style
from qi_cli.dates import DateOrder, parse_user_date
from qi_cli.errors import FieldError, QiError, UsageError
from qi_cli.files.yaml_write import strip_comment_lines
from qi_cli.render.escape import terminal_text

T = TypeVar("T")


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def interactive(no_input: bool = False) -> bool:
    """Prompt for what is missing only when a person is at the keyboard."""
    return not no_input and stdin_is_terminal()


def heading(text: str) -> None:
    echo(style(text, "cyan", bold=True))


def ask(label: str, default: str | None = None, *, suffix: str | None = None) -> str | None:
    """One free-text prompt; Enter keeps the default (shown), or leaves it empty.

    After a question or a closing bracket the prompt ends with a space, else `: `. An
    answer holding a control key (an arrow key reaches a plain prompt as `^[[A`) is
    refused and asked again at once.
    """
    if suffix is None:
        suffix = " " if label.rstrip().endswith(("?", ")")) else ": "
    # the label and the default come from files: shown on one line, without escapes
    shown = terminal_text(label) + (f" [{terminal_text(default)}]" if default else "")
    while True:
        typed: str = typer.prompt(shown, default="", show_default=False, prompt_suffix=suffix)
        if not _CONTROL.search(typed):
            return (typed or default or "").strip() or None
        echo("  that answer holds a control key (an arrow key?): type the answer again", err=True)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def ask_valid(
    label: str,
    parse: Callable[[str], T],
    default: str | None = None,
    names: Mapping[str, str] | None = None,
) -> T:
    """Ask until the answer parses; the reason for a refusal is shown, then asked again.

    A refusal that names a field says it as `names` does (the prompt's own words)."""
    while True:
        answer = ask(label, default) or ""
        try:
            return parse(answer)
        except QiError as exc:
            shown = exc.named(names or {}) if isinstance(exc, FieldError) else exc
            echo(f"  {shown.message}" + (f" ({shown.hint})" if shown.hint else ""), err=True)


def date_form(order: DateOrder) -> str:
    """How the project's dates are typed, for a prompt's label."""
    return {"iso": "YYYY-MM-DD", "day-first": "DD/MM/YYYY", "month-first": "MM/DD/YYYY"}[order]


def typed_date(text: str, what: str, today: dt.date, order: DateOrder) -> dt.date:
    """A date typed at a prompt or in a flag (`parse_user_date`); one typed another way
    than YYYY-MM-DD is echoed as the ISO date that is stored."""
    day = parse_user_date(text, what, today, order)
    if "/" in text or "." in text or re.fullmatch(r"\s*\d{1,2}-\d{1,2}-\d{4}\s*", text):
        echo(f"  {what}: {text.strip()} is {day.isoformat()}")
    return day


def ask_date(
    label: str,
    what: str,
    today: dt.date,
    order: DateOrder,
    default: str,
    *,
    check: Callable[[dt.date], None] | None = None,
) -> dt.date:
    """Ask for a date in the project's form (YYYY-MM-DD is always understood), asking
    again at once when `check` (the library's rule for this date) refuses it."""

    def parse(text: str) -> dt.date:
        day = typed_date(text, what, today, order)
        if check is not None:
            check(day)
        return day

    return ask_valid(f"{label} ({date_form(order)})", parse, default)


def ask_required(value: str | None, flag: str, question: str, choices: str | None = None) -> str:
    """`value` if the flag gave it; else ask a person, or tell a script which flag is missing."""
    if value is not None:
        return value
    if not interactive():
        raise UsageError(
            f"missing {flag}", hint=f"{question}" + (f": {choices}" if choices else "")
        )
    return ask_valid(question + (f" ({choices})" if choices else ""), _non_empty)


def _non_empty(text: str) -> str:
    if not text.strip():
        raise UsageError("an answer is needed here")
    return text.strip()


def ask_optional(value: str | None, question: str) -> str | None:
    """`value` if the flag gave it; else ask a person (Enter skips); a script gets None."""
    if value is not None or not interactive():
        return value
    return ask(question + " (Enter to skip)", suffix=": ")


def pick(label: str, options: Sequence[tuple[str, str]]) -> str:
    """Choose one of `options` (value, description) by number or by value."""
    for i, (_, description) in enumerate(options, start=1):
        echo(f"  {i}. {description}")
    values = [value for value, _ in options]

    def parse(text: str) -> str:
        if text.isdigit() and 1 <= int(text) <= len(options):
            return values[int(text) - 1]
        if text in values:
            return text
        raise UsageError(f"'{text}' is not one of the choices", hint=f"type 1 to {len(options)}")

    return ask_valid(label, parse, "1" if len(options) == 1 else None)


# --- the editor ---------------------------------------------------------------------------


def edit_until_valid(worksheet: str, check: Callable[[str], T], prefix: str) -> tuple[str, T]:
    """Open the worksheet in $EDITOR until it validates; reopen with the errors on top.

    Lines starting with `prefix` are guidance, stripped before `check` reads the text.
    What was typed is kept between attempts; if the person gives up, it is saved to a
    temporary file so nothing typed is lost.
    """
    text = worksheet
    while True:
        edited = run_editor(text)
        if edited is None:
            body = strip_comment_lines(text, prefix)
            if text != worksheet:
                fd, kept = tempfile.mkstemp(prefix="qi-worksheet-", suffix=".yaml")
                with open(fd, "w", encoding="utf-8") as handle:
                    handle.write(body)
                raise QiError(
                    "the worksheet was not saved: nothing was written",
                    hint=f"what you typed is kept in {kept}",
                )
            raise QiError("the worksheet was not saved: nothing was written")
        body = strip_comment_lines(edited, prefix)
        if not body.strip():
            raise QiError("the worksheet is empty: nothing was written")
        try:
            return body, check(body)
        except QiError as exc:
            issues = exc.issues or []
            offset = max(len(issues), 1) + 1
            lines = [
                _edit_message(prefix, i.line + offset if i.line else None, i.message, i.hint)
                for i in issues
            ] or [
                _edit_message(
                    prefix, exc.line + offset if exc.line else None, exc.message, exc.hint
                )
            ]
            lines.insert(0, f"{prefix} could not save: fix this, then save and close")
            print_warning(exc.message + " (reopening the editor)")
            text = "".join(line + "\n" for line in lines) + body


FALLBACK_EDITORS = ("sensible-editor", "nano", "vi")


def choose_editor() -> str:
    """The editor to open: $VISUAL, else $EDITOR (as git chooses), else the first of
    sensible-editor, nano and vi that is installed. None installed: say so."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if chosen:
        return chosen
    if os.name == "nt":
        return "notepad"
    for name in FALLBACK_EDITORS:
        if shutil.which(name):
            return name
    raise QiError(
        "no editor found: EDITOR is not set and none of sensible-editor, nano, vi is installed",
        hint="set EDITOR to an editor you have (export EDITOR=...), or give the answers "
        "as options or at the prompts, without --edit",
    )


def run_editor(text: str) -> str | None:
    """Open text in the chosen editor; None when it was closed without a change."""
    editor = choose_editor()
    if not (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
        echo(f"opening the worksheet in {editor} (set EDITOR to choose another editor)", err=True)
    fd, name = tempfile.mkstemp(prefix="qi-worksheet-", suffix=".yaml")
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        try:
            done = subprocess.run([*shlex.split(editor, posix=os.name != "nt"), name], check=False)
        except OSError as exc:
            others = [e for e in FALLBACK_EDITORS if e != editor and shutil.which(e)]
            instead = f"e.g. export EDITOR={others[0]}" if others else "export EDITOR=..."
            raise QiError(
                f"cannot start the editor '{editor}': {exc.strerror or exc}",
                hint=f"set EDITOR to an editor you have, {instead}",
            ) from None
        if done.returncode != 0:
            raise QiError(
                f"the editor '{editor}' exited with code {done.returncode}: nothing was written"
            )
        with open(name, encoding="utf-8") as handle:
            edited = handle.read()
    finally:
        Path(name).unlink(missing_ok=True)
    return None if edited == text else edited


def _edit_message(prefix: str, line: int | None, message: str, hint: str | None) -> str:
    where = f"line {line}: " if line else ""
    if ": " in message and message.split(": ", 1)[0].endswith(".yaml"):
        message = message.split(": ", 1)[1]
    return f"{prefix} {where}{message}" + (f" ({hint})" if hint else "")
