"""Benchmark `rmp render`: one meeting pack of 200 plans, Markdown and HTML; with --memory, the
peak memory of a 2,000-plan pack.

    python benchmarks/bench_render.py [--count 200] [--runs 3] [--dir DIR] [--audience A] [--json]
                                      [--compare]
    python benchmarks/bench_render.py --memory [--memory-count 2000]

Generates plans with benchmarks/generate.py (fictional, 10-20 KB each) into DIR (default
benchmarks/out/render-plans-N, git-ignored), keeps the first N that load and match the schema
(the generator's deliberate RMP101 faults would stop a pack), and times, best of --runs:

- the whole command, as a user runs it: `python -m rmp render <N plans> --audience panel
  --format md|html --out FILE --no-policy --today 2026-11-27 --generated 2026-11-27T09:00:00Z`
  (start-up, loading and schema checks, projection, templates, atomic write);
- the library alone (git history for the timelines, then `rmp.render.pack.render` over already
  loaded plans), to show what the templates cost.

The corpus folder is a git repository in which each plan has four versions (three older ones
changing RoSH levels and the MAPPA level, then the generated plan), so the timings include
reading every plan's timeline from git history; `--compare` also times the command with
`--no-timeline`.


With --memory it instead runs the same command once per format for --memory-count plans (default
2,000; corpus in benchmarks/out/render-plans-2000) and reports its peak resident set size, as
`os.wait4` returns it for that one child (`ru_maxrss`, the figure `/usr/bin/time -f %M` prints).

Targets: the whole command under 3 s for 200 plans in each format; a 2,000-plan pack under
400 MB at its peak (memory stays flat as packs grow: the pack is streamed). Exit status: 0 when
the benchmark ran, 1 with --check-targets when a target was missed, 2 when rendering failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))
import generate  # noqa: E402  (benchmarks/ is not a package)

TODAY = generate.TODAY.isoformat()
GENERATED = "2026-11-27T09:00:00Z"
TARGET_SECONDS = 3.0
TARGET_PEAK_MB = 400


def corpus(folder: Path, count: int) -> list[Path]:
    """The first `count` generated plans that can be rendered (no deliberate schema fault)."""
    wanted = count + count // 3 + 10  # about a fifth carry faults, not all of them RMP101
    manifest_path = folder / ".corpus.json"
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("count") != wanted or \
            manifest.get("generator_version") != generate.GENERATOR_VERSION:
        manifest = generate.generate(str(folder), wanted, seed=1)
    faulty = manifest.get("faulty", {})
    plans = []
    for path in sorted(folder.glob("plan-*.yaml")):
        codes = faulty.get(path.name, [])
        if not any(code.startswith("RMP0") or code == "RMP101" for code in codes):
            plans.append(path)
    if len(plans) < count:
        raise SystemExit(f"only {len(plans)} renderable plans in {folder}")
    history(folder, manifest)
    return plans[:count]


HISTORY_VERSION = "1"
_LEVEL_LINE = re.compile(r"^(    (?:children|known_adult|public): \{community: )([a-z-]+)", re.M)
_MAPPA_LEVEL = re.compile(r"(mappa: \{[^}\n]*\blevel: )([123])")
_OLDER = (("2026-03-02", ("low", "medium", "high"), "1"),
          ("2026-06-01", ("medium", "high", "medium"), "2"),
          ("2026-09-01", ("high", "low", "medium"), "3"))
"""Dates and, for the three older versions, the community RoSH of children, known adult and
public and the MAPPA level written into each plan."""


def _git(folder: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Benchmark", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Benchmark", GIT_COMMITTER_EMAIL="bench@example.invalid")
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T09:00:00Z", GIT_COMMITTER_DATE=f"{date}T09:00:00Z")
    subprocess.run(["git", "-C", str(folder), *args], check=True, env=env,
                   capture_output=True)


def history(folder: Path, manifest: dict[str, Any]) -> None:
    """Make `folder` a git repository holding four versions of every plan (once per corpus:
    the manifest records it)."""
    marker = folder / ".git" / "rmp-benchmark"
    if manifest.get("history") == HISTORY_VERSION and marker.is_file():
        return
    if (folder / ".git").exists():
        if not marker.is_file():
            raise SystemExit(f"{folder} is a git repository this benchmark did not make; "
                             "give --dir a folder of its own")
        import shutil

        shutil.rmtree(folder / ".git")
    _git(folder, "init", "-q", ".")
    marker.write_text("made by benchmarks/bench_render.py\n", encoding="utf-8")
    plans = sorted(folder.glob("plan-*.yaml"))
    current = {path: path.read_bytes() for path in plans}
    for day, levels, mappa in _OLDER:
        for path, raw in current.items():
            text = raw.decode("utf-8")
            groups = iter(levels)
            text = _LEVEL_LINE.sub(lambda m, g=groups: m.group(1) + next(g, m.group(2)), text)
            text = _MAPPA_LEVEL.sub(lambda m, level=mappa: m.group(1) + level, text)
            path.write_text(text, encoding="utf-8")
        _git(folder, "add", "-A", ".")
        _git(folder, "commit", "-q", "--no-verify", "-m", f"plans as at {day}", date=day)
    for path, raw in current.items():
        path.write_bytes(raw)
    _git(folder, "add", "-A", ".")
    _git(folder, "commit", "-q", "--no-verify", "-m", "plans as generated", date="2026-11-02")
    manifest["history"] = HISTORY_VERSION
    (folder / ".corpus.json").write_text(json.dumps(manifest), encoding="utf-8")


def _command(plans: list[Path], fmt: str, audience: str, target: Path,
             extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, "-m", "rmp", "render", *map(str, plans), "--audience", audience,
            "--format", fmt, "--out", str(target), "--no-policy", "--today", TODAY,
            "--generated", GENERATED, "--meeting", "Benchmark pack", *extra]


def peak_memory(plans: list[Path], fmt: str, audience: str) -> tuple[float, float, int]:
    """(peak RSS in MB, seconds, bytes written) of one run of the command. The child is reaped
    with `os.wait4`, which gives its own `ru_maxrss` (kilobytes on Linux), not the high-water
    mark over every child `getrusage(RUSAGE_CHILDREN)` would give."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"pack.{fmt}"
        started = time.perf_counter()
        child = subprocess.Popen(_command(plans, fmt, audience, target), cwd=REPO,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - started
        child.stderr.close()
        if child.returncode != 0:
            sys.stderr.write(errors.decode("utf-8", "replace")[-3000:])
            raise SystemExit(2)
        return usage.ru_maxrss / 1024, elapsed, target.stat().st_size


def time_command(plans: list[Path], fmt: str, runs: int, audience: str,
                 extra: tuple[str, ...] = ()) -> tuple[float, int]:
    best = float("inf")
    size = 0
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"pack.{fmt}"
        command = _command(plans, fmt, audience, target, extra)
        for _ in range(runs):
            started = time.perf_counter()
            completed = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                                       check=False)
            elapsed = time.perf_counter() - started
            if completed.returncode != 0:
                sys.stderr.write(completed.stderr[-3000:])
                raise SystemExit(2)
            best = min(best, elapsed)
            size = target.stat().st_size
    return best, size


