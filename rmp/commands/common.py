"""What every command shares: option types, dates, the error mapping, printing an outcome."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from typer.core import TyperCommand

from rmp.errors import ExitCode, RmpError

if TYPE_CHECKING:
    from rmp.app.common import Outcome


class FailOn(str, Enum):
    """`--fail-on` choices."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
"""`-h` as well as `--help`, on every command (sub-commands inherit it)."""

_PLAIN_METAVARS = {"str": "TEXT", "path": "PATH", "int": "N", "int range": "N"}


class Command(TyperCommand):
    """A command whose help names its arguments and values plainly: `PATH...`, `PLAN`,
    `[PATH]`, `TEXT`, `N`, never typer's `{paths}...` or a Python type such as `<str>`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is not None:
                continue
            if param.param_type_name == "argument":
                plural = "..." if param.nargs == -1 else ""
                param.metavar = f"{(param.name or 'value').upper()}{plural}"
            elif not getattr(param, "is_flag", False) and param.type.name in _PLAIN_METAVARS:
                param.metavar = _PLAIN_METAVARS[param.type.name]

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                pieces.extend(param.get_usage_pieces(ctx))
                continue
            name = param.metavar or (param.name or "value").upper()
            pieces.append(name if param.required or name.startswith("[") else f"[{name}]")
        return pieces


class ColorChoice(str, Enum):
    """`--color` choices."""

    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


ColorOption = Annotated[
    ColorChoice,
    typer.Option("--color", help="Colour the output: auto (on a terminal, unless NO_COLOR is set "
                 "or TERM=dumb; FORCE_COLOR turns it on anywhere), always or never."),
]


def fail(message: str, code: ExitCode = ExitCode.REFUSED) -> NoReturn:
    from rmp.output.names import printable

    # a message may name a file, and a file's name may hold an escape sequence
    typer.echo(f"rmp: error: {printable(message)}", err=True)
    raise typer.Exit(int(code))


@contextmanager
def errors() -> Iterator[None]:
    """Map every RmpError to its message on stderr and exit code 2."""
    try:
        yield
    except RmpError as exc:
        fail(str(exc))


def date_option(value: str | None, option: str) -> date | None:
    from rmp.app.common import date_option

    return date_option(value, option)


def today_of(value: str | None) -> date:
    from rmp.app.common import today_from

    return today_from(value)


def finish(outcome: Outcome) -> NoReturn:
    """Print a job's outcome (results to stdout, diagnostics to stderr) and exit with its code."""
    for line in outcome.stderr:
        typer.echo(line, err=True)
    if outcome.stdout:
        sys.stdout.write(outcome.stdout)
    raise typer.Exit(int(outcome.exit_code))


T = TypeVar("T")
PROGRESS_FROM = 500
"""Runs over this many files show a progress bar, on a terminal only."""


def progress(items: Iterable[T], total: int) -> Iterator[T]:
    """Yield items, drawing a progress bar on stderr for long runs in a terminal. Never in CI
    or when stderr is redirected, so logs stay clean."""
    if total < PROGRESS_FROM or not sys.stderr.isatty() or os.environ.get("CI"):
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("checking", total=total)
        for item in items:
            progress.advance(task)
            yield item


TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="YYYY-MM-DD",
        help="Date to check against (default: RMP_TODAY, else the local date). Pin it for "
        "reproducible results.",
    ),
]


PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", metavar="FILE",
                 help="Policy file to use instead of discovering rmp.yaml."),
]
NoPolicyOption = Annotated[
    bool, typer.Option("--no-policy", help="Use the built-in policy defaults only.")
]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: automatic).")
]
ChangedSinceOption = Annotated[
    str | None,
    typer.Option("--changed-since", metavar="REV",
                 help="Only plans changed since this git revision (its merge base with HEAD), "
                 "committed or not: fast pre-merge CI."),
]

ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", metavar="GLOB",
                 help="Leave out files and folders of a folder walk whose name or path matches "
                 "this glob (repeatable). Files named on the command line are always checked."),
]
NoGitignoreOption = Annotated[
    bool,
    typer.Option("--no-respect-gitignore",
                 help="Also walk into what git ignores (.gitignore, .git/info/exclude); by "
                 "default a folder walk in a git work tree leaves it out."),
]

FORMAT_HELP = (
    "Report format: text, json, sarif, github or junit (default text; github when "
    "GITHUB_ACTIONS=true). Repeat with --output to write several reports in one run."
)

class ListFormat(str, Enum):
    """Output choices of the listing commands."""

    TEXT = "text"
    JSON = "json"
    MD = "md"
