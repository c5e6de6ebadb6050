"""docs/screenshots/ holds exactly the screenshots docs/screenshots/make.py makes (each example
for each built-in audience, and the meeting pack for each audience that may have several
plans), so a renamed example or a new audience cannot leave the docs short or stale. Fast: the
script only lists its pages here; taking them needs Chromium (tests/test_render_browser.py).
"""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = ROOT / "docs" / "screenshots" / "make.py"


def _check() -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, timeout=60, check=False, cwd=ROOT)


def test_the_screenshots_folder_matches_the_script() -> None:
    result = _check()
    assert result.returncode == 0, result.stdout
    listed = [line.split()[-1] for line in result.stdout.splitlines()]
    examples = sorted(p.stem for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
    audiences = ["individual", "agencies", "panel", "safeguarding-partner"]
    assert sorted(listed) == sorted(
        [f"{e}-{a}.png" for e in examples for a in audiences]
        + [f"meeting-{a}.png" for a in audiences[1:]])
    assert sorted(p.name for p in SCRIPT.parent.glob("*.png")) == sorted(listed)


def test_the_docs_show_screenshots_that_exist() -> None:
    import re

    for doc in (ROOT / "README.md", ROOT / "docs" / "render.md"):
        text = doc.read_text(encoding="utf-8")
        images = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", text)
        assert images, doc
        for image in images:
            assert (doc.parent / image).is_file(), (doc, image)
