"""References (HF36 P17, P9, P19, P1): unique IDs, references that name an item of the right
kind, agencies that are listed, the strategy the policy lists, sources that are cited."""

from __future__ import annotations

from collections.abc import Iterator

from rmp.model.paths import select
from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []

# Reference fields and the kinds of item each may name (plan-format.md, "References").
ITEM_REFERENCES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("assessment.tools[*].source", ("source",)),
    ("risk_factors[*].evidence[*]", ("source",)),
    ("protective_factors[*].evidence[*]", ("source",)),
    ("assessment.sources[*].corroborated_by[*]", ("source",)),
    ("controls[*].evidence[*]", ("source",)),
    ("victims[*].evidence[*]", ("source",)),
    ("controls[*].addresses[*]", ("risk factor",)),
    ("objectives[*].addresses[*]", ("risk factor",)),
    ("actions[*].addresses[*]", ("risk factor", "objective", "protective factor")),
    ("scenarios[*].response[*]", ("contingency", "action")),
    ("victims[*].protected_by[*]", ("action", "control")),
    ("options[*].eases[*]", ("control",)),
)
AGENCY_REFERENCES: tuple[str, ...] = (
    "plan.lead",
    "individual.explained.by",
    "actions[*].owner.agency",
    "contingency[*].owner.agency",
    "plan.reviews[*].attendees[*]",
    "concerns[*].to[*]",
    "sharing.distributed[*].to",
    "controls[*].enforced_by",
    "disclosures[*].by",
    "disclosures[*].to[*]",
    "objectives[*].agreed_by[*]",
)


def _names(kinds: tuple[str, ...]) -> str:
    """`an action or control`: the article agrees with the first kind."""
    joined = " or ".join(kinds)
    return ("an " if joined[0] in "aeiou" else "a ") + joined


@rule(RULES, "RMP102", "duplicate-id", "error", "P17", "two items share an ID")
def duplicate_id(ctx: RuleContext) -> Iterator[Hit]:
    """Two items in the plan have the same ID.

    IDs are how actions point at risk factors, how victims point at the controls protecting
    them, and how `rmp diff` follows an item across versions. A shared ID makes every one of
    those links ambiguous.

    Fails: two risk factors both with `id: RF2`.
    Passes: `id: RF2` and `id: RF3`.
    Fix: give the later item the next free ID, and check which one each reference meant.
    """
    seen: dict[str, str] = {}
    for item in ctx.plan.all_items():
        if not item.id:
            continue
        if item.id in seen:
            yield Hit(item.at("id"),
                      f"ID {item.id} is already used by another {seen[item.id]}",
                      (item.id,))
        else:
            seen[item.id] = item.kind.name


@rule(RULES, "RMP103", "unknown-reference", "error", "P17",
      "a reference names no item, or an item of the wrong kind")
def unknown_reference(ctx: RuleContext) -> Iterator[Hit]:
    """A reference names an item that does not exist, or an item of the wrong kind.

    A risk factor whose evidence cites a source that is not listed, or an action that
    "addresses" a victim instead of a risk factor, looks complete and is not.

    Fails: `evidence: [SRC9]` when no source SRC9 exists; `protected_by: [RF1]`.
    Passes: `evidence: [SRC1]` with SRC1 in `assessment.sources`; `protected_by: [C1, A4]`.
    Fix: correct the ID, or add the missing item.
    """
    plan = ctx.plan
    for pattern, kinds in ITEM_REFERENCES:
        for path, target in select(plan.data, pattern):
            if not isinstance(target, str):
                continue
            found = plan.by_id.get(target)
            if found is None:
                # not printed: a reference that names nothing may hold anything the ID
                # pattern lets through, a person's name and number included
                yield Hit(path, f"this reference names no item in this plan "
                                f"(expected {_names(kinds)})")
            elif found.kind.name not in kinds:
                yield Hit(path, f"{target} is {_names((found.kind.name,))}; this field takes "
                                f"{_names(kinds)}", (target,))
    for index, waiver in enumerate(plan.data.get("waivers") or []):
        target = waiver.get("item") if isinstance(waiver, dict) else None
        if isinstance(target, str) and target not in plan.by_id:
            yield Hit(("waivers", index, "item"), f"waiver {index + 1} names no item in this plan")


