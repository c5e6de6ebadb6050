"""`rmp render` as a job: plans in, a document out, and what to tell the user.

The CLI parses options, calls `run`, prints the outcome and exits with its code; everything
between (the gate's refusals, `--check`, the commits of the plans, `--since`, the output path,
the atomic write) happens here and is callable from Python. Messages name paths and counts,
never a value from a plan.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rmp.app.common import Outcome, policy_resolver
from rmp.errors import ExitCode, UsageError


@dataclass(frozen=True)
class RenderJob:
    """What `rmp render` was asked to do."""

    paths: tuple[Path, ...]
    audience: str | None
    """The policy audience; None only with `for_agency` (the audience bound to its kind)."""
    today: date
    fmt: str | None = None
    """`md` or `html`; None: from the --out suffix, else md."""
    out: Path | None = None
    meeting: str | None = None
    meeting_date: date | None = None
    generated: str | None = None
    policy: Path | None = None
    use_policy_files: bool = True
    check_only: bool = False
    since: str | None = None
    attendees: Path | None = None
    """`--attendees`: who attends the meeting and who sent apologies (a YAML file)."""
    for_agency: str | None = None
    """`--for AGENCY_ID`: each plan projected for that agency (docs/render.md)."""
    timeline: bool = True
    """Draw each plan's timeline from git history (professional audiences only)."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run Python's cyclic garbage collector less often for a while. Rendering allocates
    millions of small objects and makes few cycles; collecting every 700 allocations took
    about a fifth of a 200-plan pack's time. It still runs (every 50,000), so memory stays
    bounded."""
    import gc

    before = gc.get_threshold()
    gc.set_threshold(50_000, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run(job: RenderJob, environ: Mapping[str, str]) -> Outcome:
    """Render, compare or write as `job` says. Raises RmpError for usage, policy, template
    and write errors (exit 2)."""
    with fewer_collections():
        return _run(job, environ)


def _run(job: RenderJob, environ: Mapping[str, str]) -> Outcome:
    from rmp.check.pipeline import discover
    from rmp.findings import Severity
    from rmp.history.timeline import read_timelines
    from rmp.history.versions import last_commits, versions_as_of
    from rmp.render.environment import PackFormat
    from rmp.render.pack import (
        PlanData,
        RenderRequest,
        choose_format,
        generation_time,
        load_plans,
        output_path,
        recorded_generation_time_in,
        render_chunks,
    )
    from rmp.report.base import Report
    from rmp.report.text import render as text_report

    resolver = policy_resolver(job.policy, not job.use_policy_files)
    if job.for_agency is not None:
        from rmp.render.agency import check_agency_option

        check_agency_option(job.for_agency, job.audience)
    elif job.audience is None:
        raise UsageError("give --audience NAME (or --for AGENCY_ID for one agency's pack)")
    if job.check_only and job.out is None:
        raise UsageError("--check compares with the --out file: give --out")
    fmt = choose_format(PackFormat(job.fmt) if job.fmt else None, job.out)
    targets = discover(list(job.paths))
    if not targets:
        raise UsageError("no plans found to render")
    from rmp.render.attendance import load_attendees

    attendees = load_attendees(job.attendees) if job.attendees is not None else None
    # the findings box is for professional audiences; the individual's copy never shows it
    sources, refused = load_plans(targets, resolver, job.today,
                                  check=job.audience != "individual")
    # a policy file among the files named (`rmp render plans/*.yaml` next to rmp.yaml) is
    # not a plan: it is left out, with a note, rather than refusing the whole pack
    notes: list[str] = [f"rmp: note: {r.path} is a policy file, not a plan: not rendered"
                        for r in refused if r.kind == "policy"]
    refused = [r for r in refused if r.kind != "policy"]
    if not sources and not refused:
        raise UsageError("no plans found to render")
    count = len(sources) + len(refused)
    if count > 1 and job.audience is not None and job.for_agency is None:
        from rmp.render.audience import audience_from_policy

        # one person per copy: `individual` or any audience written for the person
        # (plain_language); a pack would hand each person the others' plans (HF36 P18)
        if job.audience == "individual" or any(
                audience_from_policy(s.policy, job.audience).for_individual for s in sources):
            raise UsageError(f"the audience `{job.audience}` is one person's own copy: render "
                             f"each of the {count} plans separately, not as one pack")
    if refused:
        report = text_report(Report(results=refused, today=job.today, fail_on=Severity.ERROR,
                                    elapsed=0.0))
        return Outcome(exit_code=ExitCode.FINDINGS, stderr=[
            *notes, report.rstrip("\n"),
            "rmp: error: not rendered: a plan that does not load or match the schema would "
            "give a half-read pack; fix the errors above (rmp check shows them too)"])
    target = output_path(job.out, fmt, sources)
    recorded = None
    if job.check_only and target is not None and target.is_file():
        recorded = recorded_generation_time_in(target)
    commits = last_commits([s.path for s in sources])
    if any(c.shallow for c in commits.values()):
        notes.append("rmp: note: shallow clone: the commit recorded for a plan may not be its "
                     "last change; fetch full history (git fetch --unshallow)")
    request = RenderRequest(
        audience=job.audience, fmt=fmt, today=job.today,
        generated=generation_time(job.generated, environ, recorded),
        meeting=job.meeting, meeting_date=job.meeting_date, commits=commits,
        earlier=versions_as_of([s.path for s in sources], job.since) if job.since else None,
        attendees=attendees,
        for_agency=job.for_agency,
        timelines=read_timelines(PlanData(sources), commits, job.today)
        if job.timeline and job.audience != "individual" else None,
    )
    # the pack is made piece by piece and compared or written as it comes, never held whole
    chunks = render_chunks(sources, request)
    from rmp.io.fileio import same_content, write_output_stream

    if job.check_only:
        assert target is not None
        same = same_content(target, chunks)
        if same:
            return Outcome(stderr=[*notes, f"rmp: {target} is up to date"])
        state = "is missing" if same is None else "differs from a fresh render"
        return Outcome(exit_code=ExitCode.FINDINGS, stderr=[
            *notes, f"rmp: error: {target} {state}; run the same command without --check"])
    if target is None:
        return Outcome(stdout="".join(chunks), stderr=notes)
    inputs = [s.path for s in sources] + [p for p in (job.policy, job.attendees) if p is not None]
    write_output_stream(target, chunks, inputs)
    return Outcome(stderr=[*notes, f"rmp: wrote {target}"])
