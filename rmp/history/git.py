"""The only module that runs git: a work tree, its commits, a path's history, blobs in bulk.

git runs as a subprocess with an argument list (never a shell), as `git --no-pager -C TOP -c
... COMMAND`, with the settings below that keep its output parseable and keep it from running
anything of the repository's choosing: no fsmonitor hook (`core.fsmonitor=false`), no pager,
and `--no-ext-diff --no-textconv` on every command of the diff family (log, show, diff). Paths
are literal (`GIT_LITERAL_PATHSPECS=1`: no globs, no `:(magic)`). Every revision a user types
is resolved to a commit SHA first (`git rev-parse --verify --end-of-options REV^{commit}`) and
only the SHA is passed on; a revision that looks like an option is refused before git sees it.
`--end-of-options` stands before revisions and `--` before paths in every call. Blobs are read
by SHA on the standard input of one `git cat-file --batch` and checked against their SHA, so a
corrupt object is `Damaged`, not a crash. Clean filters (`.gitattributes` `filter=`) cannot be
turned off from the command line, and git runs them whenever it compares a file of the working
tree with the index: so git never does that here. Commits and the index are compared by git
(`diff --cached`, which reads no working-tree file), and the working tree with the index by
hashing its files as they are (`hash-object --no-filters`, regular files only).

A plan's history is one `git log --follow --raw` (renames followed; merges diffed against their
first parent), and all of its versions are read by one `git cat-file --batch`: the number of git
processes does not grow with the number of commits. Timelines read many plans' histories by
one `git log` over all their paths (renames not followed) and `git cat-file --batch` calls. In
a shallow clone (CI's default depth 1) history is cut short: the commands that need it stop
with `SHALLOW_MESSAGE`.

GitPython is not used: it has had a run of option-injection CVEs and is in maintenance mode;
plain argument lists keep every git call's options visible here, and cost no import time.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rmp.errors import RmpError, UsageError

SHALLOW_MESSAGE = (
    "history unavailable: this is a shallow clone; fetch full history (git fetch --unshallow)"
)

_HEX = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")
_NULL_SHA = re.compile(r"0+\Z")
# Settings that would change what git prints to us, or make it run a program of the
# repository's choosing; the user's own config otherwise applies.
_CONFIG = ("-c", "core.fsmonitor=false", "-c", "core.pager=cat", "-c", "log.showSignature=false",
           "-c", "core.quotePath=false", "-c", "color.ui=false")
_NO_PROGRAMS = ("--no-color", "--no-ext-diff", "--no-textconv")
"""For log, show and diff: no colours, no external diff program, no textconv driver."""
_FORMAT = "--format=%H%x00%aI%x00%an%x00%s"


def is_sha(text: str) -> bool:
    """Whether `text` is a full object name (SHA-1 or SHA-256, lower case)."""
    return bool(_HEX.match(text))


class HistoryError(RmpError):
    """git cannot give the history asked for (not a repository, shallow clone, git failing)."""

    code = "git"


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit, as `rmp log` shows it."""

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
class Damaged:
    """An object git cannot give us (missing, corrupt, not a blob): a problem for the version
    that needed it, never a crash."""

    name: str
    """The object's SHA, or the commit whose tree could not be read."""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "GIT_LITERAL_PATHSPECS": "1",   # a path is a path, never a glob or :(magic)
        "GIT_TERMINAL_PROMPT": "0",     # never wait for a password
        "GIT_OPTIONAL_LOCKS": "0",      # reading must not write the index
        "GIT_PAGER": "cat",
        "LC_ALL": "C",                  # messages we recognise are in English
        # read the objects commits really name: replace refs and a grafts file (local, not
        # pushed by default) would let a repository show another plan or history than it holds
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_GRAFT_FILE": os.devnull,
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


def init_repository(folder: Path) -> None:
    """`git init` in `folder` (for `rmp init`, when the folder is in no work tree yet)."""
    git = shutil.which("git")
    if git is None:
        raise UsageError("git is not installed (or not on PATH); rmp init sets up a git "
                         "repository")
    try:
        completed = subprocess.run([git, "--no-pager", *_CONFIG, "init", "-q", "--", str(folder)],
                                   capture_output=True, env=_environment(), check=False)
    except OSError as exc:
        raise HistoryError(f"cannot run git ({exc.strerror})") from None
    if completed.returncode != 0:
        raise HistoryError(f"git init failed: {_first_line(completed.stderr)}")


