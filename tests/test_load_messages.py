"""Loader hazards that the data-driven cases cannot express: message texts, side effects, time.

Fixtures live in tests/cases/check/<case>/ (see test_check_cases.py); plans written here, in
`tmp_path`, are fictional too. Expected line numbers are found by searching the fixture text,
never copied from the tool's output.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CASES, ROOT, TODAY, run_rmp

CHECK = CASES / "check"
LOADER_CODES = {"RMP001", "RMP002", "RMP003", "RMP004", "RMP005"}


def _check(path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    args = ["check", str(path), "--format", "json", "--today", TODAY, *extra]
    if "--policy" not in extra:
        args.append("--no-policy")
    result = run_rmp(args)
    return result.exit_code, result.json()


def _findings(report: dict[str, Any], code: str | None = None) -> list[dict[str, Any]]:
    return [
        f for file in report["files"] for f in file["findings"]
        if code is None or f["code"] == code
    ]


def _lines_starting(path: Path, prefix: str) -> list[int]:
    """1-based numbers of the lines that start with `prefix`."""
    text = path.read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.splitlines(), 1) if line.startswith(prefix)]


# -- RMP003: duplicate keys name both lines ----------------------------------------------------

def test_duplicate_top_level_key_names_both_lines() -> None:
    plan = CHECK / "load-duplicate-key-top-level" / "plan.yaml"
    first, second = _lines_starting(plan, "agencies:")
    code, report = _check(plan)
    assert code == 1
    (finding,) = _findings(report)
    assert (finding["code"], finding["line"], finding["severity"]) == ("RMP003", second, "error")
    assert f"line {first}" in finding["message"]


def test_duplicate_key_inside_an_action_names_both_lines() -> None:
    plan = CHECK / "load-duplicate-key-in-action" / "plan.yaml"
    text = plan.read_text(encoding="utf-8").splitlines()
    first = text.index("    status: in-progress", text.index("  - id: A1")) + 1
    second = text.index("    status: done") + 1
    assert second == first + 1
    code, report = _check(plan)
    assert code == 1
    by_line = {f["line"]: f for f in _findings(report, "RMP003")}
    assert f"line {first}" in by_line[second]["message"]
    # the other duplicate stands inside a flow mapping, both keys on one line
    owner_line = next(n for n, line in enumerate(text, 1) if "role: Senior Probation Officer}" in line)
    assert f"line {owner_line}" in by_line[owner_line]["message"]


def test_loader_findings_stay_errors_whatever_the_command_line_says() -> None:
    folder = CHECK / "load-errors-not-switchable"
    code, report = _check(folder / "plan.yaml", "--ignore", "RMP003", "--select", "RMP2")
    assert code == 1
    assert [f["severity"] for f in _findings(report, "RMP003")] == ["error"]


def test_a_policy_that_tries_to_change_reading_rules_or_names_no_rule_is_refused(
    tmp_path: Path,
) -> None:
    plan = CHECK / "load-errors-not-switchable" / "plan.yaml"
    for rules, words in [("{RMP003: off}", "cannot be changed"),
                         ("{RMP101: warning}", "cannot be changed"),
                         ("{RMP299: off}", "no rule of this rmp")]:
        policy = tmp_path / "rmp.yaml"
        policy.write_text(f"format: rmp-policy/1\nrules: {rules}\n", encoding="utf-8")
        result = run_rmp(["check", str(plan), "--policy", str(policy), "--today", TODAY])
        assert result.exit_code == 2, rules
        assert f"{policy}:2:" in result.stderr and words in result.stderr


# -- RMP101: the unquoted comma in a flow mapping -----------------------------------------------

def test_stray_key_in_flow_mapping_explains_the_unquoted_comma() -> None:
    plan = CHECK / "rmp101-unknown-key-flow-comma" / "plan.yaml"
    code, report = _check(plan)
    assert code == 1
    (finding,) = _findings(report, "RMP101")
    message = finding["message"].lower()
    assert "comma" in message and "quote" in message
    # cited by its parent's path, never by the key's text (a key can hold a name)
    assert finding["pointer"] == "/actions/2"
    assert "approved" not in message and "mother" not in message


def test_unknown_key_in_block_mapping_has_no_comma_hint() -> None:
    plan = CHECK / "rmp101-unknown-key-in-action" / "plan.yaml"
    _, report = _check(plan)
    for finding in _findings(report, "RMP101"):
        assert "comma" not in finding["message"].lower()
        assert "ownr" not in finding["message"] and "team" not in finding["message"]


def test_an_id_ending_in_a_line_break_fails_the_schema_and_says_why() -> None:
    # `id: |` keeps the final newline; Python's `$` matched before it, so this plan once
    # passed the schema and `render -o DIR/` wrote a file named `RMP-T001\n.md`
    plan = CHECK / "rmp101-id-block-scalar-trailing-newline" / "plan.yaml"
    code, report = _check(plan)
    assert code == 1
    findings = _findings(report, "RMP101")
    assert [f["pointer"] for f in findings] == ["/plan/id", "/risk_factors/0/id"]
    for finding in findings:
        assert "line break" in finding["message"] and "RMP-T001" not in finding["message"]


def test_an_id_ending_in_a_line_break_is_not_rendered(tmp_path: Path) -> None:
    plan = CHECK / "rmp101-id-block-scalar-trailing-newline" / "plan.yaml"
    out = tmp_path / "packs"
    out.mkdir()
    result = run_rmp(["render", str(plan), "--audience", "panel", "-o", f"{out}/",
                      "--no-policy"])
    assert result.exit_code == 1
    assert "RMP101" in result.stderr
    assert list(out.iterdir()) == []


# -- RMP004: tags run nothing; aliases and nesting are refused fast ------------------------------

def test_python_tags_execute_nothing(tmp_path: Path) -> None:
    touched = tmp_path / "touched-by-os-system"
    opened = tmp_path / "created-by-open"
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "# FICTIONAL test data: tags that would create files if a loader ran them.\n"
        "format: rmp/1\n"
        "plan: {id: RMP-T901, status: draft}\n"
        "individual:\n"
        "  ref: T000901\n"
        f'  x-one: !!python/object/apply:os.system ["touch {touched}"]\n'
        f'  x-two: !!python/object/apply:builtins.open ["{opened}", "w"]\n',
        encoding="utf-8",
    )
    code, report = _check(plan)
    assert code == 1
    findings = _findings(report)
    assert [(f["code"], f["line"]) for f in findings] == [("RMP004", 6)]
    assert not touched.exists() and not opened.exists()


def test_each_python_tag_alone_executes_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for index, tag in enumerate([
        f'!!python/object/apply:os.system ["touch {marker}"]',
        f'!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
        f'!!python/object/new:builtins.open ["{marker}", "w"]',
        "!!python/name:os.system",
    ]):
        plan = tmp_path / f"plan-{index}.yaml"
        plan.write_text(
            "# FICTIONAL test data.\nformat: rmp/1\nplan: {id: RMP-T902, status: draft}\n"
            f"individual: {{ref: T000902}}\nx-payload: {tag}\n", encoding="utf-8")
        code, report = _check(plan)
        assert code == 1, tag
        assert [(f["code"], f["line"]) for f in _findings(report)] == [("RMP004", 5)], tag
        assert not marker.exists(), tag


def test_alias_bomb_is_refused_within_a_second() -> None:
    plan = CHECK / "load-alias-bomb" / "plan.yaml"
    _check(CHECK / "clean-minimal" / "plan.yaml")  # warm up imports
    started = time.perf_counter()
    code, report = _check(plan)
    elapsed = time.perf_counter() - started
    assert code == 1
    assert {f["code"] for f in _findings(report)} == {"RMP004"}
    assert elapsed < 1.0


def test_alias_without_anchor_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("# FICTIONAL test data.\nformat: rmp/1\nplan: {id: RMP-T903, status: draft}\n"
                    "individual: {ref: T000903}\nx-list: [*nowhere]\n", encoding="utf-8")
    code, report = _check(plan)
    assert code == 1
    assert [(f["code"], f["line"]) for f in _findings(report)] == [("RMP004", 5)]


def test_fifty_levels_of_flow_nesting_say_nesting_too_deep() -> None:
    plan = CHECK / "load-nesting-too-deep" / "plan.yaml"
    code, report = _check(plan)
    assert code == 1
    (finding,) = _findings(report)
    assert finding["code"] == "RMP004"
    assert "nesting too deep" in finding["message"]


def test_five_thousand_levels_exit_1_not_recursion_error(tmp_path: Path) -> None:
    for opener, closer in (("[", "]"), ("{a: ", "}")):
        plan = tmp_path / "plan.yaml"
        plan.write_text(
            "# FICTIONAL test data.\nformat: rmp/1\nplan: {id: RMP-T904, status: draft}\n"
            "individual: {ref: T000904}\nx-deep: " + opener * 5000 + "1" + closer * 5000 + "\n",
            encoding="utf-8")
        code, report = _check(plan)
        assert code == 1
        (finding,) = _findings(report)
        assert (finding["code"], finding["line"]) == ("RMP004", 5)
        assert "nesting too deep" in finding["message"]


# -- RMP001: size and bytes -----------------------------------------------------------------

def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    body = (CHECK / "complete-plan-clean" / "plan.yaml").read_text(encoding="utf-8")
    padding = "# FICTIONAL padding line to make the file larger than a plan should be.\n"
    # a syntax error and an alias after the padding: parsing would report them
    plan.write_text(body + padding * 16000 + "x-late: *alias\n  bad: [\n", encoding="utf-8")
    assert plan.stat().st_size > 1024 * 1024
    code, report = _check(plan)
    assert code == 1
    assert [f["code"] for f in _findings(report)] == ["RMP001"]


def test_bad_character_messages_quote_no_text() -> None:
    for name in ("load-latin1-bytes", "load-bom-mid-file", "load-bidi-override", "load-nul-byte",
                 "load-raw-control-char", "load-escaped-control-char"):
        code, report = _check(CHECK / name / "plan.yaml")
        assert code == 1, name
        (finding,) = _findings(report)
        assert finding["code"] == "RMP001", name
        for word in ("Alcohol", "misuse", "violence", "CAF", "fights"):
            assert word not in finding["message"], (name, word)


def test_yaml_1_1_values_stay_strings() -> None:
    from rmp.io.load import load_bytes

    path = CHECK / "load-yaml11-values-kept-as-strings-clean" / "plan.yaml"
    document, problems = load_bytes(str(path), path.read_bytes())
    assert document is not None and problems == []
    data = document.data
    assert data["individual"]["ref"] == "0123"
    assert data["individual"]["name"] == "no"
    assert data["risk_factors"][0]["triggers"] == ["no", "12:30", "on", "off", "yes", "0123", "1e3x"]
    assert data["risk_factors"][0]["warning_signs"][:2] == ["12:30", "Off"]
    assert data["plan"]["created"] == "2026-10-01"


# -- which files a folder means -------------------------------------------------------------

def test_folder_skips_policy_files_and_hidden_paths() -> None:
    folder = CHECK / "folder-two-plans-policy-and-hidden"
    code, report = _check(folder, "--policy", str(folder / "rmp.yaml"))
    assert code == 1
    checked = sorted(Path(f["path"]).relative_to(folder).as_posix() for f in report["files"])
    assert checked == ["clean-plan.yaml", "plans/needs-work.yml"]


@pytest.mark.parametrize(("written", "why"), [
    ("9" * 5000, "more than 100 digits"),
    ("1e400", "too large to represent"),
    ("-1e400", "too large to represent"),
])
def test_a_number_no_plan_needs_is_a_finding_and_the_run_goes_on(
        tmp_path: Path, written: str, why: str) -> None:
    """Python refuses integers of over 4,300 digits and JSON has no infinity: one such file
    among others is a finding for that file, never a run that stops without a report."""
    (tmp_path / "a-bad.yaml").write_text(f"format: rmp/1\nx-note: {written}\n", encoding="utf-8")
    shutil.copy(ROOT / "examples" / "community-order-violence-alcohol.yaml", tmp_path / "b.yaml")
    result = run_rmp(["check", str(tmp_path), "--no-policy", "--today", TODAY, "-f", "json"])
    assert result.exit_code == 1
    files = {Path(f["path"]).name: f for f in result.json()["files"]}
    assert [f["code"] for f in files["a-bad.yaml"]["findings"]] == ["RMP004"]
    assert why in files["a-bad.yaml"]["findings"][0]["message"]
    assert "b.yaml" in files
