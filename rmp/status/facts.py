"""The caseload facts of one plan: what `rmp status` needs, taken once from the plan's view
while `rmp check` has it in hand. Only IDs, enum values and dates: never a name or free text,
so any report may print them."""

from __future__ import annotations

from dataclasses import dataclass

from rmp.model.view import PlanView
from rmp.model.vocabulary import level_rank


@dataclass(frozen=True, slots=True)
class ActionFacts:
    """One action as the caseload view sees it."""

    id: str
    agency: str | None
    due: str | None
    status: str | None
    overdue: bool
    """As `PlanView.is_overdue` has it (the one definition)."""


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The identifying and scheduling facts of one plan."""

    case_ref: str
    plan_id: str
    status: str
    overall_rosh: str | None
    evidence_rosh: str | None
    """The evidence level (`PlanView.overall_evidence_level`) where it is above the overall
    RoSH; None where the rating meets it."""
    mappa_level: int | None
    next_review: str | None
    lead: str | None
    agencies: tuple[str, ...]
    actions: tuple[ActionFacts, ...]


def plan_facts(view: PlanView) -> PlanFacts:
    """The caseload facts of a schema-valid plan (an extractor for `iter_check`)."""
    actions = []
    for item in view.items("action"):
        owner = item.get("owner")
        agency = owner.get("agency") if isinstance(owner, dict) else None
        actions.append(ActionFacts(
            id=item.id,
            agency=agency if isinstance(agency, str) else None,
            due=item.get("due") if isinstance(item.get("due"), str) else None,
            status=item.get("status") if isinstance(item.get("status"), str) else None,
            overdue=view.is_overdue(item.fields),
        ))
    return PlanFacts(
        case_ref=view.text(("individual", "ref")) or "",
        plan_id=view.text(("plan", "id")) or "",
        status=view.text(("plan", "status")) or "",
        overall_rosh=view.overall_rosh,
        evidence_rosh=evidence if level_rank(evidence := view.overall_evidence_level)
        > level_rank(view.overall_rosh) else None,
        mappa_level=view.mappa_level,
        next_review=view.text(("plan", "review", "next")),
        lead=view.text(("plan", "lead")),
        agencies=tuple(sorted(view.agency_ids)),
        actions=tuple(actions),
    )
