"""The `rmp` command line: options in, one library call, a reporter, an exit code.

Exit codes (the same for every command): 0 clean; 1 findings at or above the fail level;
2 usage error, refused operation, bad policy or internal error. Results go to stdout,
diagnostics to stderr. No message ever quotes a field's value from a plan.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer

from rmp import __version__
from rmp.errors import ExitCode, RmpError, UsageError
from rmp.report import OutputFormat

app = typer.Typer(
    name="rmp",
    help="Risk management plans as code: scaffold, check, render and diff plans written to the "
    "SfJ HF36 standard.\n\nExit codes: 0 clean; 1 findings at the fail level; 2 usage error, "
    "refused operation or internal error.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)



class FailOn(str, Enum):
    """`--fail-on` choices."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def _fail(message: str, code: ExitCode = ExitCode.REFUSED) -> NoReturn:
    typer.echo(f"rmp: error: {message}", err=True)
    raise typer.Exit(int(code))


@contextmanager
def _errors() -> Iterator[None]:
    """Map every RmpError to its message on stderr and exit code 2."""
    try:
        yield
    except RmpError as exc:
        _fail(str(exc))


def _date_option(value: str | None, option: str) -> date | None:
    """A date option written YYYY-MM-DD (None when not given); anything else is exit 2."""
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} must be a date written YYYY-MM-DD") from None


def _today(value: str | None) -> date:
    """`--today`, else RMP_TODAY, else the local date."""
    raw = value or os.environ.get("RMP_TODAY")
    return (_date_option(raw, "--today (or RMP_TODAY)") if raw else None) or date.today()


T = TypeVar("T")
PROGRESS_FROM = 500
"""Runs over this many files show a progress bar, on a terminal only."""


