"""rmp validates with one engine, jsonschema-rs: its verdict is the verdict and its errors give
the messages. This holds it against a reference validator on every fixture, example and
mutated plan: Python's jsonschema with ECMA-262 patterns (the `regress` engine, as
check-jsonschema validates), since JSON Schema patterns are ECMA-262 regular expressions and
Python's `re` is not one (its `$` also matches before a final newline).

The line-break cases are the reason this file exists: `id: |` gives `RMP-1001\\n`, which must
fail the schema, not become a pack file named `RMP-1001\\n.md`."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmp.io.load import load_bytes
from rmp.io.schema import load_schema, validator
from tests.conftest import CASES, ROOT, all_paths, mutated

LINE_BREAKS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85"]


def _data(path: Path) -> Any:
    document, problems = load_bytes(str(path), path.read_bytes())
    if document is None or problems or not isinstance(document.data, dict):
        return None
    return document.data if document.data.get("format") == "rmp/1" else None


# every loadable rmp/1 plan among the fixtures and examples (loader cases are not plans)
PLANS = sorted(
    p for p in [*CASES.glob("check/*/*.yaml"), *CASES.glob("check/*/*/*.yml"),
                *(ROOT / "examples").glob("*.yaml")]
    if p.name not in ("rmp.yaml", "rmp.yml") and _data(p) is not None
)


@lru_cache(maxsize=2)
def reference(name: str) -> Any:
    """Python jsonschema, Draft 2020-12, formats asserted, `pattern` as ECMA-262."""
    import jsonschema
    import regress

    def ecma_pattern(check: Any, pattern: str, instance: Any, schema: Any) -> Any:
        if isinstance(instance, str) and regress.Regex(pattern).find(instance) is None:
            yield jsonschema.ValidationError("does not match the pattern")

    base = jsonschema.Draft202012Validator
    cls = jsonschema.validators.extend(base, validators={"pattern": ecma_pattern})
    return cls(load_schema(name), format_checker=base.FORMAT_CHECKER)


def _agree(data: Any, name: str = "plan") -> bool:
    """Assert that both engines give one verdict on `data`; return that verdict."""
    engine_valid = validator(name).is_valid(data)
    reference_valid = next(iter(reference(name).iter_errors(data)), None) is None
    assert engine_valid == reference_valid
    # and the engine never rejects a plan without saying where
    assert engine_valid == (next(iter(validator(name).iter_errors(data)), None) is None)
    return engine_valid


@pytest.mark.parametrize("path", PLANS, ids=[str(p.relative_to(ROOT)) for p in PLANS])
def test_engines_agree_on_every_fixture_and_example(path: Path) -> None:
    _agree(_data(path))


EXAMPLE = _data(ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml")
ALL_PATHS = all_paths(EXAMPLE)[1:]
POLICY = load_bytes("rmp.yaml", (ROOT / "examples" / "rmp.yaml").read_bytes())[0].data  # type: ignore[union-attr]


def _pattern_fields(data: Any, name: str = "plan") -> list[tuple[Any, ...]]:
    """Every string in `data` that a `pattern` constrains, found by asking the engine which
    fields reject a value no pattern of the format allows (so the list follows the schema)."""
    from jsonschema_rs import ValidationErrorKind

    found = []
    for path in all_paths(data)[1:]:
        probe = mutated(data, [(path, "!")])
        if any(isinstance(error.kind, ValidationErrorKind.Pattern)
               and tuple(error.instance_path) == path
               for error in validator(name).iter_errors(probe)):
            found.append(path)
    return found


PATTERN_FIELDS = _pattern_fields(EXAMPLE)
POLICY_PATTERN_FIELDS = _pattern_fields(POLICY, "policy")


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def test_every_kind_of_pattern_field_is_covered() -> None:
    # IDs of many kinds, references, agency IDs: the example reaches each pattern of the schema
    patterns = {
        error.kind.pattern  # type: ignore[union-attr]
        for path in PATTERN_FIELDS
        for error in validator("plan").iter_errors(mutated(EXAMPLE, [(path, "!")]))
    }
    defined = {d["pattern"] for d in load_schema("plan")["$defs"].values() if "pattern" in d}
    assert len(PATTERN_FIELDS) > 50
    assert defined - patterns <= {"^RMP[0-9]{3}$"}  # rule codes appear only in waivers


def _pattern_errors(data: Any, name: str) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The fields each engine rejects for their pattern."""
    from jsonschema_rs import ValidationErrorKind

    engine = {tuple(error.instance_path) for error in validator(name).iter_errors(data)
              if isinstance(error.kind, ValidationErrorKind.Pattern)}
    python = {tuple(error.absolute_path) for error in reference(name).iter_errors(data)
              if error.validator == "pattern"}
    return engine, python


