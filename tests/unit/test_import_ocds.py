"""make import-ocds (plugins/svportal/importers/ocds*.py): OCDS from Contracts Finder and Find a Tender.

The real sample is one page of the Contracts Finder OCDS API: 50 releases, 46 contracting processes
(tests/fixtures/ocds/, Open Government Licence v3.0: see SOURCE.txt there). There are no real record
packages, JSON Lines, Procurement Act notices or OCDS 1.0 files here: those fixtures are written by hand
from the standard's documentation, and say so in SOURCE.txt.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES, ROOT
from svportal.importers import __main__ as importers_cli
from svportal.importers.ocds import main
from svportal.importers.ocds_record import Record
from svportal.importers.ocds_values import fit_text
from svportal.load import load_dataset
from svportal.parse import ONE_LINE_FORBIDDEN
from svportal.schema import read_contract

OCDS = FIXTURES / "ocds"
SAMPLE = OCDS / "contracts-finder-ocds-sample.json"
CONTRACT = ROOT / "data" / "datapackage.json"
DATA_FILES = ("contracts.csv", "contract_suppliers.csv", "opportunities.csv", "opportunity_lots.csv")

# Processes of the real sample the tests look at
PEAKON = "ocds-b5fd17-7d067852-1260-448e-b84a-186d028f9991"  # a G-Cloud call-off (an awardUpdate)
ULEV = "ocds-b5fd17-d60017c5-4d9a-4091-b946-0e9b5a320f40"  # a joint award: two suppliers
HOUNSLOW = "ocds-b5fd17-6cc1fffd-3481-4b95-b724-adf1be3dd1a8"  # an open tender
DERBY = "ocds-b5fd17-04448330-49ca-432b-96b7-b9cfbed6d27b"  # a market engagement (planning)
UKRI = "ocds-b5fd17-9acd68ad-792b-4018-834f-ae3b047c8a7d"  # award, then an awardUpdate listed first in the file


@pytest.fixture(scope="module")
def contract():
    return read_contract(CONTRACT)


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def imported(capsys, source: Path, data: Path, *extra) -> str:
    code, out, err = run(capsys, "--data", data, *extra, source)
    assert code == 0, err
    return out


def rows_of(data: Path, name: str) -> dict[str, dict[str, str]]:
    """A data file's rows by their first column (contract_suppliers and lots: by the first two)."""
    path = data / name
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if name in ("contract_suppliers.csv", "opportunity_lots.csv"):
        return {f"{row[next(iter(row))]} {list(row.values())[1 if name.startswith('opp') else 2]}": row for row in rows}
    return {row[next(iter(row))]: row for row in rows}


def filled(row: dict[str, str]) -> dict[str, str]:
    return {column: value for column, value in row.items() if value}


