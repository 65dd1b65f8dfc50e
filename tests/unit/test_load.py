"""The loader's rules, one by one: each bad fixture gives the expected FILE:LINE: COLUMN message."""

import pytest

from conftest import SMALL, edit_csv
from svportal.load import load_dataset


def messages(data_dir, contract, severity="error"):
    dataset = load_dataset(data_dir, contract)
    return [str(p) for p in dataset.problems if p.severity == severity]


def test_the_small_fixture_is_clean_and_typed(contract):
    dataset = load_dataset(SMALL, contract)
    assert [str(p) for p in dataset.errors] == []
    contracts = dataset.tables["contracts"]
    assert list(contracts["contract_id"]) == ["MCC/ASC/2024/001", "MHCC-2026-002", "MLCO/CH/25/003"]
    assert contracts.loc[0, "value_gbp"] == 1234567.50  # written £1,234,567.50
    assert str(contracts.loc[1, "start_date"].date()) == "2026-10-15"  # written 15/10/2026
    assert contracts.loc[1, "sv_weighting_pct"] == 20  # written 20%
    assert not contracts.loc[0, "supplier_vcse"]  # written No
    assert contracts.loc[1, "supplier_vcse"]  # written yes
    assert contracts.loc[0, "wards"] == ("Cheetham", "Harpurhey")
    # rows as a spreadsheet numbers them, though the first record's description spans several text lines
    assert list(contracts["_line"]) == [2, 3, 4]