@rule(RULES, "RMP104", "unknown-agency", "error", "P9",
      "an owner, recipient or agreement names an agency not in `agencies`")
def unknown_agency(ctx: RuleContext) -> Iterator[Hit]:
    """An owner, attendee, recipient or enforcer names an agency that `agencies` does not list.

    HF36 P9 asks which agencies contribute to the plan. An action owned by an agency that is
    not part of the plan has nobody who agreed to do it.

    Fails: `owner: {agency: housing, role: Housing officer}` with no `housing` in `agencies`.
    Passes: the same, with `- {id: housing, name: ..., role: partner, agreed: 2026-10-14}`.
    Fix: add the agency to `agencies` (with its role and when it agreed), or correct the ID.
    `objectives[].agreed_by` may also name `individual`.
    """
    plan = ctx.plan
    for pattern in AGENCY_REFERENCES:
        allow_individual = pattern.startswith("objectives")
        for path, target in select(plan.data, pattern):
            if not isinstance(target, str) or target in plan.agency_ids:
                continue
            if allow_individual and target == "individual":
                continue
            yield Hit(path, "this agency is not listed in `agencies` (a reference that names "
                            "nothing is not printed)")


@rule(RULES, "RMP105", "unknown-strategy", "error", "P19",
      "`plan.strategy` is not a strategy of the policy in force")
def unknown_strategy(ctx: RuleContext) -> Iterator[Hit]:
    """The plan names no strategy, or one the organisation's policy does not list.

    HF36 P19 asks that the plan follow the organisation's risk management strategy. When the
    policy in force lists its strategies (`strategies:` in `rmp.yaml`), every plan says in
    `plan.strategy` which one it follows, so a reviewer knows which rules of practice apply.
    Without `strategies` in the policy (the built-in defaults) this rule checks nothing.

    Fails (policy `strategies: [{id: north-2026}]`): `strategy: north-2025`, or no `strategy`.
    Passes: `plan: {..., strategy: north-2026}`.
    Fix: name the strategy in force, as its ID appears in the policy file; if the plan follows
    a new strategy, add it to the policy's `strategies`.
    """
    known = ctx.policy.strategy_ids
    if not known:
        return
    listed = ", ".join(known)
    named = ctx.plan.section(("plan", "strategy"))
    if named is None:
        yield Hit(("plan",), f"the plan names no strategy (`plan.strategy`); the policy in "
                             f"force lists {listed}")
    elif named not in known:
        yield Hit(("plan", "strategy"), f"`plan.strategy` is not one of the policy in force "
                                        f"({listed})")


@rule(RULES, "RMP106", "source-never-cited", "info", "P1",
      "a source is never cited (information held is RMP215's; a no-trace check is not asked)")
def source_never_cited(ctx: RuleContext) -> Iterator[Hit]:
    """A source listed in `assessment.sources` that nothing in the plan cites.

    HF36 P1 asks the author to review all relevant details. A source that no risk factor,
    protective factor, control, victim, tool result or other source cites, and that neither
    the rationale nor a `rosh_reasons` entry names by ID, was either read and found irrelevant
    (then it need not be listed) or is evidence the plan forgot to use. A source holding
    information (`result: information-held`, or a `shows`) is RMP215's error instead, and a
    check that found nothing (`result: no-trace`) needs no citation.

    Fails: `- {id: SRC4, title: Hostel incident log, kind: record, reliability: reliable}` and
    no `evidence`, `source` or `corroborated_by` naming SRC4.
    Passes: `evidence: [SRC1, SRC4]` on the risk factor the log bears on.
    Fix: cite the source where it is used (risk or protective factor, control or victim
    `evidence`, a tool's `source`, another source's `corroborated_by`), name it in the
    rationale, or remove it. A source citing itself does not count.
    """
    plan = ctx.plan
    cited = plan.cited_sources
    held = {source.id for source in plan.information_held}
    for source in plan.items("source"):
        if not source.id or source.id in cited or source.id in held:
            continue
        if source.get("result") == "no-trace":
            continue
        yield Hit(source.path, f"source {source.id} is cited by no risk factor, protective "
                               "factor, control, victim, tool result or other source, and the "
                               "rationale does not name it", (source.id,))
