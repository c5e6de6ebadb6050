"""Shared test helpers. All plans and names in tests are fictional."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner

from rmp.cli import app

# Hypothesis profiles (tests/test_fuzz.py says how to run the long one).
# `ci`, the default: a fixed seed (a failure reproduces on every machine and every run), no
# example database (nothing carried between runs), no deadline (a loaded CI machine is not a
# bug), a modest number of examples.
# `long`, on demand: many more examples, randomly chosen, failures kept in .hypothesis/.
settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=100, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", derandomize=False, deadline=None, max_examples=2000, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TODAY = "2026-11-27"
ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_rmp(args: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run the CLI in-process, the way a user's shell would, with stdout/stderr apart."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def all_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a plan's data (the root first), for mutation tests."""
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += all_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += all_paths(value, (*prefix, index))
    return out


def mutated(data: Any, mutations: list[tuple[tuple[Any, ...], Any]]) -> Any:
    """A deep copy of `data` with each (path, value) replaced; paths that an earlier
    replacement removed are skipped."""
    import copy

    result = copy.deepcopy(data)
    for path, replacement in mutations:
        node = result
        try:
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = replacement
        except (KeyError, IndexError, TypeError):
            continue
    return result


@pytest.fixture
def rmp() -> Any:
    return run_rmp


@pytest.fixture(scope="session")
def rmp_hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """This repository as a pre-commit hook source (a snapshot of the working tree committed
    into a fresh repository), its commit, and one PRE_COMMIT_HOME for the session: the hook's
    environment (about 5 s to build) is built once for every test that runs pre-commit."""
    from tests.test_ci_integration import _snapshot_of_this_repository

    hooks = tmp_path_factory.mktemp("rmp-hooks")
    rev = _snapshot_of_this_repository(hooks)
    return hooks, rev, tmp_path_factory.mktemp("pre-commit-home")
