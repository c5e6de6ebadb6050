"""Finding, reading and merging policy files (HF36 P19).

A policy file (`rmp.yaml` or `rmp.yml`, `format: rmp-policy/1`) overrides the built-in defaults
key by key: mappings merge recursively, lists and scalars replace. Each top-level key records
its origin (`built-in` or the file) and each waiver its position, for messages.

This package knows nothing of the rule catalogue: whether `rules:` and `unwaivable:` name real
rules is checked by a `SettingsCheck` the caller passes in (rmp.rules.catalogue), so that the
rules can read the policy without the policy reading the rules.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmp.errors import ConfigError
from rmp.io.gate import POLICY_FORMAT
from rmp.policy.defaults import DEFAULTS
from rmp.policy.model import Policy

if TYPE_CHECKING:
    from rmp.io.load import Document

POLICY_NAMES = ("rmp.yaml", "rmp.yml")

SettingsCheck = Callable[["Document", str], list[str]]
"""Given a schema-valid policy document and the path as shown, the `file:line:col: message`
lines for settings that name no rule or try to change a fixed one (empty when all is well)."""


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
    return Policy.from_values(values, {key: "built-in" for key in values})


def load_policy(path: Path, check_settings: SettingsCheck) -> Policy:
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
        lines += check_settings(document, shown)
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
    return Policy.from_values(values, origin, shown, tuple(positions))


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
    discovered from the plan's folder. Each policy file is read once per run, and its rule
    settings checked with `check_settings`."""

    def __init__(
        self, policy_file: Path | None = None, *, use_files: bool = True,
        check_settings: SettingsCheck,
    ) -> None:
        self._check_settings = check_settings
        self._fixed: Policy | None = None
        if policy_file is not None:
            self._fixed = load_policy(policy_file, check_settings)
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
            policy = defaults() if found is None else load_policy(found, self._check_settings)
            self._cache[found] = policy
        if found is None:
            self.used_defaults = True
        return policy
