"""Issue 11 items 16 and 17: a clear message and exit code where an "internal error" used to
be (an unwritable output folder, dates at the ends of the calendar, SOURCE_DATE_EPOCH out of
range), and stale temporary files of a killed write cleaned up. Plans are fictional."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import pytest

from rmp.io import fileio
from tests.conftest import ROOT, TODAY, Run, run_rmp

EXAMPLE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
DATE = re.compile(r"20\d\d-\d\d-\d\d")


def _no_internal_error(result: Run) -> None:
    text = result.stdout + result.stderr
    assert "internal error" not in text and "Traceback" not in text


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("today", ["9999-12-31", TODAY])
def test_dates_at_the_ends_of_the_calendar(tmp_path: Path, day: str, today: str) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(DATE.sub(day, EXAMPLE.read_text("utf-8")), encoding="utf-8")
    runs = [
        ["check", str(plan), "--today", today, "--no-policy"],
        ["status", str(plan), "--today", today, "--no-policy"],
        ["status", str(plan), "--by", "agency", "--today", today, "--no-policy"],
        ["criteria", str(plan), "--today", today],
        ["diff", "--files", str(EXAMPLE), str(plan)],
        ["diff", "--files", str(plan), str(EXAMPLE), "--today", today],
    ]
    for fmt in ("md", "html"):
        runs.append(["render", str(plan), "--audience", "panel", "--format", fmt,
                     "--today", today, "--generated", "2026-11-27T09:00:00Z", "--no-policy"])
    for args in runs:
        result = run_rmp(args)
        assert result.exit_code in (0, 1), (args, result.stderr)
        _no_internal_error(result)


def test_new_with_today_at_the_end_of_the_calendar_is_a_usage_error(tmp_path: Path) -> None:
    result = run_rmp(["new", str(tmp_path / "p.yaml"), "--today", "9999-12-31", "--case-ref",
                      "FICT-1", "--plan-id", "RMP-0001", "--lead", "probation", "--rosh", "high"])
    assert result.exit_code == 2
    assert "--today is too late" in result.stderr
    assert not (tmp_path / "p.yaml").exists()
    _no_internal_error(result)


@pytest.mark.parametrize("epoch", ["99999999999999999999", "253402300800", "1" * 400, "²"])
def test_source_date_epoch_out_of_range(epoch: str) -> None:
    result = run_rmp(["render", str(EXAMPLE), "--audience", "panel", "--today", TODAY,
                      "--no-policy"], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr
    _no_internal_error(result)


def test_generated_out_of_range() -> None:
    result = run_rmp(["render", str(EXAMPLE), "--audience", "panel", "--today", TODAY,
                      "--no-policy", "--generated", "9999-12-31T23:59:59-01:00"])
    assert result.exit_code == 2
    _no_internal_error(result)


def _unwritable(monkeypatch: pytest.MonkeyPatch) -> None:
    # root may write anywhere, so the folder's refusal is simulated where rmp meets it
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)


@pytest.mark.parametrize("args", [
    ["check", str(EXAMPLE), "--no-policy", "--today", TODAY, "-f", "json", "-o", "{out}/r.json"],
    ["render", str(EXAMPLE), "--audience", "panel", "--today", TODAY, "--no-policy",
     "-o", "{out}/pack.md"],
    ["render", str(EXAMPLE), "--audience", "panel", "--today", TODAY, "--no-policy",
     "-o", "{out}/"],
], ids=["check", "render-file", "render-folder"])
def test_output_into_an_unwritable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          args: list[str]) -> None:
    _unwritable(monkeypatch)
    result = run_rmp([a.replace("{out}", str(tmp_path)) for a in args])
    assert result.exit_code == 2
    assert "cannot write (Permission denied)" in result.stderr
    _no_internal_error(result)


def test_a_real_read_only_folder(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    tmp_path.chmod(0o500)
    try:
        result = run_rmp(["check", str(EXAMPLE), "--no-policy", "--today", TODAY, "-o",
                          str(tmp_path / "r.txt")])
    finally:
        tmp_path.chmod(0o700)
    assert result.exit_code == 2
    _no_internal_error(result)


def test_a_killed_write_leaves_nothing_behind_after_the_next(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    stale = tmp_path / ".report.txt.ab12cd_9.tmp"  # as mkstemp names rmp's temporary files
    fresh = tmp_path / ".report.txt.zz99yy88.tmp"  # another rmp may still be writing it
    other = tmp_path / ".other.txt.ab12cd_9.tmp"   # not this target's
    for leftover in (stale, fresh, other):
        leftover.write_text("partial", encoding="utf-8")
    hour_ago = time.time() - fileio.STALE_AFTER - 60
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    fileio.write_output(target, "whole\n")
    assert target.read_text(encoding="utf-8") == "whole\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def test_diff_no_values_names_no_extension_key(tmp_path: Path) -> None:
    before = tmp_path / "before.yaml"
    text = EXAMPLE.read_text("utf-8")
    before.write_text(text, encoding="utf-8")
    after = tmp_path / "after.yaml"
    after.write_text(text.replace("\nplan:\n", "\nplan:\n  x-jane-smith-07700900123: 1\n", 1)
                     + "x-victim-address-12-high-st: fictional\n", encoding="utf-8")
    for fmt in ("text", "md", "json"):
        shown = run_rmp(["diff", "--files", str(before), str(after), "-f", fmt])
        assert shown.exit_code == 0, shown.stderr
        # with values, the author sees their own keys (Markdown escapes the hyphens)
        assert "jane-smith" in shown.stdout.replace("\\", "")
        hidden = run_rmp(["diff", "--files", str(before), str(after), "-f", fmt, "--no-values"])
        assert hidden.exit_code == 0, hidden.stderr
        plain = hidden.stdout.replace("\\", "").lower()
        assert "jane-smith" not in plain and "07700" not in plain and "high-st" not in plain
        assert "x-" in plain
