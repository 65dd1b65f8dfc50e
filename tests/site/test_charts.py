"""Charts: the SVG, its caption, summary, table and CSV agree with the data; the cache works."""

import csv
import logging

import pytest
from bs4 import BeautifulSoup

from conftest import SMALL, build_site
from support.pagetext import chart_table

pytestmark = pytest.mark.site


def figures(site, path):
    soup = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")
    return soup.select("figure.app-figure")


def test_each_assessed_commitment_has_an_accessible_chart(small_site):
    found = figures(small_site, "contracts/mcc-asc-2024-001")
    assert len(found) == 3
    hires = next(f for f in found if f.figcaption.get_text().startswith("Local people hired"))
    # a contract's charts are images of SVG files beside the page (its HTML stays light), named by their
    # caption and described by their summary, like the SVG inside
    image = hires.select_one(".app-figure__graphic img")
    assert image["alt"] == hires.figcaption.get_text()
    assert hires.find(id=image["aria-describedby"]) is hires.select_one(".app-figure__summary")
    assert (image["width"], image["height"], image["loading"]) == ("608", "335", "lazy")
    assert image["src"] == "charts/emp-01.svg"
    svg = BeautifulSoup(
        (small_site / "contracts/mcc-asc-2024-001" / image["src"]).read_text(encoding="utf-8"), "xml"
    ).find("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title", id=title_id).get_text() == hires.figcaption.get_text()
    assert svg.find("desc", id=desc_id).get_text() == hires.select_one(".app-figure__summary").get_text()
    assert hires.select_one(".app-figure__summary").get_text() == (
        "By Jul-Sep 2026, 24 FTE had been delivered, against 19.99 FTE expected by then."
    )
    # no JavaScript needed, and nothing inside the SVG is exposed apart from its title and desc
    assert not svg.find_all(attrs={"role": True})[1:]
    assert "style=" not in str(svg)


