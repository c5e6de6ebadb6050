"""Benchmark `rmp log` and `rmp diff` on a repository with 1,000 commits to one plan.

    python benchmarks/bench_history.py [--commits 1000] [--dir DIR] [--repeat 3] [--json]
                                       [--check-targets]

Builds (once; reused while the commit count and generator version match) a git repository under
DIR (default benchmarks/out/history-N, git-ignored) with `git fast-import`: the plan is
`generate.make_plan_data(1, 1)`, the benchmark corpus's first plan (10-20 KB), and each commit
changes a few fields of the one before it: the next review date, one action's status, one RoSH
rating and, every seventh commit, a risk factor's priority. Then it measures, each as a fresh
process and best of `--repeat`:

- floor: one `git cat-file --batch` reading every version of the plan (the blob SHAs are
  listed beforehand, untimed) and a bare `yaml.load(text, Loader=yaml.CSafeLoader)` of each;
- `python -m rmp log PLAN --format json` (every version read, loaded strictly and diffed
  against the one before it), and the same with the text format;
- `python -m rmp diff PLAN A B --format json` for two pairs of versions: neighbours, and the
  first against the last.

Targets (printed beside the results): rmp log < 1.5 x the floor; rmp diff < 0.5 s.
Exit status: 0 when the benchmark ran, 1 with --check-targets when a target was missed, 2 when
the benchmark itself failed (a command exited non-zero).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/ is not a package)

from rmp.model.vocabulary import LEVELS  # noqa: E402  (generate put the repository on the path)

BUILDER_VERSION = 2
TARGET_LOG_RATIO = 1.5
TARGET_DIFF_SECONDS = 0.5
PLAN_PATH = "plans/RMP-00001.yaml"
START_EPOCH = 1767261600  # 2026-01-01T10:00:00Z; one commit an hour after it

FLOOR_CODE = r"""
import subprocess, sys, time
import yaml
shas = open(sys.argv[2]).read().split()
started = time.perf_counter()
request = "".join(s + "\n" for s in shas).encode()
out = subprocess.run(["git", "-C", sys.argv[1], "cat-file", "--batch"], input=request,
                     capture_output=True, check=True).stdout
at = 0
count = 0
while at < len(out):
    end = out.index(b"\n", at)
    size = int(out[at:end].split()[2])
    text = out[end + 1:end + 1 + size].decode("utf-8")
    yaml.load(text, Loader=yaml.CSafeLoader)
    at = end + 1 + size + 1
    count += 1
