"""The HTML pack in a real browser: Debian's headless Chromium loads it with no console message
(no script error, no Content-Security-Policy violation, no blocked fetch) and prints it to PDF.

Skipped when /usr/bin/chromium is absent (install it with `apt-get install -y chromium`).
The screenshots in docs/screenshots/ are made by docs/screenshots/make.py (run it to update
them); here it shoots one page, to show that it works. All plans are fictional.
"""

from __future__ import annotations

import re
import subprocess
import sys
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
A4_POINTS = (595.28, 841.89)


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
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", content)
    assert len(boxes) >= pages
    for width, height in boxes:  # every page A4 portrait (Chromium's default is US Letter)
        assert abs(float(width) - A4_POINTS[0]) < 1.5 and abs(float(height) - A4_POINTS[1]) < 1.5
    assert _console(result.stderr) == []


def test_the_screenshot_script_shoots_an_a4_page(tmp_path: Path) -> None:
    """docs/screenshots/make.py, on one page: an A4-wide PNG, no console message (the script
    fails on one)."""
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "screenshots" / "make.py"), "--out", str(out),
         "--only", "meeting-panel"], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    shot = (out / "meeting-panel.png").read_bytes()
    assert shot.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(shot[16:20], "big"), int.from_bytes(shot[20:24], "big")
    assert (width, height) == (794, 1123)  # A4 at 96 CSS pixels to the inch