def _progress(items: Iterable[T], total: int) -> Iterator[T]:
    """Yield items, drawing a progress bar on stderr for long runs in a terminal. Never in CI
    or when stderr is redirected, so logs stay clean."""
    if total < PROGRESS_FROM or not sys.stderr.isatty() or os.environ.get("CI"):
        yield from items
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("checking", total=total)
        for item in items:
            progress.advance(task)
            yield item


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rmp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Risk management plans as code."""


TodayOption = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="YYYY-MM-DD",
        help="Date to check against (default: RMP_TODAY, else the local date). Pin it for "
        "reproducible results.",
    ),
]


PolicyOption = Annotated[
    Path | None,
    typer.Option("--policy", help="Policy file to use instead of discovering rmp.yaml."),
]
NoPolicyOption = Annotated[
    bool, typer.Option("--no-policy", help="Use the built-in policy defaults only.")
]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: automatic).")
]
ChangedSinceOption = Annotated[
    str | None,
    typer.Option("--changed-since", metavar="REV",
                 help="Only plans changed since this git revision (its merge base with HEAD), "
                 "committed or not: fast pre-merge CI."),
]

FORMAT_HELP = (
    "Report format: text, json, sarif, github or junit (default text; github when "
    "GITHUB_ACTIONS=true). Repeat with --output to write several reports in one run."
)


@app.command()
def check(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Plan files and folders (a folder means every *.yaml/*.yml below "
                       "it, except hidden ones and the policy file)."),
    ],
    output_formats: Annotated[
        list[OutputFormat] | None, typer.Option("--format", "-f", help=FORMAT_HELP)
    ] = None,
    outputs: Annotated[
        list[Path] | None,
        typer.Option("--output", "-o", help="Write the report of the matching --format to this "
                     "file (atomically) instead of stdout."),
    ] = None,
    today: TodayOption = None,
    policy: PolicyOption = None,
    no_policy: NoPolicyOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Run only these rule codes or prefixes (RMP2, RMP301)."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Do not run these codes or prefixes.")
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
) -> None:
    """Validate plans against the rmp/1 schema and lint them for completeness against HF36.

    Every finding names file:line:col, a rule code and the HF36 criteria it serves, and never
    a field's value. Exit 0 when no finding reaches the fail level (default error), 1 when one
    does, 2 on a usage or policy error.

    Examples: rmp check examples/ --today 2026-11-27;
    rmp check plans/ -f sarif -o rmp.sarif -f text
    """
    from rmp.check.pipeline import discover, iter_check, only_changed
    from rmp.check.selection import Selection
    from rmp.findings import Severity, fails
    from rmp.report import Report, render
    from rmp.rules.catalogue import CataloguePolicyResolver as PolicyResolver

    with _errors():
        if policy is not None and no_policy:
            raise UsageError("--policy and --no-policy cannot be used together")
        formats = list(output_formats or [])
        if not formats:
            github = os.environ.get("GITHUB_ACTIONS") == "true"
            formats = [OutputFormat.GITHUB if github else OutputFormat.TEXT] * max(
                1, len(outputs or []))
        files = list(outputs or [])
        if len(files) not in (len(formats), len(formats) - 1):
            raise UsageError("give one --output per --format (the last format may go to stdout)")
        if fail_on is not None and strict:
            raise UsageError("--strict and --fail-on cannot be used together")
        level = Severity(fail_on.value) if fail_on else (
            Severity.WARNING if strict else Severity.ERROR)
        selection = Selection.parse(select, ignore)
        started = time.perf_counter()
        when = _today(today)
        targets = discover(paths)
        if changed_since is not None:
            targets = only_changed(targets, changed_since, paths)
        elif not targets:
            # a CI job pointed at the wrong folder must not pass in silence
            typer.echo("rmp: note: no plan files (*.yaml, *.yml) found: nothing was checked",
                       err=True)
        resolver = PolicyResolver(policy, use_files=not no_policy)
        results = list(_progress(iter_check(targets, resolver, when, jobs, selection),
                                 len(targets)))
        elapsed = time.perf_counter() - started
        if policy is None and not no_policy and resolver.used_defaults:
            typer.echo("rmp: note: no policy file (rmp.yaml) found for some plans: the "
                       "built-in defaults apply to them.", err=True)
        from dataclasses import replace

        from rmp.io.fileio import write_output

        report = Report(
            results=results, today=when, fail_on=level, elapsed=elapsed,
            show_waived=show_waived, statistics=statistics,
        )
        terminal = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        inputs = [t.path for t in targets]
        for index, output_format in enumerate(formats):
            if index < len(files):
                write_output(files[index], render(report, output_format), inputs)
            else:
                sys.stdout.write(render(replace(report, color=terminal), output_format))
    all_findings = [f for r in results for f in r.findings]
    raise typer.Exit(int(ExitCode.FINDINGS if fails(all_findings, level) else ExitCode.CLEAN))


class StatusFormat(str, Enum):
    """`rmp status --format` choices."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MD = "md"


@app.command()
def status(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Plan files and folders (default: the current folder).")
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
) -> None:
    """The caseload: one row per plan with case ref, status, overall RoSH, MAPPA level, next
    review (due in / overdue by N days), overdue actions and finding counts. Never shows names.

    Exit 0 (a view, not a check), 2 on usage errors.

    Examples: rmp status plans/ --sort risk --rosh high+;
    rmp status plans/ --by agency --due-within 14 --format csv
    """
    from rmp.check.pipeline import discover, iter_check, only_changed
    from rmp.rules.catalogue import CataloguePolicyResolver as PolicyResolver
    from rmp.status.facts import plan_facts
    from rmp.status.view import (
        Filters,
        by_agency,
        render_agencies,
        render_rows,
        row_for,
        sort_rows,
    )

    with _errors():
        if policy is not None and no_policy:
            raise UsageError("--policy and --no-policy cannot be used together")
        if by not in (None, "agency"):
            raise UsageError("--by takes `agency`")
        when = _today(today)
        filters = Filters(agency=agency, rosh=rosh, due_within=None if by else due_within)
        folders = paths or [Path(".")]
        targets = discover(folders)
        if changed_since is not None:
            targets = only_changed(targets, changed_since, folders)
        resolver = PolicyResolver(policy, use_files=not no_policy)
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        fmt = output_format.value
        if by == "agency":
            checked = iter_check(targets, resolver, when, jobs, extract=plan_facts)
            agencies = by_agency(_progress(checked, len(targets)), when,
                                 14 if due_within is None else due_within, agency)
            sys.stdout.write(render_agencies(agencies, fmt, when, color))
            return
        checked = iter_check(targets, resolver, when, jobs, extract=plan_facts)
        rows = [row_for(r, when) for r in _progress(checked, len(targets))]
        rows = sort_rows([r for r in rows if filters.keeps(r)], sort)
        sys.stdout.write(render_rows(rows, fmt, when, color))


