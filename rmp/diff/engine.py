"""Semantic diff of two versions of a plan, keyed by item IDs; pure: data in, changes out.

`diff_plans(before, after, today)` compares two loaded plans (either may be None: the plan is
absent from that version) and returns a list of `Change`s in the plan's own terms: items added,
removed and changed field by field; RoSH up or down per group and setting; the overall RoSH;
the MAPPA level; actions started, done, blocked, cancelled, reassigned or newly overdue; the next
review moved; risk factor priorities changed. Items are matched by ID within their section
(`plan.KINDS`), so moving an item, re-ordering a list, or re-ordering a list of plain values
(triggers, evidence) is not a change. An ID that is in both versions is compared, wherever it
stands and whatever happened to it in between.

The renderers below (`render_diff`, `render_log`, `summary`, `semantic_view`) turn changes into
text, Markdown or JSON. Unlike `rmp check`, they show field values (old -> new): their reader is
the plan's author looking at their own repository. `values=False` leaves every value out.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from rmp.model.paths import pointer
from rmp.model.view import is_overdue, overall_rosh
from rmp.model.vocabulary import GROUPS, KINDS, LEVELS, ItemKind, level_rank

SCHEMA_VERSION = 1
"""Version of the JSON output of `rmp diff` and `rmp log` (keys are stable within it)."""


class ChangeKind(str, Enum):
    """What happened, in the plan's terms. The values are public (JSON output)."""

    PLAN_ADDED = "plan-added"
    PLAN_REMOVED = "plan-removed"
    ITEM_ADDED = "item-added"
    ITEM_REMOVED = "item-removed"
    FIELD_ADDED = "field-added"
    FIELD_REMOVED = "field-removed"
    FIELD_CHANGED = "field-changed"
    ENTRY_ADDED = "entry-added"
    """A value joined a list that has no IDs (a trigger, an evidence reference, a review)."""
    ENTRY_REMOVED = "entry-removed"
    ROSH_UP = "rosh-up"
    ROSH_DOWN = "rosh-down"
    OVERALL_ROSH = "overall-rosh"
    MAPPA_LEVEL = "mappa-level"
    REVIEW_MOVED = "review-moved"
    ACTION_STARTED = "action-started"
    ACTION_DONE = "action-done"
    ACTION_BLOCKED = "action-blocked"
    ACTION_CANCELLED = "action-cancelled"
    ACTION_REASSIGNED = "action-reassigned"
    ACTION_NEWLY_OVERDUE = "action-newly-overdue"
    PRIORITY_REORDERED = "priority-reordered"


@dataclass(frozen=True, slots=True)
class Change:
    """One change between two versions of a plan."""

    kind: ChangeKind
    path: str
    """JSON Pointer of the place in the newer version; for a removed item or list entry, in
    the older version; "" for the whole plan."""
    item: str | None = None
    """ID of the item concerned, if any."""
    item_kind: str | None = None
    """Its kind (`risk factor`, `action`...)."""
    field: str | None = None
    """Dotted name of the field: relative to the item when there is one (`owner.agency`),
    else from the top of the plan (`plan.review.next`)."""
    old: Any = None
    new: Any = None

    def as_dict(self, values: bool = True) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind.value, "path": self.path, "item": self.item,
                                  "item_kind": self.item_kind, "field": self.field}
        if values:
            record["old"] = self.old
            record["new"] = self.new
        return record


_MISSING: Any = object()
_SECTIONS: dict[tuple[str | int, ...], ItemKind] = {kind.section: kind for kind in KINDS}
_STATUS_CHANGE = {
    "in-progress": ChangeKind.ACTION_STARTED,
    "done": ChangeKind.ACTION_DONE,
    "blocked": ChangeKind.ACTION_BLOCKED,
    "cancelled": ChangeKind.ACTION_CANCELLED,
}
_SETTINGS = ("community", "custody")
ROSH_PATH = ("assessment", "rosh")
OVERALL_PATH = ("assessment", "overall_rosh")
MAPPA_PATH = ("assessment", "mappa", "level")
REVIEW_PATH = ("plan", "review", "next")

Path_ = tuple[str | int, ...]


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _at(data: Any, path: Path_) -> Any:
    node = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _same(old: Any, new: Any) -> bool:
    # `1 == True` and `1 == 1.0` in Python; in a plan they are different values
    return type(old) is type(new) and old == new


