"""The rule registry: each rule's code, name, default severity, HF36 criteria and docs.

Rules are plain functions from a `RuleContext` to `Hit`s, declared with `@rule` in one module
per family of rules by domain; the catalogue (`rmp.rules.catalogue`) lists the families
explicitly. A rule's docstring is its user documentation (`rmp explain`), with a failing and a
passing example.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rmp.findings import Severity

if TYPE_CHECKING:
    from rmp.model.view import PlanView
    from rmp.model.vocabulary import Path_
    from rmp.policy.model import Policy


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports: where (a path into the plan), which items, and why.

    The message must not contain any field's value: cite IDs, field names and policy values.
    """

    path: Path_
    message: str
    items: tuple[str, ...] = ()
    at_key: bool = False
    severity: str | None = None
    """A severity other than the rule's default for this finding (a rule raised for some
    cases, e.g. RMP403 for victim-safety actions); a policy override of the rule wins."""


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What every rule may read."""

    plan: PlanView
    policy: Policy
    today: date


Check = Callable[[RuleContext], Iterable[Hit]]

FIXED_PHASES = ("load", "schema")
"""Phases of the rules that read the file and its schema: always errors, never switched off."""


@dataclass(frozen=True)
class Rule:
    """One lint rule."""

    code: str
    name: str
    severity: Severity
    criteria: tuple[str, ...]
    summary: str
    check: Check
    phase: str = "plan"
    """`load` (reading the file), `schema` (RMP101) or `plan` (runs on a schema-valid plan)."""

    @property
    def doc(self) -> str:
        """The rule's documentation: why it matters, a failing and a passing example."""
        return inspect.cleandoc(self.check.__doc__ or self.summary)


def rule(
    family: list[Rule],
    code: str,
    name: str,
    severity: str,
    criteria: str,
    summary: str,
    *,
    phase: str = "plan",
) -> Callable[[Check], Check]:
    """Declare a rule in a family's list. `criteria` is comma-separated (`"P3, P14"`)."""

    def register(check: Check) -> Check:
        family.append(Rule(
            code=code,
            name=name,
            severity=Severity(severity),
            criteria=tuple(c.strip() for c in criteria.split(",") if c.strip()),
            summary=summary,
            check=check,
            phase=phase,
        ))
        return check

    return register
