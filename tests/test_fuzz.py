"""Fuzzing: malformed or odd input never crashes rmp, and never leaks a value into a finding.

The fuzzing drives the library directly (fast enough for thousands of examples), and a few
dozen examples still go through the whole CLI:

- the gate (`rmp.io.gate.gate_bytes`, which runs `rmp.io.load.load_bytes`) on raw bytes, on
  YAML built from random structures (anchors, tags, duplicate keys and control characters
  spliced in) and on mutated copies of the real example plans;
- `rmp.check.pipeline.check_document` and `rmp.render.pack.render` on every plan that passed
  the gate;
- `rmp.diff.engine.diff_plans` (with its phrases and text/Markdown views) on two versions of a
  plan, only when both passed the gate (that is its contract), and the "changes since" section
  of a pack;
- `rmp check`, `rmp diff --files` and `rmp render` through `typer.testing.CliRunner`.

Mutations are the most valuable inputs: values swapped for ones found at the same place in
another example, or under the same key anywhere (whole items and subtrees included), IDs and
codes from anywhere, edge values (dates, markup, template syntax, long text), deleted keys and
items, duplicated and reordered items (repeated IDs), and random structures; plans are written
in block or flow style. About 60% of mutated plans still pass the gate, so the rules, templates
and diff see combinations no hand-written case has.

Invariants: no exception (the gate reports bad input as findings; `render` could raise
`RmpError` for a bad policy or audience, which these inputs never give it); every finding has
line >= 1, column >= 1 and a code RMPnnn; no finding, diff phrase or summary holds a value
planted in the plan's free text; the `individual` pack (with or without "changes since") never
holds a value planted in `victims`; the CLI exits 0, 1 or 2 with no traceback, writes no file
and leaves its input alone.

Hypothesis profiles (tests/conftest.py):

- `ci`, the default: a fixed seed (`derandomize`), no example database, no deadline, a few
  hundred examples; about 10 seconds. A failure reproduces on any machine, every run.
- `long`, on demand: 20 times the examples, chosen at random, failures kept in `.hypothesis/`
  and replayed first on the next run (several minutes):

      HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest -q tests/test_fuzz.py

  `--hypothesis-seed=N` repeats one random run; `--hypothesis-show-statistics` shows how many
  examples passed the gate.

All plans are fictional.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from typer.testing import CliRunner

from rmp.check.pipeline import check_document
from rmp.cli import app
from rmp.diff.engine import diff_plans
from rmp.diff.formats import render_md, render_text
from rmp.diff.phrasing import phrase, summary
from rmp.diff.records import PlanDiff, VersionRef
from rmp.findings import Finding
from rmp.history.versions import EarlierVersion
from rmp.io.gate import Gated, gate_bytes
from rmp.io.load import load_bytes
from rmp.policy.load import defaults
from rmp.render.pack import PackFormat, PlanSource, RenderRequest, render
from tests.conftest import ROOT, TODAY, all_paths

DAY = date.fromisoformat(TODAY)
GENERATED = datetime(2026, 11, 27, 9, tzinfo=UTC)
POLICY = defaults()
RUNNER = CliRunner()
CODE = re.compile(r"RMP\d{3}")
SENTINEL = "ZQX"  # planted values are ZQXF0001 (free text) and ZQXV0001 (victims)
VICTIM_SENTINEL = "ZQXV"


def _budget(share: float) -> settings:
    """This test's number of examples: a share of the profile's `max_examples`."""
    return settings(max_examples=max(1, round(settings.default.max_examples * share)))


def _load(path: Path) -> dict[str, Any]:
    document, problems = load_bytes(str(path), path.read_bytes())
    assert document is not None and not problems, problems
    assert isinstance(document.data, dict)
    return document.data


def _plant(node: Any, where: tuple[Any, ...], counter: list[int]) -> Any:
    """A copy with a sentinel at the start of every free-text value (a string with a space:
    IDs, codes, enum values and dates have none)."""
    if isinstance(node, dict):
        return {k: _plant(v, (*where, k), counter) for k, v in node.items()}
    if isinstance(node, list):
        return [_plant(v, (*where, i), counter) for i, v in enumerate(node)]
    if isinstance(node, str) and " " in node:
        counter[0] += 1
        kind = "V" if where[:1] == ("victims",) else "F"
        return f"{SENTINEL}{kind}{counter[0]:04d} {node}"
    return node


def _dump(data: Any, flow: bool = False) -> bytes:
    """The plan as YAML: block style, or flow style (JSON, a tenth of the time to write)."""
    if flow:
        text = json.dumps(data, ensure_ascii=False, indent=1)
    else:
        text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    return text.encode("utf-8", "surrogatepass")


EXAMPLE_PATHS = sorted(p for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
ORIGINALS = {p.name: _load(p) for p in EXAMPLE_PATHS}
PLANTED = {name: _plant(data, (), [0]) for name, data in ORIGINALS.items()}
NAMES = sorted(PLANTED)
PLANTED_JSON = {name: json.dumps(data) for name, data in PLANTED.items()}
PAIR_BASE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"


def _key_of(path: tuple[Any, ...]) -> str:
    """The key a value at `path` stands under, `key[]` for a list item."""
    for depth in range(len(path) - 1, -1, -1):
        if isinstance(path[depth], str):
            return path[depth] + "[]" * (len(path) - 1 - depth)
    return "[]"


def _place_of(path: tuple[Any, ...]) -> str:
    """Where a value stands in any plan: `actions[].owner.agency`."""
    return ".".join("[]" if isinstance(part, int) else part for part in path)


def _pools(name_of: Callable[[tuple[Any, ...]], str]) -> dict[str, list[Any]]:
    """Every value found at each place (or under each key) in the unplanted examples,
    subtrees included."""
    found: dict[str, dict[str, Any]] = {}
    for data in ORIGINALS.values():
        for path in all_paths(data)[1:]:
            value: Any = data
            for part in path:
                value = value[part]
            found.setdefault(name_of(path), {})[json.dumps(value, sort_keys=True)] = value
    return {key: [values[k] for k in sorted(values)] for key, values in sorted(found.items())}


PLACES = _pools(_place_of)  # the same place in another example: nearly always schema-valid
KEYS = _pools(_key_of)  # the same key anywhere: `status`, `id` and `owner` mean many things
EDGE_VALUES: list[Any] = [
    None, True, False, 0, -1, 1, 3, 2**63, 1.5, -0.0, 1e308, "", " ", "x", "tbc", "TBC",
    "2026-11-27", "2026-11-26", "2026-11-28", "2024-02-29", "2026-02-30", "1970-01-01",
    "0001-01-01", "9999-12-31", "2026-11-27T10:00:00Z", "RF1", "RF99", "A1", "C1", "V1", "PF1",
    "police", "probation", "very-high", "high", "low", "done", "blocked", "weekly",
    "<script>alert(1)</script>", "</td></tr>", "| a | b |", "[x](javascript:y)", "{{ 7*7 }}",
    "{% raw %}", "{#", "**bold", "# heading", "---", "a\nb", "a\r\nb", "\u2028", "é ü 中文 🙂",
    "x" * 5000, "word " * 300, [], {}, [None], ["RF1", "RF1"], {"x-extra": "y"},
]
ENUMS_AND_IDS = sorted({v for values in KEYS.values() for v in values
                        if isinstance(v, str) and " " not in v and len(v) < 30})

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
                                         "owner", "x-a", "status", "due", "rosh"])
                        | st.text(max_size=8), children, max_size=5),
    ),
    max_leaves=20,
)
# weights: most mutations keep the plan schema-valid, so the rules, the templates and the diff
# see it; the rest exercise the gate's messages and positions
OPERATIONS = ["place"] * 8 + ["duplicate"] * 2 + ["reorder"] * 2 + [
    "key", "edge", "word", "delete", "random"]


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node


def _pick(draw: st.DrawFn, choices: Sequence[Any]) -> Any:
    """One of `choices` (an index draw: `sampled_from` would hash a fresh list every time)."""
    return choices[draw(st.integers(0, len(choices) - 1))]


@st.composite
def mutants(draw: st.DrawFn, name: str | None = None, min_ops: int = 1, max_ops: int = 4
            ) -> dict[str, Any]:
    """A planted example with a few mutations, each at a path of the plan as it then is."""
    data = json.loads(PLANTED_JSON[name if name is not None else draw(st.sampled_from(NAMES))])
    for _ in range(draw(st.integers(min_ops, max_ops))):
        path = _pick(draw, all_paths(data)[1:])
        parent, last = _parent(data, path), path[-1]
        operation = _pick(draw, OPERATIONS)
        if operation in ("duplicate", "reorder") and not isinstance(parent, list):
            operation = "place"
        if operation in ("place", "key"):
            pool = PLACES.get(_place_of(path)) if operation == "place" else KEYS.get(_key_of(path))
            parent[last] = copy.deepcopy(_pick(draw, pool or EDGE_VALUES))
        elif operation == "edge":
            parent[last] = copy.deepcopy(_pick(draw, EDGE_VALUES))
        elif operation == "word":  # an ID, code or enum value from anywhere
            parent[last] = _pick(draw, ENUMS_AND_IDS)
        elif operation == "delete":
            del parent[last]
        elif operation == "duplicate":  # repeated IDs
            parent.insert(draw(st.integers(0, len(parent))), copy.deepcopy(parent[last]))
        elif operation == "reorder":
            parent.insert(draw(st.integers(0, len(parent) - 1)), parent.pop(last))
        else:
            parent[last] = draw(STRUCTURES)
        if not isinstance(data, dict) or not data:
            break
    return data


# -- invariants --------------------------------------------------------------------------------


def _assert_findings(findings: Iterable[Finding], raw: bytes) -> None:
    # YAML breaks lines at CR, LF and CRLF; an error at the end of the file is on the line after
    lines = max(len(raw.splitlines()), len(raw.decode("utf-8", "replace").splitlines())) + 1
    for finding in findings:
        assert CODE.fullmatch(finding.code), finding
        assert 1 <= finding.line <= lines, (finding, lines)
        assert finding.column >= 1, finding
        assert SENTINEL not in finding.message, finding
        assert SENTINEL not in " ".join(finding.items), finding


def _gate(raw: bytes) -> Gated:
    if raw in UNMUTATED:  # the planted examples, checked once below
        return UNMUTATED[raw]
    gated = gate_bytes("plan.yaml", raw)
    _assert_findings(gated.findings, raw)
    if currently_in_test_context():
        event("passed the gate" if gated.passed else "refused by the gate")
    if gated.passed:
        assert gated.document is not None
        _assert_findings(check_document(gated.document, POLICY, DAY), raw)
    return gated


def _render(data: dict[str, Any], audience: str, fmt: PackFormat,
            earlier: dict[str, Any] | None = None) -> str:
    source = PlanSource(ROOT / "plan.yaml", "plan.yaml", data, POLICY)
    since = None if earlier is None else {source.path: EarlierVersion("earlier", earlier, DAY)}
    with _unchanged(data, earlier):
        text = render([source], RenderRequest(audience, fmt, DAY, GENERATED, earlier=since))
    assert text.strip()
    if audience == "individual":
        for shown in (text, html.unescape(text)):
            assert VICTIM_SENTINEL not in shown, re.findall(r"ZQXV\d+[^\n]{0,60}", shown)
    return text


UNMUTATED: dict[bytes, Gated] = {}
for _name, _data in PLANTED.items():
    _raw = _dump(_data)
    UNMUTATED[_raw] = _gate(_raw)
    assert UNMUTATED[_raw].passed, (_name, UNMUTATED[_raw].findings)
    assert VICTIM_SENTINEL in json.dumps(_data), _name


@contextmanager
def _unchanged(*plans: Any) -> Iterator[None]:
    """Rendering and diffing never change the plans they are given."""
    before = json.dumps(plans)
    yield
    assert json.dumps(plans) == before, "the plan data was changed"


def _library(raw: bytes, audience: str, fmt: PackFormat) -> None:
    gated = _gate(raw)
    if gated.passed:
        assert gated.document is not None
        _render(gated.document.data, audience, fmt)


AUDIENCES = st.sampled_from(["individual", "individual", "agencies", "panel"])
FORMATS = st.sampled_from(list(PackFormat))


# -- library-level fuzzing ---------------------------------------------------------------------


RAW = st.binary(max_size=3000) | st.text(max_size=1000).map(lambda text: text.encode("utf-8"))


@_budget(3.0)
@given(RAW)
def test_random_bytes(content: bytes) -> None:
    _library(b"format: rmp/1\n" + content, "individual", PackFormat.MD)


SPLICES = st.sampled_from(["", "&anchor ", "*anchor", "!!python/object/apply:os.system ['x']",
                           "\n  id: RF1\n  id: RF1\n", "\t", "\x00", "\ufeff", "{", "]", "---\n",
                           "? [a]\n: b\n", "\u202e", '"\\u0007"'])


@_budget(1.5)
@given(STRUCTURES, SPLICES, st.integers(0, 10_000))
def test_yaml_from_random_structures(structure: Any, splice: str, where: int) -> None:
    text = yaml.safe_dump({"format": "rmp/1", "plan": structure}, allow_unicode=True)
    at = where % (len(text) + 1)
    _library((text[:at] + splice + text[at:]).encode("utf-8", "surrogatepass"), "individual",
             PackFormat.MD)


@_budget(2.5)
@given(mutants(), st.booleans(), AUDIENCES, FORMATS)
def test_mutated_real_plans(plan: dict[str, Any], flow: bool, audience: str, fmt: PackFormat
                            ) -> None:
    _library(_dump(plan, flow), audience, fmt)


@st.composite
def versions(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """Two versions of one plan: the earlier mutated a little (or not), the later more."""
    name = draw(st.sampled_from(NAMES))
    return draw(mutants(name, 0, 1)), draw(mutants(name, 1, 3))


def _assert_no_sentinel(texts: Sequence[str]) -> None:
    for text in texts:
        assert SENTINEL not in text, text


@_budget(1.2)
@given(versions(), st.booleans(), FORMATS)
def test_diff_of_two_gated_versions(pair: tuple[dict[str, Any], dict[str, Any]], flow: bool,
                                    fmt: PackFormat) -> None:
    before, after = (_gate(_dump(plan, flow and index == 1)) for index, plan in enumerate(pair))
    if not (before.passed and after.passed):
        return  # diff_plans takes gated plans only; the CLI reports the refusal instead
    assert before.document is not None and after.document is not None
    old, new = before.document.data, after.document.data
    with _unchanged(old, new):
        changes = diff_plans(old, new, DAY)
    event(f"changes: {min(len(changes), 5)}{'+' if len(changes) >= 5 else ''}")
    _assert_no_sentinel([phrase(c, values) for c in changes for values in (True, False)])
    _assert_no_sentinel([summary(changes, True), summary(changes, False)])
    assert diff_plans(old, old, DAY) == []
    result = PlanDiff("a.yaml -> b.yaml", VersionRef("a.yaml", path="a.yaml"),
                      VersionRef("b.yaml", path="b.yaml"), tuple(changes), (), "P1", DAY)
    for values in (True, False):
        render_text(result, values=values)
        render_md(result, values=values)
    # "changes since" in a pack: the diff as the individual sees it names nothing withheld
    _render(new, "individual", fmt, earlier=old)


# -- through the CLI ---------------------------------------------------------------------------

CLI_COMMANDS: dict[str, list[str]] = {
    "check-json": ["check", "{plan}", "--today", TODAY, "--no-policy", "-f", "json"],
    "check-sarif": ["check", "{plan}", "--today", TODAY, "--no-policy", "-f", "sarif"],
    "diff": ["diff", "--files", str(PAIR_BASE), "{plan}", "--today", TODAY, "--format", "json"],
    "diff-md": ["diff", "--files", "{plan}", str(PAIR_BASE), "--today", TODAY, "--format", "md"],
    "render-md": ["render", "{plan}", "--audience", "individual", "--format", "md", "--today",
                  TODAY, "--no-policy", "--generated", "2026-11-27T09:00:00Z"],
    "render-html": ["render", "{plan}", "--audience", "agencies", "--format", "html", "--today",
                    TODAY, "--no-policy", "--generated", "2026-11-27T09:00:00Z"],
}


def _run_cli(content: bytes, command: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "plan.yaml"
        plan.write_bytes(content)
        before = sorted(os.listdir(folder))
        args = [str(plan) if arg == "{plan}" else arg for arg in CLI_COMMANDS[command]]
        result = RUNNER.invoke(app, args, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{command} raised:\n" + "".join(
                traceback.format_exception(result.exception)))
        assert result.exit_code in (0, 1, 2), (command, result.exit_code, result.output)
        assert "Traceback" not in result.output
        assert "internal error" not in result.output
        assert sorted(os.listdir(folder)) == before, "a command wrote a file"
        assert plan.read_bytes() == content, "a command changed its input"
        return result.exit_code


CLI_INPUTS = st.one_of(
    mutants(PAIR_BASE.name).map(_dump),
    mutants().map(_dump),
    st.binary(max_size=500).map(lambda content: b"format: rmp/1\n" + content),
)


@_budget(0.5)
@given(CLI_INPUTS, st.sampled_from(sorted(CLI_COMMANDS)))
def test_the_cli_never_crashes(content: bytes, command: str) -> None:
    _run_cli(content, command)


def test_diff_files_reports_a_version_that_fails_the_gate() -> None:
    """The crash the unseeded fuzz test found by chance: a version the gate refuses is a
    finding for that version (exit 1), never an internal error."""
    data = copy.deepcopy(ORIGINALS[PAIR_BASE.name])
    data["actions"][3]["status"] = []
    assert _run_cli(_dump(data), "diff") == 1
