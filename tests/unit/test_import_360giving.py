"""make import-360giving (plugins/svportal/importers/giving360*.py): 360Giving CSV, Excel and JSON into grants.csv.

The real sample is 278 Trafford Council grants (tests/fixtures/giving360/, Open Government Licence v3.0:
see SOURCE.txt there). Its identifiers have no apostrophes, and there is no real 360Giving JSON or Excel
file here: the JSON is written by hand from the standard's documentation (hand-written-grants.json) and the
workbooks are made below with openpyxl.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from conftest import FIXTURES, ROOT
from svportal.importers import __main__ as importers_cli
from svportal.importers.giving360 import import_grants, main
from svportal.importers.giving360_values import cell_text
from svportal.load import load_table
from svportal.schema import read_contract
from svportal.threesixtygiving import column_titles, json_path

GIVING360 = FIXTURES / "giving360"
SAMPLE = GIVING360 / "trafford-grants-360giving-sample.csv"
HAND_WRITTEN = GIVING360 / "hand-written-grants.json"
CONTRACT = ROOT / "data" / "datapackage.json"
HEADER = SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")  # the standard's 39 column titles


@pytest.fixture(scope="module")
def grants_table():
    return read_contract(CONTRACT).table("grants")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows_of(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["grant_id"]: row for row in csv.DictReader(f)}


def losses_of(data: Path) -> list[dict[str, str]]:
    with (data / "import-reports" / "360giving-loss-report.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def source_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    """A 360Giving CSV with the standard's titles and these rows (title -> cell)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def grant(**cells: str) -> dict[str, str]:
    """One CSV row with the required titles filled, and ``cells`` (keys: titles with spaces as _)."""
    row = {
        "Identifier": "360G-test-1",
        "Title": "A grant",
        "Currency": "GBP",
        "Amount Awarded": "1000",
        "Award Date": "2024-01-31",
        "Recipient Org:Identifier": "GB-CHC-1123456",
        "Recipient Org:Name": "A charity",
        "Funding Org:Identifier": "GB-LAE-TRF",
        "Funding Org:Name": "Trafford Metropolitan Borough Council",
    }
    row.update(cells)
    return row


# --- the real sample ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trafford(tmp_path_factory) -> tuple[Path, str]:
    """The sample imported into an empty (not yet existing) data folder: (folder, what was printed)."""
    data = tmp_path_factory.mktemp("trafford") / "data"
    report = import_grants(SAMPLE, data)
    return data, report.summary()


def test_the_sample_imports_every_grant_into_an_empty_data_folder(trafford):
    data, summary = trafford
    assert sorted(p.name for p in data.iterdir()) == ["grants.csv", "import-reports"]
    assert len(rows_of(data / "grants.csv")) == 278
    assert summary.splitlines() == [
        f"360Giving import from {SAMPLE}",
        "  read trafford-grants-360giving-sample.csv as CSV (UTF-8)",
        "  278 grants read",
        "  grants: 278 added, 0 updated, 0 unchanged",
        "  not shown by the portal: 562 values in 3 kinds of field",
    ]


def test_a_grant_of_the_sample_keeps_the_standards_fields(trafford, grants_table):
    row = rows_of(trafford[0] / "grants.csv")["360G-traffordmbc-VSG1342"]
    assert list(row) == grants_table.field_names  # a new file has the contract's columns, in its order
    assert row == {
        "grant_id": "360G-traffordmbc-VSG1342",
        "title": "Voluntary Sector Grant to Altrincham Children's Choir",
        "description": "Create and run community choirs involving children working in partnership with local "
        "schools, businesses, third sector groups etc. which will culminate in a series of performances",
        "currency": "GBP",
        "amount_applied_for": "",
        "amount_awarded": "2266",
        "amount_disbursed": "",
        "award_date": "2013-01-18",
        "url": "",
        "planned_start_date": "",  # blank in the source: stays blank
        "planned_end_date": "",
        "planned_duration_months": "12",  # the duration is kept
        "recipient_org_id": "360G-trafford-altrincham_childrens_choir",
        "recipient_org_name": "Altrincham Children's Choir",
        "recipient_charity_number": "",
        "recipient_company_number": "",
        "recipient_postcode": "",
        "beneficiary_location_name": "Trafford",
        "beneficiary_location_code": "E08000009",
        "beneficiary_location_code_type": "MD",
        "funding_org_id": "GB-LAE-TRF",
        "funding_org_name": "Trafford Metropolitan Borough Council",
        "funding_org_department": "Partnerships and Communities",
        "programme_code": "VSG",
        "programme_title": "Voluntary Sector Grants",
        "programme_url": "",
        "from_an_open_call": "yes",
        "last_modified": "2022-05-03",  # the date of 2022-05-03T18:09:56Z
        "data_source": "https://www.trafford.gov.uk/",
    }


