"""Records up to date (HF36 P17): reviews on time and as often as the policy asks, actions not
overdue, evidence not stale, dates consistent, status changes explained."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.paths import parse_date, shift
from rmp.rules.common import is_blank, nearest_existing
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


_LIVE = ("agreed", "active")


_INTERVAL_STARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("review.last", ("plan", "review", "last")),
    ("plan.agreed", ("plan", "agreed")),
    ("plan.created", ("plan", "created")),
)
"""Where the review interval starts: the last review, else the agreement, else creation."""


@rule(RULES, "RMP320", "status-without-note", "warning", "P17",
      "a blocked or cancelled action has no `status_note` (circumstances changed, or not done?)")
def status_without_note(ctx: RuleContext) -> Iterator[Hit]:
    """An action with `status: blocked` or `cancelled` and no `status_note`.

    HF36 P17 asks for up-to-date records, and MARAC practice tells an action made impossible
    by changed circumstances apart from an action simply not done. The note says which, and
    what replaces it.

    Fails: `- {id: A4, ..., status: cancelled}`.
    Passes: `status_note: V1 moved out of area; alarm replaced by C3 exclusion zone`.
    Fix: say why the action is blocked or cancelled and what, if anything, replaces it.
    """
    for action in ctx.plan.items("action"):
        status = action.get("status")
        if status in ("blocked", "cancelled") and is_blank(action.get("status_note")):
            yield Hit(action.at("status"), f"action {action.id} is {status} with no "
                                           "`status_note`: circumstances changed, or not done? "
                                           "(HF36 P17)", (action.id,))


@rule(RULES, "RMP324", "review-needed", "warning", "P17",
      "a concern raised, or an action blocked, after the last review: the plan should be "
      "reviewed")
def review_needed(ctx: RuleContext) -> Iterator[Hit]:
    """A concern identified after `plan.review.last`, or a blocked action dated after it.

    HF36 P17 asks for up-to-date records: a real concern, or an action that can no longer be
    carried out, changes the plan, and the review triggers usually say so. Actions carry no
    date for their status, so a `blocked` action counts as blocked after the last review when
    its `start` or `due` is after it. Closed plans, and plans with no last review date, are not
    checked.

    Fails: `review: {last: 2026-10-14}` and `- {id: CN2, identified: 2026-11-02, ...}`.
    Passes: the plan reviewed after the concern, with `review.last` moved on.
    Fix: review the plan (or record why no review is needed in the concern's follow-up) and
    update `review.last`.
    """
    if ctx.plan.section(("plan", "status")) == "closed":
        return
    last = parse_date(ctx.plan.section(("plan", "review", "last")))
    if last is None:
        return
    for concern in ctx.plan.items("concern"):
        identified = parse_date(concern.get("identified"))
        if identified is not None and identified > last:
            yield Hit(concern.at("identified"),
                      f"concern {concern.id} was identified {(identified - last).days} day(s) "
                      "after the last review: review the plan (HF36 P17)", (concern.id,))
    for action in ctx.plan.items("action"):
        if action.get("status") != "blocked":
            continue
        dates = [parse_date(action.get(key)) for key in ("start", "due")]
        if any(when is not None and when > last for when in dates):
            yield Hit(action.at("status"),
                      f"action {action.id} is blocked and dated after the last review: review "
                      "the plan (HF36 P17)", (action.id,))


@rule(RULES, "RMP401", "review-overdue", "error", "P17", "the next review date has passed")
def review_overdue(ctx: RuleContext) -> Iterator[Hit]:
    """The plan's next review date has passed, or an agreed or active plan has none.

    HF36 P17 asks for up-to-date records. A plan past its review date may no longer fit the
    person's circumstances; a panel relying on it is relying on old information. Closed plans
    are not checked; drafts are checked only when they carry a date.

    Fails (today 2026-11-27): `review: {next: 2026-11-20}`.
    Passes: `review: {next: 2026-12-09}`, or the plan reviewed and the date moved on.
    Fix: hold the review and record it in `reviews`, then set `review.last` and `review.next`.
    """
    plan = ctx.plan
    status = plan.section(("plan", "status"))
    if status == "closed":
        return
    raw = plan.section(("plan", "review", "next"))
    when = parse_date(raw)
    if when is None:
        if raw is None and status in _LIVE:
            yield Hit(("plan", "review"), f"the plan is {status} but has no next review date")
        return
    if when < ctx.today:
        days = (ctx.today - when).days
        yield Hit(("plan", "review", "next"),
                  f"the next review was due {days} day(s) ago")


@rule(RULES, "RMP402", "review-interval-too-long", "warning", "P17",
      "the review interval is longer than policy allows for the RoSH or MAPPA level")
def review_interval_too_long(ctx: RuleContext) -> Iterator[Hit]:
    """The gap between the last review and the next is longer than the policy allows.

    HF36 P17 asks for records kept up to date, and the higher the risk the sooner things
    change: the policy's `review_interval_days` sets the longest gap for each overall RoSH
    level (`rosh`) and for MAPPA levels 2 and 3 (`mappa_level`; MAPPA Guidance cites 16 and 8
    weeks as minimums). Where both apply, the stricter (shorter) one wins. The gap runs from
    `review.last`, or from `plan.agreed` (else `plan.created`) when the plan has not been
    reviewed yet, to `review.next`. The level read is the higher of the overall RoSH (the
    highest current RoSH, or `overall_rosh` when written higher) and the evidence level.
    Closed plans are not checked.

    Fails (default policy): RoSH high and `review: {last: 2026-10-14, next: 2027-04-14}`
    (182 days; high allows 112).
    Passes: `review: {last: 2026-10-14, next: 2027-01-20}` (98 days).
    Fix: bring `review.next` forward to within the interval, or record why a longer gap is
    defensible for this case as a waiver.
    """
    plan = ctx.plan
    if plan.section(("plan", "status")) == "closed":
        return
    following = parse_date(plan.section(("plan", "review", "next")))
    if following is None:
        return
    start, basis = None, ""
    for basis, field_path in _INTERVAL_STARTS:  # noqa: B007 (basis is read after the loop)
        start = parse_date(plan.section(field_path))
        if start is not None:
            break
    if start is None:
        return
    intervals = ctx.policy.review_interval_days
    allowed: list[tuple[int, str]] = []
    level = ctx.plan.indicated_overall_rosh
    if level is not None and level in intervals.by_rosh:
        allowed.append((intervals.by_rosh[level], f"RoSH {level}"))
    mappa = plan.mappa_level
    if mappa is not None and mappa in intervals.by_mappa_level:
        allowed.append((intervals.by_mappa_level[mappa], f"MAPPA level {mappa}"))
    if not allowed:
        return
    limit, reason = min(allowed)
    gap = (following - start).days
    if gap > limit:
        yield Hit(("plan", "review", "next"),
                  f"the next review is {gap} days after `{basis}`; the policy allows at most "
                  f"{limit} days for {reason} (review_interval_days)")


_ENFORCEMENT_PILLARS = ("monitoring-control", "victim-safety")
"""Pillars whose overdue actions are errors (RMP403): controls and victims' protection."""


@rule(RULES, "RMP403", "action-overdue", "warning", "P14, P17",
      "an action is past its due date and not done or cancelled (an error for "
      "monitoring-control and victim-safety actions)")
def action_overdue(ctx: RuleContext) -> Iterator[Hit]:
    """An action whose due date has passed while it is not `done` or `cancelled`.

    HF36 P14 and P17: an overdue action is either late (chase the owner agency) or finished
    and not recorded. Either way the record is not up to date. Closed plans are not checked.
    An overdue `monitoring-control` or `victim-safety` action is an error, not a warning:
    reviews find overdue enforcement and protection actions treated as routine, while the
    control or the victim's safety they stood for was not there. A policy setting for RMP403
    applies to all its findings.

    Fails (today 2026-11-27): `due: 2026-11-01, status: in-progress`.
    Passes: `status: done`, or a new agreed `due` date with a `status_note` saying why.
    Fix: update the status, or agree a new date with the owner and record why it moved.
    """
    for action in ctx.plan.items("action"):
        if ctx.plan.is_overdue(action.fields):
            due = parse_date(action.get("due"))
            assert due is not None
            days = (ctx.today - due).days
            raised = action.get("pillar") in _ENFORCEMENT_PILLARS
            yield Hit(action.at("due"),
                      f"action {action.id} is overdue by {days} day(s)"
                      + (f" ({action.get('pillar')}: an error)" if raised else ""),
                      (action.id,), severity="error" if raised else None)


_PERISHABLE_SOURCES = ("assessment", "police-check", "childrens-services-check")
"""Source kinds that go stale. Court papers, records and convictions describe what happened
and do not; intelligence is graded on its own terms and is outside the policy's scope."""


@rule(RULES, "RMP404", "evidence-stale", "warning", "P1",
      "an assessment, tool result or police/children's check older than the policy's maximum "
      "age (court papers and convictions do not go stale)")
def evidence_stale(ctx: RuleContext) -> Iterator[Hit]:
    """An assessment, tool result, police check or children's services check is older than
    the policy's `evidence_max_age_days` (365 by default).

    HF36 P1 asks that the plan rest on a current assessment. An OASys a year old, a predictor
    scored before the last offence, or a police domestic abuse call-out check from last year
    may miss what has happened since. Checked: sources of kind `assessment`, `police-check` and
    `childrens-services-check`, and every `assessment.tools[]` result, by their `date`. Court
    papers, records and convictions do not go stale (what happened still happened), and
    intelligence is judged by its grading rather than its age, so those kinds are not checked.
    Items without a date are not checked here. Closed plans are not checked.

    Fails (today 2026-11-27): `{id: SRC2, kind: police-check, date: 2025-08-11, ...}`.
    Passes: the check repeated and the source dated 2026-11-02.
    Fix: repeat the assessment or check (or re-score the tool) and update the source's date;
    or, if the old item is kept for history, cite a current one as well.
    """
    if ctx.plan.section(("plan", "status")) == "closed":
        return
    limit = ctx.policy.evidence_max_age_days
    for source in ctx.plan.items("source"):
        kind = source.get("kind")
        dated = parse_date(source.get("date"))
        if kind not in _PERISHABLE_SOURCES or dated is None:
            continue
        age = (ctx.today - dated).days
        if age > limit:
            yield Hit(source.at("date"),
                      f"source {source.id} ({kind}) is {age} days old; the policy's "
                      f"evidence_max_age_days is {limit}", (source.id,))
    tools = ctx.plan.section(("assessment", "tools"))
    for index, tool in enumerate(tools if isinstance(tools, list) else []):
        dated = parse_date(tool.get("date")) if isinstance(tool, dict) else None
        if dated is None:
            continue
        age = (ctx.today - dated).days
        if age > limit:
            cited = tool.get("source")
            yield Hit(("assessment", "tools", index, "date"),
                      f"tool result {index + 1} in assessment.tools is {age} days old; the "
                      f"policy's evidence_max_age_days is {limit}",
                      (cited,) if isinstance(cited, str) else ())


@rule(RULES, "RMP405", "dates-contradict", "error", "P17",
      "dates contradict each other (due before start, agreed before created, last review in "
      "the future)")
def dates_contradict(ctx: RuleContext) -> Iterator[Hit]:
    """Two dates in the plan cannot both be right.

    HF36 P17 asks for accurate records. A date that contradicts another is a typing error at
    best, and a reader cannot tell which one to trust. Only clear contradictions are checked,
    one finding each, at the first field named below:

    - an action `due` before its `start`;
    - `plan.agreed` before `plan.created`;
    - `plan.review.last` after today (a review cannot have happened yet);
    - `plan.review.next` before `plan.review.last`;
    - `plan.signoff.date` before `plan.created` (nothing to sign yet);
    - a concern `communicated` before it was `identified`;
    - `individual.sentence.licence_end` or `sentence_end` before `release`;
    - an agency's `agreed` before `plan.created`.

    Fails: `{id: A3, start: 2026-12-01, due: 2026-11-15, ...}`; `created: 2026-10-14,
    agreed: 2026-10-01`.
    Passes: `start: 2026-11-15, due: 2026-12-01`.
    Fix: correct whichever date is wrong.
    """
    plan = ctx.plan
    for action in plan.items("action"):
        start, due = parse_date(action.get("start")), parse_date(action.get("due"))
        if start is not None and due is not None and due < start:
            yield Hit(action.at("due"), f"action {action.id} is due before its start date",
                      (action.id,))
    created = parse_date(plan.section(("plan", "created")))
    agreed = parse_date(plan.section(("plan", "agreed")))
    if created is not None and agreed is not None and agreed < created:
        yield Hit(("plan", "agreed"), "`plan.agreed` is before `plan.created`")
    last = parse_date(plan.section(("plan", "review", "last")))
    if last is not None and last > ctx.today:
        yield Hit(("plan", "review", "last"),
                  f"`review.last` is {(last - ctx.today).days} day(s) in the future")
    following = parse_date(plan.section(("plan", "review", "next")))
    if last is not None and following is not None and following < last:
        yield Hit(("plan", "review", "next"), "`review.next` is before `review.last`")
    signed = parse_date(plan.section(("plan", "signoff", "date")))
    if created is not None and signed is not None and signed < created:
        yield Hit(("plan", "signoff", "date"), "`signoff.date` is before `plan.created`")
    for concern in plan.items("concern"):
        identified = parse_date(concern.get("identified"))
        communicated = parse_date(concern.get("communicated"))
        if identified is not None and communicated is not None and communicated < identified:
            yield Hit(concern.at("communicated"),
                      f"concern {concern.id} was communicated before it was identified",
                      (concern.id,))
    release = parse_date(plan.section(("individual", "sentence", "release")))
    for end in ("licence_end", "sentence_end"):
        ends = parse_date(plan.section(("individual", "sentence", end)))
        if release is not None and ends is not None and ends < release:
            yield Hit(("individual", "sentence", end), f"`sentence.{end}` is before `release`")
    for agency in plan.items("agency"):
        agency_agreed = parse_date(agency.get("agreed"))
        if created is not None and agency_agreed is not None and agency_agreed < created:
            yield Hit(agency.at("agreed"),
                      f"agency {agency.id} agreed the plan before `plan.created`",
                      (agency.id,))


@rule(RULES, "RMP406", "agreed-without-date", "error", "P17",
      "status agreed/active without an agreement date (sign-off is RMP501's)")
def agreed_without_date(ctx: RuleContext) -> Iterator[Hit]:
    """The plan's status is `agreed` or `active` but `plan.agreed` is not recorded.

    HF36 P11 and P17: when the plan was agreed is part of the record. It dates the
    agreement every agency and the individual are held to, and it is the date from which
    distribution (RMP502) and the first review interval (RMP402) are measured. The manager's
    sign-off is a separate matter (RMP501).

    Fails: `plan: {status: active, created: 2026-10-01, ...}` with no `agreed`.
    Passes: the same with `agreed: 2026-10-14`; or `status: draft` while it is not yet agreed.
    Fix: add `plan.agreed` with the date the plan was agreed (usually the meeting date), or
    set the status back to `draft`.
    """
    status = ctx.plan.section(("plan", "status"))
    if status in _LIVE and not ctx.plan.section(("plan", "agreed")):
        yield Hit(("plan", "status"), f"the plan is {status} but has no `plan.agreed` date")


@rule(RULES, "RMP407", "plan-late-for-release", "warning", "P17, K23",
      "an initial licence plan written on or before release but later than the policy's "
      "days before it")
def plan_late_for_release(ctx: RuleContext) -> Iterator[Hit]:
    """An initial plan (`plan.type: initial`) for a licence, `created` on or before
    `sentence.release` but fewer than the policy's `plan_before_release_days` (28) before it.

    HF36 P17 asks for up-to-date records and K23 for resettlement planning. Reviews find
    plans written days before release, on an assessment made long before: too late for
    agencies to agree them, for licence conditions to be asked for, or for a home visit to
    be made. A plan first written after an unforeseen release (created after the release
    date) is not late in this sense.

    Fails: `plan: {type: initial, created: 2026-09-10}` and `sentence: {type: licence,
    release: 2026-09-15}`.
    Passes: `created: 2026-08-01`.
    Fix: start the release plan earlier for the next release; for this one, record in the
    rationale what could not be arranged in time.
    """
    plan = ctx.plan
    if plan.section(("plan", "type")) != "initial" or plan.sentence_type != "licence":
        return
    created = parse_date(plan.section(("plan", "created")))
    release = parse_date(plan.section(("individual", "sentence", "release")))
    if created is None or release is None or created > release:
        return
    days = (release - created).days
    if days < ctx.policy.plan_before_release_days:
        yield Hit(("plan", "created"),
                  f"the initial licence plan was created {days} day(s) before release; the "
                  f"policy's plan_before_release_days is {ctx.policy.plan_before_release_days} "
                  "(HF36 P17, K23)")


@rule(RULES, "RMP408", "no-assessment-at-release", "warning", "P1, K23",
      "on licence, from the policy's days before release, no assessment dated within those "
      "days before release or after it")
def no_assessment_at_release(ctx: RuleContext) -> Iterator[Hit]:
    """On licence, from `release_assessment_days` (90) before `sentence.release` onwards, no
    source of kind `assessment` dated within `release_assessment_days` before the release or
    after it.

    HF36 P1 asks that the plan rest on a current assessment, and K23 for resettlement
    planning. Release changes everything a custody assessment rested on: reviews find licence
    plans resting on an assessment made long before release.

    Fails (today 2026-11-27): `sentence: {type: licence, release: 2026-10-01}` and the only
    assessment source dated 2026-03-01.
    Passes: an OASys review dated 2026-09-10 (within 90 days before release) or after release.
    Fix: review the assessment before release (or now), and record it as a dated source.
    """
    plan = ctx.plan
    if plan.sentence_type != "licence":
        return
    release = parse_date(plan.section(("individual", "sentence", "release")))
    days = ctx.policy.release_assessment_days
    if release is None or ctx.today < shift(release, -days):
        return
    since = shift(release, -days)
    if any(s.get("kind") == "assessment" and (d := parse_date(s.get("date"))) is not None
           and d >= since for s in plan.items("source")):
        return
    yield Hit(nearest_existing(ctx, ("assessment", "sources")),
              f"on licence and no assessment source is dated within {days} days before "
              "release or after it (release_assessment_days) (HF36 P1, K23)", at_key=True)
