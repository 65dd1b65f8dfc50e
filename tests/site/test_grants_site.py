"""The grants pages, built from tests/fixtures/grants: the organisations fixture and five grants.

    360G-MCC-2024-005            3,000     2024-06-01  Bright Futures (Manchester)  GB-CHC-1123456  no programme
    360G-MCC-2025-001            5,000     2025-04-01  Bright Futures Trust         GB-CHC-1123456  Community Fund
    360G-MCC-2026-002            1,500.50  2026-03-31  Hulme Friends Group          (its name)      Community Fund
    360G-MCC-2026-003            2,000     2026-04-01  Moss Side Youth Football Club  360G-MCC-ORG-77  Small Sparks
    360G-MCC-St-Mary's-2026-004    750     2026-10-15  St Mary's Sewing Circle      GB-CHC-1187654  Small Sparks

Bright Futures Trust (GB-CHC-1123456) and Hulme Friends Group (no identifier, on contracts and grant alike) are
suppliers: their grants are on their supplier pages. The other two have pages of their own under /grants/recipient/.
In all: 5 grants, £12,250.50 (shown £12,251), 4 recipients, 2 named programmes, 3 financial years.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil

import pytest

from conftest import build_site
from support.pagetext import page, summary
from support.sites import FIXTURES
from svportal import sitemap

pytestmark = pytest.mark.site

GRANTS = FIXTURES / "grants"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("grants-site") / "output"
    assert build_site(GRANTS, output) == 0
    return output


def rows(soup, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, each as its cells' text."""
    table = next(t for t in soup.select("table") if t.caption.get_text(strip=True) == caption)
    return [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in table.select("tbody tr")]


def links(soup, caption: str) -> dict[str, str]:
    """The links of the table with this caption: {text: href}."""
    table = next(t for t in soup.select("table") if t.caption.get_text(strip=True) == caption)
    return {a.get_text(strip=True): a["href"] for a in table.select("a")}


def read_csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_grants_page_gives_the_totals(site):
    grants = page(site, "grants")
    assert grants.find("h1").get_text(strip=True) == "Grants"
    lead = grants.select_one(".govuk-body-l").get_text(" ", strip=True)
    assert lead == "5 grants, worth £12,251 in total, awarded to 4 organisations from 1 June 2024 to 15 October 2026."
    cards = [" ".join(card.get_text(" ", strip=True).split()) for card in grants.select(".app-card")]
    assert cards == ["5 grants", "£12,251 awarded in total", "4 recipient organisations", "2 grant programmes"]
    assert "UK financial years, from 1 April to 31 March" in grants.get_text(" ", strip=True)


def test_the_grants_page_tables_by_year_programme_and_recipient(site):
    grants = page(site, "grants")
    assert rows(grants, "Grants by financial year") == [
        ["2024-25 1 April 2024 to 31 March 2025", "1", "£3,000", "1"],
        ["2025-26 1 April 2025 to 31 March 2026", "2", "£6,501", "2"],
        ["2026-27 1 April 2026 to 31 March 2027", "2", "£2,750", "2"],
    ]
    assert rows(grants, "Grants by programme") == [
        ["Community Fund CF", "2", "£6,501", "2"],
        ["Small Sparks SS", "2", "£2,750", "2"],
        ["Not in a named programme", "1", "£3,000", "1"],
    ]
    assert rows(grants, "Grants by recipient") == [
        ["Bright Futures Trust GB-CHC-1123456. Also a supplier", "2", "£8,000"],
        ["Moss Side Youth Football Club 360G-MCC-ORG-77", "1", "£2,000"],
        ["Hulme Friends Group Not published: known by its name. Also a supplier", "1", "£1,501"],
        ["St Mary's Sewing Circle GB-CHC-1187654", "1", "£750"],
    ]
    recipients = links(grants, "Grants by recipient")
    assert recipients["Bright Futures Trust"].endswith("/suppliers/gb-chc-1123456/")
    assert recipients["Hulme Friends Group"].endswith("/suppliers/hulme-friends-group/")
    assert recipients["Moss Side Youth Football Club"].endswith("/grants/recipient/360g-mcc-org-77/")
    listed = [row[0] for row in rows(grants, "All grants")]
    assert listed == [  # newest first
        "Sewing circle at St Mary's 360G-MCC-St-Mary's-2026-004",
        "Youth football kit 360G-MCC-2026-003",
        "Lunch club 360G-MCC-2026-002",
        "Warm spaces in Cheetham 360G-MCC-2025-001",
        "Community allotment 360G-MCC-2024-005",
    ]


