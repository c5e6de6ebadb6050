"""Per-agency packs (`rmp render --for AGENCY_ID`) and text that names a withheld item
(issue 10, items 2 and 4). Sentinels are planted in a fictional plan's disclosure decisions,
concerns, victim-safety actions and contingency; each must reach exactly the packs that may
hold it, in Markdown and HTML."""

from __future__ import annotations

import copy
import html
from pathlib import Path
from typing import Any

import pytest
import yaml

from rmp.policy.load import defaults
from rmp.render.audience import audience_from_policy, choose_audience, project
from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLES = ROOT / "examples"
EXAMPLE = EXAMPLES / "domestic-abuse-licence-mappa2.yaml"
YOUTH = EXAMPLES / "youth-risk-to-children.yaml"
GENERATED = "2026-11-27T09:00:00Z"
AGENCIES = ("probation", "police", "housing", "alcohol-service", "childrens-services")


def _render(*args: str) -> tuple[int, str, str]:
    result = run_rmp(["render", *args, "--today", TODAY, "--generated", GENERATED])
    return result.exit_code, result.stdout, result.stderr


def _sentinel_plan() -> dict[str, Any]:
    """The domestic abuse example with sentinels: DS1 (DVDS, disclosed by police to
    probation), DS2 (not disclosed to housing), a concern told to police only, a victim-safety
    action owned by the alcohol service, and a contingency naming victim V1."""
    plan = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    ds1 = plan["disclosures"][0]
    assert ds1["scheme"] == "dvds" and ds1["to"] == ["probation"] and ds1["by"] == "police"
    ds1["reason"] = "SENTINELDVDSREASONQ"
    plan["disclosures"].append({"id": "DS2", "scheme": "mappa", "decided": "2026-10-30",
                                "decision": "not-disclose", "to": ["housing"], "by": "police",
                                "reason": "SENTINELNOTDISCLOSEDQ"})
    plan["concerns"].append({"id": "CN2", "kind": "non-compliance", "identified": "2026-11-01",
                             "communicated": "2026-11-01", "to": ["police"], "how": "phone",
                             "summary": "SENTINELCONCERNQ"})
    plan["actions"].append({"id": "A99", "pillar": "victim-safety", "title": "SENTINELVSACTIONQ",
                            "owner": {"agency": "alcohol-service", "role": "Worker"},
                            "due": "2027-01-10", "measure": "Done", "status": "planned"})
    ct1 = plan["contingency"][0]
    assert ct1["id"] == "CT1" and "V1" in ct1["when"]
    ct1["then"] = "SENTINELCONTINGENCYQ"
    return plan


@pytest.fixture(scope="module")
def sentinel_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agency")
    path = folder / "plan.yaml"
    path.write_text("# FICTIONAL test plan: every name, place and event is invented.\n"
                    + yaml.safe_dump(_sentinel_plan(), sort_keys=False), encoding="utf-8")
    return path


WHO_SEES = {
    "SENTINELDVDSREASONQ": {"police", "probation"},       # by, to
    "SENTINELNOTDISCLOSEDQ": {"police"},                  # by only: housing was not told
    "SENTINELCONCERNQ": {"police"},                       # concern's to
    "SENTINELVSACTIONQ": {"alcohol-service"},             # the victim-safety action's owner
    "SENTINELCONTINGENCYQ": set(),                        # names V1, withheld from agencies
}


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("agency", AGENCIES)
def test_each_sentinel_reaches_only_the_agencies_it_concerns(
        sentinel_file: Path, agency: str, fmt: str) -> None:
    code, out, err = _render(str(sentinel_file), "--for", agency, "--no-policy", "--format", fmt)
    assert code == 0, err
    text = html.unescape(out) if fmt == "html" else out.replace("\\", "")
    for sentinel, agencies in WHO_SEES.items():
        assert (sentinel in text) == (agency in agencies), (sentinel, agency)


def test_the_panel_sees_every_sentinel(sentinel_file: Path) -> None:
    code, out, err = _render(str(sentinel_file), "--audience", "panel", "--no-policy")
    assert code == 0, err
    for sentinel in WHO_SEES:
        assert sentinel in out


def test_the_dvds_decision_goes_to_the_police_not_to_housing() -> None:
    packs = {agency: _render(str(EXAMPLE), "--for", agency)[1] for agency in ("police", "housing")}
    assert "DVDS" in packs["police"] and "Clare" in packs["police"]
    assert "DVDS" not in packs["housing"] and "Clare" not in packs["housing"]
    # the rationale cites DS1, so it goes with it from the housing pack
    assert "managed by disclosure" in packs["police"]
    assert "managed by disclosure" not in packs["housing"]


