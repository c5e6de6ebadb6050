"""How rmp is packaged: a distribution name nobody else holds, one version number, and
dependency floors that are tested rather than hoped for."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from rmp import __version__
from tests.conftest import ROOT

DISTRIBUTION = "rmp-hf36"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _floors() -> dict[str, str]:
    floors = {}
    for raw in (ROOT / ".ci" / "floors.txt").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            floors[name.strip().lower()] = version.strip()
    return floors


def _declared_minimums() -> dict[str, str]:
    minimums = {}
    for requirement in PYPROJECT["project"]["dependencies"]:
        found = re.match(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", requirement)
        assert found, f"{requirement}: every runtime dependency declares a floor (>=)"
        minimums[found[1].lower()] = found[2]
    return minimums


def _release(version: str) -> tuple[int, ...]:
    parts = [int(p) for p in version.split(".")]
    while len(parts) < 3:
        parts.append(0)
    return tuple(parts)


def test_the_floors_file_pins_every_runtime_dependency_at_its_declared_minimum() -> None:
    floors, minimums = _floors(), _declared_minimums()
    assert set(floors) == set(minimums)
    for name, minimum in minimums.items():
        assert _release(floors[name]) == _release(minimum), name


def test_ci_runs_the_command_level_tests_at_the_floors() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-c .ci/floors.txt" in ci
    assert ".venv-floors/bin/python -m pytest" in ci
    assert "tests/test_check_cases.py" in ci


def test_the_distribution_is_not_named_rmp() -> None:
    """`rmp` on the package index is an unrelated project: `pip install rmp` must never be the
    way in. The command and the import package keep the name."""
    project = PYPROJECT["project"]
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"rmp": "rmp.entry:main"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert DISTRIBUTION in readme
    assert not re.search(r"pip install (-\S+ )*rmp(\s|$|==)", readme)
    for name in ("github-workflow.yml", "gitlab-ci.yml"):
        text = (ROOT / "docs" / "ci" / name).read_text(encoding="utf-8")
        assert f'"{DISTRIBUTION} @ git+' in text


def test_one_version_number() -> None:
    """The version is written once, in rmp/__init__.py; the package metadata reads it."""
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["hatch"]["version"]["path"] == "rmp/__init__.py"
    assert metadata.version(DISTRIBUTION) == __version__
