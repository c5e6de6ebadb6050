"""Benchmark `rmp render`: one meeting pack of 200 plans, Markdown and HTML; with --memory, the
peak memory of a 2,000-plan pack.

    python benchmarks/bench_render.py [--count 200] [--runs 3] [--dir DIR] [--audience A] [--json]
    python benchmarks/bench_render.py --memory [--memory-count 2000]

Generates plans with benchmarks/generate.py (fictional, 10-20 KB each) into DIR (default
benchmarks/out/render-plans-N, git-ignored), keeps the first N that load and match the schema
(the generator's deliberate RMP101 faults would stop a pack), and times, best of --runs:

- the whole command, as a user runs it: `python -m rmp render <N plans> --audience panel
  --format md|html --out FILE --no-policy --today 2026-11-27 --generated 2026-11-27T09:00:00Z`
  (start-up, loading and schema checks, projection, templates, atomic write);
- the library alone (`rmp.render.pack.render` over already loaded plans), to show what the templates
  cost.

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
    return plans[:count]


def _command(plans: list[Path], fmt: str, audience: str, target: Path) -> list[str]:
    return [sys.executable, "-m", "rmp", "render", *map(str, plans), "--audience", audience,
            "--format", fmt, "--out", str(target), "--no-policy", "--today", TODAY,
            "--generated", GENERATED, "--meeting", "Benchmark pack"]


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


def time_command(plans: list[Path], fmt: str, runs: int, audience: str) -> tuple[float, int]:
    best = float("inf")
    size = 0
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / f"pack.{fmt}"
        command = _command(plans, fmt, audience, target)
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
    from datetime import date

    from rmp.io.load import load_bytes
    from rmp.policy.load import defaults
    from rmp.render.pack import PackFormat, PlanSource, RenderRequest, render

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
        render(sources, request)
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
    print(f"rmp render: one pack of {len(plans)} plans, audience {args.audience} "
          f"(best of {args.runs})")
    for fmt in ("md", "html"):
        row = results[fmt]
        verdict = "ok" if row["command_seconds"] < TARGET_SECONDS else "MISSED"
        print(f"  {fmt:<4} command {row['command_seconds']:6.2f} s  library "
              f"{row['library_seconds']:6.2f} s  {row['bytes'] / 1e6:5.1f} MB   "
              f"target < {TARGET_SECONDS:.0f} s: {verdict}")
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
