"""Acceptance cases of the product hazard list (its hazards.md, kept with the specification
rather than in this repository) that need code rather than a case folder (the others are
folders under tests/cases/check/)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from rmp import cli
from tests.conftest import CASES, TODAY, run_rmp

SENTINEL_VALUE = "ZZ-SENTINEL-VALUE-4471"
SENTINEL_KEY = "zz_sentinel_key_9182"


def test_case2_failing_check_prints_position_code_path_and_no_value(tmp_path: Path) -> None:
    plan = (CASES / "check" / "clean-minimal" / "plan.yaml").read_text(encoding="utf-8")
    plan = plan.replace("status: in-progress", f"status: {SENTINEL_VALUE}")
    plan = plan.replace("  setting: community", f"  setting: community\n  {SENTINEL_KEY}: 1")
    target = tmp_path / "plan.yaml"
    target.write_text(plan, encoding="utf-8")
    for fmt in ("text", "json"):
        result = run_rmp(["check", str(target), "--format", fmt, "--today", TODAY,
                          "--no-policy"])
        assert result.exit_code == 1
        output = result.stdout + result.stderr
        assert SENTINEL_VALUE not in output and SENTINEL_KEY not in output
        assert "RMP101" in output
        assert "/actions/0/status" in output
        assert "/individual" in output
    text = run_rmp(["check", str(target), "--today", TODAY, "--no-policy"]).stdout
    assert f"{target}:38:13" in text  # the bad status value (line 37 + the inserted key)


def test_case3_internal_error_exits_2_with_a_fixed_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError(f"boom {SENTINEL_VALUE}")

    monkeypatch.setattr("rmp.check.pipeline.check_file", explode)
    monkeypatch.setattr(sys, "argv", ["rmp", "check", str(CASES / "check" / "clean-minimal"),
                                      "--today", TODAY, "--no-policy"])
    monkeypatch.delenv("RMP_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert "internal error" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert SENTINEL_VALUE not in captured.err + captured.out


def test_case6_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    target = tmp_path / "big.yaml"
    # not even valid YAML: the size check must come first
    target.write_bytes(b"format: rmp/1\n" + b"[" * (1024 * 1024 + 10))
    started = time.perf_counter()
    result = run_rmp(["check", str(target), "--format", "json", "--today", TODAY, "--no-policy"])
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 1
    finding = result.json()["files"][0]["findings"][0]
    assert finding["code"] == "RMP001" and "larger" in finding["message"]


def test_case6_alias_bomb_fails_within_a_second(tmp_path: Path) -> None:
    lines = ["format: rmp/1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    target = tmp_path / "bomb.yaml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = run_rmp(["check", str(target), "--format", "json", "--today", TODAY, "--no-policy"])
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 1
    assert result.json()["files"][0]["findings"][0]["code"] == "RMP004"


@pytest.mark.parametrize("style", ["flow", "block", "mixed"])
def test_case7_deep_nesting_is_a_finding_not_a_crash(tmp_path: Path, style: str) -> None:
    depth = 5000
    if style == "block":
        depth = 900  # indentation makes deeper block nesting larger than the 1 MiB cap
    if style == "flow":
        body = "x: " + "[" * depth + "]" * depth
    elif style == "block":
        body = "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth))
    else:
        body = "x:\n" + "- " * depth + "1"
    target = tmp_path / "deep.yaml"
    target.write_text("format: rmp/1\n" + body + "\n", encoding="utf-8")
    result = run_rmp(["check", str(target), "--format", "json", "--today", TODAY, "--no-policy"])
    assert result.exit_code == 1
    finding = result.json()["files"][0]["findings"][0]
    assert finding["code"] == "RMP004"
    assert "nesting too deep" in finding["message"]


def test_case7_nesting_far_beyond_libyaml_composer_limits_does_not_crash(tmp_path: Path) -> None:
    # PyYAML's C composer segfaults on ~50,000 nested brackets; rmp never composes.
    target = tmp_path / "deeper.yaml"
    target.write_bytes(b"format: rmp/1\nx: " + b"[" * 900_000 + b"\n")
    completed = subprocess.run(
        [sys.executable, "-m", "rmp", "check", str(target), "--today", TODAY, "--no-policy"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert completed.returncode == 1, completed.stderr
    assert "nesting too deep" in completed.stdout


@pytest.mark.parametrize("value", ["no", "0123", "12:30", "on", "2024-01-05", "1e3x"])
def test_case8_yaml11_values_stay_strings(value: str) -> None:
    from rmp.io.load import load_bytes

    document, problems = load_bytes("t.yaml", f"v: {value}\n".encode())
    assert not problems and document is not None
    assert document.data["v"] == value


def test_case8_impossible_date_is_a_schema_finding_with_position(tmp_path: Path) -> None:
    plan = (CASES / "check" / "clean-minimal" / "plan.yaml").read_text(encoding="utf-8")
    target = tmp_path / "plan.yaml"
    target.write_text(plan.replace("due: 2027-02-28", "due: 2024-02-30"), encoding="utf-8")
    result = run_rmp(["check", str(target), "--format", "json", "--today", TODAY, "--no-policy"])
    assert result.exit_code == 1
    [finding] = result.json()["files"][0]["findings"]
    assert (finding["code"], finding["line"], finding["pointer"]) == ("RMP101", 35, "/actions/0/due")
    assert "2024-02-30" not in finding["message"]


def test_a_missing_path_is_a_usage_error() -> None:
    result = run_rmp(["check", "/nonexistent/plan.yaml", "--today", TODAY])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_a_bad_today_is_a_usage_error() -> None:
    result = run_rmp(["check", str(CASES / "check" / "clean-minimal"), "--today", "27/11/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr


def test_rmp_today_environment_variable_pins_the_date() -> None:
    case = CASES / "check" / "clean-minimal"
    late = run_rmp(["check", str(case), "--format", "json", "--no-policy"],
                   env={"RMP_TODAY": "2027-06-01"})
    codes = {f["code"] for f in late.json()["files"][0]["findings"]}
    assert {"RMP401", "RMP403"} <= codes
    assert late.json()["today"] == "2027-06-01"


def test_an_empty_folder_says_nothing_was_checked(tmp_path: Path) -> None:
    result = run_rmp(["check", str(tmp_path), "--today", TODAY, "--no-policy"])
    assert result.exit_code == 0
    assert "nothing was checked" in result.stderr
    assert "0 files checked" in result.stdout
