"""The grants model (plugins/svportal/grants.py) and page model (grant_pages.py), on small frames checked by hand.

Five grants (amounts in pounds unless said):

    A  Community Fund (CF)  1,000     2025-05-01  Alpha Trust               GB-CHC-1111111
    B  community fund (CF)    500.50  2026-01-10  Beta Group                (no identifier)
    C  Small Sparks           250     2026-04-01  Alpha Trust (Manchester)  GB-CHC-1111111
    D  code ONE-OFF only    2,000     2025-03-31  Gamma CIC                 GB-COH-01234567
    E  no programme         EUR 300   2024-12-01  Beta Group                12345 (no scheme: known by its name)

Financial years: D (31 March 2025) and E are in 2024-25, A and B in 2025-26, C (1 April 2026) in 2026-27.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from svportal import grant_pages, grants

COLUMNS = [
    "grant_id",
    "title",
    "currency",
    "amount_awarded",
    "award_date",
    "recipient_org_id",
    "recipient_org_name",
    "recipient_charity_number",
    "recipient_company_number",
    "funding_org_id",
    "funding_org_name",
    "programme_code",
    "programme_title",
    "programme_url",
    "last_modified",
]


def frame(rows: list[dict]) -> pd.DataFrame:
    """Grants as the loader gives them: every column, blanks as None, dates as datetimes, amounts as floats."""
    found = pd.DataFrame([{c: row.get(c) for c in COLUMNS} for row in rows], columns=COLUMNS).astype(object)
    for column in ("award_date", "last_modified"):
        found[column] = pd.to_datetime(found[column])
    found["amount_awarded"] = found["amount_awarded"].astype("float64")
    return found


FUNDER = {"funding_org_id": "GB-LAE-MAN", "funding_org_name": "Manchester City Council"}
A = dict(
    grant_id="A",
    title="Warm rooms",
    currency="GBP",
    amount_awarded=1000,
    award_date="2025-05-01",
    recipient_org_id="GB-CHC-1111111",
    recipient_org_name="Alpha Trust",
    recipient_charity_number="1111111",
    programme_code="CF",
    programme_title="Community Fund",
    programme_url="https://example.org/cf",
    **FUNDER,
)
B = dict(
    grant_id="B",
    title="Lunch club",
    amount_awarded=500.5,
    award_date="2026-01-10",
    recipient_org_name="Beta Group",
    programme_code="CF",
    programme_title="community fund",
    **FUNDER,
)
C = dict(
    grant_id="C",
    title="Kit",
    currency="GBP",
    amount_awarded=250,
    award_date="2026-04-01",
    recipient_org_id="GB-CHC-1111111",
    recipient_org_name="Alpha Trust (Manchester)",
    programme_title="Small Sparks",
    **FUNDER,
)
D = dict(
    grant_id="D",
    title="Roof",
    amount_awarded=2000,
    award_date="2025-03-31",
    recipient_org_id="GB-COH-01234567",
    recipient_org_name="Gamma CIC",
    recipient_company_number="01234567",
    programme_code="ONE-OFF",
    **FUNDER,
)
E = dict(
    grant_id="E",
    title="Exchange visit",
    currency="EUR",
    amount_awarded=300,
    award_date="2024-12-01",
    recipient_org_id="12345",
    recipient_org_name="Beta Group",
    **FUNDER,
)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return grants.grant_table(frame([A, B, C, D, E]))


# --- financial years ------------------------------------------------------------------------------


def test_financial_years_run_from_april_to_march():
    days = pd.Series(pd.to_datetime(["2026-03-31", "2026-04-01", "2025-12-31", "2000-01-15"]))
    assert grants.financial_year_start(days).tolist() == [2025, 2026, 2025, 1999]
    assert [grants.financial_year_label(y) for y in (2025, 2009, 1999)] == ["2025-26", "2009-10", "1999-00"]
    assert grant_pages.financial_year_period(2025) == "1 April 2025 to 31 March 2026"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_every_day_falls_in_the_financial_year_its_label_names(day):
    start = int(grants.financial_year_start(pd.Series([pd.Timestamp(day)])).iloc[0])
    assert dt.date(start, 4, 1) <= day <= dt.date(start + 1, 3, 31)
    assert grants.financial_year_label(start)[:4] == str(start)


# --- the grants ----------------------------------------------------------------------------------------


def test_the_grants_newest_first_with_their_year_programme_and_recipient(table):
    assert table["grant_id"].tolist() == ["C", "B", "A", "D", "E"]
    assert table["financial_year"].tolist() == ["2026-27", "2025-26", "2025-26", "2024-25", "2024-25"]
    assert table["programme"].tolist() == [
        "Small Sparks",
        "community fund",
        "Community Fund",
        "ONE-OFF",
        grants.NO_PROGRAMME,
    ]
    assert table["programme_slug"].tolist() == [
        "small-sparks",
        "community-fund",
        "community-fund",
        "one-off",
        "no-programme",
    ]
    assert table["recipient_key"].tolist() == [
        "id:gb-chc-1111111",
        "name:beta-group",
        "id:gb-chc-1111111",
        "id:gb-coh-01234567",
        "name:beta-group",  # 12345 has no scheme: the organisation is known by its name
    ]
    assert table["recipient_slug"].tolist() == [
        "gb-chc-1111111",
        "beta-group",
        "gb-chc-1111111",
        "gb-coh-01234567",
        "beta-group",
    ]
    assert table["amount_gbp"].tolist()[:4] == [250.0, 500.5, 1000.0, 2000.0]  # blank currency is GBP
    assert pd.isna(table["amount_gbp"].iloc[4])  # EUR: counted, not added


def test_totals_by_programme(table):
    found = grants.by_programme(table)
    assert found["programme"].tolist() == ["ONE-OFF", "community fund", "Small Sparks", grants.NO_PROGRAMME]
    assert found["grants"].tolist() == [1, 2, 1, 1]
    assert found["amount_gbp"].tolist() == [2000.0, 1500.5, 250.0, 0.0]
    assert found["other_currency"].tolist() == [0, 0, 0, 1]
    assert found["recipients"].tolist() == [1, 2, 1, 1]
    community = found.iloc[1]
    assert community["other_titles"] == ("Community Fund",)  # the latest title names it; the other is kept
    assert community["programme_codes"] == ("CF",)
    assert community["programme_url"] == "https://example.org/cf"
    assert (community["first_award"], community["last_award"]) == (
        pd.Timestamp("2025-05-01"),
        pd.Timestamp("2026-01-10"),
    )


def test_totals_by_recipient_keyed_by_identifier_else_by_name(table):
    found = grants.by_recipient(table)
    assert found["name"].tolist() == ["Gamma CIC", "Alpha Trust (Manchester)", "Beta Group"]
    assert found["grants"].tolist() == [1, 2, 2]
    assert found["amount_gbp"].tolist() == [2000.0, 1250.0, 500.5]
    assert found["other_currency"].tolist() == [0, 0, 1]
    assert found["org_id"].tolist()[:2] == ["GB-COH-01234567", "GB-CHC-1111111"]
    assert pd.isna(found["org_id"].iloc[2])  # 12345 is not an identifier it can be known by
    assert found["other_names"].tolist() == [(), ("Alpha Trust",), ()]
    assert found["charity_numbers"].tolist() == [(), ("1111111",), ()]
    assert found["company_numbers"].tolist() == [("01234567",), (), ()]
    assert found["programmes"].tolist() == [1, 2, 1]  # Beta Group: community fund, and no programme


def test_totals_by_financial_year(table):
    found = grants.by_year(table)
    assert found["financial_year"].tolist() == ["2024-25", "2025-26", "2026-27"]
    assert found["grants"].tolist() == [2, 2, 1]
    assert found["amount_gbp"].tolist() == [2000.0, 1500.5, 250.0]
    assert found["other_currency"].tolist() == [1, 0, 0]
    assert found["recipients"].tolist() == [2, 2, 1]
    assert found["programmes"].tolist() == [1, 1, 1]


def test_headline_totals(table):
    assert grants.totals(table) == {
        "grants": 5,
        "amount_gbp": 3750.5,
        "other_currency": 1,
        "currencies": ["EUR"],
        "recipients": 3,
        "programmes": 3,
        "years": 3,
        "first_award": dt.date(2024, 12, 1),
        "last_award": dt.date(2026, 4, 1),
    }


# --- page addresses ------------------------------------------------------------------------------------


def test_page_slugs_tell_keys_apart_and_fit_a_file_name():
    keys = pd.Series(["b", "a", "c", "d", "e"])
    slugs = pd.Series(["x", "x", "x-2", "y" * 200, ""])
    found = grants.page_slugs(keys, slugs, "programme").tolist()
    assert found == ["x-3", "x", "x-2", "y" * grants.SLUG_LIMIT, "programme"]


@given(st.lists(st.tuples(st.sampled_from("abcdefgh"), st.sampled_from(["", "x", "x-2", "z" * 160])), min_size=1))
def test_page_slugs_are_one_per_key_and_never_shared(pairs):
    keys, slugs = pd.Series([k for k, _ in pairs]), pd.Series([s for _, s in pairs])
    found = dict(zip(keys, grants.page_slugs(keys, slugs, "fallback")))
    assert len(set(found.values())) == len(found)
    assert all(0 < len(slug) <= grants.SLUG_LIMIT for slug in found.values())


def test_a_name_that_reads_like_an_identifier_does_not_take_its_page():
    found = grants.grant_table(
        frame(
            [
                {**D, "grant_id": "1"},
                {**B, "grant_id": "2", "recipient_org_name": "GB COH 01234567"},
            ]
        )
    )
    assert dict(zip(found["grant_id"], found["recipient_slug"])) == {
        "1": "gb-coh-01234567",
        "2": "gb-coh-01234567-by-name",
    }


# --- the page model --------------------------------------------------------------------------------


def parties(rows: list[tuple[str, str | None, str]]) -> pd.DataFrame:
    """Contract parties as model.supplier_parties gives them: (slug, org_id, name)."""
    return pd.DataFrame(rows, columns=["slug", "org_id", "name"]).astype(object)


@pytest.fixture(scope="module")
def site():
    suppliers = parties([("gb-chc-1111111", "GB-CHC-1111111", "Alpha Trust"), ("beta-group", None, "Beta Group")])
    buyers = parties([("gb-lae-man", "GB-LAE-MAN", "Manchester City Council")])
    source = frame([A, B, C, D, E])
    return grant_pages.build_grant_pages(source, suppliers, buyers, source.drop(columns=["last_modified"]))


def test_a_recipient_that_is_a_supplier_has_its_page_and_no_other(site):
    paths = {r["name"]: (r["path"], r["own_page"], r["also_text"]) for r in site.recipients}
    assert paths == {
        "Gamma CIC": ("grants/recipient/gb-coh-01234567/", True, None),
        "Alpha Trust (Manchester)": ("suppliers/gb-chc-1111111/", False, "Also a supplier"),
        "Beta Group": ("suppliers/beta-group/", False, "Also a supplier"),  # both known by the name
    }
    assert [r["name"] for r in site.recipient_pages] == ["Gamma CIC"]
    assert {slug: [g["grant_id"] for g in rows] for slug, rows in site.supplier_grants.items()} == {
        "gb-chc-1111111": ["C", "A"],
        "beta-group": ["B", "E"],
    }
    assert site.buyer_grants == {}
    assert {g["grant_id"]: g["funder_path"] for g in site.rows} == dict.fromkeys("CBADE", "buyers/gb-lae-man/")


def test_what_the_pages_say_of_amounts_and_totals(site):
    by_id = {g["grant_id"]: g for g in site.rows}
    assert by_id["B"]["amount_text"] == "£500.50"
    assert by_id["A"]["amount_text"] == "£1,000"
    assert by_id["E"]["amount_text"] == "300.00 EUR"
    assert site.supplier_grants["beta-group"].summary_text == (
        "2 grants, worth £501 in total (1 grant in another currency not added)"
    )
    assert site.totals["amount_text"] == "£3,751"
    assert site.totals["other_currency_text"] == "1 grant in EUR is counted, but not added to the amounts in pounds."
    assert site.chart.table.rows == [["2024-25", 2, 2000.0], ["2025-26", 2, 1500.5], ["2026-27", 1, 250.0]]
    assert site.chart.summary == (
        "Grants worth £3,751 were awarded from 2024-25 to 2026-27: the most in 2024-25, £2,000."
    )
    assert site.download(["E", "A"])["grant_id"].tolist() == ["E", "A"]


def test_blank_details_read_not_published():
    row = grant_pages.build_grant_pages(frame([B])).rows[0]
    assert (row["planned_start_text"], row["planned_end_text"], row["duration_text"]) == ("Not published",) * 3
    assert (row["applied_text"], row["open_call_text"], row["beneficiary_text"]) == ("Not published",) * 3


def test_no_grants_no_pages():
    empty = grant_pages.build_grant_pages(frame([]))
    assert (empty.rows, empty.chart, empty.totals, empty.supplier_grants) == ([], None, {}, {})


def test_a_recipient_that_is_a_buyer_has_the_buyers_page_and_a_supplier_comes_first():
    suppliers = parties([("gb-chc-1111111", "GB-CHC-1111111", "Alpha Trust")])
    buyers = parties([("gb-coh-01234567", "GB-COH-01234567", "Gamma"), ("gb-chc-1111111", "GB-CHC-1111111", "Alpha")])
    found = grant_pages.build_grant_pages(frame([A, C, D]), suppliers, buyers, frame([A, C, D]))
    assert {r["name"]: (r["path"], r["also_text"]) for r in found.recipients} == {
        "Gamma CIC": ("buyers/gb-coh-01234567/", "Also a buyer"),
        "Alpha Trust (Manchester)": ("suppliers/gb-chc-1111111/", "Also a supplier"),
    }
    assert found.recipient_pages == []
    assert {slug: [g["grant_id"] for g in rows] for slug, rows in found.buyer_grants.items()} == {
        "gb-coh-01234567": ["D"],
        "gb-chc-1111111": ["C", "A"],  # a supplier that is also a buyer lists its grants on both its pages
    }
    assert {slug: [g["grant_id"] for g in rows] for slug, rows in found.supplier_grants.items()} == {
        "gb-chc-1111111": ["C", "A"]
    }
