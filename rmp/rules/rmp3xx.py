"""RMP3xx: agreeing the plan (HF36 element 2)."""

from __future__ import annotations

from collections.abc import Iterator

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
                      f"action {action.id} has no {missing.removeprefix('an ')}"
                      if False else f"action {action.id} lacks {missing}", (action.id,))
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
