"""Product hazard list, case 10: a crash during an edit leaves the original byte-identical, its mode
kept, and no temporary file behind; and rmp refuses to write its output onto a plan."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from rmp.errors import RefusedError
from rmp.io.fileio import write_output
from tests.conftest import CASES, TODAY, run_rmp


@pytest.mark.parametrize("crash_in", ["write", "fsync", "replace"])
def test_a_crash_mid_write_leaves_the_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_in: str
) -> None:
    target = tmp_path / "pack.html"
    target.write_bytes(b"<p>the committed pack</p>\n")
    os.chmod(target, 0o640)

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if crash_in == "write":
        real_fdopen = os.fdopen

        class Broken:
            def __init__(self, *args: object, **kwargs: object) -> None:
                self.stream = real_fdopen(*args, **kwargs)  # type: ignore[call-overload]

            def __enter__(self) -> Broken:
                return self

            def __exit__(self, *exc: object) -> None:
                self.stream.close()

            def write(self, data: bytes) -> None:
                self.stream.write(data[: len(data) // 2])
                crash()

        monkeypatch.setattr(os, "fdopen", Broken)
    else:
        monkeypatch.setattr(os, crash_in, crash)
    with pytest.raises(RefusedError):
        write_output(target, "<p>a new pack</p>\n" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"<p>the committed pack</p>\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.html"]


def test_a_successful_write_keeps_the_mode_and_a_new_file_is_private(tmp_path: Path) -> None:
    existing = tmp_path / "report.sarif"
    existing.write_text("old", encoding="utf-8")
    os.chmod(existing, 0o644)
    write_output(existing, "new")
    assert existing.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(existing.stat().st_mode) == 0o644
    fresh = tmp_path / "fresh.json"
    write_output(fresh, "{}")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_reports_are_never_written_onto_a_plan_or_an_input(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    original = (CASES / "check" / "clean-minimal" / "plan.yaml").read_bytes()
    plan.write_bytes(original)
    for out in (plan, tmp_path / "other.yml"):
        result = run_rmp(["check", str(plan), "-f", "json", "-o", str(out), "--today", TODAY,
                          "--no-policy"])
        assert result.exit_code == 2
    assert plan.read_bytes() == original
    assert not (tmp_path / "other.yml").exists()
    link = tmp_path / "report.json"
    link.symlink_to(plan)
    assert run_rmp(["check", str(plan), "-f", "json", "-o", str(link), "--today", TODAY,
                    "--no-policy"]).exit_code == 2
    assert plan.read_bytes() == original


def test_check_never_writes_a_report_over_its_policy_file_or_a_template(tmp_path: Path) -> None:
    """`check -o` overwrote the `--policy` file and template files (issue 11, item 14)."""
    from tests.conftest import ROOT, TODAY, run_rmp

    policy = tmp_path / "policy.conf"
    policy.write_text("format: rmp-policy/1\n", encoding="utf-8")
    template = tmp_path / "pack.md.j2"
    template.write_text("{{ pack }}\n", encoding="utf-8")
    plan = ROOT / "examples" / "community-order-violence-alcohol.yaml"
    for target in (policy, template):
        before = target.read_bytes()
        result = run_rmp(["check", str(plan), "--policy", str(policy), "--today", TODAY,
                          "-f", "json", "-o", str(target)])
        assert result.exit_code == 2, result.stderr
        assert target.read_bytes() == before


def test_check_refuses_two_reports_into_one_file(tmp_path: Path) -> None:
    from tests.conftest import ROOT, TODAY, run_rmp

    out = tmp_path / "report.txt"
    plan = ROOT / "examples" / "community-order-violence-alcohol.yaml"
    result = run_rmp(["check", str(plan), "--no-policy", "--today", TODAY,
                      "-f", "json", "-o", str(out), "-f", "sarif", "-o", str(out)])
    assert result.exit_code == 2
    assert "same file" in result.stderr
    assert not out.exists()
