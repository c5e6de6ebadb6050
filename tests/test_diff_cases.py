"""The semantic diff engine, without git: one folder per case under tests/cases/diff/.

Each folder holds `before.yaml` and `after.yaml` (either may be missing: the plan is absent from
that version) and `expected.json`:

    {"today": "2026-11-27",            # the date the newer version is judged at
     "before_today": "2026-11-10",     # optional: the date the older one is judged at
     "changes": [{"kind": "rosh-up", "path": "/assessment/rosh/known_adult/community",
                  "item": null, "item_kind": null, "field": "assessment.rosh.known_adult.community",
                  "old": "high", "new": "very-high"}]}

Changes compare as an ordered list: the engine's order is part of its output. Every plan here
passes the gate (reading, format and schema rules), as every version `rmp diff` and `rmp log`
compare must. All plans here are fictional.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rmp.diff.engine import diff_plans
from rmp.io.gate import gate_bytes
from tests.conftest import CASES, run_rmp

DIFF_CASES = sorted(p for p in (CASES / "diff").iterdir() if p.is_dir())


def _load(path: Path) -> dict[str, Any] | None:
    """A case's plan, through the gate: the engine only ever sees schema-valid plans."""
    if not path.exists():
        return None
    gated = gate_bytes(str(path), path.read_bytes())
    assert gated.passed and gated.document is not None, gated.findings
    assert isinstance(gated.document.data, dict)
    return gated.document.data


def _expected(case: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return loaded


@pytest.mark.parametrize("case", DIFF_CASES, ids=[p.name for p in DIFF_CASES])
def test_diff_case(case: Path) -> None:
    expected = _expected(case)
    before_today = expected.get("before_today")
    changes = diff_plans(
        _load(case / "before.yaml"), _load(case / "after.yaml"),
        date.fromisoformat(expected["today"]),
        before_today=date.fromisoformat(before_today) if before_today else None,
    )
    assert [c.as_dict() for c in changes] == expected["changes"]


@pytest.mark.parametrize("case", DIFF_CASES, ids=[p.name for p in DIFF_CASES])
def test_diff_case_reversed_swaps_additions_and_removals(case: Path) -> None:
    before, after = _load(case / "before.yaml"), _load(case / "after.yaml")
    forward = diff_plans(before, after, date(2026, 11, 27))
    backward = diff_plans(after, before, date(2026, 11, 27))
    added = {c.item for c in forward if c.kind.value == "item-added"}
    removed = {c.item for c in backward if c.kind.value == "item-removed"}
    assert added == removed
    assert bool(forward) == bool(backward)


FILE_CASES = [p for p in DIFF_CASES
              if (p / "before.yaml").exists() and "before_today" not in _expected(p)]


@pytest.mark.parametrize("case", FILE_CASES, ids=[p.name for p in FILE_CASES])
def test_rmp_diff_files_gives_the_same_changes(case: Path) -> None:
    expected = _expected(case)
    result = run_rmp(["diff", "--files", str(case / "before.yaml"), str(case / "after.yaml"),
                      "--format", "json", "--today", expected["today"], "--exit-code"])
    assert result.exit_code == (1 if expected["changes"] else 0), result.stderr
    document = result.json()
    assert document["schema_version"] == 1 and document["kind"] == "diff"
    assert document["changes"] == expected["changes"]
    assert document["changed"] is bool(expected["changes"])
