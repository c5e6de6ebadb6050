"""Dependency audit for CI: pip-audit over the installed environment and over the pinned
minimum version of Jinja2, the runtime dependency with a history of advisories (GitPython,
the other, is not a dependency: rmp calls git itself, see docs/dependencies.md).

Exit 1 when a known vulnerability is reported. When the advisory database cannot be reached
(CI machines here reach only the package registries), say so plainly and exit 0: the pinned
versions and the date they were last checked are in docs/dependencies.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

PINNED_MINIMUMS = {"jinja2": "3.1.6"}
BIN = Path(sys.executable).parent


def audit(args: list[str]) -> tuple[str, list[str]]:
    """('ok' | 'vulnerable' | 'unreachable', details)."""
    try:
        completed = subprocess.run(
            [str(BIN / "pip-audit"), "--format", "json", "--progress-spinner", "off", *args],
            capture_output=True, text=True, timeout=180, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return "unreachable", [f"pip-audit did not run: {exc}"]
    try:
        report = json.loads(completed.stdout or "{}")
    except json.JSONDecodeError:
        return "unreachable", [completed.stderr.strip().splitlines()[-1:][0]
                               if completed.stderr.strip() else "no report"]
    dependencies = report.get("dependencies", [])
    vulnerable = [
        f"{d['name']} {d.get('version')}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in dependencies if d.get("vulns")
    ]
    if vulnerable:
        return "vulnerable", vulnerable
    skipped = [d for d in dependencies if d.get("skip_reason")]
    if not dependencies or len(skipped) == len(dependencies):
        return "unreachable", [d.get("skip_reason", "") for d in skipped[:2]]
    return "ok", []


def main() -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("".join(f"{n}=={v}\n" for n, v in PINNED_MINIMUMS.items()))
        requirements = handle.name
    results = {
        "installed environment": audit(["--local"]),
        "pinned minimums": audit(["-r", requirements, "--no-deps", "--disable-pip"]),
    }
    Path(requirements).unlink()
    failed = False
    for what, (state, details) in results.items():
        if state == "vulnerable":
            failed = True
            print(f"dependency audit ({what}): KNOWN VULNERABILITIES", *details, sep="\n  ")
        elif state == "unreachable":
            print(f"dependency audit ({what}): the advisory database could not be reached from "
                  "this machine, so nothing was audited. The pinned minimum versions and the "
                  "date they were checked are in docs/dependencies.md.")
        else:
            print(f"dependency audit ({what}): no known vulnerabilities")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
