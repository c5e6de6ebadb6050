"""`rmp check`: discover plans, check them, write the reports, decide the exit code."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from rmp.app.common import Outcome, policy_resolver
from rmp.check.pipeline import Target, discover, iter_check, only_changed
from rmp.check.selection import Selection
from rmp.errors import ExitCode, UsageError
from rmp.findings import FileResult, Severity, fails
from rmp.report.base import OutputFormat

Progress = Callable[[Iterable[FileResult], int], Iterator[FileResult]]
"""Wraps the stream of results (the CLI draws a progress bar on a terminal)."""


def _no_progress(results: Iterable[FileResult], total: int) -> Iterator[FileResult]:
    yield from results


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


def select_targets(paths: Sequence[Path], changed_since: str | None, outcome: Outcome
                   ) -> list[Target]:
    """The plans a run covers; says so when a folder holds none (a CI job pointed at the
    wrong folder must not pass in silence)."""
    targets = discover(paths)
    if changed_since is not None:
        return only_changed(targets, changed_since, paths)
    if not targets:
        outcome.note("no plan files (*.yaml, *.yml) found: nothing was checked")
    return targets


def run_check(options: CheckOptions, progress: Progress = _no_progress) -> Outcome:
    """Check the plans and produce every requested report."""
    from rmp.report.base import Report
    from rmp.report.formats import render

    formats = list(options.formats)
    if not formats:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
        formats = [OutputFormat.GITHUB if github else OutputFormat.TEXT] * max(
            1, len(options.outputs))
    files = list(options.outputs)
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
    targets = select_targets(options.paths, options.changed_since, outcome)
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
