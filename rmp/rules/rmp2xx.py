"""RMP2xx: confirming the areas of risk (HF36 element 1)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rmp.model.paths import parse_date
from rmp.model.view import Item, PlanView
from rmp.model.vocabulary import KINDS, Path_, at_least
from rmp.rules import text
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []

_WORD = re.compile(r"\w+(?:['’-]\w+)*")
"""A word of free text, for counting words in the rationale."""


def _narrative_label(plan: PlanView, path: Path_) -> tuple[str, tuple[str, ...]]:
    """How a message names a narrative field (`measure` of action A2, or
    `assessment.summary`), and the ID of the item the field belongs to."""
    if len(path) >= 3 and isinstance(path[1], int):
        kind = next((k.name for k in KINDS if k.section == path[:1]), "item")
        item = plan.section(path[:2])
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, str):
            return f"`{text.field_name(path)}` of {kind} {item_id}", (item_id,)
        return f"`{text.field_name(path)}` of {kind} {path[1] + 1}", ()
    return "`" + ".".join(str(part) for part in path) + "`", ()


@rule(RULES, "RMP201", "risk-factor-without-action", "error", "P3, P14",
      "a risk factor is addressed by no action")
def risk_factor_without_action(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor that no action addresses.

    HF36 P3 asks for the actions that address each trigger of the behaviour, and P14 for
    agreed actions in line with the objectives. A risk factor with no action is a risk that the
    plan names and then leaves unmanaged: the first question a serious case review asks.

    Fails: risk factor RF2 (relationship instability) and no action with `addresses: [RF2]`.
    Passes: `- {id: A3, pillar: interventions, title: Healthy relationships programme,
    addresses: [RF2], owner: {agency: probation, role: Programme facilitator}, due: 2027-03-01}`.
    Fix: add an action (any pillar) whose `addresses` lists the risk factor's ID.
    """
    addressed = {
        target
        for action in ctx.plan.items("action")
        for target in (action.get("addresses") or [])
    }
    for factor in ctx.plan.items("risk factor"):
        if factor.id and factor.id not in addressed:
            yield Hit(factor.path, f"risk factor {factor.id} is addressed by no action",
                      (factor.id,))


@rule(RULES, "RMP202", "risk-factor-without-evidence", "error", "P1, K11",
      "a risk factor cites no evidence")
