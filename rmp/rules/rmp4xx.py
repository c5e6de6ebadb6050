"""RMP4xx: records up to date (HF36 P17)."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.plan import parse_date
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []

_LIVE = ("agreed", "active")


@rule(RULES, "RMP401", "review-overdue", "error", "P17", "the next review date has passed")
def review_overdue(ctx: RuleContext) -> Iterator[Hit]:
    """The plan's next review date has passed, or an agreed or active plan has none.

    HF36 P17 asks for up-to-date records. A plan past its review date may no longer fit the
    person's circumstances; a panel relying on it is relying on old information. Closed plans
    are not checked; drafts are checked only when they carry a date.

    Fails (today 2026-11-27): `review: {next: 2026-11-20}`.
    Passes: `review: {next: 2026-12-09}`, or the plan reviewed and the date moved on.
    Fix: hold the review and record it in `reviews`, then set `review.last` and `review.next`.
    """
    plan = ctx.plan
    status = plan.section(("plan", "status"))
    if status == "closed":
        return
    raw = plan.section(("plan", "review", "next"))
    when = parse_date(raw)
    if when is None:
        if raw is None and status in _LIVE:
            yield Hit(("plan", "review"), f"the plan is {status} but has no next review date")
        return
    if when < ctx.today:
        days = (ctx.today - when).days
        yield Hit(("plan", "review", "next"),
                  f"the next review was due {days} day(s) ago")


@rule(RULES, "RMP403", "action-overdue", "warning", "P14, P17",
      "an action is past its due date and not done or cancelled")
def action_overdue(ctx: RuleContext) -> Iterator[Hit]:
    """An action whose due date has passed while it is not `done` or `cancelled`.

    HF36 P14 and P17: an overdue action is either late (chase the owner agency) or finished
    and not recorded. Either way the record is not up to date. Closed plans are not checked.

    Fails (today 2026-11-27): `due: 2026-11-01, status: in-progress`.
    Passes: `status: done`, or a new agreed `due` date with a `status_note` saying why.
    Fix: update the status, or agree a new date with the owner and record why it moved.
    """
    if ctx.plan.section(("plan", "status")) == "closed":
        return
    for action in ctx.plan.items("action"):
        due = parse_date(action.get("due"))
        if due is None or action.get("status") in ("done", "cancelled"):
            continue
        if due < ctx.today:
            days = (ctx.today - due).days
            yield Hit(action.at("due"), f"action {action.id} is overdue by {days} day(s)",
                      (action.id,))