def _canonical(value: Any) -> str:
    """A key for a list entry: entries equal but for the order of their keys or of the lists
    inside them share it (`1`, `true` and `"1"` do not)."""
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{json.dumps(str(k), ensure_ascii=False)}:"
                                     f"{_canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, list):
        return "[" + ",".join(sorted(_canonical(v) for v in value)) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


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
            field_name = _dotted(rest) if rest else None
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
        old_overall, new_overall = overall_rosh(before), overall_rosh(after)
        if old_overall != new_overall:
            written = _at(after, OVERALL_PATH) is not None or _at(before, OVERALL_PATH) is not None
            self.emit(ChangeKind.OVERALL_ROSH, OVERALL_PATH if written else ROSH_PATH, None,
                      old_overall, new_overall, _dotted(OVERALL_PATH))
            self.skip.add(OVERALL_PATH)
        old_rosh, new_rosh = _at(before, ROSH_PATH), _at(after, ROSH_PATH)
        if isinstance(old_rosh, dict) and isinstance(new_rosh, dict) and old_rosh != new_rosh:
            groups = [g for g in GROUPS if g in old_rosh or g in new_rosh]
            groups += sorted(str(g) for g in {*old_rosh, *new_rosh} if g not in GROUPS)
            for group in groups:
                old_group, new_group = old_rosh.get(group), new_rosh.get(group)
                if not isinstance(old_group, dict) or not isinstance(new_group, dict):
                    continue
                settings = [s for s in _SETTINGS if s in old_group or s in new_group]
                settings += sorted(str(s) for s in {*old_group, *new_group} if s not in _SETTINGS)
                for setting in settings:
                    old, new = old_group.get(setting), new_group.get(setting)
                    if old in LEVELS and new in LEVELS and old != new:
                        path = (*ROSH_PATH, group, setting)
                        up = level_rank(new) > level_rank(old)
                        self.emit(ChangeKind.ROSH_UP if up else ChangeKind.ROSH_DOWN, path, None,
                                  old, new)
                        self.skip.add(path)
        old_level, new_level = _at(before, MAPPA_PATH), _at(after, MAPPA_PATH)
        if not _same(old_level, new_level):
            self.emit(ChangeKind.MAPPA_LEVEL, MAPPA_PATH, None, old_level, new_level)
            self.skip.add(MAPPA_PATH)
        old_next, new_next = _at(before, REVIEW_PATH), _at(after, REVIEW_PATH)
        if old_next is not None and new_next is not None and not _same(old_next, new_next):
            self.emit(ChangeKind.REVIEW_MOVED, REVIEW_PATH, None, old_next, new_next)
            self.skip.add(REVIEW_PATH)

    # -- the generic walk -------------------------------------------------------------------
    def walk(self, old_path: Path_, new_path: Path_, old: Any, new: Any,
             item: _Item | None) -> None:
        """Compare two values found at the same place (`new_path` names it in the newer
        version, `old_path` in the older)."""
        if item is None and new_path in _SECTIONS:
            kind = _SECTIONS[new_path]
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
            elif item is None and sub_new in _SECTIONS and isinstance(value, list):
                self.items(_SECTIONS[sub_new], (*old_path, key), sub_new, [], value)
            else:
                self.emit(ChangeKind.FIELD_ADDED, sub_new, item, None, value)
        for key, value in old.items():
            if key in new or key in skip:
                continue
            sub_old, sub_new = (*old_path, key), (*new_path, key)
            if item is None and sub_new in self.skip:
                continue
            if item is None and sub_new in _SECTIONS and isinstance(value, list):
                self.items(_SECTIONS[sub_new], sub_old, sub_new, value, [])
            else:
                self.emit(ChangeKind.FIELD_REMOVED, sub_new, item, value, None)

    def entries(self, old_path: Path_, new_path: Path_, old: list[Any], new: list[Any],
                item: _Item | None) -> None:
        """Lists without IDs are compared as multisets: order is not a change."""
        if old == new:
            return
        old_keys = [_canonical(v) for v in old]
        new_keys = [_canonical(v) for v in new]
        old_count, new_count = Counter(old_keys), Counter(new_keys)
        if old_count == new_count:
            return
        name = _dotted(new_path[item.base:] if item else new_path)
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
            if Counter(map(_canonical, loose_old)) != Counter(map(_canonical, loose_new)):
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
        kind = next(k for k in KINDS if k.name == "action")
        old_list, new_list = _at(self.before, kind.section), _at(self.after, kind.section)
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
    return is_overdue(action, day, _at(plan, ("plan", "status")) == "closed")


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


