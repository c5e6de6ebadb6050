"""The one module that talks to git: versions of a plan, renames followed, read in bulk.

git runs as a subprocess with an argument list (never a shell). Every revision a user types is
resolved to a commit SHA first (`git rev-parse --verify --end-of-options REV^{commit}`) and only
the SHA is passed on; a revision that looks like an option is refused before git sees it.
`--end-of-options` stands before revisions and `--` before paths in every call, and paths are
literal (`GIT_LITERAL_PATHSPECS=1`: no globs, no `:(magic)`). Blobs are read by SHA, or as
`SHA:path` through the commit's tree, on the standard input of one `git cat-file --batch`, and
checked against their SHA, so a corrupt object is a problem for that version, not a crash.

A plan's history is one `git log --follow --raw` (renames followed; merges diffed against their
first parent), and all of its versions are read by one `git cat-file --batch`: the number of git
processes does not grow with the number of commits. In a shallow clone (CI's default depth 1)
history is cut short: the commands that need it stop with `SHALLOW_MESSAGE`.

Versions are loaded with `rmp.io.load.load_bytes`; one that cannot be loaded (not UTF-8, invalid
YAML, a corrupt object) is a `VersionProblem` for that version, and the rest goes on.

GitPython is not used: it has had a run of option-injection CVEs and is in maintenance mode;
plain argument lists keep every git call's options visible here, and cost no import time.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rmp.diff.engine import (
    LogEntry,
    PlanDiff,
    PlanLog,
    VersionProblem,
    VersionRef,
    diff_plans,
    plan_id,
    semantic_view,
)
from rmp.errors import RefusedError, RmpError, UsageError
from rmp.io.load import MAX_BYTES, load_bytes

SHALLOW_MESSAGE = (
    "history unavailable: this is a shallow clone; fetch full history (git fetch --unshallow)"
)
WORKING_TREE = "working tree"
DRIVER = "rmp"
"""Name of the diff driver `rmp git-setup` configures (`diff=rmp`)."""
PLAN_SUFFIXES = (".yaml", ".yml")

_HEX = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")
_NULL_SHA = re.compile(r"0+\Z")
_STATUS = {"A": "added", "M": "modified", "D": "removed", "R": "renamed", "C": "added",
           "T": "modified"}
# Settings that would change what git prints to us; the user's own config otherwise applies.
_CONFIG = ("-c", "log.showSignature=false", "-c", "core.quotePath=false", "-c", "color.ui=false")


class HistoryError(RmpError):
    """git cannot give the history asked for (not a repository, shallow clone, git failing)."""

    code = "git"


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    authored: str
    """Author date, ISO 8601 with the author's offset: the date `rmp log` shows and filters."""
    author: str
    subject: str

    @property
    def day(self) -> date:
        return date.fromisoformat(self.authored[:10])

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.authored)


@dataclass(frozen=True, slots=True)
class PathChange:
    """One commit's change to the plan, from `git log --raw`."""

    commit: Commit
    status: str
    """git's status letter: A, M, D, R (renamed), C, T."""
    path: str
    """Repository-relative path after the commit (for D, the path removed)."""
    old_path: str | None
    """Before the commit, for a rename."""
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True, slots=True)
class Loaded:
    """A version of a plan: its data, or why it cannot be used."""

    data: dict[str, Any] | None
    problems: tuple[VersionProblem, ...] = ()


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_LITERAL_PATHSPECS": "1",   # a path is a path, never a glob or :(magic)
        "GIT_TERMINAL_PROMPT": "0",     # never wait for a password
        "GIT_OPTIONAL_LOCKS": "0",      # reading must not write the index
        "GIT_PAGER": "cat",
        "LC_ALL": "C",                  # messages we recognise are in English
    })
    for name in ("GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS"):
        env.pop(name, None)
    return env


def _first_line(stderr: bytes) -> str:
    for line in stderr.decode("utf-8", "replace").splitlines():
        text = line.strip()
        if text:
            return re.sub(r"[\x00-\x1f\x7f]", "?", text)[:200]
    return "no message"


