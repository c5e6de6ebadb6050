"""Generate a corpus of fictional rmp/1 plans for benchmarking `rmp check`.

    python benchmarks/generate.py OUTDIR --count N [--seed S]

Writes OUTDIR/plan-00001.yaml ... plan-NNNNN.yaml, each 10-20 KB, plus a hidden manifest
OUTDIR/.corpus.json (hidden files are not plans to `rmp check`) recording the count, the seed and
which rule codes each deliberately faulty file is expected to raise.

Every person, agency, place and event in the output is invented. About 80% of the plans are
written to satisfy the rules in docs/rules.md under the built-in policy (some still carry a
warning or an info finding, as real plans do); about 20% carry one to three deliberate faults:
a risk factor no action addresses (RMP201), an action without an owner (RMP301), an overdue
action (RMP403), a duplicate ID (RMP102), a reference to a missing item (RMP103) or an unknown
key (RMP101).

Dates are relative to the fixed reference date 2026-11-27 (`rmp check --today 2026-11-27`).
Output is deterministic for a given seed, and file N is the same whatever the count. The YAML is
written by a small emitter (string formatting), not yaml.dump: block style with some flow
mappings, no anchors, aliases or tags.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import sys
import time
from datetime import date, timedelta
from typing import Any

TODAY = date(2026, 11, 27)
GENERATOR_VERSION = 1  # bump whenever the output changes: bench_check.py then regenerates
MIN_BYTES = 10 * 1024
MAX_BYTES = 20 * 1024
FAULT_SHARE = 0.2

HEADER = (
    "# Generated fictional data for benchmarking rmp: every person, agency, place and event\n"
    "# in this file is invented. Not a real risk management plan.\n"
)

# --------------------------------------------------------------------------------------------
# A tiny YAML emitter. Plain dicts and lists are written in block style; Flow and FlowSeq in
# flow style; Literal and Folded as block scalars. Strings are written plain when that is safe
# under both YAML 1.1 and 1.2 resolution, else double-quoted (JSON escapes are valid YAML).


class Flow(dict):  # type: ignore[type-arg]
    """A mapping written in flow style: {a: 1, b: 2}."""


class FlowSeq(list):  # type: ignore[type-arg]
    """A sequence written in flow style: [a, b]."""


class Literal(str):
    """A string written as a literal block scalar (|)."""


class Folded(str):
    """A string written as a folded block scalar (>-)."""


_PLAIN_BLOCK = re.compile(r"[A-Za-z][A-Za-z0-9_ .,;'()/&+%?!£\"-]*\Z")
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9_ .;'()/&+%?!£\"-]*\Z")
_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null"])
WIDTH = 96


@functools.lru_cache(maxsize=4096, typed=True)
def scalar(value: Any, flow: bool = False) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _DATE.match(text):
        return text
    pattern = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if pattern.match(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


def one_line(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {one_line(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(one_line(v) for v in value) + "]"
    return scalar(value, flow=True)


class FlowWriter:
    """Writes a flow collection, breaking lines between entries near WIDTH columns."""

    def __init__(self, column: int, cont: str) -> None:
        self.parts: list[str] = []
        self.column = column
        self.cont = cont

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.column += len(text)

    def entries(self, opening: str, closing: str, entries: list[tuple[str, Any]]) -> None:
        self.write(opening)
        for i, (prefix, value) in enumerate(entries):
            nested = isinstance(value, (dict, list))
            flat = prefix + one_line(value)
            if i:
                self.write(",")
                estimate = min(len(flat), len(prefix) + 24) if nested else len(flat)
                if self.column + 1 + estimate > WIDTH:
                    self.parts.append("\n" + self.cont)
                    self.column = len(self.cont)
                else:
                    self.write(" ")
            if nested and self.column + len(flat) + 2 > WIDTH:
                self.write(prefix)
                self.value(value)
            else:
                self.write(flat)
        self.write(closing)

    def value(self, value: Any) -> None:
        if isinstance(value, dict):
            self.entries("{", "}", [(f"{k}: ", v) for k, v in value.items()])
        elif isinstance(value, list):
            self.entries("[", "]", [("", v) for v in value])
        else:
            self.write(scalar(value, flow=True))


def flow_text(value: Any, column: int, cont: str) -> str:
    """A flow collection starting at `column`; continuation lines start with `cont`."""
    flat = one_line(value)
    if column + len(flat) <= WIDTH:
        return flat
    writer = FlowWriter(column, cont)
    writer.value(value)
    return "".join(writer.parts)


def wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def emit_value(key_line: str, value: Any, indent: int, out: list[str]) -> None:
    """Write `key_line` (e.g. '  title:') followed by value."""
    pad = " " * (indent + 2)
    if isinstance(value, (Flow, FlowSeq)):
        out.append(f"{key_line} {flow_text(value, len(key_line) + 1, pad)}")
    elif isinstance(value, dict):
        out.append(key_line)
        emit_mapping(value, indent + 2, out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{key_line} []")
        else:
            out.append(key_line)
            emit_sequence(value, indent + 2, out)
    elif isinstance(value, Literal):
        out.append(f"{key_line} |")
        for paragraph_index, paragraph in enumerate(value.split("\n\n")):
            if paragraph_index:
                out.append("")
            out.extend(pad + line for line in wrap(paragraph, WIDTH - len(pad)))
    elif isinstance(value, Folded):
        out.append(f"{key_line} >-")
        out.extend(pad + line for line in wrap(value, WIDTH - len(pad)))
    else:
        out.append(f"{key_line} {scalar(value)}")


def emit_mapping(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        emit_value(f"{pad}{key}:", value, indent, out)


def emit_sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, (Flow, FlowSeq)):
            out.append(f"{pad}- {flow_text(item, indent + 2, pad + '   ')}")
        elif isinstance(item, dict):
            start = len(out)
            emit_mapping(item, indent + 2, out)
            out[start] = f"{pad}- {out[start][indent + 2 :]}"
        elif isinstance(item, list):
            out.append(f"{pad}- {flow_text(item, indent + 2, pad + '   ')}")
        else:
            out.append(f"{pad}- {scalar(item)}")


SECTION_COMMENTS = {
    "risk_factors": "# Risk factors, in priority order (1 = highest)",
    "controls": "# External and internal controls",
    "actions": "# Actions across the four pillars",
    "scenarios": "# Scenarios: repeat, escalation, twist, improvement",
    "victims": "# Actual and potential victims",
    "agencies": "# Agencies contributing to the plan",
}


def render_section(key: str, value: Any, comment: bool) -> str:
    out: list[str] = []
    if comment and key in SECTION_COMMENTS:
        out.append(SECTION_COMMENTS[key])
    emit_value(f"{key}:", value, 0, out)
    return "\n".join(out) + "\n\n"


# --------------------------------------------------------------------------------------------
# Vocabulary (all invented).

FIRST_NAMES_M = [
    "Jordan",
    "Callum",
    "Dean",
    "Lewis",
    "Ryan",
    "Aaron",
    "Marcus",
    "Kieran",
    "Liam",
    "Darren",
    "Jamal",
    "Tomasz",
    "Owen",
    "Craig",
    "Nathan",
    "Reece",
]
FIRST_NAMES_F = [
    "Kayleigh",
    "Jade",
    "Leanne",
    "Chloe",
    "Shannon",
    "Amira",
    "Natalie",
    "Kirsty",
    "Megan",
    "Roxanne",
    "Danielle",
    "Bethany",
]
LAST_NAMES = [
    "Example",
    "Sample",
    "Placeholder",
    "Fictional",
    "Ashdown",
    "Brereton",
    "Calloway",
    "Dunmore",
    "Elstow",
    "Fenwick",
    "Garside",
    "Hollins",
    "Ingleby",
    "Jessop",
    "Kettering",
    "Lomax",
    "Marlow",
    "Netherby",
    "Oakes",
    "Pellow",
    "Quarmby",
    "Rudd",
    "Selby",
    "Thwaite",
    "Upton",
    "Varley",
    "Wragg",
    "Yeadon",
]
STAFF_FIRST = [
    "Sam",
    "Alex",
    "Chris",
    "Jo",
    "Pat",
    "Robin",
    "Morgan",
    "Jamie",
    "Taylor",
    "Casey",
    "Frankie",
    "Jess",
    "Nikhil",
    "Priya",
    "Helen",
    "Gareth",
    "Siobhan",
]
AREAS = [
    "North",
    "Eastvale",
    "Westbrook",
    "Southmoor",
    "Riverside",
    "Highfield",
    "Lowmarsh",
    "Kingsmead",
    "Ashby Vale",
    "Greyford",
]

AGENCY_NAMES = {
    "probation": "{area} Probation Delivery Unit",
    "police": "{area} Police Public Protection Unit",
    "childrens-services": "{area} Children's Social Care",
    "alcohol-service": "{area} Community Alcohol Service",
    "drug-service": "{area} Drug and Alcohol Recovery Service",
    "housing-options": "{area} Council Housing Options",
    "employment-support": "{area} Employment and Skills Hub",
    "community-mental-health": "{area} Community Mental Health Team",
    "money-advice": "{area} Money Advice Centre",
    "idva-service": "{area} Independent Domestic Violence Advisers",
    "approved-premises": "{area} Approved Premises",
    "prison": "HMP {area} Offender Management Unit",
    "extremism-specialist": "{area} Specialist Extremism Casework Team",
    "mentoring-service": "{area} Peer Mentoring Project",
}
AGENCY_ROLES = {
    "probation": "lead",
    "police": "partner",
    "childrens-services": "partner",
    "housing-options": "partner",
    "employment-support": "partner",
    "money-advice": "other",
    "idva-service": "specialist",
    "approved-premises": "partner",
    "prison": "partner",
    "alcohol-service": "specialist",
    "drug-service": "specialist",
    "community-mental-health": "specialist",
    "extremism-specialist": "specialist",
    "mentoring-service": "other",
}
AGENCY_STAFF_ROLES = {
    "probation": ["Probation Practitioner", "Probation Officer", "Probation Services Officer"],
    "police": ["Police Offender Manager", "Detective Constable, Public Protection", "Domestic Abuse Officer"],
    "childrens-services": ["Social Worker", "Team Manager, Safeguarding"],
    "alcohol-service": ["Recovery Worker", "Alcohol Nurse"],
    "drug-service": ["Recovery Worker", "Substance Misuse Practitioner"],
    "housing-options": ["Housing Officer", "Move-on Co-ordinator"],
    "employment-support": ["Employment Adviser", "Skills Coach"],
    "community-mental-health": ["Community Psychiatric Nurse", "Care Co-ordinator"],
    "money-advice": ["Debt Adviser"],
    "idva-service": ["IDVA"],
    "approved-premises": ["Key Worker", "AP Manager"],
    "prison": ["Prison Offender Manager", "Key Worker"],
    "extremism-specialist": ["Specialist Case Worker"],
    "mentoring-service": ["Peer Mentor Co-ordinator"],
}

# domain -> (titles, triggers, warning signs, intervention (title, measure, agency, specialist))
DOMAINS: dict[str, dict[str, list[Any]]] = {
    "alcohol": {
        "titles": [
            "Alcohol misuse linked to violence",
            "Binge drinking at weekends preceding offending",
            "Alcohol use escalating under stress and after arguments",
        ],
        "triggers": [
            "Weekend binge drinking",
            "Loss of job",
            "Payday",
            "Drinking with old associates",
            "Bereavement or anniversary dates",
            "Arguments with family",
        ],
        "signs": [
            "Smelling of alcohol at contact",
            "Missed appointments on Mondays",
            "Reports of drinking from family",
            "Unexplained injuries",
            "Positive alcohol tag alerts",
        ],
        "actions": [
            (
                "Complete community alcohol treatment ({n} sessions)",
                "Attends {n} of {n} sessions; AUDIT score below 8 at completion",
                "alcohol-service",
                False,
            ),
            (
                "Alcohol key-work with breath testing at each session",
                "Breath tests recorded at each session; no positive test over {m} months",
                "alcohol-service",
                False,
            ),
        ],
    },
    "drugs": {
        "titles": [
            "Crack cocaine use funding acquisitive offending",
            "Cannabis use linked to disinhibition and conflict",
            "Risk of opiate relapse after release",
        ],
        "triggers": [
            "Contact with former dealers",
            "Receiving benefit payments",
            "Housing instability",
            "Low mood",
            "Boredom and unstructured time",
        ],
        "signs": [
            "Positive or refused drug tests",
            "Weight loss and poor self-care",
            "New unexplained money or possessions",
            "Changing phone numbers",
            "Late or missed appointments",
        ],
        "actions": [
            (
                "Structured drug treatment with weekly key-work and testing",
                "Weekly key-work attended; negative tests at {n} of {n} random tests",
                "drug-service",
                False,
            ),
            (
                "Opiate substitution prescribing reviewed with the recovery worker",
                "Prescription collected daily; review notes shared monthly",
                "drug-service",
                False,
            ),
        ],
    },
    "accommodation": {
        "titles": [
            "No settled accommodation on release",
            "Sofa-surfing with pro-criminal associates",
            "Risk of eviction from supported housing",
        ],
        "triggers": [
            "Notice to quit",
            "End of approved premises placement",
            "Relationship breakdown",
            "Rent arrears",
        ],
        "signs": [
            "Staying away from the registered address",
            "Arrears letters",
            "Reports of visitors late at night",
            "Vague answers about where he is sleeping",
        ],
        "actions": [
            (
                "Referral to housing options for move-on accommodation",
                "Tenancy signed before the approved premises placement ends",
                "housing-options",
                False,
            ),
            (
                "Support to keep the current tenancy, with a rent payment plan",
                "Rent paid each month; no notice served over {m} months",
                "housing-options",
                False,
            ),
        ],
    },
    "education-training-employment": {
        "titles": [
            "Long-term unemployment and lack of daily structure",
            "No qualifications and a limited work history",
            "Loss of job as a destabilising event",
        ],
        "triggers": ["Losing work", "Long unstructured days", "Rejection from job applications"],
        "signs": [
            "Stops attending the skills course",
            "Sleeping during the day",
            "Spending time in the town centre with associates",
        ],
        "actions": [
            (
                "Referral to employment support and a construction skills course",
                "Completes the {n}-week course and applies for {m} jobs a month",
                "employment-support",
                False,
            ),
            (
                "Complete a literacy assessment and an English course",
                "Assessment done; attends {n} of {n} course sessions",
                "employment-support",
                False,
            ),
        ],
    },
    "finance": {
        "titles": [
            "Debt and financial pressure linked to acquisitive offending",
            "Reliance on others for money; vulnerable to exploitation",
        ],
        "triggers": ["Debt collection letters", "Benefit sanctions", "Pressure from associates to repay"],
        "signs": [
            "New phones or clothes without explanation",
            "Asking staff for money",
            "Avoiding questions about income",
        ],
        "actions": [
            (
                "Debt advice appointments and a written budgeting plan",
                "Budget agreed; debt repayment plan in place within {m} months",
                "money-advice",
                False,
            )
        ],
    },
    "relationships": {
        "titles": [
            "Controlling behaviour in intimate relationships",
            "Conflict with ex-partner over child contact",
            "Jealousy and possessiveness in new relationships",
        ],
        "triggers": [
            "New relationship",
            "Child contact disputes",
            "Partner seeing friends",
            "Family court hearings",
            "Suspicion of infidelity",
        ],
        "signs": [
            "Not disclosing a new relationship",
            "Checking a partner's phone",
            "Talking about ex-partner with anger",
            "Reports of arguments from neighbours",
            "Sudden change of address",
        ],
        "actions": [
            (
                "Complete domestic abuse programme ({n} sessions)",
                "Attends {n} of {n} sessions; programme completion report received",
                "probation",
                False,
            ),
            (
                "One-to-one healthy relationships work with the practitioner",
                "{n} structured sessions delivered and recorded; relationship disclosed",
                "probation",
                False,
            ),
        ],
    },
    "lifestyle-associates": {
        "titles": [
            "Pro-criminal peer group in the local area",
            "Unstructured time in the night-time economy",
            "Association with an organised drug supply group",
        ],
        "triggers": [
            "Contact with former co-defendants",
            "Nights out in the town centre",
            "Release of associates from custody",
        ],
        "signs": [
            "Seen with named associates",
            "New phone numbers",
            "Late returns to the hostel",
            "Intelligence of presence in the supply area",
        ],
        "actions": [
            (
                "Peer mentoring to build a non-offending network",
                "Meets the mentor fortnightly; takes up one structured activity",
                "mentoring-service",
                False,
            )
        ],
    },
    "thinking-behaviour": {
        "titles": [
            "Impulsivity and poor consequential thinking",
            "Poor problem-solving under pressure",
            "Difficulty managing anger when challenged",
        ],
        "triggers": [
            "Feeling disrespected",
            "Confrontations in public",
            "Financial pressure",
            "Being challenged by staff",
        ],
        "signs": [
            "Raised voice and pacing in appointments",
            "Threats made to staff",
            "Complaints from hostel residents",
            "Minor incidents at work",
        ],
        "actions": [
            (
                "Complete thinking skills programme ({n} sessions)",
                "Attends {n} of {n} sessions; completes relapse prevention plan",
                "probation",
                False,
            ),
            (
                "Emotional regulation work using the time-out plan",
                "Time-out plan written and reviewed at {n} sessions",
                "probation",
                False,
            ),
        ],
    },
    "attitudes": {
        "titles": [
            "Minimises the harm caused to victims",
            "Attitudes supportive of domestic abuse",
            "Hostility towards authority and supervision",
        ],
        "triggers": [
            "Contact with family who blame the victim",
            "Court or licence decisions",
            "Perceived unfair treatment",
        ],
        "signs": [
            "Blaming the victim in sessions",
            "Refusing to discuss the offence",
            "Hostile comments about police",
        ],
        "actions": [
            (
                "One-to-one victim awareness work ({n} sessions)",
                "Completes {n} sessions and a written victim empathy exercise",
                "probation",
                False,
            )
        ],
    },
    "emotional-wellbeing": {
        "titles": [
            "Low mood and isolation after relationship breakdown",
            "History of self-harm at times of crisis",
        ],
        "triggers": ["Anniversaries", "Loss of contact with children", "Isolation at weekends"],
        "signs": ["Withdrawn in appointments", "Not eating", "Statements of hopelessness"],
        "actions": [
            (
                "Referral to talking therapies for low mood",
                "Assessment attended; {n} therapy sessions attended",
                "community-mental-health",
                False,
            )
        ],
    },
    "mental-health": {
        "titles": [
            "Paranoid ideation when not taking medication",
            "Diagnosed personality disorder affecting relationships",
        ],
        "triggers": ["Stopping medication", "Cannabis use", "Stressful life events"],
        "signs": [
            "Missed depot injection",
            "Suspicious of neighbours",
            "Poor sleep",
            "Disorganised speech at contact",
        ],
        "actions": [
            (
                "Engage with the community mental health team; medication reviewed monthly",
                "Depot given on time; monthly review letters received",
                "community-mental-health",
                True,
            )
        ],
    },
    "sexual-interest": {
        "titles": [
            "Sexual preoccupation and use of online sexual material",
            "Sexual interest in children (assessed)",
        ],
        "triggers": [
            "Unsupervised internet access",
            "Isolation and low mood",
            "Access to places where children gather",
        ],
        "signs": [
            "New devices not declared",
            "Deleting browsing history",
            "Seeking contact with families with children",
            "Secrecy about free time",
        ],
        "actions": [
            (
                "Complete accredited sexual offending programme",
                "Completes all sessions; post-programme review held",
                "probation",
                True,
            ),
            (
                "Specialist psychological assessment of sexual interest",
                "Assessment report received and shared with the MAPPA panel",
                "probation",
                True,
            ),
        ],
    },
    "extremism": {
        "titles": [
            "Engagement with extremist material online",
            "Grievance narrative supported by extremist associates",
        ],
        "triggers": ["Contact with extremist associates", "Major news events", "Perceived discrimination"],
        "signs": [
            "Sharing extremist material",
            "Changes in appearance or language",
            "Withdrawing from family",
        ],
        "actions": [
            (
                "Engage with specialist disengagement intervention",
                "Attends {n} mentor sessions; intervention provider report received",
                "extremism-specialist",
                True,
            )
        ],
    },
    "weapons": {
        "titles": ["Carrying a bladed article for self-protection", "Access to weapons through associates"],
        "triggers": ["Threats from rival groups", "Going out at night", "Use of cocaine"],
        "signs": ["Intelligence of carrying", "Talk of needing protection", "Injuries to hands"],
        "actions": [
            (
                "Weapons awareness and consequences sessions",
                "Completes {n} sessions; writes a personal safety plan without weapons",
                "probation",
                False,
            )
        ],
    },
    "other": {
        "titles": ["Gambling linked to debt and offending", "Poor compliance history on previous orders"],
        "triggers": ["Payday", "Online betting adverts", "Being pressed for debts"],
        "signs": ["Asking to change appointment times", "New debts", "Late for appointments"],
        "actions": [
            (
                "Gambling support sessions and blocking software on his phone",
                "Attends {n} sessions; blocking software confirmed at home visit",
                "money-advice",
                False,
            )
        ],
    },
}
OBJECTIVE_TITLES = {
    "alcohol": ["Abstain from alcohol", "Drink within agreed limits and never before contact"],
    "drugs": ["Stop using drugs", "Stay abstinent from crack cocaine"],
    "accommodation": ["Settled accommodation", "Keep the current tenancy"],
    "education-training-employment": ["Stable employment", "Gain a qualification and a job"],
    "finance": ["Manage money without offending", "Clear priority debts"],
    "relationships": [
        "Respectful, non-abusive relationships",
        "Resolve child contact through the court only",
    ],
    "lifestyle-associates": ["Build a non-offending social network", "End contact with the supply group"],
    "thinking-behaviour": ["Manage anger without violence", "Think through consequences before acting"],
    "attitudes": ["Take responsibility for the harm caused", "Understand the impact on victims"],
    "emotional-wellbeing": ["Improve mood and reduce isolation", "Keep safe at times of crisis"],
    "mental-health": ["Take prescribed medication", "Stay engaged with mental health services"],
    "sexual-interest": ["Manage sexual thoughts safely", "No contact with children"],
    "extremism": ["Disengage from extremist networks", "Find other ways to address grievances"],
    "weapons": ["Stop carrying weapons", "Feel safe without carrying a knife"],
    "other": ["Stop gambling", "Comply with all conditions"],
}
SPECIALIST_DOMAINS = {"sexual-interest", "mental-health", "extremism"}

# protective factor -> the action that strengthens it (title, measure, agency)
PROTECTIVE = {
    "Stable employment": (
        "Keep appointments outside working hours to protect his job",
        "Still employed at each review; no appointment clashes with shifts",
        "probation",
    ),
    "Supportive sister": (
        "Involve his sister in a three-way review of the plan",
        "Three-way review held before the next plan review",
        "probation",
    ),
    "Settled accommodation with parents": (
        "Home visit with his parents to agree house rules",
        "House rules written and reviewed at each home visit",
        "probation",
    ),
    "Motivated to stay in contact with his children": (
        "Support an application for supervised child contact through the family court",
        "Application made; contact supervised by the contact centre",
        "childrens-services",
    ),
    "Engaged with recovery group": (
        "Encourage continued attendance at the recovery group",
        "Attendance at the group confirmed monthly",
        "drug-service",
    ),
    "Completed programme work in custody": (
        "Review the relapse prevention plan written in custody",
        "Plan reviewed at supervision each month",
        "probation",
    ),
    "Faith community involvement": (
        "Link with the faith community's mentoring scheme",
        "Mentor meetings held fortnightly and recorded",
        "mentoring-service",
    ),
    "Abstinent from drugs for over a year": (
        "Voluntary drug testing to evidence abstinence",
        "Negative result at each monthly test",
        "drug-service",
    ),
}

OFFENCES = [
    ("Assault occasioning actual bodily harm on ex-partner", "violence", True),
    ("Criminal damage at former partner's home", "other", True),
    ("Controlling or coercive behaviour in an intimate relationship", "violence", True),
    ("Wounding with intent in a town-centre fight", "violence", False),
    ("Robbery of a delivery driver", "robbery", False),
    ("Burglary of a dwelling", "acquisitive", False),
    ("Possession of a bladed article in a public place", "weapons", False),
    ("Stalking involving fear of violence", "stalking-harassment", True),
    ("Harassment of a neighbour", "stalking-harassment", False),
    ("Possession with intent to supply class A drugs", "drugs", False),
    ("Arson being reckless as to whether life was endangered", "arson", False),
    ("Sexual assault on an adult woman", "sexual", False),
    ("Making indecent images of children", "online-sexual", False),
    ("Sexual communication with a child", "online-sexual", False),
    ("Dissemination of terrorist publications", "extremism", False),
    ("Theft from shops (series of offences)", "acquisitive", False),
    ("Breach of a restraining order", "other", True),
]

SOURCE_TEMPLATES = [
    ("OASys assessment", "assessment", "reliable"),
    ("Pre-sentence report", "court", "reliable"),
    ("Police National Computer record", "record", "reliable"),
    ("Police domestic abuse call-out check", "police-check", "reliable"),
    ("Children's services check", "childrens-services-check", "reliable"),
    ("Supervision session observations", "observation", "observed"),
    ("Interview with the individual", "interview", "reliable"),
    ("Ex-partner's account to police", "third-party", "hearsay"),
    ("Sister's account at a home visit", "third-party", "hearsay"),
    ("Police intelligence report", "intelligence", "hearsay"),
    ("Prison security information reports", "intelligence", "reliable"),
    ("Judge's sentencing remarks", "court", "reliable"),
    ("Hostel incident log", "record", "reliable"),
    ("Mental health discharge summary", "record", "reliable"),
    ("Approved premises key work notes", "observation", "observed"),
]

TOOLS = [
    ("OGRS", "4"),
    ("OVP", None),
    ("OGP", None),
    ("RSR", None),
    ("SARA", None),
    ("HCR-20", "3"),
    ("OSP/DC", None),
    ("OSP/IIC", None),
    ("ARMS", None),
    ("SAPROF", None),
]

# Narrative sentences: {P} He/She, {p} he/she, {poss} his/her, {obj} him/her.
SENTENCES = [
    "{P} has a history of violence that escalates when {p} is drinking.",
    "Offending has usually followed the end of a relationship or a period of unemployment.",
    "{P} engages with supervision but tends to minimise {poss} role in past incidents.",
    "Information from police call-outs shows a pattern of arguments late at night.",
    "The risk would increase if {p} lost {poss} accommodation or resumed contact with former associates.",
    "{P} reports feeling more settled since starting work and says {p} wants to keep the job.",
    "Contact with {poss} family has been positive and {poss} mother attends some appointments.",
    "There is no current evidence of weapon carrying, though {p} has done so in the past.",
    "Previous orders were breached through missed appointments rather than new offending.",
    "{P} has completed part of a programme in custody and speaks about what {p} learned.",
    "Staff at the hostel describe {obj} as polite but guarded when challenged.",
    "Recent drug tests have been negative and {p} is attending the recovery group.",
    "The index offence took place within weeks of release, when {p} was homeless.",
    "{P} accepts some responsibility for the offence but blames alcohol for the violence.",
    "Risk is greatest at weekends, in the evening, and when {p} has been drinking with friends.",
    "The victim has said she does not want contact and has moved to a new address.",
    "Children's services remain involved and a child in need plan is in place.",
    "{P} has a diagnosis of depression and has been prescribed medication by {poss} GP.",
    "Employment gives structure to {poss} week and is a protective factor to be strengthened.",
    "{P} has stable accommodation with {poss} parents, who are aware of the licence conditions.",
    "The assessment draws on police records, the pre-sentence report and supervision sessions.",
    "Hearsay information has been recorded as such and corroborated where possible.",
    "{P} struggles with written material, so the plan was explained verbally in short steps.",
    "Any new relationship is to be disclosed to the practitioner within seven days.",
    "Police and probation share information at monthly meetings and by secure email.",
    "{P} understands the exclusion zone and has not entered it since release.",
    "Motivation to change appears genuine but has not yet been tested under pressure.",
    "Protective factors include {poss} employment, {poss} relationship with {poss} sister and a stable address.",
    "The escalation scenario considers serious injury to a partner during an argument.",
    "The plan balances the need to protect known victims with support for resettlement.",
    "Previous assessments rated the risk to known adults as high, and nothing has reduced it since.",
    "{P} was care-experienced and responds best to a consistent worker.",
    "{P} attends appointments on time and has kept every curfew recorded so far.",
    "Financial pressure has built up since a benefit sanction in the summer.",
    "{P} has been open about lapses in drinking, which is taken as a sign of engagement.",
    "The risk to children arises from witnessing violence at home rather than from direct harm.",
    "Agencies agreed that the current level of contact is proportionate to the risk.",
    "{P} is anxious about the programme but agreed to attend after the first session.",
]

RATIONALE_SENTENCES = [
    "{rf1} is the strongest driver of the index offence and of earlier incidents, so it is addressed first.",
    "The controls are limited to what the risk to known victims requires and end with the licence.",
    "{rf2} is addressed through structured work because it underpins the pattern of offending.",
    "Supervision is set at a level that allows warning signs to be seen early.",
    "Options that would have removed {poss} employment were rejected because work is a protective factor.",
    "Police checks and victim liaison give independent sources on whether the plan is working.",
    "The contingency plan sets out who acts and how fast if warning signs appear.",
    "Each action is owned by an agency and has a date or a frequency so progress can be reviewed.",
    "The scenarios were drawn from the formulation agreed at the meeting, not from the offence alone.",
    "The individual's own view has been recorded and where {p} disagrees the reasons are noted.",
    "The plan will be reviewed sooner if any trigger listed in the review section occurs.",
    "Information from hearsay sources is used only where another source supports it.",
    "Interventions are sequenced so that accommodation is settled before programme work begins.",
    "The level of contact is commensurate with the risk of serious harm in the current setting.",
    "Victim safety measures were agreed with the victim liaison officer and reflect the victim's views.",
    "Specialist assistance was sought where the risk factors needed it.",
]

RATIONALE_EXTRA = [
    "The MAPPA level reflects the need for police and children's services to act together.",
    "Recall was considered and rejected because the risk is manageable with the controls in place.",
    "Residential treatment was considered but would end {poss} employment, which protects against offending.",
    "The curfew hours match the times when previous offences took place.",
    "Actions are limited in number so that {p} can realistically complete them.",
    "Where agencies disagreed, the dissent is recorded in the agencies section.",
    "The review date is set within the interval the policy allows for this level of risk.",
    "Warning signs were agreed with the agencies that are most likely to see them first.",
    "{P} contributed to the plan and {poss} view of each risk factor is recorded.",
    "Protective factors are strengthened by actions, not only listed.",
    "Sources older than a year were re-checked before the plan was agreed.",
    "The plan avoids conditions that would not be enforced or that duplicate others.",
]
GENERIC_SIGNS = [
    "Missed appointments",
    "Withdrawn at contact",
    "Reports from family of changes in mood",
    "Vague about how free time is spent",
    "Cancels home visits at short notice",
    "New associates seen at the address",
]
VIEW_SENTENCES = [
    "{P} says the plan is fair if it helps {obj} keep {poss} job.",
    "{P} wants to rebuild contact with {poss} children.",
    "{P} asked for appointments to fit around {poss} shifts.",
    "{P} feels the police visits are unnecessary but will comply.",
    "{P} agreed to tell the practitioner about any new relationship.",
    "{P} thinks the programme will help and asked when it starts.",
    "{P} would like the curfew reviewed after three months of compliance.",
]

HOW_EXPLAINED = [
    "Supervision session with a plain-English summary",
    "Three-way meeting with the key worker, plan read through together",
    "Explained verbally in two short sessions; copy of the summary given",
    "Explained with an interpreter present; summary translated",
    "Discussed at the pre-release meeting in custody",
]
COMM_NEEDS = [
    "Dyslexia; prefers verbal explanation",
    "No identified communication needs",
    "Hearing impairment in one ear; sits facing the speaker",
    "Limited reading; uses picture-based materials",
    "First language Polish; fluent spoken English; written material translated",
    "Attention difficulties; short sessions with breaks",
]
RESPONSIVITY = [
    "Works best in short sessions; care-experienced",
    "Responds to a consistent worker and clear boundaries",
    "Anxious in groups; one-to-one work preferred at first",
    "Shift work; appointments arranged outside working hours",
    "Practising Muslim; appointments avoid Friday prayers",
    "Has a young child; appointments during school hours",
]
VIEWS = [
    "Accepts drinking is a problem; disputes that he is a risk to his children.",
    "Agrees with most of the plan but feels the curfew is too strict.",
    "Wants help with housing and work; accepts the need for the exclusion zone.",
    "Says the offence was out of character and does not accept the risk rating.",
    "Agrees with the plan and asked for help with his debts.",
    "Accepts the risk factors but is worried about the programme.",
]
VICTIM_VIEWS = [
    "Wants the exclusion zone kept; fears contact through the children",
    "Has asked to be told before any change in licence conditions",
    "Does not want contact and is supported by the IDVA",
    "Declined to give a view through the victim liaison officer",
    "Wants to be told of the release date and of any breach",
]
OPTION_TITLES = [
    ("Residential alcohol treatment", "Would end his employment, which is a protective factor"),
    ("Community alcohol treatment", "Keeps employment; evidence-based and locally available"),
    ("Approved premises residence on release", "Provides 24-hour staffing in the first weeks"),
    ("Release to his mother's address", "Address is within the exclusion zone"),
    ("GPS tag with an exclusion zone", "Makes the exclusion zone checkable"),
    ("Curfew only", "Would not show whether he enters the exclusion zone"),
    ("Recall to custody", "Not justified: no breach and risk is manageable in the community"),
    ("Referral to MAPPA level 2", "Multi-agency actions need co-ordination"),
    ("Management at MAPPA level 1", "Police and children's services actions need a meeting"),
    ("Group domestic abuse programme", "Addresses attitudes and controlling behaviour"),
    ("One-to-one work only", "Group work gives more challenge from peers"),
]
CONTINGENCY = [
    ("Contact with V1 reported", "Same-day home visit; inform police; consider recall"),
    ("Positive alcohol tag alert", "Warning interview within 48 hours; review drinking plan"),
    ("Missed appointment without reason", "Phone contact the same day; home visit within 24 hours"),
    ("New relationship disclosed or discovered", "Inform police; consider a DVDS disclosure; review plan"),
    ("Arrest or new allegation", "Emergency review meeting; consider recall; update victims"),
    ("Loss of accommodation", "Emergency housing referral; approved premises bed requested"),
    ("Intelligence of weapon carrying", "Police to act on intelligence; urgent review of licence conditions"),
    ("Deterioration in mental health", "Urgent referral to the crisis team; GP informed"),
    ("Entry into the exclusion zone", "Police informed at once; recall considered the same day"),
    (
        "Contact with children without approval",
        "Children's services informed the same day; strategy discussion",
    ),
]
CONCERNS = [
    "Reported sighting near V1's address",
    "Anonymous report of drinking and arguments at a new address",
    "Hostel staff found an undeclared phone",
    "School reported the child was upset after a weekend visit",
    "Intelligence suggests contact with a former co-defendant",
]
REVIEW_OUTCOMES = [
    "Plan agreed; level confirmed",
    "Actions updated after the tag alert",
    "Progress noted; contingency unchanged",
    "Plan reviewed after change of address",
    "Risk factors re-prioritised after new information",
    "Scenarios revised and disclosure decision recorded",
]
TRIGGERS = [
    "Arrest or new allegation",
    "Change of address",
    "New relationship",
    "Breach of licence",
    "Loss of employment",
    "Release from custody",
    "Change in MAPPA level",
    "Victim moves or makes contact",
]
DISCLOSURE_REASONS = [
    ("dvds", "New partner identified; disclosure necessary to protect her"),
    ("mappa", "Employer told of conviction so that supervision of his role is possible"),
    ("csods", "Parent asked under the scheme; disclosure necessary to protect the child"),
    ("mappa", "Hostel manager told of the risk to staff to plan safe working"),
    ("dvds", "Right to know application considered; no relationship confirmed yet"),
]


# --------------------------------------------------------------------------------------------
# Plan building.

LEVELS = ["low", "medium", "high", "very-high"]
LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}
REVIEW_DAYS = {"very-high": 56, "high": 112, "medium": 182, "low": 365}
MAPPA_DAYS = {3: 56, 2: 112}
GROUPS = ["children", "public", "known_adult", "staff", "prisoners"]
VICTIM_GROUP_TEXT = {
    "children": [
        "His two children",
        "Children in any new partner's household",
        "Her daughter, aged six",
        "Children of future partners",
    ],
    "public": [
        "Members of the public in the night-time economy",
        "Delivery drivers and shop staff",
        "Strangers in the town centre",
    ],
    "known_adult": [
        "Ex-partner",
        "Current partner",
        "Future intimate partners",
        "His mother",
        "Former friend and co-defendant",
    ],
    "staff": ["Probation and hostel staff", "Prison officers on his wing"],
    "prisoners": ["Other prisoners on the wing", "Cell mates"],
}


VICTIM_SAFETY = {  # group -> [(title, measure, owning agencies)]
    "children": [
        (
            "Children's services safeguarding plan reviewed at each core group",
            "Core group minutes shared with probation after each meeting",
            ["childrens-services"],
        ),
        (
            "Safeguarding checks before any contact with children is approved",
            "No contact approved without a written children's services assessment",
            ["childrens-services"],
        ),
    ],
    "known_adult": [
        (
            "Victim liaison officer to update the victim on licence conditions",
            "Victim updated within five working days of any change",
            ["probation"],
        ),
        (
            "Safety planning with the victim through the IDVA",
            "Safety plan written and reviewed every three months",
            ["idva-service"],
        ),
        (
            "Share exclusion zone details with police and the victim",
            "Zone map shared; police marker placed on the victim's address",
            ["police"],
        ),
        (
            "Monitor new relationships and consider a DVDS disclosure",
            "Any new relationship reported to police within a day; decision recorded",
            ["police", "probation"],
        ),
    ],
    "public": [
        (
            "Police patrol plan for the town-centre licensed premises zone",
            "Sightings in the zone reported to probation within a day",
            ["police"],
        ),
        (
            "Exclusion from the shopping centre, checked by centre security and police",
            "Breaches reported to probation the same day",
            ["police"],
        ),
    ],
    "staff": [
        (
            "Risk to staff briefed before each appointment; two staff at home visits",
            "Briefing recorded before each appointment",
            ["probation"],
        ),
        (
            "Staff safety plan agreed with the hostel manager",
            "Plan signed by the hostel manager and reviewed monthly",
            ["probation"],
        ),
    ],
    "prisoners": [
        (
            "Cell-sharing risk assessment kept under review",
            "Assessment reviewed after every cell move",
            ["prison"],
        ),
    ],
}


def d(days: int) -> str:
    return (TODAY + timedelta(days=days)).isoformat()


class PlanBuilder:
    def __init__(self, rng: random.Random, number: int) -> None:
        self.rng = rng
        self.number = number
        self.agencies: list[str] = ["probation"]
        self.pools: dict[str, list[str]] = {}
        self.used: set[str] = set()
        self.male = rng.random() < 0.85
        self.ctx = (
            {"P": "He", "p": "he", "poss": "his", "obj": "him"}
            if self.male
            else {"P": "She", "p": "she", "poss": "her", "obj": "her"}
        )

    # --- helpers -----------------------------------------------------------------------------
    def use_agency(self, agency: str) -> str:
        if agency not in self.agencies:
            self.agencies.append(agency)
        return agency

    def person(self) -> str:
        return f"{self.rng.choice(STAFF_FIRST)} {self.rng.choice(LAST_NAMES)}"

    def text(self, n_min: int, n_max: int, pool: list[str] | None = None, **extra: str) -> str:
        n = self.rng.randint(n_min, n_max)
        sentences = [s.format(**self.ctx, **extra) for s in self.rng.sample(pool or SENTENCES, n)]
        self.used.update(sentences)
        return " ".join(sentences)

    def owner(self, agency: str, name: bool = False) -> Flow:
        self.use_agency(agency)
        result = Flow(agency=agency, role=self.rng.choice(AGENCY_STAFF_ROLES[agency]))
        if name:
            result["name"] = self.person()
        return result

    def fill(self, template: str) -> str:
        return template.format(n=self.rng.choice([6, 8, 10, 12, 19, 24]), m=self.rng.choice([2, 3, 4, 6]))

    # --- the plan ----------------------------------------------------------------------------
    def build(self) -> dict[str, Any]:
        rng = self.rng
        # RoSH: overall level first, then per group and setting, never above it.
        overall = rng.choices(LEVELS, weights=[12, 35, 38, 15])[0]
        setting = rng.choices(["community", "approved-premises", "custody"], weights=[70, 12, 18])[0]
        current = "custody" if setting == "custody" else "community"
        top = LEVEL_RANK[overall]
        rosh: dict[str, Flow] = {}
        for group in GROUPS:
            ratings = Flow()
            for where in ["custody"] if group == "prisoners" else ["community", "custody"]:
                ratings[where] = LEVELS[rng.choices(range(top + 1), weights=[8, 3, 2, 1][: top + 1])[0]]
            rosh[group] = ratings
        # the overall level must appear somewhere, mostly in the current setting
        lead_group = rng.choice(["known_adult", "known_adult", "public", "children"])
        rosh[lead_group][current] = overall
        self.rosh = rosh
        self.current = current
        self.overall = overall
        current_top = max(LEVEL_RANK[r[current]] for r in rosh.values() if current in r)
        self.current_level = LEVELS[current_top]

        mappa: dict[str, Any] | None = None
        if (top >= 2 and rng.random() < 0.55) or (top == 1 and rng.random() < 0.12):
            category = rng.choices([1, 2, 3, 4], weights=[30, 55, 10, 5])[0]
            level = rng.choice([2, 3]) if category == 3 else rng.choices([1, 2, 3], weights=[45, 45, 10])[0]
            if top == 1:
                level = 2 if category == 3 else rng.choice([1, 2])
            mappa = {
                "category": category,
                "level": level,
                "since": d(-rng.randint(60, 400)),
                "reason": rng.choice(
                    [
                        "Very high RoSH to a known adult; police and children's services actions need co-ordination",
                        "Multi-agency actions on housing and victim safety need a meeting to agree them",
                        "Medium RoSH but repeated breaches of orders; exceptional level 2 agreed by the panel",
                        "Registered sexual offender; ordinary agency management is sufficient at present",
                        "Risk to staff and the public needs police, probation and health to act together",
                    ]
                ),
                "visor": category in (1, 2) and rng.random() < 0.6,
                "cppc": level == 3 and rng.random() < 0.3,
            }
            if level >= 2:
                self.use_agency("police")
        self.mappa = mappa

        # the stricter of the RoSH and MAPPA intervals; the overall level is never below the
        # current setting's, so it is the stricter RoSH reading
        interval = REVIEW_DAYS[overall]
        if mappa and mappa["level"] in MAPPA_DAYS:
            interval = min(interval, MAPPA_DAYS[mappa["level"]])
        last_ago = rng.randint(3, max(4, min(interval - 10, 150)))
        next_in = rng.randint(max(7, (interval - last_ago) // 2), interval - last_ago)
        self.review_last = -last_ago
        self.review_next = next_in
        status = rng.choices(["active", "agreed", "draft"], weights=[75, 17, 8])[0]
        self.status = status
        self.agreed = self.review_last - rng.randint(0, 60) if rng.random() < 0.6 else self.review_last
        self.created = self.agreed - rng.randint(3, 40)
        self.area = rng.choice(AREAS)
        self.sentence_end = rng.randint(250, 1600)

        plan: dict[str, Any] = {"format": "rmp/1"}
        plan["plan"] = self.plan_section()
        plan["individual"] = self.individual_section(setting)
        plan["assessment"] = self.assessment_section()
        plan["risk_factors"] = self.risk_factors()
        plan["protective_factors"] = self.protective_factors()
        plan["controls"] = self.controls()
        plan["objectives"] = self.objectives()
        plan["options"] = self.options()
        self.plan_victims()  # actions protect victims, so victims are planned first
        plan["actions"] = self.actions()
        plan["scenarios"] = self.scenarios()
        plan["contingency"] = self.contingency()
        victims = self.victims_section()
        if victims:
            plan["victims"] = victims
        if self.disclosures_needed() or rng.random() < 0.3:
            plan["disclosures"] = self.disclosures()
        concerns = self.concerns()
        if concerns:
            plan["concerns"] = concerns
        plan["rationale"] = self.rationale()
        plan["agencies"] = []  # filled last, once every agency used is known
        plan["sharing"] = {}
        self.plan = plan
        self.cite_all_sources()
        self.finish()
        return plan

    def finish(self) -> None:
        """Agencies and sharing depend on everything else: (re)build them."""
        plan = self.plan
        agreed = d(self.agreed) if self.status != "draft" else None
        agencies = []
        for agency in self.agencies:
            entry = Flow(
                id=agency, name=AGENCY_NAMES[agency].format(area=self.area), role=AGENCY_ROLES[agency]
            )
            if agreed:
                entry["agreed"] = agreed
            agencies.append(entry)
        if len(agencies) > 2 and self.rng.random() < 0.1:
            agencies[-1]["dissent"] = "Would prefer a stricter curfew; accepts the panel's decision"
        plan["agencies"] = agencies
        distributed = []
        base = self.agreed if self.status != "draft" else self.created
        for agency in self.agencies[1:]:
            distributed.append(
                Flow(
                    to=agency,
                    date=d(base + self.rng.randint(0, 3)),
                    audience=self.rng.choice(["agencies", "agencies", "panel"]),
                )
            )
        plan["sharing"] = {
            "classification": self.rng.choice(["official-sensitive", "official-sensitive", "official"]),
            "distributed": distributed,
        }
        # reviews attendees must be listed agencies
        for review in plan["plan"]["reviews"]:
            review["attendees"] = FlowSeq(a for a in self.agencies[: self.rng.randint(1, len(self.agencies))])

    def plan_section(self) -> dict[str, Any]:
        rng = self.rng
        author = self.person()
        section: dict[str, Any] = {
            "id": f"RMP-{self.number:05d}",
            "type": rng.choices(["initial", "review", "transfer"], weights=[30, 60, 10])[0],
            "status": self.status,
            "strategy": f"{self.area.lower().replace(' ', '-')}-2026",
            "lead": "probation",
            "author": Flow(name=author, role=rng.choice(["Probation Practitioner", "Probation Officer"])),
            "created": d(self.created),
        }
        if self.status != "draft":
            section["agreed"] = d(self.agreed)
        section["review"] = {
            "last": d(self.review_last),
            "next": d(self.review_next),
            "triggers": FlowSeq(rng.sample(TRIGGERS, rng.randint(2, 4))),
        }
        # the meeting that agreed the plan, reviews since, the last one on review.last
        dates = sorted(
            {self.agreed, self.review_last}
            | {rng.randint(self.agreed, self.review_last) for _ in range(rng.randint(0, 2))}
        )
        reviews = []
        for when in dates:
            kind = (
                rng.choice(["mappa-meeting", "case-conference", "supervision-review"])
                if self.mappa
                else rng.choice(["case-conference", "supervision-review", "other"])
            )
            review = Flow(
                date=d(when), kind=kind, attendees=FlowSeq(["probation"]), outcome=rng.choice(REVIEW_OUTCOMES)
            )
            if kind == "mappa-meeting":
                review["level_change"] = rng.choice(["none", "none", "up", "down"])
            reviews.append(review)
        section["reviews"] = reviews
        if LEVEL_RANK[self.overall] >= 2 or rng.random() < 0.5:
            signer = self.person()
            while signer == author:
                signer = self.person()
            section["signoff"] = Flow(
                name=signer, role="Senior Probation Officer", date=d(min(self.agreed + rng.randint(0, 3), 0))
            )
        return section

    def individual_section(self, setting: str) -> dict[str, Any]:
        rng = self.rng
        first = rng.choice(FIRST_NAMES_M if self.male else FIRST_NAMES_F)
        self.sentence_type = "custody"
        if setting == "custody":
            sentence = Flow(
                type="custody",
                release=d(rng.randint(20, 200)),
                licence_end=d(self.sentence_end),
                sentence_end=d(self.sentence_end),
            )
        else:
            kind = rng.choices(
                ["licence", "community-order", "post-sentence-supervision", "suspended-sentence"],
                weights=[60, 25, 10, 5],
            )[0]
            sentence = Flow(type=kind)
            self.sentence_type = kind
            if kind == "licence":
                sentence["release"] = d(self.created - rng.randint(0, 30))
                sentence["licence_end"] = d(self.sentence_end)
            sentence["sentence_end"] = d(self.sentence_end)
        section: dict[str, Any] = {
            "ref": f"X{rng.randint(0, 999999):06d}",
            "name": f"{first} {rng.choice(LAST_NAMES)}",
            "date_of_birth": date(
                rng.randint(1962, 2003), rng.randint(1, 12), rng.randint(1, 28)
            ).isoformat(),
            "setting": setting,
            "sentence": sentence,
            "communication_needs": rng.choice(COMM_NEEDS),
            "responsivity": rng.choice(RESPONSIVITY),
            "explained": Flow(
                date=d(self.agreed - rng.randint(0, 5)), by="probation", how=rng.choice(HOW_EXPLAINED)
            ),
            "view": rng.choice(VIEWS),
            "agreement": rng.choice(["yes", "partly", "partly", "no"]),
        }
        return section

    def assessment_section(self) -> dict[str, Any]:
        rng = self.rng
        n_off = rng.randint(1, 4)
        offences = []
        self.domestic_abuse = False
        for i, (desc, cat, da) in enumerate(rng.sample(OFFENCES, n_off), 1):
            entry = Flow(id=f"OFF{i}", description=desc, date=d(-rng.randint(200, 3000)), category=cat)
            if da:
                entry["domestic_abuse"] = True
                self.domestic_abuse = True
            if i == 1:
                entry["index"] = True
            offences.append(entry)
        # sources: OASys first, always; police and children's checks for domestic abuse cases
        picks = [SOURCE_TEMPLATES[0]]
        if self.domestic_abuse:
            picks += [SOURCE_TEMPLATES[3], SOURCE_TEMPLATES[4]]
        others = [s for s in SOURCE_TEMPLATES[1:] if s not in picks]
        picks += rng.sample(others, rng.randint(1, 5))
        sources = []
        for i, (title, kind, reliability) in enumerate(picks, 1):
            stale_ok = kind in ("court", "record")
            when = -rng.randint(400, 1500) if stale_ok and rng.random() < 0.4 else -rng.randint(10, 300)
            entry = Flow(id=f"SRC{i}", title=title, kind=kind, date=d(when), reliability=reliability)
            if reliability == "hearsay":
                entry["corroborated_by"] = FlowSeq(["SRC1"])
                entry["confidential"] = True
            sources.append(entry)
        self.sources = sources
        self.reliable_sources = [s["id"] for s in sources if s["reliability"] != "hearsay"]
        tools = []
        for name, version in rng.sample(TOOLS, rng.randint(1, 4)):
            tool = Flow(name=name)
            if version:
                tool["version"] = version
            if name == "RSR":
                score = round(rng.uniform(0.5, 12.0), 2)
                band = "low" if score < 3 else "medium" if score < 6.9 else "high"
                tool["score"] = f"{score}%" if rng.random() < 0.5 else score
            elif name in ("SARA", "HCR-20", "SAPROF", "OSP/DC", "OSP/IIC"):
                band = rng.choice(["low", "medium", "high"])
            else:
                tool["score"] = f"{rng.randint(5, 90)}%"
                band = rng.choice(["low", "medium", "high", "very-high"])
            tool["band"] = band
            tool["date"] = d(-rng.randint(10, 300))
            tool["source"] = "SRC1"
            tools.append(tool)
        section: dict[str, Any] = {
            "who_at_risk": self.text(
                1,
                2,
                [
                    "Current and former female partners.",
                    "His two children when present at incidents.",
                    "Members of the public in the night-time economy.",
                    "Staff who challenge him.",
                    "Children in any household he joins.",
                    "Known associates involved in drug supply.",
                ],
            ),
            "summary": Folded(self.text(2, 6)) if self.rng.random() < 0.5 else self.text(2, 4),
            "when_greatest": self.text(
                1,
                2,
                [
                    "On contact with V1, at weekends when drinking, and when a relationship ends.",
                    "In the first weeks after release, before accommodation is settled.",
                    "When he is using drugs and owes money.",
                    "At night in the town centre.",
                    "When he feels rejected or disrespected.",
                    "When medication is stopped.",
                ],
            ),
            "previous_convictions": rng.randint(0, 35),
            "offences": offences,
            "tools": tools,
            "rosh": self.rosh,
            "overall_rosh": self.overall,
        }
        if rng.random() < 0.8:
            yn = ["no", "no", "yes", "dont-know"]
            section["risk_to_self"] = Flow(
                suicide=rng.choice(yn),
                self_harm=rng.choice(yn),
                custody_coping=rng.choice(yn),
                hostel_coping=rng.choice(yn),
                vulnerability=rng.choice(yn),
                note=rng.choice(
                    [
                        "Self-harm after previous break-up",
                        "No current concerns reported",
                        "ACCT opened in custody last year; closed",
                    ]
                ),
            )
        if self.mappa:
            section["mappa"] = self.mappa
        section["sources"] = sources
        return section

    def evidence(self) -> FlowSeq:
        ids = [self.rng.choice(self.reliable_sources)]
        for s in self.rng.sample(self.sources, self.rng.randint(0, min(2, len(self.sources)))):
            if s["id"] not in ids:
                ids.append(s["id"])
        return FlowSeq(ids)

    def risk_factors(self) -> list[dict[str, Any]]:
        rng = self.rng
        n = rng.choices(range(2, 9), weights=[16, 22, 20, 14, 11, 9, 8])[0]
        domains = rng.sample(list(DOMAINS), n)
        self.rf: list[tuple[str, str, int]] = []
        items = []
        for i, domain in enumerate(domains, 1):
            spec = DOMAINS[domain]
            priority = 1 if i == 1 else rng.choice([1, 2, 2, 3, 3, 4])
            agrees = rng.choice(["yes", "partly", "partly", "no", "could-not-answer"])
            if rng.random() < 0.015:
                agrees = "not-discussed"  # RMP205 warning: clean-ish, as real plans are
            item = {
                "id": f"RF{i}",
                "title": rng.choice(spec["titles"]),
                "domain": domain,
                "priority": priority,
                "evidence": self.evidence(),
                "triggers": FlowSeq(
                    rng.sample(spec["triggers"], rng.randint(1, min(3, len(spec["triggers"]))))
                ),
                "warning_signs": FlowSeq(
                    rng.sample(spec["signs"], rng.randint(1, min(3, len(spec["signs"]))))
                ),
                "individual_agrees": agrees,
            }
            if rng.random() < 0.15:
                item = Flow(item)
            items.append(item)
            self.rf.append((f"RF{i}", domain, priority))
        return items

    def protective_factors(self) -> list[Flow]:
        rng = self.rng
        self.pf = []
        items = []
        for i, title in enumerate(rng.sample(list(PROTECTIVE), rng.randint(1, 4)), 1):
            strengthen = rng.random() < 0.5
            items.append(Flow(id=f"PF{i}", title=title, evidence=self.evidence(), strengthen=strengthen))
            self.pf.append((f"PF{i}", title, strengthen))
        return items

    def controls(self) -> list[Any]:
        rng = self.rng
        items: list[Any] = []
        rf_ids = [r[0] for r in self.rf]
        # the sentence decides which conditions exist: licence or community order, not both
        own = "community-order" if self.sentence_type == "community-order" else "licence"
        external_bases = [
            own,
            own,
            "restraining-order",
            "non-molestation-order",
            "shpo",
            "notification",
            "mappa",
        ]
        n_ext = rng.randint(1, 3)
        high_community = self.current == "community" and self.overall == "very-high"
        self.controls_ids = []
        for i in range(1, n_ext + 1):
            basis = rng.choice(external_bases)
            if i == 1 and high_community:
                basis = rng.choice(["restraining-order", "mappa", "notification", "shpo"])
            enforcer = (
                "police"
                if basis in ("restraining-order", "non-molestation-order", "shpo", "notification")
                else "probation"
            )
            self.use_agency(enforcer)
            item = {
                "id": f"C{i}",
                "kind": "external",
                "basis": basis,
                "title": rng.choice(
                    [
                        "No contact with V1; exclusion zone around her home",
                        "Curfew at the approved address from 9pm to 7am",
                        "Reside at the approved address and notify any change",
                        "Disclose any new intimate relationship within seven days",
                        "No unsupervised contact with children under 18",
                        "Do not enter the town-centre licensed premises zone",
                        "Declare all internet-enabled devices and allow inspection",
                        "Attend all appointments with the supervising officer",
                    ]
                ),
                "addresses": FlowSeq(rng.sample(rf_ids, rng.randint(1, min(2, len(rf_ids))))),
                "enforced_by": enforcer,
                "on_breach": {
                    "licence": "recall",
                    "community-order": "breach-proceedings",
                    "mappa": "review",
                }.get(basis, "arrest"),
            }
            if rng.random() < 0.3:
                item["monitoring"] = rng.choice(["gps", "curfew", "alcohol"])
            item["until"] = d(self.sentence_end + rng.choice([0, 0, 30, 365]))
            item["necessity"] = rng.choice(
                [
                    "V1 has been assaulted twice at home; contact precedes every incident.",
                    "Offending has happened at night; the curfew limits access to the town centre.",
                    "Previous offences involved children he met through new partners.",
                    "He has entered the victim's area twice before; GPS makes the zone checkable.",
                    "The order was made by the court and reflects the victim's stated fears.",
                    "Online offending used undeclared devices; inspection is the only check available.",
                ]
            )
            items.append(item)
            self.controls_ids.append(f"C{i}")
        for j in range(n_ext + 1, n_ext + 1 + rng.randint(0, 2)):
            items.append(
                Flow(
                    id=f"C{j}",
                    kind="internal",
                    title=rng.choice(
                        [
                            "Uses time-out plan when angry",
                            "Avoids pubs in the town centre at weekends",
                            "Keeps a drinking diary shared at supervision",
                            "Tells his sister when he feels low",
                        ]
                    ),
                    addresses=FlowSeq([rng.choice(rf_ids)]),
                )
            )
            self.controls_ids.append(f"C{j}")
        return items

    def objectives(self) -> list[Flow]:
        rng = self.rng
        domain_of = {r[0]: r[1] for r in self.rf}
        priority_one = [r[0] for r in self.rf if r[2] == 1]
        others = [r[0] for r in self.rf if r[2] != 1]
        items = []
        targets = list(priority_one)
        if others:
            targets += rng.sample(others, rng.randint(0, min(2, len(others))))
        for i, rf in enumerate(targets, 1):
            addresses = [rf]
            if others and rng.random() < 0.3:
                extra = rng.choice(others)
                if extra not in addresses:
                    addresses.append(extra)
            agreed_by = ["individual", "probation"] if rng.random() < 0.85 else ["probation"]
            items.append(
                Flow(
                    id=f"OBJ{i}",
                    title=rng.choice(OBJECTIVE_TITLES[domain_of[rf]]),
                    addresses=FlowSeq(addresses),
                    agreed_by=FlowSeq(agreed_by),
                )
            )
        self.objectives_ids = [o["id"] for o in items]
        return items

    def options(self) -> list[Flow]:
        rng = self.rng
        picks = rng.sample(OPTION_TITLES, rng.randint(2, 4))
        items = []
        for i, (title, reason) in enumerate(picks, 1):
            decision = (
                "chosen"
                if i == 1
                else "rejected"
                if i == 2
                else rng.choice(["chosen", "rejected", "deferred"])
            )
            items.append(Flow(id=f"OPT{i}", title=title, decision=decision, reason=reason))
        return items

    def actions(self) -> list[Any]:
        rng = self.rng
        actions: list[dict[str, Any]] = []
        self.victim_safety_actions: list[str] = []

        def add(
            pillar: str,
            title: str,
            addresses: list[str],
            owner: Flow,
            measure: str,
            specialist: bool = False,
            may_stall: bool = False,
        ) -> dict[str, Any]:
            aid = f"A{len(actions) + 1}"
            action: dict[str, Any] = {
                "id": aid,
                "pillar": pillar,
                "title": title,
                "addresses": FlowSeq(addresses),
                "owner": owner,
            }
            start = self.created + rng.randint(0, 40)
            action["start"] = d(start)
            kind = rng.random()
            status = rng.choices(["in-progress", "planned", "done"], weights=[60, 25, 15])[0]
            if pillar in ("supervision", "monitoring-control") or kind < 0.3:
                freq = rng.choice(["weekly", "fortnightly", "monthly"])
                if pillar == "supervision":
                    freq = {
                        "very-high": rng.choice(["weekly", "twice-weekly"]),
                        "high": rng.choice(["weekly", "fortnightly"]),
                        "medium": rng.choice(["weekly", "fortnightly", "monthly"]),
                        "low": rng.choice(["fortnightly", "monthly"]),
                    }[self.current_level]
                action["frequency"] = freq
                if status == "done":
                    status = "in-progress"
            if "frequency" not in action or kind < 0.15:
                if status == "done" and start + 7 <= -1:
                    due = rng.randint(start + 7, -1)  # done, so not overdue
                else:
                    if status == "done":
                        status = "in-progress"
                    due = max(start, 0) + rng.randint(7, 300)
                action["due"] = d(due)
            action["measure"] = measure
            # only extra actions stall, so that no pillar, victim or factor loses its only action
            if may_stall and rng.random() < 0.06:
                # a blocked action past its due date would be overdue: cancel it instead
                overdue = "due" in action and action["due"] <= TODAY.isoformat()
                status = "cancelled" if overdue or rng.random() < 0.6 else "blocked"
                action["status"] = status
                action["status_note"] = rng.choice(
                    [
                        "Service waiting list closed until the new year; alternative being sought",
                        "Circumstances changed: he moved out of the area covered by the service",
                        "Cancelled after the court varied the order",
                    ]
                )
            else:
                action["status"] = status
            if specialist:
                action["specialist"] = True
            actions.append(action)
            return action

        vs = [v for v in self.victim_plan]
        # one action per pillar first
        add(
            "supervision",
            rng.choice(
                [
                    "Weekly supervision, including an unannounced home visit each month",
                    "Structured supervision sessions with the practitioner",
                    "Supervision appointments at the probation office and home visits",
                    "Joint supervision with the approved premises key worker",
                ]
            ),
            [self.rf[0][0]] + ([self.rf[1][0]] if len(self.rf) > 1 else []),
            self.owner("probation", rng.random() < 0.3),
            rng.choice(
                [
                    "Attendance recorded; no unexplained absence; home visit notes on file",
                    "Every appointment kept or a verified reason given the same day",
                    "Session notes record progress against each objective",
                ]
            ),
        )
        monitor_agency = "police" if "police" in self.agencies or rng.random() < 0.5 else "probation"
        add(
            "monitoring-control",
            rng.choice(
                [
                    "Police offender manager home visits and intelligence checks",
                    "Review GPS tag data against the exclusion zone",
                    "Monthly police check of call-outs and intelligence",
                    "Check internet-enabled devices at each home visit",
                    "Curfew compliance reviewed with the monitoring provider",
                ]
            ),
            [rng.choice(self.rf)[0]],
            self.owner(monitor_agency),
            rng.choice(
                [
                    "Data reviewed weekly; no entry to the exclusion zone recorded",
                    "Check completed each month and result recorded on the case file",
                    "Visit record shared within two working days of each visit",
                ]
            ),
        )
        # every risk factor gets at least one intervention; specialist domains a specialist one
        for rf_id, domain, _priority in self.rf:
            interventions = [a for a in actions if a["pillar"] == "interventions"]
            if interventions and domain not in SPECIALIST_DOMAINS and rng.random() < 0.2:
                # one programme can serve two factors (e.g. thinking skills and attitudes)
                rng.choice(interventions)["addresses"].append(rf_id)
                continue
            title, measure, agency, specialist = rng.choice(DOMAINS[domain]["actions"])
            addresses = [rf_id]
            objs = [o for o in self.objectives_ids if rng.random() < 0.3]
            addresses += objs[:1]
            add(
                "interventions",
                self.fill(title),
                addresses,
                self.owner(agency, rng.random() < 0.2),
                self.fill(measure),
                specialist,
            )
        for pf_id, pf_title, strengthen in self.pf:
            if strengthen:
                title, measure, agency = PROTECTIVE[pf_title]
                add("interventions", title, [pf_id], self.owner(agency), measure)
        by_group: dict[str, str] = {}
        for victim in vs:
            group = victim["group"]
            if group not in by_group:
                title, measure, agencies = rng.choice(VICTIM_SAFETY[group])
                action = add(
                    "victim-safety", title, [self.rf[0][0]], self.owner(rng.choice(agencies)), measure
                )
                self.victim_safety_actions.append(action["id"])
                by_group[group] = action["id"]
            victim["action"] = by_group[group]
        # top up with more varied actions, at most 20 in all
        n_target = min(20, len(actions) + rng.choice([0, 0, 1, 2, 3, 4, 6, 9]))
        while len(actions) < n_target:
            pillar = rng.choice(["supervision", "monitoring-control", "interventions", "interventions"])
            rf_id, domain, _ = rng.choice(self.rf)
            if pillar == "interventions":
                title, measure, agency, specialist = rng.choice(DOMAINS[domain]["actions"])
                add(
                    pillar,
                    self.fill(title),
                    [rf_id],
                    self.owner(agency),
                    self.fill(measure),
                    specialist,
                    may_stall=True,
                )
            elif pillar == "supervision":
                add(
                    pillar,
                    rng.choice(
                        [
                            "Three-way meeting with the hostel key worker each month",
                            "Review the relapse prevention plan at supervision",
                            "Unannounced home visits between appointments",
                        ]
                    ),
                    [rf_id],
                    self.owner("probation"),
                    rng.choice(
                        [
                            "Meeting notes on file each month",
                            "Plan reviewed and updated monthly",
                            "Visit recorded with observations of the home",
                        ]
                    ),
                )
            else:
                add(
                    pillar,
                    rng.choice(
                        [
                            "Drug testing on licence",
                            "Police check for call-outs at new address",
                            "Check compliance with the curfew with the provider",
                            "Polygraph examination where lawful",
                        ]
                    ),
                    [rf_id],
                    self.owner(rng.choice(["probation", "police"])),
                    rng.choice(
                        [
                            "Test results recorded; any positive test discussed within a week",
                            "Result recorded on the case file within two working days",
                            "Compliance report received each month",
                        ]
                    ),
                )
        self.actions_list = actions
        out: list[Any] = []
        for action in actions:
            out.append(Flow(action) if rng.random() < 0.1 else action)
        return out

    # victims are decided before actions (actions protect them), rendered later
    def plan_victims(self) -> None:
        rng = self.rng
        victims = []
        needed = [
            g
            for g in GROUPS
            if LEVEL_RANK[self.rosh[g].get(self.current, "low")] >= 1
            or (g == "children" and LEVEL_RANK[max(self.rosh[g].values(), key=LEVEL_RANK.get)] >= 1)
        ]
        if not needed:
            needed = ["known_adult"]  # who_at_risk always names someone
        for group in needed:
            victims.append({"group": group})
        if "known_adult" in needed and rng.random() < 0.4:
            victims.append({"group": "known_adult", "potential": True})
        self.victim_plan = victims
        if any(v["group"] == "children" for v in victims):
            self.use_agency("childrens-services")

    def victims_section(self) -> list[Any]:
        rng = self.rng
        items: list[Any] = []
        for i, victim in enumerate(self.victim_plan, 1):
            group = victim["group"]
            potential = victim.get(
                "potential", group in ("public", "staff", "prisoners") or rng.random() < 0.2
            )
            protected_by = [victim["action"]]
            if self.controls_ids and rng.random() < 0.6:
                protected_by.insert(0, rng.choice(self.controls_ids))
            item: dict[str, Any] = {
                "id": f"V{i}",
                "description": rng.choice(VICTIM_GROUP_TEXT[group]),
                "group": group,
                "potential": potential,
                "protected_by": FlowSeq(protected_by),
            }
            if group == "known_adult" and not potential:
                eligible = rng.random() < 0.6
                item["vcs_eligible"] = eligible
                if eligible:
                    item["vlo"] = True
                item["views"] = rng.choice(VICTIM_VIEWS)
                item["marac"] = rng.random() < 0.5
                item["confidential"] = True
            if group == "children":
                item["child_status"] = rng.choice(
                    ["cp-plan", "child-in-need", "looked-after", "none", "unknown"]
                )
                item["confidential"] = True
            items.append(Flow(item) if rng.random() < 0.5 else item)
        return items

    def scenarios(self) -> list[Any]:
        rng = self.rng
        types = ["repeat", "escalation"]
        types += rng.sample(["twist", "improvement", "repeat"], rng.randint(0, 3))
        self.scenario_count = len(types)
        items: list[Any] = []
        for i, kind in enumerate(types, 1):
            description = {
                "repeat": "Resumes contact with V1 after drinking; assault in her home at a weekend.",
                "escalation": "Serious injury to a partner during an argument after a relationship ends.",
                "twist": "Violence towards a new partner's family member who challenges him.",
                "improvement": "Keeps his job and tenancy, completes treatment and has no new allegations.",
            }[kind]
            item: dict[str, Any] = {"id": f"SC{i}", "type": kind, "description": description}
            if rng.random() < 0.3:
                item["context"] = self.text(1, 2)
                item["who"] = rng.choice(
                    [
                        "Ex-partner or a new partner",
                        "Strangers in the town centre",
                        "Staff at the hostel",
                        "Children in the household",
                    ]
                )
                item["when"] = rng.choice(
                    ["Weekend evenings", "Within weeks of release", "After a court hearing"]
                )
                item["how"] = rng.choice(
                    [
                        "Punching and kicking",
                        "Threats by message followed by a visit",
                        "Use of a bladed article",
                    ]
                )
                item["why"] = rng.choice(
                    [
                        "Jealousy and loss of control",
                        "Debt and pressure from associates",
                        "Feeling rejected and humiliated",
                    ]
                )
            item["likelihood"] = rng.choice(["low", "medium", "high"])
            item["warning_signs"] = FlowSeq(
                rng.sample(
                    [
                        "Reports of contact",
                        "Missed appointments",
                        "Smelling of alcohol",
                        "New relationship not disclosed",
                        "Changing phone number",
                        "Late returns to the hostel",
                    ],
                    rng.randint(1, 3),
                )
            )
            item["response"] = FlowSeq(
                ["CT1"] + ([f"A{rng.randint(1, len(self.actions_list))}"] if rng.random() < 0.5 else [])
            )
            items.append(item)
        return items

    def contingency(self) -> list[Flow]:
        rng = self.rng
        items = []
        for i, (when, then) in enumerate(rng.sample(CONTINGENCY, rng.randint(2, 6)), 1):
            agency = "police" if "police" in self.agencies and rng.random() < 0.3 else "probation"
            items.append(
                Flow(
                    id=f"CT{i}",
                    when=when,
                    then=then,
                    owner=self.owner(agency),
                    within_hours=rng.choice([2, 4, 24, 24, 48, 72]),
                )
            )
        return items

    def disclosures_needed(self) -> bool:
        return bool(self.mappa and self.mappa["level"] >= 2)

    def disclosures(self) -> list[Flow]:
        rng = self.rng
        items = []
        for i, (scheme, reason) in enumerate(rng.sample(DISCLOSURE_REASONS, rng.randint(1, 2)), 1):
            by = "police" if scheme in ("dvds", "csods") else "probation"
            self.use_agency(by)
            items.append(
                Flow(
                    id=f"DS{i}",
                    scheme=scheme,
                    decided=d(self.review_last - rng.randint(0, 20)),
                    decision=rng.choice(["disclose", "disclose", "not-disclose", "deferred"]),
                    by=by,
                    reason=reason,
                )
            )
        return items

    def concerns(self) -> list[Flow]:
        rng = self.rng
        items = []
        for i in range(1, rng.randint(0, 3) + 1):
            identified = rng.randint(max(self.created, self.review_last - 120), self.review_last)
            to = [a for a in self.agencies[1:] if rng.random() < 0.6] or ["probation"]
            items.append(
                Flow(
                    id=f"CN{i}",
                    identified=d(identified),
                    communicated=d(identified + rng.choice([0, 0, 0, 1])),
                    to=FlowSeq(to[:2]),
                    how=rng.choice(["phone", "email", "meeting", "referral"]),
                    summary=rng.choice(CONCERNS),
                    confidential=rng.random() < 0.5,
                )
            )
        return items

    def rationale(self) -> Literal:
        rng = self.rng
        paragraphs = [
            self.sentences(RATIONALE_SENTENCES + RATIONALE_EXTRA, "rationale", rng.randint(3, 5))
            for _ in range(rng.randint(1, 2))
        ]
        while sum(len(p.split()) for p in paragraphs) < 50:  # the default policy asks for 40 words
            paragraphs[-1] += " " + self.sentences(SENTENCES, "narrative", 1)
        return Literal("\n\n".join(paragraphs))

    def cite_all_sources(self) -> None:
        cited = set()
        for rf in self.plan["risk_factors"]:
            cited.update(rf["evidence"])
        for pf in self.plan["protective_factors"]:
            cited.update(pf["evidence"])
        for tool in self.plan["assessment"]["tools"]:
            cited.add(tool["source"])
        for source in self.sources:
            if source["id"] not in cited:
                self.rng.choice(self.plan["risk_factors"])["evidence"].append(source["id"])

    # --- padding: grow the plan towards a target size with more of what plans hold --------
    def fresh(self, pool: list[str], name: str, **extra: str) -> str | None:
        """The next unused sentence of a pool (shuffled once per plan), or None when used up."""
        queue = self.pools.get(name)
        if queue is None:
            queue = self.pools[name] = self.rng.sample(pool, len(pool))
        while queue:
            sentence = queue.pop().format(**self.ctx, **extra)
            if sentence not in self.used:
                self.used.add(sentence)
                return sentence
        return None

    def sentences(self, pool: list[str], name: str, n: int) -> str:
        rf2 = self.rng.choice(self.rf)[0]
        picked = [s for s in (self.fresh(pool, name, rf1=self.rf[0][0], rf2=rf2) for _ in range(n)) if s]
        return " ".join(picked)

    def grow(self, step: int) -> tuple[str, int]:
        """Add one piece of content; return the section changed and roughly how many bytes."""
        rng = self.rng
        plan = self.plan
        choice = step % 7
        if choice == 1:
            added = self.sentences(SENTENCES, "narrative", rng.randint(2, 3))
            if added:
                plan["assessment"]["summary"] = Folded(plan["assessment"]["summary"] + " " + added)
                return "assessment", len(added) + len(added) // 25
        elif choice == 2:
            added = self.sentences(SENTENCES, "narrative", rng.randint(1, 2))
            if added:
                scenario = rng.choice(plan["scenarios"])
                before = scenario.get("context")
                scenario["context"] = f"{before} {added}" if before else added
                return "scenarios", len(added) + (1 if before else 14)
        elif choice == 3:
            rf = rng.choice(plan["risk_factors"])
            signs = [
                s for s in DOMAINS[rf["domain"]]["signs"] + GENERIC_SIGNS if s not in rf["warning_signs"]
            ]
            if signs:
                sign = rng.choice(signs)
                rf["warning_signs"].append(sign)
                return "risk_factors", len(sign) + 2
        elif choice == 4:
            added = self.sentences(VIEW_SENTENCES, "view", 1)
            if added:
                plan["individual"]["view"] += " " + added
                return "individual", len(added) + 1
        elif choice == 5:
            reviews = plan["plan"]["reviews"]
            if len(reviews) < 6 and self.review_last - self.agreed > len(reviews) * 7:
                when = rng.randint(self.agreed + 1, self.review_last - 1)
                if d(when) not in [r["date"] for r in reviews]:
                    review = Flow(
                        date=d(when),
                        kind=rng.choice(["case-conference", "supervision-review"]),
                        attendees=FlowSeq(self.agencies[: rng.randint(1, len(self.agencies))]),
                        outcome=rng.choice(REVIEW_OUTCOMES),
                    )
                    reviews.append(review)
                    reviews.sort(key=lambda r: r["date"])
                    return "plan", len(one_line(review)) + 12
        elif choice == 6:
            used = {c["when"] for c in plan["contingency"]}
            spare = [c for c in CONTINGENCY if c[0] not in used]
            if spare:
                when, then = rng.choice(spare)
                agency = "police" if "police" in self.agencies and rng.random() < 0.3 else "probation"
                item = Flow(
                    id=f"CT{len(plan['contingency']) + 1}",
                    when=when,
                    then=then,
                    owner=self.owner(agency),
                    within_hours=rng.choice([4, 24, 48]),
                )
                plan["contingency"].append(item)
                return "contingency", len(one_line(item)) + 12
        # the rationale takes whatever the others could not
        added = self.sentences(
            RATIONALE_SENTENCES + RATIONALE_EXTRA, "rationale", rng.randint(3, 5)
        ) or self.sentences(SENTENCES, "narrative", 3)
        if not added:
            return "rationale", 0
        plan["rationale"] = Literal(plan["rationale"] + "\n\n" + added)
        return "rationale", len(added) + len(added) // 25 + 2


# --------------------------------------------------------------------------------------------
# Deliberate faults.

FAULTS = ["RMP201", "RMP301", "RMP403", "RMP102", "RMP103", "RMP101"]


def inject_faults(builder: PlanBuilder, rng: random.Random) -> list[str]:
    plan = builder.plan
    chosen = rng.sample(FAULTS, rng.choices([1, 2, 3], weights=[60, 30, 10])[0])
    if "RMP101" in chosen:
        # a schema error stops the completeness rules for that file, so it stands alone
        chosen = ["RMP101"]
    for fault in chosen:
        if fault == "RMP201":  # a risk factor no action addresses
            target = rng.choice([r[0] for r in builder.rf[1:]])
            for action in plan["actions"]:
                addresses = action["addresses"]
                if target in addresses:
                    addresses.remove(target)
                    if not addresses:
                        addresses.append("RF1")
        elif fault == "RMP301":  # an action without an owner
            action = rng.choice(plan["actions"])
            del action["owner"]
        elif fault == "RMP403":  # an overdue action
            action = rng.choice(plan["actions"])
            due = -rng.randint(5, 60)
            action["start"] = d(due - rng.randint(20, 90))
            action["due"] = d(due)
            action["status"] = rng.choice(["in-progress", "planned"])
            action.pop("status_note", None)
        elif fault == "RMP102":  # two items share an ID (items nothing refers to)
            section = rng.choice(["options", "concerns", "offences"])
            items = plan["assessment"]["offences"] if section == "offences" else plan.get(section, [])
            if len(items) < 2:
                items = plan["options"]
            items[-1]["id"] = items[0]["id"]
        elif fault == "RMP103":  # a reference to a missing item
            where = rng.choice(["action", "victim", "scenario", "evidence"])
            if where == "action":
                # IDs well past the last item: padding may add items later, never 40 of them
                rng.choice(plan["actions"])["addresses"].append(f"RF{len(plan['risk_factors']) + 40}")
            elif where == "victim" and plan.get("victims"):
                rng.choice(plan["victims"])["protected_by"].append(f"A{len(plan['actions']) + 40}")
            elif where == "scenario":
                rng.choice(plan["scenarios"])["response"].append(f"CT{len(plan['contingency']) + 40}")
            else:
                rng.choice(plan["risk_factors"])["evidence"].append(f"SRC{len(builder.sources) + 40}")
        else:  # RMP101: an unknown key (not x-)
            target, key, value = rng.choice(
                [
                    (plan["plan"], "risk_level", "high"),
                    (rng.choice(plan["actions"]), "notes", "Discussed at supervision"),
                    (rng.choice(plan["risk_factors"]), "severity", "serious"),
                    (plan["individual"], "nickname", "Jay"),
                    (rng.choice(plan["contingency"]), "deadline_hours", 24),
                    (plan["assessment"], "risk_sumary", "Typo of a field name; not a known key"),
                ]
            )
            target[key] = value
    return sorted(chosen)


# --------------------------------------------------------------------------------------------

SECTION_ORDER = [
    "format",
    "plan",
    "individual",
    "assessment",
    "risk_factors",
    "protective_factors",
    "controls",
    "objectives",
    "options",
    "actions",
    "scenarios",
    "contingency",
    "victims",
    "disclosures",
    "agencies",
    "concerns",
    "rationale",
    "sharing",
]


def make_plan(seed: int, number: int) -> tuple[str, list[str]]:
    """Return (YAML text, expected fault codes) for plan `number` of the corpus `seed`."""
    faulty = random.Random(f"{seed}:{number}:faulty").random() < FAULT_SHARE
    for attempt in range(20):
        # a plan whose base content is already over the size limit is drawn again
        rng = random.Random(f"{seed}:{number}:{attempt}")
        result = render_plan(rng, number, faulty)
        if result is not None:
            return result
    raise RuntimeError(f"could not draw plan {number} within {MAX_BYTES} bytes")


def render_plan(rng: random.Random, number: int, faulty: bool) -> tuple[str, list[str]] | None:
    builder = PlanBuilder(rng, number)
    plan = builder.build()
    faults = inject_faults(builder, rng) if faulty else []
    comments = rng.random() < 0.4
    header = HEADER + (
        "# yaml-language-server: $schema=../schemas/plan.schema.json\n" if rng.random() < 0.3 else ""
    )
    parts: dict[str, str] = {}
    for key in SECTION_ORDER:
        if key in plan:
            parts[key] = render_section(key, plan[key], comments)
    target = int(rng.triangular(MIN_BYTES + 300, MAX_BYTES - 300, MIN_BYTES + 2000))
    size = len(header.encode()) + sum(len(p.encode()) for p in parts.values())
    if size > MAX_BYTES - 200:
        return None
    step = 0
    changed: set[str] = set()
    while size < target and step < 400:
        # sizes are estimated while growing; changed sections are rendered again at the end
        key, added = builder.grow(step)
        changed.add(key)
        size += added
        step += 1
    for key in changed:
        parts[key] = render_section(key, plan[key], comments)
    text = header + "".join(parts[k] for k in SECTION_ORDER if k in parts)
    text = text.rstrip("\n") + "\n"
    if not MIN_BYTES <= len(text.encode()) <= MAX_BYTES:
        return None
    return text, faults


def _write_range(job: tuple[str, int, int, int]) -> tuple[int, dict[str, list[str]]]:
    outdir, seed, first, last = job
    total = 0
    faulty: dict[str, list[str]] = {}
    for number in range(first, last + 1):
        text, faults = make_plan(seed, number)
        name = f"plan-{number:05d}.yaml"
        data = text.encode("utf-8")
        total += len(data)
        with open(os.path.join(outdir, name), "wb") as handle:
            handle.write(data)
        if faults:
            faulty[name] = faults
    return total, faulty


def generate(outdir: str, count: int, seed: int = 1, jobs: int | None = None) -> dict[str, Any]:
    """Write the corpus; return the manifest written to OUTDIR/.corpus.json.

    Each file depends only on (seed, number), so the work is split into ranges and, for large
    counts, spread over processes; the output is the same either way.
    """
    os.makedirs(outdir, exist_ok=True)
    chunk = 250
    ranges = [(outdir, seed, first, min(first + chunk - 1, count)) for first in range(1, count + 1, chunk)]
    jobs = jobs or min(os.cpu_count() or 1, len(ranges))
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_write_range, ranges)
    else:
        results = [_write_range(r) for r in ranges]
    faulty: dict[str, list[str]] = {}
    total_bytes = 0
    for size, part in results:
        total_bytes += size
        faulty.update(part)
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "count": count,
        "seed": seed,
        "today": TODAY.isoformat(),
        "total_bytes": total_bytes,
        "faulty_count": len(faulty),
        "faulty": dict(sorted(faulty.items())),
    }
    with open(os.path.join(outdir, ".corpus.json"), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="worker processes (default: one per CPU; the output is the same)",
    )
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    started = time.perf_counter()
    manifest = generate(args.outdir, args.count, args.seed, args.jobs)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {args.count} plans ({manifest['total_bytes'] / 1e6:.1f} MB, "
        f"{manifest['faulty_count']} with deliberate faults) to {args.outdir} in {elapsed:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
