"""The data-quality page: warnings in plain English, each linking the record concerned."""

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, edit_csv

pytestmark = pytest.mark.site


def quality_page(site):
    return BeautifulSoup((site / "data-quality" / "index.html").read_text(encoding="utf-8"), "lxml")


def test_overdue_returns_link_their_contract(small_site):
    soup = quality_page(small_site)
    rows = soup.select("#overdue + p + div table tbody tr")
    assert len(rows) == 1
    link = rows[0].find("a")
    assert link.get_text() == "Community connectors"
    assert (small_site / "data-quality" / link["href"] / "index.html").resolve().is_file()
    assert "Volunteering hours" in rows[0].get_text() and "No returns published" in rows[0].get_text()


def test_completeness_of_optional_columns(small_site):
    soup = quality_page(small_site)
    contracts = next(
        t for t in soup.select("#completeness ~ div table") if t.caption.get_text().startswith("contracts.csv")
    )
    cells = {
        tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in contracts.select("tbody tr")
    }
    assert cells["buyer_id"] == ["1 of 3", "33%"]
    assert cells["wards"] == ["3 of 3", "100%"]
    assert "contract_id" not in cells  # required columns are always complete


def test_contracts_without_commitments_and_file_notes(tmp_path, small_copy):
    edit_csv(small_copy / "commitments.csv", "MLCO/CH/25/003,COM-01,200,,\n", "")
    edit_csv(small_copy / "outcomes.csv", "status,evidence", "status,evidence_link")
    assert build_site(small_copy, tmp_path / "out") == 0
    soup = quality_page(tmp_path / "out")
    listed = soup.select("#without-commitments + ul li")
    assert [li.a.get_text() for li in listed] == ["Community connectors"]
    notes = [li.get_text(strip=True) for li in soup.select("#files + ul li")]
    assert (
        "outcomes.csv:1: evidence: optional column is absent; treated as blank (is 'evidence_link' meant to be "
        "'evidence'?)" in notes
    )
    assert "outcomes.csv:1: evidence_link: column is not in the data dictionary; it is kept in downloads" in notes
