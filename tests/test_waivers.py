"""Waivers (in the plan and in the policy) and RMP505: a valid waiver marks the finding
waived (still reported and counted, never dropped); an expired, incomplete, unwaivable,
unknown-rule or unused waiver is RMP505 and waives nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import CASES, TODAY, run_rmp

BASE = (CASES / "check" / "rmp201-risk-factor-without-action" / "plan.yaml").read_text("utf-8")
GOOD = "reason: Agreed at panel 2026-10-14, approved_by: Alex Example, until: 2027-01-14"


def _check(tmp_path: Path, waivers: str, policy: str | None = None,
           *extra: str) -> tuple[int, list[dict[str, Any]], dict[str, Any], str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(BASE + waivers, encoding="utf-8")
    args = ["check", str(plan), "-f", "json", "--today", TODAY, "--select", "RMP201,RMP505",
            *extra]
    if policy is None:
        args.append("--no-policy")
    else:
        (tmp_path / "rmp.yaml").write_text(policy, encoding="utf-8")
        args += ["--policy", str(tmp_path / "rmp.yaml")]
    result = run_rmp(args)
    report = result.json()
    text = run_rmp([a for a in args if a not in ("-f", "json")] + ["--show-waived"]).stdout
    return result.exit_code, report["files"][0]["findings"], report["summary"], text


def _codes(findings: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    return sorted((f["code"], f["waived"]) for f in findings)


def test_a_valid_plan_waiver_waives_and_is_still_reported(tmp_path: Path) -> None:
    code, findings, summary, text = _check(
        tmp_path, f"waivers:\n  - {{rule: RMP201, item: RF2, {GOOD}}}\n")
    assert code == 0
    assert _codes(findings) == [("RMP201", True)]
    assert summary["waived"] == 1 and summary["findings"]["error"] == 0
    assert "(waived)" in text and "1 waived" in text


def test_a_waiver_for_another_item_waives_nothing_and_is_unused(tmp_path: Path) -> None:
    code, findings, _, _ = _check(tmp_path, f"waivers:\n  - {{rule: RMP201, item: RF1, {GOOD}}}\n")
    assert code == 1
    assert _codes(findings) == [("RMP201", False), ("RMP505", False)]
    unused = next(f for f in findings if f["code"] == "RMP505")
    assert "matches no RMP201 finding" in unused["message"] and unused["pointer"] == "/waivers/0"


def test_expired_and_incomplete_waivers_are_findings_and_waive_nothing(tmp_path: Path) -> None:
    code, findings, _, _ = _check(tmp_path, (
        "waivers:\n"
        "  - {rule: RMP201, item: RF2, reason: Old, approved_by: Alex Example, until: 2026-11-01}\n"
        "  - {rule: RMP201, item: RF2, reason: No approver, until: 2027-01-14}\n"))
    assert code == 1
    assert _codes(findings) == [("RMP201", False), ("RMP505", False), ("RMP505", False)]
    messages = " ".join(f["message"] for f in findings if f["code"] == "RMP505")
    assert "expired 26 day(s) ago" in messages and "lacks approved_by" in messages


def test_unwaivable_rules_and_unknown_rules(tmp_path: Path) -> None:
    policy = "format: rmp-policy/1\nunwaivable: [RMP201]\n"
    code, findings, _, _ = _check(
        tmp_path, f"waivers:\n  - {{rule: RMP201, item: RF2, {GOOD}}}\n"
                  f"  - {{rule: RMP999, {GOOD}}}\n", policy)
    assert code == 1
    assert _codes(findings) == [("RMP201", False), ("RMP505", False), ("RMP505", False)]
    messages = " ".join(f["message"] for f in findings if f["code"] == "RMP505")
    assert "cannot be waived" in messages and "names no rule" in messages


def test_a_policy_waiver_names_its_plan(tmp_path: Path) -> None:
    policy = (f"format: rmp-policy/1\nwaivers:\n  - {{rule: RMP201, plan: RMP-T100, item: RF2, "
              f"{GOOD}}}\n  - {{rule: RMP201, plan: RMP-OTHER, {GOOD}}}\n")
    code, findings, _, _ = _check(tmp_path, "", policy)
    assert code == 0
    assert _codes(findings) == [("RMP201", True)]
    missing_plan = f"format: rmp-policy/1\nwaivers:\n  - {{rule: RMP201, {GOOD}}}\n"
    (tmp_path / "rmp.yaml").write_text(missing_plan, encoding="utf-8")
    refused = run_rmp(["check", str(tmp_path / "plan.yaml"), "--policy",
                       str(tmp_path / "rmp.yaml"), "--today", TODAY])
    assert refused.exit_code == 2 and "must name the plan" in refused.stderr


def test_waivers_of_rules_that_did_not_run_are_not_called_unused(tmp_path: Path) -> None:
    code, findings, _, _ = _check(tmp_path, f"waivers:\n  - {{rule: RMP309, {GOOD}}}\n")
    assert code == 1  # RMP201 still fails; RMP309 was not selected, so its waiver is not judged
    assert _codes(findings) == [("RMP201", False)]