RULES = [
    # (file, text to replace, replacement, expected message start)
    ("contracts.csv", "Homecare in North Manchester", "", "contracts.csv:2: title: is required but blank"),
    (
        "contracts.csv",
        "2024-10-01,2027-09-30",
        "2024-10-01,2023-09-30",
        "contracts.csv:2: end_date: '2023-09-30' is before start_date '2024-10-01'",
    ),
    (
        "contracts.csv",
        "2024-10-01,2027-09-30",
        "2024-10-32,2027-09-30",
        "contracts.csv:2: start_date: '2024-10-32' is not a date: there is no day 2024-10-32",
    ),
    (
        "contracts.csv",
        '"£1,234,567.50"',
        "1.234.567",
        "contracts.csv:2: value_gbp: '1.234.567' is not an amount of money: write 1234.50, 1,234 or £1,234.50",
    ),
    ("contracts.csv", '"£1,234,567.50"', "-5", "contracts.csv:2: value_gbp: '-5' is below the minimum of 0"),
    ("contracts.csv", ",25,Yes,", ",125,Yes,", "contracts.csv:2: sv_weighting_pct: '125' is above the maximum of 100"),
    ("contracts.csv", ",25,Yes,", ",25,Perhaps,", "contracts.csv:2: real_living_wage: 'Perhaps' is not yes or no"),
    (
        "contracts.csv",
        ",sme,No,local,",
        ",medium,No,local,",
        "contracts.csv:2: supplier_size: 'medium' is not one of: large, sme",
    ),
    (
        "contracts.csv",
        "https://www.contractsfinder",
        "ftp://www.contractsfinder",
        "contracts.csv:2: notice_url: 'ftp://www.contractsfinder.service.gov.uk/notice/0001' is not a web address "
        "starting https:// (or http://",
    ),
    (
        "contracts.csv",
        ",85000000,",
        ",8500,",
        "contracts.csv:2: cpv_code: '8500' is not an 8-digit CPV code such as 85000000",
    ),
    (
        "contracts.csv",
        "GB-COH-01234567,sme,No",
        "Companies House 123,sme,No",
        "contracts.csv:2: supplier_id: 'Companies House 123' is not an organisation identifier",
    ),
    (
        "contracts.csv",
        "MLCO/CH/25/003,",
        "MCC/ASC/2024/001,",
        "contracts.csv:4: contract_id: 'MCC/ASC/2024/001' is used again (first on line 2): it must be unique",
    ),
    (
        "contracts.csv",
        "MLCO/CH/25/003,",
        "MCC-ASC-2024-001,",
        "contracts.csv:4: contract_id: 'MCC-ASC-2024-001' and 'MCC/ASC/2024/001' (line 2) would share the page "
        "address 'mcc-asc-2024-001'",
    ),
    (
        "contracts.csv",
        "MLCO/CH/25/003,",
        "Status,",
        "contracts.csv:4: contract_id: 'Status' would take the address contracts/status/, which the site uses for "
        "the lists",
    ),
    (
        "contracts.csv",
        "Hulme,,,2026-09-15",
        "Hulme,,,2026-09-15,surplus",
        "contracts.csv:4: the row has 27 cells but the header has 26 columns",
    ),
    (
        "contracts.csv",
        "Manchester Local Care Organisation,,,Northside Care Ltd,GB-COH-01234567",
        "Manchester Local Care Organisation,,,Northside Care Ltd,GB-COH-1234567",
        "contracts.csv:4: supplier_id: 'GB-COH-1234567' is not a well-formed GB-COH identifier: after GB-COH- comes "
        "a company number of 8 characters",
    ),
    (
        "contracts.csv",
        "Manchester Local Care Organisation,,,Northside Care Ltd,GB-COH-01234567",
        "Manchester Local Care Organisation,,,Northside Care Ltd,a;b",
        "contracts.csv:4: supplier_id: 'a;b' is not an organisation identifier",
    ),
    (
        "contracts.csv",
        "contract_id,title",
        "contract_ref,title",
        "contracts.csv:1: contract_id: required column is missing (is 'contract_ref' meant to be 'contract_id'?)",
    ),
    (
        "contracts.csv",
        "review_date,value_gbp",
        "review_date,value_gbp,value_gbp",
        "contracts.csv:1: value_gbp: this column name appears more than once",
    ),
    (
        "commitments.csv",
        "MLCO/CH/25/003,COM-01",
        "MLCO/CH/25/999,COM-01",
        "commitments.csv:6: contract_id: 'MLCO/CH/25/999' is not in contracts.csv",
    ),
    (
        "commitments.csv",
        "MLCO/CH/25/003,COM-01",
        "MLCO/CH/25/003,XXX-99",
        "commitments.csv:6: measure_id: 'XXX-99' is not in measures.csv",
    ),
    (
        "commitments.csv",
        "MHCC-2026-002,EMP-01",
        "MCC/ASC/2024/001,EMP-01",
        "commitments.csv:5: contract_id, measure_id: MCC/ASC/2024/001 / EMP-01 appears again (first on line 2)",
    ),
    (
        "commitments.csv",
        "MHCC-2026-002,EMP-01,4",
        "MHCC-2026-002,EMP-01,four",
        "commitments.csv:5: target: 'four' is not a number",
    ),
    (
        "outcomes.csv",
        "MCC/ASC/2024/001,EMP-01,2024-10-01",
        "MHCC-2026-002,GRN-01,2024-10-01",
        "outcomes.csv:2: contract_id, measure_id: 'MHCC-2026-002 / GRN-01' is not in commitments.csv",
    ),
    (
        "outcomes.csv",
        "2024-10-01,2024-12-31,3",
        "2024-10-01,2024-09-30,3",
        "outcomes.csv:2: period_end: '2024-09-30' is before period_start '2024-10-01'",
    ),
    (
        "outcomes.csv",
        "2025-01-01,2025-03-31,3",
        "2024-10-01,2025-03-31,3",
        "outcomes.csv:4: contract_id, measure_id, period_start: MCC/ASC/2024/001 / EMP-01 / 2024-10-01 appears again "
        "(first on line 2)",
    ),
    (
        "measures.csv",
        "tCO2e,decrease",
        "tCO2e,down",
        "measures.csv:3: direction: 'down' is not one of: increase, decrease",
    ),
    (
        "measures.csv",
        "hours,,",
        "hours,sideways,",
        "measures.csv:5: direction: 'sideways' is not one of: increase, decrease",
    ),
]


