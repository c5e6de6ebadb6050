"""`rmp` render and new: the commands that write documents."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from rmp.commands.common import (
    NoPolicyOption,
    PolicyOption,
    TodayOption,
    date_option,
    errors,
    finish,
    today_of,
)
from rmp.errors import UsageError


class RenderFormat(str, Enum):
    """`rmp render --format` choices."""

    MD = "md"
    HTML = "html"


def render(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Plan files or folders. One plan makes one document; several "
                       "make one meeting pack.", metavar="PLAN..."),
    ],
    audience: Annotated[
        str | None,
        typer.Option("--audience", "-a", help="Who the document is for: an audience of the "
                     "policy (built in: individual, agencies, panel, safeguarding-partner). "
                     "Required unless --for is given."),
    ] = None,
    output_format: Annotated[
        RenderFormat | None,
        typer.Option("--format", "-f", help="md or html (default: from the --out suffix, "
                     "else md)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (atomically), or for one plan "
                     "into this folder as <plan id>.<md|html>. Default: stdout."),
    ] = None,
    meeting: Annotated[
        str | None, typer.Option("--meeting", help="Meeting name for the cover page.")
    ] = None,
    meeting_date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Meeting date for the cover page."),
    ] = None,
    generated: Annotated[
        str | None,
        typer.Option("--generated", metavar="ISO-TIMESTAMP", help="Generation time to record "
                     "(default: SOURCE_DATE_EPOCH, else now, in UTC). Pin it for "
                     "byte-identical output."),
    ] = None,
    policy: PolicyOption = None,
    no_policy: NoPolicyOption = False,
    today: TodayOption = None,
    check_only: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if the --out file differs from "
                     "what rendering would produce now, 0 if it is the same."),
    ] = False,
    attendees: Annotated[
        Path | None,
        typer.Option("--attendees", metavar="FILE",
                     help="Who attends the meeting and who sent apologies, for the front of "
                     "the pack: a YAML file (docs/render.md). Default: one plan's latest "
                     "review."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV|YYYY-MM-DD",
                     help="Add a \"changes since\" section to each plan: the semantic diff "
                     "against the plan at this git revision or date, as the audience sees it."),
    ] = None,
    for_agency: Annotated[
        str | None,
        typer.Option("--for", metavar="AGENCY_ID",
                     help="Project each plan for this one agency (listed in the plan's "
                     "agencies): the audience bound to its kind by the policy's agency_kinds "
                     "(else agencies; --audience overrides), and only the disclosures, "
                     "concerns, victim-safety actions and victims that concern it."),
    ] = None,
    no_timeline: Annotated[
        bool,
        typer.Option("--no-timeline", help="Leave out each plan's timeline (RoSH by group, "
                     "MAPPA level and reviews over time, read from git history). The "
                     "individual's copy never has one."),
    ] = False,
) -> None:
    """Render plans for an audience as a Markdown or HTML document or meeting pack.

    Each plan is projected through the audience's allow-list before any template sees it;
    what the audience may not see is left out and marked "Withheld for this audience". A plan
    that does not load or match the schema is not rendered (exit 1, its findings on stderr).
    The same inputs give byte-identical output.

    Examples: rmp render examples/domestic-abuse-licence-mappa2.yaml --audience individual;
    rmp render examples/ --audience agencies --meeting "MAPPA level 2 meeting" --date 2026-12-01
    --format html --out pack.html
    """
    from rmp.app.render import RenderJob, run

    with errors():
        job = RenderJob(
            paths=tuple(paths), audience=audience, today=today_of(today),
            fmt=output_format.value if output_format else None, out=out,
            meeting=meeting, meeting_date=date_option(meeting_date, "--date"),
            generated=generated, policy=policy, use_policy_files=not no_policy,
            check_only=check_only, since=since, attendees=attendees,
            for_agency=for_agency, timeline=not no_timeline)
        outcome = run(job, os.environ)
    finish(outcome)


def _ask(value: str | None, prompt: str, option: str, default: str | None = None) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        answer: str = typer.prompt(prompt, default=default)
        return answer
    if default is not None:
        return default
    raise UsageError(f"{option} is required when not running in a terminal")


def new(
    path: Annotated[
        Path | None,
        typer.Argument(help="File to create (default: <plan id>.yaml). Never overwritten."),
    ] = None,
    case_ref: Annotated[
        str | None, typer.Option("--case-ref", help="Pseudonymous case reference.")
    ] = None,
    plan_id: Annotated[str | None, typer.Option("--plan-id", help="Plan ID, e.g. RMP-0042.")] = None,
    lead: Annotated[
        str | None, typer.Option("--lead", help="Lead agency id, e.g. probation.")
    ] = None,
    rosh: Annotated[
        str | None,
        typer.Option("--rosh", help="Overall RoSH: low, medium, high or very-high."),
    ] = None,
    today: TodayOption = None,
    schema_ref: Annotated[
        str | None,
        typer.Option("--schema-ref", help="Schema path or URL for the editor modeline "
                     "(default: the bundled schema, relative to the new file)."),
    ] = None,
) -> None:
    """Scaffold a new plan that passes the schema, with a comment on what each section is for
    and which HF36 criteria it evidences.

    Asks for the case ref, plan ID, lead agency and RoSH in a terminal; elsewhere (CI,
    scripts) pass them as options. Refuses (exit 2) if the file exists or is a symbolic link.
    The new file is readable by its owner only.

    Example: rmp new plans/RMP-0042.yaml --case-ref X000042 --plan-id RMP-0042
    --lead probation --rosh high
    """
    from rmp.app.new import NewPlan, create_plan

    with errors():
        when = today_of(today)
        essentials = NewPlan(
            case_ref=_ask(case_ref, "Case ref (pseudonymous)", "--case-ref"),
            plan_id=_ask(plan_id, "Plan ID", "--plan-id"),
            lead=_ask(lead, "Lead agency id", "--lead", "probation"),
            rosh=_ask(rosh, "Overall RoSH (low/medium/high/very-high)", "--rosh"),
        )
        outcome = create_plan(essentials, when, path, schema_ref)
    finish(outcome)
