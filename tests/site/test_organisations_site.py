"""Organisation pages, built from the organisations fixture: one page per identifier, names it was given,
the name fallback, one name with two identifiers, and a joint award on each member's page."""

from __future__ import annotations

import pytest

from conftest import build_site
from support.pagetext import page, summary
from support.sites import FIXTURES

ORGANISATIONS = FIXTURES / "organisations"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("organisations-site") / "output"
    assert build_site(ORGANISATIONS, output) == 0
    return output


def test_one_page_per_identifier_with_the_latest_name_and_the_others(site):
    acme = page(site, "suppliers/gb-coh-01234567")
    assert acme.find("h1").get_text(strip=True) == "ACME Care Limited"
    facts = summary(acme)
    assert facts["Organisation identifier"] == "GB-COH-01234567"
    assert facts["Also known as"] == "Acme Care Ltd"
    assert facts["Type of supplier"] == "Large and SME, on different contracts"
    assert facts["Contracts"].startswith("3, worth £1,950,000 in total (1 of them joint")
    charity = summary(page(site, "suppliers/gb-chc-1123456"))
    assert charity["Also known as"] == "Bright Futures Trust; Bright Futures; Bright Futures (Manchester)"
    assert not (site / "suppliers" / "acme-care-ltd").exists()


def test_the_lists_tell_apart_one_name_with_two_identifiers(site):
    links = {a.get_text(strip=True): a["href"] for a in page(site, "suppliers").select("table a")}
    assert links["Northside Care Ltd (GB-COH-01111111)"].endswith("/suppliers/gb-coh-01111111/")
    assert links["Northside Care Ltd (GB-COH-02222222)"].endswith("/suppliers/gb-coh-02222222/")
    assert links["ACME Care Limited"].endswith("/suppliers/gb-coh-01234567/")
    buyers = {a.get_text(strip=True): a["href"] for a in page(site, "buyers").select("table a")}
    assert buyers["Manchester City Council"].endswith("/buyers/gb-lae-man/")
    assert buyers["Manchester Local Care Organisation"].endswith("/buyers/manchester-local-care-organisation/")


def test_a_supplier_without_an_identifier_is_known_by_its_name(site):
    facts = summary(page(site, "suppliers/hulme-friends-group"))
    assert facts["Organisation identifier"] == "Not published: known by its name"
    quality = page(site, "data-quality").get_text(" ", strip=True)
    assert "'Hulme Friends Group' is known by its name" in quality


def test_each_member_lists_the_joint_award_once_at_its_full_value(site):
    for slug, role, others in [
        ("gb-coh-01234567", "Lead supplier", "Joint with Bright Futures Trust and Hulme Friends Group"),
        ("gb-chc-1123456", "Consortium member", "Joint with Acme Care Ltd and Hulme Friends Group"),
        ("hulme-friends-group", "Subcontractor", "Joint with Acme Care Ltd and Bright Futures Trust"),
    ]:
        rows = [
            row.get_text(" ", strip=True)
            for row in page(site, f"suppliers/{slug}").select("tbody tr")
            if "MCC/HOM/2025/010" in row.get_text()
        ]
        assert len(rows) == 1
        assert role in rows[0] and "£900,000" in rows[0] and others in rows[0]


def test_the_contract_page_lists_every_supplier_with_its_role(site):
    facts = summary(page(site, "contracts/mcc-hom-2025-010"))
    listed = facts["Suppliers"]
    for part in (
        "Acme Care Ltd : lead supplier GB-COH-01234567. SME, based in ",
        "Bright Futures Trust : consortium member GB-CHC-1123456. VCSE, based in ",
        "Hulme Friends Group : subcontractor VCSE, based in ",
    ):
        assert part in listed
    assert listed.index("Acme") < listed.index("Bright") < listed.index("Hulme")
    links = [a["href"] for a in page(site, "contracts/mcc-hom-2025-010").select(".govuk-summary-list a")]
    assert any(h.endswith("/suppliers/hulme-friends-group/") for h in links)
