"""HF36 criteria and the rules that check them, and a plan's coverage of each criterion.

Titles are rmp's own short paraphrases; the standard's full wording is in the source
(`SfJ HF36`, Skills for Justice, 2010). P16 and K14 are absent from the source text and K17 is
cut short there: they are shown as such, not guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rmp.findings import Finding, Severity
from rmp.model.view import PlanView
from rmp.rules.catalogue import ALL_RULES
from rmp.rules.registry import Rule

PERFORMANCE: dict[str, str | None] = {
    "P1": "Review all relevant details: assessments, offences, risk of serious harm",
    "P2": "Explain the risk and protective factors clearly to the individual",
    "P3": "Identify triggers and the actions that address them",
    "P4": "Agree with the individual the areas of risk and the objectives",
    "P5": "Identify and record external and internal controls",
    "P6": "Identify and agree the protective factors to strengthen",
    "P7": "Justified, defensible analysis with a clear rationale",
    "P8": "Communicate real and particular concerns promptly",
    "P9": "Identify the agencies that should contribute",
    "P10": "Review risk factors by priority",
    "P11": "Agree risk factors and objectives with all relevant stakeholders",
    "P12": "Explore options for addressing the risk factors",
    "P13": "Identify realistic future situations; agree the way forward",
    "P14": "Agree defensible, measurable, achievable actions commensurate with the risk",
    "P15": "Determine where specialist assistance is needed and act on it",
    "P16": None,
    "P17": "Keep complete, accurate, up-to-date records",
    "P18": "Communicate the plan to stakeholders, keeping confidentiality",
    "P19": "Keep the plan in line with the organisation's strategy",
}
KNOWLEDGE: dict[str, str | None] = {
    "K1": "Legal and organisational requirements, incl. duties towards young people",
    "K2": "Human rights, data protection, health and safety, diversity",
    "K3": "Your organisation's role in public protection",
    "K4": "The principal public protection agencies and multi-agency arrangements",
    "K5": "The limits of your authority and what to do when they are exceeded",
    "K6": "Why plans matter, what they address and how to develop them",
    "K7": "Risk-led practice: specific descriptions of risk",
    "K8": "Approaches to risk assessment and their limits, incl. bias",
    "K9": "Sources of relevant information and how to access them",
    "K10": "Verifying and corroborating information",
    "K11": "Observed evidence, reliable sources and hearsay",
    "K12": "Prejudice versus opinion backed by evidence",
    "K13": "Key risk factors for serious offending",
    "K14": None,
    "K15": "Multi-agency arrangements and their actions",
    "K16": "Resettlement and reintegration strategies",
    "K17": "(cut short in the source) individuals, their roles and services",
    "K18": "The principal interventions and their relative merits",
    "K19": "Case registration and management procedures",
    "K20": "Factors affecting behaviour: physical, social, psychological, emotional",
    "K21": "The impact of crime on victims and their need for protection and information",
    "K22": "Safeguarding children and vulnerable people",
    "K23": "Information and protocols for resettlement planning",
    "K24": "Problems in resettlement and strategies for them",
    "K25": "Options for supervising and managing individuals in the community",
    "K26": "Styles and forms of communication, incl. non-verbal",
    "K27": "Barriers to communication and ways to overcome them",
    "K28": "Awareness of your own values and beliefs",
    "K29": "Limits of confidentiality and who is entitled to information",
}
ALL_CRITERIA: dict[str, str | None] = {**PERFORMANCE, **KNOWLEDGE}

JUDGEMENT = frozenset({
    "P2", "P3", "P4", "P6", "P7", "P8", "P11", "P12", "P13", "P14", "P15", "P18", "K8",
    "K10", "K11", "K12", "K21", "K22", "K29",
})
"""Criteria whose quality needs a person's judgement: rmp checks that a record exists
(an explanation given, a rationale written, an option weighed), not that it is good."""

# Which plan sections evidence which criteria (plan-format.md, the sections table).
SECTION_CRITERIA: dict[str, tuple[str, ...]] = {
    "plan": ("P17", "P19"),
    "individual": ("P2", "P4", "K1", "K2", "K26", "K27", "K28"),
    "assessment": ("P1", "K7", "K8", "K9", "K10", "K11", "K13"),
    "risk_factors": ("P3", "P4", "P10", "K13", "K20"),
    "protective_factors": ("P6",),
    "controls": ("P5", "K25"),
    "objectives": ("P4", "P11"),
    "options": ("P12", "P7"),
    "actions": ("P14", "P15", "K18"),
    "scenarios": ("P13",),
    "contingency": ("P13", "P8"),
    "victims": ("K21", "K22"),
    "disclosures": ("P18", "K29"),
    "agencies": ("P9", "P11", "K4", "K15", "K17"),
    "concerns": ("P8", "K29"),
    "rationale": ("P7", "K12"),
    "sharing": ("P18", "K29"),
    "waivers": ("P7",),
}


def rules_for(criterion: str) -> list[Rule]:
    return [rule for rule in ALL_RULES if criterion in rule.criteria]


REQUIRED_DATA: dict[str, tuple[str, str]] = {
    "K22": ("childrens-services-check",
            "a children's services check with a result (no-trace or information-held)"),
    "K9": ("police-check", "a police check with a result (no-trace or information-held)"),
}
"""Criteria that need a particular record besides their sections: the fact `filled_sections`
reports (as `+<fact>`) and what it is, in words. Without it the criterion is missing."""


@dataclass(frozen=True)
class Coverage:
    """One criterion for one plan."""

    criterion: str
    status: str
    """`evidenced`, `partly`, `missing`, `not-checked` or `absent-from-standard`."""
    sections: tuple[str, ...]
    findings: tuple[str, ...]
    """Codes of the unwaived findings at warning or error that stand against it."""
    needs: str | None = None
    """The record the criterion needs and the plan lacks (for `missing`)."""


STATUS_MEANINGS: tuple[tuple[str, str], ...] = (
    ("evidenced", "the plan holds what the criterion is about and no rule serving it fires "
                  "at warning or error"),
    ("partly", "the plan holds the data, but a rule serving the criterion fires at warning "
               "or error"),
    ("missing", "the plan holds no section (or record) that evidences it"),
    ("not-checked", "no section and no rule evidences it"),
    ("absent-from-standard", "P16 and K14 are absent from the source text"),
)


def coverage(sections: Iterable[str], findings: list[Finding]) -> list[Coverage]:
    """For one plan, given the top-level sections it fills in (and `+fact` records): each
    criterion evidenced (data there, no rule serving it fires at warning or error), partly
    (data there, a rule serving it fires), missing (no section or record that evidences it).
    Info findings and waived findings do not count against a criterion."""
    present = set(sections)
    against: dict[str, list[str]] = {}
    for finding in findings:
        if finding.waived or not finding.severity.at_least(Severity.WARNING):
            continue
        for criterion in finding.criteria:
            against.setdefault(criterion, []).append(finding.code)
    out: list[Coverage] = []
    for criterion, title in ALL_CRITERIA.items():
        sections = tuple(s for s, cs in SECTION_CRITERIA.items() if criterion in cs)
        required = REQUIRED_DATA.get(criterion)
        needs = None
        if title is None:
            status = "absent-from-standard"
        elif not sections and not rules_for(criterion):
            status = "not-checked"
        elif sections and not (set(sections) & present):
            status = "missing"
        elif required is not None and f"+{required[0]}" not in present:
            status, needs = "missing", required[1]
        elif against.get(criterion):
            status = "partly"
        else:
            status = "evidenced"
        out.append(Coverage(criterion, status, sections,
                            tuple(sorted(set(against.get(criterion, [])))), needs))
    return out


def filled_sections(view: PlanView) -> tuple[str, ...]:
    """The top-level sections a plan fills in (names only), and `+<kind>` for each check it
    records with a result: an extractor for `check_file`."""
    sections = tuple(key for key, value in view.data.items() if value not in (None, [], {}, ""))
    return sections + tuple(sorted(f"+{kind}" for kind in view.answered_checks
                                   if isinstance(kind, str)))
