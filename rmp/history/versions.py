"""Versions of a plan: in a file, in the working tree, at a commit (renames followed) or as it
stood at a date, each passed through the gate; and, for other commands, the commit of a file's
last version and the files whose version changed since a revision.

Every version goes through `rmp.io.gate.gate_bytes` (reading, format and schema rules, as in
`rmp check`). One that fails, or that git cannot read, is a `VersionProblem` for that version
(code, line, column, pointer and message, never a value) and the rest goes on; the diff engine
only ever sees schema-valid plans.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rmp.diff.records import VersionProblem, VersionRef
from rmp.errors import RmpError, UsageError
from rmp.history.git import SHALLOW_MESSAGE, Damaged, HistoryError, Repo
from rmp.model.paths import parse_date

WORKING_TREE = "working tree"
PLAN_SUFFIXES = (".yaml", ".yml")

Content = bytes | Damaged | str | None
"""A version's bytes; `Damaged` when git cannot read it; a reason (str) when the file cannot
be read; None when the plan is absent from that version."""


@dataclass(frozen=True, slots=True)
class Version:
    """A version of a plan after the gate: its data, or why it cannot be used."""

    data: dict[str, Any] | None
    """The schema-valid plan; None when absent or when it failed the gate."""
    problems: tuple[VersionProblem, ...] = ()


def gate_version(version: str, shown: str, content: Content) -> Version:
    """Pass one version's content through the gate. `version` says which version it is (a
    commit SHA, `working tree`, a file); `shown` is the file as messages show it."""
    from rmp.io.gate import gate_bytes

    if content is None:
        return Version(None)
    if isinstance(content, Damaged):
        return Version(None, (VersionProblem(
            version, "git-object", 1, 1, "git cannot read this version (a missing or corrupt "
            "object)", file=shown),))
    if isinstance(content, str):
        return Version(None, (VersionProblem(
            version, "RMP001", 1, 1, f"cannot read the file ({content})", file=shown),))
    gated = gate_bytes(shown, content)
    if gated.passed and gated.document is not None and isinstance(gated.document.data, dict):
        return Version(gated.document.data)
    problems = tuple(VersionProblem(version, f.code, f.line, f.column, f.message, f.pointer,
                                    shown) for f in gated.findings)
    if not problems:  # parsed, but another kind of file (a policy)
        problems = (VersionProblem(version, "RMP005", 1, 1,
                                   f"not a plan: this is a `{gated.kind}` file", file=shown),)
    return Version(None, problems)


def working_copy(path: Path) -> bytes | str | None:
    """A plan file's bytes; the reason it cannot be read; or None when there is no such file.
    Regular files only, read up to the size cap and a byte (`rmp.io.gate.read_file`)."""
    from rmp.io.gate import read_file

    if not os.path.lexists(path):
        return None
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a plan file")
    return read_file(path)


def at_commits(repo: Repo, path: str, commits: Sequence[str],
               ) -> dict[str, tuple[str | None, bytes | Damaged | None]]:
    """The plan's (path, content) at each commit, following renames: under its current name;
    where it is not there, as the history says (a commit that changed it), or under the names
    it had before each rename, newest first. Absent: (None, None)."""
    blobs: dict[str, tuple[str | None, str | Damaged | None]] = {}
    missing = []
    for sha in commits:
        found = repo.blobs_at(sha, [path])
        if isinstance(found, Damaged) or path in found:
            blobs[sha] = (path, found if isinstance(found, Damaged) else found[path])
        else:
            missing.append(sha)
    if missing:
        history = repo.path_log(path)
        by_commit = {change.commit.sha: change for change in history}
        old_names = list(dict.fromkeys(c.old_path for c in history if c.old_path))
        for sha in missing:
            blobs[sha] = (None, None)
            change = by_commit.get(sha)
            if change is not None:  # this commit changed the plan: the log knows its name
                if change.new_blob:
                    blobs[sha] = (change.path, change.new_blob)
                continue
            if not old_names:
                continue
            found = repo.blobs_at(sha, old_names)
            if isinstance(found, Damaged):
                blobs[sha] = (path, found)
                continue
            for name in old_names:
                if name in found:
                    blobs[sha] = (name, found[name])
                    break
    wanted = [b for _, b in blobs.values() if isinstance(b, str)]
    contents = repo.read(wanted) if wanted else {}
    located: dict[str, tuple[str | None, bytes | Damaged | None]] = {}
    for sha, (where, blob) in blobs.items():
        located[sha] = (where, contents[blob] if isinstance(blob, str) else blob)
    return located


def as_at(repo: Repo, path: str, day: date) -> tuple[VersionRef, bytes | Damaged | None]:
    """The plan as it stood at the end of `day`: the newest change dated on or before it."""
    if repo.shallow:
        raise HistoryError(SHALLOW_MESSAGE)
    history = repo.path_log(path)
    earlier = [c for c in history if c.commit.day <= day]
    label = f"as at {day.isoformat()}"
    if not earlier:
        return VersionRef(label, date=day.isoformat()), None
    latest = max(earlier, key=lambda c: c.commit.moment)
    content = repo.read([latest.new_blob])[latest.new_blob] if latest.new_blob else None
    where = latest.path if latest.new_blob else None
    return VersionRef(label, latest.commit.sha, latest.commit.authored, where), content


def shown_at(path: str | None, sha: str | None) -> str:
    """How messages name a committed version of a file: `plans/p.yaml@1a2b3c4d5e`."""
    return f"{path or '?'}@{sha[:10]}" if sha else str(path)


# ------------------------------------------------------------------------------------------
# For rmp render --since: "changes since" in packs


@dataclass(frozen=True, slots=True)
class EarlierVersion:
    """A plan as it stood at a revision or date, for "changes since" in packs."""

    label: str
    content: dict[str, Any] | bytes | None
    """The data, or (from `versions_as_of`) the data packed with `marshal`, so that a pack of
    thousands of plans does not hold every older version's parsed tree; None when the plan
    did not exist then (everything is new) or could not be used."""
    day: date
    """The date that version is judged at (for newly overdue actions)."""
    readable: bool = True
    """False when that version fails the gate or git cannot read it."""

    @property
    def data(self) -> dict[str, Any] | None:
        """The data of that version (a fresh copy each time when packed)."""
        if isinstance(self.content, bytes):
            import marshal

            unpacked: dict[str, Any] = marshal.loads(self.content)
            return unpacked
        return self.content


def versions_as_of(paths: Sequence[Path], since: str) -> dict[Path, EarlierVersion]:
    """Each plan as it stood at `since`: a date (YYYY-MM-DD: the newest change dated on or
    before it) or a revision (resolved to a SHA once per repository). Raises UsageError or
    HistoryError (exit 2) for a revision git does not know or a shallow clone."""
    import marshal

    day = parse_date(since)
    shas: dict[Path, str] = {}
    found: dict[Path, EarlierVersion] = {}
    for plan in paths:
        repo = Repo.at(plan)
        path = repo.relative(plan)
        if day is not None:
            _ref, content = as_at(repo, path, day)
            when, label = day, since
        else:
            if repo.top not in shas:
                shas[repo.top] = repo.resolve(since)
            sha = shas[repo.top]
            content = at_commits(repo, path, [sha])[sha][1]
            when = repo.commit(sha).day
            label = f"{since} ({sha[:12]})"
        version = gate_version(label, f"{plan}@{label}", content)
        packed = None if version.data is None else marshal.dumps(version.data)
        found[plan] = EarlierVersion(label, packed, when, readable=not version.problems)
    return found


# ------------------------------------------------------------------------------------------
# For rmp render (the commit in a pack) and rmp check --changed-since


@dataclass(frozen=True, slots=True)
class LastCommit:
    """The commit of a file's last change, and whether the working tree differs from it."""

    sha: str
    changed: bool
    shallow: bool = False
    """Found in a shallow clone: the real last change may lie beyond the fetched history."""