@pytest.mark.parametrize(
    "grant_id, expected",
    [
        ("360G-traffordmbc-VSG1315", {"amount_awarded": "4779.54", "award_date": "2013-06-22"}),
        (
            "360G-traffordmbc-VSG1327",
            {
                "recipient_org_id": "GB-COH-07597525",
                "recipient_org_name": "St. John's Centre",
                "recipient_charity_number": "1146058",
                "recipient_company_number": "07597525",  # the leading zero kept
            },
        ),
        (
            "360G-traffordmbc-2024VSG3",
            {
                "recipient_postcode": "M16 7GX",
                "programme_code": "ING",
                "programme_title": "Inclusive Neighbourhood Grants",
                "from_an_open_call": "no",
                "funding_org_department": "Inclusive Economy & Communities",
                "last_modified": "2024-08-02",
                "amount_awarded": "16666",
            },
        ),
        (
            "360G-traffordmbc-2023VSG29",
            {"title": "Voluntary Sector Grant to  Sale and District Scout Council"},  # text kept as written
        ),
    ],
)
def test_values_of_the_sample_are_kept_in_the_contracts_forms(trafford, grant_id, expected):
    row = rows_of(trafford[0] / "grants.csv")[grant_id]
    assert {column: row[column] for column in expected} == expected


def test_the_sample_loads_without_an_error_as_the_build_reads_it(trafford, grants_table):
    frame, problems = load_table(trafford[0] / "grants.csv", grants_table)
    assert [p for p in problems if p.is_error] == []
    assert len(frame) == 278
    assert frame["amount_awarded"].sum() == pytest.approx(626_869.47)  # the sum of the source column
    assert frame["planned_start_date"].isna().all() and (frame["planned_duration_months"] == 12).all()


def test_the_loss_report_lists_every_value_the_portal_has_no_column_for(trafford):
    losses = losses_of(trafford[0])
    assert Counter(loss["field"] for loss in losses) == {
        "Recipient Org:Country": 278,
        "Beneficiary Location:Country Code": 278,
        "Recipient Org:Web Address": 6,
    }
    assert losses[:2] == [
        {
            "record": "360G-traffordmbc-VSG1342",
            "field": "Recipient Org:Country",
            "value": "England",
            "why": "the portal has no column for it",
        },
        {
            "record": "360G-traffordmbc-VSG1342",
            "field": "Beneficiary Location:Country Code",
            "value": "GB",
            "why": "the portal has no column for it",
        },
    ]
    assert {
        "record": "360G-traffordmbc-2024VSG3",
        "field": "Recipient Org:Web Address",
        "value": "https://www.stjohnscentre.org/",
        "why": "the portal has no column for it",
    } in losses
    report = (trafford[0] / "import-reports" / "360giving-report.txt").read_text(encoding="utf-8")
    assert report.endswith("\nSkipped:\n  none\n\nWarnings:\n  none\n")


