"""Reading input as other linters do: `-` for standard input, `--exclude`, `.gitignore`, an
unreadable subfolder as a finding, and the report format from the `--output` suffix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rmp.cli import app
from tests.conftest import ROOT, TODAY, Run, run_rmp

PLAN = ROOT / "examples" / "youth-risk-to-children.yaml"
ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def _stdin(args: list[str], data: bytes) -> Run:
    result = CliRunner().invoke(app, args, input=data, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def _broken() -> bytes:
    return PLAN.read_bytes().replace(b"status: active", b"status: nope", 1)


def _shown(report: dict[str, Any]) -> list[str]:
    return [file["path"] for file in report["files"]]


def _tree(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PLAN, root / name)


# -- `-`: one plan from standard input ---------------------------------------------------------

def test_dash_reads_one_plan_from_stdin() -> None:
    result = _stdin(["check", "-", "--no-policy", "--today", TODAY], PLAN.read_bytes())
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "1 file checked" in result.stdout


def test_findings_on_stdin_name_stdin_or_the_stdin_filename() -> None:
    result = _stdin(["check", "-", "--no-policy", "--today", TODAY, "-f", "json"], _broken())
    assert result.exit_code == 1
    report = result.json()
    assert _shown(report) == ["<stdin>"]
    assert report["files"][0]["findings"][0]["code"] == "RMP101"
    named = _stdin(["check", "-", "--stdin-filename", "plans/a.yaml", "--no-policy", "--today",
                    TODAY], _broken())
    assert named.exit_code == 1
    assert "plans/a.yaml:" in named.stdout and "<stdin>" not in named.stdout


def test_stdin_filename_finds_the_policy_of_its_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plans").mkdir()
    shutil.copy(ROOT / "examples" / "rmp.yaml", tmp_path / "plans" / "rmp.yaml")
    monkeypatch.chdir(tmp_path)
    args = ["check", "-", "--today", TODAY]
    assert "no policy file" in _stdin(args, PLAN.read_bytes()).stderr
    found = _stdin([*args, "--stdin-filename", "plans/a.yaml"], PLAN.read_bytes())
    assert "no policy file" not in found.stderr


def test_stdin_and_files_together() -> None:
    result = _stdin(["check", str(PLAN), "-", "--no-policy", "--today", TODAY, "-f", "json"],
                    _broken())
    assert result.exit_code == 1
    assert _shown(result.json()) == [str(PLAN), "<stdin>"]


def test_stdin_over_the_size_cap_is_a_finding() -> None:
    result = _stdin(["check", "-", "--no-policy", "-f", "json"], b"#" * (2 << 20))
    assert result.exit_code == 1
    (file,) = result.json()["files"]
    assert [f["code"] for f in file["findings"]] == ["RMP001"]


@pytest.mark.parametrize("args", [
    ["-", "-"],
    [str(PLAN), "--stdin-filename", "x.yaml"],
    ["-", "--changed-since", "HEAD"],
], ids=["dash-twice", "stdin-filename-without-dash", "dash-with-changed-since"])
def test_stdin_misuse_is_a_usage_error(args: list[str]) -> None:
    result = _stdin(["check", *args, "--no-policy"], PLAN.read_bytes())
    assert result.exit_code == 2
    assert "rmp: error:" in result.stderr


# -- --exclude ---------------------------------------------------------------------------------

def test_exclude_leaves_out_folders_and_files_of_a_walk(tmp_path: Path) -> None:
    _tree(tmp_path, "a.yaml", "drafts/b.yaml", "old/2025/c.yaml", "d.draft.yaml")
    args = ["check", str(tmp_path), "--no-policy", "--today", TODAY, "-f", "json"]
    everything = run_rmp(args).json()
    assert len(everything["files"]) == 4
    kept = run_rmp([*args, "--exclude", "drafts", "--exclude", "*.draft.yaml",
                    "--exclude", "old/2025/"]).json()
    assert _shown(kept) == [str(tmp_path / "a.yaml")]


def test_an_excluded_file_named_explicitly_is_checked(tmp_path: Path) -> None:
    _tree(tmp_path, "drafts/b.yaml")
    named = tmp_path / "drafts" / "b.yaml"
    result = run_rmp(["check", str(named), "--exclude", "drafts", "--exclude", "*.yaml",
                      "--no-policy", "--today", TODAY, "-f", "json"])
    assert _shown(result.json()) == [str(named)]


# -- .gitignore --------------------------------------------------------------------------------

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    subprocess.run(["git", "-C", str(root), "init", "-q"], check=True, env={**os.environ, **ENV})
    _tree(root, "plans/a.yaml", "plans/packs/b.yaml", "plans/scratch.yaml")
    (root / ".gitignore").write_text("packs/\nscratch.yaml\n", encoding="utf-8")
    return root


def test_a_walk_leaves_out_what_git_ignores(repo: Path) -> None:
    args = ["check", str(repo / "plans"), "--no-policy", "--today", TODAY, "-f", "json"]
    assert _shown(run_rmp(args).json()) == [str(repo / "plans" / "a.yaml")]
    everything = run_rmp([*args, "--no-respect-gitignore"]).json()
    assert len(everything["files"]) == 3


def test_an_ignored_file_named_explicitly_is_checked(repo: Path) -> None:
    named = repo / "plans" / "scratch.yaml"
    result = run_rmp(["check", str(named), "--no-policy", "--today", TODAY, "-f", "json"])
    assert _shown(result.json()) == [str(named)]


def test_an_ignored_folder_named_explicitly_is_checked_whole(repo: Path) -> None:
    """A generated folder of plans that git ignores (the benchmark corpus lives in one) is
    checked when named: ignore rules apply below a folder that is not itself ignored."""
    named = repo / "plans" / "packs"
    result = run_rmp(["check", str(named), "--no-policy", "--today", TODAY, "-f", "json"])
    assert _shown(result.json()) == [str(named / "b.yaml")]


def test_a_walk_outside_a_work_tree_ignores_nothing(tmp_path: Path) -> None:
    _tree(tmp_path, "a.yaml", "packs/b.yaml")
    (tmp_path / ".gitignore").write_text("packs/\n", encoding="utf-8")
    result = run_rmp(["check", str(tmp_path), "--no-policy", "--today", TODAY, "-f", "json"])
    assert len(result.json()["files"]) == 2


def test_status_takes_the_same_discovery_options(repo: Path) -> None:
    args = ["status", str(repo / "plans"), "--no-policy", "--today", TODAY, "-f", "json"]
    assert len(run_rmp(args).json()["plans"]) == 1
    assert len(run_rmp([*args, "--no-respect-gitignore"]).json()["plans"]) == 3
    assert len(run_rmp([*args, "--no-respect-gitignore", "--exclude", "packs"]).json()["plans"]) == 2


# -- an unreadable subfolder -------------------------------------------------------------------

def test_an_unreadable_subfolder_is_a_finding(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, "a.yaml", "locked/b.yaml")
    locked = tmp_path / "locked"
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        # as chmod 000 would, also when the tests run as root
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_rmp(["check", str(tmp_path), "--no-policy", "--today", TODAY, "-f", "json"])
    assert result.exit_code == 1
    files = {file["path"]: file["findings"] for file in result.json()["files"]}
    assert set(files) == {str(tmp_path / "a.yaml"), str(locked)}
    (finding,) = files[str(locked)]
    assert finding["code"] == "RMP001"
    assert "cannot read the folder" in finding["message"]


# -- -o FILE: the format from the suffix -------------------------------------------------------

@pytest.mark.parametrize(("name", "expect"), [
    ("report.sarif", "sarif"), ("report.json", "json"), ("report.xml", "junit"),
    ("report.txt", "text"),
])
def test_output_suffix_chooses_the_format(tmp_path: Path, name: str, expect: str) -> None:
    out = tmp_path / name
    result = _stdin(["check", "-", "--no-policy", "--today", TODAY, "-o", str(out)], _broken())
    assert result.exit_code == 1
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    if expect == "sarif":
        assert json.loads(text)["version"] == "2.1.0"
    elif expect == "json":
        assert json.loads(text)["files"][0]["path"] == "<stdin>"
    elif expect == "junit":
        assert text.startswith("<?xml") and "<testsuite" in text
    else:
        assert "<stdin>:15:" in text and "1 file checked" in text


def test_format_given_wins_over_the_suffix(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    _stdin(["check", "-", "--no-policy", "-f", "sarif", "-o", str(out)], _broken())
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
