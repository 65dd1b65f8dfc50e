"""Search and the contracts table's filter and sort, in a real headless Chromium.

The small fixture site (three contracts, two suppliers, three buyers) is served over http on
127.0.0.1 with its Pagefind index. The pages keep their own Content Security Policy, so these
tests also show that Pagefind runs under it; only the accessibility check bypasses it, to inject
axe-core.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import ROOT

from .conftest import CHROMIUM, MISSING_CHROMIUM

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "gates" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

HOSTILE_TITLE = '<script>alert("x")</script> & Sons "Care"'


def test_chromium_is_installed():
    assert CHROMIUM.is_file(), MISSING_CHROMIUM


# Search


def result_titles(page) -> list[str]:
    return page.locator("#search-results h2 a").all_inner_texts()


def test_search_finds_a_contract_by_its_supplier_name_and_filters_by_type(page, site_url, problems):
    page.goto(f"{site_url}/search/")
    expect(page.locator("#search-fallback")).to_be_hidden()
    search = page.get_by_label("What are you looking for?")
    search.fill("Northside")
    search.press("Enter")

    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^\d+ results for “Northside”\."))
    total = int(status.inner_text().split()[0])
    expect(page.locator("#search-results li")).to_have_count(min(total, 10))
    while page.locator("#search-more").is_visible():  # ten at a time; the keyboard goes to the new ones
        before = page.locator("#search-results li").count()
        page.locator("#search-more").click()
        expect(page.locator("#search-results li").nth(before).get_by_role("link")).to_be_focused()
        expect(status).to_have_text(f"Showing {page.locator('#search-results li').count()} of {total} results.")
    everything = result_titles(page)
    assert len(everything) == total
    assert {"Homecare in North Manchester", "Community connectors", "Northside Care Ltd"} <= set(everything)
    assert page.url.endswith("/search/?q=Northside")

    page.get_by_label("Type", exact=True).select_option("Contract")
    expect(status).to_have_text("2 results for “Northside” (type: Contract).")
    assert sorted(result_titles(page)) == ["Community connectors", "Homecare in North Manchester"]
    assert len(everything) > 2
    first_facts = page.locator(".app-search-result__meta").first
    expect(first_facts).to_have_text(re.compile(r"^Contract \S+ · Buyer: Manchester .* · Status: "))
    assert page.url.endswith("/search/?q=Northside&type=Contract")

    page.get_by_label("Type", exact=True).select_option("Supplier")
    expect(status).to_have_text("1 result for “Northside” (type: Supplier).")
    assert result_titles(page) == ["Northside Care Ltd"]

    page.get_by_label("Type", exact=True).select_option("Contract")
    page.get_by_role("link", name="Community connectors").click()
    expect(page.locator("h1")).to_have_text("Community connectors")
    assert page.url == f"{site_url}/contracts/mlco-ch-25-003/"
    assert problems == []  # among them: no Content Security Policy violation from Pagefind's WebAssembly


def test_search_finds_an_opportunity(page, opportunities_site_url, problems):
    page.goto(f"{opportunities_site_url}/search/?q=library&type=Opportunity")
    status = page.locator("#search-status")
    expect(status).to_have_text(re.compile(r"^1 result for “library” \(type: Opportunity\)\."))
    assert result_titles(page) == ["Library volunteering quotes"]
    page.get_by_role("link", name="Library volunteering quotes").click()
    expect(page.locator("h1")).to_have_text("Library volunteering quotes")
    assert problems == []


def test_search_state_comes_from_the_address_and_buyer_filter(page, site_url, problems):
    page.goto(f"{site_url}/search/?type=Contract&buyer=Manchester+City+Council")
    expect(page.get_by_label("Type", exact=True)).to_have_value("Contract")
    expect(page.get_by_label("Buyer", exact=True)).to_have_value("Manchester City Council")
    expect(page.locator("#search-status")).to_have_text("1 result (type: Contract, buyer: Manchester City Council).")
    assert result_titles(page) == ["Homecare in North Manchester"]
    assert problems == []


def test_search_results_show_hostile_text_as_text(page, site_url, problems):
    page.goto(f"{site_url}/search/?q=Daughters&type=Contract")
    expect(page.locator("#search-status")).to_have_text("1 result for “Daughters” (type: Contract).")
    assert result_titles(page) == [HOSTILE_TITLE]
    assert page.locator("#search-results script, #search-results b").count() == 0
    assert problems == []  # no alert()


def test_search_page_without_javascript_says_so_and_links_to_the_lists(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/search/")
    fallback = page.locator("#search-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_have_text(
        "Search needs JavaScript. You can browse all contracts, suppliers, buyers and opportunities instead."
    )
    assert fallback.get_by_role("link").all_inner_texts() == ["contracts", "suppliers", "buyers", "opportunities"]
    expect(page.locator("#search")).to_be_hidden()
    context.close()


def test_search_says_when_it_cannot_start(page, site_url):
    page.route("**/pagefind/pagefind.js", lambda route: route.abort())
    page.goto(f"{site_url}/search/")
    fallback = page.locator("#search-fallback")
    expect(fallback).to_be_visible()
    expect(fallback).to_have_text(
        "Search is not available at the moment. You can browse all contracts, suppliers, buyers and opportunities "
        "instead."
    )
    expect(page.locator("#search")).to_be_hidden()


# The contracts table


def column(page, number: int) -> list[str]:
    """The data-sort values of a column, top to bottom (numbered from 1)."""
    return page.locator(f"tbody tr td:nth-child({number})").evaluate_all("cells => cells.map(c => c.dataset.sort)")


def test_contracts_table_sorts_by_value_both_ways(page, site_url, problems):
    page.goto(f"{site_url}/contracts/")
    value = page.get_by_role("columnheader", name="Value", exact=True)
    expect(value).to_have_attribute("aria-sort", "none")
    expect(page.locator("thead th button")).to_have_count(6)

    value.get_by_role("button").click()
    expect(value).to_have_attribute("aria-sort", "ascending")
    assert column(page, 4) == ["20000.0", "50000.0", "1234567.5"]
    expect(page.locator("th[aria-sort=none]")).to_have_count(5)

    value.get_by_role("button").click()
    expect(value).to_have_attribute("aria-sort", "descending")
    assert column(page, 4) == ["1234567.5", "50000.0", "20000.0"]
    expect(page.locator("th[aria-sort=none]")).to_have_count(5)

    contract = page.get_by_role("columnheader", name="Contract", exact=True)
    contract.get_by_role("button").click()
    expect(contract).to_have_attribute("aria-sort", "ascending")
    expect(value).to_have_attribute("aria-sort", "none")
    titles = page.locator("tbody tr td:first-child a").all_inner_texts()
    assert titles == [HOSTILE_TITLE, "Community connectors", "Homecare in North Manchester"]
    assert problems == []


def test_contracts_table_sorts_blank_values_last_both_ways(page, site_url):
    page.goto(f"{site_url}/contracts/")
    weighting = page.get_by_role("columnheader", name="Social value weighting", exact=True)
    weighting.get_by_role("button").click()
    expect(weighting).to_have_attribute("aria-sort", "ascending")
    assert column(page, 5) == ["20.0", "25.0", ""]
    weighting.get_by_role("button").click()
    expect(weighting).to_have_attribute("aria-sort", "descending")
    assert column(page, 5) == ["25.0", "20.0", ""]


def test_contracts_table_filters_by_text_and_announces_the_count(page, site_url, problems):
    page.goto(f"{site_url}/contracts/")
    count = page.get_by_role("status")
    expect(count).to_have_text("3 of 3 contracts shown")
    expect(count).to_have_attribute("aria-live", "polite")

    page.get_by_label("Filter contracts").fill("northside")
    expect(count).to_have_text("2 of 3 contracts shown")
    expect(page.locator("tbody tr:visible")).to_have_count(2)

    page.get_by_label("Buyer", exact=True).select_option("Manchester City Council")
    expect(count).to_have_text("1 of 3 contracts shown")
    expect(page.locator("tbody tr:visible td:first-child a")).to_have_text(["Homecare in North Manchester"])

    page.get_by_label("Filter contracts").fill("nothing like this")
    expect(count).to_have_text("0 of 3 contracts shown")

    page.get_by_label("Filter contracts").fill("")
    page.get_by_label("Buyer", exact=True).select_option("")
    page.get_by_label("Type of supplier").select_option("VCSE")
    expect(count).to_have_text("1 of 3 contracts shown")
    expect(page.locator("tbody tr:visible td:first-child a")).to_have_text([HOSTILE_TITLE])
    assert problems == []


def test_contracts_table_without_javascript_is_unchanged(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/contracts/")
    assert page.locator(".app-table-filter, th button, [aria-sort]").count() == 0
    expect(page.locator("tbody tr:visible")).to_have_count(3)
    context.close()


# Accessibility of what the scripts add (WCAG 2.2 AA, axe-core)


@pytest.mark.parametrize(
    "path, ready",
    [
        ("/search/?q=Northside", "#search-results li"),
        ("/contracts/", ".app-table-filter"),
    ],
)
def test_enhanced_pages_pass_axe(browser, site_url, path, ready):
    assert AXE.is_file(), f"axe-core is not installed at {AXE}: run `npm ci` in tests/gates (make test does)"
    context = browser.new_context(bypass_csp=True)  # a strict CSP blocks injecting axe
    page = context.new_page()
    page.goto(site_url + path)
    page.locator(ready).first.wait_for()
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).join(', ')})`))",
        WCAG_22_AA,
    )
    context.close()
    assert found == []
