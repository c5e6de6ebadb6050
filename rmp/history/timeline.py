"""What a plan's timeline needs from its git history: per version, its date and the few facts
a timeline draws (RoSH by group and setting, the written overall RoSH, the MAPPA level, the
person's setting and release date, and the reviews' dates, kinds and level changes).

All the plans of a pack are read together: per repository one `git log` over all their paths
(renames are not followed) and, per `BATCH` plans, one `git cat-file --batch-check` for the
blobs' sizes (one over the loader's size cap is not read) and one `git cat-file --batch`, so
the number of git processes does not grow with the number of plans or commits. Only the last
`MAX_VERSIONS` versions of a plan are read (`Timeline.capped` says when there were more).

Each version goes through the strict loader (`rmp.io.load`): bad bytes, anchors, aliases,
tags and duplicate keys make it unreadable. To keep this cheap (a pack reads hundreds of
versions), only the keys a timeline reads (`_WANTED`) are parsed, each on its own with the key
before it, when the text is laid out as block mappings (one key per line at the mapping's
indentation); any other layout, or a part that does not load on its own, is parsed whole. So a
version broken only in a part a timeline does not read still gives its point, and a contrived
file (a key line inside a multi-line quoted string) can be read differently from a whole
parse: harmless, since only fixed-vocabulary values are kept and they are still projected for
the audience. Unchanged parts are parsed once per plan. A version that does not load is
skipped and counted (`Timeline.skipped`), never an error; a plan outside git has no timeline.

The facts kept are values of fixed vocabularies, numbers and dates only (never free text), as
a small plan-shaped mapping, so that the renderer can project them through an audience exactly
as it projects the plan itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rmp.errors import RmpError
from rmp.history.git import Damaged, PathChange, Repo
from rmp.io.load import MAX_BYTES
from rmp.model.paths import parse_date
from rmp.model.vocabulary import GROUPS, LEVELS, ROSH_SETTINGS, SETTINGS

if TYPE_CHECKING:
    from rmp.history.versions import LastCommit

MAX_VERSIONS = 24
"""Versions of a plan read from git, newest first; older ones are left out."""
BATCH = 256
"""Plans whose blobs one `git cat-file --batch` reads (bounds the bytes held at once)."""
LOG_PATHS = 2000
"""Paths one `git log` call is given (command lines have a length limit)."""
REVIEW_KINDS = ("mappa-meeting", "case-conference", "supervision-review", "other")
LEVEL_CHANGES = ("up", "down", "none")
_WANTED: dict[str, Any] = {
    "plan": {"reviews": {}},
    "individual": {"setting": {}, "sentence": {}},
    "assessment": {"rosh": {}, "overall_rosh": {}, "mappa": {}},
}
"""The parts of a plan a timeline reads: a key with `{}` is parsed whole."""
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]|\Z)")
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:[ \t]*(?:#.*)?\Z")
_CONTENT = re.compile(r"^( *)[^ \n#]", re.M)
_SHALLOW: dict[int, re.Pattern[str]] = {}


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One version of a plan, reduced to what a timeline draws."""

    day: date
    """The commit's author date; for uncommitted changes, the date the pack is made for."""
    commit: str | None
    """The commit's SHA; None for the working copy's uncommitted changes."""
    facts: dict[str, Any]
    """A plan-shaped mapping of fixed-vocabulary values, numbers and dates (see `essentials`)."""


@dataclass(frozen=True, slots=True)
class Timeline:
    """A plan's versions, oldest first."""

    snapshots: tuple[Snapshot, ...]
    skipped: int = 0
    """Versions that could not be read (not loadable, or git could not give them)."""
    capped: bool = False
    """More than `limit` versions: the oldest were not read."""
    limit: int = MAX_VERSIONS
    shallow: bool = False
    """Read from a shallow clone: history may be cut short."""


