"""Shared test helpers. All plans and names in tests are fictional."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rmp.cli import app

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


@pytest.fixture
def rmp() -> Any:
    return run_rmp
