"""Search: the Pagefind index that the build writes, the filters the pages give it, and /search/."""

from __future__ import annotations

import json
import logging

import pytest
from bs4 import BeautifulSoup

from conftest import SMALL, build_site
from support.pagetext import page

pytestmark = pytest.mark.site


def pagefind_filters(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in soup.select("[data-pagefind-filter]"):
        found.setdefault(tag["data-pagefind-filter"], []).append(tag.get_text())
    return found


def csp(soup: BeautifulSoup) -> str:
    return soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


def test_the_build_writes_a_pagefind_index(small_site):
    bundle = small_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    pages = sum(language["page_count"] for language in entry["languages"].values())
    contracts_suppliers_buyers = sum(
        1 for folder in ("contracts", "suppliers", "buyers") for p in (small_site / folder).glob("*/index.html")
    )
    assert pages >= contracts_suppliers_buyers == 8
    assert len(list((bundle / "fragment").glob("*.pf_fragment"))) == pages
    assert list((bundle / "index").glob("*.pf_index"))
    assert list((bundle / "filter").glob("*.pf_filter"))
    assert (bundle / "pagefind.js").is_file()
    assert list(bundle.glob("wasm.*.pagefind"))


def test_pages_give_search_their_type_and_buyer(small_site):
    assert pagefind_filters(page(small_site, "contracts/mcc-asc-2024-001")) == {
        "type": ["Contract"],
        "buyer": ["Manchester City Council"],
    }
    assert pagefind_filters(page(small_site, "suppliers/gb-coh-01234567")) == {"type": ["Supplier"]}
    assert pagefind_filters(page(small_site, "buyers/manchester-local-care-organisation")) == {
        "type": ["Buyer"],
        "buyer": ["Manchester Local Care Organisation"],
    }
    assert pagefind_filters(page(small_site, "about")) == {"type": ["Page"]}
    articles = sorted((small_site / "news").glob("*/index.html"))
    assert articles, "no news article to check"
    for html in articles:
        assert pagefind_filters(BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")) == {"type": ["News"]}
    # hidden from view, and left out of the indexed text (filters are still read)
    for path in ("contracts/mcc-asc-2024-001", "suppliers/gb-coh-01234567", "about"):
        holder = page(small_site, path).select_one("[data-pagefind-filter]").parent
        assert holder.has_attr("hidden") and holder.has_attr("data-pagefind-ignore")
    # the same "About this information" on every page is not worth indexing
    assert page(small_site, "").select_one(".app-provenance").has_attr("data-pagefind-ignore")


def test_hostile_names_stay_escaped_in_the_filters(small_site):
    html = (small_site / "buyers" / "manchester-health-and-care-commissioning" / "index.html").read_text()
    assert "<script>alert" not in html
    soup = page(small_site, "contracts/mhcc-2026-002")
    assert pagefind_filters(soup)["buyer"] == ["Manchester Health and Care Commissioning"]


def test_search_page_works_without_javascript_by_pointing_to_the_lists(small_site):
    soup = page(small_site, "search")
    main = soup.select_one("main[data-pagefind-body]")
    assert main.h1.get_text(strip=True) == "Search"
    fallback = soup.select_one("#search-fallback")
    assert not fallback.has_attr("hidden")
    assert " ".join(fallback.get_text().split()) == (
        "Search needs JavaScript. You can browse all contracts, suppliers, buyers and opportunities instead."
    )
    assert [(a.get_text(), a["href"]) for a in fallback.select("a")] == [
        ("contracts", "../contracts/"),
        ("suppliers", "../suppliers/"),
        ("buyers", "../buyers/"),
        ("opportunities", "../opportunities/"),
    ]
    assert soup.select_one("#search").has_attr("hidden")  # the form needs the script
    assert soup.select_one("#search-status")["aria-live"] == "polite"
    assert soup.find("noscript") is None
    # no inline script: the page's script is a file, an ES module
    assert [(s.get("type"), s.get("src")) for s in soup.select("script")] == [
        ("module", "../theme/js/search.js"),
        ("module", "../theme/js/init.js"),
    ]
    assert all(not s.string for s in soup.select("script"))
    # the search page's own text is not in the index
    assert main.select_one("[data-pagefind-ignore=all]").h1 is not None


def test_only_the_search_page_allows_webassembly(small_site):
    policy = csp(page(small_site, "search"))
    assert "script-src 'self' 'wasm-unsafe-eval';" in policy
    assert "'unsafe-eval'" not in policy.replace("'wasm-unsafe-eval'", "")
    for path in ("", "contracts", "contracts/mcc-asc-2024-001", "about"):
        assert "wasm-unsafe-eval" not in csp(page(small_site, path))
    assert csp(page(small_site, "search")).replace(" 'wasm-unsafe-eval'", "") == csp(page(small_site, ""))


def test_home_page_links_to_search(small_site):
    links = [a["href"] for a in page(small_site, "").select("main a")]
    assert "./search/" in links


def test_table_script_only_on_pages_listing_contracts(small_site):
    def scripts(path):
        return [s["src"].rsplit("/", 1)[-1] for s in page(small_site, path).select("script[src]")]

    for path in ("contracts", "suppliers/gb-coh-01234567", "buyers/gb-lae-man"):
        assert "table-enhance.js" in scripts(path), path
    for path in ("", "about", "search", "contracts/mcc-asc-2024-001"):
        assert "table-enhance.js" not in scripts(path), path


def test_contracts_table_carries_what_the_script_filters_and_sorts_on(small_site):
    rows = {
        row.td.a.get_text(): row for row in page(small_site, "contracts").select("table.app-table--contracts tbody tr")
    }
    homecare = rows["Homecare in North Manchester"]
    assert (homecare["data-buyer"], homecare["data-supplier-type"]) == ("Manchester City Council", "SME")
    value, weighting, on_track = (td["data-sort"] for td in homecare.select("td")[3:])
    assert (value, weighting) == ("1234567.5", "25.0")
    assert 0 <= float(on_track) <= 1
    assert rows["Community connectors"].select("td")[4]["data-sort"] == ""  # no weighting published


def test_index_site_logs_pages_and_time(tmp_path, caplog):
    from svportal.search import index_site

    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        "<main data-pagefind-body><h1>Hello</h1><p>Northside</p></main></body></html>"
    )
    with caplog.at_level(logging.INFO, logger="svportal.search"):
        index_site(tmp_path)
    assert (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    assert any("1 pages indexed by Pagefind in" in r.getMessage() for r in caplog.records)


def test_the_index_is_byte_identical_from_run_to_run(small_site, tmp_path):
    """Pagefind writes filter values in any order; index_site puts them in order (see search.py)."""
    import shutil

    from svportal.search import index_site

    bundles = []
    for run in range(3):
        copy = tmp_path / f"run{run}"
        shutil.copytree(small_site, copy, ignore=shutil.ignore_patterns("pagefind"))
        index_site(copy)
        bundles.append(
            {str(p.relative_to(copy)): p.read_bytes() for p in sorted((copy / "pagefind").rglob("*")) if p.is_file()}
        )
    assert bundles[0] == bundles[1] == bundles[2]
    assert bundles[0] == {
        str(p.relative_to(small_site)): p.read_bytes()
        for p in sorted((small_site / "pagefind").rglob("*"))
        if p.is_file()
    }


def test_sorted_filter_files_are_what_the_metadata_names(small_site):
    from svportal.search import _read

    bundle = small_site / "pagefind"
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    (language,) = entry["languages"].values()
    meta = _read(bundle / f"pagefind.{language['hash']}.pf_meta")
    named = dict(meta[3])
    assert sorted(named) == ["buyer", "type"]
    assert sorted(p.stem for p in (bundle / "filter").iterdir()) == sorted(named.values())
    types = dict(_read(bundle / "filter" / f"{named['type']}.pf_filter")[1])
    assert list(types) == sorted(types) and {"Buyer", "Contract", "Page", "Supplier"} <= set(types)
    assert len(types["Contract"]) == 3 and len(types["Supplier"]) == 2


def test_index_site_fails_loudly_with_pagefinds_output(tmp_path):
    from svportal.search import SearchIndexError, index_site

    with pytest.raises(SearchIndexError) as failure:
        index_site(tmp_path)  # no HTML at all
    message = str(failure.value)
    assert "Pagefind failed to index" in message
    assert "not able to build an index" in message  # Pagefind's own words


def test_a_failed_index_leaves_the_old_site_alone(tmp_path, monkeypatch):
    from svportal import build as build_module
    from svportal.search import SearchIndexError

    output = tmp_path / "output"
    assert build_site(SMALL, output) == 0
    before = sorted(str(p.relative_to(output)) for p in output.rglob("*"))

    def broken(folder):
        raise SearchIndexError("Pagefind failed (test)")

    monkeypatch.setattr(build_module, "index_site", broken)
    with pytest.raises(SearchIndexError):
        build_site(SMALL, output)
    assert sorted(str(p.relative_to(output)) for p in output.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.builds", "output"]
    assert len(list((tmp_path / ".output.builds").iterdir())) == 2  # the marker and the live build: nothing half-built
