"""Projection of a plan through an audience's allow-list (HF36 P18, K29; DPA 2018 Part 3).

Fails closed: a field is shown only when a path in the audience's `include` list names it or
one of its parents. Everything else, including fields added to the format after the allow-list
was written, is withheld. Items marked `confidential: true` are dropped unless the audience
has `confidential: true`. Local extension keys (`x-...`) are shown only when an include path
names them explicitly: the `*` wildcard does not reach them.

Path syntax (the same as references): dotted names from the plan root, `[*]` after a name for
each item of a list, `*` alone for the whole plan. `risk_factors[*].title`, `plan.review`,
`objectives`.

The individual's own copy (the `individual` audience, or any in plain language) is also
passed through `rmp.render.individual`: victims, disclosures, intelligence, other people's
information and what rests on them are withheld whatever the allow-list says.

Templates only ever see the projection, never the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rmp.errors import ConfigError, UsageError
from rmp.model.vocabulary import Path_
from rmp.policy.model import Policy

_STEP = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(\[\*\])?\Z")
EACH = "[*]"


@dataclass
class _Node:
    everything: bool = False
    children: dict[str, _Node] = field(default_factory=dict)


@dataclass(frozen=True)
class Audience:
    """An audience defined by the policy."""

    name: str
    title: str
    include: tuple[str, ...]
    confidential: bool
    plain_language: bool

    @property
    def for_individual(self) -> bool:
        """Whether this is the individual's own copy: the `individual` audience, or any
        audience in plain language (written for the person, so read as theirs)."""
        return self.name == "individual" or self.plain_language


@dataclass(frozen=True)
class Projection:
    """What an audience may see of one plan, and where something was withheld."""

    data: dict[str, Any]
    withheld: frozenset[Path_]
    """Paths of fields and items present in the plan but not shown (never their values)."""
    audience: Audience

    def is_withheld(self, *path: str | int) -> bool:
        """Whether anything at or below this path was withheld."""
        size = len(path)
        return any(w[:size] == path for w in self.withheld)


def audience_from_policy(policy: Policy, name: str) -> Audience:
    """The named audience, or a usage error listing the defined ones (exit 2)."""
    audiences = policy.get("audiences") or {}
    spec = audiences.get(name)
    if not isinstance(spec, dict) or name.startswith("x-"):
        known = ", ".join(sorted(k for k in audiences if not k.startswith("x-")))
        raise UsageError(f"unknown audience `{name}`; the policy defines: {known}")
    include = spec.get("include") or []
    for path in include:
        _steps(path)  # raise on a malformed path before anything is rendered
    return Audience(
        name=name,
        title=str(spec.get("title") or name),
        include=tuple(include),
        confidential=spec.get("confidential") is True,
        plain_language=spec.get("plain_language") is True,
    )


def _steps(path: str) -> list[str]:
    if path == "*":
        return []
    steps: list[str] = []
    for part in path.split("."):
        if not _STEP.match(part):
            raise ConfigError(f"audience include path `{path}` is not in the path syntax "
                              "(names, `[*]` for each item, `*` alone for everything)")
        if part.endswith(EACH):
            steps += [part[:-3], EACH]
        else:
            steps.append(part)
    return steps


@lru_cache(maxsize=32)
def _trie(include: tuple[str, ...]) -> _Node:
    """The include paths as a tree (built once per list: projections never change it)."""
    root = _Node()
    for path in include:
        node = root
        for step in _steps(path):
            node = node.children.setdefault(step, _Node())
        node.everything = True
    return root


def project(data: dict[str, Any], audience: Audience) -> Projection:
    """The plan as this audience may see it."""
    withheld: set[Path_] = set()
    never: frozenset[Path_] = frozenset()
    if audience.for_individual:
        from rmp.render.individual import never_to_individual

        never = never_to_individual(data)

    def keep_item(value: Any, path: Path_) -> bool:
        return path not in never and (audience.confidential or not (
            isinstance(value, dict) and value.get("confidential") is True
        ))

    def whole(value: Any, path: Path_) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, child in value.items():
                if key.startswith("x-") or (*path, key) in never:
                    withheld.add((*path, key))
                    continue
                out[key] = whole(child, (*path, key))
            return out
        if isinstance(value, list):
            items = []
            for index, child in enumerate(value):
                if keep_item(child, (*path, index)):
                    items.append(whole(child, (*path, index)))
                else:
                    withheld.add((*path, index))
            return items
        return value

    def walk(value: Any, node: _Node, path: Path_) -> Any:
        if node.everything:
            return whole(value, path)
        if isinstance(value, dict):
            out = {}
            for key, child in value.items():
                sub = node.children.get(key)
                if sub is None or (*path, key) in never:
                    withheld.add((*path, key))
                    continue
                out[key] = walk(child, sub, (*path, key))
            return out
        if isinstance(value, list):
            sub = node.children.get(EACH)
            if sub is None:
                withheld.add(path)
                return []
            items = []
            for index, child in enumerate(value):
                if keep_item(child, (*path, index)):
                    items.append(walk(child, sub, (*path, index)))
                else:
                    withheld.add((*path, index))
            return items
        # a scalar reached by a path that names only its children: nothing to show
        withheld.add(path)
        return None

    projected = walk(data, _trie(audience.include), ())
    assert isinstance(projected, dict)
    return Projection(projected, frozenset(withheld), audience)