def risk_factor_without_evidence(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor that cites no source as evidence.

    HF36 P1 asks the author to review all relevant details, and K11 to distinguish observed
    evidence, reliable sources and hearsay. A risk factor without evidence cannot be defended
    or checked.

    Fails: `- {id: RF1, title: Alcohol misuse linked to violence, priority: 1}`.
    Passes: the same with `evidence: [SRC1, SRC2]`, both listed in `assessment.sources`.
    Fix: list the sources (assessment, records, checks) the risk factor rests on.
    """
    for factor in ctx.plan.items("risk factor"):
        if not factor.get("evidence"):
            yield Hit(factor.path, f"risk factor {factor.id} cites no evidence", (factor.id,))


@rule(RULES, "RMP203", "risk-factor-on-hearsay", "warning", "K10, K11",
      "a risk factor rests on hearsay alone, uncorroborated")
def risk_factor_on_hearsay(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor whose every evidence source is hearsay, with no corroboration.

    HF36 K10 and K11 ask the author to tell directly observed evidence and reliable sources
    apart from hearsay, and to corroborate where possible. A risk factor resting on hearsay
    alone may be true, but a decision built on it is hard to defend: a reviewer will ask what
    confirmed it.

    The rule fires when every source in the factor's `evidence` has `reliability: hearsay` and
    none of them lists in `corroborated_by` a source that is not hearsay. A source with no
    `reliability` recorded is not counted as hearsay.

    Fails: `evidence: [SRC3]` with `- {id: SRC3, kind: third-party, reliability: hearsay}`.
    Passes: SRC3 with `corroborated_by: [SRC2]`, SRC2 a police call-out check with
    `reliability: reliable`; or `evidence: [SRC1, SRC3]` with SRC1 observed or reliable.
    Fix: look for a record that confirms the account and cite it in `corroborated_by` (or as
    further evidence); if nothing confirms it, say so in the rationale and weigh it accordingly.
    """
    plan = ctx.plan

    def source(source_id: object) -> Item | None:
        found = plan.by_id.get(source_id) if isinstance(source_id, str) else None
        return found if found is not None and found.kind.name == "source" else None

    def hearsay(item: Item) -> bool:
        return bool(item.get("reliability") == "hearsay")

    for factor in plan.items("risk factor"):
        sources = [s for s in (source(e) for e in factor.get("evidence") or []) if s]
        if not sources or not all(hearsay(s) for s in sources):
            continue
        corroborated = any(
            (other := source(ref)) is not None and not hearsay(other)
            for s in sources for ref in (s.get("corroborated_by") or [])
        )
        if not corroborated:
            ids = tuple(dict.fromkeys(s.id for s in sources))
            yield Hit(factor.at("evidence"),
                      f"risk factor {factor.id} rests on hearsay alone ({', '.join(ids)}); "
                      "no observed or reliable source corroborates it",
                      (factor.id, *ids))


@rule(RULES, "RMP204", "risk-factor-without-trigger", "warning", "P3",
      "a risk factor names no trigger")
def risk_factor_without_trigger(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor with no `triggers`.

    HF36 P3 asks the plan to confirm the triggers of the problem behaviour, so that actions
    and warning signs can be aimed at them. A risk factor without a trigger says what the
    problem is but not when it bites.

    Fails: `- {id: RF2, title: Relationship instability, evidence: [SRC1], priority: 2}`.
    Passes: the same with `triggers: [End of a relationship, New partner with children]`.
    Fix: list what sets the behaviour off, in short phrases (`Weekend drinking`).
    """
    for factor in ctx.plan.items("risk factor"):
        if not factor.get("triggers"):
            yield Hit(factor.path, f"risk factor {factor.id} names no trigger", (factor.id,))


@rule(RULES, "RMP205", "risk-factor-view-not-discussed", "warning", "P4",
      "the individual's view of a risk factor is `not-discussed`")
def risk_factor_view_not_discussed(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor whose `individual_agrees` is `not-discussed`.

    HF36 P4 asks for the individual's views on the risk factors to be sought and recorded. A
    factor not discussed with the person is one they have had no chance to dispute or own,
    and a plan they have not engaged with is less likely to hold.

    Fails: `individual_agrees: not-discussed`.
    Passes: `individual_agrees: partly` (or `yes`, `no`, `could-not-answer` when they could
    not engage, e.g. in crisis).
    Fix: discuss the factor at the next contact and record their answer; note in
    `individual.view` what they said.
    """
    for factor in ctx.plan.items("risk factor"):
        if factor.get("individual_agrees") == "not-discussed":
            yield Hit(factor.at("individual_agrees"),
                      f"risk factor {factor.id} has not been discussed with the individual; "
                      "HF36 P4 asks for their view of it",
                      (factor.id,))


@rule(RULES, "RMP206", "protective-factor-without-action", "error", "P6",
      "a protective factor to be strengthened has no action")
def protective_factor_without_action(ctx: RuleContext) -> Iterator[Hit]:
    """A protective factor marked `strengthen: true` that no action addresses.

    HF36 P6 asks which protective factors are to be strengthened; saying so without an action
    that does it is an intention, not a plan.

    Fails: `- {id: PF1, title: Stable employment, strengthen: true}` and no action addressing PF1.
    Passes: an action with `addresses: [PF1]`, e.g. employment support owned by a named agency.
    Fix: add the action, or set `strengthen: false` if the factor is only recorded.
    """
    addressed = {
        target
        for action in ctx.plan.items("action")
        for target in (action.get("addresses") or [])
    }
    for factor in ctx.plan.items("protective factor"):
        if factor.get("strengthen") is True and factor.id not in addressed:
            yield Hit(factor.path, f"protective factor {factor.id} is to be strengthened but no "
                                   "action addresses it", (factor.id,))


@rule(RULES, "RMP207", "missing-controls", "warning", "P5",
      "no controls; or RoSH high+ with no external control")
def missing_controls(ctx: RuleContext) -> Iterator[Hit]:
    """The plan lists no controls, or the RoSH is at or above the policy's
    `external_control_from` (high by default) and no control is external.

    HF36 P5 asks which internal and external controls will manage the risk. A plan without
    controls relies on interventions alone; at high RoSH, where harm could happen at any time,
    an external control (licence condition, order, notification, electronic monitoring) is
    what lets agencies act before harm. The overall RoSH (the highest level for any group in
    any setting, or `overall_rosh` when it is written higher) decides.

    Fails: no `controls`; or RoSH high to a known adult and only
    `- {id: C2, kind: internal, title: Uses a time-out plan when angry}`.
    Passes: `- {id: C1, kind: external, basis: licence, title: No contact with V1,
    enforced_by: probation, on_breach: recall}`.
    Fix: record the controls in force, external and internal; if none is possible at high
    RoSH, say why in the rationale and waive the finding for this plan.
    """
    plan = ctx.plan
    controls = plan.items("control")
    level = plan.overall_rosh
    high = at_least(level, ctx.policy.external_control_from)
    if not controls:
        path: Path_ = ("controls",) if "controls" in plan.data else ()
        extra = f" although the RoSH is {level}" if high else ""
        yield Hit(path, f"the plan lists no controls{extra}; HF36 P5 asks which internal "
                        "and external controls manage the risk")
    elif high and not any(c.get("kind") == "external" for c in controls):
        yield Hit(("controls",), f"the RoSH is {level} and no control is external (licence, "
                                 "order, notification or monitoring)",
                  tuple(c.id for c in controls if c.id))


@rule(RULES, "RMP208", "not-explained", "warning", "P2",
      "no record that risk and protective factors were explained to the individual")
def not_explained(ctx: RuleContext) -> Iterator[Hit]:
    """No complete record (`individual.explained`: date, by, how) that the risk and protective
    factors were explained to the person.

    HF36 P2 asks that the risk and protective factors be explained clearly to the individual.
    Whether the explanation was clear needs human judgement; what rmp can check is that it was
    done and recorded: when, by which agency, and how (for instance adapted to the person's
    communication needs).

    Fails: no `explained`, or `explained: {date: 2026-10-10}`.
    Passes: `explained: {date: 2026-10-10, by: probation, how: Supervision session with a
    plain-English summary}`.
    Fix: explain the plan to the person and record the date, the agency and how it was done.
    """
    explained = ctx.plan.section(("individual", "explained"))
    if not isinstance(explained, dict):
        yield Hit(("individual",), "no record that the risk and protective factors were "
                                   "explained to the individual (`individual.explained`)")
        return
    missing = [part for part in ("date", "by", "how") if not explained.get(part)]
    if missing:
        yield Hit(("individual", "explained"),
                  "the record of the explanation to the individual lacks "
                  + ", ".join(f"`{part}`" for part in missing))


@rule(RULES, "RMP209", "weak-rationale", "error", "P7",
      "rationale missing, a placeholder, or shorter than the policy minimum (RMP213 leaves "
      "it to this rule)")
def weak_rationale(ctx: RuleContext) -> Iterator[Hit]:
    """The `rationale` is missing, a placeholder, or shorter than the policy's minimum.

    HF36 P7 asks for the rationale for the plan: the defensible reasoning that ties the
    assessment (risk factors, RoSH, victims) to the actions and controls chosen, and says why
    other options were rejected. It is what a serious case review reads first. The policy's
    `rationale_min_words` (default 40) sets the minimum length; `placeholder_terms` (`TBC`,
    `see OASys`...) are not a rationale.

    Fails: no `rationale`; `rationale: See OASys`; a one-line rationale under the minimum.
    Passes: a paragraph naming the main risk factors, the actions and controls that address
    them and why, and the options rejected.
    Fix: write the reasoning in the plan itself, citing IDs (RF1, A2, C1, OPT1).
    """
    value = ctx.plan.data.get("rationale")
    if not isinstance(value, str):
        yield Hit((), "the plan has no rationale; HF36 P7 asks why this plan manages the risk")
        return
    if not value.strip():
        yield Hit(("rationale",), "the rationale is empty")
    elif text.is_placeholder(value, ctx.policy.placeholder_terms, "rationale"):
        yield Hit(("rationale",), "the rationale is a placeholder (placeholder_terms), not "
                                  "the reasoning for the plan")
    else:
        minimum = ctx.policy.rationale_min_words
        words = len(_WORD.findall(value))
        if words < minimum:
            yield Hit(("rationale",), f"the rationale has {words} word(s); the policy asks for "
                                      f"at least {minimum} (rationale_min_words)")


@rule(RULES, "RMP210", "concern-not-communicated", "error", "P8",
      "a concern was communicated later than policy allows, or not at all")
def concern_not_communicated(ctx: RuleContext) -> Iterator[Hit]:
    """A concern communicated later than the policy allows, or with no record of being
    communicated at all.

    HF36 P8 asks that real and particular concerns be communicated to the relevant agencies
    promptly. The delay is the whole days between `identified` and `communicated`, times 24,
    against the policy's `concern_within_hours` (default 24: the same or the next day). A
    concern with no `communicated` date, or no recipient in `to`, has not been shared.

    Fails: `{id: CN1, identified: 2026-10-02, communicated: 2026-10-06, to: [police]}`
    (96 hours); `{id: CN2, identified: 2026-10-02}`.
    Passes: `{id: CN1, identified: 2026-10-02, communicated: 2026-10-02, to: [police],
    how: phone}`.
    Fix: communicate the concern now and record when, to which agencies and how; if it was
    shared late, say why in the concern's record.
    """
    allowed = ctx.policy.concern_within_hours
    for concern in ctx.plan.items("concern"):
        missing = [part for part in ("communicated", "to") if not concern.get(part)]
        if missing:
            yield Hit(concern.path,
                      f"concern {concern.id} has no record of being communicated (no "
                      + " or ".join(f"`{part}`" for part in missing) + ")",
                      (concern.id,))
            continue
        identified = parse_date(concern.get("identified"))
        communicated = parse_date(concern.get("communicated"))
        if identified is None or communicated is None:
            continue
        days = (communicated - identified).days
        if days * 24 > allowed:
            yield Hit(concern.at("communicated"),
                      f"concern {concern.id} was communicated {days} day(s) after it was "
                      f"identified; the policy allows {allowed} hours (concern_within_hours)",
                      (concern.id,))


@rule(RULES, "RMP211", "incomplete-assessment", "error", "P1",
      "assessment lacks summary, index offence or RoSH")
def incomplete_assessment(ctx: RuleContext) -> Iterator[Hit]:
    """The assessment lacks the nature of the risk (`summary`), an index offence, or any RoSH
    rating.

    HF36 P1 asks that the plan rest on a review of all relevant details. The nature of the
    risk (OASys R10.2), the index offence and the RoSH ratings are what every other part of
    the plan is measured against: without them nobody can tell whether the actions are
    proportionate. One finding per missing part.

    Fails: `assessment: {who_at_risk: ..., rosh: {public: {community: medium}}}` with no
    `summary` and no offence marked `index: true`.
    Passes: `summary` written, `offences: [{id: OFF1, ..., index: true}]` and at least one
    `rosh` rating.
    Fix: add the missing part from the current assessment. A blank or placeholder summary is
    RMP213's finding.
    """
    plan = ctx.plan
    assessment = plan.section(("assessment",))
    base: Path_ = ("assessment",) if isinstance(assessment, dict) else ()
    fields = assessment if isinstance(assessment, dict) else {}
    if fields.get("summary") is None:
        yield Hit(base, "the assessment has no `summary` (the nature of the risk, OASys R10.2)")
    if not any(offence.get("index") is True for offence in plan.items("offence")):
        where = (*base, "offences") if fields.get("offences") else base
        yield Hit(where, "the assessment names no index offence (`offences[].index: true`)")
    if plan.highest_rating is None:
        where = (*base, "rosh") if "rosh" in fields else base
        yield Hit(where, "the assessment has no RoSH rating (`rosh`, by group and setting)")


@rule(RULES, "RMP212", "labelling-language", "warning", "K12",
      "labelling language from the policy's list in free text (text inside quotation marks "
      "is exempt: it may quote the person or a victim)")
def labelling_language(ctx: RuleContext) -> Iterator[Hit]:
    """A narrative field uses a term from the policy's `labelling_terms`.

    HF36 K12 asks the author to keep opinion backed by evidence apart from prejudice; practice
    expects person-first, non-labelling language. A plan that calls the person a "monster"
    will be read by the person, by partner agencies and perhaps by a court, and undermines
    the professional judgement around it. Terms match whole words, case-insensitively, in the
    narrative fields only; text inside quotation marks is exempt, since it may quote the
    person or a victim.

    Fails (default policy): `summary: Described by staff as evil when drunk.`
    Passes: `summary: Staff report verbal aggression when drunk; V1 described him as "evil".`
    Fix: describe the behaviour and its evidence instead of labelling the person; quote
    others' words in quotation marks when they matter.
    """
    terms = ctx.policy.labelling_terms
    if not terms:
        return
    for path, value in text.narrative_values(ctx.plan.data):
        if not text.contains_term(value, terms, skip_quotes=True):
            continue
        found = [t for t in terms if text.contains_term(value, [t], skip_quotes=True)]
        label, items = _narrative_label(ctx.plan, path)
        yield Hit(path, f"{label} uses labelling language ("
                        + ", ".join(f"`{t}`" for t in found)
                        + " in labelling_terms); describe behaviour and evidence instead",
                  items)


@rule(RULES, "RMP213", "placeholder-text", "error", "P7, P17",
      "a narrative field is a placeholder (`TBC`, `see OASys`, or one word where one word "
      "cannot answer); \"None identified\" is an answer")
def placeholder_text(ctx: RuleContext) -> Iterator[Hit]:
    """A narrative field holds a placeholder instead of an answer.

    HF36 P7 asks for recorded reasoning and P17 for complete, up-to-date records. `TBC`,
    `see OASys` or `as above` (the policy's `placeholder_terms`) leave the reader of the plan
    without the answer, and pointing to another document fails when the plan is shared with
    agencies that cannot open it. In fields that ask a question (`summary`, `who_at_risk`,
    `when_greatest`, `view`, `measure`, `description`, `when`, `then`, `reason`) a single word
    cannot answer it either. "None identified" is an answer. The rationale is RMP209's.

    Fails: `who_at_risk: TBC`; `measure: Attendance`; `reason: see OASys`.
    Passes: `who_at_risk: Current and former female partners.`;
    `measure: Attends 8 of 8 sessions`.
    Fix: write the answer in the plan itself, in a sentence or phrase.
    """
    terms = ctx.policy.placeholder_terms
    fields = tuple(f for f in text.NARRATIVE_FIELDS if f != "rationale")
    for path, value in text.narrative_values(ctx.plan.data, fields):
        if text.is_placeholder(value, terms, text.field_name(path)):
            label, items = _narrative_label(ctx.plan, path)
            yield Hit(path, f"{label} is a placeholder, not an answer: write the answer in the "
                            "plan itself", items)
