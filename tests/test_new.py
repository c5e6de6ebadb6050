"""`rmp new`: scaffolds a schema-valid plan, never overwrites, never follows a symlink."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tests.conftest import TODAY, run_rmp

ESSENTIALS = ["--case-ref", "X000042", "--plan-id", "RMP-0042", "--lead", "probation",
              "--rosh", "high", "--today", TODAY]


def test_new_creates_a_private_schema_valid_plan(tmp_path: Path) -> None:
    target = tmp_path / "RMP-0042.yaml"
    result = run_rmp(["new", str(target), *ESSENTIALS])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: RMP-0042" in text and "ref: X000042" in text
    assert "created: 2026-11-27" in text
    # high RoSH: next review within the default policy's 112 days
    assert "next: 2027-03-19" in text
    checked = run_rmp(["check", str(target), "--format", "json", "--today", TODAY,
                       "--no-policy"])
    report = checked.json()
    codes = {f["code"] for f in report["files"][0]["findings"]}
    assert report["files"][0]["rules_skipped"] is False
    assert not codes & {"RMP001", "RMP002", "RMP003", "RMP004", "RMP005", "RMP101"}
    assert not list(tmp_path.glob(".rmp-new-*")), "temporary file left behind"


def test_new_modeline_points_at_the_bundled_schema(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    assert run_rmp(["new", str(target), *ESSENTIALS]).exit_code == 0
    first = target.read_text(encoding="utf-8").splitlines()[0]
    reference = first.split("$schema=", 1)[1]
    assert (target.parent / reference).resolve().name == "plan.schema.json"
    assert (target.parent / reference).resolve().is_file()


def test_new_refuses_an_existing_file_and_leaves_it_untouched(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(b"precious: content\n")
    os.chmod(target, 0o640)
    result = run_rmp(["new", str(target), *ESSENTIALS])
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert target.read_bytes() == b"precious: content\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_new_refuses_a_symlink_even_a_dangling_one(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere.txt"
    victim.write_bytes(b"do not touch\n")
    link = tmp_path / "plan.yaml"
    link.symlink_to(victim)
    dangling = tmp_path / "dangling.yaml"
    dangling.symlink_to(tmp_path / "missing.yaml")
    assert run_rmp(["new", str(link), *ESSENTIALS]).exit_code == 2
    assert run_rmp(["new", str(dangling), *ESSENTIALS]).exit_code == 2
    assert victim.read_bytes() == b"do not touch\n"
    assert not (tmp_path / "missing.yaml").exists()


def test_new_without_a_terminal_needs_the_essentials_as_options(tmp_path: Path) -> None:
    result = run_rmp(["new", str(tmp_path / "p.yaml"), "--plan-id", "RMP-1", "--today", TODAY])
    assert result.exit_code == 2
    assert "--case-ref" in result.stderr
    assert not (tmp_path / "p.yaml").exists()


def test_new_rejects_values_that_could_break_the_yaml(tmp_path: Path) -> None:
    for option, value in [("--plan-id", "RMP 1: x"), ("--case-ref", "a\nb: c"),
                          ("--lead", "Probation"), ("--rosh", "none")]:
        args = [*ESSENTIALS]
        args[args.index(option) + 1] = value
        result = run_rmp(["new", str(tmp_path / "p.yaml"), *args])
        assert result.exit_code == 2, option
    assert not list(tmp_path.iterdir())


def test_new_defaults_the_file_name_to_the_plan_id(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.chdir(tmp_path)
    assert run_rmp(["new", *ESSENTIALS]).exit_code == 0
    assert (tmp_path / "RMP-0042.yaml").is_file()
