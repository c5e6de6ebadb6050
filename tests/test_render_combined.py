"""The four features of issue 10 together: the individual's copy, `--for AGENCY_ID`, the
meeting order (findings box, `--attendees`) and the timelines with the summary strip.

One throwaway git repository holds a fictional plan with a unique sentinel planted in every
place that must stay out of some copy (victims, victim-services agencies, disclosures,
concerns, intelligence and third-party sources, victim-safety actions, confidential items,
the household, who is at risk), committed in two versions so `--since` and the timelines
have history; a second plan makes packs. Each test runs the CLI as a user would and reads
the files and exit codes it gives.
"""

from __future__ import annotations

import copy
import html
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
POLICY = ROOT / "examples" / "rmp.yaml"
GENERATED = "2026-11-27T09:00:00Z"
SINCE = "2026-07-01"
WIDE_POLICY = """format: rmp-policy/1
audiences:
  individual:
    title: The individual
    plain_language: true
    confidential: true
    include: ["*", "individual.household", "individual.household[*].x-note"]
  person:
    title: The person (a plain-language audience of the policy)
    plain_language: true
    include: ["*"]
  panel:
    title: Panel
    confidential: true
    include: ["*", "individual.household[*].x-note"]
"""
ATTENDEES = """# Fictional test data.
attendees:
  - {name: ZZATTENDEECHAIRQQ, role: Chair, agency: Exampleton Probation}
  - {name: "<script>alert(1)</script>", role: "a | b | c", agency: "[x](javascript:alert(1))"}
  - {name: "![i](http://evil.invalid/x.png)", role: "<img src=x onerror=alert(1)>",
     agency: "line\\nbreak # h", present: false}
"""


