"""Small readings of a plan that rules in several families share (text helpers are in
`rules/text.py`; derived facts such as the overall RoSH are PlanView's)."""

from __future__ import annotations

from rmp.model.view import Item
from rmp.model.vocabulary import Path_
from rmp.rules.registry import RuleContext


def nearest_existing(ctx: RuleContext, path: Path_) -> Path_:
    """The longest prefix of `path` that exists in the plan (the root at worst): where a
    finding about something missing is reported."""
    while path and ctx.plan.section(path) is None:
        path = path[:-1]
    return path


def is_live(action: Item) -> bool:
    """Whether an action still counts as provision: cancelled actions never do."""
    return bool(action.get("status") != "cancelled")


def is_external(control: Item) -> bool:
    """An external control: `kind: external`, or a `basis` (external only) with no kind."""
    kind = control.get("kind")
    return kind == "external" or (kind is None and control.get("basis") is not None)


def id_list(ids: list[str]) -> str:
    """IDs as a message lists them: `A1, A2`."""
    return ", ".join(ids)


def is_blank(value: object) -> bool:
    """Not a string, or only whitespace."""
    return not isinstance(value, str) or not value.strip()


def overall_phrase(ctx: RuleContext) -> str:
    """`overall RoSH is high`, or, where the evidence indicates more than the rating,
    `overall RoSH is medium and the evidence indicates high`: how a rule that reads the higher
    of the two says which it read."""
    rated, indicated = ctx.plan.overall_rosh, ctx.plan.indicated_overall_rosh
    if indicated == rated:
        return f"overall RoSH is {rated or 'not rated'}"
    return f"overall RoSH is {rated or 'not rated'} and the evidence indicates {indicated}"


def current_phrase(ctx: RuleContext, group: str | None = None) -> str:
    """As `overall_phrase`, for one group's current RoSH (or the highest of any group)."""
    plan = ctx.plan
    if group is None:
        rated, indicated = plan.highest_current_rosh, plan.indicated_current_rosh
        subject = "RoSH in the current setting"
    else:
        rated, indicated = plan.current_rosh(group), plan.indicated_rosh(group)
        subject = f"RoSH to {group} in the current setting"
    if indicated == rated:
        return f"{subject} is {rated or 'not rated'}"
    return f"{subject} is {rated or 'not rated'} and the evidence indicates {indicated}"