def time_library(plans: list[Path], fmt: str, runs: int, audience: str) -> float:
    from dataclasses import replace
    from datetime import date

    from rmp.history.timeline import read_timelines
    from rmp.history.versions import last_commits
    from rmp.io.load import load_bytes
    from rmp.policy.load import defaults
    from rmp.render.pack import PackFormat, PlanData, PlanSource, RenderRequest, render

    policy = defaults()
    sources = []
    for path in plans:
        document, _ = load_bytes(str(path), path.read_bytes())
        assert document is not None
        sources.append(PlanSource(path, str(path), document.data, policy))
    request = RenderRequest(audience, PackFormat(fmt), date.fromisoformat(TODAY),
                            datetime(2026, 11, 27, 9, tzinfo=UTC), meeting="Benchmark pack")
    render(sources[:2], request)  # environment built and templates compiled once, as in a run
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        commits = last_commits(plans)  # as rmp render reads them: the timelines need them
        timelines = read_timelines(PlanData(sources), commits, request.today)
        render(sources, replace(request, commits=commits, timelines=timelines))
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--audience", default="panel")
    parser.add_argument("--memory", action="store_true",
                        help="measure the peak memory of one --memory-count plan pack instead")
    parser.add_argument("--memory-count", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check-targets", action="store_true")
    parser.add_argument("--compare", action="store_true",
                        help="also time the command with --no-timeline")
    args = parser.parse_args(argv)
    if args.memory:
        return memory(args)
    folder = args.dir or HERE / "out" / f"render-plans-{args.count}"
    plans = corpus(folder, args.count)
    results: dict[str, Any] = {"plans": len(plans), "audience": args.audience,
                               "target_seconds": TARGET_SECONDS, "cpus": os.cpu_count()}
    for fmt in ("md", "html"):
        seconds, size = time_command(plans, fmt, args.runs, args.audience)
        results[fmt] = {"command_seconds": round(seconds, 3), "bytes": size,
                        "library_seconds": round(time_library(plans, fmt, args.runs,
                                                              args.audience), 3)}
        if args.compare:
            plain, _ = time_command(plans, fmt, args.runs, args.audience, ("--no-timeline",))
            results[fmt]["no_timeline_seconds"] = round(plain, 3)
    print(f"rmp render: one pack of {len(plans)} plans, audience {args.audience} "
          f"(best of {args.runs})")
    for fmt in ("md", "html"):
        row = results[fmt]
        verdict = "ok" if row["command_seconds"] < TARGET_SECONDS else "MISSED"
        print(f"  {fmt:<4} command {row['command_seconds']:6.2f} s  library "
              f"{row['library_seconds']:6.2f} s  {row['bytes'] / 1e6:5.1f} MB   "
              f"target < {TARGET_SECONDS:.0f} s: {verdict}"
              + (f"  (--no-timeline {row['no_timeline_seconds']:.2f} s)"
                 if "no_timeline_seconds" in row else ""))
    if args.json:
        print(json.dumps(results, indent=1))
    missed = any(results[f]["command_seconds"] >= TARGET_SECONDS for f in ("md", "html"))
    return 1 if args.check_targets and missed else 0


def memory(args: argparse.Namespace) -> int:
    count = args.memory_count
    folder = args.dir or HERE / "out" / f"render-plans-{count}"
    plans = corpus(folder, count)
    results: dict[str, Any] = {"plans": len(plans), "audience": args.audience,
                               "target_peak_mb": TARGET_PEAK_MB}
    print(f"rmp render: peak memory of one pack of {len(plans)} plans, audience {args.audience}")
    for fmt in ("md", "html"):
        peak, seconds, size = peak_memory(plans, fmt, args.audience)
        results[fmt] = {"peak_mb": round(peak, 1), "seconds": round(seconds, 2), "bytes": size}
        verdict = "ok" if peak < TARGET_PEAK_MB else "MISSED"
        print(f"  {fmt:<4} peak {peak:7.1f} MB  {seconds:6.2f} s  {size / 1e6:6.1f} MB written   "
              f"target < {TARGET_PEAK_MB} MB: {verdict}")
    if args.json:
        print(json.dumps(results, indent=1))
    missed = any(results[f]["peak_mb"] >= TARGET_PEAK_MB for f in ("md", "html"))
    return 1 if args.check_targets and missed else 0


if __name__ == "__main__":
    sys.exit(main())