def essentials(data: Any) -> dict[str, Any]:
    """The timeline's facts of one version of a plan, as a plan-shaped mapping holding only
    values of fixed vocabularies, numbers and dates; `confidential` and
    `share_with_individual` flags are kept on reviews so that projection treats them as it
    treats the plan's."""
    out: dict[str, Any] = {}
    if not isinstance(data, dict):
        return out
    assessment = data.get("assessment")
    if isinstance(assessment, dict):
        kept: dict[str, Any] = {}
        rosh = assessment.get("rosh")
        if isinstance(rosh, dict):
            kept["rosh"] = {
                group: {s: v for s, v in ratings.items() if s in ROSH_SETTINGS and v in LEVELS}
                for group, ratings in rosh.items()
                if group in GROUPS and isinstance(ratings, dict)}
        if assessment.get("overall_rosh") in LEVELS:
            kept["overall_rosh"] = assessment["overall_rosh"]
        mappa = assessment.get("mappa")
        if isinstance(mappa, dict):
            level = mappa.get("level")
            kept["mappa"] = {"level": level} if level in (1, 2, 3) and \
                not isinstance(level, bool) else {}
        if kept:
            out["assessment"] = kept
    individual = data.get("individual")
    if isinstance(individual, dict):
        person: dict[str, Any] = {}
        if individual.get("setting") in SETTINGS:
            person["setting"] = individual["setting"]
        sentence = individual.get("sentence")
        release = sentence.get("release") if isinstance(sentence, dict) else None
        if parse_date(release) is not None:
            person["sentence"] = {"release": release}
        if person:
            out["individual"] = person
    plan = data.get("plan")
    reviews = plan.get("reviews") if isinstance(plan, dict) else None
    if isinstance(reviews, list):
        kept_reviews = []
        for review in reviews:
            if not isinstance(review, dict) or parse_date(review.get("date")) is None:
                continue
            entry: dict[str, Any] = {"date": review["date"]}
            if review.get("kind") in REVIEW_KINDS:
                entry["kind"] = review["kind"]
            if review.get("level_change") in LEVEL_CHANGES:
                entry["level_change"] = review["level_change"]
            for flag in ("confidential", "share_with_individual"):
                if review.get(flag) is True:
                    entry[flag] = True
            kept_reviews.append(entry)
        out["plan"] = {"reviews": kept_reviews}
    return out