@pytest.mark.parametrize(
    "file, old, new, expected", RULES, ids=[r[3].split(": ")[0] + " " + r[3].split(": ")[1] for r in RULES]
)
def test_each_rule(small_copy, contract, file, old, new, expected):
    edit_csv(small_copy / file, old, new)
    found = messages(small_copy, contract)
    assert any(m.startswith(expected) for m in found), "\n".join(found)


def test_every_problem_is_reported_at_once(small_copy, contract):
    edit_csv(small_copy / "contracts.csv", "Homecare in North Manchester", "")
    edit_csv(small_copy / "commitments.csv", "MHCC-2026-002,EMP-01,4", "MHCC-2026-002,EMP-01,four")
    edit_csv(small_copy / "outcomes.csv", "2024-10-01,2024-12-31,3", "2024-10-01,2024-09-30,3")
    found = messages(small_copy, contract)
    assert [m.split(":")[0] for m in found] == ["contracts.csv", "commitments.csv", "outcomes.csv"]


def test_enum_values_are_read_in_any_case(small_copy, contract):
    edit_csv(small_copy / "contracts.csv", ",sme,No,local,", ",SME,No,Local,")
    dataset = load_dataset(small_copy, contract)
    assert dataset.errors == []
    assert dataset.tables["contracts"].loc[0, "supplier_size"] == "sme"
    assert dataset.tables["contracts"].loc[0, "supplier_locality"] == "local"


def test_a_byte_order_mark_is_accepted(small_copy, contract):
    path = small_copy / "measures.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    dataset = load_dataset(small_copy, contract)
    assert dataset.errors == []
    assert list(dataset.tables["measures"].columns[:2]) == ["measure_id", "priority"]


def test_a_windows_1252_file_is_refused_with_a_clear_message(small_copy, contract):
    path = small_copy / "measures.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    found = messages(small_copy, contract)
    assert any(
        m.startswith("measures.csv:5: the file is not UTF-8 text (byte 0xA3 cannot be read). It looks like a Windows")
        for m in found
    ), found


def test_open_opportunity_needs_a_closing_date(tmp_path, contract, small_copy):
    (small_copy / "opportunities.csv").write_text(
        "opportunity_id,title,buyer_name,stage,closing_date\nOPP-1,Day services,Manchester City Council,open,\n"
    )
    assert "opportunities.csv:2: closing_date: is required when stage is open, but blank" in messages(
        small_copy, contract
    )


def test_missing_files_and_optional_columns(small_copy, contract):
    (small_copy / "contracts.csv").unlink()  # the one file every data folder needs
    (small_copy / "outcomes.csv").unlink()  # commitments without returns yet: fine
    dataset = load_dataset(small_copy, contract)
    assert "contracts.csv: required file is missing from " + str(small_copy) in [str(p) for p in dataset.errors]
    warnings = [str(p) for p in dataset.problems if not p.is_error]
    assert "opportunities.csv: file is absent: that part of the site is empty" in warnings
    assert "outcomes.csv: file is absent: that part of the site is empty" in warnings
    assert "outcomes" in dataset.absent and "contracts" not in dataset.absent


def test_unknown_columns_are_kept_and_reported(small_copy, contract):
    path = small_copy / "measures.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0] + ",owner"] + [line + ",Team A" for line in lines[1:]]) + "\n")
    dataset = load_dataset(small_copy, contract)
    assert dataset.errors == []
    assert list(dataset.tables["measures"]["owner"].unique()) == ["Team A"]
    assert "measures.csv:1: owner: column is not in the data dictionary; it is kept in downloads" in [
        str(p) for p in dataset.problems
    ]


# --- cells that would break the site: line breaks, control characters, sizes, addresses ---------------------

LONG_NAME = "\ufdfa" * 20  # one character each, but each is several letters in a page address

