"""Where the bundled schemas and templates are.

In a wheel they ship inside the package (`rmp/_data/`); in a source checkout or an editable
install they are the repository's top-level `schemas/` and `templates/` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def data_dir(kind: str) -> Path:
    """The folder holding the bundled `schemas` or `templates`."""
    for candidate in (_PACKAGE / "_data" / kind, _PACKAGE.parent / kind):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"rmp installation is incomplete: no bundled {kind} folder")


def schema_path(name: str) -> Path:
    """Path of a bundled schema: `plan` or `policy`."""
    return data_dir("schemas") / f"{name}.schema.json"
