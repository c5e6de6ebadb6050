"""Reading the file (RMP0xx) and its shape (RMP101).

These findings come from the loader (`rmp.io.load`) and the schema (`rmp.io.schema`), not from a
check over the plan; they are registered here so that `rmp rules`, `rmp explain` and
`rmp criteria` document them with the rest. They are always errors and cannot be switched off.
"""

from __future__ import annotations

from collections.abc import Iterator

from rmp.rules.registry import Hit, Rule, RuleContext, rule

RULES: list[Rule] = []


@rule(RULES, "RMP001", "unreadable-text", "error", "P17",
      "file cannot be read as text: not UTF-8, NUL or control/bidi characters, too large",
      phase="load")
def unreadable_text(ctx: RuleContext) -> Iterator[Hit]:
    """The file is not clean UTF-8 text, so no one can be sure what it says.

    Plans are read by people and by tools; invisible control characters and bidirectional
    overrides can make the text on screen differ from what is stored, and a file of several
    megabytes is not a plan. A single byte-order mark at the very start is accepted.

    Fails: a file saved as Latin-1 (`café` as byte E9), a NUL byte, U+202E in a value, a file
    over 1 MiB.
    Passes: the same file saved as UTF-8 without the control characters.
    Fix: save as UTF-8; delete the character at the line and column given.
    """
    yield from ()


@rule(RULES, "RMP002", "yaml-syntax", "error", "P17", "YAML syntax error", phase="load")
def yaml_syntax(ctx: RuleContext) -> Iterator[Hit]:
    """The file is not valid YAML, or holds more than one YAML document.

    Fails: `actions: [A1, A2` (the list is never closed).
    Passes: `actions: [A1, A2]`.
    Fix: look at the line and column given, and the line before it.
    """
    yield from ()


@rule(RULES, "RMP003", "duplicate-key", "error", "P17",
      "duplicate mapping key (both lines named)", phase="load")
def duplicate_key(ctx: RuleContext) -> Iterator[Hit]:
    """The same key appears twice in one mapping.

    YAML keeps only the last value, so the first is silently lost: a RoSH rating written twice
    would quietly lose one of them. rmp refuses the file and names both lines.

    Fails:
        rosh:
          children: {community: high}
          children: {community: low}
    Passes: one `children:` entry with the rating the assessment gives.
    Fix: keep the value that is right and delete the other.
    """
    yield from ()


@rule(RULES, "RMP004", "unsafe-yaml", "error", "P17",
      "anchors/aliases, tags, or nesting deeper than the limit", phase="load")
def unsafe_yaml(ctx: RuleContext) -> Iterator[Hit]:
    """The file uses YAML features a plan never needs and that can hide or multiply content.

    Anchors and aliases (`&x`, `*x`) make one text appear in several places (and can make a
    tiny file expand enormously); tags (`!!python/...`) ask a loader to build objects; very
    deep nesting exhausts memory. None is needed to write a plan.

    Fails: `triggers: *common_triggers`.
    Passes: the triggers written out in the list.
    Fix: write the value out in full; remove the tag.
    """
    yield from ()


@rule(RULES, "RMP005", "format-version", "error", "P17",
      "`format` missing or not a supported version", phase="load")
def format_version(ctx: RuleContext) -> Iterator[Hit]:
    """The file does not say which format it is in, or names one this rmp does not know.

    Every plan starts with `format: rmp/1`, so a file is never half-understood by a tool
    that expects another version. A YAML file in a plan folder without `format` is reported,
    never skipped silently.

    Fails: a plan with no `format:` line; `format: rmp/9`.
    Passes: `format: rmp/1` as the first key.
    Fix: add `format: rmp/1` (or run `rmp new` and copy the content across).
    """
    yield from ()


@rule(RULES, "RMP101", "schema", "error", "P17",
      "schema violation (type, required, enum, pattern, date format, unknown key)",
      phase="schema")
def schema(ctx: RuleContext) -> Iterator[Hit]:
    """The plan does not match the rmp/1 format (`schemas/plan.schema.json`).

    Every error is reported with its position and the field's path, never its value. An
    unknown key is cited by its parent's path (a key could hold a name); inside `{...}` an
    unknown key with no value usually means an unquoted comma split a value. Completeness rules
    run once the plan matches the format.

    Fails: `status: in progres`; `due: 2027-02-30`; `ownr: {agency: police}`.
    Passes: `status: in-progress`; `due: 2027-02-28`; `owner: {agency: police, role: PPU}`.
    Fix: use the field names and values of the format; an editor with the YAML language
    server shows them as you type (see the modeline `rmp new` writes).
    """
    yield from ()