VARIANTS = {
    "after": lambda value, brk: value + brk,
    "before": lambda value, brk: brk + value,
    "inside": lambda value, brk: value[:1] + brk + value[1:],
    "twice after": lambda value, brk: value + brk + brk,
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("brk", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
@pytest.mark.parametrize("name", ["plan", "policy"])
def test_a_line_break_in_every_pattern_field_fails_in_both_engines(
    name: str, brk: str, variant: str,
) -> None:
    """Every pattern field broken at once: both engines reject each one, and nothing else."""
    data, fields = (EXAMPLE, PATTERN_FIELDS) if name == "plan" else (POLICY, POLICY_PATTERN_FIELDS)
    broken = mutated(data, [(path, VARIANTS[variant](_at(data, path), brk)) for path in fields])
    engine, python = _pattern_errors(broken, name)
    assert engine == python == set(fields)


def test_a_final_newline_in_each_pattern_field_alone_fails_in_both_engines() -> None:
    """The issue's case, one field at a time: `id: |` and its kind give `RMP-1001\\n`."""
    for path in PATTERN_FIELDS:
        assert _agree(mutated(EXAMPLE, [(path, _at(EXAMPLE, path) + "\n")])) is False, path


def test_a_line_break_in_a_waiver_rule_code_fails_in_both_engines() -> None:
    plan = copy.deepcopy(EXAMPLE)
    plan["waivers"] = [{"rule": "RMP301"}]
    assert _agree(plan) is True
    for brk in LINE_BREAKS:
        plan["waivers"] = [{"rule": "RMP301" + brk}]
        assert _agree(plan) is False


REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "2024-02-30", "2027-01-31", "RF1", "very-high", "x", "20240105",
                     "high", "weekly", "in-progress", "2026-13-01", "2027-01-31\n"]),
    st.builds(lambda value, brk, where: value[:where] + brk + value[where:],
              st.sampled_from(["RF1", "A1", "RMP-1001", "probation", "C2", "2027-01-31"]),
              st.sampled_from(LINE_BREAKS), st.integers(0, 9)),
    st.lists(st.sampled_from(["RF1", "A1", 3, None, "RF1\n"]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "x-note", "zz", "title"]), st.just("v"), max_size=2),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), REPLACEMENTS), min_size=1, max_size=3))
def test_engines_agree_on_mutated_plans(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    _agree(mutated(EXAMPLE, mutations))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATTERN_FIELDS), st.sampled_from(LINE_BREAKS), st.integers(0, 70))
def test_engines_agree_on_line_breaks_in_pattern_fields(
    path: tuple[Any, ...], brk: str, where: int,
) -> None:
    value = _at(EXAMPLE, path)
    _agree(mutated(EXAMPLE, [(path, value[:where] + brk + value[where:])]))


def test_a_rejected_plan_always_has_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the engine say "invalid" and list nothing describable, the plan still fails."""
    from rmp.io import schema

    class Silent:
        def is_valid(self, data: Any) -> bool:
            return False

        def iter_errors(self, data: Any) -> Any:
            return iter(())

    document = load_bytes("plan.yaml", (ROOT / "examples" / "rmp.yaml").read_bytes())[0]
    assert document is not None
    monkeypatch.setattr(schema, "validator", lambda name: Silent())
    (finding,) = schema.schema_findings(document, "plan")
    assert (finding.code, finding.line, finding.pointer) == ("RMP101", 1, "")
