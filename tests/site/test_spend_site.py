"""/spend/ and the spend sections of the supplier and contract pages, built from tests/fixtures/trafford: Trafford
Council's real spend sample (5,000 payments of March 2026) with an organisations fixture for some of its payees
and a Trafford identity listing Trafford's and Greater Manchester's postcode districts (illustrative).

Every figure is recomputed here from the fixture's payments.csv, with the payees each organisation of
organisations.csv (and of the invented contracts) is, as this table says (its postcode district, size, VCSE):

    Amey LG Ltd                          Amey LG Limited           M17 Trafford     large  not VCSE
    JP4LIFE Ltd T/A Prolife Healthcare   JP4Life Ltd               M41 Trafford     SME    not VCSE
    Trafford Carers Centre               Trafford Carers Centre    M33 Trafford     SME    VCSE (survey: 80%)
    The Together Trust                   The Together Trust        SK8 Greater Manchester  large  VCSE (survey: 35%)
    Greater Manchester Combined Authori  (its organisation)        M1  Greater Manchester  large  not VCSE
    Classic Care Homes (Devon) [Limited] Classic Care Homes ...    EX4 elsewhere    SME    not VCSE
    Care Outlook Ltd                     a contract's supplier     no postcode      SME    not VCSE
    Groundwork Greater Manchester, OT Creative Space CIC, Sale Moor Community Partnership Ltd: grant recipients,
    no postcode, size or VCSE flag.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal

import pytest

from conftest import build_site
from support.pagetext import page, summary
from support.sites import FIXTURES
from svportal.formatting import money, number

pytestmark = pytest.mark.site

TRAFFORD = FIXTURES / "trafford"
LOCAL = {"Amey LG Ltd", "JP4LIFE Ltd T/A Prolife Healthcare", "Trafford Carers Centre"}
REGIONAL = {"The Together Trust", "Greater Manchester Combined Authori"}
ELSEWHERE = {"Classic Care Homes (Devon)", "Classic Care Homes (Devon) Limited"}
SME = {"Classic Care Homes (Devon)", "Classic Care Homes (Devon) Limited", "JP4LIFE Ltd T/A Prolife Healthcare"}
SME |= {"Trafford Carers Centre", "Care Outlook Ltd"}
VCSE = {"The Together Trust", "Trafford Carers Centre"}
MATCHED = LOCAL | REGIONAL | ELSEWHERE | {"Care Outlook Ltd", "Groundwork Greater Manchester"}
MATCHED |= {"OT Creative Space CIC", "Sale Moor Community Partnership Ltd"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output = tmp_path_factory.mktemp("spend-site") / "output"
    assert build_site(TRAFFORD, output) == 0
    return output


@pytest.fixture(scope="module")
def payments() -> list[dict]:
    """The fixture's payments.csv, amounts as Decimal."""
    rows = list(csv.DictReader(io.StringIO((TRAFFORD / "payments.csv").read_text(encoding="utf-8"))))
    for row in rows:
        row["amount"] = Decimal(row["amount_gbp"])
    return rows


def paid(rows: list[dict], names: set[str] | None = None, withheld: bool = False) -> Decimal:
    """The sum of the payments to these payees (all when None; those withheld with ``withheld``)."""
    if withheld:
        return sum((r["amount"] for r in rows if r["redacted"] == "yes"), Decimal(0))
    return sum((r["amount"] for r in rows if names is None or r["beneficiary_name"] in names), Decimal(0))


def share(part: Decimal, whole: Decimal) -> str:
    return f"{number(float(part / whole * 100), places=1)}%"


def rows(soup, caption: str) -> list[list[str]]:
    table = next(t for t in soup.select("table") if t.caption.get_text(strip=True) == caption)
    return [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in table.select("tbody tr")]


