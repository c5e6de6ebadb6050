"""SARIF 2.1.0 for code-scanning tools: every rule with its help text and HF36 criteria,
results with rule IDs, paths and regions. No snippets and no values: a result's message is the
finding's own (built from paths and IDs), and waived findings carry an external suppression
without the waiver's text.

Shaped the way GitHub code scanning reads it: artifact URIs are percent-encoded and relative to
the repository root (`uriBaseId` SRCROOT, which `originalUriBaseIds` resolves), and a file
outside the repository gets an absolute `file:` URI and no `uriBaseId`; each result has a
`partialFingerprints` entry built from the plan ID, the item IDs and the rule code, so an alert
keeps its identity when an edit moves it to another line; each rule has a `helpUri`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from rmp import __version__
from rmp.findings import FileResult, Finding, Severity
from rmp.report.base import Report
from rmp.rules.catalogue import ALL_RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_HELP_URI = f"https://github.com/YOUR-ORG/rmp/blob/v{__version__}/docs/rules.md"
"""Every rule's `helpUri`: the rule reference (docs/rules.md) of this release. YOUR-ORG/rmp
stands for wherever the organisation keeps rmp, as in docs/ci; change it there when forking."""
FINGERPRINT = "rmpFinding/v1"
"""The `partialFingerprints` key; bump the version if what goes into the hash changes."""
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def repository_root(start: Path) -> Path:
    """The work tree holding `start` (the nearest folder with a `.git` entry), else `start`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def artifact_location(path: str, root: Path) -> dict[str, str]:
    """A file as SARIF's `artifactLocation`: percent-encoded, relative to the repository root
    with `uriBaseId`, or an absolute file URI (and no `uriBaseId`) outside it."""
    absolute = Path(os.path.abspath(path))
    try:
        inside = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(inside.as_posix(), safe="/"), "uriBaseId": "SRCROOT"}


def fingerprint(file: FileResult, finding: Finding, uri: str) -> str:
    """The same plan, items and rule give the same value wherever the lines move. A finding
    that names no item is told apart by its JSON Pointer; a file stopped at the gate (no plan
    ID read) by its path. A hash, so no ID appears in it."""
    where = ",".join(finding.items) or finding.pointer
    key = "\0".join((file.plan_id or f"path:{uri}", finding.code, where))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _rule(rule_index: int) -> dict[str, Any]:
    rule = ALL_RULES[rule_index]
    criteria = ", ".join(rule.criteria) or "none"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} (HF36 {criteria})"},
        "help": {"text": rule.doc},
        "helpUri": RULES_HELP_URI,
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"hf36": list(rule.criteria), "tags": ["HF36", *rule.criteria]},
    }


def render(report: Report) -> str:
    index = {rule.code: i for i, rule in enumerate(ALL_RULES)}
    root = repository_root(Path.cwd())
    results: list[dict[str, Any]] = []
    for file in report.results:
        location = artifact_location(file.path, root)
        for finding in file.findings:
            result: dict[str, Any] = {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(finding.path, root),
                        "region": {"startLine": finding.line, "startColumn": finding.column},
                    },
                    "logicalLocations": [{"fullyQualifiedName": finding.pointer or "/",
                                          "kind": "object"}],
                }],
                "partialFingerprints": {FINGERPRINT: fingerprint(file, finding,
                                                                 location["uri"])},
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
            "originalUriBaseIds": {"SRCROOT": {"uri": root.as_uri().rstrip("/") + "/"}},
            "results": results,
            "properties": {"today": report.today.isoformat()},
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