def _sentinel_plan(tag: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The domestic abuse example with sentinels, grouped by what they are about."""
    plan: dict[str, Any] = copy.deepcopy(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")))
    planted: dict[str, list[str]] = {}

    def s(kind: str, name: str) -> str:
        value = f"ZZ{name.upper()}{tag.upper()}QQ"
        planted.setdefault(kind, []).append(value)
        return value

    for n, victim in enumerate(plan["victims"]):
        victim.update(description=s("victim", f"vdesc{n}"), views=s("victim", f"vviews{n}"),
                      vlo=True, marac=True, child_status="child-in-need", confidential=False)
    plan["victims"].append({"id": "V9", "description": s("victim", "childvictim"),
                            "group": "children", "child_status": "cp-plan",
                            "views": s("victim", "childviews")})
    for agency in plan["agencies"]:
        if agency["kind"] == "victim-services":
            agency.update(name=s("vsagency", "idvaname"), plain=s("vsagency", "idvaplain"))
    plan["agencies"] += [
        {"id": "refuge", "name": s("vsagency", "refugename"), "kind": "victim-services",
         "role": "partner", "plain": s("vsagency", "refugeplain")},
        {"id": "covert-unit", "name": s("agency", "covertname"), "kind": "police",
         "role": "partner"}]
    for n, action in enumerate(plan["actions"]):
        if action["pillar"] == "victim-safety":
            action.update(title=s("vsaction", f"vsact{n}"), measure=s("vsaction", f"vsmeas{n}"),
                          plain=s("vsaction", f"vsplain{n}"), confidential=False)
            action["owner"]["role"] = s("vsaction", f"vsrole{n}")
    plan["actions"] += [
        {"id": "A99", "pillar": "victim-safety", "title": s("vsaction", "vsnew"),
         "owner": {"agency": "refuge", "role": s("vsaction", "refugerole"),
                   "name": s("vsaction", "refugeperson")},
         "start": "2026-01-01", "due": "2026-10-01", "measure": s("vsaction", "vsnewmeasure"),
         "status": "in-progress"},
        {"id": "A98", "pillar": "monitoring-control", "title": s("confidential", "confact"),
         "owner": {"agency": "covert-unit", "role": s("confidential", "covertrole")},
         "start": "2026-01-01", "due": "2026-10-01", "measure": s("confidential", "confmeas"),
         "status": "in-progress", "confidential": True, "plain": s("confidential", "confplain")}]
    for n, disclosure in enumerate(plan["disclosures"]):
        disclosure.update(reason=s("disclosure", f"disc{n}"),
                          plain=s("disclosure", f"discplain{n}"), confidential=False)
    for n, concern in enumerate(plan["concerns"]):
        concern.update(summary=s("concern", f"conc{n}"),
                       decision_reason=s("concern", f"concreason{n}"),
                       plain=s("concern", f"concplain{n}"), confidential=False)
    plan["assessment"]["sources"] += [
        {"id": "SRC90", "title": s("intelligence", "intel"), "kind": "intelligence",
         "date": "2026-11-01", "reliability": "hearsay"},
        {"id": "SRC91", "title": s("intelligence", "thirdparty"), "kind": "third-party",
         "date": "2026-11-01", "reliability": "hearsay"}]
    plan["risk_factors"] += [
        {"id": "RF9", "title": s("intelligence", "intelrf"), "plain": s("intelligence", "rfplain"),
         "domain": "attitudes", "priority": 3, "evidence": ["SRC90", "SRC91"]},
        {"id": "RF8", "title": s("confidential", "confrf"), "plain": s("confidential", "confrfplain"),
         "domain": "attitudes", "priority": 3, "evidence": ["SRC1"], "confidential": True}]
    plan["controls"].append({"id": "C90", "kind": "external", "basis": "licence",
                             "title": s("intelligence", "ctl"), "plain": s("intelligence", "ctlplain"),
                             "evidence": ["SRC90", "SRC91"], "enforced_by": "probation",
                             "on_breach": "recall"})
    plan["contingency"].append({"id": "CT90", "when": s("victim", "ctv1") + " V1 seen",
                                "then": "call", "plain": s("victim", "ctv1plain") + " V1",
                                "owner": {"agency": "police", "role": "duty"},
                                "within_hours": 2})
    plan["scenarios"].append({"id": "SC90", "type": "twist",
                              "description": s("victim", "sccites") + " after A99",
                              "who": s("victim", "scwho")})
    plan["individual"]["household"] = [{"relation": "other-child", "age": 7,
                                        "x-note": s("household", "household")}]
    plan["assessment"]["who_at_risk"] = s("household", "whoatrisk")
    return plan, planted


def _git(root: Path, *args: str, day: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_GLOBAL=str(root / ".no-gitconfig"), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Sam Example", GIT_AUTHOR_EMAIL="sam@example.invalid",
               GIT_COMMITTER_NAME="Sam Example", GIT_COMMITTER_EMAIL="sam@example.invalid",
               GIT_AUTHOR_DATE=f"{day}T10:00:00+00:00", GIT_COMMITTER_DATE=f"{day}T10:00:00+00:00")
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env,
                          check=False)
    assert done.returncode == 0, done.stderr


def _write(path: Path, data: dict[str, Any]) -> None:
    path.write_text("# Fictional test data.\n" + yaml.safe_dump(data, sort_keys=False),
                    encoding="utf-8")


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.plan = root / "plans" / "plan.yaml"
        self.plan2 = root / "plans" / "plan2.yaml"
        self.wide = root / "wide.yaml"
        self.attendees = root / "attendees.yaml"
        self.planted: dict[str, list[str]] = {}
        self.cache: dict[tuple[str, ...], tuple[int, str, str]] = {}

    def sentinels(self, *kinds: str) -> list[str]:
        return [s for kind in kinds for s in self.planted[kind]]

    def render(self, *args: str) -> tuple[int, str, str]:
        if args not in self.cache:
            run = run_rmp(["render", *args, "--today", TODAY, "--generated", GENERATED])
            self.cache[args] = (run.exit_code, run.stdout, run.stderr)
        return self.cache[args]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """Version 1 (1 Jun 2026: known adult medium, MAPPA 1, no A99) and version 2 (1 Sep
    2026) of the sentinel plan, and a second plan, committed; policies and attendees."""
    found = Repo(tmp_path_factory.mktemp("combined"))
    found.plan.parent.mkdir()
    _git(found.root, "init", "-q", day="2026-06-01")
    old, planted_old = _sentinel_plan("old")
    old["assessment"]["rosh"]["known_adult"]["community"] = "medium"
    old["assessment"]["mappa"]["level"] = 1
    old["actions"] = [a for a in old["actions"] if a["id"] != "A99"]
    _write(found.plan, old)
    other, planted_two = _sentinel_plan("two")
    other["plan"]["id"], other["individual"]["ref"] = "RMP-1002", "X001002"
    _write(found.plan2, other)
    _git(found.root, "add", "plans", day="2026-06-01")
    _git(found.root, "commit", "-qm", "first", day="2026-06-01")
    new, planted_new = _sentinel_plan("new")
    _write(found.plan, new)
    _git(found.root, "commit", "-qam", "second", day="2026-09-01")
    for planted in (planted_old, planted_new, planted_two):
        for kind, values in planted.items():
            found.planted.setdefault(kind, []).extend(values)
    found.wide.write_text(WIDE_POLICY, encoding="utf-8")
    found.attendees.write_text(ATTENDEES, encoding="utf-8")
    return found


def _text(rendered: str) -> str:
    """What a reader sees: HTML entities and Markdown escapes undone, the stylesheet out."""
    return html.unescape(re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)).replace("\\", "")


ITEM_ID = re.compile(r"\b(?:RF|PF|OBJ|OPT|OFF|SRC|CT|SC|DS|CN|A|C|V)\d+\b")
EVERYTHING_SECRET = ("victim", "vsagency", "vsaction", "disclosure", "concern", "intelligence",
                     "confidential", "household", "agency")
WITH_HISTORY = ("--since", SINCE, "--meeting", "MAPPA level 2 meeting")


# -- 1 and 6: the individual's copy --------------------------------------------------------

@pytest.mark.parametrize("policy", ["examples", "wide"])
@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("extra", [(), WITH_HISTORY, ("--attendees", "ATT", *WITH_HISTORY)],
                         ids=["plain", "since", "since-attendees"])
def test_the_individual_copy_holds_no_sentinel_no_id_no_picture_no_finding(
        repo: Repo, policy: str, fmt: str, extra: tuple[str, ...]) -> None:
    options = [str(repo.attendees) if e == "ATT" else e for e in extra]
    code, out, err = repo.render(
        str(repo.plan), "--audience", "individual", "--format", fmt,
        "--policy", str(POLICY if policy == "examples" else repo.wide), *options)
    assert code == 0, err
    text = _text(out)
    assert [s for s in repo.sentinels(*EVERYTHING_SECRET) if s in text] == []
    assert ITEM_ID.findall(text) == []
    assert "<svg" not in out and "History of this plan" not in text  # no timeline
    assert "Check findings" not in text and re.search(r"\bRMP\d{3}\b", text) is None
    assert "ZZATTENDEECHAIRQQ" not in text  # the meeting's attendance is not his copy's
    assert "Other child" not in text and "ousehold" not in text  # other people's information
    if "--since" in extra:
        assert "Changes since" in text  # the history was read, and told without IDs


def test_a_plain_language_audience_of_several_plans_is_refused(repo: Repo,
                                                               tmp_path: Path) -> None:
    """Not only the built-in name: any audience written for the person is one person's."""
    out = tmp_path / "pack.html"
    run = run_rmp(["render", str(repo.plan), str(repo.plan2), "--audience", "person",
                   "--policy", str(repo.wide), "--out", str(out), "--today", TODAY])
    assert run.exit_code == 2
    assert "one person's own copy" in run.stderr
    assert not out.exists()


# -- 1: one agency's pack ---------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("plans", [1, 2])
def test_housing_sees_no_victim_disclosure_concern_or_victim_safety_sentinel(
        repo: Repo, fmt: str, plans: int) -> None:
    paths = [str(repo.plan), str(repo.plan2)][:plans]
    code, out, err = repo.render(*paths, "--for", "housing", "--format", fmt,
                                 "--policy", str(POLICY), "--attendees", str(repo.attendees),
                                 *WITH_HISTORY)
    assert code == 0, err
    text = _text(out)
    secret = repo.sentinels("victim", "vsaction", "disclosure", "concern", "confidential",
                            "household")
    assert [s for s in secret if s in text and "WHOATRISK" not in s] == []
    assert "Exampleton Housing Options" in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_panel_copy_has_every_sentinel(repo: Repo, fmt: str) -> None:
    code, out, err = repo.render(str(repo.plan), str(repo.plan2), "--audience", "panel",
                                 "--format", fmt, "--policy", str(repo.wide),
                                 "--attendees", str(repo.attendees), *WITH_HISTORY)
    assert code == 0, err
    text = _text(out)
    # a professional pack shows titles, not the person's `plain:` words; an x- note on a
    # household member is never drawn (the concerns table shows decision reasons since the
    # chair's review)
    current = [s for s in repo.sentinels(*EVERYTHING_SECRET)
               if "OLDQQ" not in s and "PLAIN" not in s and "ZZHOUSEHOLD" not in s]
    assert [s for s in current if s not in text] == []


# -- 2: the findings box ----------------------------------------------------------------------

def _findings(out: str) -> str:
    text = _text(out)
    boxes = re.findall(r"## Check findings\n(.*?)(?=\n#)", text, flags=re.S)
    assert boxes
    return "\n".join(boxes)


def test_findings_about_what_an_audience_may_not_see_stay_out_of_its_box(repo: Repo) -> None:
    common = ("--format", "md", "--policy", str(POLICY), "--no-timeline")
    panel = _findings(repo.render(str(repo.plan), "--audience", "panel", *common)[1])
    agencies = _findings(repo.render(str(repo.plan), "--audience", "agencies", *common)[1])
    housing = _findings(repo.render(str(repo.plan), "--for", "housing", *common)[1])
    # the panel's box names them: the checks below would pass vacuously otherwise
    for needle in ("A98", "RF8", "covert-unit", "RMP329", "A99", "V9", "DS1", "CN1", "refuge"):
        assert needle in panel
    for needle in ("A98", "RF8", "covert-unit", "RMP329"):  # confidential; the household
        assert needle not in agencies and needle not in housing
    for needle in ("A99", "V9", "DS1", "CN1", "refuge", "A9 ", "A10", "A11"):
        assert needle not in housing  # victims, victim safety, a disclosure, a concern


# -- 3: timelines and the strip ---------------------------------------------------------------

@pytest.mark.parametrize("audience", [("--audience", "panel"), ("--audience", "agencies"),
                                      ("--for", "housing"),
                                      ("--for", "housing", "--audience", "panel")])
def test_svgs_hold_no_free_text_and_no_active_content(repo: Repo,
                                                      audience: tuple[str, ...]) -> None:
    code, out, err = repo.render(str(repo.plan), str(repo.plan2), *audience, "--format", "html",
                                 "--policy", str(repo.wide), *WITH_HISTORY)
    assert code == 0, err
    svgs = re.findall(r"<svg\b.*?</svg>", out, flags=re.S)
    assert len(svgs) == 3  # one timeline per plan and the strip
    every_text = repo.sentinels(*EVERYTHING_SECRET)
    for svg in svgs:
        assert [s for s in every_text if s in svg] == []
        assert "Exampleton" not in svg and "Sampleford" not in svg  # agency names
        assert re.search(r"<script|href|<foreignObject|\son\w+\s*=|url\(", svg, re.I) is None


def _strip(out: str) -> str:
    svgs = re.findall(r"<svg\b.*?</svg>", out, flags=re.S)
    strip = [s for s in svgs if "Plans by overall RoSH" in s]
    assert len(strip) == 1
    start = out.index(strip[0])
    return strip[0] + _text(out[start:start + len(strip[0]) + 2000])  # with its alternative


def test_the_strip_counts_only_what_the_audience_may_see(repo: Repo) -> None:
    common = ("--format", "html", "--policy", str(POLICY), "--no-timeline")
    plans = (str(repo.plan), str(repo.plan2))
    panel = _strip(repo.render(*plans, "--audience", "panel", *common)[1])
    agencies = _strip(repo.render(*plans, "--audience", "agencies", *common)[1])
    housing = _strip(repo.render(*plans, "--for", "housing", *common)[1])
    assert "covert-unit: 2" in panel and "refuge: 2" in panel  # A98 and A99 of both plans
    assert "covert-unit" not in agencies  # owns only confidential actions
    assert "refuge: 2" in agencies  # A99 is not confidential: agencies see it
    assert "covert-unit" not in housing and "refuge" not in housing  # not housing's concern


# -- 4: hostile --attendees files -------------------------------------------------------------

HOSTILE = {
    "huge": b"attendees:\n" + b"  - {name: A}\n" * 100_000,
    "deep": b"attendees: " + b"[" * 2000 + b"]" * 2000 + b"\n",
    "alias": b"a: &x {name: A}\nattendees:\n  - *x\n",
    "tag": b"attendees:\n  - !!python/object {name: A}\n",
    "not-utf8": b"attendees:\n  - {name: \"\xff\xfe\"}\n",
    "control": b"attendees:\n  - {name: \"a\\u001b[31mb\"}\n",
    "bidi": b"attendees:\n  - {name: \"a\\u202eb\"}\n",
    "too-many": b"attendees:\n" + b"  - {name: A}\n" * 201,
    "long-name": b"attendees:\n  - {name: " + b"x" * 300 + b"}\n",
    "empty": b"",
    "a-list": b"- {name: A}\n",
}


@pytest.mark.parametrize("case", [*sorted(HOSTILE), "folder", "missing"])
def test_a_hostile_attendees_file_stops_the_run_and_writes_nothing(
        repo: Repo, tmp_path: Path, case: str) -> None:
    given = tmp_path / "people.yaml"
    if case == "folder":
        given.mkdir()
    elif case != "missing":
        given.write_bytes(HOSTILE[case])
    out = tmp_path / "pack.md"
    run = run_rmp(["render", str(repo.plan), "--audience", "panel", "--attendees", str(given),
                   "--out", str(out), "--today", TODAY, "--no-timeline"])
    assert run.exit_code == 2
    assert "attendees" in run.stderr and "Traceback" not in run.stderr
    assert not out.exists()


def test_the_attendees_file_is_never_overwritten_by_the_pack(repo: Repo, tmp_path: Path) -> None:
    given = tmp_path / "people.md"
    given.write_text(ATTENDEES, encoding="utf-8")
    run = run_rmp(["render", str(repo.plan), "--audience", "panel", "--attendees", str(given),
                   "--out", str(given), "--today", TODAY, "--no-timeline"])
    assert run.exit_code == 2
    assert "refusing to overwrite a file this command reads" in run.stderr
    assert given.read_text(encoding="utf-8") == ATTENDEES


@pytest.mark.parametrize("plans", [1, 2])
def test_attendee_names_with_markup_are_text_in_markdown_and_html(repo: Repo, plans: int) -> None:
    paths = [str(repo.plan), str(repo.plan2)][:plans]
    common = ("--audience", "agencies", "--attendees", str(repo.attendees), "--no-timeline")
    md = repo.render(*paths, *common, "--format", "md")[1]
    page = repo.render(*paths, *common, "--format", "html")[1]
    assert r"| \<script\>alert\(1\)\</script\> | a \| b \| c | \[x\]\(javascript:alert\(1\)\) |" in md
    assert r"\!\[i\]\(http://evil\.invalid/x\.png\)" in md and "line break \\# h" in md
    assert "<script" not in page and "<img" not in page and "javascript:alert" not in page.replace(
        "<td>[x](javascript:alert(1))</td>", "")
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


# -- 5: determinism ---------------------------------------------------------------------------

@pytest.mark.parametrize("audience", [("--audience", "individual"), ("--audience", "agencies"),
                                      ("--audience", "panel"), ("--for", "housing")])
def test_the_same_inputs_give_the_same_bytes_with_timelines(repo: Repo,
                                                            audience: tuple[str, ...]) -> None:
    paths = [str(repo.plan)] + ([] if "individual" in audience else [str(repo.plan2)])
    args = ["render", *paths, *audience, "--format", "html", "--policy", str(POLICY),
            "--since", SINCE, "--today", TODAY, "--generated", GENERATED]
    if "individual" not in audience:
        args += ["--attendees", str(repo.attendees), "--meeting", "MAPPA level 2 meeting"]
    first, second = run_rmp(args), run_rmp(args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == second.stdout
    if "individual" not in audience:
        assert first.stdout.count("<svg") == 3
