"""A read-only view of a schema-valid plan: items by ID, references, and derived facts.

Rules read plans through this view so that "which RoSH applies in the current setting",
"is this a youth case" and "which items are there of kind X" are answered once, the same way,
for every rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rmp.findings import PlanFacts

LEVELS = ("low", "medium", "high", "very-high")
"""RoSH levels, lowest first (there is no `none`)."""
GROUPS = ("children", "public", "known_adult", "staff", "prisoners")

Path_ = tuple[str | int, ...]


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


def level_rank(level: Any) -> int:
    """0 for no level, then 1 (low) .. 4 (very-high)."""
    return LEVELS.index(level) + 1 if level in LEVELS else 0


def parse_date(value: Any) -> date | None:
    """A date from a schema-checked `YYYY-MM-DD` string, or None when absent or malformed."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


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


@dataclass
class PlanView:
    """The plan's data with indexes built once."""

    data: dict[str, Any]
    today: date
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
        node: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(node, list) or part >= len(node):
                    return None
            elif not isinstance(node, dict):
                return None
            node = node[part] if isinstance(part, int) else node.get(part)
        return node

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

    @property
    def setting(self) -> str | None:
        value = self.section(("individual", "setting"))
        return value if isinstance(value, str) else None

    def rosh(self, group: str, setting: str) -> str | None:
        value = self.section(("assessment", "rosh", group, setting))
        return value if value in LEVELS else None

    def current_rosh(self, group: str) -> str | None:
        """The group's RoSH for the person's current setting: the community rating in the
        community or approved premises, the custody rating in custody, and the higher of the
        two where the setting is not recorded or is a hospital (the conservative reading)."""
        setting = self.setting
        if setting in ("community", "approved-premises"):
            return self.rosh(group, "community")
        if setting == "custody":
            return self.rosh(group, "custody")
        ratings = [self.rosh(group, "community"), self.rosh(group, "custody")]
        best = max(ratings, key=level_rank)
        return best

    @cached_property
    def highest_current_rosh(self) -> str | None:
        return max((self.current_rosh(g) for g in GROUPS), key=level_rank, default=None)

    @cached_property
    def highest_rosh(self) -> str | None:
        """The overall RoSH: the highest level for any group in any setting."""
        rosh = self.section(("assessment", "rosh"))
        levels: list[str | None] = [None]
        if isinstance(rosh, dict):
            for ratings in rosh.values():
                if isinstance(ratings, dict):
                    levels.extend(v for v in ratings.values() if v in LEVELS)
        return max(levels, key=level_rank)

    @property
    def mappa_level(self) -> int | None:
        value = self.section(("assessment", "mappa", "level"))
        return value if isinstance(value, int) and not isinstance(value, bool) else None

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


def facts(view: PlanView) -> PlanFacts:
    """The caseload facts of a schema-valid plan."""
    from rmp.findings import ActionFacts, PlanFacts

    def text(path: Path_) -> str | None:
        value = view.section(path)
        return value if isinstance(value, str) else None

    actions = tuple(
        ActionFacts(
            id=item.id,
            agency=item.get("owner", {}).get("agency") if isinstance(item.get("owner"), dict)
            else None,
            due=item.get("due") if isinstance(item.get("due"), str) else None,
            status=item.get("status") if isinstance(item.get("status"), str) else None,
        )
        for item in view.items("action")
    )
    written = view.section(("assessment", "overall_rosh"))
    overall = max((view.highest_rosh, written if written in LEVELS else None), key=level_rank)
    return PlanFacts(
        case_ref=text(("individual", "ref")) or "",
        plan_id=text(("plan", "id")) or "",
        status=text(("plan", "status")) or "",
        overall_rosh=overall,
        mappa_level=view.mappa_level,
        next_review=text(("plan", "review", "next")),
        lead=text(("plan", "lead")),
        agencies=tuple(sorted(view.agency_ids)),
        actions=actions,
        sections=tuple(key for key, value in view.data.items()
                       if value not in (None, [], {}, "")),
    )


def dotted(path: Path_) -> str:
    """A path as users write it: `assessment.summary`, `actions[2].title` (field names and
    list positions of the format only, never a value)."""
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else part)
    return shown


def select(data: Any, pattern: str) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) matching a dotted path pattern such as `actions[*].owner.agency`.

    `[*]` after a name means each item of that list. Missing steps match nothing. This is the
    path syntax of references and of audience allow-lists.
    """
    nodes: list[tuple[Path_, Any]] = [((), data)]
    for step in pattern.split("."):
        each = step.endswith("[*]")
        name = step[:-3] if each else step
        following: list[tuple[Path_, Any]] = []
        for path, node in nodes:
            if not isinstance(node, dict) or name not in node:
                continue
            value = node[name]
            if each:
                if isinstance(value, list):
                    following.extend(((*path, name, i), v) for i, v in enumerate(value))
            else:
                following.append(((*path, name), value))
        nodes = following
    yield from nodes
