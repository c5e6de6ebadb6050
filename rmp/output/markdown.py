"""Markdown for every command: one escaper and one table builder.

Values are escaped as plain text: whitespace runs (newlines too) become one space, and every
ASCII punctuation character that can start markup gets a CommonMark backslash escape, so `|`
cannot split a table cell and `<`, `[` or `!` cannot open HTML, a link or an image.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|&~$])")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def escape(value: Any) -> str:
    """`value` as Markdown text that renders exactly as written, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, escaped: bool = False) -> str:
    """A GitHub-flavoured Markdown table. Cells are escaped as plain text unless `escaped`
    says they are already Markdown (rmp's own documentation text, with code spans); even then
    a cell stays on one line and a `|` cannot split it."""
    def cell(value: Any) -> str:
        if not escaped:
            return escape(value)
        return _UNESCAPED_PIPE.sub(r"\\|", " ".join(str(value).split()))

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
