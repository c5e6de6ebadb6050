"""`rmp init`: set up a plan repository the way a team adopts rmp.

It writes the policy (`rmp.yaml`: the built-in defaults, each explained and commented out), the
`plans/` folder, copies of the plan and policy schemas under `.rmp/` with VS Code settings that
map `plans/**/*.yaml` to the copy, a pre-commit config using rmp's hook on `plans/`, a CI
workflow (GitHub or GitLab), a `.gitignore` for packs and reports, and git's semantic diff
driver (`rmp git-setup`, after `git init` when the folder is in no repository yet).

It never overwrites: a file that already exists is left as it is and named in a note (so `rmp
init` can be run again to add what is missing), and each file is created whole or not at all.
The git-setup step runs first and refuses, before anything is written, when the repository's
diff settings already say something else.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rmp import __version__
from rmp.app.common import Outcome
from rmp.errors import UsageError

CI_CHOICES = ("github", "gitlab", "none")
RMP_REPO = "https://github.com/YOUR-ORG/rmp"
"""Where the team's copy of rmp lives (for pre-commit and CI): a placeholder until `--rmp-repo`."""
RMP_REV = f"v{__version__}"
"""The release to pin: releases are tagged `v` + the version."""
PLAN_SCHEMA = ".rmp/plan.schema.json"
"""The plan schema's copy in a plan repository: editors and `rmp new` modelines point here."""
POLICY_SCHEMA = ".rmp/policy.schema.json"
PLAN_PATTERNS = ("plans/**/*.yaml", "plans/**/*.yml")
_REFERENCE = re.compile(r"[^\s\"'\\#]+\Z")


@dataclass(frozen=True)
class InitRequest:
    """What `rmp init` was asked to do."""

    folder: Path
    ci: str = "github"
    dry_run: bool = False
    rmp_repo: str = RMP_REPO
    rmp_rev: str = RMP_REV
    command: str = "rmp"


def _pin_note(request: InitRequest) -> str:
    if request.rmp_repo == RMP_REPO:
        return ("Replace YOUR-ORG/rmp with where your organisation keeps rmp (or run rmp init "
                f"--rmp-repo URL); {request.rmp_rev} is the release tag of rmp {__version__}.")
    return f"Pinned to {request.rmp_rev}: move the pin when you adopt a new release."


def _dumper() -> Any:
    """A YAML dumper that writes shared values out in full (plans and policies forbid aliases)."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return Dumper


def policy_text() -> str:
    """`rmp.yaml`: valid as it stands (the built-in defaults apply), with every key of the
    defaults written out, explained (`## `) and commented out (`# `): remove the `# ` of a
    setting's lines to change it."""
    import yaml

    from rmp.io.resources import schema_path
    from rmp.policy.defaults import DEFAULTS

    described = json.loads(schema_path("policy").read_text(encoding="utf-8"))["properties"]
    lines = [
        f"# yaml-language-server: $schema={POLICY_SCHEMA}",
        "## This repository's policy (HF36 P19): the organisation's agreed strategy, which",
        "## rmp check applies to every plan below this folder. As written, rmp's built-in",
        f"## defaults (rmp {__version__}) apply: each setting is shown commented out. To change one,",
        "## remove the `# ` at the start of its lines and edit the value. `rmp policy show plans/`",
        "## prints the policy in force and where each value comes from.",
        f"format: {DEFAULTS['format']}",
        "",
    ]
    dumper = _dumper()
    for key, value in DEFAULTS.items():
        if key == "format":
            continue
        description = str(described.get(key, {}).get("description", ""))
        lines += ["## " + line for line in textwrap.wrap(description, 94)]
        if isinstance(value, dict | list) and value:
            dumped = yaml.dump({key: value}, Dumper=dumper, sort_keys=False, allow_unicode=True,
                               default_flow_style=None, width=92)
        else:  # a scalar or an empty list, on the key's line
            scalar = yaml.dump(value, Dumper=dumper, default_flow_style=True).splitlines()[0]
            dumped = f"{key}: {scalar}"
        lines += ["# " + line for line in dumped.rstrip("\n").splitlines()]
        lines.append("")
    return "\n".join(lines)


