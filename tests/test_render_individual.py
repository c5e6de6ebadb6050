"""The individual's own copy never holds what is about victims, other people or intelligence,
whatever the policy's allow-list says (issue 10, item 1). Sentinels are planted in every
such place of a fictional plan; a policy whose `individual` audience includes `"*"` (and
even confidential items) must still keep every one of them out, in Markdown and HTML, while
the panel copy shows them all."""

from __future__ import annotations

import copy
import html
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
GENERATED = "2026-11-27T09:00:00Z"
WIDE_POLICY = """format: rmp-policy/1
audiences:
  individual:
    title: The individual
    plain_language: true
    confidential: true
    include: ["*", "individual.household"]
  panel:
    title: Panel
    confidential: true
    include: ["*"]
"""
VICTIM_FIELDS = ("description", "views")


def _sentinel_plan() -> tuple[dict[str, Any], list[str]]:
    plan = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    plan = copy.deepcopy(plan)
    planted: list[str] = []

    def plant(name: str) -> str:
        planted.append(f"SENTINEL{name.upper()}Q")
        return planted[-1]

    for number, victim in enumerate(plan["victims"]):
        for field in VICTIM_FIELDS:
            victim[field] = plant(f"victim{number}{field}")
        victim.update(vlo=True, marac=True, child_status="child-in-need", confidential=False)
    plan["victims"].append({"id": "V9", "description": plant("childvictim"),
                            "group": "children", "child_status": "cp-plan",
                            "views": plant("childviews")})
    for number, agency in enumerate(plan["agencies"]):
        if agency.get("kind") == "victim-services":
            agency["name"] = plant(f"victimservices{number}")
    plan["agencies"].append({"id": "refuge", "name": plant("refugename"),
                             "kind": "victim-services", "role": "partner"})
    for number, action in enumerate(plan["actions"]):
        if action.get("pillar") == "victim-safety":
            action.update(title=plant(f"vsaction{number}"), measure=plant(f"vsmeasure{number}"),
                          confidential=False)
    plan["actions"].append({"id": "A99", "pillar": "victim-safety", "title": plant("vsnew"),
                            "owner": {"agency": "refuge", "role": plant("refugerole")},
                            "frequency": "monthly", "measure": plant("vsnewmeasure"),
                            "status": "in-progress"})
    for number, disclosure in enumerate(plan.get("disclosures", [])):
        disclosure.update(reason=plant(f"disclosure{number}"), confidential=False)
    for number, concern in enumerate(plan.get("concerns", [])):
        concern.update(summary=plant(f"concern{number}"), confidential=False)
    sources = plan["assessment"]["sources"]
    sources.append({"id": "SRC90", "title": plant("intelligence"), "kind": "intelligence",
                    "date": "2026-11-01", "reliability": "hearsay"})
    sources.append({"id": "SRC91", "title": plant("thirdparty"), "kind": "third-party",
                    "date": "2026-11-01", "reliability": "hearsay"})
    plan["controls"].append({"id": "C90", "kind": "external", "basis": "licence",
                             "title": plant("restsonintel"), "evidence": ["SRC90", "SRC91"],
                             "enforced_by": "probation", "on_breach": "recall"})
    plan["contingency"].append({"id": "CT90", "when": plant("contingencyv1") + " V1 seen",
                                "then": "call", "owner": {"agency": "police", "role": "duty"},
                                "within_hours": 2})
    plan["scenarios"].append({"id": "SC90", "type": "twist",
                              "description": plant("scenariocites") + " after A99",
                              "who": plant("scenariowho")})
    plan["individual"]["household"] = [{"relation": "other-child", "age": 7,
                                        "x-note": plant("household")}]
    plan["assessment"]["who_at_risk"] = plant("whoatrisk")
    return plan, planted


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    folder: Path = tmp_path_factory.mktemp("individual")
    plan, planted = _sentinel_plan()
    (folder / "plan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    (folder / "rmp.yaml").write_text(WIDE_POLICY, encoding="utf-8")
    out: dict[tuple[str, str], str] = {}
    for audience in ("individual", "panel"):
        for fmt in ("md", "html"):
            run = run_rmp(["render", str(folder / "plan.yaml"), "--audience", audience,
                           "--format", fmt, "--today", TODAY, "--generated", GENERATED,
                           "--policy", str(folder / "rmp.yaml")])
            assert run.exit_code == 0, run.stderr
            out[audience, fmt] = run.stdout + run.stderr
    out["planted", ""] = "\n".join(planted)
    return out


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_sentinel_reaches_the_individual_whatever_the_allow_list(
        rendered: dict[tuple[str, str], str], fmt: str) -> None:
    text = html.unescape(rendered["individual", fmt]).replace("\\", "")
    leaked = [s for s in rendered["planted", ""].split("\n") if s in text]
    assert not leaked
    for words in ("Child in need", "child-in-need", "Child protection plan", "MARAC"):
        assert words not in text
    assert "V1" not in text and "A99" not in text and "SRC90" not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_panel_copy_still_has_every_sentinel(
        rendered: dict[tuple[str, str], str], fmt: str) -> None:
    text = html.unescape(rendered["panel", fmt]).replace("\\", "")
    absent = [s for s in rendered["planted", ""].split("\n") if s not in text]
    assert absent == ["SENTINELHOUSEHOLDQ"]  # `*` never reaches an x- field


def test_several_plans_for_the_individual_are_refused_and_nothing_is_written(
        tmp_path: Path) -> None:
    out = tmp_path / "pack.md"
    run = run_rmp(["render", str(ROOT / "examples"), "--audience", "individual",
                   "--out", str(out), "--today", TODAY, "--no-policy"])
    assert run.exit_code == 2
    assert "one person's own copy" in run.stderr
    assert not out.exists()


def test_an_agency_named_only_where_the_copy_shows_nothing_is_not_listed(
        tmp_path: Path) -> None:
    # an agency that only attended a review (or only received a distribution) is not one the
    # person works with: "Who to contact" must not name it, though the panel sees it
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["agencies"].append({"id": "forensic-team", "name": "ZZQFORENSIC Team",
                             "kind": "mental-health", "role": "partner"})
    data.setdefault("plan", {}).setdefault("reviews", []).append(
        {"date": "2026-11-20", "kind": "mappa-meeting", "attendees": ["forensic-team"]})
    plan = tmp_path / "plan.yaml"
    plan.write_text("# FICTIONAL test fixture.\n" + yaml.safe_dump(data, sort_keys=False),
                    encoding="utf-8")
    policy = ["--policy", str(ROOT / "examples" / "rmp.yaml"), "--today", TODAY,
              "--generated", GENERATED]
    panel = run_rmp(["render", str(plan), "--audience", "panel", *policy])
    assert panel.exit_code == 0, panel.stderr
    assert "ZZQFORENSIC" in panel.stdout
    for fmt in ("md", "html"):
        mine = run_rmp(["render", str(plan), "--audience", "individual", "--format", fmt,
                        *policy])
        assert mine.exit_code == 0, mine.stderr
        assert "ZZQFORENSIC" not in mine.stdout, fmt
