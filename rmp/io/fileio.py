"""Writing rmp's own output files safely: whole or not at all, and never onto a plan.

A report or pack is written to a temporary file in the target's folder, flushed to disk, given
the mode of the file it replaces (or 0600 for a new one: outputs can hold case data), then moved
into place with `os.replace`. A crash leaves the old file byte-identical and no temporary file.
rmp refuses to write onto a YAML file or any file it was asked to read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rmp.errors import RefusedError

PROTECTED_SUFFIXES = (".yaml", ".yml")


def write_output(target: Path, text: str, inputs: Iterable[Path] = ()) -> None:
    """Atomically write `text` to `target`, refusing plan files and the run's inputs."""
    if target.suffix.lower() in PROTECTED_SUFFIXES:
        raise RefusedError(f"{target}: refusing to write output onto a YAML file (a plan?)")
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        raise RefusedError(f"{target}: refusing to overwrite a file this command reads")
    folder = resolved.parent
    if not folder.is_dir():
        raise RefusedError(f"{target}: the folder does not exist")
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise RefusedError(f"{target}: not a regular file; refusing to replace it")
    replace_atomically(resolved, text.encode("utf-8"), new_mode=0o600)


def replace_atomically(target: Path, content: bytes, *, new_mode: int) -> None:
    """Write `content` to `target` whole or not at all: a temporary file in the same folder,
    flushed to disk, given the mode of the file it replaces (`new_mode` for a new file), then
    renamed over it. On any failure the old file is untouched and no temporary file is left."""
    mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else new_mode
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        raise RefusedError(f"{target}: cannot write ({exc.strerror})") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def create_new(target: Path, text: str, command: str) -> None:
    """Create `target` with `text` (mode 0600), refusing if anything already has that name:
    written whole to a private temporary file in the folder, then linked into place (`link(2)`
    fails on any existing name, a symbolic link included)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise RefusedError(f"{folder}: no such folder")
    if os.path.lexists(target):
        raise RefusedError(f"{target}: already exists; {command} never overwrites a file")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".rmp-new-", suffix=".tmp")
    except OSError as exc:
        raise RefusedError(f"{target}: cannot create the file ({exc.strerror})") from None
    try:
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o600)
        except OSError as exc:
            # a full disk or a quota: nothing is left under the target's name
            raise RefusedError(f"{target}: cannot write the file ({exc.strerror})") from None
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise RefusedError(
                f"{target}: already exists; {command} never overwrites a file"
            ) from None
        except OSError as exc:
            raise RefusedError(f"{target}: cannot create the file ({exc.strerror})") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
