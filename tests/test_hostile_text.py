"""Issue 11 item 9: every rule that reads free text is linear in its input. Each plan rule is
timed on a plan whose free text is 1 MiB of adversarial text (shapes that made the old e-mail and
quotation patterns quadratic), shared between three fields that the text rules read, against the
same plan holding 1 MiB of plain words. (A plan file is at most 1 MiB, so no plan holds more
text than this.) All plans here are fictional."""

from __future__ import annotations

import copy
import time
from datetime import date
from typing import Any

import pytest

from rmp.io.load import load_bytes
from rmp.model.view import PlanView
from rmp.policy.load import defaults
from rmp.rules import text
from rmp.rules.catalogue import ALL_RULES
from rmp.rules.registry import RuleContext
from tests.conftest import ROOT, TODAY

MIB = 1 << 20


SIZES = (MIB // 64, MIB)
"""A small size first, so that a quadratic pattern fails in seconds rather than hanging for an
hour at the full size."""


def _fill(unit: str, size: int) -> str:
    """`unit` repeated up to `size` bytes of UTF-8."""
    return unit * (size // len(unit.encode("utf-8")))


PLAIN = "word "
SHAPES = {
    "a-dot": "a.",
    "one-word": "a",
    "digits": "0",
    "letter-digit": "A1",
    "hyphens": "a-",
    "at-dot": "a@a.",
    "double-quotes": '"',
    "quote-pairs": '"" ',
    "open-curly-double": "“",
    "open-curly-single": "‘",
    "quote-word": " 'a",
    "apostrophes": "a'",
}
FIELDS = (("rationale",), ("assessment", "summary"), ("actions", 0, "measure"))


def _plan(unit: str, size: int) -> PlanView:
    source = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
    document, problems = load_bytes(str(source), source.read_bytes())
    assert document is not None and not problems
    data: Any = copy.deepcopy(document.data)
    for path in FIELDS:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = _fill(unit, size // len(FIELDS))
    return PlanView(data, date.fromisoformat(TODAY))


def _timings(unit: str, size: int, codes: set[str] | None = None) -> dict[str, float]:
    context = RuleContext(_plan(unit, size), defaults(), date.fromisoformat(TODAY))
    spent: dict[str, float] = {}
    for rule in ALL_RULES:
        if rule.phase != "plan" or (codes is not None and rule.code not in codes):
            continue
        started = time.perf_counter()
        list(rule.check(context))
        spent[rule.code] = time.perf_counter() - started
    return spent


def _slow(spent: dict[str, float], plain: dict[str, float]) -> set[str]:
    return {code for code, t in spent.items() if t > 5 * plain[code] + 0.05}


@pytest.fixture(scope="module")
def plain_timings() -> dict[int, dict[str, float]]:
    return {size: _timings(PLAIN, size) for size in SIZES}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_plan_rule_is_linear_in_free_text(
    shape: str, plain_timings: dict[int, dict[str, float]]
) -> None:
    for size in SIZES:
        spent = _timings(SHAPES[shape], size)
        plain = dict(plain_timings[size])
        # A loaded machine can stall any one timing: a rule that looks slow is timed twice
        # more, and its best times count. A quadratic rule is slow every time.
        for _ in range(2):
            if not (suspects := _slow(spent, plain)):
                break
            again = _timings(SHAPES[shape], size, suspects)
            spent |= {c: min(t, again[c]) for c, t in spent.items() if c in suspects}
            again = _timings(PLAIN, size, suspects)
            plain |= {c: min(t, again[c]) for c, t in plain.items() if c in suspects}
        slow = {c: (round(spent[c], 3), round(plain[c], 3)) for c in _slow(spent, plain)}
        assert not slow, f"rules slower on {size} bytes of {shape!r} than of plain text: {slow}"


# The linear rewrites answer as the regular expressions they replaced did.
SAMPLES = [
    "Contact on jo.bloggs@example.org or 07700 900123.", "mail a@b.c", "a@b", "x@y.z.w",
    "@example.org", "a.@b-c.d", "jo+x@ex-ample.co.uk.", "no contact details here",
    'He said "I will" and ‘maybe’ and “never', "It's 'quoted' here", "'a'b' 'c'", "“a” “b",
    "don't 'x' y'z 'w", '"" "" ""', '""""', "", "‘unclosed and 'also", '"', "''", "a'b'c", " 'a 'a 'a' ",
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_linear_helpers_agree_with_the_old_patterns(sample: str) -> None:
    import re

    old_email = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
    old_quoted = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<![\w])'[^']*'(?![\w])")
    assert text.unquoted(sample) == old_quoted.sub(lambda m: " " * len(m.group()), sample)
    assert ("email address" in text.contact_kinds(sample)) == bool(old_email.search(sample))
