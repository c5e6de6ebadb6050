"""`rmp diff` and `rmp git-setup` (which makes git run `rmp diff --textconv`) as jobs: the
options in, an `Outcome` out (what to print, the exit code).

Exit codes: 0 the versions were compared (changes or not); 1 with `--exit-code` when there are
changes; 1 when a version fails the gate or git cannot read it (each problem on stderr as
`file:line:column: CODE message`, never a value; nothing is compared); 2 for a usage error
(raised as `RmpError`: an unknown revision, a path in neither version, no git).
`rmp git-setup`: 0 done or already set up; 2 when it refuses (`RefusedError`, nothing written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rmp.app.common import Outcome
from rmp.diff.records import VersionProblem
from rmp.errors import ExitCode, UsageError

DEFAULT_PATTERNS = ("*.yaml", "*.yml")
"""Which files `rmp git-setup` marks as plans when no --pattern is given."""


@dataclass(frozen=True)
class DiffRequest:
    """The options of `rmp diff`, parsed."""

    today: date
    """The date the working tree (or `--files`) is judged at."""
    plan: Path | None = None
    rev_a: str | None = None
    rev_b: str | None = None
    since: date | None = None
    files: tuple[Path, Path] | None = None
    output_format: str = "text"
    """A key of `rmp.diff.formats.DIFF_RENDERERS`: text, md or json."""
    fail_on_changes: bool = False
    """`--exit-code`: exit 1 when there are changes."""
    values: bool = True
    color: bool = False
    """Colour the text view (the caller decides, from `rmp.output.terminal.use_color`)."""


def problem_line(problem: VersionProblem) -> str:
    """One unusable version on stderr: where, the rule's code and message, which version."""
    from rmp.history.git import is_sha
    from rmp.history.versions import WORKING_TREE

    if problem.version == WORKING_TREE:
        which = "the working tree version"
    elif is_sha(problem.version):
        which = f"the version at {problem.version[:10]}"
    elif problem.version == "previous":
        which = "the version before"
    else:
        which = "this version"
    return f"rmp: error: {problem.located()} ({which} cannot be read)"


def run_diff(request: DiffRequest) -> Outcome:
    """Find, gate and compare the two versions; render them in the asked format."""
    from rmp.diff.formats import DIFF_RENDERERS
    from rmp.history.compare import files_diff, revisions_diff

    if request.output_format not in DIFF_RENDERERS:
        raise UsageError(f"--format must be one of: {', '.join(DIFF_RENDERERS)}")
    if request.files is not None:
        if request.plan is not None or request.since is not None or request.rev_a is not None:
            raise UsageError("--files takes two files and no plan, revision or --since")
        result = files_diff(request.files[0], request.files[1], request.today)
    else:
        if request.plan is None:
            raise UsageError("give a PLAN (or --files BEFORE AFTER)")
        result = revisions_diff(request.plan, request.rev_a, request.rev_b, request.today,
                                request.since)
    if not request.values:  # no values, and no extension key's name either
        from dataclasses import replace

        result = replace(result, changes=tuple(c.without_values() for c in result.changes))
    text = DIFF_RENDERERS[request.output_format](
        result, request.values, request.color and request.output_format == "text",
        request.today)
    failed = not result.complete or (request.fail_on_changes and bool(result.changes))
    return Outcome(stdout=text, stderr=[problem_line(p) for p in result.problems],
                   exit_code=ExitCode.FINDINGS if failed else ExitCode.CLEAN)


def run_textconv(path: Path) -> bytes:
    """`rmp diff --textconv FILE`, run by git's diff driver: the semantic view of a plan, any
    other file exactly as it is (whole, whatever its size), and nothing for a file that cannot
    be read (git then shows it empty)."""
    from rmp.diff.textconv import textconv

    try:
        raw = path.read_bytes()
    except OSError:
        return b""
    return textconv(str(path), raw)


def run_git_setup(where: Path, patterns: list[str] | None, command: str) -> Outcome:
    """Configure the repository's diff driver; say what was done and how to undo it."""
    from rmp.history.setup import git_setup

    done = git_setup(where, patterns or list(DEFAULT_PATTERNS), command)
    lines = done or ["already set up: nothing to change"]
    if done:
        lines.append("Undo: remove the diff=rmp lines from .gitattributes and run "
                     "git config --unset diff.rmp.textconv")
    return Outcome(stdout="".join(f"{line}\n" for line in lines))
