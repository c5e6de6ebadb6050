"""The architecture as tests: one-way imports, small modules, one vocabulary, one reading of
a plan (docs/architecture.md is the map these hold true)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from rmp.model import vocabulary
from tests.conftest import ROOT

PACKAGE = ROOT / "rmp"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every rmp module this file imports, wherever the import stands (module level,
    function level or under TYPE_CHECKING): a deferred import is still a dependency."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            # `from rmp.x import y` may import the submodule rmp.x.y
            names += [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in MODULES)
    return found


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    return found


def test_no_import_cycle_inside_rmp() -> None:
    assert _cycles() == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    saved = dict(GRAPH)
    try:
        GRAPH["rmp.model.vocabulary"] = {"rmp.model.view"}
        assert any({"rmp.model.view", "rmp.model.vocabulary"} <= set(c) for c in _cycles())
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


def test_package_init_files_import_nothing_of_rmp() -> None:
    """Importing a submodule runs its package's __init__: one that imported siblings would
    hide cycles and cost start-up time."""
    heavy = {name: sorted(GRAPH[name]) for name, path in MODULES.items()
             if path.name == "__init__.py" and name != "rmp" and GRAPH[name]}
    assert heavy == {}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_over_500_lines(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines: split it by responsibility"


def test_the_model_depends_on_nothing_but_itself() -> None:
    """The vocabulary, paths and view are the bottom layer every command reads."""
    for name in ("rmp.model.vocabulary", "rmp.model.paths", "rmp.model.view"):
        assert all(target.startswith("rmp.model") for target in GRAPH[name]), name


def test_only_the_history_git_module_runs_git() -> None:
    runners = sorted(name for name, path in MODULES.items()
                     if "subprocess" in path.read_text(encoding="utf-8")
                     and name != "rmp.history.git")
    assert runners == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES
                                      if n == "rmp.cli" or n.startswith("rmp.commands")))
def test_the_command_line_only_parses_calls_prints(name: str) -> None:
    """cli.py and the command modules reach the library only through its jobs (rmp.app) and
    the shared output helpers: no orchestration lives in the command line."""
    shared = {"rmp", "rmp.errors", "rmp.findings", "rmp.report.base"}
    reached = sorted(t for t in GRAPH[name] if t not in shared
                     and not t.startswith(("rmp.app.", "rmp.output.", "rmp.commands")))
    assert reached == []


# -- one vocabulary -----------------------------------------------------------------------

SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))


def _enum(*path: str) -> list[str]:
    node = SCHEMA
    for step in path:
        node = node[step]
    return list(node["enum"])


@pytest.mark.parametrize(("words", "where"), [
    (vocabulary.LEVELS, ("$defs", "roshLevel")),
    (vocabulary.GROUPS, ("$defs", "roshGroup")),
    (vocabulary.FREQUENCIES, ("$defs", "frequency")),
    (vocabulary.SETTINGS, ("properties", "individual", "properties", "setting")),
    (vocabulary.PLAN_STATUSES, ("properties", "plan", "properties", "status")),
    (vocabulary.PILLARS, ("properties", "actions", "items", "properties", "pillar")),
    (vocabulary.ACTION_STATUSES, ("properties", "actions", "items", "properties", "status")),
    (vocabulary.SOURCE_RESULTS, ("properties", "assessment", "properties", "sources", "items",
                                 "properties", "result")),
], ids=["levels", "groups", "frequencies", "settings", "plan-statuses", "pillars",
        "action-statuses", "source-results"])
def test_vocabulary_matches_the_schema(words: tuple[str, ...], where: tuple[str, ...]) -> None:
    assert list(words) == _enum(*where)


def test_section_order_is_the_schema_order() -> None:
    assert list(vocabulary.SECTION_ORDER) == list(SCHEMA["properties"])


def test_rosh_settings_are_the_rated_settings() -> None:
    rated = SCHEMA["$defs"]["roshSettings"]["properties"]
    assert list(rated) == list(vocabulary.ROSH_SETTINGS)
    groups = SCHEMA["properties"]["assessment"]["properties"]["rosh"]["properties"]
    assert list(groups) == list(vocabulary.GROUPS)


def test_item_kinds_stand_where_the_schema_has_lists_with_ids() -> None:
    for kind in vocabulary.KINDS:
        node = SCHEMA
        for step in kind.section:
            node = node["properties"][step]
        assert node["type"] == "array", kind.name
        item = node["items"]
        if "$ref" in item:
            item = SCHEMA["$defs"][item["$ref"].rsplit("/", 1)[1]]
        assert "id" in item["properties"], kind.name


def test_the_gate_names_the_reading_rules_as_the_registry_does() -> None:
    from rmp.io.gate import LOAD_CRITERIA
    from rmp.rules.catalogue import RULES_BY_CODE

    assert {code: RULES_BY_CODE[code].criteria for code in LOAD_CRITERIA} == LOAD_CRITERIA