def test_importing_again_changes_no_byte_and_keeps_what_staff_added(tmp_path, capsys):
    data = tmp_path / "data"
    assert run(capsys, "--data", data, SAMPLE)[0] == 0
    path = data / "grants.csv"
    first_losses = (data / "import-reports" / "360giving-loss-report.csv").read_bytes()
    code, out, err = run(capsys, "--data", data, SAMPLE)
    assert (code, err) == (0, "")
    assert "  grants: 0 added, 0 updated, 278 unchanged" in out.splitlines()
    assert (data / "import-reports" / "360giving-loss-report.csv").read_bytes() == first_losses

    # staff add a column and fill a value the source leaves blank
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header, rows = [*reader.fieldnames, "officer_notes"], list(reader)
    for row in rows:
        row["officer_notes"] = "Visited in May" if row["grant_id"] == "360G-traffordmbc-VSG1342" else ""
        if row["grant_id"] == "360G-traffordmbc-VSG1342":
            row["recipient_postcode"] = "WA14 1AA"
    out_text = io.StringIO()
    writer = csv.DictWriter(out_text, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out_text.getvalue(), encoding="utf-8")
    edited = path.read_bytes()
    assert run(capsys, "--data", data, SAMPLE)[0] == 0
    assert path.read_bytes() == edited

    # the funder changes an amount: only that cell changes
    changed = tmp_path / "changed.csv"
    changed.write_bytes(SAMPLE.read_bytes().replace(b",2266,,2013-01-18,", b",2300,,2013-01-18,", 1))
    code, out, _ = run(capsys, "--data", data, changed)
    assert "  grants: 0 added, 1 updated, 277 unchanged" in out.splitlines()
    row = rows_of(path)["360G-traffordmbc-VSG1342"]
    assert (row["amount_awarded"], row["officer_notes"], row["recipient_postcode"]) == (
        "2300",
        "Visited in May",
        "WA14 1AA",
    )
    assert path.read_bytes() == edited.replace(b",2266,,2013-01-18,", b",2300,,2013-01-18,", 1)


def test_the_command_line_runs_through_the_importers_entry_point(tmp_path, capsys):
    code = importers_cli.main(["360giving", "--data", str(tmp_path / "data"), str(HAND_WRITTEN)])
    assert code == 0
    assert "  grants: 3 added, 0 updated, 0 unchanged" in capsys.readouterr().out.splitlines()


def test_the_contracts_standard_property_decides_where_each_value_goes(tmp_path, grants_table):
    """One source of truth: without its `standard` property, recipient_postcode gets nothing."""
    titles = column_titles(grants_table)
    assert titles and all(json_path(t) for t in titles.values())  # every title is a field of the standard
    descriptor = json.loads(CONTRACT.read_text(encoding="utf-8"))
    table = next(r for r in descriptor["resources"] if r["name"] == "grants")
    next(f for f in table["schema"]["fields"] if f["name"] == "recipient_postcode").pop("standard")
    contract = tmp_path / "datapackage.json"
    contract.write_text(json.dumps(descriptor), encoding="utf-8")
    data = tmp_path / "data"
    import_grants(SAMPLE, data, contract)
    assert rows_of(data / "grants.csv")["360G-traffordmbc-2024VSG3"]["recipient_postcode"] == ""
    assert Counter(loss["field"] for loss in losses_of(data))["Recipient Org:Postal Code"] == 6


# --- JSON -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory):
    data = tmp_path_factory.mktemp("json") / "data"
    report = import_grants(HAND_WRITTEN, data)
    return data, report


def test_json_grants_keep_their_ids_with_apostrophes_and_nested_fields(hand_written):
    rows = rows_of(hand_written[0] / "grants.csv")
    assert list(rows) == [
        "360G-example-2024-0001",
        "360G-example-2024-friends_of_o'neill_park",
        "360G-example-2024-0004",
    ]
    first = rows["360G-example-2024-0001"]
    assert {k: v for k, v in first.items() if v} == {
        "grant_id": "360G-example-2024-0001",
        "title": "Warm space at St John's",
        "description": "Heating and volunteers' expenses for a warm space on winter afternoons.\nOpen to everyone.",
        "currency": "GBP",
        "amount_applied_for": "2000",
        "amount_awarded": "1500.5",
        "amount_disbursed": "750",
        "award_date": "2024-02-15",
        "url": "https://example.org/grants/2024-0001",
        "planned_start_date": "2024-04-01",
        "planned_end_date": "2025-03-31",
        "planned_duration_months": "12",
        "recipient_org_id": "360G-example-st_john's_church",
        "recipient_org_name": "St John's Church",
        "recipient_postcode": "M32 0AA",
        "beneficiary_location_name": "Stretford",
        "beneficiary_location_code": "E05000829",
        "beneficiary_location_code_type": "WD",
        "funding_org_id": "GB-LAE-EXAM",
        "funding_org_name": "Example Borough Council",
        "funding_org_department": "Communities",
        "programme_code": "WS",
        "programme_title": "Warm Spaces",
        "programme_url": "https://example.org/warm-spaces",
        "from_an_open_call": "yes",
        "last_modified": "2024-03-01",
        "data_source": "https://example.org/360giving/grants.json",
    }
    park = rows["360G-example-2024-friends_of_o'neill_park"]
    assert (park["planned_start_date"], park["planned_end_date"], park["planned_duration_months"]) == ("", "", "6")
    assert (park["recipient_charity_number"], park["recipient_company_number"]) == ("1123456", "01234567")
    assert park["from_an_open_call"] == "no"


