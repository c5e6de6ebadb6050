"""`rmp rules`, `explain`, `criteria`, `policy show` and `schema`: rmp explaining itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rmp.app.common import Outcome
from rmp.errors import ExitCode, UsageError


def run_rules(fmt: str) -> Outcome:
    from rmp.explain.reports import rules_table

    return Outcome(stdout=rules_table(fmt))


def run_explain(code: str, fmt: str) -> Outcome:
    from rmp.explain.reports import explain_rule

    return Outcome(stdout=explain_rule(code, fmt))


def run_criteria(plan: Path | None, fmt: str, today: date, policy: Path | None) -> Outcome:
    """The criteria map, or one plan's coverage (exit 1 when the plan has errors)."""
    from rmp.explain.reports import criteria_report

    text, failed = criteria_report(plan, fmt, today, policy)
    return Outcome(stdout=text, exit_code=ExitCode.FINDINGS if failed else ExitCode.CLEAN)


def run_policy_show(path: Path, policy: Path | None, fmt: str) -> Outcome:
    from rmp.explain.reports import policy_report

    return Outcome(stdout=policy_report(path, policy, fmt))


def run_schema(name: str, path_only: bool) -> Outcome:
    """The bundled JSON Schema, or its path."""
    from rmp.io.resources import schema_path

    if name not in ("plan", "policy"):
        raise UsageError("schema name must be `plan` or `policy`")
    location = schema_path(name)
    if path_only:
        return Outcome(stdout=f"{location}\n")
    return Outcome(stdout=location.read_text(encoding="utf-8"))