def ignored(folder: Path, paths: Sequence[Path]) -> set[Path]:
    """Those of `paths` (found below `folder`) that git's ignore rules exclude: `.gitignore`
    files, `.git/info/exclude` and `core.excludesFile`; a tracked file is never ignored, as in
    git. One `git check-ignore --stdin` call. Outside a work tree, or without git, nothing is
    ignored (every plan is checked)."""
    git = shutil.which("git")
    if git is None or not paths:
        return set()
    # `./` first, so that no name can read as pathspec magic (`:(top)...`); check-ignore
    # refuses GIT_LITERAL_PATHSPECS, which every other call sets
    by_name = {os.fsencode(f"./{os.path.relpath(path, folder)}"): path for path in paths}
    env = _environment()
    env.pop("GIT_LITERAL_PATHSPECS")
    try:
        completed = subprocess.run(
            [git, "--no-pager", "-C", str(folder), *_CONFIG, "check-ignore", "-z", "--stdin"],
            input=b"".join(name + b"\0" for name in by_name), capture_output=True, env=env,
            check=False)
    except OSError:
        return set()
    if completed.returncode not in (0, 1):  # 1: nothing ignored; 128: not a work tree
        return set()
    return {by_name[name] for name in completed.stdout.split(b"\0") if name in by_name}