class Repo:
    """A git work tree, found from a path inside it."""

    def __init__(self, git: str, top: Path, shallow: bool, hash_name: str) -> None:
        self.git = git
        self.top = top
        self.shallow = shallow
        self.hash_name = hash_name
        self._env = _environment()

    @classmethod
    def at(cls, where: Path) -> Repo:
        """The repository holding `where` (a file or folder, which need not exist)."""
        start = Path(os.path.abspath(where))
        while not start.is_dir() and start != start.parent:
            start = start.parent
        git = shutil.which("git")
        if git is None:
            raise UsageError("git is not installed (or not on PATH); use --files A B to "
                             "compare two files without git")
        try:
            completed = subprocess.run(
                [git, "-C", str(start), *_CONFIG, "rev-parse", "--show-toplevel",
                 "--is-shallow-repository", "--show-object-format"],
                capture_output=True, env=_environment(), check=False)
        except OSError as exc:
            raise HistoryError(f"cannot run git ({exc.strerror})") from None
        lines = completed.stdout.decode("utf-8", "surrogateescape").splitlines()
        if completed.returncode != 0 or len(lines) != 3:
            raise UsageError(f"{where}: not inside a git work tree; use --files A B to "
                             "compare two files without git")
        return cls(git, Path(lines[0]), lines[1] == "true", lines[2])

    # -- running git ------------------------------------------------------------------------
    def run(self, *args: str, stdin: bytes | None = None,
            ok: Sequence[int] = (0,)) -> subprocess.CompletedProcess[bytes]:
        try:
            completed = subprocess.run(
                [self.git, "-C", str(self.top), *_CONFIG, *args], input=stdin,
                capture_output=True, env=self._env, check=False)
        except OSError as exc:
            raise HistoryError(f"cannot run git ({exc.strerror})") from None
        if completed.returncode not in ok:
            raise HistoryError(f"git {args[0]} failed: {_first_line(completed.stderr)}")
        return completed

    def resolve(self, revision: str) -> str:
        """The commit SHA a user's revision names. Nothing else a user types reaches git."""
        if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
            raise UsageError("a revision must not be empty, start with '-' or hold a line break")
        completed = self.run("rev-parse", "--verify", "--quiet", "--end-of-options",
                             f"{revision}^{{commit}}", ok=(0, 1, 128))
        sha = completed.stdout.decode("ascii", "replace").strip()
        if completed.returncode != 0 or not _HEX.match(sha):
            if self.shallow:
                raise HistoryError(f"unknown revision {revision!r}; {SHALLOW_MESSAGE}")
            raise UsageError(f"unknown revision {revision!r}: not a commit in this repository")
        return sha

    def relative(self, path: Path) -> str:
        """`path` relative to the top of the work tree, with `/` separators."""
        absolute = Path(os.path.abspath(path))
        parent = Path(os.path.realpath(absolute.parent))
        try:
            inside = (parent / absolute.name).relative_to(Path(os.path.realpath(self.top)))
        except ValueError:
            raise UsageError(f"{path}: not inside the git work tree at {self.top}") from None
        text = inside.as_posix()
        if text in ("", ".") or "\n" in text or "\0" in text:
            raise UsageError(f"{path}: not a file path git can read")
        return text

    # -- history ----------------------------------------------------------------------------
    def path_log(self, path: str) -> list[PathChange]:
        """Every commit that changed `path`, newest first, following renames. One git call."""
        if self.run("rev-parse", "--verify", "--quiet", "HEAD", ok=(0, 1, 128)).returncode:
            return []  # no commits yet
        completed = self.run(
            "log", "--follow", "--diff-merges=first-parent", "--raw", "--no-abbrev", "-z",
            "--no-color", "--no-ext-diff", "--format=%H%x00%aI%x00%an%x00%s",
            "--end-of-options", "HEAD", "--", path)
        return _parse_log(completed.stdout)

    def blobs_at(self, commit: str, paths: Sequence[str]) -> dict[str, str] | VersionProblem:
        """Blob SHAs of those of `paths` that are files at `commit`, read from its tree (so an
        unreadable blob is told apart from an absent file). One git call."""
        completed = self.run("ls-tree", "-z", "--full-tree", "--end-of-options", commit, "--",
                             *paths, ok=range(0, 256))
        if completed.returncode != 0:
            return _object_problem(commit)
        found: dict[str, str] = {}
        for entry in completed.stdout.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            parts = meta.decode("ascii", "replace").split(" ")
            if len(parts) == 3 and parts[1] == "blob" and parts[0] in ("100644", "100755"):
                found[os.fsdecode(name)] = parts[2]
        return found

    def read(self, names: Sequence[str]) -> dict[str, bytes | VersionProblem]:
        """Blob contents by SHA, all through one `git cat-file --batch` (another only after an
        object that makes git stop). A missing, corrupt or non-blob object is a problem."""
        if not names:
            return {}
        if any(not _HEX.match(name) for name in names):
            raise HistoryError("internal: only object SHAs are read")
        found: dict[str, bytes | VersionProblem] = {}
        pending = list(dict.fromkeys(names))
        while pending:
            request = b"".join(n.encode("utf-8", "surrogateescape") + b"\n" for n in pending)
            completed = self.run("cat-file", "--batch", stdin=request, ok=range(0, 256))
            served = _parse_batch(completed.stdout, pending, self.hash_name)
            found.update(served)
            if len(served) == len(pending):
                break
            # git stopped at the next object (it could not stream it): mark it, go on after it
            stuck = pending[len(served)]
            found[stuck] = _object_problem(stuck)
            pending = pending[len(served) + 1:]
        return found


