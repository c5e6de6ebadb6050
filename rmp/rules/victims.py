"""Victims and children (HF36 K9, K21, K22): every victim protected, children safeguarded,
each group at risk with its victims recorded, and the domestic-abuse checks done."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.paths import parse_date
from rmp.model.vocabulary import GROUPS, at_least
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
            yield Hit(nearest_existing(ctx, ("assessment", "sources")),
                      f"domestic-abuse offence(s) {id_list(abuse)} and no dated `{kind}` source: "
                      f"record the {label} check (HF36 K9, K22)", tuple(abuse), at_key=True)
