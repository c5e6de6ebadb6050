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
