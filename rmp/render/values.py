"""Plan values into document content: dates the UK way, lists, levels, fields shown
generically, and what an audience's projection shows of each section. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from rmp.model.paths import parse_date
from rmp.model.vocabulary import LEVELS, level_rank
from rmp.render.audience import Projection
from rmp.render.document import (
    Content,
    Flag,
    Items,
    Level,
    Muted,
    Note,
    Record,
    SectionState,
    Text,
)
from rmp.render.labels import Labels

REVIEW_DUE_DAYS = 28
"""A next review within this many days of `today` shows as "due"; before `today`, "overdue"."""

# Sections in reading order: name -> (root path, excluded child keys of that root). `review`
# gathers plan.review, plan.reviews and plan.signoff.
_SECTIONS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "overview": (("plan",), frozenset({"review", "reviews", "signoff"})),
    **{name: ((name,), frozenset()) for name in (
        "individual", "assessment", "risk_factors", "protective_factors", "controls",
        "objectives", "options", "actions", "scenarios", "contingency", "victims",
        "disclosures", "agencies", "concerns", "rationale")},
    "review": (("plan",), frozenset()),
    "sharing": (("sharing",), frozenset()),
    "waivers": (("waivers",), frozenset()),
}
SECTION_ORDER = tuple(_SECTIONS)
KNOWN_TOP = frozenset({"format", *(path[0] for path, _ in _SECTIONS.values())})
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


# -- values into words ----------------------------------------------------------------------------

def format_date(value: Any) -> str:
    """`2027-01-05` -> `5 Jan 2027` (UK order); anything else unchanged."""
    parsed = parse_date(value)
    if parsed is None:
        return "" if value is None else str(value)
    return f"{parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"


def format_long_date(value: Any) -> str:
    """`2027-01-05` (or a date) -> `5 January 2027`."""
    parsed = value if isinstance(value, date) else parse_date(value)
    if parsed is None:
        return "" if value is None else str(value)
    return f"{parsed.day} {_LONG_MONTHS[parsed.month - 1]} {parsed.year}"


def as_list(value: Any) -> list[Any]:
    """A list field as a list (a missing field is an empty list)."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def text(value: Any) -> Content:
    """A value as text; nothing for a missing or empty value."""
    return () if value is None or value == "" else (Text(str(value)),)


def text_or_titles(value: Any, factors: Any) -> Content:
    """A narrative field (OASys R10.4, R10.5), or when it is absent the titles of the risk or
    protective factors that answer the same question."""
    if value is not None and value != "":
        return text(value)
    return items([f["title"] for f in as_list(factors) if isinstance(f, Mapping) and f.get("title")])


def ids(values: Any) -> Content:
    return text(", ".join(str(v) for v in as_list(values)))


def items(values: Any) -> Content:
    listed = as_list(values)
    return (Items(tuple((Text(str(v)),) for v in listed)),) if listed else ()


def yes_no(words: Labels, value: Any) -> Content:
    return (Text(words.value(value)),) if isinstance(value, bool) else ()


def level(words: Labels, value: Any) -> Content:
    if value:
        return (Level(words.value(value), value if value in LEVELS else "none"),)
    return (Muted(words("not_recorded")),)


def rated(words: Labels, rating: str | None, evidence: str | None = None,
          current: str | None = None) -> Content:
    """A RoSH rating in words, with the current RoSH where it differs (an overall RoSH written
    higher than every current rating) and the evidence level where the plan's own information
    sets a floor above the rating (docs/render.md, "Evidence level")."""
    notes: list[Note] = []
    if current and current != rating:
        notes.append(Note((Text(words("current_rosh") + ": "), *level(words, current))))
    if evidence and level_rank(evidence) > level_rank(rating):
        notes.append(Note((Text(words("evidence_level") + ": "), *level(words, evidence))))
    return (*level(words, rating), *notes)


