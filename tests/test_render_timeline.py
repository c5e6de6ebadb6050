"""Timelines from git history and the pack's summary strip (issue 10, item 6).

Each test builds a throwaway repository with a few commits of the fictional domestic abuse
example at fixed dates, changing its RoSH, MAPPA level and reviews, and renders it.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from rmp.history.timeline import _sections, essentials, read_timelines
from rmp.history.versions import last_commits
from rmp.io.load import load_bytes
from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
GENERATED = "2026-11-27T09:00:00Z"
SENTINEL = "ZQXSENTINEL"
FIXED_WORDS = {"Very high", "High", "Medium", "Low", "Children", "Public", "Known adult",
               "Staff", "Prisoners", "MAPPA", "Reviews", "Level 1", "Level 2", "Level 3",
               "RoSH by group, MAPPA level and reviews over time"}


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Sam Example")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "sam@example.invalid")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def _git(root: Path, *args: str, day: str | None = None) -> None:
    env = dict(os.environ)
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T10:00:00+00:00",
                   GIT_COMMITTER_DATE=f"{day}T10:00:00+00:00")
    completed = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                               env=env, check=False)
    assert completed.returncode == 0, completed.stderr


def _example() -> dict[str, Any]:
    document, problems = load_bytes(str(EXAMPLE), EXAMPLE.read_bytes())
    assert document is not None, problems
    data: dict[str, Any] = copy.deepcopy(document.data)
    return data


def _write(path: Path, data: dict[str, Any] | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text("# Fictional test data.\n" + yaml.safe_dump(data, sort_keys=False),
                        encoding="utf-8")


def _versions() -> list[tuple[str, dict[str, Any]]]:
    """Three versions: known adult medium; raised to very high; a review lowers MAPPA to 1."""
    first = _example()
    first["assessment"]["rosh"]["known_adult"]["community"] = "medium"
    first["assessment"]["overall_rosh"] = "medium"
    second = _example()
    third = _example()
    third["assessment"]["mappa"]["level"] = 1
    third["plan"]["reviews"].append({"date": "2026-08-30", "kind": "mappa-meeting",
                                     "outcome": "Level lowered", "level_change": "down"})
    return [("2026-03-01", first), ("2026-06-01", second), ("2026-09-01", third)]


def _repo(root: Path, versions: list[tuple[str, dict[str, Any] | bytes]] | None = None,
          name: str = "plans/p.yaml") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q")
    for day, data in versions if versions is not None else _versions():
        _write(root / name, data)
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "-m", f"version of {day}", day=day)
    return root / name


def _render(*args: str) -> tuple[int, str, str]:
    result = run_rmp(["render", *args, "--today", TODAY, "--generated", GENERATED])
    return result.exit_code, result.stdout, result.stderr


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart">.*?</figure>', html, re.S)


def _svg_words(svg: str) -> set[str]:
    return set(re.findall(r"<(?:text|title)[^>]*>([^<]*)</", svg))


def test_timeline_draws_rosh_changes_reviews_and_level_changes(tmp_path: Path) -> None:
    plan = _repo(tmp_path / "repo")
    code, html, _ = _render(str(plan), "--audience", "panel", "--format", "html")
    assert code == 0
    [figure] = _figures(html)
    svg = figure[figure.index("<svg"):figure.index("</svg>") + 6]
    words = _svg_words(svg)
    # one direct label per group rated in the community (prisoners are rated in custody only)
    for group in ("Children", "Public", "Known adult", "Staff"):
        assert re.findall(rf">{group}</text>", svg) == [f">{group}</text>"], group
    assert "Prisoners" not in words
    assert {"Level 2", "Level 1"} <= words
    # review markers: triangles for the two that changed the level, a dot for the other
    assert svg.count('r="4" fill="#000"') == 1
    assert 'role="img"' in svg and "<title>" in svg and 'viewBox="0 0 640 ' in svg
    alt = figure[figure.index('<ul class="chart-alt">'):]
    assert ("1 Mar 2026: first version in git: RoSH children medium, public low, known adult "
            "medium, staff low; MAPPA level 2") in alt
    assert "1 Jun 2026: RoSH to known adult very high (was medium)" in alt
    assert "1 Sep 2026: MAPPA level 1 (was 2)" in alt
    assert "Review 30 Aug 2026 (MAPPA meeting): MAPPA level lowered" in alt


def test_markdown_shows_the_text_alternative_only(tmp_path: Path) -> None:
    plan = _repo(tmp_path / "repo")
    code, md, _ = _render(str(plan), "--audience", "panel", "--format", "md")
    assert code == 0 and "<svg" not in md
    assert "**History of this plan \\(from git\\)**" in md
    assert "1 Jun 2026: RoSH to known adult very high \\(was medium\\)" in md


def _plant(node: Any, counter: list[int]) -> Any:
    """Every free-text field of the plan gets a sentinel (keys the schema leaves free)."""
    free = {"title", "summary", "who_at_risk", "when_greatest", "outcome", "reason", "name",
            "view", "note", "description", "detail", "measure", "rationale",
            "triggers", "text", "communication_needs", "responsivity"}
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in free and isinstance(value, str):
                counter[0] += 1
                out[key] = f"{SENTINEL}{counter[0]} {value}"
            else:
                out[key] = _plant(value, counter)
        return out
    if isinstance(node, list):
        return [_plant(v, counter) for v in node]
    return node


def test_no_free_text_from_the_plan_reaches_the_picture(tmp_path: Path) -> None:
    counter = [0]
    versions = [(day, _plant(data, counter)) for day, data in _versions()]
    plan = _repo(tmp_path / "repo", versions)  # type: ignore[arg-type]
    code, html, stderr = _render(str(plan), "--audience", "panel", "--format", "html")
    assert code == 0, stderr
    assert counter[0] > 30 and SENTINEL in html  # planted, and the plan shows them
    [figure] = _figures(html)
    svg = figure[figure.index("<svg"):figure.index("</svg>")]
    assert SENTINEL not in figure
    months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec"}
    for word in _svg_words(svg):
        assert word in FIXED_WORDS or (word.split()[0] in months
                                       and word.split()[1].isdigit()), word
    assert "<script" not in svg and "href" not in svg and "url(" not in svg
    assert " on" not in re.sub(r'"[^"]*"', "", svg)  # no event handler attribute


def test_an_audience_without_rosh_gets_no_rosh_lines(tmp_path: Path) -> None:
    plan = _repo(tmp_path / "repo")
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump({"format": "rmp-policy/1", "audiences": {
        "partner": {"title": "Partner", "include": [
            "plan", "individual.ref", "assessment.who_at_risk", "assessment.mappa"]},
        "bare": {"title": "Bare", "include": ["plan.id", "individual.ref"]}}}),
        encoding="utf-8")
    code, html, stderr = _render(str(plan), "--audience", "partner", "--format", "html",
                                 "--policy", str(policy))
    assert code == 0, stderr
    [figure] = _figures(html)
    words = _svg_words(figure)
    assert not words & {"Children", "Public", "Known adult", "Staff", "Very high"}
    assert "RoSH" not in figure.replace("RoSH by group, MAPPA level and reviews over time", "")
    assert "MAPPA level 1 (was 2)" in figure
    code, html, _ = _render(str(plan), "--audience", "bare", "--format", "html",
                            "--policy", str(policy))
    assert code == 0 and _figures(html) == []


def test_output_is_deterministic_and_no_timeline_leaves_it_out(tmp_path: Path) -> None:
    plan = _repo(tmp_path / "repo")
    runs = [_render(str(plan), "--audience", "agencies", "--format", "html") for _ in range(2)]
    assert runs[0] == runs[1] and len(_figures(runs[0][1])) == 1
    code, html, _ = _render(str(plan), "--audience", "agencies", "--format", "html",
                            "--no-timeline")
    assert code == 0 and _figures(html) == [] and "<svg" not in html


def test_the_individual_copy_has_no_timeline(tmp_path: Path) -> None:
    plan = _repo(tmp_path / "repo")
    code, html, _ = _render(str(plan), "--audience", "individual", "--format", "html")
    assert code == 0 and "<svg" not in html and "History of this plan" not in html


def test_a_plan_outside_git_renders_without_a_timeline(tmp_path: Path) -> None:
    plan = tmp_path / "loose" / "p.yaml"
    _write(plan, _example())
    code, html, stderr = _render(str(plan), "--audience", "panel", "--format", "html")
    assert code == 0, stderr
    assert "<svg" not in html


def test_a_version_that_does_not_load_is_skipped_and_counted(tmp_path: Path) -> None:
    (first_day, first), (_, second), (third_day, third) = _versions()
    text = "# Fictional test data.\n" + yaml.safe_dump(second, sort_keys=False)
    broken = text.replace("assessment:\n", "assessment: &anchor\n", 1).encode()
    huge = text.encode() + b"# padding\n" * 110_000  # over the loader's 1 MiB cap
    plan = _repo(tmp_path / "repo", [(first_day, first), ("2026-06-01", broken),
                                     ("2026-07-01", b"\xff\xfe not text"),
                                     ("2026-08-01", huge), (third_day, third)])
    code, html, stderr = _render(str(plan), "--audience", "panel", "--format", "html")
    assert code == 0, stderr
    [figure] = _figures(html)
    assert "Versions in git that could not be read and are left out: 3." in figure
    assert "1 Sep 2026: RoSH to known adult very high (was medium); MAPPA level 1 (was 2)" \
        in figure


def test_uncommitted_changes_add_a_last_point(tmp_path: Path) -> None:
    plan = _repo(tmp_path / "repo")
    data = _versions()[-1][1]
    data["assessment"]["rosh"]["children"]["community"] = "high"
    _write(plan, data)
    code, md, _ = _render(str(plan), "--audience", "panel", "--format", "md")
    assert code == 0
    assert "27 Nov 2026 \\(not yet committed\\): RoSH to children high \\(was medium\\)" in md


def test_a_pack_has_a_summary_strip(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    _repo(root)
    other = _example()
    other["plan"]["id"] = "RMP-2002"
    other["individual"]["ref"] = "X002002"
    other["assessment"]["rosh"]["known_adult"]["community"] = "high"
    other["assessment"]["overall_rosh"] = "high"
    other["actions"][0]["due"] = "2026-01-01"
    other["actions"][0]["status"] = "planned"
    _write(root / "plans" / "q.yaml", other)
    code, html, stderr = _render(str(root / "plans"), "--audience", "panel", "--format",
                                 "html")
    assert code == 0, stderr
    strip = _figures(html)[0]
    assert "Plans at a glance" in strip
    assert "Plans with overall RoSH very high: 1" in strip
    assert "Plans with overall RoSH high: 1" in strip
    agency = other["actions"][0]["owner"]["agency"]
    assert re.search(rf"Overdue actions owned by {agency}: [1-9]", strip)
    assert len(_figures(html)) == 2  # the strip, and the committed plan's timeline


def test_timelines_use_a_fixed_number_of_git_processes(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    _git_root = _repo(root)
    paths = [_git_root]
    for number in range(4):
        copy_path = root / "plans" / f"c{number}.yaml"
        _write(copy_path, _example())
        paths.append(copy_path)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "more plans", day="2026-11-22")
    data = {p: load_bytes(str(p), p.read_bytes())[0].data for p in paths}  # type: ignore[union-attr]
    commits = last_commits(paths)
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting(args: list[str], *rest: Any, **options: Any) -> Any:
        calls.append(args)
        return real_run(args, *rest, **options)

    monkeypatch.setattr("rmp.history.git.subprocess.run", counting)
    found = read_timelines(data, commits, __import__("datetime").date(2026, 11, 27))
    assert len(found) == 5 and len(found[paths[0]].snapshots) == 3
    # rev-parse, has-commits, log, cat-file --batch-check and --batch
    assert len(calls) <= 5, [c[5:7] for c in calls]


def test_reading_only_the_needed_sections_agrees_with_a_whole_parse() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        document, _ = load_bytes(str(path), path.read_bytes())
        assert document is not None
        text = path.read_text(encoding="utf-8")
        assert essentials(_sections(text)) == essentials(document.data), path.name
    # a key line inside a multi-line quoted string: the sections cannot be cut, so the text is
    # parsed whole, as the strict loader reads it
    tricky = 'plan:\n  reviews: "a\nassessment:\n  rosh: {known_adult: {community: high}}"\n'
    assert essentials(_sections(tricky)) == {}
