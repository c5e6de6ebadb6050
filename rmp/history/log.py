"""`rmp log`'s history of a plan: every commit that changed it, newest first, following
renames, each gated and compared with the version before it (its first parent's).

A version that fails the gate is a problem on its own entry; the next entry is then compared
with the newest older version that passes (`LogEntry.base`), so one broken commit does not hide
the changes around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from rmp.diff.engine import diff_plans
from rmp.diff.records import LogEntry, PlanLog, VersionProblem
from rmp.errors import UsageError
from rmp.history.git import SHALLOW_MESSAGE, Damaged, HistoryError, PathChange, Repo
from rmp.history.versions import Version, gate_version, shown_at

_STATUS = {"A": "added", "M": "modified", "D": "removed", "R": "renamed", "C": "added",
           "T": "modified"}
_KEPT = 8
"""Gated versions kept at once: consecutive entries share one (one's old is the next one's
new), and a plan's data is large."""


class _Versions:
    """Gated versions by blob SHA, keeping only the last few."""

    def __init__(self, contents: dict[str, bytes | Damaged]) -> None:
        self.contents = contents
        self.cache: dict[str, Version] = {}

    def get(self, blob: str | None) -> Version:
        if blob is None:
            return Version(None)
        version = self.cache.get(blob)
        if version is None:
            version = gate_version(blob, blob, self.contents.get(blob))
            if len(self.cache) >= _KEPT:
                del self.cache[next(iter(self.cache))]
            self.cache[blob] = version
        return version


def _relabelled(problems: Sequence[VersionProblem], version: str,
                shown: str | None) -> tuple[VersionProblem, ...]:
    """A blob's problems, named after the commit that holds it."""
    return tuple(replace(p, version=version, file=shown) for p in problems)


def _readable_before(repo: Repo, history: Sequence[PathChange], start: int,
                     versions: _Versions) -> tuple[str, Version] | None:
    """The newest version older than `history[start - 1]` that passes the gate, and its
    commit. Only reached when a version fails; reads what it needs in one more batch."""
    unread = [c.new_blob for c in history[start:]
              if c.new_blob and c.new_blob not in versions.contents]
    if unread:
        versions.contents.update(repo.read(unread))
    for change in history[start:]:
        version = versions.get(change.new_blob)
        if not version.problems:
            return change.commit.sha, version
    return None


def plan_log(plan: Path, since: date | None = None, until: date | None = None) -> PlanLog:
    """`rmp log PLAN`: every commit that changed the plan, newest first, following renames,
    each with its semantic changes against the version before it (its first parent's)."""
    repo = Repo.at(plan)
    path = repo.relative(plan)
    if repo.shallow:
        raise HistoryError(SHALLOW_MESSAGE)
    history = repo.path_log(path)
    if not history and not Path(plan).exists():
        raise UsageError(f"{plan}: no such file, and no commits ever had it (a mistyped path?)")
    selected = [c for c in history
                if (since is None or c.commit.day >= since)
                and (until is None or c.commit.day <= until)]
    blobs = [b for c in selected for b in (c.old_blob, c.new_blob) if b]
    versions = _Versions(repo.read(blobs))
    position = {id(change): index for index, change in enumerate(history)}
    entries = []
    for change in selected:
        old, new = versions.get(change.old_blob), versions.get(change.new_blob)
        sha = change.commit.sha
        problems = _relabelled(new.problems, sha, shown_at(change.path, sha))
        if change.old_blob != change.new_blob:
            problems += _relabelled(old.problems, "previous",
                                    shown_at(change.old_path or change.path, sha) + "^")
        base = None
        if old.problems and not new.problems:
            # the version before fails the gate: compare with the newest older one that passes
            fallback = _readable_before(repo, history, position[id(change)] + 1, versions)
            if fallback is not None:
                base, old = fallback
        changes = () if new.problems or old.problems else tuple(
            diff_plans(old.data, new.data, change.commit.day))
        entries.append(LogEntry(sha, change.commit.authored, change.commit.author,
                                change.commit.subject, _STATUS.get(change.status, "modified"),
                                change.path, change.old_path, changes, problems, base))
    return PlanLog(str(plan), tuple(entries))
