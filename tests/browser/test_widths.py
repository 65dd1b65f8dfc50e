"""Every page type readable at every width, from a 320 px phone to a 1920 px screen, in Chromium.

For each page type of the quality gates (PAGE_TYPES of tests/gates/conftest.py, one page of each
from the bundled sample data) at 320, 375, 768, 1280 and 1920 px, and at 701 px (where a table of
four columns has least room before it stacks), with every <details> opened:

- nothing is wider than the screen: the page does not scroll sideways, and no element (named in
  the failure) sticks out on the left or the right, including inside a table's scrolling region;
- every table fits its region, so no table scrolls sideways either; every table outside written
  prose has a key column (the column that answers what people come for: delivery status, closing
  date, download), whose heading and cells are all on screen; every body cell but a row's first
  (its card's heading) of a table of the table macro (which stacks its rows on a narrow screen) has
  its column's label (data-label), which a stacked row shows before it; and no word in those
  tables is broken over two lines (words being what lies between spaces, hyphens and slashes);
- on a phone (320 and 375 px), the phase banner and the illustrative-data notice take one line
  each, and at 375 px the page's heading starts within HEADING_WITHIN px of the top.

One browser (pytest-playwright's, Debian's Chromium: see tests/browser/conftest.py), one context
per width; the site is ``sample_site`` of tests/conftest.py, the one the gates open (built once per
run), or the site SITE_UNDER_TEST names. Its 29 page types at 6 widths took about 2 minutes on a
busy two-core machine (plus 30 s for the build, when no other test has built the sample site yet).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gates.conftest import PAGE_TYPES, SITE_UNDER_TEST, page_file, page_path

from support.server import serve

pytestmark = pytest.mark.browser

# The widths, and the narrowest at which a table of four columns or fewer is a table (its region
# 40em + 1 px: theme/assets-src/portal.scss), where it has the least room. A wide table (five columns
# or more) is a table only where the page is at its widest, 960 px, as at 1280 and 1920 px.
WIDTHS = (320, 375, 701, 768, 1280, 1920)
PHONES = (320, 375)
HEIGHT = 800
# At 375 px the page's <h1> starts at most this far from the top of the page: the header (the site's
# name, the "Menu" button), the phase banner and the notice of one line each, the breadcrumbs (two
# lines for a long title) and a caption. The two banners took 284 px there before they were shortened,
# putting headings 435-560 px down; they now start 232-357 px down.
HEADING_WITHIN = 400
SHOWN_ELEMENTS = 8  # how many elements sticking out a failure names

OPEN_DETAILS = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"

MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const name = el => {
    const cls = typeof el.className === 'string' ? el.className : (el.className.baseVal || '');
    const text = (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls ? ' class="' + cls + '"' : ''}> "${text}"`;
  };
  const box = el => el.getBoundingClientRect();
  const sized = r => r.width > 0 && r.height > 0;
  const outside = r => r.left < -0.5 || r.right > width + 0.5;

  const out = [...document.body.querySelectorAll('*')].filter(el => sized(box(el)) && outside(box(el)));
  const outermost = out.filter(el => !out.includes(el.parentElement))
    .map(el => `${name(el)} spans ${Math.round(box(el).left)} to ${Math.round(box(el).right)} px`);

  const brokenWords = table => {  // words (between spaces, hyphens and slashes) split over two lines
    const found = [];
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (const word of node.textContent.matchAll(/[^\\s\\/\\u002d\\u2010-\\u2015]{4,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) found.push(word[0]);
      }
    }
    return found;
  };

  const tables = [...document.querySelectorAll('main table')].map(table => {
    const region = table.closest('.app-table-container');
    const caption = table.caption ? table.caption.textContent.trim() : '(no caption)';
    const limit = region ? box(region) : {left: 0, right: width};
    const hidden = (el, r) => !sized(r) || getComputedStyle(el).visibility === 'hidden';
    const keys = [...table.querySelectorAll('tbody .app-table__key')];
    // a row that only heads a group of rows (one th scope="colgroup") is not a row of data
    const rows = [...table.querySelectorAll('tbody tr')].filter(tr => !tr.querySelector('th[scope="colgroup"]'));
    return {
      caption,
      macro: table.classList.contains('app-table'),
      prose: !!table.closest('.app-prose'),
      overflow: region ? region.scrollWidth - region.clientWidth : 0,
      keyHeadings: [...table.querySelectorAll('thead th.app-table__key')].map(th => th.textContent.trim()),
      rowsWithoutKey: rows.filter(tr => !tr.querySelector('.app-table__key')).length,
      keysOutOfView: keys.map(el => [el, box(el)])
        .filter(([el, r]) => hidden(el, r) || outside(r) || r.left < limit.left - 0.5 || r.right > limit.right + 0.5)
        .map(([el, r]) => `${name(el)} at ${Math.round(r.left)} to ${Math.round(r.right)} px`),
      // a row's first cell is its card's heading when stacked: the stylesheet writes no label before it
      unlabelled: [...table.querySelectorAll('tbody tr > :not(:first-child)')].filter(c => !c.dataset.label).map(name),
      brokenWords: table.classList.contains('app-table') ? brokenWords(table) : [],
    };
  });

  const lines = el => {  // how many lines the visible text of el takes
    const bottoms = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (!walker.currentNode.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const r of range.getClientRects()) if (r.width > 0) bottoms.push(r.bottom);
    }
    bottoms.sort((a, b) => a - b);
    return bottoms.filter((b, i) => i === 0 || b - bottoms[i - 1] > 4).length;
  };
  const banners = {};
  for (const [label, selector] of [['phase banner', '.govuk-phase-banner__text'],
                                   ['notice', '.govuk-notification-banner__content']]) {
    const el = document.querySelector(selector);
    if (el) banners[label] = {lines: lines(el), text: el.innerText.trim()};
  }
  const h1 = document.querySelector('h1');
  return {
    scrollWidth: document.documentElement.scrollWidth, width, outermost, tables, banners,
    headingTop: h1 ? Math.round(box(h1).top + window.scrollY) : null,
  };
}"""