def test_the_chart_of_amounts_by_year_has_its_alternatives(site):
    figure = page(site, "grants").select_one("figure.app-figure")
    assert figure.select_one("svg[role=img]") is not None
    assert figure.select_one("figcaption").get_text(strip=True) == (
        "Amount awarded in grants, by financial year (April to March)"
    )
    assert figure.select_one(".app-figure__summary").get_text(strip=True) == (
        "Grants worth £12,251 were awarded from 2024-25 to 2026-27: the most in 2025-26, £6,501."
    )
    assert (site / "grants" / "charts" / "grants-by-year.csv").read_text(encoding="utf-8") == (
        "Financial year,Grants,Amount awarded (£)\n2024-25,1,3000\n2025-26,2,6500.5\n2026-27,2,2750\n"
    )


def test_a_grant_page_shows_every_field(site):
    grant = page(site, "grants/360g-mcc-2025-001")
    assert grant.find("h1").get_text(strip=True) == "Warm spaces in Cheetham"
    assert grant.select_one(".govuk-caption-l").get_text(strip=True) == "Grant 360G-MCC-2025-001"
    assert [li.get_text(strip=True) for li in grant.select(".govuk-breadcrumbs__list-item")] == [
        "Home",
        "Grants",
        "Warm spaces in Cheetham",
    ]
    assert summary(grant) == {
        "Recipient": "Bright Futures Trust GB-CHC-1123456",
        "Recipient's charity number": "1123456",
        "Recipient's company number": "Not published",
        "Recipient's postcode": "M8 8EP",
        "Amount awarded": "£5,000",
        "Amount applied for": "£6,000",
        "Amount paid so far": "£2,500",
        "Award date": "1 April 2025 In the financial year 2025-26",
        "Planned start date": "1 May 2025",
        "Planned end date": "31 March 2026",
        "Planned duration": "11 months",
        "Programme": "Community Fund Code CF View the web page of the programme Community Fund",
        "From an open call for applications": "Yes",
        "Where the people who benefit live": "Cheetham (ward, geographic code E05011357)",
        "Funder": "Manchester City Council Neighbourhoods GB-LAE-MAN",
        "Web page": "View the web page about Warm spaces in Cheetham",
        "Data source": "View the data the grant was published in",
        "Last modified": "2 April 2025",
    }
    hrefs = {a.get_text(strip=True): a["href"] for a in grant.select(".govuk-summary-list a")}
    assert hrefs["Bright Futures Trust"].endswith("/suppliers/gb-chc-1123456/")
    assert hrefs["Manchester City Council"].endswith("/buyers/gb-lae-man/")
    assert hrefs["Community Fund"].endswith("/grants/programme/community-fund/")
    assert hrefs["2025-26"].endswith("/grants/year/2025-26/")
    assert hrefs["View the data the grant was published in"] == "https://example.org/360giving/grants.json"
    assert grant.select_one('[data-pagefind-filter="type"]').get_text() == "Grant"


def test_blank_planned_dates_read_not_published(site):
    facts = summary(page(site, "grants/360g-mcc-2026-002"))
    assert facts["Planned start date"] == "Not published"
    assert facts["Planned end date"] == "Not published"
    assert facts["Planned duration"] == "6 months"
    assert facts["Amount awarded"] == "£1,500.50"
    assert facts["Award date"] == "31 March 2026 In the financial year 2025-26"
    assert facts["From an open call for applications"] == "No"
    assert facts["Recipient"] == "Hulme Friends Group No organisation identifier published"


def test_a_programme_page_lists_its_grants(site):
    programme = page(site, "grants/programme/community-fund")
    assert programme.find("h1").get_text(strip=True) == "Community Fund"
    facts = summary(programme)
    assert facts["Grants"] == "2 grants, worth £6,501 in total"
    assert facts["Awarded"] == "1 April 2025 to 31 March 2026"
    assert facts["Programme code"] == "CF"
    assert [row[0] for row in rows(programme, "Grants in Community Fund")] == [
        "Lunch club 360G-MCC-2026-002",
        "Warm spaces in Cheetham 360G-MCC-2025-001",
    ]
    none = page(site, "grants/programme/no-programme")
    assert none.find("h1").get_text(strip=True) == "Not in a named programme"
    assert [row[-1] for row in rows(none, "Grants not in a named programme")] == ["£3,000"]


