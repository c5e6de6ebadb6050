"""Waivers: rules knowingly not met for a case, recorded with reason, approver and expiry.

A waiver stands in the plan's own `waivers:` list (the record a reviewer reads) or in the
policy's, naming the plan by `plan.id`. It marks matching findings as waived; they are still
reported (counted in the summary, shown with `--show-waived`, always in JSON and SARIF), never
silently dropped. RMP505 reports a waiver that is expired, lacks its reason, approver or expiry,
names a rule the policy makes unwaivable, or matches nothing among the rules that ran. A waiver
that is not valid waives nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from rmp.findings import Finding, Severity
from rmp.model.paths import parse_date

CODE = "RMP505"


@dataclass(frozen=True)
class Waiver:
    """One waiver and where it is written."""

    rule: str
    item: str | None
    reason: str | None
    approved_by: str | None
    until: str | None
    path: str
    """The file holding it (the plan, or the policy file)."""
    line: int
    column: int
    pointer: str

    def problems(
        self, today: date, unwaivable: set[str], known: set[str], fixed: frozenset[str]
    ) -> list[str]:
        """Why this waiver cannot be used (empty when it can). `fixed`: the reading and schema
        rules, which no waiver may silence."""
        found = []
        if self.rule not in known:
            return ["names no rule of this rmp (see `rmp rules`)"]
        missing = [name for name, value in (
            ("reason", self.reason), ("approved_by", self.approved_by), ("until", self.until)
        ) if not (isinstance(value, str) and value.strip())]
        if missing:
            found.append(f"lacks {', '.join(missing)}")
        expiry = parse_date(self.until)
        if self.until and expiry is None:
            found.append("has an expiry that is not a date")
        if expiry is not None and expiry < today:
            found.append(f"expired {(today - expiry).days} day(s) ago")
        if self.rule in unwaivable or self.rule == CODE or self.rule in fixed:
            found.append(f"names {self.rule}, which cannot be waived")
        return found


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else (str(value) if value is not None else None)


def from_entries(
    entries: Any, path: str, positions: list[tuple[int, int]], base: str
) -> list[Waiver]:
    """Waivers from a `waivers:` list, with the position of each entry."""
    waivers = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        line, column = positions[index] if index < len(positions) else (1, 1)
        waivers.append(from_entry(entry, path, line, column, f"{base}/{index}"))
    return waivers


def from_entry(entry: Mapping[str, Any], path: str, line: int, column: int, pointer: str) -> Waiver:
    """One waiver from its entry as written, and where the entry is."""
    return Waiver(
        rule=str(entry.get("rule", "")),
        item=_text(entry.get("item")),
        reason=_text(entry.get("reason")),
        approved_by=_text(entry.get("approved_by")),
        until=_text(entry.get("until")),
        path=path, line=line, column=column, pointer=pointer,
    )


def apply(
    findings: list[Finding],
    waivers: list[Waiver],
    *,
    today: date,
    unwaivable: set[str],
    known: set[str],
    fixed: frozenset[str],
    ran: set[str],
    severity: Severity | None,
    criteria: tuple[str, ...],
    item_ids: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Mark findings covered by a valid waiver, and add RMP505 for each waiver that is not
    valid or matches nothing among the rules that ran. `severity` None: RMP505 is off.
    A waiver's `item` is printed only when it is one of `item_ids` (the plan's items): one that
    names nothing may hold anything the ID pattern lets through."""
    result = list(findings)
    problems: list[Finding] = []
    for waiver in waivers:
        reasons = waiver.problems(today, unwaivable, known, fixed)
        used = False
        if not reasons:
            for index, finding in enumerate(result):
                if finding.code != waiver.rule or finding.waived:
                    continue
                if waiver.item is not None and waiver.item not in finding.items:
                    continue
                result[index] = replace(finding, waived=True)
                used = True
            if not used and waiver.rule in ran:
                target = ""
                if waiver.item:
                    target = (f" for item {waiver.item}" if waiver.item in item_ids
                              else " for the item it names (no item of this plan)")
                reasons.append(f"matches no {waiver.rule} finding{target}: remove it")
        if reasons and severity is not None:
            problems.append(Finding(
                code=CODE, severity=severity, path=waiver.path, line=waiver.line,
                column=waiver.column, pointer=waiver.pointer,
                message=f"waiver of {waiver.rule} " + "; ".join(reasons),
                items=(waiver.item,) if waiver.item in item_ids else (), criteria=criteria,
            ))
    return result + problems
