"""The check reporters, chosen by name from one dict."""

from __future__ import annotations

from collections.abc import Callable

from rmp.report import github, json_report, junit, sarif, text
from rmp.report.base import OutputFormat, Report

FORMATTERS: dict[OutputFormat, Callable[[Report], str]] = {
    OutputFormat.TEXT: text.render,
    OutputFormat.JSON: json_report.render,
    OutputFormat.SARIF: sarif.render,
    OutputFormat.GITHUB: github.render,
    OutputFormat.JUNIT: junit.render,
}


def render(report: Report, output_format: OutputFormat) -> str:
    """The report in one format."""
    return FORMATTERS[output_format](report)
