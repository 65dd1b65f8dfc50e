"""Places, built: /areas/ with its map and table, one page per ward and one for the whole area, the ward
filter of the contracts list, the contract pages' links to their wards; a data folder without the boundary
file (ward pages, no map) and one without wards.csv (the whole area only).

The fixture is support.wards.ward_data: the opportunities fixture (three contracts, eleven
opportunities) with six of Manchester's wards and the sample's boundary file, the contracts' wards written
the ways staff write them.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import BUILD_DATE, build_site
from support.pagetext import page, summary
from support.wards import ward_data

pytestmark = pytest.mark.site

HOMECARE, HOSTILE, CONNECTORS = "mcc-asc-2024-001", "mhcc-2026-002", "mlco-ch-25-003"
OPEN_FOR_BIDS = ["opp-today-1", "opp-tomorrow", "opp-edge-in", "opp-edge-out"]  # closing soonest first
ATTRIBUTION = "Contains National Statistics and OS data © Crown copyright and database right 2023"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("areas")
    output = base / "output"
    assert build_site(ward_data(base / "data"), output, build_date=BUILD_DATE) == 0
    return output


@pytest.fixture(scope="module")
def site_without_map(tmp_path_factory):
    base = tmp_path_factory.mktemp("areas-without-map")
    output = base / "output"
    assert build_site(ward_data(base / "data", boundaries=False), output, build_date=BUILD_DATE) == 0
    return output


def links(soup, selector: str) -> list[tuple[str, str]]:
    return [(a.get_text(" ", strip=True), a["href"]) for a in soup.select(selector)]


def slugs(soup, selector: str, folder: str) -> list[str]:
    """The slugs of the pages of ``folder`` linked from ``selector``, in order."""
    found = []
    for a in soup.select(selector):
        href = a["href"].rstrip("/")
        if f"/{folder}/" in a["href"] or a["href"].startswith(f"{folder}/"):
            found.append(href.rsplit("/", 1)[1])
    return found


def test_the_areas_page_lists_every_ward_with_its_figures(site):
    soup = page(site, "areas")
    assert soup.h1.get_text(strip=True) == "What serves each ward"
    rows = [
        [cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])] for tr in soup.select("table tbody tr")
    ]
    assert rows == [
        ["Ancoats & Beswick", "1", "1 of 3"],
        ["Cheetham", "1", "1 of 3"],
        ["Deansgate", "0", "None assessed"],
        ["Harpurhey", "1", "1 of 3"],
        ["Hulme", "1", "None assessed"],
        ["Moss Side", "1", "None assessed"],
    ]
    assert [href.split("areas/")[-1] for _, href in links(soup, "table tbody a")] == [
        "ancoats-and-beswick/",
        "cheetham/",
        "deansgate/",
        "harpurhey/",
        "hulme/",
        "moss-side/",
    ]
    text = soup.main.get_text(" ", strip=True)
    assert "All of Manchester : 1 contract, worth £50,000 in total." in text
    assert "Contracts that do not say which wards they serve" not in text  # every fixture contract says
    assert (site / "areas" / "areas.csv").read_text(encoding="utf-8").splitlines() == [
        "ward_code,name,contracts,value_gbp,commitments,commitments_assessed,commitments_rated_good,overdue_returns",
        "E05011350,Ancoats & Beswick,1,1234567.5,3,3,1,0",
        "E05011356,Cheetham,1,1234567.5,3,3,1,0",
        "E05011361,Deansgate,0,0,0,0,0,0",
        "E05011366,Harpurhey,1,1234567.5,3,3,1,0",
        "E05011368,Hulme,1,20000,1,0,0,1",
        "E05011372,Moss Side,1,20000,1,0,0,1",
        ",All of Manchester,1,50000,1,0,0,0",
    ]


def test_the_map_is_an_accessible_svg_with_the_same_figures_and_the_attribution(site):
    soup = page(site, "areas")
    (figure,) = soup.select("figure.app-figure")
    svg = figure.find("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title", id=title_id).get_text() == figure.figcaption.get_text() == "Contracts naming each ward"
    summary_text = figure.select_one(".app-figure__summary").get_text()
    assert svg.find("desc", id=desc_id).get_text() == summary_text
    assert summary_text == (
        "The number of contracts naming a ward runs from 0 (Deansgate) to 1 (5 wards); 1 more contract serves "
        "every ward of Manchester."
    )
    assert len(svg.select("path[fill]")) >= 5  # a shape for each ward (and the legend's)
    assert not svg.find_all(attrs={"role": True})[1:]  # nothing inside is exposed but the title and desc
    assert "style=" not in str(figure) and "http" not in str(svg).replace("http://www.w3.org/", "")
    assert f"Ward boundaries: {ATTRIBUTION}." in figure.get_text(" ", strip=True)
    rows = list(csv.reader(io.StringIO((site / "areas" / "charts" / "wards.csv").read_text(encoding="utf-8"))))
    assert rows == [
        ["Ward", "ONS code", "Contracts naming the ward", "Commitments assessed", "Commitments rated Good"],
        ["Ancoats & Beswick", "E05011350", "1", "3", "1"],
        ["Cheetham", "E05011356", "1", "3", "1"],
        ["Deansgate", "E05011361", "0", "0", "0"],
        ["Harpurhey", "E05011366", "1", "3", "1"],
        ["Hulme", "E05011368", "1", "0", "0"],
        ["Moss Side", "E05011372", "1", "0", "0"],
    ]
    assert figure.find("a", href=lambda h: h and h.endswith("areas/charts/wards.csv"))


def test_a_ward_page_lists_the_contracts_naming_it_and_the_open_opportunities(site):
    soup = page(site, "areas/moss-side")
    assert soup.h1.get_text(strip=True) == "Moss Side"
    assert soup.select_one(".govuk-caption-l").get_text(strip=True) == "Ward"
    assert summary(soup) == {
        "ONS ward code": "E05011372",
        "Contracts": "1 contract, worth £20,000 in total",
        "Commitments rated Good": "No commitments assessed yet",
        "Quarterly returns overdue": "1",
    }
    lead = soup.select_one(".govuk-body-l").get_text(" ", strip=True)
    assert lead == (
        "1 contract names Moss Side among the wards it serves. 1 more contract serves every ward of Manchester, "
        "Moss Side included: see the contracts serving every ward ."
    )
    assert slugs(soup, "table.app-table--contracts a", "contracts") == [CONNECTORS]
    assert slugs(soup, "table.app-table--opportunities a", "opportunities") == OPEN_FOR_BIDS
    assert "an organisation in Moss Side may bid for any of them" in soup.main.get_text(" ", strip=True)
    crumbs = [li.get_text(strip=True) for li in soup.select(".govuk-breadcrumbs__list-item")]
    assert crumbs == ["Home", "Areas", "Moss Side"]
    download = (site / "areas" / "moss-side" / "contracts.csv").read_text(encoding="utf-8").splitlines()
    assert len(download) == 2 and download[1].startswith("MLCO/CH/25/003,Community connectors,")


def test_a_ward_written_as_its_code_or_another_spelling_is_that_ward(site):
    for ward in ("cheetham", "ancoats-and-beswick", "harpurhey"):
        assert slugs(page(site, f"areas/{ward}"), "table.app-table--contracts a", "contracts") == [HOMECARE]
    hulme = page(site, "areas/hulme")
    assert slugs(hulme, "table.app-table--contracts a", "contracts") == [CONNECTORS]


def test_the_whole_area_page_lists_the_contracts_serving_every_ward(site):
    soup = page(site, "areas/whole-area")
    assert soup.h1.get_text(strip=True) == "All of Manchester"
    assert soup.select_one(".govuk-caption-l").get_text(strip=True) == "Every ward"
    assert slugs(soup, "table.app-table--contracts a", "contracts") == [HOSTILE]
    assert "<script>" not in str(soup.main).replace('<script type="module"', "")  # the hostile title is text
    assert slugs(soup, "table.app-table--opportunities a", "opportunities") == OPEN_FOR_BIDS


def test_a_ward_that_no_contract_names_says_so_and_still_lists_the_opportunities(site):
    soup = page(site, "areas/deansgate")
    assert (
        soup.select_one(".govuk-body-l")
        .get_text(" ", strip=True)
        .startswith(
            "No contract names Deansgate among the wards it serves. 1 more contract serves every ward of Manchester"
        )
    )
    assert summary(soup) == {
        "ONS ward code": "E05011361",
        "Contracts": "None",
        "Commitments rated Good": "No commitments assessed yet",
    }
    assert not soup.select("table.app-table--contracts") and not soup.select("script[src*='table-enhance']")
    assert "No social value commitments have been published for contracts here." in soup.get_text(" ", strip=True)
    assert slugs(soup, "table.app-table--opportunities a", "opportunities") == OPEN_FOR_BIDS


def test_contract_pages_link_each_ward_to_its_page_and_keep_what_names_none(site):
    wards = summary(page(site, f"contracts/{CONNECTORS}"))["Wards served"]
    assert wards == "Hulme , Moss Side , Mos Side"
    soup = page(site, f"contracts/{CONNECTORS}")
    (row,) = [r for r in soup.select(".govuk-summary-list__row") if r.dt.get_text(strip=True) == "Wards served"]
    assert [href.split("areas/")[-1] for _, href in links(row, "a")] == ["hulme/", "moss-side/"]
    homecare = page(site, f"contracts/{HOMECARE}")
    (row,) = [r for r in homecare.select(".govuk-summary-list__row") if r.dt.get_text(strip=True) == "Wards served"]
    assert links(row, "a")[0][0] == "Cheetham"  # E05011356, by its name
    hostile = page(site, f"contracts/{HOSTILE}")
    (row,) = [r for r in hostile.select(".govuk-summary-list__row") if r.dt.get_text(strip=True) == "Wards served"]
    assert [(text, href.split("areas/")[-1]) for text, href in links(row, "a")] == [
        ("All of Manchester", "whole-area/")
    ]


def test_moss_side_finds_its_contracts_in_the_contracts_list(site):
    soup = page(site, "contracts")
    facets = soup.select_one("details.govuk-details")
    group = next(h for h in facets.select("h2") if h.get_text(strip=True) == "Ward served")
    options = links(group.find_next_sibling("ul"), "a")
    assert [text for text, _ in options] == [
        "All of Manchester (1)",
        "Ancoats & Beswick (1)",
        "Cheetham (1)",
        "Deansgate (0)",
        "Harpurhey (1)",
        "Hulme (1)",
        "Moss Side (1)",
    ]
    assert dict(options)["Moss Side (1)"].endswith("areas/moss-side/")
    rows = {tr.a["href"].rstrip("/").rsplit("/", 1)[1]: json.loads(tr["data-wards"]) for tr in soup.select("tbody tr")}
    assert rows == {
        HOSTILE: ["All of Manchester"],
        CONNECTORS: ["Hulme", "Moss Side"],  # what the script's ward filter (and its text filter) match
        HOMECARE: ["Cheetham", "Harpurhey", "Ancoats & Beswick"],
    }


def test_a_ward_value_that_names_no_ward_is_on_the_data_quality_page(site):
    text = page(site, "data-quality").get_text(" ", strip=True)
    assert (
        "contracts.csv:4: wards: 'Mos Side' matches no ward of wards.csv by code, name or other name, nor a word for "
        "the whole area such as All: the contract is listed under no ward for it. Correct it, or add it to the "
        "ward's other_names"
    ) in text


def test_the_areas_are_in_the_header_menu_and_the_wards_dataset_is_published(site):
    home = page(site, "")
    menu = links(home, ".govuk-service-navigation a")
    assert [href for text, href in menu if text == "Areas"] == ["./areas/"]
    assert ("What serves your ward", "./areas/") in links(home, "main a")
    ward_page = page(site, "areas/hulme")
    (current,) = ward_page.select(".govuk-service-navigation__item--active a")
    assert current.get_text(strip=True) == "Areas"
    assert (
        (site / "data" / "wards.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .startswith("E05011350,Ancoats & Beswick,Ancoats and Beswick")
    )


def test_without_the_boundary_file_the_ward_pages_have_no_map(site_without_map):
    soup = page(site_without_map, "areas")
    assert soup.find("svg") is None
    assert "There is no map of the wards: their boundaries have not been published." in soup.get_text(" ", strip=True)
    assert len(soup.select("table tbody tr")) == 6
    assert not (site_without_map / "areas" / "charts").exists()
    moss_side = page(site_without_map, "areas/moss-side")
    assert slugs(moss_side, "table.app-table--contracts a", "contracts") == [CONNECTORS]


def test_without_wards_csv_only_the_whole_area_has_a_page(small_site):
    soup = page(small_site, "areas")
    text = soup.get_text(" ", strip=True)
    assert "The list of wards has not been published yet, so contracts cannot be grouped by ward." in text
    assert soup.find("svg") is None and not soup.select("table")
    assert sorted(p.name for p in (small_site / "areas").iterdir() if p.is_dir()) == ["whole-area"]
    assert slugs(page(small_site, "areas/whole-area"), "table.app-table--contracts a", "contracts") == [HOSTILE]
    wards = summary(page(small_site, f"contracts/{HOMECARE}"))["Wards served"]
    assert wards == "Cheetham, Harpurhey"  # as written, not links
    assert not page(small_site, f"contracts/{HOMECARE}").select(".govuk-summary-list a[href*='areas/']")


def test_a_hostile_ward_name_is_text_everywhere(tmp_path):
    data = ward_data(tmp_path / "data", boundaries=False)
    hostile = "Moss <b>Side</b> & 'Co' \"x\""
    text = (data / "wards.csv").read_text(encoding="utf-8")
    (data / "wards.csv").write_text(
        text.replace("E05011372,Moss Side,,", 'E05011372,"Moss <b>Side</b> & \'Co\' ""x""",Moss Side,'),
        encoding="utf-8",
    )
    output = tmp_path / "output"
    assert build_site(data, output, build_date=BUILD_DATE) == 0
    areas = page(output, "areas")
    assert [a.get_text() for a in areas.select("table tbody a")][-1] == hostile
    assert not areas.main.find("b")
    ward = page(output, "areas/moss-b-side-b-and-co-x")
    assert ward.h1.get_text() == hostile and not ward.main.find("b")
    rows = [json.loads(tr["data-wards"]) for tr in page(output, "contracts").select("tbody tr")]
    assert ["Hulme", hostile] in rows
    assert (output / "areas" / "areas.csv").read_text(encoding="utf-8").splitlines()[-2] == (
        'E05011372,"Moss <b>Side</b> & \'Co\' ""x""",1,20000,1,0,0,1'
    )