def losses_of(data: Path) -> list[dict[str, str]]:
    with (data / "import-reports" / "ocds-loss-report.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def report_of(data: Path) -> str:
    return (data / "import-reports" / "ocds-report.txt").read_text(encoding="utf-8")


def snapshot(data: Path) -> dict[str, tuple[bytes, int]]:
    """Every data file (not the reports): its bytes and when it was last written."""
    return {
        path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(data.iterdir()) if path.is_file()
    }


def assert_loads(data: Path, contract) -> None:
    """The data folder loads the way a build reads it, without one error."""
    dataset = load_dataset(data, contract)
    assert [str(p) for p in dataset.errors] == []


# --- the real Contracts Finder sample ---------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_import(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cf") / "data"
    assert main(["--data", str(data), str(SAMPLE)]) == 0
    return data


def test_the_sample_fills_each_table(sample_import, contract):
    assert {name: len(rows_of(sample_import, name)) for name in DATA_FILES} == {
        "contracts.csv": 26,  # 28 award releases; two processes give theirs twice (award, then awardUpdate)
        "contract_suppliers.csv": 2,  # the one joint award's two suppliers
        "opportunities.csv": 20,  # the processes announced (planning) or put out to tender, not award notices alone
        "opportunity_lots.csv": 0,  # no tender of the sample has more than one lot
    }
    assert not (sample_import / "opportunity_lots.csv").exists()
    contracts = rows_of(sample_import, "contracts.csv").values()
    assert len({row["buyer_name"] for row in contracts}) == 13
    assert len({row["supplier_name"] for row in contracts}) == 20
    assert len({row["supplier_id"] for row in contracts}) == 21  # Tencer Ltd has two Contracts Finder ids
    assert_loads(sample_import, contract)


def test_a_contract_of_the_sample_exactly(sample_import):
    row = rows_of(sample_import, "contracts.csv")[f"{PEAKON}-1"]
    assert filled(row) == {
        "contract_id": f"{PEAKON}-1",
        "title": "CON-00000309: Peakon ApS Staff survey services",
        "description": "The G-Cloud Call-off contract was awarded to one supplier",
        "buyer_name": "NURSING AND MIDWIFERY COUNCIL",
        "buyer_id": "GB-SRS-sid4gov.cabinetoffice.gov.uk/FxGd77hQ",
        "supplier_name": "Peakon ApS",
        "supplier_id": "GB-CFS-154774",
        "supplier_size": "large",
        "supplier_vcse": "no",
        "procurement_route": "call-off",
        "start_date": "2020-10-22",  # 2020-10-22T00:00:00+01:00: the date as written, not the UTC one
        "end_date": "2022-10-21",
        "value_gbp": "72508.8",
        "cpv_code": "48000000",
        "ocid": PEAKON,
        "notice_url": "https://www.contractsfinder.service.gov.uk/Notice/7d005747-1320-456e-b1fb-79919a74e44f",
        "last_updated": "2022-10-20",
    }
    assert row["sv_weighting_pct"] == row["department"] == row["wards"] == ""  # staff columns: left for staff


def test_an_open_opportunity_of_the_sample_exactly(sample_import):
    row = rows_of(sample_import, "opportunities.csv")[HOUNSLOW]
    assert row["description"].startswith("The London Borough of Hounslow requires an experienced Public Sector")
    assert "\n• Set out a clear strategy" in row["description"]  # paragraphs and line breaks kept
    assert filled(row) | {"description": ""} == {
        "opportunity_id": HOUNSLOW,
        "title": "Special Educational Needs and Disabilities (SEND) Employment Pathways",
        "description": "",
        "buyer_name": "London Borough of Hounslow",
        "buyer_id": "GB-CFS-123209",
        "stage": "open",
        "route": "open",
        "cpv_codes": "73000000;79000000",
        "value_max_gbp": "30000",
        "suitable_for_vcse": "yes",
        "suitable_for_sme": "yes",
        "published_date": "2022-10-20",
        "closing_date": "2022-11-17T23:59:59Z",  # the time and offset kept
        "expected_start": "2023-01-09",
        "contact_email": "tracey.williams@hounslow.gov.uk",
        "notice_url": "https://www.contractsfinder.service.gov.uk/Notice/552c8041-de65-46f7-a75b-9f5594b99753",
        "ocid": HOUNSLOW,
    }


def test_a_market_engagement_is_a_planned_opportunity(sample_import):
    row = rows_of(sample_import, "opportunities.csv")[DERBY]
    assert (row["stage"], row["event_title"], row["event_date"], row["published_date"]) == (
        "pipeline",
        "Engagement end date",
        "2022-11-10",
        "2022-10-19",
    )
    assert row["closing_date"] == row["value_max_gbp"] == row["route"] == ""
    assert row["notice_url"] == "https://www.contractsfinder.service.gov.uk/Notice/c80defc1-9081-4b74-a5b1-d85535d22a12"


def test_a_joint_award_lists_every_supplier(sample_import):
    contract_row = rows_of(sample_import, "contracts.csv")[f"{ULEV}-1"]
    assert (contract_row["supplier_name"], contract_row["supplier_id"]) == (
        "YESSS (B) Electrical Limited - Nottingham",
        "GB-CFS-224732",
    )
    with (sample_import / "contract_suppliers.csv").open(encoding="utf-8", newline="") as f:
        assert [filled(row) for row in csv.DictReader(f)] == [
            {
                "contract_id": f"{ULEV}-1",
                "supplier_id": "GB-CFS-224732",
                "supplier_name": "YESSS (B) Electrical Limited - Nottingham",
                "role": "lead",
                "supplier_size": "large",
                "supplier_vcse": "no",
            },
            {
                "contract_id": f"{ULEV}-1",
                "supplier_id": "GB-CFS-224733",
                "supplier_name": "Enerveo Ltd",
                "role": "consortium-member",
                "supplier_size": "large",
                "supplier_vcse": "no",
            },
        ]


def test_a_later_award_update_wins_though_it_comes_first_in_the_file(sample_import):
    """UKRI's award (09:12, £1,350) is followed by an awardUpdate (09:27, £4,050) listed before it."""
    row = rows_of(sample_import, "contracts.csv")[f"{UKRI}-1"]
    assert (row["value_gbp"], row["title"], row["last_updated"]) == (
        "4050",
        "ITT for projects 10042837, 10045189, 10044843",
        "2022-10-20",
    )


def test_the_sample_reports(sample_import):
    report = report_of(sample_import)
    assert "read 50 releases from 1 file: 46 contracting processes" in report
    assert "contracts: 26 added, 0 updated, 0 unchanged" in report
    assert (
        f"{UKRI}: tender.status: 'InvalidStatus' is not a status of the OCDS tenderStatus codelist" in report
    )  # the awardUpdate's status, as Contracts Finder published it
    losses = losses_of(sample_import)
    hounslow = {loss["field"]: loss for loss in losses if loss["record"] == HOUNSLOW}
    assert hounslow["parties[0].address"]["value"] == (
        '{"countryName": "United Kingdom", "locality": "London", "postalCode": "TW3 3EB", '
        '"streetAddress": "Hounslow House, Bath Road, Hounslow"}'
    )
    assert hounslow["tender.documents[1]"]["why"] == "the portal has no column for it"  # the advert's link
    assert "tender.documents[0]" not in hounslow  # the notice: it is the opportunity's link
    assert "tender.title" not in hounslow and "tender.suitability" not in hounslow
    metadata = {loss["field"]: loss["value"] for loss in losses if loss["record"] == SAMPLE.name}
    assert metadata["license"] == "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
    assert len(losses) == 514


def test_an_empty_data_folder_gets_a_draft_identity(sample_import, contract):
    from svportal.identity import read_identity

    descriptor = json.loads((sample_import / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor == {
        "contributors": [{"title": "Cabinet Office", "role": "publisher"}],
        "portal": {"complete": False},
    }
    identity, problems = read_identity(sample_import, contract)
    assert (identity.publisher, identity.complete) == ("Cabinet Office", False)
    assert [(p.severity, p.column) for p in problems] == [("warning", "portal.complete")]


# --- importing again --------------------------------------------------------------------------------


def test_a_second_import_of_the_same_file_changes_nothing(capsys, tmp_path):
    data = tmp_path / "data"
    imported(capsys, SAMPLE, data)
    before = snapshot(data)
    out = imported(capsys, SAMPLE, data)
    assert snapshot(data) == before  # the same bytes, and no file written again
    assert "contracts: 0 added, 0 updated, 26 unchanged" in out
    assert "opportunities: 0 added, 0 updated, 20 unchanged" in out
    assert "wrote" not in out  # the identity is written into an empty folder only


def test_staff_columns_survive_an_import_that_updates_the_row(capsys, tmp_path, contract):
    data = tmp_path / "data"
    imported(capsys, SAMPLE, data)
    path = data / "contracts.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["contract_id"] == f"{PEAKON}-1":
            row.update(
                sv_weighting_pct="10%", real_living_wage="yes", department="People", wards="All", value_gbp="£72,508.80"
            )
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, header, lineterminator="\r\n")  # as a spreadsheet saves it
        writer.writeheader()
        writer.writerows(rows)
    (data / "measures.csv").write_text(
        "measure_id,priority,title,unit\nEMP-01,Jobs,Local people hired,FTE\n", encoding="utf-8"
    )
    (data / "commitments.csv").write_text(f"contract_id,measure_id,target\n{PEAKON}-1,EMP-01,2\n", encoding="utf-8")
    staff_files = {name: (data / name).read_bytes() for name in ("measures.csv", "commitments.csv")}
    package = json.loads(SAMPLE.read_text(encoding="utf-8"))
    update = next(r for r in package["releases"] if r["ocid"] == PEAKON)
    update = {**update, "id": "later", "date": "2022-11-01T09:00:00Z", "tag": ["awardUpdate"]}
    update["awards"] = [{**update["awards"][0], "value": {"amount": 80000, "currency": "GBP"}}]
    source = tmp_path / "update.json"
    source.write_text(json.dumps({**package, "releases": [*package["releases"], update]}), encoding="utf-8")
    out = imported(capsys, source, data)
    assert "contracts: 0 added, 1 updated, 25 unchanged" in out
    row = rows_of(data, "contracts.csv")[f"{PEAKON}-1"]
    assert (row["value_gbp"], row["last_updated"]) == ("80000", "2022-11-01")  # the source's columns follow it
    assert (row["sv_weighting_pct"], row["real_living_wage"], row["department"], row["wards"]) == (
        "10%",
        "yes",
        "People",
        "All",
    )  # what staff typed stays
    assert {name: (data / name).read_bytes() for name in staff_files} == staff_files
    assert_loads(data, contract)


def test_a_later_release_changes_the_fields_it_gives_and_keeps_the_others(capsys, tmp_path):
    """The merge rule: ocdsmerge takes each field from the latest release that gives it."""
    award = {
        "ocid": "ocds-b5fd17-merge-0001",
        "id": "merge-1",
        "date": "2026-01-01T09:00:00Z",
        "tag": ["award"],
        "parties": [
            {"id": "B1", "name": "Example Borough Council", "roles": ["buyer"]},
            {"id": "GB-COH-07654321", "name": "Tidy Ltd", "roles": ["supplier"], "details": {"scale": "sme"}},
        ],
        "buyer": {"id": "B1", "name": "Example Borough Council"},
        "tender": {"id": "T", "title": "Cleaning", "status": "complete"},
        "awards": [
            {
                "id": "1",
                "status": "active",
                "value": {"amount": 1000, "currency": "GBP"},
                "suppliers": [{"id": "GB-COH-07654321", "name": "Tidy Ltd"}],
                "contractPeriod": {"startDate": "2026-02-01T00:00:00Z", "endDate": "2027-01-31T00:00:00Z"},
            }
        ],
    }
    update = {
        "ocid": "ocds-b5fd17-merge-0001",
        "id": "merge-2",
        "date": "2026-03-01T09:00:00Z",
        "tag": ["awardUpdate"],
        "awards": [
            {
                "id": "1",
                "value": {"amount": 1200, "currency": "GBP"},
                "contractPeriod": {"endDate": "2027-06-30T00:00:00Z"},
            }
        ],
    }
    source = tmp_path / "merge.json"
    source.write_text(json.dumps({"version": "1.1", "releases": [update, award]}), encoding="utf-8")
    imported(capsys, source, tmp_path / "data")
    row = rows_of(tmp_path / "data", "contracts.csv")["ocds-b5fd17-merge-0001-1"]
    assert (row["value_gbp"], row["start_date"], row["end_date"], row["supplier_size"], row["last_updated"]) == (
        "1200",
        "2026-02-01",
        "2027-06-30",
        "sme",
        "2026-03-01",
    )


# --- the other shapes --------------------------------------------------------------------------------


def test_the_legacy_ocds_1_0_shape(capsys, tmp_path, contract):
    data = tmp_path / "data"
    imported(capsys, OCDS / "legacy-ocds-1.0.json", data)
    assert filled(rows_of(data, "contracts.csv")["ocds-b5fd17-legacy-0001-1"]) == {
        "contract_id": "ocds-b5fd17-legacy-0001-1",  # the integer award id 1, after the ocid
        "title": "Home care services",
        "description": "Care at home for adults in the borough.",
        "buyer_name": "Trafford Council",
        "buyer_id": "GB-LAE-TRF",  # from the buyer's identifier: there are no parties
        "supplier_name": "Care Together",
        "supplier_id": "GB-CHC-1123456",
        "procurement_route": "open",
        "start_date": "2017-04-01",
        "end_date": "2020-03-31",
        "value_gbp": "380000",
        "cpv_code": "85312000",  # from the items, its check digit dropped
        "ocid": "ocds-b5fd17-legacy-0001",
        "last_updated": "2017-03-02",
    }
    assert not (data / "contract_suppliers.csv").exists()  # one supplier, though three releases name it
    opportunity = rows_of(data, "opportunities.csv")["ocds-b5fd17-legacy-0001"]
    assert (
        opportunity["stage"],
        opportunity["cpv_codes"],
        opportunity["closing_date"],
        opportunity["contact_email"],
    ) == (
        "awarded",
        "85312000;85320000",  # the second from xClassifications
        "2017-02-10T12:00:00Z",
        "procurement@trafford.example.org",
    )
    assert_loads(data, contract)


def test_find_a_tender_under_the_procurement_act(capsys, tmp_path, contract):
    data = tmp_path / "data"
    imported(capsys, OCDS / "find-a-tender-procurement-act.json", data)
    opportunities = rows_of(data, "opportunities.csv")
    tender = opportunities["ocds-h6vhtk-0a1b2c"]
    assert (tender["stage"], tender["route"], tender["closing_date"], tender["buyer_id"], tender["cpv_codes"]) == (
        "open",
        "competitive-flexible",
        "2026-04-15T12:00:00+01:00",
        "GB-PPON-PABC-1234-WXYZ",
        "85000000;85312000;85320000",
    )
    assert tender["notice_url"] == "https://www.find-tender.service.gov.uk/Notice/012345-2026"
    assert [filled(row) for row in rows_of(data, "opportunity_lots.csv").values()] == [
        {
            "opportunity_id": "ocds-h6vhtk-0a1b2c",
            "lot_id": "1",
            "title": "Lot 1: Social prescribing",
            "description": "Link workers in every GP practice.",
            "value_max_gbp": "700000",
            "suitable_for_vcse": "yes",
            "suitable_for_sme": "yes",
        },
        {
            "opportunity_id": "ocds-h6vhtk-0a1b2c",
            "lot_id": "2",
            "title": "Lot 2: Carers' support",
            "description": "Advice and breaks for unpaid carers.",
            "value_max_gbp": "500000",
            "suitable_for_vcse": "no",
            "suitable_for_sme": "yes",
        },
    ]
    engagement = opportunities["ocds-h6vhtk-0d4e5f"]
    assert (engagement["stage"], engagement["event_title"], engagement["event_date"]) == (
        "pipeline",
        "Market engagement event",
        "2026-03-12",
    )
    assert "ocds-h6vhtk-0f6a7b" not in opportunities  # a direct award: never open to bids
    row = rows_of(data, "contracts.csv")["ocds-h6vhtk-0f6a7b-1"]
    assert (row["value_gbp"], row["start_date"], row["end_date"], row["notice_url"]) == (
        "240000",  # the contract's value, not the award's 250000
        "2026-05-01",
        "2028-04-30",
        "https://www.find-tender.service.gov.uk/Notice/020202-2026",  # the UK7 contract details notice
    )
    suppliers = [
        (r["supplier_id"], r["role"], r["supplier_size"]) for r in rows_of(data, "contract_suppliers.csv").values()
    ]
    assert suppliers == [("GB-COH-01234567", "lead", "sme"), ("GB-PPON-PDEF-5678-ABCD", "consortium-member", "sme")]
    assert json.loads((data / "datapackage.json").read_text())["contributors"][0]["title"] == "Trafford Council"
    lost = {(loss["record"], loss["field"]) for loss in losses_of(data)}
    assert ("ocds-h6vhtk-0a1b2c", "tender.value.amountGross") in lost
    assert ("ocds-h6vhtk-0f6a7b", "awards[0].value") in lost  # the award's own value, not shown
    assert_loads(data, contract)


def test_a_record_package_compiles_its_releases(capsys, tmp_path, contract):
    data = tmp_path / "data"
    out = imported(capsys, OCDS / "record-package.json", data)
    row = rows_of(data, "contracts.csv")["ocds-b5fd17-rec-0001-1"]
    assert (row["title"], row["value_gbp"], row["supplier_id"], row["supplier_size"], row["supplier_vcse"]) == (
        "Parks volunteering programme",  # from the tender release: the record's compiledRelease is not used
        "58000",
        "GB-CHC-1123456",
        "sme",
        "yes",
    )
    opportunities = rows_of(data, "opportunities.csv")
    assert opportunities["ocds-b5fd17-rec-0001"]["stage"] == "awarded"
    lunch = opportunities["ocds-b5fd17-rec-0002"]  # only a linked release: its compiledRelease is used
    assert (lunch["title"], lunch["stage"], lunch["cpv_codes"], lunch["closing_date"]) == (
        "Lunch clubs for older people",
        "open",
        "85320000",
        "2026-03-20T17:00:00Z",
    )
    assert "1 linked releases" in out
    assert_loads(data, contract)


@pytest.mark.parametrize("name", ["releases.jsonl", "packages.jsonl"])
def test_json_lines_of_releases_or_of_packages(capsys, tmp_path, name, contract):
    data = tmp_path / "data"
    imported(capsys, OCDS / name, data)
    befriending = rows_of(data, "opportunities.csv")["ocds-b5fd17-jsonl-0001"]
    assert (befriending["title"], befriending["closing_date"]) == ("Befriending service", "2026-03-08T12:00:00Z")
    assert rows_of(data, "contracts.csv")["ocds-b5fd17-jsonl-0002-1"]["value_gbp"] == "90000"
    assert_loads(data, contract)


def test_a_folder_of_files(capsys, tmp_path):
    folder = tmp_path / "downloads"
    (folder / "2026").mkdir(parents=True)
    shutil.copy(OCDS / "record-package.json", folder / "2026" / "records.json")
    shutil.copy(OCDS / "releases.jsonl", folder / "releases.jsonl")
    (folder / "notes.txt").write_text("not read", encoding="utf-8")
    (folder / ".hidden.json").write_text("not read either", encoding="utf-8")
    out = imported(capsys, folder, tmp_path / "data")
    assert "from 2 files: 4 contracting processes" in out
    assert set(rows_of(tmp_path / "data", "opportunities.csv")) == {
        "ocds-b5fd17-rec-0001",
        "ocds-b5fd17-rec-0002",
        "ocds-b5fd17-jsonl-0001",
    }


def test_the_make_target_runs_the_same_command(capsys, tmp_path):
    """make import-ocds runs python -m svportal.importers ocds ...: the dispatcher reaches this importer."""
    assert importers_cli.main(["ocds", "--data", str(tmp_path / "data"), str(OCDS / "releases.jsonl")]) == 0
    assert "OCDS import from" in capsys.readouterr().out


# --- BUYER -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "buyer", ["GB-CFS-123209", "gb-cfs-123209", "London Borough of Hounslow", "london borough of hounslow"]
)
def test_buyer_keeps_one_commissioner_by_id_or_name(capsys, tmp_path, buyer):
    data = tmp_path / "data"
    out = imported(capsys, SAMPLE, data, "--buyer", buyer)
    assert list(rows_of(data, "opportunities.csv")) == [HOUNSLOW]
    assert not (data / "contracts.csv").exists()
    assert "left out 49 releases of other buyers" in out
    assert (
        json.loads((data / "datapackage.json").read_text())["contributors"][0]["title"] == "London Borough of Hounslow"
    )


def test_several_buyers(capsys, tmp_path):
    data = tmp_path / "data"
    imported(capsys, SAMPLE, data, "--buyer", "GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq", "--buyer", "GB-CFS-49206")
    buyers = {row["buyer_name"] for row in rows_of(data, "contracts.csv").values()}
    assert buyers == {"UK RESEARCH & INNOVATION", "Nottingham City Council"}
    assert len(rows_of(data, "contracts.csv")) == 12


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("not-json.json", "(top level): not valid JSON"),
        ("a-list.json", "(top level): is a list [...], not an OCDS release package"),
        ("no-releases-or-records.json", "(top level): has no 'releases' or 'records'"),
        ("release-without-ocid.json", "releases[1]: has no 'ocid': every OCDS release needs one"),
        ("cut-short.json", "releases[1]: the JSON ends too early"),
        ("bad-line.jsonl", "line 2: not valid JSON"),
    ],
)
def test_input_that_is_not_ocds_stops_the_import_and_writes_nothing(capsys, tmp_path, name, where):
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data", data, OCDS / "bad" / name)
    assert code == 1
    assert err.startswith(f"Nothing was imported: {OCDS / 'bad' / name}: {where}")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""
    assert not data.exists()


