"""Real data, faithfully: another commissioner's data builds that commissioner's site, with no edits to the
settings or templates; a data folder with contracts.csv only builds; blank columns are "not published", never 0%.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import SMALL, build_site
from support.pagetext import page

pytestmark = pytest.mark.site

TRAFFORD = {
    "contributors": [{"title": "Trafford Council", "role": "publisher"}],
    "portal": {
        "area": "Trafford",
        "region": "Greater Manchester",
        "contact_email": "social.value@trafford.example.org",
        "mailing_list_url": "https://trafford.example.org/updates",
        "illustrative": False,
    },
}
BLANKED = ("real_living_wage", "supplier_vcse")  # blank in every row: their headline shares are not published


def contracts_only(folder: Path, identity: dict | None) -> Path:
    """A data folder with the small fixture's contracts.csv only (BLANKED columns emptied) and perhaps an identity."""
    folder.mkdir()
    rows = list(csv.DictReader(io.StringIO((SMALL / "contracts.csv").read_text(encoding="utf-8"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, **dict.fromkeys(BLANKED, "")} for row in rows)
    (folder / "contracts.csv").write_text(out.getvalue(), encoding="utf-8")
    if identity is not None:
        (folder / "datapackage.json").write_text(json.dumps(identity, indent=2), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def trafford_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("trafford")
    output = base / "output"
    assert build_site(contracts_only(base / "data", TRAFFORD), output) == 0
    return output


@pytest.fixture(scope="module")
def anonymous_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("anonymous")
    output = base / "output"
    assert build_site(contracts_only(base / "data", None), output) == 0
    return output


def text(soup, selector: str) -> str:
    return " ".join(element.get_text(" ", strip=True) for element in soup.select(selector))


def headline(soup) -> dict[str, str]:
    """The home page's headline figures: label -> figure."""
    return {
        card.select_one(".app-card__label").get_text(" ", strip=True): card.select_one(".app-card__figure").get_text(
            strip=True
        )
        for card in soup.select(".app-card")
    }


def test_another_publishers_site_names_that_publisher(trafford_site):
    home = page(trafford_site, "")
    assert home.title.get_text() == "Social value in Trafford"
    assert home.select_one(".govuk-generic-header__homepage-link").get_text(strip=True) == "Social value in Trafford"
    assert home.h1.get_text(strip=True) == "Social value in Trafford"
    assert "What suppliers to Trafford Council promised to give back to Trafford" in text(home, "main")
    assert "published by Trafford Council" in text(home, ".app-provenance")
    footer = home.select_one("footer")
    assert footer.select_one('a[href="mailto:social.value@trafford.example.org"]') is not None
    assert footer.select_one('a[href="https://trafford.example.org/updates"]') is not None
    assert "Contact Trafford Council" in footer.get_text(" ", strip=True)
    editorial = {"about", "news"}  # content/ is the publisher's own text (about.md still speaks of Manchester)
    everything = "".join(
        p.read_text(encoding="utf-8")
        for p in trafford_site.rglob("*.html")
        if p.relative_to(trafford_site).parts[0] not in editorial
    )
    assert "Social value in Manchester" not in everything and "illustrative" not in everything
    assert "Commissioning and Manchester Local Care Organisation" not in everything  # the sample's publishers
    package = json.loads((trafford_site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["contributors"] == [{"title": "Trafford Council", "role": "publisher"}]


def test_the_accessibility_statement_gives_the_publishers_contact(trafford_site):
    statement = page(trafford_site, "accessibility")
    prose = text(statement, ".app-prose")
    assert "applies to this website, Social value in Trafford" in prose
    assert "contracts of Trafford Council" in prose
    links = statement.select('.app-prose a[href="mailto:social.value@trafford.example.org"]')
    assert len(links) == 2  # to ask for another format, and to report a problem


def test_no_illustrative_notice_unless_the_data_says_so(trafford_site, anonymous_site, small_site):
    for site in (trafford_site, anonymous_site):
        for path in ("", "contracts", "accessibility", "data-quality"):
            assert page(site, path).select(".govuk-notification-banner") == [], (site, path)
    banner = page(small_site, "").select_one(".govuk-notification-banner")  # Manchester's illustrative data
    assert "The data on this site is illustrative" in banner.get_text()


def test_blank_headline_figures_are_not_published(trafford_site):
    figures = headline(page(trafford_site, ""))
    assert figures["of contract value with suppliers paying the Real Living Wage"] == "Not published"
    assert figures["of contract value with voluntary, community and social enterprise suppliers"] == "Not published"
    assert figures["of contract value with suppliers based in Trafford"] == "96%"  # a column with values
    shares = {
        tr.th.get_text(strip=True): tr.find_all("td")[-1].get_text(strip=True)
        for tr in page(trafford_site, "").select("#suppliers ~ div table tbody tr, #suppliers ~ table tbody tr")
    }
    assert shares["Paying the Real Living Wage"] == "Not published"
    assert shares["Based in Trafford"] == "96%"


def test_a_contracts_only_site_says_what_is_not_published_yet(trafford_site):
    assert "No social value commitments have been published yet." in text(page(trafford_site, ""), "main")
    assert "No opportunities have been published yet" in text(page(trafford_site, "opportunities"), "main")
    assert "No social value commitments have been published yet" in text(page(trafford_site, "priorities"), "main")
    assert "No outcome indicators have been published yet." in text(page(trafford_site, "indicators"), "main")
    contract = page(trafford_site, "contracts/mcc-asc-2024-001")
    assert "No social value commitments have been published for this contract." in text(contract, "main")
    quality = page(trafford_site, "data-quality")
    missing = [li.get_text(" ", strip=True) for li in quality.select("#missing ~ ul")[0].select("li")]
    files = {m.split(":")[0].strip() for m in missing}
    assert files >= {"measures.csv", "commitments.csv", "outcomes.csv", "opportunities.csv", "indicators.csv"}
    assert "contracts.csv" not in files


def test_without_datapackage_json_the_settings_defaults_apply(anonymous_site):
    home = page(anonymous_site, "")
    assert home.title.get_text() == "Social value transparency portal"
    assert "What suppliers to the commissioners promised to give back to the area" in text(home, "main")
    assert home.select_one("footer").select('a[href^="mailto:"]') == []
    statement = text(page(anonymous_site, "accessibility"), ".app-prose")
    assert "every contract page names the commissioner that let the contract" in statement


def test_invalid_identity_metadata_stops_the_build(tmp_path, capsys):
    wrong = {**TRAFFORD, "portal": {**TRAFFORD["portal"], "contact_email": "trafford council", "illustrative": "no"}}
    data = contracts_only(tmp_path / "data", wrong)
    assert build_site(data, tmp_path / "output") == 1
    err = capsys.readouterr().err
    assert 'datapackage.json: portal.contact_email: "trafford council" is not an email address' in err
    assert 'datapackage.json: portal.illustrative: "no" is not true or false' in err
    assert "2 problems in datapackage.json; nothing was published." in err


def test_table_schemas_unlike_the_projects_stop_the_build(tmp_path, capsys, contract):
    resources = json.loads(json.dumps(contract.descriptor["resources"]))
    contracts = next(r for r in resources if r["name"] == "contracts")
    contracts["schema"]["fields"][0]["name"] = "contract_ref"
    data = contracts_only(tmp_path / "data", {**TRAFFORD, "resources": resources})
    assert build_site(data, tmp_path / "output") == 1
    err = capsys.readouterr().err
    assert (
        'datapackage.json: resources[contracts].schema.fields[contract_ref].name: is "contract_ref" here but '
        '"contract_id" in the project\'s data contract' in err
    )


def test_the_publish_gates_accept_a_small_contracts_only_site(trafford_site):
    """A commissioner starting out (three contracts, no opportunities or priorities yet) can publish:
    the gates check every page it has and do not ask for the bundled sample's size."""
    from svportal.gates import broken_internal_links, run_gates

    assert len(list(trafford_site.rglob("*.html"))) < 100
    assert broken_internal_links(trafford_site, "") == []
    run_gates(trafford_site)  # raises GateError naming each failed gate