def test_json_grants_load_without_an_error(hand_written, grants_table):
    frame, problems = load_table(hand_written[0] / "grants.csv", grants_table)
    assert [p for p in problems if p.is_error] == []
    assert frame["recipient_org_id"].tolist() == [
        "360G-example-st_john's_church",
        "GB-CHC-1123456",
        "360G-example-st_john's_church",
    ]


def test_json_losses_skips_and_warnings_name_their_json_paths(hand_written):
    data, report = hand_written
    assert [(s.record, s.why) for s in report.skipped] == [
        ("hand-written-grants.json grants[2] (360G-example-2024-0003)", "no Recipient Org:Name")
    ]
    assert [(w.record, w.path, w.message) for w in report.warnings] == [
        (
            "360G-example-2024-0004",
            "grants[3].plannedDates[0].startDate",
            "'2024-05' is only a year or a month: the portal keeps whole dates (YYYY-MM-DD): left out",
        )
    ]
    assert [(loss["record"], loss["field"], loss["value"]) for loss in losses_of(data)[1:]] == [
        ("360G-example-2024-0001", "grants[0].recipientOrganization[0].streetAddress", "1 Church Lane"),
        ("360G-example-2024-0001", "grants[0].recipientOrganization[0].addressLocality", "Stretford"),
        ("360G-example-2024-0001", "grants[0].recipientOrganization[0].addressCountry", "England"),
        (
            "360G-example-2024-0001",
            "grants[0].recipientOrganization[0].location",
            '[{"geoCode": "E05000829", "geoCodeType": "WD", "name": "Stretford"}]',
        ),
        ("360G-example-2024-0001", "grants[0].beneficiaryLocation[0].countryCode", "GB"),
        (
            "360G-example-2024-0001",
            "grants[0].beneficiaryLocation[1]",
            '{"geoCode": "E05000824", "geoCodeType": "WD", "name": "Gorse Hill"}',
        ),
        (
            "360G-example-2024-0001",
            "grants[0].classifications",
            '[{"code": "POV", "title": "Poverty", "vocabulary": "example"}]',
        ),
        ("360G-example-2024-0004", "grants[3].plannedDates[0].startDate", "2024-05"),
    ]
    assert losses_of(data)[0]["record"] == "(the package)" and losses_of(data)[0]["field"] == "description"


# --- Excel ----------------------------------------------------------------------------------------


def sample_workbook(path: Path, sheet_title: str = "grants") -> Path:
    """The sample as an Excel workbook: a "Read me" sheet first, then the grants with real Excel dates and
    numbers (as a funder's spreadsheet holds them)."""
    workbook = Workbook()
    workbook.active.title = "Read me"
    workbook.active.append(["Grants made by Trafford Council: made for the tests from the CSV sample"])
    sheet = workbook.create_sheet(sheet_title)
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        sheet.append(header)
        for cells in reader:
            row: list = []
            for title, cell in zip(header, cells):
                if title == "Award Date":
                    row.append(dt.datetime.fromisoformat(cell))
                elif title in ("Amount Awarded", "Planned Dates:Duration (months)"):
                    row.append(int(cell) if cell.isdigit() else float(cell))
                else:
                    row.append(cell or None)
            sheet.append(row)
    workbook.save(path)
    return path