def last_commits(paths: Sequence[Path]) -> dict[Path, LastCommit]:
    """For each file inside a git work tree with history: the commit of its last change.
    One `git rev-parse` per folder, one `git log` and one `git status` per repository,
    whatever the number of files; files outside git, untracked or never committed are absent
    from the result."""
    by_repo: dict[Path, tuple[Repo, dict[str, Path]]] = {}
    repos: dict[Path, Repo | None] = {}  # by folder: one `git rev-parse` per folder
    for path in paths:
        try:
            if path.parent not in repos:
                repos[path.parent] = None
                repos[path.parent] = Repo.at(path)
            repo = repos[path.parent]
            if repo is None:
                continue
            relative = repo.relative(path)
        except RmpError:
            continue
        by_repo.setdefault(repo.top, (repo, {}))[1][relative] = path
    found: dict[Path, LastCommit] = {}
    for repo, wanted in by_repo.values():
        if not repo.has_commits():
            continue
        names = sorted(wanted)
        latest = repo.last_changes(names)
        changed = repo.modified(names)
        for name, commit in latest.items():
            found[wanted[name]] = LastCommit(commit, name in changed, repo.shallow)
    return found


def last_commit(path: Path) -> str | None:
    """SHA of the last commit that changed `path`, or None (not in git, never committed)."""
    found = last_commits([path]).get(path)
    return found.sha if found else None


def changed_since(revision: str, paths: Iterable[Path]) -> list[Path]:
    """Plan files (`*.yaml`, `*.yml`) under `paths` that differ from where the current branch
    left `revision` (their merge base), committed or not, untracked included; deleted files
    are left out. Paths come back relative to the current folder when under it.

    The result is every changed YAML file: intersect it with `rmp.check.pipeline.discover(paths)`
    to keep only what a folder scan would check."""
    paths = list(paths) or [Path(".")]
    repo = Repo.at(paths[0])
    sha = repo.resolve(revision)
    base = repo.merge_base(sha)
    if base is None:
        if repo.shallow:
            raise HistoryError(SHALLOW_MESSAGE)
        raise UsageError(f"revision {revision!r} has no history in common with HEAD")
    specs = [repo.relative(p) if Path(p).resolve() != repo.top.resolve() else "."
             for p in paths]
    specs = [s.rstrip("/") or "." for s in specs]
    here = Path.cwd().resolve()
    result = []
    for name in sorted(repo.changed_files(base, specs, PLAN_SUFFIXES)):
        absolute = repo.top / name
        if absolute.suffix.lower() not in PLAN_SUFFIXES or not absolute.is_file():
            continue
        try:
            result.append(absolute.resolve().relative_to(here))
        except ValueError:
            result.append(absolute)
    return result
