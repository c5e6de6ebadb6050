"""Meeting packs: plans projected for an audience, rendered to Markdown or HTML.

Data flows one way: plan -> audience projection -> template -> pack. Templates only ever see
the projection (`rmp.render.audience.project`) and facts derived from it (overall RoSH, overdue
actions...), never the plan, so a field the audience may not see cannot reach the pack through
a template, a typo or a derived figure.

Safety of output (docs/render.md, hazards.md "Rendering"):
- HTML: `autoescape=True`, checked when the environment is built (and probed with a value
  that must come out escaped); templates keep plan data out of URLs, `<script>` and `<style>`.
- Markdown has no escaping of its own, so a `finalize` hook escapes every `{{ }}` value for
  Markdown: punctuation that could start markup is backslash-escaped and whitespace (newlines
  included) collapses to single spaces, so a value can neither break a table row nor open a
  link, an image or raw HTML. Template text and macro output (already escaped) pass as `MdSafe`.
- `StrictUndefined` everywhere: a typo in a template stops the run (exit 2), never prints "".
- A policy's `templates` folder holds user templates; they run in an
  `ImmutableSandboxedEnvironment` with the same escaping and the same projected data.

Determinism: the same plans, options, policy, git state, `today` and generation time give
byte-identical output (no sets, no clock reads in templates, items in file order or a stable
sort).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmp import __version__
from rmp.errors import ConfigError, RmpError, UsageError
from rmp.model.paths import parse_date
from rmp.model.view import PlanView
from rmp.model.vocabulary import GROUPS, LEVELS
from rmp.policy.model import Policy
from rmp.render.audience import Audience, Projection, audience_from_policy, project

if TYPE_CHECKING:
    from jinja2 import Environment

    from rmp.check.pipeline import Target
    from rmp.findings import FileResult
    from rmp.history.versions import EarlierVersion, LastCommit
    from rmp.policy.load import PolicyResolver


class PackFormat(str, Enum):
    """`--format` choices of `rmp render`."""

    MD = "md"
    HTML = "html"

    @property
    def suffix(self) -> str:
        return f".{self.value}"


TEMPLATE_NAMES = {PackFormat.MD: "pack.md.j2", PackFormat.HTML: "pack.html.j2"}
SUFFIX_FORMATS = {".md": PackFormat.MD, ".markdown": PackFormat.MD,
                  ".html": PackFormat.HTML, ".htm": PackFormat.HTML}
PILLARS = ("supervision", "monitoring-control", "interventions", "victim-safety")
SETTINGS = ("community", "custody")
REVIEW_DUE_DAYS = 28
"""A next review within this many days of `today` shows as "due"; before `today`, "overdue"."""

MARKINGS = {
    "official": "OFFICIAL",
    "official-sensitive": "OFFICIAL-SENSITIVE",
    "other": "PROTECTIVELY MARKED: SEE HANDLING INSTRUCTIONS",
}
"""Document marking by `sharing.classification`. A pack carries the highest marking of its
plans; a plan without a classification is marked OFFICIAL-SENSITIVE (over-marking is the safe
error for case data)."""
_MARKING_ORDER = ("official", "official-sensitive", "other")
DEFAULT_CLASSIFICATION = "official-sensitive"


# -- Markdown escaping -------------------------------------------------------------------------

class MdSafe(str):
    """Markdown text that is already safe: template text, macro output, escaped values.

    Any operation on it (`+`, `.upper()`, slicing) gives a plain `str`, which is escaped
    again on output: the mark is lost, never gained."""

    __slots__ = ()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|&~$])")


def md_escape(value: Any) -> MdSafe:
    """Plain text for Markdown: every whitespace run (newlines too) becomes one space, and
    punctuation that could start markup is backslash-escaped (CommonMark escapes), so `|`
    cannot split a table cell and `<`, `[` or `!` cannot open HTML, a link or an image."""
    text = " ".join(str(value).split())
    return MdSafe(_MD_SPECIAL.sub(r"\\\1", text))


def _md_finalize(value: Any) -> Any:
    if isinstance(value, MdSafe):
        return value
    return md_escape(value)


def _md_concat(parts: Iterable[str]) -> MdSafe:
    # Jinja joins template text and finalized `{{ }}` output with `environment.concat`: the
    # result of a whole template, a macro or a `{% set %}` block holds nothing unescaped.
    return MdSafe("".join(parts))


# -- presentation helpers given to templates (pure functions of their arguments) ---------------

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LONG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


def format_date(value: Any) -> str:
    """`2027-01-05` -> `5 Jan 2027` (UK order); anything else unchanged."""
    parsed = parse_date(value)
    if parsed is None:
        return "" if value is None else str(value)
    return f"{parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"


def format_long_date(value: Any) -> str:
    """`2027-01-05` -> `5 January 2027`."""
    parsed = parse_date(value)
    if parsed is None:
        return "" if value is None else str(value)
    return f"{parsed.day} {_LONG_MONTHS[parsed.month - 1]} {parsed.year}"


def paragraphs(value: Any) -> list[str]:
    """Free text split at blank lines, for narrative fields such as the rationale."""
    if value is None:
        return []
    return [p for p in re.split(r"\n\s*\n", str(value).strip()) if p.strip()]


def as_list(value: Any) -> list[Any]:
    """A list field as a list (a missing field is an empty list)."""
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def any_has(items: Any, *keys: str) -> bool:
    """Whether any item of a list holds one of these keys (a column worth showing)."""
    return any(isinstance(i, Mapping) and any(k in i for k in keys) for i in as_list(items))


_LEVEL_CLASSES = {level: f"level-{level}" for level in LEVELS}


def level_class(value: Any) -> str:
    """A fixed CSS class for a RoSH or likelihood level (never the value itself)."""
    return _LEVEL_CLASSES.get(value, "level-none") if isinstance(value, str) else "level-none"


# Enum values as people say them. Plain-language variants for the individual's own copy.
_LABELS: dict[str, str] = {
    "very-high": "Very high", "high": "High", "medium": "Medium", "low": "Low",
    "known_adult": "Known adult", "children": "Children", "public": "Public", "staff": "Staff",
    "prisoners": "Prisoners", "community": "Community", "custody": "Custody",
    "approved-premises": "Approved premises", "hospital": "Hospital",
    "supervision": "Supervision", "monitoring-control": "Monitoring and control",
    "interventions": "Interventions and treatment", "victim-safety": "Victim safety planning",
    "planned": "Planned", "in-progress": "In progress", "done": "Done", "blocked": "Blocked",
    "cancelled": "Cancelled", "twice-weekly": "Twice weekly", "not-discussed": "Not discussed",
    "could-not-answer": "Could not answer", "yes": "Yes", "no": "No", "partly": "Partly",
    "dont-know": "Don't know", "mappa-meeting": "MAPPA meeting",
    "case-conference": "Case conference", "supervision-review": "Supervision review",
    "post-sentence-supervision": "Post-sentence supervision",
    "community-order": "Community order", "suspended-sentence": "Suspended sentence",
    "hospital-order": "Hospital order", "restraining-order": "Restraining order",
    "non-molestation-order": "Non-molestation order", "dvpo": "DVPO", "dapo": "DAPO",
    "shpo": "SHPO", "sro": "SRO", "mha-restriction": "MHA restriction", "tpim": "TPIM",
    "mappa": "MAPPA", "breach-proceedings": "Breach proceedings", "gps": "GPS tag",
    "curfew": "Curfew tag", "alcohol": "Alcohol", "dvds": "DVDS (Clare's Law)",
    "csods": "CSODS", "disclose": "Disclose", "not-disclose": "Not disclose",
    "deferred": "Deferred", "chosen": "Chosen", "rejected": "Rejected",
    "cp-plan": "Child protection plan", "child-in-need": "Child in need",
    "looked-after": "Looked after", "none": "None", "unknown": "Unknown",
    "official": "Official", "official-sensitive": "Official-sensitive",
    "police-check": "Police check", "childrens-services-check": "Children's services check",
    "third-party": "Third party", "not-applicable": "Not applicable",
    "education-training-employment": "Education, training and employment",
    "lifestyle-associates": "Lifestyle and associates",
    "thinking-behaviour": "Thinking and behaviour", "emotional-wellbeing": "Emotional wellbeing",
    "mental-health": "Mental health", "sexual-interest": "Sexual interest",
    "stalking-harassment": "Stalking and harassment", "online-sexual": "Online sexual",
    "up": "Up", "down": "Down", "lead": "Lead", "partner": "Partner",
    "specialist": "Specialist", "initial": "Initial", "review": "Review",
    "transfer": "Transfer", "termination": "Termination", "draft": "Draft",
    "agreed": "Agreed", "active": "Active", "closed": "Closed", "overdue": "Overdue",
    "due": "Due", "scheduled": "Scheduled",
}
_PLAIN_LABELS: dict[str, str] = {
    **_LABELS,
    "supervision": "Keeping in touch", "monitoring-control": "Checks and conditions",
    "interventions": "Help and support", "victim-safety": "Keeping other people safe",
    "planned": "Not started yet", "in-progress": "Under way", "blocked": "Held up",
    "cancelled": "Stopped", "overdue": "Late", "due": "Coming up soon",
    "scheduled": "Booked", "not-discussed": "Not talked about yet",
    "could-not-answer": "Could not say", "twice-weekly": "Twice a week", "weekly": "Every week",
    "fortnightly": "Every two weeks", "monthly": "Every month", "daily": "Every day",
    "quarterly": "Every three months",
}


def _label_function(plain: bool) -> Callable[[Any], str]:
    labels = _PLAIN_LABELS if plain else _LABELS

    def label(value: Any) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if value is None:
            return ""
        text = str(value)
        found = labels.get(text)
        if found is not None:
            return found
        spaced = text.replace("_", " ").replace("-", " ")
        return spaced[:1].upper() + spaced[1:]

    return label


# Headings and field names: (professional, plain language for the individual's own copy).
_TEXT: dict[str, tuple[str, str]] = {
    "plan_title": ("Risk management plan", "Your risk management plan"),
    "overview": ("Plan details", "About this plan"),
    "individual": ("The individual", "About you"),
    "assessment": ("Risk of serious harm", "The risk assessment"),
    "rosh_table": ("Risk of serious harm by group and setting",
                   "How serious the risk is, and to whom"),
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
    "record": ("Document record", "About this document"),
    "triggers": ("Triggers", "What can set it off"),
    "warning_signs": ("Warning signs", "Signs to watch for"),
    "agrees": ("Individual agrees", "Do you agree?"),
    "priority": ("Priority", "Priority"),
    "risk_factor": ("Risk factor", "What might lead to harm"),
    "protective_factor": ("Protective factor", "What will help"),
    "strengthen": ("To strengthen", "We will build on this"),
    "objective": ("Objective", "Aim"),
    "action": ("Action", "What will happen"),
    "owner": ("Owner", "Who"),
    "start": ("Start", "From"),
    "due": ("Due or frequency", "By when / how often"),
    "measure": ("Measure", "How we will know"),
    "status": ("Status", "How it is going"),
    "addresses": ("Addresses", "Linked to"),
    "agreed_by": ("Agreed by", "Agreed by"),
    "agency": ("Agency", "Organisation"),
    "role": ("Role", "Role"),
    "view": ("The individual's view", "Your view of the plan"),
    "agreement": ("Agreement with the plan", "Do you agree with the plan?"),
    "communication_needs": ("Communication needs", "How you like information given"),
    "explained": ("Plan explained", "How the plan was explained to you"),
    "next_review": ("Next review", "Next review"),
    "overall_rosh": ("Overall RoSH", "Risk level"),
    "mappa": ("MAPPA", "MAPPA"),
    "overdue_actions": ("Overdue actions", "Late actions"),
    "last_review": ("Last review", "Last review"),
    "review_triggers": ("Review early if", "The plan will be looked at sooner if"),
    "withheld": ("Withheld for this audience", "Withheld for this audience"),
    "partly_withheld": ("Some details in this section are withheld for this audience.",
                        "Some details in this part are not included in your copy "
                        "(withheld for this audience)."),
    "none_shown": ("None shown.", "Nothing here yet."),
}


def _text_for(plain: bool) -> dict[str, str]:
    return {key: pair[1] if plain else pair[0] for key, pair in _TEXT.items()}


# -- what templates see ------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionView:
    """One projected action and whether it is overdue today."""

    data: Mapping[str, Any]
    overdue: bool


@dataclass(frozen=True)
class PillarView:
    key: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class RoshRow:
    group: str
    community: str | None
    custody: str | None


# Sections in reading order: name -> (root path, excluded child keys of that root).
_SECTIONS: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "overview": (("plan",), frozenset({"review", "reviews", "signoff"})),
    "individual": (("individual",), frozenset()),
    "assessment": (("assessment",), frozenset()),
    "risk_factors": (("risk_factors",), frozenset()),
    "protective_factors": (("protective_factors",), frozenset()),
    "controls": (("controls",), frozenset()),
    "objectives": (("objectives",), frozenset()),
    "options": (("options",), frozenset()),
    "actions": (("actions",), frozenset()),
    "scenarios": (("scenarios",), frozenset()),
    "contingency": (("contingency",), frozenset()),
    "victims": (("victims",), frozenset()),
    "disclosures": (("disclosures",), frozenset()),
    "agencies": (("agencies",), frozenset()),
    "concerns": (("concerns",), frozenset()),
    "rationale": (("rationale",), frozenset()),
    "sharing": (("sharing",), frozenset()),
    "waivers": (("waivers",), frozenset()),
}
SECTION_ORDER = (
    "overview", "individual", "assessment", "risk_factors", "protective_factors", "controls",
    "objectives", "options", "actions", "scenarios", "contingency", "victims", "disclosures",
    "agencies", "concerns", "rationale", "review", "sharing", "waivers",
)
"""Reading order of a plan's sections (`review` gathers plan.review, reviews and sign-off)."""
_KNOWN_TOP = frozenset({"format", *(path[0] for path, _ in _SECTIONS.values())})