def test_bad_input_leaves_an_existing_data_folder_as_it_was(capsys, tmp_path):
    data = tmp_path / "data"
    imported(capsys, SAMPLE, data)
    before = snapshot(data)
    reports = {p.name: p.read_bytes() for p in (data / "import-reports").iterdir()}
    assert run(capsys, "--data", data, OCDS / "bad" / "cut-short.json")[0] == 1
    assert snapshot(data) == before
    assert {p.name: p.read_bytes() for p in (data / "import-reports").iterdir()} == reports


def test_a_folder_without_ocds_files_and_a_missing_source(capsys, tmp_path):
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "--data", tmp_path / "data", tmp_path / "empty")
    assert (code, err.strip()) == (
        1,
        f"Nothing was imported: {tmp_path / 'empty'}: the folder has no OCDS files "
        "(*.json, *.jsonl, *.jsonlines, *.ndjson)",
    )
    code, _, err = run(capsys, "--data", tmp_path / "data", tmp_path / "missing.json")
    assert (code, err.strip()) == (1, f"Nothing was imported: {tmp_path / 'missing.json'}: no such file or folder")


def test_a_data_file_without_its_key_column_stops_the_import(capsys, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "contracts.csv").write_text("title,value_gbp\nSomething,1\n", encoding="utf-8")
    code, _, err = run(capsys, "--data", data, SAMPLE)
    assert code == 1
    assert err.strip() == (
        f"Nothing was imported: {data / 'contracts.csv'}: has no contract_id column, so imported rows cannot be matched"
    )
    assert sorted(p.name for p in data.iterdir()) == ["contracts.csv"]


