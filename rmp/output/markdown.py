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


def escape(value: Any) -> str:
    """`value` as Markdown text that renders exactly as written, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], *, escaped: bool = False) -> str:
    """A GitHub-flavoured Markdown table. Cells are escaped unless `escaped` says the caller
    has already made them Markdown (a cell holding a link or code span)."""
    def cell(value: Any) -> str:
        return str(value) if escaped else escape(value)

    lines = ["| " + " | ".join(cell(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
