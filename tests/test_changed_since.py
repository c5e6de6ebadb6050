"""`--changed-since REV` on `rmp check` and `rmp status`: only plans changed since a revision."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, run_rmp

ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, **ENV})


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "plans"
    root.mkdir()
    _git(root, "init", "-q")
    for plan in (ROOT / "examples").glob("*.yaml"):
        shutil.copy(plan, root / plan.name)
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "plans")
    monkeypatch.chdir(root)
    return root


def test_check_only_the_changed_plan(repo: Path) -> None:
    changed = repo / "youth-risk-to-children.yaml"
    changed.write_text(changed.read_text("utf-8").replace("status: active", "status: nope", 1),
                       encoding="utf-8")
    result = run_rmp(["check", ".", "--changed-since", "HEAD", "-f", "json", "--today", TODAY])
    assert result.exit_code == 1
    assert [Path(f["path"]).name for f in result.json()["files"]] == ["youth-risk-to-children.yaml"]
    status = run_rmp(["status", ".", "--changed-since", "HEAD", "-f", "csv", "--today", TODAY])
    assert status.stdout.count("\n") == 2  # header and the one plan


def test_nothing_changed_checks_nothing(repo: Path) -> None:
    result = run_rmp(["check", ".", "--changed-since", "HEAD", "-f", "json", "--today", TODAY])
    assert result.exit_code == 0
    assert result.json()["files"] == []


def test_option_shaped_or_unknown_revision_is_refused(repo: Path) -> None:
    for revision in ("--output=x", "no-such-branch"):
        result = run_rmp(["check", ".", f"--changed-since={revision}", "--today", TODAY])
        assert result.exit_code == 2, revision
    assert not (repo / "x").exists()
