"""The check pipeline: files -> load -> schema -> rules -> findings. Prints nothing.

A file that cannot be read or parsed is a result with findings, never an exception, and the
run goes on with the next file. Many files are checked in worker processes (one validator
per process, files sent in chunks, results streamed back in order).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rmp.check.selection import Selection
from rmp.errors import UsageError
from rmp.findings import FileResult, Finding
from rmp.io.gate import gate_bytes, read_plan, unreadable
from rmp.io.load import Document
from rmp.model.paths import pointer
from rmp.model.view import PlanView
from rmp.policy.load import POLICY_NAMES, PolicyResolver
from rmp.policy.model import Policy
from rmp.rules.catalogue import ALL_RULES, FIXED_CODES, RULES_BY_CODE
from rmp.rules.registry import RuleContext

YAML_SUFFIXES = (".yaml", ".yml")
Extractor = Callable[[PlanView], object]
"""Takes what a command needs from a schema-valid plan while the check has it in hand (a
module-level function, so that worker processes can receive it)."""
PARALLEL_FROM = 200
"""Below this many files one process is faster than starting workers."""


@dataclass(frozen=True)
class Target:
    """A file to check, as the user will see its path."""

    path: Path
    shown: str
    explicit: bool
    """Named on the command line (always checked), or found in a folder."""
    content: bytes | None = None
    """The plan's bytes when they came from standard input (`rmp check -`)."""
    problem: str | None = None
    """Why a folder of a walk could not be read: a finding on the folder, never a silent skip."""


STDIN = Path("-")
"""The path that means "one plan from standard input"."""


def discover(
    paths: Sequence[Path], exclude: Sequence[str] = (), respect_gitignore: bool = True,
    stdin: Target | None = None,
) -> list[Target]:
    """Expand files and folders into the files to check, in a stable order.

    A folder means every `*.yaml`/`*.yml` below it except hidden files and folders, the
    policy file, what matches an `exclude` glob and, in a git work tree, what git ignores;
    symbolic links to folders are not followed, and a subfolder that cannot be read is a
    target carrying its `problem`. A file named explicitly is always checked. `-` stands for
    `stdin`. A missing path is a usage error.
    """
    targets: list[Target] = []
    seen: set[Path] = set()
    for given in paths:
        if given == STDIN and stdin is not None:
            targets.append(stdin)
        elif given.is_dir():
            for target in _walk(given, exclude, respect_gitignore):
                if target.path not in seen:
                    seen.add(target.path)
                    targets.append(target)
        elif given.exists():
            if given not in seen:
                seen.add(given)
                targets.append(Target(given, str(given), explicit=True))
        else:
            raise UsageError(f"{given}: no such file or folder")
    return targets


def _excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """Whether an `--exclude` glob matches the file or folder's name, its path below the
    folder walked, or its path as shown (fnmatch: `*` also matches `/`)."""
    import fnmatch

    if not patterns:
        return False
    names = (path.name, path.relative_to(root).as_posix(), path.as_posix())
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns for name in names)


def _walk(root: Path, exclude: Sequence[str], respect_gitignore: bool) -> list[Target]:
    patterns = [p.removeprefix("./").rstrip("/") or p for p in exclude]
    found: list[Target] = []
    unreadable: list[OSError] = []
    for folder, subfolders, files in os.walk(root, onerror=unreadable.append):
        here = Path(folder)
        subfolders[:] = sorted(
            d for d in subfolders
            if not d.startswith(".") and not _excluded(here / d, root, patterns)
        )
        found.extend(
            Target(here / name, str(here / name), explicit=False) for name in files
            if name.endswith(YAML_SUFFIXES) and not name.startswith(".")
            and name not in POLICY_NAMES and not _excluded(here / name, root, patterns)
        )
    for error in unreadable:
        place = Path(error.filename)
        found.append(Target(place, str(place), explicit=False,
                            problem=error.strerror or "unreadable"))
    if respect_gitignore and found:
        from rmp.history.git import ignored

        if ignored(root.resolve().parent, [root.resolve()]):
            # a folder named on the command line is checked whole, as a file named there is,
            # even when git ignores it (a generated or vendored folder of plans)
            return sorted(found, key=lambda t: t.path)
        hidden = ignored(root, [t.path for t in found])
        found = [t for t in found if t.path not in hidden]
    return sorted(found, key=lambda t: t.path)


def only_changed(targets: list[Target], revision: str, paths: Sequence[Path]) -> list[Target]:
    """The targets that differ from where the current branch left `revision` (committed or
    not), for fast pre-merge CI. A file named explicitly is kept only if it changed too."""
    from rmp.history.versions import changed_since

    changed = {p.resolve() for p in changed_since(revision, paths)}
    return [t for t in targets if t.path.resolve() in changed]


