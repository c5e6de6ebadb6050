"""`rmp` check, status and criteria: the commands that read plans and judge them."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from rmp.commands.common import (
    FORMAT_HELP,
    ChangedSinceOption,
    ColorChoice,
    ColorOption,
    ExcludeOption,
    FailOn,
    JobsOption,
    ListFormat,
    NoGitignoreOption,
    NoPolicyOption,
    PolicyOption,
    TodayOption,
    errors,
    finish,
    progress,
    today_of,
)
from rmp.report.base import OutputFormat


def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Plan files and folders (a folder means every *.yaml/*.yml below "
                       "it, except hidden ones, the policy file and what git ignores); `-` "
                       "reads one plan from standard input.", metavar="PATH..."),
    ],
    output_formats: Annotated[
        list[OutputFormat] | None, typer.Option("--format", "-f", help=FORMAT_HELP)
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", metavar="FILE",
                     help="Write the report of the matching --format to this file (atomically) "
                     "instead of stdout. Without --format, the suffix chooses: .sarif, .json, "
                     ".xml (junit), else text."),
    ] = None,
    today: TodayOption = None,
    policy: PolicyOption = None,
    no_policy: NoPolicyOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODES",
                     help="Run only these rule codes or prefixes (RMP2, RMP301)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODES", help="Do not run these codes or prefixes."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings fail too (same as --fail-on warning).")
    ] = False,
    fail_on: Annotated[
        FailOn | None,
        typer.Option("--fail-on", help="Lowest severity that makes the run exit 1 "
                     "(default: error)."),
    ] = None,
    show_waived: Annotated[
        bool, typer.Option("--show-waived", help="List waived findings in the text report.")
    ] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Count findings per rule in the text report.")
    ] = False,
    jobs: JobsOption = None,
    changed_since: ChangedSinceOption = None,
    exclude: ExcludeOption = None,
    no_respect_gitignore: NoGitignoreOption = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option("--stdin-filename", metavar="NAME",
                     help="The name findings show for the plan read from `-` (default "
                     "<stdin>); its folder is where the policy is looked for."),
    ] = None,
    color: ColorOption = ColorChoice.AUTO,
) -> None:
    """Validate plans against the rmp/1 schema and lint them for completeness against HF36.

    Every finding names file:line:col, a rule code and the HF36 criteria it serves, and never
    a field's value. Exit 0 when no finding reaches the fail level (default error), 1 when one
    does, 2 on a usage or policy error.

    Examples: rmp check examples/ --today 2026-11-27;
    rmp check plans/ -f sarif -o rmp.sarif -f text;
    rmp check - --stdin-filename plans/a.yaml < plans/a.yaml
    """
    from rmp.app.check import CheckOptions, Discovery, run_check
    from rmp.findings import Severity
    from rmp.output.terminal import use_color

    with errors():
        options = CheckOptions(
            paths=paths, today=today_of(today), formats=output_formats or [],
            outputs=outputs or [], policy=policy, no_policy=no_policy, select=select or [],
            ignore=ignore or [], fail_on=Severity(fail_on.value) if fail_on else None,
            strict=strict, show_waived=show_waived, statistics=statistics, jobs=jobs,
            changed_since=changed_since, color=use_color(choice=color.value),
            discovery=Discovery(exclude=exclude or [],
                                respect_gitignore=not no_respect_gitignore,
                                stdin_filename=stdin_filename),
        )
        outcome = run_check(options, progress)
    finish(outcome)


class StatusFormat(str, Enum):
    """`rmp status --format` choices."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MD = "md"


def status(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Plan files and folders (default: the current folder).",
                       metavar="[PATH...]"),
    ] = None,
    sort: Annotated[
        str, typer.Option("--sort", help="review (soonest first), risk, findings or path.")
    ] = "review",
    agency: Annotated[
        str | None, typer.Option("--agency", help="Only plans in which this agency takes part.")
    ] = None,
    rosh: Annotated[
        str | None,
        typer.Option("--rosh", help="Only this overall RoSH (`high`), or this and above (`high+`)."),
    ] = None,
    due_within: Annotated[
        int | None,
        typer.Option("--due-within", min=0, help="Only plans whose review is due within N days "
                     "(overdue included); with --by agency, what counts as due soon (default 14)."),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="`agency`: overdue and due-soon actions per agency.")
    ] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="text, json, csv or md.")
    ] = StatusFormat.TEXT,
    today: TodayOption = None,
    policy: PolicyOption = None,
    no_policy: NoPolicyOption = False,
    jobs: JobsOption = None,
    changed_since: ChangedSinceOption = None,
    exclude: ExcludeOption = None,
    no_respect_gitignore: NoGitignoreOption = False,
    color: ColorOption = ColorChoice.AUTO,
) -> None:
    """The caseload: one row per plan with case ref, status, overall RoSH, MAPPA level, next
    review (due in / overdue by N days), overdue actions and finding counts. Never shows names.

    Exit 0 (a view, not a check), 2 on usage errors.

    Examples: rmp status plans/ --sort risk --rosh high+;
    rmp status plans/ --by agency --due-within 14 --format csv
    """
    from rmp.app.check import Discovery
    from rmp.app.status import StatusOptions, run_status
    from rmp.output.terminal import use_color

    with errors():
        options = StatusOptions(
            paths=paths or [Path(".")], today=today_of(today), sort=sort, agency=agency,
            rosh=rosh, due_within=due_within, by=by, fmt=output_format.value, policy=policy,
            no_policy=no_policy, jobs=jobs, changed_since=changed_since,
            color=use_color(choice=color.value),
            discovery=Discovery(exclude=exclude or [],
                                respect_gitignore=not no_respect_gitignore),
        )
        outcome = run_status(options, progress)
    finish(outcome)


def criteria(
    plan: Annotated[
        Path | None, typer.Argument(help="A plan: show which criteria it evidences.")
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text, json or md.")
    ] = ListFormat.TEXT,
    today: TodayOption = None,
    policy: PolicyOption = None,
) -> None:
    """Show HF36 performance criteria and knowledge items with the rules that check each; for
    a PLAN, whether each criterion is evidenced (the data is there and no rule serving it
    fires at warning or error), partly (a rule fires) or missing (the data is absent).

    Criteria that need human judgement are checked for a record, not for quality.

    Examples: rmp criteria; rmp criteria examples/youth-risk-to-children.yaml
    """
    from rmp.app.explain import run_criteria

    with errors():
        outcome = run_criteria(plan, output_format.value, today_of(today), policy)
    finish(outcome)