@pytest.mark.parametrize(
    "argv",
    [[], ["--data"], [str(SAMPLE)], ["--data", "x", "--wrong", str(SAMPLE)]],
    ids=["none", "no-folder", "no-data", "unknown"],
)
def test_usage_errors_exit_2(capsys, argv):
    assert main(argv) == 2
    assert "usage:" in capsys.readouterr().err


# --- what publishers get wrong ---------------------------------------------------------------------------


def test_values_publishers_get_wrong_are_imported_as_well_as_they_can_be(capsys, tmp_path, contract):
    data = tmp_path / "data"
    imported(capsys, OCDS / "messy-values.json", data)
    row = rows_of(data, "opportunities.csv")["ocds-b5fd17-messy-0001"]
    assert filled(row) == {
        "opportunity_id": "ocds-b5fd17-messy-0001",
        "title": "Street cleaning pilot",  # the line break and the tab: one line
        "buyer_name": "Example Borough Council",
        "buyer_id": "GB-LAE-EXA",
        "stage": "open",  # InvalidStatus: a best guess from its closing date
        "route": "other",
        "value_max_gbp": "50000",  # GPB: read as pounds
        "closing_date": "2026-03-01T12:00:00Z",
        "notice_url": "http://www.example.org/notices/messy-0001",  # http: kept, with a warning
        "ocid": "ocds-b5fd17-messy-0001",
    }
    contracts = rows_of(data, "contracts.csv")
    assert list(contracts) == ["ocds-b5fd17-messy-0002-2"]
    second = contracts["ocds-b5fd17-messy-0002-2"]
    assert (second["value_gbp"], second["start_date"], second["end_date"], second["supplier_size"]) == (
        "9000",  # XYZ: read as pounds
        "2026-04-01",
        "",  # it ended before it started: left out
        "",  # 'giant' is no size
    )
    report = report_of(data)
    for line in (
        "ocds-b5fd17-messy-0001: tender.status: 'InvalidStatus' is not a status of the OCDS tenderStatus codelist: "
        "taken as open",
        "ocds-b5fd17-messy-0001: tender.value.currency: 'GPB' is not a currency code (ISO 4217): read as pounds",
        "ocds-b5fd17-messy-0001: tender.minValue: the lower value 80000 is above the upper value 50000: left out",
        "ocds-b5fd17-messy-0001: tender.documents[0].url: 'http://www.example.org/notices/messy-0001' is http, not "
        "https: imported, but browsers may warn about it",
        "ocds-b5fd17-messy-0001: parties[0].contactPoint.email: 'not an address' is not an email address",
        "ocds-b5fd17-messy-0002: awards[1].value.currency: 'XYZ' is not a currency code (ISO 4217): read as pounds",
        "ocds-b5fd17-messy-0002: awards[1].contractPeriod.endDate: ends (2026-01-31) before it starts (2026-04-01): "
        "the end date is left out",
        "ocds-b5fd17-messy-0002: award 1 has its value in EUR, not pounds",
        "ocds-b5fd17-messy-0002: award 3 is pending, not in force: not a contract to show",
        "ocds-b5fd17-messy-0002: award 4 has no value in pounds",
    ):
        assert line in report
    lost = {(loss["record"], loss["field"]): (loss["value"], loss["why"]) for loss in losses_of(data)}
    assert lost[("ocds-b5fd17-messy-0001", "tender.status")] == (
        "InvalidStatus",
        "a status outside the codelist, shown as open",
    )
    assert lost[("ocds-b5fd17-messy-0001", "tender.value.currency")][0] == "GPB"
    assert lost[("ocds-b5fd17-messy-0001", "tender.minValue")] == (
        '{"amount": 80000, "currency": "GBP"}',
        "a lower value above the upper one",
    )
    assert lost[("ocds-b5fd17-messy-0001", "tender.documents[0].url")][1].startswith("an http link")
    assert lost[("ocds-b5fd17-messy-0002", "awards[0].value")] == (
        '{"amount": 12000, "currency": "EUR"}',
        "in EUR: the portal shows amounts in pounds only",
    )
    assert lost[("ocds-b5fd17-messy-0002", "parties[1].details.scale")] == ("giant", "an unknown organisation size")
    assert_loads(data, contract)


