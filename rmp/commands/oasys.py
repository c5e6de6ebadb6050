"""`rmp import oasys` and `rmp export oasys`: two groups, `import` and `export`, each with an
`oasys` command, so another system of record can be added beside OASys later."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from rmp.commands.common import Command, TodayOption, errors, finish, today_of

import_app = typer.Typer(name="import", help="Make a draft plan from another system's records.",
                         no_args_is_help=True, rich_markup_mode=None)
export_app = typer.Typer(name="export", help="Write a plan in another system's shape.",
                         no_args_is_help=True, rich_markup_mode=None)


class Shape(str, Enum):
    """`rmp export oasys --shape` choices."""

    ORDS = "ords"
    ARNS = "arns"


class ExportFormat(str, Enum):
    """`rmp export oasys --format` choices."""

    JSON = "json"
    TEXT = "text"


@import_app.command("oasys", cls=Command)
def import_oasys(
    rosh_summary: Annotated[
        Path,
        typer.Option("--rosh-summary", metavar="FILE", help="The RoSH summary document (OASys "
                     "R10): an ORDS/ARNS API envelope with `assessments`, or the ARNS "
                     "service's `summary` document. Required."),
    ],
    rosh_full: Annotated[
        Path | None,
        typer.Option("--rosh-full", metavar="FILE", help="The full RoSH document (risk to "
                     "self)."),
    ] = None,
    rmp_document: Annotated[
        Path | None,
        typer.Option("--rmp", metavar="FILE", help="The risk management plan document (the "
                     "OASys RMP headings)."),
    ] = None,
    assessment: Annotated[
        str | None,
        typer.Option("--assessment", metavar="PK", help="The assessmentPk to import (default: "
                     "the latest COMPLETE assessment)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", metavar="PLAN.yaml", help="The plan file to create "
                     "(default: <plan id>.yaml). Never overwritten."),
    ] = None,
    plan_id: Annotated[
        str | None,
        typer.Option("--plan-id", help="Plan ID (default: OASYS-<assessmentPk>)."),
    ] = None,
    case_ref: Annotated[
        str | None,
        typer.Option("--case-ref", help="Case reference, for documents that carry none (the "
                     "ARNS summary); must match the document's crn when it has one."),
    ] = None,
    allow_limited_access: Annotated[
        bool,
        typer.Option("--allow-limited-access", help="Import a limited access offender's "
                     "case: the plan is classified official-sensitive and every imported "
                     "item is confidential."),
    ] = False,
    today: TodayOption = None,
) -> None:
    """Make a draft plan from OASys's RoSH summary, full RoSH and risk management plan.

    Reads the JSON documents of the ORDS/ARNS API (or the ARNS service's own shape, detected)
    strictly, takes the latest COMPLETE assessment unless --assessment names one (and warns
    when a later one is incomplete or unsigned), and creates a draft plan that passes the
    schema: `rmp check` then lists what it still needs. Bad input exits 1 with the file and a
    JSON Pointer; an existing file, or a limited access case without --allow-limited-access,
    exits 2. Nothing is ever written in part.

    Example: rmp import oasys --rosh-summary rosh-summary.json --rmp rmp.json
    --out plans/X123456.yaml
    """
    from rmp.app.oasys import ImportJob, import_oasys

    with errors():
        job = ImportJob(rosh_summary=rosh_summary, rosh_full=rosh_full, rmp=rmp_document,
                        assessment=assessment, out=out, plan_id=plan_id, case_ref=case_ref,
                        allow_limited_access=allow_limited_access, today=today_of(today))
        outcome = import_oasys(job)
    finish(outcome)


@export_app.command("oasys", cls=Command)
def export_oasys(
    plan: Annotated[Path, typer.Argument(help="The plan file to export.")],
    shape: Annotated[
        Shape,
        typer.Option("--shape", help="ords: the ORDS/ARNS API envelope (one assessment "
                     "holding every field); arns: the ARNS service's summary shape."),
    ] = Shape.ORDS,
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json (the --shape document) or text (copy-ready "
                     "blocks under the OASys headings)."),
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write to this file (atomically; never a .yaml "
                     "file). Default: stdout."),
    ] = None,
) -> None:
    """Write a plan's RoSH summary and risk management plan in OASys's fields.

    The RoSH summary (R10.1-R10.5, the ratings in OASys's casing, risk to self) and the seven
    RMP headings composed from the plan: each pillar's actions as lines with owner role,
    agency name, dates and measure; contingency; key considerations from the rationale. A
    plan with schema errors is not exported (exit 1). `x-` keys never leave.

    Example: rmp export oasys examples/domestic-abuse-licence-mappa2.yaml --format text
    """
    from rmp.app.oasys import ExportJob, export_oasys

    with errors():
        outcome = export_oasys(ExportJob(plan=plan, shape=shape.value,
                                         fmt=output_format.value, out=out))
    finish(outcome)
