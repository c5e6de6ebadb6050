"""Issue 11 item 11: rmp never runs a program that the repository configures. A repository whose
`.git/config` and `.gitattributes` name a script for every hook point git offers (fsmonitor,
clean/smudge/process filters, external diff, diff drivers and textconv, pager, hooks, editors)
is read by every command that runs git; the script would leave a marker file, and it must never
appear. The plans are copies of the (fictional) examples."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, run_rmp

ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
PLAN = "domestic-abuse-licence-mappa2.yaml"
HOOK_NAMES = ("post-index-change", "pre-commit", "post-checkout", "post-merge",
              "reference-transaction", "fsmonitor-watchman", "pre-auto-gc")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, **ENV})


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(the repository, the marker file the hostile script would write)."""
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    _git(repo, "init", "-q")
    for example in (ROOT / "examples").glob("*.yaml"):
        if example.name != "rmp.yaml":
            shutil.copy(example, repo / "plans" / example.name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "plans")
    plan = repo / "plans" / PLAN
    plan.write_text(plan.read_text("utf-8").replace("curfew checks", "curfew and door checks", 1),
                    encoding="utf-8")
    _git(repo, "commit", "-qam", "curfew")
    # an uncommitted edit of the same size, so that git must compare the file's content with
    # the index (and would run a clean filter to do so)
    plan.write_text(plan.read_text("utf-8").replace("door checks", "gate checks", 1),
                    encoding="utf-8")
    marker = tmp_path / "marker"
    script = tmp_path / "hostile.sh"
    script.write_text(f"#!/bin/sh\necho ran \"$0\" \"$@\" >> '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in HOOK_NAMES:
        (hooks / name).symlink_to(script)
    (repo / ".gitattributes").write_text("*.yaml filter=evil diff=evil merge=evil\n",
                                         encoding="utf-8")
    for key, value in {
        "core.fsmonitor": str(script), "core.pager": str(script), "core.hooksPath": str(hooks),
        "core.editor": str(script), "core.askPass": str(script), "sequence.editor": str(script),
        "filter.evil.clean": str(script), "filter.evil.smudge": str(script),
        "filter.evil.process": str(script), "diff.external": str(script),
        "diff.evil.command": str(script), "diff.evil.textconv": str(script),
        "merge.evil.driver": str(script), "pager.log": str(script), "pager.diff": str(script),
        "pager.show": str(script), "pager.status": str(script), "gpg.program": str(script),
        "credential.helper": f"!{script}", "core.sshCommand": str(script),
    }.items():
        _git(repo, "config", "--local", key, value)
    monkeypatch.chdir(repo)
    return repo, marker


COMMANDS = {
    "render-since": ["render", f"plans/{PLAN}", "--audience", "panel", "--since", "HEAD~1",
                     "--today", TODAY],
    "render-since-date": ["render", f"plans/{PLAN}", "--audience", "panel", "--since",
                          "2000-01-01", "--today", TODAY],
    "check-changed-since": ["check", "plans", "--changed-since", "HEAD~1", "--today", TODAY],
    "status-changed-since": ["status", "plans", "--changed-since", "HEAD~1", "--today", TODAY],
    "diff": ["diff", f"plans/{PLAN}"],
    "diff-revisions": ["diff", f"plans/{PLAN}", "HEAD~1", "HEAD", "--format", "md"],
    "log": ["log", f"plans/{PLAN}"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_repository_program_runs(hostile: tuple[Path, Path], name: str) -> None:
    _repo, marker = hostile
    result = run_rmp(COMMANDS[name])
    assert result.exit_code in (0, 1), (result.stdout, result.stderr)
    assert not marker.exists(), marker.read_text("utf-8")


def test_changed_since_still_sees_an_uncommitted_edit(hostile: tuple[Path, Path]) -> None:
    result = run_rmp(["check", "plans", "--changed-since", "HEAD", "-f", "json", "--today",
                      TODAY])
    assert [Path(f["path"]).name for f in result.json()["files"]] == [PLAN]


def test_a_tracked_plan_replaced_by_a_fifo_or_device_link_is_not_read(
    hostile: tuple[Path, Path]
) -> None:
    repo, marker = hostile
    fifo = repo / "plans" / "youth-risk-to-children.yaml"
    fifo.unlink()
    os.mkfifo(fifo)  # hashing it would wait for a writer for ever
    zero = repo / "plans" / "community-order-violence-alcohol.yaml"
    zero.unlink()
    zero.symlink_to("/dev/zero")
    result = run_rmp(["check", "plans", "--changed-since", "HEAD", "-f", "json", "--today",
                      TODAY])
    assert result.exit_code == 0, result.stderr
    assert [Path(f["path"]).name for f in result.json()["files"]] == [PLAN]
    assert not marker.exists()


def test_render_since_says_nothing_of_an_item_that_became_confidential(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "plain"
    repo.mkdir()
    _git(repo, "init", "-q")
    plan = repo / PLAN
    shutil.copy(ROOT / "examples" / PLAN, plan)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "plan")
    text = plan.read_text("utf-8")
    assert "  - id: A1\n" in text
    plan.write_text(text.replace("  - id: A1\n", "  - id: A1\n    confidential: true\n", 1),
                    encoding="utf-8")
    monkeypatch.chdir(repo)
    for audience, shown in (("agencies", False), ("panel", True)):
        result = run_rmp(["render", PLAN, "--audience", audience, "--since", "HEAD",
                          "--today", TODAY, "--no-policy", "--generated",
                          "2026-11-27T09:00:00Z"])
        assert result.exit_code == 0, result.stderr
        changes = result.stdout.split("Changes since", 1)[1].split("\n## ", 1)[0]
        assert bool(re.search(r"\bA1\b", changes)) is shown, (audience, changes)
