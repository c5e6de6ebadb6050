"""The check reporters, chosen by name from one table; only the one asked for is imported."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from rmp.report.base import OutputFormat, Report

MODULES: dict[OutputFormat, str] = {
    OutputFormat.TEXT: "rmp.report.text",
    OutputFormat.JSON: "rmp.report.json_report",
    OutputFormat.SARIF: "rmp.report.sarif",
    OutputFormat.GITHUB: "rmp.report.github",
    OutputFormat.JUNIT: "rmp.report.junit",
}


def render(report: Report, output_format: OutputFormat) -> str:
    """The report in one format."""
    module = importlib.import_module(MODULES[output_format])
    return cast(Callable[[Report], str], module.render)(report)
