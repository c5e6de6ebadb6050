"""No personal data in any output of `rmp check`: sentinel strings are put into every free-text
field of a plan (every string the schema does not constrain to an enum, a pattern or a date),
into a key's text, and into the policy's free text; the plan is also made to fire many rules.
No sentinel may appear in any output format, in a written report, or on stderr."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from rmp.io.load import load_bytes
from rmp.io.schema import load_schema
from tests.conftest import ROOT, TODAY, run_rmp

SENTINEL = "QX7SENTINEL"


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/$defs/")
        node = schema["$defs"][ref.split("/")[-1]]
    return node


def _is_free_text(schema: dict[str, Any], node: dict[str, Any] | None) -> bool:
    if node is None:
        return True  # x- extension keys: unknown content is free text
    node = _resolve(schema, node)
    for alternative in node.get("anyOf", []) + node.get("oneOf", []):
        if _is_free_text(schema, alternative):
            return True
    kinds = node.get("type")
    is_string = kinds == "string" or (isinstance(kinds, list) and "string" in kinds)
    return is_string and not ({"enum", "const", "pattern", "format"} & set(node))


def _child(schema: dict[str, Any], node: dict[str, Any] | None, key: Any) -> dict[str, Any] | None:
    if node is None:
        return None
    node = _resolve(schema, node)
    if isinstance(key, int):
        items = node.get("items")
        return items if isinstance(items, dict) else None
    return node.get("properties", {}).get(key)


def _fill(schema: dict[str, Any], node: dict[str, Any] | None, value: Any, counter: list[int]) -> Any:
    if isinstance(value, dict):
        return {k: _fill(schema, _child(schema, node, k), v, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(schema, _child(schema, node, i), v, counter) for i, v in enumerate(value)]
    if isinstance(value, str) and _is_free_text(schema, node):
        counter[0] += 1
        return f"{SENTINEL}{counter[0]:04d} 07700 900{counter[0]:03d} {SENTINEL}"
    return value


def _add_defensibility_fields(data: dict[str, Any]) -> None:
    """Every free-text field of the defensibility additions (filled with sentinels by `_fill`),
    and data that makes the defensibility rules fire and cite the items concerned."""
    person = {"name": "x", "role": "x"}
    assessment = data["assessment"]
    assessment["rosh_reasons"] = {"staff": "x"}
    assessment["rosh"]["public"]["community"] = "low"
    assessment["sources"].append({"id": "SRC98", "title": "x", "kind": "intelligence",
                                  "shows": ["weapons", "child-abuse"]})
    assessment["sources"].append({"id": "SRC99", "title": "x", "kind": "assessment",
                                  "rosh": "very-high", "result": "information-held"})
    assessment["offences"][0]["life_threatening"] = True
    assessment["tools"] = [{"name": "OVP", "band": "very-high", "source": "SRC1"}]
    data["plan"]["author"]["grade"] = "pso"
    for concern in data.get("concerns") or []:
        concern.update(kind="non-compliance", decision="no-action", decided_by=person,
                       decision_reason="x")
    data["options"][0].update(kind="recall", decided_by=person, decided="2026-10-01")
    data["individual"]["household"] = [{"relation": "partner"}, {"relation": "other-child"}]
    data["concerns"].append({"id": "CN9", "kind": "arrest", "identified": "2026-11-02",
                             "summary": "x"})


def _sentinel_plan(tmp_path: Path) -> tuple[Path, int]:
    source = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
    document, problems = load_bytes(str(source), source.read_bytes())
    assert document is not None and not problems
    schema = load_schema("plan")
    counter = [0]
    _add_defensibility_fields(document.data)
    data = _fill(schema, schema, document.data, counter)
    # make many rules fire, and put a sentinel into an action's status_note and a waiver
    data["actions"][0]["status"] = "blocked"
    data["actions"][0]["due"] = "2026-01-01"
    data["actions"][1].pop("owner", None)
    data["risk_factors"][0].pop("evidence", None)
    for action in data["actions"]:
        action["addresses"] = [t for t in action.get("addresses", []) if t != "RF1"]
    data["victims"][0]["protected_by"] = []
    data["plan"]["review"]["next"] = "2026-01-01"
    data["waivers"] = [{"rule": "RMP999", "reason": f"{SENTINEL}-waiver", "approved_by":
                        f"{SENTINEL}-approver", "until": "2020-01-01"}]
    target = tmp_path / "plan.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target, counter[0]


def test_the_sentinel_plan_really_covers_the_free_text(tmp_path: Path) -> None:
    target, count = _sentinel_plan(tmp_path)
    assert count >= 60, "too few free-text fields were replaced: the walk is broken"
    report = run_rmp(["check", str(target), "--format", "json", "--today", TODAY, "--no-policy"])
    codes = {f["code"] for f in report.json()["files"][0]["findings"]}
    # the plan must fire plenty of rules, or the test proves little
    assert {"RMP201", "RMP202", "RMP301", "RMP401", "RMP505", "RMP214", "RMP215",
            "RMP216", "RMP329", "RMP331", "RMP332"} <= codes, codes


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_no_free_text_in_any_output_format(tmp_path: Path, fmt: str) -> None:
    target, _ = _sentinel_plan(tmp_path)
    policy = tmp_path / "rmp.yaml"
    policy.write_text(
        "format: rmp-policy/1\n"
        f"waivers:\n  - {{rule: RMP201, plan: X, reason: {SENTINEL}-p, approved_by: {SENTINEL}-a, "
        "until: 2030-01-01}\n",
        encoding="utf-8",
    )
    written = tmp_path / f"report.{fmt}.out"
    result = run_rmp(["check", str(target), "--format", fmt, "--output", str(written),
                      "--format", fmt, "--today", TODAY, "--policy", str(policy),
                      "--show-waived", "--statistics"])
    assert result.exit_code == 1
    for text in (result.stdout, result.stderr, written.read_text(encoding="utf-8")):
        assert SENTINEL not in text
        assert "07700" not in text
    if fmt in ("json", "sarif"):
        json.loads(result.stdout)


def test_an_unknown_key_is_cited_by_its_parent_not_its_text(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    source = (ROOT / "examples" / "community-order-violence-alcohol.yaml").read_text("utf-8")
    target.write_text(source.replace("\nplan:\n", f"\nplan:\n  {SENTINEL}_name: 1\n", 1),
                      encoding="utf-8")
    for fmt in ("text", "json", "sarif", "github", "junit"):
        result = run_rmp(["check", str(target), "-f", fmt, "--today", TODAY, "--no-policy"])
        assert result.exit_code == 1
        assert SENTINEL not in result.stdout + result.stderr
        assert "RMP101" in result.stdout


# -- references that name nothing (issue 11 item 12) ----------------------------------------
# A reference field holds an ID; one that names no item or agency of the plan is never printed
# as written, since it may be anything the schema's ID pattern lets through (a name and a phone
# number, here). Findings cite the field instead.
REFERENCE_SENTINEL = "Jane.Smith-07700900123"
AGENCY_SENTINEL = "jane-smith-07700900124"


def _plan_with_dangling_references(tmp_path: Path) -> Path:
    source = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
    document, problems = load_bytes(str(source), source.read_bytes())
    assert document is not None and not problems
    data = document.data
    data["plan"]["lead"] = REFERENCE_SENTINEL
    data["plan"]["strategy"] = REFERENCE_SENTINEL
    data["actions"][0]["owner"]["agency"] = AGENCY_SENTINEL
    data["actions"][1]["owner"]["agency"] = REFERENCE_SENTINEL
    data["actions"][0]["addresses"] = [REFERENCE_SENTINEL]
    data["risk_factors"][0]["evidence"] = [REFERENCE_SENTINEL]
    data["victims"][0]["protected_by"] = [REFERENCE_SENTINEL]
    data["sharing"]["distributed"][0]["to"] = REFERENCE_SENTINEL
    data["sharing"]["distributed"][0]["audience"] = REFERENCE_SENTINEL
    data["sharing"]["distributed"][1]["audience"] = AGENCY_SENTINEL
    data["waivers"] = [{"rule": "RMP301", "item": REFERENCE_SENTINEL, "reason": "Fictional.",
                        "approved_by": "Fictional SPO", "until": "2030-01-01"}]
    target = tmp_path / "plans" / "plan.yaml"
    target.parent.mkdir()
    target.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (tmp_path / "plans" / "rmp.yaml").write_text(
        "format: rmp-policy/1\nstrategies:\n  - {id: north-2026, title: Fictional strategy}\n",
        encoding="utf-8")
    return target


def _assert_no_reference_sentinel(*texts: str) -> None:
    for text in texts:
        assert REFERENCE_SENTINEL not in text and AGENCY_SENTINEL not in text
        assert "0770090012" not in text


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_a_reference_that_names_nothing_is_not_printed(tmp_path: Path, fmt: str) -> None:
    target = _plan_with_dangling_references(tmp_path)
    result = run_rmp(["check", str(target), "--format", fmt, "--today", TODAY,
                      "--show-waived", "--statistics"])
    assert result.exit_code == 1, result.stderr
    _assert_no_reference_sentinel(result.stdout, result.stderr)
    for code in ("RMP103", "RMP104", "RMP105", "RMP502", "RMP503"):
        assert code in result.stdout, code


@pytest.mark.parametrize("args", [
    ["status", "--by", "agency"], ["status", "--by", "agency", "-f", "json"],
    ["status", "--by", "agency", "-f", "csv"], ["status"], ["status", "-f", "json"],
    ["status", "-f", "csv"], ["criteria"],
], ids=" ".join)
def test_status_and_criteria_print_no_dangling_reference(tmp_path: Path,
                                                         args: list[str]) -> None:
    target = _plan_with_dangling_references(tmp_path)
    result = run_rmp([*args, str(target), "--today", TODAY])
    assert result.exit_code in (0, 1), result.stderr
    _assert_no_reference_sentinel(result.stdout, result.stderr)
