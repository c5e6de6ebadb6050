"""The one family of errors rmp raises, and the one place exit codes are defined.

Bad *content* in a plan is never an exception: it is a finding, and the run goes on.
An `RmpError` means the tool itself cannot do what was asked (a usage error, an unreadable
policy, a refused write); the CLI maps every one of them to exit code 2.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes of every `rmp` command."""

    CLEAN = 0
    """No finding at or above the fail level."""
    FINDINGS = 1
    """At least one finding at or above the fail level (or a load error)."""
    REFUSED = 2
    """Usage error, refused operation, bad configuration or internal error."""


class RmpError(Exception):
    """A condition that stops a command. The message is shown to the user as it is, so it
    must never hold a field's value from a plan (paths, IDs and codes only)."""

    code = "RMP-E"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code


class UsageError(RmpError):
    """The command line asks for something impossible (unknown option value, bad date)."""

    code = "usage"


class ConfigError(RmpError):
    """The organisation policy file cannot be used."""

    code = "policy"


class RefusedError(RmpError):
    """An operation rmp will not perform because it could lose or leak data."""

    code = "refused"
