"""The page model (plugins/svportal/pages.py): what every page shows, computed from a dataset, no build.

The small fixture (tests/fixtures/small) has three contracts: Homecare in North Manchester
(£1,234,567.50, SME, local, Real Living Wage, three commitments with eight quarters of returns),
a VCSE contract not started yet (£50,000, regional) and Community connectors (£20,000, SME, local,
no returns). The opportunities fixture is the same plus eleven opportunities.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from support.sites import BUILD_DATE, OPPORTUNITIES, ROOT, SMALL, portal_settings
from svportal import pages
from svportal.load import load_dataset
from svportal.settings import read_settings

HOMECARE, VCSE_CONTRACT, CONNECTORS = "MCC/ASC/2024/001", "MHCC-2026-002", "MLCO/CH/25/003"
VALUES = {HOMECARE: 1_234_567.50, VCSE_CONTRACT: 50_000.0, CONNECTORS: 20_000.0}
TOTAL = sum(VALUES.values())


def site_data(data_dir, contract, build_date: str = BUILD_DATE) -> pages.SiteData:
    settings = read_settings({**portal_settings(data_dir, build_date), "PATH": str(ROOT / "content")})
    return pages.build_site_data(load_dataset(data_dir, contract), settings)


@pytest.fixture(scope="module")
def small(contract) -> pages.SiteData:
    return site_data(SMALL, contract)


@pytest.fixture(scope="module")
def with_opportunities(contract) -> pages.SiteData:
    return site_data(OPPORTUNITIES, contract)


# --- headline figures --------------------------------------------------------------------------------


def test_headline_figures_count_contracts_suppliers_and_commitments(small):
    headline = small.headline
    assert headline["contracts"] == 3
    assert headline["suppliers"] == 2  # Northside Care Ltd holds two of the contracts
    assert headline["value_gbp"] == pytest.approx(TOTAL)
    assert headline["commitments"] == 5
    assert headline["assessed"] == 3  # the not-started contract and the one without returns are not rated
    assert headline["on_track"] == 1


def test_headline_shares_are_percentages_of_the_total_value(small):
    headline = small.headline
    assert headline["vcse_value_pct"] == pytest.approx(VALUES[VCSE_CONTRACT] / TOTAL * 100)
    assert headline["sme_value_pct"] == pytest.approx((VALUES[HOMECARE] + VALUES[CONNECTORS]) / TOTAL * 100)
    assert headline["local_value_pct"] == headline["sme_value_pct"]
    assert headline["rlw_value_pct"] == pytest.approx(VALUES[HOMECARE] / TOTAL * 100)
    assert headline["vcse_value_pct"] + headline["sme_value_pct"] == pytest.approx(100)


def test_the_assessment_date_is_the_end_of_the_last_complete_quarter(small):
    assert small.as_at == pd.Timestamp("2026-09-30")
    assert str(small.data_updated) == "2026-10-01"  # the latest last_updated of contracts.csv


# --- per-contract commitments ------------------------------------------------------------------------


def commitments(site: pages.SiteData, contract_id: str) -> dict[str, dict]:
    return {row["measure_id"]: row for row in site.commitments_by_contract[contract_id]}


def test_returns_are_added_up_or_the_latest_one_counts_as_the_measure_says(small):
    homecare = commitments(small, HOMECARE)
    assert homecare["EMP-01"]["delivered_to_date"] == 8 * 3  # sum: eight quarterly returns of 3 FTE
    assert homecare["EMP-01"]["pct_of_target"] == pytest.approx(24 / 30 * 100)
    assert homecare["GRN-01"]["delivered_to_date"] == 8 * 10  # a ceiling (decrease): 80 of 100 tCO2e
    assert homecare["RLW-01"]["delivered_to_date"] == 30  # latest: the last return, not the total
    assert homecare["RLW-01"]["pct_of_target"] == pytest.approx(60)


def test_each_commitment_has_its_status_its_colour_and_its_priority_page(small):
    homecare = commitments(small, HOMECARE)
    assert {m: row["status"] for m, row in homecare.items()} == {
        "EMP-01": "Good",
        "GRN-01": "Approaching target",
        "RLW-01": "Requires improvement",
    }
    assert {row["status_colour"] for row in homecare.values()} == {"green", "yellow", "orange"}
    assert homecare["EMP-01"]["priority_slug"] == "create-employment-and-skills-opportunities"
    assert commitments(small, VCSE_CONTRACT)["EMP-01"]["status"] == "Not yet due"
    assert commitments(small, CONNECTORS)["COM-01"]["status"] == "No returns yet"
    assert all(row["status_colour"] in pages.STATUS_COLOURS.values() for rows in small.commitments_by_contract.values()
               for row in rows)  # fmt: skip


def test_every_commitment_belongs_to_exactly_one_contract(small):
    rows = [row for rows in small.commitments_by_contract.values() for row in rows]
    assert len(rows) == len(small.progress) == 5
    assert all(row["contract_id"] == key for key, rows in small.commitments_by_contract.items() for row in rows)


def test_every_commitment_of_a_started_contract_has_a_chart(small):
    charted = {(r["contract_id"], r["measure_id"]) for rows in small.commitments_by_contract.values() for r in rows
               if r.get("chart")}  # fmt: skip
    # the contract without returns too (its quarters show as missing); not the one not started yet
    assert charted == {(HOMECARE, "EMP-01"), (HOMECARE, "GRN-01"), (HOMECARE, "RLW-01"), (CONNECTORS, "COM-01")}
    assert len(small.contract_charts()) == len(charted)
    assert len(small.other_charts()) == len(small.dashboard["charts"])


def test_the_contracts_charts_come_in_the_order_their_pages_are_written(small):
    in_order = [r["chart"] for c in small.contracts for r in small.commitments_by_contract.get(c["contract_id"], [])]
    assert small.contract_charts() == [chart for chart in in_order if chart]


# --- contracts, suppliers, facets ---------------------------------------------------------------------


def test_contract_rows_carry_their_supplier_type(small):
    assert {row["contract_id"]: row["supplier_type"] for row in small.contracts} == {
        HOMECARE: "SME",
        VCSE_CONTRACT: "VCSE",
        CONNECTORS: "SME",
    }


@pytest.mark.parametrize(
    "row, expected",
    [
        ({"supplier_vcse": True, "supplier_size": "sme"}, "VCSE"),  # a small charity is both: VCSE first
        ({"supplier_vcse": False, "supplier_size": "sme"}, "SME"),
        ({"supplier_vcse": None, "supplier_size": "large"}, "Large"),
        ({"supplier_size": None}, "Not published"),
        ({}, "Not published"),
    ],
)
def test_supplier_type(row, expected):
    assert pages.supplier_type(row) == expected


def test_facets_list_exactly_the_matching_contracts(small):
    facets = {facet["path"]: sorted(c["contract_id"] for c in facet["contracts"]) for facet in small.facets}
    assert facets == {
        "type/vcse": [VCSE_CONTRACT],
        "type/sme": [HOMECARE, CONNECTORS],
        "type/large": [],
        "based/local": [HOMECARE, CONNECTORS],
        "based/regional": [VCSE_CONTRACT],
        "based/elsewhere": [],
        "status/good": [HOMECARE],
        "status/approaching-target": [HOMECARE],
        "status/requires-improvement": [HOMECARE],
        "status/inadequate": [],
        "status/no-returns-yet": [CONNECTORS],
        "status/not-yet-due": [VCSE_CONTRACT],
        "status/return-overdue": [CONNECTORS],
    }
    assert list(small.facet_groups) == ["Type of supplier", "Where the supplier is based", "Status of a commitment"]
    # the ratings are "rated"; the statuses without a rating and the overdue flag are not
    assert [f["label"] for f in small.facet_groups["Status of a commitment"]] == [
        "At least one rated Good",
        "At least one rated Approaching target",
        "At least one rated Requires improvement",
        "At least one rated Inadequate",
        "At least one with no returns yet",
        "At least one not yet due",
        "With a return overdue",
    ]


def test_contracts_are_grouped_by_supplier_and_buyer(small):
    by_supplier = small.supplier_contracts
    assert sorted(c["contract_id"] for c in by_supplier["gb-coh-01234567"]) == [HOMECARE, CONNECTORS]
    assert sum(len(rows) for rows in small.buyer_contracts.values()) == 3
    assert {row["supplier_type"] for row in small.supplier_rows} == {"SME", "VCSE"}


def test_priorities_list_their_contracts_and_how_many_are_rated_good(small):
    found = {p["priority"]: (p["assessed"], p["on_track"], [c["contract_id"] for c in p["contracts_list"]])
             for p in small.priorities}  # fmt: skip
    assert found["Create employment and skills opportunities"][:2] == (1, 1)
    assert sorted(found["Create employment and skills opportunities"][2]) == [HOMECARE, VCSE_CONTRACT]
    assert found["Be part of a strong local community"] == (0, 0, [CONNECTORS])
    assert "slug" not in small.priorities_download().columns
    assert "contracts_list" not in small.priorities_download().columns


# --- downloads and the data page ----------------------------------------------------------------------


def test_contracts_download_is_the_rows_asked_for_in_that_order(small):
    frame = small.contracts_download([CONNECTORS, HOMECARE])
    assert list(frame["contract_id"]) == [CONNECTORS, HOMECARE]
    assert list(frame["commitments"]) == [1, 3]
    assert small.contracts_download([]).empty


def test_the_data_page_lists_every_dataset_with_its_rows(small):
    rows = {d["name"]: d["rows"] for d in small.datasets}
    assert rows == {
        "contracts": 3,
        "contract_suppliers": 0,
        "measures": 4,
        "commitments": 5,
        "outcomes": 24,
        "opportunities": 0,
        "opportunity_lots": 0,
        "grants": 0,
        "payments": 0,
        "organisations": 0,
        "indicators": 0,
        "indicator_values": 0,
        "wards": 0,
        "commitment_progress": 5,
        "contract-performance": 5,
    }
    assert all(d["fields"] and d["title"] for d in small.datasets)


def test_rows_of_contract_split_a_published_table(small):
    outcomes = small.rows_of_contract("outcomes")
    assert set(outcomes) == {HOMECARE}  # the others have no returns
    assert len(outcomes[HOMECARE]) == 24


def test_data_quality_lists_the_overdue_return(small):
    overdue = small.quality["overdue"]
    assert [row["contract_id"] for row in overdue] == [CONNECTORS]
    assert small.quality["without_commitments"] == []


# --- opportunities -----------------------------------------------------------------------------------


def test_without_opportunities_the_home_page_lists_none(small):
    assert small.next_closing == []


def test_the_home_page_lists_the_next_opportunities_to_close(with_opportunities):
    listed = with_opportunities.next_closing
    assert 0 < len(listed) <= pages.HOME_OPPORTUNITIES
    dates = [row["closing_date"] for row in listed]
    assert dates == sorted(dates)
    assert all(pd.Timestamp(d) >= pd.Timestamp(BUILD_DATE) for d in dates)  # none closed already
    assert [row["opportunity_id"] for row in listed][:2] == ["OPP/TODAY/1", "OPP-TOMORROW"]


def test_opportunities_download_is_the_rows_asked_for(with_opportunities):
    ids = [row["opportunity_id"] for row in with_opportunities.next_closing]
    assert list(with_opportunities.opportunities_download(ids[::-1])["opportunity_id"]) == ids[::-1]


def test_a_later_build_date_moves_the_assessment_and_the_opportunities(contract):
    later = site_data(OPPORTUNITIES, contract, "2026-11-24")
    assert later.as_at == pd.Timestamp("2026-09-30")
    assert "OPP/TODAY/1" not in [row["opportunity_id"] for row in later.next_closing]
    assert not any(isinstance(v, float) and math.isnan(v) for v in later.headline.values())
