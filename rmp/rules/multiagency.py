"""Working with other agencies (HF36 P8, P9, P11, K4, K15): concerns communicated, the agencies a
case needs and their agreement, and the MAPPA category and level."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.paths import parse_date
from rmp.model.vocabulary import at_least
from rmp.policy.model import AgencyCondition
from rmp.rules.common import id_list, is_blank, is_live, nearest_existing
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


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


@rule(RULES, "RMP307", "owner-agency-not-agreed", "warning", "P11",
      "an agency owning an action has not agreed the plan (status agreed/active); agencies "
      "absent from the meeting are common, so it asks, not fails")
def owner_agency_not_agreed(ctx: RuleContext) -> Iterator[Hit]:
    """An agency that owns an action in an agreed or active plan has no `agreed` date.

    HF36 P11 asks that the plan's objectives are agreed with the agencies involved. An agency
    asked to carry out an action it never agreed to may not know it is expected to. Agencies
    are often absent from the meeting that agrees a plan, so this is a question (a warning),
    not a failure: record the date they confirmed. Cancelled actions are not counted, and
    agencies missing from `agencies` are RMP104's.

    Fails: `plan: {status: active}`, an action owned by `police`, and
    `- {id: police, name: Example Police, role: partner}` with no `agreed`.
    Passes: `- {id: police, name: Example Police, role: partner, agreed: 2026-10-14}`.
    Fix: confirm the plan with the agency and record the date in its `agreed`.
    """
    if ctx.plan.section(("plan", "status")) not in ("agreed", "active"):
        return
    owned: dict[str, list[str]] = {}
    for action in ctx.plan.items("action"):
        owner = action.get("owner")
        agency = owner.get("agency") if isinstance(owner, dict) else None
        if isinstance(agency, str) and is_live(action):
            owned.setdefault(agency, []).append(action.id)
    agencies = {item.id: item for item in ctx.plan.items("agency")}
    for agency_id, actions in owned.items():
        agency = agencies.get(agency_id)
        if agency is not None and not agency.get("agreed"):
            yield Hit(agency.path, f"agency {agency_id} owns action(s) {id_list(actions)} but has "
                                   "no `agreed` date: has it agreed the plan? (HF36 P11)",
                      (agency_id, *actions))


def _requirement_applies(ctx: RuleContext, when: AgencyCondition) -> bool:
    """Whether every condition of a `required_agencies` entry holds for this plan."""
    if when.rosh_at_least is not None:
        group = when.group
        level = ctx.plan.indicated_rosh(group) if group else ctx.plan.indicated_current_rosh
        if not at_least(level, when.rosh_at_least):
            return False
    if when.mappa_levels is not None and ctx.plan.mappa_level not in when.mappa_levels:
        return False
    return when.youth is None or ctx.plan.youth == when.youth


@rule(RULES, "RMP316", "required-agency-missing", "error", "P9, K4",
      "an agency (or check) required by policy for this case is missing; agencies match by "
      "`kind`")
def required_agency_missing(ctx: RuleContext) -> Iterator[Hit]:
    """An agency the policy's `required_agencies` asks for in a case like this is not in
    `agencies`, or a check it asks for is not recorded with a result.

    HF36 P9 asks that other agencies are involved where appropriate, and K4 that the author
    knows their roles. The policy lists agencies a case must include when a condition holds:
    a group's RoSH at or above `at_least` (`group` and `at_least`; the higher of the current
    rating and the evidence level), a MAPPA level (`mappa_level`), or a young person
    (`youth`, from the date of birth). All conditions in one `when` must hold. Agencies are
    matched by `kind` (what the agency is), so a local ID such as `north-cs` counts as
    children's services when its `kind` says so; an agency with no `kind` matches by its ID.
    An entry may also list `checks` (police-check, childrens-services-check): a source of that
    kind with a result of `no-trace` or `information-held`; the finding then says a check is
    missing, not an agency. Built in: children's services when RoSH to children is medium+,
    police at MAPPA level 2/3, the youth justice service for a young person.

    Fails: `rosh: {children: {community: medium}}` and no agency with `kind:
    childrens-services` (nor one with that ID and no kind).
    Passes: `- {id: north-cs, name: Example Children's Services, kind: childrens-services,
    role: partner}`.
    Fix: involve the agency and add it to `agencies` with its `kind` (and `agreed` once it has
    agreed the plan); for a check, record it as a source with its `result`.
    """
    present = ctx.plan.agency_kinds
    answered = ctx.plan.answered_checks
    for requirement in ctx.policy.required_agencies:
        if not _requirement_applies(ctx, requirement.when):
            continue
        for agency in requirement.agencies:
            if agency not in present:
                yield Hit(nearest_existing(ctx, ("agencies",)),
                          f"policy requires an agency of kind {agency} for this case and none "
                          "is in `agencies` (matched by `kind`, or by ID where no kind is "
                          "given; HF36 P9, K4)", (agency,), at_key=True)
        for check in requirement.checks:
            if check not in answered:
                yield Hit(nearest_existing(ctx, ("assessment", "sources")),
                          f"policy requires a {check} for this case (a check, not an agency) "
                          "and no source of that kind records a result of no-trace or "
                          "information-held (HF36 P9, K4)", (check,), at_key=True)


def _mappa_reason_given(ctx: RuleContext) -> bool:
    """`mappa.reason`, or a rejected option of kind `mappa-level` with its reason."""
    if not is_blank(ctx.plan.section(("assessment", "mappa", "reason"))):
        return True
    return any(o.get("kind") == "mappa-level" and o.get("decision") == "rejected"
               and not is_blank(o.get("reason")) for o in ctx.plan.items("option"))


@rule(RULES, "RMP317", "mappa-level-unexplained", "warning", "P14",
      "MAPPA level 2/3 below the policy's `mappa_min_rosh`, or level 1 at the RoSH that "
      "expects level 2 or with an indeterminate sentence, and no reason")
def mappa_level_unexplained(ctx: RuleContext) -> Iterator[Hit]:
    """The MAPPA level and the risk disagree and no reason is written: managed at a level
    whose policy minimum RoSH (`mappa_min_rosh`) is above the overall RoSH; or managed at
    level 1 while the RoSH reaches the minimum the policy sets for level 2, or the sentence is
    indeterminate. The RoSH read is the higher of the overall rating and the evidence level.
    A reason is `mappa.reason`, or a rejected option of `kind: mappa-level` with its reason.

    HF36 P14 asks for actions commensurate with the risk. MAPPA Guidance considers level 2
    where RoSH is high or very high, and lower only exceptionally; cases are managed at the
    lowest level that gives a defensible plan. Either way, a level that does not follow from
    the risk needs its reason written down: reviews find level 1 for high risk and for
    indeterminate sentences with no reason at all.

    Fails: `mappa: {category: 2, level: 2}` with overall RoSH medium and no `reason`; or
    `mappa: {category: 2, level: 1}` with overall RoSH high and no `reason`.
    Passes: `reason: Police and children's services actions need co-ordination at a meeting`,
    or `- {id: OPT2, kind: mappa-level, title: Refer for level 2, decision: rejected, reason:
    ...}`.
    Fix: record why the case needs this level, or review the level.
    """
    level = ctx.plan.mappa_level
    if level is None or _mappa_reason_given(ctx):
        return
    overall = ctx.plan.indicated_overall_rosh
    minimum = ctx.policy.mappa_min_rosh.get(level)
    if minimum is not None and not at_least(overall, minimum):
        yield Hit(("assessment", "mappa"),
                  f"MAPPA level {level} with overall RoSH {overall or 'not rated'} (rated or "
                  f"indicated), below the policy minimum {minimum}, and no `mappa.reason` "
                  "(HF36 P14)", at_key=True)
    level_two = ctx.policy.mappa_min_rosh.get(2)
    if level == 1:
        why = []
        if level_two is not None and at_least(overall, level_two):
            why.append(f"overall RoSH {overall} (rated or indicated) reaches the policy's "
                       f"minimum for level 2 ({level_two})")
        if ctx.plan.indeterminate:
            why.append("the sentence is indeterminate")
        if why:
            yield Hit(("assessment", "mappa", "level"),
                      f"MAPPA level 1 while {' and '.join(why)}, and no `mappa.reason` or "
                      "rejected `mappa-level` option says why (HF36 P14)")


_MAPPA_CATEGORIES = frozenset({"violence", "sexual", "online-sexual", "robbery", "arson",
                               "weapons", "extremism"})
_MAPPA_SENTENCES = frozenset({"licence", "post-sentence-supervision", "hospital-order",
                              "custody"})


@rule(RULES, "RMP333", "mappa-not-screened", "error", "K15",
      "a MAPPA-eligible index offence and sentence, or notification requirements, and no "
      "`assessment.mappa` screening; a referral with no level after the policy's days "
      "(warning)")
def mappa_not_screened(ctx: RuleContext) -> Iterator[Hit]:
    """The case looks MAPPA-eligible and the plan records no MAPPA screening; or a MAPPA
    referral has waited longer than the policy's `mappa_referral_days` (28) with no level.

    Eligible-looking: an index offence of category violence, sexual, online-sexual, robbery,
    arson, weapons or extremism with a sentence of licence, post-sentence supervision,
    hospital order or custody; or any control with `basis: notification` (a registered sexual
    offender, whatever the sentence). `assessment.mappa` with `eligible: false` and a
    `reason` records a screening that found the person not eligible.

    HF36 K15 asks for knowledge of the multi-agency arrangements. Reviews find MAPPA
    eligibility not screened, and referrals made and not followed up.

    Fails: `offences: [{id: OFF1, category: violence, index: true}]`, `sentence: {type:
    licence}`, and no `mappa`.
    Passes: `mappa: {eligible: true, category: 2, level: 1}`, or `mappa: {eligible: false,
    reason: Sentence under 12 months; not category 2}`.
    Fix: screen the case for MAPPA and record the outcome; chase a referral that has no level.
    """
    plan = ctx.plan
    mappa = plan.section(("assessment", "mappa"))
    if not isinstance(mappa, dict):
        index = [o.id for o in plan.items("offence")
                 if o.get("index") is True and o.get("category") in _MAPPA_CATEGORIES]
        notified = [c.id for c in plan.items("control") if c.get("basis") == "notification"]
        if (index and plan.sentence_type in _MAPPA_SENTENCES) or notified:
            yield Hit(nearest_existing(ctx, ("assessment",)),
                      "the case looks MAPPA-eligible ("
                      + ("index offence and sentence" if index and plan.sentence_type in
                         _MAPPA_SENTENCES else "notification requirements")
                      + ") and no `assessment.mappa` screening is recorded (HF36 K15)",
                      tuple(index + notified), at_key=True)
        return
    referred = parse_date(mappa.get("referred"))
    if referred is not None and mappa.get("level") is None:
        days = (ctx.today - referred).days
        if days > ctx.policy.mappa_referral_days:
            yield Hit(("assessment", "mappa", "referred"),
                      f"a MAPPA referral was made {days} days ago and no level is recorded; "
                      f"the policy's mappa_referral_days is {ctx.policy.mappa_referral_days}: "
                      "follow it up (HF36 K15)", severity="warning")


@rule(RULES, "RMP321", "mappa-category3-level1", "error", "K15",
      "MAPPA category 3 at level 1 (category 3 exists because active multi-agency management "
      "is needed)")
def mappa_category3_level1(ctx: RuleContext) -> Iterator[Hit]:
    """MAPPA category 3 recorded at level 1.

    HF36 K15 asks for knowledge of the MAPPA arrangements. Category 3 (other dangerous
    offenders) exists for people who need active multi-agency management, so it is never
    managed at level 1: either the category or the level is wrong.

    Fails: `mappa: {category: 3, level: 1}`.
    Passes: `mappa: {category: 3, level: 2}`, or the correct category.
    Fix: correct the level (2 or 3) or the category, as the MAPPA referral decided.
    """
    mappa = ctx.plan.section(("assessment", "mappa"))
    if isinstance(mappa, dict) and mappa.get("category") == 3 and mappa.get("level") == 1:
        yield Hit(("assessment", "mappa", "level"),
                  "MAPPA category 3 is never managed at level 1 (HF36 K15)")
