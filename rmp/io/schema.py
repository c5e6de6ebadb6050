"""JSON Schema validation of plans and policies, as findings with positions and no values.

One engine decides and explains: jsonschema-rs (compiled, Draft 2020-12, ECMA-262 patterns).
Its verdict is the verdict, and every message is built from its errors' instance paths and
kinds, never from its own text, which quotes the offending value. A second engine for the
messages could disagree with the first (Python's `re` lets `$` match before a final newline,
so `id: "RMP-1001\\n"` passed one and failed the other); with one engine it cannot.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rmp.findings import Finding, Severity
from rmp.io.resources import schema_path

if TYPE_CHECKING:
    from jsonschema_rs import ValidationError, Validator

    from rmp.io.load import Document

CODE = "RMP101"
CRITERIA = ("P17",)


@lru_cache(maxsize=4)
def load_schema(name: str) -> dict[str, Any]:
    """The bundled schema `plan` or `policy` as a dict."""
    with schema_path(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


@lru_cache(maxsize=4)
def validator(name: str) -> Validator:
    """The compiled Draft 2020-12 validator for a bundled schema, built once per process.
    Formats are asserted (a format it does not know is an error when it is built, not a check
    silently skipped), and it never fetches anything."""
    import jsonschema_rs

    def refuse(uri: str) -> Any:
        # bundled schemas only reference themselves
        raise ValueError(f"rmp never fetches schemas: {uri}")

    return jsonschema_rs.validator_for(
        load_schema(name), validate_formats=True, ignore_unknown_formats=False, retriever=refuse,
    )


def _where(path: list[str | int]) -> str:
    """A readable location such as `actions[2].owner` (keys of the format only)."""
    from rmp.model.paths import dotted

    return dotted(tuple(path)) or "the document"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "null": "empty",
}

_LINE_BREAKS = "\n\r\x85\u2028\u2029"

_LIMITS = {
    "minimum": "at least", "exclusiveMinimum": "more than",
    "maximum": "at most", "exclusiveMaximum": "less than",
}


def _subschema(name: str, keyword_path: list[str | int]) -> Any:
    """The schema object holding the keyword at `keyword_path`. Newer engines give the
    resolved location (`$defs/caseId/pattern`), older ones the path through `$ref`s, which
    is followed here (the bundled schemas only refer within themselves: `#/...`)."""
    root = load_schema(name)
    node: Any = root
    for part in keyword_path[:-1]:
        if part == "$ref" and isinstance(node, dict) and isinstance(node.get("$ref"), str):
            steps: list[str | int] = list(node["$ref"].removeprefix("#").split("/")[1:])
            node = root
        else:
            steps = [part]
        for step in steps:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return {}
    return node if isinstance(node, dict) else {}


def _instance_path(error: ValidationError, data: Any) -> list[str | int]:
    """The error's path into the document, with each part typed by what it indexes: the
    engine reports a mapping key that looks like a number (`mappa_level: {2: ...}`) as an
    integer, which would then be read as a list index."""
    path: list[str | int] = []
    node = data
    for part in error.instance_path:
        if isinstance(node, dict):
            key: str | int = str(part)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            key = part
            node = node[part]
        else:
            key, node = part, None
        path.append(key)
    return path


def _messages(
    error: ValidationError, document: Document, name: str,
) -> Iterator[tuple[list[str | int], str, bool]]:
    """(path, message, point at the key) for one schema error. Never uses the value."""
    import jsonschema_rs

    kinds = jsonschema_rs.ValidationErrorKind
    kind = error.kind
    path = _instance_path(error, document.data)
    keyword = str(error.schema_path[-1]) if error.schema_path else "schema"
    where = _where(path)
    if isinstance(kind, kinds.AdditionalProperties | kinds.UnevaluatedProperties):
        instance = error.instance if isinstance(error.instance, dict) else {}
        for key in kind.unexpected:
            hint = ""
            if document.in_flow_mapping(path) and instance.get(key) is None:
                hint = (" Inside `{...}` this usually means an unquoted comma split a value:"
                        " put the value in quotes.")
            yield ([*path, key],
                   f"unknown key in `{where}`: it is not part of the format (local extension "
                   f"keys must start with `x-`; keys are case-sensitive).{hint}", True)
        return
    if isinstance(kind, kinds.Required):
        message = f"`{where}` is missing the required field `{kind.property}`"
    elif isinstance(kind, kinds.Type):
        # in the schema's order ("text or a number"), which the engine does not keep
        written = _subschema(name, list(error.schema_path)).get("type", kind.types)
        types = [str(t) for t in (written if isinstance(written, list) else [written])]
        message = f"`{where}` must be " + " or ".join(_TYPE_WORDS.get(t, t) for t in types)
    elif isinstance(kind, kinds.Enum):
        message = f"`{where}` must be one of: " + ", ".join(str(v) for v in kind.options)
    elif isinstance(kind, kinds.Constant):
        message = f"`{where}` must be `{kind.expected_value}`"
    elif isinstance(kind, kinds.Pattern):
        title = _subschema(name, list(error.schema_path)).get("title")
        label = f" ({title})" if title else ""
        message = f"`{where}` is not in the expected form{label}: pattern {kind.pattern}"
        if isinstance(error.instance, str) and any(c in error.instance for c in _LINE_BREAKS):
            # a fact about the value, not the value: the likely cause is invisible in an editor
            message += (". It holds a line break: a `|` or `>` block keeps the final one,"
                        " so write the value on the key's line")
    elif isinstance(kind, kinds.Format):
        if kind.format == "date":
            message = f"`{where}` is not a valid date: write YYYY-MM-DD (a real calendar day)"
        else:
            message = f"`{where}` is not a valid {kind.format}"
    elif isinstance(kind, kinds.Minimum | kinds.ExclusiveMinimum | kinds.Maximum
                    | kinds.ExclusiveMaximum):
        message = f"`{where}` must be {_LIMITS[keyword]} {kind.limit}"
    elif isinstance(kind, kinds.MinItems):
        message = f"`{where}` needs at least {kind.limit} item(s)"
    elif isinstance(kind, kinds.MaxItems):
        message = f"`{where}` may have at most {kind.limit} item(s)"
    elif isinstance(kind, kinds.MinLength):
        message = f"`{where}` must not be empty"
    elif isinstance(kind, kinds.MaxLength):
        message = f"`{where}` is longer than {kind.limit} characters"
    elif isinstance(kind, kinds.UniqueItems):
        message = f"`{where}` lists the same entry twice"
    elif isinstance(kind, kinds.OneOfNotValid | kinds.OneOfMultipleValid | kinds.AnyOf):
        message = f"`{where}` does not match any of the allowed forms"
    elif isinstance(kind, kinds.PropertyNames):
        message = f"`{where}` has a key that is not in the expected form"
    else:
        # the keyword's name, never the engine's message (which quotes the value)
        message = f"`{where}` fails the schema's `{keyword}` check"
    yield (path, message, False)


def schema_findings(document: Document, name: str = "plan") -> list[Finding]:
    """Every schema error in a loaded document, as RMP101 findings sorted by position.

    The engine's "valid?" is the verdict: a document it rejects always has at least one
    finding, even if no error could be described."""
    from rmp.model.paths import pointer

    engine = validator(name)
    if engine.is_valid(document.data):
        return []
    findings: list[Finding] = []
    for error in engine.iter_errors(document.data):
        for path, message, at_key in _messages(error, document, name):
            line, column = document.locate(path, key=at_key)
            # an unknown key is cited by its parent's path: the key's text could be a name
            shown = path[:-1] if at_key else path
            findings.append(Finding(
                code=CODE, severity=Severity.ERROR, path=document.path, line=line,
                column=column, pointer=pointer(shown), message=message, criteria=CRITERIA,
            ))
    if not findings:
        findings.append(Finding(
            code=CODE, severity=Severity.ERROR, path=document.path, line=1, column=1,
            pointer="", message="the document does not match the schema", criteria=CRITERIA,
        ))
    findings.sort(key=Finding.sort_key)
    return findings
