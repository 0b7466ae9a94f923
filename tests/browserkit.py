"""The Chromium the browser tests drive, found one way for the tests and for `make browser`.

PROFILELENS_CHROMIUM when it is set (taken as given: a wrong path fails, never another browser);
else Debian's chromium; else a Chromium where other Linux systems, macOS and Windows install it; else
the one Playwright downloads (`python -m playwright install chromium`). Google Chrome is not looked for:
since version 137 its branded builds ignore --load-extension, which the extension test needs.

Run as a script (`make browser` does): prints the path found and exits 0; exits 1 when there is none,
2 when PROFILELENS_CHROMIUM names no program.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

VARIABLE = "PROFILELENS_CHROMIUM"
DEBIAN = Path("/usr/lib/chromium/chromium")


def install_paths(env: Mapping[str, str]) -> list[Path]:
    """Where Chromium lives once installed, Debian's first (what CI installs)."""
    paths = [
        DEBIAN,
        Path("/usr/bin/chromium"),  # Arch, openSUSE, Alpine
        Path("/usr/bin/chromium-browser"),  # Fedora
        Path("/Applications/Chromium.app/Contents/MacOS/Chromium"),  # brew install --cask chromium
        Path.home() / "Applications/Chromium.app/Contents/MacOS/Chromium",
    ]
    for base in ("LOCALAPPDATA", "PROGRAMFILES", "PROGRAMFILES(X86)"):  # Windows
        if env.get(base):
            paths.append(Path(env[base], "Chromium", "Application", "chrome.exe"))
    return paths


def is_program(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def playwright_chromium() -> Path | None:
    """Playwright's own Chromium when it has been downloaded. Not from inside an asyncio loop (the
    sync API refuses): the tests ask at import time."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    with sync_playwright() as playwright:
        path = Path(playwright.chromium.executable_path)
    return path if is_program(path) else None


def find_chromium(env: Mapping[str, str], installed: Iterable[Path]) -> Path | None:
    if env.get(VARIABLE):
        return Path(env[VARIABLE])
    return next((path for path in installed if is_program(path)), None) or playwright_chromium()


@cache
def chromium() -> Path | None:
    """The Chromium of this machine for the browser tests (see the module's docstring)."""
    return find_chromium(os.environ, install_paths(os.environ))


HOW_TO_GET_ONE = (
    f"set {VARIABLE} to a Chromium program, or install one: `apt-get install chromium` (Debian), "
    "`brew install --cask chromium` (macOS), `.venv/bin/python -m playwright install chromium` (any system)"
)


def main() -> int:
    path = chromium()
    if path is None:
        print(f"no Chromium found: {HOW_TO_GET_ONE}", file=sys.stderr)
        return 1
    if not is_program(path):
        print(f"{VARIABLE}={path} is not a program: {HOW_TO_GET_ONE}", file=sys.stderr)
        return 2
    print(f"Chromium for the browser tests: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
