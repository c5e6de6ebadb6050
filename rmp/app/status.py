"""`rmp status`: the caseload view (one row per plan, or actions per agency)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rmp.app.check import Discovery, Progress, no_progress, select_targets
from rmp.app.common import Outcome, policy_resolver
from rmp.check.pipeline import STDIN, iter_check
from rmp.errors import UsageError
from rmp.status.facts import plan_facts
from rmp.status.formats import FORMATS, render_agencies, render_rows
from rmp.status.view import Filters, by_agency, row_for, sort_rows

DUE_SOON_DAYS = 14
"""With `--by agency`, what counts as due soon unless `--due-within` says otherwise."""


@dataclass(frozen=True)
class StatusOptions:
    """`rmp status`'s options as values."""

    paths: Sequence[Path]
    today: date
    sort: str = "review"
    agency: str | None = None
    rosh: str | None = None
    due_within: int | None = None
    by: str | None = None
    fmt: str = "text"
    policy: Path | None = None
    no_policy: bool = False
    jobs: int | None = None
    changed_since: str | None = None
    color: bool = False
    discovery: Discovery = field(default_factory=Discovery)


def run_status(options: StatusOptions, progress: Progress = no_progress) -> Outcome:
    """The caseload of the plans under `paths`. Exit 0: a view, not a check."""
    if options.by not in (None, "agency"):
        raise UsageError("--by takes `agency`")
    if options.fmt not in FORMATS:
        raise UsageError(f"--format must be one of: {', '.join(FORMATS)}")
    filters = Filters(agency=options.agency, rosh=options.rosh,
                      due_within=None if options.by else options.due_within)
    if STDIN in options.paths:
        raise UsageError("status reads plans from files and folders, not `-`: use rmp check -")
    resolver = policy_resolver(options.policy, options.no_policy)
    outcome = Outcome()
    targets = select_targets(options.paths, options.changed_since, outcome, options.discovery)
    checked = progress(iter_check(targets, resolver, options.today, options.jobs,
                                  extract=plan_facts), len(targets))
    if options.by == "agency":
        soon = DUE_SOON_DAYS if options.due_within is None else options.due_within
        agencies = by_agency(checked, options.today, soon, options.agency)
        outcome.stdout = render_agencies(agencies, options.fmt, options.today, options.color)
        return outcome
    rows = [row_for(r, options.today) for r in checked]
    rows = sort_rows([r for r in rows if filters.keeps(r)], options.sort)
    outcome.stdout = render_rows(rows, options.fmt, options.today, options.color)
    return outcome
