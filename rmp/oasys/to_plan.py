"""A `Record` (what the OASys documents said) -> a draft rmp/1 plan and its YAML text.

The draft holds only what OASys said: no owner, no date, no agency is invented, so `rmp check`
lists exactly what the practitioner still has to write. Field mapping: docs/oasys.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import yaml

from rmp.model.vocabulary import GROUPS, LEVELS, PILLARS, ROSH_SETTINGS
from rmp.oasys.fields import (
    ARNS_OTHER_RISKS,
    EXTRA_LABELS,
    EXTRA_NARRATIVES,
    NARRATIVES,
    RISK_TO_SELF,
    Record,
)
from rmp.oasys.json_input import InputProblem

SOURCE_ID = "SRC1"
SELF_LABELS = {"suicide": "Suicide", "self_harm": "Self-harm", "custody_coping": "Custody",
               "hostel_coping": "Hostel", "vulnerability": "Vulnerability"}
ANSWER_WORDS = {"yes": "yes", "no": "no", "dont-know": "don't know"}


def merge(records: Sequence[tuple[str, Record]]) -> Record:
    """One record from the documents of one case. A fact given by two documents must agree
    (the same file may be given to two options); anything else is an InputProblem."""
    merged = Record(shape="+".join(dict.fromkeys(r.shape for _, r in records)))
    for option, record in records:
        for name in ("case_ref", "assessment", "overall"):
            mine, theirs = getattr(merged, name), getattr(record, name)
            if name == "assessment" and merged.assessment is not None:
                if None not in (getattr(theirs, "pk", None), merged.assessment.pk) and \
                        theirs.pk != merged.assessment.pk:
                    raise InputProblem(option, "a different assessment from the other "
                                       "documents (name one with --assessment)")
                continue
            if mine is not None and theirs is not None and mine != theirs:
                raise InputProblem(option, f"disagrees with another document on the {name}")
            if theirs is not None:
                setattr(merged, name, theirs)
        merged.limited_access = merged.limited_access or record.limited_access
        for name in ("rosh", "narratives", "risk_to_self", "self_notes", "other_risks", "rmp"):
            target, given = getattr(merged, name), getattr(record, name)
            for key, value in given.items():
                if key in target and target[key] != value:
                    raise InputProblem(option, "disagrees with another document on a field")
                target[key] = value
        merged.sections |= record.sections
        merged.notes += [n for n in record.notes if n not in merged.notes]
    return merged


def highest(levels: Sequence[str]) -> str | None:
    ranked = [LEVELS.index(level) for level in levels if level in LEVELS]
    return LEVELS[max(ranked)] if ranked else None


def _rationale(record: Record) -> str | None:
    paragraphs = [record.rmp["key"]] if "key" in record.rmp else []
    for key in ("further",):
        if key in record.rmp:
            paragraphs.append(f"{EXTRA_LABELS[key]}: {record.rmp[key]}")
    for key in EXTRA_NARRATIVES:
        if key in record.narratives:
            paragraphs.append(f"{EXTRA_LABELS[key]}: {record.narratives[key]}")
    if record.other_risks:
        said = "; ".join(f"{ARNS_OTHER_RISKS[k].lower()}: {ANSWER_WORDS[v]}"
                         for k, v in record.other_risks.items())
        paragraphs.append(f"{EXTRA_LABELS['other']}: {said}.")
    return "\n\n".join(paragraphs) if paragraphs else None


def _confidential(item: dict[str, Any], record: Record) -> dict[str, Any]:
    if record.limited_access:
        item["confidential"] = True
    return item


def to_plan(record: Record, *, plan_id: str, case_ref: str, today: date) -> dict[str, Any]:
    """The draft plan for `record` (a dict in the rmp/1 shape, keys in the format's order)."""
    meta = record.assessment
    plan: dict[str, Any] = {"id": plan_id, "type": "initial", "status": "draft",
                            "created": today.isoformat()}
    if meta is not None and meta.assessor:
        plan["author"] = {"name": meta.assessor}
    assessment: dict[str, Any] = {k: record.narratives[k] for k in NARRATIVES
                                  if k in record.narratives}
    rosh: dict[str, dict[str, str]] = {}
    for group in GROUPS:
        for setting in ROSH_SETTINGS:
            if (group, setting) in record.rosh:
                rosh.setdefault(group, {})[setting] = record.rosh[(group, setting)]
    if rosh:
        assessment["rosh"] = rosh
    if record.overall is not None:
        assessment["overall_rosh"] = record.overall
    selves: dict[str, str] = {k: record.risk_to_self[k] for k in RISK_TO_SELF
                              if k in record.risk_to_self}
    if record.self_notes:
        selves["note"] = "\n".join(f"{SELF_LABELS[k]}: {record.self_notes[k]}"
                                   for k in RISK_TO_SELF if k in record.self_notes)
    if selves:
        assessment["risk_to_self"] = selves
    gave = highest([*record.rosh.values(), *([record.overall] if record.overall else [])])
    title = " ".join(p for p in ("OASys", meta.kind if meta else None, "assessment",
                                 str(meta.pk) if meta and meta.pk is not None else None) if p)
    source: dict[str, Any] = {
        "id": SOURCE_ID,
        "title": f"{title}: overall RoSH {gave}" if gave else f"{title}: no RoSH rated",
        "kind": "assessment"}
    if meta is not None and meta.completed is not None:
        source["date"] = meta.completed.isoformat()
    source["reliability"] = "reliable"
    assessment["sources"] = [_confidential(source, record)]
    document: dict[str, Any] = {"format": "rmp/1", "plan": plan,
                                "individual": {"ref": case_ref}, "assessment": assessment}
    actions = [_confidential({"id": f"A{n}", "pillar": pillar, "title": text,
                              "status": "planned"}, record)
               for n, (pillar, text) in enumerate(
                   ((p, record.rmp[p]) for p in PILLARS if p in record.rmp), start=1)]
    if actions:
        document["actions"] = actions
    if "contingency" in record.rmp:
        document["contingency"] = [_confidential(
            {"id": "CT1", "then": record.rmp["contingency"]}, record)]
    rationale = _rationale(record)
    if rationale is not None:
        document["rationale"] = rationale
    if record.limited_access:
        document["sharing"] = {"classification": "official-sensitive"}
    provenance: dict[str, Any] = {"shape": record.shape, "source": SOURCE_ID,
                                  "documents": sorted(record.sections),
                                  "limited_access": record.limited_access}
    if meta is not None and meta.pk is not None:
        provenance["assessment"] = meta.pk
    document["x-oasys"] = provenance
    return document


class _Dumper(yaml.SafeDumper):
    """Block YAML without anchors (the strict loader refuses them); text with line breaks as
    literal blocks where YAML allows it (pyyaml falls back to quoting when it does not)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def to_yaml(document: dict[str, Any], header: Sequence[str]) -> str:
    """The plan's YAML text, after comment lines `header`."""
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100,
                     default_flow_style=False)
    return "".join(f"# {line}\n".replace("# \n", "#\n") for line in header) + body
