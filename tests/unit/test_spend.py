"""Local spend (svportal.spend): each payment classified, the shares of spend, quarters, organisations, contracts
and Local Multiplier 3, on a small data folder whose every figure is worked out by hand below.

The area's postcode districts are M14 and M15; the region's M1, M14 (also the area's: the area wins) and SK4.

    line  payee         amount  date        buyer    service         organisation: district, size, VCSE
     2    Alpha Ltd      1,000  2025-04-10  Council  Care            M14 local, SME, not VCSE
     3    Alpha Ltd       -200  2025-07-01  Council  Care            (a credit note)
     4    Beta CIC         500  2025-06-30  Council  Not Classified  SK4 regional, SME, VCSE (survey: 50%)
     5    Gamma plc      2,000  2026-01-15  NHS      (blank)         EX4 elsewhere, large, not VCSE
     6    Delta Trust      300  2026-03-31  Council  Care            no postcode: locality unknown; no size; VCSE
     7    Nobody Ltd       400  2025-12-01  Council  Transport       not matched: unknown
     8    (withheld)     1,000  2026-02-02  Council  Care            withheld
     9    Twin Trust       100  (no date)   Council  (blank)         two organisations of that name: ambiguous
    10    Epsilon Ltd      100  2025-05-01  Council  Care            M15 local, SME, not VCSE (survey: 20%)
    11    Epsilon Ltd     -100  2025-05-02  Council  Care            (a credit note: Epsilon is paid nothing net)

Total 5,100 (2 credit notes, -300). Where based: local 800 (Alpha 800, Epsilon 0), regional 500, elsewhere
2,000, not known 800 (Delta 300, Nobody 400, Twin 100), withheld 1,000. Size: SME 1,300 (Alpha, Beta, Epsilon),
large 2,000, not known 800, withheld 1,000. VCSE: yes 800 (Beta, Delta), no 2,800 (Alpha, Gamma, Epsilon), not
known 500, withheld 1,000. Matched 3,600, not matched 500, withheld 1,000.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from svportal import exports, model, payees, spend, spend_pages
from svportal.load import load_dataset
from svportal.settings import read_settings

TOTAL = 5100.0
DISTRICTS = spend.Districts.of(["M14", "M15"], ["M1", "M14", "SK4"])

ORGANISATIONS = [
    {"name": "Alpha Ltd", "postcode": "M14 5RR", "size": "sme", "vcse": "no"},
    {
        "name": "Beta CIC",
        "postcode": "sk4 1aa",
        "size": "sme",
        "vcse": "yes",
        "local_respend_pct": "50",
        "respend_survey_date": "2025-06-30",
    },
    {"name": "Gamma plc", "postcode": "EX4 1HS", "size": "large", "vcse": "no"},
    {"name": "Delta Trust", "vcse": "yes"},
    {
        "name": "Epsilon Ltd",
        "postcode": "M15 2AB",
        "size": "sme",
        "vcse": "no",
        "local_respend_pct": "20",
        "respend_survey_date": "2025-09-30",
    },
    {"org_id": "GB-CHC-1111111", "name": "Twin Trust"},
    {"org_id": "GB-CHC-2222222", "name": "Twin Trust"},
]
PAYMENTS = [  # (payee, amount, date, buyer, service)
    ("Alpha Ltd", "1000", "2025-04-10", "Council", "Care"),
    ("Alpha Ltd", "-200", "2025-07-01", "Council", "Care"),
    ("Beta CIC", "500", "2025-06-30", "Council", "Not Classified"),
    ("Gamma plc", "2000", "2026-01-15", "NHS", ""),
    ("Delta Trust", "300", "2026-03-31", "Council", "Care"),
    ("Nobody Ltd", "400", "2025-12-01", "Council", "Transport"),
    ("", "1000", "2026-02-02", "Council", "Care"),
    ("Twin Trust", "100", "", "Council", ""),
    ("Epsilon Ltd", "100", "2025-05-01", "Council", "Care"),
    ("Epsilon Ltd", "-100", "2025-05-02", "Council", "Care"),
]
CONTRACTS = [  # (id, lead supplier, start, end)
    ("K1", "Alpha Ltd", "2025-05-01", "2025-12-31"),
    ("K2", "Beta CIC", "2025-01-01", ""),
    ("K3", "Zeta Ltd", "2025-01-01", "2026-12-31"),
    ("K4", "Alpha Ltd", "2025-01-01", "2026-03-31"),
    ("K5", "Alpha Ltd", "2027-01-01", ""),  # after the last payment
]


def write(folder, name: str, rows: list[dict], contract) -> None:
    columns = contract.table(name.removesuffix(".csv")).field_names
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (folder / name).write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def tables(tmp_path_factory, contract):
    folder = tmp_path_factory.mktemp("spend-data")
    write(folder, "organisations.csv", ORGANISATIONS, contract)
    write(
        folder,
        "payments.csv",
        [
            {
                "organisation_label": buyer,
                "beneficiary_name": name,
                "payment_date": day,
                "amount_gbp": amount,
                "proclass_label": service,
                "redacted": "no" if name else "yes",
                "source": "spend.csv",
                "source_line": str(line),
            }
            for line, (name, amount, day, buyer, service) in enumerate(PAYMENTS, 2)
        ],
        contract,
    )
    write(
        folder,
        "contracts.csv",
        [
            {
                "contract_id": key,
                "title": f"Contract {key}",
                "buyer_name": "Council",
                "supplier_name": supplier,
                "start_date": start,
                "end_date": end,
                "value_gbp": "10000",
            }
            for key, supplier, start, end in CONTRACTS
        ],
        contract,
    )
    write(
        folder,
        "contract_suppliers.csv",
        [{"contract_id": "K4", "supplier_name": "Gamma plc", "role": "consortium-member"}],
        contract,
    )
    dataset = load_dataset(folder, contract)
    assert dataset.errors == []
    return dataset.tables


@pytest.fixture(scope="module")
def classified(tables):
    matched, _ = payees.match(tables)
    return spend.classify(matched, DISTRICTS)


# --- postcode districts and quarters ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "district"),
    [
        ("M14 5RR", "M14"),
        ("sk83lp", "SK8"),
        (" ec1a  1bb ", "EC1A"),
        ("W1D 3QF", "W1D"),
        ("M14", None),  # a district alone is not a postcode
        ("not a postcode", None),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_the_district_of_a_postcode_is_its_outward_code(postcode, district):
    assert spend.postcode_district(postcode) == district


def test_uk_financial_quarters_start_in_april():
    days = pd.Series(
        pd.to_datetime(["2025-04-01", "2025-06-30", "2025-07-01", "2025-12-31", "2026-01-01", "2026-03-31"])
    )
    labels = [spend.quarter_label(n) for n in spend.quarter_number(days)]
    assert labels == ["2025-26 Q1", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4", "2025-26 Q4"]
    assert spend.quarter_label(spend.quarter_number(pd.Series(pd.to_datetime(["2025-03-31"])))[0]) == "2024-25 Q4"
    q4 = 2025 * 4 + 3
    assert spend.quarter_dates(q4) == (pd.Timestamp("2026-01-01"), pd.Timestamp("2026-03-31"))
    assert spend.quarter_dates(2025 * 4) == (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-06-30"))
    assert spend.quarter_period(q4) == "January to March 2026"
    assert spend.quarter_label(1999 * 4 + 2) == "1999-00 Q3"


# --- each payment classified --------------------------------------------------------------------------------


def test_each_payment_is_classified_by_the_organisation_its_payee_was_matched_to(classified):
    found = classified[["locality", "size", "vcse", "supplier"]].astype(str).to_numpy().tolist()
    assert found == [
        ["local", "sme", "not-vcse", "matched"],  # Alpha: M14 is listed for the area and the region
        ["local", "sme", "not-vcse", "matched"],
        ["regional", "sme", "vcse", "matched"],  # Beta: sk4 1aa is in SK4
        ["elsewhere", "large", "not-vcse", "matched"],
        ["unknown", "unknown", "vcse", "matched"],  # Delta: no postcode, no size
        ["unknown", "unknown", "unknown", "unmatched"],  # Nobody: no organisation
        ["withheld", "withheld", "withheld", "withheld"],
        ["unknown", "unknown", "unknown", "unmatched"],  # Twin Trust: two organisations, so neither
        ["local", "sme", "not-vcse", "matched"],
        ["local", "sme", "not-vcse", "matched"],
    ]
    assert classified["postcode_district"].tolist() == [
        "M14",
        "M14",
        "SK4",
        "EX4",
        None,
        None,
        None,
        None,
        "M15",
        "M15",
    ]
    assert classified["quarter"].astype(str).tolist() == [
        "2025-26 Q1",
        "2025-26 Q2",
        "2025-26 Q1",
        "2025-26 Q4",
        "2025-26 Q4",
        "2025-26 Q3",
        "2025-26 Q4",
        spend.NO_DATE,
        "2025-26 Q1",
        "2025-26 Q1",
    ]
    assert classified["service"].astype(str).tolist() == [
        "Care",
        "Care",
        "Not classified",  # "Not Classified" in the file
        "Not classified",  # blank
        "Care",
        "Transport",
        "Care",
        "Not classified",
        "Care",
        "Care",
    ]
    assert classified["withheld"].tolist() == [False] * 6 + [True] + [False] * 3
    assert classified.loc[6, "org_name"] is None or pd.isna(classified.loc[6, "org_name"])  # never named


def test_without_local_districts_there_is_no_locality(classified, tables):
    matched, _ = payees.match(tables)
    unlisted = spend.classify(matched, spend.Districts())
    assert set(unlisted["locality"].astype(str)) == {spend.NOT_LISTED, spend.WITHHELD}
    whole = spend.shares(unlisted, None, spend.Districts())
    assert not any(column.startswith(("local", "regional", "elsewhere")) for column in whole.columns)
    assert whole.loc[0, "sme_gbp"] == 1300.0


# --- shares -------------------------------------------------------------------------------------------------


def test_the_shares_of_the_whole_spend(classified):
    whole = spend.shares(classified, None, DISTRICTS).iloc[0]
    assert whole["group"] == spend.ALL_PAYMENTS
    assert (whole["paid_gbp"], whole["payments"], whole["credit_notes"], whole["credit_notes_gbp"]) == (
        TOTAL,
        10,
        2,
        -300.0,
    )
    expected = {
        "local": 800,
        "regional": 500,
        "elsewhere": 2000,
        "locality_unknown": 800,
        "sme": 1300,
        "large": 2000,
        "size_unknown": 800,
        "vcse": 800,
        "not_vcse": 2800,
        "vcse_unknown": 500,
        "matched": 3600,
        "unmatched": 500,
        "withheld": 1000,
    }
    for stem, amount in expected.items():
        assert whole[f"{stem}_gbp"] == amount, stem
        assert whole[f"{stem}_pct"] == pytest.approx(amount / TOTAL * 100), stem
    assert round(whole["local_pct"], 2) == 15.69  # 800 / 5,100
    assert round(whole["withheld_pct"], 2) == 19.61


def test_each_dimension_adds_up_to_the_whole(classified):
    found = spend.breakdown(classified, DISTRICTS)
    sums = found.groupby("dimension", sort=False)["paid_gbp"].sum()
    assert sums.to_dict() == {"locality": TOTAL, "size": TOTAL, "vcse": TOTAL, "supplier": TOTAL}
    locality = found[found["dimension"] == "locality"]
    assert locality[["category", "paid_gbp", "payments"]].to_numpy().tolist() == [
        ["local", 800.0, 4],
        ["regional", 500.0, 1],
        ["elsewhere", 2000.0, 1],
        ["unknown", 800.0, 3],
        ["withheld", 1000.0, 1],
    ]
    assert found["share_pct"].groupby(found["dimension"]).sum().round(9).tolist() == [100.0] * 4


def test_shares_by_quarter_are_in_time_order_with_undated_payments_last(classified):
    found = spend.shares(classified, "quarter", DISTRICTS)
    assert found[
        ["group", "paid_gbp", "payments", "local_gbp", "regional_gbp", "withheld_gbp"]
    ].to_numpy().tolist() == [
        ["2025-26 Q1", 1500.0, 4, 1000.0, 500.0, 0.0],  # Alpha 1,000, Beta 500, Epsilon 100 - 100
        ["2025-26 Q2", -200.0, 1, -200.0, 0.0, 0.0],  # only a credit note
        ["2025-26 Q3", 400.0, 1, 0.0, 0.0, 0.0],
        ["2025-26 Q4", 3300.0, 3, 0.0, 0.0, 1000.0],
        [spend.NO_DATE, 100.0, 1, 0.0, 0.0, 0.0],
    ]
    assert found.loc[0, "local_pct"] == pytest.approx(1000 / 1500 * 100)
    assert pd.isna(found.loc[1, "local_pct"])  # nothing was paid in all: no share


def test_shares_by_buyer_and_by_service_largest_first(classified):
    buyers = spend.shares(classified, "buyer", DISTRICTS)
    assert buyers[["group", "paid_gbp", "elsewhere_gbp"]].to_numpy().tolist() == [
        ["Council", 3100.0, 0.0],
        ["NHS", 2000.0, 2000.0],
    ]
    services = spend.shares(classified, "service", DISTRICTS)
    assert services[["group", "paid_gbp", "payments", "credit_notes"]].to_numpy().tolist() == [
        ["Not classified", 2600.0, 3, 0],
        ["Care", 2100.0, 6, 2],
        ["Transport", 400.0, 1, 0],
    ]
    assert services.loc[1, "withheld_pct"] == pytest.approx(1000 / 2100 * 100)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-50_000, max_value=500_000),
            st.sampled_from(["M14 5RR", "SK4 1AA", "EX4 1HS", None]),
            st.sampled_from(["sme", "large", None]),
            st.sampled_from([True, False, None]),
            st.sampled_from(["matched", "unmatched", "withheld"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_every_dimension_shares_out_the_whole_amount_exactly(rows):
    """Whatever the payments, each dimension's categories (withheld included) add up to the amount paid."""
    frame = pd.DataFrame(
        {
            "amount_gbp": [pence / 100 for pence, *_ in rows],
            "payment_date": pd.to_datetime(["2025-05-01"] * len(rows)),
            "match_method": ["redacted" if kind == "withheld" else "exact-name" for *_, kind in rows],
            "org_key": [f"org{n}" if kind == "matched" else None for n, (*_, kind) in enumerate(rows)],
            "postcode": [postcode for _, postcode, *_ in rows],
            "size": [size for _, _, size, *_ in rows],
            "vcse": pd.Series([vcse for *_, vcse, _ in rows], dtype=object),
        }
    )
    whole = spend.shares(spend.classify(frame, DISTRICTS), None, DISTRICTS).iloc[0]
    expected_pence = sum(pence for pence, *_ in rows)
    assert round(whole["paid_gbp"] * 100) == expected_pence
    for dimension, categories in spend.DIMENSIONS.items():
        total = sum(whole[f"{spend.STEMS[(dimension, c)]}_gbp"] for c in categories) + whole["withheld_gbp"]
        assert round(total * 100) == expected_pence, dimension


