"""A schema-valid plan -> OASys's fields: the RoSH summary (R10), risk to self and the seven
RMP headings composed from the structured plan, in the ORDS/ARNS API shape or the ARNS
service's own. Only named fields are read: `x-` keys never leave (except that the import's own
`x-oasys.limited_access` flag is carried back as `limitedAccessOffender`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rmp.model.vocabulary import LEVELS, PILLARS
from rmp.oasys.fields import (
    ARNS_GROUPS,
    ARNS_LEVELS,
    ARNS_NARRATIVES,
    ARNS_OTHER_RISKS,
    ARNS_RISK_TO_SELF,
    ORDS_ANSWERS,
    ORDS_NARRATIVES,
    ORDS_RATINGS,
    ORDS_RISK_TO_SELF,
    PILLAR_FIELDS,
    ROSH_FIELDS,
)
from rmp.oasys.to_plan import highest

ORDS_RATING_OF = {level: rating for rating, level in ORDS_RATINGS.items()}
ARNS_LEVEL_OF = {level: key for key, level in ARNS_LEVELS.items()}
ARNS_GROUP_OF = {group: name for name, group in ARNS_GROUPS.items()}
ORDS_ANSWER_OF = {answer: word for word, answer in ORDS_ANSWERS.items() if answer}
ARNS_ANSWER_OF = {answer: word for word, answer in {"YES": "yes", "NO": "no",
                                                    "DK": "dont-know"}.items()}
FIELD_OF_PILLAR = {pillar: name for name, pillar in PILLAR_FIELDS.items()}


def section(plan: Mapping[str, Any], *path: str) -> Mapping[str, Any]:
    node: Any = plan
    for part in path:
        node = node.get(part) if isinstance(node, Mapping) else None
    return node if isinstance(node, Mapping) else {}


def _items(plan: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
    found = plan.get(name)
    return [i for i in found if isinstance(i, Mapping)] if isinstance(found, list) else []


def text_of(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def grid(plan: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    """The plan's RoSH ratings, (group, setting) -> level."""
    rosh = section(plan, "assessment", "rosh")
    return {(g, s): level for (g, s) in ROSH_FIELDS.values()
            if (level := section(rosh, g).get(s)) in LEVELS}


def overall(plan: Mapping[str, Any]) -> str | None:
    """The highest rating, or `overall_rosh` when written higher (as `PlanView` reads it)."""
    written = section(plan, "assessment").get("overall_rosh")
    return highest([*grid(plan).values(), *([written] if written in LEVELS else [])])


def _who(owner: Mapping[str, Any], agencies: Mapping[str, str]) -> str | None:
    agency = owner.get("agency")
    named = agencies.get(agency, agency) if isinstance(agency, str) else None
    return ", ".join(p for p in (text_of(owner.get("role")), named) if p) or None


def _line(title: str | None, details: list[str | None]) -> str:
    said = "; ".join(d for d in details if d)
    return f"{title} ({said})" if title and said else title or said


def rmp_texts(plan: Mapping[str, Any]) -> dict[str, str | None]:
    """The seven RMP headings: each pillar's actions as lines (title, then owner role and
    agency name, dates, frequency and measure); contingency as "If ...: ..." lines; key
    considerations from the rationale. An item with a title alone is its title exactly, so an
    imported draft exports the texts it was imported from."""
    agencies = {a["id"]: a.get("name") or a["id"] for a in _items(plan, "agencies")
                if isinstance(a.get("id"), str)}
    texts: dict[str, str | None] = {"key": text_of(plan.get("rationale")), "further": None}
    for pillar in PILLARS:
        lines = [_line(text_of(a.get("title")) or str(a.get("id", "")), [
            _who(section(a, "owner"), agencies),
            f"from {a['start']}" if a.get("start") else None,
            f"due {a['due']}" if a.get("due") else None,
            a.get("frequency") if isinstance(a.get("frequency"), str) else None,
            f"measure: {a['measure']}" if text_of(a.get("measure")) else None])
            for a in _items(plan, "actions") if a.get("pillar") == pillar]
        texts[pillar] = "\n".join(lines) or None
    lines = []
    for c in _items(plan, "contingency"):
        when, then = text_of(c.get("when")), text_of(c.get("then"))
        said = f"If {when}: {then}" if when and then else then or when or str(c.get("id", ""))
        lines.append(_line(said, [
            _who(section(c, "owner"), agencies),
            f"within {c['within_hours']} hours" if c.get("within_hours") is not None else None]))
    texts["contingency"] = "\n".join(lines) or None
    return texts


