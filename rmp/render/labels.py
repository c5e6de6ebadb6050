"""Every word a pack prints that is not plan data: section titles, field labels, column
headings, status words, fixed sentences. One table, each entry with its professional text and
its plain-language variant (for an audience with `plain_language: true`, such as the
individual's own copy). Builders look words up here; templates hold none.

Keys are names of the thing labelled (`overview`, `owner`); enum values of the format are keyed
`=value` (`=in-progress`) so that a value and a heading never collide.
"""

from __future__ import annotations

from typing import Any

# key -> (professional, plain language); the plain text is None when it is the same.
_PAIRS: dict[str, tuple[str, str | None]] = {
    # -- document and pack --------------------------------------------------------------------
    "plan_title": ("Risk management plan", "Your risk management plan"),
    "meeting_pack": ("Meeting pack", None),
    "pack_kicker": ("Meeting pack · risk management plans", None),
    "contents": ("Contents", None),
    "summary": ("Summary of plans", None),
    "summary_note": ("Ratings and counts show what this audience may see. “Overdue” means past "
                     "its date on {today} and not done or cancelled; a review is “due” within "
                     "four weeks.", None),
    "record": ("Document record", "About this document"),
    "meeting_date": ("Meeting date", None),
    "prepared_for": ("Prepared for", None),
    "classification": ("Classification", None),
    "plans": ("Plans", None),
    "status_as_at": ("Status as at", None),
    "generated": ("Generated", None),
    "generated_by": (" (UTC) by ", None),
    "plan_versions": ("Plan versions", None),
    "plan": ("Plan", None),
    "plan_number": ("Plan {number}", None),
    "position": ("{number} of {total}", None),
    "last_commit": ("Commit of the plan's last change", None),
    "uncommitted": ("with uncommitted changes", None),
    "not_in_git": ("Not recorded in git", None),
    "key_facts": ("Key facts", None),
    "handling": ("Handling instructions", None),
    "handling_only": ("only. It holds personal data processed for law enforcement purposes "
                      "(Data Protection Act 2018, Part 3): share it only as the MAPPA guidance "
                      "and your agency's information-sharing agreement allow, keep it secure, "
                      "and destroy it when it is no longer needed.",
                      "only. It is about you: keep it somewhere safe and private."),
    "handling_marked": ("Anything this audience may not see has been left out before the "
                        "document was made, and each place is marked “{withheld}”.", None),
    "intro": ("This is your risk management plan. It sets out what might lead to harm, what "
              "will help, and what you and the people working with you will do, and by when.",
              None),
    "intro_withheld": ("Some parts of the plan are not included in your copy. Where that "
                       "happens you will see “{withheld}”. If anything is unclear, ask the "
                       "person who supervises you to go through it with you.", None),
    "lead_agency_of": ("lead agency {agency}", None),
    "type_plan": ("{type} plan", None),
    "status_as_at_lower": ("status as at", None),
    "changes_since": ("Changes since {since}", None),
    "earlier_version": ("the earlier version", None),
    "changes_unavailable": ("The earlier version could not be read, so no changes are shown.",
                            None),
    "no_changes": ("No changes that this audience can see.", None),
    # -- what is missing -----------------------------------------------------------------------
    "withheld": ("Withheld for this audience", None),
    "withheld_short": ("Withheld", None),
    "partly_withheld": ("Some details in this section are withheld for this audience.",
                        "Some details in this part are not included in your copy "
                        "(withheld for this audience)."),
    "none_shown": ("None shown.", "Nothing here yet."),
    "not_recorded": ("Not recorded", None),
    "not_mappa": ("Not MAPPA", None),
    "not_mappa_managed": ("Not MAPPA managed", None),
    # -- sections ------------------------------------------------------------------------------
    "overview": ("Plan details", "About this plan"),
    "individual": ("The individual", "About you"),
    "assessment": ("Risk of serious harm", "The risk assessment"),
    "risk_factors": ("Risk factors", "What might lead to harm"),
    "protective_factors": ("Protective factors", "What will help"),
    "controls": ("Controls", "Rules and conditions"),
    "objectives": ("Objectives", "What we are working towards"),
    "options": ("Options considered", "Other options that were thought about"),
    "actions": ("Actions: the four pillars", "What you and others will do"),
    "scenarios": ("Scenarios", "What could happen"),
    "contingency": ("Contingency", "If things go wrong"),
    "victims": ("Victims", "Other people's safety"),
    "disclosures": ("Disclosure decisions", "Information shared with others"),
    "agencies": ("Agencies", "Who is involved"),
    "concerns": ("Concerns communicated", "Concerns raised"),
    "rationale": ("Rationale", "Why the plan is like this"),
    "review": ("Review", "When your plan will be looked at again"),
    "sharing": ("Sharing and classification", "Who has a copy"),
    "waivers": ("Waivers", "Agreed exceptions"),
    "other": ("Other recorded information", "Other information"),
    # -- sub-sections --------------------------------------------------------------------------
    "rosh_table": ("Risk of serious harm by group and setting",
                   "How serious the risk is, and to whom"),
    "mappa": ("MAPPA", None),
    "risk_to_self": ("Risk to self", None),
    "offences": ("Offences", None),
    "tools": ("Predictors and structured tools", None),
    "sources": ("Sources of information", None),
    "other_actions": ("Other actions", None),
    "reviews": ("Reviews of this plan", None),
    "distribution": ("Distribution", None),
    # -- key facts and summary -----------------------------------------------------------------
    "case_ref": ("Case ref", "Your case reference"),
    "case_ref_of": ("Case ref {ref}", None),
    "overall_rosh": ("Overall RoSH", "Risk level"),
    "overall_rosh_note": (" (the highest in the current setting, or as written where higher): ",
                          None),
    "mappa_level": ("MAPPA level", None),
    "mappa_category_of": ("Category {category}", None),
    "mappa_level_of": ("level {level}", None),
    "next_review": ("Next review", None),
    "last_review": ("Last review", None),
    "overdue_actions": ("Overdue actions", "Late actions"),
    "review_triggers": ("Review early if", "The plan will be looked at sooner if"),
    "signed_off": ("Signed off", None),
    # -- fields --------------------------------------------------------------------------------
    "id": ("ID", None),
    "plan_id": ("Plan ID", "Plan number"),
    "type": ("Type", "Kind of plan"),
    "status": ("Status", "How it is going"),
    "plan_status": ("Status", "Stage"),
    "strategy": ("Strategy", None),
    "lead_agency": ("Lead agency", "Organisation in charge"),
    "author": ("Author", "Written by"),
    "created": ("Created", None),
    "agreed": ("Agreed", None),
    "name": ("Name", None),
    "date_of_birth": ("Date of birth", None),
    "setting": ("Setting", "Where you are now"),
    "sentence": ("Sentence", None),
    "released": ("Released {date}", None),
    "licence_ends": ("Licence ends {date}", None),
    "sentence_ends": ("Sentence ends {date}", None),
    "communication_needs": ("Communication needs", "How you like information given"),
    "responsivity": ("Responsivity", None),
    "explained": ("Plan explained", "How the plan was explained to you"),
    "explained_by": ("by {by}", None),
    "view": ("The individual's view", "Your view of the plan"),
    "agreement": ("Agreement with the plan", "Do you agree with the plan?"),
    "group": ("Group", None),
    "who_at_risk": ("Who is at risk", None),
    "nature": ("Nature of the risk", None),
    "when_greatest": ("When the risk is greatest", None),
    "increases": ("What is likely to increase the risk (R10.4)", None),
    "reduces": ("What is likely to reduce the risk (R10.5)", None),
    "previous_convictions": ("Previous convictions", None),
    "category": ("Category", None),
    "level": ("Level", None),
    "since": ("Since", None),
    "reason": ("Reason", None),
    "visor": ("Recorded on ViSOR", None),
    "cppc": ("Critical public protection case", None),
    "suicide": ("Suicide", None),
    "self_harm": ("Self-harm", None),
    "custody_coping": ("Coping in custody", None),
    "hostel_coping": ("Coping in a hostel", None),
    "vulnerability": ("Vulnerability", None),
    "note": ("Note", None),
    "offence": ("Offence", None),
    "date": ("Date", None),
    "domestic_abuse": ("Domestic abuse", None),
    "index_offence": ("Index offence", None),
    "tool": ("Tool", None),
    "score": ("Score", None),
    "band": ("Band", None),
    "source": ("Source", None),
    "kind": ("Kind", None),
    "reliability": ("Reliability", None),
    "corroborated_by": ("Corroborated by", None),
    "priority": ("Priority", None),
    "risk_factor": ("Risk factor", "What might lead to harm"),
    "triggers": ("Triggers", "What can set it off"),
    "warning_signs": ("Warning signs", "Signs to watch for"),
    "evidence": ("Evidence", None),
    "agrees": ("Individual agrees", "Do you agree?"),
    "protective_factor": ("Protective factor", "What will help"),
    "strengthen": ("To strengthen", "We will build on this"),
    "control": ("Control", "Rule or condition"),
    "addresses": ("Addresses", "Linked to"),
    "enforcement": ("Enforcement", None),
    "breach": ("Breach: {consequence}", None),
    "until": ("Until {date}", None),
    "necessity": ("Why necessary and proportionate", None),
    "objective": ("Objective", "Aim"),
    "agreed_by": ("Agreed by", None),
    "option": ("Option", None),
    "decision": ("Decision", None),
    "action": ("Action", "What will happen"),
    "owner": ("Owner", "Who"),
    "start": ("Start", "From"),
    "due": ("Due or frequency", "By when / how often"),
    "measure": ("Measure", "How we will know"),
    "specialist_action": ("Specialist", None),
    "scenario": ("Scenario", None),
    "likelihood": ("Likelihood", None),
    "response": ("Response", None),
    "context": ("Context", None),
    "what": ("What", None),
    "who": ("Who", None),
    "when": ("When", None),
    "how": ("How", None),
    "why": ("Why", None),
    "if": ("If", None),
    "then": ("Then", None),
    "within": ("Within", None),
    "hours": ("{hours} h", None),
    "victim": ("Victim", None),
    "protected_by": ("Protected by", None),
    "contact_safeguarding": ("Contact and safeguarding", None),
    "their_views": ("Their views", None),
    "potential_victim": ("Potential victim", None),
    "vcs": ("Victim Contact Scheme", None),
    "vlo": ("Victim liaison officer", None),
    "marac": ("MARAC", None),
    "child_status": ("Child status", None),
    "scheme": ("Scheme", None),
    "decided": ("Decided", None),
    "by": ("By", None),
    "agency": ("Agency", "Organisation"),
    "role": ("Role", None),
    "agreed_plan": ("Agreed the plan", None),
    "dissent": ("Dissent recorded", None),
    "identified": ("Identified", None),
    "communicated": ("Communicated", None),
    "to": ("To", None),
    "concern": ("Concern", None),
    "attendees": ("Attendees", None),
    "outcome": ("Outcome", None),
    "level_change": ("Level change", None),
    "audience": ("Audience", None),
    "rule": ("Rule", None),
    "item": ("Item", None),
    "approved_by": ("Approved by", None),
    "yes": ("Yes", None),
    "no": ("No", None),
}

