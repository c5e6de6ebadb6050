"""The rule catalogue. `ALL_RULES` is the hand-written list of families, in code order."""

from __future__ import annotations

from rmp.rules import rmp0xx, rmp1xx, rmp2xx, rmp3xx, rmp4xx, rmp5xx
from rmp.rules.registry import Hit, Rule, RuleContext

ALL_RULES: tuple[Rule, ...] = (
    *rmp0xx.RULES,
    *rmp1xx.RULES,
    *rmp2xx.RULES,
    *rmp3xx.RULES,
    *rmp4xx.RULES,
    *rmp5xx.RULES,
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Hit", "Rule", "RuleContext"]
