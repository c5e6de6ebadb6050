"""The `rmp` command line: options in, one library call, a reporter, an exit code.

Exit codes (the same for every command): 0 clean; 1 findings at or above the fail level;
2 usage error, refused operation, bad policy or internal error. Results go to stdout,
diagnostics to stderr. No message ever quotes a field's value from a plan.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

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


def _today(value: str | None) -> date:
    raw = value or os.environ.get("RMP_TODAY")
    if not raw:
        return date.today()
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise UsageError("--today (or RMP_TODAY) must be a date written YYYY-MM-DD") from None


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
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="Policy file to use instead of discovering rmp.yaml."),
    ] = None,
    no_policy: Annotated[
        bool, typer.Option("--no-policy", help="Use the built-in policy defaults only.")
    ] = False,
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
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: automatic)."),
    ] = None,
) -> None:
    """Validate plans against the rmp/1 schema and lint them for completeness against HF36.

    Every finding names file:line:col, a rule code and the HF36 criteria it serves, and never
    a field's value. Exit 0 when no finding reaches the fail level (default error), 1 when one
    does, 2 on a usage or policy error.

    Examples: rmp check examples/ --today 2026-11-27;
    rmp check plans/ -f sarif -o rmp.sarif -f text
    """
    from rmp.check import discover, iter_check
    from rmp.findings import Severity, fails
    from rmp.policy import PolicyResolver
    from rmp.report import Report, render
    from rmp.selection import Selection

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
        resolver = PolicyResolver(policy, use_files=not no_policy)
        results = list(iter_check(targets, resolver, when, jobs, selection))
        elapsed = time.perf_counter() - started
        if policy is None and not no_policy and resolver.used_defaults:
            typer.echo("rmp: note: no policy file (rmp.yaml) found for some plans: the "
                       "built-in defaults apply to them.", err=True)
        from dataclasses import replace

        from rmp.fileio import write_output

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
    from rmp.explain import rules_table

    sys.stdout.write(rules_table(output_format.value))


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="A rule code, e.g. RMP201.")],
) -> None:
    """Explain a rule: why it matters, a failing and a passing example, how to fix it.

    Example: rmp explain RMP201
    """
    from rmp.explain import explain_rule

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
    policy: Annotated[
        Path | None, typer.Option("--policy", help="Policy file (default: discovered).")
    ] = None,
) -> None:
    """Show HF36 performance criteria and knowledge items with the rules that check each; for
    a PLAN, whether each criterion is evidenced, missing or contradicted by findings.

    Criteria that need human judgement are checked for a record, not for quality.

    Examples: rmp criteria; rmp criteria examples/youth-risk-to-children.yaml
    """
    from rmp.explain import criteria_report

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
    from rmp.explain import policy_report

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
    from rmp.resources import schema_path

    with _errors():
        if name not in ("plan", "policy"):
            raise UsageError("schema name must be `plan` or `policy`")
        location = schema_path(name)
        if path:
            typer.echo(str(location))
        else:
            sys.stdout.write(location.read_text(encoding="utf-8"))


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
    from rmp.policy import PolicyResolver
    from rmp.scaffold import NewPlan, default_schema_ref, render_plan, write_new

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
