"""The contracts table's ward filter, in a real headless Chromium: a ward select combined with the others,
and the text filter finding a contract by a ward it serves ("Moss Side" used to find none).

The site is support.wards.ward_data's (three contracts; Community connectors names Hulme and Moss Side),
built once for this module and served over http on 127.0.0.1.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import BUILD_DATE, build_site
from support.server import serve
from support.wards import ward_data

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ward_site_url(tmp_path_factory):
    base = tmp_path_factory.mktemp("ward-filter")
    output = base / "output"
    assert build_site(ward_data(base / "data", boundaries=False), output, build_date=BUILD_DATE) == 0
    with serve(output) as url:
        yield url


def shown(page) -> list[str]:
    """The titles of the contracts the table shows, top to bottom."""
    return page.locator("table.app-table--contracts tbody tr:not([hidden]) td:first-child a").all_inner_texts()


def test_the_ward_select_combines_with_the_buyer_and_the_text(page, ward_site_url, problems):
    page.goto(f"{ward_site_url}/contracts/")
    status = page.locator("#contracts-1-count")
    ward = page.get_by_label("Ward served")
    assert ward.locator("option").all_inner_texts() == [
        "Any ward",
        "All of Manchester",
        "Ancoats & Beswick",
        "Cheetham",
        "Harpurhey",
        "Hulme",
        "Moss Side",
    ]
    ward.select_option("Moss Side")
    expect(status).to_have_text("1 of 3 contracts shown")
    assert shown(page) == ["Community connectors"]

    page.get_by_label("Buyer", exact=True).select_option("Manchester City Council")  # Moss Side's is the LCO's
    expect(status).to_have_text("0 of 3 contracts shown")
    ward.select_option("Cheetham")
    expect(status).to_have_text("1 of 3 contracts shown")
    assert shown(page) == ["Homecare in North Manchester"]

    ward.select_option("")
    page.get_by_label("Buyer", exact=True).select_option("")
    page.get_by_label("Filter contracts").fill("moss side")
    expect(status).to_have_text("1 of 3 contracts shown")
    assert shown(page) == ["Community connectors"]
    assert problems == []


def test_a_ward_page_links_back_to_the_filtered_list_of_every_ward(page, ward_site_url, problems):
    page.goto(f"{ward_site_url}/contracts/")
    page.get_by_text("Filter contracts", exact=True).first.click()  # the static filters, in a details element
    page.get_by_role("link", name="Moss Side (1)").click()
    expect(page.locator("h1")).to_have_text("Moss Side")
    assert page.url == f"{ward_site_url}/areas/moss-side/"
    page.get_by_role("link", name="see the contracts serving every ward").click()
    expect(page.locator("h1")).to_have_text("All of Manchester")
    assert problems == []
