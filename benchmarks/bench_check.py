"""Benchmark `rmp check` against a bare YAML-loading loop, and `rmp --version` start-up.

    python benchmarks/bench_check.py [--count 10000] [--dir DIR] [--quick] [--json]

Generates the corpus with benchmarks/generate.py when DIR is missing or holds a different corpus
(default DIR: benchmarks/out/plans-N, git-ignored), then measures:

- baseline: one process reading every plan and calling yaml.load(text, Loader=yaml.CSafeLoader),
  best of 3, each run a fresh subprocess so its memory is its own;
- rmp: `python -m rmp check DIR --format json --today 2026-11-27 --no-policy`, stdout to a file,
  best of 3; wall time and the peak RSS of the largest single process in its tree;
- the ratio rmp / baseline;
- `python -m rmp --version` start-up, best and median of 10.

Targets (printed beside the results): ratio < 2.0, peak memory < 300 MB, start-up < 150 ms.
Exit status: 0 when the benchmark ran (targets met or not), 1 with --check-targets when a target
was missed, 2 when the benchmark itself failed (rmp exited 2 or crashed, unreadable output,
baseline failed). `rmp check` exiting 1 is expected: the corpus holds deliberate findings.

Memory: `ru_maxrss` is the peak resident set of one process, in KB on Linux; for a process's
reaped children `getrusage(RUSAGE_CHILDREN)` reports the largest of them, not a sum, and only as
a high-water mark over every child this process ever waited for. So each child is reaped here
with os.wait4, which returns the same figure for that one child and the descendants it reaped
(rmp's worker processes): the largest single process of that run. With --tree-memory, one
extra run samples /proc every 50 ms for the sum over the whole tree.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402  (benchmarks/ is not a package)

TODAY = generate.TODAY.isoformat()
TARGET_RATIO = 2.0
TARGET_RSS_MB = 300.0
TARGET_STARTUP_MS = 150.0
QUICK_COUNT = 500

BASELINE_CODE = r"""
import json, os, sys, time
import yaml
root = sys.argv[1]
started = time.perf_counter()
paths = []
for folder, dirs, files in os.walk(root):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    paths += [os.path.join(folder, f) for f in sorted(files)
              if f.endswith((".yaml", ".yml")) and not f.startswith(".")]
size = 0
for path in paths:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    size += len(text)
    yaml.load(text, Loader=yaml.CSafeLoader)
print(json.dumps({"files": len(paths), "chars": size, "seconds": time.perf_counter() - started}))
"""


# --------------------------------------------------------------------------------------------
# Corpus


def corpus_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("plan-*.yaml"))


def ensure_corpus(directory: Path, count: int, seed: int) -> tuple[dict[str, Any], float | None]:
    """Reuse the corpus in `directory` if it is the one asked for, else (re)generate it.

    Returns the manifest and the generation time (None when reused). Only files this script
    writes (plan-NNNNN.yaml and .corpus.json) are ever removed.
    """
    manifest_path = directory / ".corpus.json"
    if directory.is_dir() and manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = {}
        if (
            manifest.get("count") == count
            and manifest.get("seed") == seed
            and manifest.get("generator_version") == generate.GENERATOR_VERSION
            and len(corpus_files(directory)) == count
        ):
            return manifest, None
    if directory.is_dir():
        for path in corpus_files(directory):
            path.unlink()
        manifest_path.unlink(missing_ok=True)
    print(f"generating {count} plans in {directory} ...", file=sys.stderr)
    started = time.perf_counter()
    manifest = generate.generate(str(directory), count, seed)
    return manifest, time.perf_counter() - started


def warm_cache(directory: Path) -> None:
    """Read every file once so that no timed run pays for a cold page cache alone."""
    for path in corpus_files(directory):
        path.read_bytes()


# --------------------------------------------------------------------------------------------
# Running and measuring children


class TreeSampler:
    """Samples the summed RSS of a process and all its descendants from /proc."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page_kb = os.sysconf("SC_PAGE_SIZE") // 1024

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as handle:
                    stat = handle.read()
            except OSError:
                continue
            # the command name may hold spaces and brackets: fields follow the last ')'
            ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            tree = self._tree()
            for pid in tree:
                try:
                    with open(f"/proc/{pid}/statm", "rb") as handle:
                        total += int(handle.read().split()[1]) * self._page_kb
                except (OSError, IndexError, ValueError):
                    continue
            if total > self.peak_kb:
                self.peak_kb = total
                self.peak_processes = len(tree)
            self._stop.wait(self.interval)


