"""The semantic view git's diff driver compares (`rmp git-setup`, `rmp diff --textconv`).

A plan becomes sorted `name: value` lines with its items under their IDs, so that a line diff
of two views shows what changed, keyed by ID, and nothing for re-ordering. Any file that is not
an `rmp/1` plan is passed through as it is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rmp.diff.engine import canonical
from rmp.model.paths import get
from rmp.model.vocabulary import KINDS, SECTION_ORDER

_NATURAL = re.compile(r"(\d+)")
_READING_ORDER = {key: n for n, key in enumerate(SECTION_ORDER)}


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in _NATURAL.split(text)]


def _scalar_line(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False) if ("\n" in value or value != value.strip()
                                                        or not value) else value
    return json.dumps(value, ensure_ascii=False)


def _flatten(prefix: str, value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append(f"{prefix}: {{}}")
        for key in sorted(value, key=str):
            _flatten(f"{prefix}.{key}" if prefix else str(key), value[key], out)
    elif isinstance(value, list):
        if not value:
            out.append(f"{prefix}: []")
        if all(not isinstance(v, (dict, list)) for v in value):
            for line in sorted(_scalar_line(v) for v in value):
                out.append(f"{prefix}[]: {line}")
        else:
            for line in sorted(canonical(v) for v in value):
                out.append(f"{prefix}[]: {line}")
    else:
        out.append(f"{prefix}: {_scalar_line(value)}")


def semantic_view(data: dict[str, Any]) -> str:
    """The plan as sorted `name: value` lines, items under their IDs: a line diff of two views
    shows what changed, keyed by ID, and nothing for re-ordering. Used as git's textconv."""
    out = ["# rmp semantic view: one line per field, items by ID, list order ignored"]
    # item sections are shown by ID, after the rest of the plan
    sections = [(kind, node) for kind in KINDS
                if isinstance(node := get(data, kind.section), list)]
    plain = json.loads(json.dumps(data, default=str))
    for kind, _ in sections:
        parent = get(plain, kind.section[:-1])
        if isinstance(parent, dict):
            parent.pop(kind.section[-1], None)
    for key in sorted(plain, key=lambda k: (_READING_ORDER.get(k, len(_READING_ORDER)), k)):
        _flatten(str(key), plain[key], out)
    for kind, items in sections:
        out.append("")
        out.append("## " + ".".join(str(part) for part in kind.section))
        keyed: list[tuple[list[Any], str, Any]] = []
        loose: list[str] = []
        for entry in items:
            ident = entry.get("id") if isinstance(entry, dict) else None
            if isinstance(ident, str) and ident:
                keyed.append((_natural(ident), ident, entry))
            else:
                loose.append(canonical(entry))
        for _, ident, entry in sorted(keyed, key=lambda k: (k[0], k[1])):
            out.append(f"[{ident}] {kind.name}")
            fields = {k: v for k, v in entry.items() if k != "id"}
            _flatten(ident, fields, out)
        for line in sorted(loose):
            out.append(f"[] {line}")
    return "\n".join(out) + "\n"


def textconv(shown: str, raw: bytes) -> bytes:
    """What git's diff driver shows for one version of a file: the semantic view of a plan
    that passes the gate's reading and format checks (`format: rmp/1`), and any other file
    exactly as it is. The schema is not asked: the view is a faithful listing of any shape, and
    a half-edited plan should still diff line by line in its semantic form."""
    from rmp.io.gate import gate_bytes

    gated = gate_bytes(shown, raw, schema=False)
    if not gated.passed or gated.document is None or not isinstance(gated.document.data, dict):
        return raw
    return semantic_view(gated.document.data).encode("utf-8")