# ------------------------------------------------------------------------------------------
# What a version is, and what could not be read


@dataclass(frozen=True, slots=True)
class VersionRef:
    """One side of a comparison: which version of the plan it is."""

    label: str
    """As the user named it: a revision as typed, `working tree`, a file, `as at DATE`."""
    commit: str | None = None
    date: str | None = None
    """The commit's author date (ISO 8601), or for `--since` the date asked for."""
    path: str | None = None
    """The plan's path in that version (repository-relative for a commit); None: absent."""

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "commit": self.commit, "date": self.date, "path": self.path}

    def describe(self) -> str:
        details = [d for d in (self.commit[:10] if self.commit else None,
                               self.date[:10] if self.date else None) if d]
        where = f"{self.label} ({', '.join(details)})" if details else self.label
        return where if self.path is not None else f"{where}: not present"


@dataclass(frozen=True, slots=True)
class VersionProblem:
    """Why one version of a plan could not be read. Never holds a field's value."""

    version: str
    """Which version: a commit SHA, `working tree` or a file path."""
    code: str
    """A loader code (RMP001-RMP004), or `git-object` when git could not read the object."""
    line: int
    column: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "code": self.code, "line": self.line,
                "column": self.column, "message": self.message}

    def describe(self) -> str:
        return f"{self.code} line {self.line}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class PlanDiff:
    """The result of `rmp diff`: two versions of one plan and what changed between them."""

    plan: str
    before: VersionRef
    after: VersionRef
    changes: tuple[Change, ...]
    problems: tuple[VersionProblem, ...] = ()
    plan_id: str | None = None
    today: date | None = None
    """The date the newer version was judged at (for "newly overdue")."""

    @property
    def complete(self) -> bool:
        """False when a version could not be read, so the changes are not known."""
        return not self.problems


@dataclass(frozen=True)
class LogEntry:
    """One commit that changed the plan, and what it changed."""

    commit: str
    date: str
    author: str
    subject: str
    status: str
    """`added`, `modified`, `removed` or `renamed`."""
    path: str
    old_path: str | None
    changes: tuple[Change, ...]
    problems: tuple[VersionProblem, ...] = ()
    """Problems of this version (`version` is the commit) or of the one before it (`version`
    is `previous`)."""
    base: str | None = None
    """When the version before cannot be read: the commit of the newest older version that
    can, which `changes` are counted from."""


@dataclass(frozen=True)
class PlanLog:
    plan: str
    entries: tuple[LogEntry, ...]


def plan_id(data: Any) -> str | None:
    value = _at(data, ("plan", "id"))
    return value if isinstance(value, str) else None


# ------------------------------------------------------------------------------------------
# Words


def _show(value: Any) -> str:
    """A value on one line, YAML-ish: `[a, b]`, `{agency: police, role: ...}`."""
    if value is None:
        return "(none)"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    text = str(value)
    return text.replace("\r\n", "\n").replace("\n", " / ").replace("\t", " ")


def _owner(value: Any) -> str:
    if isinstance(value, dict):
        agency = value.get("agency")
        role = value.get("role")
        text = str(agency) if agency is not None else "(no agency)"
        return f"{text} ({_show(role)})" if role is not None else text
    return _show(value)


def _owner_agency(value: Any) -> str:
    if isinstance(value, dict) and value.get("agency") is not None:
        return str(value["agency"])
    return "(no agency)"


def _rosh_words(change: Change) -> str:
    parts = (change.field or "").split(".")
    return " ".join(parts[2:]) if len(parts) >= 4 else (change.field or "")


_ACTION_WORDS = {
    ChangeKind.ACTION_STARTED: "started",
    ChangeKind.ACTION_DONE: "done",
    ChangeKind.ACTION_BLOCKED: "blocked",
    ChangeKind.ACTION_CANCELLED: "cancelled",
    ChangeKind.ACTION_NEWLY_OVERDUE: "overdue",
}
_GENERIC = frozenset({ChangeKind.FIELD_ADDED, ChangeKind.FIELD_REMOVED, ChangeKind.FIELD_CHANGED,
                      ChangeKind.ENTRY_ADDED, ChangeKind.ENTRY_REMOVED})


