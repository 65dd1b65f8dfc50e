"""Open data: /data/ validates as a Frictionless data package; every listing downloads exactly its rows."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.site


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def test_published_data_package_is_valid(small_site):
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run([str(frictionless), "validate", str(small_site / "data" / "datapackage.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    package = json.loads((small_site / "data" / "datapackage.json").read_text())
    assert [r["name"] for r in package["resources"]][:4] == ["contracts", "measures", "commitments", "outcomes"]
    assert package["licenses"][0]["title"] == "Open Government Licence v3.0"
    assert package["created"] == "2026-11-23T00:00:00Z"


def test_json_downloads_use_null_and_iso_dates(small_site):
    text = (small_site / "data" / "contracts.json").read_text(encoding="utf-8")
    assert "NaN" not in text
    records = json.loads(text)
    second = next(r for r in records if r["contract_id"] == "MHCC-2026-002")
    assert second["start_date"] == "2026-10-15"  # published 15/10/2026
    assert second["buyer_id"] is None
    assert second["wards"] == ["All"]
    assert second["supplier_vcse"] is True
    assert records[0]["value_gbp"] == 1234567.5


def test_downloads_put_labels_beside_ids(small_site):
    with open(small_site / "data" / "commitments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["contract_title"] == "Homecare in North Manchester"
    assert rows[0]["measure_title"] == "Local people hired"
    assert list(rows[0])[:5] == ["contract_id", "measure_id", "target", "due_date", "notes"]


def page_contract_ids(soup: BeautifulSoup) -> list[str]:
    return [td.select_one(".app-secondary").get_text(strip=True) for td in soup.select("table.app-table--contracts tbody tr td:first-child")]


@pytest.mark.parametrize("path", ["contracts", "suppliers/northside-care-ltd", "buyers/manchester-city-council",
                                  "priorities/create-employment-and-skills-opportunities", "contracts/type/sme",
                                  "contracts/based/regional", "contracts/status/no-returns-yet"])
def test_every_listing_downloads_exactly_its_rows(small_site, path):
    soup = soup_of(small_site, path)
    shown = page_contract_ids(soup)
    assert shown
    links = [a["href"] for a in soup.select("#downloads ~ ul a")]
    csv_link = next(h for h in links if h.endswith(".csv"))
    json_link = next(h for h in links if h.endswith(".json"))
    with open(small_site / path / csv_link, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["contract_id"] for r in rows] == shown
    assert [r["contract_id"] for r in json.loads((small_site / path / json_link).read_text())] == shown
    assert "commitments_rated_good" in rows[0] and "cquin_linked" in rows[0]  # every published column, and the counts


def test_contract_page_downloads_its_own_records(small_site):
    folder = small_site / "contracts" / "mcc-asc-2024-001"
    soup = soup_of(small_site, "contracts/mcc-asc-2024-001")
    assert {a["href"] for a in soup.select("#downloads ~ ul a")} == {
        "contract.csv", "contract.json", "commitments.csv", "commitments.json", "outcomes.csv", "outcomes.json"}
    assert len(json.loads((folder / "commitments.json").read_text())) == 3
    outcomes = json.loads((folder / "outcomes.json").read_text())
    assert len(outcomes) == 24 and {o["contract_id"] for o in outcomes} == {"MCC/ASC/2024/001"}


def test_every_page_says_where_its_data_comes_from(small_site):
    for path in ["", "contracts", "contracts/mcc-asc-2024-001", "about", "data"]:
        text = soup_of(small_site, path).select_one(".app-provenance").get_text(" ", strip=True)
        assert "Site built 23 November 2026" in text
        assert "Open Government Licence v3.0" in text
    text = " ".join(soup_of(small_site, "contracts/mcc-asc-2024-001").select_one(".app-provenance").get_text().split())
    assert "built from contracts.csv, commitments.csv, outcomes.csv and measures.csv" in text
    assert "Data last updated 1 October 2026" in text


@pytest.mark.parametrize("path, expected", [
    ("contracts/type/vcse", ["MHCC-2026-002"]),
    ("contracts/type/sme", ["MCC/ASC/2024/001", "MLCO/CH/25/003"]),
    ("contracts/based/local", ["MCC/ASC/2024/001", "MLCO/CH/25/003"]),
    ("contracts/status/good", ["MCC/ASC/2024/001"]),
    ("contracts/status/not-yet-due", ["MHCC-2026-002"]),
    ("contracts/status/no-returns-yet", ["MLCO/CH/25/003"]),
])
def test_facet_pages_list_exactly_the_matching_contracts(small_site, path, expected):
    assert sorted(page_contract_ids(soup_of(small_site, path))) == expected


def test_facet_pages_are_linked_from_the_contracts_list(small_site):
    links = [a["href"] for a in soup_of(small_site, "contracts").select("details a")]
    assert "../contracts/type/vcse/" in links and "../contracts/status/inadequate/" in links
