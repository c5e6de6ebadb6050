"""`rmp diff`'s two versions of a plan, found, gated and compared: two files, or a plan at two
git revisions (or a date) and the working tree. A version that fails the gate is a problem of
the result, and nothing is compared."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rmp.diff.engine import diff_plans, plan_id
from rmp.diff.records import PlanDiff, VersionRef
from rmp.errors import UsageError
from rmp.history.git import Repo
from rmp.history.versions import (
    WORKING_TREE,
    Version,
    as_at,
    at_commits,
    gate_version,
    shown_at,
    working_copy,
)


def _compared(plan: str, before_ref: VersionRef, before: Version, after_ref: VersionRef,
              after: Version, today: date, before_today: date) -> PlanDiff:
    problems = before.problems + after.problems
    changes = () if problems else tuple(
        diff_plans(before.data, after.data, today, before_today=before_today))
    return PlanDiff(plan, before_ref, after_ref, changes, problems,
                    plan_id(after.data) or plan_id(before.data), today)


def files_diff(before: Path, after: Path, today: date) -> PlanDiff:
    """Two files compared, without git (`rmp diff --files A B`), both judged at `today`."""
    versions = []
    for path in (before, after):
        content = working_copy(path)
        if content is None:
            raise UsageError(f"{path}: no such file")
        versions.append(gate_version(str(path), str(path), content))
    return _compared(f"{before} -> {after}", VersionRef(str(before), path=str(before)),
                     versions[0], VersionRef(str(after), path=str(after)), versions[1],
                     today, today)


def revisions_diff(plan: Path, rev_a: str | None, rev_b: str | None, today: date,
                   since: date | None = None) -> PlanDiff:
    """`rmp diff PLAN [REV_A [REV_B]]`: REV_A (default HEAD, or the version as at `since`)
    against REV_B (default the working tree). Each version is judged at its own date: a commit
    at its author date, `since` at that day, the working tree at `today`."""
    repo = Repo.at(plan)
    path = repo.relative(plan)
    if since is not None and rev_a is not None:
        raise UsageError("give either --since or a revision, not both")
    # every revision is resolved before anything is read
    if rev_a is None and since is None and not repo.has_commits():
        raise UsageError("the repository has no commits yet: nothing to compare with")
    sha_a = None if since is not None else repo.resolve(rev_a or "HEAD")
    sha_b = repo.resolve(rev_b) if rev_b is not None else None
    commits = [sha for sha in (sha_a, sha_b) if sha is not None]
    located = at_commits(repo, path, commits) if commits else {}

    if since is not None:
        before_ref, content_a = as_at(repo, path, since)
        before_today = since
    else:
        assert sha_a is not None
        info = repo.commit(sha_a)
        where, content_a = located[sha_a]
        before_ref = VersionRef(rev_a or "HEAD", sha_a, info.authored, where)
        before_today = info.day
    if sha_b is not None:
        info = repo.commit(sha_b)
        where, blob = located[sha_b]
        after_ref = VersionRef(str(rev_b), sha_b, info.authored, where)
        after = gate_version(sha_b, shown_at(where, sha_b), blob)
        today = info.day
    else:
        copy = working_copy(plan)
        after_ref = VersionRef(WORKING_TREE, path=path if copy is not None else None)
        after = gate_version(WORKING_TREE, str(plan), copy)
    if content_a is None and after_ref.path is None:
        raise UsageError(f"{plan}: not found in {before_ref.label} or in {after_ref.label} "
                         "(a mistyped path?)")
    before = gate_version(before_ref.commit or before_ref.label,
                          shown_at(before_ref.path, before_ref.commit), content_a)
    return _compared(str(plan), before_ref, before, after_ref, after, today, before_today)
