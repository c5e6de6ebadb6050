"""`rmp git-setup`: make `git diff` and `git log -p` show plans semantically, through a diff
driver (`diff=rmp` in .gitattributes, `diff.rmp.textconv` in the local git config) that runs
`rmp diff --textconv` on each version (see `rmp.diff.textconv`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rmp.errors import RefusedError, UsageError
from rmp.history.git import Repo

DRIVER = "rmp"
"""Name of the diff driver `rmp git-setup` configures (`diff=rmp`)."""
_PATTERN = re.compile(r"[^\s#!\"\\][^\s\"\\]*\Z")


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
    existing = repo.local_config(key)
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
        repo.set_local_config(key, wanted)
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
