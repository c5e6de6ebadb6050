"""One plan's audience projection -> its part of the document model (`rmp.render.document`).

Everything here is read from the projection (`rmp.render.audience.project`) alone, so a field
the audience may not see cannot reach either format; derived facts (overall RoSH, overdue)
come from `rmp.model.view.PlanView`, the one definition every command uses. Words come from
`rmp.render.labels`. Items keep file order; risk factors are sorted by priority (stable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rmp.model.vocabulary import GROUPS, ROSH_SETTINGS
from rmp.render.base import BuilderBase, Column
from rmp.render.document import (
    Block,
    Break,
    Cell,
    Code,
    Content,
    Fact,
    Facts,
    Flag,
    Items,
    Muted,
    Note,
    Paragraph,
    Section,
    Strong,
    Subsection,
    Table,
    Text,
)
from rmp.render.values import (
    KNOWN_TOP,
    SECTION_ORDER,
    as_list,
    format_date,
    generic,
    hidden,
    ids,
    items,
    level,
    priority_key,
    section_state,
    text,
    text_or_titles,
    yes_no,
)

__all__ = ["Column", "PlanBuilder"]


class PlanBuilder(BuilderBase):
    """The blocks of one projected plan, in the audience's words."""

    def sections(self) -> tuple[Section, ...]:
        found: list[Section] = []
        for name in SECTION_ORDER:
            state = section_state(self.projection, name)
            if state is None:
                continue
            blocks: tuple[Block, ...] = ()
            if state != "withheld":
                blocks = tuple(b for b in getattr(self, f"_{name}")() if b is not None)
            found.append(Section(name, self.words(name), f"{self.anchor}-{name}", state,
                                 blocks))
        found.extend(self.other_sections())
        return tuple(found)

    def other_sections(self) -> tuple[Section, ...]:
        """Top-level fields no builder knows by name, shown generically (none or one)."""
        others = tuple((k, v) for k, v in self.data.items() if k not in KNOWN_TOP)
        if not others:
            return ()
        return (Section("other", self.words("other"), f"{self.anchor}-other", "shown",
                        (Facts(tuple(Fact(k, generic(self.words, v)) for k, v in others)),)),)

    def _overview(self) -> Iterable[Block | None]:
        w, plan = self.words, self.get("plan")
        author = plan.get("author")
        yield self.facts(
            ("plan_id", text(plan.get("id"))), ("type", text(w.value(plan.get("type")))),
            ("plan_status", text(w.value(plan.get("status")))),
            ("strategy", text(plan.get("strategy"))), ("lead_agency", self.agency(plan.get("lead"))),
            ("author", (*text(author.get("name", "")),
                        *((Note(text(author["role"])),) if author.get("role") else ()))
             if isinstance(author, Mapping) else ()),
            ("created", self.date(plan.get("created"))),
            ("agreed", self.date(plan.get("agreed"))))

    def _individual(self) -> Iterable[Block | None]:
        w, person = self.words, self.get("individual")
        sentence = person.get("sentence")
        sentence_content: Content = ()
        if isinstance(sentence, Mapping) and sentence:
            sentence_content = (*text(w.value(sentence.get("type"))), *(
                Note((Text(w(key, date=format_date(sentence[field]))),))
                for key, field in (("released", "release"), ("licence_ends", "licence_end"),
                                   ("sentence_ends", "sentence_end")) if sentence.get(field)))
        explained = person.get("explained")
        explained_content: Content = ()
        if isinstance(explained, Mapping) and explained:
            detail = ", ".join(part for part in (
                format_date(explained.get("date")),
                w("explained_by", by=self.agency_label(explained["by"]))
                if explained.get("by") else "") if part)
            explained_content = (*text(explained.get("how", "")),
                                 *((Note(text(detail)),) if detail else ()))
        members = [m for m in person.get("household") or () if isinstance(m, Mapping)]
        household: Content = (Items(tuple(
            (*text(w.value(m.get("relation"))),
             *((Note((Text(w("age_of", age=m["age"])),)),) if m.get("age") is not None else ()))
            for m in members), compact=False),) if members else (
            Text(w("household_none")),) if isinstance(person.get("household"), list) else ()
        checked = person.get("household_checked")
        checked_content: Content = (*self.date(checked.get("date")), *(
            (Note(text(w.value(checked["how"]))),) if checked.get("how") else ())) \
            if isinstance(checked, Mapping) and checked else ()
        yield self.facts(
            ("case_ref", text(person.get("ref"))), ("name", text(person.get("name"))),
            ("date_of_birth", self.date(person.get("date_of_birth"))),
            ("setting", text(w.value(person.get("setting")))), ("sentence", sentence_content),
            ("household", household), ("household_checked", checked_content),
            ("communication_needs", text(person.get("communication_needs"))),
            ("responsivity", text(person.get("responsivity"))),
            ("explained", explained_content), ("view", text(person.get("view"))),
            ("agreement", text(w.value(person.get("agreement")))))

    def _assessment(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("assessment")
        rosh = found.get("rosh")
        if rosh is not None:
            rows = tuple(
                (Cell((Text(w.value(group)),)), *(
                    Cell(level(w, value) if (value := self.view.rosh(group, setting))
                         else (Muted("—", blank=True),))
                    for setting in ROSH_SETTINGS))
                for group in GROUPS if isinstance(rosh, dict) and isinstance(rosh.get(group), dict))
            yield Table((w("group"), *(w.value(s) for s in ROSH_SETTINGS)), rows,
                        caption=w("rosh_table"), row_headers=True, style="rosh")
            yield Paragraph((Strong(w("overall_rosh")), Text(w("overall_rosh_note")),
                             *level(w, self.view.overall_rosh)))
        elif hidden(self.projection, ("assessment", "rosh")):
            yield Subsection(w("rosh_table"), (Paragraph((Text(w("withheld")),), "withheld"),))
        yield self.facts(("who_at_risk", text(found.get("who_at_risk"))),
                         ("nature", text(found.get("summary"))),
                         ("when_greatest", text(found.get("when_greatest"))),
                         ("increases", text_or_titles(found.get("increases"),
                                                      self.get("risk_factors"))),
                         ("reduces", text_or_titles(found.get("reduces"),
                                                    self.get("protective_factors"))),
                         ("previous_convictions", text(found.get("previous_convictions"))))
        mappa = found.get("mappa")
        if mappa:
            yield Subsection(w("mappa"), tuple(b for b in (self.facts(
                ("category", text(mappa.get("category"))), ("level", text(mappa.get("level"))),
                ("since", self.date(mappa.get("since"))), ("reason", text(mappa.get("reason"))),
                ("visor", yes_no(w, mappa.get("visor"))),
                ("cppc", yes_no(w, mappa.get("cppc")))),) if b))
        yield from self._assessment_detail()

    def _assessment_detail(self) -> Iterable[Block | None]:
        """Risk to self, offences, tools and sources: the evidence under the summary."""
        w, found = self.words, self.get("assessment") or {}
        risk = found.get("risk_to_self")
        if risk:
            yield Subsection(w("risk_to_self"), tuple(b for b in (self.facts(
                *((key, text(w.value(risk.get(key)))) for key in (
                    "suicide", "self_harm", "custody_coping", "hostel_coping", "vulnerability")),
                ("note", text(risk.get("note")))),) if b))
        if found.get("offences"):
            yield Subsection(w("offences"), (self.table((
                ("id", "id", lambda o: text(o.get("id", ""))),
                ("offence", "", lambda o: text(o.get("description", ""))),
                ("date", "nowrap", lambda o: self.date(o.get("date"))),
                ("category", "", lambda o: text(w.value(o.get("category")))),
                ("domestic_abuse", "", lambda o: yes_no(w, o.get("domestic_abuse"))),
                ("index_offence", "", lambda o: yes_no(w, o.get("index")))),
                found["offences"]),))
        if found.get("tools"):
            yield Subsection(w("tools"), (self.table((
                ("tool", "", lambda t: (*text(t.get("name", "")), *(
                    (Text(" "), Muted(f"v{t['version']}")) if t.get("version") is not None
                    else ()))),
                ("score", "num", lambda t: text(t.get("score", ""))),
                ("band", "", lambda t: text(w.value(t.get("band")))),
                ("date", "nowrap", lambda t: self.date(t.get("date"))),
                ("source", "id", lambda t: text(t.get("source", "")))), found["tools"]),))
        if found.get("sources"):
            yield Subsection(w("sources"), (self.table((
                ("id", "id", lambda s: text(s.get("id", ""))),
                ("source", "", lambda s: text(s.get("title", ""))),
                ("kind", "", lambda s: text(w.value(s.get("kind")))),
                ("date", "nowrap", lambda s: self.date(s.get("date"))),
                ("reliability", "", lambda s: text(w.value(s.get("reliability")))),
                ("corroborated_by", "", lambda s: ids(s.get("corroborated_by")))),
                found["sources"]),))

    def _risk_factors(self) -> Iterable[Block | None]:
        w = self.words
        found = sorted((rf for rf in (self.get("risk_factors") or []) if isinstance(rf, dict)),
                       key=priority_key)
        if not found:
            yield self.none_shown()
            return
        columns: list[Column] = [
            ("priority", "num", lambda rf: text(rf.get("priority", ""))),
            ("risk_factor", "", lambda rf: (
                Code(str(rf.get("id", ""))), Text(" "), *text(rf.get("title", "")),
                *((Note(text(w.value(rf["domain"]))),) if rf.get("domain") else ()))),
            ("triggers", "", lambda rf: items(rf.get("triggers"))),
            ("warning_signs", "", lambda rf: items(rf.get("warning_signs"))),
            ("evidence", "", lambda rf: ids(rf.get("evidence"))),
            ("agrees", "", lambda rf: text(w.value(rf.get("individual_agrees")))),
        ]
        yield self.table(columns, found, optional={
            "priority": "priority", "triggers": "triggers", "warning_signs": "warning_signs",
            "evidence": "evidence", "agrees": "individual_agrees"})

    def _protective_factors(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("protective_factors")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda pf: text(pf.get("id", ""))),
            ("protective_factor", "", lambda pf: text(pf.get("title", ""))),
            ("strengthen", "", lambda pf: yes_no(w, pf.get("strengthen"))),
            ("evidence", "", lambda pf: ids(pf.get("evidence")))), found,
            optional={"strengthen": "strengthen", "evidence": "evidence"})

    def _controls(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("controls")
        if not found:
            yield self.none_shown()
            return

        def control(c: Mapping[str, Any]) -> Content:
            kinds = " · ".join(w.value(c[k]) for k in ("kind", "basis", "monitoring") if c.get(k))
            return (*text(c.get("title", "")), *((Note(text(kinds)),) if kinds else ()))

        def enforcement(c: Mapping[str, Any]) -> Content:
            notes = [w("breach", consequence=w.value(c["on_breach"])) if c.get("on_breach")
                     else "", w("until", date=format_date(c["until"])) if c.get("until") else ""]
            return (*self.agency(c.get("enforced_by")), *(Note(text(n)) for n in notes if n))

        yield self.table((
            ("id", "id", lambda c: text(c.get("id", ""))), ("control", "", control),
            ("addresses", "", lambda c: ids(c.get("addresses"))),
            ("enforcement", "", enforcement),
            ("necessity", "", lambda c: text(c.get("necessity", "")))), found)

    def _objectives(self) -> Iterable[Block | None]:
        found = self.get("objectives")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda o: text(o.get("id", ""))),
            ("objective", "", lambda o: text(o.get("title", ""))),
            ("addresses", "", lambda o: ids(o.get("addresses"))),
            ("agreed_by", "", lambda o: self.agencies(o.get("agreed_by")))), found)

    def _options(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("options")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda o: text(o.get("id", ""))),
            ("option", "", lambda o: text(o.get("title", ""))),
            ("decision", "", lambda o: (Flag("status", w.value(o.get("decision"))),)),
            ("reason", "", lambda o: text(o.get("reason", "")))), found)

    def _actions(self) -> Iterable[Block | None]:
        w = self.words
        actions = [a for a in (self.get("actions") or []) if isinstance(a, dict)]

        def title(a: Mapping[str, Any]) -> Content:
            notes = (w("addresses") + ": " + ", ".join(map(str, as_list(a.get("addresses"))))
                     if a.get("addresses") else "",
                     w("specialist_action") if a.get("specialist") is True else "",
                     str(a.get("status_note") or ""))
            return (*text(a.get("title", "")), *(Note(text(n)) for n in notes if n))

        def due(a: Mapping[str, Any]) -> Content:
            parts = [self.date(a.get("due")), text(w.value(a.get("frequency")))]
            shown = [p for p in parts if p]
            return (*shown[0], Break(), *shown[1]) if len(shown) == 2 else \
                (shown[0] if shown else ())

        def status(a: Mapping[str, Any]) -> Content:
            found: Content = (Flag("status", w.value(a["status"])),) if a.get("status") else ()
            if self.view.is_overdue(a):
                found += (Flag("overdue", w.value("overdue"), own_line=True),)
            return found

        columns: tuple[Column, ...] = (
            ("id", "id", lambda a: text(a.get("id", ""))), ("action", "", title),
            ("owner", "", lambda a: self.owner(a.get("owner"))),
            ("start", "nowrap", lambda a: self.date(a.get("start"))),
            ("due", "nowrap", due), ("measure", "", lambda a: text(a.get("measure", ""))),
            ("status", "", status))
        yield from self.pillar_tables(columns, actions, "actions")

    def _scenarios(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("scenarios")
        if not found:
            yield self.none_shown()
            return

        def scenario(sc: Mapping[str, Any]) -> Content:
            return (Strong(w.value(sc.get("type")) + "."), Text(" "),
                    *text(sc.get("description", "")), *(
                        Note((Strong(w(key) + ":"), Text(" "), *text(sc[key])))
                        for key in ("context", "what", "who", "when", "how", "why")
                        if sc.get(key)))

        yield self.table((
            ("id", "id", lambda sc: text(sc.get("id", ""))), ("scenario", "", scenario),
            ("likelihood", "", lambda sc: level(w, sc["likelihood"]) if sc.get("likelihood")
             else ()),
            ("warning_signs", "", lambda sc: items(sc.get("warning_signs"))),
            ("response", "", lambda sc: ids(sc.get("response")))), found)

    def _contingency(self) -> Iterable[Block | None]:
        w, found = self.words, self.get("contingency")
        if not found:
            yield self.none_shown()
            return
        yield self.table((
            ("id", "id", lambda ct: text(ct.get("id", ""))),
            ("if", "", lambda ct: text(ct.get("when", ""))),
            ("then", "", lambda ct: text(ct.get("then", ""))),
            ("owner", "", lambda ct: self.owner(ct.get("owner"))),
            ("within", "nowrap", lambda ct: text(w("hours", hours=ct["within_hours"]))
             if ct.get("within_hours") is not None else ())), found)