# --- organisations, suppliers and contracts -------------------------------------------------------------------


def test_what_each_organisation_was_paid(classified):
    found = spend.organisation_totals(classified)
    assert found[["name", "payments", "paid_gbp", "credit_notes", "locality"]].to_numpy().tolist() == [
        ["Gamma plc", 1, 2000.0, 0, "elsewhere"],
        ["Alpha Ltd", 2, 800.0, 1, "local"],
        ["Beta CIC", 1, 500.0, 0, "regional"],
        ["Delta Trust", 1, 300.0, 0, "unknown"],
        ["Epsilon Ltd", 2, 0.0, 1, "local"],
    ]
    assert found.loc[1, "first_payment"] == pd.Timestamp("2025-04-10")
    assert found.loc[1, "last_payment"] == pd.Timestamp("2025-07-01")
    suppliers = spend.supplier_totals(found)
    assert suppliers[["supplier_slug", "paid_gbp"]].to_numpy().tolist() == [
        ["alpha-ltd", 800.0],
        ["beta-cic", 500.0],
        ["gamma-plc", 2000.0],
    ]


def test_a_contract_counts_its_suppliers_payments_between_its_start_and_end(classified, tables):
    parties = model.supplier_parties(tables["contracts"], tables["contract_suppliers"])
    by_supplier, by_quarter = spend.contract_spend(classified, parties, tables["contracts"])
    assert by_supplier[["contract_id", "slug", "payments", "paid_gbp", "credit_notes"]].to_numpy().tolist() == [
        ["K1", "alpha-ltd", 1, -200.0, 1],  # 1 May to 31 December 2025: only the credit note of 1 July
        ["K2", "beta-cic", 1, 500.0, 0],  # no end date: every payment from 1 January 2025
        ["K4", "alpha-ltd", 2, 800.0, 1],  # K3's Zeta Ltd was paid nothing
        ["K4", "gamma-plc", 1, 2000.0, 0],
    ]
    assert by_quarter.to_numpy().tolist() == [
        ["K1", "2025-26 Q2", 1, -200.0],
        ["K2", "2025-26 Q1", 1, 500.0],
        ["K4", "2025-26 Q1", 1, 1000.0],
        ["K4", "2025-26 Q2", 1, -200.0],
        ["K4", "2025-26 Q4", 1, 2000.0],
    ]


