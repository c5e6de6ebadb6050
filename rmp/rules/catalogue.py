"""The rule catalogue: every rule of this rmp, from an explicit, hand-written list of families.

`ALL_RULES` is in code order (the order of `rmp rules` and docs/rules.md). The catalogue also
judges the parts of a policy file that name rules (`rules:` and `unwaivable:`), since only it
knows which codes exist; `CataloguePolicyResolver` is the policy resolver that does so.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from rmp.policy.load import PolicyResolver
from rmp.rules import (
    actions,
    controls,
    enforcement,
    evidence,
    governance,
    multiagency,
    narrative,
    reading,
    records,
    references,
    risk,
    victims,
)
from rmp.rules.registry import FIXED_PHASES, Rule

if TYPE_CHECKING:
    from rmp.io.load import Document

FAMILIES: tuple[ModuleType, ...] = (
    reading,       # RMP0xx, RMP101: reading the file and its schema
    references,    # IDs, references, agencies and the strategy named
    risk,          # the assessment, RoSH, predictors, risk and protective factors
    evidence,      # ratings against the plan's own evidence, information unused, check results
    controls,      # internal and external controls, lapse, proportionality
    narrative,     # rationale, placeholders, labelling language
    actions,       # actions, objectives, options, scenarios, contingency, pillars, contact
    enforcement,   # recall and breach contingencies, decisions on concerns, easing controls
    multiagency,   # concerns communicated, required agencies, agreement, MAPPA
    victims,       # victims protected, children safeguarded, domestic-abuse checks
    records,       # reviews, overdue actions, stale evidence, dates, status notes
    governance,    # sign-off, disclosure, distribution, audiences, contact details, waivers
)
"""The rule families by domain, each a module with a `RULES` list. Codes keep the numbering
they were given (RMP3xx rules now live in several families); `ALL_RULES` is by code."""


def _catalogue() -> tuple[Rule, ...]:
    rules: list[Rule] = [rule for family in FAMILIES for rule in family.RULES]
    codes = [rule.code for rule in rules]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise AssertionError(f"rule codes declared twice: {', '.join(duplicated)}")
    return tuple(sorted(rules, key=lambda rule: rule.code))


ALL_RULES: tuple[Rule, ...] = _catalogue()
RULES_BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}
FIXED_CODES: frozenset[str] = frozenset(r.code for r in ALL_RULES if r.phase in FIXED_PHASES)
"""The reading and schema rules: always run, always errors, never waived."""


def policy_settings_problems(document: Document, shown: str) -> list[str]:
    """`rules:` and `unwaivable:` entries naming no rule (a typo would silently do nothing),
    and attempts to change the reading and schema rules, which are fixed; as
    `file:line:col: message` lines."""
    problems = []
    data = document.data
    for code in (data.get("rules") or {}):
        rule = RULES_BY_CODE.get(code)
        if code.startswith("x-"):
            continue
        line, column = document.locate(("rules", code), key=True)
        if rule is None:
            problems.append(f"{shown}:{line}:{column}: RMP101 `rules` names {code}, which is "
                            "no rule of this rmp (see `rmp rules`)")
        elif rule.phase in FIXED_PHASES:
            problems.append(f"{shown}:{line}:{column}: RMP101 {code} reads the file or its "
                            "schema and cannot be changed or switched off")
    for index, code in enumerate(data.get("unwaivable") or []):
        if code not in RULES_BY_CODE:
            line, column = document.locate(("unwaivable", index))
            problems.append(f"{shown}:{line}:{column}: RMP101 `unwaivable` names {code}, which "
                            "is no rule of this rmp")
    return problems


class CataloguePolicyResolver(PolicyResolver):
    """The policy in force for each plan, each policy file's rule settings checked against
    this catalogue (a policy naming a rule that does not exist stops the run)."""

    def __init__(self, policy_file: Path | None = None, *, use_files: bool = True) -> None:
        super().__init__(policy_file, use_files=use_files,
                         check_settings=policy_settings_problems)
