"""The whole document: each plan's header, key facts and sections, and, for a meeting pack,
the cover, contents and summary; then the document record. Built from the projections alone
(the marking, drawn from a fixed list, is the one thing read from the plans themselves).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, overload

from rmp.model.evidence import Reading
from rmp.render.audience import Audience, Projection
from rmp.render.build import PlanBuilder
from rmp.render.document import (
    AudienceInfo,
    Block,
    Box,
    Bullets,
    Cell,
    Code,
    Content,
    ContentsEntry,
    Document,
    Fact,
    Figure,
    Link,
    Note,
    Paragraph,
    PlanDoc,
    Section,
    Strong,
    Table,
    Text,
)
from rmp.render.figures import StripCounts
from rmp.render.labels import Labels
from rmp.render.meeting import MeetingBuilder
from rmp.render.values import (
    agency_name,
    format_date,
    format_long_date,
    hidden,
    level,
    rated,
    review_flag,
    review_state,
)
from rmp.render.yours import your_plan

if TYPE_CHECKING:
    from rmp.findings import Finding
    from rmp.render.attendance import Attendee

KEEP_BUILT = 300
"""A pack of up to this many plans builds each plan once; a larger one builds each twice (once
for the summary, once when a renderer reaches it), so that its memory stays flat."""

# Page furniture the renderers print around the model (in the audience's words).
FURNITURE = ("contents", "summary", "record", "key_facts", "handling", "classification",
             "pack_kicker", "withheld", "partly_withheld", "attendance")


@dataclass(frozen=True)
class PlanInput:
    """One plan to show: its projection, the commit of its last change, and, with --since,
    the phrases of what changed (None: not asked; `changes_unavailable`: could not read)."""

    projection: Projection
    commit: str | None = None
    changed_since_commit: bool = False
    changes: tuple[str, ...] | None = None
    changes_since: str | None = None
    changes_unavailable: bool = False
    reading: Reading = field(default_factory=Reading)
    """The policy's reading of the RoSH (`Policy.reading`): the one overall RoSH."""
    findings: tuple[Finding, ...] | None = None
    """What `rmp check` found in the plan under its policy (waivers applied); None: not run."""
    action_changes: Mapping[str, str] | None = None
    """With --since: each action's ID -> `new`, `changed` or `same`, as the audience sees it."""
    timeline: Figure | None = None
    """The plan's timeline from git (`rmp.render.figures`); None: none drawn."""


@dataclass(frozen=True)
class Setting:
    """What the whole document is for."""

    audience: Audience
    audience_description: str | None
    marking: str
    classification: str
    today: date
    generated: str
    tool: str
    meeting: str | None
    meeting_date: date | None
    attendees: tuple[Attendee, ...] | None = None
    """From `--attendees`; None: not given (one plan shows its latest review instead)."""

    @property
    def mappa_meeting(self) -> bool:
        """The meeting is a MAPPA meeting (its name says so): plans not managed at MAPPA
        level 2 or 3 are marked."""
        import re

        return bool(self.meeting) and re.search(r"\bMAPPA?\b", self.meeting or "",
                                                re.IGNORECASE) is not None


