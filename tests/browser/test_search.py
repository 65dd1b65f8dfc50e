"""Search that finds, and a header menu that reaches every section, in Chromium at 320, 375, 768 and 1280 px.

The fixture sites are served with their real Pagefind index: a contract id, a supplier's org-id and an
opportunity id typed into /search/ put that page first, and its result says what it is (type and id,
buyer, status) with the page's own summary, not a run of table cells.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768, 1280]
PHONE = 640  # below GOV.UK Frontend's tablet breakpoint the menu is collapsed behind its "Menu" button
SECTIONS = ["Contracts", "Suppliers", "Buyers", "Priorities", "Indicators", "Opportunities", "Data", "About", "Search"]

ID_SEARCHES = {
    "contract id": (
        "small",
        "MCC/ASC/2024/001",
        "/contracts/mcc-asc-2024-001/",
        "Homecare in North Manchester",
        "Contract MCC/ASC/2024/001 · Buyer: Manchester City Council · "
        "Status: 1 of 3 commitments rated Good; 1 commitment rated Requires improvement",
        "A contract let by Manchester City Council to Northside Care Ltd, worth £1,234,568, "
        "from 1 October 2024 to 30 September 2027.",
    ),
    "supplier org-id": (
        "small",
        "GB-COH-01234567",
        "/suppliers/gb-coh-01234567/",
        "Northside Care Ltd",
        "Supplier GB-COH-01234567 · Status: 1 of 3 commitments rated Good",
        "A supplier (SME) holding 2 contracts worth £1,254,568 in total.",
    ),
    "opportunity id": (
        "opportunities",
        "OPP-TOMORROW",
        "/opportunities/opp-tomorrow/",
        "Hospital discharge support",
        "Opportunity OPP-TOMORROW · Buyer: Manchester Local Care Organisation · Status: Closing soon (closes tomorrow)",
        "Tender from Manchester Local Care Organisation, From £25,000. "
        "Open for bids until 24 November 2026: it closes tomorrow.",
    ),
}


@pytest.fixture
def sites(site_url, opportunities_site_url):
    return {"small": site_url, "opportunities": opportunities_site_url}


def within_width(locator, width: int) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("search", list(ID_SEARCHES))
def test_an_id_puts_its_page_first_with_type_id_buyer_status_and_summary(page, sites, problems, search, width):
    site, query, path, title, facts, summary = ID_SEARCHES[search]
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{sites[site]}/search/")
    box = page.get_by_label("What are you looking for?")
    box.fill(query)
    box.press("Enter")
    first = page.locator("#search-results > li").first
    expect(first.get_by_role("link")).to_have_text(title)
    assert first.get_by_role("link").get_attribute("href") == path
    expect(first.locator(".app-search-result__meta")).to_have_text(facts)
    expect(first.locator(".app-search-result__excerpt")).to_have_text(summary)
    for part in (first.get_by_role("link"), first.locator(".app-search-result__meta")):
        assert within_width(part, width), f"{search} result cut off at {width} px"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text(title)
    assert problems == []


def test_an_id_ranks_its_page_first_in_the_index_itself(page, sites):
    """The same, asked of Pagefind's JavaScript API directly: the first result of each id is its page."""
    firsts = {}
    for search, (site, query, *_) in ID_SEARCHES.items():
        page.goto(f"{sites[site]}/search/")
        firsts[search] = page.evaluate(
            """async query => {
                const pagefind = await import('/pagefind/pagefind.js')
                await pagefind.init()
                const search = await pagefind.search(query)
                const first = await search.results[0].data()
                return [first.url, search.results[0].score > 1.5 * (search.results[1] || {score: 0}).score]
            }""",
            query,
        )
    assert firsts == {search: [path, True] for search, (_, _, path, *_) in ID_SEARCHES.items()}


def menu_names(page) -> list[str]:
    return page.locator("#navigation a").all_inner_texts()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_header_menu_reaches_every_section(page, site_url, problems, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{site_url}/")
    toggle = page.get_by_role("button", name="Menu")
    links = page.locator("#navigation a")
    if width < PHONE:  # collapsed behind "Menu" until it is pressed
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#navigation")).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggle).to_be_hidden()
    expect(page.locator("#navigation")).to_be_visible()
    names = [name.strip() for name in menu_names(page)]
    assert [name for name in names if name in SECTIONS] == SECTIONS
    for number in range(links.count()):
        expect(links.nth(number)).to_be_visible()
        assert within_width(links.nth(number), width), f"{names[number]} is cut off at {width} px"
    hrefs = links.evaluate_all("links => links.map(a => a.href)")
    for href in hrefs:
        assert page.request.get(href).status == 200, href
    links.filter(has_text="Search").click()
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator('#navigation a[aria-current="page"]')).to_have_text("Search")
    assert problems == []


@pytest.mark.parametrize("width", [320, 1280])
def test_the_header_menu_without_javascript_is_open(browser, site_url, width):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(f"{site_url}/suppliers/")
    expect(page.locator(".govuk-service-navigation__toggle")).to_be_hidden()
    assert [name for name in menu_names(page) if name in SECTIONS] == SECTIONS
    for link in page.locator("#navigation a").all():
        expect(link).to_be_visible()
    expect(page.locator('#navigation a[aria-current="page"]')).to_have_text("Suppliers")
    context.close()
