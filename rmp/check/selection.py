"""Which rules run and at what severity: the one place select/ignore and severity overrides
are decided (never in rules or reporters).

Order: the rule's default severity, then the policy's `rules:` override (`error`, `warning`,
`info` or `off`), then the command line's `--select`/`--ignore`. Reading the file (RMP0xx) and
the schema (RMP101) cannot be switched off or downgraded: a plan that cannot be read cannot be
checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from rmp.errors import UsageError
from rmp.findings import Severity
from rmp.policy.model import Policy
from rmp.rules.catalogue import ALL_RULES, FIXED_CODES
from rmp.rules.registry import FIXED_PHASES, Rule


def _matches(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in patterns)


@dataclass(frozen=True)
class Selection:
    """Rule codes or code prefixes (`RMP2`, `RMP31`) chosen on the command line."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, select: list[str] | None, ignore: list[str] | None) -> Selection:
        """From `--select`/`--ignore` values; each may be comma-separated."""
        def split(values: list[str] | None) -> tuple[str, ...]:
            out: list[str] = []
            for value in values or []:
                out.extend(v.strip().upper() for v in value.split(",") if v.strip())
            known = [r.code for r in ALL_RULES]
            for pattern in out:
                if not any(code.startswith(pattern) for code in known):
                    raise UsageError(f"{pattern} matches no rule code (see `rmp rules`)")
            return tuple(out)

        return cls(split(select), split(ignore))

    def enabled(self, code: str) -> bool:
        if self.select and not _matches(code, self.select):
            return False
        return not _matches(code, self.ignore)

    def severity(self, rule: Rule, policy: Policy) -> Severity | None:
        """The severity the rule runs at for this plan, or None when it does not run."""
        if rule.phase in FIXED_PHASES:
            return Severity.ERROR
        if not self.enabled(rule.code):
            return None
        override = policy.rules.get(rule.code)
        if override == "off":
            return None
        return Severity(override) if override else rule.severity

    def hit_severity(self, rule: Rule, policy: Policy, running: Severity,
                     hit_severity: str | None) -> Severity:
        """The severity of one finding: the severity the rule runs at, unless the rule gave
        this finding its own (raised) severity and the policy does not override the rule."""
        if hit_severity is None or rule.phase in FIXED_PHASES or rule.code in policy.rules:
            return running
        return Severity(hit_severity)

    def keeps(self, code: str) -> bool:
        """Whether a finding of this code is reported (load and schema findings always are)."""
        if code in FIXED_CODES:
            return True
        return self.enabled(code)
