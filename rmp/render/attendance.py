"""Who attends a meeting: `rmp render --attendees FILE`, read strictly, for the front of a pack.

The file is the user's own (names, roles and agencies as written), read through the one strict
loader (`rmp.io.load`: size cap, no aliases or tags, duplicate keys refused) and checked against
`schemas/attendees.schema.json`. A bad file stops the run before anything is rendered or
written: exit 2 with `file:line:col: CODE message` for each problem, never a traceback and
never a value from the file.

    # FICTIONAL example
    format: rmp-attendees/1          # optional
    attendees:
      - {name: Alex Sample, role: Chair, agency: Exampleton Probation}
      - {name: Jo Example, role: Detective Sergeant, agency: Exampleton Police, present: false}
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rmp.errors import UsageError


@dataclass(frozen=True)
class Attendee:
    """One person invited to the meeting; `present` False: sent apologies."""

    name: str
    role: str | None = None
    agency: str | None = None
    present: bool = True


def load_attendees(path: Path) -> tuple[Attendee, ...]:
    """The attendees of an `--attendees` file, in file order. Raises UsageError (exit 2)
    naming every problem by file:line:col and code."""
    from rmp.io.gate import read_file
    from rmp.io.load import load_bytes
    from rmp.io.schema import schema_findings

    shown = str(path)
    raw = read_file(path)
    if isinstance(raw, str):
        raise UsageError(f"{shown}: cannot read the --attendees file ({raw})")
    document, problems = load_bytes(shown, raw)
    lines = [f"{shown}:{p.line}:{p.column}: {p.code} {p.message}" for p in problems]
    if document is not None and not lines:
        if not isinstance(document.data, dict):
            lines.append(f"{shown}:1:1: RMP101 an --attendees file is a mapping with an "
                         "`attendees:` list")
        else:
            lines += [f"{shown}:{f.line}:{f.column}: {f.code} {f.message}"
                      for f in schema_findings(document, "attendees")]
    if lines or document is None:
        # one line: the error printer shows a line break as `?` (a file name could hold one)
        raise UsageError("the --attendees file is not valid: " + "; ".join(lines))
    return tuple(
        Attendee(name=entry["name"], role=entry.get("role"), agency=entry.get("agency"),
                 present=entry.get("present", True))
        for entry in document.data["attendees"])
