"""`rmp render`: escaping, strictness, determinism, --check, output targets, git commits,
redaction of fields the allow-list does not name, and every example for every audience.
All plans and names are fictional."""

from __future__ import annotations

import copy
import html
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from rmp.io.load import load_bytes
from rmp.io.resources import data_dir
from rmp.output.markdown import escape as md_escape
from rmp.policy.load import defaults, load_policy
from rmp.render.document import Level, Note, PlanDoc, Section, Subsection, Table, Text
from rmp.render.environment import _probe, environment
from rmp.render.pack import (
    PackFormat,
    PlanSource,
    RenderRequest,
    build,
    generation_time,
    marking_for,
    recorded_generation_time,
    render,
)
from rmp.rules.catalogue import policy_settings_problems
from tests.conftest import CASES, ROOT, TODAY, run_rmp
from tests.render_checks import (
    assert_html_accessible,
    assert_html_safe,
    assert_markdown_safe,
    parse_html,
)

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
EXAMPLE_PLANS = [p for p in EXAMPLES if p.name != "rmp.yaml"]
AUDIENCES = ("individual", "agencies", "panel")
GENERATED = "2026-11-27T09:00:00Z"
PINNED = ["--today", TODAY, "--generated", GENERATED]
HAZARD01 = CASES / "render" / "hazard01-individual-victim-data" / "plan.yaml"


def _load(path: Path) -> dict[str, Any]:
    document, problems = load_bytes(str(path), path.read_bytes())
    assert document is not None and not problems
    data = document.data
    assert isinstance(data, dict)
    return data


def _request(audience: str, fmt: PackFormat, **more: Any) -> RenderRequest:
    return RenderRequest(audience, fmt, date(2026, 11, 27),
                         datetime(2026, 11, 27, 9, tzinfo=UTC), **more)


# -- escaping and strictness ---------------------------------------------------------------

def test_md_escape_neutralises_every_markup_character_and_newline() -> None:
    raw = "a\\b `c` *d* _e_ {f} [g](h) <i> #j +k -l .m !n |o &p ~q $r\nnext\r\nline\u2028end"
    escaped = md_escape(raw)
    assert "\n" not in escaped and "\r" not in escaped and "\u2028" not in escaped
    for char in "\\`*_{}[]()<>#+-.!|&~$":
        assert re.search(rf"(?<!\\)(\\\\)*{re.escape(char)}", escaped.replace(
            "\\" + char, "")) is None or char == "\\", char
    assert escaped.startswith("a\\\\b \\`c\\` \\*d\\* \\_e\\_")
    assert "\\|o" in escaped and "next line end" in escaped


@pytest.mark.parametrize("fmt", list(PackFormat))
def test_environments_fail_loudly_on_undefined_names(fmt: PackFormat) -> None:
    env = environment(fmt)
    assert env.undefined is StrictUndefined
    with pytest.raises(UndefinedError):
        env.from_string("{{ plan.victim_nmae }}").render(plan={})
    with pytest.raises(UndefinedError):
        env.from_string("{% if victim_nmae %}x{% endif %}").render()


def test_html_environment_autoescapes_and_markdown_environment_escapes() -> None:
    value = "<script>alert(1)</script> | [x](javascript:y)\nz"
    html_out = environment(PackFormat.HTML).from_string("{{ v }}").render(v=value)
    assert "<script>" not in html_out and "&lt;script&gt;" in html_out
    md_out = environment(PackFormat.MD).from_string("| {{ v }} |").render(v=value)
    assert md_out == "| " + md_escape(value) + " |"
    assert "](" not in md_out and "\n" not in md_out


def test_markdown_macro_output_is_not_escaped_twice_but_safe_filter_is_no_bypass() -> None:
    env = environment(PackFormat.MD)
    template = env.from_string(
        "{% macro cell(v) %}**{{ v }}**{% endmacro %}{{ cell(v) }} {{ v|safe }} {{ v|join }}")
    out = template.render(v="a|b")
    assert out == "**a\\|b** a\\|b a\\|b"


