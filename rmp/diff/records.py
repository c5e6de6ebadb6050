"""The records of plan history: a change, a version, why a version cannot be used, and the
results of `rmp diff` (PlanDiff) and `rmp log` (PlanLog). Frozen; the JSON keys are public."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any


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


def _masked(name: str, separator: str) -> str:
    return separator.join("x-" if part.lower().startswith("x-") else part
                          for part in name.split(separator))


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

    def without_values(self) -> Change:
        """The change as `--no-values` shows it: no old or new value, and no extension key's
        name (an `x-` key is named by its writer, and may say anything): each becomes `x-`."""
        from dataclasses import replace

        return replace(self, old=None, new=None, path=_masked(self.path, "/"),
                       field=_masked(self.field, ".") if self.field is not None else None)

    def as_dict(self, values: bool = True) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind.value, "path": self.path, "item": self.item,
                                  "item_kind": self.item_kind, "field": self.field}
        if values:
            record["old"] = self.old
            record["new"] = self.new
        return record


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
    """Why one version of a plan cannot be compared: it fails the gate (rmp check's reading,
    format and schema rules) or git cannot read it. Never holds a field's value."""

    version: str
    """Which version: a commit SHA, `working tree`, a file path, or (in `rmp log`)
    `previous` for the version before an entry's commit."""
    code: str
    """The gate's rule code (RMP001-RMP005, RMP101), or `git-object` when git could not read
    the object."""
    line: int
    column: int
    message: str
    pointer: str = ""
    """JSON Pointer of the place in the plan ("" for the whole file)."""
    file: str | None = None
    """The file as messages show it: a path, or `path@commit` for a committed version."""

    def as_dict(self) -> dict[str, Any]:
        return {"version": self.version, "file": self.file, "code": self.code,
                "line": self.line, "column": self.column, "pointer": self.pointer,
                "message": self.message}

    def describe(self) -> str:
        return f"{self.code} line {self.line}, column {self.column}: {self.message}"

    def located(self) -> str:
        """`file:line:column: CODE message`, as rmp check shows a finding."""
        where = self.file if self.file is not None else self.version
        return f"{where}:{self.line}:{self.column}: {self.code} {self.message}"


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
        """False when a version could not be used, so the changes are not known."""
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
    """When the version before cannot be used: the commit of the newest older version that
    can, which `changes` are counted from."""


@dataclass(frozen=True)
class PlanLog:
    """The result of `rmp log`: every commit that changed one plan, newest first."""

    plan: str
    entries: tuple[LogEntry, ...]

    @property
    def complete(self) -> bool:
        """False when a version in the log could not be used."""
        return not any(entry.problems for entry in self.entries)