def test_releases_that_cannot_be_merged_are_skipped_with_the_reason(capsys, tmp_path):
    first = {"ocid": "ocds-b5fd17-nodate", "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"]}
    source = tmp_path / "s.json"
    source.write_text(json.dumps({"releases": [first, {**first, "id": "2", "date": None}]}), encoding="utf-8")
    out = imported(capsys, source, tmp_path / "data")
    assert "1 × 1 of its 2 releases have no date (release id '2'), so they cannot be merged in order" in out


# --- memory: the same import, spilled to disk ----------------------------------------------------------


def test_releases_kept_on_disk_give_the_same_files(capsys, tmp_path):
    in_memory, on_disk = tmp_path / "a", tmp_path / "b"
    imported(capsys, SAMPLE, in_memory)
    out = imported(capsys, SAMPLE, on_disk, "--memory-mb", "0.01")
    assert "the releases outgrew memory and were kept on disk while compiling" in out
    same = {name: (in_memory / name).read_bytes() for name in DATA_FILES if (in_memory / name).exists()}
    assert same == {name: (on_disk / name).read_bytes() for name in DATA_FILES if (on_disk / name).exists()}
    loss_report = "import-reports/ocds-loss-report.csv"
    assert (in_memory / loss_report).read_bytes() == (on_disk / loss_report).read_bytes()