def run_child(cmd: list[str], stdout: Any, stderr: Any, sample_tree: bool = False) -> dict[str, Any]:
    """Run cmd to completion; wall time, exit code and peak RSS of its largest process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid) if sample_tree else None
    if sampler:
        sampler.__enter__()
    try:
        # wait4 reaps the child itself and returns its own rusage (with its reaped descendants)
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        if sampler:
            sampler.__exit__(None, None, None)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {
        "seconds": wall,
        "exit_code": proc.returncode,
        "max_rss_kb": usage.ru_maxrss,
        # the running high-water mark over all children: informative only
        "children_maxrss_delta_kb": max(0, after - before),
    }
    if sampler:
        result["tree_rss_kb"] = sampler.peak_kb
        result["tree_processes"] = sampler.peak_processes
    return result


def best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    times = [r["seconds"] for r in runs]
    return {
        "best_s": min(times),
        "median_s": statistics.median(times),
        "runs_s": times,
        "max_rss_mb": max(r["max_rss_kb"] for r in runs) / 1024,
    }


def measure_baseline(directory: Path, runs: int) -> dict[str, Any]:
    results, inner = [], []
    for _ in range(runs):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            run = run_child([sys.executable, "-c", BASELINE_CODE, str(directory)], out, err)
            out.seek(0)
            err.seek(0)
            if run["exit_code"] != 0:
                raise BenchmarkError("baseline failed:\n" + err.read().decode(errors="replace")[-2000:])
            inner.append(json.loads(out.read()))
        results.append(run)
    summary = best_of(results)
    summary["files"] = inner[0]["files"]
    summary["inner_best_s"] = min(i["seconds"] for i in inner)
    return summary


def rmp_check_cmd(directory: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "rmp",
        "check",
        str(directory),
        "--format",
        "json",
        "--today",
        TODAY,
        "--no-policy",
        *extra,
    ]


def measure_rmp(
    directory: Path, runs: int, extra: list[str], out_dir: Path, tree_memory: bool
) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / "rmp-check.json"
    err_path = out_dir / "rmp-check.stderr"
    results = []
    for i in range(runs + (1 if tree_memory else 0)):
        sampled = tree_memory and i == runs
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            run = run_child(rmp_check_cmd(directory, extra), out, err, sample_tree=sampled)
        if run["exit_code"] not in (0, 1):
            tail = err_path.read_text(encoding="utf-8", errors="replace")[-3000:]
            raise BenchmarkError(f"rmp check exited {run['exit_code']} (0 or 1 expected):\n{tail}")
        results.append(run)
    timed = results[:runs]
    summary = best_of(timed)
    summary["exit_code"] = timed[-1]["exit_code"]
    summary["output"] = str(out_path)
    if tree_memory:
        summary["tree_rss_mb"] = results[-1]["tree_rss_kb"] / 1024
        summary["tree_processes"] = results[-1]["tree_processes"]
    try:
        report = json.loads(out_path.read_text(encoding="utf-8"))
    except ValueError as error:
        tail = err_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise BenchmarkError(
            f"rmp check --format json printed something that is not JSON ({error}); stderr:\n{tail}"
        ) from None
    summary.update(summarise_report(report))
    if not summary.get("files"):
        raise BenchmarkError("rmp check checked no file: a benchmark of nothing (is the corpus "
                             "folder left out by an ignore rule or --exclude?)")
    return summary


def measure_startup(runs: int) -> dict[str, Any]:
    def times(cmd: list[str]) -> list[float]:
        found = []
        for _ in range(runs):
            run = run_child(cmd, subprocess.DEVNULL, subprocess.DEVNULL)
            if run["exit_code"] != 0:
                again = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
                raise BenchmarkError(
                    f"{' '.join(cmd[1:])} exited {run['exit_code']}:\n" + again.stderr[-2000:]
                )
            found.append(run["seconds"] * 1000)
        return found

    version = times([sys.executable, "-m", "rmp", "--version"])
    bare = times([sys.executable, "-c", "pass"])
    return {
        "best_ms": min(version),
        "median_ms": statistics.median(version),
        "runs_ms": version,
        "python_best_ms": min(bare),
    }


# --------------------------------------------------------------------------------------------
# Reading rmp's JSON report (tolerant of its exact shape)


def _count(value: Any) -> int | None:
    """A count written as a number or as a list of the things counted."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, list):
        return len(value)
    return None


