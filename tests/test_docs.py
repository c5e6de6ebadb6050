"""The docs are part of the product: a test fails when they drift from the code."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import Any

import typer.main

from rmp.cli import app
from rmp.explain.reports import RULES_END, RULES_START, rules_table
from tests.conftest import ROOT


def _quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_readme_quick_start_is_exactly_two_commands() -> None:
    commands = _quick_start()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands)
    assert "rmp check examples/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start()[1] in ci.splitlines()


def test_the_quick_start_check_passes_on_the_examples() -> None:
    command = _quick_start()[0].split("&&")[-1].split()
    assert command[0].endswith("rmp")
    completed = subprocess.run(
        [sys.executable, "-m", "rmp", *command[1:]], cwd=ROOT, capture_output=True, text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def _commands() -> dict[str, Any]:
    group: Any = typer.main.get_command(app)
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            for sub, subcommand in command.commands.items():
                found[f"{name} {sub}"] = subcommand
        else:
            found[name] = command
    return found


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in _commands().items():
        assert f"rmp {name}" in readme, f"command `rmp {name}` missing from README"
        for parameter in command.params:
            if parameter.param_type_name == "option":
                for option in parameter.opts:
                    if option.startswith("--") and option != "--help":
                        assert option in readme, f"option {option} of `rmp {name}` not in README"


def test_every_command_has_help_with_an_example() -> None:
    for name, command in _commands().items():
        assert command.help and "Example" in command.help, f"rmp {name} help lacks an example"


def test_docs_rules_table_matches_the_registry() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    table = text.split(RULES_START, 1)[1].split(RULES_END, 1)[0].strip()
    assert table == rules_table("md").strip(), "docs/rules.md is stale: regenerate the table"


def test_the_readme_says_what_the_loader_does_with_numbers() -> None:
    """Each value the README says stays text loads as text; each it calls a number, as a
    number; `1e400` is RMP004."""
    from rmp.io.load import load_bytes

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    claim = readme.split("Values are read more strictly than YAML 1.2", 1)[1].split("RMP004", 1)[0]
    numbers = re.findall(r"`([^`]+)`", claim.split("are what they look like", 1)[0])
    text = re.findall(r"`([^`]+)`", claim.split("are what they look like", 1)[1])
    text = [t for t in text if t not in ("1e400",) and not t.startswith("RMP")]
    assert {"0123", "0x1F", ".inf", "no", "12:30"} <= set(text)
    for token in numbers:
        document, problems = load_bytes("x.yaml", f"a: {token}\n".encode())
        assert document is not None and not problems
        assert not isinstance(document.data["a"], str), token
    for token in text:
        document, problems = load_bytes("x.yaml", f"a: {token}\n".encode())
        assert document is not None and not problems
        assert document.data["a"] == token, token
    _, problems = load_bytes("x.yaml", b"a: 1e400\n")
    assert [p.code for p in problems] == ["RMP004"]