class _Facts:
    """The facts a plan's key facts and the pack's summary share, from the projection."""

    def __init__(self, builder: PlanBuilder, words: Labels, sections: tuple[Section, ...],
                 professional: bool) -> None:
        view, projection, w = builder.view, builder.projection, words
        self.plan_id = view.text(("plan", "id"))
        ref = view.text(("individual", "ref"))
        self.name = w("case_ref_of", ref=ref) if ref else w("plan_number", number=builder.number)
        self.ref = ref
        withheld = (Text(w("withheld_short")),)
        overall = view.overall_rosh
        self.rosh: Content = (rated(w, overall, view.overall_evidence_level,
                                    view.highest_current_rosh) if professional
                              else level(w, overall)) if overall else withheld if hidden(
            projection, ("assessment", "rosh")) else (Text(w("not_recorded")),)
        mappa = view.section(("assessment", "mappa"))
        managed: bool | None = isinstance(mappa, dict) and bool(mappa)
        if not managed and hidden(projection, ("assessment", "mappa")):
            managed = None
        self.mappa_managed: bool | None = None if managed is None else view.mappa_managed
        self.mappa_level: Content = (Text(str(view.mappa_level)),) if view.mappa_level \
            else withheld if managed is None else (Text(w("not_recorded")),) if managed \
            else (Text(w("not_mappa")),)
        if managed and isinstance(mappa, Mapping):
            parts = [w("mappa_category_of", category=mappa["category"])
                     if mappa.get("category") else "",
                     w("mappa_level_of", level=mappa["level"]) if mappa.get("level") else ""]
            self.mappa: Content = (Text(", ".join(p for p in parts if p)),)
        else:
            self.mappa = withheld if managed is None else (Text(w("not_mappa_managed")),)
        nxt = view.section(("plan", "review", "next"))
        self.next_review: Content = (
            Text(format_date(nxt)), *review_flag(w, review_state(nxt, view.today))
        ) if isinstance(nxt, str) else withheld if hidden(
            projection, ("plan", "review", "next")) else (Text(w("not_recorded")),)
        states = sections
        actions = next((s for s in states if s.key == "actions"), None)
        dates_withheld = any(w_[0] == "actions" and len(w_) == 3 and w_[2] in ("due", "status")
                             for w_ in projection.withheld)
        if (actions is not None and actions.state == "withheld") or dates_withheld:
            self.overdue: Content = withheld
        else:
            count = sum(view.is_overdue(a.fields) for a in view.items("action"))
            self.overdue = (Text(str(count)),)
        self.sections = states
        self.latest: Block | None = None
        """A professional audience's front for one plan: who attended its latest review."""


def _plan(number: int, total: int, given: PlanInput, setting: Setting, words: Labels,
          facts: _Facts) -> PlanDoc:
    w, data = words, given.projection.data
    plan = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    assert isinstance(plan, dict)
    subtitle: list[Content] = []
    if plan.get("type"):
        subtitle.append((Text(w("type_plan", type=w.value(plan["type"]))),))
    if plan.get("status"):
        subtitle.append((Text(w.value(plan["status"])),))
    if plan.get("lead"):
        subtitle.append((Text(w("lead_agency_of", agency=agency_name(data, plan["lead"]))),))
    prepared: tuple[Content, ...] = ()
    if total == 1:
        prepared = ((Text(w("prepared_for") + " "), Strong(setting.audience.title)),
                    (Text(f"{w('status_as_at_lower')} {format_long_date(setting.today)}"),))
        if setting.meeting:
            prepared += ((Text(setting.meeting),),)
        if setting.meeting_date:
            prepared += ((Text(format_long_date(setting.meeting_date)),),)
    intro: tuple[Content, ...] = ()
    if setting.audience.plain_language:
        intro = ((Text(w("intro")),), (Text(w("intro_withheld", withheld=w("withheld"))),))
    notices: tuple[Box, ...] = ()
    if setting.mappa_meeting and not setting.audience.plain_language \
            and facts.mappa_managed is False:
        notices = (Box(((Strong(w("not_mappa_meeting")),),), "notice"),)
    sections = facts.sections
    key_facts: tuple[Fact, ...] = (
        Fact(w("overall_rosh"), facts.rosh), Fact(w("mappa"), facts.mappa),
        Fact(w("next_review"), facts.next_review), Fact(w("overdue_actions"), facts.overdue))
    if setting.audience.for_individual:  # the person's own copy (rmp.render.yours)
        yours = your_plan(given.projection, setting.today, given.reading, w, f"plan-{number}",
                          given.changes)
        key_facts, intro, sections = yours.key_facts, yours.intro, yours.sections
        given = replace(given, changes=yours.changes)
        if given.changes is not None or given.changes_unavailable:
            sections = (_changes(given, w, f"plan-{number}"), *sections)
    return PlanDoc(
        number=number, anchor=f"plan-{number}", name=facts.name, plan_id=facts.plan_id,
        kicker=w("plan_title"),
        position=w("position", number=number, total=total) if total > 1 else None,
        subtitle=tuple(subtitle), prepared=prepared,
        key_facts=key_facts, intro=intro, sections=sections, notices=notices,
        timeline=given.timeline)


