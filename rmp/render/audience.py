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
information and what rests on them are withheld whatever the allow-list says. A pack for one
agency (`rmp render --for`) is passed through `rmp.render.agency`: disclosures, concerns,
victim-safety actions and victim records only for the agency they concern. Last, for every
audience, text that names a withheld item goes with it (`rmp.render.citations`).

Templates only ever see the projection, never the plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from rmp.errors import ConfigError, UsageError
from rmp.model.vocabulary import Path_
from rmp.policy.model import Policy
from rmp.render.agency import agency_entry, bound_audience_name, never_to_agency
from rmp.render.citations import citing_withheld

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
    agency: str | None = None
    """The agency this projection is for (`rmp render --for`), else None: every partner."""

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


def choose_audience(policy: Policy, data: Mapping[str, Any], shown: str,
                    name: str | None, agency: str | None) -> Audience:
    """The audience one plan is projected for: `name` from the policy; with `agency`, that
    agency's own view (`name` if given, else the audience bound to its kind by
    `agency_kinds`), titled with its name for "Prepared for". Usage errors (exit 2) for an
    agency the plan does not list and for an audience written for the individual."""
    if agency is None:
        if name is None:
            raise UsageError("give --audience NAME (or --for AGENCY_ID for one agency's pack)")
        return audience_from_policy(policy, name)
    entry = agency_entry(data, agency)
    if entry is None:
        raise UsageError(f"--for {agency}: {shown} lists no agency with that ID under "
                         "`agencies`; nothing was rendered")
    audience = audience_from_policy(policy, name or bound_audience_name(policy, entry.get("kind")))
    if audience.for_individual:
        raise UsageError(f"--for makes a partner agency's pack; the audience `{audience.name}` "
                         "is written for the individual: give --audience another audience")
    agency_name = entry.get("name")
    label = agency_name if isinstance(agency_name, str) and agency_name.strip() else agency
    return replace(audience, agency=agency, title=f"{audience.title}: {label}")


def _allows(node: _Node, path: Path_) -> bool:
    """Whether the allow-list (as a trie) shows `path` of a plan."""
    for step in path:
        if node.everything:
            return True
        found = node.children.get(EACH if isinstance(step, int) else step)
        if found is None:
            return False
        node = found
    return node.everything


def never_shown(data: dict[str, Any], audience: Audience) -> frozenset[Path_]:
    """What this audience's projection withholds whatever its allow-list says: the
    individual's filter (`rmp.render.individual`, judged against what the allow-list shows)
    and, for one agency's pack, the agency's (`rmp.render.agency`)."""
    never: set[Path_] = set()
    if audience.for_individual:
        from rmp.render.individual import never_to_individual

        trie = _trie(audience.include)
        never |= never_to_individual(data, lambda path: _allows(trie, path))
    if audience.agency is not None:
        never |= never_to_agency(data, audience.agency)
    return frozenset(never)


def project(data: dict[str, Any], audience: Audience) -> Projection:
    """The plan as this audience may see it: the allow-list and the filters, then what
    names a withheld item (`citing_withheld`)."""
    texts: list[tuple[Path_, str]] = []
    first = _project(data, audience, never_shown(data, audience), texts)
    citing = citing_withheld(data, first.withheld, texts)
    return _without(first, citing) if citing else first


def _without(projection: Projection, paths: frozenset[Path_]) -> Projection:
    """The projection with these shown paths (of the plan: original list indices) withheld
    too, as projecting again with them among the withheld would give, without doing so."""
    withheld = projection.withheld

    def shown_at(path: Path_) -> Path_:
        out: list[str | int] = []
        for size, step in enumerate(path):
            # entries dropped before an item shift it up
            out.append(step - sum((*path[:size], j) in withheld for j in range(step))
                       if isinstance(step, int) else step)
        return tuple(out)

    data: Any = projection.data
    outermost = [p for p in paths if not any(p[:n] in paths for n in range(1, len(p)))]
    for path in sorted((shown_at(p) for p in outermost), reverse=True):
        node = data
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
    return Projection(data, withheld | paths, projection.audience)


def _project(data: dict[str, Any], audience: Audience, never: frozenset[Path_],
             texts: list[tuple[Path_, str]]) -> Projection:
    """The allow-list projection withholding `never` too; every string shown is added to
    `texts` with its path in `data`."""
    withheld: set[Path_] = set()

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
        if isinstance(value, str):
            texts.append((path, value))
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
