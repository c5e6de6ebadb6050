"""Semantic diff of two versions of a plan, keyed by item IDs; pure: data in, changes out.

`diff_plans(before, after, today)` compares two schema-valid plans (either may be None: the
plan is absent from that version; every caller passes versions through `rmp.io.gate` first) and
returns a list of `Change`s in the plan's own terms: items added, removed and changed field by
field; RoSH up or down per group and setting; the overall RoSH; the MAPPA level; actions
started, done, blocked, cancelled, reassigned or newly overdue; the next review moved; risk
factor priorities changed. Items are matched by ID within their section (`KINDS`), so moving an
item, re-ordering a list, or re-ordering a list of plain values (triggers, evidence) is not a
change. An ID that is in both versions is compared, wherever it stands and whatever happened to
it in between.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rmp.diff.records import Change, ChangeKind
from rmp.model.paths import get, pointer
from rmp.model.view import is_overdue, overall_rosh
from rmp.model.vocabulary import (
    GROUPS,
    KIND_BY_NAME,
    KIND_BY_SECTION,
    LEVELS,
    ROSH_SETTINGS,
    ItemKind,
    Path_,
    level_rank,
)

_STATUS_CHANGE = {
    "in-progress": ChangeKind.ACTION_STARTED,
    "done": ChangeKind.ACTION_DONE,
    "blocked": ChangeKind.ACTION_BLOCKED,
    "cancelled": ChangeKind.ACTION_CANCELLED,
}
ROSH_PATH: Path_ = ("assessment", "rosh")
OVERALL_PATH: Path_ = ("assessment", "overall_rosh")
MAPPA_PATH: Path_ = ("assessment", "mappa", "level")
REVIEW_PATH: Path_ = ("plan", "review", "next")


def _field_name(path: Path_) -> str:
    """A change's `field`: path parts joined by dots (`triggers`, `owner.agency`)."""
    return ".".join(str(p) for p in path)


def _same(old: Any, new: Any) -> bool:
    # `1 == True` and `1 == 1.0` in Python; in a plan they are different values
    return type(old) is type(new) and old == new


def canonical(value: Any) -> str:
    """A key for a list entry: entries equal but for the order of their keys or of the lists
    inside them share it (`1`, `true` and `"1"` do not)."""
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{json.dumps(str(k), ensure_ascii=False)}:"
                                     f"{canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(sorted(canonical(v) for v in value)) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def plan_id(data: Any) -> str | None:
    """The plan's `plan.id`, when it has one."""
    value = get(data, ("plan", "id"))
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class _Item:
    kind: ItemKind
    id: str
    base: int
    """Length of the item's path: what follows it is the field name."""


