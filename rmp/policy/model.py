"""The policy in force, as rules read it: frozen, typed, built once from the merged values.

Rules read attributes (`ctx.policy.signoff_from`), never keys of the file. `values` keeps the
merged mapping as written, for `rmp policy show` and for rendering (audiences, templates).
Each attribute is named after the policy file key it comes from (docs/plan-format.md); the
schema (`schemas/policy.schema.json`) has already checked the shapes, so building the model
only drops local extensions (`x-` keys) and turns YAML's string keys into numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from rmp.model.evidence import Reading
from rmp.model.vocabulary import LEVELS


@dataclass(frozen=True)
class ReviewIntervals:
    """`review_interval_days`: the longest gap between reviews, in days (RMP402)."""

    by_rosh: Mapping[str, int]
    """By overall RoSH level (`rosh`)."""
    by_mappa_level: Mapping[int, int]
    """By MAPPA level (`mappa_level`)."""


@dataclass(frozen=True)
class AgencyCondition:
    """The `when` of a `required_agencies` entry; every condition given must hold."""

    group: str | None = None
    """The RoSH group whose current level is compared; None: the highest current level."""
    rosh_at_least: str | None = None
    """The level at or above which the entry applies; None when no RoSH condition is given.
    A `group` without `at_least` means any rated level (the lowest level)."""
    mappa_levels: tuple[int, ...] | None = None
    youth: bool | None = None


@dataclass(frozen=True)
class AgencyRequirement:
    """One `required_agencies` entry (RMP316)."""

    when: AgencyCondition
    agencies: tuple[str, ...]
    """Kinds of agency required (matched by `kind`, or by ID where the plan gives no kind)."""
    checks: tuple[str, ...] = ()
    """Source kinds that must be recorded with a result (`police-check`...)."""


@dataclass(frozen=True)
class PolicyWaiver:
    """One entry of the policy file's `waivers:` list and where it is written."""

    plan: str | None
    """The plan it is for (`plan: <plan id>`)."""
    entry: Mapping[str, Any]
    """The entry as written; the check layer judges its fields (RMP505)."""
    index: int
    line: int
    column: int