# --- Local Multiplier 3 ---------------------------------------------------------------------------------------


def test_lm3_only_for_organisations_with_a_survey(classified):
    estimates = spend.lm3(spend.organisation_totals(classified))
    # Beta: 50% -> 1 + 0.5 + 0.25; Epsilon has a survey but was paid nothing (net); the others have none
    assert estimates.rows[["name", "round_1_gbp", "round_2_gbp", "round_3_gbp", "lm3"]].to_numpy().tolist() == [
        ["Beta CIC", 500.0, 250.0, 125.0, 1.75]
    ]
    assert estimates.surveyed_unpaid == 1
    assert estimates.total == pytest.approx(1.75)


def test_lm3_formula_and_total_of_several():
    assert spend.lm3_of(0) == 1
    assert spend.lm3_of(80) == pytest.approx(2.44)  # £10 -> £8 -> £6.40
    assert spend.lm3_of(35) == pytest.approx(1.4725)
    organisations = pd.DataFrame(
        {
            "org_key": ["a", "b", "c"],
            "org_id": [None, None, None],
            "name": ["A", "B", "C"],
            "supplier_slug": [None, "b", None],
            "paid_gbp": [1000.0, 3000.0, 500.0],
            "local_respend_pct": [80.0, 35.0, None],
            "respend_survey_date": pd.to_datetime(["2025-11-30", "2025-06-30", None]),
        }
    )
    estimates = spend.lm3(organisations)
    assert estimates.rows["name"].tolist() == ["A", "B"]  # C has no survey: no estimate
    assert (estimates.round_1_gbp, estimates.round_2_gbp, estimates.round_3_gbp) == (4000.0, 1850.0, 1007.5)
    assert estimates.total == pytest.approx((4000 + 1850 + 1007.5) / 4000)  # 1.714375
    assert spend.lm3(organisations.iloc[[2]]).total is None
    assert spend.lm3(organisations.iloc[[2]]).rows.empty


