"""Victims and children (HF36 K9, K21, K22): every victim protected, children safeguarded,
each group at risk with its victims recorded, and the domestic-abuse checks done."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.paths import parse_date
from rmp.model.vocabulary import ANSWERED_RESULTS, GROUPS, at_least
from rmp.rules.common import current_phrase, id_list, is_blank, is_live, nearest_existing
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


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
        if all(p is not None and p.kind.name == "action" and not is_live(p) for p in protectors):
            yield Hit(victim.at("protected_by"),
                      f"victim {victim.id} is protected only by cancelled action(s) "
                      f"{id_list(protected_by)} (HF36 K21)", (victim.id, *protected_by))


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
    level = ctx.plan.indicated_rosh("children")
    if not at_least(level, ctx.policy.children_safeguarding_from):
        return
    child_protectors = {
        ref
        for victim in ctx.plan.items("victim") if victim.get("group") == "children"
        for ref in (victim.get("protected_by") or [])
    }
    factors = {factor.id for factor in ctx.plan.items("risk factor")}
    for action in ctx.plan.items("action"):
        if action.get("pillar") != "victim-safety" or not is_live(action):
            continue
        if action.id in child_protectors or factors & set(action.get("addresses") or []):
            return
    yield Hit(nearest_existing(ctx, ("assessment", "rosh", "children")),
              f"{current_phrase(ctx, 'children')} and no victim-safety action "
              "protects a child victim or addresses a risk factor (HF36 K22)", at_key=True)


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
        level = ctx.plan.indicated_rosh(group)
        if at_least(level, ctx.policy.victim_groups_from) and group not in groups:
            found = True
            yield Hit(nearest_existing(ctx, ("assessment", "rosh", group)),
                      f"{current_phrase(ctx, group)} and no victim (actual "
                      f"or potential) with group {group} is recorded (HF36 K21)", at_key=True)
    if not found and not victims and not is_blank(ctx.plan.section(("assessment", "who_at_risk"))):
        yield Hit(("assessment", "who_at_risk"),
                  "`who_at_risk` names people at risk and no victim (actual or potential) is "
                  "recorded (HF36 K21)")


_CHECKS = (("police-check", "police domestic abuse call-out"),
           ("childrens-services-check", "children's services"))

_HOUSEHOLD_AT_RISK = frozenset({"partner", "child", "other-child"})
"""Household members a residence decision puts at risk: partners and children."""


def _household_at_risk(ctx: RuleContext) -> bool:
    household = ctx.plan.section(("individual", "household"))
    return isinstance(household, list) and any(
        isinstance(member, dict) and member.get("relation") in _HOUSEHOLD_AT_RISK
        for member in household)


@rule(RULES, "RMP323", "safeguarding-checks-missing", "warning", "K9, K22",
      "a plan in the community without a police check and a children's services check with a "
      "result, within the evidence age (error where the household has a partner or children, "
      "or domestic abuse is indicated)")
def safeguarding_checks_missing(ctx: RuleContext) -> Iterator[Hit]:
    """A plan for someone in the community or approved premises (or in custody near release)
    without a `police-check` source and a `childrens-services-check` source, each with a
    `result` of `no-trace` or `information-held` and dated within the policy's
    `evidence_max_age_days`.

    HF36 K9 asks for knowledge of the sources of information, and K22 for the safeguarding of
    children. A police domestic abuse call-out check and a children's services check before a
    community plan are what serious case reviews most often find missing; without them the
    plan cannot know who is at risk at the address. It is a warning in general, and an error
    where the household has a partner or children, or domestic abuse is indicated (an offence
    with `domestic_abuse: true`, or information held showing it). A `pending` or
    `not-requested` check has not answered yet.

    Fails: setting community, `household: [{relation: partner}, {relation: other-child,
    age: 4}]`, and no `kind: police-check` source.
    Passes: `- {id: SRC2, title: Police DA call-out check, kind: police-check, date:
    2026-08-11, reliability: reliable, result: no-trace}` and a children's services check
    with its result.
    Fix: request the checks, then record each as a dated source with what it returned.
    """
    plan = ctx.plan
    if plan.setting not in ("community", "approved-premises") and not plan.near_release:
        return
    limit = ctx.policy.evidence_max_age_days
    current = {
        source.get("kind") for source in plan.items("source")
        if source.id and source.get("result") in ANSWERED_RESULTS
        and (dated := parse_date(source.get("date"))) is not None
        and (ctx.today - dated).days <= limit
    }
    raised = _household_at_risk(ctx) or plan.da_indicated
    why = ("; the household has a partner or children, or domestic abuse is indicated"
           if raised else "")
    for kind, label in _CHECKS:
        if kind not in current:
            yield Hit(nearest_existing(ctx, ("assessment", "sources")),
                      f"no {label} check (`{kind}` source with a result of no-trace or "
                      f"information-held, dated within evidence_max_age_days, {limit}){why}: "
                      "request it and record what it returned (HF36 K9, K22)",
                      (kind,), at_key=True, severity="error" if raised else None)


@rule(RULES, "RMP329", "household-unchecked", "error", "K21, K22",
      "a residence or curfew control and no household recorded, or a partner or children "
      "there and no home visit or partner contact before the plan was agreed")
def household_unchecked(ctx: RuleContext) -> Iterator[Hit]:
    """A control with `residence: true` or `monitoring: curfew`, and either no
    `individual.household` recorded, or a household with a partner or a child and no
    `household_checked` by `home-visit` or `partner-contact` dated on or before the plan was
    agreed (today for a plan not yet agreed).

    HF36 K21 and K22 ask for the protection of potential victims and the safeguarding of
    children. A curfew or residence address where a partner and children live, agreed without
    a home visit or speaking to the partner, places the person at the door of those most at
    risk; reviews of serious further offences name it repeatedly. `household: []` records
    that the person lives alone.

    Fails: `- {id: C2, kind: external, basis: community-order, monitoring: curfew, ...}`,
    `household: [{relation: partner}, {relation: other-child, age: 6}]` and no
    `household_checked`, or one by `police-check`.
    Passes: `household_checked: {date: 2026-10-10, how: home-visit}` with `plan.agreed:
    2026-10-14`.
    Fix: record who lives at the address; visit the home or speak to the partner before the
    curfew or residence is agreed, and record the date and how.
    """
    plan = ctx.plan
    controls = [c for c in plan.items("control")
                if c.get("residence") is True or c.get("monitoring") == "curfew"]
    if not controls:
        return
    ids = tuple(c.id for c in controls)
    household = plan.section(("individual", "household"))
    if not isinstance(household, list):
        yield Hit(("individual",),
                  f"control(s) {id_list(list(ids))} fix where the person lives and no "
                  "`household` is recorded: record who lives at the address (`[]` if nobody) "
                  "(HF36 K21, K22)", ids, at_key=True)
        return
    if not _household_at_risk(ctx):
        return
    checked = plan.section(("individual", "household_checked"))
    by = checked.get("how") if isinstance(checked, dict) else None
    when = parse_date(checked.get("date")) if isinstance(checked, dict) else None
    deadline = parse_date(plan.section(("plan", "agreed"))) or ctx.today
    if by in ("home-visit", "partner-contact") and when is not None and when <= deadline:
        return
    yield Hit(("individual", "household_checked") if isinstance(checked, dict)
              else ("individual", "household"),
              f"control(s) {id_list(list(ids))} fix where the person lives, the household has a "
              "partner or children, and no home visit or partner contact dated on or before "
              "the plan was agreed is recorded (`household_checked`) (HF36 K21, K22)",
              ids, at_key=not isinstance(checked, dict))
