"""The compiled validator (jsonschema-rs) decides only "valid or not"; jsonschema gives the
messages. The two must agree on every plan, or a plan could skip the messages it needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmp.io.load import load_bytes
from rmp.io.schema import fast_validator, validator
from tests.conftest import CASES, ROOT, all_paths, mutated


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


def _agree(data: Any) -> None:
    fast = fast_validator("plan")
    assert fast is not None, "jsonschema-rs is a dependency and must be installed"
    python_valid = next(iter(validator("plan").iter_errors(data)), None) is None
    assert fast.is_valid(data) == python_valid


@pytest.mark.parametrize("path", PLANS, ids=[str(p.relative_to(ROOT)) for p in PLANS])
def test_engines_agree_on_every_fixture_and_example(path: Path) -> None:
    _agree(_data(path))


EXAMPLE = _data(ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml")
REPLACEMENTS = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "2024-02-30", "2027-01-31", "RF1", "very-high", "x", "20240105",
                     "high", "weekly", "in-progress", "2026-13-01"]),
    st.lists(st.sampled_from(["RF1", "A1", 3, None]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "x-note", "zz", "title"]), st.just("v"), max_size=2),
)


ALL_PATHS = all_paths(EXAMPLE)[1:]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), REPLACEMENTS), min_size=1, max_size=3))
def test_engines_agree_on_mutated_plans(mutations: list[tuple[tuple[Any, ...], Any]]) -> None:
    data = mutated(EXAMPLE, mutations)
    _agree(data)
