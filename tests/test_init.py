"""`rmp init`: a plan repository set up the way a team adopts rmp, and `rmp new` inside it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rmp.app.init import PLAN_SCHEMA, InitRequest, planned_files
from rmp.policy.defaults import DEFAULTS
from tests.conftest import ROOT, TODAY, run_rmp
from tests.test_ci_integration import VENV_BIN, _git

EXAMPLE = ROOT / "examples" / "community-order-violence-alcohol.yaml"


def test_dry_run_lists_every_file_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    result = run_rmp(["init", str(target), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    for name in ("rmp.yaml", PLAN_SCHEMA, ".vscode/settings.json", ".pre-commit-config.yaml",
                 ".github/workflows/rmp.yml", ".gitignore"):
        assert f"would write {name}" in result.stdout
    assert "git-setup" in result.stdout and "git init" in result.stdout
    assert not target.exists()


def test_init_never_overwrites_and_says_what_it_left(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / ".gitignore").write_text("mine\n", encoding="utf-8")
    result = run_rmp(["init", str(target), "--ci", "gitlab"])
    assert result.exit_code == 0, result.stderr
    assert (target / ".gitignore").read_text(encoding="utf-8") == "mine\n"
    assert ".gitignore already exists" in result.stderr
    assert (target / ".gitlab-ci.yml").is_file() and not (target / ".github").exists()
    assert "plans/**/*.yaml diff=rmp" in (target / ".gitattributes").read_text(encoding="utf-8")
    again = run_rmp(["init", str(target), "--ci", "gitlab"])
    assert again.exit_code == 0
    assert "rmp.yaml already exists" in again.stderr
    assert not list(target.rglob("*.tmp"))


def test_init_refuses_before_writing_when_git_says_otherwise(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    _git(target, "init", "-q")
    _git(target, "config", "diff.rmp.textconv", "something-else")
    result = run_rmp(["init", str(target)])
    assert result.exit_code == 2
    assert sorted(p.name for p in target.iterdir()) == [".git"]


def test_the_policy_is_valid_and_holds_the_defaults_commented_out(tmp_path: Path) -> None:
    from rmp.policy.load import load_policy

    text = planned_files(InitRequest(tmp_path))["rmp.yaml"].decode("utf-8")
    policy_file = tmp_path / "rmp.yaml"
    policy_file.write_text(text, encoding="utf-8")
    assert load_policy(policy_file, lambda d, s: []).values == DEFAULTS
    uncommented = re.sub(r"^# (?!yaml-language-server)", "", text, flags=re.M)
    policy_file.write_text(uncommented, encoding="utf-8")
    loaded = load_policy(policy_file, lambda d, s: [])
    assert set(loaded.origin.values()) == {str(policy_file)}, "a default is not written out"
    assert loaded.values == DEFAULTS


@pytest.mark.parametrize(("ci", "name", "schema"), [
    ("github", ".github/workflows/rmp.yml", "vendor.github-workflows"),
    ("gitlab", ".gitlab-ci.yml", "vendor.gitlab-ci"),
])
def test_the_ci_files_validate_and_are_the_documented_ones(
    tmp_path: Path, ci: str, name: str, schema: str,
) -> None:
    content = planned_files(InitRequest(tmp_path, ci=ci))[name]
    documented = ROOT / "docs" / "ci" / ("github-workflow.yml" if ci == "github" else
                                         "gitlab-ci.yml")
    assert documented.read_bytes() == content, f"{documented} differs from rmp init's"
    text = content.decode("utf-8")
    if ci == "github":
        for needed in ("fetch-depth: 0", "timeout-minutes:", "contents: read", "actions: read",
                       "security-events: write"):
            assert needed in text
    else:
        assert 'GIT_DEPTH: "0"' in text and "timeout:" in text
    completed = subprocess.run(
        [str(VENV_BIN / "check-jsonschema"), "--builtin-schema", schema, str(documented)],
        capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_new_points_its_modeline_at_the_repository_copy(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".rmp").mkdir()
    shutil.copy(ROOT / "schemas" / "plan.schema.json", repo / PLAN_SCHEMA)
    (repo / "plans" / "north").mkdir(parents=True)
    monkeypatch.chdir(repo / "plans")
    result = run_rmp(["new", "north/RMP-0001.yaml", "--case-ref", "X1", "--plan-id", "RMP-0001",
                      "--lead", "probation", "--rosh", "low", "--today", TODAY])
    assert result.exit_code == 0, result.stderr
    first = (repo / "plans" / "north" / "RMP-0001.yaml").read_text(encoding="utf-8").split("\n")[0]
    assert first == "# yaml-language-server: $schema=../../.rmp/plan.schema.json"


def test_new_never_points_its_modeline_into_an_installed_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import rmp.io.resources

    installed = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "rmp" / "_data"
    installed.mkdir(parents=True)
    shutil.copy(ROOT / "schemas" / "plan.schema.json", installed / "plan.schema.json")
    monkeypatch.setattr(rmp.io.resources, "schema_path", lambda name: installed / f"{name}.schema.json")
    target = tmp_path / "RMP-0002.yaml"
    result = run_rmp(["new", str(target), "--case-ref", "X2", "--plan-id", "RMP-0002",
                      "--lead", "probation", "--rosh", "low", "--today", TODAY])
    assert result.exit_code == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    assert "site-packages" not in text and "yaml-language-server" not in text
    assert "rmp init" in text.split("format:")[0]


@pytest.mark.slow
def test_a_fresh_repository_from_init_with_a_new_plan_passes_check_and_pre_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rmp_hooks: tuple[Path, str, Path],
) -> None:
    """The whole adoption path: `rmp init` (its pre-commit config pointed at a snapshot of this
    repository), `rmp new`, whose TODOs are exactly what `rmp check` reports, the plan filled
    in, then `rmp check` and `pre-commit run --all-files` pass."""
    hooks, rev, home = rmp_hooks
    repo = tmp_path / "plans-repo"
    result = run_rmp(["init", str(repo), "--rmp-repo", str(hooks), "--rmp-rev", rev])
    assert result.exit_code == 0, result.stderr
    settings = json.loads((repo / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema in settings["yaml.schemas"]:
        assert (repo / schema).is_file(), schema
    assert settings["yaml.schemas"]["./" + PLAN_SCHEMA] == ["plans/**/*.yaml", "plans/**/*.yml"]

    monkeypatch.chdir(repo)
    plan = Path("plans/RMP-0001.yaml")
    created = run_rmp(["new", str(plan), "--case-ref", "X000001", "--plan-id", "RMP-0001",
                       "--lead", "probation", "--rosh", "low", "--today", TODAY])
    assert created.exit_code == 0, created.stderr
    scaffold = plan.read_text(encoding="utf-8")
    assert scaffold.startswith("# yaml-language-server: $schema=../.rmp/plan.schema.json\n")
    todo = run_rmp(["check", "plans/", "--today", TODAY, "--format", "json"])
    assert todo.exit_code == 1 and todo.stderr == ""  # the policy rmp init wrote is in force
    codes = {f["code"] for f in todo.json()["files"][0]["findings"]}
    # the scaffold's TODOs, and its police and children's services checks left `pending`
    assert codes == {"RMP106", "RMP205", "RMP207", "RMP208", "RMP209", "RMP211", "RMP213",
                     "RMP305", "RMP308", "RMP322", "RMP323"}

    # filled in: the scaffold's header comments, then a complete (fictional) plan
    header = scaffold.split("format: rmp/1", 1)[0]
    body = EXAMPLE.read_text(encoding="utf-8").split("format: rmp/1", 1)[1]
    plan.unlink()
    plan.write_text(header + "format: rmp/1" + body, encoding="utf-8")
    assert run_rmp(["check", "plans/", "--today", TODAY]).exit_code == 0

    env = {**os.environ, "RMP_TODAY": TODAY, "PRE_COMMIT_HOME": str(home),
           "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GITHUB_ACTIONS", None)
    _git(repo, "add", "-A")
    run = subprocess.run([str(VENV_BIN / "pre-commit"), "run", "--all-files"], cwd=repo,
                         capture_output=True, text=True, env=env, check=False, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "rmp check" in run.stdout and "Passed" in run.stdout, run.stdout
