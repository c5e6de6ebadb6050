"""The `rmp` command line: options in, one library call, a reporter, an exit code.

Exit codes (the same for every command): 0 clean; 1 findings at or above the fail level;
2 usage error, refused operation, bad policy or internal error. Results go to stdout,
diagnostics to stderr. No message ever quotes a field's value from a plan.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Annotated

import typer

from rmp import __version__
from rmp.commands import checking, documents, history, oasys, reference, setup
from rmp.commands.common import CONTEXT_SETTINGS, Command
from rmp.errors import ExitCode

HELP = ("Risk management plans as code: scaffold, check, render and diff plans written to the "
        "SfJ HF36 standard.\n\nExit codes: 0 clean; 1 findings at the fail level; 2 usage error, "
        "refused operation or internal error.")

COMMANDS: dict[str, Callable[..., None]] = {
    "check": checking.check,
    "status": checking.status,
    "rules": reference.rules,
    "explain": reference.explain,
    "criteria": checking.criteria,
    "schema": reference.schema,
    "render": documents.render,
    "new": documents.new,
    "diff": history.diff_command,
    "log": history.log_command,
    "git-setup": history.git_setup_command,
    "init": setup.init_command,
}
"""Every command, in the order `rmp --help` lists them (then the `policy` group)."""
GROUPS: dict[str, typer.Typer] = {"policy": reference.policy_app, "import": oasys.import_app,
                                   "export": oasys.export_app}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rmp {__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Risk management plans as code."""


def build(only: str | None = None) -> typer.Typer:
    """The command line; with `only`, just that command or group (typer converts every
    registered command's options on each run, so a run of one command builds only it)."""
    built = typer.Typer(name="rmp", help=HELP, no_args_is_help=True, add_completion=True,
                        pretty_exceptions_enable=False, pretty_exceptions_show_locals=False,
                        rich_markup_mode=None, context_settings=CONTEXT_SETTINGS)
    built.callback()(root)
    for name, command in COMMANDS.items():
        if only in (None, name):
            built.command(name, cls=Command)(command)
    for name, group in GROUPS.items():
        if only in (None, name):
            built.add_typer(group, name=name)
    return built


app = build()


def main() -> None:
    """Console entry point. Unexpected errors exit 2 with a fixed message: no traceback, no
    locals, nothing from the plan (set RMP_DEBUG=1 to see the traceback locally)."""
    chosen = sys.argv[1] if len(sys.argv) > 1 else None
    try:
        build(chosen if chosen in COMMANDS or chosen in GROUPS else None)(prog_name="rmp")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("rmp: interrupted", file=sys.stderr)
        sys.exit(int(ExitCode.REFUSED))
    except Exception:
        if os.environ.get("RMP_DEBUG") == "1":
            raise
        print("rmp: internal error (RMP-INTERNAL): the command stopped; nothing was written. "
              "Run again with RMP_DEBUG=1 to see the details locally.", file=sys.stderr)
        sys.exit(int(ExitCode.REFUSED))
