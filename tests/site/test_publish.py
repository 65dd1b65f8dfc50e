"""Publishing: absolute addresses, feeds, sitemap, and byte-identical output for the same data and date."""

import hashlib
import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import SMALL, build_site
from svportal.output_folder import check_output

pytestmark = pytest.mark.site

SITEURL = "https://social-value.example.org"


def digest(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    first = tmp_path_factory.mktemp("publish") / "one"
    second = tmp_path_factory.mktemp("publish") / "two"
    assert build_site(SMALL, first, settings="publishconf.py") == 0
    assert build_site(SMALL, second, settings="publishconf.py") == 0
    return first, second


def test_two_publishes_with_the_same_build_date_are_byte_identical(published):
    first, second = published
    one, two = digest(first), digest(second)
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []
    assert len(one) > 50


def test_a_different_build_date_changes_the_output(tmp_path, published):
    later = tmp_path / "later"
    assert build_site(SMALL, later, build_date="2027-01-05", settings="publishconf.py") == 0
    assert (later / "sitemap.xml").read_bytes() != (published[0] / "sitemap.xml").read_bytes()


def test_sitemap_lists_every_page_with_absolute_addresses(published):
    site = published[0]
    root = ET.parse(site / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    pages = sorted(p for p in site.rglob("index.html"))
    assert len(locs) == len(pages)
    assert f"{SITEURL}/contracts/mcc-asc-2024-001/" in locs
    assert all(loc.startswith(SITEURL + "/") for loc in locs)
    assert {u.find("s:lastmod", ns).text for u in root.findall("s:url", ns)} == {"2026-11-23"}
    assert f"Sitemap: {SITEURL}/sitemap.xml" in (site / "robots.txt").read_text()


def test_pages_use_absolute_addresses_and_the_news_feed_is_valid(published):
    site = published[0]
    html = (site / "contracts" / "mcc-asc-2024-001" / "index.html").read_text(encoding="utf-8")
    assert f'href="{SITEURL}/theme/css/portal.css"' in html
    feed = feedparser.parse((site / "news" / "feed.atom").read_bytes())
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"{SITEURL}/news/portal-launched/"]


def test_internal_link_check_maps_absolute_addresses_to_files(published):
    from svportal.gates import broken_internal_links

    site = published[0]
    assert broken_internal_links(site, SITEURL) == []
    page = site / "contracts" / "mcc-asc-2024-001" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(f"{SITEURL}/buyers/gb-lae-man/", f"{SITEURL}/buyers/nobody/", 1),
        encoding="utf-8",
    )
    assert broken_internal_links(site, SITEURL) == [f"contracts/mcc-asc-2024-001/index.html: {SITEURL}/buyers/nobody/"]


def test_a_failed_gate_stops_publishing_and_keeps_the_old_site(tmp_path, monkeypatch, capsys):
    from conftest import ROOT, portal_settings
    from svportal import build as build_module
    from svportal import gates as gates_module

    output = tmp_path / "output"
    check_output(output)  # an output folder of the portal's own, which holds...
    (output / "index.html").write_text("the site as it was")
    gated = []

    def failing_gates(site, *suite):
        gated.append(sorted(p.name for p in site.iterdir()))
        raise gates_module.GateError(
            "quality gates failed (1 failed):\nFAILED test_accessibility.py::test_no_wcag_22_aa_violations[home]"
        )

    monkeypatch.setattr(gates_module, "run_gates", failing_gates)
    code = build_module.publish(ROOT / "publishconf.py", ROOT / "pelicanconf.py", output, portal_settings(SMALL))
    assert code == 2
    assert gated and "contracts" in gated[0] and "pagefind" in gated[0]  # the gates saw the whole twin site
    assert "Nothing was published" in capsys.readouterr().err
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text() == "the site as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.builds", "output"]
    assert len(list((tmp_path / ".output.builds").iterdir())) == 2  # the marker and the live build: nothing half-built


def test_publishing_bad_data_exits_non_zero_and_keeps_the_old_site(tmp_path, capsys):
    from conftest import FIXTURES, ROOT, portal_settings
    from svportal import build as build_module

    output = tmp_path / "output"
    check_output(output)  # an output folder of the portal's own, which holds...
    (output / "index.html").write_text("the site as it was")
    code = build_module.publish(
        ROOT / "publishconf.py", ROOT / "pelicanconf.py", output, portal_settings(FIXTURES / "broken")
    )
    assert code == 1
    assert (
        "6 problems in commitments.csv, contracts.csv, measures.csv, outcomes.csv; nothing was published."
        in capsys.readouterr().err
    )
    assert [p.name for p in output.iterdir()] == ["index.html"]
    assert (output / "index.html").read_text() == "the site as it was"
