"""rmp explains itself: `rmp rules`, `rmp explain`, `rmp criteria`, `rmp policy show`,
`rmp schema`, and the registry behind them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rmp.explain.criteria import KNOWLEDGE, PERFORMANCE
from rmp.rules.catalogue import ALL_RULES
from tests.conftest import CASES, ROOT, TODAY, run_rmp

CODE = re.compile(r"RMP\d{3}\Z")


def test_registry_codes_are_unique_ordered_and_documented() -> None:
    codes = [r.code for r in ALL_RULES]
    assert len(codes) == len(set(codes)) == 79
    assert codes == sorted(codes)
    for rule in ALL_RULES:
        assert CODE.match(rule.code)
        assert rule.summary and rule.name == rule.name.lower()
        for criterion in rule.criteria:
            assert criterion in PERFORMANCE or criterion in KNOWLEDGE, (rule.code, criterion)
        # the docstring is the user documentation: why, a failing and a passing example, a fix
        assert "Fails" in rule.doc and "Passes" in rule.doc and "Fix" in rule.doc, rule.code


def test_every_rule_has_a_firing_and_a_clean_case_folder() -> None:
    folders = [p.name for p in (CASES / "check").iterdir() if p.is_dir()]
    expectations = {
        name: json.loads((CASES / "check" / name / "expected.json").read_text("utf-8"))
        for name in folders
    }
    for rule in ALL_RULES:
        if rule.phase == "load":
            continue
        fired = [n for n, e in expectations.items()
                 if any(f["code"] == rule.code for f in e["findings"])]
        clean = [n for n, e in expectations.items()
                 if rule.code in e.get("select", []) and not any(
                     f["code"] == rule.code for f in e["findings"])]
        if rule.code == "RMP505":  # waivers: tested in tests/test_waivers.py
            continue
        assert fired, f"{rule.code} has no firing case folder"
        assert clean, f"{rule.code} has no clean case folder"


def test_rules_lists_every_rule_in_every_format() -> None:
    text = run_rmp(["rules"]).stdout
    table = run_rmp(["rules", "--format", "md"]).stdout
    listed = json.loads(run_rmp(["rules", "--format", "json"]).stdout)
    for rule in ALL_RULES:
        assert rule.code in text and f"| {rule.code} |" in table
    assert [r["code"] for r in listed["rules"]] == [r.code for r in ALL_RULES]


def test_explain_shows_the_docstring_and_criteria() -> None:
    result = run_rmp(["explain", "rmp201"])
    assert result.exit_code == 0
    assert "RMP201" in result.stdout and "Fails" in result.stdout and "P3:" in result.stdout
    assert run_rmp(["explain", "RMP999"]).exit_code == 2


def test_criteria_map_covers_every_performance_criterion_present() -> None:
    rows = json.loads(run_rmp(["criteria", "--format", "json"]).stdout)["criteria"]
    by_id = {r["criterion"]: r for r in rows}
    for criterion, title in PERFORMANCE.items():
        if title is None:  # P16: absent from the source text
            assert by_id[criterion]["title"] == "absent from the source text"
            continue
        assert by_id[criterion]["rules"], f"{criterion} has no rule"
    text = run_rmp(["criteria"]).stdout
    assert "P16 and K14 are absent" in text and "record checked, not quality" in text


def test_criteria_for_a_plan(tmp_path: Path) -> None:
    clean = run_rmp(["criteria", str(ROOT / "examples" / "youth-risk-to-children.yaml"),
                     "--format", "json", "--today", TODAY])
    assert clean.exit_code == 0
    statuses = {c["criterion"]: c["status"] for c in clean.json()["criteria"]}
    assert statuses["P1"] == "evidenced" and statuses["P16"] == "absent-from-standard"
    bad = run_rmp(["criteria", str(CASES / "check" / "rmp201-risk-factor-without-action"
                                   / "plan.yaml"), "--format", "json", "--today", TODAY])
    assert bad.exit_code == 1
    rows = {c["criterion"]: c for c in bad.json()["criteria"]}
    assert rows["P3"]["status"] == "partly" and "RMP201" in rows["P3"]["findings"]
    assert run_rmp(["criteria", str(tmp_path / "missing.yaml")]).exit_code == 2


def test_policy_show_merges_over_defaults_and_says_where_values_came_from(tmp_path: Path) -> None:
    (tmp_path / "rmp.yaml").write_text(
        "format: rmp-policy/1\nrationale_min_words: 80\nrules: {RMP308: warning}\n",
        encoding="utf-8")
    shown = run_rmp(["policy", "show", str(tmp_path), "--format", "json"])
    assert shown.exit_code == 0
    data = shown.json()
    assert data["policy"]["rationale_min_words"] == 80
    assert data["policy"]["concern_within_hours"] == 24  # a default kept
    assert data["origin"]["rationale_min_words"].endswith("rmp.yaml")
    assert data["origin"]["concern_within_hours"] == "built-in"
    text = run_rmp(["policy", "show", str(tmp_path)]).stdout
    assert "# rationale_min_words: from" in text
    (tmp_path / "rmp.yaml").write_text("format: rmp-policy/1\nrationale_min_words: many\n",
                                       encoding="utf-8")
    broken = run_rmp(["policy", "show", str(tmp_path)])
    assert broken.exit_code == 2 and "rmp.yaml:2:" in broken.stderr and "RMP101" in broken.stderr


@pytest.mark.parametrize("name", ["plan", "policy"])
def test_schema_prints_the_bundled_schema_or_its_path(name: str) -> None:
    printed = run_rmp(["schema", name])
    assert json.loads(printed.stdout)["$schema"].endswith("2020-12/schema")
    path = Path(run_rmp(["schema", name, "--path"]).stdout.strip())
    assert path.is_file() and path.name == f"{name}.schema.json"
    assert run_rmp(["schema", "nonsense"]).exit_code == 2


def test_criteria_never_call_k22_evidenced_without_a_childrens_services_check(
        tmp_path: Path) -> None:
    text = (ROOT / "examples" / "youth-risk-to-children.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("kind: childrens-services-check", "kind: record"),
                    encoding="utf-8")
    result = run_rmp(["criteria", str(plan), "--format", "json", "--today", TODAY])
    rows = {c["criterion"]: c for c in result.json()["criteria"]}
    assert rows["K22"]["status"] == "missing" and "children's services" in rows["K22"]["needs"]
    shown = run_rmp(["criteria", str(plan), "--today", TODAY]).stdout
    assert "partly:" in shown and "evidenced:" in shown and "missing:" in shown


def test_the_issue_13_plan_draws_the_defensibility_rules_and_k22_is_not_evidenced() -> None:
    """The fictional plan built like the child-homicide case of issue 13 (suspended sentence,
    partner and children at home, old DA allegation and a child-exploitation enquiry on file,
    ratings low or medium, no checks, curfew without a home visit, PSO author, no sign-off)."""
    plan = CASES / "check" / "defensibility-suspended-sentence-children-in-household" / "plan.yaml"
    check = run_rmp(["check", str(plan), "--format", "json", "--today", TODAY, "--no-policy"])
    assert check.exit_code == 1
    codes = {f["code"] for f in check.json()["files"][0]["findings"]}
    assert {"RMP214", "RMP323", "RMP329", "RMP501"} <= codes, codes
    assert {"RMP215", "RMP216"} & codes, codes
    criteria = run_rmp(["criteria", str(plan), "--format", "json", "--today", TODAY])
    rows = {c["criterion"]: c for c in criteria.json()["criteria"]}
    assert rows["K22"]["status"] != "evidenced" and rows["K9"]["status"] != "evidenced"
