"""A plan in the order a MAPPA meeting runs, for every professional audience.

A panel works down the plan: who is at risk and how (OASys R10.1-R10.5, with the current and
overall RoSH and, where the plan's own information points higher, the evidence level), what
keeps victims safe, who does what by when (named owner, due date, a progress colour in words,
the change since the last meeting), the controls, what happens if things go wrong, the MAPPA
level decision, what `rmp check` found, the next review, and the administration last. The
individual's own copy keeps its own order (`PlanBuilder.sections`).

Everything is read from the projection, as in `rmp.render.build`; the check's findings are
shown by code and message (never a value) and only where they concern what the audience may
see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from rmp.findings import Finding, Severity
from rmp.model.evidence import Reading
from rmp.model.paths import parse_date
from rmp.model.vocabulary import GROUPS, ROSH_SETTINGS
from rmp.render.audience import Projection
from rmp.render.build import Column, PlanBuilder
from rmp.render.document import (
    Block,
    Box,
    Break,
    Cell,
    Code,
    Content,
    Fact,
    Facts,
    Flag,
    Muted,
    Note,
    Paragraph,
    Section,
    SectionState,
    Strong,
    Subsection,
    Table,
    Text,
)
from rmp.render.labels import Labels
from rmp.render.values import (
    agency_name,
    as_list,
    format_date,
    hidden,
    items,
    level,
    rated,
    review_flag,
    review_state,
    section_state,
    text,
)

DUE_SOON_DAYS = 14
"""An open action due within this many days shows amber ("Due within 14 days")."""

MEETING_ORDER = (
    "individual", "rosh", "victims", "disclosures", "actions", "changes", "controls",
    "contingency", "scenarios", "objectives", "options", "concerns", "details", "agencies",
    "rationale", "other", "mappa", "findings", "review", "administration")
"""Section keys of a professional audience's plan, in reading order."""

_TITLES = {"victims": "victim_safety", "mappa": "mappa_decision", "review": "next_meeting"}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _combined(states: Iterable[SectionState | None]) -> SectionState | None:
    """One state for a section gathered from several parts of the plan."""
    found = [s for s in states if s is not None]
    if not found:
        return None
    if all(s == "withheld" for s in found):
        return "withheld"
    return "partial" if any(s != "shown" for s in found) else "shown"


