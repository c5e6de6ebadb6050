"""One plan, one answer: the overall RoSH and overdue actions are read one way by the check,
`rmp status`, the packs and the diff (rmp.model.view holds the only definitions)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLE = ROOT / "examples" / "community-order-violence-alcohol.yaml"


def _plan(tmp_path: Path, edit: str) -> Path:
    """The example with its text edited (kept as YAML text so positions stay real)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    if edit == "overall-above-ratings":
        # every group medium at most, the written overall RoSH high: a judgement upward
        text = text.replace("overall_rosh: medium", "overall_rosh: high")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_written_overall_rosh_above_the_ratings_reads_the_same_everywhere(
        tmp_path: Path) -> None:
    plan = _plan(tmp_path, "overall-above-ratings")
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    ratings = {level for group in data["assessment"]["rosh"].values() for level in group.values()}
    assert "high" not in ratings and "very-high" not in ratings

    status = run_rmp(["status", str(plan), "-f", "json", "--today", TODAY, "--no-policy"])
    assert status.exit_code == 0
    assert status.json()["plans"][0]["overall_rosh"] == "high"

    # RMP310 speaks of the overall RoSH: remove the contingency so that it fires
    without = tmp_path / "without-contingency.yaml"
    data["contingency"] = []
    without.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    check = run_rmp(["check", str(without), "-f", "json", "--today", TODAY, "--no-policy"])
    messages = [f["message"] for f in check.json()["files"][0]["findings"]
                if f["code"] == "RMP310"]
    assert messages and all("overall RoSH is high" in m for m in messages), messages

    pack = run_rmp(["render", str(plan), "--audience", "panel", "--no-policy", "--today", TODAY,
                    "--generated", "2026-11-27T09:00:00Z", "-f", "md"])
    assert pack.exit_code == 0, pack.stderr
    lines = pack.stdout.splitlines()
    overall_lines = [line for line in lines if "Overall RoSH" in line and not line.startswith("|")]
    # and the summary table's cell under its "Overall RoSH" column
    for number, line in enumerate(lines):
        if line.startswith("|") and "Overall RoSH" in line:
            column = [c.strip() for c in line.split("|")].index("Overall RoSH")
            overall_lines.append(lines[number + 2].split("|")[column])
    assert overall_lines, "the pack names the overall RoSH"
    assert all(re.search(r"\bHigh\b", line) for line in overall_lines), overall_lines
    # the current RoSH is shown beside it, labelled, where it differs (spec: "show both")
    assert not any(re.search(r"\bMedium\b", re.sub(r"Current: \*\*Medium\*\*", "", line))
                   for line in overall_lines), overall_lines


def test_a_closed_plan_has_no_overdue_actions_anywhere(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["plan"]["status"] = "closed"
    data["actions"][0]["due"] = "2026-01-01"
    data["actions"][0]["status"] = "in-progress"
    plan = tmp_path / "closed.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    status = run_rmp(["status", str(plan), "-f", "json", "--today", TODAY, "--no-policy"])
    assert status.json()["plans"][0]["overdue_actions"] == 0
    agencies = run_rmp(["status", str(plan), "--by", "agency", "-f", "json", "--today", TODAY,
                        "--no-policy"])
    assert all(not row["overdue"] for row in agencies.json()["agencies"])
    check = run_rmp(["check", str(plan), "-f", "json", "--today", TODAY, "--no-policy"])
    assert not [f for f in check.json()["files"][0]["findings"] if f["code"] == "RMP403"]


def test_an_open_overdue_action_is_overdue_everywhere(tmp_path: Path) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["actions"][0]["due"] = "2026-01-01"
    data["actions"][0]["status"] = "in-progress"
    action_id = data["actions"][0]["id"]
    plan = tmp_path / "late.yaml"
    plan.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    status = run_rmp(["status", str(plan), "-f", "json", "--today", TODAY, "--no-policy"])
    assert status.json()["plans"][0]["overdue_actions"] >= 1
    check = run_rmp(["check", str(plan), "-f", "json", "--today", TODAY, "--no-policy"])
    assert action_id in [i for f in check.json()["files"][0]["findings"]
                         if f["code"] == "RMP403" for i in f["items"]]