def test_the_start_up_probe_refuses_an_environment_that_does_not_escape() -> None:
    with pytest.raises(RuntimeError, match="does not escape"):
        _probe(Environment(autoescape=False, undefined=StrictUndefined), PackFormat.HTML)
    with pytest.raises(RuntimeError, match="does not escape"):
        _probe(Environment(autoescape=False, undefined=StrictUndefined), PackFormat.MD)
    with pytest.raises(RuntimeError, match="StrictUndefined"):
        _probe(Environment(autoescape=True), PackFormat.HTML)


def test_user_templates_run_sandboxed_with_the_same_escaping(tmp_path: Path) -> None:
    for fmt in PackFormat:
        env = environment(fmt, str(tmp_path))
        assert isinstance(env, SandboxedEnvironment)
        _probe(env, fmt)
    assert not isinstance(environment(PackFormat.HTML), SandboxedEnvironment)


def test_templates_never_mark_data_safe_or_put_it_in_urls_scripts_or_styles() -> None:
    folder = data_dir("templates")
    for template in sorted(folder.glob("*.j2")):
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert "|safe" not in text.replace(" ", ""), template.name
        assert "Markup" not in text and "<script" not in text.lower(), template.name
        assert "style=" not in text, template.name
        for href in re.findall(r'href="([^"]*)"', text):
            assert href.startswith("#"), (template.name, href)
            assert "p.data" not in href and "plan." not in href, (template.name, href)
        if template.name == "_pack.css.j2":
            assert "{{" not in text and "{%" not in text, "the stylesheet must be static"
    pack = (folder / "pack.html.j2").read_text(encoding="utf-8")
    style = pack.split("<style>", 1)[1].split("</style>", 1)[0]
    assert style.strip() == '{% include "_pack.css.j2" %}'


# -- every example, every audience ---------------------------------------------------------

@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_example_renders_for_every_built_in_audience(audience: str, fmt: str) -> None:
    packs = [EXAMPLE_PLANS] if audience != "individual" else []  # one person per copy
    for plans in [[p] for p in EXAMPLE_PLANS] + packs:
        result = run_rmp(["render", *map(str, plans), "--audience", audience, "--format", fmt,
                          "--policy", str(ROOT / "examples" / "rmp.yaml"), *PINNED])
        assert result.exit_code == 0, result.stderr
        if fmt == "html":
            assert_html_safe(result.stdout)
            assert_html_accessible(result.stdout)
        else:
            assert_markdown_safe(result.stdout)
        assert "Withheld for this audience" in result.stdout or audience == "panel"


def test_sections_come_in_reading_order_with_the_four_pillars() -> None:
    result = run_rmp(["render", str(EXAMPLE_PLANS[1]), "-a", "panel", "-f", "md", "--no-policy",
                      *PINNED])
    headings = re.findall(r"^#{1,4} (.+)$", result.stdout, flags=re.M)
    wanted = ["The individual", "Risk of serious harm \\(OASys R10\\)",
              "R10\\.4 What circumstances are likely to increase the risk",
              "R10\\.5 What factors are likely to reduce the risk", "Victim safety",
              "Disclosure decisions", "Actions: the four pillars", "Supervision",
              "Monitoring and control", "Interventions and treatment", "Victim safety planning",
              "Controls", "Contingency", "Scenarios", "Objectives", "Options considered",
              "Concerns communicated", "Agencies", "Rationale", "MAPPA level decision",
              "Check findings", "Next review and meetings", "Administration",
              "Sharing and classification", "Document record"]
    positions = [headings.index(name) for name in wanted]
    assert positions == sorted(positions), headings


def _plan_doc(data: dict[str, Any], audience: str) -> PlanDoc:
    source = PlanSource(EXAMPLE_PLANS[0], "x.yaml", data, defaults())
    return build([source], _request(audience, PackFormat.MD)).plans[0]


def _section(plan: PlanDoc, key: str) -> Section:
    return next(s for s in plan.sections if s.key == key)


