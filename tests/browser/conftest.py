"""Browser tests: the small fixture site, served over http on 127.0.0.1, in a real headless Chromium.

Uses pytest-playwright's fixtures (``page``, ``browser``) with Debian's Chromium
(``apt-get install -y chromium``; ``make test`` installs it when run as root), never a browser
downloaded by ``playwright install``. A missing browser fails the tests with a message saying
how to install it: it is never a reason to skip them.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
MISSING_CHROMIUM = (
    f"Chromium is not installed at {CHROMIUM}: the browser tests need it. "
    "Install it with `apt-get install -y chromium` (make test does this when run as root); "
    "do not use `playwright install`."
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.is_file():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; no line per request on stderr."""

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def serve(folder: Path):
    """Serve ``folder`` at http://127.0.0.1:PORT while the generator is suspended."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name=f"serve-{folder.name}", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def site_url(small_site):
    """The small fixture site (built once per run, with its search index) at http://127.0.0.1:PORT."""
    yield from serve(small_site)


@pytest.fixture
def problems(page):
    """Console errors (CSP violations among them), uncaught exceptions and dialogs (alert) on ``page``."""
    found: list[str] = []
    page.on("console", lambda message: found.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: found.append(f"uncaught: {error}"))

    def dialog(d):
        found.append(f"dialog: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return found


@pytest.fixture(scope="session")
def opportunities_site_url(tmp_path_factory):
    """The fixture site with opportunities (tests/fixtures/opportunities) at http://127.0.0.1:PORT."""
    from conftest import FIXTURES, build_site

    output = tmp_path_factory.mktemp("browser-opportunities") / "output"
    assert build_site(FIXTURES / "opportunities", output) == 0
    yield from serve(output)
