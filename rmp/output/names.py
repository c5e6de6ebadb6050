"""File names as they may reach a terminal, a log or an XML report: control characters (escape
sequences included), C1 controls, line and paragraph separators and bidirectional-text
controls each become `?`. A file name is the one thing from outside that every report
prints."""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                          "\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def printable(text: str) -> str:
    """`text` with every character that could drive a terminal, reorder the line or break XML
    replaced by `?` (a name undecodable as UTF-8 holds surrogates: they go too)."""
    return _UNPRINTABLE.sub("?", text)
