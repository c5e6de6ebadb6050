"""Findings: the one record every check produces, and the exit-code policy over them.

A finding never holds a field's value: only the file, a position, a JSON Pointer, item IDs and
a message built from the schema or the rule, so that it can be printed in CI logs safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How serious a finding is. Ordered: error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        """True when this severity is as serious as `other` or more."""
        return self.rank >= other.rank


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    `line` and `column` are 1-based; `pointer` is an RFC 6901 JSON Pointer into the plan
    (empty for the whole document); `items` are the IDs of the plan items concerned.
    """

    code: str
    severity: Severity
    path: str
    line: int
    column: int
    pointer: str
    message: str
    items: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    waived: bool = False

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.pointer)


@dataclass(frozen=True, slots=True)
class FileResult:
    """Everything rmp found in one file."""

    path: str
    findings: tuple[Finding, ...]
    kind: str = "plan"
    """`plan`, `policy` or `unknown` (the file could not be read far enough to tell)."""
    rules_skipped: bool = False
    """True when schema errors stopped the completeness rules from running on this file."""
    plan_id: str | None = None
    """`plan.id` of a plan that reached the rules (an identifier, like the item IDs findings
    cite): SARIF builds stable fingerprints from it. None for a file stopped at the gate."""
    facts: object | None = None
    """What the command's extractor took from a schema-valid plan (`rmp status`: its
    caseload facts; `rmp criteria`: the sections it fills in). None when not asked for, or
    when the plan did not reach the rules."""


def fails(findings: list[Finding] | tuple[Finding, ...], fail_on: Severity) -> bool:
    """Whether these findings make the run exit 1 at the given fail level."""
    return any(not f.waived and f.severity.at_least(fail_on) for f in findings)
