"""What every job shares: the outcome record, dates from options, the policy resolver."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rmp.errors import ExitCode, UsageError
from rmp.policy.load import PolicyResolver


@dataclass
class Outcome:
    """What a job produced: text for stdout, lines for stderr, and the exit code."""

    stdout: str = ""
    stderr: list[str] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.CLEAN

    def note(self, message: str) -> None:
        """A diagnostic for stderr, said the same way by every command."""
        self.stderr.append(f"rmp: note: {message}")


def date_option(value: str | None, option: str) -> date | None:
    """A date option written YYYY-MM-DD (None when not given); anything else is a usage
    error. Years run 0001-9999; the bounds are valid dates."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} must be a date written YYYY-MM-DD") from None


def today_from(value: str | None) -> date:
    """`--today`, else RMP_TODAY, else the local date."""
    raw = value or os.environ.get("RMP_TODAY")
    return (date_option(raw, "--today (or RMP_TODAY)") if raw else None) or date.today()


def policy_resolver(policy: Path | None, no_policy: bool) -> PolicyResolver:
    """The policy for each plan: a named file, the built-in defaults alone (`--no-policy`),
    or the file discovered from each plan's folder."""
    if policy is not None and no_policy:
        raise UsageError("--policy and --no-policy cannot be used together")
    from rmp.rules.catalogue import CataloguePolicyResolver

    return CataloguePolicyResolver(policy, use_files=not no_policy)
