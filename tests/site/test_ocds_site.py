"""The small fixture built: /data/ocds.json (OCDS) and /data/contract-performance.csv (Procurement Act 2023)
are published and linked from /data/, and each contract page rates its KPIs."""

from __future__ import annotations

import csv
import json

import pytest

from support.pagetext import page

pytestmark = pytest.mark.site


def test_the_ocds_release_package_is_published_and_linked_from_the_data_page(small_site):
    package = json.loads((small_site / "data" / "ocds.json").read_text(encoding="utf-8"))
    assert package["version"] == "1.1"
    assert package["publishedDate"] == "2026-11-23T00:00:00Z"
    assert len(package["releases"]) == 3
    assert package["releases"][0]["ocid"] == "ocds-b5fd17-0001"
    data = page(small_site, "data")
    links = [a for a in data.select("a") if a["href"].endswith("data/ocds.json")]
    assert links and links[0].get_text(strip=True) == "ocds.json"
    assert "Open Contracting Data Standard" in data.get_text(" ", strip=True)


def test_the_contract_page_rates_each_kpi_as_a_contract_performance_notice_does(small_site):
    contract = page(small_site, "contracts/mcc-asc-2024-001")
    heading = contract.find(id="contract-performance")
    assert heading.get_text(strip=True) == "Contract performance (Procurement Act 2023)"
    table = heading.find_next("table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Key performance indicator (KPI)", "Rating", "Assessment period start", "Assessment period end"]
    rows = [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in table.select("tbody tr")]
    assert rows[0] == ["Local people hired", "Good", "1 October 2024", "30 September 2026"]
    assert len(rows) == 3
    waiting = page(small_site, "contracts/mlco-ch-25-003").find(id="contract-performance").find_next("table")
    cells = [td.get_text(" ", strip=True) for td in waiting.select("tbody td")]
    assert cells == ["Not yet rated: no return has been published", "Not assessed yet", "Not assessed yet"]


def test_the_contract_performance_csv_has_its_header_and_a_row_for_each_kpi(small_site):
    with open(small_site / "data" / "contract-performance.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == [
        "contract_id",
        "contract_title",
        "ocid",
        "notice_url",
        "buyer_name",
        "buyer_id",
        "supplier_names",
        "supplier_ids",
        "measure_id",
        "measure_title",
        "target",
        "unit",
        "direction",
        "rating",
        "not_rated_reason",
        "assessment_period_start",
        "assessment_period_end",
    ]
    assert len(rows) == 5
    assert rows[0] == {
        "contract_id": "MCC/ASC/2024/001",
        "contract_title": "Homecare in North Manchester",
        "ocid": "ocds-b5fd17-0001",
        "notice_url": "https://www.contractsfinder.service.gov.uk/notice/0001",
        "buyer_name": "Manchester City Council",
        "buyer_id": "GB-LAE-MAN",
        "supplier_names": "Northside Care Ltd",
        "supplier_ids": "GB-COH-01234567",
        "measure_id": "EMP-01",
        "measure_title": "Local people hired",
        "target": "30",
        "unit": "FTE",
        "direction": "increase",
        "rating": "Good",
        "not_rated_reason": "",
        "assessment_period_start": "2024-10-01",
        "assessment_period_end": "2026-09-30",
    }
    data = page(small_site, "data")
    assert any(a["href"].endswith("data/contract-performance.csv") for a in data.select("a"))
