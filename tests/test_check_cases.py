"""Data-driven rule and loader tests: one folder per case under tests/cases/check/.

Each folder holds the input files (a plan, sometimes a policy `rmp.yaml`) and `expected.json`:

    {"exit": 1,                       # expected exit code of `rmp check`
     "args": ["--strict"],            # optional extra command-line arguments
     "select": ["RMP201"],            # optional: compare only findings with these codes
     "findings": [{"path": "plan.yaml", "code": "RMP201", "line": 40, "column": 5,
                   "items": ["RF2"]}]}

`rmp check <folder> --format json --today 2026-11-27` runs with `--policy <folder>/rmp.yaml`
when the case has one, `--no-policy` otherwise. Findings compare as a multiset of
(path, code, line[, column][, items]); `column` and `items` are compared when given.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES, TODAY, run_rmp

CHECK_CASES = sorted(p for p in (CASES / "check").iterdir() if p.is_dir())


def _key(finding: dict[str, Any], expected: dict[str, Any]) -> tuple[Any, ...]:
    key: tuple[Any, ...] = (finding["path"], finding["code"], finding["line"])
    if "column" in expected:
        key += (finding["column"],)
    if "items" in expected:
        key += (tuple(finding["items"]),)
    return key


@pytest.mark.parametrize("case", CHECK_CASES, ids=[p.name for p in CHECK_CASES])
def test_check_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    args = ["check", str(case), "--format", "json", "--today", TODAY, *expected.get("args", [])]
    if "--policy" not in args and "--no-policy" not in args:
        policy = case / "rmp.yaml"
        args += ["--policy", str(policy)] if policy.exists() else ["--no-policy"]
    result = run_rmp(args)
    assert result.exit_code == expected["exit"], result.stdout + result.stderr
    report = result.json()
    select = set(expected.get("select", []))
    actual = []
    for file in report["files"]:
        relative = Path(file["path"]).relative_to(case).as_posix()
        for finding in file["findings"]:
            if not select or finding["code"] in select:
                actual.append({**finding, "path": relative})
    wanted = expected["findings"]
    # compare each expected finding with the same-shaped key of the actual ones
    template = wanted[0] if wanted else {}
    assert Counter(_key(f, template) for f in actual) == Counter(
        _key(f, f) for f in wanted
    ), json.dumps(actual, indent=1)
