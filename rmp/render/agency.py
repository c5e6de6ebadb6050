"""A plan as one partner agency may see it: `rmp render --for AGENCY_ID` (HF36 P18, K29;
issue 10).

Every partner given the same projection hands the DVDS decision to housing and the alcohol
service. `--for` projects a plan for one agency: the audience bound to that agency's kind
(`bound_audience_name`, used by `rmp.render.audience.choose_audience`), its allow-list as
usual, and then this filter (`never_to_agency`, applied inside `rmp.render.audience.project`,
so no builder or template sees more):

- **shared by every partner**: the plan, the individual, the assessment, risk and protective
  factors, controls, objectives, options, scenarios, contingency, the agencies involved,
  rationale, review and sharing, and every action except those below: each partner needs
  the whole picture of how the risk is managed, within what its audience allows;
- **only to the agency it concerns**:
  - a disclosure decision: `disclose` to the agencies in its `to` and to the deciding
    agency (`by`); `not-disclose` and `deferred` to the deciding agency only (the agencies in
    `to` were not told, so their pack does not tell them either);
  - a concern: to the agencies in its `to`;
  - an action of pillar `victim-safety`: to its owner agency;
  - a victim record: to an agency that protects the victim: it owns an action, or enforces
    a control, listed in the victim's `protected_by`.

A section left with nothing for the agency is withheld as a whole (not listed empty). Then,
as for every audience, text that names what the agency may not see goes with it
(`rmp.render.citations`): a rationale citing a disclosure the agency was not told of is
withheld from its pack. The lead agency is not special: for the whole plan, render `panel`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rmp.errors import UsageError
from rmp.model.vocabulary import Path_
from rmp.policy.model import Policy

FALLBACK = "agencies"
"""The audience of an agency whose kind no policy audience lists in `agency_kinds`."""
AGENCY_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
"""The schema's pattern for an agency ID (`agencyId`)."""
_ONLY_TO_THEM: tuple[str, ...] = ("disclosures", "concerns", "actions", "victims")


def _listed(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _ids(value: Any) -> set[str]:
    return {v for v in value if isinstance(v, str)} if isinstance(value, list) else set()


def told(disclosure: Mapping[str, Any], agency: str) -> bool:
    """Whether `agency` is told of this disclosure decision: it decided it, or it was
    decided to disclose to it."""
    return disclosure.get("by") == agency or (
        disclosure.get("decision") == "disclose" and agency in _ids(disclosure.get("to")))


def never_to_agency(data: Mapping[str, Any], agency: str) -> frozenset[Path_]:
    """Paths of `data` (a plan as read) that `agency`'s own pack withholds."""
    never: set[Path_] = set()
    protects: set[str] = set()
    for action in _listed(data, "actions"):
        if isinstance(action, dict) and isinstance(action.get("owner"), dict) \
                and action["owner"].get("agency") == agency and isinstance(action.get("id"), str):
            protects.add(action["id"])
    for control in _listed(data, "controls"):
        if isinstance(control, dict) and control.get("enforced_by") == agency \
                and isinstance(control.get("id"), str):
            protects.add(control["id"])
    for key in _ONLY_TO_THEM:
        entries = _listed(data, key)
        hidden = 0
        for index, item in enumerate(entries):
            if not isinstance(item, dict):
                continue
            if key == "disclosures":
                keep = told(item, agency)
            elif key == "concerns":
                keep = agency in _ids(item.get("to"))
            elif key == "victims":
                keep = bool(_ids(item.get("protected_by")) & protects)
            else:
                owner = item.get("owner")
                keep = item.get("pillar") != "victim-safety" or (
                    isinstance(owner, dict) and owner.get("agency") == agency)
            if not keep:
                never.add((key, index))
                hidden += 1
        if entries and hidden == len(entries) and key != "actions":
            never.add((key,))  # nothing for this agency: withheld, not listed empty
    return frozenset(never)


def agency_entry(data: Mapping[str, Any], agency: str) -> Mapping[str, Any] | None:
    """The plan's `agencies` entry with this ID, if it is listed."""
    for entry in _listed(data, "agencies"):
        if isinstance(entry, dict) and entry.get("id") == agency:
            return entry
    return None


def bound_audience_name(policy: Policy, kind: Any) -> str:
    """The first audience of the policy (in its order: the built-in ones, then the file's)
    whose `agency_kinds` lists `kind`, else `agencies`."""
    for name, spec in (policy.get("audiences") or {}).items():
        if name.startswith("x-") or not isinstance(spec, dict):
            continue
        kinds = spec.get("agency_kinds")
        if isinstance(kinds, list) and kind in kinds:
            return str(name)
    return FALLBACK


def check_agency_option(agency: str, audience: str | None) -> None:
    """Refuse a malformed `--for`, and `--for` with the individual's own copy (exit 2)."""
    if not AGENCY_ID.match(agency):
        raise UsageError("--for takes an agency ID as the plans list it under `agencies` "
                         "(lower-case words joined by hyphens, e.g. housing)")
    if audience == "individual":
        raise UsageError("--for makes a partner agency's pack; the individual audience is "
                         "the person's own copy: leave out --for or --audience individual")
