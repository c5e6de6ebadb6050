"""Every `rmp` command in the examples of the README and docs/render.md runs, in the order
shown, as a reader would type it: in a plan repository with the fictional example plans under
`plans/` and `examples/` (one of them, `plans/RMP-0042.yaml`, with four commits of history), a
pinned date, and the OASys documents the import example names. A command may find things
(exit 1: that is what a linter is for) but never be refused or fail to run (exit 2). A block
preceded by `<!-- docs-run: fresh -->` is an alternative to what came before and runs in a
fresh copy of the repository.

The two quick-start commands build virtual environments; tests/test_docs.py covers them."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, run_rmp

DOCUMENTS = ("README.md", "docs/render.md")
"""The documents whose examples run (docs/history.md shows a synopsis with placeholders)."""
BLOCK = re.compile(r"(<!-- docs-run: fresh -->\n)?```sh\n(.*?)```", re.S)
OASYS = ROOT / "tests" / "cases" / "oasys" / "ords-three-documents-mixed-statuses"


def _commands(document: str = "README.md") -> list[tuple[bool, str]]:
    """(fresh, command line) for every `rmp ...` line of a document's shell examples."""
    found: list[tuple[bool, str]] = []
    for fresh, body in BLOCK.findall((ROOT / document).read_text(encoding="utf-8")):
        text = body.replace("\\\n", " ")
        lines = [line.split("  #")[0].strip() for line in text.splitlines()]
        commands = [line for line in lines if line.startswith("rmp ")]
        found += [(bool(fresh) and index == 0, line) for index, line in enumerate(commands)]
    return found


def _git(repo: Path, *args: str, date: str = "2026-11-01T09:00:00") -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "Docs", "GIT_AUTHOR_EMAIL": "d@example.invalid",
                        "GIT_COMMITTER_NAME": "Docs", "GIT_COMMITTER_EMAIL": "d@example.invalid",
                        "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})


def _repository(where: Path) -> Path:
    """A plan repository as the README's reader has one (all of it fictional)."""
    where.mkdir()
    _git(where, "init", "-q")
    plans = where / "plans"
    plans.mkdir()
    examples = sorted(p for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
    for example in examples:
        shutil.copy(example, plans / example.name)
    shutil.copy(ROOT / "examples" / "rmp.yaml", where / "rmp.yaml")
    shutil.copytree(ROOT / "examples", where / "examples")  # the bundled examples, as in rmp's own repository
    base = examples[0].read_text(encoding="utf-8")
    plan_id = re.search(r"^  id: (\S+)", base, re.M)
    assert plan_id is not None
    tracked = plans / "RMP-0042.yaml"
    for day, review in enumerate(("2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22")):
        text = base.replace(f"  id: {plan_id.group(1)}", "  id: RMP-0042", 1)
        text = re.sub(r"^    next: \S+", f"    next: {review}", text, count=1, flags=re.M)
        tracked.write_text(text, encoding="utf-8")
        _git(where, "add", "-A")
        _git(where, "commit", "-q", "-m", f"version {day + 1}", date=f"2026-10-{10 + day * 7}T09:00:00")
    shutil.copy(tracked, where / "old.yaml")
    shutil.copy(plans / examples[1].name, where / "new.yaml")
    for document in ("rosh-summary.json", "rosh-full.json", "rmp.json"):
        shutil.copy(OASYS / document, where / document)
    (where / "packs").mkdir()
    return where


def _run(line: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    words = shlex.split(line)
    stdin: str | None = None
    if "<" in words:
        at = words.index("<")
        stdin = (cwd / words[at + 1]).read_text(encoding="utf-8")
        words = words[:at] + words[at + 2:]
    if ">" in words:
        words = words[:words.index(">")]
    monkeypatch.chdir(cwd)
    from typer.testing import CliRunner

    from rmp.cli import app

    result = CliRunner().invoke(app, words[1:], input=stdin, catch_exceptions=False,
                                env={"RMP_TODAY": TODAY})
    assert result.exit_code in (0, 1), f"{line}\n{result.stdout}{result.stderr}"
    return result.exit_code


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_documented_command_runs_in_the_order_shown(
        document: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = _commands(document)
    assert len(commands) >= 4, f"the examples of {document} were not found"
    repository = _repository(tmp_path / "plans-repo")
    for fresh, line in commands:
        where = _repository(tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}") if fresh \
            else repository
        _run(line, where, monkeypatch)


def test_the_runner_fails_on_a_refused_command(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    repository = _repository(tmp_path / "plans-repo")
    with pytest.raises(AssertionError):
        _run("rmp new plans/RMP-0042.yaml --case-ref X1 --plan-id RMP-0042 --lead probation "
             "--rosh high", repository, monkeypatch)
    assert run_rmp(["--version"]).exit_code == 0