def _object_problem(name: str) -> VersionProblem:
    return VersionProblem(name, "git-object", 1, 1,
                          "git cannot read this version (a missing or corrupt object)")


def _parse_batch(output: bytes, names: Sequence[str], hash_name: str,
                 ) -> dict[str, bytes | VersionProblem]:
    served: dict[str, bytes | VersionProblem] = {}
    at = 0
    for name in names:
        end = output.find(b"\n", at)
        if end < 0:
            break
        header = output[at:end].decode("utf-8", "surrogateescape").split(" ")
        at = end + 1
        if header[-1] in ("missing", "ambiguous"):  # named by a tree, so: damaged
            served[name] = _object_problem(name)
            continue
        if len(header) != 3 or not header[2].isdigit():
            break
        sha, kind, size = header[0], header[1], int(header[2])
        if at + size + 1 > len(output):
            break  # git died while streaming it
        content = output[at:at + size]
        at += size + 1
        if kind != "blob":
            served[name] = _object_problem(name)
            continue
        digest = hashlib.new(hash_name if hash_name in ("sha1", "sha256") else "sha1")
        digest.update(b"blob %d\0" % size)
        digest.update(content)
        served[name] = content if digest.hexdigest() == sha else _object_problem(name)
    return served


def _parse_log(output: bytes) -> list[PathChange]:
    tokens = output.split(b"\0")
    changes: list[PathChange] = []
    at = 0
    while at < len(tokens):
        head = tokens[at].lstrip(b"\n")
        if not head:
            at += 1
            continue
        if at + 3 >= len(tokens):
            raise HistoryError("unexpected output from git log")
        sha = head.decode("ascii", "replace")
        if not _HEX.match(sha):
            raise HistoryError("unexpected output from git log")
        when, author, subject = (t.decode("utf-8", "replace") for t in tokens[at + 1:at + 4])
        commit = Commit(sha, when, author, subject)
        at += 4
        while at < len(tokens) and tokens[at].lstrip(b"\n").startswith(b":"):
            meta = tokens[at].lstrip(b"\n")[1:].decode("ascii", "replace").split(" ")
            status = meta[4][:1] if len(meta) >= 5 else "M"
            count = 2 if status in ("R", "C") else 1
            paths = [os.fsdecode(t) for t in tokens[at + 1:at + 1 + count]]
            at += 1 + count
            old_blob = None if _NULL_SHA.match(meta[2]) else meta[2]
            new_blob = None if _NULL_SHA.match(meta[3]) else meta[3]
            changes.append(PathChange(commit, status, paths[-1],
                                      paths[0] if count == 2 else None, old_blob, new_blob))
    return changes


# ------------------------------------------------------------------------------------------
# Loading versions