class ListFormat(str, Enum):
    """Output choices of the listing commands."""

    TEXT = "text"
    JSON = "json"
    MD = "md"


@app.command()
def rules(
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text, json, or md (the docs table).")
    ] = ListFormat.TEXT,
) -> None:
    """List every rule: code, default severity, HF36 criteria and summary.

    Example: rmp rules --format md
    """
    from rmp.explain.reports import rules_table

    sys.stdout.write(rules_table(output_format.value))


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code, e.g. RMP201.")],
) -> None:
    """Explain a rule: why it matters, a failing and a passing example, how to fix it.

    Example: rmp explain RMP201
    """
    from rmp.explain.reports import explain_rule

    with _errors():
        sys.stdout.write(explain_rule(code))


@app.command()
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
    a PLAN, whether each criterion is evidenced, missing or contradicted by findings.

    Criteria that need human judgement are checked for a record, not for quality.

    Examples: rmp criteria; rmp criteria examples/youth-risk-to-children.yaml
    """
    from rmp.explain.reports import criteria_report

    with _errors():
        text, failed = criteria_report(plan, output_format.value, _today(today), policy)
    sys.stdout.write(text)
    raise typer.Exit(int(ExitCode.FINDINGS if failed else ExitCode.CLEAN))


policy_app = typer.Typer(help="The organisation policy (rmp.yaml).", no_args_is_help=True)
app.add_typer(policy_app, name="policy")


@policy_app.command("show")
def policy_show(
    path: Annotated[
        Path, typer.Argument(help="A plan or folder: show the policy in force there.")
    ] = Path("."),
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Show this policy file merged over defaults.")
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text (YAML with origins) or json.")
    ] = ListFormat.TEXT,
) -> None:
    """Print the effective policy: built-in defaults overridden key by key by the policy file,
    with where each value came from.

    Example: rmp policy show examples/
    """
    from rmp.explain.reports import policy_report

    with _errors():
        sys.stdout.write(policy_report(path, policy, output_format.value))


@app.command()
def schema(
    name: Annotated[str, typer.Argument(help="plan or policy.")] = "plan",
    path: Annotated[
        bool, typer.Option("--path", help="Print the bundled file's path instead.")
    ] = False,
) -> None:
    """Print the bundled JSON Schema (Draft 2020-12), or its path, for editors and tools.

    Example: rmp schema plan --path
    """
    from rmp.io.resources import schema_path

    with _errors():
        if name not in ("plan", "policy"):
            raise UsageError("schema name must be `plan` or `policy`")
        location = schema_path(name)
        if path:
            typer.echo(str(location))
        else:
            sys.stdout.write(location.read_text(encoding="utf-8"))


class RenderFormat(str, Enum):
    """`rmp render --format` choices."""

    MD = "md"
    HTML = "html"


@app.command()
def render(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Plan files or folders. One plan makes one document; several "
                       "make one meeting pack."),
    ],
    audience: Annotated[
        str,
        typer.Option("--audience", "-a", help="Who the document is for: an audience of the "
                     "policy (built in: individual, agencies, panel). Required."),
    ],
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
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="REV|YYYY-MM-DD",
                     help="Add a \"changes since\" section to each plan: the semantic diff "
                     "against the plan at this git revision or date, as the audience sees it."),
    ] = None,
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
    from rmp.check.pipeline import discover
    from rmp.findings import Severity
    from rmp.render.pack import (
        PackFormat,
        RenderRequest,
        choose_format,
        generation_time,
        load_plans,
        output_path,
        recorded_generation_time,
    )
    from rmp.render.pack import render as render_pack
    from rmp.report import Report
    from rmp.report.text import render as text_report
    from rmp.rules.catalogue import CataloguePolicyResolver as PolicyResolver

    with _errors():
        if policy is not None and no_policy:
            raise UsageError("--policy and --no-policy cannot be used together")
        if check_only and out is None:
            raise UsageError("--check compares with the --out file: give --out")
        when = _today(today)
        on_date = _date_option(meeting_date, "--date")
        fmt = choose_format(PackFormat(output_format.value) if output_format else None, out)
        targets = discover(paths)
        if not targets:
            raise UsageError("no plans found to render")
        resolver = PolicyResolver(policy, use_files=not no_policy)
        sources, refused = load_plans(targets, resolver, when)
        if refused:
            sys.stderr.write(text_report(Report(
                results=refused, today=when, fail_on=Severity.ERROR, elapsed=0.0)))
            _fail("not rendered: a plan that does not load or match the schema would give a "
                  "half-read pack; fix the errors above (rmp check shows them too)",
                  ExitCode.FINDINGS)
        target = output_path(out, fmt, sources)
        existing: str | None = None
        if check_only and target is not None and target.is_file():
            existing = target.read_text(encoding="utf-8", errors="replace")
        from rmp.history.versions import last_commits, versions_as_of

        commits = last_commits([s.path for s in sources])
        if any(c.shallow for c in commits.values()):
            typer.echo("rmp: note: shallow clone: the commit recorded for a plan may not be "
                       "its last change; fetch full history (git fetch --unshallow)", err=True)
        request = RenderRequest(
            audience=audience, fmt=fmt, today=when,
            generated=generation_time(
                generated, os.environ,
                recorded_generation_time(existing) if existing is not None else None),
            meeting=meeting, meeting_date=on_date, commits=commits,
            earlier=versions_as_of([s.path for s in sources], since) if since else None,
        )
        text = render_pack(sources, request)
        if check_only:
            assert target is not None
            if existing == text:
                typer.echo(f"rmp: {target} is up to date", err=True)
                raise typer.Exit(int(ExitCode.CLEAN))
            state = "is missing" if existing is None else "differs from a fresh render"
            _fail(f"{target} {state}; run the same command without --check",
                  ExitCode.FINDINGS)
        if target is None:
            sys.stdout.write(text)
        else:
            inputs = [s.path for s in sources]
            if policy is not None:
                inputs.append(policy)
            from rmp.io.fileio import write_output

            write_output(target, text, inputs)
            typer.echo(f"rmp: wrote {target}", err=True)


def _ask(value: str | None, prompt: str, option: str, default: str | None = None) -> str:
    if value:
        return value
    if sys.stdin.isatty():
        answer: str = typer.prompt(prompt, default=default)
        return answer
    if default is not None:
        return default
    raise UsageError(f"{option} is required when not running in a terminal")


@app.command()
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
    from rmp.app.new import NewPlan, default_schema_ref, render_plan, write_new
    from rmp.rules.catalogue import CataloguePolicyResolver as PolicyResolver

    with _errors():
        when = _today(today)
        essentials = NewPlan(
            case_ref=_ask(case_ref, "Case ref (pseudonymous)", "--case-ref"),
            plan_id=_ask(plan_id, "Plan ID", "--plan-id"),
            lead=_ask(lead, "Lead agency id", "--lead", "probation"),
            rosh=_ask(rosh, "Overall RoSH (low/medium/high/very-high)", "--rosh"),
        )
        essentials.validate()
        target = path if path is not None else Path(f"{essentials.plan_id}.yaml")
        policy = PolicyResolver().for_plan(target.absolute())
        text = render_plan(
            essentials, when, policy, target.name, schema_ref or default_schema_ref(target)
        )
        write_new(target, text)
    typer.echo(f"Created {target}. Fill in the TODOs, then run: rmp check {target}")


class LogFormat(str, Enum):
    """`rmp log --format` choices."""

    TEXT = "text"
    JSON = "json"


ValuesOption = Annotated[
    bool,
    typer.Option("--no-values", help="Leave field values out (IDs, kinds and field names only): "
                 "for output that others will see, such as CI logs."),
]


@app.command("diff")
def diff_command(
    plan: Annotated[
        Path | None,
        typer.Argument(metavar="PLAN", help="The plan file (its path in the working tree)."),
    ] = None,
    rev_a: Annotated[
        str | None,
        typer.Argument(metavar="REV_A", help="The older version: any git revision "
                       "(default HEAD, the last commit)."),
    ] = None,
    rev_b: Annotated[
        str | None,
        typer.Argument(metavar="REV_B", help="The newer version (default: the working tree)."),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="Compare the plan as it stood at "
                     "the end of this day (e.g. the last meeting) with the working tree."),
    ] = None,
    files: Annotated[
        tuple[Path, Path] | None,
        typer.Option("--files", metavar="BEFORE AFTER", help="Compare two plan files, "
                     "without git."),
    ] = None,
    output_format: Annotated[
        ListFormat,
        typer.Option("--format", "-f", help="text, md (a draft 'Changes since last meeting' "
                     "section) or json."),
    ] = ListFormat.TEXT,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes (like git diff).")
    ] = False,
    no_values: ValuesOption = False,
    today: TodayOption = None,
    textconv: Annotated[
        bool,
        typer.Option("--textconv", help="Print the semantic view of one file, for git's diff "
                     "driver (set up by rmp git-setup)."),
    ] = False,
) -> None:
    """Show what changed between two versions of a plan, in the plan's terms and keyed by
    item IDs: items added, removed or changed field by field; RoSH up or down; overall RoSH and
    MAPPA level; actions started, done, blocked, cancelled, reassigned or newly overdue; the
    review moved; risk factor priorities. Re-ordering alone is not a change.

    Unlike rmp check, this shows field values (old -> new): it is for the plan's author, in
    their own repository. Use --no-values for output others will see. Exit 0 whether or not
    there are changes (1 with --exit-code when there are); 1 when a version cannot be read;
    2 on a usage error, such as an unknown revision.

    Examples: rmp diff plans/RMP-0042.yaml; rmp diff plans/RMP-0042.yaml HEAD~3 HEAD;
    rmp diff plans/RMP-0042.yaml --since 2026-10-14 --format md;
    rmp diff --files old.yaml new.yaml --exit-code
    """
    from rmp.diff.engine import DIFF_RENDERERS
    from rmp.history.versions import files_diff, revisions_diff
    from rmp.history.versions import textconv as semantic_text

    with _errors():
        if textconv:
            if plan is None or files or rev_a or rev_b or since:
                raise UsageError("--textconv takes exactly one file")
            sys.stdout.buffer.write(semantic_text(plan))
            sys.stdout.flush()
            return
        when = _today(today)
        if files is not None:
            if plan is not None or since is not None:
                raise UsageError("--files takes two files and no plan, revision or --since")
            result = files_diff(files[0], files[1], when)
        else:
            if plan is None:
                raise UsageError("give a PLAN (or --files BEFORE AFTER)")
            result = revisions_diff(plan, rev_a, rev_b, when, _date_option(since, "--since"))
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        sys.stdout.write(DIFF_RENDERERS[output_format.value](
            result, not no_values, color and output_format is ListFormat.TEXT, when))
    for problem in result.problems:
        typer.echo(f"rmp: error: {result.plan}: {problem.version} cannot be read: "
                   f"{problem.describe()}", err=True)
    failed = bool(result.problems) or (exit_code and bool(result.changes))
    raise typer.Exit(int(ExitCode.FINDINGS if failed else ExitCode.CLEAN))


@app.command("log")
def log_command(
    plan: Annotated[
        Path, typer.Argument(metavar="PLAN", help="The plan file (renames are followed).")
    ],
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="YYYY-MM-DD", help="Only commits dated on or after "
                     "this day (author date)."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="YYYY-MM-DD", help="Only commits dated on or before "
                     "this day."),
    ] = None,
    output_format: Annotated[
        LogFormat, typer.Option("--format", "-f", help="text or json (every change in full).")
    ] = LogFormat.TEXT,
    no_values: ValuesOption = False,
) -> None:
    """List the plan's versions, newest first: date, commit, author, subject and a one-line
    summary of what changed ("RoSH known_adult community high -> very-high; A4 added; review
    moved to 2027-01-14"). Follows renames (git mv). A version that cannot be read is reported
    on its line and the rest goes on. Refuses (exit 2) in a shallow clone, whose history is cut
    short.

    Examples: rmp log plans/RMP-0042.yaml; rmp log plans/RMP-0042.yaml --since 2026-10-01
    --format json
    """
    from rmp.diff.engine import LOG_RENDERERS
    from rmp.history.versions import plan_log

    with _errors():
        history = plan_log(plan, _date_option(since, "--since"), _date_option(until, "--until"))
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        sys.stdout.write(LOG_RENDERERS[output_format.value](
            history, not no_values, color and output_format is LogFormat.TEXT))
    for entry in history.entries:
        for problem in entry.problems:
            if problem.version != "previous":  # reported once, on the broken version's line
                typer.echo(f"rmp: warning: {plan} at {entry.commit[:10]}: this version cannot "
                           f"be read: {problem.describe()}", err=True)


@app.command("git-setup")
def git_setup_command(
    path: Annotated[
        Path, typer.Argument(metavar="PATH", help="A folder in the repository (default: here).")
    ] = Path("."),
    patterns: Annotated[
        list[str] | None,
        typer.Option("--pattern", metavar="PATTERN",
                     help="Which files are plans, as a .gitattributes pattern; "
                     "repeat for several (default: *.yaml and *.yml)."),
    ] = None,
    command: Annotated[
        str,
        typer.Option("--command", metavar="COMMAND", help="How git should run rmp (default: "
                     "rmp, found on PATH)."),
    ] = "rmp",
) -> None:
    """Make git diff and git log -p show plans semantically: adds `PATTERN diff=rmp` lines to
    the repository's .gitattributes and sets `diff.rmp.textconv` in its local git config.
    Files that are not rmp/1 plans still diff as plain text. Refuses (exit 2), writing
    nothing, if either already holds a different setting.

    Undo: delete the `diff=rmp` lines from .gitattributes and run
    git config --unset diff.rmp.textconv.

    Example: rmp git-setup --pattern 'plans/*.yaml'
    """
    from rmp.history.versions import git_setup

    with _errors():
        done = git_setup(path, patterns or ["*.yaml", "*.yml"], command)
    for line in done or ["already set up: nothing to change"]:
        typer.echo(line)
    if done:
        typer.echo("Undo: remove the diff=rmp lines from .gitattributes and run "
                   "git config --unset diff.rmp.textconv")


def main() -> None:
    """Console entry point. Unexpected errors exit 2 with a fixed message: no traceback, no
    locals, nothing from the plan (set RMP_DEBUG=1 to see the traceback locally)."""
    if sys.argv[1:] == ["--version"]:  # the fast path: no imports beyond this module
        print(f"rmp {__version__}")
        return
    try:
        app(prog_name="rmp")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("rmp: interrupted", file=sys.stderr)
        sys.exit(int(ExitCode.REFUSED))
    except Exception:
        if os.environ.get("RMP_DEBUG") == "1":
            raise
        print("rmp: internal error (RMP-INTERNAL): the command stopped; nothing was written. "
              "Run again with RMP_DEBUG=1 to see the details locally.", file=sys.stderr)
        sys.exit(int(ExitCode.REFUSED))
