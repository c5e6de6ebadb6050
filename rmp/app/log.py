"""`rmp log` as a job: the options in, an `Outcome` out.

Exit codes of `rmp log`: 0 every listed version passed the gate; 1 when a version fails it or
git cannot read it (reported on its entry and on stderr as `file@commit:line:column: CODE
message`, never a value; the rest of the log goes on); 2 for a usage error or a shallow clone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rmp.app.common import Outcome
from rmp.app.diff import problem_line
from rmp.errors import ExitCode, UsageError


@dataclass(frozen=True)
class LogRequest:
    """The options of `rmp log`, parsed."""

    plan: Path
    since: date | None = None
    until: date | None = None
    output_format: str = "text"
    """A key of `rmp.diff.formats.LOG_RENDERERS`: text or json."""
    values: bool = True
    color: bool = False


def run_log(request: LogRequest) -> Outcome:
    """The plan's versions, newest first, each compared with the one before."""
    from rmp.diff.formats import LOG_RENDERERS
    from rmp.history.log import plan_log

    if request.output_format not in LOG_RENDERERS:
        raise UsageError(f"--format must be one of: {', '.join(LOG_RENDERERS)}")
    history = plan_log(request.plan, request.since, request.until)
    if not request.values:  # no values, and no extension key's name either
        from dataclasses import replace

        history = replace(history, entries=tuple(
            replace(e, changes=tuple(c.without_values() for c in e.changes))
            for e in history.entries))
    text = LOG_RENDERERS[request.output_format](
        history, request.values, request.color and request.output_format == "text")
    diagnostics: list[str] = []
    for index, entry in enumerate(history.entries):
        oldest = index == len(history.entries) - 1
        for problem in entry.problems:
            # a broken version is reported once, on its own entry; the one before the oldest
            # entry listed has no entry of its own
            if problem.version != "previous" or oldest:
                diagnostics.append(problem_line(problem))
    return Outcome(stdout=text, stderr=diagnostics,
                   exit_code=ExitCode.CLEAN if history.complete else ExitCode.FINDINGS)