class _Differ:
    def __init__(self, before: dict[str, Any], after: dict[str, Any], today: date,
                 before_today: date) -> None:
        self.before = before
        self.after = after
        self.today = today
        self.before_today = before_today
        self.changes: list[Change] = []
        self.skip: set[Path_] = set()

    def emit(self, kind: ChangeKind, path: Path_, item: _Item | None, old: Any = None,
             new: Any = None, field_name: str | None = None) -> None:
        if field_name is None:
            rest = path[item.base:] if item is not None else path
            field_name = _field_name(rest) if rest else None
        self.changes.append(Change(
            kind, pointer(path), item.id if item else None, item.kind.name if item else None,
            field_name, old, new))

    def run(self) -> list[Change]:
        self.headline()
        self.walk((), (), self.before, self.after, None)
        self.newly_overdue()
        return self.changes

    # -- the facts a panel asks about first -------------------------------------------------
    def headline(self) -> None:
        before, after = self.before, self.after
        old_overall = overall_rosh(before, self.before_today)
        new_overall = overall_rosh(after, self.today)
        if old_overall != new_overall:
            written = get(after, OVERALL_PATH) is not None or get(before, OVERALL_PATH) is not None
            self.emit(ChangeKind.OVERALL_ROSH, OVERALL_PATH if written else ROSH_PATH, None,
                      old_overall, new_overall, _field_name(OVERALL_PATH))
            self.skip.add(OVERALL_PATH)
        old_rosh, new_rosh = get(before, ROSH_PATH), get(after, ROSH_PATH)
        if isinstance(old_rosh, dict) and isinstance(new_rosh, dict) and old_rosh != new_rosh:
            groups = [g for g in GROUPS if g in old_rosh or g in new_rosh]
            groups += sorted(str(g) for g in {*old_rosh, *new_rosh} if g not in GROUPS)
            for group in groups:
                old_group, new_group = old_rosh.get(group), new_rosh.get(group)
                if not isinstance(old_group, dict) or not isinstance(new_group, dict):
                    continue
                settings = [s for s in ROSH_SETTINGS if s in old_group or s in new_group]
                settings += sorted(str(s) for s in {*old_group, *new_group} if s not in ROSH_SETTINGS)
                for setting in settings:
                    old, new = old_group.get(setting), new_group.get(setting)
                    if old in LEVELS and new in LEVELS and old != new:
                        path = (*ROSH_PATH, group, setting)
                        up = level_rank(new) > level_rank(old)
                        self.emit(ChangeKind.ROSH_UP if up else ChangeKind.ROSH_DOWN, path, None,
                                  old, new)
                        self.skip.add(path)
        old_level, new_level = get(before, MAPPA_PATH), get(after, MAPPA_PATH)
        if not _same(old_level, new_level):
            self.emit(ChangeKind.MAPPA_LEVEL, MAPPA_PATH, None, old_level, new_level)
            self.skip.add(MAPPA_PATH)
        old_next, new_next = get(before, REVIEW_PATH), get(after, REVIEW_PATH)
        if old_next is not None and new_next is not None and not _same(old_next, new_next):
            self.emit(ChangeKind.REVIEW_MOVED, REVIEW_PATH, None, old_next, new_next)
            self.skip.add(REVIEW_PATH)

    # -- the generic walk -------------------------------------------------------------------
    def walk(self, old_path: Path_, new_path: Path_, old: Any, new: Any,
             item: _Item | None) -> None:
        """Compare two values found at the same place (`new_path` names it in the newer
        version, `old_path` in the older)."""
        if item is None and new_path in KIND_BY_SECTION:
            kind = KIND_BY_SECTION[new_path]
            if isinstance(old, list) and isinstance(new, list):
                self.items(kind, old_path, new_path, old, new)
                return
        if type(old) is dict and type(new) is dict:
            if old == new:
                return
            self.fields(old_path, new_path, old, new, item, ())
        elif type(old) is list and type(new) is list:
            self.entries(old_path, new_path, old, new, item)
        elif not _same(old, new):
            self.emit(ChangeKind.FIELD_CHANGED, new_path, item, old, new)

    def fields(self, old_path: Path_, new_path: Path_, old: dict[str, Any], new: dict[str, Any],
               item: _Item | None, handled: Iterable[str]) -> None:
        skip = set(handled)
        for key, value in new.items():
            if key in skip:
                continue
            sub_new = (*new_path, key)
            if item is None and sub_new in self.skip:
                continue
            if key in old:
                self.walk((*old_path, key), sub_new, old[key], value, item)
            elif item is None and sub_new in KIND_BY_SECTION and isinstance(value, list):
                self.items(KIND_BY_SECTION[sub_new], (*old_path, key), sub_new, [], value)
            else:
                self.emit(ChangeKind.FIELD_ADDED, sub_new, item, None, value)
        for key, value in old.items():
            if key in new or key in skip:
                continue
            sub_old, sub_new = (*old_path, key), (*new_path, key)
            if item is None and sub_new in self.skip:
                continue
            if item is None and sub_new in KIND_BY_SECTION and isinstance(value, list):
                self.items(KIND_BY_SECTION[sub_new], sub_old, sub_new, value, [])
            else:
                self.emit(ChangeKind.FIELD_REMOVED, sub_new, item, value, None)

    def entries(self, old_path: Path_, new_path: Path_, old: list[Any], new: list[Any],
                item: _Item | None) -> None:
        """Lists without IDs are compared as multisets: order is not a change."""
        if old == new:
            return
        old_keys = [canonical(v) for v in old]
        new_keys = [canonical(v) for v in new]
        old_count, new_count = Counter(old_keys), Counter(new_keys)
        if old_count == new_count:
            return
        name = _field_name(new_path[item.base:] if item else new_path)
        unmatched = old_count.copy()
        for index, key in enumerate(new_keys):
            if unmatched[key] > 0:
                unmatched[key] -= 1
            else:
                self.emit(ChangeKind.ENTRY_ADDED, (*new_path, index), item, None, new[index],
                          name)
        unmatched = new_count.copy()
        for index, key in enumerate(old_keys):
            if unmatched[key] > 0:
                unmatched[key] -= 1
            else:
                self.emit(ChangeKind.ENTRY_REMOVED, (*old_path, index), item, old[index], None,
                          name)

    # -- items, matched by ID ---------------------------------------------------------------
    def items(self, kind: ItemKind, old_path: Path_, new_path: Path_, old: list[Any],
              new: list[Any]) -> None:
        if old == new:
            return
        old_items, old_loose = _index(old)
        new_items, new_loose = _index(new)
        for key, (index, fields) in new_items.items():
            path = (*new_path, index)
            ref = _Item(kind, key[0], len(path))
            found = old_items.get(key)
            if found is None:
                self.emit(ChangeKind.ITEM_ADDED, path, ref, None, fields, None)
                continue
            old_index, old_fields = found
            if old_fields != fields:
                handled = self.item_semantics(ref, path, old_fields, fields)
                self.fields((*old_path, old_index), path, old_fields, fields, ref, handled)
        for key, (index, fields) in old_items.items():
            if key not in new_items:
                path = (*old_path, index)
                self.emit(ChangeKind.ITEM_REMOVED, path, _Item(kind, key[0], len(path)),
                          fields, None, None)
        if old_loose or new_loose:  # entries without an ID: compare as plain values
            loose_old = [old[i] for i in old_loose]
            loose_new = [new[i] for i in new_loose]
            if Counter(map(canonical, loose_old)) != Counter(map(canonical, loose_new)):
                self.entries(old_path, new_path, loose_old, loose_new, None)

    def item_semantics(self, item: _Item, path: Path_, old: dict[str, Any],
                       new: dict[str, Any]) -> set[str]:
        """Changes with a meaning of their own; returns the fields they account for."""
        handled: set[str] = set()
        if item.kind.name == "action":
            old_status, new_status = old.get("status"), new.get("status")
            if not _same(old_status, new_status) and new_status in _STATUS_CHANGE:
                self.emit(_STATUS_CHANGE[new_status], (*path, "status"), item, old_status,
                          new_status)
                handled.add("status")
            old_owner, new_owner = old.get("owner"), new.get("owner")
            if old_owner is not None and new_owner is not None and old_owner != new_owner:
                self.emit(ChangeKind.ACTION_REASSIGNED, (*path, "owner"), item, old_owner,
                          new_owner)
                handled.add("owner")
        elif item.kind.name == "risk factor":
            old_priority, new_priority = old.get("priority"), new.get("priority")
            if old_priority is not None and new_priority is not None and not _same(
                    old_priority, new_priority):
                self.emit(ChangeKind.PRIORITY_REORDERED, (*path, "priority"), item,
                          old_priority, new_priority)
                handled.add("priority")
        return handled

    def newly_overdue(self) -> None:
        """Actions overdue now that were not overdue then, whether or not they changed: a
        due date passing between two meetings is news."""
        kind = KIND_BY_NAME["action"]
        old_list, new_list = get(self.before, kind.section), get(self.after, kind.section)
        if not isinstance(new_list, list):
            return
        old_items, _ = _index(old_list if isinstance(old_list, list) else [])
        new_items, _ = _index(new_list)
        for key, (index, fields) in new_items.items():
            if not _is_overdue(self.after, fields, self.today):
                continue
            found = old_items.get(key)
            if found is not None and _is_overdue(self.before, found[1], self.before_today):
                continue
            path = (*kind.section, index, "due")
            self.emit(ChangeKind.ACTION_NEWLY_OVERDUE, path, _Item(kind, key[0], len(path) - 1),
                      found[1].get("due") if found else None, fields.get("due"))


