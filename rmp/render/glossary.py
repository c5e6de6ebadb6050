"""The words of the individual's own copy (`rmp.render.yours`): headings and sentences in the
second person, what a breach brings and who is at risk in plain words, and the glossary of
terms the copy explains ("Words used in this plan"), each shown only when it appears.

Kept apart from `rmp.render.labels` (the professional table and its plain variants) because
the copy is written for one reader, not translated heading by heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from rmp.render.document import (
    Block,
    Bullets,
    Content,
    Fact,
    Facts,
    Items,
    Note,
    Paragraph,
    Section,
    Subsection,
    Table,
)

WORDS: dict[str, str] = {
    # -- headings ----------------------------------------------------------------------------
    "risk": "Your risk level",
    "rules": "Rules you must follow",
    "breach": "What happens if you break them",
    "work": "What you have agreed to work on",
    "worries": "What could lead to harm",
    "strengths": "What helps you",
    "contacts": "Who to contact",
    "review": "Your next review",
    "about_you": "About you",
    "words": "Words used in this plan",
    "own_plans": "Things you have agreed to do yourself",
    "actions": "What you and others will do",
    "aims": "Your aims",
    # -- key facts ---------------------------------------------------------------------------
    "fact_risk": "Your risk level",
    "fact_lead": "Who to contact first",
    "fact_review": "Your next review",
    "fact_rules": "Rules you must follow",
    # -- table headings ----------------------------------------------------------------------
    "col_rule": "Rule",
    "col_from": "Where the rule comes from",
    "col_until": "Until",
    "col_checked": "Who checks it",
    "col_if_broken": "If you break it",
    "col_what": "What will happen",
    "col_who": "Who",
    "col_when": "When",
    "col_status": "How it is going",
    "col_measure": "How we will know",
    "col_harm": "What could lead to harm",
    "col_triggers": "What can set it off",
    "col_signs": "Signs to watch for",
    "col_agree": "Do you agree?",
    "col_organisation": "Organisation",
    "col_does": "What they do with you",
    "col_group": "Who could be harmed",
    "col_level": "Risk level now",
    # -- sentences ---------------------------------------------------------------------------
    "intro": "This is your own copy of your risk management plan. It is written for you. It "
             "says how serious the risk of harm is and to whom, the rules you must follow and "
             "what happens if you break them, what you have agreed to work on, who to "
             "contact, and when your plan will be looked at again.",
    "intro_withheld": "Some parts of the plan are not in your copy, because they are about "
                      "other people or must stay confidential. Where something is left out "
                      "you will see “{withheld}”. If anything is unclear, ask the person who "
                      "supervises you to go through it with you.",
    "risk_is": "You have been assessed as a {level} risk of serious harm to {whom}.",
    "risk_is_nobody": "You have been assessed as a {level} risk of serious harm.",
    "risk_means": "This is about how likely it is that you could seriously hurt someone, and "
                  "how bad that harm could be. It is not a prediction: the plan is there to "
                  "help it not happen.",
    "risk_withheld": "Your risk level is not included in this copy. Ask the person who "
                     "supervises you to tell you what it is and why.",
    "risk_not_recorded": "Your risk level has not been recorded yet.",
    "by_group": "Risk level for each group of people",
    "mappa_level": "Your case is managed under MAPPA at level {level}: the police, probation "
                   "and other organisations share information and plan together.",
    "sentence_until": "You are on {sentence} until {date}.",
    "sentence_only": "You are on {sentence}.",
    "no_rules": "There are no rules in your copy of the plan.",
    "rules_withheld": "The rules are not included in this copy. Ask the person who supervises "
                      "you for a copy of your conditions.",
    "breach_intro": "Breaking a rule has consequences. For the rules in this plan:",
    "breach_asks": "If you are not sure whether something would break a rule, ask first.",
    "if_things_go_wrong": "If things go wrong",
    "nothing_agreed": "Nothing recorded yet.",
    "you_agreed": "You agreed to this",
    "agreed_with": "agreed with {names}",
    "not_started": "starts {date}",
    "by_date": "by {date}",
    "lead_is": "{agency} is in charge of your plan. Contact them first about anything in it.",
    "lead_unknown": "Ask the person who supervises you who to contact.",
    "no_contacts": "Ask the person who supervises you who to contact.",
    "next_review_on": "Your plan will next be looked at on {date}.",
    "next_review_late": "Your plan was due to be looked at on {date}. Ask when it will be.",
    "next_review_unknown": "No date has been set yet for your next review.",
    "last_review_on": "It was last looked at on {date}.",
    "sooner_if": "It will be looked at sooner if:",
    "words_intro": "What some words in this plan mean:",
    "you_communication": "How you like information given",
    "you_explained": "How the plan was explained to you",
    "you_view": "What you said about the plan",
    "you_agree": "Do you agree with the plan?",
    "you_setting": "Where you live now",
    "explained_on": "{date}, by {by}",
    "lead_role": "In charge of your plan",
    "partner_role": "Works with you on the plan",
    "specialist_role": "Specialist help",
    "rosh_changed": "Your risk level to {group} {where}: {old} to {new}",
    "in_community": "in the community",
    "in_custody": "in prison",
    "you": "you",
    "and": "and",
}

BREACH: dict[str, str] = {
    "recall": "You can be recalled to prison.",
    "breach-proceedings": "You can be taken back to court, which can add to or change your "
                          "order.",
    "arrest": "The police can arrest you.",
    "review": "Your plan will be looked at again straight away, and the rules may change.",
    "other": "Your supervisor will tell you what would happen.",
}
BREACH_MISSING = "Your supervisor will talk to you about it and may take action."
BREACH_OWN = "This is your own plan: no one enforces it, but it helps keep you and others safe."
BREACH_MORE: dict[str, str] = {
    "recall": "Recall means going back to prison, possibly until the end of your sentence. "
              "It can happen quickly, without a new offence.",
    "breach-proceedings": "Breach proceedings mean going back to court. The court can add "
                          "to your order, fine you or sentence you again.",
    "arrest": "Breaking a court order such as a restraining order is a crime in itself: the "
              "police can arrest you and you can be charged.",
    "review": "A review means the people working with you meet again about your plan and "
              "may add rules or support.",
    "other": "Ask the person who supervises you what would happen.",
}

BASIS: dict[str, str] = {
    "licence": "Licence condition", "community-order": "Community order requirement",
    "post-sentence-supervision": "Post-sentence supervision",
    "suspended-sentence": "Suspended sentence requirement",
    "restraining-order": "Restraining order", "non-molestation-order": "Non-molestation order",
    "dvpo": "Domestic violence protection order", "dapo": "Domestic abuse protection order",
    "shpo": "Sexual harm prevention order", "sro": "Sexual risk order",
    "hospital-order": "Hospital order", "mha-restriction": "Mental health restriction",
    "tpim": "Court-imposed measure", "voluntary": "Agreed with you",
}

GROUPS: dict[str, str] = {
    "known_adult": "a known adult", "children": "children", "public": "the public",
    "staff": "staff", "prisoners": "other prisoners",
}
GROUP_NAMES: dict[str, str] = {
    "known_adult": "A known adult (someone you know)", "children": "Children",
    "public": "The public", "staff": "Staff", "prisoners": "Other prisoners",
}
LEVELS: dict[str, str] = {
    "low": "low", "medium": "medium", "high": "high", "very-high": "very high",
}
SENTENCES: dict[str, str] = {
    "licence": "licence", "community-order": "a community order",
    "suspended-sentence": "a suspended sentence",
    "post-sentence-supervision": "post-sentence supervision",
}
SETTINGS: dict[str, str] = {
    "community": "In the community", "custody": "In prison",
    "approved-premises": "In approved premises", "hospital": "In hospital",
}
AGREEMENT: dict[str, str] = {
    "yes": "Yes", "no": "No", "partly": "Partly", "not-discussed": "Not talked about yet",
    "could-not-answer": "Could not say",
}
STATUS: dict[str, str] = {
    "planned": "Not started yet", "in-progress": "Under way", "done": "Done",
    "blocked": "Held up", "cancelled": "Stopped",
}
FREQUENCY: dict[str, str] = {
    "daily": "every day", "twice-weekly": "twice a week", "weekly": "every week",
    "fortnightly": "every two weeks", "monthly": "every month",
    "quarterly": "every three months",
}

# term -> (pattern over the copy's text, `(?i)` where case does not matter, meaning).
# Only terms that appear are listed.
GLOSSARY: tuple[tuple[str, str, str], ...] = (
    ("Risk of serious harm", r"(?i)risk of serious harm",
     "How likely it is that you could seriously hurt someone, physically or "
     "psychologically, and how bad that harm could be. It is rated low, medium, high or "
     "very high."),
    ("MAPPA", r"\bMAPPA?\b",
     "Multi-Agency Public Protection Arrangements: the police, probation and prisons, with "
     "other organisations, working together to manage the risk some people pose. MAPP "
     "meetings are where they plan together."),
    ("Licence", r"(?i)\blicen[cs]e\b",
     "The conditions you must keep to in the community after release from prison, until "
     "your licence ends."),
    ("Recall", r"(?i)\brecall",
     "Being sent back to prison for breaking your licence or when the risk can no longer be "
     "managed in the community."),
    ("Breach", r"(?i)\bbreach|\bbreak (?:a|the|them|it)\b",
     "Breaking a rule, condition or requirement."),
    ("Community order", r"(?i)community order",
     "A sentence served in the community with requirements set by the court."),
    ("Requirement", r"(?i)\brequirement",
     "Something a court order says you must or must not do."),
    ("Restraining order", r"(?i)restraining order",
     "A court order that stops you contacting or going near someone. Breaking it is a "
     "crime."),
    ("Approved premises", r"(?i)approved premises",
     "Supervised housing with staff on site day and night, for people on licence or bail."),
    ("Curfew", r"(?i)\bcurfew",
     "Times you must be at your address, often checked by staff or an electronic tag."),
    ("Exclusion zone", r"(?i)exclusion (?:zone|requirement)|\bthe zone\b",
     "An area you must not enter. A GPS tag can show if you do."),
    ("GPS tag", r"\bGPS\b",
     "An electronic tag that records where you are."),
    ("Alcohol monitoring tag", r"(?i)alcohol monitoring|alcohol tag",
     "A tag worn on the ankle that detects alcohol in your sweat."),
    ("Supervision", r"(?i)\bsupervis",
     "Regular appointments with the person managing your sentence or order."),
    ("Probation practitioner", r"(?i)probation (?:practitioner|officer)",
     "The person from probation who supervises you and manages your plan."),
    ("Key-work", r"(?i)\bkey-?work",
     "Regular one-to-one sessions with a worker from a support service."),
    ("AUDIT score", r"\bAUDIT\b",
     "The score from a short questionnaire about drinking; a lower score means less harmful "
     "drinking."),
    ("Programme", r"(?i)\bprogramme",
     "A course of group or one-to-one sessions that helps you change the way you think and "
     "act."),
    ("Youth rehabilitation order", r"(?i)youth rehabilitation order",
     "A community sentence for young people, with requirements set by the court."),
    ("Youth justice service", r"(?i)youth justice|youth offending",
     "The team that works with young people who have been sentenced."),
    ("YJS", r"\bYJS\b",
     "Youth justice service: the team that works with young people who have been sentenced."),
    ("CAMHS", r"\bCAMHS\b",
     "Child and adolescent mental health services: the NHS service for young people's "
     "mental health."),
    ("AIM3", r"\bAIM3\b",
     "An assessment used by youth justice and specialist services to plan work on harmful "
     "sexual behaviour."),
    ("RAR", r"\bRAR\b",
     "Rehabilitation activity requirement: sessions with probation that the court has "
     "ordered as part of your sentence."),
    ("Unpaid work", r"(?i)unpaid work",
     "Work in the community that the court has ordered you to do, for a set number of "
     "hours."),
    ("Integrated offender management", r"(?i)integrated offender management",
     "Police and probation working together with people who are likely to reoffend."),
    ("Designated safeguarding lead", r"(?i)designated safeguarding lead",
     "The person at a school or college responsible for keeping students safe."),
    ("Children's services", r"(?i)children'?s services",
     "The council service that keeps children safe."),
    ("Safety plan", r"(?i)safety plan",
     "A written plan of what you will do to keep yourself and others safe."),
)


def breach_words(control: dict[str, Any]) -> str:
    """What breaking this control brings, in words."""
    if control.get("kind") == "internal":
        return BREACH_OWN
    return BREACH.get(str(control.get("on_breach")), BREACH_MISSING) \
        if control.get("on_breach") else BREACH_MISSING


def glossary(texts: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """The glossary entries whose terms appear in these texts, in the glossary's order."""
    joined = "\n".join(texts)
    return tuple((term, meaning) for term, pattern, meaning in GLOSSARY
                 if re.search(pattern, joined))


