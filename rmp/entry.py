"""The console entry point. `rmp --version` answers here, before the command line and its
libraries are imported; everything else goes to `rmp.cli.main`."""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from rmp import __version__

        print(f"rmp {__version__}")
        return
    from rmp.cli import main as run

    run()