@dataclass(frozen=True)
class PlanContext:
    """One plan as its template sees it: the projection and facts derived from it alone."""

    number: int
    anchor: str
    data: Mapping[str, Any]
    states: Mapping[str, str]
    """Section name -> `shown`, `partial` (shown, some parts withheld), `withheld`, `absent`."""
    plan_id: str | None
    case_ref: str | None
    overall_rosh: str | None
    mappa_level: int | None
    mappa_managed: bool | None
    """False when the plan records no MAPPA management; None when that is withheld."""
    next_review: str | None
    review_state: str | None
    overdue_actions: int | None
    """None when the audience may not see the actions' dates and statuses."""
    rosh_rows: tuple[RoshRow, ...]
    risk_factors: tuple[Mapping[str, Any], ...]
    pillars: tuple[PillarView, ...]
    other_actions: tuple[ActionView, ...]
    other_fields: tuple[tuple[str, Any], ...]
    commit: str | None
    changed_since_commit: bool
    _projection: Projection = field(repr=False)
    changes: tuple[str, ...] | None = None
    """"Changes since" in the audience's projection; None when not asked for (--since)."""
    changes_since: str | None = None
    changes_unavailable: bool = False
    """The earlier version could not be read: no changes are shown rather than wrong ones."""

    def state(self, section: str) -> str:
        return self.states[section]

    def withheld(self, *path: str | int) -> bool:
        """Whether anything at, below or above this path was withheld from this audience."""
        return _hidden(self._projection, path)

    def agency_name(self, agency_id: Any) -> Any:
        """The name of a listed agency the audience may see, else the ID as given."""
        for agency in self.data.get("agencies") or []:
            if isinstance(agency, Mapping) and agency.get("id") == agency_id \
                    and agency.get("name"):
                return agency["name"]
        return agency_id

    def value(self, *path: str | int) -> Any:
        """The projected value at a path, or None (absent or withheld)."""
        node: Any = self.data
        for part in path:
            if isinstance(node, Mapping) and isinstance(part, str):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return node


