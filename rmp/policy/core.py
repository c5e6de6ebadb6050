"""The organisation's policy (HF36 P19): built-in defaults, discovery, loading, merging.

A policy file (`rmp.yaml` or `rmp.yml`, `format: rmp-policy/1`) overrides the defaults key by
key: mappings merge recursively, lists and scalars replace. Every threshold a rule uses is read
from here, never from a constant in a rule.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmp.errors import ConfigError
from rmp.io.gate import POLICY_FORMAT

if TYPE_CHECKING:
    from rmp.io.load import Document

POLICY_NAMES = ("rmp.yaml", "rmp.yml")

# Paths every audience may see: the plan's identity and what it is for.
_CORE = ["format", "plan.id", "plan.type", "plan.status", "plan.review.next", "individual.ref"]

DEFAULTS: dict[str, Any] = {
    "format": POLICY_FORMAT,
    "strategies": [],
    "review_interval_days": {
        "rosh": {"very-high": 56, "high": 112, "medium": 182, "low": 365},
        "mappa_level": {"3": 56, "2": 112},
    },
    "signoff_from": "high",
    "concern_within_hours": 24,
    "min_contact": {"very-high": "weekly", "high": "fortnightly"},
    "evidence_max_age_days": 365,
    "required_agencies": [
        {"when": {"group": "children", "at_least": "medium"}, "agencies": ["childrens-services"]},
        {"when": {"mappa_level": [2, 3]}, "agencies": ["police"]},
        {"when": {"youth": True}, "agencies": ["youth-justice"]},
    ],
    "specialist_domains": ["sexual-interest", "mental-health", "extremism"],
    "placeholder_terms": ["tbc", "tbd", "todo", "n/a", "see oasys", "as above"],
    "rationale_min_words": 40,
    "predictor_bands": {"RSR": {"low": [0, 3], "medium": [3, 6.9], "high": [6.9, 100]}},
    "labelling_terms": ["monster", "evil", "nonce", "psycho"],
    "mappa_min_rosh": {"3": "high", "2": "high"},
    "rules": {},
    "unwaivable": [],
    "waivers": [],
    "audiences": {
        "individual": {
            "title": "The individual",
            "description": "The person the plan is about: their own plan in plain language, "
            "without victim details, third-party information or intelligence.",
            "plain_language": True,
            "confidential": False,
            "include": [
                *_CORE,
                "plan.lead",
                "plan.review.last",
                "individual.communication_needs",
                "individual.explained",
                "individual.view",
                "individual.agreement",
                "risk_factors[*].id",
                "risk_factors[*].title",
                "risk_factors[*].priority",
                "risk_factors[*].triggers",
                "risk_factors[*].warning_signs",
                "risk_factors[*].individual_agrees",
                "protective_factors[*].id",
                "protective_factors[*].title",
                "protective_factors[*].strengthen",
                "objectives",
                "actions[*].id",
                "actions[*].pillar",
                "actions[*].title",
                "actions[*].addresses",
                "actions[*].owner.agency",
                "actions[*].owner.role",
                "actions[*].start",
                "actions[*].due",
                "actions[*].frequency",
                "actions[*].measure",
                "actions[*].status",
                "agencies[*].id",
                "agencies[*].name",
                "agencies[*].role",
            ],
        },
        "agencies": {
            "title": "Partner agencies",
            "description": "Agencies working the plan: the whole plan except items marked "
            "confidential and the individual's personal details.",
            "plain_language": False,
            "confidential": False,
            "include": [
                *_CORE,
                "plan",
                "individual.ref",
                "individual.setting",
                "individual.sentence",
                "individual.communication_needs",
                "individual.responsivity",
                "individual.explained",
                "individual.view",
                "individual.agreement",
                "assessment",
                "risk_factors",
                "protective_factors",
                "controls",
                "objectives",
                "options",
                "actions",
                "scenarios",
                "contingency",
                "victims[*].id",
                "victims[*].group",
                "victims[*].potential",
                "victims[*].protected_by",
                "victims[*].vcs_eligible",
                "victims[*].vlo",
                "victims[*].marac",
                "victims[*].child_status",
                "disclosures",
                "agencies",
                "concerns",
                "rationale",
                "sharing",
            ],
        },
        "panel": {
            "title": "MAPPA panel",
            "description": "The multi-agency panel: the whole plan, confidential items included.",
            "plain_language": False,
            "confidential": True,
            "include": ["*"],
        },
    },
}


@dataclass(frozen=True)
class Policy:
    """The policy in force for a plan: the merged values, and where each top-level key came
    from (`built-in` or a file path)."""

    values: dict[str, Any]
    origin: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    """The policy file, or None when only the built-in defaults apply."""
    waiver_positions: tuple[tuple[int, int], ...] = ()
    """1-based (line, column) of each entry of the file's `waivers:` list."""

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def defaults() -> Policy:
    """The built-in policy alone."""
    values = copy.deepcopy(DEFAULTS)
    return Policy(values, {key: "built-in" for key in values}, None)


