"""Strict JSON for OASys documents: bytes in, plain data out, or a problem with its place.

`json.loads` alone keeps the last of two duplicate keys, reads `NaN` and `Infinity`, and
recurses without limit. Here: at most `MAX_BYTES` (the plans' cap), clean UTF-8 (a leading
byte-order mark is allowed), no control or bidi-override characters in any string, no
duplicate key at any depth (named by its JSON Pointer), finite numbers only. Messages give a
line and column or a JSON Pointer, never a value.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from rmp.io.load import MAX_BYTES

# C0 controls except TAB, LF, CR; DEL and C1; bidi embeddings, overrides, isolates; BOM.
BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                      "\u2066-\u2069\ufeff\ufffe\uffff]")
MAX_DEPTH = 40


class InputProblem(Exception):
    """Why an input document cannot be imported: where (a JSON Pointer, or a line and column)
    and what is wrong, never the value found there."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(where, message)
        self.where = where
        self.message = message

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class _Pairs(list[tuple[str, Any]]):
    """An object as parsed, before duplicate keys are checked."""


def pointer(parent: str, key: str | int) -> str:
    """The JSON Pointer (RFC 6901) of `key` under `parent`."""
    return f"{parent}/{str(key).replace('~', '~0').replace('/', '~1')}"


def _reject_constant(name: str) -> Any:
    raise InputProblem("", f"{name} is not a JSON number (only finite numbers are read)")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InputProblem("", "a number is too large to be finite")
    return value


def _int(text: str) -> int:
    if len(text) > 30:
        raise InputProblem("", "a number has too many digits")
    return int(text)


def _build(node: Any, where: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise InputProblem(where, f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, _Pairs):
        built: dict[str, Any] = {}
        for key, value in node:
            here = pointer(where, key)
            if BAD_CHAR.search(key):
                raise InputProblem(where, "a key holds a control or bidi-override character")
            if key in built:
                raise InputProblem(here, "duplicate key (JSON readers disagree on which wins)")
            built[key] = _build(value, here, depth + 1)
        return built
    if isinstance(node, list):
        return [_build(value, pointer(where, i), depth + 1) for i, value in enumerate(node)]
    if isinstance(node, str) and BAD_CHAR.search(node):
        raise InputProblem(where or "/", "text holds a control or bidi-override character")
    return node


def parse_json(raw: bytes) -> Any:
    """The document in `raw`, or an InputProblem saying why it cannot be read."""
    if len(raw) > MAX_BYTES:
        raise InputProblem("", f"larger than the {MAX_BYTES // 1024} KiB limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputProblem(f"byte {exc.start + 1}", "not UTF-8 text") from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputProblem("", "empty: no JSON document")
    try:
        parsed = json.loads(text, object_pairs_hook=_Pairs, parse_constant=_reject_constant,
                            parse_float=_float, parse_int=_int)
    except json.JSONDecodeError as exc:
        raise InputProblem(f"line {exc.lineno} column {exc.colno}",
                           f"not JSON ({exc.msg.lower()})") from None
    except RecursionError:
        raise InputProblem("", f"nested more than {MAX_DEPTH} levels deep") from None
    except ValueError:
        raise InputProblem("", "holds a number rmp cannot read") from None
    return _build(parsed, "", 0)
