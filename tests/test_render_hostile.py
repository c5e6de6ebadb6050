"""`rmp render` against hostile repositories and files (issue 10 review).

Timelines read each plan's git history, so every version git holds is untrusted input: bad
bytes, oversized blobs, YAML bombs, anchors, duplicate keys, symlink and submodule entries,
odd dates, and repositories configured to run programs. Each test builds a throwaway
repository under tmp_path from the fictional domestic abuse example and renders it as a user
would (CLI in; output, exit code and files out)."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, run_rmp

EXAMPLE = ROOT / "examples" / "domestic-abuse-licence-mappa2.yaml"
GENERATED = "2026-11-27T09:00:00Z"
SENTINEL = "QZHOSTILEQZ"


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", f"Sam {SENTINEL} Example")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "sam@example.invalid")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)


def _git(root: Path, *args: str, when: str | None = None, stdin: bytes | None = None) -> str:
    env = dict(os.environ)
    if when:
        env.update(GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when)
    completed = subprocess.run(["git", *args], cwd=root, capture_output=True, env=env,
                               input=stdin, check=False)
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.decode("utf-8", "replace").strip()


def _commit(root: Path, message: str, when: str = "2026-03-01T10:00:00+00:00") -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty-message", "--no-verify", "-m", message, when=when)


def _render(plan: str | Path, *args: str, audience: str = "panel") -> tuple[int, str, str]:
    result = run_rmp(["render", str(plan), "--audience", audience, "--today", TODAY,
                      "--generated", GENERATED, "--no-policy", *args])
    return result.exit_code, result.stdout, result.stderr


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart">.*?</figure>', html, re.S)


def _example() -> str:
    return EXAMPLE.read_text("utf-8")


def _new_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    _git(root, "init", "-q")
    return root


def _hostile_history(root: Path) -> Path:
    """A plan whose history holds every kind of unreadable version, between good ones."""
    plan = root / "plan.yaml"
    good = _example()
    bad: list[tuple[str, bytes]] = [
        ("not utf-8", b"\xff\xfe# " + SENTINEL.encode() + b" \xc3\x28\n" + good.encode()),
        ("5 MB", (f"# {SENTINEL} padding\n" * (5 * 1024 * 1024 // 25)).encode() + good.encode()),
        ("deep nesting", f"# {SENTINEL}\nplan: ".encode() + b"[" * 100_000 + b"]" * 100_000),
        ("100k list", (f"# {SENTINEL}\nplan:\n  reviews:\n" + "  - {date: 2026-01-01}\n"
                       * 100_000).encode()),
        ("aliases", (f"# {SENTINEL}\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a]\n"
                     "c: &c [*b, *b, *b, *b]\nd: [*c, *c, *c, *c]\n").encode() + good.encode()),
        ("anchor in wanted", good.replace("assessment:\n", "assessment: &x\n", 1).encode()),
        ("duplicate keys", good.encode() + f"assessment: {{overall_rosh: low}}  # {SENTINEL}\n"
         .encode()),
    ]
    plan.write_text(good, encoding="utf-8")
    _commit(root, "", when="1970-01-02T00:00:00+00:00")  # empty message, early date
    for index, (label, raw) in enumerate(bad):
        plan.write_bytes(raw)
        _commit(root, f"{label} {SENTINEL}", when=f"2026-0{index % 9 + 1}-02T23:30:00-12:00")
    plan.unlink()
    plan.symlink_to("/etc/passwd")
    _commit(root, "symlink", when="2026-05-01T00:30:00+14:00")
    plan.unlink()
    plan.mkdir()
    (plan / "inner.yaml").write_text(good, encoding="utf-8")
    _commit(root, "now a directory")
    shutil.rmtree(plan)
    _git(root, "rm", "-rq", "--cached", "--ignore-unmatch", "plan.yaml")
    _git(root, "update-index", "--add", "--cacheinfo",
         f"160000,{'1' * 40},plan.yaml")
    _git(root, "commit", "-q", "-m", "now a submodule", when="2026-05-03T10:00:00+00:00")
    _git(root, "rm", "-q", "--cached", "plan.yaml")
    plan.write_text(good, encoding="utf-8")
    _commit(root, "back", when="2099-12-31T23:59:59+05:45")
    plan.write_text(good.replace("curfew checks", "curfew and door checks", 1), encoding="utf-8")
    _commit(root, "\n", when="2026-06-01T10:00:00+00:00")
    return plan


def test_a_hostile_history_renders_skips_what_it_cannot_read_and_leaks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _new_repo(tmp_path / "repo")
    _hostile_history(root)
    monkeypatch.chdir(root)
    started = time.monotonic()
    outputs = []
    for fmt in ("html", "md", "html"):
        code, out, err = _render("plan.yaml", "--format", fmt)
        assert code == 0, err
        assert "Traceback" not in err + out
        assert SENTINEL not in out
        outputs.append(out)
    assert outputs[0] == outputs[2]  # deterministic
    assert time.monotonic() - started < 20
    figure = _figures(outputs[0])
    assert len(figure) == 1
    skipped = re.search(r"could not be read and are left out: (\d+)", outputs[0])
    assert skipped is not None and int(skipped.group(1)) >= 6, outputs[0][-3000:]
    assert "could not be read" in outputs[1]  # the Markdown text alternative says so too


def test_history_before_a_rename_is_not_read_and_the_plan_still_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _new_repo(tmp_path / "repo")
    (root / "old.yaml").write_text(_example(), encoding="utf-8")
    _commit(root, "old", when="2026-01-01T10:00:00+00:00")
    _git(root, "mv", "old.yaml", "plan.yaml")
    _commit(root, "renamed", when="2026-02-01T10:00:00+00:00")
    monkeypatch.chdir(root)
    code, out, err = _render("plan.yaml", "--format", "html")
    assert code == 0, err
    assert len(_figures(out)) == 1


def test_the_version_cap_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rmp.history import timeline

    monkeypatch.setattr(timeline, "MAX_VERSIONS", 5)
    root = _new_repo(tmp_path / "repo")
    plan = root / "plan.yaml"
    text = _example()
    for index in range(40):
        plan.write_text(text + f"# revision {index}\n", encoding="utf-8")
        _commit(root, f"r{index}", when=f"2026-01-01T10:{index:02d}:00+00:00")
    monkeypatch.chdir(root)
    code, out, err = _render("plan.yaml", "--format", "html")
    assert code == 0, err
    assert "Only the last 5 versions in git are drawn." in out


# -- 2. programs the repository configures never run ---------------------------------------

def test_no_repository_program_runs_when_rendering_with_timelines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _new_repo(tmp_path / "repo")
    plan = root / "plan.yaml"
    plan.write_text(_example(), encoding="utf-8")
    _commit(root, "one")
    plan.write_text(_example().replace("curfew checks", "curfew and door checks", 1),
                    encoding="utf-8")
    _commit(root, "two")
    plan.write_text(_example().replace("curfew checks", "curfew and gate checks", 1),
                    encoding="utf-8")  # uncommitted, same size: git must compare content
    marker = tmp_path / "marker"
    script = tmp_path / "hostile.sh"
    script.write_text(f"#!/bin/sh\necho ran \"$0\" \"$@\" >> '{marker}'\ncat\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-index-change", "reference-transaction", "fsmonitor-watchman",
                 "pre-auto-gc", "post-checkout"):
        (hooks / name).symlink_to(script)
    (root / ".gitattributes").write_text("*.yaml filter=x diff=x merge=x\n", encoding="utf-8")
    for key in ("core.fsmonitor", "core.pager", "diff.external", "filter.x.clean",
                "filter.x.smudge", "filter.x.process", "diff.x.textconv", "diff.x.command",
                "pager.log", "pager.show", "pager.cat-file", "core.askPass",
                "core.sshCommand", "gpg.program"):
        _git(root, "config", "--local", key, str(script))
    _git(root, "config", "--local", "core.hooksPath", str(hooks))
    _git(root, "config", "--local", "filter.x.required", "true")
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", str(script))
    monkeypatch.setenv("GIT_PAGER", str(script))
    monkeypatch.setenv("PAGER", str(script))
    monkeypatch.chdir(root)
    for fmt in ("html", "md"):
        code, out, err = _render("plan.yaml", "--since", "HEAD~1", "--format", fmt)
        assert code == 0, err
        assert "Changes since" in out
    code, out, err = _render("plan.yaml", "--since", "HEAD~1", "--format", "html")
    assert len(_figures(out)) == 1
    assert not marker.exists(), marker.read_text("utf-8")


# -- 3. plan file names ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["with space.yaml", "-x.yaml", "pl\u00e4n-\u5b89\u5168.yaml",
                                  "new\nline.yaml", "<b>&amp;\".yaml"])
def test_odd_plan_names_render_or_refuse_cleanly_and_never_reach_the_svg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    root = _new_repo(tmp_path / "repo")
    (root / name).write_text(_example(), encoding="utf-8")
    _commit(root, "one", when="2026-01-01T10:00:00+00:00")
    (root / name).write_text(_example().replace("curfew checks", "curfew and door checks", 1),
                             encoding="utf-8")
    _commit(root, "two", when="2026-02-01T10:00:00+00:00")
    monkeypatch.chdir(root)
    target = f"./{name}" if name.startswith("-") else name
    code, out, err = _render(target, "--format", "html")
    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 0:
        figures = _figures(out)
        # git cannot be asked about a path holding a line break: that plan has no timeline
        assert len(figures) == (0 if "\n" in name else 1)
        stem = name.removesuffix(".yaml")
        for figure in figures:
            assert stem not in figure and "<b>" not in figure
    for fmt in ("html", "md"):
        code, out, err = _render(".", "--format", fmt)
        assert code == 0, err
        assert "<b>&amp;" not in out and "new\nline" not in out


# -- 4. shallow clones, replace refs and grafts --------------------------------------------

def _two_versions(root: Path) -> Path:
    plan = root / "plan.yaml"
    plan.write_text(_example(), encoding="utf-8")
    _commit(root, "one", when="2026-01-01T10:00:00+00:00")
    plan.write_text(_example().replace("curfew checks", "curfew and door checks", 1),
                    encoding="utf-8")
    _commit(root, "two", when="2026-02-01T10:00:00+00:00")
    plan.write_text(_example().replace("curfew checks", "curfew and gate checks", 1),
                    encoding="utf-8")
    _commit(root, "three", when="2026-03-01T10:00:00+00:00")
    return plan


def test_a_shallow_clone_says_its_history_may_be_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _new_repo(tmp_path / "source")
    _two_versions(source)
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", "clone")
    monkeypatch.chdir(tmp_path / "clone")
    code, out, err = _render("plan.yaml", "--format", "html")
    assert code == 0, err
    assert "shallow clone" in out
    code, out, err = _render("plan.yaml", "--format", "md", "--since", "HEAD~1")
    assert code in (0, 1, 2) and "Traceback" not in err


def test_replace_refs_and_grafts_do_not_smuggle_content_into_the_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _new_repo(tmp_path / "repo")
    plan = _two_versions(root)
    # a replace ref swaps the middle version's blob for hostile bytes
    middle = _git(root, "rev-parse", "HEAD~1:plan.yaml")
    evil = _git(root, "hash-object", "-w", "--stdin",
                stdin=f"# {SENTINEL}\n".encode() + b"\xff" * 10)
    _git(root, "replace", middle, evil)
    # a graft (replace --graft) makes the first commit look parentless and adds history
    _git(root, "replace", "--graft", "HEAD~1")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "grafts").write_text(
        _git(root, "rev-parse", "HEAD") + "\n", encoding="utf-8")
    monkeypatch.chdir(root)
    code, out, err = _render(plan.name, "--format", "md")
    assert code == 0, err
    assert SENTINEL not in out and "Traceback" not in err
    # the objects the commits really name are read: all three versions, from the real root
    assert "1 Jan 2026: first version in git" in out
    assert "could not be read" not in out


# -- 5. --out never lands on an input, a plan or inside .git ---------------------------------

def _attendees(root: Path) -> Path:
    attendees = root / "attendees.txt"
    attendees.write_text("# Fictional.\nattendees:\n  - {name: Sam Example, agency: Exampleton Probation}\n",
                         encoding="utf-8")
    return attendees


@pytest.mark.parametrize("where", ["plan", "plan-renamed", "attendees", "symlink", "git-config",
                                   "git-file", "git-folder"])
def test_out_onto_an_input_a_plan_or_into_git_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    root = _new_repo(tmp_path / "repo")
    plan = _two_versions(root)
    odd = root / "plan.txt"
    shutil.copy(plan, odd)
    attendees = _attendees(root)
    (root / "link.html").symlink_to(plan)
    monkeypatch.chdir(root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
    target, source = {
        "plan": ("plan.yaml", "plan.yaml"),
        "plan-renamed": ("plan.txt", "plan.txt"),
        "attendees": (attendees.name, "plan.yaml"),
        "symlink": ("link.html", "plan.yaml"),
        "git-config": (".git/config", "plan.yaml"),
        "git-file": (".git/pack.html", "plan.yaml"),
        "git-folder": (".git", "plan.yaml"),
    }[where]
    code, _out, err = _render(source, "--format", "html", "--out", target,
                              "--attendees", attendees.name)
    assert code == 2, err
    assert "Traceback" not in err
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}
    assert after == before
