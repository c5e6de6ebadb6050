"""Every JSON output carries the same envelope: `schema_version`, the tool and its version,
and `kind` (what the document is), so consumers read one shape."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from rmp import __version__
from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLE = ROOT / "examples" / "community-order-violence-alcohol.yaml"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid"})


@pytest.fixture
def committed(tmp_path: Path) -> Path:
    repo = tmp_path / "plans"
    repo.mkdir()
    _git(repo, "init", "-q")
    plan = repo / "plan.yaml"
    plan.write_bytes(EXAMPLE.read_bytes())
    _git(repo, "add", "plan.yaml")
    _git(repo, "commit", "-q", "-m", "first")
    return plan


COMMANDS = {
    "check": ["check", str(EXAMPLE), "-f", "json", "--today", TODAY, "--no-policy"],
    "status": ["status", str(EXAMPLE), "-f", "json", "--today", TODAY, "--no-policy"],
    "status-by-agency": ["status", str(EXAMPLE), "--by", "agency", "-f", "json", "--today", TODAY,
                         "--no-policy"],
    "diff": ["diff", "--files", str(EXAMPLE), str(EXAMPLE), "-f", "json", "--today", TODAY],
    "rules": ["rules", "-f", "json"],
    "explain": ["explain", "RMP201", "-f", "json"],
    "criteria": ["criteria", "-f", "json"],
    "coverage": ["criteria", str(EXAMPLE), "-f", "json", "--today", TODAY],
    "policy": ["policy", "show", str(ROOT / "examples"), "-f", "json"],
}


def _assert_envelope(stdout: str, kind: str) -> None:
    document = json.loads(stdout)
    assert document["schema_version"] == 1
    assert document["tool"] == {"name": "rmp", "version": __version__}
    assert document["kind"] == kind
    assert list(document)[:3] == ["schema_version", "tool", "kind"]


@pytest.mark.parametrize("kind", sorted(COMMANDS))
def test_every_json_output_has_the_envelope(kind: str) -> None:
    result = run_rmp(COMMANDS[kind])
    assert result.exit_code in (0, 1), result.stderr
    _assert_envelope(result.stdout, kind)


def test_log_json_has_the_envelope(committed: Path) -> None:
    result = run_rmp(["log", str(committed), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    _assert_envelope(result.stdout, "log")
