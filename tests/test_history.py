"""The git layer, on real temporary repositories with real commits at fixed dates.

Covers renames (`git mv`), a merge, a shallow clone, a file deleted and re-added, and
product hazard list cases 11 (option-shaped and unknown revisions), 12 (shallow clones; diffs across a
rename) and 13 (a plan absent at a revision, a non-UTF-8 version, a corrupt object). All plans
are the fictional examples, changed a little per commit.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import shlex
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from rmp.history.git import SHALLOW_MESSAGE
from rmp.history.log import plan_log
from rmp.history.versions import changed_since, last_commit, last_commits
from rmp.io.load import load_bytes
from rmp.model.view import overall_rosh as effective_overall_rosh
from tests.conftest import ROOT, run_rmp

EXAMPLE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git in tests sees no user or system configuration and a fixed identity."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Sam Example")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "sam@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Sam Example")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "sam@example.invalid")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


class Repo:
    """A throwaway repository with helpers to write plans and commit at a given date."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        completed = subprocess.run(["git", *args], cwd=self.root, capture_output=True,
                                   text=True, env={**os.environ, **(env or {})}, check=False)
        assert completed.returncode == 0, completed.stderr
        return completed.stdout.strip()

    def write(self, name: str, content: dict[str, Any] | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text("# Fictional test data.\n" + yaml.safe_dump(content, sort_keys=False),
                            encoding="utf-8")
        return path

    def commit(self, message: str, day: str) -> str:
        stamp = f"{day}T10:00:00+00:00"
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message,
                 env={"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp})
        return self.git("rev-parse", "HEAD")

    def files(self) -> set[str]:
        return {str(p.relative_to(self.root)) for p in self.root.rglob("*")
                if ".git" not in p.parts}


def base_plan() -> dict[str, Any]:
    document, problems = load_bytes(str(EXAMPLE), EXAMPLE.read_bytes())
    assert document is not None, problems
    data: dict[str, Any] = copy.deepcopy(document.data)
    return data


def changed(plan: dict[str, Any], **edits: Any) -> dict[str, Any]:
    """A copy with a few meaningful edits: rosh=(group, setting, level), review=date,
    add_action=ID, mappa=level."""
    new = copy.deepcopy(plan)
    if "rosh" in edits:
        group, setting, level = edits["rosh"]
        new["assessment"]["rosh"][group][setting] = level
        new["assessment"]["overall_rosh"] = effective_overall_rosh(
            {"assessment": {"rosh": new["assessment"]["rosh"]}})
    if "review" in edits:
        new["plan"]["review"]["next"] = edits["review"]
    if "add_action" in edits:
        new["actions"].append({"id": edits["add_action"], "pillar": "supervision",
                               "title": "Extra home visit", "status": "planned",
                               "owner": {"agency": "probation", "role": "Probation Practitioner"},
                               "frequency": "weekly", "measure": "Visit recorded"})
    if "mappa" in edits:
        new["assessment"]["mappa"]["level"] = edits["mappa"]
    return new


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


@pytest.fixture
def history(repo: Repo) -> Iterator[tuple[Repo, list[str]]]:
    plan = base_plan()
    repo.write("plans/p.yaml", plan)
    shas = [repo.commit("First version", "2026-10-01")]
    plan = changed(plan, rosh=("known_adult", "community", "high"), add_action="A99")
    repo.write("plans/p.yaml", plan)
    shas.append(repo.commit("Lower RoSH after review; extra visits", "2026-10-14"))
    plan = changed(plan, review="2027-01-14")
    repo.write("plans/p.yaml", plan)
    shas.append(repo.commit("Move the review", "2026-11-10"))
    yield repo, shas


# -- rmp log ------------------------------------------------------------------------------------

def test_log_lists_versions_newest_first_with_a_semantic_summary(
        history: tuple[Repo, list[str]]) -> None:
    repo, shas = history
    result = run_rmp(["log", str(repo.root / "plans/p.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["schema_version"] == 1
    entries = document["entries"]
    assert [e["commit"] for e in entries] == shas[::-1]
    assert [e["date"][:10] for e in entries] == ["2026-11-10", "2026-10-14", "2026-10-01"]
    assert {e["author"] for e in entries} == {"Sam Example"}
    assert entries[0]["summary"] == "review moved to 2027-01-14"
    assert "RoSH known_adult community very-high -> high" in entries[1]["summary"]
    assert "A99 added" in entries[1]["summary"]
    assert entries[2]["summary"] == "plan added"
    assert entries[2]["status"] == "added"

    text = run_rmp(["log", str(repo.root / "plans/p.yaml")])
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0].startswith("2026-11-10  " + shas[2][:10] + "  Sam Example  Move the review")
    assert lines[1].strip() == "review moved to 2027-01-14"


def test_log_since_and_until_filter_by_author_date(history: tuple[Repo, list[str]]) -> None:
    repo, shas = history
    result = run_rmp(["log", str(repo.root / "plans/p.yaml"), "--since", "2026-10-02",
                      "--until", "2026-10-31", "--format", "json"])
    assert [e["commit"] for e in result.json()["entries"]] == [shas[1]]
    bad = run_rmp(["log", str(repo.root / "plans/p.yaml"), "--since", "last week"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.stderr


def test_log_of_a_mistyped_path_is_a_usage_error(history: tuple[Repo, list[str]]) -> None:
    repo, _ = history
    result = run_rmp(["log", str(repo.root / "plans/q.yaml")])
    assert result.exit_code == 2
    assert "mistyped" in result.stderr


def test_log_uses_a_fixed_number_of_git_processes(repo: Repo,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plan = base_plan()
    for number in range(1, 31):
        plan = changed(plan, review=f"2027-01-{number:02d}")
        repo.write("p.yaml", plan)
        repo.commit(f"Version {number}", f"2026-10-{number:02d}")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting(args: list[str], *rest: Any, **options: Any) -> Any:
        calls.append(list(args))
        return real_run(args, *rest, **options)

    monkeypatch.setattr("rmp.history.git.subprocess.run", counting)
    log = plan_log(repo.root / "p.yaml")
    assert len(log.entries) == 30
    assert len(calls) <= 4, [c[3:6] for c in calls]
    assert sum("cat-file" in c for c in calls) == 1
    assert sum("log" in c for c in calls) == 1


# -- rmp diff -----------------------------------------------------------------------------------

def test_diff_defaults_to_the_last_commit_against_the_working_tree(
        history: tuple[Repo, list[str]]) -> None:
    repo, shas = history
    plan_path = repo.root / "plans/p.yaml"
    clean = run_rmp(["diff", str(plan_path), "--exit-code"])
    assert clean.exit_code == 0, clean.stderr
    assert "no changes" in clean.stdout
    plan = changed(base_plan(), mappa=3)
    repo.write("plans/p.yaml", plan)
    result = run_rmp(["diff", str(plan_path), "--format", "json", "--exit-code"])
    assert result.exit_code == 1
    document = result.json()
    assert document["from"]["commit"] == shas[2]
    assert document["to"]["label"] == "working tree"
    assert {"kind": "mappa-level", "path": "/assessment/mappa/level", "item": None,
            "item_kind": None, "field": "assessment.mappa.level", "old": 2,
            "new": 3} in document["changes"]


def test_diff_between_two_revisions(history: tuple[Repo, list[str]]) -> None:
    repo, shas = history
    result = run_rmp(["diff", str(repo.root / "plans/p.yaml"), shas[0], shas[1], "-f", "json"])
    assert result.exit_code == 0, result.stderr
    kinds = {(c["kind"], c["item"]) for c in result.json()["changes"]}
    assert ("rosh-down", None) in kinds and ("item-added", "A99") in kinds
    md = run_rmp(["diff", str(repo.root / "plans/p.yaml"), "HEAD~2", "HEAD", "--format", "md"])
    assert md.stdout.startswith("## Changes since last meeting")
    # values go through the shared Markdown escaper, and render exactly as written
    assert "next review moved: 2027\\-01\\-05 → 2027\\-01\\-14" in md.stdout


def test_diff_since_a_date_takes_the_version_as_it_stood_that_day(
        history: tuple[Repo, list[str]]) -> None:
    repo, shas = history
    result = run_rmp(["diff", str(repo.root / "plans/p.yaml"), "--since", "2026-10-20",
                      "-f", "json"])
    document = result.json()
    assert document["from"]["commit"] == shas[1]
    assert [c["kind"] for c in document["changes"]] == ["review-moved"]
    before_any = run_rmp(["diff", str(repo.root / "plans/p.yaml"), "--since", "2026-09-01",
                          "-f", "json"])
    assert [c["kind"] for c in before_any.json()["changes"]] == ["plan-added"]


def test_newly_overdue_judges_the_older_version_at_its_own_date(repo: Repo) -> None:
    plan = base_plan()
    plan["actions"][0].update({"due": "2026-11-20", "status": "in-progress"})
    repo.write("p.yaml", plan)
    repo.commit("Meeting version", "2026-11-10")
    result = run_rmp(["diff", str(repo.root / "p.yaml"), "--today", "2026-11-27", "-f", "json"])
    overdue = [c for c in result.json()["changes"] if c["kind"] == "action-newly-overdue"]
    assert [c["item"] for c in overdue] == [plan["actions"][0]["id"]]


def test_diff_follows_a_rename_across_git_mv(repo: Repo) -> None:
    """Product hazard list, case 12, second half."""
    plan = base_plan()
    repo.write("old-name.yaml", plan)
    first = repo.commit("First version", "2026-10-01")
    repo.git("mv", "old-name.yaml", "RMP-1001.yaml")
    repo.commit("Rename to the plan ID", "2026-10-02")
    repo.write("RMP-1001.yaml", changed(plan, review="2027-02-01"))
    repo.commit("Move the review", "2026-10-03")
    result = run_rmp(["diff", str(repo.root / "RMP-1001.yaml"), first, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = result.json()
    assert document["from"]["path"] == "old-name.yaml"
    assert [c["kind"] for c in document["changes"]] == ["review-moved"]
    log = run_rmp(["log", str(repo.root / "RMP-1001.yaml"), "-f", "json"]).json()["entries"]
    assert [e["status"] for e in log] == ["modified", "renamed", "added"]
    assert log[1]["old_path"] == "old-name.yaml"
    assert log[1]["summary"] == "renamed from old-name.yaml; no semantic change"


def test_a_merge_is_compared_with_its_first_parent(repo: Repo) -> None:
    plan = base_plan()
    repo.write("p.yaml", plan)
    repo.commit("First version", "2026-10-01")
    repo.git("checkout", "-q", "-b", "side")
    repo.write("p.yaml", changed(plan, rosh=("children", "community", "high")))
    side = repo.commit("Raise RoSH to children", "2026-10-02")
    repo.git("checkout", "-q", "main")
    repo.write("p.yaml", changed(plan, review="2027-02-01"))
    main = repo.commit("Move the review", "2026-10-03")
    repo.git("merge", "-q", "--no-edit", "side",
             env={"GIT_AUTHOR_DATE": "2026-10-04T10:00:00+00:00",
                  "GIT_COMMITTER_DATE": "2026-10-04T10:00:00+00:00"})
    merge = repo.git("rev-parse", "HEAD")
    entries = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"]).json()["entries"]
    by_commit = {e["commit"]: e for e in entries}
    assert {side, main, merge} <= set(by_commit)
    assert "RoSH children community medium -> high" in by_commit[merge]["summary"]
    assert "review" not in by_commit[merge]["summary"]
    assert by_commit[side]["summary"].startswith("RoSH children community medium -> high")
    result = run_rmp(["diff", str(repo.root / "p.yaml"), "HEAD^1", "HEAD", "-f", "json"])
    assert [c["kind"] for c in result.json()["changes"]] == ["rosh-up"]


def test_a_file_deleted_and_re_added(repo: Repo) -> None:
    plan = base_plan()
    repo.write("p.yaml", plan)
    repo.commit("First version", "2026-10-01")
    (repo.root / "p.yaml").unlink()
    repo.commit("Plan closed and removed", "2026-10-02")
    readded = copy.deepcopy(plan)
    readded["actions"][0]["title"] = "Re-planned alcohol treatment"
    repo.write("p.yaml", readded)
    repo.commit("Plan re-opened", "2026-10-03")
    entries = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"]).json()["entries"]
    assert [(e["status"], e["summary"]) for e in entries] == [
        ("added", "plan added"), ("removed", "plan removed"), ("added", "plan added")]
    across = run_rmp(["diff", str(repo.root / "p.yaml"), "HEAD~2", "HEAD", "-f", "json"]).json()
    action = plan["actions"][0]["id"]
    assert [(c["kind"], c["item"], c["field"]) for c in across["changes"]] == [
        ("field-changed", action, "title")]


def test_an_item_removed_and_re_added_is_a_removal_then_an_addition_in_the_log(
        repo: Repo) -> None:
    plan = changed(base_plan(), add_action="A99")
    repo.write("p.yaml", plan)
    first = repo.commit("With A99", "2026-10-01")
    without = copy.deepcopy(plan)
    without["actions"] = [a for a in plan["actions"] if a["id"] != "A99"]
    repo.write("p.yaml", without)
    repo.commit("A99 dropped", "2026-10-02")
    again = copy.deepcopy(plan)
    again["actions"][-1]["title"] = "Extra home visit, fortnightly"
    repo.write("p.yaml", again)
    last = repo.commit("A99 back", "2026-10-03")
    entries = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"]).json()["entries"]
    assert [e["summary"] for e in entries] == ["A99 added", "A99 removed", "plan added"]
    across = run_rmp(["diff", str(repo.root / "p.yaml"), first, last, "-f", "json"]).json()
    assert [(c["kind"], c["item"], c["field"]) for c in across["changes"]] == [
        ("field-changed", "A99", "title")]


# -- hazards 11-13 ------------------------------------------------------------------------------

@pytest.mark.parametrize("revision", ["--output=x", "-p", "--exec=touch x", "nope", "HEAD~99",
                                      "HEAD:plans/p.yaml", "HEAD\n--output=x"])
def test_case11_option_shaped_or_unknown_revision_exits_2_and_writes_nothing(
        history: tuple[Repo, list[str]], revision: str, monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    before = repo.files()
    for args in (["diff", "plans/p.yaml", "--", revision],
                 ["diff", "plans/p.yaml", "HEAD", "--", revision]):
        result = run_rmp(args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert result.stdout == ""
    assert repo.files() == before
    assert not (repo.root / "x").exists()
    assert repo.git("status", "--porcelain") == ""


def test_case11_revision_as_an_option_is_refused_by_the_parser(
        history: tuple[Repo, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    result = run_rmp(["diff", "plans/p.yaml", "--output=x"])
    assert result.exit_code == 2
    assert not (repo.root / "x").exists()


def test_case12_a_shallow_clone_says_to_fetch_full_history(
        history: tuple[Repo, list[str]], tmp_path: Path) -> None:
    repo, _ = history
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    plan = clone / "plans/p.yaml"
    for args in (["log", str(plan)], ["diff", str(plan), "HEAD~1"],
                 ["diff", str(plan), "--since", "2026-10-20"]):
        result = run_rmp(args)
        assert result.exit_code == 2, args
        assert SHALLOW_MESSAGE in result.stderr
        assert result.stdout == ""
    working = run_rmp(["diff", str(plan)])  # HEAD is there: this one can work
    assert working.exit_code == 0, working.stderr
    with pytest.raises(Exception, match="shallow clone"):
        changed_since("HEAD~1", [clone])


def test_case13_a_plan_absent_at_a_revision_is_added_or_removed(repo: Repo) -> None:
    repo.write("README.txt", b"Fictional test repository.\n")
    empty = repo.commit("Start", "2026-10-01")
    repo.write("p.yaml", base_plan())
    with_plan = repo.commit("First version", "2026-10-02")
    added = run_rmp(["diff", str(repo.root / "p.yaml"), empty, "-f", "json"]).json()
    assert added["from"]["path"] is None
    assert [c["kind"] for c in added["changes"]] == ["plan-added"]
    (repo.root / "p.yaml").unlink()
    removed = run_rmp(["diff", str(repo.root / "p.yaml"), with_plan, "-f", "json"]).json()
    assert [c["kind"] for c in removed["changes"]] == ["plan-removed"]
    neither = run_rmp(["diff", str(repo.root / "p.yaml"), empty])
    assert neither.exit_code == 2 and "mistyped" in neither.stderr


def test_case13_a_non_utf8_version_is_reported_for_that_version_only(repo: Repo) -> None:
    plan = base_plan()
    repo.write("p.yaml", plan)
    repo.commit("First version", "2026-10-01")
    text = (repo.root / "p.yaml").read_bytes()
    repo.write("p.yaml", text.replace(b"Fictional", b"Fictional \xff\xfe"))
    broken = repo.commit("Saved in the wrong encoding", "2026-10-02")
    repo.write("p.yaml", changed(plan, review="2027-02-01"))
    repo.commit("Fixed; review moved", "2026-10-03")
    result = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"])
    assert result.exit_code == 1  # a version fails the gate; the rest of the log goes on
    entries = result.json()["entries"]
    assert entries[1]["commit"] == broken
    assert [p["code"] for p in entries[1]["problems"]] == ["RMP001"]
    assert entries[1]["changes"] == []
    # the next version is compared with the last one that could be read
    assert entries[0]["compared_with"] == entries[2]["commit"]
    assert [c["kind"] for c in entries[0]["changes"]] == ["review-moved"]
    assert entries[2]["summary"] == "plan added"
    assert "RMP001" in result.stderr and "\xff" not in result.stderr
    diff = run_rmp(["diff", str(repo.root / "p.yaml"), broken])
    assert diff.exit_code == 1
    assert "cannot be read" in diff.stderr and "RMP001" in diff.stderr


def _loose_object(repo: Repo, sha: str) -> Path:
    return repo.root / ".git" / "objects" / sha[:2] / sha[2:]


@pytest.mark.parametrize("damage", ["truncated", "altered", "garbage"])
def test_case13_a_corrupt_object_is_an_error_for_that_version_and_the_rest_goes_on(
        repo: Repo, damage: str) -> None:
    plan = base_plan()
    repo.write("p.yaml", plan)
    repo.write("q.yaml", plan)
    repo.commit("First versions", "2026-10-01")
    repo.write("p.yaml", changed(plan, mappa=3))
    middle = repo.commit("MAPPA level 3", "2026-10-02")
    repo.write("p.yaml", changed(plan, mappa=3, review="2027-02-01"))
    repo.write("q.yaml", changed(plan, review="2027-03-01"))
    repo.commit("Reviews moved", "2026-10-03")
    blob = repo.git("rev-parse", f"{middle}:p.yaml")
    loose = _loose_object(repo, blob)
    original = loose.read_bytes()
    loose.chmod(0o644)
    if damage == "truncated":
        loose.write_bytes(original[:20])
    elif damage == "garbage":
        loose.write_bytes(b"not an object")
    else:
        content = zlib.decompress(original).replace(b"level: 3", b"level: 1")
        loose.write_bytes(zlib.compress(content))
    if damage == "altered":  # still inflates, but no longer matches its name
        assert hashlib.sha1(zlib.decompress(loose.read_bytes()),
                            usedforsecurity=False).hexdigest() != blob
    result = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"])
    assert result.exit_code == 1, result.stderr  # a version git cannot read; the rest goes on
    entries = result.json()["entries"]
    assert len(entries) == 3
    assert entries[1]["commit"] == middle
    assert [p["code"] for p in entries[1]["problems"]] == ["git-object"]
    assert entries[2]["summary"] == "plan added"
    assert entries[0]["compared_with"] == entries[2]["commit"]
    assert {c["kind"] for c in entries[0]["changes"]} == {"mappa-level", "review-moved"}
    other = run_rmp(["log", str(repo.root / "q.yaml"), "-f", "json"])
    assert other.exit_code == 0
    assert all(not e["problems"] for e in other.json()["entries"])
    diff = run_rmp(["diff", str(repo.root / "p.yaml"), middle, "-f", "json"])
    assert diff.exit_code == 1
    assert [p["code"] for p in diff.json()["problems"]] == ["git-object"]


# -- the gate: every version read passes rmp check's reading and schema rules ---------------------
# Exit codes of rmp diff and rmp log: 0 compared (rmp diff --exit-code: 1 when there are
# changes); 1 when a version fails the gate (reported with file:line:column, code and message,
# never a value); 2 for a usage error. Never an internal error.

def _yaml_with(plan: dict[str, Any], **action_fields: Any) -> bytes:
    """The plan as YAML text with the first action's fields replaced (any shape at all)."""
    broken = copy.deepcopy(plan)
    broken["actions"][0].update(action_fields)
    return ("# Fictional test data.\n" + yaml.safe_dump(broken, sort_keys=False)).encode()


def _line_of(text: bytes, needle: bytes) -> int:
    return text[:text.index(needle)].count(b"\n") + 1


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_diff_files_with_a_version_of_any_shape_is_a_problem_not_a_crash(
        tmp_path: Path, fmt: str) -> None:
    plan = base_plan()
    before, after = tmp_path / "a.yaml", tmp_path / "b.yaml"
    before.write_bytes(_yaml_with(plan))
    after.write_bytes(_yaml_with(plan, status=[]))
    result = run_rmp(["diff", "--files", str(before), str(after), "--format", fmt])
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr
    line = _line_of(after.read_bytes(), b"status: []")
    assert f"{after}:{line}:" in result.stderr
    assert "RMP101" in result.stderr and "actions[0].status" in result.stderr
    if fmt == "json":
        document = result.json()
        assert document["kind"] == "diff"
        assert document["complete"] is False and document["changes"] == []
        problems = document["problems"]
        assert {p["code"] for p in problems} == {"RMP101"}
        assert {(p["version"], p["line"], p["pointer"]) for p in problems} == {
            (str(after), line, "/actions/0/status")}
    else:
        assert "RMP101" in result.stdout


def test_a_gate_failure_never_shows_the_value(tmp_path: Path) -> None:
    plan = base_plan()
    before, after = tmp_path / "a.yaml", tmp_path / "b.yaml"
    before.write_bytes(_yaml_with(plan))
    after.write_bytes(_yaml_with(plan, status="QX7SECRET"))
    result = run_rmp(["diff", "--files", str(before), str(after), "--format", "json"])
    assert result.exit_code == 1
    assert "QX7SECRET" not in result.stdout + result.stderr
    assert [p["code"] for p in result.json()["problems"]] == ["RMP101"]


@pytest.fixture
def broken_history(repo: Repo) -> tuple[Repo, list[str]]:
    """Three commits: a good plan, a YAML syntax error, then a good plan with the review
    moved."""
    plan = base_plan()
    repo.write("p.yaml", plan)
    shas = [repo.commit("First version", "2026-10-01")]
    good = (repo.root / "p.yaml").read_bytes()
    broken = good.replace(b"\nplan:\n", b"\nplan: [\n", 1)
    assert broken != good
    repo.write("p.yaml", broken)
    shas.append(repo.commit("Half-edited", "2026-10-02"))
    repo.write("p.yaml", changed(plan, review="2027-02-01"))
    shas.append(repo.commit("Fixed; review moved", "2026-10-03"))
    return repo, shas


def test_log_reports_a_version_with_a_yaml_syntax_error_and_exits_1(
        broken_history: tuple[Repo, list[str]]) -> None:
    repo, shas = broken_history
    result = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"])
    assert result.exit_code == 1, result.stderr
    assert "internal error" not in result.stderr
    document = result.json()
    assert document["kind"] == "log"
    entries = document["entries"]
    assert [e["commit"] for e in entries] == shas[::-1]
    assert [p["code"] for p in entries[1]["problems"]] == ["RMP002"]
    assert entries[1]["changes"] == []
    assert entries[0]["compared_with"] == shas[0]
    assert [c["kind"] for c in entries[0]["changes"]] == ["review-moved"]
    assert f"p.yaml@{shas[1][:10]}:" in result.stderr and "RMP002" in result.stderr
    text = run_rmp(["log", str(repo.root / "p.yaml")])
    assert text.exit_code == 1
    assert "this version cannot be read" in text.stdout


def test_log_reports_a_schema_invalid_version_and_compares_around_it(repo: Repo) -> None:
    plan = base_plan()
    repo.write("p.yaml", plan)
    first = repo.commit("First version", "2026-10-01")
    repo.write("p.yaml", _yaml_with(plan, status=[]))
    wrong = repo.commit("Status of the wrong shape", "2026-10-02")
    repo.write("p.yaml", changed(plan, mappa=3))
    repo.commit("MAPPA level 3", "2026-10-03")
    result = run_rmp(["log", str(repo.root / "p.yaml"), "-f", "json"])
    assert result.exit_code == 1, result.stderr
    entries = result.json()["entries"]
    assert entries[1]["commit"] == wrong
    assert {p["code"] for p in entries[1]["problems"]} == {"RMP101"}
    assert entries[0]["compared_with"] == first
    assert [c["kind"] for c in entries[0]["changes"]] == ["mappa-level"]


def test_diff_against_a_revision_with_a_yaml_syntax_error_exits_1(
        broken_history: tuple[Repo, list[str]]) -> None:
    repo, shas = broken_history
    for args in (["diff", str(repo.root / "p.yaml"), shas[1]],
                 ["diff", str(repo.root / "p.yaml"), shas[0], shas[1], "-f", "json"]):
        result = run_rmp(args)
        assert result.exit_code == 1, (args, result.stderr)
        assert "internal error" not in result.stderr
        assert re.search(rf"p\.yaml@{shas[1][:10]}:\d+:\d+: RMP002 ", result.stderr)
    document = result.json()
    assert document["complete"] is False
    assert [(p["version"], p["code"]) for p in document["problems"]] == [(shas[1], "RMP002")]


def test_diff_working_tree_of_the_wrong_shape_exits_1(history: tuple[Repo, list[str]]) -> None:
    repo, _ = history
    repo.write("plans/p.yaml", _yaml_with(base_plan(), status={"nested": ["x"]}))
    result = run_rmp(["diff", str(repo.root / "plans/p.yaml"), "--exit-code"])
    assert result.exit_code == 1
    assert "internal error" not in result.stderr
    assert "RMP101" in result.stderr and "working tree" in result.stderr


# -- for other commands -------------------------------------------------------------------------

def test_last_commit_and_last_commits(history: tuple[Repo, list[str]]) -> None:
    repo, shas = history
    plan = repo.root / "plans/p.yaml"
    assert last_commit(plan) == shas[2]
    untracked = repo.write("plans/new.yaml", base_plan())
    assert last_commit(untracked) is None
    assert last_commit(Path("/")) is None
    repo.write("plans/p.yaml", changed(base_plan(), mappa=1))
    found = last_commits([plan, untracked])
    assert set(found) == {plan}
    assert found[plan].sha == shas[2] and found[plan].changed is True


def test_changed_since_lists_changed_plans_since_the_merge_base(
        repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = base_plan()
    for name in ("a.yaml", "b.yaml", "c.yaml", "gone.yaml"):
        repo.write(f"plans/{name}", plan)
    repo.write("notes.txt", b"Fictional.\n")
    repo.commit("Start", "2026-10-01")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("plans/a.yaml", changed(plan, mappa=3))
    (repo.root / "plans/gone.yaml").unlink()
    repo.write("notes.txt", b"Changed.\n")
    repo.commit("Change a", "2026-10-02")
    repo.write("plans/b.yaml", changed(plan, mappa=1))  # not committed
    repo.write("plans/new.yml", plan)                     # untracked
    repo.git("checkout", "-q", "main")
    # main moves on after the branch point: its change must not count
    repo.git("checkout", "-q", "-b", "tmp")
    repo.git("checkout", "-q", "feature")
    monkeypatch.chdir(repo.root)
    found = changed_since("main", [Path("plans")])
    assert found == [Path("plans/a.yaml"), Path("plans/b.yaml"), Path("plans/new.yml")]
    with pytest.raises(Exception, match="unknown revision"):
        changed_since("no-such-branch", [Path("plans")])
    with pytest.raises(Exception, match="revision"):
        changed_since("--output=x", [Path("plans")])


# -- rmp git-setup ------------------------------------------------------------------------------

def _rmp_command() -> str:
    return f"{shlex.quote(sys.executable)} -m rmp"


def test_git_setup_makes_git_diff_show_the_semantic_view(history: tuple[Repo, list[str]],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = history
    monkeypatch.chdir(repo.root)
    result = run_rmp(["git-setup", "--command", _rmp_command()])
    assert result.exit_code == 0, result.stderr
    attributes = (repo.root / ".gitattributes").read_text(encoding="utf-8")
    assert attributes == "*.yaml diff=rmp\n*.yml diff=rmp\n"
    assert repo.git("config", "--local", "diff.rmp.textconv") == f"{_rmp_command()} diff --textconv"
    assert "git config --unset diff.rmp.textconv" in result.stdout
    again = run_rmp(["git-setup", "--command", _rmp_command()])
    assert again.exit_code == 0 and "already set up" in again.stdout
    repo.write("plans/p.yaml", changed(base_plan(), review="2027-03-03"))
    shown = repo.git("diff", "--", "plans/p.yaml")
    assert "+plan.review.next: 2027-03-03" in shown
    assert "-plan.review.next: 2027-01-14" in shown
    patch = repo.git("log", "-p", "-1", "HEAD~1", "--", "plans/p.yaml")
    assert "[A99] action" in patch
    # other YAML files still diff as they are
    repo.write("other.yaml", b"name: ci\n")
    repo.commit("Add a non-plan file", "2026-11-11")
    repo.write("other.yaml", b"name: ci2\n")
    assert "+name: ci2" in repo.git("diff", "--", "other.yaml")


def test_git_setup_refuses_to_clobber_and_writes_nothing(repo: Repo,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo.root)
    repo.git("config", "--local", "diff.rmp.textconv", "something-else")
    result = run_rmp(["git-setup"])
    assert result.exit_code == 2
    assert not (repo.root / ".gitattributes").exists()
    repo.git("config", "--local", "--unset", "diff.rmp.textconv")
    (repo.root / ".gitattributes").write_text("*.yaml diff=other\n", encoding="utf-8")
    result = run_rmp(["git-setup"])
    assert result.exit_code == 2
    assert (repo.root / ".gitattributes").read_text(encoding="utf-8") == "*.yaml diff=other\n"
    assert subprocess.run(["git", "config", "--local", "diff.rmp.textconv"], cwd=repo.root,
                          capture_output=True, check=False).returncode == 1
    bad = run_rmp(["git-setup", "--pattern", "*.yaml diff=evil"])
    assert bad.exit_code == 2


def test_git_setup_keeps_existing_attributes(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo.root)
    (repo.root / ".gitattributes").write_text("*.png binary", encoding="utf-8")
    result = run_rmp(["git-setup", "--pattern", "plans/*.yaml", "--command", _rmp_command()])
    assert result.exit_code == 0, result.stderr
    assert (repo.root / ".gitattributes").read_text(encoding="utf-8") == (
        "*.png binary\nplans/*.yaml diff=rmp\n")


# -- outside git --------------------------------------------------------------------------------

def test_diff_outside_git_points_at_files_mode(tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_bytes(EXAMPLE.read_bytes())
    result = run_rmp(["diff", str(plan)])
    assert result.exit_code == 2
    assert "--files" in result.stderr


def test_textconv_passes_other_files_through(tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_bytes(b"on: push\n\xff\n")
    result = subprocess.run([sys.executable, "-m", "rmp", "diff", "--textconv", str(other)],
                            capture_output=True, check=False)
    assert result.returncode == 0 and result.stdout == b"on: push\n\xff\n"