@dataclass(frozen=True)
class PackContext:
    """The pack as a whole: who it is for, its marking, its record, and its plans."""

    is_pack: bool
    meeting: str | None
    meeting_date: str | None
    audience: Audience
    audience_description: str | None
    marking: str
    classification: str
    today: str
    generated: str
    tool: str
    plans: tuple[PlanContext, ...]


# -- building the contexts ---------------------------------------------------------------------

def _hidden(projection: Projection, path: tuple[str | int, ...]) -> bool:
    """Whether anything at, below or above `path` was withheld (a withheld parent hides
    the whole path)."""
    size = len(path)
    return any(w[:size] == path or path[:len(w)] == w for w in projection.withheld)


def _section_state(projection: Projection, name: str) -> str:
    root, excluded = _SECTIONS[name]
    data: Any = projection.data
    for part in root:
        data = data.get(part) if isinstance(data, dict) else None
    if isinstance(data, dict) and excluded:
        data = {k: v for k, v in data.items() if k not in excluded} or None
    size = len(root)
    withheld = any(
        w[:size] == root and not (len(w) > size and w[size] in excluded)
        for w in projection.withheld
    )
    shown = data not in (None, {}, []) or (data == [] and not withheld)
    if shown:
        return "partial" if withheld else "shown"
    return "withheld" if withheld else "absent"


