"""`rmp` diff, log and git-setup: a plan through its git history."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from rmp.commands.common import (
    ColorChoice,
    ColorOption,
    ListFormat,
    TodayOption,
    date_option,
    errors,
    finish,
    today_of,
)
from rmp.errors import UsageError


class LogFormat(str, Enum):
    """`rmp log --format` choices."""

    TEXT = "text"
    JSON = "json"


ValuesOption = Annotated[
    bool,
    typer.Option("--no-values", help="Leave field values out (IDs, kinds and field names only): "
                 "for output that others will see, such as CI logs."),
]


def diff_command(
    plan: Annotated[
        Path | None,
        typer.Argument(metavar="PLAN", help="The plan file (its path in the working tree)."),
    ] = None,
    rev_a: Annotated[
        str | None,
        typer.Argument(metavar="REV_A", help="The older version: any git revision "
                       "(default HEAD, the last commit)."),
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(metavar="REV_B", help="The newer version (default: the working tree)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="Compare the plan as it stood at "
                     "the end of this day (e.g. the last meeting) with the working tree."),
    ] = None,
    files: Annotated[
        tuple[Path, Path] | None,
        typer.Option("--files", metavar="BEFORE AFTER", help="Compare two plan files, "
                     "without git."),
    ] = None,
    output_format: Annotated[
        ListFormat,
        typer.Option("--format", "-f", help="text, md (a draft 'Changes since last meeting' "
                     "section) or json."),
    ] = ListFormat.TEXT,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes (like git diff).")
    ] = False,
    no_values: ValuesOption = False,
    today: TodayOption = None,
    textconv: Annotated[
        bool,
        typer.Option("--textconv", help="Print the semantic view of one file, for git's diff "
                     "driver (set up by rmp git-setup)."),
    ] = False,
    color: ColorOption = ColorChoice.AUTO,
) -> None:
    """Show what changed between two versions of a plan, in the plan's terms and keyed by
    item IDs: items added, removed or changed field by field; RoSH up or down; overall RoSH and
    MAPPA level; actions started, done, blocked, cancelled, reassigned or newly overdue; the
    review moved; risk factor priorities. Re-ordering alone is not a change.

    Unlike rmp check, this shows field values (old -> new): it is for the plan's author, in
    their own repository. Use --no-values for output others will see. Every version passes
    rmp check's reading and schema rules first. Exit 0 whether or not there are changes (1 with
    --exit-code when there are); 1 when a version fails those rules (reported as
    file:line:column, code and message); 2 on a usage error, such as an unknown revision.

    Examples: rmp diff plans/RMP-0042.yaml; rmp diff plans/RMP-0042.yaml HEAD~3 HEAD;
    rmp diff plans/RMP-0042.yaml --since 2026-10-14 --format md;
    rmp diff --files old.yaml new.yaml --exit-code
    """
    from rmp.app.diff import DiffRequest, run_diff, run_textconv
    from rmp.output.terminal import use_color

    with errors():
        if textconv:
            if plan is None or files or rev_a or rev_b or since:
                raise UsageError("--textconv takes exactly one file")
            sys.stdout.buffer.write(run_textconv(plan))
            sys.stdout.flush()
            return
        outcome = run_diff(DiffRequest(
            today=today_of(today), plan=plan, rev_a=rev_a, rev_b=rev_b,
            since=date_option(since, "--since"), files=files,
            output_format=output_format.value, fail_on_changes=exit_code,
            values=not no_values, color=use_color(sys.stdout, color.value)))
    finish(outcome)


def log_command(
    plan: Annotated[
        Path, typer.Argument(metavar="PLAN", help="The plan file (renames are followed).")
    ],
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="Only commits dated on or after "
                     "this day (author date)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="YYYY-MM-DD", help="Only commits dated on or before "
                     "this day."),
    ] = None,
    output_format: Annotated[
        LogFormat, typer.Option("--format", "-f", help="text or json (every change in full).")
    ] = LogFormat.TEXT,
    no_values: ValuesOption = False,
    color: ColorOption = ColorChoice.AUTO,
) -> None:
    """List the plan's versions, newest first: date, commit, author, subject and a one-line
    summary of what changed ("RoSH known_adult community high -> very-high; A4 added; review
    moved to 2027-01-14"). Follows renames (git mv). Every version passes rmp check's reading
    and schema rules first: one that fails is reported on its line (and on stderr), the rest
    goes on, and the exit code is 1. Exit 0 when every version passes; 2 on a usage error, and
    in a shallow clone, whose history is cut short.

    Examples: rmp log plans/RMP-0042.yaml; rmp log plans/RMP-0042.yaml --since 2026-10-01
    --format json
    """
    from rmp.app.log import LogRequest, run_log
    from rmp.output.terminal import use_color

    with errors():
        outcome = run_log(LogRequest(
            plan, date_option(since, "--since"), date_option(until, "--until"),
            output_format.value, values=not no_values,
            color=use_color(sys.stdout, color.value)))
    finish(outcome)


def git_setup_command(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="A folder in the repository (default: here).")
    ] = Path("."),
    patterns: Annotated[
        list[str] | None,
        typer.Option("--pattern", metavar="PATTERN",
                     help="Which files are plans, as a .gitattributes pattern; "
                     "repeat for several (default: *.yaml and *.yml)."),
    ] = None,
    command: Annotated[
        str,
        typer.Option("--command", metavar="COMMAND", help="How git should run rmp (default: "
                     "rmp, found on PATH)."),
    ] = "rmp",
) -> None:
    """Make git diff and git log -p show plans semantically: adds `PATTERN diff=rmp` lines to
    the repository's .gitattributes and sets `diff.rmp.textconv` in its local git config.
    Files that are not rmp/1 plans still diff as plain text. Refuses (exit 2), writing
    nothing, if either already holds a different setting.

    Undo: delete the `diff=rmp` lines from .gitattributes and run
    git config --unset diff.rmp.textconv.

    Example: rmp git-setup --pattern 'plans/*.yaml'
    """
    from rmp.app.diff import run_git_setup

    with errors():
        outcome = run_git_setup(path, patterns, command)
    finish(outcome)
