"""Smoke test of the benchmark corpus generator (benchmarks/generate.py): its plans pass the
gate, its planted faults draw the rule codes the manifest promises and nothing else draws an
error, and the output depends only on the seed. All plans are fictional (the examples)."""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from rmp.check.pipeline import Target, check_file
from rmp.findings import Severity
from rmp.io.gate import read_plan
from rmp.io.load import load_bytes
from rmp.policy.load import defaults

ROOT = Path(__file__).resolve().parent.parent
COUNT = 24
SEED = 3


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def codes_drawn(path: Path, today: date) -> dict[str, set[str]]:
    result = check_file(Target(path, str(path), True), defaults(), today)
    assert result is not None
    drawn: dict[str, set[str]] = {"error": set(), "any": set()}
    for finding in result.findings:
        drawn["any"].add(finding.code)
        if finding.severity is Severity.ERROR:
            drawn["error"].add(finding.code)
    return drawn


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("corpus")
    return folder, generate.generate(str(folder), COUNT, seed=SEED, jobs=1)


def test_plans_pass_the_gate_and_are_marked_fictional(corpus: tuple[Path, dict[str, Any]]) -> None:
    folder, manifest = corpus
    plans = sorted(folder.glob("plan-*.yaml"))
    assert len(plans) == manifest["count"] == COUNT
    for path in plans:
        gated = read_plan(path)
        assert gated.passed, (path.name, [f.message for f in gated.findings])
        assert gated.document is not None and gated.document.data["x-fictional"] is True
        assert path.read_text(encoding="utf-8").startswith("# FICTIONAL")
        assert generate.MIN_BYTES <= path.stat().st_size <= generate.MAX_BYTES


def test_planted_faults_draw_their_codes_and_the_rest_is_clean(
    corpus: tuple[Path, dict[str, Any]],
) -> None:
    folder, manifest = corpus
    faulty = manifest["faulty"]
    assert 0 < len(faulty) < COUNT  # some of each, so both halves of the test run
    for path in sorted(folder.glob("plan-*.yaml")):
        drawn = codes_drawn(path, generate.TODAY)
        if path.name in faulty:
            assert set(faulty[path.name]) <= drawn["any"], path.name
        else:
            assert drawn["error"] == set(), path.name


@pytest.mark.parametrize("code", generate.FAULTS)
def test_every_kind_of_fault_draws_its_code(code: str, tmp_path: Path) -> None:
    today = date(2027, 3, 1)  # another --today: the plans move with it
    for number in range(1, 40):
        plan, faults, _ = generate.make_plan_data(SEED, number, today)
        if not faults and generate.plant(code, plan, random.Random(number), today, set()):
            break
    else:
        pytest.fail(f"no plan to plant {code} in")
    path = tmp_path / "plan.yaml"
    path.write_text(generate.dump(plan), encoding="utf-8")
    assert read_plan(path).passed
    assert code in codes_drawn(path, today)["any"]


def test_same_seed_same_bytes(tmp_path: Path, corpus: tuple[Path, dict[str, Any]]) -> None:
    folder, _ = corpus
    again = generate.generate(str(tmp_path), 6, seed=SEED, jobs=1)
    assert again["faulty"] == {k: v for k, v in corpus[1]["faulty"].items() if k <= "plan-00006.yaml"}
    for path in sorted(tmp_path.glob("plan-*.yaml")):
        assert path.read_bytes() == (folder / path.name).read_bytes()
    assert generate.make_plan(SEED + 1, 1) != generate.make_plan(SEED, 1)


def test_the_writer_quotes_what_rmp_would_not_read_as_a_string() -> None:
    plan, _, _ = generate.make_plan_data(SEED, 1)
    tricky = ["no", "yes", "on", "4", "0123", "1e5", "-1.5", ".5", "true", "False", "null", "~", "",
              "2026-11-27", "12:30", "0x1F", "a: b", "- x", "#x", "line one\nline two\n"]
    plan["x-strings"] = tricky
    document, problems = load_bytes("t.yaml", generate.dump(plan).encode("utf-8"))
    assert problems == [] and document is not None
    assert document.data == plan
