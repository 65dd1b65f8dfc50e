"""Payees of payments.csv matched to the organisations the portal knows (svportal.payees), rule by rule, and
what the data-quality page lists of them (svportal.data_quality).

Most tests write a small data folder of their own; the last ones read tests/fixtures/trafford: Trafford's
real spend sample (5,000 payments of March 2026) with invented contracts, some of Trafford's real grants
and an organisations.csv for some of the real payees (postcodes, sizes and survey figures illustrative).
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from support.sites import BUILD_DATE, FIXTURES, ROOT, portal_settings
from svportal import data_quality, pages, payees, records
from svportal.load import load_dataset
from svportal.settings import read_settings

TRAFFORD = FIXTURES / "trafford"


def write(folder, name: str, rows: list[dict], contract) -> None:
    columns = contract.table(name.removesuffix(".csv")).field_names
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / name).write_text(out.getvalue(), encoding="utf-8")


def contract_row(n: int, supplier: str, supplier_id: str = "", **extra) -> dict:
    return {
        "contract_id": f"C{n}",
        "title": f"Contract {n}",
        "buyer_name": "Trafford Council",
        "buyer_id": "GB-LAE-TRF",
        "supplier_name": supplier,
        "supplier_id": supplier_id,
        "start_date": "2025-04-01",
        "value_gbp": "1000",
        **extra,
    }


def payment(line: int, name: str, amount: str = "100", vat: str = "", other: str = "", redacted: str = "no", **extra):
    return {
        "beneficiary_name": name,
        "beneficiary_other_id": other,
        "vat_number": vat,
        "amount_gbp": amount,
        "payment_date": extra.pop("payment_date", "2026-03-25"),
        "redacted": redacted,
        "source": "march.csv",
        "source_line": str(line),
        **extra,
    }


def staff(name: str, org_id: str = "", **extra) -> dict:
    return {"org_id": org_id, "name": name, **extra}


def matched(tmp_path, contract, *, payments, organisations=(), contracts=None, grants=()):
    """(payments with their matches, payees) of a data folder made of these rows."""
    write(tmp_path, "contracts.csv", contracts or [contract_row(1, "Someone Else Ltd", "GB-COH-99999999")], contract)
    write(tmp_path, "payments.csv", payments, contract)
    if organisations:
        write(tmp_path, "organisations.csv", list(organisations), contract)
    if grants:
        write(tmp_path, "grants.csv", list(grants), contract)
    dataset = load_dataset(tmp_path, contract)
    assert [str(p) for p in dataset.errors] == []
    return payees.match(dataset.tables)


def method_of(found: pd.DataFrame, name: str) -> tuple:
    row = records.records(found[found["name"] == name])[0]
    return row["match_method"], row["org_name"]


def plain(frame: pd.DataFrame, columns: list[str]) -> list[list]:
    """The rows of these columns as plain values (None for missing), as the pages get them."""
    return [list(row.values()) for row in records.records(frame[columns])]


# --- comparing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("The Sale Moor Community Partnership Ltd.", "sale moor community partnership"),
        ("Smith & Sons (Devon) Limited", "smith and sons devon"),
        ("St John's Centre", "st johns centre"),
        ("ST. JOHNS CENTRE", "st johns centre"),
        ("JP4LIFE Ltd T/A Prolife Healthcare", "jp4life prolife healthcare"),
        ("Café Nero plc", "cafe nero"),
        ("Global Make-Up Hair Prod Acad Ltd", "global make up hair prod acad"),
        ("OT Creative Space Community Interest Company", "ot creative space"),
        ("The Together Trust", "together trust"),
        ("Ltd", ""),
    ],
)
def test_normalised_names(name, normal):
    assert payees.normalise_name(name) == normal


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("GB813047950", "813047950"),
        ("GB 813 0479 50", "813047950"),
        ("813047950", "813047950"),
        ("gb813-047-950", "813047950"),
        ("GB813047950001", "813047950"),
        ("XI813047950", "813047950"),
        ("GBGD001", "GD001"),
        ("GB0128940791", None),  # ten digits: not a VAT number
        ("NA", None),
        ("", None),
    ],
)
def test_vat_numbers_are_compared_as_their_nine_digits(text, key):
    assert payees.vat_key(text) == key


# --- the rules, one by one -------------------------------------------------------------------------------


def test_vat_number(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        organisations=[staff("Amey LG Limited", vat_number="GB 813 0479 50", postcode="M17 1DB", size="large")],
        payments=[
            payment(2, "Amey LG Ltd", vat="GB813047950"),
            payment(3, "Amey Highways", vat="813047950001"),  # a branch of the same registration
        ],
    )
    rows = found.set_index("name")
    assert rows.loc["Amey LG Ltd", "match_method"] == "vat-number"
    assert rows.loc["Amey Highways", "match_method"] == "vat-number"
    assert rows.loc["Amey LG Ltd", ["org_name", "postcode", "size", "org_source"]].tolist() == [
        "Amey LG Limited",
        "M17 1DB",
        "large",
        "organisations",
    ]


def test_the_vat_number_decides_before_the_name(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        organisations=[staff("Acme Care Ltd", vat_number="GB111111111"), staff("Northside Care Ltd")],
        payments=[payment(2, "Northside Care Ltd", vat="GB111111111")],
    )
    assert method_of(found, "Northside Care Ltd") == ("vat-number", "Acme Care Ltd")


def test_org_id_given_as_the_other_identifier(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        contracts=[contract_row(1, "Acme Care Limited", "GB-COH-01234567")],
        payments=[
            payment(2, "ACME (North)", other="GB-COH-01234567"),
            payment(3, "ACME (South)", other="01234567"),  # a bare number: the council's own supplier number?
        ],
    )
    assert method_of(found, "ACME (North)") == ("org-id", "Acme Care Limited")
    north = found[found["name"] == "ACME (North)"].iloc[0]
    assert (north["org_id"], north["org_source"], north["supplier_slug"]) == (
        "GB-COH-01234567",
        "contracts",
        "gb-coh-01234567",
    )
    assert method_of(found, "ACME (South)")[0] == "unknown"


def test_exact_name_ignores_case_and_spacing(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        contracts=[contract_row(1, "Acme Care Ltd", "GB-COH-01234567", supplier_size="sme", supplier_vcse="no")],
        payments=[payment(2, "ACME  care ltd")],
    )
    row = found.iloc[0]
    assert (row["match_method"], row["org_name"], row["size"], row["vcse"]) == (
        "exact-name",
        "Acme Care Ltd",
        "sme",
        False,
    )


def test_normalised_name(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        contracts=[contract_row(1, "Acme Care Ltd", "GB-COH-01234567")],
        payments=[payment(2, "The Acme Care Limited."), payment(3, "Acme Care Services Ltd")],
    )
    assert method_of(found, "The Acme Care Limited.") == ("normalised-name", "Acme Care Ltd")
    assert method_of(found, "Acme Care Services Ltd")[0] == "unknown"  # no partial names, no similarity


def test_other_names_are_names_too(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        organisations=[
            staff("Greater Manchester Combined Authority", other_names="Greater Manchester Combined Authori; GMCA")
        ],
        payments=[payment(2, "Greater Manchester Combined Authori"), payment(3, "gmca")],
    )
    assert set(found["match_method"]) == {"exact-name"}
    assert set(found["org_name"]) == {"Greater Manchester Combined Authority"}


def test_a_name_of_two_organisations_is_ambiguous_and_not_matched(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        organisations=[
            staff("Bright Futures Ltd", "GB-COH-01111111"),
            staff("Bright Futures CIC", "GB-COH-02222222"),
        ],
        payments=[payment(2, "Bright Futures", amount="300"), payment(3, "Bright Futures Ltd")],
    )
    ambiguous = found[found["name"] == "Bright Futures"].iloc[0]
    assert ambiguous["match_method"] == "ambiguous"
    assert pd.isna(ambiguous["org_key"]) and pd.isna(ambiguous["org_name"])
    assert ambiguous["match_note"] == (
        "its name is that of 2 organisations: Bright Futures CIC (GB-COH-02222222); "
        "Bright Futures Ltd (GB-COH-01111111)"
    )
    # its exact name is one organisation's: the exact rule decides before the normalised one
    assert method_of(found, "Bright Futures Ltd") == ("exact-name", "Bright Futures Ltd")


def test_a_vat_number_of_two_organisations_decides_nothing(tmp_path, contract):
    group = "GB222222222"  # a VAT group: one number for several companies
    _, found = matched(
        tmp_path,
        contract,
        organisations=[
            staff("Group Care North Ltd", vat_number=group),
            staff("Group Care South Ltd", vat_number=group),
        ],
        payments=[payment(2, "Group Care South Ltd", vat=group), payment(3, "Group Care", vat=group)],
    )
    assert method_of(found, "Group Care South Ltd") == ("exact-name", "Group Care South Ltd")
    vague = found[found["name"] == "Group Care"].iloc[0]
    assert vague["match_method"] == "ambiguous"
    assert vague["match_note"].startswith("its VAT number is that of 2 organisations: Group Care North Ltd; Group")


def test_payments_to_withheld_payees_are_never_matched_or_named(tmp_path, contract):
    found_payments, found = matched(
        tmp_path,
        contract,
        organisations=[staff("Acme Care Ltd", vat_number="GB111111111")],
        payments=[
            payment(2, "", redacted="yes", amount="40"),
            payment(3, "Acme Care Ltd", vat="GB111111111", redacted="yes"),  # even a row that kept the name
            payment(4, "Acme Care Ltd", amount="60"),
        ],
    )
    assert found["name"].tolist() == ["Acme Care Ltd"]
    assert found.iloc[0]["payments"] == 1 and found.iloc[0]["total_gbp"] == 60
    withheld = found_payments[found_payments["redacted"].astype(bool)]
    assert withheld["match_method"].tolist() == ["redacted", "redacted"]
    assert withheld["payee_key"].isna().all() and withheld["org_name"].isna().all() and withheld["org_key"].isna().all()


def test_buyers_are_not_payees_and_unknown_is_unknown(tmp_path, contract):
    _, found = matched(tmp_path, contract, payments=[payment(2, "Trafford Council"), payment(3, "Nobody Ltd")])
    assert found["match_method"].tolist() == ["unknown", "unknown"]
    assert found["match_note"].isna().all()


# --- one organisation from several places ---------------------------------------------------------------


def test_a_supplier_named_in_organisations_csv_is_that_organisation(tmp_path, contract):
    known = payees.known_organisations(
        load_tables(
            tmp_path,
            contract,
            contracts=[contract_row(1, "Hulme Friends Group")],  # no identifier
            organisations=[staff("Hulme Friends", other_names="Hulme Friends Group", postcode="M15 5AA", vcse="yes")],
        )
    )
    assert known[["org_key", "name", "other_names", "postcode", "vcse", "source", "supplier_slug"]].values.tolist() == [
        [
            "name:hulme friends",
            "Hulme Friends",
            ("Hulme Friends Group",),
            "M15 5AA",
            True,
            "organisations",
            "hulme-friends-group",
        ]
    ]


def test_a_grant_recipient_is_one_organisation_with_its_charity_and_company_numbers(tmp_path, contract):
    grant = {
        "grant_id": "360G-T-1",
        "title": "A grant",
        "amount_awarded": "1000",
        "award_date": "2024-05-01",
        "funding_org_name": "Trafford Council",
        "recipient_org_id": "360G-trafford-friends",
        "recipient_org_name": "Friends of the Park",
        "recipient_charity_number": "1123456",
        "recipient_company_number": "1234567",
        "recipient_postcode": "M33 7XZ",
    }
    tables = load_tables(
        tmp_path,
        contract,
        organisations=[staff("The Friends of the Park", "GB-CHC-1123456", size="sme")],
        grants=[grant],
    )
    known = payees.known_organisations(tables)
    friends = known[known["org_key"] == "GB-CHC-1123456"].iloc[0]
    assert friends["ids"] == ("GB-CHC-1123456", "360G-trafford-friends", "GB-COH-01234567")
    assert friends["other_names"] == ("Friends of the Park",)
    assert (friends["postcode"], friends["size"], friends["source"]) == ("M33 7XZ", "sme", "organisations")
    assert len(known) == 2  # and the contract's supplier


def load_tables(tmp_path, contract, *, contracts=None, organisations=(), grants=()):
    write(tmp_path, "contracts.csv", contracts or [contract_row(1, "Someone Else Ltd", "GB-COH-99999999")], contract)
    if organisations:
        write(tmp_path, "organisations.csv", list(organisations), contract)
    if grants:
        write(tmp_path, "grants.csv", list(grants), contract)
    dataset = load_dataset(tmp_path, contract)
    assert [str(p) for p in dataset.errors] == []
    return dataset.tables


def test_payee_totals_and_order(tmp_path, contract):
    _, found = matched(
        tmp_path,
        contract,
        payments=[
            payment(2, "Beta Ltd", amount="500", payment_date="2026-03-24"),
            payment(3, "Beta Ltd", amount="-120.5", payment_date="2026-03-30"),
            payment(4, "alpha ltd", amount="379.5"),
            payment(5, "Alpha Ltd", amount="0.1"),
            payment(6, "Gamma Ltd", amount="900"),
        ],
    )
    assert found[["name", "payments", "total_gbp", "credit_notes"]].values.tolist() == [
        ["Gamma Ltd", 1, 900.0, 0],
        ["alpha ltd", 2, 379.6, 0],  # one payee: the same name but for case
        ["Beta Ltd", 2, 379.5, 1],
    ]
    beta = found[found["name"] == "Beta Ltd"].iloc[0]
    assert (beta["first_payment"], beta["last_payment"]) == (pd.Timestamp("2026-03-24"), pd.Timestamp("2026-03-30"))


def test_without_payments_there_are_no_payees(contract):
    dataset = load_dataset(FIXTURES / "small", contract)
    found_payments, found = payees.match(dataset.tables)
    assert len(found_payments) == 0 and len(found) == 0
    assert list(found.columns) == list(payees.PAYEE_COLUMNS)
    assert data_quality.payee_matching(found_payments, found)["payees"] == 0


# --- the organisations table -----------------------------------------------------------------------------


def test_the_organisations_table_rules(tmp_path, contract):
    write(tmp_path, "contracts.csv", [contract_row(1, "Someone Else Ltd", "GB-COH-99999999")], contract)
    write(
        tmp_path,
        "organisations.csv",
        [
            staff("Survey Ltd", local_respend_pct="60"),
            staff("Bad VAT Ltd", vat_number="123"),
            staff("Bad Postcode Ltd", postcode="M1 ABC"),
            staff(
                "Good Ltd",
                vat_number="GB 123 4567 89",
                postcode="m32 0th",
                local_respend_pct="45%",
                respend_survey_date="01/11/2025",
            ),
        ],
        contract,
    )
    found = [str(p) for p in load_dataset(tmp_path, contract).errors]
    assert found == [
        "organisations.csv:4: postcode: 'M1 ABC' is not a UK postcode such as M32 0TH",
        "organisations.csv:3: vat_number: '123' is not a UK VAT number: GB and 9 digits (or 12 for a branch), such as "
        "GB123456789",
        "organisations.csv:2: respend_survey_date: is required when local_respend_pct is given, but blank",
    ]


# --- Trafford: the real sample with the organisations fixture ----------------------------------------------


@pytest.fixture(scope="module")
def trafford(contract):
    dataset = load_dataset(TRAFFORD, contract)
    return dataset, *payees.match(dataset.tables)


def test_trafford_matches_case_by_case(trafford):
    _, _, found = trafford
    wanted = found[found["match_method"].isin(payees.RULES)]
    assert plain(wanted, ["name", "match_method", "org_name", "org_id", "org_source"]) == [
        ["Amey LG Ltd", "vat-number", "Amey LG Limited", None, "organisations"],
        ["The Together Trust", "vat-number", "The Together Trust", None, "organisations"],
        [
            "Greater Manchester Combined Authori",
            "exact-name",
            "Greater Manchester Combined Authority",
            None,
            "organisations",
        ],
        [
            "Classic Care Homes (Devon) Limited",
            "exact-name",
            "Classic Care Homes (Devon) Limited",
            None,
            "organisations",
        ],
        ["Care Outlook Ltd", "exact-name", "Care Outlook Ltd", None, "contracts"],
        ["Classic Care Homes (Devon)", "normalised-name", "Classic Care Homes (Devon) Limited", None, "organisations"],
        ["JP4LIFE Ltd T/A Prolife Healthcare", "exact-name", "JP4Life Ltd", None, "organisations"],
        ["Trafford Carers Centre", "exact-name", "Trafford Carers Centre", "GB-COH-04695523", "organisations"],
        ["Groundwork Greater Manchester", "exact-name", "Groundwork Greater Manchester", "GB-COH-06543150", "grants"],
        ["OT Creative Space CIC", "exact-name", "OT Creative Space CIC", "GB-COH-11907352", "grants"],
        [
            "Sale Moor Community Partnership Ltd",
            "normalised-name",
            "Sale Moor Community Partnership",
            "GB-COH-05465848",
            "grants",
        ],
    ]


def test_trafford_what_a_match_brings(trafford):
    _, found_payments, found = trafford
    carers = found[found["name"] == "Trafford Carers Centre"].iloc[0]
    assert (carers["postcode"], carers["size"], carers["vcse"], carers["local_respend_pct"]) == (
        "M33 7XZ",
        "sme",
        True,
        80.0,
    )
    assert carers["respend_survey_date"] == pd.Timestamp("2025-11-30")
    assert carers["supplier_slug"] == "gb-coh-04695523"  # it supplies TMBC/ASC/2025/022
    amey = found[found["name"] == "Amey LG Ltd"].iloc[0]
    assert (amey["payments"], amey["total_gbp"], amey["credit_notes"]) == (26, 1490580.41, 7)
    assert amey["supplier_slug"] == "amey-lg-limited"  # the contract's supplier, named in organisations.csv
    assert found_payments["match_method"].value_counts().to_dict() == {
        "unknown": 3379,
        "exact-name": 735,
        "redacted": 721,
        "normalised-name": 96,
        "vat-number": 69,
    }
    assert found_payments["payee_key"].notna().sum() == 5000 - 721


def test_trafford_data_quality_lists_the_largest_unmatched_payees(trafford):
    _, found_payments, found = trafford
    unmatched = data_quality.unmatched_payees(found)
    assert plain(unmatched.head(3), ["name", "vat_number", "payments", "total_gbp", "match_method"]) == [
        ["HMRC CUMBERNAULD", None, 9, 3723197.11, "unknown"],
        ["GREATER MANCHESTER SUPERANN FUND", None, 11, 2361307.74, "unknown"],
        ["Trafford Bruntwood (Stamf Qtr) LLP", "GB427979538", 1, 1158000.0, "unknown"],
    ]
    assert "Redacted" not in set(unmatched["name"]) and unmatched["name"].notna().all()
    summary = data_quality.payee_matching(found_payments, found)
    assert {k: summary[k] for k in ("payments", "payees", "matched", "ambiguous", "unknown", "withheld_payments")} == {
        "payments": 5000,
        "payees": len(found),
        "matched": 11,
        "ambiguous": 0,
        "unknown": len(found) - 11,
        "withheld_payments": 721,
    }
    assert summary["withheld_gbp"] == 1770380.42
    assert summary["paid_gbp"] == round(16776300.73 - 1770380.42, 2)


def test_trafford_data_quality_page_model(trafford):
    dataset, _, found = trafford
    settings = read_settings({**portal_settings(TRAFFORD, BUILD_DATE), "PATH": str(ROOT / "content")})
    quality = pages.build_site_data(dataset, settings).quality
    assert quality["counts"]["unmatched_payees"] == len(found) - 11
    listed = quality["payees"]["largest_unmatched"]
    assert len(listed) == data_quality.LARGEST_UNMATCHED
    assert listed[0] == {
        "name": "HMRC CUMBERNAULD",
        "vat_number": None,
        "payments": 9,
        "total_gbp": 3723197.11,
        "match_method": "unknown",
        "match_note": None,
    }
    assert len(quality["frames"]["unmatched_payees"]) == len(found) - 11
