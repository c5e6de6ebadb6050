"""OASys's words and rmp's: field names of both API shapes, ratings, answers, headings.

One table per concept, read in both directions (import and export), so the two cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ORDS_RATINGS: dict[str, str] = {
    "Low": "low", "Medium": "medium", "High": "high", "Very High": "very-high"}
"""OASys's RoSH ratings as the ORDS documents spell them -> the rmp level."""
ARNS_LEVELS: dict[str, str] = {
    "LOW": "low", "MEDIUM": "medium", "HIGH": "high", "VERY_HIGH": "very-high"}
"""The ARNS service's level keys -> the rmp level."""
ARNS_GROUPS: dict[str, str] = {
    "Children": "children", "Public": "public", "Known Adult": "known_adult",
    "Staff": "staff", "Prisoners": "prisoners"}

ROSH_FIELDS: dict[str, tuple[str, str]] = {
    "riskChildrenCommunity": ("children", "community"),
    "riskChildrenCustody": ("children", "custody"),
    "riskPublicCommunity": ("public", "community"),
    "riskPublicCustody": ("public", "custody"),
    "riskKnownAdultCommunity": ("known_adult", "community"),
    "riskKnownAdultCustody": ("known_adult", "custody"),
    "riskStaffCommunity": ("staff", "community"),
    "riskStaffCustody": ("staff", "custody"),
    "riskPrisonersCustody": ("prisoners", "custody"),
}
"""The RoSH summary's grid (R10.6): ORDS field -> (rmp group, setting)."""

NARRATIVES: tuple[str, ...] = ("who_at_risk", "summary", "when_greatest", "increases", "reduces")
"""The five R10 narratives rmp keeps in `assessment`, in OASys order (R10.1-R10.5)."""
EXTRA_NARRATIVES: tuple[str, ...] = ("analysis", "strengths", "situations")
"""R10 texts with no field of their own in rmp/1: they go to the rationale, labelled."""

ORDS_NARRATIVES: dict[str, str] = {
    "whoAtRisk": "who_at_risk", "natureOfRisk": "summary", "riskGreatest": "when_greatest",
    "factorsLikelyToIncreaseRisk": "increases", "factorsLikelyToReduceRisk": "reduces",
    "factorsAnalysisOfRisk": "analysis", "factorsStrengthsAndProtective": "strengths",
    "factorsSituationsLikelyToOffend": "situations",
}
ARNS_NARRATIVES: dict[str, str] = {
    "whoIsAtRisk": "who_at_risk", "natureOfRisk": "summary", "riskImminence": "when_greatest",
    "riskIncreaseFactors": "increases", "riskMitigationFactors": "reduces",
    "analysisOfRiskFactors": "analysis",
}

ORDS_ANSWERS: dict[str, str | None] = {
    "Yes": "yes", "No": "no", "Don't know": "dont-know", "N/A": None}
"""Risk-to-self answers in the ORDS full RoSH; N/A (not applicable) is left unrecorded."""
ARNS_ANSWERS: dict[str, str] = {"YES": "yes", "NO": "no", "DK": "dont-know"}

RISK_TO_SELF = ("suicide", "self_harm", "custody_coping", "hostel_coping", "vulnerability")
ORDS_RISK_TO_SELF: dict[str, str] = {
    "currentConcernsRiskOfSuicide": "suicide", "currentConcernsRiskOfSelfHarm": "self_harm",
    "currentConcernsCustody": "custody_coping", "currentConcernsHostel": "hostel_coping",
    "currentConcernsVulnerability": "vulnerability",
}
ARNS_RISK_TO_SELF: dict[str, str] = {
    "suicide": "suicide", "selfHarm": "self_harm", "custody": "custody_coping",
    "hostelSetting": "hostel_coping", "vulnerability": "vulnerability"}
