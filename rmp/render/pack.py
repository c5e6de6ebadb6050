"""Meeting packs: plans projected for an audience, rendered to Markdown or HTML.

Data flows one way: plan -> audience projection (`rmp.render.audience`) -> document model
(`rmp.render.build`, `rmp.render.assemble`) -> one of two renderers of that model
(`templates/pack.md.j2`, `templates/pack.html.j2`, run by `rmp.render.environment`). The model
only ever holds the projection and facts derived from it, never the plan, so a field the
audience may not see cannot reach the pack through a template, a typo or a derived figure.

This module assembles a run: the marking, the generation time, the plans that passed the gate,
the document and where it goes. Determinism: the same plans, options, policy, git state,
`today` and generation time give byte-identical output (no sets, no clock reads in templates,
items in file order or a stable sort).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from rmp import __version__
from rmp.errors import ConfigError, UsageError
from rmp.model.paths import get
from rmp.policy.model import Policy
from rmp.render.audience import Audience, choose_audience, never_shown, project
from rmp.render.environment import PackFormat

if TYPE_CHECKING:
    from jinja2 import Template

    from rmp.check.pipeline import Target
    from rmp.findings import FileResult, Finding
    from rmp.history.timeline import Timeline
    from rmp.history.versions import EarlierVersion, LastCommit
    from rmp.model.view import PlanView
    from rmp.policy.load import PolicyResolver
    from rmp.render.assemble import PlanInput
    from rmp.render.attendance import Attendee
    from rmp.render.document import Document

__all__ = ["PackFormat"]

SUFFIX_FORMATS = {".md": PackFormat.MD, ".markdown": PackFormat.MD,
                  ".html": PackFormat.HTML, ".htm": PackFormat.HTML}

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


def marking_for(plans: Iterable[Mapping[str, Any]]) -> tuple[str, str]:
    """(classification, marking text) of a document holding these plans: the highest.

    Read from the plans themselves, not the projection: the marking is a handling instruction
    for the document, drawn from a fixed list, never text from the plan."""
    best = 0
    seen = False
    for data in plans:
        seen = True
        sharing = data.get("sharing")
        value = sharing.get("classification") if isinstance(sharing, dict) else None
        value = value if value in _MARKING_ORDER else DEFAULT_CLASSIFICATION
        best = max(best, _MARKING_ORDER.index(value))
    classification = _MARKING_ORDER[best] if seen else DEFAULT_CLASSIFICATION
    return classification, MARKINGS[classification]


# -- generation time, git --------------------------------------------------------------------

_GENERATED_IN_TEXT = re.compile(
    r"(?:rmp:generated|Generated(?: \\?\(UTC\\?\))?:\*\*)[^0-9]{0,40}"
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
        try:
            return moment.astimezone(UTC).replace(microsecond=0)
        except OverflowError:
            raise UsageError("--generated is out of range (years 1 to 9999, in UTC)") from None
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        message = ("SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, up to the "
                   "end of 9999")
        if not (epoch.isascii() and epoch.isdigit()) or len(epoch) > 12:
            raise UsageError(message)
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (OverflowError, OSError, ValueError):
            raise UsageError(message) from None
    if recorded is not None:
        return recorded
    return datetime.now(UTC).replace(microsecond=0)


def recorded_generation_time(text: str) -> datetime | None:
    """The generation time a pack written by rmp records, if any."""
    match = _GENERATED_IN_TEXT.search(text)
    return None if match is None else _moment(match)


def recorded_generation_time_in(path: Path) -> datetime | None:
    """`recorded_generation_time` of a file, read a block at a time (a pack of thousands of
    plans is tens of megabytes; HTML records the time at the top, Markdown at the end)."""
    tail = ""
    with open(path, encoding="utf-8", errors="replace") as stream:
        while block := stream.read(1 << 20):
            text = tail + block
            match = _GENERATED_IN_TEXT.search(text)
            if match is not None:
                return _moment(match)
            tail = text[-256:]  # longer than any match: one cut by the block's end is seen whole
    return None


def _moment(match: re.Match[str]) -> datetime | None:
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
    content: dict[str, Any] | bytes
    """The plan's data as the gate read it: the data itself, or, from `load_plans`, packed
    with `marshal` (a few kilobytes, where the parsed tree takes ten times more), so that a
    pack of thousands of plans holds one plan's tree at a time. The file is never read again:
    the pack shows what the gate parsed from the bytes it passed."""
    policy: Policy
    findings: tuple[Finding, ...] | None = None
    """What `rmp check` finds in the plan under its policy, waivers applied (for the
    professional packs' findings box); None: not checked."""

    @property
    def data(self) -> dict[str, Any]:
        """The plan's data (a fresh copy each time when packed)."""
        if isinstance(self.content, bytes):
            import marshal

            unpacked: dict[str, Any] = marshal.loads(self.content)
            return unpacked
        return self.content


class PlanData(Mapping[Path, dict[str, Any]]):
    """The sources' data by path, each unpacked only when asked for (a pack never holds every
    plan's tree at once); for readers that take a mapping, such as the timelines."""

    def __init__(self, sources: Sequence[PlanSource]) -> None:
        self._by_path = {source.path: source for source in sources}

    def __getitem__(self, path: Path) -> dict[str, Any]:
        return self._by_path[path].data

    def __iter__(self) -> Iterator[Path]:
        return iter(self._by_path)

    def __len__(self) -> int:
        return len(self._by_path)


def _packed(view: PlanView) -> bytes:
    import marshal

    return marshal.dumps(view.data)


def load_plans(
    targets: Sequence[Target], resolver: PolicyResolver, today: date, check: bool = False,
    jobs: int | None = None,
) -> tuple[list[PlanSource], list[FileResult]]:
    """Plans fit to render, and the check results of those that are not.

    A plan is rendered only when it loads cleanly and matches the schema (no RMP0xx and no
    RMP101 finding): a pack never shows a half-read plan. The gate runs on the very bytes that
    are rendered; the findings of a refused file come from `check_file`, as `rmp check` shows
    them. Completeness findings (RMP2xx-5xx) do not stop rendering; with `check`, they are
    kept with the plan (the rules and waivers of its policy), for the pack to show. Files are
    read and checked as `rmp check` does them (`iter_check`: on every core for a large pack),
    each plan's data coming back packed."""
    from rmp.check.pipeline import iter_check
    from rmp.findings import FileResult, Finding, Severity

    by_shown = {target.shown: target for target in targets}
    sources: list[PlanSource] = []
    refused: list[FileResult] = []
    for result in iter_check(targets, resolver, today, jobs, extract=_packed):
        target = by_shown[result.path]
        if result.kind == "plan" and isinstance(result.facts, bytes):
            sources.append(PlanSource(target.path, target.shown, result.facts,
                                      resolver.for_plan(target.path),
                                      result.findings if check else None))
            continue
        findings = result.findings or (Finding(
            "RMP005", Severity.ERROR, target.shown, 1, 1, "",
            "a policy file, not a plan: only plans can be rendered"),)
        refused.append(FileResult(target.shown, findings, kind=result.kind,
                                  rules_skipped=result.kind == "plan"))
    return sources, refused


# -- rendering ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RenderRequest:
    """What to render, apart from the plans themselves."""

    audience: str | None
    """The policy audience; None only with `for_agency` (the audience bound to its kind)."""
    fmt: PackFormat
    today: date
    generated: datetime
    meeting: str | None = None
    meeting_date: date | None = None
    commits: Mapping[Path, LastCommit] = field(default_factory=dict)
    earlier: Mapping[Path, EarlierVersion] | None = None
    """Each plan as it stood at --since, for a "changes since" section; None: no section."""
    attendees: tuple[Attendee, ...] | None = None
    """From `--attendees`, for the front of the pack."""
    for_agency: str | None = None
    """`--for`: each plan projected for this agency (`rmp.render.agency`)."""
    timelines: Mapping[Path, Timeline] | None = None
    """Each plan's history from git (`rmp.history.timeline`), drawn as a timeline; None: no
    timelines (--no-timeline). A plan absent from the mapping gets none."""


def _hidden_ids(data: Any, audience: Audience) -> set[str]:
    """IDs of the items of the current version that this audience may not see (confidential,
    never to the individual, or not for this agency)."""
    found: set[str] = set()
    if isinstance(data, dict):
        for path in never_shown(data, audience):
            item = get(data, path)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.add(item["id"])
    if audience.confidential and not audience.for_individual:
        return found
    return found | _confidential_ids(data)



def _confidential_ids(data: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        if data.get("confidential") is True and isinstance(data.get("id"), str):
            found.add(data["id"])
        for value in data.values():
            found |= _confidential_ids(value)
    elif isinstance(data, list):
        for value in data:
            found |= _confidential_ids(value)
    return found


def _without_items(data: Any, ids: set[str]) -> Any:
    """A copy of `data` with the list entries whose `id` is one of `ids` marked confidential,
    so that the projection withholds them (and, for the individual, what cites them)."""
    if isinstance(data, dict):
        return {key: _without_items(value, ids) for key, value in data.items()}
    if isinstance(data, list):
        return [{**_without_items(value, ids), "confidential": True}
                if isinstance(value, dict) and value.get("id") in ids
                else _without_items(value, ids) for value in data]
    return data


def _with_changes(
    given: PlanInput, earlier: EarlierVersion | None, audience: Audience, today: date,
    current: dict[str, Any] | None = None,
) -> PlanInput:
    """Add "changes since" to a plan: the semantic diff of the two versions *as this audience
    sees them*, so a change to a field it cannot see is not mentioned."""
    from dataclasses import replace

    from rmp.diff.engine import diff_plans
    from rmp.diff.phrasing import phrase

    if earlier is None or not earlier.readable:
        return replace(given, changes_unavailable=True,
                       changes_since=earlier.label if earlier else None)
    older = earlier.data
    hidden = _hidden_ids(current, audience) if current is not None else set()
    if older is not None and hidden:
        # an item confidential now is withheld from its older version too: otherwise it
        # would show as "removed" to an audience that may not know it exists
        older = _without_items(older, hidden)
    before = project(older, audience).data if older is not None else None
    changes = diff_plans(before, dict(given.projection.data), today, before_today=earlier.day)
    return replace(given, changes=tuple(phrase(c) for c in changes),
                   changes_since=earlier.label,
                   action_changes=_action_changes(before, given.projection.data))


def _action_changes(before: Any, after: Mapping[str, Any]) -> dict[str, str]:
    """Each current action's ID -> `new`, `changed` or `same` against the earlier version,
    both as the audience sees them."""
    def by_id(data: Any) -> dict[str, Any]:
        found = data.get("actions") if isinstance(data, dict) else None
        return {a["id"]: a for a in found or []
                if isinstance(a, dict) and isinstance(a.get("id"), str)}

    old = by_id(before)
    return {key: "new" if key not in old else "same" if old[key] == action else "changed"
            for key, action in by_id(after).items()}


class _PlanInputs(Sequence["PlanInput"]):
    """The plans of a run as the document model takes them, each made when asked for: its data
    unpacked, projected for its audience and, with --since, compared with its older version.
    Nothing is kept, so a pack holds one plan's tree and projection at a time."""

    def __init__(self, sources: Sequence[PlanSource], audiences: Sequence[Audience],
                 request: RenderRequest) -> None:
        self._sources, self._audiences, self._request = sources, audiences, request

    def __len__(self) -> int:
        return len(self._sources)

    @overload
    def __getitem__(self, index: int) -> PlanInput: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PlanInput]: ...
    def __getitem__(self, index: int | slice) -> PlanInput | Sequence[PlanInput]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return _plan_input(self._sources[index], self._audiences[index], self._request)

    def __iter__(self) -> Iterator[PlanInput]:
        for source, audience in zip(self._sources, self._audiences, strict=True):
            yield _plan_input(source, audience, self._request)


def _plan_input(source: PlanSource, audience: Audience, request: RenderRequest) -> PlanInput:
    from dataclasses import replace

    from rmp.render.assemble import PlanInput
    from rmp.render.figures import timeline_figure

    data = source.data
    commit = request.commits.get(source.path)
    given = PlanInput(project(data, audience), commit.sha if commit else None,
                      commit.changed if commit else False, reading=source.policy.reading,
                      findings=source.findings)
    if request.earlier is not None:
        given = _with_changes(given, request.earlier.get(source.path), audience,
                              request.today, data)
    if request.timelines is not None:
        given = replace(given, timeline=timeline_figure(
            request.timelines.get(source.path), audience, given.projection,
            source.policy.reading, request.today))
    return given


def build(sources: Sequence[PlanSource], request: RenderRequest) -> Document:
    """The document model of the pack: each plan projected for the audience, when the
    document reaches it (`rmp.render.assemble.build_document`)."""
    from rmp.render.assemble import Setting, build_document

    if not sources:
        raise UsageError("no plans to render")
    audiences = [choose_audience(s.policy, s.data, s.shown, request.audience, request.for_agency)
                 for s in sources]
    if len({a.name for a in audiences}) > 1:
        raise UsageError(f"--for {request.for_agency}: the agency's kind binds different "
                         "audiences in these plans; give --audience")
    classification, marking = marking_for(s.data for s in sources)
    spec = sources[0].policy.get("audiences", {}).get(audiences[0].name, {})
    return build_document(_PlanInputs(sources, audiences, request), Setting(
        audience=audiences[0],
        audience_description=str(spec["description"]) if spec.get("description") else None,
        marking=marking, classification=classification, today=request.today,
        generated=format_timestamp(request.generated), tool=f"rmp {__version__}",
        meeting=request.meeting, meeting_date=request.meeting_date,
        attendees=request.attendees))


def render(sources: Sequence[PlanSource], request: RenderRequest) -> str:
    """The document for one plan, or the meeting pack for several, as text."""
    return "".join(render_chunks(sources, request))


def render_chunks(sources: Sequence[PlanSource], request: RenderRequest) -> Iterator[str]:
    """`render` as pieces of text (tens of kilobytes each), made as they are asked for: a pack
    of thousands of plans is never held whole. The checks, the templates' compilation and the
    pack's summary come first, so their errors are raised by this call; a template error met
    later is raised by the iteration."""
    from jinja2 import TemplateError

    from rmp.render.environment import (
        TEMPLATE_NAMES,
        environment,
        template_error,
        user_template_folder,
    )
    from rmp.render.stream import tidy

    if not sources:
        raise UsageError("no plans to render")
    folders = {user_template_folder(s.policy) for s in sources}
    if len(folders) > 1:
        raise ConfigError("the plans of one pack follow policies with different `templates` "
                          "folders; render them separately or name one with --policy")
    document = build(sources, request)
    try:
        env = environment(request.fmt, folders.pop())
        template = env.get_template(TEMPLATE_NAMES[request.fmt])
    except (TemplateError, OverflowError) as exc:
        raise template_error(exc) from None
    return tidy(_generate(template, document), request.fmt is PackFormat.MD)


def _generate(template: Template, document: Document) -> Iterator[str]:
    from jinja2 import TemplateError

    from rmp.render.environment import template_error

    try:
        yield from template.generate(pack=document, plans=document.plans)
    except (TemplateError, OverflowError) as exc:
        # OverflowError: the sandbox's limit on range() (MAX_RANGE)
        raise template_error(exc) from None


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