def _changes(given: PlanInput, w: Labels, anchor: str) -> Section:
    title = w("changes_since", since=given.changes_since or w("earlier_version"))
    if given.changes_unavailable:
        block: Paragraph | Bullets = Paragraph((Text(w("changes_unavailable")),), "withheld")
    elif given.changes:
        block = Bullets(tuple((Text(c),) for c in given.changes))
    else:
        block = Paragraph((Text(w("no_changes")),))
    return Section("changes", title, f"{anchor}-changes", "shown", (block,))


def _version(given: PlanInput, w: Labels) -> Content:
    if not given.commit:
        return (Text(w("not_in_git")),)
    return (Code(given.commit, "sha"),
            *((Text(" "), Strong(w("uncommitted"))) if given.changed_since_commit else ()))


def _facts(number: int, given: PlanInput, setting: Setting, w: Labels) -> _Facts:
    """A plan's builder, its sections (meeting order for a professional audience, the
    individual's own order for a plain-language one) and the facts drawn from them."""
    changes = _changes(given, w, f"plan-{number}") \
        if given.changes is not None or given.changes_unavailable else None
    if setting.audience.plain_language:
        builder = PlanBuilder(given.projection, setting.today, w, number, given.reading)
        sections = builder.sections()
        if changes is not None:
            sections = (changes, *sections)
        return _Facts(builder, w, sections, professional=False)
    meeting = MeetingBuilder(given.projection, setting.today, w, number, given.reading,
                             findings=given.findings, action_changes=given.action_changes,
                             version=_version(given, w))
    found = _Facts(meeting, w, meeting.meeting_sections(changes), professional=True)
    found.latest = meeting.latest_attendance()
    return found


def _attendance(setting: Setting, facts: Sequence[_Facts], w: Labels) -> tuple[Block, ...]:
    """The front's attendance: the --attendees file, else one plan's latest review."""
    if setting.audience.plain_language:
        return ()
    if setting.attendees is None:
        return (facts[0].latest,) if len(facts) == 1 and facts[0].latest is not None else ()

    def rows(present: bool) -> tuple[tuple[Cell, ...], ...]:
        return tuple((Cell((Text(a.name),)), Cell((Text(a.role or ""),)),
                      Cell((Text(a.agency or ""),)))
                     for a in setting.attendees or () if a.present is present)

    header = (w("name"), w("role"), w("agency"))
    return tuple(Table(header, found, caption=w(key))
                 for key, found in (("present", rows(True)), ("apologies", rows(False)))
                 if found)


def _built(number: int, total: int, given: PlanInput, setting: Setting,
           words: Labels) -> tuple[PlanDoc, _Facts]:
    facts = _facts(number, given, setting, words)
    return _plan(number, total, given, setting, words, facts), facts


class _Plans(Sequence[PlanDoc]):
    """A document's plans, each built when a renderer reaches it (or kept from the first pass,
    for the first `KEEP_BUILT`): the same PlanDoc either way, since building is deterministic."""

    def __init__(self, inputs: Sequence[PlanInput], setting: Setting, words: Labels,
                 kept: Mapping[int, PlanDoc]) -> None:
        self._inputs, self._setting, self._words, self._kept = inputs, setting, words, kept

    def __len__(self) -> int:
        return len(self._inputs)

    @overload
    def __getitem__(self, index: int) -> PlanDoc: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PlanDoc]: ...
    def __getitem__(self, index: int | slice) -> PlanDoc | Sequence[PlanDoc]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self))[index])
        number = range(1, len(self) + 1)[index]
        kept = self._kept.get(number)
        return kept if kept is not None else self._build(number, self._inputs[number - 1])

    def __iter__(self) -> Iterator[PlanDoc]:
        for number in range(1, len(self) + 1):
            kept = self._kept.get(number)
            yield kept if kept is not None else self._build(number, self._inputs[number - 1])

    def _build(self, number: int, given: PlanInput) -> PlanDoc:
        return _built(number, len(self), given, self._setting, self._words)[0]


