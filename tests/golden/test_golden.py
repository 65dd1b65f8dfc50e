"""The golden site: what the public sees, compared with files committed in tests/golden/expected/.

The small dataset in tests/golden/data/ is built as at 2026-11-23 into a temporary folder: the
three contracts, commitments, returns, measures and eleven opportunities of tests/fixtures/opportunities
(hostile text included), two notes that a spreadsheet would read as formulas (commitments.csv) and
two indicators from data/. It is compared with what the site published a week before,
tests/golden/previous-snapshot.json (as PREVIOUS; /changes/ lists what changed since), so that the
pages of changes show a fixed log. That snapshot was built by the portal from a copy of tests/golden/data
as at 2026-11-16 (contract MHCC-2026-002 and opportunity OPP-TOMORROW not yet published, a commitment's
target of 90, one return missing, a closing date a week earlier, OPP-AWARDED still closed, one more
opportunity, OPP-GONE), itself compared with a build as at 2026-11-09; rebuild it the same way when
the snapshot format (svportal.changes.VERSION) changes. Then every published file is compared with its
expected copy:

- each HTML page as its visible text (``<path>.txt``, see tests/support/pagetext.py), so markup noise such as
  class names, whitespace and the drawing of charts does not show, but every word, link and table
  cell does;
- a standalone SVG as the words of its ``<title>`` and ``<desc>`` (``<path>.txt``);
- everything else (CSV, JSON, the data package, Atom feeds, iCalendar files, robots.txt) byte for
  byte. tests/golden/expected/.gitattributes stops git from changing their line endings.

Left out: the Pagefind index (pagefind/), the theme's static files (theme/: CSS, JavaScript, fonts,
images), any such asset elsewhere, and the chart cache. A file published or no longer published
fails the test as much as a changed one.

When a change to what the public sees is intended, rewrite the expected files and commit them with
the change, so the reviewer sees it as a diff:

    make golden        # or: .venv/bin/python -m pytest tests/golden --golden-update

``GOLDEN_SITE=path/to/site`` compares a site already built (from tests/golden/data/, as at
2026-11-23, with PREVIOUS=tests/golden/previous-snapshot.json) instead of building one.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from support.pagetext import page_text, svg_file_text
from support.sites import build_site

pytestmark = pytest.mark.site

GOLDEN = Path(__file__).resolve().parent
DATA = GOLDEN / "data"
PREVIOUS = GOLDEN / "previous-snapshot.json"  # what the site published before (see above)
EXPECTED = GOLDEN / "expected"
BUILD_DATE = "2026-11-23"
UPDATE_HINT = (
    "If the change is intended, run `make golden` (pytest tests/golden --golden-update): "
    "`git diff tests/golden/expected` then shows all of it; commit it with the change."
)

IGNORED_FOLDERS = {"pagefind", "theme", ".cache"}
IGNORED_SUFFIXES = {
    ".css",
    ".js",
    ".mjs",
    ".map",
    ".woff",
    ".woff2",
    ".ttf",
    ".otf",
    ".eot",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".ico",
}
AS_TEXT = {".html": page_text, ".svg": svg_file_text}  # compared as what they say, in <path>.txt
MAX_DIFF_LINES = 150


def is_published(relative: Path) -> bool:
    """Whether a file of the built site is compared: not the search index, the theme or the chart cache."""
    return relative.parts[0] not in IGNORED_FOLDERS and relative.suffix.lower() not in IGNORED_SUFFIXES


def golden_name(relative: Path) -> str:
    """The name of a published file's expected copy: ``<path>.txt`` for pages and SVG, else the same."""
    name = relative.as_posix()
    return f"{name}.txt" if relative.suffix.lower() in AS_TEXT else name


def golden_content(path: Path) -> bytes:
    """What is compared of a published file: a page's visible text, or the file's bytes."""
    to_text = AS_TEXT.get(path.suffix.lower())
    return to_text(path.read_bytes()).encode("utf-8") if to_text else path.read_bytes()


def golden_tree(site: Path) -> dict[str, bytes]:
    """Every published file of a built site as {expected name: content}, in name order."""
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    return {golden_name(relative): golden_content(site / relative) for relative in files if is_published(relative)}


def expected_tree() -> dict[str, bytes]:
    """The committed expected files as {name: content}, in name order (dotfiles such as .gitattributes left out)."""
    if not EXPECTED.is_dir():
        return {}
    files = sorted(p for p in EXPECTED.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {p.relative_to(EXPECTED).as_posix(): p.read_bytes() for p in files}


def write_expected(tree: dict[str, bytes]) -> None:
    """Make tests/golden/expected/ hold exactly ``tree``: write changed files, remove the ones gone."""
    current = expected_tree()
    for name in current.keys() - tree.keys():
        (EXPECTED / name).unlink()
    for name, content in tree.items():
        if current.get(name) != content:
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_bytes(content)
    for folder in sorted((p for p in EXPECTED.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def file_diff(name: str, expected: bytes, actual: bytes) -> list[str]:
    """A unified diff of one file's expected and actual content, as lines."""
    old = expected.decode("utf-8", errors="replace")
    new = actual.decode("utf-8", errors="replace")
    if old.splitlines() == new.splitlines():
        return [f"--- {name}: only the line endings differ (CRLF and LF)"]
    return list(
        difflib.unified_diff(old.splitlines(), new.splitlines(), f"expected/{name}", f"built/{name}", n=2, lineterm="")
    )


def truncated(lines: list[str], limit: int = MAX_DIFF_LINES) -> str:
    """At most ``limit`` lines, then how many more there were."""
    shown = lines[:limit]
    if len(lines) > limit:
        shown.append(f"… {len(lines) - limit} more lines of differences")
    return "\n".join(shown)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    """What the public sees of the golden dataset built now (or of the site in GOLDEN_SITE)."""
    if os.environ.get("GOLDEN_SITE"):
        site = Path(os.environ["GOLDEN_SITE"])
        assert site.is_dir(), f"GOLDEN_SITE={site} is not a folder"
    else:
        site = tmp_path_factory.mktemp("golden") / "output"
        assert build_site(DATA, site, BUILD_DATE, previous=str(PREVIOUS)) == 0
    return golden_tree(site)


@pytest.fixture(scope="module")
def expected(built, request) -> dict[str, bytes]:
    """The committed expected files; rewritten from the build first only when --golden-update asks."""
    if request.config.getoption("--golden-update"):
        write_expected(built)
        (EXPECTED / ".gitattributes").write_text("# compared byte for byte: never change line endings\n* -text\n")
    return expected_tree()


def fail(lines: list[str]) -> None:
    """Fail with just this message and how to update: no traceback, no dump of every file's content."""
    pytest.fail("\n".join([*lines, UPDATE_HINT]), pytrace=False)


def test_the_same_files_are_published(built, expected):
    added = sorted(built.keys() - expected.keys())
    removed = sorted(expected.keys() - built.keys())
    if added or removed:
        fail(
            ["The site publishes other files than tests/golden/expected/ records."]
            + [f"  new:  {name}" for name in added]
            + [f"  gone: {name}" for name in removed]
        )


def test_every_file_says_what_it_said(built, expected):
    changed = [name for name in sorted(built.keys() & expected.keys()) if built[name] != expected[name]]
    if changed:
        diff = [line for name in changed for line in file_diff(name, expected[name], built[name])]
        fail(
            [f"{len(changed)} published files differ from tests/golden/expected/:"]
            + [f"  {name}" for name in changed]
            + [truncated(diff)]
        )
