"""The plan's judgement against its own evidence (HF36 P1, P7, K9-K11): ratings below what the
information on file indicates, adverse information left unused, checks without a result.

The evidence level, information held and the groups a source points to are PlanView's
(rmp/model/evidence.py); the floors come from the policy. A practitioner may rate lower than
the evidence indicates (the defensible decision, Kemshall): then the plan says why in
`assessment.rosh_reasons`, and a manager sees it.
"""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model import evidence
from rmp.model.evidence import Floor
from rmp.model.vocabulary import GROUPS, level_rank
from rmp.rules.common import nearest_existing
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


def _because(floors: list[Floor]) -> str:
    """`SRC2 shows domestic-abuse; OFF1 is a life-threatening offence`: why, with IDs and
    enum words only, never a field's text."""
    parts: list[str] = []
    for floor in floors:
        if floor.source == "information":
            part = f"{floor.item} shows {floor.harm}"
        elif floor.harm == "life-threatening":
            part = f"{floor.item} is a life-threatening offence"
        elif floor.source == "offence":
            part = f"{floor.item} is a {floor.harm} offence"
        else:
            part = (f"tool result {int(floor.item) + 1} in assessment.tools has band "
                    f"{floor.harm} (tool_floors)")
        if part not in parts:
            parts.append(part)
    return "; ".join(parts)


def _ids(floors: list[Floor]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.item for f in floors if f.source != "tool"))


def _tool_sources(ctx: RuleContext, floors: list[Floor]) -> tuple[str, ...]:
    """The source IDs the tool results cite (a tool has no ID of its own)."""
    tools = ctx.plan.section(("assessment", "tools"))
    cited = []
    for floor in floors:
        tool = tools[int(floor.item)] if isinstance(tools, list) else None
        if isinstance(tool, dict) and isinstance(tool.get("source"), str):
            cited.append(tool["source"])
    return tuple(dict.fromkeys(cited))


@rule(RULES, "RMP214", "rosh-below-evidence", "error", "P1, P7",
      "a group's current RoSH is below the level its own information indicates (or a source "
      "rated higher), and `rosh_reasons` does not say why")
def rosh_below_evidence(ctx: RuleContext) -> Iterator[Hit]:
    """A group's current RoSH sits below its evidence level, or an assessment source gave an
    overall RoSH above the plan's, and `assessment.rosh_reasons` has no entry saying why.

    Serious further offence reviews find again and again a RoSH rated lower than the recorded
    information supports (a domestic abuse history, police intelligence about children, an
    earlier or another agency's higher rating) with no reasoning written down. HF36 P1 asks
    the author to review all relevant details, and P7 for a justified, defensible analysis.
    The practitioner may rate lower than the information suggests; the plan then says why.

    The evidence level of a group is the highest floor that applies to it: information held
    (a source with `result: information-held` or a `shows`) showing a harm sets the policy's
    `evidence_floors` for that harm, and `escalation_floor` (high) for `escalating_harms`, for
    every group the source points to (`about`, plus the known adult for domestic abuse and
    children for child abuse); an offence with `domestic_abuse: true` counts as information
    showing domestic abuse; a life-threatening offence in the last `offence_floor_years` sets
    `life_threatening_floor` for the groups it was `against` (the public when absent). For the
    overall RoSH, a predictor's band sets `tool_floors`, and a source's `rosh` (an earlier
    assessment, another agency's rating) above the overall RoSH needs a reason too. Groups
    that cannot be rated in the current setting (prisoners in the community) are skipped.

    Fails: `rosh: {known_adult: {community: low}}` and `- {id: SRC2, kind: police-check,
    result: information-held, shows: [domestic-abuse]}` (floor medium).
    Passes: `known_adult: {community: medium}`; or the rating kept with `rosh_reasons:
    {known_adult: "SRC2 records one call-out in 2019 by a former partner; ..."}`.
    Fix: re-rate the group, or write `assessment.rosh_reasons.<group>` (or `.overall`) saying
    why the rating sits lower than the information indicates; a manager then sees it.
    """
    plan = ctx.plan
    for group in GROUPS:
        floors = plan.floors_for(group)
        if not floors:
            continue
        rated = plan.current_rosh(group)
        level = evidence.highest_floor(floors)
        if not evidence.below(rated, level) or plan.rosh_reason(group):
            continue
        pushing = [f for f in floors if level_rank(f.level) > level_rank(rated)]
        yield Hit(nearest_existing(ctx, ("assessment", "rosh", group)),
                  f"RoSH to {group} in the current setting is {rated or 'not rated'}, below the "
                  f"{level} that the plan's own information indicates ({_because(pushing)}): "
                  f"re-rate it, or write `rosh_reasons.{group}` saying why it sits lower "
                  "(HF36 P1, P7)", _ids(pushing), at_key=True)
    if plan.rosh_reason("overall"):
        return
    overall = plan.overall_rosh
    tools = [f for f in plan.floors if f.group == "overall" and evidence.below(overall, f.level)]
    if tools:
        yield Hit(("assessment", "tools", int(tools[0].item), "band"),
                  f"the overall RoSH is {overall or 'not rated'}, below the "
                  f"{evidence.highest_floor(tools)} that the predictors indicate "
                  f"({_because(tools)}): re-rate, or write `rosh_reasons.overall` saying why "
                  "(HF36 P1, P7)", _tool_sources(ctx, tools))
    for source in plan.items("source"):
        given = source.get("rosh")
        if isinstance(given, str) and evidence.below(overall, given):
            yield Hit(source.at("rosh"),
                      f"source {source.id} gave an overall RoSH of {given}, above the plan's "
                      f"overall RoSH ({overall or 'not rated'}): re-rate, or write "
                      "`rosh_reasons.overall` saying why the plan rates lower (HF36 P1, P7)",
                      (source.id,))