def load_version(label: str, content: bytes | VersionProblem | None) -> Loaded:
    """A version's data (None when absent), or the problems that stop it being read."""
    if content is None:
        return Loaded(None)
    if isinstance(content, VersionProblem):
        return Loaded(None, (content,))
    document, problems = load_bytes(label, content)
    if document is None:
        return Loaded(None, tuple(VersionProblem(label, p.code, p.line, p.column, p.message)
                                  for p in problems))
    if not isinstance(document.data, dict):
        return Loaded(None, (VersionProblem(label, "RMP002", 1, 1,
                                            "not a plan: the top level is not a mapping"),))
    return Loaded(document.data)


def read_file(path: Path) -> bytes | None:
    """A plan file's bytes (at most one byte over the size limit), or None if it is absent."""
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; give a plan file")
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror})") from None


def _problem_version(loaded: Loaded, version: str) -> tuple[VersionProblem, ...]:
    return tuple(VersionProblem(version, p.code, p.line, p.column, p.message)
                 for p in loaded.problems)


# ------------------------------------------------------------------------------------------
# rmp diff


def files_diff(before: Path, after: Path, today: date) -> PlanDiff:
    """Two files compared, without git (`rmp diff --files A B`)."""
    sides = []
    for path in (before, after):
        raw = read_file(path)
        if raw is None:
            raise UsageError(f"{path}: no such file")
        sides.append(load_version(str(path), raw))
    problems = _problem_version(sides[0], str(before)) + _problem_version(sides[1], str(after))
    changes = () if problems else tuple(diff_plans(sides[0].data, sides[1].data, today))
    return PlanDiff(f"{before} -> {after}", VersionRef(str(before), path=str(before)),
                    VersionRef(str(after), path=str(after)), changes, problems,
                    plan_id(sides[1].data) or plan_id(sides[0].data), today)


def _at_commits(repo: Repo, path: str, commits: Sequence[str],
                ) -> dict[str, tuple[str | None, bytes | VersionProblem | None]]:
    """The plan's (path, content) at each commit, following renames: under its current name;
    where it is not there, as the history says (a commit that changed it), or under the names
    it had before each rename, newest first. Absent: (None, None)."""
    blobs: dict[str, tuple[str | None, str | VersionProblem | None]] = {}
    missing = []
    for sha in commits:
        found = repo.blobs_at(sha, [path])
        if isinstance(found, VersionProblem) or path in found:
            blobs[sha] = (path, found if isinstance(found, VersionProblem) else found[path])
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
            if isinstance(found, VersionProblem):
                blobs[sha] = (path, found)
                continue
            for name in old_names:
                if name in found:
                    blobs[sha] = (name, found[name])
                    break
    wanted = [b for _, b in blobs.values() if isinstance(b, str)]
    contents = repo.read(wanted) if wanted else {}
    located: dict[str, tuple[str | None, bytes | VersionProblem | None]] = {}
    for sha, (where, blob) in blobs.items():
        located[sha] = (where, contents[blob] if isinstance(blob, str) else blob)
    return located


def _commit_info(repo: Repo, sha: str) -> Commit:
    completed = repo.run("show", "-s", "--no-color", "--format=%H%x00%aI%x00%an%x00%s",
                         "--end-of-options", sha)
    parts = completed.stdout.rstrip(b"\n").split(b"\0")
    if len(parts) < 4:
        raise HistoryError("unexpected output from git show")
    return Commit(*(p.decode("utf-8", "replace") for p in parts[:4]))