def test_a_year_page_lists_the_grants_of_that_financial_year(site):
    year = page(site, "grants/year/2026-27")
    assert year.find("h1").get_text(strip=True) == "Grants awarded in 2026-27"
    assert "1 April 2026 to 31 March 2027" in year.select_one(".govuk-body-l").get_text()
    assert summary(year) == {"Grants": "2 grants, worth £2,750 in total", "Recipients": "2", "Programmes": "1"}
    assert [row[0] for row in rows(year, "Grants awarded in 2026-27")] == [
        "Sewing circle at St Mary's 360G-MCC-St-Mary's-2026-004",
        "Youth football kit 360G-MCC-2026-003",  # awarded 1 April 2026: the first day of 2026-27
    ]


def test_a_recipient_with_no_other_page_has_its_own(site):
    recipient = page(site, "grants/recipient/gb-chc-1187654")
    assert recipient.find("h1").get_text(strip=True) == "St Mary's Sewing Circle"
    facts = summary(recipient)
    assert facts["Organisation identifier"] == "GB-CHC-1187654"
    assert facts["Charity number"] == "1187654"
    assert facts["Grants"] == "1 grant, worth £750"
    assert rows(recipient, "Grants received by St Mary's Sewing Circle") == [
        ["Sewing circle at St Mary's 360G-MCC-St-Mary's-2026-004", "Small Sparks", "15 October 2026", "£750"]
    ]


def test_one_organisation_one_page_with_its_contracts_and_its_grants(site):
    recipients = {p.name for p in (site / "grants" / "recipient").iterdir()}
    assert recipients == {"gb-chc-1187654", "360g-mcc-org-77"}  # no second page for the two suppliers
    supplier = page(site, "suppliers/gb-chc-1123456")
    assert summary(supplier)["Grants"] == "2 grants, worth £8,000 in total"
    contracts = [row[0] for row in rows(supplier, "Contracts held by BRIGHT FUTURES TRUST LTD")]
    assert "Park friends MCC/NBH/2023/004" in contracts
    assert supplier.select_one("h2#grants").get_text(strip=True) == "Grants"
    assert rows(supplier, "Grants received by BRIGHT FUTURES TRUST LTD") == [
        [
            "Warm spaces in Cheetham 360G-MCC-2025-001. To Bright Futures Trust",
            "Community Fund",
            "1 April 2025",
            "£5,000",
        ],
        [
            "Community allotment 360G-MCC-2024-005. To Bright Futures (Manchester)",
            "Not in a named programme",
            "1 June 2024",
            "£3,000",
        ],
    ]
    by_name = page(site, "suppliers/hulme-friends-group")
    assert [row[0] for row in rows(by_name, "Grants received by Hulme Friends Group")] == [
        "Lunch club 360G-MCC-2026-002"
    ]
    assert "Grants" not in summary(page(site, "suppliers/gb-coh-01234567"))  # Acme has contracts, no grants