def _review_section_state(projection: Projection, plan_data: Any) -> str:
    parts = ("review", "reviews", "signoff")
    shown = isinstance(plan_data, dict) and any(k in plan_data for k in parts)
    withheld = any(w[:1] == ("plan",) and (len(w) == 1 or w[1] in parts)
                   for w in projection.withheld)
    if shown:
        return "partial" if withheld else "shown"
    return "withheld" if withheld else "absent"


def review_state(next_review: Any, today: date) -> str | None:
    """`overdue` before today, `due` within REVIEW_DUE_DAYS, else `scheduled`."""
    when = parse_date(next_review)
    if when is None:
        return None
    if when < today:
        return "overdue"
    if when <= today + timedelta(days=REVIEW_DUE_DAYS):
        return "due"
    return "scheduled"


def _priority_key(item: Mapping[str, Any]) -> tuple[int, int]:
    priority = item.get("priority")
    if isinstance(priority, int) and not isinstance(priority, bool):
        return (0, priority)
    return (1, 0)


def plan_context(
    number: int, projection: Projection, today: date, commit: str | None = None,
    changed_since_commit: bool = False,
) -> PlanContext:
    """Everything a template may use about one plan, derived from the projection alone."""
    data = projection.data
    view = PlanView(data, today)
    plan_section = data.get("plan") if isinstance(data.get("plan"), dict) else {}
    assert isinstance(plan_section, dict)
    states = {name: _section_state(projection, name) for name in _SECTIONS}
    states["review"] = _review_section_state(projection, plan_section)

    overall = view.overall_rosh
    mappa = view.section(("assessment", "mappa"))
    mappa_managed: bool | None = isinstance(mappa, dict) and bool(mappa)
    if not mappa_managed and _hidden(projection, ("assessment", "mappa")):
        mappa_managed = None

    closed = view.section(("plan", "status")) == "closed"
    actions = [a for a in (data.get("actions") or []) if isinstance(a, dict)]
    views = [
        ActionView(action, overdue=(
            not closed and action.get("status") not in ("done", "cancelled")
            and (due := parse_date(action.get("due"))) is not None and due < today
        ))
        for action in actions
    ]
    # a count of what this audience may see; unknown when dates or statuses are withheld
    dates_withheld = any(
        w[0] == "actions" and len(w) == 3 and w[2] in ("due", "status")
        for w in projection.withheld
    )
    overdue = None if states["actions"] == "withheld" or dates_withheld \
        else sum(v.overdue for v in views)

    rosh = view.section(("assessment", "rosh"))
    rows = tuple(
        RoshRow(group, view.rosh(group, "community"), view.rosh(group, "custody"))
        for group in GROUPS if isinstance(rosh, dict) and isinstance(rosh.get(group), dict)
    )
    risk_factors = tuple(sorted(
        (rf for rf in (data.get("risk_factors") or []) if isinstance(rf, dict)),
        key=_priority_key,
    ))
    pillars = tuple(
        PillarView(key, tuple(v for v in views if v.data.get("pillar") == key))
        for key in PILLARS
    )
    others = tuple(v for v in views if v.data.get("pillar") not in PILLARS)
    other_fields = tuple((k, v) for k, v in data.items() if k not in _KNOWN_TOP)
    next_review = view.section(("plan", "review", "next"))
    plan_id = view.section(("plan", "id"))
    case_ref = view.section(("individual", "ref"))
    return PlanContext(
        number=number, anchor=f"plan-{number}", data=data, states=states,
        plan_id=plan_id if isinstance(plan_id, str) else None,
        case_ref=case_ref if isinstance(case_ref, str) else None,
        overall_rosh=overall if overall in LEVELS else None,
        mappa_level=view.mappa_level, mappa_managed=mappa_managed,
        next_review=next_review if isinstance(next_review, str) else None,
        review_state=review_state(next_review, today),
        overdue_actions=overdue, rosh_rows=rows, risk_factors=risk_factors,
        pillars=pillars, other_actions=others, other_fields=other_fields,
        commit=commit, changed_since_commit=changed_since_commit, _projection=projection,
    )


