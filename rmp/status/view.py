"""`rmp status`: the caseload view over many plans, from the facts `rmp check` gathers.

One row per plan: case ref, plan ID, status, overall RoSH, MAPPA level, next review (due in N
days / overdue by N days), overdue actions, error and warning counts. `--by agency` turns it
into overdue and due-soon actions per owning agency, for chasing before a meeting. Only case
refs, IDs, levels and dates are shown: never a name or any free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rmp.errors import UsageError
from rmp.findings import FileResult, Severity
from rmp.model.paths import parse_date
from rmp.model.vocabulary import FINISHED_ACTION_STATUSES, LEVELS, level_rank
from rmp.status.facts import PlanFacts

SORTS = ("review", "risk", "findings", "path")
UNKNOWN_AGENCY = "(no agency of the plan)"


@dataclass(frozen=True)
class Row:
    """One plan in the caseload."""

    path: str
    case_ref: str
    plan_id: str
    status: str
    overall_rosh: str | None
    mappa_level: int | None
    next_review: str | None
    review_in_days: int | None
    """Days until the next review; negative when overdue; None when no date."""
    overdue_actions: int
    errors: int
    warnings: int
    readable: bool
    """False when the plan could not be read or does not match the schema."""
    agencies: tuple[str, ...] = ()
    evidence_rosh: str | None = None
    """The plan's evidence level where it is above the overall RoSH (shown beside it)."""

    @property
    def review_text(self) -> str:
        if self.review_in_days is None:
            return "no date"
        if self.review_in_days < 0:
            return f"overdue by {-self.review_in_days} days"
        if self.review_in_days == 0:
            return "due today"
        return f"due in {self.review_in_days} days"


@dataclass(frozen=True)
class AgencyRow:
    """Overdue and due-soon actions of one owning agency."""

    agency: str
    overdue: tuple[str, ...]
    """`case ref/action id` of each overdue action."""
    due_soon: tuple[str, ...]


def _facts(result: FileResult) -> PlanFacts | None:
    return result.facts if isinstance(result.facts, PlanFacts) else None


def row_for(result: FileResult, today: date) -> Row:
    errors = sum(1 for f in result.findings if not f.waived and f.severity is Severity.ERROR)
    warnings = sum(1 for f in result.findings if not f.waived and f.severity is Severity.WARNING)
    facts = _facts(result)
    if facts is None:
        return Row(result.path, "", "", "unreadable", None, None, None, None, 0, errors,
                   warnings, readable=False)
    review = parse_date(facts.next_review)
    return Row(
        path=result.path,
        case_ref=facts.case_ref,
        plan_id=facts.plan_id,
        status=facts.status,
        overall_rosh=facts.overall_rosh,
        mappa_level=facts.mappa_level,
        next_review=facts.next_review,
        review_in_days=(review - today).days if review else None,
        overdue_actions=sum(a.overdue for a in facts.actions),
        errors=errors,
        warnings=warnings,
        readable=True,
        agencies=facts.agencies,
        evidence_rosh=facts.evidence_rosh,
    )


@dataclass(frozen=True)
class Filters:
    """`--agency`, `--rosh` and `--due-within`, all of which must hold."""

    agency: str | None = None
    rosh: str | None = None
    """A level (`high`) or a level and above (`high+`)."""
    due_within: int | None = None

    def __post_init__(self) -> None:
        if self.rosh is not None and self.rosh.rstrip("+") not in LEVELS:
            raise UsageError(f"--rosh must be one of {', '.join(LEVELS)}, optionally with `+`")

    def keeps(self, row: Row) -> bool:
        if self.agency is not None and self.agency not in row.agencies:
            return False
        if self.rosh is not None:
            wanted = level_rank(self.rosh.rstrip("+"))
            have = level_rank(row.overall_rosh)
            if (have < wanted) if self.rosh.endswith("+") else (have != wanted):
                return False
        if self.due_within is not None:
            return row.review_in_days is not None and row.review_in_days <= self.due_within
        return True


def sort_rows(rows: list[Row], key: str) -> list[Row]:
    if key == "review":
        return sorted(rows, key=lambda r: (r.review_in_days is None, r.review_in_days or 0,
                                           r.path))
    if key == "risk":
        return sorted(rows, key=lambda r: (-level_rank(r.overall_rosh), -(r.mappa_level or 0),
                                           r.path))
    if key == "findings":
        return sorted(rows, key=lambda r: (-r.errors, -r.warnings, r.path))
    if key == "path":
        return sorted(rows, key=lambda r: r.path)
    raise UsageError(f"--sort must be one of: {', '.join(SORTS)}")


def by_agency(
    results: Iterable[FileResult], today: date, due_within: int, only: str | None = None
) -> list[AgencyRow]:
    overdue: dict[str, list[str]] = {}
    soon: dict[str, list[str]] = {}
    for result in results:
        facts = _facts(result)
        if facts is None:
            continue
        for action in facts.actions:
            due = parse_date(action.due)
            if due is None or action.status in FINISHED_ACTION_STATUSES:
                continue
            # an owner that names no agency of the plan is never printed as written (it may
            # hold a name or a number); it is counted under one fixed label
            agency = action.agency if action.agency in facts.agencies else UNKNOWN_AGENCY
            label = f"{facts.case_ref}/{action.id}"
            if action.overdue:
                overdue.setdefault(agency, []).append(label)
            elif facts.status != "closed" and 0 <= (due - today).days <= due_within:
                soon.setdefault(agency, []).append(label)
    agencies = sorted(set(overdue) | set(soon))
    return [
        AgencyRow(a, tuple(overdue.get(a, [])), tuple(soon.get(a, [])))
        for a in agencies if only is None or a == only
    ]