def test_the_agency_is_named_in_prepared_for() -> None:
    code, out, _ = _render(str(EXAMPLE), "--for", "housing")
    assert code == 0
    assert "Prepared for **Partner agencies: Exampleton Housing Options**" in out


def test_a_contingency_naming_a_withheld_victim_is_withheld_with_it() -> None:
    """The agencies pack withholds the confidential victims, so the contingency that sends
    police to V1's address goes too; one that names no victim stays; the panel has both."""
    _, agencies, _ = _render(str(EXAMPLE), "--audience", "agencies")
    _, panel, _ = _render(str(EXAMPLE), "--audience", "panel")
    assert "Police attend V1" in panel and "Police attend V1" not in agencies
    assert "Staff report him missing" in agencies  # CT2 names no victim
    # a control naming the victim is what agencies enforce: the ID alone stays
    assert "No contact with V1" in agencies


def test_an_agency_not_listed_in_a_plan_is_refused_and_nothing_written(tmp_path: Path) -> None:
    out = tmp_path / "pack.md"
    code, stdout, err = _render(str(EXAMPLE), str(YOUTH), "--for", "housing", "--out", str(out))
    assert code == 2
    assert not out.exists() and stdout == ""
    assert "youth-risk-to-children.yaml" in err and "housing" in err
    assert "Callum" not in err and "Exampleton" not in err  # no value from a plan


def test_several_plans_are_each_projected_for_the_agency() -> None:
    code, out, err = _render(str(EXAMPLE), str(YOUTH), "--for", "police")
    assert code == 0, err
    assert "Partner agencies: Exampleton Police Public Protection Unit" in out
    assert "DVDS" in out  # police decided DS1 of the first plan
    assert "college safeguarding lead" not in out  # youth DS1 went to education only


@pytest.mark.parametrize("args, message", [
    (["--for", "police", "--audience", "individual"], "individual"),
    (["--for", "Not An ID"], "agency ID"),
    ([], "--audience"),
])
def test_bad_for_options_are_usage_errors(args: list[str], message: str) -> None:
    code, out, err = _render(str(EXAMPLE), *args)
    assert code == 2 and out == ""
    assert message in err


def test_the_audience_bound_to_the_agency_kind_is_chosen(tmp_path: Path) -> None:
    policy = tmp_path / "rmp.yaml"
    policy.write_text("""format: rmp-policy/1
audiences:
  tenancy:
    title: Tenancy support
    agency_kinds: [housing]
    include: [format, plan.id, "actions[*].id", "actions[*].title", agencies, disclosures]
  tenancy-two:
    title: Second binding, never chosen
    agency_kinds: [housing]
    include: ["*"]
""", encoding="utf-8")
    code, out, err = _render(str(EXAMPLE), "--for", "housing", "--policy", str(policy))
    assert code == 0, err
    assert "Prepared for **Tenancy support: Exampleton Housing Options**" in out
    assert "Police attend" not in out and "Withheld for this audience" in out
    # police's kind is bound to nothing: the agencies audience
    _, police, _ = _render(str(EXAMPLE), "--for", "police", "--policy", str(policy))
    assert "Prepared for **Partner agencies: Exampleton Police" in police
    # --audience overrides the binding
    _, panel, _ = _render(str(EXAMPLE), "--for", "housing", "--audience", "panel",
                          "--policy", str(policy))
    assert "Prepared for **MAPPA panel: Exampleton Housing Options**" in panel
    assert "DVDS" not in panel  # the agency filter still applies to the panel's allow-list


def test_a_plain_language_binding_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "rmp.yaml"
    policy.write_text("format: rmp-policy/1\naudiences:\n  easy:\n    title: Easy read\n"
                      "    plain_language: true\n    agency_kinds: [housing]\n"
                      "    include: [plan.id]\n", encoding="utf-8")
    code, _, err = _render(str(EXAMPLE), "--for", "housing", "--policy", str(policy))
    assert code == 2 and "written for the individual" in err


# -- the projection itself -------------------------------------------------------------------

