"""Reading free text for rules: which fields are narrative, and what counts as a placeholder,
labelling language or contact details. The terms come from the policy; this module only
knows how to match them (whole words, case-insensitive, never in enum values or IDs)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from rmp.model.paths import select
from rmp.model.vocabulary import Path_

NARRATIVE_FIELDS: tuple[str, ...] = (
    "assessment.summary",
    "assessment.who_at_risk",
    "assessment.when_greatest",
    "assessment.increases",
    "assessment.reduces",
    "individual.view",
    "individual.communication_needs",
    "individual.responsivity",
    "risk_factors[*].title",
    "controls[*].necessity",
    "victims[*].views",
    "disclosures[*].reason",
    "actions[*].title",
    "actions[*].measure",
    "actions[*].status_note",
    "scenarios[*].description",
    "contingency[*].when",
    "contingency[*].then",
    "options[*].reason",
    "concerns[*].summary",
    "concerns[*].decision_reason",
    *(f"assessment.rosh_reasons.{key}"
      for key in ("children", "public", "known_adult", "staff", "prisoners", "overall")),
    "rationale",
)
"""rules.md "Narrative fields": read by RMP212, RMP213 and RMP504."""

ONE_WORD_IS_NOT_AN_ANSWER: frozenset[str] = frozenset({
    "summary", "who_at_risk", "when_greatest", "view", "measure", "description", "when",
    "then", "reason", "decision_reason",
})
"""Fields where a single word cannot answer the question (rules.md, placeholders)."""

_EDGE = " \t\r\n.,;:!?-()[]\"'"
_COUNTED_WORD = re.compile(r"\w+(?:['’-]\w+)*")
"""A word of free text, as counted for the policy's `rationale_min_words`."""
_WORD = re.compile(r"[\w'’-]+")


def narrative_values(data: Any, fields: Iterable[str] = NARRATIVE_FIELDS) -> Iterator[tuple[Path_, str]]:
    """(path, text) of every narrative field that holds text."""
    for pattern in fields:
        for path, value in select(data, pattern):
            if isinstance(value, str):
                yield path, value


def word_count(value: str) -> int:
    """How many words the text has (`don't` and `well-known` are one word each)."""
    return len(_COUNTED_WORD.findall(value))


def field_name(path: Path_) -> str:
    """The last named step of a path (`measure` for actions/2/measure)."""
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def is_placeholder(value: str, terms: Iterable[str], field: str) -> bool:
    """A whole trimmed value equal to a placeholder term, or one word where one word cannot
    answer. "None identified" is an answer, not a placeholder."""
    trimmed = value.strip(_EDGE).casefold()
    if not trimmed:
        return True
    if trimmed in {t.strip(_EDGE).casefold() for t in terms}:
        return True
    return field in ONE_WORD_IS_NOT_AN_ANSWER and len(_WORD.findall(trimmed)) <= 1


@lru_cache(maxsize=64)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = [re.escape(t.strip()) for t in terms if t.strip()]
    if not cleaned:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(cleaned) + r")(?![\w])", re.IGNORECASE)


_QUOTED = re.compile(r"(?:\"[^\"]*\"|“[^”]*”|‘[^’]*’|(?<![\w])'[^']*'(?![\w]))+")
"""Quoted passages; adjacent ones are one match (the same blanks, far fewer matches)."""
_CURLY = (("“", "”"), ("‘", "’"))


def unquoted(value: str) -> str:
    """The text with quoted passages blanked out (a quote may reproduce someone's words).

    A curly opening mark after the last closing mark of its kind opens nothing, and is masked
    before matching: the pattern would otherwise retry the rest of the text from each such mark,
    which took quadratic time on a long run of them. Every other attempt either stops at the
    next mark or consumes what it read, so the matching is linear. (The mask, NUL, is neither
    a quotation mark nor a letter, and only the pattern reads it.)"""
    masked = value
    for opening, closing in _CURLY:
        last = masked.rfind(closing) + 1
        if opening in masked[last:]:
            masked = masked[:last] + masked[last:].replace(opening, "\x00")
    pieces: list[str] = []
    done = 0
    for passage in _QUOTED.finditer(masked):
        start, end = passage.span()
        pieces += [value[done:start], " " * (end - start)]
        done = end
    pieces.append(value[done:])
    return "".join(pieces)


def contains_term(value: str, terms: Iterable[str], *, skip_quotes: bool = False) -> bool:
    """Whether any term occurs as a whole word (or phrase), case-insensitively."""
    pattern = _term_pattern(tuple(terms))
    if pattern is None:
        return False
    return pattern.search(unquoted(value) if skip_quotes else value) is not None


_EMAIL = re.compile(r"[\w.+-]@[\w-]+(?:\.[\w-]+)+")
"""Something like an e-mail address. One character before the `@` is enough to say whether
there is one; a repeated local part was retried from every character of a long word, which
took quadratic time."""
_PHONE = re.compile(r"(?<![\w])(?:\+44\s?|0)(?:\d[\s-]?){9,10}(?![\w])")
_POSTCODE = re.compile(
    r"(?<![\w])(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})(?![\w])"
)


def contact_kinds(value: str) -> list[str]:
    """Which kinds of contact detail the text contains: `phone`, `email`, `postcode`."""
    kinds = []
    if _PHONE.search(value):
        kinds.append("phone number")
    if _EMAIL.search(value):
        kinds.append("email address")
    if _POSTCODE.search(value):
        kinds.append("postcode")
    return kinds


_VAGUE_MEASURES: frozenset[str] = frozenset({
    "monitor", "monitoring", "monitored", "to be monitored", "continue to monitor",
    "continue monitoring", "continue to work with", "continue to support", "continue",
    "ongoing", "on-going", "support", "supported", "review", "to be reviewed",
    "keep under review", "liaise", "liaison", "work with", "engage", "as required",
    "as needed",
})
"""Measures that say what someone will do, not how anyone will know it worked (RMP303), and
responses that say nothing will be done for sure (RMP330)."""


_VAGUE_VERBS: frozenset[str] = frozenset({
    "monitor", "monitoring", "continue", "continuing", "ongoing", "support", "supporting",
    "review", "reviewing", "liaise", "liaising", "engage", "encourage", "discuss",
    "consider", "considering",
})
"""A measure of at most `vague_measure_max_words` (policy) words starting with one of these is
vague."""




_TRAILING = " \t\r\n.,;:!?-"


def is_vague(value: str, max_words: int) -> bool:
    """Only a vague verb phrase: one of the built-in vague measures, or a vague verb first in
    at most `max_words` words ("monitor his drinking", "consider recall")."""
    trimmed = " ".join(value.casefold().split()).rstrip(_TRAILING)
    words = _WORD.findall(trimmed)
    return trimmed in _VAGUE_MEASURES or (
        bool(words) and words[0] in _VAGUE_VERBS and len(words) <= max_words)
