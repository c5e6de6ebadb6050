"""Strict YAML loading: bytes in, plain data plus a position for every node out.

Why not `yaml.safe_load`: it is the slow pure-Python loader, resolves YAML 1.1 types (`no` is
False, `0123` is octal, `2024-01-05` a date, `12:30` the integer 750), silently keeps the last of
two duplicate keys, expands aliases (a "billion laughs" file) and, through its composer, crashes
the interpreter on tens of thousands of nested brackets. Here the C (libyaml) event parser feeds a
small event loop that builds the data itself and refuses anything a plan never needs:

- RMP001 the bytes are not clean UTF-8 text (NUL, control, bidi-override characters, a BOM
  anywhere but the start, a file over `MAX_BYTES`), in values and keys, written or escaped;
- RMP002 YAML syntax errors, more than one document, mapping keys that are not scalars;
- RMP003 duplicate keys, at any depth, naming both lines;
- RMP004 anchors, aliases, explicit tags, nesting deeper than `MAX_DEPTH`;

Scalars resolve by the YAML 1.2 core schema, narrowed: `true`/`false`, `null`/`~`/empty,
decimal integers without leading zeros, decimal floats. Everything else, dates included, stays a
string (a date is checked by the schema's `format: date`). Mapping keys are always the key's
source text.

Every node's start mark is kept in document order; `Document.locate` maps a JSON path back to a
1-based line and column without parsing again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev
from yaml._yaml import CParser

MAX_BYTES = 1024 * 1024
"""A plan is tens of kilobytes; anything over 1 MiB is refused before parsing."""
MAX_NUMBER_DIGITS = 100
"""No plan needs a longer number; Python refuses integers of over 4,300 digits anyway."""
MAX_DEPTH = 40
"""A plan nests about eight levels deep; this leaves room and stops recursion attacks."""

_BOM = b"\xef\xbb\xbf"
# C0 controls except TAB, LF, CR; DEL and C1 controls; bidi embeddings, overrides and isolates;
# a byte-order mark or non-character anywhere after the first byte.
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                       "\u2066-\u2069\ufeff\ufffe\uffff]")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?\Z")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_MAYBE_TYPED = frozenset("-+.0123456789tTfFnN~")

PathPart = str | int


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """Why a file could not be loaded (or, for RMP003, loaded with a lost key)."""

    code: str
    line: int
    column: int
    message: str
    pointer: str = ""


@dataclass(slots=True)
class Document:
    """One loaded YAML file: its data and where each node stands in the text."""

    path: str
    data: Any
    marks: list[tuple[int, int]] = field(repr=False, default_factory=list)
    """0-based (line, column) of every node and mapping key, in document (pre-)order."""
    flow_mappings: frozenset[int] = field(repr=False, default=frozenset())
    """Indexes (into `marks`) of mappings written in flow style, `{...}`."""
    _index: dict[tuple[PathPart, ...], tuple[int, int]] | None = field(
        repr=False, default=None
    )

    def _build_index(self) -> dict[tuple[PathPart, ...], tuple[int, int]]:
        # (path) -> (index of the node's mark, index of its key's mark or -1)
        index: dict[tuple[PathPart, ...], tuple[int, int]] = {}
        counter = 0

        def visit(node: Any, path: tuple[PathPart, ...], key_at: int) -> None:
            nonlocal counter
            index[path] = (counter, key_at)
            counter += 1
            if isinstance(node, dict):
                for k, v in node.items():
                    key_index = counter
                    counter += 1
                    visit(v, (*path, k), key_index)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    visit(v, (*path, i), -1)

        visit(self.data, (), -1)
        return index

    def locate(self, path: Sequence[PathPart], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at `path`, or of its key when `key` is true.

        A path that does not exist (a missing field) gives the nearest existing parent.
        """
        if self._index is None:
            self._index = self._build_index()
        parts = tuple(path)
        while parts not in self._index and parts:
            parts = parts[:-1]
        node_at, key_at = self._index.get(parts, (0, -1))
        at = key_at if key and key_at >= 0 and parts == tuple(path) else node_at
        if not self.marks:
            return (1, 1)
        line, column = self.marks[at]
        return (line + 1, column + 1)

    def in_flow_mapping(self, path: Sequence[PathPart]) -> bool:
        """Whether the mapping at `path` is written in flow style (`{a: 1, b: 2}`)."""
        if self._index is None:
            self._index = self._build_index()
        entry = self._index.get(tuple(path))
        return entry is not None and entry[0] in self.flow_mappings


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _describe_char(char: str) -> str:
    if char == "\ufeff":
        return "a byte-order mark after the start of the file"
    if char == "\x00":
        return "a NUL character"
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069" or char in "\u200e\u200f\u061c":
        return f"a bidirectional-text control character (U+{ord(char):04X})"
    return f"a control character (U+{ord(char):04X})"


