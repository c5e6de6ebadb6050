"""Screenshots of the example packs for docs/screenshots/: the first A4 page of each example
rendered to HTML for each built-in audience, and of the examples' meeting pack for each
audience that may have several plans, taken with headless Chromium. A developer tool: rmp
itself never starts a browser.

    python docs/screenshots/make.py              # render and shoot every page (about a minute)
    python docs/screenshots/make.py --only panel # the pages whose name contains "panel"
    python docs/screenshots/make.py --check      # list the pages; exit 1 if the folder differs
    python docs/screenshots/make.py --out DIR    # somewhere else (the browser test does this)

Every page is rendered by `python -m rmp render` from examples/ with examples/rmp.yaml and a
pinned date and generation time, so the same rmp gives the same HTML; Chromium (Debian's
/usr/bin/chromium, or --chromium) shows it in a window of A4 width and height at 96 dpi (794 x
1123 CSS pixels, `--scale` for a sharper image) and must log no console message (no script,
no Content-Security-Policy violation, no blocked fetch). Re-run it whenever the look of a pack
changes and commit the images (say so in the commit message); PNGs no longer produced are
removed. All plans are fictional.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
from rmp.policy.load import defaults  # noqa: E402  (the working tree's rmp)
from rmp.render.audience import audience_from_policy  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.yaml") if p.name != "rmp.yaml")
AUDIENCES = tuple(defaults().get("audiences", {}))
"""The built-in audiences, in the defaults' order."""
MEETING_AUDIENCES = tuple(a for a in AUDIENCES
                          if not audience_from_policy(defaults(), a).for_individual)
"""One person per individual copy: no meeting pack for that audience."""
PINNED = ["--today", "2026-11-27", "--generated", "2026-11-27T09:00:00Z",
          "--policy", str(ROOT / "examples" / "rmp.yaml")]
MEETING = ["--meeting", "MAPPA meeting, Exampleton", "--date", "2026-12-01"]
A4_CSS_PIXELS = (794, 1123)
"""210 x 297 mm at 96 CSS pixels to the inch."""
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         "--enable-logging=stderr", "--v=0"]


def pages() -> dict[str, list[str]]:
    """Each screenshot's file name and the `rmp render` arguments of its page."""
    found: dict[str, list[str]] = {}
    for audience in AUDIENCES:
        for example in EXAMPLES:
            found[f"{example.stem}-{audience}.png"] = [str(example), "--audience", audience]
    for audience in MEETING_AUDIENCES:
        found[f"meeting-{audience}.png"] = [*map(str, EXAMPLES), "--audience", audience,
                                            *MEETING]
    return found


def console(stderr: str) -> list[str]:
    """Console messages Chromium logged (errors, warnings, CSP violations, uncaught errors)."""
    return [line for line in stderr.splitlines()
            if ":CONSOLE" in line or "Uncaught" in line or "Content Security Policy" in line]


def shoot(name: str, args: list[str], out: Path, work: Path, chromium: Path,
          scale: float) -> None:
    page = work / name.replace(".png", ".html")
    rendered = subprocess.run(
        [sys.executable, "-m", "rmp", "render", *args, "--format", "html", "--out", str(page),
         *PINNED], capture_output=True, text=True, cwd=ROOT, check=False)
    if rendered.returncode != 0:
        raise SystemExit(f"{name}: rmp render failed:\n{rendered.stderr}")
    width, height = A4_CSS_PIXELS
    shot = subprocess.run(
        [str(chromium), *FLAGS, f"--user-data-dir={work / 'profile'}",
         f"--screenshot={out / name}", f"--window-size={width},{height}",
         f"--force-device-scale-factor={scale}", page.as_uri()],
        capture_output=True, text=True, timeout=180, check=False, cwd=work)
    if shot.returncode != 0 or not (out / name).is_file():
        raise SystemExit(f"{name}: chromium failed:\n{shot.stderr[-2000:]}")
    if console(shot.stderr):
        raise SystemExit(f"{name}: the page logged console messages:\n"
                         + "\n".join(console(shot.stderr)))
    if not (out / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"):
        raise SystemExit(f"{name}: not a PNG")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder of the PNGs")
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    parser.add_argument("--check", action="store_true",
                        help="list the pages; exit 1 if the folder's PNGs are not exactly these")
    parser.add_argument("--chromium", type=Path, default=CHROMIUM)
    parser.add_argument("--scale", type=float, default=1.0, help="device pixels per CSS pixel")
    args = parser.parse_args(argv)
    wanted = {name: more for name, more in pages().items() if args.only in name}
    present = {p.name for p in args.out.glob("*.png")}
    if args.check:
        for name in wanted:
            print(f"{'ok     ' if name in present else 'MISSING'} {name}")
        stale = sorted(present - set(pages()))
        for name in stale:
            print(f"STALE   {name}")
        return 0 if set(pages()) <= present and not stale else 1
    if not args.chromium.exists():
        raise SystemExit(f"{args.chromium}: no Chromium (apt-get install -y chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name, more in wanted.items():
            shoot(name, more, args.out, Path(work), args.chromium, args.scale)
            print(f"wrote {args.out / name}")
    if not args.only:
        for name in sorted(present - set(pages())):
            (args.out / name).unlink()
            print(f"removed {args.out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
