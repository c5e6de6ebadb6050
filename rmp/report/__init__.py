"""Reporters: each turns a finished check run into a string. Chosen by name from one dict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from rmp.findings import FileResult, Severity


class OutputFormat(str, Enum):
    """`--format` choices of `rmp check`."""

    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True)
class Report:
    """What every reporter receives."""

    results: list[FileResult]
    today: date
    fail_on: Severity
    elapsed: float
    color: bool = False

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for result in self.results:
            for finding in result.findings:
                if not finding.waived:
                    counts[finding.severity.value] += 1
        return counts

    @property
    def waived(self) -> int:
        return sum(f.waived for r in self.results for f in r.findings)


def render(report: Report, output_format: OutputFormat) -> str:
    from rmp.report import json_report, text

    formatters: dict[OutputFormat, Callable[[Report], str]] = {
        OutputFormat.TEXT: text.render,
        OutputFormat.JSON: json_report.render,
    }
    return formatters[output_format](report)
