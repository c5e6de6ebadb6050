"""Controls (HF36 P5, P14): internal and external controls, whether they last, and whether they
are proportionate to the risk."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.paths import parse_date
from rmp.model.vocabulary import Path_, at_least
from rmp.rules.common import current_phrase, is_external, nearest_existing, overall_phrase
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


@rule(RULES, "RMP207", "missing-controls", "warning", "P5",
      "no controls; or RoSH high+ with no external control")
def missing_controls(ctx: RuleContext) -> Iterator[Hit]:
    """The plan lists no controls, or the RoSH is at or above the policy's
    `external_control_from` (high by default) and no control is external.

    HF36 P5 asks which internal and external controls will manage the risk. A plan without
    controls relies on interventions alone; at high RoSH, where harm could happen at any time,
    an external control (licence condition, order, notification, electronic monitoring) is
    what lets agencies act before harm. The overall RoSH decides (the highest current RoSH,
    or `overall_rosh` when written higher), or the evidence level where that is higher.

    Fails: no `controls`; or RoSH high to a known adult and only
    `- {id: C2, kind: internal, title: Uses a time-out plan when angry}`.
    Passes: `- {id: C1, kind: external, basis: licence, title: No contact with V1,
    enforced_by: probation, on_breach: recall}`.
    Fix: record the controls in force, external and internal; if none is possible at high
    RoSH, say why in the rationale and waive the finding for this plan.
    """
    plan = ctx.plan
    controls = plan.items("control")
    level = plan.indicated_overall_rosh
    high = at_least(level, ctx.policy.external_control_from)
    if not controls:
        path: Path_ = ("controls",) if "controls" in plan.data else ()
        extra = f" although the {overall_phrase(ctx)}" if high else ""
        yield Hit(path, f"the plan lists no controls{extra}; HF36 P5 asks which internal "
                        "and external controls manage the risk")
    elif high and not any(c.get("kind") == "external" for c in controls):
        yield Hit(("controls",), f"the {overall_phrase(ctx)} and no control is external "
                                 "(licence, order, notification or monitoring)",
                  tuple(c.id for c in controls if c.id))


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
    if not at_least(ctx.plan.indicated_overall_rosh, ctx.policy.control_lapse_from):
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
        if is_external(control) and until is not None and until < limit:
            yield Hit(control.at("until"),
                      f"external control {control.id} lapses {(limit - until).days} day(s) "
                      f"before {label} (HF36 P5, P17)", (control.id,))


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
    level = ctx.plan.indicated_current_rosh
    if not at_least(level, ctx.policy.proportionality_from):
        return
    for control in ctx.plan.items("control"):
        if not is_external(control):
            continue
        basis = control.get("basis")
        if (basis is not None and basis != "licence") or control.get("monitoring"):
            return
    yield Hit(nearest_existing(ctx, ("controls",)),
              f"{current_phrase(ctx)} and no external control goes beyond standard "
              "licence conditions (an order, or electronic monitoring): consider whether more "
              "is proportionate (HF36 P14)", at_key=True)


@rule(RULES, "RMP334", "licence-conditions-standard-only", "warning", "P5, K25",
      "on licence with RoSH high+ (rated or indicated), domestic abuse indicated or a "
      "known-adult victim, and no additional licence condition")
def licence_conditions_standard_only(ctx: RuleContext) -> Iterator[Hit]:
    """On licence, with the overall RoSH (or the evidence level where higher) at or above the
    policy's `external_control_from` (high), domestic abuse indicated, or a victim in the
    known-adult group, and no control with `basis: licence` and `additional: true`.

    HF36 P5 asks for the external controls that will manage the risk, and K25 for knowledge of
    the options for managing individuals in the community. Reviews find only the standard
    licence conditions set for a high risk of harm to a partner: no exclusion zone, no
    non-contact condition, nothing a breach could be measured against. Other orders (a
    restraining order) do not stand in for licence conditions, since only a licence condition
    can lead to recall.

    Fails: `sentence: {type: licence}`, `- {id: V1, group: known_adult, ...}`, and only
    `- {id: C1, kind: external, basis: licence, title: Standard licence conditions}`.
    Passes: `- {id: C2, kind: external, basis: licence, additional: true, title: No contact
    with V1; exclusion zone, enforced_by: probation, on_breach: recall}`.
    Fix: ask for additional licence conditions that answer the risk (non-contact, exclusion
    zone, residence, curfew, disclosure of relationships), and mark them `additional: true`.
    """
    plan = ctx.plan
    if plan.sentence_type != "licence":
        return
    why = []
    if at_least(plan.indicated_overall_rosh, ctx.policy.external_control_from):
        why.append(f"the {overall_phrase(ctx)}")
    if plan.da_indicated:
        why.append("domestic abuse is indicated")
    known = [v.id for v in plan.items("victim") if v.get("group") == "known_adult"]
    if known:
        why.append(f"victim(s) {', '.join(known)} are known adults")
    if not why:
        return
    if any(c.get("basis") == "licence" and c.get("additional") is True
           for c in plan.items("control")):
        return
    yield Hit(nearest_existing(ctx, ("controls",)),
              f"on licence, {'; '.join(why)}, and no additional licence condition (`basis: "
              "licence`, `additional: true`) is recorded (HF36 P5, K25)", tuple(known),
              at_key=True)
