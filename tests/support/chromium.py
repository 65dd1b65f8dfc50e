"""Debian's Chromium (``apt-get install -y chromium``), as the browser tests and the gates launch it.

Never a browser downloaded by ``playwright install``. A missing browser fails the tests with
:data:`MISSING_CHROMIUM`, saying how to install it: it is never a reason to skip them.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}: the browser tests and the quality gates need it. "
    "Run `make test` as root (it runs `apt-get install -y chromium`) or `sudo apt-get install -y chromium`; "
    "never `playwright install`."
)


def launch_args(base: dict) -> dict:
    """pytest-playwright's ``browser_type_launch_args`` with Debian's Chromium, headless, off the network."""
    return {**base, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}