def _parse(text: str, cache: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The strict loader's mapping of `text`, or None. With `cache`, text parsed before
    (a section unchanged between versions) is not parsed again; callers do not mutate the
    result."""
    from rmp.io.load import parse

    if cache is not None and text in cache:
        found: dict[str, Any] | None = cache[text]
        return found
    document, problems = parse("version", text)
    data = document.data if document is not None and not problems \
        and isinstance(document.data, dict) else None
    if cache is not None:
        cache[text] = data
    return data


def _blocks(text: str, indent: int) -> list[list[Any]] | None:
    """The keys of a block mapping written at `indent` spaces in `text`: [name, start, end]
    offsets each; None when the text is laid out any other way (then it is parsed whole).
    Only lines indented `indent` spaces or less, other than comments and `- ` items (of the
    key above, written at its indentation), are looked at."""
    first = _CONTENT.search(text)
    if first is None or len(first.group(1)) != indent or _KEY.match(text, first.end(1)) is None:
        return None
    blocks: list[list[Any]] = []
    for line in _shallow(indent).finditer(text):
        if len(line.group(1)) < indent:
            return None
        match = _KEY.match(line.group(2))
        if match is None:
            return None
        if blocks:
            blocks[-1][2] = line.start()
        blocks.append([match.group(1), line.start(), len(text)])
    return blocks


def _shallow(indent: int) -> re.Pattern[str]:
    """Lines whose first character other than a space stands at column `indent` or before,
    but for comments and `- ` items."""
    found = _SHALLOW.get(indent)
    if found is None:
        found = _SHALLOW[indent] = re.compile(
            rf"^( {{0,{indent}}})(?![ \n#]|- |-$)(.+)$", re.M)
    return found


def _load(prefix: Sequence[str], part: str, cache: dict[str, Any]) -> dict[str, Any] | None:
    """The mapping that `part` (keys of one mapping, under the key lines `prefix`) makes when
    parsed on its own, or None when it does not load."""
    data: Any = _parse("".join([*prefix, part]), cache)
    for head in prefix:
        match = _KEY.match(head.strip(" \n"))
        data = data.get(match.group(1)) if isinstance(data, dict) and match else None
    return data if isinstance(data, dict) else None


def _pick(prefix: Sequence[str], text: str, indent: int, wanted: Mapping[str, Any],
          cache: dict[str, Any]) -> dict[str, Any] | None:
    """The `wanted` keys of the block mapping in `text`, parsing only those keys' lines (and
    each one's predecessor, which must end where it starts) in one text, descending into a
    wanted key written as a bare `key:` line. None when that cannot be done safely: the caller
    then parses the enclosing text whole, which decides."""
    if prefix:  # a section unchanged since an earlier version: picked then
        key = "\0".join([*prefix, text])
        if key not in cache:
            cache[key] = _pick_in(prefix, text, indent, wanted, cache)
        known: dict[str, Any] | None = cache[key]
        return known
    return _pick_in(prefix, text, indent, wanted, cache)


def _pick_in(prefix: Sequence[str], text: str, indent: int, wanted: Mapping[str, Any],
             cache: dict[str, Any]) -> dict[str, Any] | None:
    blocks = _blocks(text, indent)
    if blocks is None or len({b[0] for b in blocks}) != len(blocks):
        return None
    found: dict[str, Any] = {}
    whole: set[int] = set()
    """Blocks parsed as they are, in one text: wanted keys not descended into, and the key
    before each wanted one (it must end where the wanted one starts)."""
    for index, (name, start, end) in enumerate(blocks):
        if name not in wanted:
            continue
        if index > 0 and blocks[index - 1][0] not in wanted:
            whole.add(index - 1)
        head, _, rest = text[start:end].partition("\n")
        inner = _CONTENT.search(rest)
        depth = len(inner.group(1)) if inner else 0
        picked: dict[str, Any] | None = None
        if wanted[name] and _BARE.match(head[indent:]) and depth > indent:
            picked = _pick([*prefix, head + "\n"], rest, depth, wanted[name], cache)
        if picked is None:
            whole.add(index)
        else:
            found[name] = picked
    if whole:
        data = _load(prefix, "".join(text[blocks[i][1]:blocks[i][2]] for i in sorted(whole)),
                     cache)
        if data is None or len(data) != len(whole):
            return None  # each block must be one key on its own: else a boundary was wrong
        for index in whole:
            name = blocks[index][0]
            if name in wanted:
                found[name] = data[name]
    return found


def _sections(text: str, cache: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The parts of a version a timeline needs (`_WANTED`) through the strict loader, parsing
    only those when the layout allows (see the module's notes); None when it does not load."""
    cache = {} if cache is None else cache
    picked = _pick([], text, 0, _WANTED, cache) if "\r" not in text else None
    if picked is not None:
        return picked
    whole = _parse(text)  # a lone CR is a YAML line break too: such text is parsed whole
    return {k: whole[k] for k in _WANTED if k in whole} if whole is not None else None


def read_version(raw: bytes | Damaged | None,
                 cache: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """A committed version's facts, or None when it cannot be read or loaded. `cache` keeps
    parsed sections by their text across the versions of one plan."""
    from rmp.io.load import decode

    if not isinstance(raw, bytes):
        return None
    text, _problem = decode(raw)
    if text is None:
        return None
    sections = _sections(text, cache)
    return essentials(sections) if sections is not None else None


def _versions(changes: Sequence[PathChange]) -> dict[str, list[PathChange]]:
    """Per path, its changes that left a file (newest first), up to MAX_VERSIONS + 1."""
    found: dict[str, list[PathChange]] = {}
    for change in changes:
        if change.new_blob is None or change.status == "D":
            continue
        listed = found.setdefault(change.path, [])
        if len(listed) <= MAX_VERSIONS:
            listed.append(change)
    return found


def read_timelines(
    current: Mapping[Path, Any], commits: Mapping[Path, LastCommit], today: date,
) -> dict[Path, Timeline]:
    """Timelines of the plans in `current` (path -> the data being rendered), from git.
    `commits` (from `rmp.history.versions.last_commits`) says which plans are unchanged
    since their last commit: for those the rendered data stands for that version and its
    blob is not read; with uncommitted changes that alter the facts, a last snapshot dated
    `today` is added. Plans outside git or never committed are absent; git failing leaves
    those plans out, never raises."""
    by_repo: dict[Path, tuple[Repo, dict[str, Path]]] = {}
    repos: dict[Path, Repo | None] = {}  # by folder: one `git rev-parse` per folder
    for path in current:
        folder = path.parent
        if folder not in repos:
            try:
                repos[folder] = Repo.at(path)
            except RmpError:
                repos[folder] = None
        repo = repos[folder]
        if repo is None:
            continue
        try:
            relative = repo.relative(path)
        except RmpError:
            continue
        by_repo.setdefault(repo.top, (repo, {}))[1][relative] = path
    found: dict[Path, Timeline] = {}
    for repo, wanted in by_repo.values():
        ordered = sorted(wanted)
        try:  # paths go on the command line: a very large pack takes a few `git log` calls
            history = _versions([change for start in range(0, len(ordered), LOG_PATHS)
                                 for change in repo.paths_log(ordered[start:start + LOG_PATHS])])
        except RmpError:
            continue
        names = sorted(n for n in wanted if history.get(n))
        for start in range(0, len(names), BATCH):
            batch = names[start:start + BATCH]
            blobs: list[str] = []
            for name in batch:
                last = commits.get(wanted[name])
                for at, change in enumerate(history[name][:MAX_VERSIONS]):
                    reuse = at == 0 and last is not None and not last.changed \
                        and last.sha == change.commit.sha
                    if not reuse and change.new_blob:
                        blobs.append(change.new_blob)
            try:  # a version over the loader's size cap is not read (it is skipped)
                sizes = repo.sizes(blobs)
                contents = repo.read([b for b in blobs if sizes.get(b, MAX_BYTES + 1) <= MAX_BYTES])
            except RmpError:
                continue
            for name in batch:
                path = wanted[name]
                found[path] = _timeline(history[name], contents, current[path],
                                        commits.get(path), today, repo.shallow)
    return found


def _timeline(changes: list[PathChange], contents: Mapping[str, bytes | Damaged], data: Any,
              last: LastCommit | None, today: date, shallow: bool) -> Timeline:
    now = essentials(data)
    snapshots: list[Snapshot] = []
    skipped = 0
    parsed: dict[str, dict[str, Any] | None] = {}
    sections: dict[str, Any] = {}
    for at, change in enumerate(changes[:MAX_VERSIONS]):
        if at == 0 and last is not None and not last.changed and last.sha == change.commit.sha:
            facts: dict[str, Any] | None = now
        else:
            blob = change.new_blob or ""
            if blob not in parsed:
                parsed[blob] = read_version(contents.get(blob), sections)
            facts = parsed[blob]
        if facts is None:
            skipped += 1
            continue
        snapshots.append(Snapshot(change.commit.day, change.commit.sha, facts))
    snapshots.reverse()
    if (last is None or last.changed) and (not snapshots or snapshots[-1].facts != now):
        snapshots.append(Snapshot(max(today, snapshots[-1].day) if snapshots else today,
                                  None, now))
    return Timeline(tuple(snapshots), skipped=skipped, capped=len(changes) > MAX_VERSIONS,
                    limit=MAX_VERSIONS, shallow=shallow)