def phrase(change: Change, values: bool = True) -> str:
    """One change in a few words, for summaries (`RoSH known_adult community high ->
    very-high`, `A4 added`). With `values`, levels, dates and owners are named; free text is
    never put in a summary."""
    kind = change.kind
    old, new = change.old, change.new
    if kind is ChangeKind.PLAN_ADDED:
        return "plan added"
    if kind is ChangeKind.PLAN_REMOVED:
        return "plan removed"
    if kind in (ChangeKind.ROSH_UP, ChangeKind.ROSH_DOWN):
        direction = "up" if kind is ChangeKind.ROSH_UP else "down"
        tail = f"{old} -> {new}" if values else direction
        return f"RoSH {_rosh_words(change)} {tail}"
    if kind is ChangeKind.OVERALL_ROSH:
        return f"overall RoSH {_show(old)} -> {_show(new)}" if values else "overall RoSH changed"
    if kind is ChangeKind.MAPPA_LEVEL:
        return f"MAPPA level {_show(old)} -> {_show(new)}" if values else "MAPPA level changed"
    if kind is ChangeKind.REVIEW_MOVED:
        return f"review moved to {new}" if values else "review moved"
    if kind is ChangeKind.ITEM_ADDED:
        return f"{change.item} added"
    if kind is ChangeKind.ITEM_REMOVED:
        return f"{change.item} removed"
    if kind in _ACTION_WORDS:
        return f"{change.item} {_ACTION_WORDS[kind]}"
    if kind is ChangeKind.ACTION_REASSIGNED:
        return f"{change.item} reassigned to {_owner_agency(new)}" if values else (
            f"{change.item} reassigned")
    if kind is ChangeKind.PRIORITY_REORDERED:
        return f"{change.item} priority {old} -> {new}" if values else (
            f"{change.item} priority changed")
    subject = f"{change.item} {change.field}" if change.item else str(change.field)
    return f"{subject} changed"


def summary(changes: Sequence[Change], values: bool = True) -> str:
    """The one-line account of a change set used by `rmp log`: semantic changes in full,
    field changes grouped per item (`RF1 title, triggers changed`)."""
    parts: list[str] = []
    grouped: dict[str, list[str]] = {}
    for change in changes:
        if change.kind in _GENERIC:
            if change.item:
                names = grouped.setdefault(change.item, [])
                if not names:
                    parts.append(f"\0{change.item}")
                if change.field not in names:
                    names.append(str(change.field))
            else:
                text = f"{change.field} changed"
                if text not in parts:
                    parts.append(text)
        else:
            text = phrase(change, values)
            if text not in parts:
                parts.append(text)
    words = [f"{p[1:]} {', '.join(grouped[p[1:]])} changed" if p.startswith("\0") else p
             for p in parts]
    return "; ".join(words) if words else "no semantic change"


# ------------------------------------------------------------------------------------------
# Renderers: each returns a string


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """Text from git (subjects, names) shown without terminal control characters."""
    return _CONTROL.sub("\ufffd", text)


@dataclass(frozen=True, slots=True)
class _Line:
    """How the text and Markdown renderers show one change."""

    marker: str
    """`+` added, `-` removed, `~` changed, `!` a RoSH or MAPPA change."""
    subject: str
    shown: tuple[Any, ...]
    """The values to show: (), (value,) or (old, new)."""


