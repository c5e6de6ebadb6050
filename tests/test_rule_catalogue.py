"""The rule catalogue and the policy as architecture: no import cycle between them, families of
a readable size listed by hand, every threshold a documented policy key."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import jsonschema

from rmp.model.vocabulary import LEVELS
from rmp.policy.defaults import DEFAULTS
from rmp.policy.load import defaults
from rmp.rules import catalogue
from tests.conftest import ROOT

RMP = ROOT / "rmp"
RULES = RMP / "rules"
NOT_FAMILIES = {"__init__", "catalogue", "common", "registry", "text"}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every rmp module a file imports, at any level (function bodies and TYPE_CHECKING too)."""
    package = _module(path).split(".") if path.name == "__init__.py" else _module(path).split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in names if name == "rmp" or name.startswith("rmp.")}


def _graph() -> dict[str, set[str]]:
    modules = {_module(path): path for path in RMP.rglob("*.py")}

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    return {
        module: {t for n in _imports(path) if (t := resolve(n)) is not None and t != module}
        for module, path in modules.items()
    }


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        module = todo.pop()
        for target in graph.get(module, set()):
            if target == goal:
                return True
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return False


def test_no_import_cycle_through_the_policy_rules_check_or_explain() -> None:
    graph = _graph()
    mine = [m for m in graph if m.split(".")[:2] in (["rmp", "policy"], ["rmp", "rules"],
                                                      ["rmp", "check"], ["rmp", "explain"])]
    assert mine
    assert [m for m in mine if _reaches(graph, m, m)] == []


def test_the_policy_imports_nothing_from_the_rules() -> None:
    for path in (RMP / "policy").rglob("*.py"):
        assert not [n for n in _imports(path) if n.startswith("rmp.rules")], path


def test_package_init_files_import_nothing() -> None:
    for folder in ("policy", "rules"):
        tree = ast.parse((RMP / folder / "__init__.py").read_text(encoding="utf-8"))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]


def test_rule_modules_stay_small() -> None:
    for path in RULES.glob("*.py"):
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= 500, f"{path.name} has {lines} lines"


def test_every_family_module_is_in_the_hand_written_list_once() -> None:
    listed = [family.__name__.rpartition(".")[2] for family in catalogue.FAMILIES]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(p.stem for p in RULES.glob("*.py") if p.stem not in NOT_FAMILIES)
    assert all(family.RULES for family in catalogue.FAMILIES)


def test_the_catalogue_is_by_code_and_codes_are_unique() -> None:
    codes = [rule.code for rule in catalogue.ALL_RULES]
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    assert sum(len(family.RULES) for family in catalogue.FAMILIES) == len(codes)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found


def test_no_rosh_threshold_is_written_in_rule_code() -> None:
    for path in RULES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        literals = [
            (node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in LEVELS and id(node) not in docs
        ]
        assert literals == [], f"{path.name}: RoSH levels written in code: {literals}"


def test_every_policy_key_is_in_the_schema_with_a_title_and_description() -> None:
    schema = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))
    for key in DEFAULTS:
        spec = schema["properties"].get(key)
        assert spec is not None, f"{key} is not in the policy schema"
        assert spec.get("title") and spec.get("description"), key
    jsonschema.Draft202012Validator(schema).validate(DEFAULTS)


def test_the_typed_policy_holds_the_documented_defaults() -> None:
    policy = defaults()
    assert policy.values == DEFAULTS and set(policy.origin.values()) == {"built-in"}
    assert policy.signoff_from == "high"
    assert policy.review_interval_days.by_mappa_level == {3: 56, 2: 112}
    assert policy.mappa_min_rosh == {3: "high", 2: "high"}
    assert (policy.external_control_from, policy.scenarios_from, policy.contingency_from,
            policy.pillars_from, policy.children_safeguarding_from, policy.victim_groups_from,
            policy.control_lapse_from, policy.proportionality_from) == (
        "high", "high", "medium", "high", "medium", "medium", "high", "very-high")
    assert policy.disclosure_mappa_levels == {2, 3}
    first = policy.required_agencies[0]
    assert first.when.group == "children" and first.when.rosh_at_least == "medium"
    assert first.agencies == ("childrens-services",)


def test_the_typed_policy_holds_the_defensibility_defaults() -> None:
    policy = defaults()
    assert policy.evidence_floors["threats-to-kill"] == "high"
    assert policy.escalating_harms == {"weapons", "threats-to-kill", "stalking-harassment"}
    assert policy.escalation_floor == "high" and policy.life_threatening_floor == "high"
    assert policy.tool_floors["OVP"] == {"high": "medium", "very-high": "high"}
    assert policy.recall_within_hours == {"very-high": 2, "high": 24, "medium": 24}
    assert (policy.release_horizon_days, policy.breach_within_days,
            policy.decision_within_working_days, policy.mappa_referral_days,
            policy.plan_before_release_days, policy.release_assessment_days,
            policy.offence_floor_years) == (90, 10, 1, 28, 28, 90, 10)
    assert policy.author_max_rosh == {"pso": "medium", "pqip": "medium", "other": "medium"}
    assert "da-indicated" in policy.signoff_when and len(policy.signoff_when) == 6
