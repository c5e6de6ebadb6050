"""Fuzzing: malformed input never crashes rmp. Hypothesis generates raw bytes, YAML built from
random structures (with anchors, tags, duplicate keys and control characters spliced in) and
mutated copies of a real plan; each example runs through one of the commands (check in several
formats, status, criteria, render to HTML and Markdown, diff against a real plan), in-process.
Every run must end with a documented exit code, no traceback, and no file written."""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rmp.cli import app
from rmp.io.load import load_bytes
from tests.conftest import ROOT, TODAY, all_paths, mutated

RUNNER = CliRunner()
EXAMPLE_PATH = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
_loaded, _ = load_bytes(str(EXAMPLE_PATH), EXAMPLE_PATH.read_bytes())
assert _loaded is not None
EXAMPLE: dict[str, Any] = _loaded.data

COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "check": lambda plan: ["check", str(plan), "--today", TODAY, "--no-policy", "-f", "json"],
    "check-sarif": lambda plan: ["check", str(plan), "--today", TODAY, "--no-policy", "-f",
                                 "sarif"],
    "status": lambda plan: ["status", str(plan), "--today", TODAY, "--no-policy"],
    "criteria": lambda plan: ["criteria", str(plan), "--today", TODAY],
    "render-html": lambda plan: ["render", str(plan), "--audience", "agencies", "--format",
                                 "html", "--today", TODAY, "--no-policy", "--generated",
                                 "2026-11-27T09:00:00Z"],
    "render-md": lambda plan: ["render", str(plan), "--audience", "individual", "--format",
                               "md", "--today", TODAY, "--no-policy", "--generated",
                               "2026-11-27T09:00:00Z"],
    "diff": lambda plan: ["diff", "--files", str(EXAMPLE_PATH), str(plan), "--today", TODAY,
                          "--format", "json"],
    "diff-md": lambda plan: ["diff", "--files", str(plan), str(EXAMPLE_PATH), "--today", TODAY,
                             "--format", "md"],
}


def _run_all(content: bytes, names: list[str], allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.yaml"
        plan.write_bytes(content)
        before = sorted(os.listdir(folder))
        for name in names:
            result = RUNNER.invoke(app, COMMANDS[name](plan), catch_exceptions=True)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise AssertionError(f"{name} raised:\n" + "".join(
                    traceback.format_exception(result.exception)))
            assert result.exit_code in allowed, (name, result.exit_code, result.output)
            assert "Traceback" not in result.output
        assert sorted(os.listdir(folder)) == before, "a command wrote a file"
        assert plan.read_bytes() == content, "a command changed its input"


# each example runs one command (drawn by hypothesis), so 2,100 examples stay within minutes
WHICH = st.lists(st.sampled_from(sorted(COMMANDS)), min_size=1, max_size=1)

SETTINGS = settings(max_examples=700, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(st.binary(max_size=3000), WHICH)
def test_random_bytes(content: bytes, names: list[str]) -> None:
    _run_all(b"format: rmp/1\n" + content, names)


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["rmp/1", "2026-11-27", "2024-02-30", "no", "0123", "12:30", "RF1", "A1",
                     "very-high", "\u202e", "\x07", "~", "&a", "*a", "!!python/none", "- x"]),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.sampled_from(["format", "plan", "id", "actions", "risk_factors",
                                         "owner", "x-a", "status", "due", "rosh"]) | st.text(max_size=8),
                        children, max_size=5),
    ),
    max_leaves=30,
)
SPLICES = st.sampled_from(["", "&anchor ", "*anchor", "!!python/object/apply:os.system ['x']",
                           "\n  id: RF1\n  id: RF1\n", "\t", "\x00", "\ufeff", "{", "]", "---\n",
                           "? [a]\n: b\n", "\u202e", '"\\u0007"'])


@SETTINGS
@given(STRUCTURES, SPLICES, st.integers(0, 10_000), WHICH)
def test_yaml_from_random_structures(
    structure: Any, splice: str, where: int, names: list[str]
) -> None:
    text = yaml.safe_dump({"format": "rmp/1", "plan": structure}, allow_unicode=True)
    at = where % (len(text) + 1)
    _run_all((text[:at] + splice + text[at:]).encode("utf-8", "surrogatepass"), names)


PLAN_PATHS = all_paths(EXAMPLE)[1:]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(PLAN_PATHS), STRUCTURES), min_size=1, max_size=4),
       WHICH)
def test_mutated_real_plans(mutations: list[tuple[tuple[Any, ...], Any]], names: list[str]) -> None:
    data = mutated(EXAMPLE, mutations)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    _run_all(text.encode("utf-8", "surrogatepass"), names)