# -- the words of a copy, for its glossary -----------------------------------------------------


def _texts(content: Content) -> Iterator[str]:
    for piece in content:
        if isinstance(piece, Note):
            yield from _texts(piece.content)
        elif isinstance(piece, Items):
            for item in piece.items:
                yield from _texts(item)
        elif hasattr(piece, "text"):
            yield str(piece.text)


def _texts_of_facts(facts: Iterable[Fact]) -> Iterator[str]:
    for fact in facts:
        yield fact.label
        yield from _texts(fact.content)


def _texts_of_block(block: Block) -> Iterator[str]:
    if isinstance(block, Facts):
        yield from _texts_of_facts(block.facts)
    elif isinstance(block, Table):
        yield from block.header
        if block.caption:
            yield block.caption
        for row in block.rows:
            for cell in row:
                yield from _texts(cell.content)
    elif isinstance(block, (Paragraph,)):
        yield from _texts(block.content)
    elif isinstance(block, Bullets):
        for item in block.items:
            yield from _texts(item)
    elif isinstance(block, Subsection):
        yield block.title
        for inner in block.blocks:
            yield from _texts_of_block(inner)


def _texts_of_section(section: Section) -> Iterator[str]:
    yield section.title
    for block in section.blocks:
        yield from _texts_of_block(block)


def words_of(facts: Iterable[Fact], intro: Iterable[Content],
             sections: Iterable[Section]) -> Iterator[str]:
    """Every word a copy shows in its key facts, introduction and sections."""
    yield from _texts_of_facts(facts)
    for paragraph in intro:
        yield from _texts(paragraph)
    for section in sections:
        yield from _texts_of_section(section)