def _envelope_facts(plan: Mapping[str, Any]) -> tuple[str, bool, Mapping[str, Any]]:
    provenance = plan.get("x-oasys")
    limited = isinstance(provenance, Mapping) and provenance.get("limited_access") is True
    return str(section(plan, "individual").get("ref")), limited, section(plan, "plan")


def to_ords(plan: Mapping[str, Any]) -> dict[str, Any]:
    """One ORDS/ARNS API envelope whose single assessment (key 1) holds the RoSH summary, the
    full RoSH's risk to self and the RMP fields: give it to `--rosh-summary` alone."""
    ref, limited, head = _envelope_facts(plan)
    assessment = section(plan, "assessment")
    ratings = grid(plan)
    complete = head.get("status") in ("agreed", "active", "closed")
    fields: dict[str, Any] = {
        "assessmentPk": 1, "assessmentType": None,
        "assessmentStatus": "COMPLETE" if complete else "OPEN",
        "dateCompleted": head.get("agreed") if complete else None,
        "initiationDate": head.get("created"),
        "assessor": {"name": text_of(section(head, "author").get("name"))},
    }
    for name, key in ROSH_FIELDS.items():
        fields[name] = ORDS_RATING_OF.get(ratings.get(key, ""))
    for name, narrative in ORDS_NARRATIVES.items():
        fields[name] = text_of(assessment.get(narrative))
    selves = section(assessment, "risk_to_self")
    for name, answer in ORDS_RISK_TO_SELF.items():
        fields[name] = ORDS_ANSWER_OF.get(selves.get(answer, ""))
    texts = rmp_texts(plan)
    fields["keyConsiderationsCurrentSituation"] = texts["key"]
    fields["furtherConsiderationsCurrentSituation"] = texts["further"]
    for name, pillar in PILLAR_FIELDS.items():
        fields[name] = texts[pillar]
    fields["contingencyPlans"] = texts["contingency"]
    return {"source": "rmp", "inputs": {"plan": head.get("id")}, "crn": ref,
            "limitedAccessOffender": limited, "timeline": [], "assessments": [fields]}


def to_arns(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The ARNS service's shape: summary, riskToSelf, otherRisks (not kept by rmp: null), and
    `riskManagementPlan` with the seven RMP fields under ARNS's names."""
    ref, limited, head = _envelope_facts(plan)
    assessment = section(plan, "assessment")
    assessed = head.get("agreed") or head.get("created")
    levels: dict[str, dict[str, list[str]]] = {"community": {}, "custody": {}}
    for (group, setting), level in grid(plan).items():
        levels[setting].setdefault(ARNS_LEVEL_OF[level], []).append(ARNS_GROUP_OF[group])
    order = list(reversed(ARNS_LEVELS))
    summary: dict[str, Any] = {name: text_of(assessment.get(key))
                               for name, key in ARNS_NARRATIVES.items()}
    summary["analysisOfRiskFactors"] = None
    top = overall(plan)
    summary.update({
        "overallRiskLevel": ARNS_LEVEL_OF[top] if top else None,
        "riskInCommunity": {k: levels["community"][k] for k in order if k in levels["community"]},
        "riskInCustody": {k: levels["custody"][k] for k in order if k in levels["custody"]},
        "assessedOn": assessed})
    selves = section(assessment, "risk_to_self")
    risk_to_self = {name: {"risk": None, "previous": None, "previousConcernsText": None,
                           "current": ARNS_ANSWER_OF.get(selves.get(key, "")),
                           "currentConcernsText": None}
                    for name, key in ARNS_RISK_TO_SELF.items()}
    texts = rmp_texts(plan)
    plan_fields: dict[str, Any] = {
        "keyInformationCurrentSituation": texts["key"],
        "furtherConsiderationsCurrentSituation": texts["further"],
        **{name: texts[pillar] for name, pillar in PILLAR_FIELDS.items()},
        "contingencyPlans": texts["contingency"]}
    return {"crn": ref, "limitedAccessOffender": limited, "summary": summary,
            "riskToSelf": risk_to_self, "otherRisks": dict.fromkeys(ARNS_OTHER_RISKS),
            "riskManagementPlan": plan_fields, "assessedOn": assessed}
