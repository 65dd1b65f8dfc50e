"""An opportunity page shows what OCDS imports bring: its lots, its CPV codes, and its buyer's contracts
(the same organisation by org-id). Built from a copy of the opportunities fixture with those added."""

from __future__ import annotations

import csv
import shutil

import pytest

from conftest import build_site
from support.pagetext import page, summary
from support.sites import FIXTURES

LOTS = """opportunity_id,lot_id,title,description,value_max_gbp,suitable_for_vcse,suitable_for_sme
OPP-TOMORROW,1,Lot 1: North Manchester,Visits in the north of the city.,"£120,000",yes,yes
OPP-TOMORROW,2,Lot 2: South Manchester,,,no,yes
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data = tmp_path_factory.mktemp("lots-data") / "data"
    shutil.copytree(FIXTURES / "opportunities", data)
    with open(data / "contracts.csv", encoding="utf-8", newline="") as f:
        contracts = list(csv.DictReader(f))
    buyer = next(c for c in contracts if c["buyer_id"])
    path = data / "opportunities.csv"
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = [*reader.fieldnames, "buyer_id", "cpv_codes"], list(reader)
    for row in rows:
        chosen = row["opportunity_id"] == "OPP-TOMORROW"
        row["buyer_name"] = buyer["buyer_name"] if chosen else row["buyer_name"]
        row["buyer_id"] = buyer["buyer_id"] if chosen else ""
        row["cpv_codes"] = "85000000;85311000" if chosen else ""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (data / "opportunity_lots.csv").write_text(LOTS, encoding="utf-8")
    output = tmp_path_factory.mktemp("lots-site") / "output"
    assert build_site(data, output) == 0
    return output, buyer


def test_the_lots_are_a_table_in_the_published_order(site):
    output, _ = site
    soup = page(output, "opportunities/opp-tomorrow")
    table = soup.find("h2", id="lots").find_next("table")
    rows = [[cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]
    assert rows == [
        ["1", "Lot 1: North Manchester Visits in the north of the city.", "£120,000", "Yes", "Yes"],
        ["2", "Lot 2: South Manchester", "Not published", "No", "Yes"],
    ]
    assert "let in 2 lots" in soup.find("h2", id="lots").find_next("p").get_text()


def test_cpv_codes_and_the_buyers_contracts_are_in_the_summary(site):
    output, buyer = site
    soup = page(output, "opportunities/opp-tomorrow")
    facts = summary(soup)
    assert facts["What is bought (CPV codes)"] == "85000000, 85311000"
    assert facts["Buyer"].startswith(buyer["buyer_name"])
    link = soup.find("a", string=f"Contracts let by {buyer['buyer_name']}")
    assert link["href"].endswith(f"/buyers/{buyer['buyer_id'].lower()}/")
    assert (output / "buyers" / buyer["buyer_id"].lower() / "index.html").exists()


def test_an_opportunity_without_lots_or_codes_says_so(site):
    output, _ = site
    soup = page(output, "opportunities/opp-pipe-a")
    assert soup.find("h2", id="lots") is None
    assert summary(soup)["What is bought (CPV codes)"] == "Not published"
    # neither has an identifier: the same organisation by name
    link = soup.find("a", string="Contracts let by Manchester Health and Care Commissioning")
    assert link["href"].endswith("/buyers/manchester-health-and-care-commissioning/")


def test_a_buyer_with_no_contracts_here_has_no_contracts_link(site):
    output, _ = site
    soup = page(output, "opportunities/opp-today-1")
    assert soup.find("a", string=lambda s: s and s.startswith("Contracts let by")) is None
