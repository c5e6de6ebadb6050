"""RMP3xx: agreeing the plan (HF36 element 2)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from rmp.model.paths import parse_date
from rmp.model.view import Item
from rmp.model.vocabulary import FREQUENCIES, GROUPS, PILLARS, Path_, at_least
from rmp.policy.model import AgencyCondition
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []

# -- helpers -----------------------------------------------------------------------------------

_VAGUE_MEASURES: frozenset[str] = frozenset({
    "monitor", "monitoring", "monitored", "to be monitored", "continue to monitor",
    "continue monitoring", "continue to work with", "continue to support", "continue",
    "ongoing", "on-going", "support", "supported", "review", "to be reviewed",
    "keep under review", "liaise", "liaison", "work with", "engage", "as required",
    "as needed",
})
"""Measures that say what someone will do, not how anyone will know it worked (RMP303)."""

_VAGUE_VERBS: frozenset[str] = frozenset({
    "monitor", "monitoring", "continue", "continuing", "ongoing", "support", "supporting",
    "review", "reviewing", "liaise", "liaising", "engage", "encourage", "discuss",
})
"""A measure of at most `_VAGUE_MEASURE_WORDS` words starting with one of these is vague."""

_VAGUE_MEASURE_WORDS = 3
_TRAILING = " \t\r\n.,;:!?-"
_WORD = re.compile(r"[\w'’-]+")


def _existing(ctx: RuleContext, path: Path_) -> Path_:
    """The longest prefix of `path` that exists in the plan (the root at worst)."""
    while path and ctx.plan.section(path) is None:
        path = path[:-1]
    return path


def _live(action: Item) -> bool:
    """Whether an action still counts as provision: cancelled actions never do."""
    return bool(action.get("status") != "cancelled")


def _is_external(control: Item) -> bool:
    """An external control: `kind: external`, or a `basis` (external only) with no kind."""
    kind = control.get("kind")
    return kind == "external" or (kind is None and control.get("basis") is not None)


def _ids(items: list[str]) -> str:
    return ", ".join(items)


def _blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


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
    ongoing, review, liaise, to be monitored...), or starts with such a verb and has at most
    three words ("monitor his drinking").

    Fails: `measure: Continue to monitor`.
    Passes: `measure: Attends 8 of 8 sessions; AUDIT score below 8`.
    Fix: write what will show the action worked: attendance, a test result, a condition kept,
    a report received by a date.
    """
    for action in ctx.plan.items("action"):
        measure = action.get("measure")
        if _blank(measure):
            yield Hit(action.at("measure") if "measure" in action.fields else action.path,
                      f"action {action.id} has no measure: HF36 P14 asks for measurable "
                      "actions", (action.id,))
            continue
        assert isinstance(measure, str)
        trimmed = " ".join(measure.casefold().split()).rstrip(_TRAILING)
        words = _WORD.findall(trimmed)
        if trimmed in _VAGUE_MEASURES or (
            words and words[0] in _VAGUE_VERBS and len(words) <= _VAGUE_MEASURE_WORDS
        ):
            yield Hit(action.at("measure"),
                      f"action {action.id}'s measure is only a vague verb phrase: say what "
                      "will show the action worked (HF36 P14, measurable actions)",
                      (action.id,))


@rule(RULES, "RMP304", "risk-factor-without-priority", "warning", "P10",
      "a risk factor has no priority (ties are allowed: OASys does not rank)")
