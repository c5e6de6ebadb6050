"""Terminal conventions: `--color auto|always|never` with FORCE_COLOR, NO_COLOR and TERM=dumb;
`-h` everywhere; shell completion; help text without typer's internal placeholders."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from rmp.cli import COMMANDS, GROUPS
from tests.conftest import ROOT, TODAY, run_rmp

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PLAN = ROOT / "examples" / "youth-risk-to-children.yaml"
EVERY_COMMAND = [[name] for name in COMMANDS] + [[name] for name in GROUPS] + [
    [group, command] for group, app in GROUPS.items()
    for command in (c.name for c in app.registered_commands) if command]
# a clean environment: no colour variable from the machine running the tests
QUIET: dict[str, str | None] = {"NO_COLOR": None, "FORCE_COLOR": None, "TERM": "xterm"}


def _broken(tmp_path: Path) -> Path:
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.read_text("utf-8").replace("status: active", "status: nope", 1),
                    encoding="utf-8")
    return plan


# -- help ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_help_shows_no_internal_placeholders(command: list[str]) -> None:
    for flag in ("--help", "-h"):
        result = run_rmp([*command, flag])
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Usage: rmp")
        for placeholder in ("{", "<list", "Path]", "<str>", "<path>", "<int"):
            assert placeholder not in result.stdout, (command, placeholder)


def test_arguments_have_plain_names_in_usage() -> None:
    usages = {name: run_rmp([name, "-h"]).stdout.splitlines()[0] for name in COMMANDS}
    assert usages["check"] == "Usage: rmp check [OPTIONS] PATH..."
    assert usages["status"] == "Usage: rmp status [OPTIONS] [PATH...]"
    assert usages["log"] == "Usage: rmp log [OPTIONS] PLAN"
    assert usages["render"] == "Usage: rmp render [OPTIONS] PLAN..."
    assert usages["explain"] == "Usage: rmp explain [OPTIONS] CODE"


def test_dash_h_at_the_top() -> None:
    result = run_rmp(["-h"])
    assert result.exit_code == 0 and "Commands:" in result.stdout


# -- completion ----------------------------------------------------------------------------------

def test_shell_completion_is_offered() -> None:
    top = run_rmp(["--help"]).stdout
    assert "--install-completion" in top and "--show-completion" in top
    script = run_rmp(["--show-completion", "bash"])
    assert script.exit_code == 0
    assert "_RMP_COMPLETE" in script.stdout


@pytest.mark.skipif(shutil.which("rmp") is None and not (ROOT / ".venv/bin/rmp").exists(),
                    reason="the console script is not installed")
def test_completion_answers_with_the_command_names() -> None:
    rmp = shutil.which("rmp") or str(ROOT / ".venv/bin/rmp")
    done = subprocess.run([rmp], env={"_RMP_COMPLETE": "complete_bash", "COMP_WORDS": "rmp ch",
                                      "COMP_CWORD": "1", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, check=False, timeout=60)
    assert "check" in done.stdout.split()


# -- colour --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "env", "coloured"), [
    ([], {}, False),                                           # not a terminal
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": ""}, True),          # NO_COLOR counts when non-empty
    (["--color", "always"], {}, True),
    (["--color", "always"], {"NO_COLOR": "1", "TERM": "dumb"}, True),  # the option wins
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    (["--color", "auto"], {"FORCE_COLOR": "1"}, True),
], ids=["auto", "force", "no-color-wins", "empty-no-color", "always", "always-wins",
        "never-wins", "auto-force"])
def test_check_colour(tmp_path: Path, args: list[str], env: dict[str, str],
                      coloured: bool) -> None:
    result = run_rmp(["check", str(_broken(tmp_path)), "--no-policy", "--today", TODAY, *args],
                     env={**QUIET, **env})
    assert result.exit_code == 1
    assert bool(ANSI.search(result.stdout)) is coloured


def test_status_takes_color(tmp_path: Path) -> None:
    args = ["status", str(PLAN), "--no-policy", "--today", TODAY]
    assert ANSI.search(run_rmp([*args, "--color", "always"], env=QUIET).stdout)
    assert not ANSI.search(run_rmp([*args, "--color", "never"],
                                   env={**QUIET, "FORCE_COLOR": "1"}).stdout)


def test_diff_takes_color(tmp_path: Path) -> None:
    changed = tmp_path / "x.yaml"
    changed.write_text(PLAN.read_text("utf-8").replace("2027-01-19", "2027-01-20"),
                       encoding="utf-8")
    args = ["diff", "--files", str(PLAN), str(changed)]
    always = run_rmp([*args, "--color", "always"], env=QUIET)
    assert always.exit_code == 0, always.stderr
    assert ANSI.search(always.stdout)
    never = run_rmp([*args, "--color", "never"], env={**QUIET, "FORCE_COLOR": "1"})
    assert never.stdout and not ANSI.search(never.stdout)


def test_log_has_color_option() -> None:
    assert "--color" in run_rmp(["log", "-h"]).stdout
    assert run_rmp(["log", str(PLAN), "--color", "sometimes"]).exit_code == 2
