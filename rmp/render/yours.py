"""The individual's own copy of their plan (issue 10, item 3): plain words, the second
person, no item IDs.

For an audience that is the individual's (`Audience.for_individual`), `rmp.render.assemble`
takes a plan's key facts, introduction and sections from here instead of the professional
builder (`rmp.render.build`). The blocks are the same document model, so the Markdown and
HTML templates render them unchanged. Everything is read from the projection, which
`rmp.render.individual` has already stripped of victims, disclosures and the rest.

What the person must be told: their risk level and to whom, in words; the rules they must
follow and what breaking each brings (`on_breach` in words); what they agreed to work on;
who to contact; when the plan is next looked at; and a glossary of the terms that appear.
Each item shows its `plain:` text, else its title. IDs never show: a text that cites a
visible item names it instead (in quotes), and lists of IDs in brackets are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from rmp.model.evidence import Reading
from rmp.model.paths import parse_date
from rmp.model.view import PlanView
from rmp.model.vocabulary import GROUPS, KINDS, LEVELS
from rmp.render.audience import Projection
from rmp.render.document import (
    Block,
    Bullets,
    Cell,
    Content,
    Fact,
    Facts,
    Flag,
    Items,
    Level,
    Note,
    Paragraph,
    Section,
    Strong,
    Subsection,
    Table,
    Text,
)
from rmp.render.glossary import (
    AGREEMENT,
    BASIS,
    BREACH,
    BREACH_MISSING,
    BREACH_MORE,
    FREQUENCY,
    GROUP_NAMES,
    SENTENCES,
    SETTINGS,
    STATUS,
    WORDS,
    breach_words,
    glossary,
    words_of,
)
from rmp.render.glossary import GROUPS as GROUP_WORDS
from rmp.render.glossary import LEVELS as LEVEL_WORDS
from rmp.render.labels import Labels
from rmp.render.values import format_long_date, hidden, priority_key

_PREFIXES = "|".join(sorted((k.prefix for k in KINDS if k.prefix), key=len, reverse=True))
ID_TOKEN = re.compile(rf"(?<![A-Za-z0-9_-])(?:{_PREFIXES})[0-9]+(?![A-Za-z0-9_-])")
"""An item ID as the format writes them (RF1, OBJ2, SRC10)."""
_ID_LIST = re.compile(
    rf"\s*\(\s*(?:see\s+|under\s+)?(?:{_PREFIXES})[0-9]+"
    rf"(?:\s*(?:,|;|/|&|\band\b|\bor\b)\s*(?:{_PREFIXES})[0-9]+)*\s*\)")
_BREACH_ORDER = ("recall", "breach-proceedings", "arrest", "review", "other")
ELSEWHERE = "another part of your plan"
_SHORT = 50
"""A cited item's name longer than this is referred to by its kind (`_KIND_WORDS`)."""
_KIND_WORDS = {"RF": "one of the things that could lead to harm",
               "PF": "one of the things that help you", "C": "one of your rules",
               "OBJ": "one of your aims", "A": "one of the actions in your plan",
               "CT": "your plan for if things go wrong"}
_ROSH_CHANGE = re.compile(r"RoSH (\S+) (\S+) (\S+) -> (\S+)")


def _w(key: str, **values: Any) -> str:
    text = WORDS[key]
    return text.format(**values) if values else text


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" {_w('and')} " + names[-1]


@dataclass(frozen=True)
class YourPlan:
    """One plan's part of the individual's copy."""

    key_facts: tuple[Fact, ...]
    intro: tuple[Content, ...]
    sections: tuple[Section, ...]
    changes: tuple[str, ...] | None = None
    """`--since` phrases, without IDs or codes."""


