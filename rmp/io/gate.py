"""The gate: the one way any command gets a plan. bytes -> strict YAML -> format -> schema.

A plan that passes has `document` set and no findings; anything else comes back as findings
for that file (never an exception), so check, status, criteria, render, diff and log all
refuse the same files for the same reasons, with the same messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from rmp.findings import Finding, Severity
from rmp.io.load import MAX_BYTES, Document, LoadProblem, load_bytes

PLAN_FORMAT = "rmp/1"
POLICY_FORMAT = "rmp-policy/1"

Kind = Literal["plan", "policy", "unknown"]

# The HF36 criteria of the reading rules, written here so that the gate needs no rule table
# (tests/test_architecture.py holds them equal to the registry's).
LOAD_CRITERIA: dict[str, tuple[str, ...]] = {
    "RMP001": ("P17",), "RMP002": ("P17",), "RMP003": ("P17",), "RMP004": ("P17",),
    "RMP005": ("P17",),
}


@dataclass(frozen=True, slots=True)
class Gated:
    """What the gate made of one file."""

    shown: str
    """The path as messages show it."""
    kind: Kind
    document: Document | None
    """The parsed document; set whenever the file parsed, whatever the schema says."""
    findings: tuple[Finding, ...] = ()
    """Reading, format and schema findings (empty when the plan passed)."""

    @property
    def passed(self) -> bool:
        """A schema-valid plan that every later stage may trust."""
        return self.kind == "plan" and self.document is not None and not self.findings


def load_finding(shown: str, problem: LoadProblem) -> Finding:
    """A reading problem as a finding of its RMP0xx rule."""
    return Finding(
        code=problem.code, severity=Severity.ERROR, path=shown, line=problem.line,
        column=problem.column, pointer=problem.pointer, message=problem.message,
        criteria=LOAD_CRITERIA.get(problem.code, ("P17",)),
    )


def read_file(path: Path) -> bytes | str:
    """The bytes of a regular file, or the reason it cannot be read. Reads at most the size
    cap and one byte more, so a huge file or a device is refused without being read whole."""
    import os
    import stat

    try:
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(path, flags)
    except OSError as exc:
        return exc.strerror or "unreadable"
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return "not a regular file"
        chunks: list[bytes] = []
        remaining = MAX_BYTES + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return exc.strerror or "unreadable"
    finally:
        os.close(descriptor)


def read_stream(stream: BinaryIO) -> bytes:
    """A plan from a stream (standard input for `rmp check -`), read only up to the size cap
    and one byte more, as `read_file` reads a file."""
    chunks: list[bytes] = []
    remaining = MAX_BYTES + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def unreadable(shown: str, reason: str, what: str = "file") -> Finding:
    """The RMP001 finding of a file, or a folder of a walk, that cannot be read."""
    return Finding("RMP001", Severity.ERROR, shown, 1, 1, "",
                   f"cannot read the {what} ({reason})", criteria=LOAD_CRITERIA["RMP001"])


def gate_bytes(shown: str, raw: bytes, *, schema: bool = True) -> Gated:
    """Pass one file's bytes through the gate. `schema=False` stops after the format check
    (for callers that only need to know what kind of file it is)."""
    from rmp.io.schema import schema_findings

    document, problems = load_bytes(shown, raw)
    if document is None or problems:
        return Gated(shown, "unknown", document,
                     tuple(load_finding(shown, p) for p in problems))
    data = document.data
    fmt = data.get("format") if isinstance(data, dict) else None
    if fmt == POLICY_FORMAT:
        return Gated(shown, "policy", document,
                     tuple(schema_findings(document, "policy")) if schema else ())
    if fmt != PLAN_FORMAT:
        if isinstance(data, dict) and "format" in data:
            line, column = document.locate(("format",))
            message = f"`format` is not a supported version (this rmp reads {PLAN_FORMAT})"
        else:
            line, column = 1, 1
            message = f"no `format` key: a plan starts with `format: {PLAN_FORMAT}`"
        problem = LoadProblem("RMP005", line, column, message, "/format")
        return Gated(shown, "unknown", document, (load_finding(shown, problem),))
    if not schema:
        return Gated(shown, "plan", document)
    return Gated(shown, "plan", document, tuple(schema_findings(document, "plan")))


def read_plan(path: Path, shown: str | None = None) -> Gated:
    """Read one file from disk and pass it through the gate."""
    shown = str(path) if shown is None else shown
    raw = read_file(path)
    if isinstance(raw, str):
        return Gated(shown, "unknown", None, (unreadable(shown, raw),))
    return gate_bytes(shown, raw)