def revisions_diff(plan: Path, rev_a: str | None, rev_b: str | None, today: date,
                   since: date | None = None) -> PlanDiff:
    """`rmp diff PLAN [REV_A [REV_B]]`: REV_A (default HEAD, or the version as at `since`)
    against REV_B (default the working tree)."""
    repo = Repo.at(plan)
    path = repo.relative(plan)
    if since is not None and rev_a is not None:
        raise UsageError("give either --since or a revision, not both")
    # every revision is resolved before anything is read
    if rev_a is None and since is None and repo.run(
            "rev-parse", "--verify", "--quiet", "HEAD", ok=(0, 1, 128)).returncode:
        raise UsageError("the repository has no commits yet: nothing to compare with")
    sha_a = None if since is not None else repo.resolve(rev_a or "HEAD")
    sha_b = repo.resolve(rev_b) if rev_b is not None else None
    commits = [sha for sha in (sha_a, sha_b) if sha is not None]
    located = _at_commits(repo, path, commits) if commits else {}

    before_today = today
    if since is not None:
        before_ref, content_a, before_today = _as_at(repo, path, since)
    else:
        assert sha_a is not None
        info = _commit_info(repo, sha_a)
        where, content_a = located[sha_a]
        before_ref = VersionRef(rev_a or "HEAD", sha_a, info.authored, where)
        before_today = info.day
    if sha_b is not None:
        info = _commit_info(repo, sha_b)
        where, content_b = located[sha_b]
        after_ref = VersionRef(str(rev_b), sha_b, info.authored, where)
        today = info.day
    else:
        content_b = read_file(plan)
        after_ref = VersionRef(WORKING_TREE, path=path if content_b is not None else None)
    if content_a is None and content_b is None:
        raise UsageError(f"{plan}: not found in {before_ref.label} or in {after_ref.label} "
                         "(a mistyped path?)")
    old = load_version(before_ref.describe(), content_a)
    new = load_version(after_ref.describe(), content_b)
    problems = old.problems + new.problems
    changes = () if problems else tuple(
        diff_plans(old.data, new.data, today, before_today=before_today))
    return PlanDiff(str(plan), before_ref, after_ref, changes, problems,
                    plan_id(new.data) or plan_id(old.data), today)


def _as_at(repo: Repo, path: str, day: date,
           ) -> tuple[VersionRef, bytes | VersionProblem | None, date]:
    """The plan as it stood at the end of `day`: the newest change dated on or before it."""
    if repo.shallow:
        raise HistoryError(SHALLOW_MESSAGE)
    history = repo.path_log(path)
    earlier = [c for c in history if c.commit.day <= day]
    label = f"as at {day.isoformat()}"
    if not earlier:
        return VersionRef(label, date=day.isoformat()), None, day
    latest = max(earlier, key=lambda c: c.commit.moment)
    content = repo.read([latest.new_blob])[latest.new_blob] if latest.new_blob else None
    where = latest.path if latest.new_blob else None
    return VersionRef(label, latest.commit.sha, latest.commit.authored, where), content, day


@dataclass(frozen=True, slots=True)
class EarlierVersion:
    """A plan as it stood at a revision or date, for "changes since" in packs."""

    label: str
    data: dict[str, Any] | None
    """None when the plan did not exist then (everything is new) or could not be read."""
    day: date
    """The date that version is judged at (for newly overdue actions)."""
    readable: bool = True


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def versions_as_of(paths: Sequence[Path], since: str) -> dict[Path, EarlierVersion]:
    """Each plan as it stood at `since`: a date (YYYY-MM-DD: the newest change dated on or
    before it) or a revision (resolved to a SHA once per repository). Raises UsageError or
    HistoryError (exit 2) for a revision git does not know or a shallow clone."""
    day = _as_date(since)
    shas: dict[Path, str] = {}
    found: dict[Path, EarlierVersion] = {}
    for plan in paths:
        repo = Repo.at(plan)
        path = repo.relative(plan)
        if day is not None:
            _ref, content, when = _as_at(repo, path, day)
            label = since
        else:
            if repo.top not in shas:
                shas[repo.top] = repo.resolve(since)
            sha = shas[repo.top]
            content = _at_commits(repo, path, [sha])[sha][1]
            when = _commit_info(repo, sha).day
            label = f"{since} ({sha[:12]})"
        loaded = load_version(f"{plan}@{label}", content)
        found[plan] = EarlierVersion(label, loaded.data, when, readable=not loaded.problems)
    return found


# ------------------------------------------------------------------------------------------
# rmp log


class _Versions:
    """Parsed versions by blob SHA, keeping only the last few: consecutive log entries share
    one version (one's old is the next one's new), and a plan's data is large."""

    def __init__(self, contents: dict[str, bytes | VersionProblem]) -> None:
        self.contents = contents
        self.cache: dict[str, Loaded] = {}

    def get(self, blob: str | None) -> Loaded:
        if blob is None:
            return Loaded(None)
        loaded = self.cache.get(blob)
        if loaded is None:
            loaded = load_version(blob, self.contents.get(blob))
            if len(self.cache) >= 8:
                del self.cache[next(iter(self.cache))]
            self.cache[blob] = loaded
        return loaded


