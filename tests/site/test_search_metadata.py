"""What the built pages tell search (Pagefind), and the header menu that reaches every section.

The browser tests (tests/browser/test_search.py) search the real index; these read the markup it is built from.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from support.pagetext import page

pytestmark = pytest.mark.site

SECTIONS = [  # the service navigation, in order (other sections, such as Areas, may sit between them)
    ("Contracts", "contracts/"),
    ("Suppliers", "suppliers/"),
    ("Buyers", "buyers/"),
    ("Priorities", "priorities/"),
    ("Indicators", "indicators/"),
    ("Opportunities", "opportunities/"),
    ("Data", "data/"),
    ("About", "about/"),
    ("Search", "search/"),
]


def record(soup: BeautifulSoup) -> dict:
    """The hidden search record of a page: its filters, its metadata and its weighted text."""
    holder = soup.select_one("main [data-pagefind-filter]").parent
    assert holder.has_attr("hidden") and holder.has_attr("data-pagefind-ignore")
    weighted = soup.select("main [data-pagefind-weight]")
    return {
        "filters": [(t["data-pagefind-filter"], t.get_text()) for t in holder.select("[data-pagefind-filter]")],
        "meta": {t["data-pagefind-meta"]: t.get_text() for t in holder.select("[data-pagefind-meta]")},
        "weighted": [(t["data-pagefind-weight"], t.get_text(), t.has_attr("hidden")) for t in weighted],
    }


def summary(soup: BeautifulSoup) -> str:
    meta = soup.find("meta", attrs={"name": "description"})
    assert meta["data-pagefind-default-meta"] == "summary[content]"
    return meta["content"]


def test_a_contract_page_tells_search_its_type_id_buyer_status_and_summary(small_site):
    soup = page(small_site, "contracts/mcc-asc-2024-001")
    assert record(soup) == {
        "filters": [("type", "Contract"), ("buyer", "Manchester City Council")],
        "meta": {
            "id": "MCC/ASC/2024/001",
            "buyer": "Manchester City Council",
            "status": "1 of 3 commitments rated Good; 1 commitment rated Requires improvement",
        },
        "weighted": [("10", "MCC/ASC/2024/001", True)],
    }
    assert summary(soup) == (
        "A contract let by Manchester City Council to Northside Care Ltd, worth £1,234,568, "
        "from 1 October 2024 to 30 September 2027."
    )


def test_supplier_and_buyer_pages_give_their_org_id(small_site):
    supplier = page(small_site, "suppliers/gb-coh-01234567")
    assert record(supplier) == {
        "filters": [("type", "Supplier")],
        "meta": {"id": "GB-COH-01234567", "status": "1 of 3 commitments rated Good"},
        "weighted": [("10", "GB-COH-01234567", True)],
    }
    assert summary(supplier) == "A supplier (SME) holding 2 contracts worth £1,254,568 in total."
    buyer = record(page(small_site, "buyers/gb-lae-man"))
    assert buyer["filters"] == [("type", "Buyer"), ("buyer", "Manchester City Council")]
    assert buyer["meta"]["id"] == "GB-LAE-MAN" and "buyer" not in buyer["meta"]
    known_by_name = record(page(small_site, "buyers/manchester-health-and-care-commissioning"))
    assert "id" not in known_by_name["meta"] and known_by_name["weighted"] == []


def test_an_opportunity_page_gives_its_id_buyer_and_status(opportunities_site):
    soup = page(opportunities_site, "opportunities/opp-tomorrow")
    assert record(soup) == {
        "filters": [("type", "Opportunity"), ("buyer", "Manchester Local Care Organisation")],
        "meta": {
            "id": "OPP-TOMORROW",
            "buyer": "Manchester Local Care Organisation",
            "status": "Closing soon (closes tomorrow)",
        },
        "weighted": [("10", "OPP-TOMORROW", True)],
    }
    assert summary(soup) == (
        "Tender from Manchester Local Care Organisation, From £25,000. "
        "Open for bids until 24 November 2026: it closes tomorrow."
    )


def test_hostile_text_in_a_record_stays_text(small_site):
    html = (small_site / "contracts" / "mhcc-2026-002" / "index.html").read_text(encoding="utf-8")
    assert "<Ltd>" not in html and "O&#39;Brien &amp; Daughters &lt;Ltd&gt;, worth" in html
    assert "O'Brien & Daughters <Ltd>" in summary(BeautifulSoup(html, "lxml"))


def test_lists_give_their_lead_paragraph_as_their_summary(small_site):
    for path, lead in [
        ("contracts", "3 contracts worth"),
        ("suppliers", "2 suppliers hold contracts"),
        ("data", "Everything on this site comes from these datasets."),
        ("", "What suppliers to"),
    ]:
        tagged = page(small_site, path).select("[data-pagefind-meta=summary]")
        assert len(tagged) == 1 and tagged[0].get_text().startswith(lead), path


def test_charts_are_left_out_of_the_index_so_excerpts_never_come_from_their_tables(small_site):
    soup = page(small_site, "contracts/mcc-asc-2024-001")
    figures = soup.select("main figure")
    assert figures, "no chart on the contract page to check"
    assert all(f.has_attr("data-pagefind-ignore") for f in figures)
    assert all(t.find_parent("figure") is not None for t in soup.select("main figure table"))


def test_the_header_menu_reaches_every_section_and_marks_the_current_one(small_site):
    for path, current in [
        ("", None),
        ("contracts/mcc-asc-2024-001", ("Contracts", "true")),
        ("suppliers", ("Suppliers", "page")),
        ("suppliers/gb-coh-01234567", ("Suppliers", "true")),
        ("buyers/gb-lae-man", ("Buyers", "true")),
        ("priorities", ("Priorities", "page")),
        ("indicators", ("Indicators", "page")),
        ("search", ("Search", "page")),
    ]:
        soup = page(small_site, path)
        links = soup.select(".govuk-service-navigation__list a.govuk-service-navigation__link")
        up = "../" * len([part for part in path.split("/") if part]) or "./"
        found = [(a.get_text(strip=True), a["href"].removeprefix(up)) for a in links]
        assert [item for item in found if item in SECTIONS] == SECTIONS, path
        marked = [(a.get_text(strip=True), a["aria-current"]) for a in links if a.has_attr("aria-current")]
        assert marked == ([current] if current else []), path
        for _, href in SECTIONS:
            assert (small_site / href / "index.html").is_file(), href
        toggle = soup.select_one(".govuk-service-navigation__toggle")
        assert toggle["aria-controls"] == "navigation" and toggle.has_attr("hidden")  # shown by the script on phones
        assert soup.select_one("#navigation").name == "ul"


def test_every_indexed_page_gives_search_a_summary(small_site, opportunities_site):
    for site in (small_site, opportunities_site):
        for html in sorted(site.rglob("index.html")):
            soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
            if soup.select_one("main [data-pagefind-ignore=all]"):
                continue  # the search page: not indexed
            tagged = soup.select("[data-pagefind-meta=summary]")
            description = soup.find("meta", attrs={"name": "description"})
            where = html.relative_to(site)
            assert len(tagged) <= 1, where
            assert (tagged and tagged[0].get_text().strip()) or (description and description["content"].strip()), where