class Repo:
    """A git work tree, found from a path inside it. Every git command rmp runs is a method."""

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
                [git, "--no-pager", "-C", str(start), *_CONFIG, "rev-parse", "--show-toplevel",
                 "--is-shallow-repository", "--show-object-format"],
                capture_output=True, env=_environment(), check=False)
        except OSError as exc:
            raise HistoryError(f"cannot run git ({exc.strerror})") from None
        lines = completed.stdout.decode("utf-8", "surrogateescape").splitlines()
        if completed.returncode != 0 or len(lines) != 3:
            raise UsageError(f"{where}: not inside a git work tree; use --files A B to "
                             "compare two files without git")
        return cls(git, Path(lines[0]), lines[1] == "true", lines[2])

    def _run(self, *args: str, stdin: bytes | None = None,
             ok: Sequence[int] = (0,)) -> subprocess.CompletedProcess[bytes]:
        try:
            completed = subprocess.run(
                [self.git, "--no-pager", "-C", str(self.top), *_CONFIG, *args], input=stdin,
                capture_output=True, env=self._env, check=False)
        except OSError as exc:
            raise HistoryError(f"cannot run git ({exc.strerror})") from None
        if completed.returncode not in ok:
            raise HistoryError(f"git {args[0]} failed: {_first_line(completed.stderr)}")
        return completed

    # -- names ------------------------------------------------------------------------------
    def resolve(self, revision: str) -> str:
        """The commit SHA a user's revision names. Nothing else a user types reaches git."""
        if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
            raise UsageError("a revision must not be empty, start with '-' or hold a line break")
        completed = self._run("rev-parse", "--verify", "--quiet", "--end-of-options",
                              f"{revision}^{{commit}}", ok=(0, 1, 128))
        sha = completed.stdout.decode("ascii", "replace").strip()
        if completed.returncode != 0 or not is_sha(sha):
            if self.shallow:
                raise HistoryError(f"unknown revision {revision!r}; {SHALLOW_MESSAGE}")
            raise UsageError(f"unknown revision {revision!r}: not a commit in this repository")
        return sha

    def has_commits(self) -> bool:
        """Whether HEAD names a commit (false in a repository with no commits yet)."""
        return not self._run("rev-parse", "--verify", "--quiet", "--end-of-options", "HEAD",
                             ok=(0, 1, 128)).returncode

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
    def commit(self, sha: str) -> Commit:
        """Author date, author and subject of one commit (by SHA)."""
        completed = self._run("show", "-s", *_NO_PROGRAMS, _FORMAT, "--end-of-options", sha)
        parts = completed.stdout.rstrip(b"\n").split(b"\0")
        if len(parts) < 4:
            raise HistoryError("unexpected output from git show")
        return Commit(*(p.decode("utf-8", "replace") for p in parts[:4]))

    def path_log(self, path: str) -> list[PathChange]:
        """Every commit that changed `path`, newest first, following renames. One git call."""
        if not self.has_commits():
            return []
        completed = self._run(
            "log", "--follow", "--diff-merges=first-parent", "--raw", "--no-abbrev", "-z",
            *_NO_PROGRAMS, _FORMAT, "--end-of-options", "HEAD", "--", path)
        return _parse_log(completed.stdout)

    def paths_log(self, paths: Sequence[str]) -> list[PathChange]:
        """Every commit that changed any of `paths`, newest first, with one change per path
        it touched (renames not followed: `--follow` takes one path). One git call."""
        if not paths or not self.has_commits():
            return []
        completed = self._run(
            "log", "--no-renames", "--diff-merges=first-parent", "--raw", "--no-abbrev", "-z",
            *_NO_PROGRAMS, _FORMAT, "--end-of-options", "HEAD", "--", *paths)
        return _parse_log(completed.stdout)

    def last_changes(self, paths: Sequence[str]) -> dict[str, str]:
        """The SHA of the newest commit (from HEAD) that changed each of `paths` (renames not
        followed); paths never committed are absent. One git call."""
        log = self._run("log", "--format=%x01%H", "--name-only", "--no-renames", "-z",
                        *_NO_PROGRAMS, "--end-of-options", "HEAD", "--", *paths)
        wanted = set(paths)
        latest: dict[str, str] = {}
        sha = ""
        for token in log.stdout.split(b"\0"):
            for part in token.split(b"\n"):
                text = os.fsdecode(part)
                if text.startswith("\x01"):
                    sha = text[1:]
                elif text in wanted and text not in latest and is_sha(sha):
                    latest[text] = sha
        return latest

    def merge_base(self, sha: str) -> str | None:
        """The best common ancestor of `sha` and HEAD, or None when they share no history."""
        base = self._run("merge-base", "--end-of-options", sha, "HEAD", ok=(0, 1, 128))
        base_sha = base.stdout.decode("ascii", "replace").strip()
        return base_sha if base.returncode == 0 and is_sha(base_sha) else None

    # -- the working tree -------------------------------------------------------------------
    def modified(self, paths: Sequence[str]) -> set[str]:
        """Those of the tracked `paths` whose working tree or index differs from HEAD (a
        deleted file included)."""
        staged = self._run("diff", "--cached", "--name-only", "-z", *_NO_PROGRAMS,
                           "--end-of-options", "HEAD", "--", *paths)
        return _names(staged.stdout) | self.unstaged(paths, missing=True)

    def changed_files(self, base: str, specs: Sequence[str],
                      suffixes: tuple[str, ...] = ()) -> list[str]:
        """Files under `specs` that differ between commit `base` and the index or the working
        tree (deleted ones left out), then the untracked ones that are not ignored. With
        `suffixes`, only the working-tree files with those suffixes are read."""
        staged = self._run("diff", "--cached", "--name-only", "-z", *_NO_PROGRAMS,
                           "--diff-filter=d", "--end-of-options", base, "--", *specs)
        untracked = self._run("ls-files", "--others", "--exclude-standard", "--full-name", "-z",
                              "--", *specs)
        found = dict.fromkeys(sorted(_names(staged.stdout) | self.unstaged(specs, suffixes)))
        found.update(dict.fromkeys(sorted(_names(untracked.stdout))))
        return list(found)

    def unstaged(self, specs: Sequence[str], suffixes: tuple[str, ...] = (), *,
                 missing: bool = False) -> set[str]:
        """Tracked files under `specs` whose working-tree bytes differ from the index. git is
        not asked to compare them (it would run the repository's clean filters): each file's
        bytes are hashed as they are, by one `git hash-object --no-filters --stdin-paths`.
        Anything that is not a regular file in both counts as differing without being read
        (a FIFO would block, a device never end); a conflict differs; a file absent from the
        working tree counts only with `missing`."""
        import stat

        listed = self._run("ls-files", "--stage", "--full-name", "-z", "--", *specs)
        differ: set[str] = set()
        to_hash: list[tuple[str, str]] = []
        for entry in listed.stdout.split(b"\0"):
            meta, _, raw_name = entry.partition(b"\t")
            parts = meta.decode("ascii", "replace").split(" ")
            name = os.fsdecode(raw_name)
            if len(parts) != 3 or not name or not name.lower().endswith(suffixes or ("",)):
                continue
            mode, sha, stage = parts
            try:
                found = os.lstat(self.top / name)
            except FileNotFoundError:
                if missing:
                    differ.add(name)
                continue
            except OSError:
                differ.add(name)
                continue
            if (stage != "0" or mode not in ("100644", "100755") or "\n" in name
                    or not stat.S_ISREG(found.st_mode)):
                differ.add(name)
            else:
                to_hash.append((name, sha))
        if to_hash:
            request = b"".join(os.fsencode(name) + b"\n" for name, _ in to_hash)
            hashed = self._run("hash-object", "--no-filters", "--stdin-paths", stdin=request)
            now = hashed.stdout.decode("ascii", "replace").split()
            if len(now) != len(to_hash):
                raise HistoryError("unexpected output from git hash-object")
            differ.update(name for (name, sha), new in zip(to_hash, now, strict=True)
                          if new != sha)
        return differ

    # -- objects ----------------------------------------------------------------------------
    def blobs_at(self, commit: str, paths: Sequence[str]) -> dict[str, str] | Damaged:
        """Blob SHAs of those of `paths` that are files at `commit`, read from its tree (so an
        unreadable blob is told apart from an absent file). One git call."""
        completed = self._run("ls-tree", "-z", "--full-tree", "--end-of-options", commit, "--",
                              *paths, ok=range(0, 256))
        if completed.returncode != 0:
            return Damaged(commit)
        found: dict[str, str] = {}
        for entry in completed.stdout.split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            parts = meta.decode("ascii", "replace").split(" ")
            if len(parts) == 3 and parts[1] == "blob" and parts[0] in ("100644", "100755"):
                found[os.fsdecode(name)] = parts[2]
        return found

    def sizes(self, names: Sequence[str]) -> dict[str, int]:
        """Sizes in bytes of the blobs named by SHA (absent: missing or not a blob), from one
        `git cat-file --batch-check`, so that an oversized version need not be read."""
        if not names or any(not is_sha(name) for name in names):
            return {}
        request = b"".join(n.encode("ascii") + b"\n" for n in dict.fromkeys(names))
        checked = self._run("cat-file", "--batch-check", stdin=request, ok=range(0, 256))
        found: dict[str, int] = {}
        for line in checked.stdout.decode("ascii", "replace").splitlines():
            parts = line.split(" ")
            if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit():
                found[parts[0]] = int(parts[2])
        return found

    def read(self, names: Sequence[str]) -> dict[str, bytes | Damaged]:
        """Blob contents by SHA, all through one `git cat-file --batch` (another only after an
        object that makes git stop). A missing, corrupt or non-blob object is `Damaged`."""
        if not names:
            return {}
        if any(not is_sha(name) for name in names):
            raise HistoryError("internal: only object SHAs are read")
        found: dict[str, bytes | Damaged] = {}
        pending = list(dict.fromkeys(names))
        while pending:
            request = b"".join(n.encode("utf-8", "surrogateescape") + b"\n" for n in pending)
            completed = self._run("cat-file", "--batch", stdin=request, ok=range(0, 256))
            served = _parse_batch(completed.stdout, pending, self.hash_name)
            found.update(served)
            if len(served) == len(pending):
                break
            # git stopped at the next object (it could not stream it): mark it, go on after it
            stuck = pending[len(served)]
            found[stuck] = Damaged(stuck)
            pending = pending[len(served) + 1:]
        return found

    # -- configuration (rmp git-setup) ------------------------------------------------------
    def local_config(self, key: str) -> str | None:
        """The value of `key` in the repository's own config (.git/config), or None."""
        current = self._run("config", "--local", "--get", "--end-of-options", key, ok=(0, 1))
        return current.stdout.decode("utf-8", "replace").strip() if current.returncode == 0 else None

    def set_local_config(self, key: str, value: str) -> None:
        self._run("config", "--local", "--end-of-options", key, value)


def _names(output: bytes) -> set[str]:
    """The file names of a `-z` name list."""
    return {os.fsdecode(raw) for raw in output.split(b"\0") if raw}


def _parse_batch(output: bytes, names: Sequence[str], hash_name: str,
                 ) -> dict[str, bytes | Damaged]:
    served: dict[str, bytes | Damaged] = {}
    at = 0
    for name in names:
        end = output.find(b"\n", at)
        if end < 0:
            break
        header = output[at:end].decode("utf-8", "surrogateescape").split(" ")
        at = end + 1
        if header[-1] in ("missing", "ambiguous"):  # named by a tree, so: damaged
            served[name] = Damaged(name)
            continue
        if len(header) != 3 or not header[2].isdigit():
            break
        sha, kind, size = header[0], header[1], int(header[2])
        if at + size + 1 > len(output):
            break  # git died while streaming it
        content = output[at:at + size]
        at += size + 1
        if kind != "blob":
            served[name] = Damaged(name)
            continue
        digest = hashlib.new(hash_name if hash_name in ("sha1", "sha256") else "sha1")
        digest.update(b"blob %d\0" % size)
        digest.update(content)
        served[name] = content if digest.hexdigest() == sha else Damaged(name)
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
        if not is_sha(sha):
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