def marking_for(plans: Sequence[Mapping[str, Any]]) -> tuple[str, str]:
    """(classification, marking text) of a document holding these plans: the highest.

    Read from the plans themselves, not the projection: the marking is a handling instruction
    for the document, drawn from a fixed list, never text from the plan."""
    best = 0
    for data in plans:
        sharing = data.get("sharing")
        value = sharing.get("classification") if isinstance(sharing, dict) else None
        value = value if value in _MARKING_ORDER else DEFAULT_CLASSIFICATION
        best = max(best, _MARKING_ORDER.index(value))
    classification = _MARKING_ORDER[best] if plans else DEFAULT_CLASSIFICATION
    return classification, MARKINGS[classification]


# -- environments ------------------------------------------------------------------------------

def _probe(environment: Environment, fmt: PackFormat) -> None:
    """Refuse to render with an environment that would not escape plan text."""
    from jinja2 import StrictUndefined, UndefinedError

    probe = environment.from_string("{{ value }}").render(value="<a href='javascript:x'>|\n")
    expected = ("&lt;a href=&#39;javascript:x&#39;&gt;|" if fmt is PackFormat.HTML
                else "\\<a href='javascript:x'\\>\\|")
    if probe.strip() != expected:
        raise RuntimeError(f"the {fmt.value} template environment does not escape plan text")
    if environment.undefined is not StrictUndefined:
        raise RuntimeError("template environments must use StrictUndefined")
    try:
        environment.from_string("{{ missing }}").render()
    except UndefinedError:
        return
    raise RuntimeError("an undefined template variable did not stop rendering")


