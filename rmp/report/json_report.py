"""JSON report in the shared envelope (`kind: check`, `schema_version` 1). Deterministic:
no elapsed time, files and findings in a stable order. Keys are documented in README.md
("JSON output") and never renamed within a schema version."""

from __future__ import annotations

from typing import Any

from rmp.findings import Finding, fails
from rmp.output.envelope import dumps
from rmp.report.base import Report


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "line": finding.line,
        "column": finding.column,
        "pointer": finding.pointer,
        "items": list(finding.items),
        "criteria": list(finding.criteria),
        "message": finding.message,
        "waived": finding.waived,
    }


def render(report: Report) -> str:
    files = [
        {
            "path": result.path,
            "kind": result.kind,
            "rules_skipped": result.rules_skipped,
            "findings": [finding_dict(f) for f in result.findings],
        }
        for result in report.results
    ]
    all_findings = [f for r in report.results for f in r.findings]
    return dumps("check", {
        "today": report.today.isoformat(),
        "files": files,
        "summary": {
            "files": len(report.results),
            "findings": report.counts(),
            "waived": report.waived,
            "by_rule": report.by_rule(),
            "fail_on": report.fail_on.value,
            "failed": fails(all_findings, report.fail_on),
        },
    })
