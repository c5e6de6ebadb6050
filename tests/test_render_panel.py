"""The professional pack follows a MAPPA meeting (issue 10, item 5): user-level tests, command
line in, files and exit codes out. All plans and names are fictional."""

from __future__ import annotations

import copy
import html
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import CASES, ROOT, TODAY, run_rmp

EXAMPLES = ROOT / "examples"
DOMESTIC = EXAMPLES / "domestic-abuse-licence-mappa2.yaml"
COMMUNITY = EXAMPLES / "community-order-violence-alcohol.yaml"
YOUTH = EXAMPLES / "youth-risk-to-children.yaml"
POLICY = ["--policy", str(EXAMPLES / "rmp.yaml")]
PINNED = ["--today", TODAY, "--generated", "2026-11-27T09:00:00Z"]
SMALL = CASES / "render" / "overdue-action-and-due-review" / "plan.yaml"

ORDER = ["R10.1 Who is at risk", "R10.2 What is the nature of the risk",
         "R10.3 When is the risk likely to be greatest",
         "R10.4 What circumstances are likely to increase the risk",
         "R10.5 What factors are likely to reduce the risk", "Victim safety",
         "Actions: the four pillars", "Controls", "Contingency", "Scenarios",
         "MAPPA level decision", "Check findings", "Next review and meetings", "Administration"]


def _render(*args: str) -> Any:
    return run_rmp(["render", *args, *PINNED])


def _md_headings(text: str) -> list[str]:
    return [h.replace("\\", "") for h in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)]


