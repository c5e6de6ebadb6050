"""Issue 6's scale targets on the 10,000-plan corpus of bench_check.py:

- `rmp status` and `rmp check` each under 1.5x a bare single-process CSafeLoader parse of the
  same files, with the largest process under 300 MB;
- side by side with `check-jsonschema` (schema validation only, rmp's schema, same files): rmp
  at least 3x faster although it does far more. check-jsonschema parses YAML in pure Python,
  so this takes minutes: a benchmark, not part of CI. Skip it with --no-check-jsonschema.

    .venv/bin/python benchmarks/bench_scale.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_check import (  # noqa: E402  (a sibling script, not a package)
    REPO,
    TODAY,
    best_of,
    ensure_corpus,
    measure_baseline,
    run_child,
    warm_cache,
)


def timed(cmd: list[str], runs: int) -> dict[str, Any]:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            run = run_child(cmd, out, err)
            if run["exit_code"] not in (0, 1):
                err.seek(0)
                raise SystemExit(f"{' '.join(cmd[:5])} exited {run['exit_code']}:\n"
                                 + err.read().decode(errors="replace")[-2000:])
        results.append(run)
    return best_of(results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-check-jsonschema", action="store_true")
    args = parser.parse_args()
    directory = HERE / "out" / f"plans-{args.count}"
    ensure_corpus(directory, args.count, args.seed)
    warm_cache(directory)
    rmp = [sys.executable, "-m", "rmp"]
    common = ["--today", TODAY, "--no-policy", "--format", "json"]
    rows: dict[str, dict[str, Any]] = {
        "baseline": measure_baseline(directory, args.runs),
        "rmp check": timed([*rmp, "check", str(directory), *common], args.runs),
        "rmp status": timed([*rmp, "status", str(directory), *common], args.runs),
    }
    tool = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if not args.no_check_jsonschema and tool:
        files = sorted(str(p) for p in directory.glob("*.yaml"))
        rows["check-jsonschema"] = timed(
            [tool, "--schemafile", str(REPO / "schemas" / "plan.schema.json"), *files], 1)
    base = rows["baseline"]["best_s"]
    print(f"{args.count} plans in {directory}")
    print(f"{'':<28}{'best':>9}{'ratio':>8}{'peak RSS':>10}  target")
    for name, row in rows.items():
        ratio = row["best_s"] / base
        target = {"rmp check": "< 1.5x", "rmp status": "< 1.5x"}.get(name, "")
        ok = "" if not target else ("  ok" if ratio < 1.5 and row["max_rss_mb"] < 300
                                    else "  MISSED")
        print(f"  {name:<26}{row['best_s']:>8.2f}s{ratio:>7.2f}x{row['max_rss_mb']:>8.0f} MB"
              f"  {target}{ok}")
    if "check-jsonschema" in rows:
        speedup = rows["check-jsonschema"]["best_s"] / rows["rmp check"]["best_s"]
        verdict = "ok" if speedup >= 3 else "MISSED"
        print(f"  rmp check is {speedup:.1f}x faster than check-jsonschema (target >= 3x) {verdict}")
    print(json.dumps({k: {"best_s": v["best_s"], "max_rss_mb": v["max_rss_mb"]}
                      for k, v in rows.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
