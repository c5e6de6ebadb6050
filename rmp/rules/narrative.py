"""The plan's own words (HF36 P7, P17, K12): a rationale that reasons, narrative fields that
answer rather than hold placeholders, and language that describes rather than labels. Matching
is `rules/text.py`'s; the terms are the policy's."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.view import PlanView
from rmp.model.vocabulary import KINDS, Path_
from rmp.rules import text
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


def _narrative_label(plan: PlanView, path: Path_) -> tuple[str, tuple[str, ...]]:
    """How a message names a narrative field (`measure` of action A2, or
    `assessment.summary`), and the ID of the item the field belongs to."""
    if len(path) >= 3 and isinstance(path[1], int):
        kind = next((k.name for k in KINDS if k.section == path[:1]), "item")
        item = plan.section(path[:2])
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, str):
            return f"`{text.field_name(path)}` of {kind} {item_id}", (item_id,)
        return f"`{text.field_name(path)}` of {kind} {path[1] + 1}", ()
    return "`" + ".".join(str(part) for part in path) + "`", ()


@rule(RULES, "RMP209", "weak-rationale", "error", "P7",
      "rationale missing, a placeholder, or shorter than the policy minimum (RMP213 leaves "
      "it to this rule)")
def weak_rationale(ctx: RuleContext) -> Iterator[Hit]:
    """The `rationale` is missing, a placeholder, or shorter than the policy's minimum.

    HF36 P7 asks for the rationale for the plan: the defensible reasoning that ties the
    assessment (risk factors, RoSH, victims) to the actions and controls chosen, and says why
    other options were rejected. It is what a serious case review reads first. The policy's
    `rationale_min_words` (default 40) sets the minimum length; `placeholder_terms` (`TBC`,
    `see OASys`...) are not a rationale.

    Fails: no `rationale`; `rationale: See OASys`; a one-line rationale under the minimum.
    Passes: a paragraph naming the main risk factors, the actions and controls that address
    them and why, and the options rejected.
    Fix: write the reasoning in the plan itself, citing IDs (RF1, A2, C1, OPT1).
    """
    value = ctx.plan.data.get("rationale")
    if not isinstance(value, str):
        yield Hit((), "the plan has no rationale; HF36 P7 asks why this plan manages the risk")
        return
    if not value.strip():
        yield Hit(("rationale",), "the rationale is empty")
    elif text.is_placeholder(value, ctx.policy.placeholder_terms, "rationale"):
        yield Hit(("rationale",), "the rationale is a placeholder (placeholder_terms), not "
                                  "the reasoning for the plan")
    else:
        minimum = ctx.policy.rationale_min_words
        words = text.word_count(value)
        if words < minimum:
            yield Hit(("rationale",), f"the rationale has {words} word(s); the policy asks for "
                                      f"at least {minimum} (rationale_min_words)")


@rule(RULES, "RMP212", "labelling-language", "warning", "K12",
      "labelling language from the policy's list in free text (text inside quotation marks "
      "is exempt: it may quote the person or a victim)")
def labelling_language(ctx: RuleContext) -> Iterator[Hit]:
    """A narrative field uses a term from the policy's `labelling_terms`.

    HF36 K12 asks the author to keep opinion backed by evidence apart from prejudice; practice
    expects person-first, non-labelling language. A plan that calls the person a "monster"
    will be read by the person, by partner agencies and perhaps by a court, and undermines
    the professional judgement around it. Terms match whole words, case-insensitively, in the
    narrative fields only; text inside quotation marks is exempt, since it may quote the
    person or a victim.

    Fails (default policy): `summary: Described by staff as evil when drunk.`
    Passes: `summary: Staff report verbal aggression when drunk; V1 described him as "evil".`
    Fix: describe the behaviour and its evidence instead of labelling the person; quote
    others' words in quotation marks when they matter.
    """
    terms = ctx.policy.labelling_terms
    if not terms:
        return
    for path, value in text.narrative_values(ctx.plan.data):
        if not text.contains_term(value, terms, skip_quotes=True):
            continue
        found = [t for t in terms if text.contains_term(value, [t], skip_quotes=True)]
        label, items = _narrative_label(ctx.plan, path)
        yield Hit(path, f"{label} uses labelling language ("
                        + ", ".join(f"`{t}`" for t in found)
                        + " in labelling_terms); describe behaviour and evidence instead",
                  items)


@rule(RULES, "RMP213", "placeholder-text", "error", "P7, P17",
      "a narrative field is a placeholder (`TBC`, `see OASys`, or one word where one word "
      "cannot answer); \"None identified\" is an answer")
def placeholder_text(ctx: RuleContext) -> Iterator[Hit]:
    """A narrative field holds a placeholder instead of an answer.

    HF36 P7 asks for recorded reasoning and P17 for complete, up-to-date records. `TBC`,
    `see OASys` or `as above` (the policy's `placeholder_terms`) leave the reader of the plan
    without the answer, and pointing to another document fails when the plan is shared with
    agencies that cannot open it. In fields that ask a question (`summary`, `who_at_risk`,
    `when_greatest`, `view`, `measure`, `description`, `when`, `then`, `reason`) a single word
    cannot answer it either. "None identified" is an answer. The rationale is RMP209's.

    Fails: `who_at_risk: TBC`; `measure: Attendance`; `reason: see OASys`.
    Passes: `who_at_risk: Current and former female partners.`;
    `measure: Attends 8 of 8 sessions`.
    Fix: write the answer in the plan itself, in a sentence or phrase.
    """
    terms = ctx.policy.placeholder_terms
    fields = tuple(f for f in text.NARRATIVE_FIELDS if f != "rationale")
    for path, value in text.narrative_values(ctx.plan.data, fields):
        if text.is_placeholder(value, terms, text.field_name(path)):
            label, items = _narrative_label(ctx.plan, path)
            yield Hit(path, f"{label} is a placeholder, not an answer: write the answer in the "
                            "plan itself", items)