def test_risk_factors_are_listed_by_priority() -> None:
    data = _load(EXAMPLE_PLANS[0])
    data["risk_factors"].reverse()
    r10_4 = next(b for b in _section(_plan_doc(data, "panel"), "rosh").blocks
                 if isinstance(b, Subsection) and b.title.startswith("R10.4"))
    table = next(b for b in r10_4.blocks if isinstance(b, Table))
    assert table.header[0] == "Priority"
    priorities = [int(row[0].content[0].text) for row in table.rows]  # type: ignore[union-attr]
    assert priorities == sorted(priorities)


def test_the_individual_copy_is_in_plain_language_and_leaves_out_what_is_not_theirs() -> None:
    """The individual's copy (rmp.render.yours) is written to the person: its own sections in
    the second person; the professional sections it may not see are left out, not listed."""
    result = run_rmp(["render", str(HAZARD01), "-a", "individual", "-f", "md", "--no-policy",
                      *PINNED])
    text = result.stdout
    for heading in ("Your risk level", "Rules you must follow", "What you have agreed to work on",
                    "What could lead to harm", "What helps you", "Who to contact",
                    "Your next review", "Words used in this plan"):
        assert f"## {heading}\n" in text, heading
    for heading in ("The risk assessment", "What could happen", "Other people's safety",
                    "Information shared with others", "Concerns raised",
                    "Why the plan is like this", "Who has a copy", "Agreed exceptions"):
        assert heading not in text, heading
    assert "Prepared for **The individual**" in text
    assert "This is your own copy of your risk management plan" in text


def test_derived_facts_come_from_the_projection_only() -> None:
    data = _load(EXAMPLE_PLANS[1])
    individual = _plan_doc(data, "individual")
    facts = {fact.label: fact.content for fact in individual.key_facts}
    assert facts["Your risk level"] == (Level("very high", "very-high"),)
    assert "MAPPA" not in facts
    assert all(s.key != "victims" for s in individual.sections)
    del data["assessment"]["rosh"], data["assessment"]["overall_rosh"]
    facts = {fact.label: fact.content for fact in _plan_doc(data, "individual").key_facts}
    assert facts["Your risk level"] == (Text("Not recorded"),)
    panel = {fact.label: fact.content for fact in _plan_doc(data, "panel").key_facts}
    assert panel["MAPPA"] == (Text("Category 2, level 2"),)


def test_a_written_overall_rosh_higher_than_the_ratings_counts() -> None:
    """The pack reads the overall RoSH from PlanView, as status, rules and diff do."""
    data = _load(EXAMPLE_PLANS[0])
    for by_setting in data["assessment"]["rosh"].values():
        for setting in by_setting:
            by_setting[setting] = "low"
    data["assessment"]["overall_rosh"] = "high"
    facts = {fact.label: fact.content for fact in _plan_doc(data, "panel").key_facts}
    # and the current RoSH beside it, where the two differ
    assert facts["Overall RoSH"] == (Level("High", "high"),
                                     Note((Text("Current: "), Level("Low", "low"))))


def test_a_field_added_to_the_format_later_stays_hidden() -> None:
    """Simulates a schema that has grown: the plan carries fields no allow-list names (the
    gate is skipped by building the PlanSource directly, as a future schema would pass it)."""
    data = _load(HAZARD01)
    data["risk_assessment_2027"] = {"narrative": "NEWFIELDCANARY new top-level section"}
    data["individual"]["gender_identity"] = "NEWFIELDCANARY new personal field"
    data["victims"][1]["home_address"] = "NEWFIELDCANARY new victim field"
    data["assessment"]["rosh"]["known_adult"]["hospital"] = "high"
    policy = defaults()
    source = PlanSource(HAZARD01, "plan.yaml", data, policy)
    for audience in ("individual", "agencies"):
        for fmt in PackFormat:
            text = render([source, copy.deepcopy(source)], _request(audience, fmt))
            assert "NEWFIELDCANARY" not in text, (audience, fmt)
            if audience == "individual":
                assert "LEAKCANARY" not in text, fmt
    panel = render([source], _request("panel", PackFormat.MD))
    assert "new top\\-level section" in panel  # named by `*`: shown generically


