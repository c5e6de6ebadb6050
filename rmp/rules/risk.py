"""The areas of risk (HF36 element 1): the assessment, RoSH ratings and predictors, risk and
protective factors, and explaining them to the individual."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

from rmp.model.view import Item
from rmp.model.vocabulary import Path_, level_rank
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


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
      "a risk factor rests on hearsay alone, uncorroborated; or a protective factor the plan "
      "relies on rests on one source, or only on hearsay or the individual's own account")
def risk_factor_on_hearsay(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor whose every evidence source is hearsay, with no corroboration.

    HF36 K10 and K11 ask the author to tell directly observed evidence and reliable sources
    apart from hearsay, and to corroborate where possible. A risk factor resting on hearsay
    alone may be true, but a decision built on it is hard to defend: a reviewer will ask what
    confirmed it.

    The rule fires when every source in the factor's `evidence` has `reliability: hearsay` and
    none of them lists in `corroborated_by` a source that is not hearsay. A source with no
    `reliability` recorded is not counted as hearsay.

    The same holds, more strictly, for a protective factor the plan relies on: one that a
    chosen option's `reason` or the rationale names by ID. Serious case reviews find plans
    resting on a protective factor (a supportive partner, abstinence) that only the person
    themselves reported. It is flagged when it rests on one source or none, or only on
    hearsay and the individual's own account (sources of kind `interview`).

    Fails: `evidence: [SRC3]` with `- {id: SRC3, kind: third-party, reliability: hearsay}`;
    or the rationale relying on PF2 with `evidence: [SRC9]`, SRC9 a supervision interview.
    Passes: SRC3 with `corroborated_by: [SRC2]`, SRC2 a police call-out check with
    `reliability: reliable`; or `evidence: [SRC1, SRC3]` with SRC1 observed or reliable; PF2
    with `evidence: [SRC9, SRC6]`, SRC6 an observation.
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
    relied = _relied_on(ctx)
    for factor in plan.items("protective factor"):
        if factor.id not in relied:
            continue
        sources = list({s.id: s for s in (source(e) for e in factor.get("evidence") or [])
                        if s}.values())
        ids = tuple(s.id for s in sources)
        if len(sources) <= 1:
            why = f"one source ({ids[0]})" if ids else "no source"
        elif all(hearsay(s) or s.get("kind") == "interview" for s in sources):
            why = f"only hearsay or the individual's own account ({', '.join(ids)})"
        else:
            continue
        yield Hit(factor.at("evidence") if "evidence" in factor.fields else factor.path,
                  f"protective factor {factor.id}, which the plan relies on (a chosen option "
                  f"or the rationale names it), rests on {why}: corroborate it (HF36 K10, K11)",
                  (factor.id, *ids))


_FACTOR_ID = re.compile(r"(?<![A-Za-z0-9])PF[0-9]+(?![0-9])")


def _relied_on(ctx: RuleContext) -> set[str]:
    """Protective factors a chosen option's reason or the rationale names by ID."""
    texts = [ctx.plan.text(("rationale",)) or ""]
    texts += [o.get("reason") for o in ctx.plan.items("option")
              if o.get("decision") == "chosen" and isinstance(o.get("reason"), str)]
    return set(_FACTOR_ID.findall(" ".join(texts)))


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


@rule(RULES, "RMP304", "risk-factor-without-priority", "warning", "P10",
      "a risk factor has no priority (ties are allowed: OASys does not rank)")
def risk_factor_without_priority(ctx: RuleContext) -> Iterator[Hit]:
    """A risk factor with no `priority`.

    HF36 P10 asks that the factors be reviewed according to their priority in reducing the
    risk. Priority 1 is the highest; ties are allowed, since OASys itself does not rank.

    Fails: `- {id: RF3, title: Unstable accommodation, evidence: [SRC1]}`.
    Passes: the same with `priority: 2`.
    Fix: give each risk factor a priority number, 1 for the factors most linked to harm.
    """
    for factor in ctx.plan.items("risk factor"):
        if factor.get("priority") is None:
            yield Hit(factor.path, f"risk factor {factor.id} has no priority", (factor.id,))