def read_csv(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_the_figures_of_spend_are_those_of_payments_csv(site, payments):
    total = paid(payments)
    assert total == Decimal("16776300.73") and len(payments) == 5000
    credits = [r["amount"] for r in payments if r["amount"] < 0]
    spend = page(site, "spend")
    assert spend.find("h1").get_text(strip=True) == "Where the money goes"
    assert spend.select_one(".govuk-body-l").get_text(" ", strip=True) == (
        f"Trafford Council paid {money(total)} in 5,000 payments from 24 March 2026 to 31 March 2026, net of "
        f"{len(credits)} credit notes (negative amounts) worth {money(-sum(credits))}."
    )
    assert money(total) == "£16,776,301" and len(credits) == 418
    cards = [" ".join(card.get_text(" ", strip=True).split()) for card in spend.select(".app-card")]
    matched = paid(payments, MATCHED)
    assert cards == [
        "£16,776,301 paid in all (net)",
        "5,000 payments",
        "429 named payees",
        f"{share(matched, total)} of the money paid to payees matched to an organisation",
    ]
    local, regional = paid(payments, LOCAL), paid(payments, REGIONAL)
    sme, vcse, withheld = paid(payments, SME), paid(payments, VCSE), paid(payments, withheld=True)
    unmatched = total - matched - withheld
    assert (local, regional, sme, vcse) == (
        Decimal("1585967.91"),
        Decimal("985042.00"),
        Decimal("535358.60"),
        Decimal("812359.00"),
    )
    assert (unmatched, withheld) == (Decimal("11969671.30"), Decimal("1770380.42"))
    text = spend.get_text(" ", strip=True)
    assert (
        f"{share(local, total)} of the money went to suppliers based in Trafford and {share(regional, total)} to "
        f"suppliers elsewhere in Greater Manchester; {share(sme, total)} to small and medium-sized enterprises (SMEs) "
        f"and {share(vcse, total)} to voluntary, community and social enterprise (VCSE) organisations."
    ) in text
    assert "9.5% of the money went to suppliers based in Trafford" in text
    not_known = total - local - regional - paid(payments, ELSEWHERE) - withheld
    assert rows(spend, "Shares of the amount paid, by kind of supplier")[:6] == [
        ["Where the supplier is based"],
        ["Based in Trafford", money(local), share(local, total), "333"],
        ["Elsewhere in Greater Manchester", money(regional), share(regional, total), "47"],
        [
            "Outside Greater Manchester",
            money(paid(payments, ELSEWHERE)),
            share(paid(payments, ELSEWHERE), total),
            "225",
        ],
        ["Not known", money(not_known), share(not_known, total), "3,674"],
        ["Payee withheld (usually an individual)", money(withheld), share(withheld, total), "721"],
    ]
    assert f"{share(unmatched, total)} of the money went to payees that could not be matched" in text


def test_the_shares_download_recomputes_to_the_penny(site, payments):
    total = paid(payments)
    found = {(r["dimension"], r["category"]): r for r in read_csv(site / "spend" / "spend-shares.csv")}
    expected = {
        ("locality", "local"): paid(payments, LOCAL),
        ("locality", "regional"): paid(payments, REGIONAL),
        ("locality", "elsewhere"): paid(payments, ELSEWHERE),
        ("size", "sme"): paid(payments, SME),
        ("vcse", "vcse"): paid(payments, VCSE),
        ("supplier", "matched"): paid(payments, MATCHED),
        ("supplier", "withheld"): paid(payments, withheld=True),
    }
    for key, amount in expected.items():
        assert Decimal(found[key]["paid_gbp"]) == amount, key
        assert Decimal(found[key]["share_pct"]) == round(amount / total * 100, 2), key
    assert {key: found[key]["share_pct"] for key in expected} == {
        ("locality", "local"): "9.45",
        ("locality", "regional"): "5.87",
        ("locality", "elsewhere"): "1.81",
        ("size", "sme"): "3.19",
        ("vcse", "vcse"): "4.84",
        ("supplier", "matched"): "18.1",
        ("supplier", "withheld"): "10.55",
    }
    for dimension in ("locality", "size", "vcse", "supplier"):
        amounts = [Decimal(r["paid_gbp"]) for (d, _), r in found.items() if d == dimension]
        assert sum(amounts) == total, dimension


def test_every_payment_is_published_with_what_it_was_counted_as(site, payments):
    classified = read_csv(site / "spend" / "payments-classified.csv")
    assert [(r["source"], r["source_line"], Decimal(r["amount_gbp"])) for r in classified] == [
        (r["source"], r["source_line"], r["amount"]) for r in payments
    ]
    by_locality: dict[str, Decimal] = {}
    for row in classified:
        by_locality[row["locality"]] = by_locality.get(row["locality"], Decimal(0)) + Decimal(row["amount_gbp"])
    assert by_locality["local"] == paid(payments, LOCAL)
    assert by_locality["withheld"] == paid(payments, withheld=True)
    withheld = [r for r in classified if r["supplier"] == "withheld"]
    assert len(withheld) == 721 and all(r["organisation"] == "" and r["org_id"] == "" for r in withheld)
    local = {r["organisation"] for r in classified if r["locality"] == "local"}
    assert local == {"Amey LG Limited", "JP4Life Ltd", "Trafford Carers Centre"}
    assert {r["quarter"] for r in classified} == {"2025-26 Q4"}


def test_spend_by_quarter_buyer_and_service(site, payments):
    total = paid(payments)
    spend = page(site, "spend")
    quarter = rows(spend, "Shares of the amount paid, by financial quarter")
    assert quarter == [
        [
            "2025-26 Q4",
            money(total) + " 5,000 payments (418 credit notes)",
            "9.5%",
            "5.9%",
            "3.2%",
            "4.8%",
            share(total - paid(payments, MATCHED) - paid(payments, withheld=True), total),
            "10.6%",
        ]
    ]
    buyer = rows(spend, "Shares of the amount paid, by buyer")[0]
    assert [buyer[0], buyer[1].split(" ")[0]] == ["Trafford Council", money(total)]
    services = rows(spend, "Shares of the amount paid, by service")
    unclassified = sum(
        (r["amount"] for r in payments if r["proclass_label"].strip().casefold() in ("", "not classified")),
        Decimal(0),
    )
    assert [services[0][0], services[0][1].split(" ")[0]] == ["Not classified", money(unclassified)]
    labels = {
        r["proclass_label"] for r in payments if r["proclass_label"].strip().casefold() not in ("", "not classified")
    }
    assert len(services) == len(labels) + 1
    by_service = read_csv(site / "spend" / "spend-by-service.csv")
    assert sum(Decimal(r["paid_gbp"]) for r in by_service) == total
    chart = read_csv(site / "spend" / "charts" / "spend-by-quarter.csv")
    assert chart == [
        {
            "Financial quarter": "2025-26 Q4",
            "Paid (£)": "16776300.73",
            "Based in Trafford (%)": "9.5",
            "Elsewhere in Greater Manchester (%)": "5.9",
            "Outside Greater Manchester (%)": "1.8",
            "Not known (%)": "72.3",
            "Payee withheld (usually an individual) (%)": "10.6",
        }
    ]
    svg = spend.select_one("#chart-spend-quarter-title")
    assert svg is not None and "by financial quarter" in svg.get_text()


def test_the_menu_has_spend_when_the_data_has_payments(site, small_site):
    links = [a.get_text(strip=True) for a in page(site, "").select(".govuk-service-navigation__link")]
    assert "Spend" in links
    current = page(site, "spend").select_one(".govuk-service-navigation__item--active")
    assert current.get_text(strip=True) == "Spend"
    assert "Spend" not in [
        a.get_text(strip=True) for a in page(small_site, "").select(".govuk-service-navigation__link")
    ]
    assert not (small_site / "spend").exists()


def test_a_supplier_page_says_what_it_was_paid_beside_its_contract(site, payments):
    amey = [r for r in payments if r["beneficiary_name"] == "Amey LG Ltd"]
    amount = sum((r["amount"] for r in amey), Decimal(0))
    credit_notes = sum(1 for r in amey if r["amount"] < 0)
    days = sorted(r["payment_date"] for r in amey)
    assert (len(amey), amount, credit_notes, days[0], days[-1]) == (
        26,
        Decimal("1490580.41"),
        7,
        "2026-03-26",
        "2026-03-30",
    )
    supplier = page(site, "suppliers/amey-lg-limited")
    assert summary(supplier)["Paid by the commissioner"] == (
        "£1,490,580 in 26 payments (7 credit notes) from 26 March 2026 to 30 March 2026"
    )
    assert rows(supplier, "What Amey LG Limited was paid while each contract ran") == [
        [
            "Highways maintenance and repairs TMBC/PL/2024/001",
            "£18,000,000",
            "£1,490,580",
            "26 payments (7 credit notes)",
        ]
    ]
    assert "Local Multiplier 3" not in supplier.get_text()  # no survey, no estimate
    carers = page(site, "suppliers/gb-coh-04695523")
    assert "Local Multiplier 3 estimate: 2.44: it spends 80% of what it is paid in the area" in carers.get_text(
        " ", strip=True
    )


def test_a_contract_page_shows_spend_with_its_supplier_over_its_life(site, payments):
    contract = page(site, "contracts/tmbc-pl-2024-001")
    heading = contract.find(id="spend")
    assert heading.get_text(strip=True) == "Spend with this supplier"
    text = heading.find_next("p").get_text(" ", strip=True)
    assert text.startswith(
        "The published payments run from 24 March 2026 to 31 March 2026. While this contract ran, from 1 April "
        "2024 to 31 March 2029, its supplier was paid £1,490,580 in 26 payments (7 credit notes): 8.3% of the "
        "contract's value."
    )
    assert rows(contract, "Payments to the suppliers of Highways maintenance and repairs, by financial quarter") == [
        ["2025-26 Q4", "£1,490,580", "26 payments"]
    ]
    carers = page(site, "contracts/tmbc-asc-2025-022")
    assert "its supplier was paid £23,775 in 1 payment" in carers.find(id="spend").find_next("p").get_text(" ")


def test_lm3_only_for_the_organisations_with_a_survey(site, payments):
    spend = page(site, "spend")
    assert rows(spend, "Local Multiplier 3 estimates") == [
        ["The Together Trust", "35% survey of 30 June 2025", "£788,584", "£276,004", "£96,602", "1.47"],
        ["Trafford Carers Centre", "80% survey of 30 November 2025", "£23,775", "£19,020", "£15,216", "2.44"],
        ["All organisations with a survey", "–", "£812,359", "£295,024", "£111,818", "1.50"],
    ]
    estimates = read_csv(site / "spend" / "spend-lm3.csv")
    assert [(r["name"], r["lm3"]) for r in estimates] == [
        ("The Together Trust", "1.4725"),
        ("Trafford Carers Centre", "2.44"),
    ]


def test_without_postcode_districts_spend_says_what_it_cannot_work_out(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(TRAFFORD, data)
    identity = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    del identity["portal"]["local_postcode_districts"], identity["portal"]["regional_postcode_districts"]
    (data / "datapackage.json").write_text(json.dumps(identity), encoding="utf-8")
    output = tmp_path / "output"
    assert build_site(data, output) == 0
    spend = page(output, "spend")
    assert (
        spend.select_one(".govuk-inset-text")
        .get_text(" ", strip=True)
        .startswith(
            "The data does not list the postcode districts of Trafford and Greater Manchester, so the share paid to "
            "suppliers based locally or in the region cannot be worked out"
        )
    )
    assert rows(spend, "Shares of the amount paid, by financial quarter") == [
        ["2025-26 Q4", "£16,776,301 5,000 payments (418 credit notes)", "3.2%", "4.8%", "71.3%", "10.6%"]
    ]
    quarters = next(t for t in spend.select("table") if t.caption.get_text(strip=True).endswith("financial quarter"))
    assert [th.get_text(strip=True) for th in quarters.select("thead th")] == [
        "Financial quarter",
        "Amount paid",
        "SME",
        "VCSE",
        "Not matched",
        "Payee withheld",
    ]
    assert "Where the supplier is based" not in spend.get_text()
    assert "Based in Trafford" not in (output / "spend" / "spend-shares.csv").read_text(encoding="utf-8")