# --- the page model --------------------------------------------------------------------------------------------


def test_the_page_model_says_what_it_cannot_work_out(tables):
    matched, named = payees.match(tables)
    without = spend_pages.build_spend_pages(matched, named, read_settings({"PORTAL": {"area_name": "Trafford"}}))
    assert without.present and not without.localities_listed
    assert [c["text"] for c in without.columns] == ["SME", "VCSE", "Not matched", "Payee withheld"]
    assert [d["key"] for d in without.dimensions] == ["size", "vcse", "supplier"]
    assert without.charts["quarter"].caption.startswith("Share of the amount paid by the size of the supplier")
    assert without.lm3["rows"][0]["lm3_text"] == "1.75"
    assert without.totals["local_text"] == (
        "25.5% of the money went to small and medium-sized enterprises (SMEs) and 15.7% to voluntary, community "
        "and social enterprise (VCSE) organisations."
    )
    assert spend_pages.build_spend_pages(None, None, read_settings({})).present is False
    assert spend_pages.build_spend_pages(matched.iloc[0:0], named.iloc[0:0], read_settings({})).present is False


def test_the_classified_payments_download_is_written_like_every_csv(tables):
    matched, named = payees.match(tables)
    found = spend_pages.build_spend_pages(matched, named, read_settings({}))
    assert exports.to_csv_by_value(found.payments) == exports.to_csv(found.payments)
    lines = exports.to_csv_by_value(found.payments).decode().splitlines()
    assert lines[0] == ",".join(spend_pages.PAYMENT_COLUMNS)
    assert lines[2] == (
        "spend.csv,3,2025-07-01,-200,2025-26 Q2,Council,Care,,Alpha Ltd,exact-name,M14,not-listed,sme,not-vcse,matched"
    )
    mixed = pd.DataFrame(
        {
            "text": ["=SUM(A1)", "a, b", None, "a, b"],
            "number": [1.0, float("nan"), -2.5, 1.0],
            "day": pd.to_datetime(["2026-03-31", None, "2026-03-31", "2026-04-01"]),
            "flag": [True, False, True, True],
            "line": pd.array([2, None, 4, 2], dtype="Int64"),
            "kind": pd.Categorical(["x", "y", "x", None]),
        }
    )
    assert exports.to_csv_by_value(mixed) == exports.to_csv(mixed)
    assert exports.to_csv_by_value(mixed.iloc[0:0]) == exports.to_csv(mixed.iloc[0:0])
    assert exports.to_csv_by_value(pd.DataFrame({"only": [None, "x"]})) == exports.to_csv(
        pd.DataFrame({"only": [None, "x"]})
    )


