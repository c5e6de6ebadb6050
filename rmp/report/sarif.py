"""SARIF 2.1.0 for code-scanning tools: every rule with its help text and HF36 criteria,
results with rule IDs, relative paths and regions. No snippets and no values: a result's
message is the finding's own (built from paths and IDs), and waived findings carry an
external suppression without the waiver's text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rmp import __version__
from rmp.findings import Severity
from rmp.report.base import Report, relative_uri
from rmp.rules.catalogue import ALL_RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(rule_index: int) -> dict[str, Any]:
    rule = ALL_RULES[rule_index]
    criteria = ", ".join(rule.criteria) or "none"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} (HF36 {criteria})"},
        "help": {"text": rule.doc},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"hf36": list(rule.criteria), "tags": ["HF36", *rule.criteria]},
    }


def render(report: Report) -> str:
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    results: list[dict[str, Any]] = []
    for file in report.results:
        for finding in file.findings:
            result: dict[str, Any] = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": relative_uri(finding.path), "uriBaseId": "SRCROOT"},
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": finding.pointer or "/",
                                          "kind": "object"}],
                }],
                "properties": {"items": list(finding.items), "hf36": list(finding.criteria)},
            }
            if finding.waived:
                result["suppressions"] = [{"kind": "external", "status": "accepted"}]
            results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rmp",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule(i) for i in range(len(ALL_RULES))],
            }},
            "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
            "results": results,
            "properties": {"today": report.today.isoformat()},
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
