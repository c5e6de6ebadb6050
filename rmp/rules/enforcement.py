"""Enforcement (HF36 P5, P8, P13, K25): what triggers recall or breach and how fast, decisions
on concerns, recall rejected and not revisited, controls eased without a fresh assessment.

Serious further offence reviews find "consider recall" contingencies, concerns that drew no
decision, and recall rejected once and never revisited. A licence can be enforced only when the
plan says what triggers recall and how fast, and each concern records the decision it drew.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from rmp.model.paths import parse_date, shift
from rmp.model.view import Item
from rmp.model.vocabulary import at_least
from rmp.rules import text
from rmp.rules.common import id_list, is_blank, nearest_existing, overall_phrase
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []

_RECALL_TRIGGERS = frozenset({"whereabouts-unknown", "new-charge", "failure-to-report"})
_RECALL_ACTIONS = frozenset({"recall", "emergency-recall"})
_LICENCE = frozenset({"licence", "post-sentence-supervision"})
_ORDERS = frozenset({"community-order", "suspended-sentence", "youth-rehabilitation-order",
                     "referral-order"})
ENFORCEMENT_KINDS = frozenset({"non-compliance", "new-charge", "arrest", "whereabouts-unknown",
                               "victim-contact"})
"""Concerns that on licence call for an enforcement decision (RMP331, RMP332)."""


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`; bank holidays are not
    known to rmp and count as working days."""
    current = start
    while days > 0:
        current = shift(current, 1)
        if current == date.max:
            return current
        if current.weekday() < 5:
            days -= 1
    return current


