"""Properties of the semantic diff and its renderers, on the fictional example plans."""

from __future__ import annotations

import copy
import json
import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rmp.diff.engine import diff_plans
from rmp.diff.formats import render_json, render_md, render_text
from rmp.diff.phrasing import show, summary
from rmp.diff.records import Change, ChangeKind, PlanDiff, VersionRef
from rmp.diff.textconv import semantic_view
from rmp.io.load import load_bytes
from rmp.output.markdown import escape
from tests.conftest import ROOT, run_rmp

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PLANS = [p for p in EXAMPLES if p.name != "rmp.yaml"]
TODAY = date(2026, 11, 27)
ANSI = re.compile("\x1b\\[")


def _plan(path: Path) -> dict[str, Any]:
    document, problems = load_bytes(str(path), path.read_bytes())
    assert document is not None, problems
    assert isinstance(document.data, dict)
    return document.data


def _shuffled(value: Any, rng: random.Random) -> Any:
    """The same plan with every list and every mapping in another order."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _shuffled(value[k], rng) for k in keys}
    if isinstance(value, list):
        items = [_shuffled(v, rng) for v in value]
        rng.shuffle(items)
        return items
    return value


@pytest.mark.parametrize("path", PLANS, ids=[p.stem for p in PLANS])
def test_a_plan_compared_with_itself_has_no_changes(path: Path) -> None:
    plan = _plan(path)
    assert diff_plans(plan, copy.deepcopy(plan), TODAY) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), which=st.sampled_from(PLANS))
def test_re_ordering_anything_is_not_a_change(seed: int, which: Path) -> None:
    plan = _plan(which)
    shuffled = _shuffled(plan, random.Random(seed))
    assert diff_plans(plan, shuffled, TODAY) == []
    assert semantic_view(plan) == semantic_view(shuffled)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [path]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), which=st.sampled_from(PLANS))
def test_changing_any_one_value_is_reported_where_it_happened(data: st.DataObject,
                                                               which: Path) -> None:
    plan = _plan(which)
    changed = copy.deepcopy(plan)
    path = data.draw(st.sampled_from(_leaves(plan)))
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = "QX7CHANGED"
    changes = diff_plans(plan, changed, TODAY)
    assert changes, path
    assert any("QX7CHANGED" in json.dumps(c.new) for c in changes)


def test_the_log_summary_reads_like_the_issue_says() -> None:
    changes = [
        Change(ChangeKind.ROSH_UP, "/assessment/rosh/known_adult/community",
               field="assessment.rosh.known_adult.community", old="high", new="very-high"),
        Change(ChangeKind.ITEM_ADDED, "/actions/3", "A4", "action", None, None, {"id": "A4"}),
        Change(ChangeKind.REVIEW_MOVED, "/plan/review/next", field="plan.review.next",
               old="2026-12-09", new="2027-01-14"),
        Change(ChangeKind.FIELD_CHANGED, "/risk_factors/0/title", "RF1", "risk factor", "title",
               "a", "b"),
        Change(ChangeKind.ENTRY_ADDED, "/risk_factors/0/triggers/2", "RF1", "risk factor",
               "triggers", None, "c"),
    ]
    assert summary(changes) == ("RoSH known_adult community high -> very-high; A4 added; "
                                "review moved to 2027-01-14; RF1 title, triggers changed")
    assert summary(changes, values=False) == (
        "RoSH known_adult community up; A4 added; review moved; RF1 title, triggers changed")
    assert summary([]) == "no semantic change"


def _result(before: dict[str, Any], after: dict[str, Any]) -> PlanDiff:
    return PlanDiff("plans/x.yaml", VersionRef("HEAD", "a" * 40, "2026-11-10T10:00:00+00:00",
                                               "plans/x.yaml"),
                    VersionRef("working tree", path="plans/x.yaml"),
                    tuple(diff_plans(before, after, TODAY)), plan_id="RMP-1001")


def _hostile_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    before = _plan(PLANS[0])
    after = copy.deepcopy(before)
    after["risk_factors"][0]["title"] = ("a | b\n- [x](javascript:alert(1)) <script>alert(1)"
                                         "</script> *bold* `code` # h")
    after["actions"].append({"id": "A99", "title": "<img src=x onerror=alert(1)>|x|",
                             "owner": {"agency": "police", "role": "[click](http://x)"}})
    return before, after


def test_markdown_escapes_every_value_and_keeps_each_change_on_one_line() -> None:
    text = render_md(_result(*_hostile_pair()))
    assert not re.search(r"(?<!\\)[<>|`*\[\]]", text.replace("→", "")), "unescaped markup"
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert any("RF1 title" in line for line in bullets)
    assert all("\n" not in line for line in bullets)
    assert text.startswith("## Changes since last meeting\n")
    # nothing in the text can start a new block: every line is a heading, a bullet, the
    # draft notice or blank
    for line in text.splitlines():
        assert line == "" or line.startswith(("## ", "### ", "- ", "_Draft"))


def test_markdown_values_go_through_the_shared_escaper() -> None:
    """Every value is escaped by `rmp.output.markdown.escape`, the one escaper of every
    command: rendered, the draft has no HTML, link, image, emphasis or code from plan text."""
    from markdown_it import MarkdownIt

    before, after = _hostile_pair()
    text = render_md(_result(before, after))
    assert escape(show(after["risk_factors"][0]["title"])) in text
    html = MarkdownIt("commonmark").render(text).split("</p>", 1)[1]  # after the notice
    for markup in ("<script", "<img", "<a ", "<em>", "<strong>b", "<code>", "<h1"):
        assert markup not in html, markup


def test_text_has_colour_only_when_asked() -> None:
    result = _result(*_hostile_pair())
    assert not ANSI.search(render_text(result, color=False))
    assert ANSI.search(render_text(result, color=True))


def test_rich_markup_in_values_is_printed_as_text() -> None:
    before = _plan(PLANS[0])
    after = copy.deepcopy(before)
    after["risk_factors"][0]["title"] = "[bold red]not markup[/bold red]"
    text = render_text(_result(before, after), color=True)
    assert "[bold red]not markup[/bold red]" in text


def test_json_is_versioned_and_holds_old_and_new() -> None:
    document = json.loads(render_json(_result(*_hostile_pair()), today=TODAY))
    assert document["schema_version"] == 1
    assert document["today"] == "2026-11-27"
    assert document["from"]["commit"] == "a" * 40
    assert document["changed"] is True
    kinds = {c["kind"] for c in document["changes"]}
    assert {"field-changed", "item-added"} <= kinds
    assert all({"kind", "path", "item", "item_kind", "field", "old", "new"} == set(c)
               for c in document["changes"])


SENTINEL = "QX7SENTINEL"


def _with_sentinels(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with every text value that the schema lets be any text (IDs and `format`
    aside) replaced by a numbered sentinel: both versions must pass the gate to be compared."""
    from rmp.io.schema import validator

    check = validator("plan")
    result = copy.deepcopy(plan)
    for number, path in enumerate(_leaves(plan)):
        if path[-1] in ("id", "format"):
            continue
        node = result
        for part in path[:-1]:
            node = node[part]
        value = node[path[-1]]
        if not isinstance(value, str):
            continue
        node[path[-1]] = f"{SENTINEL}{number}"
        if not check.is_valid(result):
            node[path[-1]] = value
    return result


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_no_values_leaves_every_value_out(tmp_path: Path, fmt: str) -> None:
    import yaml

    before = _plan(PLANS[0])
    after = _with_sentinels(before)
    assert SENTINEL in json.dumps(after)
    after["actions"].append({**before["actions"][0], "id": "A98", "title": f"{SENTINEL} new"})
    del after["actions"][0]
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(yaml.safe_dump(before), encoding="utf-8")
    b.write_text(yaml.safe_dump(after), encoding="utf-8")
    hidden = run_rmp(["diff", "--files", str(a), str(b), "--format", fmt, "--no-values"])
    assert hidden.exit_code == 0, hidden.stderr
    assert SENTINEL not in hidden.stdout + hidden.stderr
    assert "A98" in hidden.stdout
    shown = run_rmp(["diff", "--files", str(a), str(b), "--format", fmt])
    assert SENTINEL in shown.stdout  # by design: the author sees the values
    assert SENTINEL not in shown.stderr


def test_semantic_view_lists_items_by_id() -> None:
    view = semantic_view(_plan(PLANS[0]))
    lines = view.splitlines()
    assert "format: rmp/1" in lines
    headers = [line for line in lines if line.startswith("[A")]
    ids = [h.split("]")[0][1:] for h in headers]
    assert ids == sorted(ids, key=lambda i: int(i[1:]))
