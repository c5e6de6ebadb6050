"""A read-only view of a schema-valid plan: items by ID, references, and derived facts.

Every command reads derived facts here and nowhere else: which RoSH applies in the current
setting, the overall RoSH, whether an action is overdue, whether this is a youth case. Rules,
`rmp status`, packs and the diff therefore give one answer for one plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from rmp.model import evidence
from rmp.model.evidence import Reading
from rmp.model.paths import get, parse_date
from rmp.model.vocabulary import (
    ANSWERED_RESULTS,
    FINISHED_ACTION_STATUSES,
    GROUPS,
    KINDS,
    LEVELS,
    ROSH_SETTINGS,
    ItemKind,
    Path_,
    at_least,
    highest,
)


@dataclass(frozen=True)
class Item:
    """One item of a list section: its kind, its position in the plan and its fields."""

    kind: ItemKind
    path: Path_
    fields: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.fields.get("id")
        return value if isinstance(value, str) else ""

    def at(self, *more: str | int) -> Path_:
        """The path of a field of this item."""
        return (*self.path, *more)

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)


_SOURCE_ID = re.compile(r"(?<![A-Za-z0-9])SRC[0-9]+(?![0-9])")
"""A source ID as free text names it (`SRC2`, `SRC2's`)."""


def is_overdue(action: Mapping[str, Any], today: date, plan_closed: bool = False) -> bool:
    """The one definition of an overdue action: past its due date, neither done nor
    cancelled, in a plan that is not closed."""
    if plan_closed or action.get("status") in FINISHED_ACTION_STATUSES:
        return False
    due = parse_date(action.get("due"))
    return due is not None and due < today


def overall_rosh(data: Any, today: date | None = None,
                 reading: Reading | None = None) -> str | None:
    """The one definition of the overall RoSH, for a plan's data (see `PlanView.overall_rosh`).
    `today` matters only with a reading that has a release horizon."""
    return PlanView(data if isinstance(data, dict) else {}, today or date.today(),
                    reading or Reading()).overall_rosh


@dataclass
class PlanView:
    """The plan's data with indexes built once. `reading` carries the policy values the one
    reading of the RoSH and of the evidence needs (`Policy.reading`)."""

    data: dict[str, Any]
    today: date
    reading: Reading = field(default_factory=Reading)
    _items: dict[str, list[Item]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for kind in KINDS:
            found: list[Item] = []
            section = self.section(kind.section)
            if isinstance(section, list):
                for index, fields in enumerate(section):
                    if isinstance(fields, dict):
                        found.append(Item(kind, (*kind.section, index), fields))
            self._items[kind.name] = found

    def section(self, path: Path_) -> Any:
        """The value at a path, or None when any step is missing."""
        return get(self.data, path)

    def text(self, path: Path_) -> str | None:
        """The string at a path, or None when it is absent or not a string."""
        value = get(self.data, path)
        return value if isinstance(value, str) else None

    def items(self, kind: str) -> list[Item]:
        """All items of a kind (`risk factor`, `action`...), in file order."""
        return self._items[kind]

    def all_items(self) -> Iterator[Item]:
        for kind in KINDS:
            yield from self._items[kind.name]

    @cached_property
    def by_id(self) -> dict[str, Item]:
        """Items by ID; for duplicated IDs, the first (RMP102 reports the others)."""
        index: dict[str, Item] = {}
        for item in self.all_items():
            if item.id and item.id not in index:
                index[item.id] = item
        return index

    @cached_property
    def agency_ids(self) -> set[str]:
        return {item.id for item in self.items("agency") if item.id}

    @cached_property
    def agency_kinds(self) -> set[str]:
        """What the listed agencies are: each agency's `kind`, or its ID when it has none."""
        kinds = set()
        for item in self.items("agency"):
            kind = item.get("kind")
            if isinstance(kind, str):
                kinds.add(kind)
            elif item.id:
                kinds.add(item.id)
        return kinds

    @cached_property
    def answered_checks(self) -> set[str]:
        """Kinds of source recorded with an answer (`no-trace` or `information-held`)."""
        return {source.get("kind") for source in self.items("source")
                if source.get("result") in ANSWERED_RESULTS}

    @property
    def setting(self) -> str | None:
        return self.text(("individual", "setting"))

    @property
    def closed(self) -> bool:
        return bool(self.section(("plan", "status")) == "closed")

    # -- RoSH: the one reading every command uses ---------------------------------------------

    def rosh(self, group: str, setting: str) -> str | None:
        value = self.section(("assessment", "rosh", group, setting))
        return value if value in LEVELS else None

    @cached_property
    def near_release(self) -> bool:
        """In custody with `sentence.release` within the policy's `release_horizon_days`
        (or passed): release could come before the plan is next read."""
        horizon = self.reading.release_horizon_days
        release = parse_date(self.section(("individual", "sentence", "release")))
        return (self.setting == "custody" and horizon is not None and release is not None
                and (release - self.today).days <= horizon)

    def current_rosh(self, group: str) -> str | None:
        """The RoSH that counts for a group: its rating in the person's current setting (the
        community rating in the community or approved premises, the custody rating in
        custody); for a custody case near release (`near_release`), and where the setting is
        not recorded or is a hospital, the higher of the two (the conservative reading)."""
        setting = self.setting
        if setting in ("community", "approved-premises"):
            return self.rosh(group, "community")
        if setting == "custody" and not self.near_release:
            return self.rosh(group, "custody")
        return highest(self.rosh(group, s) for s in ROSH_SETTINGS)

    def rated_here(self, group: str) -> bool:
        """Whether the group can be rated in the current setting (prisoners are rated in
        custody only)."""
        return group != "prisoners" or self.setting not in ("community", "approved-premises")

    @cached_property
    def highest_current_rosh(self) -> str | None:
        """The highest current RoSH of any group."""
        return highest(self.current_rosh(g) for g in GROUPS)

    @cached_property
    def highest_rating(self) -> str | None:
        """The highest level given for any group in any setting."""
        return highest(self.rosh(g, s) for g in GROUPS for s in ROSH_SETTINGS)

    @property
    def written_overall_rosh(self) -> str | None:
        """`assessment.overall_rosh` as written, when it is a level."""
        value = self.section(("assessment", "overall_rosh"))
        return value if value in LEVELS else None

    @cached_property
    def overall_rosh(self) -> str | None:
        """The one definition of the overall RoSH: the highest current RoSH of any group, or
        the written `assessment.overall_rosh` where that is higher (a professional judgement
        upward; written lower it does not count, and RMP319 says so). A custody rating above
        the community rating of someone living in the community does not raise it."""
        return highest((self.highest_current_rosh, self.written_overall_rosh))

    # -- evidence: what the plan's own information indicates (rmp.model.evidence) ----------------

    @cached_property
    def information_held(self) -> list[Item]:
        """Sources holding information: `result: information-held`, or a non-empty `shows`."""
        return [s for s in self.items("source") if evidence.is_information_held(s.fields)]

    @cached_property
    def floors(self) -> list[evidence.Floor]:
        """Every floor the plan's information sets (see `evidence.floors`)."""
        tools = self.section(("assessment", "tools"))
        return evidence.floors(
            (s.fields for s in self.items("source")), (o.fields for o in self.items("offence")),
            tools if isinstance(tools, list) else [], self.reading, self.today)

    def floors_for(self, group: str) -> list[evidence.Floor]:
        """The floors that apply to a group (none where it cannot be rated here)."""
        if not self.rated_here(group):
            return []
        return [f for f in self.floors if f.group == group]

    def evidence_level(self, group: str) -> str | None:
        """The highest floor the evidence sets for a group."""
        return evidence.highest_floor(self.floors_for(group))

    @cached_property
    def overall_evidence_level(self) -> str | None:
        """The highest evidence level of any group, and the predictor floors."""
        return highest((*(self.evidence_level(g) for g in GROUPS),
                        evidence.highest_floor(f for f in self.floors if f.group == "overall")))

    def indicated_rosh(self, group: str) -> str | None:
        """The higher of a group's current RoSH and its evidence level: what every rule that
        asks "is this high risk?" reads, so that an under-rating cannot switch it off."""
        return highest((self.current_rosh(group), self.evidence_level(group)))

    @cached_property
    def indicated_current_rosh(self) -> str | None:
        """The highest `indicated_rosh` of any group."""
        return highest(self.indicated_rosh(g) for g in GROUPS)

    @cached_property
    def indicated_overall_rosh(self) -> str | None:
        """The higher of the overall RoSH and the overall evidence level."""
        return highest((self.overall_rosh, self.overall_evidence_level))

    @cached_property
    def cited_sources(self) -> set[str]:
        """IDs of sources the plan uses: cited as evidence by a risk factor, protective factor,
        control or victim, as a tool's `source`, in another source's `corroborated_by`, or
        named by ID in the rationale or a `rosh_reasons` entry (where non-use is explained)."""
        cited: set[str] = set()
        for kind in ("risk factor", "protective factor", "control", "victim"):
            for item in self.items(kind):
                cited.update(r for r in item.get("evidence") or [] if isinstance(r, str))
        tools = self.section(("assessment", "tools"))
        for tool in tools if isinstance(tools, list) else []:
            if isinstance(tool, dict) and isinstance(tool.get("source"), str):
                cited.add(tool["source"])
        for source in self.items("source"):
            cited.update(r for r in source.get("corroborated_by") or []
                         if isinstance(r, str) and r != source.id)
        texts = [self.text(("rationale",)) or ""]
        reasons = self.section(("assessment", "rosh_reasons"))
        if isinstance(reasons, dict):
            texts.extend(v for v in reasons.values() if isinstance(v, str))
        named = set(_SOURCE_ID.findall(" ".join(texts)))
        cited.update(s.id for s in self.items("source") if s.id in named)
        return cited

    @cached_property
    def da_indicated(self) -> bool:
        """An offence with `domestic_abuse: true`, or information held showing domestic abuse."""
        return any(o.get("domestic_abuse") is True for o in self.items("offence")) or any(
            evidence.DOMESTIC_ABUSE in (s.get("shows") or []) for s in self.information_held)

    @cached_property
    def children_indicated(self) -> bool:
        """Information held pointing to children, or children's current RoSH at or above the
        policy's `children_safeguarding_from`."""
        if any("children" in evidence.source_groups(s.fields) for s in self.information_held):
            return True
        threshold = self.reading.children_from
        return threshold is not None and at_least(self.current_rosh("children"), threshold)

    @cached_property
    def life_threatening_offences(self) -> list[Item]:
        """Offences marked life-threatening within the policy's `offence_floor_years`."""
        return [o for o in self.items("offence")
                if evidence.is_life_threatening(o.fields, self.today, self.reading)]

    @property
    def indeterminate(self) -> bool:
        return self.section(("individual", "sentence", "indeterminate")) is True

    @property
    def sentence_type(self) -> str | None:
        return self.text(("individual", "sentence", "type"))

    def rosh_reason(self, key: str) -> str | None:
        """`assessment.rosh_reasons.<key>` when it holds text."""
        value = self.section(("assessment", "rosh_reasons", key))
        return value if isinstance(value, str) and value.strip() else None

    # -- actions ----------------------------------------------------------------------------

    def is_overdue(self, action: Mapping[str, Any]) -> bool:
        """Whether an action of this plan is overdue today (see `is_overdue`)."""
        return is_overdue(action, self.today, self.closed)

    def overdue_actions(self) -> list[Item]:
        return [a for a in self.items("action") if self.is_overdue(a.fields)]

    # -- other facts ------------------------------------------------------------------------

    @property
    def mappa_level(self) -> int | None:
        value = self.section(("assessment", "mappa", "level"))
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def mappa_managed(self) -> bool:
        """Managed at MAPPA level 2 or 3 (active multi-agency management)."""
        return self.mappa_level in (2, 3)

    @cached_property
    def youth(self) -> bool:
        """Under 18 today, from the date of birth (K1)."""
        born = parse_date(self.section(("individual", "date_of_birth")))
        if born is None:
            return False
        age = self.today.year - born.year - ((self.today.month, self.today.day) < (born.month, born.day))
        return age < 18

    def references_to(self, target: str, field_name: str, kind: str) -> list[Item]:
        """Items of `kind` whose list field `field_name` names `target`."""
        return [
            item for item in self.items(kind)
            if isinstance(item.get(field_name), list) and target in item.get(field_name)
        ]
