"""`rmp import oasys` and `rmp export oasys`: the bridge to the system of record.

Import reads OASys's JSON documents strictly (rmp.oasys.shapes), builds a draft plan, passes
its text through the gate (schema-valid, or nothing is written) and creates the file without
ever overwriting one. Bad input is exit 1 with the file, a JSON Pointer and what is wrong;
a refusal (limited access, an existing file) is exit 2. Messages never quote a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rmp.app.common import Outcome
from rmp.errors import ExitCode, RefusedError, RmpError, UsageError

PLAN_ID = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"


@dataclass(frozen=True)
class ImportJob:
    """The options of `rmp import oasys`."""

    rosh_summary: Path
    today: date
    rosh_full: Path | None = None
    rmp: Path | None = None
    assessment: str | None = None
    out: Path | None = None
    plan_id: str | None = None
    case_ref: str | None = None
    allow_limited_access: bool = False
    schema_ref: str | None = None


@dataclass(frozen=True)
class ExportJob:
    """The options of `rmp export oasys`."""

    plan: Path
    shape: str = "ords"
    fmt: str = "json"
    out: Path | None = None


def _assessment_key(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or len(value) > 18:
        raise UsageError("--assessment must be an assessmentPk (a whole number)")
    return int(value)


def _read(path: Path) -> bytes:
    from rmp.io.gate import read_file

    raw = read_file(path)
    if isinstance(raw, str):
        raise UsageError(f"{path}: cannot read the file ({raw})")
    return raw


def import_oasys(job: ImportJob) -> Outcome:
    """The `rmp import oasys` job."""
    import re

    from rmp.app.new import default_schema_ref
    from rmp.io.fileio import create_new_or_refuse
    from rmp.io.gate import gate_bytes
    from rmp.oasys.json_input import InputProblem, parse_json
    from rmp.oasys.shapes import case_ref, read_document
    from rmp.oasys.to_plan import merge, to_plan, to_yaml

    chosen = _assessment_key(job.assessment)
    if job.plan_id is not None and not re.fullmatch(PLAN_ID, job.plan_id):
        raise UsageError("--plan-id must be letters, digits, '.', '_' or '-' (max 64)")
    given = [(kind, path) for kind, path in (("rosh-summary", job.rosh_summary),
                                             ("rosh-full", job.rosh_full), ("rmp", job.rmp))
             if path is not None]
    records = []
    for kind, path in given:
        where = f"{path} (--{kind})"
        try:
            record = read_document(parse_json(_read(path)), kind, chosen)
            ref = case_ref(job.case_ref, "--case-ref") if job.case_ref else None
        except InputProblem as problem:
            return Outcome(exit_code=ExitCode.FINDINGS, stderr=[f"rmp: error: {where}: {problem}"])
        if ref is not None and record.case_ref not in (None, ref):
            raise UsageError(f"--case-ref does not match the case reference in {path}")
        if chosen is None and record.assessment is not None:
            chosen = record.assessment.pk
        records.append((where, record))
    try:
        record = merge(records)
    except InputProblem as problem:
        return Outcome(exit_code=ExitCode.FINDINGS, stderr=[f"rmp: error: {problem}"])
    reference = job.case_ref or record.case_ref
    if reference is None:
        return Outcome(exit_code=ExitCode.FINDINGS, stderr=[
            "rmp: error: the documents name no case (no crn or probNumber): give --case-ref"])
    if record.limited_access and not job.allow_limited_access:
        raise RefusedError(
            "the case is a limited access offender (limitedAccessOffender is true or null): "
            "nothing was written. With --allow-limited-access the plan is classified "
            "official-sensitive and every imported item is confidential")
    pk = record.assessment.pk if record.assessment else None
    plan_id = job.plan_id or (f"OASYS-{pk}" if pk is not None else f"OASYS-{reference}")
    target = job.out if job.out is not None else Path(f"{plan_id}.yaml")
    document = to_plan(record, plan_id=plan_id, case_ref=reference, today=job.today)
    header = [
        f"yaml-language-server: $schema={job.schema_ref or default_schema_ref(target)}",
        f"DRAFT risk management plan {plan_id}, imported from OASys by rmp import oasys on "
        f"{job.today.isoformat()}.",
        "It holds only what OASys said. Run `rmp check` on it: each finding is something the",
        "draft still needs (owners, dates, risk factors, agencies...). Personal data: keep it",
        "in an access-controlled repository.",
    ]
    text = to_yaml(document, header)
    gated = gate_bytes(str(target), text.encode("utf-8"))
    if not gated.passed:
        codes = ", ".join(sorted({f"{f.code} at {f.pointer or '/'}" for f in gated.findings}))
        raise RmpError(f"internal error: the imported plan does not pass the gate ({codes}); "
                       "nothing was written")
    create_new_or_refuse(target, text, "rmp import oasys")
    outcome = Outcome(stdout=(
        f"Imported OASys assessment {pk if pk is not None else '(ARNS summary)'} into {target} "
        f"(a draft). Next: rmp check {target}\n"))
    outcome.stderr += [f"rmp: warning: {note}" for note in record.notes]
    return outcome


def export_oasys(job: ExportJob) -> Outcome:
    """The `rmp export oasys` job: a schema-valid plan as an OASys document or text."""
    import json

    from rmp.io.gate import read_plan
    from rmp.oasys.from_plan import to_arns, to_ords
    from rmp.oasys.text import to_text

    gated = read_plan(job.plan)
    if not gated.passed or gated.document is None:
        lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in gated.findings]
        return Outcome(exit_code=ExitCode.FINDINGS, stderr=[
            *lines, "rmp: error: not exported: a plan that does not load or match the schema "
            "would give a half-read export; fix the errors above (rmp check shows them too)"])
    plan = gated.document.data
    if job.fmt == "text":
        text = to_text(plan)
    else:
        body = to_ords(plan) if job.shape == "ords" else to_arns(plan)
        text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if job.out is None:
        return Outcome(stdout=text)
    from rmp.io.fileio import write_output

    write_output(job.out, text, inputs=(job.plan,))
    return Outcome(stderr=[f"rmp: wrote {job.out}"])