# Enum values as people say them: "=value" -> (professional, plain language).
_VALUES: dict[str, tuple[str, str | None]] = {
    "very-high": ("Very high", None), "high": ("High", None), "medium": ("Medium", None),
    "low": ("Low", None), "known_adult": ("Known adult", None), "children": ("Children", None),
    "public": ("Public", None), "staff": ("Staff", None), "prisoners": ("Prisoners", None),
    "community": ("Community", None), "custody": ("Custody", None),
    "approved-premises": ("Approved premises", None), "hospital": ("Hospital", None),
    "supervision": ("Supervision", "Keeping in touch"),
    "monitoring-control": ("Monitoring and control", "Checks and conditions"),
    "interventions": ("Interventions and treatment", "Help and support"),
    "victim-safety": ("Victim safety planning", "Keeping other people safe"),
    "planned": ("Planned", "Not started yet"), "in-progress": ("In progress", "Under way"),
    "done": ("Done", None), "blocked": ("Blocked", "Held up"),
    "cancelled": ("Cancelled", "Stopped"), "daily": ("Daily", "Every day"),
    "twice-weekly": ("Twice weekly", "Twice a week"), "weekly": ("Weekly", "Every week"),
    "fortnightly": ("Fortnightly", "Every two weeks"), "monthly": ("Monthly", "Every month"),
    "quarterly": ("Quarterly", "Every three months"),
    "not-discussed": ("Not discussed", "Not talked about yet"),
    "could-not-answer": ("Could not answer", "Could not say"), "yes": ("Yes", None),
    "no": ("No", None), "partly": ("Partly", None), "dont-know": ("Don't know", None),
    "mappa-meeting": ("MAPPA meeting", None), "case-conference": ("Case conference", None),
    "supervision-review": ("Supervision review", None),
    "post-sentence-supervision": ("Post-sentence supervision", None),
    "community-order": ("Community order", None),
    "suspended-sentence": ("Suspended sentence", None),
    "hospital-order": ("Hospital order", None), "restraining-order": ("Restraining order", None),
    "non-molestation-order": ("Non-molestation order", None), "dvpo": ("DVPO", None),
    "dapo": ("DAPO", None), "shpo": ("SHPO", None), "sro": ("SRO", None),
    "mha-restriction": ("MHA restriction", None), "tpim": ("TPIM", None),
    "mappa": ("MAPPA", None), "breach-proceedings": ("Breach proceedings", None),
    "gps": ("GPS tag", None), "curfew": ("Curfew tag", None), "alcohol": ("Alcohol", None),
    "dvds": ("DVDS (Clare's Law)", None), "csods": ("CSODS", None),
    "disclose": ("Disclose", None), "not-disclose": ("Not disclose", None),
    "deferred": ("Deferred", None), "chosen": ("Chosen", None), "rejected": ("Rejected", None),
    "cp-plan": ("Child protection plan", None), "child-in-need": ("Child in need", None),
    "looked-after": ("Looked after", None), "none": ("None", None),
    "unknown": ("Unknown", None), "official": ("Official", None),
    "official-sensitive": ("Official-sensitive", None),
    "police-check": ("Police check", None),
    "childrens-services-check": ("Children's services check", None),
    "third-party": ("Third party", None), "not-applicable": ("Not applicable", None),
    "education-training-employment": ("Education, training and employment", None),
    "lifestyle-associates": ("Lifestyle and associates", None),
    "thinking-behaviour": ("Thinking and behaviour", None),
    "emotional-wellbeing": ("Emotional wellbeing", None),
    "mental-health": ("Mental health", None), "sexual-interest": ("Sexual interest", None),
    "stalking-harassment": ("Stalking and harassment", None),
    "online-sexual": ("Online sexual", None), "up": ("Up", None), "down": ("Down", None),
    "lead": ("Lead", None), "partner": ("Partner", None), "specialist": ("Specialist", None),
    "initial": ("Initial", None), "review": ("Review", None), "transfer": ("Transfer", None),
    "termination": ("Termination", None), "draft": ("Draft", None),
    "agreed": ("Agreed", None), "active": ("Active", None), "closed": ("Closed", None),
    "overdue": ("Overdue", "Late"), "due": ("Due", "Coming up soon"),
    "scheduled": ("Scheduled", "Booked"),
}

LABELS: dict[str, tuple[str, str | None]] = {
    **_PAIRS, **{f"={value}": pair for value, pair in _VALUES.items()},
}
"""The one table: every key with its (professional, plain-language or None) text."""


class Labels:
    """The words of the table for one audience: plain language or professional."""

    def __init__(self, plain: bool) -> None:
        self.plain = plain

    def __call__(self, key: str, **values: Any) -> str:
        """The text for `key`, with `{name}` places filled from `values` (already words)."""
        professional, plain = LABELS[key]
        text = plain if self.plain and plain is not None else professional
        return text.format(**values) if values else text

    def value(self, value: Any) -> str:
        """An enum value in words (`in-progress` -> `In progress`); a value the table does not
        know is spaced and capitalised, a boolean is Yes or No, nothing is empty."""
        if isinstance(value, bool):
            return self("yes" if value else "no")
        if value is None:
            return ""
        text = str(value)
        if f"={text}" in LABELS:
            return self(f"={text}")
        spaced = text.replace("_", " ").replace("-", " ")
        return spaced[:1].upper() + spaced[1:]