def test_classification_marking_is_the_highest_and_defaults_to_official_sensitive() -> None:
    assert marking_for([{"sharing": {"classification": "official"}}]) == ("official", "OFFICIAL")
    assert marking_for([{}])[1] == "OFFICIAL-SENSITIVE"
    assert marking_for([{"sharing": {"classification": "official"}},
                        {"sharing": {"classification": "other"}}])[0] == "other"


def test_html_marks_the_classification_on_every_printed_page() -> None:
    data = _load(EXAMPLE_PLANS[0])
    data["sharing"]["classification"] = "official"
    source = PlanSource(EXAMPLE_PLANS[0], "x.yaml", data, defaults())
    text = render([source], _request("agencies", PackFormat.HTML))
    assert '<body class="marking-official">' in text
    css = text.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@page official" in css and "@top-center" in css and "@bottom-center" in css
    assert "size: A4" in css and "display: table-header-group" in css
    assert "break-before: page" in css


# -- determinism and generation time -------------------------------------------------------

def test_two_renders_are_byte_identical_whatever_the_hash_seed(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        for fmt in ("md", "html"):
            target = tmp_path / f"pack-{seed}.{fmt}"
            completed = subprocess.run(
                [sys.executable, "-m", "rmp", "render", *map(str, EXAMPLE_PLANS), "-a",
                 "agencies", "--out", str(target), "--today", TODAY, "--no-policy",
                 "--meeting", "MAPPA meeting", "--date", "2026-12-01"],
                env={**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1796115600"},
                capture_output=True, text=True, check=False, cwd=ROOT,
            )
            assert completed.returncode == 0, completed.stderr
            outputs.append(target.read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert b'<meta name="rmp:generated" content="2026-12-01T09:00:00Z">' in outputs[1]


def test_generation_time_precedence() -> None:
    assert generation_time("2026-11-27T10:00:00+01:00", {"SOURCE_DATE_EPOCH": "0"}) == \
        datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert generation_time("2026-11-27T09:00:00", {}) == datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert generation_time(None, {"SOURCE_DATE_EPOCH": "0"}) == datetime(1970, 1, 1, tzinfo=UTC)
    recorded = datetime(2025, 1, 1, tzinfo=UTC)
    assert generation_time(None, {}, recorded) == recorded
    assert abs((generation_time(None, {}) - datetime.now(UTC)).total_seconds()) < 5
    assert recorded_generation_time(
        '<meta name="rmp:generated" content="2026-11-27T09:00:00Z">') == \
        datetime(2026, 11, 27, 9, tzinfo=UTC)
    assert recorded_generation_time("- **Generated (UTC):** 2026\\-11\\-27T09:00:00Z") == \
        datetime(2026, 11, 27, 9, tzinfo=UTC)


@pytest.mark.parametrize("bad", [["--generated", "yesterday"], ["--date", "1/12/2026"],
                                 ["--today", "2026-13-01"], ["--policy", "x.yaml", "--no-policy"],
                                 ["--check"], ["--format", "md", "--out", "pack.html"]])
def test_bad_options_are_usage_errors(bad: list[str]) -> None:
    result = run_rmp(["render", str(EXAMPLE_PLANS[0]), "-a", "panel", *bad])
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""


def test_source_date_epoch_must_be_seconds() -> None:
    result = run_rmp(["render", str(EXAMPLE_PLANS[0]), "-a", "panel", "--no-policy"],
                     env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH" in result.stderr


# -- output targets and --check -------------------------------------------------------------

def test_check_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pack = tmp_path / "pack.html"
    args = ["render", *map(str, EXAMPLE_PLANS), "-a", "agencies", "--out", str(pack),
            "--no-policy", "--today"]
    missing = run_rmp([*args, TODAY, "--check"])
    assert missing.exit_code == 1 and "missing" in missing.stderr and not pack.exists()
    assert run_rmp([*args, TODAY]).exit_code == 0
    written = pack.read_bytes()
    # no --generated and no SOURCE_DATE_EPOCH: --check reuses the time the file records
    same = run_rmp([*args, TODAY, "--check"])
    assert same.exit_code == 0, same.stderr
    assert "up to date" in same.stderr and same.stdout == ""
    pack.write_bytes(written.replace(b"Weekly", b"Monthly", 1))
    stale = run_rmp([*args, TODAY, "--check"])
    assert stale.exit_code == 1 and "differs" in stale.stderr
    assert pack.read_bytes() != written, "--check must not write"
    assert run_rmp([*args, TODAY]).exit_code == 0
    assert run_rmp([*args, TODAY, "--check"]).exit_code == 0
    # statuses are computed for --today: a later day may make actions overdue
    assert run_rmp([*args, "2027-06-01", "--check"]).exit_code == 1


def test_out_folder_for_one_plan_and_a_file_for_a_pack(tmp_path: Path) -> None:
    one = run_rmp(["render", str(EXAMPLE_PLANS[1]), "-a", "agencies", "--out", str(tmp_path),
                   "-f", "html", "--no-policy", *PINNED])
    assert one.exit_code == 0, one.stderr
    written = tmp_path / "RMP-1001.html"
    assert written.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    many = run_rmp(["render", *map(str, EXAMPLE_PLANS), "-a", "agencies", "--out",
                    str(tmp_path), "--no-policy", *PINNED])
    assert many.exit_code == 2 and "meeting pack" in many.stderr
    inferred = run_rmp(["render", *map(str, EXAMPLE_PLANS), "-a", "agencies", "--out",
                        str(tmp_path / "pack.htm"), "--no-policy", *PINNED])
    assert inferred.exit_code == 0
    assert (tmp_path / "pack.htm").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_never_writes_onto_a_plan(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_bytes(EXAMPLE_PLANS[0].read_bytes())
    for out in (target, tmp_path / "other.yml"):
        result = run_rmp(["render", str(target), "-a", "panel", "--out", str(out),
                          "--no-policy", *PINNED])
        assert result.exit_code == 2
    assert target.read_bytes() == EXAMPLE_PLANS[0].read_bytes()


# -- git ------------------------------------------------------------------------------------

def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test Example", "-c", "user.email=test@example.invalid",
         "-c", "commit.gpgsign=false", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    ).stdout.strip()


def test_records_the_commit_of_each_plans_last_change(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_bytes(EXAMPLE_PLANS[0].read_bytes())
    _git(tmp_path, "add", "a.yaml")
    _git(tmp_path, "commit", "-q", "-m", "first plan")
    sha = _git(tmp_path, "rev-parse", "HEAD")
    (tmp_path / "notes.txt").write_text("unrelated\n")
    _git(tmp_path, "add", "notes.txt")
    _git(tmp_path, "commit", "-q", "-m", "unrelated change")
    second.write_bytes(EXAMPLE_PLANS[1].read_bytes())
    args = ["render", str(first), str(second), "-a", "panel", "-f", "md", "--no-policy", *PINNED]
    text = run_rmp(args).stdout
    assert f"| RMP\\-1003 | {sha} |" in text
    assert "| RMP\\-1001 | Not recorded in git |" in text
    with first.open("a", encoding="utf-8") as stream:
        stream.write("# edited\n")
    assert f"{sha} **with uncommitted changes**" in run_rmp(args).stdout  # as in HTML


def test_outside_git_no_commit_is_recorded(tmp_path: Path) -> None:
    plan = tmp_path / "a.yaml"
    plan.write_bytes(EXAMPLE_PLANS[0].read_bytes())
    result = run_rmp(["render", str(plan), "-a", "panel", "-f", "html", "--no-policy", *PINNED],
                     env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert "Not recorded in git" in result.stdout


def test_html_has_one_h1_and_anchors_built_from_numbers_only() -> None:
    result = run_rmp(["render", *map(str, EXAMPLE_PLANS), "-a", "agencies", "-f", "html",
                      "--no-policy", *PINNED])
    page = parse_html(result.stdout)
    anchors = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert anchors and all(re.fullmatch(r"#(plan-\d+|summary|record)", a or "") for a in anchors)


def _luminance(colour: str) -> float:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_colours_have_sufficient_contrast() -> None:
    css = (data_dir("templates") / "_pack.css.j2").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", css))

    def resolve(value: str) -> str:
        found = re.match(r"var\(--([a-z-]+)\)", value)
        return variables[found.group(1)] if found else value

    checked = 0
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        colour = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6}|var\(--[a-z-]+\))", body)
        background = re.search(
            r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6}|var\(--[a-z-]+\))", body)
        if colour and background:
            ratio = _contrast(resolve(colour.group(1)), resolve(background.group(1)))
            assert ratio >= 4.5, (selector.strip(), ratio)
            checked += 1
    assert checked >= 8
    for name in ("ink", "muted", "brand"):  # text colours on the page and on striped rows
        for background in ("#ffffff", variables["zebra"], variables["head-bg"], "#f1f4f8"):
            assert _contrast(variables[name], background) >= 4.5, (name, background)


def test_a_shallow_clone_is_noted_on_stderr(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    plan = origin / "a.yaml"
    plan.write_bytes(EXAMPLE_PLANS[0].read_bytes())
    _git(origin, "add", "a.yaml")
    _git(origin, "commit", "-q", "-m", "plan")
    (origin / "notes.txt").write_text("later\n")
    _git(origin, "add", "notes.txt")
    _git(origin, "commit", "-q", "-m", "unrelated")
    _git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), "clone")
    result = run_rmp(["render", str(tmp_path / "clone" / "a.yaml"), "-a", "panel",
                      "--no-policy", *PINNED])
    assert result.exit_code == 0
    assert "shallow clone" in result.stderr


# -- "changes since" (rmp render --since) ----------------------------------------------------

def _since_repo(tmp_path: Path) -> Path:
    import os
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_AUTHOR_DATE": "2026-10-01T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-10-01T10:00:00+00:00"}
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = repo / "plan.yaml"
    plan.write_bytes((ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml").read_bytes())
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)
    text = plan.read_text(encoding="utf-8")
    text = text.replace("known_adult: {community: very-high, custody: medium}",
                        "known_adult: {community: very-high, custody: high}")
    # a change to a confidential item: only the panel may hear of it
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("  - id: A10"))
    due = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("due:"))
    lines[due] = lines[due].split("due:")[0] + "due: 2027-03-31\n"
    plan.write_text("".join(lines), encoding="utf-8")
    return plan


def test_since_adds_changes_in_the_audience_projection(tmp_path: Path) -> None:
    plan = _since_repo(tmp_path)
    for since in ("HEAD", "2026-10-15"):
        agencies = run_rmp(["render", str(plan), "--audience", "agencies", "--format", "md",
                            "--today", TODAY, "--generated", "2026-11-27T09:00:00Z",
                            "--no-policy", "--since", since])
        assert agencies.exit_code == 0, agencies.stderr
        section = agencies.stdout.split("Changes since", 1)[1].split("\n#", 1)[0]
        assert "known_adult custody medium -> high" in section.replace("\\", "")
        assert "A10" not in section  # confidential: not for agencies
        panel = run_rmp(["render", str(plan), "--audience", "panel", "--format", "md",
                         "--today", TODAY, "--generated", "2026-11-27T09:00:00Z", "--no-policy",
                         "--since", since])
        assert "A10" in panel.stdout.split("Changes since", 1)[1].split("\n#", 1)[0]
    individual = run_rmp(["render", str(plan), "--audience", "individual", "--format", "html",
                          "--today", TODAY, "--generated", "2026-11-27T09:00:00Z",
                          "--no-policy", "--since", "HEAD"])
    section = individual.stdout.split("Changes since", 1)[1].split("</section>", 1)[0]
    assert "Your risk level to a known adult in prison: medium to high" in section
    assert "known_adult" not in section and "A10" not in section


def test_since_with_an_option_shaped_revision_is_refused(tmp_path: Path) -> None:
    plan = _since_repo(tmp_path)
    out = tmp_path / "pack.html"
    result = run_rmp(["render", str(plan), "--audience", "panel", "--out", str(out),
                      "--today", TODAY, "--no-policy", "--since", "--output=x"])
    assert result.exit_code == 2
    assert not out.exists()


# -- one document model, two renderers --------------------------------------------------------

def _titles(blocks: Any) -> list[str]:
    found: list[str] = []
    for block in blocks:
        if isinstance(block, Subsection):
            found += [block.title, *_titles(block.blocks)]
        elif isinstance(block, Table):
            found += [block.caption] if block.caption else []
            found += list(block.header)
    return found


@pytest.mark.parametrize("audience", AUDIENCES)
def test_both_formats_render_the_same_document(audience: str) -> None:
    """Every title and column heading of the document model appears in the Markdown and in the
    HTML of each example: the two templates walk one structure, not two documents."""
    policy = load_policy(ROOT / "examples" / "rmp.yaml", policy_settings_problems)
    for plans in [[p] for p in EXAMPLE_PLANS] + [EXAMPLE_PLANS]:
        sources = [PlanSource(p, p.name, _load(p), policy) for p in plans]
        document = build(sources, _request(audience, PackFormat.MD))
        titles = [*(document.summary.header if document.summary else ())]
        titles += [document.title] if document.is_pack else []
        for plan in document.plans:
            titles += [plan.name, *(fact.label for fact in plan.key_facts)]
            for section in plan.sections:
                titles += [section.title, *_titles(section.blocks)]
        assert len(titles) > 20
        markdown = render(sources, _request(audience, PackFormat.MD))
        page = render(sources, _request(audience, PackFormat.HTML))
        for title in titles:
            assert md_escape(title) in markdown, (audience, title)
            assert title in html.unescape(page), (audience, title)


def test_no_words_in_the_renderers_and_no_render_module_over_500_lines() -> None:
    """Words live in rmp/render/labels.py; templates hold markup only."""
    for template in sorted(data_dir("templates").glob("*.j2")):
        if template.name in ("_pack.css.j2", "plan.yaml.j2"):
            continue
        text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"\{[{%].*?[%}]\}", "", text, flags=re.S)
        text = re.sub(r"<[^>]*>", "", text)
        assert not re.findall(r"[A-Za-z]{3,}", text), template.name
    for module in sorted((ROOT / "rmp" / "render").glob("*.py")):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 500, module.name


