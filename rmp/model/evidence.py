"""What a plan's own information indicates, set against what it rates.

The spec's terms (docs/plan-format.md, "Defensibility"): *information held* (a source with
`result: information-held`, or one that `shows` a harm), the *groups a source points to* (its
`about`, plus the known adult for domestic abuse and children for child abuse), and the
*evidence level* of a group: the highest floor that information held, life-threatening offences
and (for the overall RoSH) predictor bands set for it. The thresholds come from the policy
through `Reading`; this module only applies them. `PlanView` exposes the results, so that every
rule, `status` and every pack read one answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rmp.model.paths import parse_date
from rmp.model.vocabulary import LEVELS, highest, level_rank

IMPLIED_GROUPS: Mapping[str, str] = {"domestic-abuse": "known_adult", "child-abuse": "children"}
"""A harm that points to a group even where the source's `about` does not name it."""

DOMESTIC_ABUSE = "domestic-abuse"


@dataclass(frozen=True)
class Reading:
    """The policy values the one reading of a plan needs (built from the typed policy by
    `Policy.reading`). The default reading sets no floors and no release horizon: it is what
    a view made without a policy (the diff) sees."""

    release_horizon_days: int | None = None
    evidence_floors: Mapping[str, str] = field(default_factory=dict)
    escalating_harms: frozenset[str] = frozenset()
    escalation_floor: str | None = None
    life_threatening_floor: str | None = None
    offence_floor_years: int | None = None
    tool_floors: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    children_from: str | None = None
    """Children's RoSH from which a case is children-indicated (the policy's
    `children_safeguarding_from`)."""


@dataclass(frozen=True)
class Floor:
    """One reason the evidence sets a minimum RoSH for a group (or for `overall`)."""

    group: str
    """A RoSH group key, or `overall` (predictor floors)."""
    level: str
    source: str
    """What sets it: `information` (a source), `offence` (a domestic-abuse or life-threatening
    offence) or `tool` (a predictor band)."""
    item: str
    """The ID of the source or offence, or the tool's index in `assessment.tools` (a tool's
    name is free text, never printed)."""
    harm: str | None = None
    """The harm shown (information, domestic-abuse offences), `life-threatening` for a
    life-threatening offence, or the band for a tool."""


def is_information_held(source: Mapping[str, Any]) -> bool:
    """A source with `result: information-held`, or with a non-empty `shows`."""
    return source.get("result") == "information-held" or bool(_strings(source.get("shows")))


def source_groups(source: Mapping[str, Any]) -> tuple[str, ...]:
    """The groups a source points to: its `about`, plus the groups its harms imply."""
    groups = list(_strings(source.get("about")))
    for harm in _strings(source.get("shows")):
        implied = IMPLIED_GROUPS.get(harm)
        if implied and implied not in groups:
            groups.append(implied)
    return tuple(groups)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _id(fields: Mapping[str, Any]) -> str:
    value = fields.get("id")
    return value if isinstance(value, str) else ""


def harm_floor(harm: str, reading: Reading) -> str | None:
    """The floor that information showing `harm` sets, with escalation."""
    levels = [reading.evidence_floors.get(harm)]
    if harm in reading.escalating_harms:
        levels.append(reading.escalation_floor)
    return highest(levels)


def offence_is_recent(offence: Mapping[str, Any], today: date, years: int | None) -> bool:
    """Within `years` of today; an undated offence counts (nothing shows it is old)."""
    when = parse_date(offence.get("date"))
    if when is None or years is None:
        return True
    try:
        limit = when.replace(year=when.year + years)
    except ValueError:  # 29 February
        limit = when.replace(year=when.year + years, day=28)
    return today <= limit


def is_life_threatening(offence: Mapping[str, Any], today: date, reading: Reading) -> bool:
    return offence.get("life_threatening") is True and offence_is_recent(
        offence, today, reading.offence_floor_years)


def floors(
    sources: Iterable[Mapping[str, Any]], offences: Iterable[Mapping[str, Any]],
    tools: Iterable[Any], reading: Reading, today: date,
) -> list[Floor]:
    """Every floor the plan's information sets, in file order: information held (by harm and
    group), domestic-abuse offences (as information showing domestic abuse), life-threatening
    offences, and predictor bands (for the overall RoSH)."""
    found: list[Floor] = []
    for source in sources:
        if not is_information_held(source):
            continue
        groups = source_groups(source)
        for harm in dict.fromkeys(_strings(source.get("shows"))):
            level = harm_floor(harm, reading)
            if level is None:
                continue
            found.extend(Floor(group, level, "information", _id(source), harm) for group in groups)
    for offence in offences:
        against = _strings(offence.get("against"))
        if offence.get("domestic_abuse") is True:
            level = harm_floor(DOMESTIC_ABUSE, reading)
            if level is not None:
                offence_groups = list(dict.fromkeys([*against, IMPLIED_GROUPS[DOMESTIC_ABUSE]]))
                found.extend(Floor(g, level, "offence", _id(offence), DOMESTIC_ABUSE)
                             for g in offence_groups)
        if reading.life_threatening_floor is not None and is_life_threatening(
                offence, today, reading):
            found.extend(Floor(g, reading.life_threatening_floor, "offence", _id(offence),
                               "life-threatening") for g in (against or ["public"]))
    tables = {name.strip().casefold(): table for name, table in reading.tool_floors.items()}
    for index, tool in enumerate(tools):
        if not isinstance(tool, Mapping) or not isinstance(tool.get("name"), str):
            continue
        table = tables.get(tool["name"].strip().casefold())
        band = tool.get("band")
        level = table.get(band) if table is not None and isinstance(band, str) else None
        if level in LEVELS:
            found.append(Floor("overall", level, "tool", str(index), band))
    return found


def highest_floor(found: Iterable[Floor]) -> str | None:
    return highest(f.level for f in found)


def below(level: str | None, floor: str | None) -> bool:
    """Whether a rating (None: not rated) sits below a floor."""
    return floor is not None and level_rank(level) < level_rank(floor)
