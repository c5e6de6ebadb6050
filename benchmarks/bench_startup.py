"""Start-up time of the rmp CLI: `rmp --version` and a clean one-file `rmp check`.

    .venv/bin/python benchmarks/bench_startup.py [--runs 20] [--plan examples/X.yaml] [--imports]

Each command runs as a fresh subprocess (`python -m rmp ...`, this interpreter, the repository as
working directory) and is timed from outside, so interpreter start-up counts. The commands take
turns, so load on the machine spreads over all of them; the best of N is the figure to compare
(the median shows the noise). One untimed warm-up run first lets Python write its bytecode
cache, as any installed copy has one (PYTHONDONTWRITEBYTECODE would otherwise make every run
compile rmp's sources again).

Target: `rmp check PLAN --today 2026-11-27 --no-policy` (a clean plan) in at most 100 ms, best
of N. Exit status 0 when it is met, 1 when not, 2 when a command failed.

--imports adds `python -X importtime` of the check, N times, and prints the modules whose
import (with what they import) took longest, by the best of the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-27"
TARGET_MS = 100.0
DEFAULT_PLAN = "examples/community-order-violence-alcohol.yaml"


def run(command: list[str], env: dict[str, str] | None = None) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, check=False, env=env)
    return (time.perf_counter() - started) * 1000, done


def import_times(command: list[str], runs: int) -> list[tuple[float, float, str]]:
    """(best cumulative ms, best self ms, module) for every module, best over `runs` runs."""
    cumulative: dict[str, float] = {}
    own: dict[str, float] = {}
    for _ in range(runs):
        _, done = run([command[0], "-X", "importtime", *command[1:]])
        for line in done.stderr.decode(errors="replace").splitlines():
            if not line.startswith("import time:") or "|" not in line:
                continue
            fields = line[len("import time:"):].split("|")
            if not fields[0].strip().isdigit():
                continue  # the header line
            name = fields[2].rstrip()
            depth = (len(name) - len(name.lstrip())) // 2
            key = f"{'  ' * depth}{name.strip()}"
            cumulative[key] = min(cumulative.get(key, 1e12), int(fields[1]) / 1000)
            own[key] = min(own.get(key, 1e12), int(fields[0]) / 1000)
    return sorted(((c, own[k], k) for k, c in cumulative.items()), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each command (default 20)")
    parser.add_argument("--plan", default=DEFAULT_PLAN, help=f"a clean plan (default {DEFAULT_PLAN})")
    parser.add_argument("--imports", action="store_true", help="also show the slowest imports")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    rmp = [sys.executable, "-m", "rmp"]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "rmp --version": [*rmp, "--version"],
        "rmp check (one clean plan)": [*rmp, "check", args.plan, "--today", TODAY, "--no-policy"],
    }
    warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for name, command in commands.items():
        _, done = run(command, warm)
        if done.returncode != 0:
            print(f"{name} exited {done.returncode}:\n{done.stderr.decode(errors='replace')[-2000:]}",
                  file=sys.stderr)
            return 2
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            elapsed, done = run(command)
            if done.returncode != 0:
                print(f"{name} exited {done.returncode}", file=sys.stderr)
                return 2
            times[name].append(elapsed)
    results = {name: {"best_ms": round(min(t), 1), "median_ms": round(statistics.median(t), 1)}
               for name, t in times.items()}
    check = results["rmp check (one clean plan)"]
    met = check["best_ms"] <= TARGET_MS
    print(f"start-up, {args.runs} runs each (load average {os.getloadavg()[0]:.2f} on "
          f"{os.cpu_count()} CPUs); plan {args.plan}")
    print(f"  {'':<28}{'best':>9}{'median':>10}  target")
    for name, row in results.items():
        target = (f"<= {TARGET_MS:.0f} ms best  {'ok' if met else 'MISSED'}"
                  if row is check else "")
        print(f"  {name:<28}{row['best_ms']:>6.0f} ms{row['median_ms']:>7.0f} ms  {target}")
    if args.imports:
        print(f"\nslowest imports of the check (-X importtime, best of {args.runs}; "
              "cumulative, then self, in ms):")
        for cumulative, own, name in import_times(commands["rmp check (one clean plan)"], args.runs)[:30]:
            print(f"  {cumulative:7.1f} {own:7.1f}  {name}")
    if args.json:
        print(json.dumps({"runs": args.runs, "target_ms": TARGET_MS, "met": met, **results}, indent=1))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