def summarise_report(report: Any) -> dict[str, Any]:
    files_list = report.get("files") if isinstance(report, dict) else None
    summary = report.get("summary") if isinstance(report, dict) else None
    files = findings = None
    by_severity: dict[str, int] = {}
    if isinstance(summary, dict):
        for key in ("files", "files_checked", "checked", "file_count", "plans"):
            if key in summary and _count(summary[key]) is not None:
                files = _count(summary[key])
                break
        for key in ("findings", "total_findings", "total", "finding_count"):
            value = summary.get(key)
            if isinstance(value, dict):
                by_severity = {
                    k: v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)
                }
                findings = sum(by_severity.values())
                break
            if _count(value) is not None:
                findings = _count(value)
                break
        if not by_severity:
            by_severity = {
                k: summary[k]
                for k in ("error", "errors", "warning", "warnings", "info")
                if isinstance(summary.get(k), int)
            }
            if findings is None and by_severity:
                findings = sum(by_severity.values())
    by_code: dict[str, int] = {}
    per_file: dict[str, set[str]] = {}
    if isinstance(files_list, list):
        if files is None:
            files = len(files_list)
        for entry in files_list:
            if not isinstance(entry, dict):
                continue
            codes = {str(f.get("code")) for f in entry.get("findings", []) if isinstance(f, dict)}
            per_file[os.path.basename(str(entry.get("path", "")))] = codes
            for finding in entry.get("findings", []):
                if isinstance(finding, dict):
                    by_code[str(finding.get("code"))] = by_code.get(str(finding.get("code")), 0) + 1
        if findings is None:
            findings = sum(by_code.values())
    return {
        "files": files,
        "findings": findings,
        "by_severity": by_severity,
        "by_code": dict(sorted(by_code.items())),
        "_per_file": per_file,
    }


def faults_found(manifest: dict[str, Any], per_file: dict[str, set[str]]) -> dict[str, Any]:
    """How many deliberately faulty files drew every rule code the generator meant them to."""
    faulty: dict[str, list[str]] = manifest.get("faulty", {})
    found = sum(1 for name, codes in faulty.items() if set(codes) <= per_file.get(name, set()))
    clean_with_errors = sum(1 for name, codes in per_file.items() if name not in faulty and codes)
    return {
        "faulty_files": len(faulty),
        "faulty_files_detected": found,
        "clean_files_with_findings": clean_with_errors,
    }


# --------------------------------------------------------------------------------------------


