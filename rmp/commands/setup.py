"""`rmp init`: set up a plan repository."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from rmp.commands.common import errors, finish


class CiChoice(str, Enum):
    """`rmp init --ci` choices."""

    GITHUB = "github"
    GITLAB = "gitlab"
    NONE = "none"


def init_command(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="The plan repository (default: here); "
                             "created if missing, `git init` if it is in no repository.")
    ] = Path("."),
    ci: Annotated[
        CiChoice, typer.Option("--ci", help="The CI workflow to write: github "
                               "(.github/workflows/rmp.yml), gitlab (.gitlab-ci.yml) or none.")
    ] = CiChoice.GITHUB,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be written; write nothing.")
    ] = False,
    rmp_repo: Annotated[
        str | None,
        typer.Option("--rmp-repo", metavar="URL", help="Where your organisation keeps rmp, "
                     "for the pre-commit hook and the CI install (default: a YOUR-ORG "
                     "placeholder to replace)."),
    ] = None,
    rmp_rev: Annotated[
        str | None,
        typer.Option("--rmp-rev", metavar="REV", help="The rmp release tag or commit to pin "
                     "(default: this release's tag, v<version>)."),
    ] = None,
) -> None:
    """Set up a plan repository: rmp.yaml (the built-in policy, explained and commented out),
    plans/, a copy of the plan schema in .rmp/ with VS Code settings mapping plans/**/*.yaml
    to it, .pre-commit-config.yaml with rmp's hook on plans/, a CI workflow, .gitignore for
    packs and reports, and git's semantic diff driver (as rmp git-setup).

    Never overwrites: a file that exists is left as it is, with a note. Refuses (exit 2,
    nothing written) when git's diff settings for plans already say something else.

    Example: rmp init plans-repo --ci gitlab --rmp-repo https://gitlab.example/probation/rmp
    """
    from rmp.app.init import RMP_REPO, RMP_REV, InitRequest, run_init

    with errors():
        outcome = run_init(InitRequest(folder=folder, ci=ci.value, dry_run=dry_run,
                                       rmp_repo=rmp_repo or RMP_REPO, rmp_rev=rmp_rev or RMP_REV))
    finish(outcome)