def _described(change: Change, values: bool) -> _Line:
    kind = change.kind
    old, new = change.old, change.new
    label = f"{change.item_kind} {change.item}" if change.item else ""
    where = f"{label} {change.field}" if change.item else str(change.field)
    if kind in (ChangeKind.ITEM_ADDED, ChangeKind.ITEM_REMOVED):
        added = kind is ChangeKind.ITEM_ADDED
        fields = new if added else old
        title = next((fields[k] for k in ("title", "name", "description", "summary")
                      if isinstance(fields, dict) and fields.get(k) is not None), None)
        return _Line("+" if added else "-", f"{label} {'added' if added else 'removed'}",
                     (title,) if values and title is not None else ())
    if kind in (ChangeKind.PLAN_ADDED, ChangeKind.PLAN_REMOVED):
        return _Line("+" if kind is ChangeKind.PLAN_ADDED else "-", phrase(change), ())
    pair = (old, new) if values else ()
    if kind in (ChangeKind.ROSH_UP, ChangeKind.ROSH_DOWN):
        direction = "up" if kind is ChangeKind.ROSH_UP else "down"
        return _Line("!", f"RoSH {_rosh_words(change)} {direction}", pair)
    if kind is ChangeKind.OVERALL_ROSH:
        return _Line("!", "overall RoSH changed", pair)
    if kind is ChangeKind.MAPPA_LEVEL:
        return _Line("!", "MAPPA level changed", pair)
    if kind is ChangeKind.REVIEW_MOVED:
        return _Line("~", "next review moved", pair)
    if kind is ChangeKind.ACTION_NEWLY_OVERDUE:
        return _Line("~", f"{label} newly overdue, due", (new,) if values else ())
    if kind in _ACTION_WORDS:
        return _Line("~", f"{label} {_ACTION_WORDS[kind]}", pair)
    if kind is ChangeKind.ACTION_REASSIGNED:
        return _Line("~", f"{label} reassigned", (_owner(old), _owner(new)) if values else ())
    if kind is ChangeKind.PRIORITY_REORDERED:
        return _Line("~", f"{label} priority changed", pair)
    if kind is ChangeKind.FIELD_ADDED:
        return _Line("+", f"{where} added", (new,) if values else ())
    if kind is ChangeKind.FIELD_REMOVED:
        return _Line("-", f"{where} removed", (old,) if values else ())
    if kind is ChangeKind.ENTRY_ADDED:
        return _Line("+", f"new entry in {where}", (new,) if values else ())
    if kind is ChangeKind.ENTRY_REMOVED:
        return _Line("-", f"entry removed from {where}", (old,) if values else ())
    return _Line("~", f"{where} changed", pair)


_SHORT = 60


def _value_lines(line: _Line) -> tuple[str | None, list[str]]:
    """Inline `old -> new` when short, else one line per line of text, signed - and +."""
    shown = [_show(v) for v in line.shown]
    multiline = any(isinstance(v, str) and "\n" in v.strip() for v in line.shown)
    if not multiline and all(len(s) <= _SHORT for s in shown):
        return " -> ".join(shown), []
    signs = ("-", "+") if len(line.shown) == 2 else (line.marker if line.marker in "+-" else " ",)
    lines: list[str] = []
    for sign, value in zip(signs, line.shown, strict=True):
        if isinstance(value, str):
            lines.extend(f"{sign} {text}" for text in value.rstrip("\n").split("\n"))
        else:
            lines.append(f"{sign} {_show(value)}")
    return None, lines


_STYLE = {"+": "green", "-": "red", "~": "yellow", "!": "bold magenta", " ": ""}


def _console(buffer: io.StringIO, color: bool) -> Any:
    from rich.console import Console

    return Console(file=buffer, force_terminal=color, no_color=not color,
                   color_system="standard" if color else None, soft_wrap=True, width=200,
                   highlight=False)


def render_text(result: PlanDiff, values: bool = True, color: bool = False,
                today: date | None = None) -> str:
    """The terminal view: one line per change, values inline or on lines of their own."""
    from rich.text import Text

    buffer = io.StringIO()
    console = _console(buffer, color)
    title = Text(clean(result.plan), style="bold underline")
    if result.plan_id:
        title.append(f"  {clean(result.plan_id)}")
    console.print(title)
    console.print(Text(f"  from  {clean(result.before.describe())}"))
    console.print(Text(f"  to    {clean(result.after.describe())}"))
    for problem in result.problems:
        console.print(Text(f"  cannot read {clean(problem.version)}: {problem.describe()}",
                           style="bold red"))
    console.print()
    for change in result.changes:
        described = _described(change, values)
        text = Text("  ")
        text.append(described.marker, style=_STYLE[described.marker])
        text.append(f" {clean(described.subject)}")
        extra: list[str] = []
        if described.shown:
            inline, extra = _value_lines(described)
            if inline is not None:
                text.append(": ")
                text.append(clean(inline), style="bold")
        console.print(text)
        for value_line in extra:
            console.print(Text(f"      {clean(value_line)}", style=_STYLE[value_line[0]]))
    if result.problems:
        console.print(Text("changes unknown: a version could not be read", style="bold red"))
    else:
        count = len(result.changes)
        console.print(Text("no changes" if not count else
                           f"{count} change{'' if count == 1 else 's'}"))
    return str(buffer.getvalue())


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~&])")


