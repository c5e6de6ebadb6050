"""A pack as a stream of text: the templates' output tidied piece by piece, so that a pack of
thousands of plans is never held whole (issue 10: memory stays flat as packs grow).

`tidy` gives exactly what the whole-text tidy gives (`tidy_text`, kept as the reference and
for tests): trailing spaces and tabs dropped from every line, runs of blank lines cut to one,
no blank line at the start or the end, one newline at the end; in Markdown, no blank line
between two `- **Field:** value` lines. It works on blocks of about `BLOCK` characters: the
rules look only at a line, the blank lines after it and the start of the next line, so each
block is tidied whole except its last line, which waits, with what follows it, for the next.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

BLOCK = 1 << 16
"""Characters gathered before a block is tidied and passed on."""

_TRAILING = re.compile(r"[ \t]+\n")
_BLANK_RUN = re.compile(r"\n{3,}")
_MD_FIELDS = re.compile(r"(^- \*\*.*\n)\n+(?=- \*\*)", re.M)


def _lines(text: str, markdown: bool) -> str:
    # the rules between lines (the trailing spaces are gone already)
    text = _BLANK_RUN.sub("\n\n", text)
    if markdown:
        # keep "- **Field:** value" lists tight (values hold no newline: they are escaped)
        text = _MD_FIELDS.sub(r"\1", text)
    return text


def tidy_text(text: str, markdown: bool) -> str:
    """The whole document tidied at once: the reference `tidy` must equal."""
    text = _lines(_TRAILING.sub("\n", text), markdown)
    return text.strip("\n") + "\n"


def tidy(pieces: Iterable[str], markdown: bool, block: int | None = None) -> Iterator[str]:
    """`tidy_text` of the concatenated `pieces`, given as blocks of about `block` characters
    (default `BLOCK`)."""
    block = block or BLOCK
    held: list[str] = []
    size = 0
    carry = ""  # the last line seen, the newlines after it and a line not yet ended
    started = False  # something is written: leading newlines are dropped until then
    for piece in pieces:
        held.append(piece)
        size += len(piece)
        if size < block:
            continue
        text = carry + "".join(held)
        held, size = [], 0
        end = text.rfind("\n") + 1
        complete = _TRAILING.sub("\n", text[:end])
        if not started:
            complete = complete.lstrip("\n")
        core = complete.rstrip("\n")  # whole lines, the last one not empty
        done = _lines(core, markdown)
        cut = done.rfind("\n") + 1  # the start of the last line: it waits for the next one
        if cut == 0:
            carry = complete + text[end:]
            continue
        carry = done[cut:] + complete[len(core):] + text[end:]
        started = True
        yield done[:cut]
    text = _lines(_TRAILING.sub("\n", carry + "".join(held)), markdown)
    yield (text.lstrip("\n") if not started else text).rstrip("\n") + "\n"