def planned_files(request: InitRequest) -> dict[str, bytes]:
    """Every file `rmp init` writes, by its path in the repository, in the order written."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from rmp.io.resources import data_dir, schema_path

    environment = Environment(loader=FileSystemLoader(str(data_dir("templates") / "init")),
                              undefined=StrictUndefined, keep_trailing_newline=True,
                              autoescape=False)  # YAML and JSON; the values are checked
    values = {"rmp_repo": request.rmp_repo, "rmp_rev": request.rmp_rev,
              "pin_note": _pin_note(request), "plan_schema": PLAN_SCHEMA,
              "policy_schema": POLICY_SCHEMA}

    def render(name: str) -> bytes:
        return environment.get_template(name).render(**values).encode("utf-8")

    files = {
        "rmp.yaml": policy_text().encode("utf-8"),
        "plans/.gitkeep": b"",
        PLAN_SCHEMA: schema_path("plan").read_bytes(),
        POLICY_SCHEMA: schema_path("policy").read_bytes(),
        ".vscode/settings.json": render("vscode-settings.json.j2"),
        ".pre-commit-config.yaml": render("pre-commit-config.yaml.j2"),
        ".gitignore": (data_dir("templates") / "init" / "gitignore").read_bytes(),
    }
    if request.ci == "github":
        files[".github/workflows/rmp.yml"] = render("github-workflow.yml.j2")
    elif request.ci == "gitlab":
        files[".gitlab-ci.yml"] = render("gitlab-ci.yml.j2")
    return files


def _validate(request: InitRequest) -> None:
    if request.ci not in CI_CHOICES:
        raise UsageError(f"--ci must be one of: {', '.join(CI_CHOICES)}")
    for option, value in (("--rmp-repo", request.rmp_repo), ("--rmp-rev", request.rmp_rev)):
        if not _REFERENCE.match(value) or value.startswith("-"):
            raise UsageError(f"{option} must be one word without spaces, quotes or '#'")
    if request.folder.exists() and not request.folder.is_dir():
        raise UsageError(f"{request.folder}: not a folder")


def _in_work_tree(folder: Path) -> bool:
    from rmp.history.git import Repo

    if not folder.exists():
        return False
    try:
        Repo.at(folder)
    except UsageError:
        return False
    return True


def run_init(request: InitRequest) -> Outcome:
    """The `rmp init` job."""
    from rmp.history.git import init_repository
    from rmp.history.setup import git_setup
    from rmp.io.fileio import create_new

    _validate(request)
    files = planned_files(request)
    folder = request.folder
    outcome = Outcome()
    report: list[str] = []
    in_git = _in_work_tree(folder)
    if request.dry_run:
        if not in_git:
            report.append(f"would run: git init {folder}")
        report.append("would run: rmp git-setup " +
                      " ".join(f"--pattern '{p}'" for p in PLAN_PATTERNS))
        for name in files:
            exists = (folder / name).exists() or (folder / name).is_symlink()
            report.append(f"would skip {name} (exists)" if exists else f"would write {name}")
        outcome.stdout = "\n".join(report) + "\n"
        return outcome
    folder.mkdir(parents=True, exist_ok=True)
    if not in_git:
        init_repository(folder)
        report.append(f"ran git init {folder}")
    report += git_setup(folder, PLAN_PATTERNS, request.command)
    for name, content in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if create_new(target, content, mode=0o644):
            report.append(f"wrote {name}")
        else:
            outcome.note(f"{name} already exists: left as it is (rmp init never overwrites)")
    report.append("Next: add plans with `rmp new plans/<plan id>.yaml`, check them with "
                  "`rmp check plans/`, and run `pre-commit install` to check each commit.")
    outcome.stdout = "\n".join(report) + "\n"
    return outcome