SAFETY = [
    (
        "contracts.csv",
        "Homecare in North Manchester",
        '"Homecare in\nNorth Manchester"',
        "contracts.csv:2: title: 'Homecare in\\nNorth Manchester' has a line break (character 12): this column must "
        "be one line",
    ),
    (
        "contracts.csv",
        "MLCO/CH/25/003,",
        '"MLCO/CH\r/25/003",',
        "contracts.csv:4: contract_id: 'MLCO/CH\\r/25/003' has a line break (character 8): this column must be one "
        "line",
    ),
    (
        "contracts.csv",
        "Homecare in North Manchester",
        "Homecare in\x07North Manchester",
        "contracts.csv:2: title: 'Homecare in\\x07North Manchester' has the invisible control character U+0007 "
        "(character 12)",
    ),
    (
        "contracts.csv",
        "Homecare in North Manchester",
        "Homecare in North\x85Manchester",
        "contracts.csv:2: title: 'Homecare in North\\x85Manchester' has the invisible control character U+0085",
    ),
    (
        "contracts.csv",
        "Homecare in North Manchester",
        "Homecare\u2028in North Manchester",
        "contracts.csv:2: title: 'Homecare\\u2028in North Manchester' has a line break (character 9)",
    ),
    (
        "contracts.csv",
        "Care at home for adults.",
        "Care at home\x1b for adults.",
        "contracts.csv:2: description: 'Care at home\\x1b for adults.\\n\\n- visits\\n- **reablement**' has the "
        "invisible control",
    ),
    (
        "contracts.csv",
        "MLCO/CH/25/003,",
        "X" * 300 + ",",
        "contracts.csv:4: contract_id: '" + "X" * 57 + "...' is 300 characters long: the limit for this column is 100",
    ),
    (
        "contracts.csv",
        "Homecare in North Manchester",
        "H" * 301,
        "contracts.csv:2: title: '" + "H" * 57 + "...' is 301 characters long: the limit for this column is 300",
    ),
    (
        "contracts.csv",
        "Care at home for adults.",
        "C" * 20_001,
        "contracts.csv:2: description: '"
        + "C" * 57
        + "...' is 20,028 characters long: the limit for this column is 20,000",
    ),
    (
        "contracts.csv",
        "https://www.contractsfinder.service.gov.uk/notice/0001",
        "https://www.contractsfinder.service.gov.uk/notice 1",
        "contracts.csv:2: notice_url: 'https://www.contractsfinder.service.gov.uk/notice 1' has a space, which a web "
        "address"
        " cannot contain: write it as %20",
    ),
    (
        "contracts.csv",
        "https://www.contractsfinder.service.gov.uk/notice/0001",
        '"https://example.org/""onmouseover=x"',
        "contracts.csv:2: notice_url: 'https://example.org/\"onmouseover=x' has a double quote, which a web address "
        "cannot"
        " contain: write it as %22",
    ),
    (
        "contracts.csv",
        "https://www.contractsfinder.service.gov.uk/notice/0001",
        "https://example.org/<script>",
        "contracts.csv:2: notice_url: 'https://example.org/<script>' has an angle bracket, which a web address "
        "cannot contain",
    ),
    (
        "contracts.csv",
        "https://www.contractsfinder.service.gov.uk/notice/0001",
        "https://example.org/`x`",
        "contracts.csv:2: notice_url: 'https://example.org/`x`' has a backtick",
    ),
    (
        "contracts.csv",
        "https://www.contractsfinder.service.gov.uk/notice/0001",
        "https://example.org/100%",
        "contracts.csv:2: notice_url: 'https://example.org/100%' has a % that is not followed by two hexadecimal "
        "digits",
    ),
    (
        "contracts.csv",
        "Northside Care Ltd,GB-COH-01234567,sme,No,local,open",
        LONG_NAME + ",GB-COH-01234567,sme,No,local,open",
        "contracts.csv:2: supplier_name: '" + LONG_NAME + "' would make a page address 300 characters long"
        " (suppliers/sl-llh-lyh-wslmsl-ll.../): the limit is 150: shorten it",
    ),
    (
        "contracts.csv",
        "Cheetham; Harpurhey",
        ";".join(["Ward"] * 101),
        "contracts.csv:2: wards: '" + ";".join(["Ward"] * 12)[:57] + "...' has 101 items: the limit is 100",
    ),
    (
        "contracts.csv",
        "Cheetham; Harpurhey",
        "Cheetham; " + "W" * 101,
        "contracts.csv:2: wards: 'Cheetham; "
        + "W" * 47
        + "...' has an item 101 characters long: the limit for an item is 100",
    ),
    (
        "contracts.csv",
        "contract_id,title",
        "contract_id,ti\x01tle",
        "contracts.csv:1: column 2: the column name 'ti\\x01tle' has the invisible control character U+0001",
    ),
    (
        "measures.csv",
        "Local people hired,FTE",
        '"Local people hired,\nhead count",FTE',
        "measures.csv:2: title: 'Local people hired,\\nhead count' has a line break",
    ),
    (
        "commitments.csv",
        "MLCO/CH/25/003,COM-01",
        "MLCO/CH\t/25/003,COM-01",
        "commitments.csv:6: contract_id: 'MLCO/CH\\t/25/003' has a tab (character 8): this column must be one line",
    ),
]


