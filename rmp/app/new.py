"""`rmp new`: a new plan file from the bundled template, written without ever overwriting.

The file is written in full to a private temporary file in the target's folder, then linked
into place: `link(2)` fails if anything (a file, a symbolic link) already has that name, so an
existing file is never touched and a half-written plan never appears under the target name.
New plans are readable by their owner only (they hold personal data).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rmp import __version__
from rmp.errors import UsageError
from rmp.io.resources import data_dir
from rmp.model.vocabulary import LEVELS
from rmp.policy.model import Policy

if TYPE_CHECKING:
    from rmp.app.common import Outcome

CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
AGENCY_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")
FILE_MODE = 0o600


@dataclass(frozen=True)
class NewPlan:
    """The essentials `rmp new` asks for."""

    case_ref: str
    plan_id: str
    lead: str
    rosh: str

    def validate(self) -> None:
        """Raise UsageError naming the first field that is not in the format's form."""
        if not CASE_ID.match(self.case_ref):
            raise UsageError("case ref must be letters, digits, '.', '_' or '-' (max 64)")
        if not CASE_ID.match(self.plan_id):
            raise UsageError("plan id must be letters, digits, '.', '_' or '-' (max 64)")
        if not AGENCY_ID.match(self.lead):
            raise UsageError("lead agency must be a lower-case id such as `probation`")
        if self.rosh not in LEVELS:
            raise UsageError(f"RoSH must be one of: {', '.join(LEVELS)}")


def default_schema_ref(target: Path) -> str | None:
    """The modeline's schema, relative to the new plan's folder, so an editor with the YAML
    language server validates the plan as it is typed: the repository's copy (`rmp init` puts
    one at `.rmp/plan.schema.json`), found walking up to the folder holding `.git`; else the
    bundled schema, unless that lies in an installed environment (a virtual environment's
    site-packages moves and disappears with it): then None, and the plan says how to get one."""
    from rmp.app.init import PLAN_SCHEMA
    from rmp.io.resources import schema_path

    folder = target.absolute().parent
    for candidate in (folder, *folder.parents):
        if (candidate / PLAN_SCHEMA).is_file():
            return os.path.relpath(candidate / PLAN_SCHEMA, folder).replace(os.sep, "/")
        if (candidate / ".git").exists():
            break
    bundled = schema_path("plan").resolve()
    installed = {"site-packages", "dist-packages"} & set(bundled.parts) or any(
        bundled.is_relative_to(Path(prefix).resolve())
        for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix})
    if installed:
        return None
    return os.path.relpath(bundled, folder.resolve()).replace(os.sep, "/")


def render_plan(
    plan: NewPlan, today: date, policy: Policy, file_name: str, schema_ref: str | None
) -> str:
    """The text of a new plan. Every interpolated value has been validated against the
    format's ID patterns, so none can break the YAML."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    plan.validate()
    if schema_ref is not None and any(c in schema_ref for c in "\n\r"):
        raise UsageError("the schema reference must be one line")
    intervals = policy["review_interval_days"]["rosh"]
    try:
        next_review = today + timedelta(days=int(intervals.get(plan.rosh, 365)))
    except OverflowError:
        raise UsageError("--today is too late: the first review date would be after "
                         "9999-12-31") from None
    environment = Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # YAML output; values are validated IDs and enum values only
    )
    template = environment.get_template("plan.yaml.j2")
    return template.render(
        plan_id=plan.plan_id,
        case_ref=plan.case_ref,
        lead=plan.lead,
        rosh=plan.rosh,
        today=today.isoformat(),
        next_review=next_review.isoformat(),
        version=__version__,
        file_name=file_name,
        schema_url=schema_ref,
    )


def create_plan(essentials: NewPlan, today: date, path: Path | None,
                schema_ref: str | None) -> Outcome:
    """The `rmp new` job: validate the essentials, fill the template under the policy in
    force where the plan will live, create the file."""
    from rmp.app.common import Outcome
    from rmp.io.fileio import create_new_or_refuse
    from rmp.rules.catalogue import CataloguePolicyResolver as PolicyResolver

    essentials.validate()
    target = path if path is not None else Path(f"{essentials.plan_id}.yaml")
    policy = PolicyResolver().for_plan(target.absolute())
    text = render_plan(essentials, today, policy, target.name,
                       schema_ref or default_schema_ref(target))
    create_new_or_refuse(target, text, "rmp new")
    return Outcome(stdout=f"Created {target}. Fill in the TODOs, then run: rmp check {target}\n")