def test_a_policy_file_among_the_named_files_is_left_out_with_a_note(tmp_path: Path) -> None:
    # `rmp render examples/*.yaml` names examples/rmp.yaml too: the plans are rendered, the
    # policy file is left out with a note; a policy file alone renders nothing (exit 2)
    out = tmp_path / "pack.md"
    result = run_rmp(["render", *map(str, EXAMPLES), "--audience", "panel", "--policy",
                      str(ROOT / "examples" / "rmp.yaml"), "--out", str(out), *PINNED])
    assert result.exit_code == 0, result.stderr
    assert "rmp.yaml is a policy file, not a plan: not rendered" in result.stderr
    assert out.read_text(encoding="utf-8").count("Case ref ") >= len(EXAMPLE_PLANS)
    alone = run_rmp(["render", str(ROOT / "examples" / "rmp.yaml"), "--audience", "panel",
                     "--out", str(tmp_path / "none.md"), *PINNED])
    assert alone.exit_code == 2 and "no plans found to render" in alone.stderr
    assert not (tmp_path / "none.md").exists()
    # one plan and the policy file: still one person's copy
    single = run_rmp(["render", str(EXAMPLE_PLANS[0]), str(ROOT / "examples" / "rmp.yaml"),
                      "--audience", "individual", "--policy",
                      str(ROOT / "examples" / "rmp.yaml"), *PINNED])
    assert single.exit_code == 0, single.stderr