def load_policy(path: Path) -> Policy:
    """Read, validate and merge one policy file over the defaults. Raises ConfigError with
    file:line:col for every problem (a broken policy must stop the run, not be ignored)."""
    from rmp.io.load import load_bytes
    from rmp.io.schema import schema_findings

    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read the policy file ({exc.strerror})") from None
    document, problems = load_bytes(shown, raw)
    lines = [f"{shown}:{p.line}:{p.column}: {p.code} {p.message}" for p in problems]
    if document is not None and not problems:
        data = document.data
        if not isinstance(data, dict) or data.get("format") != POLICY_FORMAT:
            lines.append(f"{shown}:1:1: RMP005 a policy file needs `format: {POLICY_FORMAT}`")
        else:
            for finding in schema_findings(document, "policy"):
                lines.append(
                    f"{shown}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
                )
    if document is not None and not lines:
        lines += _unknown_codes(document, shown)
    waivers = document.data.get("waivers") if document is not None and not lines else None
    positions: list[tuple[int, int]] = []
    for index, waiver in enumerate(waivers if isinstance(waivers, list) else []):
        assert document is not None
        line, column = document.locate(("waivers", index))
        positions.append((line, column))
        if isinstance(waiver, dict) and not waiver.get("plan"):
            lines.append(f"{shown}:{line}:{column}: RMP505 a waiver in the policy file must "
                         "name the plan it is for (`plan: <plan id>`)")
    if lines:
        raise ConfigError("the policy file is not valid:\n  " + "\n  ".join(lines))
    assert document is not None
    values = _merge(copy.deepcopy(DEFAULTS), document.data)
    origin = {key: (shown if key in document.data else "built-in") for key in values}
    return Policy(values, origin, shown, tuple(positions))


def _unknown_codes(document: Document, shown: str) -> list[str]:
    """`rules:` and `unwaivable:` entries naming no rule (a typo would silently do nothing),
    and attempts to change the reading and schema rules, which are fixed."""
    from rmp.rules import RULES_BY_CODE

    problems = []
    data = document.data
    for code in (data.get("rules") or {}):
        rule = RULES_BY_CODE.get(code)
        if code.startswith("x-"):
            continue
        line, column = document.locate(("rules", code), key=True)
        if rule is None:
            problems.append(f"{shown}:{line}:{column}: RMP101 `rules` names {code}, which is "
                            "no rule of this rmp (see `rmp rules`)")
        elif rule.phase in ("load", "schema"):
            problems.append(f"{shown}:{line}:{column}: RMP101 {code} reads the file or its "
                            "schema and cannot be changed or switched off")
    for index, code in enumerate(data.get("unwaivable") or []):
        if code not in RULES_BY_CODE:
            line, column = document.locate(("unwaivable", index))
            problems.append(f"{shown}:{line}:{column}: RMP101 `unwaivable` names {code}, which "
                            "is no rule of this rmp")
    return problems


def find_policy_file(start: Path) -> Path | None:
    """The nearest `rmp.yaml`/`rmp.yml` walking up from `start` (a folder), stopping at the
    folder that holds `.git` (or at the filesystem root outside git). Relative to the working
    folder when it lies below it, as messages show it."""
    found = _find_policy_file(start.resolve())
    if found is None:
        return None
    try:
        return found.relative_to(Path.cwd())
    except ValueError:
        return found


@lru_cache(maxsize=1024)
def _find_policy_file(folder: Path) -> Path | None:
    for name in POLICY_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    if (folder / ".git").exists() or folder.parent == folder:
        return None
    return _find_policy_file(folder.parent)


class PolicyResolver:
    """Gives the policy in force for each plan: a named file, the defaults alone, or the file
    discovered from the plan's folder. Each policy file is read once per run."""

    def __init__(self, policy_file: Path | None = None, *, use_files: bool = True) -> None:
        self._fixed: Policy | None = None
        if policy_file is not None:
            self._fixed = load_policy(policy_file)
        elif not use_files:
            self._fixed = defaults()
        self._cache: dict[Path | None, Policy] = {}
        self.used_defaults = False
        """True once a plan was given the built-in defaults because no policy file was found."""

    def for_plan(self, plan_path: Path) -> Policy:
        if self._fixed is not None:
            return self._fixed
        found = find_policy_file(plan_path.parent)
        policy = self._cache.get(found)
        if policy is None:
            policy = defaults() if found is None else load_policy(found)
            self._cache[found] = policy
        if found is None:
            self.used_defaults = True
        return policy
