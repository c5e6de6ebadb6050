"""House style as tests: mypy --strict on the package and ruff on everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def test_mypy_strict_on_the_package() -> None:
    completed = subprocess.run([str(BIN / "mypy"), "rmp"], cwd=ROOT, capture_output=True,
                               text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ruff() -> None:
    completed = subprocess.run([str(BIN / "ruff"), "check", "rmp", "tests", "benchmarks",
                                "docs/screenshots"],
                               cwd=ROOT, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