ARNS_CONCERN_KEYS = ("risk", "previous", "previousConcernsText", "current", "currentConcernsText")
ARNS_OTHER_RISKS: dict[str, str] = {
    "escapeOrAbscond": "Escape or abscond", "controlIssuesDisruptiveBehaviour":
    "Control issues or disruptive behaviour", "breachOfTrust": "Breach of trust",
    "riskToOtherPrisoners": "Risk to other prisoners"}

PILLAR_FIELDS: dict[str, str] = {
    "supervision": "supervision", "monitoringAndControl": "monitoring-control",
    "interventionsAndTreatment": "interventions", "victimSafetyPlanning": "victim-safety"}
"""The OASys RMP pillar headings -> rmp pillar."""
KEY_SPELLINGS = ("keyConsiderationsCurrentSituation", "keyInformationCurrentSituation")
"""ORDS spells the key considerations one way, ARNS's RMP document the other."""
ORDS_RMP: dict[str, str] = {
    **{spelling: "key" for spelling in KEY_SPELLINGS},
    "furtherConsiderationsCurrentSituation": "further",
    **PILLAR_FIELDS,
    "contingencyPlans": "contingency",
}

ASSESSMENT_META = (
    "assessmentPk", "assessmentType", "assessmentStatus", "dateCompleted", "initiationDate",
    "assessor", "superStatus")
LATER_FLAGS: dict[str, str] = {
    "laterWIPAssessmentExists": "a later assessment is in progress",
    "laterSignLockAssessmentExists": "a later assessment is signed and locked",
    "laterPartCompUnsignedAssessmentExists": "a later part-completed assessment is unsigned",
    "laterPartCompSignedAssessmentExists": "a later part-completed assessment is signed",
    "laterCompleteAssessmentExists": "a later complete assessment exists",
}
LATER_DATES = ("latestWIPDate", "latestSignLockDate", "latestPartCompUnsignedDate",
               "latestPartCompSignedDate", "latestCompleteDate")

HEADINGS: dict[str, str] = {
    "who_at_risk": "R10.1 Who is at risk",
    "summary": "R10.2 What is the nature of the risk",
    "when_greatest": "R10.3 When is the risk likely to be greatest",
    "increases": "R10.4 What circumstances are likely to increase the risk",
    "reduces": "R10.5 What factors are likely to reduce the risk",
    "key": "Key information about current situation",
    "further": "Further considerations",
    "supervision": "Supervision",
    "monitoring-control": "Monitoring and control",
    "interventions": "Interventions and treatment",
    "victim-safety": "Victim safety planning",
    "contingency": "Contingency plans",
}
EXTRA_LABELS: dict[str, str] = {
    "further": "Further considerations (OASys)",
    "analysis": "Analysis of risk factors (OASys R10)",
    "strengths": "Strengths and protective factors (OASys R10)",
    "situations": "Situations likely to lead to offending (OASys R10)",
    "other": "Other risks (OASys)",
}
"""Labels of the paragraphs the import adds to the rationale after the key considerations."""


@dataclass(frozen=True)
class Assessment:
    """The OASys assessment the imported facts come from."""

    pk: int | None
    kind: str | None
    status: str | None
    completed: date | None
    assessor: str | None


@dataclass
class Record:
    """What one or more OASys documents say about a case, in rmp's words (levels, groups,
    pillars); free text is kept exactly as written."""

    shape: str
    case_ref: str | None = None
    limited_access: bool = False
    assessment: Assessment | None = None
    rosh: dict[tuple[str, str], str] = field(default_factory=dict)
    overall: str | None = None
    narratives: dict[str, str] = field(default_factory=dict)
    risk_to_self: dict[str, str] = field(default_factory=dict)
    self_notes: dict[str, str] = field(default_factory=dict)
    other_risks: dict[str, str] = field(default_factory=dict)
    rmp: dict[str, str] = field(default_factory=dict)
    sections: set[str] = field(default_factory=set)
    """Which document kinds this record holds: rosh-summary, rosh-full, rmp."""
    notes: list[str] = field(default_factory=list)