def _calendar_hours(working_days: int) -> float:
    """The hours a contingency may take to act within `working_days` working days: two
    weekend days for each started five working days."""
    return 24.0 * (working_days + 2 * ((working_days + 4) // 5))


def _on_adult_licence(ctx: RuleContext) -> bool:
    return ctx.plan.sentence_type in _LICENCE and not ctx.plan.youth


def _breach_regime(ctx: RuleContext) -> bool:
    """Community and youth orders, and youth licences: enforced by breach, not recall."""
    kind = ctx.plan.sentence_type
    return kind in _ORDERS or (kind in _LICENCE and ctx.plan.youth)


def _hours(item: Item) -> float | None:
    value = item.get("within_hours")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else None


@rule(RULES, "RMP330", "enforcement-contingency-missing", "error", "P5, P13",
      "on licence no recall contingency for whereabouts unknown, a new charge or failure to "
      "report within the policy's hours; on an order no breach contingency; a vague `then`")
def enforcement_contingency_missing(ctx: RuleContext) -> Iterator[Hit]:
    """The contingency does not say what triggers enforcement and how fast.

    - Adult licence or post-sentence supervision: no contingency with `action: recall` or
      `emergency-recall` for `trigger: whereabouts-unknown`, `new-charge` or
      `failure-to-report`, acting within the policy's `recall_within_hours` for the overall
      RoSH (the higher of the rating and the evidence level; built in: very high 2 hours,
      high and medium 24).
    - Community orders, suspended sentences, youth orders and youth licences (enforced by
      breach, not recall): no contingency with `action: breach` for `trigger:
      failure-to-report` within `breach_within_days` working days (as hours, counting two
      weekend days for each started five working days).
    - Where `assessment.compliance` records earlier breaches, recalls or failed orders: no
      contingency at all for `failure-to-report`.
    - A contingency whose `then` is only a vague verb phrase ("consider recall", "monitor"),
      RMP303's test with "consider" on its list.

    HF36 P13 asks for contingency planning and P5 for external controls that are enforced.
    Serious further offence reviews find "consider recall" where a plan should have said who
    recalls, on what, and how fast.

    Fails: on licence at high RoSH, `- {id: CT1, when: Misses an appointment, then: Consider
    recall, owner: {...}}`.
    Passes: `- {id: CT2, when: Whereabouts unknown or fails to report, trigger:
    whereabouts-unknown, then: Request emergency recall the same day, action:
    emergency-recall, owner: {agency: probation, role: Probation Practitioner},
    within_hours: 2}`.
    Fix: add the contingency with its `trigger`, `action` and `within_hours`, and say in
    `then` exactly what is done.
    """
    plan = ctx.plan
    entries = plan.items("contingency")
    where = nearest_existing(ctx, ("contingency",))
    if _on_adult_licence(ctx):
        level = plan.indicated_overall_rosh
        limit = ctx.policy.recall_within_hours.get(level) if level else None
        recalls = [c for c in entries if c.get("action") in _RECALL_ACTIONS
                   and c.get("trigger") in _RECALL_TRIGGERS]
        fast = [c for c in recalls if limit is None or (
            (hours := _hours(c)) is not None and hours <= limit)]
        if not fast:
            within = f" within {limit:g} hours (recall_within_hours; {overall_phrase(ctx)})" \
                if limit is not None else ""
            yield Hit(where, "on licence and no contingency recalls (`action: recall` or "
                             "`emergency-recall`) on whereabouts unknown, a new charge or "
                             f"failure to report (`trigger`){within} (HF36 P5, P13)",
                      tuple(c.id for c in recalls), at_key=True)
    elif _breach_regime(ctx):
        limit = _calendar_hours(ctx.policy.breach_within_days)
        breaches = [c for c in entries if c.get("action") == "breach"
                    and c.get("trigger") == "failure-to-report"
                    and (hours := _hours(c)) is not None and hours <= limit]
        if not breaches:
            yield Hit(where, "the order is enforced by breach and no contingency takes breach "
                             "action (`action: breach`) on failure to report (`trigger: "
                             f"failure-to-report`) within {ctx.policy.breach_within_days} "
                             "working days (breach_within_days) (HF36 P5, P13)", at_key=True)
    compliance = plan.section(("assessment", "compliance"))
    earlier = [k for k in ("breaches", "recalls", "failed_orders")
               if isinstance(compliance, dict) and isinstance(compliance.get(k), int)
               and not isinstance(compliance.get(k), bool) and compliance[k] > 0]
    if earlier and not any(c.get("trigger") == "failure-to-report" for c in entries):
        yield Hit(("assessment", "compliance"),
                  f"the compliance history records earlier {', '.join(earlier)} and no "
                  "contingency covers failure to report (`trigger: failure-to-report`) "
                  "(HF36 P13)", at_key=True)
    for entry in entries:
        then = entry.get("then")
        if isinstance(then, str) and then.strip() and text.is_vague(
                then, ctx.policy.vague_measure_max_words):
            yield Hit(entry.at("then"),
                      f"contingency {entry.id}'s `then` is only a vague verb phrase: say what "
                      "is done, by whom and how fast (HF36 P13)", (entry.id,))


def _decided_late(ctx: RuleContext, concern: Item) -> str | None:
    """Why an enforcement concern's decision is missing or late, or None when in time."""
    identified = parse_date(concern.get("identified"))
    decided = parse_date(concern.get("decided"))
    days = ctx.policy.decision_within_working_days
    if identified is None:
        return None if concern.get("decision") else "no `decision` is recorded"
    deadline = add_working_days(identified, days)
    if not concern.get("decision"):
        return "no `decision` is recorded" if ctx.today > deadline else None
    if decided is not None and decided > deadline:
        return (f"the decision was recorded after {days} working day(s) "
                "(decision_within_working_days)")
    return None


@rule(RULES, "RMP331", "concern-without-decision", "error", "P8, K25",
      "on licence an enforcement concern with no decision within the policy's working days; "
      "any other concern with no decision (warning); `no-action` without reason and "
      "decision-maker")
def concern_without_decision(ctx: RuleContext) -> Iterator[Hit]:
    """A concern that drew no recorded decision.

    - On licence or post-sentence supervision, a concern of kind `non-compliance`,
      `new-charge`, `arrest`, `whereabouts-unknown` or `victim-contact` with no `decision`
      within the policy's `decision_within_working_days` (1) of `identified` (error).
    - Any other concern with no `decision` (warning).
    - A `no-action` decision without `decision_reason` and `decided_by` (error).

    HF36 P8 asks that real and particular concerns are acted on, K25 for knowledge of the
    options for managing individuals in the community. Serious further offence reviews find
    concerns on licence that drew no decision at all; a decision to take no action is a
    decision too, and needs its reason and who took it.

    Fails: on licence, `- {id: CN2, kind: whereabouts-unknown, identified: 2026-11-02, ...}`
    with no `decision`.
    Passes: `decision: recall, decided: 2026-11-02, decided_by: {name: Alex Example, role:
    Senior Probation Officer}`.
    Fix: record the decision, when and by whom; for no action, say why.
    """
    licence = ctx.plan.sentence_type in _LICENCE
    for concern in ctx.plan.items("concern"):
        decision = concern.get("decision")
        if licence and concern.get("kind") in ENFORCEMENT_KINDS:
            late = _decided_late(ctx, concern)
            if late:
                yield Hit(concern.at("decision") if decision else concern.path,
                          f"concern {concern.id} ({concern.get('kind')}) on licence: {late}; "
                          "an enforcement concern needs a decision within "
                          f"{ctx.policy.decision_within_working_days} working day(s) "
                          "(HF36 P8, K25)", (concern.id,))
        elif not decision:
            yield Hit(concern.path, f"concern {concern.id} records no `decision` (recall, "
                                    "warning, breach, referral, review or no-action) (HF36 P8)",
                      (concern.id,), severity="warning")
        if decision == "no-action":
            missing = [k for k in ("decision_reason", "decided_by")
                       if (k == "decision_reason" and is_blank(concern.get(k)))
                       or (k == "decided_by" and not _named(concern.get(k)))]
            if missing:
                yield Hit(concern.at("decision"),
                          f"concern {concern.id}: a no-action decision without "
                          + " or ".join(f"`{k}`" for k in missing) + " (HF36 P8)",
                          (concern.id,))


def _named(value: object) -> bool:
    return isinstance(value, dict) and not is_blank(value.get("name"))


@rule(RULES, "RMP332", "recall-rejection-not-revisited", "warning", "P8, P12",
      "recall was considered and rejected, and a later enforcement concern drew no decision "
      "of its own")
def recall_rejection_not_revisited(ctx: RuleContext) -> Iterator[Hit]:
    """An option of `kind: recall` was `rejected`, and a concern of an enforcement kind
    (non-compliance, new charge, arrest, whereabouts unknown, victim contact) identified after
    that decision has no `decision` of its own.

    HF36 P12 asks for options explored, and P8 for concerns acted on. Reviews find recall
    considered, rejected, and never revisited as new concerns came in: the earlier rejection
    silently stood in for a decision nobody took.

    Fails: `- {id: OPT3, kind: recall, decision: rejected, decided: 2026-10-01, ...}` and
    `- {id: CN2, kind: arrest, identified: 2026-10-20, ...}` with no `decision`.
    Passes: CN2 with `decision: review, decided: 2026-10-20, decided_by: {...}` (or recall).
    Fix: decide on each new concern in its own right, and record the decision.
    """
    rejected = [o for o in ctx.plan.items("option")
                if o.get("kind") == "recall" and o.get("decision") == "rejected"
                and parse_date(o.get("decided")) is not None]
    if not rejected:
        return
    for concern in ctx.plan.items("concern"):
        identified = parse_date(concern.get("identified"))
        if identified is None or concern.get("decision") or \
                concern.get("kind") not in ENFORCEMENT_KINDS:
            continue
        earlier = [o.id for o in rejected if (d := parse_date(o.get("decided"))) and d < identified]
        if earlier:
            yield Hit(concern.path,
                      f"recall was rejected ({id_list(earlier)}) and concern {concern.id}, "
                      "identified later, drew no decision of its own: revisit recall "
                      "(HF36 P8, P12)", (concern.id, *earlier))


@rule(RULES, "RMP336", "easing-without-fresh-assessment", "error", "P7, P12",
      "a chosen option eases controls at high RoSH (rated or indicated) without a recent "
      "assessment or a named decision-maker")
def easing_without_fresh_assessment(ctx: RuleContext) -> Iterator[Hit]:
    """A chosen option that `eases` (removes or relaxes) controls while the overall RoSH, or
    the evidence level where higher, is at or above the policy's `easing_from` (high), without
    an `assessment` source dated within `release_assessment_days` before `options[].decided`,
    or without `decided_by`.

    HF36 P7 asks for a justified, defensible analysis and P12 for options weighed. Reviews
    find licence cases downgraded from very high, and controls lifted, on an assessment made
    long before. Easing a control at high risk is defensible when it rests on a current
    assessment and a named manager took it.

    Fails: at high RoSH, `- {id: OPT4, title: Lift the exclusion zone, decision: chosen,
    eases: [C1], decided: 2026-11-01}` and the last assessment dated 2026-03-01.
    Passes: an assessment source dated 2026-10-20 and `decided_by: {name: Alex Example, role:
    Senior Probation Officer}`.
    Fix: reassess before easing the control, cite the assessment, and record who decided.
    """
    plan = ctx.plan
    if not at_least(plan.indicated_overall_rosh, ctx.policy.easing_from):
        return
    days = ctx.policy.release_assessment_days
    assessed = [d for s in plan.items("source") if s.get("kind") == "assessment"
                and (d := parse_date(s.get("date"))) is not None]
    for option in plan.items("option"):
        if option.get("decision") != "chosen" or not option.get("eases"):
            continue
        decided = parse_date(option.get("decided"))
        missing = []
        if decided is None or not any(
                shift(decided, -days) <= d <= decided for d in assessed):
            missing.append(f"an assessment dated within {days} days before `decided` "
                           "(release_assessment_days)")
        if not _named(option.get("decided_by")):
            missing.append("`decided_by`")
        if missing:
            yield Hit(option.at("eases"),
                      f"option {option.id} eases control(s) {id_list(option.get('eases'))} "
                      f"while the {overall_phrase(ctx)}, without " + " or ".join(missing)
                      + " (HF36 P7, P12)", (option.id, *option.get("eases")))
