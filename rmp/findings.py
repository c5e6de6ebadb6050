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
    facts: PlanFacts | None = None
    """What the caseload view needs of a schema-valid plan (IDs, levels, dates: no names)."""


@dataclass(frozen=True, slots=True)
class ActionFacts:
    """One action as the caseload view sees it."""

    id: str
    agency: str | None
    due: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The identifying and scheduling facts of one plan. Only IDs, enum values and dates:
    never a name or free text, so it can be printed in any report."""

    case_ref: str
    plan_id: str
    status: str
    overall_rosh: str | None
    mappa_level: int | None
    next_review: str | None
    lead: str | None
    agencies: tuple[str, ...]
    actions: tuple[ActionFacts, ...]
    sections: tuple[str, ...] = ()
    """Top-level sections the plan fills in (section names only), for `rmp criteria PLAN`."""


def fails(findings: list[Finding] | tuple[Finding, ...], fail_on: Severity) -> bool:
    """Whether these findings make the run exit 1 at the given fail level."""
    return any(not f.waived and f.severity.at_least(fail_on) for f in findings)
