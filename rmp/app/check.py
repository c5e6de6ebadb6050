"""`rmp check`: discover plans, check them, write the reports, decide the exit code."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import BinaryIO

from rmp.app.common import Outcome, policy_resolver
from rmp.check.pipeline import STDIN, Target, discover, iter_check, only_changed
from rmp.check.selection import Selection
from rmp.errors import ExitCode, UsageError
from rmp.findings import FileResult, Severity, fails
from rmp.report.base import OutputFormat

Progress = Callable[[Iterable[FileResult], int], Iterator[FileResult]]
"""Wraps the stream of results (the CLI draws a progress bar on a terminal)."""


def no_progress(results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
    yield from results


@dataclass(frozen=True)
class Discovery:
    """How paths become plans: the options `check` and `status` share."""

    exclude: Sequence[str] = ()
    """Globs of files and folders a walk leaves out (files named explicitly are checked)."""
    respect_gitignore: bool = True
    stdin_filename: str | None = None
    """The name shown for the plan read from standard input (`-`); its folder is where the
    policy is looked for."""
    stdin: BinaryIO | None = None
    """Where `-` reads from (default: the process's standard input)."""


@dataclass(frozen=True)
class CheckOptions:
    """`rmp check`'s options as values."""

    paths: Sequence[Path]
    today: date
    formats: Sequence[OutputFormat] = ()
    outputs: Sequence[Path] = ()
    policy: Path | None = None
    no_policy: bool = False
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fail_on: Severity | None = None
    strict: bool = False
    show_waived: bool = False
    statistics: bool = False
    jobs: int | None = None
    changed_since: str | None = None
    color: bool = False
    discovery: Discovery = field(default_factory=Discovery)


STDIN_SHOWN = "<stdin>"


def _stdin_target(discovery: Discovery) -> Target:
    import sys

    from rmp.io.gate import read_stream

    shown = discovery.stdin_filename or STDIN_SHOWN
    stream = discovery.stdin if discovery.stdin is not None else sys.stdin.buffer
    return Target(Path(discovery.stdin_filename or STDIN_SHOWN), shown, explicit=True,
                  content=read_stream(stream))


def select_targets(paths: Sequence[Path], changed_since: str | None, outcome: Outcome,
                   discovery: Discovery = Discovery()) -> list[Target]:
    """The plans a run covers; says so when a folder holds none (a CI job pointed at the
    wrong folder must not pass in silence)."""
    from_stdin = sum(1 for p in paths if p == STDIN)
    if from_stdin > 1:
        raise UsageError("`-` (a plan on standard input) may be given only once")
    if from_stdin and changed_since is not None:
        raise UsageError("--changed-since cannot be used with `-` (standard input)")
    if discovery.stdin_filename is not None and not from_stdin:
        raise UsageError("--stdin-filename names the plan read from standard input: "
                         "give `-` as a path")
    stdin = _stdin_target(discovery) if from_stdin else None
    targets = discover(paths, discovery.exclude, discovery.respect_gitignore, stdin)
    if changed_since is not None:
        return only_changed(targets, changed_since, paths)
    if not targets:
        outcome.note("no plan files (*.yaml, *.yml) found: nothing was checked")
    return targets


SUFFIX_FORMATS = {".sarif": OutputFormat.SARIF, ".json": OutputFormat.JSON,
                  ".xml": OutputFormat.JUNIT}
"""The report format a `--output` file's suffix implies when no `--format` is given."""


def report_format(output: Path | None) -> OutputFormat:
    """The format of a report written to `output` (None: stdout) when `--format` is not
    given: from the file's suffix, else text (github under GitHub Actions)."""
    if output is not None and output.suffix.lower() in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[output.suffix.lower()]
    github = os.environ.get("GITHUB_ACTIONS") == "true"
    return OutputFormat.GITHUB if github else OutputFormat.TEXT


def run_check(options: CheckOptions, progress: Progress = no_progress) -> Outcome:
    """Check the plans and produce every requested report."""
    from rmp.report.base import Report
    from rmp.report.formats import render

    files = list(options.outputs)
    formats = list(options.formats) or [report_format(f) for f in files] or [report_format(None)]
    if len({f.resolve() for f in files}) != len(files):
        raise UsageError("two --output options name the same file: each report needs its own")
    if len(files) not in (len(formats), len(formats) - 1):
        raise UsageError("give one --output per --format (the last format may go to stdout)")
    if options.fail_on is not None and options.strict:
        raise UsageError("--strict and --fail-on cannot be used together")
    level = options.fail_on or (Severity.WARNING if options.strict else Severity.ERROR)
    selection = Selection.parse(list(options.select) or None, list(options.ignore) or None)
    resolver = policy_resolver(options.policy, options.no_policy)
    outcome = Outcome()
    started = time.perf_counter()
    targets = select_targets(options.paths, options.changed_since, outcome, options.discovery)
    results = list(progress(
        iter_check(targets, resolver, options.today, options.jobs, selection), len(targets)))
    elapsed = time.perf_counter() - started
    if options.policy is None and not options.no_policy and resolver.used_defaults:
        outcome.note("no policy file (rmp.yaml) found for some plans: the built-in defaults "
                     "apply to them.")
    report = Report(results=results, today=options.today, fail_on=level, elapsed=elapsed,
                    show_waived=options.show_waived, statistics=options.statistics)
    inputs = [t.path for t in targets]
    if options.policy is not None:
        inputs.append(options.policy)
    for index, output_format in enumerate(formats):
        if index < len(files):
            from rmp.io.fileio import write_output

            write_output(files[index], render(report, output_format), inputs)
        else:
            outcome.stdout += render(replace(report, color=options.color), output_format)
    findings = [f for r in results for f in r.findings]
    outcome.exit_code = ExitCode.FINDINGS if fails(findings, level) else ExitCode.CLEAN
    return outcome