def test_chart_table_and_csv_agree_with_the_returns(small_site):
    hires = next(
        f for f in figures(small_site, "contracts/mcc-asc-2024-001") if "Local people hired" in f.figcaption.get_text()
    )
    # the table is on the contract's quarters/ page, which the chart links to (the contract page stays light)
    table = chart_table(small_site, "contracts/mcc-asc-2024-001", hires)
    rows = [[c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert len(rows) == 8  # Oct-Dec 2024 to Jul-Sep 2026
    assert rows[0] == ["Oct-Dec 2024", "3", "3", "2.5", "Verified"]  # each return says whether it was verified
    assert rows[-1] == ["Jul-Sep 2026", "3", "24", "19.99", "Verified"]
    link = hires.find("a", download=True)["href"]
    assert link == "quarters.csv"  # one file for every chart of the contract
    with open(small_site / "contracts" / "mcc-asc-2024-001" / link, encoding="utf-8") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == [
        "Measure id",
        "Measure",
        "Unit",
        "Quarter",
        "Delivered in quarter",
        "Delivered to date",
        "Expected to date (target shared over time)",
        "Ceiling to date",
        "Level reported",
        "Latest level reported",
        "Target level",
        "Return",
    ]
    hired = [r for r in table if r["Measure id"] == "EMP-01"]
    assert [r["Quarter"] for r in hired] == [r[0] for r in rows]
    assert {(r["Unit"], r["Return"], r["Ceiling to date"], r["Target level"]) for r in hired} == {
        ("FTE", "Verified", "", "")
    }
    assert [float(r["Delivered to date"]) for r in hired] == [3, 6, 9, 12, 15, 18, 21, 24]
    assert [r["Expected to date (target shared over time)"] for r in hired][:2] == ["2.5", "4.96"]
    carbon = [r for r in table if r["Measure id"] == "GRN-01"]  # a ceiling: its own column, the others blank
    assert carbon[0]["Ceiling to date"] == "8.32" and carbon[0]["Expected to date (target shared over time)"] == ""
    assert {r["Measure id"] for r in table} == {"EMP-01", "GRN-01", "RLW-01"}


def test_each_chart_links_to_its_table_on_the_contracts_quarters_page(small_site):
    folder = "contracts/mcc-asc-2024-001"
    found = figures(small_site, folder)
    assert not [f for f in found if f.find("table")]  # the contract page stays light: no table in a figure
    quarters = BeautifulSoup((small_site / folder / "quarters/index.html").read_text(encoding="utf-8"), "lxml")
    assert quarters.h1.get_text() == "Quarter by quarter: Homecare in North Manchester"
    assert quarters.find("main").get("data-pagefind-body") is None  # search leaves a page of numbers out
    assert [a["href"] for a in quarters.select(".govuk-breadcrumbs a")][-1] == "../../../contracts/mcc-asc-2024-001/"
    for figure in found:
        link = figure.find("a", download=False, href=True)
        assert link.get_text() == "The data in this chart as a table"
        anchor = link["href"].removeprefix("quarters/#")
        table = quarters.find(id=anchor).find_next("table")
        assert table.caption.get_text() == figure.figcaption.get_text()
        back = table.find_parent("div").find_next("a")
        assert back.get_text() == "See this table as a chart"
        assert back["href"].endswith(f"/contracts/mcc-asc-2024-001/#{figure.find('p')['id']}")
    csv_link = quarters.find("a", download=True)["href"]
    assert csv_link == "../" + figure.find("a", download=True)["href"] == "../quarters.csv"
    assert (small_site / folder / "quarters" / csv_link).is_file()
    # a stacked row: its heading (the quarter) has no label; a long heading gives its cells a short one
    hires = quarters.find(id="chart-emp-01").find_next("table")
    headings = [th.get_text() for th in hires.thead.find_all("th")]
    assert headings[3] == "Expected to date (target shared over time) (FTE)"
    first = hires.tbody.tr
    assert first.th.get("data-label") is None
    assert [td["data-label"] for td in first.find_all("td")] == [
        "Delivered in quarter (FTE)",
        "Delivered to date (FTE)",
        "Expected to date (FTE)",
        "Return",
    ]


def test_every_contract_page_of_the_sample_is_light(sample_site):
    sizes = {p.parent.name: p.stat().st_size for p in (sample_site / "contracts").glob("*/index.html")}
    assert len(sizes) > 60
    assert max(sizes.values()) < 60_000, sorted(sizes.items(), key=lambda item: -item[1])[:3]


def test_a_quarter_without_a_return_shows_as_such(small_site):
    silent = figures(small_site, "contracts/mlco-ch-25-003")[0]
    table = chart_table(small_site, "contracts/mlco-ch-25-003", silent)
    first = [c.get_text(strip=True) for c in table.select("tbody tr")[0].find_all(["th", "td"])]
    assert first[:3] == ["Apr-Jun 2025", "No return", "0"]


def test_a_contract_not_started_has_no_chart_but_says_why(small_site):
    html = (small_site / "contracts" / "mhcc-2026-002" / "index.html").read_text(encoding="utf-8")
    assert "No quarter has ended since this contract started" in html
    assert not figures(small_site, "contracts/mhcc-2026-002")


def test_a_second_build_renders_no_chart(tmp_path, caplog):
    cache = tmp_path / "cache"
    with caplog.at_level(logging.INFO, logger="svportal"):
        assert build_site(SMALL, tmp_path / "one", chart_cache=str(cache)) == 0
        first = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Charts:")]
        caplog.clear()
        assert build_site(SMALL, tmp_path / "two", chart_cache=str(cache)) == 0
        second = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Charts:")]
    assert first[0].startswith("Charts: 6 rendered in 1 process, 0 from the cache")
    assert second[0].startswith("Charts: 0 rendered in 1 process, 6 from the cache")
    page = "contracts/mcc-asc-2024-001/index.html"
    assert (tmp_path / "one" / page).read_bytes() == (tmp_path / "two" / page).read_bytes()