def _plan() -> dict[str, Any]:
    return {
        "format": "rmp/1", "plan": {"id": "RMP-T1"},
        "controls": [{"id": "C1", "title": "No contact with V1"}],
        "actions": [{"id": "A1", "pillar": "supervision", "title": "Weekly contact",
                     "measure": "Under CT1"},
                    {"id": "A2", "pillar": "victim-safety", "title": "Safety plan",
                     "owner": {"agency": "idva"}}],
        "contingency": [{"id": "CT1", "when": "Contact with V1", "then": "Attend V1's home"},
                        {"id": "CT2", "when": "Misses curfew", "then": "Recall"}],
        "scenarios": [{"id": "SC1", "description": "Assaults V1", "response": ["CT1", "CT2"]}],
        "victims": [{"id": "V1", "group": "known_adult", "protected_by": ["A2"],
                     "confidential": True}],
        "disclosures": [{"id": "DS1", "decision": "disclose", "to": ["police"], "by": "police"}],
        "agencies": [{"id": "police", "name": "P", "kind": "police"},
                     {"id": "idva", "name": "I", "kind": "victim-services"}],
        "rationale": "Managed by disclosure (DS1).",
    }


def test_citations_take_contingency_and_scenarios_but_not_controls() -> None:
    audience = audience_from_policy(defaults(), "agencies")
    shown = project(_plan(), audience)
    assert [c["id"] for c in shown.data["contingency"]] == ["CT2"]
    assert shown.data["scenarios"] == []
    assert [c["id"] for c in shown.data["controls"]] == ["C1"]
    # A1 cites CT1, withheld only for naming V1: A1 stays (no cascade)
    assert [a["id"] for a in shown.data["actions"]] == ["A1", "A2"]
    assert shown.data["rationale"] == "Managed by disclosure (DS1)."


def test_the_agency_filter_and_what_cites_it() -> None:
    policy = defaults()
    data = _plan()
    idva = project(data, choose_audience(policy, data, "p.yaml", None, "idva")).data
    assert "disclosures" not in idva and "rationale" not in idva  # DS1 not told; cited
    assert [a["id"] for a in idva["actions"]] == ["A1", "A2"]     # idva owns A2
    police = project(data, choose_audience(policy, data, "p.yaml", None, "police")).data
    assert [d["id"] for d in police["disclosures"]] == ["DS1"]
    assert [a["id"] for a in police["actions"]] == ["A1"]         # A2 is idva's
    assert police["rationale"] == "Managed by disclosure (DS1)."


@pytest.mark.parametrize("agency", [None, *AGENCIES])
@pytest.mark.parametrize("name", ["agencies", "safeguarding-partner", "panel"])
def test_withholding_what_cites_equals_projecting_again(agency: str | None, name: str) -> None:
    """`project` removes what cites a withheld item from its first projection in place; the
    result must be what projecting again with those paths withheld gives."""
    from rmp.render.agency import never_to_agency
    from rmp.render.audience import _project
    from rmp.render.citations import citing_withheld

    data = _sentinel_plan()
    audience = choose_audience(defaults(), data, "p.yaml", name, agency)
    never = never_to_agency(data, agency) if agency else frozenset()
    texts: list[tuple[tuple[str | int, ...], str]] = []
    first = _project(data, audience, never, texts)
    citing = citing_withheld(data, first.withheld, texts)
    assert project(data, audience).data == _project(data, audience, never | citing, []).data


def test_changes_since_are_those_the_agency_may_see(tmp_path: Path) -> None:
    """A change to a disclosure decision is mentioned to the agencies it concerns only."""
    import os
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = repo / "plan.yaml"
    plan.write_bytes(EXAMPLE.read_bytes())
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
    text = plan.read_text(encoding="utf-8")
    assert "    decided: 2026-10-30\n" in text
    plan.write_text(text.replace("    decided: 2026-10-30\n", "    decided: 2026-10-31\n"),
                    encoding="utf-8")
    changes = {}
    for agency in ("police", "housing"):
        code, out, err = _render(str(plan), "--for", agency, "--no-policy", "--since", "HEAD")
        assert code == 0, err
        changes[agency] = out.split("Changes since", 1)[1].split("\n#", 1)[0]
    assert "DS1" in changes["police"]
    assert "DS1" not in changes["housing"]


def test_a_college_gets_the_safeguarding_partner_pack_by_default() -> None:
    code, out, err = _render(str(YOUTH), "--for", "education")
    assert code == 0, err
    assert "Prepared for **Safeguarding partner: Exampleton College**" in out
    assert "college safeguarding lead" not in out  # DS1's reason: not in that allow-list