def check_document(
    document: Document, policy: Policy, today: date, selection: Selection | None = None,
    view: PlanView | None = None,
) -> list[Finding]:
    """Run every selected plan rule over a schema-valid plan, then apply waivers."""
    from rmp.check import waivers

    selection = selection or Selection()
    view = view or PlanView(document.data, today, policy.reading)
    context = RuleContext(view, policy, today)
    findings: list[Finding] = []
    ran: set[str] = set()
    for rule in ALL_RULES:
        if rule.phase != "plan":
            continue
        severity = selection.severity(rule, policy)
        if severity is None:
            continue
        ran.add(rule.code)
        for hit in rule.check(context):
            line, column = document.locate(hit.path, key=hit.at_key)
            findings.append(Finding(
                code=rule.code,
                severity=selection.hit_severity(rule, policy, severity, hit.severity),
                path=document.path, line=line,
                column=column, pointer=pointer(hit.path), message=hit.message,
                items=hit.items, criteria=rule.criteria,
            ))
    plan_entries = document.data.get("waivers")
    found = waivers.from_entries(
        plan_entries, document.path,
        [document.locate(("waivers", i)) for i in range(len(plan_entries or []))],
        "/waivers",
    )
    plan_id = view.section(("plan", "id"))
    found += [
        waivers.from_entry(entry.entry, policy.path or "rmp.yaml", entry.line, entry.column,
                           f"/waivers/{entry.index}")
        for entry in policy.waivers if entry.plan == plan_id
    ]
    if found:
        waiver_rule = RULES_BY_CODE[waivers.CODE]
        findings = waivers.apply(
            findings, found, today=today,
            unwaivable=set(policy.unwaivable),
            known=set(RULES_BY_CODE), fixed=FIXED_CODES, ran=ran,
            severity=selection.severity(waiver_rule, policy),
            criteria=waiver_rule.criteria, item_ids=frozenset(view.by_id),
        )
    findings.sort(key=Finding.sort_key)
    return findings


def check_file(
    target: Target, policy: Policy, today: date, selection: Selection | None = None,
    extract: Extractor | None = None,
) -> FileResult | None:
    """Check one file. None when a file found in a folder turns out to be a policy file."""
    if target.problem is not None:
        finding = unreadable(target.shown, target.problem, "folder")
        return FileResult(target.shown, (finding,), kind="unknown")
    if target.content is not None:
        gated = gate_bytes(target.shown, target.content)
    else:
        gated = read_plan(target.path, target.shown)
    if gated.kind == "policy" and not target.explicit:
        return None
    if not gated.passed:
        return FileResult(gated.shown, gated.findings, kind=gated.kind,
                          rules_skipped=gated.kind == "plan")
    assert gated.document is not None
    view = PlanView(gated.document.data, today, policy.reading)
    findings = check_document(gated.document, policy, today, selection, view)
    return FileResult(gated.shown, tuple(findings), plan_id=view.text(("plan", "id")),
                      facts=extract(view) if extract else None)


# -- running many files ------------------------------------------------------------------------

_WORKER_POLICIES: list[Policy] = []
_WORKER_TODAY: date = date.min
_WORKER_SELECTION = Selection()
_WORKER_EXTRACT: Extractor | None = None


def _init_worker(
    policies: list[Policy], today: date, selection: Selection, extract: Extractor | None
) -> None:
    global _WORKER_POLICIES, _WORKER_TODAY, _WORKER_SELECTION, _WORKER_EXTRACT
    _WORKER_POLICIES = policies
    _WORKER_TODAY = today
    _WORKER_SELECTION = selection
    _WORKER_EXTRACT = extract
    from rmp.io.schema import validator

    validator("plan")  # built once per worker, before the first file


def _check_in_worker(task: tuple[Target, int]) -> FileResult | None:
    target, policy_index = task
    return check_file(target, _WORKER_POLICIES[policy_index], _WORKER_TODAY, _WORKER_SELECTION,
                      _WORKER_EXTRACT)


def default_jobs(file_count: int) -> int:
    if file_count < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def iter_check(
    targets: Sequence[Target],
    resolver: PolicyResolver,
    today: date,
    jobs: int | None = None,
    selection: Selection | None = None,
    extract: Extractor | None = None,
) -> Iterator[FileResult]:
    """Check files, yielding results in input order as they are ready.

    Policies are resolved here, in the calling process, so that a broken policy file stops
    the run (ConfigError) before any worker starts.
    """
    policies: list[Policy] = []
    index_of: dict[int, int] = {}
    tasks: list[tuple[Target, int]] = []
    for target in targets:
        policy = resolver.for_plan(target.path)
        key = id(policy)
        if key not in index_of:
            index_of[key] = len(policies)
            policies.append(policy)
        tasks.append((target, index_of[key]))
    workers = default_jobs(len(tasks)) if jobs is None else max(1, jobs)
    if workers == 1 or len(tasks) < 2:
        for target, index in tasks:
            result = check_file(target, policies[index], today, selection, extract)
            if result is not None:
                yield result
        return
    import multiprocessing

    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(tasks) // (workers * 8) or 1))
    arguments = (policies, today, selection or Selection(), extract)
    with context.Pool(workers, initializer=_init_worker, initargs=arguments) as pool:
        for result in pool.imap(_check_in_worker, tasks, chunksize=chunk):
            if result is not None:
                yield result
