"""Reading OASys documents strictly: the ORDS/ARNS API envelope (`assessments[]`) and the ARNS
service's own shape (`summary`, `riskToSelf`), detected, into a `Record`.

Nothing is guessed: an unknown rating or level, a group at two levels, a date that is not a
date is an `InputProblem` naming its JSON Pointer. A field rmp does not read is left out and
named (by its JSON Pointer) in a warning: live OASys responses carry more fields than rmp
maps, and refusing them would make the import unusable. Null is "not given" anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date
from typing import Any, TypeVar

from rmp.oasys.fields import (
    ARNS_ANSWERS,
    ARNS_CONCERN_KEYS,
    ARNS_GROUPS,
    ARNS_LEVELS,
    ARNS_NARRATIVES,
    ARNS_OTHER_RISKS,
    ARNS_RISK_TO_SELF,
    ASSESSMENT_META,
    KEY_SPELLINGS,
    LATER_DATES,
    LATER_FLAGS,
    ORDS_ANSWERS,
    ORDS_NARRATIVES,
    ORDS_RATINGS,
    ORDS_RISK_TO_SELF,
    ORDS_RMP,
    ROSH_FIELDS,
    Assessment,
    Record,
)
from rmp.oasys.json_input import InputProblem, pointer

T = TypeVar("T")
DOCUMENTS: dict[str, frozenset[str]] = {
    "rosh-summary": frozenset({*ROSH_FIELDS, *ORDS_NARRATIVES}),
    "rosh-full": frozenset(ORDS_RISK_TO_SELF),
    "rmp": frozenset(ORDS_RMP),
}
"""Each ORDS document kind and the assessment fields that make it that kind."""
ARNS_SECTIONS = {"rosh-summary": "summary", "rosh-full": "riskToSelf", "rmp": "riskManagementPlan"}
ENVELOPE = frozenset({"source", "inputs", "probNumber", "crn", "limitedAccessOffender",
                      "timeline", "assessments"})
ASSESSMENT_KEYS = frozenset({*ASSESSMENT_META, *LATER_FLAGS, *LATER_DATES,
                             *(k for keys in DOCUMENTS.values() for k in keys)})
TIMELINE_KEYS = frozenset({"assessmentPk", "assessmentType", "initiationDate", "status",
                           "completedDate", "partcompStatus"})
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
                   r"(?:Z|[+-]\d{2}:?\d{2})?)?\Z")
CASE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")


_UNREAD: ContextVar[list[str] | None] = ContextVar("unread", default=None)
"""JSON Pointers of the fields left out while one document is read (see `read_document`)."""


def _object(value: Any, where: str, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputProblem(where or "/", "expected an object")
    unread = _UNREAD.get()
    if allowed is not None and unread is not None:
        unread.extend(pointer(where, key) for key in value if key not in allowed)
    return value


def _optional(value: Any, where: str, read: Callable[[Any, str], T]) -> T | None:
    return None if value is None else read(value, where)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputProblem(where, "expected text or null")
    return value


def _text(value: Any, where: str) -> str | None:
    """Free text, kept exactly; blank text counts as not given."""
    found = _optional(value, where, _string)
    return found if found is not None and found.strip() else None


def _flag(value: Any, where: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InputProblem(where, "expected true, false or null")
    return value


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputProblem(where, "expected a whole number")
    return value


def read_date(value: Any, where: str) -> date | None:
    """A date written YYYY-MM-DD, optionally with a time (the date is kept), or null."""
    found = _optional(value, where, _string)
    if found is None:
        return None
    match = _DATE.match(found)
    try:
        if match is None:
            raise ValueError
        return date.fromisoformat(match.group(1))
    except ValueError:
        raise InputProblem(where, "not a date (expected YYYY-MM-DD, optionally with a time; "
                           "a test server's date template is not a date)") from None


def _choice(value: Any, where: str, choices: Mapping[str, T], what: str) -> T | None:
    found = _optional(value, where, _string)
    if found is None:
        return None
    if found not in choices:
        raise InputProblem(where, f"not {what} (expected one of: {', '.join(choices)}, or null)")
    return choices[found]


def case_ref(value: Any, where: str) -> str | None:
    found = _optional(value, where, _string)
    if found is not None and not CASE_REF.match(found):
        raise InputProblem(where, "not a case reference rmp can use (letters, digits, '.', "
                           "'_' or '-', at most 64)")
    return found


def _put(record: dict[str, T], key: str, value: T | None) -> None:
    if value is not None:
        record[key] = value


def detect(document: Any) -> str:
    """`ords` or `arns`: which shape a parsed document has."""
    if isinstance(document, dict):
        if "assessments" in document:
            return "ords"
        if any(k in document for k in ("summary", "riskToSelf", "riskManagementPlan")):
            return "arns"
    raise InputProblem("/", "not an OASys document: expected an `assessments` envelope (ORDS) "
                       "or `summary`/`riskToSelf` (ARNS)")


def read_document(document: Any, kind: str, chosen: int | None) -> Record:
    """Read a document given as `kind` (rosh-summary, rosh-full or rmp)."""
    shape = detect(document)
    unread: list[str] = []
    token = _UNREAD.set(unread)
    try:
        record = read_ords(document, kind, chosen) if shape == "ords" else read_arns(document, kind)
    finally:
        _UNREAD.reset(token)
    if unread:
        shown = ", ".join(unread[:10]) + (f" and {len(unread) - 10} more" if len(unread) > 10 else "")
        record.notes.append(f"{len(unread)} field(s) rmp does not read were left out: {shown}")
    return record


# --- ORDS / ARNS API envelope ------------------------------------------------------------------

def _assessment(value: Any, where: str) -> tuple[Assessment, dict[str, Any]]:
    found = _object(value, where, ASSESSMENT_KEYS)
    if found.get("assessmentPk") is None:
        raise InputProblem(pointer(where, "assessmentPk"), "missing: every assessment has a key")
    for flag in LATER_FLAGS:
        _flag(found.get(flag), pointer(where, flag))
    for name in ("dateCompleted", "initiationDate", *LATER_DATES):
        read_date(found.get(name), pointer(where, name))
    assessor = _optional(found.get("assessor"), pointer(where, "assessor"),
                         lambda v, w: _object(v, w, frozenset({"name"})))
    return Assessment(
        pk=_int(found["assessmentPk"], pointer(where, "assessmentPk")),
        kind=_optional(found.get("assessmentType"), pointer(where, "assessmentType"), _string),
        status=_optional(found.get("assessmentStatus"), pointer(where, "assessmentStatus"),
                         _string),
        completed=read_date(found.get("dateCompleted"), pointer(where, "dateCompleted")),
        assessor=_text(assessor.get("name"), pointer(where, "assessor/name"))
        if assessor else None,
    ), found


def _started(found: Mapping[str, Any], where: str) -> date:
    return read_date(found.get("initiationDate"), pointer(where, "initiationDate")) or date.min


def _choose(listed: list[tuple[Assessment, dict[str, Any]]], chosen: int | None,
            record: Record) -> tuple[Assessment, dict[str, Any], int]:
    if chosen is not None:
        for index, (meta, found) in enumerate(listed):
            if meta.pk == chosen:
                if meta.status != "COMPLETE":
                    record.notes.append(f"assessment {chosen} is not complete "
                                        "(imported because --assessment named it)")
                return meta, found, index
        raise InputProblem("/assessments", "no assessment has the assessmentPk given by "
                           "--assessment")
    complete = [(meta.completed or date.min, _started(found, ""), meta.pk or 0, index)
                for index, (meta, found) in enumerate(listed) if meta.status == "COMPLETE"]
    if not complete:
        raise InputProblem("/assessments", "no assessment has status COMPLETE; name one with "
                           "--assessment PK")
    index = max(complete)[3]
    return listed[index][0], listed[index][1], index


def read_ords(document: Any, kind: str, chosen: int | None) -> Record:
    """An ORDS/ARNS API document: the envelope, then one assessment chosen from it."""
    envelope = _object(document, "", ENVELOPE)
    record = Record(shape="ords")
    _optional(envelope.get("source"), "/source", _string)
    _optional(envelope.get("inputs"), "/inputs", _object)
    refs = {case_ref(envelope.get(k), f"/{k}") for k in ("probNumber", "crn")} - {None}
    if len(refs) > 1:
        raise InputProblem("/crn", "probNumber and crn name different cases")
    record.case_ref = refs.pop() if refs else None
    limited = _flag(envelope.get("limitedAccessOffender"), "/limitedAccessOffender")
    # null means OASys did not say: treated as limited access (fails closed)
    record.limited_access = limited is not False and "limitedAccessOffender" in envelope
    timeline = _optional(envelope.get("timeline"), "/timeline", _list)
    for index, listed_entry in enumerate(timeline or []):
        entry = _object(listed_entry, f"/timeline/{index}", TIMELINE_KEYS)
        for name in ("initiationDate", "completedDate"):
            read_date(entry.get(name), f"/timeline/{index}/{name}")
    assessments = _optional(envelope.get("assessments"), "/assessments", _list)
    if not assessments:
        raise InputProblem("/assessments", "empty: the response holds no assessment")
    listed = [_assessment(a, f"/assessments/{i}") for i, a in enumerate(assessments)]
    keys = [meta.pk for meta, _ in listed]
    if len(set(keys)) != len(keys):
        raise InputProblem("/assessments", "two assessments have the same assessmentPk")
    for index, (_, found) in enumerate(listed):
        _read_ords_fields(found, f"/assessments/{index}", Record(shape="ords"))
    meta, found, index = _choose(listed, chosen, record)
    where = f"/assessments/{index}"
    if not DOCUMENTS[kind] & found.keys():
        raise InputProblem(where, f"holds no field of a {kind} document: the wrong document "
                           f"for --{kind}?")
    record.assessment = meta
    _read_ords_fields(found, where, record)
    record.sections = {k for k, fields in DOCUMENTS.items() if fields & found.keys()}
    for flag, message in LATER_FLAGS.items():
        if found.get(flag) and (flag != "laterCompleteAssessmentExists" or chosen is not None):
            record.notes.append(f"OASys says {message}")
    started = _started(found, where)
    for other, other_found in listed:
        if (other.pk != meta.pk and other.status != "COMPLETE"
                and _started(other_found, "") > started):
            record.notes.append(f"a later assessment ({other.pk}) is not complete or not signed")
    return record


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputProblem(where, "expected a list or null")
    return value


def _read_ords_fields(found: Mapping[str, Any], where: str, record: Record) -> None:
    for name, (group, setting) in ROSH_FIELDS.items():
        level = _choice(found.get(name), pointer(where, name), ORDS_RATINGS, "an OASys rating")
        if level is not None:
            record.rosh[(group, setting)] = level
    for name, key in ORDS_NARRATIVES.items():
        _put(record.narratives, key, _text(found.get(name), pointer(where, name)))
    for name, key in ORDS_RISK_TO_SELF.items():
        _put(record.risk_to_self, key,
             _choice(found.get(name), pointer(where, name), ORDS_ANSWERS, "an OASys answer"))
    texts = {s: _text(found.get(s), pointer(where, s)) for s in KEY_SPELLINGS}
    if all(texts.values()) and len(set(texts.values())) > 1:
        raise InputProblem(pointer(where, KEY_SPELLINGS[1]),
                           "both spellings of the key considerations are given, and differ")
    for name, key in ORDS_RMP.items():
        if key not in record.rmp:
            _put(record.rmp, key, _text(found.get(name), pointer(where, name)))


# --- the ARNS service's own shape --------------------------------------------------------------

SUMMARY_KEYS = frozenset({*ARNS_NARRATIVES, "overallRiskLevel", "riskInCommunity",
                          "riskInCustody", "assessedOn"})
ARNS_TOP = frozenset({"summary", "riskToSelf", "otherRisks", "assessedOn", "crn",
                      "limitedAccessOffender", "riskManagementPlan"})


def read_arns(document: Any, kind: str) -> Record:
    """The ARNS service's document (`/risks/crn/...`): summary, riskToSelf, otherRisks, and
    rmp's `riskManagementPlan` (the seven RMP fields under ARNS's names)."""
    top = _object(document, "", ARNS_TOP)
    if top.get(ARNS_SECTIONS[kind]) is None:
        raise InputProblem(f"/{ARNS_SECTIONS[kind]}", f"missing: the wrong document for "
                           f"--{kind}?")
    record = Record(shape="arns", case_ref=case_ref(top.get("crn"), "/crn"))
    record.limited_access = bool(_flag(top.get("limitedAccessOffender"),
                                       "/limitedAccessOffender"))
    assessed = read_date(top.get("assessedOn"), "/assessedOn")
    summary = _optional(top.get("summary"), "/summary",
                        lambda v, w: _object(v, w, SUMMARY_KEYS))
    if summary is not None:
        record.sections.add("rosh-summary")
        assessed = read_date(summary.get("assessedOn"), "/summary/assessedOn") or assessed
        for name, key in ARNS_NARRATIVES.items():
            _put(record.narratives, key, _text(summary.get(name), f"/summary/{name}"))
        record.overall = _choice(summary.get("overallRiskLevel"), "/summary/overallRiskLevel",
                                 ARNS_LEVELS, "an ARNS risk level")
        for setting, name in (("community", "riskInCommunity"), ("custody", "riskInCustody")):
            _read_levels(summary.get(name), f"/summary/{name}", setting, record)
    selves = _optional(top.get("riskToSelf"), "/riskToSelf",
                       lambda v, w: _object(v, w, frozenset(ARNS_RISK_TO_SELF)))
    if selves is not None:
        record.sections.add("rosh-full")
        for name, key in ARNS_RISK_TO_SELF.items():
            where = f"/riskToSelf/{name}"
            concern = _optional(selves.get(name), where,
                                lambda v, w: _object(v, w, frozenset(ARNS_CONCERN_KEYS)))
            if concern is None:
                continue
            for answer in ("risk", "previous", "current"):
                _choice(concern.get(answer), pointer(where, answer), ARNS_ANSWERS, "an answer")
            _put(record.risk_to_self, key, _choice(concern.get("current"),
                 pointer(where, "current"), ARNS_ANSWERS, "an answer"))
            _text(concern.get("previousConcernsText"), pointer(where, "previousConcernsText"))
            _put(record.self_notes, key, _text(concern.get("currentConcernsText"),
                                               pointer(where, "currentConcernsText")))
    others = _optional(top.get("otherRisks"), "/otherRisks",
                       lambda v, w: _object(v, w, frozenset(ARNS_OTHER_RISKS)))
    for name in ARNS_OTHER_RISKS:
        _put(record.other_risks, name, _choice((others or {}).get(name), f"/otherRisks/{name}",
                                               ARNS_ANSWERS, "an answer"))
    plan = _optional(top.get("riskManagementPlan"), "/riskManagementPlan",
                     lambda v, w: _object(v, w, frozenset(ORDS_RMP)))
    if plan is not None:
        record.sections.add("rmp")
        _read_ords_fields(plan, "/riskManagementPlan", record)
    record.assessment = Assessment(pk=None, kind=None, status=None, completed=assessed,
                                   assessor=None)
    return record


def _read_levels(value: Any, where: str, setting: str, record: Record) -> None:
    levels = _optional(value, where, _object)
    for name, groups in (levels or {}).items():
        here = pointer(where, name)
        if name not in ARNS_LEVELS:
            raise InputProblem(here, f"not an ARNS level (expected {', '.join(ARNS_LEVELS)})")
        for index, group in enumerate(_optional(groups, here, _list) or []):
            key = _choice(group, pointer(here, index), ARNS_GROUPS, "an ARNS group")
            if key is None:
                raise InputProblem(pointer(here, index), "null is not a group")
            if key == "prisoners" and setting == "community":
                raise InputProblem(pointer(here, index), "prisoners are rated in custody only")
            if (key, setting) in record.rosh:
                raise InputProblem(pointer(here, index), "this group is listed at two levels")
            record.rosh[(key, setting)] = ARNS_LEVELS[name]