def test_what_a_contract_page_says_about_its_suppliers_payments(tables):
    matched, named = payees.match(tables)
    contracts = tables["contracts"].assign(slug=tables["contracts"]["contract_id"].str.lower())
    parties = model.supplier_parties(tables["contracts"], tables["contract_suppliers"])
    found = spend_pages.build_spend_pages(matched, named, read_settings({}), contracts, parties).contract_spend
    period = "The published payments run from 10 April 2025 to 31 March 2026. "
    assert found["K1"]["summary_text"] == (
        f"{period}While this contract ran, from 1 May 2025 to 31 December 2025, its supplier was paid -£200 in "
        "1 payment (1 credit note): -2% of the contract's value."
    )
    assert found["K4"]["summary_text"].startswith(f"{period}While this contract ran, from 1 January 2025 to 31 March")
    assert [(s["name"], s["paid_text"]) for s in found["K4"]["suppliers"]] == [
        ("Alpha Ltd", "£800"),
        ("Gamma plc", "£2,000"),
    ]
    assert [(q["quarter"], q["paid_text"]) for q in found["K4"]["quarters"]] == [
        ("2025-26 Q1", "£1,000"),
        ("2025-26 Q2", "-£200"),
        ("2025-26 Q4", "£2,000"),
    ]
    assert found["K3"]["summary_text"] == (
        f"{period}None of them was to its supplier while this contract ran, from 1 January 2025 to 31 December 2026."
    )
    assert found["K5"]["summary_text"] == (
        f"{period}This contract runs from 1 January 2027 (it has no end date): outside that time, so no payment is "
        "counted for it."
    )
    assert found["K5"]["outside"] and not found["K3"]["outside"]
