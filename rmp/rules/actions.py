"""Agreeing the plan (HF36 element 2): actions with owners, dates and measures; objectives,
options, scenarios and contingency; pillars, contact and specialist help commensurate with the
risk."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.vocabulary import FREQUENCIES, PILLARS, at_least
from rmp.rules import text
from rmp.rules.common import current_phrase, is_blank, is_live, nearest_existing, overall_phrase
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []




@rule(RULES, "RMP301", "action-without-owner", "error", "P14",
      "an action has no owner agency and role")
def action_without_owner(ctx: RuleContext) -> Iterator[Hit]:
    """An action with no owner agency, or no owner role.

    HF36 P14 asks for actions that are achievable and realistic; MARAC and MAPPA practice is
    that every action is owned by an agency, which reports on it before the next meeting. An
    action without an owner is nobody's job.

    Fails: `- {id: A4, title: Fit a panic alarm at V1's home, due: 2026-12-01}`.
    Passes: the same with `owner: {agency: police, role: DA safeguarding officer}`.
    Fix: name the agency (an ID from `agencies`) and the role responsible; a person's name is
    optional.
    """
    for action in ctx.plan.items("action"):
        owner = action.get("owner")
        if not isinstance(owner, dict) or not owner.get("agency"):
            missing = "an owner agency" if isinstance(owner, dict) else "an owner"
            if isinstance(owner, dict) and not owner.get("role"):
                missing = "an owner agency and role"
            yield Hit(action.at("owner") if isinstance(owner, dict) else action.path,
                      f"action {action.id} lacks {missing}", (action.id,))
        elif not owner.get("role"):
            yield Hit(action.at("owner"), f"action {action.id} lacks an owner role",
                      (action.id,))


@rule(RULES, "RMP302", "action-without-date", "error", "P14",
      "an action has neither a due date nor a frequency")
def action_without_date(ctx: RuleContext) -> Iterator[Hit]:
    """An action with neither a `due` date nor a `frequency`.

    HF36 P14 asks for measurable actions; an action with no date or rhythm cannot be found
    overdue, so nobody will notice when it is not done.

    Fails: `- {id: A2, pillar: supervision, title: Supervision, owner: {...}}`.
    Passes: `frequency: weekly` (a recurring action) or `due: 2027-01-31` (a one-off), or both.
    Fix: add the due date agreed with the owner, or the frequency of a recurring action.
    """
    for action in ctx.plan.items("action"):
        if not action.get("due") and not action.get("frequency"):
            yield Hit(action.path, f"action {action.id} has neither a due date nor a frequency",
                      (action.id,))


@rule(RULES, "RMP303", "vague-measure", "warning", "P14",
      "an action has no `measure`, or its measure is only a vague verb (\"monitor\", "
      "\"continue to work with\", \"support\"); titles are not judged")
def vague_measure(ctx: RuleContext) -> Iterator[Hit]:
    """An action with no `measure`, or a measure that is only a vague verb phrase.

    HF36 P14 asks for actions that are measurable. "Monitor", "support" or "continue to work
    with" say what someone will do, not how anyone will know it worked, so a review cannot
    tell whether the action did its job. The measure is judged, never the title: a title may
    be short. A measure is vague when, lower-cased and without trailing punctuation, it is one
    of a short built-in list (monitor, continue to monitor, continue to work with, support,
    ongoing, review, liaise, to be monitored...), or starts with such a verb (monitor,
    support, review, liaise, consider...) and has at most `vague_measure_max_words` words
    (policy, default 3: "monitor his drinking"). RMP330 applies the same test to
    `contingency[].then`.

    Fails: `measure: Continue to monitor`.
    Passes: `measure: Attends 8 of 8 sessions; AUDIT score below 8`.
    Fix: write what will show the action worked: attendance, a test result, a condition kept,
    a report received by a date.
    """
    for action in ctx.plan.items("action"):
        measure = action.get("measure")
        if is_blank(measure):
            yield Hit(action.at("measure") if "measure" in action.fields else action.path,
                      f"action {action.id} has no measure: HF36 P14 asks for measurable "
                      "actions", (action.id,))
            continue
        assert isinstance(measure, str)
        if text.is_vague(measure, ctx.policy.vague_measure_max_words):
            yield Hit(action.at("measure"),
                      f"action {action.id}'s measure is only a vague verb phrase: say what "
                      "will show the action worked (HF36 P14, measurable actions)",
                      (action.id,))


@rule(RULES, "RMP305", "objective-not-linked", "warning", "P4, P11",
      "an objective addresses no risk factor, or a priority-1 risk factor has no objective")
def objective_not_linked(ctx: RuleContext) -> Iterator[Hit]:
    """An objective that addresses no risk factor, or a priority-1 risk factor that no
    objective addresses.

    HF36 P11 asks for objectives agreed with the individual and the agencies, and P4 that the
    individual's view of the risk factors is taken into account. An objective tied to no risk
    factor is not aimed at the risk (Kemshall: a defensible plan targets a specific risk); a
    top-priority risk factor with no objective has nothing the plan is working towards. Any
    ID in an objective's `addresses` counts here (an ID naming no risk factor is RMP103's).

    Fails: `- {id: OBJ1, title: Abstain from alcohol, agreed_by: [individual]}` (no
    `addresses`); or risk factor RF1 with `priority: 1` and no objective listing RF1.
    Passes: `- {id: OBJ1, title: Abstain from alcohol, addresses: [RF1], agreed_by: [individual]}`.
    Fix: list the risk factors each objective works on in its `addresses`, and give every
    priority-1 risk factor at least one objective.
    """
    covered: set[str] = set()
    for objective in ctx.plan.items("objective"):
        addresses = objective.get("addresses") or []
        covered.update(addresses)
        if not addresses:
            path = objective.at("addresses") if "addresses" in objective.fields else objective.path
            yield Hit(path, f"objective {objective.id} addresses no risk factor: HF36 P11 asks "
                            "for objectives aimed at the risk", (objective.id,))
    for factor in ctx.plan.items("risk factor"):
        if factor.get("priority") == 1 and factor.id and factor.id not in covered:
            yield Hit(factor.path, f"risk factor {factor.id} has priority 1 but no objective "
                                   "addresses it", (factor.id,))


@rule(RULES, "RMP306", "objective-not-agreed", "warning", "P4, P11",
      "an objective was not agreed with the individual or with any agency")
def objective_not_agreed(ctx: RuleContext) -> Iterator[Hit]:
    """An objective with no `agreed_by`: agreed neither with the individual nor with any agency.

    HF36 P11 asks that objectives be agreed with the individual and the agencies involved, and
    P4 that the individual's views are taken into account. An objective nobody has agreed is
    the author's wish, not the plan's.

    Fails: `- {id: OBJ1, title: Abstain from alcohol, addresses: [RF1]}`.
    Passes: the same with `agreed_by: [individual, probation]`.
    Fix: record who agreed the objective: `individual` and the IDs of the agencies; if the
    person did not agree, say so in `individual.view` and record the agencies that did.
    """
    for objective in ctx.plan.items("objective"):
        if not objective.get("agreed_by"):
            path = objective.at("agreed_by") if "agreed_by" in objective.fields else objective.path
            yield Hit(path, f"objective {objective.id} is not recorded as agreed with the "
                            "individual or any agency (HF36 P11)", (objective.id,))


@rule(RULES, "RMP308", "no-rejected-option", "info", "P12",
      "no options recorded, or none rejected (alternatives not shown)")
def no_rejected_option(ctx: RuleContext) -> Iterator[Hit]:
    """No `options` recorded, or none of them rejected.

    HF36 P12 asks that alternative options are considered; a defensible decision (Kemshall)
    shows the options weighed and why some were turned down. A plan listing only what was
    chosen does not show that alternatives were considered.

    Fails: no `options`, or only `- {id: OPT1, title: Community alcohol treatment,
    decision: chosen, reason: ...}`.
    Passes: add `- {id: OPT2, title: Residential alcohol treatment, decision: rejected,
    reason: Would end his employment (PF1)}`.
    Fix: record the options considered and, for those not taken, why.
    """
    options = ctx.plan.items("option")
    if not options:
        yield Hit(nearest_existing(ctx, ("options",)), "no options are recorded: HF36 P12 asks that "
                                                "alternative options are considered",
                  at_key=True)
    elif not any(option.get("decision") == "rejected" for option in options):
        yield Hit(("options",), "no option is recorded as rejected: show the alternatives "
                                "considered and why they were not taken (HF36 P12)",
                  tuple(option.id for option in options), at_key=True)


@rule(RULES, "RMP309", "scenarios-incomplete", "warning", "P13",
      "RoSH high+ without both a repeat and an escalation scenario (improvement does not "
      "count); or a scenario with no response")
def scenarios_incomplete(ctx: RuleContext) -> Iterator[Hit]:
    """At overall RoSH at or above the policy's `scenarios_from` (high by default), no
    `repeat` or no `escalation` scenario; at any level, a scenario with no `response`.

    HF36 P13 asks for contingency planning. Structured judgement (HCR-20 V3, MAPPA scenario
    planning) imagines plausible futures: a repeat of past harm, and an escalation to the
    worst realistic case. At high RoSH both must be thought through; an improvement scenario
    does not replace them. A scenario with no response names a future and leaves it unplanned.

    Fails: overall RoSH high and only `- {id: SC1, type: repeat, ..., response: [CT1]}`.
    Passes: add `- {id: SC2, type: escalation, description: ..., response: [CT1, A3]}`.
    Fix: write the missing scenario type, and list in `response` the contingency or action IDs
    that answer each scenario.
    """
    scenarios = ctx.plan.items("scenario")
    if at_least(ctx.plan.indicated_overall_rosh, ctx.policy.scenarios_from):
        types = {scenario.get("type") for scenario in scenarios}
        for wanted in ("repeat", "escalation"):
            if wanted not in types:
                yield Hit(nearest_existing(ctx, ("scenarios",)),
                          f"{overall_phrase(ctx)} and no `{wanted}` scenario "
                          "is recorded (HF36 P13)", at_key=True)
    for scenario in scenarios:
        if not scenario.get("response"):
            path = scenario.at("response") if "response" in scenario.fields else scenario.path
            yield Hit(path, f"scenario {scenario.id} has no response: list the contingency or "
                            "action IDs that answer it (HF36 P13)", (scenario.id,))


@rule(RULES, "RMP310", "no-contingency", "error", "P13",
      "RoSH medium+ and no contingency")
def no_contingency(ctx: RuleContext) -> Iterator[Hit]:
    """Overall RoSH at or above the policy's `contingency_from` (medium by default) and no
    `contingency` item.

    HF36 P13 asks for contingency planning, and MAPPA guidance (RM34 in OASys) asks what will
    be done, by whom and how fast if warning signs appear or the plan fails. Without it a
    lapse found on a Friday evening waits for the next supervision session.

    Fails: overall RoSH medium and no `contingency` list.
    Passes: `contingency: [{id: CT1, when: Contact with V1 reported, then: Same-day home visit;
    inform police, owner: {agency: probation, role: Probation Practitioner}, within_hours: 24}]`.
    Fix: add what happens, who acts and how fast, for each warning sign or failure of the plan.
    """
    level = ctx.plan.indicated_overall_rosh
    if at_least(level, ctx.policy.contingency_from) and not ctx.plan.items("contingency"):
        yield Hit(nearest_existing(ctx, ("contingency",)),
                  f"{overall_phrase(ctx)} and no contingency is recorded: HF36 P13 asks what "
                  "is done, by whom and how fast if the plan fails", at_key=True)


@rule(RULES, "RMP311", "pillar-missing", "warning", "P14",
      "RoSH high+ in the current setting and a pillar without an action (victim safety only if "
      "victims are listed)")
def pillar_missing(ctx: RuleContext) -> Iterator[Hit]:
    """RoSH in the current setting at or above the policy's `pillars_from` (high by default),
    and one of the four pillars has no action.

    HF36 P14 asks for actions commensurate with the risk. MAPPA Guidance and OASys (RM30-RM33)
    build a plan on four pillars: supervision, monitoring and control, interventions and
    treatment, and victim safety planning. At high RoSH each should hold at least one action;
    victim safety is required only when `victims` lists someone. Cancelled actions do not count.
    The RoSH read is the one for the person's current setting (community ratings in the
    community or approved premises, custody ratings in custody).

    Fails: current RoSH high and no action with `pillar: monitoring-control`.
    Passes: `- {id: A5, pillar: monitoring-control, title: Police home visits, ...}`.
    Fix: add an action in the missing pillar, or record in the rationale why it cannot apply.
    """
    level = ctx.plan.indicated_current_rosh
    if not at_least(level, ctx.policy.pillars_from):
        return
    present = {action.get("pillar") for action in ctx.plan.items("action") if is_live(action)}
    victims = bool(ctx.plan.items("victim"))
    wanted = [pillar for pillar in PILLARS if victims or pillar != "victim-safety"]
    for pillar in wanted:
        if pillar not in present:
            yield Hit(nearest_existing(ctx, ("actions",)),
                      f"{current_phrase(ctx)} and the `{pillar}` pillar has no "
                      "action (HF36 P14: actions commensurate with the risk)", at_key=True)


@rule(RULES, "RMP312", "supervision-too-infrequent", "warning", "P14",
      "supervision contact less frequent than the policy minimum for the RoSH level in the "
      "current setting")
def supervision_too_infrequent(ctx: RuleContext) -> Iterator[Hit]:
    """Supervision contact less frequent than the policy's `min_contact` for the RoSH level in
    the current setting, or no supervision action with a frequency at all.

    HF36 P14 asks for actions commensurate with the risk; contact is the first lever. The
    policy's `min_contact` maps a RoSH level to the least frequent contact allowed (built-in:
    very-high weekly, high fortnightly; levels not listed have no minimum). The most frequent
    `supervision` action (not cancelled) is compared with it, in the order daily, twice-weekly,
    weekly, fortnightly, monthly, quarterly.

    Fails: current RoSH very-high and the only supervision action has `frequency: fortnightly`.
    Passes: `frequency: weekly` (or more often).
    Fix: raise the contact frequency, or record the agreed exception as a waiver with a reason.
    """
    level = ctx.plan.indicated_current_rosh
    minimum = ctx.policy.min_contact.get(level) if level else None
    if minimum not in FREQUENCIES:
        return
    supervision = [
        action for action in ctx.plan.items("action")
        if action.get("pillar") == "supervision" and is_live(action)
        and action.get("frequency") in FREQUENCIES
    ]
    if not supervision:
        yield Hit(nearest_existing(ctx, ("actions",)),
                  f"{current_phrase(ctx)} and no supervision action has a "
                  f"frequency: policy minimum contact is {minimum} (HF36 P14)", at_key=True)
        return
    best = min(supervision, key=lambda action: FREQUENCIES.index(action.get("frequency")))
    frequency = best.get("frequency")
    if FREQUENCIES.index(frequency) > FREQUENCIES.index(minimum):
        yield Hit(best.at("frequency"),
                  f"the most frequent supervision action {best.id} is {frequency}; policy "
                  f"minimum contact at RoSH {level} in the current setting is {minimum} "
                  "(HF36 P14)", (best.id,))


@rule(RULES, "RMP313", "specialist-action-missing", "warning", "P15",
      "a risk factor in a specialist domain has no specialist action")
def specialist_action_missing(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor in one of the policy's `specialist_domains` that no specialist action
    addresses.

    HF36 P15 asks that specialist assistance is sought where needed. Sexual interest, mental
    health and extremism (the built-in list) need assessment and treatment a generic
    supervisor cannot give. Cancelled actions do not count.

    Fails: `- {id: RF3, title: ..., domain: mental-health}` and no action with
    `addresses: [RF3]` and `specialist: true`.
    Passes: `- {id: A6, pillar: interventions, title: Community mental health team assessment,
    addresses: [RF3], specialist: true, ...}`.
    Fix: add the specialist action (mark it `specialist: true`), or record why none is
    available.
    """
    domains = ctx.policy.specialist_domains
    specialist = {
        target
        for action in ctx.plan.items("action")
        if action.get("specialist") is True and is_live(action)
        for target in (action.get("addresses") or [])
    }
    for factor in ctx.plan.items("risk factor"):
        domain = factor.get("domain")
        if domain in domains and factor.id not in specialist:
            yield Hit(factor.path, f"risk factor {factor.id} is in the specialist domain "
                                   f"{domain} and no specialist action addresses it (HF36 P15)",
                      (factor.id,))
