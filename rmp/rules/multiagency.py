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


@rule(RULES, "RMP317", "mappa-level-unexplained", "warning", "P14",
      "MAPPA level 2/3 with RoSH below the policy's `mappa_min_rosh` and no `mappa.reason` "
      "(level 2 below high is \"exceptional\" in MAPPA Guidance)")
def mappa_level_unexplained(ctx: RuleContext) -> Iterator[Hit]:
    """Managed at a MAPPA level whose policy minimum RoSH (`mappa_min_rosh`) is above the
    overall RoSH, with no `mappa.reason`.

    HF36 P14 asks for actions commensurate with the risk. MAPPA Guidance considers level 2
    where RoSH is high or very high, and lower only exceptionally; cases are managed at the
    lowest level that gives a defensible plan. A level above what the RoSH suggests needs its
    reason written down. Built in: level 2 and level 3 expect overall RoSH high (a policy may
    set a minimum for any level it lists).

    Fails: `mappa: {category: 2, level: 2}` with overall RoSH medium and no `reason`.
    Passes: `reason: Police and children's services actions need co-ordination at a meeting`.
    Fix: record why the case needs this level, or review the level.
    """
    level = ctx.plan.mappa_level
    if level is None:
        return
    minimum = ctx.policy.mappa_min_rosh.get(level)
    if minimum is None:
        return
    overall = ctx.plan.indicated_overall_rosh
    if not at_least(overall, minimum) and is_blank(
            ctx.plan.section(("assessment", "mappa", "reason"))):
        yield Hit(("assessment", "mappa"),
                  f"MAPPA level {level} with overall RoSH {overall or 'not rated'}, below the "
                  f"policy minimum {minimum}, and no `mappa.reason` (HF36 P14)", at_key=True)


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
