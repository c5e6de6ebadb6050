"""Sharing and governance (HF36 P18, P19, K29): sign-off by a manager other than the author,
disclosure decisions and victim liaison, distribution through the policy's audiences, contact
details kept out of shared text, and waivers.

RMP505 (waivers) is reported where waivers are applied (rmp/check/waivers.py), not here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from rmp.model.paths import dotted, get, parse_date
from rmp.model.vocabulary import Path_, at_least
from rmp.rules import text
from rmp.rules.common import is_blank, nearest_existing, overall_phrase
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


@rule(RULES, "RMP326", "self-signoff", "warning", "P19",
      "the sign-off is by the plan's own author")
def self_signoff(ctx: RuleContext) -> Iterator[Hit]:
    """The plan is signed off by its own author.

    HF36 P19 asks that plans follow the organisation's agreed strategy, which includes
    management oversight: sign-off is a second pair of eyes, and an author cannot be their own.
    Names are compared trimmed and case-insensitively; the names are never printed.

    Fails: `author: {name: Sam Example}` and `signoff: {name: sam example}`.
    Passes: `signoff: {name: Alex Example, role: Senior Probation Officer}`.
    Fix: have the plan signed off by a manager other than the author.
    """
    signoff = ctx.plan.section(("plan", "signoff", "name"))
    author = ctx.plan.section(("plan", "author", "name"))
    if is_blank(signoff) or is_blank(author):
        return
    assert isinstance(signoff, str) and isinstance(author, str)
    if " ".join(signoff.casefold().split()) == " ".join(author.casefold().split()):
        yield Hit(("plan", "signoff", "name"),
                  "the plan is signed off by its own author: HF36 P19 expects a manager's "
                  "sign-off")


@rule(RULES, "RMP327", "disclosure-or-vlo-missing", "warning", "K21, K29",
      "MAPPA level 2/3 with no disclosure decision recorded; or a victim eligible for victim "
      "contact with no victim liaison officer")
def disclosure_or_vlo_missing(ctx: RuleContext) -> Iterator[Hit]:
    """At a MAPPA level in the policy's `disclosure_mappa_levels` (2 and 3 by default), no
    `disclosures` recorded; or a victim with `vcs_eligible: true` and no `vlo: true`.

    HF36 K21 asks for attention to victims, and K29 for lawful information sharing. MAPPA
    meetings must consider disclosure to third parties at every level 2/3 case and record the
    decision, whether or not they disclose. Victims eligible for the Victim Contact Scheme get
    a victim liaison officer, who keeps them informed and brings their views to the plan.

    Fails: `mappa: {level: 2}` and no `disclosures`; or `- {id: V1, vcs_eligible: true}` with no
    `vlo`.
    Passes: `disclosures: [{id: DS1, scheme: mappa, decided: 2026-10-14, decision: not-disclose,
    by: police, reason: ...}]`; `vlo: true`.
    Fix: record the disclosure decision (including a decision not to disclose); allocate a
    victim liaison officer.
    """
    level = ctx.plan.mappa_level
    if level in ctx.policy.disclosure_mappa_levels and not ctx.plan.items("disclosure"):
        yield Hit(nearest_existing(ctx, ("disclosures",)),
                  f"MAPPA level {level} and no disclosure decision is recorded (HF36 K21, K29)",
                  at_key=True)
    for victim in ctx.plan.items("victim"):
        if victim.get("vcs_eligible") is True and victim.get("vlo") is not True:
            path = victim.at("vlo") if "vlo" in victim.fields else victim.at("vcs_eligible")
            yield Hit(path, f"victim {victim.id} is eligible for victim contact and has no "
                            "victim liaison officer (HF36 K21)", (victim.id,))


_SIGNED_STATUSES = ("agreed", "active", "closed")
"""Statuses at which a plan should carry its sign-off: a draft is not yet signed."""


_SIGNOFF_CONDITIONS: tuple[tuple[str, str], ...] = (
    ("da-indicated", "domestic abuse is indicated"),
    ("children-indicated", "a risk to children is indicated"),
    ("mappa", "the case is managed at MAPPA level 2 or 3"),
    ("indeterminate", "the sentence is indeterminate"),
    ("youth", "the person is a young person"),
    ("life-threatening", "a life-threatening offence is on record"),
)


def signoff_reasons(ctx: RuleContext) -> list[str]:
    """Why this plan needs a manager's sign-off (empty when it does not): the RoSH (rated or
    indicated) at or above `signoff_from`, and each `signoff_when` condition that holds."""
    plan = ctx.plan
    reasons = []
    threshold = ctx.policy.signoff_from
    if at_least(plan.indicated_overall_rosh, threshold):
        reasons.append(f"{overall_phrase(ctx)}, at or above the policy's signoff_from "
                       f"({threshold})")
    holds = {
        "da-indicated": plan.da_indicated,
        "children-indicated": plan.children_indicated,
        "mappa": plan.mappa_managed,
        "indeterminate": plan.indeterminate,
        "youth": plan.youth,
        "life-threatening": bool(plan.life_threatening_offences),
    }
    reasons.extend(f"{said} (signoff_when: {name})" for name, said in _SIGNOFF_CONDITIONS
                   if name in ctx.policy.signoff_when and holds[name])
    return reasons


@rule(RULES, "RMP501", "signoff-missing", "error", "P19",
      "RoSH at or above the policy level, or a `signoff_when` condition, and no sign-off")
def signoff_missing(ctx: RuleContext) -> Iterator[Hit]:
    """The plan needs a manager's sign-off and has none, or a sign-off without a name or a
    date. It needs one when the overall RoSH, or the evidence level where that is higher, is
    at or above the policy's `signoff_from` (high by default), or when a condition of the
    policy's `signoff_when` holds: domestic abuse indicated (an offence or information held),
    a risk to children indicated (information held about children, or children's current
    RoSH at or above `children_safeguarding_from`), MAPPA level 2 or 3, an indeterminate
    sentence, a young person, a life-threatening offence within `offence_floor_years`.

    HF36 P19 asks that plans follow the organisation's agreed strategy; in probation that
    includes countersigning by a manager from a given RoSH level, and serious case reviews
    find plans in exactly these cases that no manager saw. Drafts are not checked: a plan is
    signed off when it is agreed, so the rule applies to `agreed`, `active` and `closed`
    plans.

    Fails: RoSH medium, an offence with `domestic_abuse: true`, `status: active` and no
    `plan.signoff`.
    Passes: `signoff: {name: Alex Example, role: Senior Probation Officer, date: 2026-10-15}`.
    Fix: have the plan countersigned and record who signed it, their role and the date.
    """
    plan = ctx.plan
    if plan.section(("plan", "status")) not in _SIGNED_STATUSES:
        return
    reasons = signoff_reasons(ctx)
    if not reasons:
        return
    reason = "; ".join(reasons)
    signoff = plan.section(("plan", "signoff"))
    if not isinstance(signoff, dict):
        yield Hit(("plan",), f"{reason}, and the plan has no `signoff`", at_key=True)
        return
    missing = [name for name in ("name", "date") if not signoff.get(name)]
    if missing:
        yield Hit(("plan", "signoff"),
                  f"{reason}, and the sign-off has no {' or '.join(missing)}")


@rule(RULES, "RMP502", "agency-not-sent-plan", "warning", "P18",
      "an agency other than the lead owns actions and has no distribution dated on or after "
      "`plan.agreed`")
def agency_not_sent_plan(ctx: RuleContext) -> Iterator[Hit]:
    """An agency other than the lead owns actions in an agreed or active plan, and
    `sharing.distributed` has no entry sending it the plan on or after `plan.agreed`.

    HF36 P18 asks that the plan be shared with those who need it. An agency cannot carry out
    actions from a plan it has not received, nor the version agreed at the meeting. Only dated
    entries count; when `plan.agreed` is not recorded (RMP406), any dated entry to the agency
    counts. Drafts and closed plans are not checked.

    Fails: `agreed: 2026-10-14`, action A3 owned by `housing`, and no `sharing.distributed`
    entry `to: housing`, or only one dated 2026-10-01.
    Passes: `distributed: [{to: housing, date: 2026-10-15, audience: agencies}]`.
    Fix: send the agreed plan (through the right audience) and record the distribution.
    """
    plan = ctx.plan
    if plan.section(("plan", "status")) not in ("agreed", "active"):
        return
    lead = plan.section(("plan", "lead"))
    agreed = parse_date(plan.section(("plan", "agreed")))
    owned: dict[str, list[str]] = {}
    first_path: dict[str, Path_] = {}
    for action in plan.items("action"):
        owner = action.get("owner")
        agency = owner.get("agency") if isinstance(owner, dict) else None
        if not isinstance(agency, str) or not agency or agency == lead:
            continue
        owned.setdefault(agency, []).append(action.id)
        first_path.setdefault(agency, action.at("owner", "agency"))
    if not owned:
        return
    sent: set[str] = set()
    distributed = plan.section(("sharing", "distributed"))
    for entry in distributed if isinstance(distributed, list) else []:
        if not isinstance(entry, dict):
            continue
        dated = parse_date(entry.get("date"))
        if dated is not None and (agreed is None or dated >= agreed) \
                and isinstance(entry.get("to"), str):
            sent.add(entry["to"])
    listed = {agency.id: agency for agency in plan.items("agency")}
    since = " on or after `plan.agreed`" if agreed is not None else ""
    for agency, actions in owned.items():
        if agency in sent:
            continue
        if agency in listed:
            yield Hit(listed[agency].path,
                      f"agency {agency} owns action(s) {', '.join(actions)} but no dated "
                      f"distribution to it is recorded{since}",
                      (agency, *actions))
        else:  # named as written nowhere: it is no agency of the plan (RMP104)
            yield Hit(first_path[agency],
                      f"the owner agency of action(s) {', '.join(actions)} is not listed in "
                      f"`agencies`, and no dated distribution to it is recorded{since}",
                      tuple(actions))


@rule(RULES, "RMP503", "unknown-audience", "error", "P18",
      "a distribution names an audience the policy does not define")
def unknown_audience(ctx: RuleContext) -> Iterator[Hit]:
    """A `sharing.distributed` entry names an audience that the policy in force does not
    define.

    HF36 P18 and K29: information is shared lawfully, necessarily and proportionately. The
    policy's audiences (built in: `individual`, `agencies`, `panel`, `safeguarding-partner`)
    are the allow-lists that say what each recipient may see; a distribution through an
    undefined audience has no such limit, so nobody can say what was sent.

    Fails: `{to: housing, date: 2026-10-15, audience: everyone}` under the default policy.
    Passes: `audience: agencies`.
    Fix: name one of the policy's audiences, or define the audience in the policy file.
    """
    known = sorted(ctx.policy.audiences)
    distributed = ctx.plan.section(("sharing", "distributed"))
    for index, entry in enumerate(distributed if isinstance(distributed, list) else []):
        if not isinstance(entry, dict):
            continue
        audience = entry.get("audience")
        if audience is None or audience in known:
            continue
        recipient = entry.get("to")
        yield Hit(("sharing", "distributed", index, "audience"),
                  f"distribution {index + 1} names an audience the policy does not define "
                  f"(defined: {', '.join(known) or 'none'})",
                  (recipient,) if recipient in ctx.plan.agency_ids else ())


@rule(RULES, "RMP507", "individual-copy-sent-to-agency", "warning", "P18, K29",
      "a distribution sends the individual's own copy to an agency other than the lead")
def individual_copy_sent_to_agency(ctx: RuleContext) -> Iterator[Hit]:
    """A `sharing.distributed` entry sends the `individual` audience (or another audience
    written for the person: `plain_language: true`) to an agency other than the plan's lead.

    HF36 P18 and K29: what is shared must be what that recipient needs. The individual's copy
    is written for the person, in their words, and leaves out what they may not know; it is
    not a disclosure decision. Sending it to a college or a housing provider shares the
    person's own plan with a third party, and says nothing of what that agency was decided to
    need: reviews find "the college had the plan" where nobody decided what it should know.

    Fails: `{to: education, date: 2026-10-23, audience: individual}` with `plan.lead:
    youth-justice`.
    Passes: `{to: youth-justice, audience: individual}` (the lead hands the person their
    copy), or the college sent an audience the policy defines for what was decided to
    disclose (`disclosures[]`).
    Fix: send the agency the audience its disclosure decision allows; record the person's own
    copy as given by the lead agency.
    """
    lead = ctx.plan.text(("plan", "lead"))
    personal = _written_for_the_person(ctx)
    for index, recipient, audience in _distributions(ctx):
        if audience not in personal or recipient is None \
                or recipient == lead:
            continue
        yield Hit(("sharing", "distributed", index, "audience"),
                  f"distribution {index + 1} sends the individual's own copy to an agency other "
                  "than the lead: send it the audience its disclosure decision allows",
                  _recipient(ctx, recipient))


def _distributions(ctx: RuleContext) -> Iterator[tuple[int, str | None, str | None]]:
    """(index, recipient, audience) of each `sharing.distributed` entry."""
    distributed = ctx.plan.section(("sharing", "distributed"))
    for index, entry in enumerate(distributed if isinstance(distributed, list) else []):
        if isinstance(entry, dict):
            recipient, audience = entry.get("to"), entry.get("audience")
            yield (index, recipient if isinstance(recipient, str) else None,
                   audience if isinstance(audience, str) else None)


def _written_for_the_person(ctx: RuleContext) -> set[str]:
    """The policy's audiences that are the individual's own copy (RMP507's)."""
    return {name for name, spec in ctx.policy.audiences.items()
            if name == "individual" or (isinstance(spec, dict) and spec.get("plain_language"))}


def _recipient(ctx: RuleContext, recipient: str) -> tuple[str, ...]:
    return (recipient,) if recipient in ctx.plan.agency_ids else ()


DISCLOSED_RISK: tuple[Path_, ...] = (
    ("assessment", "offences"), ("assessment", "previous_convictions"),
    ("assessment", "summary"), ("assessment", "who_at_risk"), ("assessment", "rosh"),
    ("assessment", "overall_rosh"), ("risk_factors",),
)
"""What a disclosure decision is about: the offending and the nature of the risk. An audience
that shows any of it (more than item IDs) tells the recipient what a disclosure would."""


def _shows(value: Any) -> bool:
    """Whether a projected value holds anything but item IDs."""
    if isinstance(value, dict):
        return any(_shows(child) for key, child in value.items() if key != "id")
    if isinstance(value, list):
        return any(_shows(child) for child in value)
    return value is not None and value != ""


@rule(RULES, "RMP508", "distribution-reveals-withheld-disclosure", "warning", "P18, K29",
      "a distribution sends an agency an audience that shows the risk a disclosure decision "
      "decided not to disclose to it")
def distribution_reveals_withheld_disclosure(ctx: RuleContext) -> Iterator[Hit]:
    """A `sharing.distributed` entry sends an agency an audience whose projection for that
    agency (as `rmp render --for` makes it) shows the offences, previous convictions, the
    assessment's summary, who is at risk, the RoSH ratings or the risk factors, while a
    disclosure decision with `decision: not-disclose` names the agency in its `to` (the
    agency that decided, `by`, is not counted). Audiences written for the individual are
    RMP507's.

    HF36 P18 and K29: disclosure to a third party is a decision, lawful, necessary and
    proportionate, and a decision not to disclose binds every copy of the plan. Sending the
    same agency the partner pack tells it, through the back door, the offending and risk
    the meeting decided it should not be told; reviews then find "the plan went to
    everyone".

    Fails: `disclosures: [{id: DS1, decision: not-disclose, to: [housing], by: police}]` and
    `distributed: [{to: housing, date: 2026-11-12, audience: agencies}]`.
    Passes: housing sent an audience that shows none of that (one the policy defines for
    agencies that are not told), or the decision revisited and recorded as `disclose`.
    Fix: send the agency an audience that keeps to the decision, or record the new decision.
    """
    from rmp.errors import RmpError
    from rmp.render.audience import audience_from_policy, project

    decided: dict[str, list[str]] = {}
    for disclosure in ctx.plan.items("disclosure"):
        if disclosure.get("decision") != "not-disclose":
            continue
        to = disclosure.get("to")
        for agency in to if isinstance(to, list) else []:
            if isinstance(agency, str) and agency != disclosure.get("by"):
                decided.setdefault(agency, []).append(disclosure.id)
    if not decided:
        return
    personal = _written_for_the_person(ctx)
    for index, recipient, name in _distributions(ctx):
        if recipient not in decided or name is None or name in personal \
                or name not in ctx.policy.audiences:
            continue
        try:
            audience = audience_from_policy(ctx.policy, name)
        except RmpError:  # a malformed allow-list: the policy's own error says so
            continue
        shown = project(ctx.plan.data, replace(audience, agency=recipient)).data
        revealed = [dotted(path) for path in DISCLOSED_RISK if _shows(get(shown, path))]
        if revealed:
            ids = decided[recipient]
            yield Hit(("sharing", "distributed", index, "audience"),
                      f"distribution {index + 1} sends agency {recipient} the {name} audience, "
                      f"which shows {', '.join(f'`{r}`' for r in revealed)}; disclosure "
                      f"decision(s) {', '.join(ids)} decided not to disclose to it",
                      (*_recipient(ctx, recipient), *ids))


_ARTICLES = {"phone number": "a phone number", "email address": "an email address",
             "postcode": "a postcode"}


@rule(RULES, "RMP504", "contact-details-in-text", "warning", "P18, K29",
      "contact details (phone, email, postcode) in free text that audiences other than the "
      "panel see")
def contact_details_in_text(ctx: RuleContext) -> Iterator[Hit]:
    """A phone number, email address or postcode in a narrative field that audiences other
    than the panel can see.

    HF36 P18 and K29: sharing must be necessary and proportionate. A victim's or a new
    partner's phone number or postcode in an action's title travels with every copy of the
    plan, to partner agencies and possibly to the individual. Contact details belong in the
    case record, or in an item marked `confidential: true`, which only audiences allowed
    confidential items (the panel) see. Narrative fields are those listed in the catalogue;
    top-level fields (`rationale`, the assessment summary) are never confidential, so contact
    details there are always found.

    Fails: `actions: [{id: A4, title: Panic alarm at V1's home (postcode AB1 2CD), ...}]`.
    Passes: `title: Panic alarm at V1's home` (address in the case record), or the action
    marked `confidential: true`.
    Fix: remove the contact detail and refer to where it is held, or mark the item
    confidential.
    """
    data = ctx.plan.data
    for path, value in text.narrative_values(data):
        kinds = text.contact_kinds(value)
        if not kinds:
            continue
        item = _enclosing_item(data, path)
        if item is not None and item.get("confidential") is True:
            continue
        described = " and ".join(_ARTICLES.get(kind, kind) for kind in kinds)
        field = text.field_name(path)
        item_id = item.get("id") if item is not None else None
        items: tuple[str, ...] = ()
        if isinstance(item_id, str) and item_id:
            where, items = f"`{field}` of {item_id}", (item_id,)
        else:
            where = f"`{dotted(path)}`"
        yield Hit(path,
                  f"{described} in {where}, which audiences other than the panel see; keep "
                  "contact details in the case record or mark the item confidential", items)


def _enclosing_item(data: Any, path: Path_) -> dict[str, Any] | None:
    """The list item holding a field (path up to its first index), or None at top level."""
    node: Any = data
    for part in path:
        node = node[part]
        if isinstance(part, int):
            return node if isinstance(node, dict) else None
    return None


@rule(RULES, "RMP505", "waiver-invalid", "error", "",
      "a waiver is expired, lacks reason/approver/expiry, or matches nothing among the rules that "
      "ran", phase="waiver")
def waiver_invalid(ctx: RuleContext) -> Iterator[Hit]:
    """A waiver that cannot be used, or waives nothing.

    A waiver records that a rule is knowingly not met for this case (HF36 P7: a defensible,
    recorded decision). It must say why (`reason`), who approved it (`approved_by`) and until
    when (`until`); past that date the finding it covered comes back. A waiver that matches no
    finding any more is stale and hides nothing, so it should go. Rules the policy lists as
    `unwaivable` (e.g. RMP314, RMP315: unprotected victims) and the reading and schema rules
    cannot be waived. Findings of this rule come from `rmp.check.waivers`, after the other rules ran.

    Fails (today 2026-11-27): `waivers: [{rule: RMP309, item: SC1, reason: Agreed at panel,
    approved_by: Alex Example, until: 2026-10-31}]` (expired).
    Passes: the same with `until: 2027-01-14`, while RMP309 still reports SC1.
    Fix: renew the waiver with a new approval and date, meet the rule, or delete the waiver.
    """
    yield from ()


@rule(RULES, "RMP506", "author-grade-exceeded", "error", "P19, K5",
      "the RoSH (rated or indicated) is above what the policy lets the author's grade manage, "
      "and there is no sign-off")
def author_grade_exceeded(ctx: RuleContext) -> Iterator[Hit]:
    """The author's grade (`plan.author.grade`) has a limit in the policy's `author_max_rosh`
    (built in: medium for probation services officers, trainees and other grades), the higher
    of the overall RoSH and the highest evidence level is above it, and the plan has no
    sign-off with a name.

    HF36 K5 asks the author to know the limits of their authority and what to do when they
    are exceeded; P19 that the plan follows the organisation's strategy. Reviews find
    inexperienced authors on cases beyond their grade, with no manager's sign-off. Drafts are
    not checked.

    Fails: `author: {name: Sam Example, role: Probation Services Officer, grade: pso}`, the
    evidence indicating high RoSH to a known adult, and no `plan.signoff`.
    Passes: `signoff: {name: Alex Example, role: Senior Probation Officer, date: 2026-10-15}`,
    or the case allocated to a qualified officer (`grade: po`).
    Fix: have a manager sign the plan off, or reallocate the case to an officer of a grade the
    policy allows for this level of risk.
    """
    plan = ctx.plan
    if plan.section(("plan", "status")) not in _SIGNED_STATUSES:
        return
    grade = plan.section(("plan", "author", "grade"))
    limit = ctx.policy.author_max_rosh.get(grade) if isinstance(grade, str) else None
    level = plan.indicated_overall_rosh
    if limit is None or level is None or at_least(limit, level):
        return
    signoff = plan.section(("plan", "signoff"))
    if isinstance(signoff, dict) and not is_blank(signoff.get("name")):
        return
    yield Hit(("plan", "author", "grade"),
              f"the author's grade is {grade} and the policy's author_max_rosh for it is "
              f"{limit}; the {overall_phrase(ctx)}, and no manager has signed the plan off "
              "(HF36 P19, K5)")
