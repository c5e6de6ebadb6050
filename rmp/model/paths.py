"""Paths into a plan: tuples of keys and list indexes, shown to users as JSON Pointers
(`/actions/2/title`) or dotted paths (`actions[2].title`). Never a value, only the format's
field names and list positions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import Any

from rmp.model.vocabulary import Path_, PathPart


def pointer(path: Sequence[PathPart]) -> str:
    """An RFC 6901 JSON Pointer for a path (`""` for the whole document)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def dotted(path: Path_) -> str:
    """A path as users write it: `assessment.summary`, `actions[2].title`."""
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else part)
    return shown


def get(data: Any, path: Path_) -> Any:
    """The value at a path, or None when any step is missing or of the wrong shape."""
    node: Any = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                return None
            node = node[part]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def select(data: Any, pattern: str) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) matching a dotted path pattern such as `actions[*].owner.agency`.

    `[*]` after a name means each item of that list. Missing steps match nothing. This is the
    path syntax of references and of audience allow-lists.
    """
    nodes: list[tuple[Path_, Any]] = [((), data)]
    for step in pattern.split("."):
        each = step.endswith("[*]")
        name = step[:-3] if each else step
        following: list[tuple[Path_, Any]] = []
        for path, node in nodes:
            if not isinstance(node, dict) or name not in node:
                continue
            value = node[name]
            if each:
                if isinstance(value, list):
                    following.extend(((*path, name, i), v) for i, v in enumerate(value))
            else:
                following.append(((*path, name), value))
        nodes = following
    yield from nodes


def parse_date(value: Any) -> date | None:
    """A date from a schema-checked `YYYY-MM-DD` string, or None when absent or malformed."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def shift(day: date, days: int) -> date:
    """`day` moved by `days`, held at the ends of the calendar (0001-01-01, 9999-12-31)
    instead of overflowing: a plan dated at the edge is judged, never a crash."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min
