"""Suppliers and buyers by organisation identifier, and contracts with several suppliers (model and page model).

The organisations fixture (tests/fixtures/organisations) has: one company under two spellings
(GB-COH-01234567: "Acme Care Ltd", then "ACME Care Limited"), a charity under four names
(GB-CHC-1123456), one name with two identifiers ("Northside Care Ltd"), a group with no identifier
("Hulme Friends Group"), and a joint award (MCC/HOM/2025/010: Acme lead, the charity a consortium
member, the group a subcontractor, £900,000).
"""

from __future__ import annotations

import pandas as pd
import pytest

from support.sites import BUILD_DATE, FIXTURES, ROOT, portal_settings
from svportal import model, pages
from svportal.load import load_dataset
from svportal.settings import read_settings

ORGANISATIONS = FIXTURES / "organisations"
JOINT = "MCC/HOM/2025/010"


@pytest.fixture(scope="module")
def dataset(contract):
    return load_dataset(ORGANISATIONS, contract)


@pytest.fixture(scope="module")
def site(dataset) -> pages.SiteData:
    settings = read_settings({**portal_settings(ORGANISATIONS, BUILD_DATE), "PATH": str(ROOT / "content")})
    return pages.build_site_data(dataset, settings)


def supplier(site, slug):
    return next(row for row in site.supplier_rows if row["slug"] == slug)


def test_two_spellings_of_one_identifier_are_one_page_with_the_latest_name(site):
    acme = supplier(site, "gb-coh-01234567")
    assert acme["name"] == "ACME Care Limited"  # the most recently updated contract's
    assert acme["other_names"] == ["Acme Care Ltd"]
    assert acme["also_known_as_text"] == "Acme Care Ltd"
    assert acme["contracts"] == 3


def test_four_names_of_one_identifier_are_one_page(site):
    charity = supplier(site, "gb-chc-1123456")
    assert charity["name"] == "BRIGHT FUTURES TRUST LTD"
    assert charity["other_names"] == ["Bright Futures Trust", "Bright Futures", "Bright Futures (Manchester)"]
    assert len(site.supplier_contracts["gb-chc-1123456"]) == 5  # its four contracts and the joint one
    assert len([row for row in site.supplier_rows if "bright" in row["name"].casefold()]) == 1


def test_one_name_with_two_identifiers_is_two_pages_told_apart_in_the_list(site):
    found = {row["slug"]: row["label"] for row in site.supplier_rows if row["name"] == "Northside Care Ltd"}
    assert found == {
        "gb-coh-01111111": "Northside Care Ltd (GB-COH-01111111)",
        "gb-coh-02222222": "Northside Care Ltd (GB-COH-02222222)",
    }
    assert supplier(site, "gb-coh-01111111")["supplier_type"] == "Large"
    assert supplier(site, "gb-coh-02222222")["supplier_type"] == "SME"


def test_no_identifier_falls_back_to_the_name_with_a_warning(site, dataset):
    group = supplier(site, "hulme-friends-group")
    assert group["org_id"] is None
    assert group["org_id_text"] == "Not published: known by its name"
    warnings = [str(p) for p in dataset.problems if not p.is_error and p.column == "supplier_id"]
    assert any(
        w.startswith("contracts.csv:10: supplier_id: is blank: 'Hulme Friends Group' is known by its name")
        for w in warnings
    )
    buyer_slugs = {row["slug"] for row in site.buyer_rows}
    assert buyer_slugs == {"gb-lae-man", "gb-nhs-14l", "manchester-local-care-organisation"}


def test_identity_is_per_contract_never_the_first_one(site):
    acme = supplier(site, "gb-coh-01234567")
    assert acme["supplier_type"] == "Large and SME, on different contracts"  # latest first
    identities = {c["contract_id"]: c["identity_text"] for c in site.supplier_contracts["gb-coh-01234567"]}
    assert identities["MCC/ASC/2024/001"].startswith("SME")
    assert identities["MHCC-2026-002"].startswith("Large")


def test_a_joint_award_is_listed_once_on_each_members_page_and_counted_once(site):
    for slug, role, others in [
        ("gb-coh-01234567", "Lead supplier", "Joint with Bright Futures Trust and Hulme Friends Group"),
        ("gb-chc-1123456", "Consortium member", "Joint with Acme Care Ltd and Hulme Friends Group"),
        ("hulme-friends-group", "Subcontractor", "Joint with Acme Care Ltd and Bright Futures Trust"),
    ]:
        listed = [c for c in site.supplier_contracts[slug] if c["contract_id"] == JOINT]
        assert len(listed) == 1
        assert (listed[0]["role_label"], listed[0]["joint_with_text"], listed[0]["value_gbp"]) == (role, others, 900000)
    acme = supplier(site, "gb-coh-01234567")
    assert acme["value_gbp"] == 1_000_000 + 50_000 + 900_000
    assert acme["joint_contracts"] == 1
    group = supplier(site, "hulme-friends-group")
    assert (group["contracts"], group["value_gbp"]) == (2, 903_000)
    joint = next(c for c in site.contracts if c["contract_id"] == JOINT)
    assert [(s["name"], s["role_label"]) for s in joint["suppliers"]] == [
        ("Acme Care Ltd", "Lead supplier"),
        ("Bright Futures Trust", "Consortium member"),
        ("Hulme Friends Group", "Subcontractor"),
    ]
    assert site.headline["value_gbp"] == sum(c["value_gbp"] for c in site.contracts)  # each contract once
    assert site.headline["suppliers"] == 5


def test_the_lead_listed_again_in_contract_suppliers_is_one_party(dataset):
    t = dataset.tables
    parties = model.supplier_parties(t["contracts"], t["contract_suppliers"])
    joint = parties[parties["contract_id"] == JOINT]
    assert joint["slug"].tolist() == ["gb-coh-01234567", "gb-chc-1123456", "hulme-friends-group"]
    assert joint["joint"].all() and not parties[parties["contract_id"] != JOINT]["joint"].any()


def test_a_name_that_looks_like_an_identifier_never_takes_its_page():
    slugs = model.organisation_slugs(
        pd.Series(["GB-COH-01234567", None]), pd.Series(["Acme", "GB COH 01234567"])
    ).tolist()
    assert slugs == ["gb-coh-01234567", "gb-coh-01234567" + model.NAME_FALLBACK_SUFFIX]