def _html_headings(text: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", h))
            for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", text)]


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text("# FICTIONAL test fixture: every name, place and event is invented.\n"
                    + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def test_a_plan_reads_in_meeting_order_in_both_formats() -> None:
    for fmt, headings in (("md", _md_headings), ("html", _html_headings)):
        result = _render(str(DOMESTIC), "-a", "panel", "-f", fmt, *POLICY)
        assert result.exit_code == 0, result.stderr
        found = headings(result.stdout)
        positions = [found.index(name) for name in ORDER]
        assert positions == sorted(positions), (fmt, found)
        # administration is the plan's last section: only its own sub-headings follow
        after = found[found.index("Administration") + 1:]
        assert set(after) <= {"Sharing and classification", "Distribution", "Waivers",
                              "Document record", "Plan versions"}, (fmt, after)
        assert found.index("Administration") > found.index("Risk of serious harm (OASys R10)")


def test_r10_4_and_r10_5_hold_the_risk_and_protective_factors() -> None:
    text = _render(str(DOMESTIC), "-a", "panel", "-f", "md", *POLICY).stdout
    r10_4 = text.split("R10\\.4", 1)[1].split("R10\\.5", 1)[0]
    r10_5 = text.split("R10\\.5", 1)[1].split("\n## ", 1)[0]
    assert "RF1" in r10_4 and "Binge drinking" in r10_4 and "PF1" not in r10_4
    assert "PF1" in r10_5 and "Abstinent since remand" in r10_5


def test_each_progress_colour_is_also_in_words(tmp_path: Path) -> None:
    data = _load(SMALL)
    first = data["actions"][0]
    data["actions"] += [
        {**copy.deepcopy(first), "id": "A3", "title": "Soon", "due": "2026-12-05"},
        {**copy.deepcopy(first), "id": "A4", "title": "Later", "due": "2027-03-01"}]
    plan = _write(tmp_path / "plan.yaml", data)
    md = _render(str(plan), "-a", "agencies", "-f", "md", "--no-policy").stdout
    rows = {row.split("|")[1].strip(): row for row in md.splitlines()
            if re.match(r"\| A\d ", row)}
    assert rows["A1"].rstrip().endswith("| **Overdue** |")
    assert rows["A2"].rstrip().endswith("| Done |")
    assert rows["A3"].rstrip().endswith("| Due within 14 days |")
    assert rows["A4"].rstrip().endswith("| On track |")
    page = _render(str(plan), "-a", "agencies", "-f", "html", "--no-policy").stdout
    for css, words in (("rag-red", "Overdue"), ("rag-amber", "Due within 14 days"),
                       ("rag-green", "On track"), ("rag-grey", "Done")):
        assert f'<span class="{css}">{words}</span>' in page


def test_an_unprotected_victim_shows_its_finding_in_the_box(tmp_path: Path) -> None:
    clean_md = _render(str(DOMESTIC), "-a", "panel", "-f", "md", *POLICY).stdout
    assert "> rmp check found nothing in this plan\\." in clean_md
    data = _load(DOMESTIC)
    data["victims"][0].pop("protected_by")
    plan = _write(tmp_path / "plan.yaml", data)
    md = _render(str(plan), "-a", "panel", "-f", "md", *POLICY)
    assert md.exit_code == 0, md.stderr
    box = md.stdout.split("## Check findings", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in box.strip().splitlines() if line.strip()]
    assert lines and all(line.startswith(">") for line in lines), box
    assert any("RMP314" in line and "V1" in line for line in lines), box
    page = _render(str(plan), "-a", "panel", "-f", "html", *POLICY).stdout
    box_html = page.split('<div class="box box-findings" role="note">', 1)[1].split("</div>")[0]
    assert "RMP314" in box_html
    # the individual's copy never carries the box
    own = _render(str(plan), "-a", "individual", "-f", "md", *POLICY).stdout
    assert "RMP314" not in own and "Check findings" not in own


def test_attendance_and_apologies_come_from_the_attendees_file(tmp_path: Path) -> None:
    attendees = tmp_path / "attendees.yaml"
    attendees.write_text(
        "# FICTIONAL: every name is invented.\n"
        "format: rmp-attendees/1\n"
        "attendees:\n"
        "  - {name: Alex Chairperson, role: Chair, agency: Exampleton Probation}\n"
        "  - {name: Jo Sergeant, role: MAPPA police lead, agency: Exampleton Police}\n"
        "  - {name: Sam Apology, role: Social worker, agency: Sampleford Children's Services,"
        " present: false}\n", encoding="utf-8")
    out = tmp_path / "pack.md"
    result = _render(str(DOMESTIC), str(COMMUNITY), "-a", "panel", *POLICY, "--meeting",
                     "MAPPA level 2 meeting", "--attendees", str(attendees), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    front = text.split("## Contents", 1)[0]
    assert "## Attendance and apologies" in front
    present = front.split("### Present", 1)[1].split("### Apologies", 1)[0]
    apologies = front.split("### Apologies", 1)[1]
    assert "| Alex Chairperson | Chair | Exampleton Probation |" in present
    assert "Jo Sergeant" in present and "Sam Apology" not in present
    assert "Sam Apology" in apologies


def test_without_a_file_one_plan_shows_its_latest_review(tmp_path: Path) -> None:
    text = _render(str(YOUTH), "-a", "panel", "-f", "md", *POLICY).stdout
    front = text.split("## The individual", 1)[0]  # before the plan's first section
    attendance = front.split("## Attendance and apologies", 1)[1]
    assert "20 Oct 2026, Case conference" in attendance
    assert "Attended:" in attendance and "youth\\-justice" not in attendance  # names, not IDs
    # two plans and no file: nothing at the front, each plan's own latest meeting instead
    pack = _render(str(YOUTH), str(COMMUNITY), "-a", "panel", "-f", "md", *POLICY).stdout
    assert "Attendance and apologies" not in pack
    assert pack.count("#### Latest meeting") == 2


def test_a_bad_attendees_file_stops_with_its_position_and_writes_nothing(
        tmp_path: Path) -> None:
    out = tmp_path / "pack.md"
    for body, where in (
            ("attendees:\n  - {name: A Person, present: maybe}\n", ":2:"),
            ("attendees:\n  - {name: A Person}\n  - {role: Chair}\n", ":3:5: RMP101"),
            ("attendees:\n  - {name: A Person, name: B Person}\n", ":2:"),
            ("attendees: [&a {name: A}, *a]\n", ":1:")):
        attendees = tmp_path / "attendees.yaml"
        attendees.write_text(body, encoding="utf-8")
        result = _render(str(DOMESTIC), "-a", "panel", *POLICY, "--attendees",
                         str(attendees), "--out", str(out))
        assert result.exit_code == 2, (body, result.stderr)
        assert f"{attendees}{where}" in result.stderr, (body, result.stderr)
        assert "Traceback" not in result.stderr
        assert "B Person" not in result.stderr and "maybe" not in result.stderr
        assert not out.exists()
    missing = _render(str(DOMESTIC), "-a", "panel", *POLICY, "--attendees",
                      str(tmp_path / "nope.yaml"), "--out", str(out))
    assert missing.exit_code == 2 and not out.exists()


def test_a_mappa_meetings_pack_marks_plans_that_are_not_mappa_managed() -> None:
    notice = "Not MAPPA\\-managed: this plan is not managed at MAPPA level 2 or 3\\."
    text = _render(str(DOMESTIC), str(COMMUNITY), "-a", "panel", "-f", "md", *POLICY,
                   "--meeting", "MAPPA level 2 meeting").stdout
    community = text.split("## Case ref X001003", 1)[1].split("### ", 1)[0]
    domestic = text.split("## Case ref X001001", 1)[1].split("### ", 1)[0]
    assert f"> **{notice}**" in community
    assert notice not in domestic
    other = _render(str(DOMESTIC), str(COMMUNITY), "-a", "panel", "-f", "md", *POLICY,
                    "--meeting", "Case conference").stdout
    assert notice not in other
    page = _render(str(DOMESTIC), str(COMMUNITY), "-a", "panel", "-f", "html", *POLICY,
                   "--meeting", "MAPPA level 2 meeting").stdout
    assert page.count('<div class="box box-notice" role="note">') == 1


def test_the_evidence_level_shows_beside_a_lower_rating() -> None:
    plan = CASES / "check" / "rmp214-rosh-below-evidence" / "plan.yaml"
    text = _render(str(plan), "-a", "panel", "-f", "md", "--no-policy").stdout
    key_facts = text.split("| Overall RoSH |", 1)[1].split("\n\n", 1)[0]
    assert "**Medium** (Evidence level: **High**)" in key_facts
    assert "Known adult | **Low** | **Low** | **Low** (Evidence level: **Medium**) |" in text
    clean = _render(str(DOMESTIC), "-a", "panel", "-f", "md", *POLICY).stdout
    assert "Evidence level:" not in clean
    status = run_rmp(["status", str(plan), "-f", "json", "--today", TODAY, "--no-policy"])
    row = status.json()["plans"][0]
    assert (row["overall_rosh"], row["evidence_rosh"]) == ("medium", "high")
    table = run_rmp(["status", str(DOMESTIC), "-f", "csv", "--today", TODAY, *POLICY])
    assert table.stdout.splitlines()[0].startswith("case_ref,plan_id,status,overall_rosh,"
                                                   "evidence_rosh,")
    assert ",very-high,-," in table.stdout


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_AUTHOR_DATE": "2026-10-01T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-10-01T10:00:00+00:00"}
    subprocess.run(["git", "-C", str(repo), "-c", "commit.gpgsign=false", *args], check=True,
                   env=env, capture_output=True)


def test_each_action_says_what_changed_since_the_last_meeting(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(SMALL.read_bytes())
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-qm", "plan")
    data = _load(SMALL)
    data["actions"][0]["due"] = "2027-01-31"
    data["actions"].append({**copy.deepcopy(data["actions"][1]), "id": "A3",
                            "title": "A new action"})
    _write(plan, data)
    text = _render(str(plan), "-a", "panel", "-f", "md", "--no-policy", "--since",
                   "HEAD").stdout
    assert "| Since last meeting |" in text
    rows = {row.split("|")[1].strip(): row.rstrip() for row in text.splitlines()
            if re.match(r"\| A\d ", row)}
    assert rows["A1"].endswith("| Changed |")
    assert rows["A2"].endswith("| No change |")
    assert rows["A3"].endswith("| New |")
    plain = _render(str(plan), "-a", "panel", "-f", "md", "--no-policy").stdout
    assert "Since last meeting" not in plain


def test_a_finding_about_what_the_audience_may_not_see_is_left_out(tmp_path: Path) -> None:
    data = _load(DOMESTIC)
    data["victims"][0].pop("protected_by")
    data["victims"][0]["confidential"] = True
    plan = _write(tmp_path / "plan.yaml", data)
    panel = _render(str(plan), "-a", "panel", "-f", "md", *POLICY).stdout
    assert "RMP314" in panel.split("## Check findings", 1)[1].split("\n## ", 1)[0]
    agencies = _render(str(plan), "-a", "agencies", "-f", "md", *POLICY)
    assert agencies.exit_code == 0, agencies.stderr
    box = agencies.stdout.split("## Check findings", 1)[1].split("\n## ", 1)[0]
    assert "RMP314" not in box and "V1" not in box
    assert "withheld for this audience" in box