def _is_overdue(plan: dict[str, Any], action: dict[str, Any], day: date) -> bool:
    return is_overdue(action, day, get(plan, ("plan", "status")) == "closed")


def _index(items: list[Any]) -> tuple[dict[tuple[str, int], tuple[int, dict[str, Any]]],
                                      list[int]]:
    """Items by (ID, occurrence), and the positions of entries without a usable ID."""
    found: dict[tuple[str, int], tuple[int, dict[str, Any]]] = {}
    seen: Counter[str] = Counter()
    loose: list[int] = []
    for index, entry in enumerate(items):
        ident = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(ident, str) or not ident:
            loose.append(index)
            continue
        found[(ident, seen[ident])] = (index, entry)
        seen[ident] += 1
    return found, loose


def diff_plans(before: dict[str, Any] | None, after: dict[str, Any] | None, today: date, *,
               before_today: date | None = None) -> list[Change]:
    """Every change from `before` to `after` (None: the plan is absent from that version).

    `today` is the date the newer version is judged at (for "newly overdue"); `before_today`
    the date the older one is judged at (default: `today`). An action is newly overdue when it
    is overdue in `after` at `today` and was not overdue in `before` at `before_today`.
    """
    if before is None and after is None:
        return []
    if before is None:
        return [Change(ChangeKind.PLAN_ADDED, "")]
    if after is None:
        return [Change(ChangeKind.PLAN_REMOVED, "")]
    return _Differ(before, after, today, before_today or today).run()