@pytest.mark.parametrize("file, old, new, expected", SAFETY, ids=[r[3][:60] for r in SAFETY])
def test_each_safety_rule(small_copy, contract, file, old, new, expected):
    edit_csv(small_copy / file, old, new)
    found = messages(small_copy, contract)
    assert any(m.startswith(expected) for m in found), "\n".join(found)
    assert all("\n" not in m and "\r" not in m for m in found)  # one problem, one line of the report


def test_a_cell_reported_as_unusable_is_reported_once(small_copy, contract):
    edit_csv(
        small_copy / "contracts.csv", "https://www.contractsfinder.service.gov.uk/notice/0001", "https://x.org/a\x07 b"
    )
    edit_csv(small_copy / "contracts.csv", "MLCO/CH/25/003,", "Y" * 101 + ",")
    found = sorted(m for m in messages(small_copy, contract) if m.startswith("contracts.csv"))
    assert [m.split(": ")[1] for m in found] == ["notice_url", "contract_id"], found
    assert "control character U+0007" in found[0] and "101 characters long" in found[1]


def test_a_column_the_publisher_added_has_the_limits_of_multi_line_text(small_copy, contract):
    path = small_copy / "measures.csv"
    lines = path.read_text().splitlines()
    cells = ['"several\nlines are fine"', "E" * 20_001, "bell\x07", ""]
    path.write_text(
        "\n".join([lines[0] + ",owner"] + [f"{line},{cell}" for line, cell in zip(lines[1:], cells)]) + "\n"
    )
    assert [m for m in messages(small_copy, contract) if ": owner: " in m] == [
        "measures.csv:3: owner: '" + "E" * 57 + "...' is 20,001 characters long: the limit for this column is 20,000",
        "measures.csv:4: owner: 'bell\\x07' has the invisible control character U+0007 (character 5), which a web page"
        " cannot show: delete it",
    ]


OPPORTUNITY_HEADER = "opportunity_id,title,buyer_name,stage,closing_date,notice_url,priorities\n"


def test_a_line_break_in_an_opportunity_s_buyer_name_is_a_problem_not_a_crash(small_copy, contract):
    (small_copy / "opportunities.csv").write_text(
        OPPORTUNITY_HEADER
        + 'OPP-1,Day services,"Manchester City\nCouncil",pipeline,,,\n'
        + "OPP-2,Youth work,Manchester City Council,pipeline,,,Keep the air clean;"
        + "ﷺ" * 11
        + "\n"
    )
    assert messages(small_copy, contract) == [
        "opportunities.csv:2: buyer_name: 'Manchester City\\nCouncil' has a line break (character 16): this column must"
        " be one line",
        "opportunities.csv:3: priorities: '" + "ﷺ" * 11 + "' would make a page address 165 characters long"
        " (opportunities/priority/sl-llh-lyh-wslmsl-ll.../): the limit is 150: shorten it",
    ]