def test_an_excel_workbook_gives_the_same_grants_as_the_csv(tmp_path, trafford, capsys):
    workbook = sample_workbook(tmp_path / "grants.xlsx", sheet_title="Grants")
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data", data, workbook)
    assert (code, err) == (0, "")
    assert "  read grants.xlsx as an Excel workbook (sheet 'Grants')" in out.splitlines()
    assert (data / "grants.csv").read_bytes() == (trafford[0] / "grants.csv").read_bytes()


def test_an_excel_workbook_without_a_grants_sheet_is_read_from_its_first_sheet(tmp_path):
    workbook = Workbook()
    workbook.active.title = "Sheet1"
    titles = ["Identifier", "Title", "Amount Awarded", "Award Date", "Recipient Org:Name", "Funding Org:Name"]
    workbook.active.append(titles)
    workbook.active.append(["360G-x-1", "A grant", 1250.5, dt.datetime(2024, 3, 31), "A charity", "A council"])
    workbook.active.append([None] * 6)  # a blank row is no grant
    workbook.active.append(["360G-x-2", "Another", "£2,000", "31/03/2024", "Another charity", "A council"])
    workbook.active.append(["360G-x-3", "No date", 10, None, "A charity", "A council"])
    workbook.create_sheet("Notes").append(["Identifier", "Title"])
    workbook.save(tmp_path / "grants.xlsx")
    report = import_grants(tmp_path / "grants.xlsx", tmp_path / "data")
    rows = rows_of(tmp_path / "data" / "grants.csv")
    assert [(r["grant_id"], r["amount_awarded"], r["award_date"]) for r in rows.values()] == [
        ("360G-x-1", "1250.5", "2024-03-31"),
        ("360G-x-2", "2000", "2024-03-31"),
    ]
    assert [(s.record, s.why) for s in report.skipped] == [
        ("grants.xlsx sheet 'Sheet1' row 5 (360G-x-3)", "no Award Date")
    ]


# --- rows that cannot be imported -----------------------------------------------------------------


def test_a_row_without_a_required_value_is_skipped_with_its_reason_and_line(tmp_path, grants_table):
    source = source_csv(
        tmp_path / "grants.csv",
        [
            grant(),
            grant(**{"Identifier": "360G-test-2", "Amount Awarded": ""}),
            grant(**{"Identifier": "360G-test-3", "Award Date": "31/02/2024"}),
            grant(**{"Title": "The same Identifier again"}),
            grant(**{"Identifier": "360G-test-5", "Title": "x" * 301}),
            grant(**{"Identifier": "360G-test-6", "Recipient Org:Identifier": "GB-COH-1234567"}),
            grant(**{"Identifier": "360G-test-7", "Title": "Two\r\nlines", "Amount Awarded": "£1,500.00"}),
            grant(**{"Identifier": "", "Title": "No identifier"}),
            grant(**{"Identifier": "360G-test-9", "Funding Org:Name": " "}),
        ],
    )
    data = tmp_path / "data"
    report = import_grants(source, data)
    assert [(s.record, s.why) for s in report.skipped] == [
        ("grants.csv line 3 (360G-test-2)", "no Amount Awarded"),
        ("grants.csv line 4 (360G-test-3)", "Award Date is not a date: there is no day 31/02/2024"),
        ("grants.csv line 5 (360G-test-1)", "the Identifier is used again (first at line 2)"),
        ("grants.csv line 10", "no Identifier"),  # (line 8 has two lines)
        ("grants.csv line 11 (360G-test-9)", "no Funding Org:Name"),
        (
            "grants.csv line 6 (360G-test-5)",
            "Title is 301 characters long: the limit for this column is 300",
        ),
    ]
    rows = rows_of(data / "grants.csv")
    assert list(rows) == ["360G-test-1", "360G-test-6", "360G-test-7"]
    assert rows["360G-test-6"]["recipient_org_id"] == ""  # refused by the build's check: left out...
    assert [(w.record, w.path) for w in report.warnings] == [("360G-test-6", "Recipient Org:Identifier")]
    assert "is not a well-formed GB-COH identifier" in report.warnings[0].message
    assert (rows["360G-test-7"]["title"], rows["360G-test-7"]["amount_awarded"]) == ("Two lines", "1500")
    losses = [loss for loss in losses_of(data) if loss["field"] == "Recipient Org:Identifier"]
    assert [(loss["record"], loss["value"]) for loss in losses] == [
        ("360G-test-6", "GB-COH-1234567")
    ]  # ...and kept here
    assert losses[0]["why"].startswith("not kept: 'GB-COH-1234567' is not a well-formed GB-COH identifier")
    assert [p for p in load_table(data / "grants.csv", grants_table)[1] if p.is_error] == []