def agency_name(data: Mapping[str, Any], agency_id: Any) -> str:
    """The name of a listed agency the audience may see, else the ID as given."""
    for agency in data.get("agencies") or []:
        if isinstance(agency, Mapping) and agency.get("id") == agency_id and agency.get("name"):
            return str(agency["name"])
    return str(agency_id)


def generic(words: Labels, value: Any) -> Content:
    """A field no builder knows by name, shown as it is."""
    if isinstance(value, Mapping):
        return (Record(tuple((str(k), generic(words, v)) for k, v in value.items())),)
    if isinstance(value, str):
        return text(value)
    if isinstance(value, (list, tuple)):
        return (Items(tuple(generic(words, v) for v in value), compact=False),)
    if isinstance(value, bool):
        return yes_no(words, value)
    return text(value)


def paragraphs(value: Any) -> tuple[str, ...]:
    """Free text split at blank lines."""
    if value is None:
        return ()
    return tuple(p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip())


def review_state(next_review: Any, today: date) -> str | None:
    """`overdue` before today, `due` within REVIEW_DUE_DAYS, else `scheduled`."""
    when = parse_date(next_review)
    if when is None:
        return None
    if when < today:
        return "overdue"
    if (when - today).days <= REVIEW_DUE_DAYS:  # never today + N: 9999-12-31 would overflow
        return "due"
    return "scheduled"


def review_flag(words: Labels, state: str | None) -> Content:
    if state == "overdue":
        return (Text(" "), Flag("overdue", words.value("overdue")))
    if state == "due":
        return (Text(" "), Flag("due", words.value("due")))
    return ()


def priority_key(item: Mapping[str, Any]) -> tuple[int, int]:
    priority = item.get("priority")
    if isinstance(priority, int) and not isinstance(priority, bool):
        return (0, priority)
    return (1, 0)


def any_has(rows: Iterable[Any], key: str) -> bool:
    """Whether any item holds this key (a column worth showing)."""
    return any(isinstance(row, Mapping) and key in row for row in rows)


# -- what the audience may see ------------------------------------------------------------------

def _extension(path: tuple[str | int, ...]) -> bool:
    return any(isinstance(part, str) and part.startswith("x-") for part in path)


def withheld_shown(projection: Projection) -> list[tuple[str | int, ...]]:
    """The withheld paths a pack would otherwise show: all but those at or inside an `x-`
    extension key, which the builders never render for any audience (a top-level one only in
    "Other recorded information", which has no notice), so withholding one is no news to the
    reader. What is shown is unchanged: this decides only the "withheld" notices."""
    return [w for w in projection.withheld if not _extension(w)]


def hidden(projection: Projection, path: tuple[str | int, ...]) -> bool:
    """Whether anything at, below or above `path` was withheld (a withheld parent hides the
    whole path); `x-` extension keys do not count (`withheld_shown`)."""
    size = len(path)
    return any(w[:size] == path or path[:len(w)] == w for w in withheld_shown(projection))


def section_state(projection: Projection, name: str) -> SectionState | None:
    """`shown`, `partial` (shown, some parts withheld), `withheld`, or None (absent). Withheld
    `x-` extension keys do not make a section partial (`withheld_shown`)."""
    withheld_paths = withheld_shown(projection)
    if name == "review":
        parts = ("review", "reviews", "signoff")
        plan = projection.data.get("plan")
        shown = isinstance(plan, dict) and any(k in plan for k in parts)
        withheld = any(w[:1] == ("plan",) and (len(w) == 1 or w[1] in parts)
                       for w in withheld_paths)
    else:
        root, excluded = _SECTIONS[name]
        data: Any = projection.data
        for part in root:
            data = data.get(part) if isinstance(data, dict) else None
        if isinstance(data, dict) and excluded:
            data = {k: v for k, v in data.items() if k not in excluded} or None
        size = len(root)
        withheld = any(w[:size] == root and not (len(w) > size and w[size] in excluded)
                       for w in withheld_paths)
        shown = data not in (None, {}, []) or (data == [] and not withheld)
    if shown:
        return "partial" if withheld else "shown"
    return "withheld" if withheld else None