def test_every_reserved_address_of_every_table_is_reported_in_one_run(small_copy, contract):
    """With an unrelated mistake in the same run: nothing waits until the others are fixed."""
    edit_csv(small_copy / "contracts.csv", "MCC/ASC/2024/001,", "Type,")
    edit_csv(small_copy / "contracts.csv", "MHCC-2026-002,", "BASED,")
    edit_csv(small_copy / "contracts.csv", "MLCO/CH/25/003,", "status,")
    (small_copy / "opportunities.csv").write_text(
        OPPORTUNITY_HEADER
        + "".join(
            f"{opportunity_id},Day services,Manchester City Council,pipeline,,,\n"
            for opportunity_id in ("vcse", "SME", "Buyer", "route", "Priority")
        )
        + "OPP-6,Youth work,Manchester City Council,open,,ftp://example.org/notice,\n"
    )
    (small_copy / "wards.csv").write_text("ward_code,name\nE05011372,Whole-Area\nE05011368,CHARTS\n")
    found = messages(small_copy, contract)
    reserved = [m.split(" would take the address ")[1].split(",")[0] for m in found if "would take the address" in m]
    assert reserved == [
        "contracts/type/",
        "contracts/based/",
        "contracts/status/",
        "opportunities/vcse/",
        "opportunities/sme/",
        "opportunities/buyer/",
        "opportunities/route/",
        "opportunities/priority/",
        "areas/whole-area/",
        "areas/charts/",
    ]
    assert "opportunities.csv:7: closing_date: is required when stage is open, but blank" in found
    assert any(
        m.startswith("opportunities.csv:7: notice_url: 'ftp://example.org/notice' is not a web address") for m in found
    )


def test_every_page_address_and_reserved_slug_is_in_the_contract(contract):
    """The reserved addresses live in the data contract, where the loader and the data dictionary read them."""
    reserved = {
        (table.name, f.name): sorted(f.page_address.reserved)
        for table in contract.tables
        for f in table.fields
        if f.page_address and f.page_address.reserved
    }
    assert reserved == {
        ("contracts", "contract_id"): ["based", "status", "type"],
        ("opportunities", "opportunity_id"): ["buyer", "priority", "route", "sme", "vcse"],
        ("wards", "name"): ["charts", "whole-area"],
        ("grants", "grant_id"): ["programme", "recipient", "year"],
    }


def test_every_text_column_has_a_size_limit(contract):
    for table in contract.tables:
        for f in table.fields:
            if f.type == "list":
                assert f.max_items and f.item_max_length, f.name
            elif f.type == "string" and "enum" not in f.constraints:
                assert f.max_length, (table.name, f.name)
                assert f.max_length == 20_000 if f.multiline else f.max_length <= 2_000


def test_a_huge_cell_is_reported_without_being_worked_through(small_copy, contract):
    """A 15 MB description and a 10 MB title: one line each, in well under the time Markdown would take."""
    import time

    edit_csv(small_copy / "contracts.csv", "Care at home for adults.", "*a " * 5_000_000)
    edit_csv(small_copy / "contracts.csv", "Community connectors", "T" * 10_000_000)
    edit_csv(small_copy / "contracts.csv", "2024-10-01,2027-09-30", "2024-10-01," + "1 " * 1_000_000 + "2")
    started = time.perf_counter()
    found = messages(small_copy, contract)
    assert time.perf_counter() - started < 20
    assert sorted(m.split("'")[0] + m.split("' ")[-1] for m in found) == [
        "contracts.csv:2: description: is 15,000,027 characters long: the limit for this column is 20,000",
        "contracts.csv:2: end_date: is not a date: write YYYY-MM-DD or DD/MM/YYYY, or a date and time such as "
        "2026-12-01T12:00:00Z or 2026-06-01T17:30+01:00",
        "contracts.csv:4: title: is 10,000,000 characters long: the limit for this column is 300",
    ]