def decode(raw: bytes) -> tuple[str | None, LoadProblem | None]:
    """Strict UTF-8 text of a plan file, or the first reason it is not clean text."""
    if len(raw) > MAX_BYTES:
        return None, LoadProblem(
            "RMP001", 1, 1, f"file is larger than the {MAX_BYTES // 1024} KiB limit for a plan"
        )
    if raw.startswith(_BOM):
        raw = raw[len(_BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, LoadProblem(
            "RMP001", line, column, "file is not valid UTF-8 text (save it as UTF-8)"
        )
    bad = _BAD_CHAR.search(text)
    if bad is not None:
        line, column = _position(text, bad.start())
        return None, LoadProblem(
            "RMP001", line, column, f"{_describe_char(bad.group())} is not allowed in a plan"
        )
    return text, None


class _Abort(Exception):
    def __init__(self, problem: LoadProblem) -> None:
        self.problem = problem


def _scalar(event: ev.ScalarEvent) -> Any:
    value: str = event.value
    if event.tag is not None:
        raise _Abort(_problem_at(event, "RMP004", "explicit YAML tags (`!...`) are not allowed"))
    if event.style:  # quoted or block scalar: always a string
        if event.style == '"':
            bad = _BAD_CHAR.search(value)
            if bad is not None:
                raise _Abort(_problem_at(
                    event, "RMP001",
                    f"{_describe_char(bad.group())} (written as an escape) is not allowed",
                ))
        return value
    if not value:
        return None
    if value[0] not in _MAYBE_TYPED:
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        if len(value) > MAX_NUMBER_DIGITS:
            raise _Abort(_problem_at(event, "RMP004", f"a number of more than "
                                     f"{MAX_NUMBER_DIGITS} digits is not allowed"))
        return int(value)
    if _FLOAT.match(value):
        number = float(value)
        if not math.isfinite(number) or len(value) > MAX_NUMBER_DIGITS:
            # JSON (and so the schema, the reports and the other engine) has no infinity
            raise _Abort(_problem_at(event, "RMP004", "a number too large to represent is "
                                     "not allowed"))
        return number
    return value


def _problem_at(event: Any, code: str, message: str) -> LoadProblem:
    mark = event.start_mark
    return LoadProblem(code, mark.line + 1, mark.column + 1, message)


def parse(path: str, text: str) -> tuple[Document | None, list[LoadProblem]]:
    """Build the data of one YAML document from its text.

    Returns the document (None when it could not be built at all) and the problems found.
    RMP003 (duplicate keys) is reported for every duplicate while the rest loads.
    """
    parser = CParser(text)
    marks: list[tuple[int, int]] = []
    flow: set[int] = set()
    problems: list[LoadProblem] = []
    stack: list[Any] = []
    # per open mapping: the pending key (None when the next scalar is a key) and the marks
    # of the keys seen so far, for naming both lines of a duplicate
    pending: list[str | None] = []
    seen_keys: list[dict[str, tuple[int, int]] | None] = []
    root: Any = None
    documents = 0
    get_event = parser.get_event

    def attach(value: Any, event: ev.Event) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if type(top) is list:
            top.append(value)
            return
        key = pending[-1]
        if key is None:
            raise _Abort(_problem_at(
                event, "RMP002", "a mapping key must be a plain value, not a list or mapping"
            ))
        top[key] = value
        pending[-1] = None

    try:
        while True:
            event: Any = get_event()
            kind = type(event)
            if kind is ev.ScalarEvent:
                if event.anchor is not None:
                    raise _Abort(_problem_at(event, "RMP004", "YAML anchors (`&`) are not allowed"))
                mark = event.start_mark
                if stack and type(stack[-1]) is dict and pending[-1] is None:
                    key = event.value
                    if event.tag is not None:
                        raise _Abort(_problem_at(
                            event, "RMP004", "explicit YAML tags (`!...`) are not allowed"))
                    bad = _BAD_CHAR.search(key)
                    if bad is not None:  # only an escape in a quoted key gets this far
                        raise _Abort(_problem_at(
                            event, "RMP001",
                            f"{_describe_char(bad.group())} (written as an escape) is not "
                            "allowed in a key",
                        ))
                    keys = seen_keys[-1]
                    assert keys is not None
                    if key in keys:
                        first_line, first_column = keys[key]
                        problems.append(LoadProblem(
                            "RMP003", mark.line + 1, mark.column + 1,
                            f"duplicate key: this key is also at line {first_line + 1}, "
                            f"column {first_column + 1}; YAML keeps only the last value, so "
                            "one is silently lost",
                        ))
                    else:
                        keys[key] = (mark.line, mark.column)
                    marks.append((mark.line, mark.column))
                    pending[-1] = key
                    continue
                marks.append((mark.line, mark.column))
                attach(_scalar(event), event)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                if event.anchor is not None:
                    raise _Abort(_problem_at(event, "RMP004", "YAML anchors (`&`) are not allowed"))
                if event.tag is not None:
                    raise _Abort(_problem_at(
                        event, "RMP004", "explicit YAML tags (`!...`) are not allowed"))
                if len(stack) >= MAX_DEPTH:
                    raise _Abort(_problem_at(
                        event, "RMP004", f"nesting too deep (more than {MAX_DEPTH} levels)"))
                mark = event.start_mark
                container: Any
                if kind is ev.MappingStartEvent:
                    container = {}
                    if event.flow_style:
                        flow.add(len(marks))
                    seen_keys.append({})
                else:
                    container = []
                    seen_keys.append(None)
                marks.append((mark.line, mark.column))
                attach(container, event)
                stack.append(container)
                pending.append(None)
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                stack.pop()
                pending.pop()
                seen_keys.pop()
            elif kind is ev.AliasEvent:
                raise _Abort(_problem_at(event, "RMP004", "YAML aliases (`*`) are not allowed"))
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Abort(_problem_at(
                        event, "RMP002", "a plan file holds one YAML document; found another"))
            elif kind is ev.StreamEndEvent:
                break
    except _Abort as abort:
        return None, [*problems, abort.problem]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        # libyaml's problem texts name the grammar, never the document's content
        reason = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in reason:  # libyaml's own limit, reached before ours in block style
            return None, [*problems, LoadProblem(
                "RMP004", line, column, f"nesting too deep (more than {MAX_DEPTH} levels)")]
        return None, [*problems, LoadProblem("RMP002", line, column, f"YAML syntax error: {reason}")]
    except yaml.YAMLError:
        return None, [*problems, LoadProblem("RMP002", 1, 1, "YAML syntax error")]
    return Document(path, root, marks, frozenset(flow)), problems


def load_bytes(path: str, raw: bytes) -> tuple[Document | None, list[LoadProblem]]:
    """Decode and parse one file's bytes. The document is None when it cannot be used."""
    text, problem = decode(raw)
    if text is None:
        assert problem is not None
        return None, [problem]
    document, problems = parse(path, text)
    if any(p.code == "RMP003" for p in problems):
        # a lost key makes the data untrustworthy (and shifts positions): stop here
        return None, problems
    return document, problems
