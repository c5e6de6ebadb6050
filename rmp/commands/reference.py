"""`rmp` rules, explain, policy show and schema: rmp explaining itself."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from rmp.commands.common import (
    Command,
    ListFormat,
    errors,
    finish,
)


class ExplainFormat(str, Enum):
    """`rmp explain --format` choices."""

    TEXT = "text"
    JSON = "json"


def rules(
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text, json, or md (the docs table).")
    ] = ListFormat.TEXT,
) -> None:
    """List every rule: code, default severity, HF36 criteria and summary.

    Example: rmp rules --format md
    """
    from rmp.app.explain import run_rules

    finish(run_rules(output_format.value))


def explain(
    code: Annotated[str, typer.Argument(help="A rule code, e.g. RMP201.")],
    output_format: Annotated[
        ExplainFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ExplainFormat.TEXT,
) -> None:
    """Explain a rule: why it matters, a failing and a passing example, how to fix it.

    Example: rmp explain RMP201
    """
    from rmp.app.explain import run_explain

    with errors():
        outcome = run_explain(code, output_format.value)
    finish(outcome)


policy_app = typer.Typer(help="The organisation policy (rmp.yaml).", no_args_is_help=True)


@policy_app.command("show", cls=Command)
def policy_show(
    path: Annotated[
        Path, typer.Argument(help="A plan or folder: show the policy in force there.")
    ] = Path("."),
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Show this policy file merged over defaults.")
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text (YAML with origins) or json.")
    ] = ListFormat.TEXT,
) -> None:
    """Print the effective policy: built-in defaults overridden key by key by the policy file,
    with where each value came from.

    Example: rmp policy show examples/
    """
    from rmp.app.explain import run_policy_show

    with errors():
        outcome = run_policy_show(path, policy, output_format.value)
    finish(outcome)


def schema(
    name: Annotated[str, typer.Argument(help="plan or policy.")] = "plan",
    path: Annotated[
        bool, typer.Option("--path", help="Print the bundled file's path instead.")
    ] = False,
) -> None:
    """Print the bundled JSON Schema (Draft 2020-12), or its path, for editors and tools.

    Example: rmp schema plan --path
    """
    from rmp.app.explain import run_schema

    with errors():
        outcome = run_schema(name, path)
    finish(outcome)
