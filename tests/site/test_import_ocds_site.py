"""The real Contracts Finder sample, imported into an empty data folder with the real command, builds a site.

``python -m svportal.importers ocds`` (what ``make import-ocds`` runs) reads tests/fixtures/ocds/
contracts-finder-ocds-sample.json (Open Government Licence v3.0: see SOURCE.txt there) into a new folder;
the site is then built from that folder as at the day the sample was published, 20 October 2022, when
its tenders were open.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build_site
from support.pagetext import page, summary

pytestmark = pytest.mark.site

SAMPLE = FIXTURES / "ocds" / "contracts-finder-ocds-sample.json"
PUBLISHED = "2022-10-20"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("imported") / "data"
    result = subprocess.run(
        [sys.executable, "-m", "svportal.importers", "ocds", "--data", str(data), str(SAMPLE)],
        env={**os.environ, "PYTHONPATH": str(ROOT / "plugins")},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "contracts: 26 added" in result.stdout
    return data


@pytest.fixture(scope="module")
def site(imported, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("imported-site") / "output"
    assert build_site(imported, output, build_date=PUBLISHED) == 0
    return output


def test_a_contract_page(site):
    soup = page(site, "contracts/ocds-b5fd17-7d067852-1260-448e-b84a-186d028f9991-1")
    assert soup.h1.get_text(strip=True) == "CON-00000309: Peakon ApS Staff survey services"
    shown = summary(soup)
    assert shown["Buyer"] == "NURSING AND MIDWIFERY COUNCIL"
    assert shown["Supplier"] == "Peakon ApS GB-CFS-154774"
    assert shown["Value"] == "£72,509 over the life of the contract"
    assert shown["Dates"] == "22 October 2020 to 21 October 2022"
    assert shown["How it was let"] == "Call-off from a framework"
    assert shown["Social value weighting"] == "Not published"  # for staff to fill in
    notice = soup.find(
        "a", href="https://www.contractsfinder.service.gov.uk/Notice/7d005747-1320-456e-b1fb-79919a74e44f"
    )
    assert notice is not None


def test_a_joint_award_page_names_both_suppliers(site):
    shown = summary(page(site, "contracts/ocds-b5fd17-d60017c5-4d9a-4091-b946-0e9b5a320f40-1"))
    assert shown["Suppliers"] == (
        "YESSS (B) Electrical Limited - Nottingham : lead supplier GB-CFS-224732. Large "
        "Enerveo Ltd : consortium member GB-CFS-224733. Large"
    )


def test_a_supplier_page(site):
    soup = page(site, "suppliers/gb-coh-06841377")
    assert soup.h1.get_text(strip=True) == "SANDHILLS MANAGEMENT CONSULTANCY LTD"
    assert summary(soup)["Contracts"] == "3, worth £5,400 in total"
    assert summary(soup)["Type of supplier"] == "SME"


def test_a_buyer_page(site):
    soup = page(site, "buyers/gb-cfs-49206")
    assert soup.h1.get_text(strip=True) == "Nottingham City Council"
    assert summary(soup)["Contracts"] == "1, worth £347,145 in total"


def test_an_open_opportunity_page(site):
    soup = page(site, "opportunities/ocds-b5fd17-6cc1fffd-3481-4b95-b724-adf1be3dd1a8")
    assert soup.h1.get_text(strip=True) == "Special Educational Needs and Disabilities (SEND) Employment Pathways"
    shown = summary(soup)
    assert shown["Status"] == "Open"
    assert shown["Closing date"] == "11:59pm on 17 November 2022: closes in 28 days"
    assert shown["Estimated value"] == "Up to £30,000"
    assert shown["What is bought (CPV codes)"] == "73000000, 79000000"
    assert (shown["Suitable for VCSE organisations"], shown["Suitable for SMEs"]) == ("Yes", "Yes")


def test_the_data_quality_page_asks_staff_to_complete_the_identity(site):
    text = " ".join(page(site, "data-quality").main.get_text(" ").split())
    assert (
        "datapackage.json: portal.complete: this identity is a draft, written by an import: give the area "
        "(portal.area), a contact email (portal.contact_email), the licence of the data (licenses), then remove "
        '"complete": false'
    ) in text
