"""JSON Schema validation of plans and policies, as findings with positions and no values.

jsonschema's own messages quote the offending value (`'12 High St' is not a 'date'`), so every
message here is rebuilt from the error's path, keyword and schema. The validator is built once
per process, with a format checker that is asserted to cover every format the schema uses, and
a reference registry that refuses to fetch anything over the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rmp.findings import Finding, Severity
from rmp.io.resources import schema_path

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from rmp.io.load import Document

CODE = "RMP101"
CRITERIA = ("P17",)


@lru_cache(maxsize=4)
def load_schema(name: str) -> dict[str, Any]:
    """The bundled schema `plan` or `policy` as a dict."""
    with schema_path(name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def _formats_used(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            found.add(node["format"])
        for value in node.values():
            found |= _formats_used(value)
    elif isinstance(node, list):
        for value in node:
            found |= _formats_used(value)
    return found


@lru_cache(maxsize=4)
def validator(name: str) -> Validator:
    """A Draft 2020-12 validator for a bundled schema, built once per process."""
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Any:
        # bundled schemas only reference themselves: never fetch anything
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs class

    schema = load_schema(name)
    checker = Draft202012Validator.FORMAT_CHECKER
    missing = _formats_used(schema) - set(checker.checkers)
    if missing:
        raise RuntimeError(f"schema {name} uses formats with no checker: {sorted(missing)}")
    registry: Registry[Any] = Registry(retrieve=refuse)  # type: ignore[call-arg]
    return Draft202012Validator(schema, format_checker=checker, registry=registry)


@lru_cache(maxsize=4)
def fast_validator(name: str) -> Any:
    """A compiled (Rust) validator for the same schema, or None where jsonschema-rs is not
    installed. It only answers "valid or not": the messages always come from `validator`,
    which plans with errors (the minority) then go through."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a platform without a jsonschema-rs wheel
        return None

    def refuse(uri: str) -> Any:
        raise ValueError(f"rmp never fetches schemas: {uri}")

    return jsonschema_rs.validator_for(load_schema(name), validate_formats=True, retriever=refuse)


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


def _type_words(expected: Any) -> str:
    if isinstance(expected, list):
        return " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in expected)
    return _TYPE_WORDS.get(str(expected), str(expected))


def _unknown_keys(error: Any) -> list[str]:
    """The keys of an object that its schema does not allow (additionalProperties: false)."""
    instance = error.instance
    if not isinstance(instance, dict):
        return []
    schema = error.schema
    allowed = set(schema.get("properties", {}))
    patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [
        key for key in instance
        if key not in allowed and not any(p.search(key) for p in patterns)
    ]


def _messages(error: Any, document: Document) -> Iterator[tuple[list[str | int], str, bool]]:
    """(path, message, point at the key) for one schema error (a jsonschema ValidationError,
    whose attributes the stubs type loosely). Never uses the value."""
    path: list[str | int] = list(error.absolute_path)
    where = _where(path)
    keyword = error.validator
    expected = error.validator_value
    if keyword == "additionalProperties":
        for key in _unknown_keys(error):
            hint = ""
            if document.in_flow_mapping(path) and error.instance.get(key) is None:
                hint = (" Inside `{...}` this usually means an unquoted comma split a value:"
                        " put the value in quotes.")
            yield ([*path, key],
                   f"unknown key in `{where}`: it is not part of the format (local extension "
                   f"keys must start with `x-`; keys are case-sensitive).{hint}", True)
        return
    if keyword == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        for name in expected:
            if name not in present:
                yield (path, f"`{where}` is missing the required field `{name}`", False)
        return
    if keyword == "type":
        message = f"`{where}` must be {_type_words(expected)}"
    elif keyword == "enum":
        choices = ", ".join(str(v) for v in expected)
        message = f"`{where}` must be one of: {choices}"
    elif keyword == "const":
        message = f"`{where}` must be `{expected}`"
    elif keyword == "pattern":
        title = error.schema.get("title")
        label = f" ({title})" if title else ""
        message = f"`{where}` is not in the expected form{label}: pattern {expected}"
    elif keyword == "format":
        if expected == "date":
            message = f"`{where}` is not a valid date: write YYYY-MM-DD (a real calendar day)"
        else:
            message = f"`{where}` is not a valid {expected}"
    elif keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        relation = {
            "minimum": "at least", "exclusiveMinimum": "more than",
            "maximum": "at most", "exclusiveMaximum": "less than",
        }[keyword]
        message = f"`{where}` must be {relation} {expected}"
    elif keyword == "minItems":
        message = f"`{where}` needs at least {expected} item(s)"
    elif keyword == "maxItems":
        message = f"`{where}` may have at most {expected} item(s)"
    elif keyword == "minLength":
        message = f"`{where}` must not be empty"
    elif keyword == "maxLength":
        message = f"`{where}` is longer than {expected} characters"
    elif keyword == "uniqueItems":
        message = f"`{where}` lists the same entry twice"
    elif keyword in ("oneOf", "anyOf"):
        message = f"`{where}` does not match any of the allowed forms"
    elif keyword == "propertyNames":
        message = f"`{where}` has a key that is not in the expected form"
    else:
        message = f"`{where}` fails the schema's `{keyword}` check"
    yield (path, message, False)


def schema_findings(document: Document, name: str = "plan") -> list[Finding]:
    """Every schema error in a loaded document, as RMP101 findings sorted by position."""
    from rmp.model.paths import pointer

    fast = fast_validator(name)
    if fast is not None and fast.is_valid(document.data):
        return []
    findings: list[Finding] = []
    for error in validator(name).iter_errors(document.data):
        for path, message, at_key in _messages(error, document):
            line, column = document.locate(path, key=at_key)
            # an unknown key is cited by its parent's path: the key's text could be a name
            shown = path[:-1] if at_key else path
            findings.append(Finding(
                code=CODE, severity=Severity.ERROR, path=document.path, line=line,
                column=column, pointer=pointer(shown), message=message, criteria=CRITERIA,
            ))
    findings.sort(key=Finding.sort_key)
    return findings