@dataclass(frozen=True, kw_only=True)
class Policy:
    """The policy in force for a plan. Built by `from_values` (rmp.policy.load), never by hand:
    every attribute is required so that no rule reads an unset threshold."""

    values: dict[str, Any]
    """The merged values as written (built-in defaults, then the file), for `rmp policy show`
    and rendering; rules read the typed attributes below."""
    origin: dict[str, str]
    """Where each top-level key came from: `built-in` or the policy file's path."""
    path: str | None
    """The policy file, or None when only the built-in defaults apply."""

    strategy_ids: tuple[str, ...]
    review_interval_days: ReviewIntervals
    signoff_from: str
    """The RoSH level from which a manager's sign-off is required (RMP501)."""
    signoff_when: frozenset[str]
    """Conditions that require a sign-off whatever the RoSH (RMP501): `da-indicated`,
    `children-indicated`, `mappa`, `indeterminate`, `youth`, `life-threatening`."""
    concern_within_hours: float
    min_contact: Mapping[str, str]
    evidence_max_age_days: int
    required_agencies: tuple[AgencyRequirement, ...]
    specialist_domains: frozenset[str]
    placeholder_terms: tuple[str, ...]
    rationale_min_words: int
    vague_measure_max_words: int
    """A measure starting with a vague verb and this short is vague (RMP303)."""
    predictor_bands: Mapping[str, Mapping[str, tuple[float, float]]]
    """Band tables by tool name as written; each band a half-open score range [low, high)."""
    labelling_terms: tuple[str, ...]
    mappa_min_rosh: Mapping[int, str]
    external_control_from: str
    """Overall RoSH from which an external control is expected (RMP207)."""
    scenarios_from: str
    """Overall RoSH from which repeat and escalation scenarios are expected (RMP309)."""
    contingency_from: str
    """Overall RoSH from which a contingency is required (RMP310)."""
    pillars_from: str
    """Current RoSH from which every pillar needs an action (RMP311)."""
    children_safeguarding_from: str
    """Current RoSH to children from which a safeguarding action is required (RMP315)."""
    victim_groups_from: str
    """Current RoSH to a group from which a victim of that group is expected (RMP322)."""
    control_lapse_from: str
    """Overall RoSH from which an external control must not lapse before the next review or
    the sentence end (RMP325)."""
    proportionality_from: str
    """Current RoSH in the community from which controls beyond standard licence conditions
    are expected (RMP328)."""
    disclosure_mappa_levels: frozenset[int]
    """MAPPA levels at which a disclosure decision must be recorded (RMP327)."""
    release_horizon_days: int
    """Days before release from which a custody case's current RoSH is the higher of its
    custody and community ratings."""
    evidence_floors: Mapping[str, str]
    """By harm shown in information held: the RoSH floor for the groups it points to (RMP214)."""
    escalating_harms: frozenset[str]
    """Harms whose information sets `escalation_floor` for every group it points to."""
    escalation_floor: str
    """The floor for groups pointed to by information showing an escalating harm (high, as
    DASH treats these harms for domestic abuse)."""
    life_threatening_floor: str
    offence_floor_years: int
    tool_floors: Mapping[str, Mapping[str, str]]
    """By tool name as written, by band: the floor for the overall RoSH."""
    recall_within_hours: Mapping[str, float]
    """By overall RoSH: how fast a recall contingency must act (RMP330)."""
    breach_within_days: int
    """Working days within which breach action follows failure to report (RMP330)."""
    decision_within_working_days: int
    mappa_referral_days: int
    plan_before_release_days: int
    release_assessment_days: int
    easing_from: str
    """RoSH (rated or indicated) from which easing controls needs a fresh assessment (RMP336)."""
    author_max_rosh: Mapping[str, str]
    """By author grade: the highest RoSH without a manager's sign-off (RMP506)."""
    rules: Mapping[str, str]
    """Severity overrides by rule code: `error`, `warning`, `info` or `off`."""
    unwaivable: frozenset[str]
    waivers: tuple[PolicyWaiver, ...]
    audiences: Mapping[str, Any]
    """Audience allow-lists as written (read by rendering and RMP503)."""
    templates: str | None

    @classmethod
    def from_values(
        cls, values: dict[str, Any], origin: dict[str, str], path: str | None = None,
        waiver_positions: tuple[tuple[int, int], ...] = (),
    ) -> Policy:
        """The typed policy of merged, schema-valid values. `waiver_positions` are the 1-based
        (line, column) of each entry of the file's `waivers:` list."""
        waivers = []
        for index, entry in enumerate(_list(values.get("waivers"))):
            if not isinstance(entry, dict):
                continue
            line, column = waiver_positions[index] if index < len(waiver_positions) else (1, 1)
            plan = entry.get("plan")
            waivers.append(PolicyWaiver(plan if isinstance(plan, str) else None, entry, index,
                                        line, column))
        intervals = values.get("review_interval_days") or {}
        return cls(
            values=values,
            origin=origin,
            path=path,
            strategy_ids=tuple(
                s["id"] for s in _list(values.get("strategies"))
                if isinstance(s, dict) and isinstance(s.get("id"), str)
            ),
            review_interval_days=ReviewIntervals(
                by_rosh={k: v for k, v in _mapping(intervals.get("rosh")).items()
                         if isinstance(v, int)},
                by_mappa_level=_by_number(intervals.get("mappa_level"), int),
            ),
            signoff_from=values["signoff_from"],
            signoff_when=frozenset(_strings(values.get("signoff_when"))),
            concern_within_hours=values["concern_within_hours"],
            min_contact={k: v for k, v in _mapping(values.get("min_contact")).items()
                         if isinstance(v, str)},
            evidence_max_age_days=values["evidence_max_age_days"],
            required_agencies=tuple(
                _requirement(r) for r in _list(values.get("required_agencies"))
                if isinstance(r, dict)
            ),
            specialist_domains=frozenset(_strings(values.get("specialist_domains"))),
            placeholder_terms=tuple(_strings(values.get("placeholder_terms"))),
            rationale_min_words=values["rationale_min_words"],
            vague_measure_max_words=values["vague_measure_max_words"],
            predictor_bands={
                str(tool): _bands(table)
                for tool, table in _mapping(values.get("predictor_bands")).items()
                if isinstance(table, dict)
            },
            labelling_terms=tuple(t for t in _strings(values.get("labelling_terms")) if t.strip()),
            mappa_min_rosh=_by_number(values.get("mappa_min_rosh"), str),
            external_control_from=values["external_control_from"],
            scenarios_from=values["scenarios_from"],
            contingency_from=values["contingency_from"],
            pillars_from=values["pillars_from"],
            children_safeguarding_from=values["children_safeguarding_from"],
            victim_groups_from=values["victim_groups_from"],
            control_lapse_from=values["control_lapse_from"],
            proportionality_from=values["proportionality_from"],
            disclosure_mappa_levels=frozenset(
                level for level in _list(values.get("disclosure_mappa_levels"))
                if isinstance(level, int) and not isinstance(level, bool)
            ),
            release_horizon_days=values["release_horizon_days"],
            evidence_floors=_levels(values.get("evidence_floors")),
            escalating_harms=frozenset(_strings(values.get("escalating_harms"))),
            escalation_floor=values["escalation_floor"],
            life_threatening_floor=values["life_threatening_floor"],
            offence_floor_years=values["offence_floor_years"],
            tool_floors={
                str(tool): _levels(table)
                for tool, table in _mapping(values.get("tool_floors")).items()
                if isinstance(table, dict)
            },
            recall_within_hours={
                k: float(v) for k, v in _mapping(values.get("recall_within_hours")).items()
                if isinstance(v, (int, float)) and not isinstance(v, bool)
            },
            breach_within_days=values["breach_within_days"],
            decision_within_working_days=values["decision_within_working_days"],
            mappa_referral_days=values["mappa_referral_days"],
            plan_before_release_days=values["plan_before_release_days"],
            release_assessment_days=values["release_assessment_days"],
            easing_from=values["easing_from"],
            author_max_rosh=_levels(values.get("author_max_rosh")),
            rules={k: v for k, v in _mapping(values.get("rules")).items() if isinstance(v, str)},
            unwaivable=frozenset(_strings(values.get("unwaivable"))),
            waivers=tuple(waivers),
            audiences=values["audiences"] if isinstance(values.get("audiences"), dict) else {},
            templates=values.get("templates") if isinstance(values.get("templates"), str) else None,
        )

    @cached_property
    def reading(self) -> Reading:
        """The values the one reading of a plan's RoSH and evidence needs (`PlanView`)."""
        return Reading(
            release_horizon_days=self.release_horizon_days,
            evidence_floors=self.evidence_floors,
            escalating_harms=self.escalating_harms,
            escalation_floor=self.escalation_floor,
            life_threatening_floor=self.life_threatening_floor,
            offence_floor_years=self.offence_floor_years,
            tool_floors=self.tool_floors,
            children_from=self.children_safeguarding_from,
        )

    def get(self, key: str, default: Any = None) -> Any:
        """A merged value as written (for rendering; rules read the attributes)."""
        return self.values.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict[str, Any]:
    """A mapping without its local extensions (`x-` keys)."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if not str(k).startswith("x-")}


def _strings(value: Any) -> list[str]:
    return [item for item in _list(value) if isinstance(item, str)]


def _level(value: Any) -> str | None:
    return value if value in LEVELS else None


def _levels(value: Any) -> dict[str, str]:
    """A mapping whose values are RoSH levels (others dropped)."""
    return {k: v for k, v in _mapping(value).items() if v in LEVELS}


def _by_number(value: Any, kind: type[Any]) -> dict[int, Any]:
    """A mapping keyed by level number (`"2": 112` in YAML) keyed by int."""
    return {int(k): v for k, v in _mapping(value).items() if k.isdigit() and isinstance(v, kind)}


def _bands(table: dict[str, Any]) -> dict[str, tuple[float, float]]:
    return {
        band: (bounds[0], bounds[1])
        for band, bounds in _mapping(table).items()
        if isinstance(bounds, list) and len(bounds) == 2
    }


def _requirement(entry: dict[str, Any]) -> AgencyRequirement:
    when = entry.get("when") if isinstance(entry.get("when"), dict) else {}
    assert isinstance(when, dict)
    levels = when.get("mappa_level")
    youth = when.get("youth")
    group = when.get("group")
    return AgencyRequirement(
        when=AgencyCondition(
            group=group if isinstance(group, str) else None,
            rosh_at_least=(_level(when.get("at_least", LEVELS[0]))
                           if "group" in when or "at_least" in when else None),
            mappa_levels=(tuple(x for x in _list(levels) if isinstance(x, int))
                          if "mappa_level" in when else None),
            youth=youth if isinstance(youth, bool) else None,
        ),
        agencies=tuple(_strings(entry.get("agencies"))),
        checks=tuple(_strings(entry.get("checks"))),
    )