# --- properties --------------------------------------------------------------------------------------------


@given(st.text(max_size=400), st.integers(min_value=2, max_value=300))
def test_fitted_one_line_text_is_one_line_within_its_limit(value, limit):
    rec = Record("ocds-x", {})
    fitted = fit_text(rec, ("title",), value, limit)
    assert len(fitted) <= limit
    assert not ONE_LINE_FORBIDDEN.search(fitted)
    assert fitted == fitted.strip()
    if len(" ".join(value.split())) <= limit and value.isprintable():
        assert fitted == " ".join(value.split()) and not rec.warnings


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "tag", "date", "title"]), st.text(max_size=5), max_size=3),
        min_size=1,
        max_size=3,
    )
)
def test_json_lines_without_ocids_are_refused_by_line(values):
    import tempfile

    from svportal.importers.ocds_read import OcdsInputError, PackageInfo, read_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.jsonl"
        path.write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")
        with pytest.raises(OcdsInputError, match=r"x\.jsonl: line 1: has no 'ocid'"):
            list(read_file(path, PackageInfo(path)))


def test_a_release_nested_too_deeply_stops_the_import(capsys, tmp_path):
    deep = "[" * 3000 + "]" * 3000
    source = tmp_path / "deep.json"
    source.write_text(
        '{"releases": [{"ocid": "ocds-b5fd17-deep", "id": "1", "date": "2026-01-01T00:00:00Z", "tag": ["tender"], '
        f'"tender": {{"title": "Deep", "extra": {deep}}}}}]}}',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--data", tmp_path / "data", source)
    assert (code, err.strip()) == (1, f"Nothing was imported: {source}: releases[0]: is nested too deeply to be read")
    assert not (tmp_path / "data").exists()


def test_an_opportunity_already_in_the_data_follows_its_award(capsys, tmp_path):
    """A tender imported one day, its award notice the next: the opportunity becomes awarded, and the contract
    is added (an award notice alone would not make an opportunity)."""
    data = tmp_path / "data"
    lines = (OCDS / "releases.jsonl").read_text(encoding="utf-8").splitlines()
    tender = json.loads(lines[0])
    (tmp_path / "tender.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    imported(capsys, tmp_path / "tender.jsonl", data)
    assert rows_of(data, "opportunities.csv")["ocds-b5fd17-jsonl-0001"]["stage"] == "open"
    award = {
        **tender,
        "id": "jsonl-0001-award",
        "date": "2026-04-01T09:00:00Z",
        "tag": ["award"],
        "parties": [*tender["parties"], {"id": "GB-CHC-1123456", "name": "Friends Together", "roles": ["supplier"]}],
        "tender": {"id": "J1", "status": "complete"},
        "awards": [
            {
                "id": "1",
                "status": "active",
                "value": {"amount": 19000, "currency": "GBP"},
                "suppliers": [{"id": "GB-CHC-1123456", "name": "Friends Together"}],
                "contractPeriod": {"startDate": "2026-05-01T00:00:00+01:00"},
            }
        ],
    }
    (tmp_path / "award.jsonl").write_text(json.dumps(award) + "\n", encoding="utf-8")
    out = imported(capsys, tmp_path / "award.jsonl", data)
    assert "opportunities: 0 added, 1 updated, 0 unchanged" in out
    opportunity = rows_of(data, "opportunities.csv")["ocds-b5fd17-jsonl-0001"]
    assert (opportunity["stage"], opportunity["title"], opportunity["closing_date"]) == (
        "awarded",
        "Befriending service",  # kept: the award notice does not repeat it, and a blank never erases
        "2026-03-01T12:00:00Z",
    )
    contract = rows_of(data, "contracts.csv")["ocds-b5fd17-jsonl-0001-1"]
    assert (contract["supplier_name"], contract["value_gbp"], contract["title"]) == (
        "Friends Together",
        "19000",
        "Befriending service",  # the opportunity's, as the award notice gives none
    )
