"""The terminal: whether to colour, decided once for every command.

Colour only on a terminal, never when `NO_COLOR` is set to something, never for `TERM=dumb`;
`FORCE_COLOR` (non-empty) turns it on anywhere. A command's `--color` choice wins over all.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO


def use_color(stream: TextIO | None = None, choice: str = "auto") -> bool:
    """Whether output written to `stream` (default stdout) should be coloured."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    target = stream if stream is not None else sys.stdout
    try:
        return target.isatty()
    except (AttributeError, ValueError):
        return False