def md_escape(text: Any) -> str:
    """Plain text for a Markdown bullet: punctuation that could start markup (emphasis, links,
    raw HTML, tables, code) is backslash-escaped and line breaks become ` / `, so a value can
    neither break the list nor inject HTML or a link."""
    flat = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\n", " / ")
    return _MD_SPECIAL.sub(r"\\\1", flat.replace("\t", " "))


def _md_heading(change: Change) -> str:
    if change.kind in (ChangeKind.ROSH_UP, ChangeKind.ROSH_DOWN, ChangeKind.OVERALL_ROSH,
                       ChangeKind.MAPPA_LEVEL):
        return "Risk of serious harm and MAPPA"
    if change.kind is ChangeKind.REVIEW_MOVED:
        return "Review"
    if change.item_kind is not None:
        for kind in KINDS:
            if kind.name == change.item_kind:
                return str(kind.section[-1]).replace("_", " ").capitalize()
    top = (change.field or "").split(".")[0]
    return top.replace("_", " ").capitalize() or "Plan"


def render_md(result: PlanDiff, values: bool = True, color: bool = False,
              today: date | None = None) -> str:
    """A draft "Changes since last meeting" section, every value Markdown-escaped."""
    out = ["## Changes since last meeting", ""]
    subject = md_escape(result.plan) + (f" ({md_escape(result.plan_id)})"
                                        if result.plan_id else "")
    caution = " Check and edit it before sharing" + (": it shows field values._" if values
                                                        else "._")
    newer = result.after.describe()
    newer = f"the {newer}" if newer.startswith("working tree") else newer
    out.append(f"_Draft written by rmp diff for {subject}: compares "
               f"{md_escape(result.before.describe())} with {md_escape(newer)}.{caution}")
    out.append("")
    if result.problems:
        for problem in result.problems:
            out.append(f"- **Not compared:** {md_escape(problem.version)} cannot be read "
                       f"({md_escape(problem.describe())})")
        out.append("")
        return "\n".join(out)
    if not result.changes:
        out += ["No changes.", ""]
        return "\n".join(out)
    sections: dict[str, list[str]] = {}
    for change in result.changes:
        described = _described(change, values)
        line = f"- {md_escape(described.subject)}"
        if described.shown:
            line += ": " + " → ".join(md_escape(_show(v)) for v in described.shown)
        sections.setdefault(_md_heading(change), []).append(line)
    order = ["Risk of serious harm and MAPPA", "Review"]
    for heading in [*[h for h in order if h in sections],
                    *[h for h in sections if h not in order]]:
        out += [f"### {heading}", "", *sections[heading], ""]
    return "\n".join(out)


def _tool() -> dict[str, str]:
    from rmp import __version__

    return {"name": "rmp", "version": __version__}


def render_json(result: PlanDiff, values: bool = True, color: bool = False,
                today: date | None = None) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": _tool(),
        "plan": result.plan,
        "plan_id": result.plan_id,
        "today": judged.isoformat() if (judged := result.today or today) else None,
        "values": values,
        "from": result.before.as_dict(),
        "to": result.after.as_dict(),
        "complete": result.complete,
        "changed": bool(result.changes),
        "changes": [c.as_dict(values) for c in result.changes],
        "problems": [p.as_dict() for p in result.problems],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


DIFF_RENDERERS: dict[str, Callable[[PlanDiff, bool, bool, date | None], str]] = {
    "text": render_text, "md": render_md, "json": render_json,
}


def render_log_text(log: PlanLog, values: bool = True, color: bool = False) -> str:
    from rich.text import Text

    buffer = io.StringIO()
    console = _console(buffer, color)
    for entry in log.entries:
        head = Text()
        head.append(entry.date[:10], style="bold")
        head.append("  ")
        head.append(entry.commit[:10], style="yellow")
        head.append(f"  {clean(entry.author)}  ")
        head.append(clean(entry.subject), style="bold")
        console.print(head)
        console.print(Text(f"    {clean(_entry_summary(entry, values))}"))
    if not log.entries:
        console.print(Text("no committed versions in this range"))
    return str(buffer.getvalue())