def _score(value: Any) -> float | None:
    """A predictor score as a number: a number, or a string such as `4.1%`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().removesuffix("%").strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


@rule(RULES, "RMP318", "predictor-band-mismatch", "warning", "K8",
      "a predictor's stated band does not fit its score under the policy's band table")
def predictor_band_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    """A predictor whose stated `band` does not fit its `score` under the policy's
    `predictor_bands`.

    HF36 K8 asks for knowledge of the risk assessment tools. A band that does not fit the
    score is a transcription slip or an out-of-date table, and the band is what readers act
    on. Tools are matched by name, case-insensitively, to the policy's table (built in: RSR
    low [0, 3), medium [3, 6.9), high [6.9, 100)); each band is a half-open interval
    [low, high). Scores are numbers or strings such as `"4.1%"` (the `%` is ignored); a tool
    with no numeric score or no band is not checked. A stated band missing from the table is a
    finding too.

    Fails: `- {name: RSR, score: "7.2%", band: medium}`.
    Passes: `- {name: RSR, score: "7.2%", band: high}`.
    Fix: copy the band from the tool's output again, or update the policy's band table.
    """
    tables = {
        name.strip().casefold(): (name, table)
        for name, table in ctx.policy.predictor_bands.items()
    }
    for index, tool in enumerate(ctx.plan.section(("assessment", "tools")) or []):
        if not isinstance(tool, dict) or not isinstance(tool.get("name"), str):
            continue
        found = tables.get(tool["name"].strip().casefold())
        score = _score(tool.get("score"))
        band = tool.get("band")
        if found is None or score is None or not isinstance(band, str):
            continue
        name, table = found
        path: Path_ = ("assessment", "tools", index, "band")
        bounds = table.get(band)
        if bounds is None:
            yield Hit(path, f"assessment.tools[{index}]: band {band} is not in the policy's "
                            f"{name} band table (HF36 K8)")
        elif not bounds[0] <= score < bounds[1]:
            yield Hit(path, f"assessment.tools[{index}]: the stated band {band} does not fit "
                            f"the score under the policy's {name} band table "
                            f"([{bounds[0]}, {bounds[1]}))" " (HF36 K8)")


@rule(RULES, "RMP319", "overall-rosh-mismatch", "error", "P1",
      "`overall_rosh` is written lower than the highest current group level")
def overall_rosh_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    """`assessment.overall_rosh` is written lower than the highest current RoSH of any group.

    HF36 P1 asks the author to review all relevant details. The overall RoSH is the highest
    current RoSH of any group (the rating in the current setting; for a custody case near
    release, the higher of custody and community). It may be written higher, a professional
    judgement upward that then counts everywhere; written lower, one of the two is wrong, and
    a reader of the headline would under-read the risk.

    Fails: `rosh: {known_adult: {community: very-high}}` in the community and
    `overall_rosh: high`.
    Passes: `overall_rosh: very-high`; no `overall_rosh` (it is then derived); or
    `overall_rosh: high` over ratings of medium at most (a judgement upward).
    Fix: correct whichever is wrong, or remove `overall_rosh` and let it be derived.
    """
    written = ctx.plan.written_overall_rosh
    highest = ctx.plan.highest_current_rosh
    if written is not None and highest is not None and level_rank(written) < level_rank(highest):
        yield Hit(("assessment", "overall_rosh"),
                  f"overall_rosh is written {written}, below the highest current RoSH of any "
                  f"group ({highest}); it may be written higher, never lower (HF36 P1)")


@rule(RULES, "RMP335", "risk-to-self-unaddressed", "warning", "P14, K20",
      "a current concern about suicide or self-harm and no action addresses risk to self")
def risk_to_self_unaddressed(ctx: RuleContext) -> Iterator[Hit]:
    """`assessment.risk_to_self` records `suicide: yes` or `self_harm: yes`, and no action (not
    cancelled) has `risk_to_self: true`.

    HF36 K20 asks for knowledge of the factors affecting behaviour, including psychological
    and emotional ones, and P14 for actions commensurate with what the assessment found. A
    current concern about suicide or self-harm that no action answers is a known risk left to
    chance, and a person in crisis is also a risk to others.

    Fails: `risk_to_self: {suicide: no, self_harm: yes}` and no action marked
    `risk_to_self: true`.
    Passes: `- {id: A7, pillar: interventions, title: GP and crisis team referral; safety plan
    agreed, risk_to_self: true, ...}`.
    Fix: add the action that addresses the risk to self (a referral, a safety plan, an
    ACCT in custody) and mark it `risk_to_self: true`.
    """
    concerns = [k for k in ("suicide", "self_harm")
                if ctx.plan.section(("assessment", "risk_to_self", k)) == "yes"]
    if not concerns:
        return
    if any(a.get("risk_to_self") is True and a.get("status") != "cancelled"
           for a in ctx.plan.items("action")):
        return
    yield Hit(("assessment", "risk_to_self"),
              f"risk to self records a current concern ({', '.join(concerns)}) and no action "
              "has `risk_to_self: true` (HF36 P14, K20)", at_key=True)
