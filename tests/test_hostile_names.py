"""Issue 11 item 15: file names that carry terminal escape sequences, bidi controls or XML-illegal
characters never reach the terminal as written, and JUnit output naming such a file is valid
XML. The plans are copies of a fictional example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, run_rmp

HOSTILE_NAMES = ["esc-\x1b[2J\x1b]0;owned\x07-plan.yaml", "bidi-\u202eanp-lmay.yaml",
                 "bell-\x07-and-\x7f.yaml"]
RAW = ("\x1b", "\x07", "\x7f", "\u202e")


@pytest.fixture
def hostile_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    source = (ROOT / "examples" / "community-order-violence-alcohol.yaml").read_text("utf-8")
    for name in HOSTILE_NAMES:
        # a finding in each, so that every report names the file
        (folder / name).write_text(source.replace("status: active", "status: nope", 1),
                                   encoding="utf-8")
    shutil.copy(ROOT / "examples" / "youth-risk-to-children.yaml", folder / "ok.yaml")
    return folder


@pytest.mark.parametrize("args", [
    ["check"], ["check", "-f", "github"], ["status"], ["status", "--by", "agency"],
    ["status", "-f", "md"],
], ids=" ".join)
def test_hostile_file_names_do_not_reach_the_terminal(hostile_folder: Path,
                                                      args: list[str]) -> None:
    result = run_rmp([*args, str(hostile_folder), "--today", TODAY])
    assert result.exit_code in (0, 1), result.stderr
    for char in RAW:
        assert char not in result.stdout + result.stderr, (args, repr(char))


def test_junit_output_with_hostile_file_names_is_valid_xml(hostile_folder: Path) -> None:
    from xml.etree import ElementTree

    import junitparser

    result = run_rmp(["check", str(hostile_folder), "-f", "junit", "--today", TODAY])
    assert result.exit_code == 1
    ElementTree.fromstring(result.stdout)
    report = hostile_folder.parent / "report.xml"
    report.write_text(result.stdout, encoding="utf-8")
    suites = junitparser.JUnitXml.fromfile(str(report))
    cases = [case for suite in suites for case in suite]
    assert len(cases) >= len(HOSTILE_NAMES)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("args", [["criteria"], ["criteria", "--format", "md"]], ids=" ".join)
def test_criteria_prints_no_hostile_file_name(hostile_folder: Path, name: str,
                                              args: list[str]) -> None:
    for target in (hostile_folder / name, hostile_folder / ("missing-" + name)):
        result = run_rmp([*args, str(target), "--today", TODAY])
        assert result.exit_code in (0, 1, 2), result.stderr
        for char in RAW:
            assert char not in result.stdout + result.stderr, (args, repr(char))


def test_status_csv_guards_a_formula_file_name(hostile_folder: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(hostile_folder)
    shutil.copy("ok.yaml", "=HYPERLINK(1).yaml")
    shutil.copy("ok.yaml", "@SUM(1).yaml")
    result = run_rmp(["status", "=HYPERLINK(1).yaml", "@SUM(1).yaml", "-f", "csv", "--today",
                      TODAY])
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert sorted(row.rsplit(",", 1)[1] for row in rows) == ["'=HYPERLINK(1).yaml",
                                                             "'@SUM(1).yaml"]


@pytest.mark.parametrize("key", [r'"x-note\u202e"', r'"x-\e[2Jnote"', r'"x-\x9bnote"'])
def test_control_characters_in_quoted_keys_never_reach_diff_output(tmp_path: Path,
                                                                   key: str) -> None:
    before = tmp_path / "before.yaml"
    shutil.copy(ROOT / "examples" / "community-order-violence-alcohol.yaml", before)
    after = tmp_path / "after.yaml"
    after.write_text(before.read_text("utf-8").replace("\nplan:\n", f"\nplan:\n  {key}: 1\n", 1),
                     encoding="utf-8")
    for fmt in ("text", "md", "json"):
        result = run_rmp(["diff", "--files", str(before), str(after), "-f", fmt])
        assert result.exit_code == 1, result.stdout + result.stderr
        assert "RMP001" in result.stdout + result.stderr
        for char in ("\x1b", "\u202e", "\x9b"):
            assert char not in result.stdout + result.stderr