class BenchmarkError(Exception):
    pass


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(results: dict[str, Any]) -> None:
    corpus, base, rmp, start = (results["corpus"], results["baseline"], results["rmp"], results["startup"])
    print(
        f"\nrmp check benchmark: {corpus['files']} plans, {corpus['megabytes']:.1f} MB, in "
        f"{corpus['dir']} (--today {TODAY})"
    )
    if corpus.get("generated_s") is not None:
        print(f"corpus generated in {corpus['generated_s']:.1f} s")
    rows = [
        ("", "best", "median", "peak RSS", "target", ""),
        (
            "baseline: CSafeLoader loop",
            f"{base['best_s']:.2f} s",
            f"{base['median_s']:.2f} s",
            f"{base['max_rss_mb']:.0f} MB",
            "",
            "",
        ),
        (
            "rmp check --format json",
            f"{rmp['best_s']:.2f} s",
            f"{rmp['median_s']:.2f} s",
            f"{rmp['max_rss_mb']:.0f} MB *",
            f"< {TARGET_RSS_MB:.0f} MB",
            verdict(results["targets"]["peak_rss"]),
        ),
        (
            "ratio rmp / baseline",
            f"{results['ratio']:.2f}",
            "",
            "",
            f"< {TARGET_RATIO}",
            verdict(results["targets"]["ratio"]),
        ),
        (
            "rmp --version start-up",
            f"{start['best_ms']:.0f} ms",
            f"{start['median_ms']:.0f} ms",
            "",
            f"< {TARGET_STARTUP_MS:.0f} ms",
            verdict(results["targets"]["startup"]),
        ),
        ("(python -c pass)", f"{start['python_best_ms']:.0f} ms", "", "", "", ""),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    for row in rows:
        print(
            "  "
            + "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
            ).rstrip()
        )
    print(
        "  * largest single process of rmp's process tree (ru_maxrss via wait4), not a sum "
        "over its worker processes"
    )
    if "tree_rss_mb" in rmp:
        print(
            f"  whole tree, summed (sampled every 50 ms, one extra run): {rmp['tree_rss_mb']:.0f} MB "
            f"over {rmp['tree_processes']} processes"
        )
    severity = ", ".join(f"{k} {v}" for k, v in rmp["by_severity"].items())
    print(
        f"\nrmp check exit code {rmp['exit_code']} ({'findings, as expected' if rmp['exit_code'] == 1 else 'clean'}); "
        f"files {rmp['files']}, findings {rmp['findings']}" + (f" ({severity})" if severity else "")
    )
    codes = ", ".join(f"{k} {v}" for k, v in rmp["by_code"].items())
    if codes:
        print(f"by code: {codes}")
    faults = results["faults"]
    print(
        f"deliberately faulty files that drew every intended code: "
        f"{faults['faulty_files_detected']}/{faults['faulty_files']}; "
        f"other files with any finding: {faults['clean_files_with_findings']}"
    )
    print(f"report: {rmp['output']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="number of plans (default 10000)")
    parser.add_argument(
        "--dir", type=Path, default=None, help="corpus folder (default benchmarks/out/plans-COUNT)"
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_COUNT} plans")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (default 3)")
    parser.add_argument("--version-runs", type=int, default=10, help="runs of rmp --version (default 10)")
    parser.add_argument(
        "--tree-memory",
        action="store_true",
        help="one extra rmp run sampling the summed RSS of its whole process tree",
    )
    parser.add_argument(
        "--rmp-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for rmp check, e.g. --rmp-arg=-j1 (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    parser.add_argument("--check-targets", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    count = QUICK_COUNT if args.quick else args.count
    if count < 1 or args.runs < 1 or args.version_runs < 1:
        parser.error("--count, --runs and --version-runs must be at least 1")
    directory = (args.dir or HERE / "out" / f"plans-{count}").resolve()

    try:
        manifest, generated_s = ensure_corpus(directory, count, args.seed)
        warm_cache(directory)
        print(f"baseline: {args.runs} runs ...", file=sys.stderr)
        baseline = measure_baseline(directory, args.runs)
        print(f"rmp check: {args.runs} runs ...", file=sys.stderr)
        rmp = measure_rmp(directory, args.runs, args.rmp_arg, HERE / "out", args.tree_memory)
        print(f"rmp --version: {args.version_runs} runs ...", file=sys.stderr)
        startup = measure_startup(args.version_runs)
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2

    per_file = rmp.pop("_per_file")
    ratio = rmp["best_s"] / baseline["best_s"]
    targets = {
        "ratio": ratio < TARGET_RATIO,
        "peak_rss": rmp["max_rss_mb"] < TARGET_RSS_MB,
        "startup": startup["best_ms"] < TARGET_STARTUP_MS,
    }
    results = {
        "schema_version": 1,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "corpus": {
            "dir": str(directory),
            "files": count,
            "seed": args.seed,
            "megabytes": sum(p.stat().st_size for p in corpus_files(directory)) / 1e6,
            "generated_s": generated_s,
        },
        "baseline": baseline,
        "rmp": rmp,
        "ratio": ratio,
        "startup": startup,
        "targets": targets,
        "target_values": {
            "ratio": TARGET_RATIO,
            "peak_rss_mb": TARGET_RSS_MB,
            "startup_ms": TARGET_STARTUP_MS,
        },
        "faults": faults_found(manifest, per_file),
    }
    print_table(results)
    if args.json:
        print(json.dumps(results, indent=2))
    if args.check_targets and not all(targets.values()):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
