"""The HTML pack in a real browser: Debian's headless Chromium loads it with no console message
(no script error, no Content-Security-Policy violation, no blocked fetch) and prints it to PDF.

Skipped when /usr/bin/chromium is absent (install it with `apt-get install -y chromium`).
With RMP_UPDATE_SCREENSHOTS=1 the test also rewrites docs/pack-<example>.png (the first screen
of each example rendered for `agencies`) and docs/pack-meeting.png (the meeting pack's cover),
which the README shows. All plans are fictional.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TODAY, run_rmp

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless browser test needs Debian's chromium at /usr/bin/chromium "
    "(apt-get install -y chromium)",
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0"]
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
PINNED = ["--today", TODAY, "--generated", "2026-11-27T09:00:00Z",
          "--policy", str(ROOT / "examples" / "rmp.yaml")]
UPDATE = os.environ.get("RMP_UPDATE_SCREENSHOTS") == "1"


def _chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args,
         page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False, cwd=tmp_path,
    )


def _console(stderr: str) -> list[str]:
    """Console messages Chromium logged (errors, warnings, CSP violations, uncaught errors)."""
    return [line for line in stderr.splitlines()
            if ":CONSOLE" in line or "Uncaught" in line or "Content Security Policy" in line]


def _render(tmp_path: Path, name: str, plans: list[Path], *more: str) -> Path:
    target = tmp_path / name
    result = run_rmp(["render", *map(str, plans), "--format", "html", "--out", str(target),
                      *PINNED, *more])
    assert result.exit_code == 0, result.stderr
    return target


def test_the_console_check_sees_errors(tmp_path: Path) -> None:
    """Control: a page with a script error and a blocked fetch is caught by the check."""
    page = tmp_path / "broken.html"
    page.write_text(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta http-equiv=\"Content-Security-Policy\""
        " content=\"default-src 'none'\"><title>x</title></head><body><script>x()</script>"
        "<img src=\"http://example.invalid/x.png\" alt=\"\"></body></html>", encoding="utf-8")
    result = _chromium(tmp_path, page, "--dump-dom")
    assert len(_console(result.stderr)) >= 2, result.stderr


@pytest.mark.parametrize("audience", ["agencies", "panel"])  # individual: one plan per copy
def test_the_examples_pack_loads_without_console_messages(tmp_path: Path, audience: str) -> None:
    pack = _render(tmp_path, f"pack-{audience}.html", EXAMPLES, "--audience", audience,
                   "--meeting", "MAPPA meeting, Exampleton", "--date", "2026-12-01")
    result = _chromium(tmp_path, pack, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<h1>MAPPA meeting, Exampleton</h1>" in result.stdout
    assert _console(result.stderr) == []


def test_the_examples_pack_prints_to_pdf(tmp_path: Path) -> None:
    pack = _render(tmp_path, "pack.html", EXAMPLES, "--audience", "agencies",
                   "--meeting", "MAPPA meeting, Exampleton", "--date", "2026-12-01")
    pdf = tmp_path / "pack.pdf"
    result = _chromium(tmp_path, pack, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert result.returncode == 0, result.stderr[-2000:]
    assert pdf.is_file()
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", content))
    assert pages >= 6, pages  # cover, contents and summary, then each plan on new pages
    assert _console(result.stderr) == []


def test_screenshots_of_the_first_page(tmp_path: Path) -> None:
    """Screenshots of each example and of the meeting pack; written to docs/ when updating."""
    folder = ROOT / "docs" if UPDATE else tmp_path
    pages = [(f"pack-{p.stem}.png", _render(tmp_path, f"{p.stem}.html", [p], "--audience",
                                            "agencies")) for p in EXAMPLES]
    pages.append(("pack-meeting.png", _render(
        tmp_path, "meeting.html", EXAMPLES, "--audience", "agencies", "--meeting",
        "MAPPA meeting, Exampleton", "--date", "2026-12-01")))
    for name, page in pages:
        shot = folder / name
        result = _chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1240,1754")
        assert result.returncode == 0, result.stderr[-2000:]
        assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert _console(result.stderr) == []
    for name, _ in pages:
        assert (ROOT / "docs" / name).is_file(), f"docs/{name} missing: run with " \
            "RMP_UPDATE_SCREENSHOTS=1"