def test_a_csv_that_is_not_utf8_is_read_as_windows_1252_with_a_warning(tmp_path):
    source = tmp_path / "grants.csv"
    source_csv(source, [grant(**{"Title": "Café £500"})])
    source.write_bytes(source.read_text(encoding="utf-8").encode("cp1252"))
    report = import_grants(source, tmp_path / "data")
    assert rows_of(tmp_path / "data" / "grants.csv")["360G-test-1"]["title"] == "Café £500"
    assert "  read grants.csv as CSV (Windows-1252: it is not UTF-8 from line 2)" in report.summary().splitlines()
    assert report.warnings[0].message.startswith("grants.csv is not UTF-8 (line 2), so it was read as Windows-1252")


def test_a_csv_with_a_byte_order_mark_and_titles_in_another_case_is_read(tmp_path):
    source = tmp_path / "grants.csv"
    header = [title.upper().replace(":", " : ") for title in HEADER]
    source_csv(source, [{t.upper().replace(":", " : "): v for t, v in grant().items()}], header)
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    import_grants(source, tmp_path / "data")
    assert rows_of(tmp_path / "data" / "grants.csv")["360G-test-1"]["funding_org_id"] == "GB-LAE-TRF"


# --- files that cannot be imported ----------------------------------------------------------------


def _xlsx_without_identifier() -> bytes:
    workbook = Workbook()
    workbook.active.title = "grants"
    workbook.active.append(["Title", "Amount Awarded"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("grants.txt", b"Identifier\n1\n", "grants.txt: is not a 360Giving file this import reads"),
        ("grants.xls", b"\xd0\xcf\x11\xe0", "(save an old .xls workbook as .xlsx first)"),
        ("grants.csv", b"Title,Amount Awarded\nx,1\n", "grants.csv:1: has no Identifier column"),
        ("grants.csv", b"", "grants.csv: is empty: it needs a header row of 360Giving column titles"),
        ("grants.csv", b"Identifier,Title,title\n", "the column title 'title' appears twice (columns 2 and 3)"),
        ("grants.csv", b'Identifier,Title\n1,"open\n', "grants.csv:2: cannot be read as CSV: unexpected end of data"),
        ("grants.csv", b"Identifier\x00,Title\n", "grants.csv: contains NUL bytes"),
        ("grants.json", b'{"data": []}', 'grants.json: has no "grants" at the top'),
        ("grants.json", b"[1, 2]", 'grants.json: has no "grants" at the top'),
        ("grants.json", b'{"grants": {}}', "grants.json: grants: is not an array of grants"),
        ("grants.json", b'{\n "grants": [\n}', "grants.json:3: is not valid JSON: Expecting value (column 1)"),
        ("grants.json", b'{"grants": [{"amountAwarded": NaN}]}', "grants.json: is not valid JSON: NaN"),
        ("grants.json", b'{"grants": "\xff"}', "grants.json:1: is not UTF-8 text, as JSON must be"),
        ("grants.xlsx", b"not a zip file", "grants.xlsx: cannot be read as an Excel .xlsx workbook"),
        ("grants.xlsx", _xlsx_without_identifier(), "grants.xlsx: sheet 'grants' row 1: has no Identifier column"),
    ],
)
def test_a_file_that_cannot_be_imported_stops_with_one_line_and_writes_nothing(
    tmp_path, capsys, name, content, message
):
    source = tmp_path / name
    source.write_bytes(content)
    data = tmp_path / "data"
    code, out, err = run(capsys, "--data", data, source)
    assert (code, out) == (1, "")
    assert err.startswith("error: ") and err.count("\n") == 1 and name in err
    assert message in err
    assert not data.exists()


