"""A site with grants publishes /data/grants.json as a 360Giving package (grants_export.py) and says so on /data/."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURES, SMALL, build_site
from support.pagetext import page
from svportal.importers.giving360 import import_grants

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def grants_site(tmp_path_factory):
    """The small fixture with the three grants of the hand-written 360Giving JSON imported into it."""
    folder = tmp_path_factory.mktemp("grants-json-site")
    data = folder / "data"
    shutil.copytree(SMALL, data)
    import_grants(FIXTURES / "giving360" / "hand-written-grants.json", data)
    output = folder / "output"
    assert build_site(data, output) == 0
    return output


def test_grants_json_is_the_360giving_package_of_the_data(grants_site):
    package = json.loads((grants_site / "data" / "grants.json").read_text(encoding="utf-8"))
    assert list(package) == ["grants"]
    assert [g["id"] for g in package["grants"]] == [
        "360G-example-2024-0001",
        "360G-example-2024-0004",
        "360G-example-2024-friends_of_o'neill_park",
    ]
    assert package["grants"][0]["recipientOrganization"] == [
        {"id": "360G-example-st_john's_church", "name": "St John's Church", "postalCode": "M32 0AA"}
    ]
    csv_header = (grants_site / "data" / "grants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert csv_header.startswith("grant_id,title,description,currency,")  # the CSV keeps the table's columns


def test_the_data_page_says_grants_json_is_360giving(grants_site):
    data = page(grants_site, "data")
    row = data.find(id="grants")
    links = {a.get_text(" ", strip=True): a["href"] for a in row.select("a")}
    assert links["JSON (360Giving) of grants"].endswith("/data/grants.json")
    section = data.find(id="grants-360giving")
    assert section.get_text(strip=True) == "360Giving Data Standard"
    text = section.find_next("p").get_text(" ", strip=True)
    assert "one 360Giving grant for each of the 3 grants" in text
    other = data.find(id="contracts")
    assert [a.get_text(" ", strip=True) for a in other.select("a")][1] == "JSON of contracts"
