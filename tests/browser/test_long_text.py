"""Text from real sources on a 320 px phone: long unbroken strings wrap, plain text shows as written.

A copy of the opportunities fixture gets what contract registers and tender portals really send:
a web address of 200 characters, a title that is one 135-letter word, a line indented like a
Markdown code block, a ``#hashtag`` line that Markdown would make a heading, ``- item`` lines and
``&apos;``. No page may scroll sideways at 320 px, and the text must read as it was written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.server import serve
from support.sites import OPPORTUNITIES, build_site, edit_csv

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
LONG_URL = "https://www.contractsfinder.service.gov.uk/notice/" + "a1b2c3d4" * 20 + "?origin=SearchResults&p=1"
LONG_ID = "ocds-b5fd17-" + "0123456789abcdef" * 6
DESCRIPTION = (
    "Care at home for adults.\n"
    "    Indented like a code block in the source.\n"
    "#TimperleyShines2020\n"
    "- visits\n"
    "- reablement\n"
    "\n"
    f"The notice: {LONG_URL}. Reference {LONG_ID}; questions to bids@example.org."
)
SHOWN_LINES = [  # what a reader sees, line by line, in the description
    "Care at home for adults.",
    "Indented like a code block in the source.",
    "#TimperleyShines2020",
    "- visits",
    "- reablement",
    f"The notice: {LONG_URL}. Reference {LONG_ID}; questions to bids@example.org.",
]
PAGES = {
    "contract": "contracts/mcc-asc-2024-001/",
    "opportunity": "opportunities/opp-tomorrow/",
}


@pytest.fixture(scope="module")
def long_text_url(tmp_path_factory):
    data = tmp_path_factory.mktemp("long-text") / "data"
    shutil.copytree(OPPORTUNITIES, data)
    edit_csv(data / "contracts.csv", "Homecare in North Manchester,", f"Homecare {LONG_WORD},")
    edit_csv(data / "contracts.csv", "Care at home for adults.\n\n- visits\n- **reablement**", DESCRIPTION)
    edit_csv(
        data / "opportunities.csv",
        "OPP-TOMORROW,Hospital discharge support,",
        f'OPP-TOMORROW,Timperley&apos;s {LONG_WORD},"{DESCRIPTION}"',
    )
    output: Path = data.parent / "output"
    assert build_site(data, output) == 0
    with serve(output) as url:
        yield url


@pytest.mark.parametrize("which", PAGES)
def test_nothing_scrolls_sideways_at_320_px(page, long_text_url, which):
    page.set_viewport_size(PHONE)
    page.goto(f"{long_text_url}/{PAGES[which]}")
    assert LONG_WORD in page.locator("h1").inner_text()
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= PHONE["width"], f"the {which} page is {widths[0]} px wide at {PHONE['width']} px"
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(el => !el.closest('.app-figure__graphic'))
            .map(el => el.tagName + '.' + el.className)"""
    )
    assert too_wide == []  # nothing sticks out, even where the page hides what overflows


@pytest.mark.parametrize("width", [320, 768, 1920])
@pytest.mark.parametrize("path", ["contracts/", "opportunities/"])
def test_lists_with_a_135_letter_title_fit_at_every_width(page, long_text_url, path, width):
    """The title wraps inside its table cell, whether the table is stacked (320 px) or not."""
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(f"{long_text_url}/{path}")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert page.locator("main table").filter(has_text=LONG_WORD).count() == 1
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('main table, main table *')].filter(el => {
              const region = el.closest('.app-table-container');
              return el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5
                || region.scrollWidth > region.clientWidth;
            }).map(el => el.tagName + '.' + el.className)"""
    )
    assert too_wide == []


@pytest.mark.parametrize("which", PAGES)
def test_the_description_shows_as_written(page, long_text_url, which):
    page.set_viewport_size(PHONE)
    page.goto(f"{long_text_url}/{PAGES[which]}")
    prose = page.locator(".app-prose").first
    assert prose.locator("h1, h2, h3, h4, h5, h6, pre, code, ul, ol, li").count() == 0
    assert prose.inner_text().split("\n") == [SHOWN_LINES[0], *SHOWN_LINES[1:5], "", SHOWN_LINES[5]]
    links = prose.locator("a")
    assert links.evaluate_all("links => links.map(a => [a.textContent, a.href, a.rel])") == [
        [LONG_URL, LONG_URL, "noopener noreferrer"],
        ["bids@example.org", "mailto:bids@example.org", "noopener noreferrer"],
    ]
    assert page.locator("main h1, main h2, main h3").filter(has_text="TimperleyShines").count() == 0


def test_entities_in_a_title_are_read_once(page, long_text_url):
    page.goto(f"{long_text_url}/{PAGES['opportunity']}")
    assert page.locator("h1").inner_text() == f"Timperley's {LONG_WORD}"
    assert page.title().startswith(f"Timperley's {LONG_WORD} – ")