def _readable_before(repo: Repo, history: Sequence[PathChange], start: int,
                     versions: _Versions) -> tuple[str, Loaded] | None:
    """The newest version older than `history[start - 1]` that can be read, and its commit.
    Only reached when a version is broken; reads what it needs in one more batch."""
    unread = [c.new_blob for c in history[start:]
              if c.new_blob and c.new_blob not in versions.contents]
    if unread:
        versions.contents.update(repo.read(unread))
    for change in history[start:]:
        loaded = versions.get(change.new_blob)
        if not loaded.problems:
            return change.commit.sha, loaded
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
        problems = tuple(VersionProblem(sha, p.code, p.line, p.column, p.message)
                         for p in new.problems)
        problems += tuple(VersionProblem("previous", p.code, p.line, p.column, p.message)
                          for p in old.problems if change.old_blob != change.new_blob)
        base = None
        if old.problems and not new.problems:
            # the version before cannot be read: compare with the newest older one that can
            fallback = _readable_before(repo, history, position[id(change)] + 1, versions)
            if fallback is not None:
                base, old = fallback
        changes = () if new.problems or old.problems else tuple(
            diff_plans(old.data, new.data, change.commit.day))
        entries.append(LogEntry(sha, change.commit.authored, change.commit.author,
                                change.commit.subject, _STATUS.get(change.status, "modified"),
                                change.path, change.old_path, changes, problems, base))
    return PlanLog(str(plan), tuple(entries))


# ------------------------------------------------------------------------------------------
# For other commands: render packs and `rmp check --changed-since`


@dataclass(frozen=True, slots=True)
class LastCommit:
    """The commit of a file's last change, and whether the working tree differs from it."""

    sha: str
    changed: bool
    shallow: bool = False
    """Found in a shallow clone: the real last change may lie beyond the fetched history."""