def test_the_downloads_hold_the_right_rows(site):
    folder = site / "grants"
    assert [r["grant_id"] for r in read_csv(folder / "grants.csv")] == [
        "360G-MCC-St-Mary's-2026-004",
        "360G-MCC-2026-003",
        "360G-MCC-2026-002",
        "360G-MCC-2025-001",
        "360G-MCC-2024-005",
    ]
    by_programme = read_csv(folder / "grants-by-programme.csv")
    assert [(r["programme_title"], r["grants"], r["amount_awarded_gbp"]) for r in by_programme] == [
        ("Community Fund", "2", "6500.5"),
        ("Small Sparks", "2", "2750"),
        ("Not in a named programme", "1", "3000"),
    ]
    by_recipient = read_csv(folder / "grants-by-recipient.csv")
    assert [(r["recipient_org_id"], r["other_names"], r["amount_awarded_gbp"]) for r in by_recipient] == [
        ("GB-CHC-1123456", "Bright Futures (Manchester)", "8000"),
        ("360G-MCC-ORG-77", "", "2000"),
        ("", "", "1500.5"),
        ("GB-CHC-1187654", "", "750"),
    ]
    by_year = read_csv(folder / "grants-by-year.csv")
    assert [(r["financial_year"], r["starts"], r["ends"], r["grants"]) for r in by_year] == [
        ("2024-25", "2024-04-01", "2025-03-31", "1"),
        ("2025-26", "2025-04-01", "2026-03-31", "2"),
        ("2026-27", "2026-04-01", "2027-03-31", "2"),
    ]
    record = read_csv(folder / "360g-mcc-st-marys-2026-004" / "grant.csv")
    assert [(r["grant_id"], r["amount_awarded"], r["from_an_open_call"]) for r in record] == [
        ("360G-MCC-St-Mary's-2026-004", "750", "true")
    ]
    as_json = json.loads((folder / "360g-mcc-st-marys-2026-004" / "grant.json").read_text(encoding="utf-8"))
    assert [r["recipient_org_name"] for r in as_json] == ["St Mary's Sewing Circle"]
    assert [r["grant_id"] for r in read_csv(folder / "year" / "2025-26" / "grants.csv")] == [
        "360G-MCC-2026-002",
        "360G-MCC-2025-001",
    ]
    assert [r["grant_id"] for r in read_csv(folder / "programme" / "small-sparks" / "grants.csv")] == [
        "360G-MCC-St-Mary's-2026-004",
        "360G-MCC-2026-003",
    ]
    assert [r["grant_id"] for r in read_csv(folder / "recipient" / "360g-mcc-org-77" / "grants.csv")] == [
        "360G-MCC-2026-003"
    ]
    assert [r["grant_id"] for r in read_csv(site / "suppliers" / "gb-chc-1123456" / "grants.csv")] == [
        "360G-MCC-2025-001",
        "360G-MCC-2024-005",
    ]
    assert not (site / "suppliers" / "gb-coh-01234567" / "grants.csv").exists()


def test_the_menu_sitemap_and_search_include_the_grants(site):
    menu = {a.get_text(strip=True): a for a in page(site, "grants/year/2025-26").select(".govuk-service-navigation a")}
    assert list(menu)[:3] == ["Contracts", "Areas", "Grants"]
    assert menu["Grants"]["aria-current"] == "true"
    assert page(site, "grants").select_one('.govuk-service-navigation a[aria-current="page"]').get_text(strip=True) == (
        "Grants"
    )
    urls = sitemap.page_urls(site, "https://example.org")
    assert "https://example.org/grants/" in urls
    assert "https://example.org/grants/360g-mcc-st-marys-2026-004/" in urls
    assert "https://example.org/grants/recipient/gb-chc-1187654/" in urls
    indexed = set()
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        indexed.add(json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["url"])
    pages = {"/" + p.parent.relative_to(site).as_posix() + "/" for p in (site / "grants").rglob("index.html")}
    assert len(pages) == 14  # the list, 5 grants, 3 programmes, 2 recipients and 3 years
    assert pages <= indexed


def test_without_grants_there_is_no_grants_section(tmp_path):
    output = tmp_path / "output"
    assert build_site(FIXTURES / "organisations", output) == 0
    assert not (output / "grants").exists()
    menu = [a.get_text(strip=True) for a in page(output, "contracts").select(".govuk-service-navigation a")]
    assert "Grants" not in menu
    assert "Grants" not in summary(page(output, "suppliers/gb-chc-1123456"))


HOSTILE = '<script>alert("x")</script> & "quotes"'


def test_grant_text_is_shown_as_text_never_as_markup(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(GRANTS, data)
    with (data / "grants.csv").open("a", encoding="utf-8", newline="") as out:
        row = {"grant_id": "360G-MCC-2026-006", "title": HOSTILE, "description": HOSTILE, "currency": "EUR"}
        row |= {"amount_awarded": "100", "award_date": "2026-05-01", "recipient_org_name": f"{HOSTILE} Group"}
        row |= {"funding_org_name": "<b>Council</b>", "programme_title": HOSTILE}
        header = (GRANTS / "grants.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        csv.writer(out, lineterminator="\n").writerow([row.get(column, "") for column in header])
    output = tmp_path / "output"
    assert build_site(data, output) == 0
    for path in ("grants", "grants/360g-mcc-2026-006", "grants/recipient/script-alert-x-script-and-quotes-group"):
        soup = page(output, path)
        assert not soup.select("main script, main b"), path
        assert HOSTILE in soup.select_one("main").get_text(), path
    grant = page(output, "grants/360g-mcc-2026-006")
    assert grant.find("h1").get_text() == HOSTILE
    assert summary(grant)["Amount awarded"] == "100.00 EUR"
    assert summary(grant)["Currency"] == "EUR"
    assert "1 grant in EUR is counted, but not added to the amounts in pounds." in page(output, "grants").get_text()
