"""Browser tests: the fixture sites, served over http on 127.0.0.1, in a real headless Chromium.

Uses pytest-playwright's fixtures (``page``, ``browser``) with Debian's Chromium
(``apt-get install -y chromium``; ``make test`` installs it when run as root), never a browser
downloaded by ``playwright install``. A missing browser fails the tests with a message saying
how to install it: it is never a reason to skip them. The sites are the ones tests/site reads
too (``small_site``, ``opportunities_site`` in tests/conftest.py), built once per run.
"""

from __future__ import annotations

import pytest

from support.chromium import CHROMIUM, MISSING_CHROMIUM, launch_args
from support.server import serve

__all__ = ["CHROMIUM", "MISSING_CHROMIUM"]  # what test_enhance.py imports from here


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.is_file():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    return launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def site_url(small_site):
    """The small fixture site (built once per run, with its search index) at http://127.0.0.1:PORT."""
    with serve(small_site) as url:
        yield url


@pytest.fixture
def problems(page):
    """Console errors (CSP violations among them), uncaught exceptions and dialogs (alert) on ``page``."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(f"console {message.type}: {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: found.append(f"uncaught: {error}"))

    def dialog(d):
        found.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return found


@pytest.fixture(scope="session")
def opportunities_site_url(opportunities_site):
    """The fixture site with opportunities (tests/fixtures/opportunities) at http://127.0.0.1:PORT."""
    with serve(opportunities_site) as url:
        yield url
