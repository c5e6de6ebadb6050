"""What cites what: a plan's items, its text, and the item IDs that text names (HF36 P18, K29).

Shared by the individual's filter (`rmp.render.individual`) and by every audience's projection
(`rmp.render.audience.project`): text that names an item the reader may not see takes its
item with it, so a contingency that sends police to "V1's address" is not shown to an
audience from which V1 is withheld (issue 10).

`citing_withheld` is the pass every projection runs after its allow-list, confidential,
individual and agency filters. Given the paths withheld so far, it returns what else to
withhold, repeated until nothing more changes:

- **contingency and scenario entries** whose text names any withheld item (they say where a
  victim is and what would happen to them);
- **any other item, or top-level text** (`rationale`, `assessment.summary`), whose text names
  a withheld disclosure or concern, or an item withheld by itself (confidential, or dropped by
  the individual's or an agency's filter) other than a victim record. An item withheld by
  this pass for what its text says counts as such only in contingency and scenarios, so one
  contingency naming a victim does not take with it every action that mentions it.

An ID given as a whole value (a reference) follows the same test; in a list (`evidence`,
`addresses`, `response`) only the reference is withheld, as a field (an owner, an enforcer)
the item holding it.

A victim's ID in a control or a risk factor ("No contact with V1") is kept: the ID is the
placeholder the plan uses so that who the victim is stays in the victim record, and agencies
enforcing the control need it. An agency is withheld only when its own entry is (its ID is an
organisation's name, not case information).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Set
from itertools import accumulate
from typing import Any

from rmp.model.paths import get
from rmp.model.vocabulary import Path_

ITEM_LISTS: tuple[Path_, ...] = (
    ("assessment", "offences"), ("assessment", "sources"), ("risk_factors",),
    ("protective_factors",), ("controls",), ("objectives",), ("options",), ("actions",),
    ("scenarios",), ("contingency",), ("victims",), ("disclosures",), ("agencies",),
    ("concerns",),
)
ID_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])([A-Z]{1,3}[0-9]+)(?![A-Za-z0-9_-])")
"""An item ID as written in free text (`V1`, `CT3`, `SRC12`)."""

_SECRET_SECTIONS = frozenset({"disclosures", "concerns"})
"""Sections whose items' very existence is what is withheld: named in text, they go with it."""
_DESCRIBE_HARM = frozenset({"contingency", "scenarios"})
"""Sections whose entries say where people are and what would happen to them."""


def items(data: dict[str, Any]) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Every item of the plan (an entry of a list of items) with its path."""
    for where in ITEM_LISTS:
        entries = get(data, where)
        if isinstance(entries, list):
            for index, item in enumerate(entries):
                if isinstance(item, dict):
                    yield (*where, index), item


def leaves(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every string in `value`, with its path."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from leaves(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves(child, (*path, index))
    elif isinstance(value, str):
        yield path, value


def under(path: Path_, paths: Set[Path_]) -> bool:
    """Whether `path` or one of its parents is in `paths`."""
    return any(path[:size] in paths for size in range(1, len(path) + 1))


def enclosing_item(data: dict[str, Any], path: Path_) -> Path_:
    """The innermost list entry that is a mapping (an item, a distribution entry) holding
    `path`, else `path` itself."""
    for size in range(len(path) - 1, 0, -1):
        if isinstance(path[size - 1], int) and isinstance(get(data, path[:size]), dict):
            return path[:size]
    return path


def cited_ids(text: str) -> set[str]:
    """The item IDs that free text names."""
    return set(ID_TOKEN.findall(text))


def _pattern(ids: Set[str]) -> re.Pattern[str]:
    """A pattern finding any of these IDs as a whole word (the longest first)."""
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=lambda i: (-len(i), i)))
    return re.compile(rf"(?<![A-Za-z0-9_-])(?:{alternatives})(?![A-Za-z0-9_-])")


def citing_withheld(data: dict[str, Any], withheld: Set[Path_],
                    texts: Iterable[tuple[Path_, str]]) -> frozenset[Path_]:
    """Paths to withhold besides `withheld`: what names a withheld item, until nothing more
    changes; empty when nothing does. `texts` are the strings the projection shows, each with
    its path in `data` (original list indices), `withheld` the paths it withheld."""
    anywhere: set[str] = set()   # named anywhere, the text goes with them
    harm_only: set[str] = set()  # named in contingency and scenarios only
    item_ids: dict[Path_, str] = {}
    for path, item in items(data):
        ident = item.get("id")
        if not isinstance(ident, str):
            continue
        item_ids[path] = ident
        if not under(path, withheld):
            continue
        section = _section(path)
        by_itself = path in withheld  # dropped by a filter, not for what its text says
        if section == "agencies":
            if by_itself:
                anywhere.add(ident)
        elif section in _SECRET_SECTIONS or (by_itself and section != "victims"):
            anywhere.add(ident)
        else:
            harm_only.add(ident)
    if not anywhere and not harm_only:
        return frozenset()
    shown = [(path, text) for path, text in texts
             if path[-1] != "id" and path[0] != "agencies"]
    pending = shown
    extra: set[Path_] = set()
    while anywhere or harm_only:
        pattern = _pattern(anywhere | harm_only)
        # one search over all the text at once, mapped back to the strings that match
        starts = list(accumulate((len(text) + 1 for _, text in pending), initial=0))
        joined = "\0".join(text for _, text in pending)
        matching = sorted({bisect_right(starts, m.start()) - 1
                           for m in pattern.finditer(joined)})
        found: set[Path_] = set()
        for path, text in (pending[i] for i in matching):
            if under(path, extra):
                continue
            harm = path[0] in _DESCRIBE_HARM
            if text in anywhere or (harm and text in harm_only):
                found.add(path if isinstance(path[-1], int) else enclosing_item(data, path))
                continue
            named = cited_ids(text)
            if named & anywhere or (harm and named & harm_only):
                found.add(enclosing_item(data, path))
        found -= extra
        extra |= found
        # what this round withheld for what it says is named only in contingency and
        # scenarios, unless its very existence is the secret (a disclosure, a concern)
        anywhere = {i for p, i in item_ids.items() if p in found and _section(p) in _SECRET_SECTIONS}
        harm_only = {i for p, i in item_ids.items() if p in found} - anywhere
        pending = shown if anywhere else [t for t in shown if t[0][0] in _DESCRIBE_HARM]
    return frozenset(extra)


def _section(path: Path_) -> Any:
    return path[1] if path[0] == "assessment" else path[0]
