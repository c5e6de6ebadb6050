"""The professional packs as a former MAPPA chair read them (issue 10): what was decided about
each concern, agencies by name wherever the plan names one by ID, and no false "withheld"
notice for `x-` extension keys. User-level tests: command line in, output out. All plans and
names are fictional."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLES = ROOT / "examples"
DOMESTIC = EXAMPLES / "domestic-abuse-licence-mappa2.yaml"
COMMUNITY = EXAMPLES / "community-order-violence-alcohol.yaml"
POLICY = ["--policy", str(EXAMPLES / "rmp.yaml")]
PINNED = ["--today", TODAY, "--generated", "2026-11-27T09:00:00Z"]
MEETING = ["--meeting", "MAPPA level 2 meeting"]
PARTLY = "Some details in this section are withheld for this audience"


def _render(*args: str) -> Any:
    result = run_rmp(["render", *args, *PINNED])
    assert result.exit_code == 0, result.stderr
    return result


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text("# FICTIONAL test fixture: every name, place and event is invented.\n"
                    + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _md_section(text: str, heading: str) -> str:
    """A Markdown section's text, from its heading to the next heading of its level or above
    (a plan's sections are `##` in a document of one plan, `###` in a pack)."""
    found = re.search(rf"^(#{{2,3}}) {re.escape(heading)}\n", text, flags=re.M)
    assert found is not None, heading
    rest = text[found.end():]
    end = re.search(rf"^#{{1,{len(found.group(1))}}} ", rest, flags=re.M)
    return rest[:end.start()] if end else rest


def _md_rows(section: str) -> list[list[str]]:
    return [[c.strip().replace("\\", "") for c in line.strip().strip("|").split("|")]
            for line in section.splitlines()
            if line.startswith("|") and not line.startswith("|---")]


def _agency_ids() -> set[str]:
    return {str(a["id"]) for p in sorted(EXAMPLES.glob("*.yaml")) if p.name != "rmp.yaml"
            for a in _load(p).get("agencies") or []}


def test_the_concerns_table_shows_what_was_decided_and_agency_names() -> None:
    md = _render(str(DOMESTIC), "-a", "panel", "-f", "md", *POLICY).stdout
    header, row = _md_rows(_md_section(md, "Concerns communicated"))
    cells = dict(zip(header, row, strict=True))
    assert cells["To"] == "Exampleton Probation, Exampleton Police Public Protection Unit"
    assert cells["Decision"] == "Review"
    assert cells["Decided"] == "28 Oct 2026"
    assert cells["Decided by"] == "Alex Example (Senior Probation Officer)"
    assert cells["Decision reason"].startswith("No licence condition breached")
    page = _render(str(DOMESTIC), "-a", "panel", "-f", "html", *POLICY).stdout
    concerns = html.unescape(page.split("Concerns communicated", 1)[1].split("</table>", 1)[0])
    for expected in ("Decided by", "Alex Example", "Senior Probation Officer",
                     "Decision reason", "No licence condition breached",
                     "Exampleton Police Public Protection Unit"):
        assert expected in concerns, expected
    assert ">probation, police<" not in concerns


def test_an_agency_the_audience_may_not_see_stays_an_id(tmp_path: Path) -> None:
    """Names come from the projection only: without the agencies list, IDs as given."""
    policy = _load(EXAMPLES / "rmp.yaml")
    everything = [k for k in _load(DOMESTIC) if k != "agencies"]
    policy["audiences"]["no-agencies"] = {
        "title": "Test audience without the agencies list", "plain_language": False,
        "confidential": True, "include": everything}
    path = _write(tmp_path / "rmp.yaml", policy)
    md = _render(str(DOMESTIC), "-a", "no-agencies", "-f", "md", "--policy", str(path)).stdout
    header, row = _md_rows(_md_section(md, "Concerns communicated"))
    assert dict(zip(header, row, strict=True))["To"] == "probation, police"
    assert "Exampleton Probation" not in md


def test_no_table_cell_or_explained_line_of_a_panel_pack_is_a_bare_agency_id() -> None:
    ids = _agency_ids()
    md = _render(str(EXAMPLES), "-a", "panel", "-f", "md", *POLICY, *MEETING).stdout
    for part in md.split("\n### Agencies\n"):
        # the agencies table is the one place an ID belongs: its ID column names the agency
        body = part.split("\n### ", 1)[1] if part is not md and "\n### " in part else part
        for cells in _md_rows(body):
            for cell in cells:
                tokens = {t.strip() for t in re.split(r",|\(|\)", cell)}
                assert not tokens & ids, cell
    explained = re.findall(r"\*\*Plan explained:\*\* .*", md)
    assert len(explained) == 4
    for line in explained:
        by = line.rsplit(", by ", 1)[1].rstrip(")").replace("\\", "")
        assert by not in ids and by.startswith(("Probation", "Exampleton")), line
    distribution = _md_rows(md.split("##### Distribution", 1)[1].split("\n#", 1)[0])
    assert distribution[1][0] == "Testbury Community Alcohol Service"
    objectives = _md_rows(_md_section(md, "Objectives"))
    assert objectives[1][-1] == ("The individual, Probation Service Testbury, "
                                 "Testbury Community Alcohol Service")


def test_x_keys_alone_do_not_make_a_section_partly_withheld(tmp_path: Path) -> None:
    data = _load(COMMUNITY)
    assert "x-requirements" in data["individual"]["sentence"]
    data["actions"][0]["x-local-note"] = "FICTIONAL-X-SENTINEL"
    plan = _write(tmp_path / "plan.yaml", data)
    for fmt in ("md", "html"):
        text = _render(str(plan), "-a", "panel", "-f", fmt, *POLICY).stdout
        assert PARTLY not in text, fmt
        assert "FICTIONAL-X-SENTINEL" not in text


def test_a_real_withheld_field_still_makes_its_section_partly_withheld() -> None:
    """Fail-closed kept: the agencies audience may not see the name or date of birth."""
    md = _render(str(COMMUNITY), "-a", "agencies", "-f", "md", *POLICY).stdout
    individual = _md_section(md, "The individual")
    assert PARTLY in individual.replace("\\", "")
    assert "Ryan Example" not in md


def test_the_household_reaches_the_panel_and_no_one_else(tmp_path: Path) -> None:
    # who lives with the person (children above all) is what a panel weighs; it is other
    # people's information, so the agencies pack and the person's own copy never show it
    data = _load(DOMESTIC)
    data["individual"]["household"] = [{"relation": "child", "age": 4},
                                       {"relation": "partner"}]
    data["individual"]["household_checked"] = {"date": "2026-11-20", "how": "police-check"}
    plan = _write(tmp_path / "plan.yaml", data)
    panel = _render(str(plan), "--audience", "panel", *POLICY).stdout
    facts = re.search(r"\*\*Household:\*\* (.*)", panel)
    assert facts is not None and "Child (age 4)" in facts.group(1) and "Partner" in facts.group(1)
    assert re.search(r"\*\*Household checked:\*\* 20 Nov 2026 \(Police check\)", panel)
    for audience in ("agencies", "individual"):
        other = _render(str(plan), "--audience", audience, *POLICY).stdout
        assert "Household" not in other and "age 4" not in other, audience
    empty = _render(str(DOMESTIC), "--audience", "panel", *POLICY).stdout
    assert "**Household:** No one else" in empty


def test_who_decided_each_option_is_shown() -> None:
    # a panel reviewing a rejected recall needs who took the decision (RMP336 reads it)
    pack = _render(str(DOMESTIC), "--audience", "panel", *POLICY).stdout
    header = next(line for line in pack.splitlines() if line.startswith("| ID | Option |"))
    assert "| Decided by |" in header
    assert "Alex Sample" in pack
