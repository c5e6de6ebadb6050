"""What never reaches the individual's own copy, whatever the policy's allow-list says
(HF36 P18, K29; issue 10).

A path allow-list cannot read meaning: an `individual` audience that includes `"*"`, or a
victim-safety action whose title names a support service, would hand the person what the
law and the victims' safety forbid. `never_to_individual` reads the whole plan and returns
the paths (original list indices) the projection must withhold for an audience that is the
individual's (`Audience.for_individual`). It is applied inside `audience.project`, so no
builder or template sees the plan without it.

Never to the individual, unless the item itself says `share_with_individual: true`:
- victims, every field (the flag is never honoured there: the schema has no such field);
- actions with pillar `victim-safety`;
- agencies of kind `victim-services` (never released either) and agencies that nothing the
  person may see refers to (an agency owning only hidden items), except the lead agency;
- disclosures, concerns;
- sources of kind `intelligence`, `third-party` or `childrens-services-check`, and any item
  whose `evidence` cites only withheld sources;
- other people's information: `individual.household`, `individual.household_checked`,
  `assessment.who_at_risk`, a scenario's `who`;
- any item marked `confidential: true`, whatever the audience's `confidential` says;
- any item whose text cites the ID of a withheld item, or whose owner or enforcer is a
  withheld agency (contingency and scenario text that names a victim goes with the victim);
  a reference to a withheld item in an ID list (`evidence`, `addresses`) is withheld alone.
  An item with a `plain:` text (written for the person) that cites no withheld item keeps
  its place when another of its texts names a withheld item: that text alone is withheld and
  the plain words stand in for it (a licence condition "No contact with V1" stays in the
  person's copy as "You must not contact your ex-partner").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rmp.model.paths import get
from rmp.model.vocabulary import Path_
from rmp.render.citations import ID_TOKEN as _ID_TOKEN
from rmp.render.citations import ITEM_LISTS
from rmp.render.citations import enclosing_item as _enclosing_item
from rmp.render.citations import items as _items
from rmp.render.citations import leaves as _leaves
from rmp.render.citations import under as _under

SHARE = "share_with_individual"
SECRET_SOURCE_KINDS = frozenset({"intelligence", "third-party", "childrens-services-check"})
WHOLE_FIELDS: tuple[Path_, ...] = (
    ("victims",), ("individual", "household"), ("individual", "household_checked"),
    ("assessment", "who_at_risk"),
)


def _shared(item: dict[str, Any]) -> bool:
    return item.get(SHARE) is True and item.get("confidential") is not True


def _speaks_plainly(data: dict[str, Any], item: Path_, path: Path_,
                    hidden_ids: set[str]) -> bool:
    """Whether `path`, a text of the list item at `item` that names a withheld item, may be
    withheld alone: the item has a `plain:` text naming no withheld item, and `path` is
    another of its texts."""
    fields = get(data, item)
    plain = fields.get("plain") if isinstance(fields, dict) else None
    return (item != path and item[:-1] in ITEM_LISTS and path[len(item)] != "plain"
            and isinstance(plain, str) and bool(plain.strip())
            and not any(m in hidden_ids for m in _ID_TOKEN.findall(plain)))


def never_to_individual(data: dict[str, Any],
                        shown: Callable[[Path_], bool] | None = None) -> frozenset[Path_]:
    """Paths of `data` (a plan as read) the individual's projection must withhold. `shown`
    says which paths the audience's allow-list shows: an agency referred to only where the
    copy shows nothing (a review's attendees, a distribution) is not "referred to"."""
    never: set[Path_] = {p for p in WHOLE_FIELDS if get(data, p) is not None}
    for path, item in _items(data):
        where = path[:-1]
        if item.get("confidential") is True or where == ("victims",):
            never.add(path)
        elif _shared(item):
            continue
        elif where in {("disclosures",), ("concerns",)} \
                or (where == ("actions",) and item.get("pillar") == "victim-safety") \
                or (where == ("assessment", "sources")
                    and item.get("kind") in SECRET_SOURCE_KINDS):
            never.add(path)
        elif where == ("scenarios",) and "who" in item:
            never.add((*path, "who"))
    for where in (("disclosures",), ("concerns",)):
        entries = get(data, where)
        if isinstance(entries, list) and all((*where, i) in never for i in range(len(entries))):
            never.add(where)  # nothing released: the section is withheld, not listed empty
    agencies = {path: item for path, item in _items(data) if path[0] == "agencies"}
    lead = get(data, ("plan", "lead"))
    while True:
        before = len(never)
        hidden_ids = {str(item["id"]) for path, item in _items(data)
                      if "id" in item and _under(path, never)}
        for path, text in _leaves(data, ()):
            if path[-1] == "id" or path[0] == "agencies" or _under(path, never):
                continue
            if text in hidden_ids:
                # an ID reference: in a list it is withheld alone, as a field (an owner, an
                # enforcer, a distribution's recipient) it takes its item with it
                never.add(path if isinstance(path[-1], int) else _enclosing_item(data, path))
            elif any(m in hidden_ids for m in _ID_TOKEN.findall(text)):
                holder = _enclosing_item(data, path)
                never.add(path if _speaks_plainly(data, holder, path, hidden_ids) else holder)
        for path, item in _items(data):
            evidence = item.get("evidence")
            if isinstance(evidence, list) and evidence and not _under(path, never) \
                    and not _shared(item) and path[0] != "victims" \
                    and all(_under((*path, "evidence", i), never)
                            for i in range(len(evidence))):
                never.add(path)
        seen = {text for path, text in _leaves(data, ())
                if path[0] != "agencies" and not _under(path, never)
                and (shown is None or shown(path))}
        for path, agency in agencies.items():
            if path in never:
                continue
            if agency.get("kind") == "victim-services" or not (
                    agency.get("id") == lead or _shared(agency) or agency.get("id") in seen):
                never.add(path)
        if len(never) == before:
            return frozenset(never)