def test_a_missing_file_stops_the_import(tmp_path, capsys):
    code, _, err = run(capsys, "--data", tmp_path / "data", tmp_path / "absent.csv")
    assert code == 1 and err.startswith(f"error: {tmp_path / 'absent.csv'}: cannot be read")


def test_a_bad_file_leaves_an_existing_data_folder_as_it_was(tmp_path, trafford, capsys):
    data = tmp_path / "data"
    shutil.copytree(trafford[0], data)
    before = {p: p.read_bytes() for p in data.rglob("*") if p.is_file()}
    (tmp_path / "grants.json").write_text('{"grant": []}', encoding="utf-8")
    assert run(capsys, "--data", data, tmp_path / "grants.json")[0] == 1
    assert {p: p.read_bytes() for p in data.rglob("*") if p.is_file()} == before


def test_a_json_item_that_is_not_a_grant_object_is_skipped(tmp_path):
    source = tmp_path / "grants.json"
    good = json.loads(HAND_WRITTEN.read_text(encoding="utf-8"))["grants"][1]
    source.write_text(json.dumps({"grants": ["not a grant", good, None]}), encoding="utf-8")
    report = import_grants(source, tmp_path / "data")
    assert [(s.record, s.why) for s in report.skipped] == [
        ("grants.json grants[0]", "the grant is not a JSON object but a string"),
        ("grants.json grants[2]", "the grant is not a JSON object but null"),
    ]
    assert list(rows_of(tmp_path / "data" / "grants.csv")) == ["360G-example-2024-friends_of_o'neill_park"]


# --- values ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fields(grants_table):
    return {f.name: f for f in grants_table.fields}


@pytest.mark.parametrize(
    "value, column, expected",
    [
        ("2266", "amount_awarded", ("2266", None)),
        ("£2,266.50", "amount_awarded", ("2266.5", None)),
        (Decimal("1500.50"), "amount_awarded", ("1500.5", None)),
        (4779.54, "amount_awarded", ("4779.54", None)),
        (True, "amount_awarded", ("", "is yes or no, not a number")),
        ("about 300", "amount_awarded", ("", "is not a number: write it in digits, such as 1500 or 1500.50")),
        ("2022-05-03T18:09:56Z", "award_date", ("2022-05-03", None)),
        ("2020-10-22T00:00:00+01:00", "award_date", ("2020-10-22", None)),  # the date as written
        ("18/01/2013", "award_date", ("2013-01-18", None)),
        (dt.datetime(2013, 1, 18, 0, 0), "award_date", ("2013-01-18", None)),
        ("2013", "award_date", ("", "is only a year or a month: the portal keeps whole dates (YYYY-MM-DD)")),
        ("Yes", "from_an_open_call", ("yes", None)),
        (False, "from_an_open_call", ("no", None)),
        ("Maybe", "from_an_open_call", ("", "is not Yes or No")),
        ("  360G-trafford-st_john's_church ", "recipient_org_id", ("360G-trafford-st_john's_church", None)),
        (1159034, "recipient_charity_number", ("1159034", None)),
        ("a\r\nb", "description", ("a\nb", None)),
        (["a", "b"], "title", ("", "is a list of values, not one value")),
        ("", "title", ("", None)),
        (None, "amount_awarded", ("", None)),
    ],
)
def test_cell_text(fields, value, column, expected):
    assert cell_text(value, fields[column]) == expected


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False))
def test_amounts_are_written_as_plain_numbers_of_the_same_value(amount):
    from svportal.schema import Field

    text, why = cell_text(str(amount), Field({"name": "a", "type": "number"}))
    assert why is None and "E" not in text and Decimal(text) == amount
    grouped = f"£{amount:,}"
    assert cell_text(grouped, Field({"name": "a", "type": "number"}))[0] == text


@given(st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2200, 12, 31)), st.integers(-23, 23))
def test_a_date_time_keeps_the_date_it_was_written_with(day, hours):
    from svportal.schema import Field

    offset = f"{'+' if hours >= 0 else '-'}{abs(hours):02d}:00"
    date_field = Field({"name": "d", "type": "date"})
    assert cell_text(f"{day.isoformat()}T23:59:59{offset}", date_field) == (day.isoformat(), None)
    assert cell_text(day.strftime("%d/%m/%Y"), date_field) == (day.isoformat(), None)


