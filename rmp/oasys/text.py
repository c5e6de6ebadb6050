"""A plan as copy-ready text under OASys's headings: R10.1-R10.5, the RoSH ratings, risk to
self, then the RMP headings. Plain text: each block is pasted into the OASys field of the
same name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rmp.model.vocabulary import PILLARS
from rmp.oasys.fields import HEADINGS, NARRATIVES, ORDS_ANSWERS, ORDS_RATINGS, ROSH_FIELDS
from rmp.oasys.from_plan import grid, overall, rmp_texts, section, text_of

NOT_RECORDED = "(not recorded in the plan)"
GROUP_WORDS = {"children": "Children", "public": "Public", "known_adult": "Known adult",
               "staff": "Staff", "prisoners": "Prisoners"}
SELF_WORDS = {"suicide": "Suicide", "self_harm": "Self-harm", "custody_coping": "Custody",
              "hostel_coping": "Hostel", "vulnerability": "Vulnerability"}


def _block(heading: str, body: str | None) -> list[str]:
    return [heading, "-" * len(heading), body if body is not None else NOT_RECORDED, ""]


def to_text(plan: Mapping[str, Any]) -> str:
    """The copy-ready blocks for one plan."""
    rating_of = {level: rating for rating, level in ORDS_RATINGS.items()}
    answer_of = {answer: word for word, answer in ORDS_ANSWERS.items() if answer}
    assessment = section(plan, "assessment")
    head, person = section(plan, "plan"), section(plan, "individual")
    lines = [f"OASys RoSH summary and risk management plan from plan {head.get('id')} "
             f"(case {person.get('ref')})", ""]
    for key in NARRATIVES:
        lines += _block(HEADINGS[key], text_of(assessment.get(key)))
    ratings = grid(plan)
    rows = []
    for group, word in GROUP_WORDS.items():
        settings = [(s, ratings.get((group, s))) for s in ("community", "custody")
                    if (group, s) in ROSH_FIELDS.values()]
        rows.append(f"{word:<12} " + "   ".join(
            f"{s}: {rating_of[level] if level else 'not rated'}" for s, level in settings))
    top = overall(plan)
    rows.append(f"Overall: {rating_of[top] if top else 'not rated'}")
    lines += _block("R10.6 RoSH ratings", "\n".join(rows))
    selves = section(assessment, "risk_to_self")
    said = [f"{word}: {answer_of[selves[key]]}" for key, word in SELF_WORDS.items()
            if selves.get(key) in answer_of]
    lines += _block("Risk to self: current concerns", "\n".join(said) or None)
    texts = rmp_texts(plan)
    lines += ["Risk management plan", "====================", ""]
    for key in ("key", "further", *PILLARS, "contingency"):
        lines += _block(HEADINGS[key], texts[key])
    return "\n".join(lines).rstrip("\n") + "\n"
