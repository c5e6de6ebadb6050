"""Changes in words: the one-line phrases of `rmp log` summaries and packs, and how the text
and Markdown views describe each change (a marker, a subject, the values to show).

With `values`, levels, dates and owners are named; free text is never put in a summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rmp.diff.records import Change, ChangeKind, LogEntry


def show(value: Any) -> str:
    """A value on one line, YAML-ish: `[a, b]`, `{agency: police, role: ...}`."""
    if value is None:
        return "(none)"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    text = str(value)
    return text.replace("\r\n", "\n").replace("\n", " / ").replace("\t", " ")


def _owner(value: Any) -> str:
    if isinstance(value, dict):
        agency = value.get("agency")
        role = value.get("role")
        text = str(agency) if agency is not None else "(no agency)"
        return f"{text} ({show(role)})" if role is not None else text
    return show(value)


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
        return f"overall RoSH {show(old)} -> {show(new)}" if values else "overall RoSH changed"
    if kind is ChangeKind.MAPPA_LEVEL:
        return f"MAPPA level {show(old)} -> {show(new)}" if values else "MAPPA level changed"
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



@dataclass(frozen=True, slots=True)
class Described:
    """How the text and Markdown renderers show one change."""

    marker: str
    """`+` added, `-` removed, `~` changed, `!` a RoSH or MAPPA change."""
    subject: str
    shown: tuple[Any, ...]
    """The values to show: (), (value,) or (old, new)."""


def described(change: Change, values: bool) -> Described:
    kind = change.kind
    old, new = change.old, change.new
    label = f"{change.item_kind} {change.item}" if change.item else ""
    where = f"{label} {change.field}" if change.item else str(change.field)
    if kind in (ChangeKind.ITEM_ADDED, ChangeKind.ITEM_REMOVED):
        added = kind is ChangeKind.ITEM_ADDED
        fields = new if added else old
        title = next((fields[k] for k in ("title", "name", "description", "summary")
                      if isinstance(fields, dict) and fields.get(k) is not None), None)
        return Described("+" if added else "-", f"{label} {'added' if added else 'removed'}",
                     (title,) if values and title is not None else ())
    if kind in (ChangeKind.PLAN_ADDED, ChangeKind.PLAN_REMOVED):
        return Described("+" if kind is ChangeKind.PLAN_ADDED else "-", phrase(change), ())
    pair = (old, new) if values else ()
    if kind in (ChangeKind.ROSH_UP, ChangeKind.ROSH_DOWN):
        direction = "up" if kind is ChangeKind.ROSH_UP else "down"
        return Described("!", f"RoSH {_rosh_words(change)} {direction}", pair)
    if kind is ChangeKind.OVERALL_ROSH:
        return Described("!", "overall RoSH changed", pair)
    if kind is ChangeKind.MAPPA_LEVEL:
        return Described("!", "MAPPA level changed", pair)
    if kind is ChangeKind.REVIEW_MOVED:
        return Described("~", "next review moved", pair)
    if kind is ChangeKind.ACTION_NEWLY_OVERDUE:
        return Described("~", f"{label} newly overdue, due", (new,) if values else ())
    if kind in _ACTION_WORDS:
        return Described("~", f"{label} {_ACTION_WORDS[kind]}", pair)
    if kind is ChangeKind.ACTION_REASSIGNED:
        return Described("~", f"{label} reassigned", (_owner(old), _owner(new)) if values else ())
    if kind is ChangeKind.PRIORITY_REORDERED:
        return Described("~", f"{label} priority changed", pair)
    if kind is ChangeKind.FIELD_ADDED:
        return Described("+", f"{where} added", (new,) if values else ())
    if kind is ChangeKind.FIELD_REMOVED:
        return Described("-", f"{where} removed", (old,) if values else ())
    if kind is ChangeKind.ENTRY_ADDED:
        return Described("+", f"new entry in {where}", (new,) if values else ())
    if kind is ChangeKind.ENTRY_REMOVED:
        return Described("-", f"entry removed from {where}", (old,) if values else ())
    return Described("~", f"{where} changed", pair)



def entry_summary(entry: LogEntry, values: bool) -> str:
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

