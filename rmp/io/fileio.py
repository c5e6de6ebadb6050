"""Writing rmp's own output files safely: whole or not at all, and never onto a plan.

A report or pack is written to a temporary file in the target's folder, flushed to disk, given
the mode of the file it replaces (or 0600 for a new one: outputs can hold case data), then moved
into place with `os.replace`. A crash leaves the old file byte-identical and no temporary file;
a `kill -9` may leave one, which the next write to the same target removes.
rmp refuses to write onto a YAML or template file, any file it was asked to read, or anywhere
inside a `.git` folder (a repository's config, hooks and objects).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rmp.errors import RefusedError

PROTECTED_SUFFIXES = (".yaml", ".yml", ".j2")
"""Plans, policies and templates: never the target of a report or a pack."""


def write_output(target: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Atomically write `text` to `target`, refusing plan files and the run's inputs."""
    write_output_stream(target, (text,), inputs)


def write_output_stream(
    target: Path, chunks: Iterable[str], inputs: Iterable[Path] = ()
) -> None:
    """`write_output` for text made piece by piece (a large pack): the same refusals, made
    before the first piece is asked for; the pieces go, UTF-8 encoded, into the temporary
    file as they come, which replaces `target` only once the last one is written. An error
    raised while making them (a template error) leaves `target` untouched and no temporary
    file."""
    resolved = _writable(target, inputs)
    replace_atomically(resolved, (chunk.encode("utf-8") for chunk in chunks), new_mode=0o600)


def _writable(target: Path, inputs: Iterable[Path]) -> Path:
    """`target`, resolved, when rmp may write its output there; else a refusal."""
    if target.suffix.lower() in PROTECTED_SUFFIXES:
        raise RefusedError(f"{target}: refusing to write output onto a plan, policy or template "
                           "file")
    resolved = target.resolve()
    if any(part.casefold() == ".git" for part in (*Path(os.path.abspath(target)).parts,
                                                  *resolved.parts)):
        raise RefusedError(f"{target}: refusing to write output inside a .git folder")
    if any(resolved == Path(p).resolve() for p in inputs):
        raise RefusedError(f"{target}: refusing to overwrite a file this command reads")
    folder = resolved.parent
    if not folder.is_dir():
        raise RefusedError(f"{target}: the folder does not exist")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise RefusedError(f"{target}: not a regular file; refusing to replace it")
    return resolved


def same_content(target: Path, chunks: Iterable[str]) -> bool | None:
    """Whether the file `target` holds the text of `chunks`, compared piece by piece without
    holding either whole; None when there is no such regular file. The file is read as text
    (UTF-8, undecodable bytes replaced, any line ending read as a newline). Every chunk is
    asked for even after a difference, so an error making them is raised all the same."""
    if not target.is_file():
        for _ in chunks:
            pass
        return None
    try:
        with open(target, encoding="utf-8", errors="replace") as stream:
            same = True
            for chunk in chunks:
                if same:
                    same = stream.read(len(chunk)) == chunk
            return same and stream.read(1) == ""
    except OSError as exc:
        raise RefusedError(f"{target}: cannot read it to compare ({exc.strerror})") from None


STALE_AFTER = 3600
"""Seconds after which a temporary file of rmp's naming is left over from a killed run, not one
that another rmp is still writing."""


_LISTED: dict[Path, list[str]] = {}


def remove_stale_temporaries(target: Path) -> None:
    """Remove what a killed run (`kill -9` between creating its temporary file and renaming it)
    left next to `target`: regular files named as `replace_atomically` names them
    (`.NAME.XXXXXXXX.tmp`), older than `STALE_AFTER`. Anything else is left alone."""
    import re
    import time

    pattern = re.compile(re.escape(f".{target.name}.") + r"[a-z0-9_]{8}\.tmp")
    names = _LISTED.get(target.parent)
    if names is None:  # listed once per folder and run: a render of many packs stays linear
        try:
            names = _LISTED[target.parent] = [n for n in os.listdir(target.parent)
                                              if n.endswith(".tmp")]
        except OSError:
            return
    for name in names:
        if not pattern.fullmatch(name):
            continue
        leftover = target.parent / name
        try:
            found = os.lstat(leftover)
            if stat.S_ISREG(found.st_mode) and time.time() - found.st_mtime > STALE_AFTER:
                os.unlink(leftover)
        except OSError:
            continue


def replace_atomically(
    target: Path, content: bytes | Iterable[bytes], *, new_mode: int
) -> None:
    """Write `content` (bytes, or pieces of it written as they come) to `target` whole or not
    at all: a temporary file in the same folder, flushed to disk, given the mode of the file it
    replaces (`new_mode` for a new file), then renamed over it. On any failure, an exception
    raised while the pieces are made included, the old file is untouched and no temporary file
    is left."""
    remove_stale_temporaries(target)
    try:
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else new_mode
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                             suffix=".tmp")
    except OSError as exc:
        raise RefusedError(f"{target}: cannot write ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            for piece in (content,) if isinstance(content, bytes) else content:
                stream.write(piece)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        raise RefusedError(f"{target}: cannot write ({exc.strerror})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def create_new(target: Path, content: bytes, *, mode: int = 0o600) -> bool:
    """Create `target` with `content`, whole or not at all, never replacing anything: the
    content goes to a private temporary file in the folder that is then hard-linked to the
    name, and `link(2)` fails if anything (a file, a symbolic link) already has it. False
    when the name was taken; a missing folder, a full disk or a quota is a refusal, and no
    temporary file is left behind."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RefusedError(f"{folder}: no such folder")
    if os.path.lexists(target):
        return False
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".rmp-new-", suffix=".tmp")
    except OSError as exc:
        raise RefusedError(f"{target}: cannot create the file ({exc.strerror})") from None
    try:
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.link(temporary, target)
        except FileExistsError:
            return False
        except OSError as exc:
            raise RefusedError(f"{target}: cannot write the file ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return True


def create_new_or_refuse(target: Path, text: str, command: str) -> None:
    """`create_new` for a file the user named: an existing one is a refusal (exit 2)."""
    if not create_new(target, text.encode("utf-8")):
        raise RefusedError(f"{target}: already exists; {command} never overwrites a file")
