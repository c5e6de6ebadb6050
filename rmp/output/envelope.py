"""The one JSON envelope of every JSON output (check, status, diff, log, rules, explain,
criteria, policy show): `schema_version`, the tool, what the document is, then its payload.

`schema_version` counts breaking changes of any JSON output; keys are never renamed within a
version. Deterministic: keys in insertion order, no timings, UTF-8 as is.
"""

from __future__ import annotations

import json
import math
from typing import Any

from rmp import __version__

SCHEMA_VERSION = 1


def _finite(value: Any) -> Any:
    """JSON has no Infinity or NaN: such numbers are written as null, never as invalid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def envelope(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The envelope around one command's payload, as a dict."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "rmp", "version": __version__},
        "kind": kind,
        **payload,
    }


def dumps(kind: str, payload: dict[str, Any]) -> str:
    """The enveloped document as JSON text, indented, ending in a newline."""
    document = _finite(envelope(kind, payload))
    return json.dumps(document, indent=2, ensure_ascii=False, default=str, allow_nan=False) + "\n"