def _entry_summary(entry: LogEntry, values: bool) -> str:
    prefix = f"renamed from {entry.old_path}; " if entry.status == "renamed" else ""
    own = [p for p in entry.problems if p.version != "previous"]
    if own:
        return prefix + "; ".join(f"this version cannot be read ({p.describe()})" for p in own)
    before = [p for p in entry.problems if p.version == "previous"]
    if before and entry.base is None:
        return prefix + "; ".join(
            f"the version before cannot be read ({p.describe()})" for p in before)
    if before:
        prefix += (f"compared with {entry.base[:10] if entry.base else ''} "
                   "(the version before cannot be read): ")
    return prefix + summary(entry.changes, values)


def render_log_json(log: PlanLog, values: bool = True, color: bool = False) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": _tool(),
        "plan": log.plan,
        "values": values,
        "entries": [{
            "commit": e.commit, "date": e.date, "author": e.author, "subject": e.subject,
            "status": e.status, "path": e.path, "old_path": e.old_path,
            "compared_with": e.base,
            "summary": _entry_summary(e, values),
            "changes": [c.as_dict(values) for c in e.changes],
            "problems": [p.as_dict() for p in e.problems],
        } for e in log.entries],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


LOG_RENDERERS: dict[str, Callable[[PlanLog, bool, bool], str]] = {
    "text": render_log_text, "json": render_log_json,
}


# ------------------------------------------------------------------------------------------
# The semantic view git's diff driver compares (`rmp git-setup`)


_NATURAL = re.compile(r"(\d+)")
_READING_ORDER = {key: n for n, key in enumerate((
    "format", "plan", "individual", "assessment", "risk_factors", "protective_factors",
    "controls", "objectives", "options", "actions", "scenarios", "contingency", "victims",
    "disclosures", "agencies", "concerns", "rationale", "sharing", "waivers"))}


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in _NATURAL.split(text)]


def _scalar_line(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if ("\n" in value or value != value.strip()
                                                        or not value) else value
    return json.dumps(value, ensure_ascii=False)


def _flatten(prefix: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append(f"{prefix}: {{}}")
        for key in sorted(value, key=str):
            _flatten(f"{prefix}.{key}" if prefix else str(key), value[key], out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{prefix}: []")
        if all(not isinstance(v, (dict, list)) for v in value):
            for line in sorted(_scalar_line(v) for v in value):
                out.append(f"{prefix}[]: {line}")
        else:
            for line in sorted(_canonical(v) for v in value):
                out.append(f"{prefix}[]: {line}")
    else:
        out.append(f"{prefix}: {_scalar_line(value)}")


def semantic_view(data: dict[str, Any]) -> str:
    """The plan as sorted `name: value` lines, items under their IDs: a line diff of two views
    shows what changed, keyed by ID, and nothing for re-ordering. Used as git's textconv."""
    out = ["# rmp semantic view: one line per field, items by ID, list order ignored"]
    # item sections are shown by ID, after the rest of the plan
    sections = [(kind, node) for kind in KINDS
                if isinstance(node := _at(data, kind.section), list)]
    plain = json.loads(json.dumps(data, default=str))
    for kind, _ in sections:
        parent = _at(plain, kind.section[:-1])
        if isinstance(parent, dict):
            parent.pop(kind.section[-1], None)
    for key in sorted(plain, key=lambda k: (_READING_ORDER.get(k, len(_READING_ORDER)), k)):
        _flatten(str(key), plain[key], out)
    for kind, items in sections:
        out.append("")
        out.append(f"## {_dotted(kind.section)}")
        keyed: list[tuple[list[Any], str, Any]] = []
        loose: list[str] = []
        for entry in items:
            ident = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ident, str) and ident:
                keyed.append((_natural(ident), ident, entry))
            else:
                loose.append(_canonical(entry))
        for _, ident, entry in sorted(keyed, key=lambda k: (k[0], k[1])):
            out.append(f"[{ident}] {kind.name}")
            fields = {k: v for k, v in entry.items() if k != "id"}
            _flatten(ident, fields, out)
        for line in sorted(loose):
            out.append(f"[] {line}")
    return "\n".join(out) + "\n"


__all__ = [
    "Change", "ChangeKind", "LogEntry", "PlanDiff", "PlanLog", "VersionProblem", "VersionRef",
    "diff_plans", "md_escape", "phrase", "plan_id", "render_json",
    "render_md", "render_text", "semantic_view", "summary",
]
