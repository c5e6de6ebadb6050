"""RMP2xx: confirming the areas of risk (HF36 element 1)."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


@rule(RULES, "RMP201", "risk-factor-without-action", "error", "P3, P14",
      "a risk factor is addressed by no action")
def risk_factor_without_action(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor that no action addresses.

    HF36 P3 asks for the actions that address each trigger of the behaviour, and P14 for
    agreed actions in line with the objectives. A risk factor with no action is a risk that the
    plan names and then leaves unmanaged: the first question a serious case review asks.

    Fails: risk factor RF2 (relationship instability) and no action with `addresses: [RF2]`.
    Passes: `- {id: A3, pillar: interventions, title: Healthy relationships programme,
    addresses: [RF2], owner: {agency: probation, role: Programme facilitator}, due: 2027-03-01}`.
    Fix: add an action (any pillar) whose `addresses` lists the risk factor's ID.
    """
    addressed = {
        target
        for action in ctx.plan.items("action")
        for target in (action.get("addresses") or [])
    }
    for factor in ctx.plan.items("risk factor"):
        if factor.id and factor.id not in addressed:
            yield Hit(factor.path, f"risk factor {factor.id} is addressed by no action",
                      (factor.id,))


@rule(RULES, "RMP202", "risk-factor-without-evidence", "error", "P1, K11",
      "a risk factor cites no evidence")
def risk_factor_without_evidence(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor that cites no source as evidence.

    HF36 P1 asks the author to review all relevant details, and K11 to distinguish observed
    evidence, reliable sources and hearsay. A risk factor without evidence cannot be defended
    or checked.

    Fails: `- {id: RF1, title: Alcohol misuse linked to violence, priority: 1}`.
    Passes: the same with `evidence: [SRC1, SRC2]`, both listed in `assessment.sources`.
    Fix: list the sources (assessment, records, checks) the risk factor rests on.
    """
    for factor in ctx.plan.items("risk factor"):
        if not factor.get("evidence"):
            yield Hit(factor.path, f"risk factor {factor.id} cites no evidence", (factor.id,))


@rule(RULES, "RMP206", "protective-factor-without-action", "error", "P6",
      "a protective factor to be strengthened has no action")
def protective_factor_without_action(ctx: RuleContext) -> Iterator[Hit]:
    """A protective factor marked `strengthen: true` that no action addresses.

    HF36 P6 asks which protective factors are to be strengthened; saying so without an action
    that does it is an intention, not a plan.

    Fails: `- {id: PF1, title: Stable employment, strengthen: true}` and no action addressing PF1.
    Passes: an action with `addresses: [PF1]`, e.g. employment support owned by a named agency.
    Fix: add the action, or set `strengthen: false` if the factor is only recorded.
    """
    addressed = {
        target
        for action in ctx.plan.items("action")
        for target in (action.get("addresses") or [])
    }
    for factor in ctx.plan.items("protective factor"):
        if factor.get("strengthen") is True and factor.id not in addressed:
            yield Hit(factor.path, f"protective factor {factor.id} is to be strengthened but no "
                                   "action addresses it", (factor.id,))
