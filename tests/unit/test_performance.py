"""Contract performance under the Procurement Act 2023 (plugins/svportal/performance.py): each KPI rated.

The small fixture, as at 23 November 2026 (assessed at 30 September 2026): Homecare in North Manchester
has three rated KPIs; the VCSE contract had not finished its first quarter; Community connectors has a
return due but none published. The organisations fixture gives a joint award (a lead, a consortium member,
a subcontractor) and a contract that ended before the assessment date.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from support.sites import BUILD_DATE, FIXTURES, SMALL
from svportal import exports, model, pages, performance
from svportal.load import load_dataset

HOMECARE, VCSE_CONTRACT, CONNECTORS = "MCC/ASC/2024/001", "MHCC-2026-002", "MLCO/CH/25/003"
JOINT = "MCC/HOM/2025/010"
AS_AT = pd.Timestamp("2026-09-30")


def ratings(tables: dict[str, pd.DataFrame], commitments: pd.DataFrame | None = None) -> pd.DataFrame:
    commitments = tables["commitments"] if commitments is None else commitments
    progress = model.commitment_progress(
        tables["contracts"], tables["measures"], commitments, tables["outcomes"], pd.Timestamp(BUILD_DATE)
    )
    suppliers = model.supplier_parties(tables["contracts"], tables.get("contract_suppliers"))
    return performance.kpi_ratings(tables["contracts"], suppliers, progress, model.assessment_date(BUILD_DATE))


@pytest.fixture(scope="module")
def small(contract) -> pd.DataFrame:
    return ratings(load_dataset(SMALL, contract).tables)


def test_one_row_per_kpi_with_what_a_contract_performance_notice_needs(small):
    assert list(small.columns) == performance.COLUMNS
    assert list(zip(small["contract_id"], small["measure_id"])) == [
        (HOMECARE, "EMP-01"),
        (HOMECARE, "GRN-01"),
        (HOMECARE, "RLW-01"),
        (VCSE_CONTRACT, "EMP-01"),
        (CONNECTORS, "COM-01"),
    ]
    first = small.iloc[0]
    assert first["contract_title"] == "Homecare in North Manchester"
    assert first["ocid"] == "ocds-b5fd17-0001"
    assert first["notice_url"] == "https://www.contractsfinder.service.gov.uk/notice/0001"
    assert (first["buyer_name"], first["buyer_id"]) == ("Manchester City Council", "GB-LAE-MAN")
    assert first["supplier_names"] == ("Northside Care Ltd",)
    assert first["supplier_ids"] == ("GB-COH-01234567",)
    assert (first["measure_title"], first["target"], first["unit"]) == ("Local people hired", 30.0, "FTE")


def test_rated_kpis_assess_the_period_from_the_start_to_the_assessment_date(small):
    homecare = small[small["contract_id"] == HOMECARE]
    assert homecare["rating"].tolist() == ["Good", "Approaching target", "Requires improvement"]
    assert homecare["not_rated_reason"].isna().all()
    assert (homecare["assessment_period_start"] == pd.Timestamp("2024-10-01")).all()
    assert (homecare["assessment_period_end"] == AS_AT).all()
    assert homecare["direction"].tolist() == ["increase", "decrease", "increase"]


def test_kpis_not_yet_rateable_say_why_and_have_no_period(small):
    others = small[small["contract_id"] != HOMECARE].set_index("contract_id")
    assert others["rating"].isna().all()
    assert others.loc[VCSE_CONTRACT, "not_rated_reason"] == model.NOT_YET_DUE
    assert others.loc[CONNECTORS, "not_rated_reason"] == model.NO_RETURNS
    assert others["assessment_period_start"].isna().all() and others["assessment_period_end"].isna().all()


def test_a_joint_award_lists_the_suppliers_party_to_it_and_a_contract_that_ended_is_assessed_to_its_end(contract):
    t = load_dataset(FIXTURES / "organisations", contract).tables
    contracts = t["contracts"].copy()
    contracts.loc[contracts["contract_id"] == JOINT, "end_date"] = pd.Timestamp("2026-06-30")
    t = {**t, "contracts": contracts}
    extra = pd.DataFrame({"contract_id": [JOINT], "measure_id": ["EMP-01"], "target": [1.0]})
    outcome = pd.DataFrame(
        {
            "contract_id": [JOINT],
            "measure_id": ["EMP-01"],
            "period_start": [pd.Timestamp("2025-10-01")],
            "period_end": [pd.Timestamp("2025-12-31")],
            "delivered": [1.0],
        }
    )
    t["outcomes"] = pd.concat([t["outcomes"], outcome], ignore_index=True)
    found = ratings(t, pd.concat([t["commitments"], extra], ignore_index=True))
    joint = found[found["contract_id"] == JOINT].iloc[0]
    assert joint["supplier_names"] == ("Acme Care Ltd", "Bright Futures Trust")  # not the subcontractor
    assert joint["supplier_ids"] == ("GB-COH-01234567", "GB-CHC-1123456")
    assert joint["rating"] == model.GOOD
    assert joint["assessment_period_start"] == pd.Timestamp("2025-10-01")
    assert joint["assessment_period_end"] == pd.Timestamp("2026-06-30")  # the contract's end, before 30 September


def test_a_supplier_without_an_identifier_keeps_its_place_in_the_list(contract):
    t = load_dataset(FIXTURES / "organisations", contract).tables
    suppliers = t["contract_suppliers"].copy()
    suppliers.loc[suppliers["supplier_name"] == "Hulme Friends Group", "role"] = "consortium-member"
    extra = pd.DataFrame({"contract_id": [JOINT], "measure_id": ["EMP-01"], "target": [1.0]})
    found = ratings({**t, "contract_suppliers": suppliers}, pd.concat([t["commitments"], extra], ignore_index=True))
    joint = found[found["contract_id"] == JOINT].iloc[0]
    assert joint["supplier_ids"] == ("GB-COH-01234567", "GB-CHC-1123456", "")
    csv_text = exports.to_csv(found[found["contract_id"] == JOINT]).decode()
    row = next(csv.DictReader(io.StringIO(csv_text)))
    assert row["supplier_names"] == "Acme Care Ltd;Bright Futures Trust;Hulme Friends Group"
    assert row["supplier_ids"] == "GB-COH-01234567;GB-CHC-1123456;"
    assert row["rating"] == "" and row["not_rated_reason"] == "No returns yet"


def test_the_published_resource_describes_every_column(small):
    resource = exports.performance_resource(performance.NAME)
    assert resource["path"] == "contract-performance.csv"
    assert [f["name"] for f in resource["schema"]["fields"]] == list(small.columns)


def test_the_contract_page_rows_give_each_rating_its_words_and_colour(small):
    rows = pages.performance_rows(small)
    assert [r["rating_text"] for r in rows[HOMECARE]] == ["Good", "Approaching target", "Requires improvement"]
    assert rows[HOMECARE][0]["rating_colour"] == "green"
    assert rows[VCSE_CONTRACT][0]["rating_text"] == "Not yet rated: no return was due by the assessment date"
    assert rows[CONNECTORS][0]["rating_text"] == "Not yet rated: no return has been published"
