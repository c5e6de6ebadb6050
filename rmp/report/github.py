"""GitHub Actions workflow commands (`::error file=...::message`), one per finding.

Everything interpolated is escaped as the runner expects (`%`, CR and LF in the message; also
`:` and `,` in properties), so no text can end the annotation and start another command."""

from __future__ import annotations

from rmp.findings import Severity
from rmp.report.base import Report, relative_uri

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for file in report.results:
        for finding in file.findings:
            if finding.waived:
                continue
            properties = ",".join([
                f"file={escape_property(relative_uri(finding.path))}",
                f"line={finding.line}",
                f"col={finding.column}",
                f"title={escape_property(finding.code)}",
            ])
            criteria = f" [HF36 {', '.join(finding.criteria)}]" if finding.criteria else ""
            message = f"{finding.code} {finding.message}{criteria} ({finding.pointer or '/'})"
            lines.append(f"::{_COMMAND[finding.severity]} {properties}::{escape_data(message)}")
    counts = report.counts()
    lines.append(
        f"rmp: {len(report.results)} files checked: {counts['error']} errors, "
        f"{counts['warning']} warnings, {counts['info']} info, {report.waived} waived"
    )
    return "\n".join(lines) + "\n"
