"""What every command shares: the error boundary and output helpers.

Loaded by `qi --help` itself, so it imports typer and nothing of the library but the
errors and the terminal's escaping (every line qi prints passes `echo`); what commands
share about a project (--project, loading it) is in `_project`.

The boundary (`QiGroup.invoke`) is the only place that turns exceptions into exit
codes: a `QiError` (bad input) prints one line and a hint and exits 1 (2 for usage),
Ctrl-C exits 130 with nothing written, and anything else is a bug: exit 3 with a short
report instead of a traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
import traceback
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from qi_cli.errors import QiError, UsageError
from qi_cli.render.escape import terminal_output

BUG_EXIT = 3
INTERRUPT_EXIT = 130


def use_colour(stream: Any = None) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def style(text: str, fg: str | None = None, bold: bool = False, *, err: bool = False) -> str:
    if not use_colour(sys.stderr if err else sys.stdout):
        return text
    return typer.style(text, fg=fg, bold=bold)


def echo(text: str = "", *, err: bool = False) -> None:
    """Print a line: the one way qi's output reaches a terminal, so no control character
    in a file a colleague wrote (an escape sequence) is ever obeyed."""
    colour = use_colour(sys.stderr if err else sys.stdout)
    typer.echo(terminal_output(text, colour=colour), err=err, color=colour)


def print_warning(message: str) -> None:
    echo(f"{style('warning:', 'yellow', bold=True, err=True)} {message}", err=True)


def report_error(exc: QiError) -> None:
    message = exc.message
    where = exc.where
    if where and exc.path and message.startswith(exc.path + ": "):
        message = message[len(exc.path) + 2 :]
    head = style("error:", "red", bold=True, err=True)
    echo(f"{head} {where + ': ' if where else ''}{message}", err=True)
    if exc.hint:
        echo(f"  {style('hint:', 'cyan', err=True)} {exc.hint}", err=True)


def is_missing(exc: typer.BadParameter) -> bool:
    """Is this click's MissingParameter (a required option or argument not given)? typer
    exports only its base class, BadParameter; only the missing kind has `param_type`."""
    return hasattr(exc, "param_type")


def missing_parameter(exc: typer.BadParameter) -> QiError:
    """A required option or argument not given, in qi's words (`error:` and `hint:`,
    exit 2) instead of click's usage block."""
    param, ctx = exc.param, exc.ctx
    command = ctx.command_path if ctx else "qi"
    if param is None:
        kind = getattr(exc, "param_type", None) or "parameter"
        return UsageError(f"missing {kind}", hint=f"see {command} -h")
    if param.param_type_name == "option":
        name, what = param.opts[0], f"option {' / '.join(param.opts)}"
    else:
        name = param.human_readable_name
        what = f"argument {name}"
    help_text = (getattr(param, "help", None) or "").strip().rstrip(".")
    said = f": {help_text[:1].lower()}{help_text[1:]}" if help_text else ""
    return UsageError(f"missing {what}", hint=f"give {name}{said} ({command} -h)")


def fail(message: str, hint: str | None = None) -> NoReturn:
    raise QiError(message, hint=hint)


class LazyGroup(TyperGroup):
    """A command group that imports a command's module only when the command runs (or
    its own `--help` is asked for): start-up is won here, not inside modules."""

    # name -> (module in qi_cli.cli, one-line summary)
    lazy_commands: ClassVar[dict[str, tuple[str, str]]] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*self.lazy_commands, *(n for n in self.commands if n not in self.lazy_commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands or cmd_name not in self.lazy_commands:
            return self.commands.get(cmd_name)
        module = importlib.import_module(f"qi_cli.cli.{self.lazy_commands[cmd_name][0]}")
        holder = typer.Typer(rich_markup_mode=None)
        if hasattr(module, "register"):
            module.register(holder)
        else:
            holder.add_typer(module.app, name=cmd_name)
        for name, command in typer.main.get_group(holder).commands.items():
            self.commands[name] = command  # the module's other commands come along
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of `--help`, from the summaries: no command is imported."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [
            (n, textwrap.shorten(self.lazy_commands[n][1], limit, placeholder="...")) for n in names
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


class QiGroup(LazyGroup):
    """The root command group: lazy like every group, and its `invoke` is qi's one
    error boundary. The commands are set by qi_cli.cli."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except QiError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except typer.BadParameter as exc:
            if not is_missing(exc):
                raise  # click's usage block, as for any other bad option
            report_error(missing_parameter(exc))
            raise typer.Exit(2) from None
        except (KeyboardInterrupt, typer.Abort):
            echo("\ninterrupted: nothing was written", err=True)
            raise typer.Exit(INTERRUPT_EXIT) from None
        except (typer.Exit, TyperException):
            raise
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:  # the boundary: an unexpected error is a bug, not a trace
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            echo(
                f"qi: internal error: {type(exc).__name__}: {exc} "
                f"(at {Path(frame.filename).name}:{frame.lineno})",
                err=True,
            )
            echo(
                "  this is a bug in qi, not in your files: please report it with the "
                "command you ran",
                err=True,
            )
            raise typer.Exit(BUG_EXIT) from None