def _pointer_path(pointer: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return tuple(parts)


class MeetingBuilder(PlanBuilder):
    """The meeting-order sections of one projected plan."""

    def __init__(self, projection: Projection, today: date, words: Labels, number: int,
                 reading: Reading | None = None, *,
                 findings: Sequence[Finding] | None = None,
                 action_changes: Mapping[str, str] | None = None,
                 version: Content = ()) -> None:
        super().__init__(projection, today, words, number, reading)
        self.findings = findings
        self.action_changes = action_changes
        self.version = version

    def meeting_sections(self, changes: Section | None = None) -> tuple[Section, ...]:
        found: list[Section] = []
        for key in MEETING_ORDER:
            if key == "changes":
                if changes is not None:
                    found.append(changes)
                continue
            if key == "other":
                found.extend(self.other_sections())
                continue
            state = self._state(key)
            if state is None:
                continue
            blocks: tuple[Block, ...] = ()
            if state != "withheld":
                make = getattr(self, f"_meeting_{key}", None) or getattr(self, f"_{key}")
                blocks = tuple(b for b in make() if b is not None)
                if not blocks:
                    continue
            found.append(Section(key, self.words(_TITLES.get(key, key)),
                                 f"{self.anchor}-{key}", state, blocks))
        return tuple(found)

    def _state(self, key: str) -> SectionState | None:
        p = self.projection
        if key == "rosh":
            return _combined(section_state(p, n)
                             for n in ("assessment", "risk_factors", "protective_factors"))
        if key in ("details", "mappa"):
            state = section_state(p, "assessment")
            if key == "mappa" and state is not None and state != "withheld":
                return "partial" if hidden(p, ("assessment", "mappa")) else "shown"
            return state
        if key == "findings":
            return None if self.findings is None else "shown"
        if key == "administration":
            return _combined(section_state(p, n) for n in ("overview", "sharing", "waivers"))
        return section_state(p, key)

    # -- R10: the risk of serious harm summary ------------------------------------------------

    def _meeting_rosh(self) -> Iterable[Block | None]:
        w, view = self.words, self.view
        found = self._mapping("assessment")
        rosh = found.get("rosh")
        if isinstance(rosh, Mapping):
            rows = tuple(
                (Cell((Text(w.value(group)),)), *(
                    Cell(level(w, value) if (value := view.rosh(group, setting))
                         else (Muted("—", blank=True),))
                    for setting in ROSH_SETTINGS),
                 Cell(rated(w, view.current_rosh(group), view.evidence_level(group))
                      if view.current_rosh(group) or view.evidence_level(group)
                      else (Muted("—", blank=True),)))
                for group in GROUPS if isinstance(rosh.get(group), Mapping))
            yield Table((w("group"), *(w.value(s) for s in ROSH_SETTINGS), w("current_rosh")),
                        rows, caption=w("rosh_table"), row_headers=True, style="rosh")
            yield Paragraph((Strong(w("overall_rosh")), Text(w("overall_rosh_note")), *rated(
                w, view.overall_rosh, view.overall_evidence_level,
                view.highest_current_rosh)))
        elif hidden(self.projection, ("assessment", "rosh")):
            yield Subsection(w("rosh_table"), (self._withheld(),))
        reasons = found.get("rosh_reasons")
        if isinstance(reasons, Mapping) and reasons:
            yield Subsection(w("rosh_reasons"), (Facts(tuple(
                Fact(w.value(k) if k != "overall" else w("overall_rosh"), text(v))
                for k, v in reasons.items() if isinstance(v, str))),))
        for key, field in (("r10_1", "who_at_risk"), ("r10_2", "summary"),
                           ("r10_3", "when_greatest")):
            yield Subsection(w(key), (self._field(("assessment", field)),))
        yield Subsection(w("r10_4"), self._factors("increases", "risk_factors"))
        yield Subsection(w("r10_5"), self._factors("reduces", "protective_factors"))

    def _mapping(self, *path: str) -> Mapping[str, Any]:
        found = self.get(*path)
        return found if isinstance(found, Mapping) else {}

    def _withheld(self) -> Paragraph:
        return Paragraph((Text(self.words("withheld")),), "withheld")

    def _field(self, path: tuple[str, ...]) -> Block:
        value = self.get(*path)
        if isinstance(value, str) and value:
            return Paragraph(text(value))
        if hidden(self.projection, path):
            return self._withheld()
        return Paragraph((Text(self.words("not_recorded")),), "muted-none")

    def _factors(self, narrative: str, section: str) -> tuple[Block, ...]:
        blocks: list[Block] = []
        value = self.get("assessment", narrative)
        if isinstance(value, str) and value:
            blocks.append(Paragraph(text(value)))
        elif hidden(self.projection, ("assessment", narrative)):
            blocks.append(self._withheld())
        state = section_state(self.projection, section)
        if state == "withheld":
            blocks.append(self._withheld())
        elif state is not None:
            if state == "partial":
                blocks.append(Paragraph((Text(self.words("partly_withheld")),),
                                        "partly-withheld"))
            blocks.extend(b for b in getattr(self, f"_{section}")() if b is not None)
        if not blocks:
            blocks.append(self.none_shown(muted=True))
        return tuple(blocks)

    def _meeting_details(self) -> Iterable[Block | None]:
        yield self.facts(("previous_convictions",
                          text(self.get("assessment", "previous_convictions"))))
        yield from self._assessment_detail()

    # -- actions: who does what by when, and how it is going ----------------------------------

    def owner(self, value: Any) -> Content:
        return self.named_owner(value)

    def named_owner(self, value: Any) -> Content:
        """The owner by name where the plan gives one, then role and agency name."""
        if not isinstance(value, Mapping):
            return ()
        agency = agency_name(self.data, value["agency"]) if value.get("agency") else ""
        name, role = value.get("name"), value.get("role")
        main = name or role or agency
        detail = ", ".join(str(p) for p in ((role if name else None),
                                            agency if main != agency else None) if p)
        return (*text(main), *((Note(text(detail)),) if detail else ()))

    def progress(self, action: Mapping[str, Any]) -> Content:
        """The progress colour of an open action, always with its words."""
        w, status = self.words, action.get("status")
        if status in ("done", "cancelled") or self.view.closed:
            word = ("=closed" if self.view.closed and status not in ("done", "cancelled")
                    else "=rag-grey-cancelled" if status == "cancelled" else "=rag-grey")
            return (Flag("rag-grey", w(word)),)
        if self.view.is_overdue(action):
            return (Flag("rag-red", w("=rag-red")),)
        due = parse_date(action.get("due"))
        if due is not None and (due - self.view.today).days <= DUE_SOON_DAYS:
            return (Flag("rag-amber", w("=rag-amber")),)
        return (Flag("rag-green", w("=rag-green")),)

    def _meeting_actions(self) -> Iterable[Block | None]:
        w = self.words
        actions = [a for a in (self.get("actions") or []) if isinstance(a, dict)]
        changes = self.action_changes

        def title(a: Mapping[str, Any]) -> Content:
            notes = (w("measure") + ": " + str(a["measure"]) if a.get("measure") else "",
                     w("addresses") + ": " + ", ".join(map(str, as_list(a.get("addresses"))))
                     if a.get("addresses") else "",
                     str(a.get("status_note") or ""))
            return (*text(a.get("title", "")), *(Note(text(n)) for n in notes if n))

        def due(a: Mapping[str, Any]) -> Content:
            shown = [p for p in (self.date(a.get("due")), text(w.value(a.get("frequency"))))
                     if p]
            return (*shown[0], Break(), *shown[1]) if len(shown) == 2 else \
                (shown[0] if shown else ())

        def since(a: Mapping[str, Any]) -> Content:
            state = changes.get(str(a.get("id"))) if changes is not None else None
            return (Text(w.value(f"change-{state}")),) if state else ()

        columns: list[Column] = [
            ("id", "id", lambda a: text(a.get("id", ""))), ("action", "", title),
            ("owner", "", lambda a: self.named_owner(a.get("owner"))),
            ("due", "nowrap", due),
            ("status", "", lambda a: (Flag("status", w.value(a["status"])),)
             if a.get("status") else ()),
            ("progress", "nowrap", self.progress)]
        if changes is not None:
            columns.append(("since_last", "", since))
        yield from self.pillar_tables(columns, actions, "tracker")

    # -- options, the MAPPA level decision -----------------------------------------------------

    def _mappa_options(self) -> list[dict[str, Any]]:
        return [o for o in (self.get("options") or [])
                if isinstance(o, dict) and o.get("kind") == "mappa-level"]

    def _meeting_options(self) -> Iterable[Block | None]:
        """Options other than the MAPPA level (those go with the level decision)."""
        options = [o for o in self.get("options") or [] if isinstance(o, dict)]
        others = [o for o in options if o.get("kind") != "mappa-level"]
        if others:
            yield from self._options_table(others)
        elif not options:
            yield self.none_shown()

    def _options_table(self, found: list[dict[str, Any]]) -> Iterable[Block | None]:
        w = self.words
        yield self.table((
            ("id", "id", lambda o: text(o.get("id", ""))),
            ("option", "", lambda o: text(o.get("title", ""))),
            ("decided", "nowrap", lambda o: self.date(o.get("decided"))),
            ("decided_by", "", lambda o: self.decider(o.get("decided_by"))),
            ("decision", "", lambda o: (Flag("status", w.value(o.get("decision"))),)),
            ("reason", "", lambda o: text(o.get("reason", "")))), found,
            optional={"decided": "decided", "decided_by": "decided_by"})

    def _meeting_mappa(self) -> Iterable[Block | None]:
        w = self.words
        mappa = self.get("assessment", "mappa")
        if isinstance(mappa, Mapping) and mappa:
            yield self.facts(
                ("level", text(mappa.get("level"))), ("reason", text(mappa.get("reason"))),
                ("category", text(mappa.get("category"))),
                ("since", self.date(mappa.get("since"))),
                ("eligible", (Text(w.value(mappa["eligible"])),)
                 if isinstance(mappa.get("eligible"), bool) else ()),
                ("referred", self.date(mappa.get("referred"))),
                ("visor", (Text(w.value(mappa["visor"])),)
                 if isinstance(mappa.get("visor"), bool) else ()),
                ("cppc", (Text(w.value(mappa["cppc"])),)
                 if isinstance(mappa.get("cppc"), bool) else ()))
        elif hidden(self.projection, ("assessment", "mappa")):
            yield self._withheld()
        else:
            yield Paragraph((Text(w("not_mappa_managed")),))
        options = self._mappa_options()
        if options:
            yield Subsection(w("mappa_options"), tuple(
                b for b in self._options_table(options) if b is not None))

    # -- what rmp check found ------------------------------------------------------------------

    def visible(self, finding: Finding) -> bool:
        """A finding about something the audience may see: no part of its path withheld, and
        every item it names in the projection."""
        path = _pointer_path(finding.pointer)
        if any(path[:len(w)] == w for w in self.projection.withheld):
            return False
        return all(i in self.view.by_id for i in finding.items)

    def _meeting_findings(self) -> Iterable[Block | None]:
        w = self.words
        found = [f for f in self.findings or () if not f.waived]
        waived = sum(1 for f in self.findings or () if f.waived)
        shown = sorted((f for f in found if self.visible(f)),
                       key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
        lines: list[Content] = [
            (Code(f.code), Text(" "), Strong(w.value(f.severity.value)), Text(": "),
             Text(f.message)) for f in shown]
        if not found:
            lines.append((Text(w("findings_none")),))
        if self.projection.withheld and len(shown) < len(found):
            lines.append((Text(w("partly_withheld")),))
        if waived:
            lines.append((Text(w("findings_waived", count=waived)),))
        yield Box(tuple(lines), "findings")

    # -- the next review, the latest meeting ---------------------------------------------------

    def _meeting_review(self) -> Iterable[Block | None]:
        w = self.words
        plan = self._mapping("plan")
        review = plan.get("review") if isinstance(plan.get("review"), Mapping) else {}
        assert isinstance(review, Mapping)
        yield self.facts(
            ("next_review", (*self.date(review["next"]), *review_flag(
                w, review_state(review["next"], self.view.today))) if review.get("next") else ()),
            ("last_review", self.date(review.get("last"))),
            ("review_triggers", items(review.get("triggers"))))
        reviews = [r for r in plan.get("reviews") or [] if isinstance(r, Mapping)]
        latest = self.latest_attendance()
        if latest is not None:
            yield Subsection(w("latest_meeting"), (latest,))
        if reviews:
            yield self.table((
                ("date", "nowrap", lambda r: self.date(r.get("date"))),
                ("kind", "", lambda r: text(w.value(r.get("kind")))),
                ("attendees", "", self._agency_names),
                ("outcome", "", lambda r: text(r.get("outcome", ""))),
                ("level_change", "", lambda r: text(w.value(r.get("level_change"))))),
                reviews, caption=w("reviews"))

    def latest_attendance(self) -> Facts | None:
        """Who attended the plan's latest review (None: no review the audience may see)."""
        plan = self._mapping("plan")
        reviews = [r for r in plan.get("reviews") or [] if isinstance(r, Mapping)]
        if not reviews:
            return None
        return self.attendance_of(max(reviews, key=lambda r: str(r.get("date") or "")))

    def _agency_names(self, review: Mapping[str, Any]) -> Content:
        return self.agencies(review.get("attendees"))

    def attendance_of(self, review: Mapping[str, Any]) -> Facts | None:
        """Who attended a review (agencies by the names the audience may see) and which of
        the plan's agencies it does not record as attending."""
        attended = [str(a) for a in as_list(review.get("attendees"))]
        absent = [str(a["id"]) for a in self.get("agencies") or []
                  if isinstance(a, Mapping) and a.get("id") and a["id"] not in attended]
        when = ", ".join(p for p in (format_date(review.get("date")),
                                     self.words.value(review.get("kind"))) if p)
        return self.facts(
            ("meeting", text(when)), ("attended", self._agency_names(review)),
            ("not_attending", text(", ".join(agency_name(self.data, a) for a in absent))))

    # -- administration, last ------------------------------------------------------------------

    def _meeting_administration(self) -> Iterable[Block | None]:
        w = self.words
        if section_state(self.projection, "overview") not in (None, "withheld"):
            yield from self._overview()
        for name in ("sharing", "waivers"):
            state = section_state(self.projection, name)
            if state is None:
                continue
            inner: tuple[Block, ...] = (self._withheld(),) if state == "withheld" else tuple(
                b for b in getattr(self, f"_{name}")() if b is not None)
            yield Subsection(w(name), inner)
        if self.version:
            yield self.facts(("plan_version", self.version))