@pytest.mark.parametrize(
    "existing, message",
    [
        (b"id,title\nx,y\n", "grants.csv: has no grant_id column, so imported rows cannot be matched"),
        (b"grant_id,title\n360G-x,Caf\xe9\n", "grants.csv: not UTF-8 text (byte 25): save it as CSV UTF-8 first"),
    ],
)
def test_a_grants_file_the_import_cannot_merge_into_is_left_as_it_was(tmp_path, capsys, existing, message):
    data = tmp_path / "data"
    data.mkdir()
    (data / "grants.csv").write_bytes(existing)
    code, out, err = run(capsys, "--data", data, SAMPLE)
    assert (code, out) == (1, "") and err.count("\n") == 1 and message in err
    assert (data / "grants.csv").read_bytes() == existing and not (data / "import-reports").exists()


def test_a_data_folder_that_is_a_file_stops_the_import(tmp_path, capsys):
    (tmp_path / "data").write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, "--data", tmp_path / "data", SAMPLE)
    assert (code, err) == (1, f"error: {tmp_path / 'data'}: is not a folder\n")


@pytest.mark.parametrize(
    "text, usable",
    [
        ("360G-trafford-st_john's_church", True),  # 360Giving funders keep the apostrophe of a name
        ("360G-example-st_john\u2019s_church", True),
        ("360G-'leading", False),
        ("GB-COH-0123'4567", False),  # only a 360G- id may hold one
        ("GB-CHC-1123456'", False),
    ],
)
def test_an_apostrophe_is_allowed_inside_a_360g_organisation_identifier_only(text, usable):
    from svportal import orgid

    found = orgid.check(text)
    assert (found.identifier == text, found.error is None) == (usable, usable)


def test_a_json_object_where_the_standard_has_an_array_is_read_as_its_one_item(tmp_path):
    grant = json.loads(HAND_WRITTEN.read_text(encoding="utf-8"))["grants"][1]
    grant["recipientOrganization"] = {**grant["recipientOrganization"][0], "streetAddress": "2 Park Road"}
    (tmp_path / "grants.json").write_text(json.dumps({"grants": [grant]}), encoding="utf-8")
    import_grants(tmp_path / "grants.json", tmp_path / "data")
    row = rows_of(tmp_path / "data" / "grants.csv")[grant["id"]]
    assert (row["recipient_org_id"], row["recipient_org_name"]) == ("GB-CHC-1123456", "Friends of O'Neill Park")
    assert [(loss["field"], loss["value"]) for loss in losses_of(tmp_path / "data")] == [
        ("grants[0].recipientOrganization.streetAddress", "2 Park Road")
    ]


def test_a_value_the_build_would_refuse_is_left_out_and_reported(tmp_path, grants_table):
    source = source_csv(
        tmp_path / "grants.csv",
        [
            grant(**{"Planned Dates:Start Date": "2024-06-01", "Planned Dates:End Date": "2024-05-31"}),
            grant(**{"Identifier": "360G-TEST-1", "Title": "Same page address as 360G-test-1"}),
        ],
    )
    report = import_grants(source, tmp_path / "data")
    row = rows_of(tmp_path / "data" / "grants.csv")["360G-test-1"]
    assert (row["planned_start_date"], row["planned_end_date"]) == ("2024-06-01", "")
    assert [(w.record, w.path, w.message) for w in report.warnings] == [
        ("360G-test-1", "Planned Dates:End Date", "'2024-05-31' is before planned_start_date '2024-06-01': left out")
    ]
    assert [(s.record, s.why) for s in report.skipped] == [
        (
            "grants.csv line 3 (360G-TEST-1)",
            "Identifier '360G-TEST-1' and '360G-test-1' (line 2) would share the page address '360g-test-1': "
            "make them differ by more than punctuation or case",
        )
    ]
    assert [p for p in load_table(tmp_path / "data" / "grants.csv", grants_table)[1] if p.is_error] == []