def build_document(plans: Sequence[PlanInput], setting: Setting) -> Document:
    """The document for one plan, or the meeting pack for several.

    Two passes, so that a pack of thousands of plans never holds them all: the first builds
    each plan for the summary, the contents and the record and keeps only its heading and key
    facts (and, for the first `KEEP_BUILT`, the whole plan); the document's `plans` build the
    others again as a renderer reaches them. `plans` may make each input when asked for."""
    w = Labels(setting.audience.plain_language)
    total = len(plans)
    facts: list[_Facts] = []
    docs: list[PlanDoc] = []  # headings and key facts only: the sections are in `kept` or rebuilt
    versions_of: list[Content] = []
    kept: dict[int, PlanDoc] = {}
    strip = StripCounts(setting.audience, setting.today) if total > 1 else None
    for n, given in enumerate(plans, 1):
        doc, fact = _built(n, total, given, setting, w)
        if n <= KEEP_BUILT:
            kept[n] = doc
        fact.sections = ()  # the summary needs the facts, not the sections
        facts.append(fact)
        docs.append(replace(doc, sections=()))
        versions_of.append(_version(given, w))
        if strip is not None:
            strip.add(given.projection, given.reading)
    audience = setting.audience
    today = format_long_date(setting.today)
    handling = (
        (Strong(f"{setting.marking}."), Text(f" {w('prepared_for')} "), Strong(audience.title),
         Text(" " + w("handling_only"))),
        (Text(w("handling_marked", withheld=w("withheld"))),))
    cover: tuple[Fact, ...] = ()
    contents: tuple[ContentsEntry, ...] = ()
    summary = None
    if total > 1:
        cover = (
            *((Fact(w("meeting_date"), (Text(format_long_date(setting.meeting_date)),)),)
              if setting.meeting_date else ()),
            Fact(w("prepared_for"), (Text(audience.title),)),
            Fact(w("classification"), (Text(setting.marking),)),
            Fact(w("plans"), (Text(str(total)),)), Fact(w("status_as_at"), (Text(today),)))
        contents = (ContentsEntry("summary", w("summary")),
                    *(ContentsEntry(d.anchor, d.name, d.plan_id) for d in docs),
                    ContentsEntry("record", w("record")))
        summary = Table(
            (w("case_ref"), w("plan"), w("overall_rosh"), w("mappa_level"), w("next_review"),
             w("overdue_actions")),
            tuple((Cell((Link(d.anchor, (Text(f.ref or w("withheld_short")),)),)),
                   Cell((Text(d.plan_id or w("plan_number", number=d.number)),)),
                   Cell(f.rosh), Cell(f.mappa_level), Cell(f.next_review, "nowrap"),
                   Cell(f.overdue, "num"))
                  for d, f in zip(docs, facts, strict=True)),
            row_headers=True)
    description = setting.audience_description
    record = (
        Fact(w("prepared_for"), (Text(audience.title),
                                 *((Note((Text(description),)),) if description else ()))),
        Fact(w("classification"), (Text(setting.marking),)),
        Fact(w("status_as_at"), (Text(today),)),
        Fact(w("generated"), (Code(setting.generated, "sha"),
                              Text(w("generated_by") + setting.tool))))
    versions = Table((w("plan"), w("last_commit")), tuple(
        (Cell((Text(d.plan_id or w("plan_number", number=d.number)),)), Cell(version))
        for d, version in zip(docs, versions_of, strict=True)), caption=w("plan_versions"))
    return Document(
        is_pack=total > 1,
        title=(setting.meeting or w("meeting_pack")) if total > 1
        else w("plan_title") + (f" {docs[0].plan_id}" if docs[0].plan_id else ""),
        audience=AudienceInfo(audience.name, audience.title, audience.plain_language),
        marking=setting.marking, classification=setting.classification,
        generated=setting.generated, tool=setting.tool,
        labels={key: w(key) for key in FURNITURE}, handling=handling, cover=cover,
        contents=contents, summary=summary,
        summary_note=(Text(w("summary_note", today=today)),),
        plans=_Plans(plans, setting, w, kept), record=record,
        versions=versions, attendance=_attendance(setting, facts, w),
        strip=strip.figure() if strip is not None else None)
