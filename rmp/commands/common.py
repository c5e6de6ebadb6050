"""What every command shares: option types, dates, the error mapping, printing an outcome."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from rmp.errors import ExitCode, RmpError

if TYPE_CHECKING:
    from rmp.app.common import Outcome


class FailOn(str, Enum):
    """`--fail-on` choices."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


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
    typer.Option("--policy", help="Policy file to use instead of discovering rmp.yaml."),
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

FORMAT_HELP = (
    "Report format: text, json, sarif, github or junit (default text; github when "
    "GITHUB_ACTIONS=true). Repeat with --output to write several reports in one run."
)

class ListFormat(str, Enum):
    """Output choices of the listing commands."""

    TEXT = "text"
    JSON = "json"
    MD = "md"
