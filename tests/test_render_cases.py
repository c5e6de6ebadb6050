"""Data-driven render tests: one folder per case under tests/cases/render/.

Each folder holds the plans (every `*.yaml` below it except the policy; several plans make a
meeting pack), an optional policy `rmp.yaml` (then `--policy`, else `--no-policy`), an optional
user templates folder the policy names, and `case.json`:

    {"about": "what the case proves",
     "args": ["--audience", "individual"],   # extra command-line arguments
     "exit": 0,                              # expected exit code
     "formats": ["md", "html"],              # rendered once per format, to stdout
     "contains": [...], "contains_md": [...], "contains_html": [...],
     "absent": [...],            # nowhere: output, stdout, stderr; raw, HTML- or MD-escaped
     "absent_md": [...], "absent_html": [...],
     "stderr_contains": [...], "stdout_empty": true,
     "markdown_safe": true,      # MD parses with whole tables, no raw HTML, no links/images
     "html_safe": true}          # HTML has no script, event handler or external reference

`rmp render <folder> --format F --today 2026-11-27 --generated 2026-11-27T09:00:00Z` runs
in-process. All plans and names are fictional.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest

from rmp.output.markdown import escape as md_escape
from tests.conftest import CASES, TODAY, run_rmp
from tests.render_checks import assert_html_safe, assert_markdown_safe

RENDER_CASES = sorted(p for p in (CASES / "render").iterdir() if p.is_dir())
GENERATED = "2026-11-27T09:00:00Z"


def _run(case: Path, expected: dict[str, Any], fmt: str) -> tuple[int, str, str]:
    args = ["render", str(case), "--format", fmt, "--today", TODAY, "--generated", GENERATED,
            *expected.get("args", [])]
    policy = case / "rmp.yaml"
    args += ["--policy", str(policy)] if policy.exists() else ["--no-policy"]
    result = run_rmp(args)
    return result.exit_code, result.stdout, result.stderr


def _variants(text: str) -> set[str]:
    return {text, html.escape(text), html.escape(text, quote=False), str(md_escape(text))}


@pytest.mark.parametrize("case", RENDER_CASES, ids=[p.name for p in RENDER_CASES])
def test_render_case(case: Path) -> None:
    expected = json.loads((case / "case.json").read_text(encoding="utf-8"))
    for fmt in expected.get("formats", ["md", "html"]):
        code, stdout, stderr = _run(case, expected, fmt)
        assert code == expected["exit"], f"{fmt}: exit {code}\n{stderr}"
        if expected.get("stdout_empty"):
            assert stdout == "", fmt
        for text in expected.get("stderr_contains", []):
            assert text in stderr, f"{fmt}: {text!r} not on stderr:\n{stderr}"
        for text in [*expected.get("contains", []), *expected.get(f"contains_{fmt}", [])]:
            assert text in stdout, f"{fmt}: {text!r} missing"
        for text in expected.get("absent", []):
            for variant in _variants(text):
                for stream, shown in (("output", stdout), ("stderr", stderr)):
                    assert variant not in shown, f"{fmt}: {variant!r} in {stream}"
        for text in expected.get(f"absent_{fmt}", []):
            assert text not in stdout, f"{fmt}: {text!r} in the output"
        if code == 0 and fmt == "md" and expected.get("markdown_safe"):
            assert_markdown_safe(stdout)
        if code == 0 and fmt == "html" and expected.get("html_safe"):
            assert_html_safe(stdout)


def test_every_case_says_what_it_proves() -> None:
    for case in RENDER_CASES:
        expected = json.loads((case / "case.json").read_text(encoding="utf-8"))
        assert expected.get("about"), case.name
        assert any(case.rglob("*.yaml")), case.name
