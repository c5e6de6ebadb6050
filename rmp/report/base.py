"""What every check reporter receives (`Report`), the `--format` choices, and paths as CI
consumers expect them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from rmp.findings import FileResult, Severity


class OutputFormat(str, Enum):
    """`--format` choices of `rmp check`."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    JUNIT = "junit"


@dataclass(frozen=True)
class Report:
    """What every reporter receives."""

    results: list[FileResult]
    today: date
    fail_on: Severity
    elapsed: float
    color: bool = False
    show_waived: bool = False
    statistics: bool = False

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for result in self.results:
            for finding in result.findings:
                if not finding.waived:
                    counts[finding.severity.value] += 1
        return counts

    def by_rule(self) -> dict[str, int]:
        """Unwaived findings per rule code, for `--statistics`."""
        counts: dict[str, int] = {}
        for result in self.results:
            for finding in result.findings:
                if not finding.waived:
                    counts[finding.code] = counts.get(finding.code, 0) + 1
        return dict(sorted(counts.items()))

    @property
    def waived(self) -> int:
        return sum(f.waived for r in self.results for f in r.findings)


def relative_uri(path: str) -> str:
    """A path relative to the working folder with forward slashes, as SARIF and CI
    annotations expect; a file outside the working folder keeps its absolute file URI."""
    import os
    from pathlib import Path

    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    return os.path.normpath(candidate).replace(os.sep, "/")
