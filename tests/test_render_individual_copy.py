"""What the individual must be told (issue 10, item 3): each example's own copy, in Markdown
and HTML, gives the risk level in words and to whom, every rule it shows with its plain
title and what breaking it brings, in the second person, with no item ID anywhere and a
glossary of only the terms that appear."""

from __future__ import annotations

import copy
import html
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from rmp.model.evidence import Reading
from rmp.policy.load import defaults
from rmp.render.audience import audience_from_policy, project
from rmp.render.document import Table
from rmp.render.glossary import BREACH, BREACH_MISSING, BREACH_OWN, GLOSSARY
from rmp.render.labels import Labels
from rmp.render.pack import PackFormat, PlanSource, RenderRequest, render
from rmp.render.yours import Yours
from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
POLICY = ROOT / "examples" / "rmp.yaml"
GENERATED = "2026-11-27T09:00:00Z"
ID_LISTS = ("assessment.offences", "assessment.sources", "risk_factors", "protective_factors",
            "controls", "objectives", "options", "actions", "scenarios", "contingency",
            "victims", "disclosures", "concerns")
RISK_WORDS = re.compile(r"assessed as a (low|medium|high|very high) risk of serious harm"
                        r"( to [a-z ,]+)?\.")


def _plan(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _item_ids(data: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for where in ID_LISTS:
        node: Any = data
        for step in where.split("."):
            node = node.get(step) if isinstance(node, dict) else None
        for item in node or []:
            if isinstance(item, dict) and item.get("id"):
                found.add(str(item["id"]))
    return found


def _text(run_stdout: str) -> str:
    """The copy as a reader sees it: style sheet, tags, Markdown escapes and emphasis
    removed, entities decoded."""
    text = re.sub(r"<style.*?</style>", " ", run_stdout, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(text).replace("\\", "").replace("**", "")


@pytest.fixture(scope="module")
def copies() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for path in EXAMPLES:
        for fmt in ("md", "html"):
            run = run_rmp(["render", str(path), "--audience", "individual", "--format", fmt,
                           "--policy", str(POLICY), "--today", TODAY, "--generated", GENERATED])
            assert run.exit_code == 0, run.stderr
            out[path.name, fmt] = _text(run.stdout)
    return out


def _visible_controls(path: Path) -> list[dict[str, Any]]:
    """The controls the individual's projection keeps (the filter decides, not this test)."""
    policy = defaults()
    audience = audience_from_policy(policy, "individual")
    return [c for c in project(_plan(path), audience).data.get("controls", [])
            if isinstance(c, dict)]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_copy_tells_the_risk_level_in_words_and_to_whom(
        copies: dict[tuple[str, str], str], path: Path, fmt: str) -> None:
    text = copies[path.name, fmt]
    found = RISK_WORDS.search(" ".join(text.split()))
    assert found and found.group(2), "risk level and to whom, in words"
    for code in ("known_adult", "very-high", "Overall RoSH"):
        assert code not in text


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_visible_rule_shows_its_plain_title_and_what_breaking_it_brings(
        copies: dict[tuple[str, str], str], path: Path, fmt: str) -> None:
    text = " ".join(copies[path.name, fmt].split())
    controls = _visible_controls(path)
    every = [c for c in _plan(path)["controls"]]
    assert len(controls) == len(every), "every example control carries a plain: text"
    for control in controls:
        assert control.get("plain"), control.get("id")
        assert " ".join(str(control["plain"]).split()) in text, control["id"]
        if control.get("kind") != "internal":
            assert BREACH[control["on_breach"]] in text, control["id"]
    assert "You can be recalled to prison." in text or "taken back to court" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_no_item_id_anywhere_in_the_copy(
        copies: dict[tuple[str, str], str], path: Path, fmt: str) -> None:
    ids = _item_ids(_plan(path))
    assert ids
    pattern = re.compile(r"(?<![A-Za-z0-9])(" + "|".join(map(re.escape, ids)) + r")(?![0-9])")
    assert not pattern.findall(copies[path.name, fmt])


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_copy_speaks_to_the_person(
        copies: dict[tuple[str, str], str], path: Path, fmt: str) -> None:
    text = copies[path.name, fmt]
    for heading in ("Your risk level", "Rules you must follow", "What happens if you break them",
                    "What you have agreed to work on", "Who to contact", "Your next review",
                    "Words used in this plan"):
        assert heading in text, heading
    # rmp's own words (headings, labels, sentences) never speak of the person as "him"
    built = _yours(_plan(path)).build()
    labels = [s.title for s in built.sections] + [f.label for f in built.key_facts] + [
        h for s in built.sections for b in s.blocks if isinstance(b, Table) for h in b.header]
    for words in (_own_words(), " ".join(labels)):
        assert not re.search(r"\b(he|his|him|she|her|the individual)\b", words, re.I)
    assert "You" in text and "your" in text
    assert re.search(r"Your next review.*?\b\d{1,2} (January|February|March|April|May|June|"
                     r"July|August|September|October|November|December) \d{4}", text, re.S)


def _own_words() -> str:
    from rmp.render.glossary import WORDS
    return " ".join([*WORDS.values(), *BREACH.values(), BREACH_MISSING, BREACH_OWN,
                     *(meaning for _, _, meaning in GLOSSARY)])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_the_glossary_lists_only_terms_that_appear(
        copies: dict[tuple[str, str], str], path: Path) -> None:
    text = copies[path.name, "md"]
    body, words = text.split("## Words used in this plan", 1)
    words = words.split("## About this document", 1)[0]
    listed = {term for term, _, _ in GLOSSARY if f"- {term}:" in words}
    assert listed
    for term, pattern, _ in GLOSSARY:
        assert (term in listed) == bool(re.search(pattern, body)), term


def _yours(data: dict[str, Any]) -> Yours:
    audience = audience_from_policy(defaults(), "individual")
    return Yours(project(data, audience), date(2026, 11, 27), Reading(), Labels(True), "plan-1")


def _render(data: dict[str, Any], fmt: PackFormat = PackFormat.MD) -> str:
    source = PlanSource(EXAMPLES[0], "x.yaml", data, defaults())
    request = RenderRequest("individual", fmt, date(2026, 11, 27),
                            datetime(2026, 11, 27, 9, tzinfo=UTC))
    return render([source], request).replace("\\", "")


def test_a_rule_without_plain_words_falls_back_to_its_title_and_missing_breach_is_worded() -> None:
    data = _plan(ROOT / "examples" / "community-order-violence-alcohol.yaml")
    control = data["controls"][2]
    del control["plain"], control["on_breach"]
    text = _render(data)
    assert control["title"] in text
    assert BREACH_MISSING in text


def test_texts_that_cite_items_name_them_instead() -> None:
    data = _plan(ROOT / "examples" / "community-order-violence-alcohol.yaml")
    data["actions"][0]["measure"] = "Attends (RF1, RF2); see OBJ2 and C3 and SRC99"
    yours = _yours(data)
    said = yours.say(data["actions"][0]["measure"])
    assert said == ("Attends; see “Notice when you feel disrespected and walk away” and "
                    "one of your rules and another part of your plan")
    text = _render(data)
    assert "Attends; see “Notice when you feel disrespected" in text


def test_a_plain_text_keeps_an_item_whose_title_names_a_victim() -> None:
    """`plain:` written for the person releases an item from the cascade that withholds
    whatever cites a withheld item: only the citing text goes, the plain words stay."""
    data = _plan(ROOT / "examples" / "licence-evidence-above-first-draft.yaml")
    plain = data["controls"][0]["plain"]
    assert "V1" in data["controls"][0]["title"]
    text = _render(data)
    assert plain in text and data["controls"][0]["title"] not in text and "V1" not in text
    del data["controls"][0]["plain"]
    assert plain not in _render(data) and "recalled" in _render(data)
    data["controls"][1]["plain"] = "You must not contact V1"  # plain words that cite a victim
    text = _render(data)
    assert data["controls"][1]["plain"] not in text
    assert data["controls"][1]["title"] not in text


def test_changes_since_are_told_without_codes() -> None:
    yours = _yours(copy.deepcopy(_plan(EXAMPLES[0])))
    assert yours.change("RoSH known_adult community high -> very-high") == (
        "Your risk level to a known adult in the community: high to very high")
    assert yours.change("overall RoSH medium -> high") == "Your risk level medium to high"
    assert "C1" not in yours.change("C1 added")
