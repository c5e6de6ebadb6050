"""The `rmp` command line: options in, one library call, a reporter, an exit code.

Exit codes (the same for every command): 0 clean; 1 findings at or above the fail level;
2 usage error, refused operation, bad policy or internal error. Results go to stdout,
diagnostics to stderr. No message ever quotes a field's value from a plan.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from rmp import __version__
from rmp.commands import checking, documents, history, reference
from rmp.errors import ExitCode

app = typer.Typer(
    name="rmp",
    help="Risk management plans as code: scaffold, check, render and diff plans written to the "
    "SfJ HF36 standard.\n\nExit codes: 0 clean; 1 findings at the fail level; 2 usage error, "
    "refused operation or internal error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)



def _version(value: bool) -> None:
    if value:
        typer.echo(f"rmp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Risk management plans as code."""


app.command()(checking.check)
app.command()(checking.status)
app.command()(reference.rules)
app.command()(reference.explain)
app.command()(checking.criteria)
app.add_typer(reference.policy_app, name="policy")
app.command()(reference.schema)
app.command()(documents.render)
app.command()(documents.new)
app.command("diff")(history.diff_command)
app.command("log")(history.log_command)
app.command("git-setup")(history.git_setup_command)


def main() -> None:
    """Console entry point. Unexpected errors exit 2 with a fixed message: no traceback, no
    locals, nothing from the plan (set RMP_DEBUG=1 to see the traceback locally)."""
    if sys.argv[1:] == ["--version"]:  # the fast path: no imports beyond this module
        print(f"rmp {__version__}")
        return
    try:
        app(prog_name="rmp")
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