def last_commits(paths: Sequence[Path]) -> dict[Path, LastCommit]:
    """For each file inside a git work tree with history: the commit of its last change.
    One `git log` and one `git status` per repository, whatever the number of files; files
    outside git, untracked or never committed are absent from the result."""
    by_repo: dict[Path, tuple[Repo, dict[str, Path]]] = {}
    for path in paths:
        try:
            repo = Repo.at(path)
            relative = repo.relative(path)
        except RmpError:
            continue
        by_repo.setdefault(repo.top, (repo, {}))[1][relative] = path
    found: dict[Path, LastCommit] = {}
    for repo, wanted in by_repo.values():
        if repo.run("rev-parse", "--verify", "--quiet", "HEAD", ok=(0, 1, 128)).returncode:
            continue
        names = sorted(wanted)
        log = repo.run("log", "--format=%x01%H", "--name-only", "--no-renames", "-z",
                       "--no-color", "--end-of-options", "HEAD", "--", *names)
        latest: dict[str, str] = {}
        sha = ""
        for token in log.stdout.split(b"\0"):
            for part in token.split(b"\n"):
                text = os.fsdecode(part)
                if text.startswith("\x01"):
                    sha = text[1:]
                elif text in wanted and text not in latest and _HEX.match(sha):
                    latest[text] = sha
        status = repo.run("status", "--porcelain=v1", "-z", "--untracked-files=no",
                          "--no-renames", "--", *names)
        changed = {os.fsdecode(entry[3:]) for entry in status.stdout.split(b"\0")
                   if len(entry) > 3}
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

    The result is every changed YAML file: intersect it with `rmp.check.pipeline.discover(paths)` to
    keep only what a folder scan would check."""
    paths = list(paths) or [Path(".")]
    repo = Repo.at(paths[0])
    sha = repo.resolve(revision)
    base = repo.run("merge-base", "--end-of-options", sha, "HEAD", ok=(0, 1, 128))
    base_sha = base.stdout.decode("ascii", "replace").strip()
    if base.returncode != 0 or not _HEX.match(base_sha):
        if repo.shallow:
            raise HistoryError(SHALLOW_MESSAGE)
        raise UsageError(f"revision {revision!r} has no history in common with HEAD")
    specs = [repo.relative(p) if Path(p).resolve() != repo.top.resolve() else "."
             for p in paths]
    specs = [s.rstrip("/") or "." for s in specs]
    changed = repo.run("diff", "--name-only", "-z", "--no-color", "--no-ext-diff",
                       "--diff-filter=d", "--end-of-options", base_sha, "--", *specs)
    untracked = repo.run("ls-files", "--others", "--exclude-standard", "--full-name", "-z",
                         "--", *specs)
    found: dict[str, None] = {}
    for output in (changed.stdout, untracked.stdout):
        for raw in output.split(b"\0"):
            if raw:
                found[os.fsdecode(raw)] = None
    here = Path.cwd().resolve()
    result = []
    for name in sorted(found):
        absolute = repo.top / name
        if absolute.suffix.lower() not in PLAN_SUFFIXES or not absolute.is_file():
            continue
        try:
            result.append(absolute.resolve().relative_to(here))
        except ValueError:
            result.append(absolute)
    return result


# ------------------------------------------------------------------------------------------
# rmp git-setup and git's diff driver


_PATTERN = re.compile(r"[^\s#!\"\\][^\s\"\\]*\Z")


def textconv(path: Path) -> bytes:
    """What git's diff driver shows for one version of a file: the semantic view of a plan
    (`format: rmp/1`), and any other file exactly as it is."""
    try:
        raw = path.read_bytes()
    except OSError:
        return b""
    if len(raw) > MAX_BYTES:
        return raw
    loaded = load_version(str(path), raw)
    if loaded.data is None or loaded.data.get("format") != "rmp/1":
        return raw
    return semantic_view(loaded.data).encode("utf-8")


def git_setup(where: Path, patterns: Sequence[str], command: str) -> list[str]:
    """Configure git to diff plans semantically: `PATTERN diff=rmp` lines in the work tree's
    `.gitattributes` and `diff.rmp.textconv` in the repository's local config. Refuses, writing
    nothing, when either already holds a different setting. Returns what was done."""
    repo = Repo.at(where)
    for pattern in patterns:
        if not _PATTERN.match(pattern):
            raise UsageError("a --pattern is a gitattributes pattern without spaces, quotes, "
                             "or a leading '#' or '!'")
    if not command.strip() or any(c in command for c in "\0\n\r"):
        raise UsageError("--command must be a command on one line")
    wanted = f"{command.strip()} diff --textconv"
    key = f"diff.{DRIVER}.textconv"
    current = repo.run("config", "--local", "--get", key, ok=(0, 1))
    existing = current.stdout.decode("utf-8", "replace").strip() if current.returncode == 0 else None
    if existing is not None and existing != wanted:
        raise RefusedError(f"git config {key} is already set to something else; refusing to "
                           f"change it (undo with: git config --unset {key})")
    attributes = repo.top / ".gitattributes"
    if attributes.is_symlink() or (attributes.exists() and not attributes.is_file()):
        raise RefusedError(f"{attributes}: not a regular file; refusing to change it")
    text = attributes.read_bytes().decode("utf-8", "surrogateescape") if attributes.exists() else ""
    missing = []
    for pattern in patterns:
        settings = [_diff_setting(line) for line in text.splitlines()
                    if line.split() and line.split()[0] == pattern]
        settings = [s for s in settings if s is not None]
        if any(s != f"diff={DRIVER}" for s in settings):
            raise RefusedError(f"{attributes}: {pattern} already has a different diff setting; "
                               "refusing to change it")
        if not settings:
            missing.append(pattern)
    done = []
    if existing is None:
        repo.run("config", "--local", key, wanted)
        done.append(f"set git config {key} = {wanted}")
    if missing:
        addition = "".join(f"{p} diff={DRIVER}\n" for p in missing)
        if text and not text.endswith("\n"):
            addition = "\n" + addition
        _write_atomically(attributes, (text + addition).encode("utf-8", "surrogateescape"))
        done.extend(f"added to {attributes.name}: {p} diff={DRIVER}" for p in missing)
    return done


def _diff_setting(line: str) -> str | None:
    for token in line.split()[1:]:
        if token in ("diff", "-diff", "!diff") or token.startswith("diff="):
            return token
    return None


def _write_atomically(target: Path, content: bytes) -> None:
    from rmp.io.fileio import replace_atomically

    replace_atomically(target, content, new_mode=0o644)  # .gitattributes is shared config