@pytest.fixture(scope="session")
def widths_site(request) -> Path:
    """The sample site, built once per run for the gates too, or the one SITE_UNDER_TEST names."""
    return Path(SITE_UNDER_TEST) if SITE_UNDER_TEST else request.getfixturevalue("sample_site")


@pytest.fixture(scope="session")
def widths_url(widths_site):
    with serve(widths_site) as url:
        yield url


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda width: f"{width}px")
def sized_context(request, browser):
    """(width, a browser context whose window is that wide), one per width."""
    context = browser.new_context(viewport={"width": request.param, "height": HEIGHT})
    yield request.param, context
    context.close()


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_every_page_type_reads_at_every_width(page_type, sized_context, widths_site, widths_url):
    width, context = sized_context
    page_file(widths_site, page_type)
    path = page_path(widths_site, page_type)
    page = context.new_page()
    try:
        response = page.goto(f"{widths_url}/{path}")
        assert response is not None and response.ok, f"/{path} answered {response and response.status}"
        page.evaluate(OPEN_DETAILS)
        found = page.evaluate(MEASURE)
    finally:
        page.close()
    where = f"/{path} at {width} px"

    assert found["outermost"] == [], f"{where}: sticking out of the screen:\n" + "\n".join(
        found["outermost"][:SHOWN_ELEMENTS]
    )
    assert found["scrollWidth"] <= width, f"{where}: the page is {found['scrollWidth']} px wide"
    for table in found["tables"]:
        named = f"{where}, table {table['caption']!r}"
        if table["prose"]:  # a table written in Markdown: only it must fit
            continue
        assert table["overflow"] <= 0, f"{named}: {table['overflow']} px wider than its region, which scrolls"
        assert len(table["keyHeadings"]) == 1, f"{named}: key column headings {table['keyHeadings']}"
        assert table["rowsWithoutKey"] == 0, f"{named}: {table['rowsWithoutKey']} rows without a key cell"
        assert table["keysOutOfView"] == [], f"{named}: key cells out of view:\n" + "\n".join(
            table["keysOutOfView"][:SHOWN_ELEMENTS]
        )
        assert not table["macro"] or table["unlabelled"] == [], f"{named}: cells without a data-label:\n" + "\n".join(
            table["unlabelled"][:SHOWN_ELEMENTS]
        )
        assert table["brokenWords"] == [], (
            f"{named}: words broken over two lines: {table['brokenWords'][:SHOWN_ELEMENTS]}"
        )
    if width in PHONES:
        for banner, seen in found["banners"].items():
            assert seen["lines"] == 1, f"{where}: the {banner} takes {seen['lines']} lines: {seen['text']!r}"
    if width == 375:
        assert found["headingTop"] is not None and found["headingTop"] <= HEADING_WITHIN, (
            f"{where}: the page's heading starts {found['headingTop']} px down (at most {HEADING_WITHIN})"
        )


def test_the_sample_site_shows_both_banners(widths_site):
    """The sample data is illustrative, so every page has both banners the phone test measures."""
    if SITE_UNDER_TEST:
        pytest.skip("the site being published may have real data, with no illustrative notice")
    home = (widths_site / "index.html").read_text(encoding="utf-8")
    assert home.count('class="govuk-phase-banner__text"') == 1
    assert home.count('class="govuk-notification-banner__content"') == 1
