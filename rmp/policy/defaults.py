"""The built-in policy: the documented default of every key of `rmp-policy/1`.

These are the values `rmp policy show` prints as `built-in` and that apply when no policy file
is found (docs/plan-format.md, "The policy file"). Every threshold a rule uses is a key here,
never a constant in a rule; `schemas/policy.schema.json` documents each key.
"""

from __future__ import annotations

from typing import Any

from rmp.io.gate import POLICY_FORMAT

# Paths every audience may see: the plan's identity and what it is for.
_CORE = ["format", "plan.id", "plan.type", "plan.status", "plan.review.next", "individual.ref"]

DEFAULTS: dict[str, Any] = {
    "format": POLICY_FORMAT,
    "strategies": [],
    "review_interval_days": {
        "rosh": {"very-high": 56, "high": 112, "medium": 182, "low": 365},
        "mappa_level": {"3": 56, "2": 112},
    },
    "signoff_from": "high",
    "concern_within_hours": 24,
    "min_contact": {"very-high": "weekly", "high": "fortnightly"},
    "evidence_max_age_days": 365,
    "required_agencies": [
        {"when": {"group": "children", "at_least": "medium"}, "agencies": ["childrens-services"]},
        {"when": {"mappa_level": [2, 3]}, "agencies": ["police"]},
        {"when": {"youth": True}, "agencies": ["youth-justice"]},
    ],
    "specialist_domains": ["sexual-interest", "mental-health", "extremism"],
    "placeholder_terms": ["tbc", "tbd", "todo", "n/a", "see oasys", "as above"],
    "rationale_min_words": 40,
    "vague_measure_max_words": 3,
    "predictor_bands": {"RSR": {"low": [0, 3], "medium": [3, 6.9], "high": [6.9, 100]}},
    "labelling_terms": ["monster", "evil", "nonce", "psycho"],
    "mappa_min_rosh": {"3": "high", "2": "high"},
    # The RoSH level from which each level-dependent rule applies (HF36 P5, P13, P14, K21, K22).
    "external_control_from": "high",
    "scenarios_from": "high",
    "contingency_from": "medium",
    "pillars_from": "high",
    "children_safeguarding_from": "medium",
    "victim_groups_from": "medium",
    "control_lapse_from": "high",
    "proportionality_from": "very-high",
    "disclosure_mappa_levels": [2, 3],
    "rules": {},
    "unwaivable": [],
    "waivers": [],
    "audiences": {
        "individual": {
            "title": "The individual",
            "description": "The person the plan is about: their own plan in plain language, "
            "without victim details, third-party information or intelligence.",
            "plain_language": True,
            "confidential": False,
            "include": [
                *_CORE,
                "plan.lead",
                "plan.review.last",
                "individual.communication_needs",
                "individual.explained",
                "individual.view",
                "individual.agreement",
                "risk_factors[*].id",
                "risk_factors[*].title",
                "risk_factors[*].priority",
                "risk_factors[*].triggers",
                "risk_factors[*].warning_signs",
                "risk_factors[*].individual_agrees",
                "protective_factors[*].id",
                "protective_factors[*].title",
                "protective_factors[*].strengthen",
                "objectives",
                "actions[*].id",
                "actions[*].pillar",
                "actions[*].title",
                "actions[*].addresses",
                "actions[*].owner.agency",
                "actions[*].owner.role",
                "actions[*].start",
                "actions[*].due",
                "actions[*].frequency",
                "actions[*].measure",
                "actions[*].status",
                "agencies[*].id",
                "agencies[*].name",
                "agencies[*].role",
            ],
        },
        "agencies": {
            "title": "Partner agencies",
            "description": "Agencies working the plan: the whole plan except items marked "
            "confidential and the individual's personal details.",
            "plain_language": False,
            "confidential": False,
            "include": [
                *_CORE,
                "plan",
                "individual.ref",
                "individual.setting",
                "individual.sentence",
                "individual.communication_needs",
                "individual.responsivity",
                "individual.explained",
                "individual.view",
                "individual.agreement",
                "assessment",
                "risk_factors",
                "protective_factors",
                "controls",
                "objectives",
                "options",
                "actions",
                "scenarios",
                "contingency",
                "victims[*].id",
                "victims[*].group",
                "victims[*].potential",
                "victims[*].protected_by",
                "victims[*].vcs_eligible",
                "victims[*].vlo",
                "victims[*].marac",
                "victims[*].child_status",
                "disclosures",
                "agencies",
                "concerns",
                "rationale",
                "sharing",
            ],
        },
        "panel": {
            "title": "MAPPA panel",
            "description": "The multi-agency panel: the whole plan, confidential items included.",
            "plain_language": False,
            "confidential": True,
            "include": ["*"],
        },
    },
}