@lru_cache(maxsize=8)
def environment(fmt: PackFormat, user_folder: str | None = None) -> Environment:
    """The one Jinja environment per format (and user template folder): templates compile once
    per run. User templates run sandboxed, in front of the built-in ones (a folder may override
    a single partial)."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from rmp.io.resources import data_dir

    builtin = FileSystemLoader(str(data_dir("templates")))
    loader: Any = builtin if user_folder is None else ChoiceLoader(
        [FileSystemLoader(user_folder), builtin])
    base: type[Environment] = Environment if user_folder is None \
        else ImmutableSandboxedEnvironment
    options: dict[str, Any] = dict(
        loader=loader, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, auto_reload=False, cache_size=-1,
    )
    if fmt is PackFormat.HTML:
        env = base(autoescape=True, **options)
        if env.autoescape is not True:  # checked explicitly: `assert` vanishes under -O
            raise RuntimeError("the HTML template environment must autoescape")
    else:
        markdown = type("MarkdownEnvironment", (base,), {"concat": staticmethod(_md_concat)})
        env = markdown(autoescape=False, finalize=_md_finalize, **options)
    env.filters.update(
        date=format_date, long_date=format_long_date, paragraphs=paragraphs,
        as_list=as_list, level_class=level_class,
    )
    env.globals.update(any_has=any_has)
    _probe(env, fmt)
    return env


def _user_template_folder(policy: Policy) -> str | None:
    folder = policy.get("templates")
    if not folder:
        return None
    if policy.path is None:
        raise ConfigError("the policy names a `templates` folder but has no file to be "
                          "relative to")
    resolved = (Path(policy.path).parent / str(folder)).resolve()
    if not resolved.is_dir():
        raise ConfigError(f"{policy.path}: `templates` names a folder that does not exist")
    return str(resolved)


# -- generation time, git --------------------------------------------------------------------

_GENERATED_IN_TEXT = re.compile(
    r"(?:rmp:generated|Generated \(UTC\))[^0-9]{0,40}"
    r"(\d{4})\\?-(\d\d)\\?-(\d\d)T(\d\d):(\d\d):(\d\d)Z")


def format_timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def generation_time(
    option: str | None, environ: Mapping[str, str], recorded: datetime | None = None
) -> datetime:
    """When the pack was generated, in UTC to the second: `--generated`, else
    SOURCE_DATE_EPOCH (reproducible builds), else `recorded` (the time in the file `--check`
    compares with), else now."""
    if option:
        try:
            moment = datetime.fromisoformat(option)
        except ValueError:
            raise UsageError("--generated must be an ISO 8601 timestamp, e.g. "
                             "2026-11-27T09:00:00Z") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).replace(microsecond=0)
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if not epoch.isdigit():
            raise UsageError("SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC")
        return datetime.fromtimestamp(int(epoch), UTC)
    if recorded is not None:
        return recorded
    return datetime.now(UTC).replace(microsecond=0)


def recorded_generation_time(text: str) -> datetime | None:
    """The generation time a pack written by rmp records, if any."""
    match = _GENERATED_IN_TEXT.search(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


# -- loading the plans -------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanSource:
    """A plan that loaded and matched the schema, with the policy in force for it."""

    path: Path
    shown: str
    data: dict[str, Any]
    policy: Policy


def load_plans(
    targets: Sequence[Target], resolver: PolicyResolver, today: date
) -> tuple[list[PlanSource], list[FileResult]]:
    """Plans fit to render, and the check results of those that are not.

    A plan is rendered only when it loads cleanly and matches the schema (no RMP0xx and no
    RMP101 finding): a pack never shows a half-read plan. The gate runs on the very bytes that
    are rendered; the findings of a refused file come from `check_file`, as `rmp check` shows
    them. Completeness findings (RMP2xx-5xx) do not stop rendering."""
    from rmp.findings import FileResult, Finding, Severity
    from rmp.io.gate import read_plan

    sources: list[PlanSource] = []
    refused: list[FileResult] = []
    for target in targets:
        gated = read_plan(target.path, target.shown)
        if gated.passed:
            assert gated.document is not None
            sources.append(PlanSource(target.path, target.shown, gated.document.data,
                                      resolver.for_plan(target.path)))
            continue
        findings = gated.findings or (Finding(
            "RMP005", Severity.ERROR, target.shown, 1, 1, "",
            "a policy file, not a plan: only plans can be rendered"),)
        refused.append(FileResult(target.shown, findings, kind=gated.kind,
                                  rules_skipped=gated.kind == "plan"))
    return sources, refused


# -- rendering ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RenderRequest:
    """What to render, apart from the plans themselves."""

    audience: str
    fmt: PackFormat
    today: date
    generated: datetime
    meeting: str | None = None
    meeting_date: date | None = None
    commits: Mapping[Path, LastCommit] = field(default_factory=dict)
    earlier: Mapping[Path, EarlierVersion] | None = None
    """Each plan as it stood at --since, for a "changes since" section; None: no section."""


def _template_error(exc: BaseException) -> RmpError:
    """A template failure as a usage error naming the template and line, never a value."""
    import traceback

    where = "a template"
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            break
    lineno = getattr(exc, "lineno", None)
    name = getattr(exc, "name", None) or getattr(exc, "filename", None)
    if where == "a template" and lineno and name:
        where = f"{Path(str(name)).name}:{lineno}"
    kinds = {
        "UndefinedError": "uses an undefined variable or attribute (a typo?)",
        "TemplateSyntaxError": "has a syntax error",
        "SecurityError": "tried something the sandbox forbids",
        "TemplateNotFound": "includes a template that does not exist",
    }
    reason = kinds.get(type(exc).__name__, f"failed ({type(exc).__name__})")
    return RmpError(f"template {where} {reason}; nothing was written", code="template")


def _with_changes(
    context: PlanContext, earlier: EarlierVersion | None, audience: Audience, today: date,
    *, asked: bool,
) -> PlanContext:
    """Add "changes since" to a plan: the semantic diff of the two versions *as this audience
    sees them*, so a change to a field it cannot see is not mentioned."""
    from dataclasses import replace

    from rmp.diff.engine import diff_plans, phrase

    if not asked:
        return context
    if earlier is None or not earlier.readable:
        return replace(context, changes=(), changes_unavailable=True,
                       changes_since=earlier.label if earlier else None)
    before = project(earlier.data, audience).data if earlier.data is not None else None
    changes = diff_plans(before, dict(context.data), today, before_today=earlier.day)
    return replace(context, changes=tuple(phrase(c) for c in changes),
                   changes_since=earlier.label)


def render(sources: Sequence[PlanSource], request: RenderRequest) -> str:
    """The document for one plan, or the meeting pack for several."""
    from jinja2 import TemplateError

    if not sources:
        raise UsageError("no plans to render")
    audiences = [audience_from_policy(s.policy, request.audience) for s in sources]
    folders = {_user_template_folder(s.policy) for s in sources}
    if len(folders) > 1:
        raise ConfigError("the plans of one pack follow policies with different `templates` "
                          "folders; render them separately or name one with --policy")
    user_folder = folders.pop()
    first = sources[0].policy.get("audiences", {}).get(request.audience, {})
    plans = tuple(
        _with_changes(
            plan_context(
                number, project(source.data, audience), request.today,
                commit.sha if (commit := request.commits.get(source.path)) else None,
                commit.changed if commit else False,
            ),
            request.earlier.get(source.path) if request.earlier is not None else None,
            audience, request.today, asked=request.earlier is not None,
        )
        for number, (source, audience) in enumerate(zip(sources, audiences, strict=True), 1)
    )
    classification, marking = marking_for([s.data for s in sources])
    audience = audiences[0]
    pack = PackContext(
        is_pack=len(sources) > 1, meeting=request.meeting,
        meeting_date=request.meeting_date.isoformat() if request.meeting_date else None,
        audience=audience,
        audience_description=str(first.get("description")) if first.get("description")
        else None,
        marking=marking, classification=classification,
        today=request.today.isoformat(), generated=format_timestamp(request.generated),
        tool=f"rmp {__version__}", plans=plans,
    )
    try:
        env = environment(request.fmt, user_folder)
        template = env.get_template(TEMPLATE_NAMES[request.fmt])
        text = template.render(
            pack=pack, plans=plans, t=_text_for(audience.plain_language),
            label=_label_function(audience.plain_language), pillars=PILLARS,
            settings=SETTINGS, sections=SECTION_ORDER,
        )
    except TemplateError as exc:
        raise _template_error(exc) from None
    text = re.sub(r"[ \t]+\n", "\n", str(text))
    text = re.sub(r"\n{3,}", "\n\n", text)
    if request.fmt is PackFormat.MD:
        # keep "- **Field:** value" lists tight (values hold no newline: they are escaped)
        text = re.sub(r"(^- \*\*.*\n)\n+(?=- \*\*)", r"\1", text, flags=re.M)
    return text.strip("\n") + "\n"


def output_path(out: Path | None, fmt: PackFormat, sources: Sequence[PlanSource]) -> Path | None:
    """Where the document goes: None for stdout; a file; or, for a single plan and a folder,
    `<folder>/<plan id>.<md|html>` (the plan ID's schema pattern makes it a safe file name)."""
    if out is None:
        return None
    if out.is_dir():
        if len(sources) > 1:
            raise UsageError("several plans make one meeting pack: give --out a file, not a "
                             "folder")
        plan = sources[0].data.get("plan") or {}
        return out / f"{plan.get('id')}{fmt.suffix}"
    return out


def choose_format(option: PackFormat | None, out: Path | None) -> PackFormat:
    """`--format`, else from the --out file's suffix, else Markdown. A contradiction (an
    .html file asked for as md) is a usage error rather than a surprise."""
    from_suffix = SUFFIX_FORMATS.get(out.suffix.lower()) if out is not None \
        and not out.is_dir() else None
    if option is not None and from_suffix is not None and option is not from_suffix:
        raise UsageError(f"--format {option.value} does not match the --out file's suffix")
    return option or from_suffix or PackFormat.MD
