"""The pack's pictures as document blocks: a plan's timeline from git, and the summary strip
of a meeting pack. Each is a `Figure`: an SVG from `rmp.render.svg` and the same information
in words.

A timeline shows only what the audience may see: every version's facts (`rmp.history.timeline`)
are projected through the audience exactly as the plan is, and a part withheld anywhere in the
current projection (`values.hidden`) is not drawn at all (fail closed). Reviews are the current
version's, as projected, so a review made confidential later does not reappear from history.
The individual's own copy gets no pictures. The strip is built from the projections alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rmp.model.evidence import Reading
from rmp.model.paths import parse_date
from rmp.model.view import PlanView
from rmp.model.vocabulary import GROUPS, LEVELS
from rmp.render import svg
from rmp.render.audience import Audience, Projection, project
from rmp.render.document import Content, Figure, Text
from rmp.render.labels import Labels
from rmp.render.values import format_date, hidden

if TYPE_CHECKING:
    from rmp.history.timeline import Snapshot, Timeline

_MONTH_KEYS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
               "Dec")
_AGENCY_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
_STRIP_ROWS = 8


def _state(snapshot: Snapshot, audience: Audience, reading: Reading, rosh: bool,
           mappa: bool) -> tuple[dict[str, str | None], int | bool | None]:
    """(current RoSH by group, MAPPA level) of one version as the audience sees it. MAPPA:
    a level, True when managed without a level, None when not managed."""
    seen = project(snapshot.facts, audience).data
    view = PlanView(seen, snapshot.day, reading)
    levels = {g: view.current_rosh(g) for g in GROUPS} if rosh else {}
    level: int | bool | None = None
    if mappa:
        found = view.section(("assessment", "mappa"))
        if isinstance(found, dict):
            level = found.get("level") if found.get("level") in (1, 2, 3) else True
    return levels, level


def _mappa_words(w: Labels, level: int | bool | None) -> str:
    if level is None:
        return w("tl_no_mappa")
    return w("tl_mappa_level", level=level) if level is not True else w("tl_mappa_start")


def timeline_figure(timeline: Timeline | None, audience: Audience, current: Projection,
                    reading: Reading, today: date) -> Figure | None:
    """The plan's timeline, or None (no history, the individual's copy, nothing visible)."""
    if timeline is None or not timeline.snapshots or audience.for_individual:
        return None
    w = Labels(audience.plain_language)
    show_rosh = not hidden(current, ("assessment", "rosh"))
    show_mappa = not hidden(current, ("assessment", "mappa"))
    show_reviews = not any(p in (("plan",), ("plan", "reviews")) for p in current.withheld)
    states = [_state(s, audience, reading, show_rosh, show_mappa) for s in timeline.snapshots]
    groups = [g for g in GROUPS if any(levels.get(g) for levels, _ in states)]
    any_mappa = any(level is not None for _, level in states)
    reviews: list[tuple[date, dict[str, Any]]] = []
    if show_reviews:
        newest = project(timeline.snapshots[-1].facts, audience).data
        plan = newest.get("plan")
        for review in (plan.get("reviews") or []) if isinstance(plan, dict) else []:
            day = parse_date(review.get("date")) if isinstance(review, dict) else None
            if day is not None:
                reviews.append((day, review))
        reviews.sort(key=lambda r: r[0])
    if not groups and not any_mappa and not reviews:
        return None
    days = [s.day for s in timeline.snapshots] + [d for d, _ in reviews]
    start, end = min(days), max([today, *days])
    series = [svg.Series(w.value(g), tuple(
        (s.day, LEVELS.index(levels[g]) + 1 if levels.get(g) else None)
        for s, (levels, _) in zip(timeline.snapshots, states, strict=True))) for g in groups]
    band: list[tuple[date, str]] = []
    if any_mappa:
        for snap, (_, level) in zip(timeline.snapshots, states, strict=True):
            words = "" if level is None else w("tl_level", level=level) if level is not True \
                else w("tl_mappa")
            if not band or band[-1][1] != words:
                band.append((snap.day, words))
    marks = [svg.Mark(d, str(r.get("level_change")) if r.get("level_change") in ("up", "down")
                      else "dot") for d, r in reviews]
    picture = svg.timeline(
        w("tl_title"), start, end, [w.value(level) for level in LEVELS] if groups else [],
        series, band,
        w("tl_mappa"), marks, w("tl_reviews"), _MONTH_KEYS)
    alt = _timeline_words(w, timeline, states, groups, any_mappa, reviews)
    return Figure(w("tl_caption"), picture, tuple((Text(line),) for line in alt))


def _timeline_words(w: Labels, timeline: Timeline, states: Sequence[tuple[Any, Any]],
                    groups: Sequence[str], any_mappa: bool,
                    reviews: Sequence[tuple[date, dict[str, Any]]]) -> list[str]:
    events: list[tuple[date, int, str]] = []
    previous: tuple[dict[str, str | None], Any] | None = None
    for order, (snap, (levels, level)) in enumerate(zip(timeline.snapshots, states,
                                                        strict=True)):
        parts: list[str] = []
        if previous is None:
            rated = [w("tl_group_level", group=w.value(g).lower(),
                       level=w.value(levels[g]).lower()) for g in groups if levels.get(g)]
            if rated:
                parts.append(w("tl_rosh_all", levels=", ".join(rated)))
        for group in groups if previous is not None else ():
            now = levels.get(group)
            was = previous[0].get(group) if previous else None
            name = w.value(group).lower()
            if previous is None or now != was:
                if now and was:
                    parts.append(w("tl_rosh_to", group=name, level=w.value(now).lower(),
                                   was=w.value(was).lower()))
                elif now:
                    parts.append(w("tl_rosh_of", group=name, level=w.value(now).lower()))
                elif was:
                    parts.append(w("tl_rosh_gone", group=name, was=w.value(was).lower()))
        if any_mappa and (previous is None or level != previous[1]):
            before = previous[1] if previous else None
            if previous is None or level is None or before is None:
                parts.append(w("tl_mappa_end") if previous is not None and level is None
                             else _mappa_words(w, level))
            elif level is not True and before is not True:
                parts.append(w("tl_mappa_to", level=level, was=before))
            else:
                parts.append(_mappa_words(w, level))
        previous = (levels, level)
        if not parts:
            continue
        what, when = "; ".join(parts), format_date(snap.day.isoformat())
        key = "tl_first" if order == 0 else "tl_uncommitted" if snap.commit is None \
            else "tl_changed"
        events.append((snap.day, 0, w(key, day=when, what=what)))
    for day, review in reviews:
        kind = w.value(review["kind"]) if review.get("kind") else w("tl_meeting")
        change = review.get("level_change")
        shown = format_date(day.isoformat())
        events.append((day, 1, w("tl_review_change", day=shown, kind=kind,
                                 change=w(f"tl_change_{change}")) if change in
                       ("up", "down", "none") else w("tl_review", day=shown, kind=kind)))
    lines = [text for _, _, text in sorted(events, key=lambda e: (e[0], e[1]))]
    if timeline.skipped:
        lines.append(w("tl_skipped", count=timeline.skipped))
    if timeline.capped:
        lines.append(w("tl_capped", count=timeline.limit))
    if timeline.shallow:
        lines.append(w("tl_shallow"))
    return lines


class StripCounts:
    """The summary strip's counts, one plan at a time (a pack never holds every plan's
    projection at once): plans by overall RoSH, and overdue actions by owning agency, as the
    audience sees them."""

    def __init__(self, audience: Audience, today: date) -> None:
        self.audience, self.today = audience, today
        self.words = Labels(audience.plain_language)
        self.plans = 0
        self.by_level = dict.fromkeys((*reversed(LEVELS), "withheld", "none"), 0)
        self.overdue: dict[str, int] = {}

    def add(self, projection: Projection, reading: Reading) -> None:
        self.plans += 1
        view = PlanView(projection.data, self.today, reading)
        overall = view.overall_rosh
        self.by_level[overall if overall else "withheld" if hidden(
            projection, ("assessment", "rosh")) else "none"] += 1
        if any(p[:1] == ("actions",) and (len(p) == 1 or (len(p) == 3 and p[2] in (
                "due", "status", "owner"))) for p in projection.withheld):
            return  # this audience may not see which actions are overdue, or whose
        for action in view.items("action"):
            if view.is_overdue(action.fields):
                owner = action.get("owner")
                agency = owner.get("agency") if isinstance(owner, dict) else None
                name = agency if isinstance(agency, str) and _AGENCY_ID.match(agency) \
                    else self.words("strip_unowned")
                self.overdue[name] = self.overdue.get(name, 0) + 1

    def figure(self) -> Figure | None:
        """The strip; None for a single plan or the individual."""
        if self.plans < 2 or self.audience.for_individual:
            return None
        return _strip(self.words, self.by_level, self.overdue)


def _strip(w: Labels, by_level: dict[str, int], overdue: dict[str, int]) -> Figure:
    words = {**{level: w.value(level) for level in LEVELS}, "withheld": w("withheld_short"),
             "none": w("not_recorded")}
    rosh_rows = [(words[k], n, i) for i, (k, n) in enumerate(by_level.items())
                 if n or k in LEVELS]
    ranked = sorted(overdue.items(), key=lambda item: (-item[1], item[0]))
    if len(ranked) > _STRIP_ROWS:
        rest = sum(n for _, n in ranked[_STRIP_ROWS - 1:])
        ranked = [*ranked[:_STRIP_ROWS - 1], (w("strip_other_agencies"), rest)]
    charts: list[tuple[str, Sequence[tuple[str, int, int]]]] = [
        (w("strip_by_rosh"), rosh_rows)]
    if ranked:
        charts.append((w("strip_overdue"), [(name, n, 0) for name, n in ranked]))
    alt: list[Content] = [(Text(w("strip_rosh_line", level=label.lower(), count=n)),)
                          for label, n, _ in rosh_rows if n]
    alt += [(Text(w("strip_overdue_line", agency=name, count=n)),) for name, n in ranked]
    if not ranked:
        alt.append((Text(w("strip_no_overdue")),))
    return Figure(w("strip_caption"), svg.bars(w("strip_title"), charts), tuple(alt))