@rule(RULES, "RMP215", "adverse-information-unused", "error", "P1, K9",
      "information held is cited by nothing in the plan and not named in the rationale")
def adverse_information_unused(ctx: RuleContext) -> Iterator[Hit]:
    """A source holding information (`result: information-held`, or a `shows`) that no risk
    factor, protective factor, control, victim, tool or other source cites, and that neither
    the rationale nor a `rosh_reasons` entry names by ID.

    Reviews of serious further offences find adverse information received and then not used:
    on file, cited by nothing. HF36 P1 asks the author to review all relevant details, and K9
    for knowledge of the sources of information. Where information is on file, it is used, or
    its non-use is explained. Sources holding nothing are RMP106's (information), and a check
    that found nothing (`no-trace`) needs no citation.

    Fails: `- {id: SRC5, kind: intelligence, result: information-held, shows: [child-abuse],
    about: [children]}` and nothing citing SRC5.
    Passes: `evidence: [SRC1, SRC5]` on the risk factor it bears on (or a victim or control's
    `evidence`); or the rationale saying why SRC5 does not change the plan.
    Fix: cite the source where the plan uses it, or name it in the rationale (or in
    `rosh_reasons`) with the reason it does not change the plan.
    """
    cited = ctx.plan.cited_sources
    for source in ctx.plan.information_held:
        if source.id and source.id not in cited:
            yield Hit(source.path,
                      f"source {source.id} holds information and nothing in the plan uses it: "
                      "cite it as evidence (risk factor, protective factor, control, victim) "
                      "or name it in the rationale with why it does not change the plan "
                      "(HF36 P1, K9)", (source.id,))


_CHECK_KINDS = ("police-check", "childrens-services-check", "intelligence", "third-party")
"""Sources that are enquiries of someone else: what they returned is the point."""


@rule(RULES, "RMP216", "check-result-missing", "error", "K9, K10",
      "a check, intelligence or third-party source has no `result`; or a source shows a harm "
      "and says not who it is about")
def check_result_missing(ctx: RuleContext) -> Iterator[Hit]:
    """A `police-check`, `childrens-services-check`, `intelligence` or `third-party` source
    with no `result`; or a source that `shows` a harm and points to no group.

    HF36 K9 asks for knowledge of the sources of information and K10 for verifying them. A
    check listed without what it returned could have found nothing or everything: a reader
    cannot tell, and no rule can weigh it. A source that shows a harm without saying who it
    indicates a risk to (its `about`; domestic abuse implies the known adult and child abuse
    children) cannot be set against any rating.

    Fails: `- {id: SRC2, title: Police DA call-out check, kind: police-check, date:
    2026-08-11}`; or `- {id: SRC6, kind: intelligence, result: information-held, shows:
    [weapons]}` with no `about`.
    Passes: `result: no-trace` (or `information-held` with `shows` and `about`, `pending`,
    `not-requested`); `about: [public]`.
    Fix: record what the check returned in `result`; for information held, say which harm it
    shows and whom it is about.
    """
    for source in ctx.plan.items("source"):
        if source.get("kind") in _CHECK_KINDS and source.get("result") is None:
            yield Hit(source.path,
                      f"source {source.id} ({source.get('kind')}) has no `result`: record what "
                      "it returned (no-trace, information-held, pending, not-requested) "
                      "(HF36 K9, K10)", (source.id,))
        if source.get("shows") and not evidence.source_groups(source.fields):
            yield Hit(source.at("shows"),
                      f"source {source.id} shows a harm but not who it indicates a risk to: "
                      "say who the information is about (`about`: RoSH groups) "
                      "(HF36 K9, K10)", (source.id,))