def risk_factor_without_priority(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor with no `priority`.

    HF36 P10 asks that the factors be reviewed according to their priority in reducing the
    risk. Priority 1 is the highest; ties are allowed, since OASys itself does not rank.

    Fails: `- {id: RF3, title: Unstable accommodation, evidence: [SRC1]}`.
    Passes: the same with `priority: 2`.
    Fix: give each risk factor a priority number, 1 for the factors most linked to harm.
    """
    for factor in ctx.plan.items("risk factor"):
        if factor.get("priority") is None:
            yield Hit(factor.path, f"risk factor {factor.id} has no priority", (factor.id,))


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


@rule(RULES, "RMP307", "owner-agency-not-agreed", "warning", "P11",
      "an agency owning an action has not agreed the plan (status agreed/active); agencies "
      "absent from the meeting are common, so it asks, not fails")
def owner_agency_not_agreed(ctx: RuleContext) -> Iterator[Hit]:
    """An agency that owns an action in an agreed or active plan has no `agreed` date.

    HF36 P11 asks that the plan's objectives are agreed with the agencies involved. An agency
    asked to carry out an action it never agreed to may not know it is expected to. Agencies
    are often absent from the meeting that agrees a plan, so this is a question (a warning),
    not a failure: record the date they confirmed. Cancelled actions are not counted, and
    agencies missing from `agencies` are RMP104's.

    Fails: `plan: {status: active}`, an action owned by `police`, and
    `- {id: police, name: Example Police, role: partner}` with no `agreed`.
    Passes: `- {id: police, name: Example Police, role: partner, agreed: 2026-10-14}`.
    Fix: confirm the plan with the agency and record the date in its `agreed`.
    """
    if ctx.plan.section(("plan", "status")) not in ("agreed", "active"):
        return
    owned: dict[str, list[str]] = {}
    for action in ctx.plan.items("action"):
        owner = action.get("owner")
        agency = owner.get("agency") if isinstance(owner, dict) else None
        if isinstance(agency, str) and _live(action):
            owned.setdefault(agency, []).append(action.id)
    agencies = {item.id: item for item in ctx.plan.items("agency")}
    for agency_id, actions in owned.items():
        agency = agencies.get(agency_id)
        if agency is not None and not agency.get("agreed"):
            yield Hit(agency.path, f"agency {agency_id} owns action(s) {_ids(actions)} but has "
                                   "no `agreed` date: has it agreed the plan? (HF36 P11)",
                      (agency_id, *actions))


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
        yield Hit(_existing(ctx, ("options",)), "no options are recorded: HF36 P12 asks that "
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
    if at_least(ctx.plan.overall_rosh, ctx.policy.scenarios_from):
        types = {scenario.get("type") for scenario in scenarios}
        for wanted in ("repeat", "escalation"):
            if wanted not in types:
                yield Hit(_existing(ctx, ("scenarios",)),
                          f"overall RoSH is {ctx.plan.overall_rosh} and no `{wanted}` scenario "
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
    level = ctx.plan.overall_rosh
    if at_least(level, ctx.policy.contingency_from) and not ctx.plan.items("contingency"):
        yield Hit(_existing(ctx, ("contingency",)),
                  f"overall RoSH is {level} and no contingency is recorded: HF36 P13 asks what "
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
    level = ctx.plan.highest_current_rosh
    if not at_least(level, ctx.policy.pillars_from):
        return
    present = {action.get("pillar") for action in ctx.plan.items("action") if _live(action)}
    victims = bool(ctx.plan.items("victim"))
    wanted = [pillar for pillar in PILLARS if victims or pillar != "victim-safety"]
    for pillar in wanted:
        if pillar not in present:
            yield Hit(_existing(ctx, ("actions",)),
                      f"RoSH in the current setting is {level} and the `{pillar}` pillar has no "
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
    level = ctx.plan.highest_current_rosh
    minimum = ctx.policy.min_contact.get(level) if level else None
    if minimum not in FREQUENCIES:
        return
    supervision = [
        action for action in ctx.plan.items("action")
        if action.get("pillar") == "supervision" and _live(action)
        and action.get("frequency") in FREQUENCIES
    ]
    if not supervision:
        yield Hit(_existing(ctx, ("actions",)),
                  f"RoSH in the current setting is {level} and no supervision action has a "
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
        if action.get("specialist") is True and _live(action)
        for target in (action.get("addresses") or [])
    }
    for factor in ctx.plan.items("risk factor"):
        domain = factor.get("domain")
        if domain in domains and factor.id not in specialist:
            yield Hit(factor.path, f"risk factor {factor.id} is in the specialist domain "
                                   f"{domain} and no specialist action addresses it (HF36 P15)",
                      (factor.id,))


@rule(RULES, "RMP314", "victim-unprotected", "error", "K21",
      "a listed victim is protected by no action or control")
def victim_unprotected(ctx: RuleContext) -> Iterator[Hit]:
    """A victim (actual or potential) whose `protected_by` is empty, or names only cancelled
    actions.

    HF36 K21 asks for the analysis of actual and potential victims, and a plan exists to
    protect them. A victim the plan names and does not protect is the gap a serious case
    review finds first. IDs that name no item are RMP103's.

    Fails: `- {id: V1, description: Ex-partner, group: known_adult}` with no `protected_by`.
    Passes: the same with `protected_by: [C1, A4]` (an exclusion zone and a panic alarm).
    Fix: list the controls and actions that protect the victim; add one if none does.
    """
    for victim in ctx.plan.items("victim"):
        protected_by = victim.get("protected_by") or []
        if not protected_by:
            path = victim.at("protected_by") if "protected_by" in victim.fields else victim.path
            yield Hit(path, f"victim {victim.id} is protected by no action or control (HF36 K21)",
                      (victim.id,))
            continue
        protectors = [ctx.plan.by_id.get(ref) for ref in protected_by]
        if all(p is not None and p.kind.name == "action" and not _live(p) for p in protectors):
            yield Hit(victim.at("protected_by"),
                      f"victim {victim.id} is protected only by cancelled action(s) "
                      f"{_ids(protected_by)} (HF36 K21)", (victim.id, *protected_by))


@rule(RULES, "RMP315", "children-unsafeguarded", "error", "K22",
      "children at RoSH medium+ and no safeguarding action (a victim-safety action protecting "
      "a child victim, or addressing risk to children) — the missing agency is RMP316's")
def children_unsafeguarded(ctx: RuleContext) -> Iterator[Hit]:
    """RoSH to children in the current setting at or above the policy's
    `children_safeguarding_from` (medium by default), and no safeguarding action.

    HF36 K22 asks for the safeguarding of children. A safeguarding action here is a
    `victim-safety` action (not cancelled) that either protects a child victim (it is named
    in the `protected_by` of a victim with `group: children`), or addresses a risk factor (its
    `addresses` names a risk factor, the plan's way of tying it to the risk). A missing
    children's services agency is RMP316's finding, not this one.

    Fails: `rosh: {children: {community: medium}}` and no victim-safety action.
    Passes: `- {id: V2, group: children, protected_by: [A5]}` and
    `- {id: A5, pillar: victim-safety, title: Refer to children's services; agree contact
    arrangements, ...}`.
    Fix: add a victim-safety action for the children and list it in their `protected_by`.
    """
    level = ctx.plan.current_rosh("children")
    if not at_least(level, ctx.policy.children_safeguarding_from):
        return
    child_protectors = {
        ref
        for victim in ctx.plan.items("victim") if victim.get("group") == "children"
        for ref in (victim.get("protected_by") or [])
    }
    factors = {factor.id for factor in ctx.plan.items("risk factor")}
    for action in ctx.plan.items("action"):
        if action.get("pillar") != "victim-safety" or not _live(action):
            continue
        if action.id in child_protectors or factors & set(action.get("addresses") or []):
            return
    yield Hit(_existing(ctx, ("assessment", "rosh", "children")),
              f"RoSH to children in the current setting is {level} and no victim-safety action "
              "protects a child victim or addresses a risk factor (HF36 K22)", at_key=True)


def _requirement_applies(ctx: RuleContext, when: AgencyCondition) -> bool:
    """Whether every condition of a `required_agencies` entry holds for this plan."""
    if when.rosh_at_least is not None:
        group = when.group
        level = ctx.plan.current_rosh(group) if group else ctx.plan.highest_current_rosh
        if not at_least(level, when.rosh_at_least):
            return False
    if when.mappa_levels is not None and ctx.plan.mappa_level not in when.mappa_levels:
        return False
    return when.youth is None or ctx.plan.youth == when.youth


@rule(RULES, "RMP316", "required-agency-missing", "error", "P9, K4",
      "an agency required by policy for this case is missing")
def required_agency_missing(ctx: RuleContext) -> Iterator[Hit]:
    """An agency the policy's `required_agencies` asks for in a case like this is not in
    `agencies`.

    HF36 P9 asks that other agencies are involved where appropriate, and K4 that the author
    knows their roles. The policy lists agencies a case must include when a condition holds:
    a group's RoSH in the current setting at or above `at_least` (`group` and `at_least`),
    a MAPPA level (`mappa_level`), or a young person (`youth`, from the date of birth). All
    conditions in one `when` must hold. Built in: children's services when RoSH to children
    is medium+, police at MAPPA level 2/3, the youth justice service for a young person.

    Fails: `rosh: {children: {community: medium}}` and no agency with `id: childrens-services`.
    Passes: `- {id: childrens-services, name: Example Children's Services, role: partner}`.
    Fix: involve the agency and add it to `agencies` (with `agreed` once it has agreed the
    plan).
    """
    present = ctx.plan.agency_ids
    for requirement in ctx.policy.required_agencies:
        if not _requirement_applies(ctx, requirement.when):
            continue
        for agency in requirement.agencies:
            if agency not in present:
                yield Hit(_existing(ctx, ("agencies",)),
                          f"policy requires agency {agency} for this case and it is not in "
                          "`agencies` (HF36 P9, K4)", (agency,), at_key=True)


@rule(RULES, "RMP317", "mappa-level-unexplained", "warning", "P14",
      "MAPPA level 2/3 with RoSH below the policy's `mappa_min_rosh` and no `mappa.reason` "
      "(level 2 below high is \"exceptional\" in MAPPA Guidance)")
def mappa_level_unexplained(ctx: RuleContext) -> Iterator[Hit]:
    """Managed at a MAPPA level whose policy minimum RoSH (`mappa_min_rosh`) is above the
    overall RoSH, with no `mappa.reason`.

    HF36 P14 asks for actions commensurate with the risk. MAPPA Guidance considers level 2
    where RoSH is high or very high, and lower only exceptionally; cases are managed at the
    lowest level that gives a defensible plan. A level above what the RoSH suggests needs its
    reason written down. Built in: level 2 and level 3 expect overall RoSH high (a policy may
    set a minimum for any level it lists).

    Fails: `mappa: {category: 2, level: 2}` with overall RoSH medium and no `reason`.
    Passes: `reason: Police and children's services actions need co-ordination at a meeting`.
    Fix: record why the case needs this level, or review the level.
    """
    level = ctx.plan.mappa_level
    if level is None:
        return
    minimum = ctx.policy.mappa_min_rosh.get(level)
    if minimum is None:
        return
    overall = ctx.plan.overall_rosh
    if not at_least(overall, minimum) and _blank(
            ctx.plan.section(("assessment", "mappa", "reason"))):
        yield Hit(("assessment", "mappa"),
                  f"MAPPA level {level} with overall RoSH {overall or 'not rated'}, below the "
                  f"policy minimum {minimum}, and no `mappa.reason` (HF36 P14)", at_key=True)


def _score(value: Any) -> float | None:
    """A predictor score as a number: a number, or a string such as `4.1%`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().removesuffix("%").strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


@rule(RULES, "RMP318", "predictor-band-mismatch", "warning", "K8",
      "a predictor's stated band does not fit its score under the policy's band table")
def predictor_band_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    """A predictor whose stated `band` does not fit its `score` under the policy's
    `predictor_bands`.

    HF36 K8 asks for knowledge of the risk assessment tools. A band that does not fit the
    score is a transcription slip or an out-of-date table, and the band is what readers act
    on. Tools are matched by name, case-insensitively, to the policy's table (built in: RSR
    low [0, 3), medium [3, 6.9), high [6.9, 100)); each band is a half-open interval
    [low, high). Scores are numbers or strings such as `"4.1%"` (the `%` is ignored); a tool
    with no numeric score or no band is not checked. A stated band missing from the table is a
    finding too.

    Fails: `- {name: RSR, score: "7.2%", band: medium}`.
    Passes: `- {name: RSR, score: "7.2%", band: high}`.
    Fix: copy the band from the tool's output again, or update the policy's band table.
    """
    tables = {
        name.strip().casefold(): (name, table)
        for name, table in ctx.policy.predictor_bands.items()
    }
    for index, tool in enumerate(ctx.plan.section(("assessment", "tools")) or []):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
            continue
        found = tables.get(tool["name"].strip().casefold())
        score = _score(tool.get("score"))
        band = tool.get("band")
        if found is None or score is None or not isinstance(band, str):
            continue
        name, table = found
        path: Path_ = ("assessment", "tools", index, "band")
        bounds = table.get(band)
        if bounds is None:
            yield Hit(path, f"assessment.tools[{index}]: band {band} is not in the policy's "
                            f"{name} band table (HF36 K8)")
        elif not bounds[0] <= score < bounds[1]:
            yield Hit(path, f"assessment.tools[{index}]: the stated band {band} does not fit "
                            f"the score under the policy's {name} band table "
                            f"([{bounds[0]}, {bounds[1]}))" " (HF36 K8)")


@rule(RULES, "RMP319", "overall-rosh-mismatch", "error", "P1",
      "`overall_rosh` differs from the highest group level")
def overall_rosh_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    """`assessment.overall_rosh` is not the highest RoSH level rated for any group in any
    setting.

    HF36 P1 asks the author to review all relevant details. The overall RoSH is by definition
    the highest level across groups and settings; when the written value differs, one of the
    two is wrong, and packs, sign-off and review intervals may follow the wrong one.

    Fails: `rosh: {known_adult: {community: very-high}}` and `overall_rosh: high`.
    Passes: `overall_rosh: very-high`, or no `overall_rosh` (it is then derived).
    Fix: correct whichever is wrong, or remove `overall_rosh` and let it be derived.
    """
    written = ctx.plan.written_overall_rosh
    highest = ctx.plan.highest_rating
    if written is not None and highest is not None and written != highest:
        yield Hit(("assessment", "overall_rosh"),
                  f"overall_rosh is {written} but the highest RoSH rated for any group is "
                  f"{highest} (HF36 P1)")


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
        if status in ("blocked", "cancelled") and _blank(action.get("status_note")):
            yield Hit(action.at("status"), f"action {action.id} is {status} with no "
                                           "`status_note`: circumstances changed, or not done? "
                                           "(HF36 P17)", (action.id,))


@rule(RULES, "RMP321", "mappa-category3-level1", "error", "K15",
      "MAPPA category 3 at level 1 (category 3 exists because active multi-agency management "
      "is needed)")
def mappa_category3_level1(ctx: RuleContext) -> Iterator[Hit]:
    """MAPPA category 3 recorded at level 1.

    HF36 K15 asks for knowledge of the MAPPA arrangements. Category 3 (other dangerous
    offenders) exists for people who need active multi-agency management, so it is never
    managed at level 1: either the category or the level is wrong.

    Fails: `mappa: {category: 3, level: 1}`.
    Passes: `mappa: {category: 3, level: 2}`, or the correct category.
    Fix: correct the level (2 or 3) or the category, as the MAPPA referral decided.
    """
    mappa = ctx.plan.section(("assessment", "mappa"))
    if isinstance(mappa, dict) and mappa.get("category") == 3 and mappa.get("level") == 1:
        yield Hit(("assessment", "mappa", "level"),
                  "MAPPA category 3 is never managed at level 1 (HF36 K15)")


@rule(RULES, "RMP322", "victim-group-missing", "warning", "K21",
      "RoSH medium+ to a group in the current setting, or people named in `who_at_risk`, and no "
      "victim (actual or potential) recorded for it")
def victim_group_missing(ctx: RuleContext) -> Iterator[Hit]:
    """A group at RoSH in the current setting at or above the policy's `victim_groups_from`
    (medium by default) with no victim (actual or potential) of that group; or `who_at_risk`
    filled in and no victim at all.

    HF36 K21 asks for the analysis of actual and potential victims. A group at risk with no
    victim recorded (`potential: true` for people not yet identified, such as future
    partners) has no `protected_by` to check, so its protection goes unexamined.

    Fails: `rosh: {known_adult: {community: high}}` and no victim with `group: known_adult`.
    Passes: `- {id: V3, description: Future partners, group: known_adult, potential: true,
    protected_by: [A6]}`.
    Fix: record the actual or potential victims in that group, and what protects them.
    """
    victims = ctx.plan.items("victim")
    groups = {victim.get("group") for victim in victims}
    found = False
    for group in GROUPS:
        level = ctx.plan.current_rosh(group)
        if at_least(level, ctx.policy.victim_groups_from) and group not in groups:
            found = True
            yield Hit(_existing(ctx, ("assessment", "rosh", group)),
                      f"RoSH to {group} in the current setting is {level} and no victim (actual "
                      f"or potential) with group {group} is recorded (HF36 K21)", at_key=True)
    if not found and not victims and not _blank(ctx.plan.section(("assessment", "who_at_risk"))):
        yield Hit(("assessment", "who_at_risk"),
                  "`who_at_risk` names people at risk and no victim (actual or potential) is "
                  "recorded (HF36 K21)")


@rule(RULES, "RMP323", "domestic-abuse-checks-missing", "warning", "K9, K22",
      "a domestic-abuse case without a dated police DA call-out check and a children's "
      "services check among its sources")
def domestic_abuse_checks_missing(ctx: RuleContext) -> Iterator[Hit]:
    """An offence marked `domestic_abuse: true`, and no dated `police-check` source or no dated
    `childrens-services-check` source.

    HF36 K9 asks for knowledge of the sources of information, and K22 for the safeguarding of
    children. In domestic-abuse cases, checks of police call-out records and of children's
    services are expected before a plan is made; their absence is a recurring inspection
    finding. A check counts when it is a source of that kind with a `date`.

    Fails: `offences: [{id: OFF1, category: violence, domestic_abuse: true}]` and sources with
    no `kind: police-check`.
    Passes: `- {id: SRC2, title: Police DA call-out check, kind: police-check,
    date: 2026-08-11, reliability: reliable}` and a dated `childrens-services-check`.
    Fix: request the checks, then record each as a dated source.
    """
    abuse = [offence.id for offence in ctx.plan.items("offence")
             if offence.get("domestic_abuse") is True]
    if not abuse:
        return
    dated = {source.get("kind") for source in ctx.plan.items("source")
             if parse_date(source.get("date")) is not None}
    for kind, label in (("police-check", "police domestic abuse call-out"),
                        ("childrens-services-check", "children's services")):
        if kind not in dated:
            yield Hit(_existing(ctx, ("assessment", "sources")),
                      f"domestic-abuse offence(s) {_ids(abuse)} and no dated `{kind}` source: "
                      f"record the {label} check (HF36 K9, K22)", tuple(abuse), at_key=True)


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


@rule(RULES, "RMP325", "control-lapses", "warning", "P5, P17",
      "RoSH high+ and an external control lapses (`until`) before the next review or the "
      "sentence end")
def control_lapses(ctx: RuleContext) -> Iterator[Hit]:
    """At overall RoSH at or above the policy's `control_lapse_from` (high by default), an
    external control whose `until` is before the next review or the sentence end, whichever
    comes first.

    HF36 P5 asks for external controls, and P17 for up-to-date records. A control that lapses
    before anyone next looks at the plan leaves the plan relying on protection that is no
    longer there. The limit is the earlier of `plan.review.next` and
    `individual.sentence.sentence_end` (whichever are known).

    Fails (next review 2027-01-14): `- {id: C2, kind: external, basis: dvpo, until: 2026-12-20}`.
    Passes: `until: 2027-03-01`, or the review brought forward to before the control ends.
    Fix: apply to extend the control, put another in place, or review the plan before it ends.
    """
    if not at_least(ctx.plan.overall_rosh, ctx.policy.control_lapse_from):
        return
    limits = [
        (when, label) for when, label in (
            (parse_date(ctx.plan.section(("plan", "review", "next"))), "the next review"),
            (parse_date(ctx.plan.section(("individual", "sentence", "sentence_end"))),
             "the sentence end"),
        ) if when is not None
    ]
    if not limits:
        return
    limit, label = min(limits, key=lambda pair: pair[0])
    for control in ctx.plan.items("control"):
        until = parse_date(control.get("until"))
        if _is_external(control) and until is not None and until < limit:
            yield Hit(control.at("until"),
                      f"external control {control.id} lapses {(limit - until).days} day(s) "
                      f"before {label} (HF36 P5, P17)", (control.id,))


@rule(RULES, "RMP326", "self-signoff", "warning", "P19",
      "the sign-off is by the plan's own author")
def self_signoff(ctx: RuleContext) -> Iterator[Hit]:
    """The plan is signed off by its own author.

    HF36 P19 asks that plans follow the organisation's agreed strategy, which includes
    management oversight: sign-off is a second pair of eyes, and an author cannot be their own.
    Names are compared trimmed and case-insensitively; the names are never printed.

    Fails: `author: {name: Sam Example}` and `signoff: {name: sam example}`.
    Passes: `signoff: {name: Alex Example, role: Senior Probation Officer}`.
    Fix: have the plan signed off by a manager other than the author.
    """
    signoff = ctx.plan.section(("plan", "signoff", "name"))
    author = ctx.plan.section(("plan", "author", "name"))
    if _blank(signoff) or _blank(author):
        return
    assert isinstance(signoff, str) and isinstance(author, str)
    if " ".join(signoff.casefold().split()) == " ".join(author.casefold().split()):
        yield Hit(("plan", "signoff", "name"),
                  "the plan is signed off by its own author: HF36 P19 expects a manager's "
                  "sign-off")


@rule(RULES, "RMP327", "disclosure-or-vlo-missing", "warning", "K21, K29",
      "MAPPA level 2/3 with no disclosure decision recorded; or a victim eligible for victim "
      "contact with no victim liaison officer")
def disclosure_or_vlo_missing(ctx: RuleContext) -> Iterator[Hit]:
    """At a MAPPA level in the policy's `disclosure_mappa_levels` (2 and 3 by default), no
    `disclosures` recorded; or a victim with `vcs_eligible: true` and no `vlo: true`.

    HF36 K21 asks for attention to victims, and K29 for lawful information sharing. MAPPA
    meetings must consider disclosure to third parties at every level 2/3 case and record the
    decision, whether or not they disclose. Victims eligible for the Victim Contact Scheme get
    a victim liaison officer, who keeps them informed and brings their views to the plan.

    Fails: `mappa: {level: 2}` and no `disclosures`; or `- {id: V1, vcs_eligible: true}` with no
    `vlo`.
    Passes: `disclosures: [{id: DS1, scheme: mappa, decided: 2026-10-14, decision: not-disclose,
    by: police, reason: ...}]`; `vlo: true`.
    Fix: record the disclosure decision (including a decision not to disclose); allocate a
    victim liaison officer.
    """
    level = ctx.plan.mappa_level
    if level in ctx.policy.disclosure_mappa_levels and not ctx.plan.items("disclosure"):
        yield Hit(_existing(ctx, ("disclosures",)),
                  f"MAPPA level {level} and no disclosure decision is recorded (HF36 K21, K29)",
                  at_key=True)
    for victim in ctx.plan.items("victim"):
        if victim.get("vcs_eligible") is True and victim.get("vlo") is not True:
            path = victim.at("vlo") if "vlo" in victim.fields else victim.at("vcs_eligible")
            yield Hit(path, f"victim {victim.id} is eligible for victim contact and has no "
                            "victim liaison officer (HF36 K21)", (victim.id,))


@rule(RULES, "RMP328", "controls-not-proportionate", "info", "P14",
      "RoSH very high in the community and no external control beyond standard licence "
      "conditions (proportionality)")
def controls_not_proportionate(ctx: RuleContext) -> Iterator[Hit]:
    """RoSH in the community (or approved premises) at or above the policy's
    `proportionality_from` (very high by default) and no external control beyond standard
    licence conditions.

    HF36 P14 asks for actions commensurate with the risk. Very high RoSH means harm is
    imminent; standard licence conditions alone rarely answer that. A control counts as more
    when its `basis` is other than `licence` (an order, notification, MAPPA, a voluntary
    agreement...) or when it has electronic `monitoring`. This is information, not a fault:
    the panel may have judged more controls disproportionate, and the rationale says why.

    Fails: setting community, `rosh: {known_adult: {community: very-high}}`, and only
    `- {id: C1, kind: external, basis: licence, title: Standard licence conditions}`.
    Passes: add `monitoring: gps` to an exclusion-zone condition, or a restraining order.
    Fix: consider additional controls (exclusion zone with GPS, curfew, an order); if none is
    proportionate, say why in the rationale.
    """
    if ctx.plan.setting not in ("community", "approved-premises"):
        return
    level = ctx.plan.highest_current_rosh
    if not at_least(level, ctx.policy.proportionality_from):
        return
    for control in ctx.plan.items("control"):
        if not _is_external(control):
            continue
        basis = control.get("basis")
        if (basis is not None and basis != "licence") or control.get("monitoring"):
            return
    yield Hit(_existing(ctx, ("controls",)),
              f"RoSH in the community is {level} and no external control goes beyond standard "
              "licence conditions (an order, or electronic monitoring): consider whether more "
              "is proportionate (HF36 P14)", at_key=True)