class Yours:
    """The individual's copy of one projected plan."""

    def __init__(self, projection: Projection, today: date, reading: Reading,
                 words: Labels, anchor: str) -> None:
        self.projection = projection
        self.data = projection.data
        self.view = PlanView(projection.data, today, reading)
        self.today = today
        self.labels = words
        self.anchor = anchor
        self.names: dict[str, str] = {}
        for item in self.view.all_items():
            if item.id and item.kind.prefix:
                self.names[item.id] = self._bare(self._title(item.fields))
        self.agencies = {str(a.id): str(a.get("name")) for a in self.view.items("agency")
                         if a.id and isinstance(a.get("name"), str) and a.get("name")}

    # -- words ---------------------------------------------------------------------------------

    @staticmethod
    def _title(item: Mapping[str, Any]) -> str:
        for key in ("plain", "title", "description", "name"):
            value = item.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
        return ""

    @staticmethod
    def _tidy(text: str) -> str:
        text = re.sub(r"[ \t]{2,}", " ", text)
        return re.sub(r"\s+([,.;:)])", r"\1", text).strip()

    def _bare(self, text: str) -> str:
        """A text with every ID taken out (for an item's own name)."""
        return self._tidy(ID_TOKEN.sub("", _ID_LIST.sub("", text)))

    def say(self, value: Any) -> str:
        """Plan text as the person reads it: bracketed ID lists dropped, any other ID
        replaced by the name of the item (or by `ELSEWHERE` when it is not in the copy)."""
        if value is None:
            return ""
        text = _ID_LIST.sub("", str(value))

        def name(match: re.Match[str]) -> str:
            found = self.names.get(match.group(0))
            if found and len(found) <= _SHORT:
                return f"“{found}”"
            prefix = match.group(0).rstrip("0123456789")
            return _KIND_WORDS.get(prefix, ELSEWHERE) if found else ELSEWHERE

        return self._tidy(ID_TOKEN.sub(name, text))

    def name(self, item: Mapping[str, Any]) -> str:
        """An item's plain text, else its title, without IDs."""
        return self.say(self._title(item))

    def agency(self, value: Any) -> str:
        if value == "individual":
            return _w("you")
        if value in self.agencies:
            return self.agencies[str(value)]
        spaced = str(value or "").replace("_", " ").replace("-", " ")
        return spaced[:1].upper() + spaced[1:]

    def get(self, *path: str) -> Any:
        return self.view.section(path)

    def listed(self, *path: str) -> list[dict[str, Any]]:
        found = self.get(*path)
        return [i for i in found if isinstance(i, dict)] if isinstance(found, list) else []

    def _section(self, key: str, title_key: str, blocks: Iterable[Block | None],
                 *withheld_roots: tuple[str, ...]) -> Section:
        partial = any(self.projection.is_withheld(*root) for root in withheld_roots)
        return Section(key, _w(title_key), f"{self.anchor}-{key}",
                       "partial" if partial else "shown", tuple(b for b in blocks if b))

    @staticmethod
    def _level(value: str) -> Content:
        return (Level(LEVEL_WORDS.get(value, value), value if value in LEVELS else "none"),)

    # -- the copy ------------------------------------------------------------------------------

    def change(self, phrase: str) -> str:
        """A `--since` phrase (`RF1 title changed`, `RoSH known_adult community high ->
        very-high`) without IDs or codes."""
        rosh = _ROSH_CHANGE.fullmatch(phrase)
        if rosh:
            group, where, old, new = rosh.groups()
            return _w("rosh_changed", group=GROUP_WORDS.get(group, group),
                      where=_w(f"in_{where}") if f"in_{where}" in WORDS else where,
                      old=LEVEL_WORDS.get(old, old), new=LEVEL_WORDS.get(new, new))
        text = self.say(phrase).replace(" -> ", " to ")
        text = text.replace("overall RoSH", "your risk level").replace("RoSH", "risk level")
        for code, words in (*GROUP_WORDS.items(), *LEVEL_WORDS.items()):
            text = re.sub(rf"(?<![A-Za-z_-]){re.escape(code)}(?![A-Za-z_-])", words, text)
        return text[:1].upper() + text[1:]

    def build(self, changes: tuple[str, ...] | None = None) -> YourPlan:
        sections = [s for s in (
            self._section("risk", "risk", self._risk(), ("assessment",)),
            self._section("rules", "rules", self._rules(), ("controls",)),
            self._section("breach", "breach", self._breach()),
            self._section("work", "work", self._work(), ("objectives",), ("actions",)),
            self._section("worries", "worries", self._worries(), ("risk_factors",)),
            self._section("strengths", "strengths", self._strengths(),
                          ("protective_factors",)),
            self._section("contacts", "contacts", self._contacts(), ("agencies",)),
            self._section("review", "review", self._review()),
            self._section("you", "about_you", self._you(), ("individual",)),
        ) if s.blocks]
        intro = ((Text(_w("intro")),),
                 (Text(_w("intro_withheld", withheld=self.labels("withheld"))),))
        facts = self._key_facts()
        terms = glossary(words_of(facts, intro, sections))
        if terms:
            sections.append(Section("words", _w("words"), f"{self.anchor}-words", "shown", (
                Paragraph((Text(_w("words_intro")),)),
                Bullets(tuple((Strong(term), Text(f": {meaning}")) for term, meaning in terms)),
            )))
        return YourPlan(facts, intro, tuple(sections), None if changes is None
                        else tuple(self.change(c) for c in changes))

    def _key_facts(self) -> tuple[Fact, ...]:
        overall = self.view.overall_rosh
        risk: Content = self._level(overall) if overall else (
            Text(self.labels("withheld_short")),) if self._risk_withheld() \
            else (Text(self.labels("not_recorded")),)
        lead = self.get("plan", "lead")
        nxt = self.get("plan", "review", "next")
        rules = [c for c in self.listed("controls") if c.get("kind") != "internal"]
        return (Fact(_w("fact_risk"), risk),
                Fact(_w("fact_lead"), (Text(self.agency(lead) if lead
                                            else self.labels("not_recorded")),)),
                Fact(_w("fact_review"), (Text(format_long_date(nxt) if nxt
                                              else self.labels("not_recorded")),)),
                Fact(_w("fact_rules"), (Text(str(len(rules))),)))

    def _risk_withheld(self) -> bool:
        return any(hidden(self.projection, ("assessment", key))
                   for key in ("rosh", "overall_rosh"))

    def _risk(self) -> Iterator[Block | None]:
        overall, view = self.view.overall_rosh, self.view
        if overall:
            whom = [GROUP_WORDS[g] for g in GROUPS if view.current_rosh(g) == overall]
            sentence = _w("risk_is", level="\0", whom=_join(whom)) if whom \
                else _w("risk_is_nobody", level="\0")
            before, after = sentence.split("\0")
            yield Paragraph((Text(before), *self._level(overall), Text(after)))
            yield Paragraph((Text(_w("risk_means")),))
            rows = tuple((Cell((Text(GROUP_NAMES[g]),)), Cell(self._level(level)))
                         for g in GROUPS if (level := view.current_rosh(g)))
            if len(rows) > 1:
                yield Table((_w("col_group"), _w("col_level")), rows, caption=_w("by_group"),
                            row_headers=True)
        elif self._risk_withheld():
            yield Paragraph((Text(_w("risk_withheld")),))
        else:
            yield Paragraph((Text(_w("risk_not_recorded")),))
        if view.mappa_level:
            yield Paragraph((Text(_w("mappa_level", level=view.mappa_level)),))
        sentence = self.get("individual", "sentence")
        if isinstance(sentence, Mapping) and sentence.get("type") in SENTENCES:
            words = SENTENCES[str(sentence["type"])]
            end = sentence.get("licence_end") if sentence["type"] == "licence" \
                else sentence.get("sentence_end")
            yield Paragraph((Text(_w("sentence_until", sentence=words,
                                     date=format_long_date(end)) if end
                                  else _w("sentence_only", sentence=words)),))

    def _rules(self) -> Iterator[Block | None]:
        controls = self.listed("controls")
        rules = [c for c in controls if c.get("kind") != "internal"]
        own = [c for c in controls if c.get("kind") == "internal"]
        if not controls:
            withheld = "controls" not in self.data and self.projection.is_withheld("controls")
            yield Paragraph((Text(_w("rules_withheld" if withheld else "no_rules")),))
            return
        if rules:
            yield Table((_w("col_rule"), _w("col_until"), _w("col_checked"),
                         _w("col_if_broken")), tuple((
                             Cell((Text(self.name(c)), *((Note((Text(BASIS[c["basis"]]),)),)
                                                         if c.get("basis") in BASIS else ()))),
                             Cell((Text(format_long_date(c["until"])),) if c.get("until")
                                  else (), "nowrap"),
                             Cell((Text(self.agency(c["enforced_by"])),)
                                  if c.get("enforced_by") else ()),
                             Cell((Text(breach_words(c)),))) for c in rules))
        if own:
            yield Subsection(_w("own_plans"), (Bullets(tuple(
                (Text(self.name(c)),) for c in own)),))

    def _breach(self) -> Iterator[Block | None]:
        rules = [c for c in self.listed("controls") if c.get("kind") != "internal"]
        contingency = [c for c in self.listed("contingency")
                       if isinstance(c.get("plain"), str) and c["plain"].strip()]
        if not rules and not contingency:
            return
        if rules:
            given = {str(c.get("on_breach")) for c in rules if c.get("on_breach")}
            lines: list[Content] = [(Strong(BREACH[k]), Text(" " + BREACH_MORE[k]))
                     for k in _BREACH_ORDER if k in given]
            if any(not c.get("on_breach") for c in rules):
                lines.append((Strong(BREACH_MISSING),))
            yield Paragraph((Text(_w("breach_intro")),))
            yield Bullets(tuple(lines))
        if contingency:
            yield Subsection(_w("if_things_go_wrong"), (Bullets(tuple(
                (Text(self.say(c["plain"])),) for c in contingency)),))
        yield Paragraph((Text(_w("breach_asks")),))

    def _work(self) -> Iterator[Block | None]:
        objectives = self.listed("objectives")
        actions = self.listed("actions")
        if objectives:
            def agreed(o: Mapping[str, Any]) -> Content:
                by = o.get("agreed_by")
                if not isinstance(by, list) or not by:
                    return ()
                others = [self.agency(a) for a in by if a != "individual"]
                if "individual" in by:
                    return (Note((Text(_w("you_agreed")),)),)
                return (Note((Text(_w("agreed_with", names=_join(others))),)),)

            yield Subsection(_w("aims"), (Bullets(tuple(
                (Text(self.name(o)), *agreed(o)) for o in objectives)),))
        if actions:
            def when(a: Mapping[str, Any]) -> Content:
                parts: list[str] = []
                start = parse_date(a.get("start"))
                if start is not None and start > self.today:
                    parts.append(_w("not_started", date=format_long_date(start)))
                if a.get("frequency") in FREQUENCY:
                    parts.append(FREQUENCY[str(a["frequency"])])
                if a.get("due"):
                    parts.append(_w("by_date", date=format_long_date(a["due"])))
                text = ", ".join(parts)
                return (Text(text[:1].upper() + text[1:]),) if text else ()

            def who(a: Mapping[str, Any]) -> Content:
                owner = a.get("owner")
                if not isinstance(owner, Mapping) or not owner.get("agency"):
                    return ()
                role = owner.get("role")
                return (Text(self.agency(owner["agency"])),
                        *((Note((Text(self.say(role)),)),) if role else ()))

            def status(a: Mapping[str, Any]) -> Content:
                found: Content = (Text(STATUS[a["status"]]),) if a.get("status") in STATUS \
                    else ()
                if self.view.is_overdue(a):
                    found += (Flag("overdue", self.labels.value("overdue"), own_line=True),)
                return found

            yield Subsection(_w("actions"), (Table(
                (_w("col_what"), _w("col_who"), _w("col_when"), _w("col_measure"),
                 _w("col_status")),
                tuple((Cell((Text(self.name(a)),)), Cell(who(a)), Cell(when(a), "nowrap"),
                       Cell((Text(self.say(a["measure"])),) if a.get("measure") else ()),
                       Cell(status(a))) for a in actions), style="actions"),))
        if not objectives and not actions:
            yield Paragraph((Text(_w("nothing_agreed")),), "none")

    def _worries(self) -> Iterator[Block | None]:
        factors = sorted(self.listed("risk_factors"), key=priority_key)
        if not factors:
            return

        def listed(values: Any) -> Content:
            found = [self.say(v) for v in values] if isinstance(values, list) else []
            return (Items(tuple((Text(v),) for v in found if v)),) if found else ()

        def agrees(f: Mapping[str, Any]) -> Content:
            value = f.get("individual_agrees")
            return (Text(AGREEMENT[value]),) if value in AGREEMENT else ()

        columns: list[tuple[str, Callable[[Mapping[str, Any]], Content]]] = [
            ("col_harm", lambda f: (Text(self.name(f)),))]
        if any(f.get("triggers") for f in factors):
            columns.append(("col_triggers", lambda f: listed(f.get("triggers"))))
        if any(f.get("warning_signs") for f in factors):
            columns.append(("col_signs", lambda f: listed(f.get("warning_signs"))))
        if any(f.get("individual_agrees") in AGREEMENT for f in factors):
            columns.append(("col_agree", agrees))
        yield Table(tuple(_w(k) for k, _ in columns),
                    tuple(tuple(Cell(cell(f)) for _, cell in columns) for f in factors))

    def _strengths(self) -> Iterator[Block | None]:
        factors = self.listed("protective_factors")
        if factors:
            yield Bullets(tuple((Text(self.name(f)), *(
                (Note((Text(self.labels("strengthen")),)),) if f.get("strengthen") is True
                else ())) for f in factors))

    def _contacts(self) -> Iterator[Block | None]:
        lead = self.get("plan", "lead")
        yield Paragraph((Text(_w("lead_is", agency=self.agency(lead)) if lead
                              else _w("lead_unknown")),))
        roles: dict[str, list[str]] = {}
        for listed in self.listed("agencies"):
            if listed.get("id"):
                roles.setdefault(str(listed["id"]), [])
        for action in self.listed("actions"):
            owner = action.get("owner")
            if isinstance(owner, Mapping) and owner.get("agency"):
                found = roles.setdefault(str(owner["agency"]), [])
                role = self.say(owner.get("role")) if owner.get("role") else ""
                if role and role not in found:
                    found.append(role)
        kinds = {str(a.get("id")): str(a.get("role")) for a in self.listed("agencies")}
        rows: list[tuple[Cell, Cell]] = []
        for agency, jobs in roles.items():
            does = ", ".join(jobs) if jobs else _w("lead_role") if agency == lead \
                else WORDS.get(f"{kinds.get(agency)}_role", "")
            rows.append((Cell((Text(self.agency(agency)),)),
                         Cell((Text(does),) if does else ())))
        if rows:
            yield Table((_w("col_organisation"), _w("col_does")), tuple(rows))

    def _review(self) -> Iterator[Block | None]:
        nxt, last = self.get("plan", "review", "next"), self.get("plan", "review", "last")
        when = parse_date(nxt)
        if when is None:
            yield Paragraph((Text(_w("next_review_unknown")),))
        else:
            key = "next_review_late" if when < self.today else "next_review_on"
            yield Paragraph((Text(_w(key, date="\0").split("\0")[0]),
                             Strong(format_long_date(when)),
                             Text(_w(key, date="\0").split("\0")[1])))
        if parse_date(last) is not None:
            yield Paragraph((Text(_w("last_review_on", date=format_long_date(last))),))
        triggers = self.get("plan", "review", "triggers")
        shown = [self.say(t) for t in triggers] if isinstance(triggers, list) else []
        if any(shown):
            yield Paragraph((Text(_w("sooner_if")),))
            yield Bullets(tuple((Text(t),) for t in shown if t))

    def _you(self) -> Iterator[Block | None]:
        person = self.get("individual")
        if not isinstance(person, Mapping):
            return
        found: list[Fact] = []
        if person.get("setting") in SETTINGS:
            found.append(Fact(_w("you_setting"), (Text(SETTINGS[person["setting"]]),)))
        if person.get("communication_needs"):
            found.append(Fact(_w("you_communication"),
                              (Text(self.say(person["communication_needs"])),)))
        explained = person.get("explained")
        if isinstance(explained, Mapping) and explained.get("how"):
            detail = _w("explained_on", date=format_long_date(explained.get("date")),
                        by=self.agency(explained.get("by"))) \
                if explained.get("date") and explained.get("by") else \
                format_long_date(explained.get("date"))
            found.append(Fact(_w("you_explained"), (Text(self.say(explained["how"])), *(
                (Note((Text(detail),)),) if detail else ()))))
        if person.get("view"):
            found.append(Fact(_w("you_view"), (Text(self.say(person["view"])),)))
        if person.get("agreement") in AGREEMENT:
            found.append(Fact(_w("you_agree"), (Text(AGREEMENT[person["agreement"]]),)))
        if found:
            yield Facts(tuple(found))


def your_plan(projection: Projection, today: date, reading: Reading, words: Labels,
              anchor: str, changes: tuple[str, ...] | None = None) -> YourPlan:
    """The key facts, introduction and sections of the individual's copy of one plan, and
    its `--since` phrases in words."""
    return Yours(projection, today, reading, words, anchor).build(changes)