assert count == len(shas), (count, len(shas))
print(time.perf_counter() - started)
"""

_STATUSES = ("planned", "in-progress", "done", "blocked", "in-progress")


def _mutate(plan: dict[str, Any], number: int) -> None:
    """Commit `number`: a few fields of the plan before it changed, the rest as it was."""
    plan["plan"].setdefault("review", {})["next"] = time.strftime(
        "%Y-%m-%d", time.gmtime(START_EPOCH + 86400 * (30 + number)))
    actions = plan.get("actions") or []
    if actions:
        action = actions[number % len(actions)]
        current = action.get("status")
        action["status"] = (_STATUSES[(_STATUSES.index(current) + 1) % len(_STATUSES)]
                            if current in _STATUSES else "planned")
    ratings = [r for r in (plan["assessment"].get("rosh") or {}).values() if "community" in r]
    if ratings:
        rating = ratings[number % len(ratings)]
        step = 1 if (number // len(ratings)) % 2 == 0 else -1
        index = LEVELS.index(rating["community"]) if rating["community"] in LEVELS else 0
        rating["community"] = LEVELS[max(0, min(len(LEVELS) - 1, index + step))]
    factors = [f for f in plan.get("risk_factors") or [] if "priority" in f]
    if number % 7 == 0 and factors:
        factor = factors[number % len(factors)]
        factor["priority"] = factor["priority"] % 4 + 1


def build(directory: Path, commits: int) -> list[str]:
    """The repository and the blob SHA of every version, oldest first."""
    stamp = directory / ".bench-history.json"
    wanted = {"commits": commits, "builder": BUILDER_VERSION,
              "generator": generate.GENERATOR_VERSION}
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")).get("key") == wanted:
        return list(json.loads(stamp.read_text(encoding="utf-8"))["blobs"])
    if directory.exists():
        subprocess.run(["rm", "-rf", "--", str(directory)], check=True)
    directory.mkdir(parents=True)
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "init", "-q", "-b", "main", str(directory)], check=True, env=env)
    plan, _, example = generate.make_plan_data(1, 1)
    stream = bytearray()
    for number in range(commits):
        if number:
            _mutate(plan, number)
        data = generate.dump(plan, f"examples/{example}").encode("utf-8")
        message = (f"Version {number + 1} of the fictional plan" if number else
                   "First version of the fictional plan").encode()
        when = START_EPOCH + 3600 * number
        stream += b"blob\nmark :%d\ndata %d\n%s\n" % (2 * number + 1, len(data), data)
        stream += b"commit refs/heads/main\nmark :%d\n" % (2 * number + 2)
        person = b"Sam Example <sam@example.invalid> %d +0000\n" % when
        stream += b"author " + person + b"committer " + person
        stream += b"data %d\n%s\n" % (len(message), message)
        if number:
            stream += b"from :%d\n" % (2 * number)
        stream += b"M 100644 :%d %s\n\n" % (2 * number + 1, PLAN_PATH.encode())
    subprocess.run(["git", "-C", str(directory), "fast-import", "--quiet"], input=bytes(stream),
                   check=True, env=env)
    subprocess.run(["git", "-C", str(directory), "checkout", "-q", "-f", "main"], check=True,
                   env=env)
    listing = subprocess.run(
        ["git", "-C", str(directory), "log", "--reverse", "--format=", "--raw", "--no-abbrev",
         "--end-of-options", "main", "--", PLAN_PATH],
        capture_output=True, text=True, check=True, env=env).stdout
    blobs = [line.split()[3] for line in listing.splitlines() if line.startswith(":")]
    assert len(blobs) == commits, (len(blobs), commits)
    stamp.write_text(json.dumps({"key": wanted, "blobs": blobs}), encoding="utf-8")
    return blobs


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {completed.returncode}: "
                           f"{completed.stderr.decode(errors='replace')[:300]}")
    return elapsed


def _best(command: list[str], cwd: Path, repeat: int) -> float:
    return min(_timed(command, cwd) for _ in range(repeat))


def measure(directory: Path, blobs: list[str], repeat: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(blobs))
        listing = handle.name
    try:
        floor_runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            completed = subprocess.run([sys.executable, "-c", FLOOR_CODE, str(directory),
                                        listing], capture_output=True, text=True, check=True)
            floor_runs.append(time.perf_counter() - started)
            float(completed.stdout)
        floor = min(floor_runs)
    finally:
        os.unlink(listing)
    rmp = [sys.executable, "-m", "rmp"]
    plan = str(directory / PLAN_PATH)
    env_cwd = REPO
    log_json = _best([*rmp, "log", plan, "--format", "json"], env_cwd, repeat)
    log_text = _best([*rmp, "log", plan], env_cwd, repeat)
    count = len(blobs)
    diff_near = _best([*rmp, "diff", plan, "HEAD~1", "HEAD", "--format", "json"], env_cwd,
                      max(repeat, 5))
    diff_far = _best([*rmp, "diff", plan, f"HEAD~{count - 1}", "HEAD", "--format", "json"],
                     env_cwd, max(repeat, 5))
    diff_worktree = _best([*rmp, "diff", plan, f"HEAD~{count // 2}", "--format", "json"],
                          env_cwd, max(repeat, 5))
    return {
        "commits": count,
        "plan_bytes": (directory / PLAN_PATH).stat().st_size,
        "floor_seconds": round(floor, 3),
        "log_json_seconds": round(log_json, 3),
        "log_text_seconds": round(log_text, 3),
        "log_ratio": round(log_json / floor, 2),
        "diff_neighbours_seconds": round(diff_near, 3),
        "diff_first_last_seconds": round(diff_far, 3),
        "diff_to_working_tree_seconds": round(diff_worktree, 3),
        "targets": {"log_ratio": TARGET_LOG_RATIO, "diff_seconds": TARGET_DIFF_SECONDS},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    parser.add_argument("--check-targets", action="store_true",
                        help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.commits < 2:
        parser.error("--commits must be at least 2")
    directory = args.dir or HERE / "out" / f"history-{args.commits}"
    try:
        started = time.perf_counter()
        blobs = build(directory, args.commits)
        print(f"repository: {directory} ({args.commits} commits; ready in "
              f"{time.perf_counter() - started:.1f} s)")
        results = measure(directory, blobs, args.repeat)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 2
    diff_worst = max(results["diff_neighbours_seconds"], results["diff_first_last_seconds"],
                     results["diff_to_working_tree_seconds"])
    log_ok = results["log_ratio"] < TARGET_LOG_RATIO
    diff_ok = diff_worst < TARGET_DIFF_SECONDS
    rows = [
        ("floor: cat-file --batch + CSafeLoader", f"{results['floor_seconds']:.3f} s", ""),
        ("rmp log --format json", f"{results['log_json_seconds']:.3f} s",
         f"{results['log_ratio']:.2f} x floor (target < {TARGET_LOG_RATIO}) "
         f"{'ok' if log_ok else 'MISSED'}"),
        ("rmp log (text)", f"{results['log_text_seconds']:.3f} s", ""),
        ("rmp diff HEAD~1 HEAD", f"{results['diff_neighbours_seconds']:.3f} s", ""),
        (f"rmp diff HEAD~{args.commits - 1} HEAD", f"{results['diff_first_last_seconds']:.3f} s",
         ""),
        (f"rmp diff HEAD~{args.commits // 2} (working tree)",
         f"{results['diff_to_working_tree_seconds']:.3f} s",
         f"worst {diff_worst:.3f} s (target < {TARGET_DIFF_SECONDS} s) "
         f"{'ok' if diff_ok else 'MISSED'}"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>9}  {note}")
    if args.json:
        print(json.dumps(results, indent=1))
    if args.check_targets and not (log_ok and diff_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
