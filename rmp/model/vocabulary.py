"""The words of the `rmp/1` format that code reasons with: RoSH levels and groups, settings,
pillars, action statuses, item kinds and the plan's section order.

Each tuple mirrors an enum of `schemas/plan.schema.json` (tests/test_architecture.py holds them
together), so a rule, the caseload view, a pack and the diff all speak the same vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LEVELS = ("low", "medium", "high", "very-high")
"""RoSH levels, lowest first (there is no `none`). Schema: `$defs/roshLevel`."""
GROUPS = ("children", "public", "known_adult", "staff", "prisoners")
"""RoSH groups in OASys order. Schema: `$defs/roshGroup`."""
ROSH_SETTINGS = ("community", "custody")
"""The two settings a RoSH group is rated for."""
SETTINGS = ("community", "custody", "approved-premises", "hospital")
"""Where the person is now. Schema: `individual.setting`."""
PILLARS = ("supervision", "monitoring-control", "interventions", "victim-safety")
"""The four pillars of risk management, in the order plans and packs show them."""
ACTION_STATUSES = ("planned", "in-progress", "done", "blocked", "cancelled")
FINISHED_ACTION_STATUSES = frozenset({"done", "cancelled"})
"""An action in one of these statuses can no longer be overdue."""
PLAN_STATUSES = ("draft", "agreed", "active", "closed")
SOURCE_RESULTS = ("no-trace", "information-held", "pending", "not-requested")
"""What a check or enquiry returned. Schema: `assessment.sources[].result`."""
ANSWERED_RESULTS = frozenset({"no-trace", "information-held"})
"""Results that answer a check: `pending` and `not-requested` do not."""
FREQUENCIES = ("daily", "twice-weekly", "weekly", "fortnightly", "monthly", "quarterly")
"""Contact frequencies, most frequent first. Schema: `$defs/frequency`."""

SECTION_ORDER = (
    "format", "plan", "individual", "assessment", "risk_factors", "protective_factors",
    "controls", "objectives", "options", "actions", "scenarios", "contingency", "victims",
    "disclosures", "agencies", "concerns", "rationale", "sharing", "waivers",
)
"""The plan's top-level sections in reading order (the schema's property order): the order
of `rmp new`, of packs, of the diff and of the semantic view git compares."""

PathPart = str | int
Path_ = tuple[PathPart, ...]


@dataclass(frozen=True)
class ItemKind:
    """A kind of plan item that carries an ID and can be referred to."""

    name: str
    """Singular, in the practitioners' words: `risk factor`."""
    section: Path_
    """Where the list of these items stands in the plan."""
    prefix: str
    """ID prefix (`RF`); empty for agencies, whose IDs are slugs."""


KINDS: tuple[ItemKind, ...] = (
    ItemKind("offence", ("assessment", "offences"), "OFF"),
    ItemKind("source", ("assessment", "sources"), "SRC"),
    ItemKind("risk factor", ("risk_factors",), "RF"),
    ItemKind("protective factor", ("protective_factors",), "PF"),
    ItemKind("control", ("controls",), "C"),
    ItemKind("objective", ("objectives",), "OBJ"),
    ItemKind("option", ("options",), "OPT"),
    ItemKind("action", ("actions",), "A"),
    ItemKind("scenario", ("scenarios",), "SC"),
    ItemKind("contingency", ("contingency",), "CT"),
    ItemKind("victim", ("victims",), "V"),
    ItemKind("disclosure", ("disclosures",), "DS"),
    ItemKind("concern", ("concerns",), "CN"),
    ItemKind("agency", ("agencies",), ""),
)
KIND_BY_NAME = {kind.name: kind for kind in KINDS}
KIND_BY_SECTION = {kind.section: kind for kind in KINDS}


def level_rank(level: Any) -> int:
    """0 for no level, then 1 (low) .. 4 (very-high)."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def highest(levels: Any) -> str | None:
    """The highest RoSH level among `levels` (anything that is not a level is ignored)."""
    best: str | None = None
    for level in levels:
        if level in LEVELS and level_rank(level) > level_rank(best):
            best = level
    return best


def at_least(level: Any, threshold: Any) -> bool:
    """Whether `level` is a RoSH level at or above `threshold`."""
    return level in LEVELS and level_rank(level) >= level_rank(threshold)
