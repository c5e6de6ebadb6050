"""The common part of a plan's builders: small helpers over the projection, and the record
sections every audience's order shares (victims, disclosures, agencies, concerns, rationale,
review, sharing, waivers). `rmp.render.build.PlanBuilder` adds the risk sections and the
individual's order; `rmp.render.meeting.MeetingBuilder` the meeting order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from rmp.model.evidence import Reading
from rmp.model.view import PlanView
from rmp.model.vocabulary import PILLARS
from rmp.render.audience import Projection
from rmp.render.document import (
    Block,
    Cell,
    Content,
    Fact,
    Facts,
    Flag,
    Narrative,
    Note,
    Paragraph,
    Subsection,
    Table,
    Text,
)
from rmp.render.labels import Labels
from rmp.render.values import (
    agency_name,
    any_has,
    as_list,
    format_date,
    ids,
    items,
    paragraphs,
    review_flag,
    review_state,
    text,
)

Column = tuple[str, Literal["", "id", "num", "nowrap"], Callable[[Mapping[str, Any]], Content]]
"""A table column: label key, cell kind, the cell's content for one item."""


class BuilderBase:
    """The helpers and record sections of one projected plan, in the audience's words."""

    def __init__(self, projection: Projection, today: date, words: Labels, number: int,
                 reading: Reading | None = None) -> None:
        self.projection = projection
        self.data = projection.data
        self.view = PlanView(projection.data, today, reading or Reading())
        self.words = words
        self.anchor = f"plan-{number}"
        self.number = number

    # -- small helpers -------------------------------------------------------------------------

    def get(self, *path: str) -> Any:
        return self.view.section(path)

    def facts(self, *pairs: tuple[str, Content]) -> Facts | None:
        found = tuple(Fact(self.words(key), content) for key, content in pairs if content)
        return Facts(found) if found else None

    def table(self, columns: Iterable[Column], rows: Iterable[Any],
              optional: Mapping[str, str] | None = None, **more: Any) -> Table:
        """A table of items: each column is (label key, cell kind, content of an item); a
        column named in `optional` shows only when some item has that field."""
        listed = [r for r in rows if isinstance(r, Mapping)]
        chosen = [c for c in columns
                  if optional is None or c[0] not in optional or any_has(listed, optional[c[0]])]
        return Table(
            tuple(self.words(key) for key, _, _ in chosen),
            tuple(tuple(Cell(cell(row), kind) for _, kind, cell in chosen) for row in listed),
            **more)

    def pillar_tables(self, columns: Sequence[Column], actions: Sequence[Mapping[str, Any]],
                      style: Literal["actions", "tracker"]) -> Iterator[Subsection]:
        """Actions in a table per pillar, in the pillars' order (a pillar without actions
        says so), then those of no known pillar."""
        w = self.words
        for index, pillar in enumerate(PILLARS, 1):
            group = [a for a in actions if a.get("pillar") == pillar]
            yield Subsection(w.value(pillar), (
                self.table(columns, group, style=style) if group
                else self.none_shown(muted=True),), anchor=f"{self.anchor}-pillar-{index}")
        others = [a for a in actions if a.get("pillar") not in PILLARS]
        if others:
            yield Subsection(w("other_actions"), (self.table(columns, others, style=style),))

    def none_shown(self, muted: bool = False) -> Paragraph:
        return Paragraph((Text(self.words("none_shown")),), "muted-none" if muted else "none")

    def owner(self, value: Any) -> Content:
        if not isinstance(value, Mapping):
            return ()
        detail = ": ".join(str(value[k]) for k in ("role", "name") if value.get(k))
        return (*text(value.get("agency", "")), *((Note(text(detail)),) if detail else ()))

    def agency_label(self, value: Any) -> str:
        """An agency the plan refers to by ID, by the name of a listed agency the audience may
        see, else the ID (`agency_name`); `individual` (in `agreed_by`) in words."""
        name = agency_name(self.data, value)
        return self.words("individual") if value == "individual" and name == value else name

    def agency(self, value: Any) -> Content:
        return text(self.agency_label(value)) if value else ()

    def agencies(self, values: Any) -> Content:
        """A list of agency IDs, by name (`agency_label`)."""
        return text(", ".join(self.agency_label(v) for v in as_list(values)))

    def decider(self, value: Any) -> Content:
        """Who took a decision: name, with the role as a note."""
        if not isinstance(value, Mapping):
            return text(value)
        main = value.get("name") or value.get("role")
        role = value.get("role") if value.get("name") else None
        return (*text(main), *((Note(text(role)),) if role else ()))

    def date(self, value: Any) -> Content:
        return text(format_date(value))

    # -- the plan ------------------------------------------------------------------------------

    def _victims(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("victims")
        if not found:
            yield self.none_shown()
            return

        def contact(v: Mapping[str, Any]) -> Content:
            notes = [f"{w(label)}: {w.value(v[key])}" for label, key in (
                ("vcs", "vcs_eligible"), ("vlo", "vlo"), ("marac", "marac"))
                if isinstance(v.get(key), bool)]
            if v.get("child_status"):
                notes.append(f"{w('child_status')}: {w.value(v['child_status'])}")
            return tuple(Note(text(n)) for n in notes)

        yield self.table((
            ("id", "id", lambda v: text(v.get("id", ""))),
            ("victim", "", lambda v: text(v.get("description", ""))),
            ("group", "", lambda v: (*text(w.value(v.get("group"))), *(
                (Note(text(w("potential_victim"))),) if v.get("potential") is True else ()))),
            ("protected_by", "", lambda v: ids(v.get("protected_by"))),
            ("contact_safeguarding", "", contact),
            ("their_views", "", lambda v: text(v.get("views", "")))), found,
            optional={"victim": "description", "their_views": "views"})

    def _disclosures(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("disclosures")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda d: text(d.get("id", ""))),
            ("scheme", "", lambda d: text(w.value(d.get("scheme")))),
            ("decided", "nowrap", lambda d: self.date(d.get("decided"))),
            ("decision", "", lambda d: (Flag("status", w.value(d.get("decision"))),)),
            ("by", "", lambda d: self.agency(d.get("by"))),
            ("to", "", lambda d: self.agencies(d.get("to"))),
            ("reason", "", lambda d: text(d.get("reason", "")))), found, optional={"to": "to"})

    def _agencies(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("agencies")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda a: text(a.get("id", ""))),
            ("agency", "", lambda a: text(a.get("name", ""))),
            ("role", "", lambda a: text(w.value(a.get("role")))),
            ("agreed_plan", "nowrap", lambda a: self.date(a.get("agreed"))),
            ("dissent", "", lambda a: text(a.get("dissent", "")))), found,
            optional={"agreed_plan": "agreed", "dissent": "dissent"})

    def _concerns(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("concerns")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda c: text(c.get("id", ""))),
            ("identified", "nowrap", lambda c: self.date(c.get("identified"))),
            ("communicated", "nowrap", lambda c: self.date(c.get("communicated"))),
            ("to", "", lambda c: self.agencies(c.get("to"))),
            ("how", "", lambda c: text(w.value(c.get("how")))),
            ("concern", "", lambda c: text(c.get("summary", ""))),
            ("decision", "", lambda c: (Flag("status", w.value(c["decision"])),)
             if c.get("decision") else ()),
            ("decided", "nowrap", lambda c: self.date(c.get("decided"))),
            ("decided_by", "", lambda c: self.decider(c.get("decided_by"))),
            ("decision_reason", "", lambda c: text(c.get("decision_reason", "")))), found,
            optional={"decision": "decision", "decided": "decided",
                      "decided_by": "decided_by", "decision_reason": "decision_reason"})

    def _rationale(self) -> Iterable[Block | None]:
        yield Narrative(paragraphs(self.get("rationale")))

    def _review(self) -> Iterable[Block | None]:
        w, plan = self.words, self.get("plan")
        review = plan.get("review") if isinstance(plan.get("review"), Mapping) else {}
        signoff = plan.get("signoff")
        signed: Content = ()
        if isinstance(signoff, Mapping) and signoff:
            detail = ", ".join(p for p in (str(signoff.get("role", "")),
                                           format_date(signoff.get("date"))) if p)
            signed = (*text(signoff.get("name", "")), *((Note(text(detail)),) if detail else ()))
        yield self.facts(
            ("last_review", self.date(review.get("last"))),
            ("next_review", (*self.date(review["next"]), *review_flag(
                w, review_state(review["next"], self.view.today))) if review.get("next") else ()),
            ("review_triggers", items(review.get("triggers"))), ("signed_off", signed))
        if plan.get("reviews"):
            yield self.table((
                ("date", "nowrap", lambda r: self.date(r.get("date"))),
                ("kind", "", lambda r: text(w.value(r.get("kind")))),
                ("attendees", "", lambda r: self.agencies(r.get("attendees"))),
                ("outcome", "", lambda r: text(r.get("outcome", ""))),
                ("level_change", "", lambda r: text(w.value(r.get("level_change"))))),
                plan["reviews"], caption=w("reviews"))

    def _sharing(self) -> Iterable[Block | None]:
        w, sharing = self.words, self.get("sharing")
        yield self.facts(("classification", text(w.value(sharing.get("classification")))))
        if sharing.get("distributed"):
            yield self.table((
                ("to", "", lambda d: self.agency(d.get("to"))),
                ("date", "nowrap", lambda d: self.date(d.get("date"))),
                ("audience", "", lambda d: text(d.get("audience", "")))),
                sharing["distributed"], caption=w("distribution"))

    def _waivers(self) -> Iterable[Block | None]:
        found = self.get("waivers")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("rule", "id", lambda x: text(x.get("rule", ""))),
            ("item", "id", lambda x: text(x.get("item", ""))),
            ("reason", "", lambda x: text(x.get("reason", ""))),
            ("approved_by", "", lambda x: text(x.get("approved_by", ""))),
            ("until", "nowrap", lambda x: self.date(x.get("until")))), found)

