"""Open data: /data/ validates as a Frictionless data package; every listing downloads exactly its rows."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import SMALL, build_site, edit_csv

pytestmark = pytest.mark.site


def soup_of(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def test_published_data_package_is_valid(small_site):
    frictionless = Path(sys.executable).with_name("frictionless")
    result = subprocess.run(
        [str(frictionless), "validate", str(small_site / "data" / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    package = json.loads((small_site / "data" / "datapackage.json").read_text())
    assert [r["name"] for r in package["resources"]][:5] == [
        "contracts",
        "contract_suppliers",
        "measures",
        "commitments",
        "outcomes",
    ]
    assert package["licenses"][0]["title"] == "Open Government Licence v3.0"
    assert package["created"] == "2026-11-23T00:00:00Z"


def test_json_downloads_use_null_and_iso_dates(small_site):
    text = (small_site / "data" / "contracts.json").read_text(encoding="utf-8")
    assert "NaN" not in text
    records = json.loads(text)
    second = next(r for r in records if r["contract_id"] == "MHCC-2026-002")
    assert second["start_date"] == "2026-10-15"  # published 15/10/2026
    assert second["buyer_id"] is None
    assert second["wards"] == ["All"]
    assert second["supplier_vcse"] is True
    assert records[0]["value_gbp"] == 1234567.5


def test_downloads_put_labels_beside_ids(small_site):
    with open(small_site / "data" / "commitments.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["contract_title"] == "Homecare in North Manchester"
    assert rows[0]["measure_title"] == "Local people hired"
    assert list(rows[0])[:5] == ["contract_id", "measure_id", "target", "due_date", "notes"]


def page_contract_ids(soup: BeautifulSoup) -> list[str]:
    return [
        td.select_one(".app-secondary").get_text(strip=True)
        for td in soup.select("table.app-table--contracts tbody tr td:first-child")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "contracts",
        "suppliers/gb-coh-01234567",
        "buyers/gb-lae-man",
        "priorities/create-employment-and-skills-opportunities",
        "contracts/type/sme",
        "contracts/based/regional",
        "contracts/status/no-returns-yet",
    ],
)
def test_every_listing_downloads_exactly_its_rows(small_site, path):
    soup = soup_of(small_site, path)
    shown = page_contract_ids(soup)
    assert shown
    links = [a["href"] for a in soup.select("#downloads ~ ul a")]
    csv_link = next(h for h in links if h.endswith(".csv"))
    json_link = next(h for h in links if h.endswith(".json"))
    with open(small_site / path / csv_link, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["contract_id"] for r in rows] == shown
    assert [r["contract_id"] for r in json.loads((small_site / path / json_link).read_text())] == shown
    assert "commitments_rated_good" in rows[0] and "cquin_linked" in rows[0]  # every published column, and the counts


def test_contract_page_downloads_its_own_records(small_site):
    folder = small_site / "contracts" / "mcc-asc-2024-001"
    soup = soup_of(small_site, "contracts/mcc-asc-2024-001")
    assert {a["href"] for a in soup.select("#downloads ~ ul a")} == {
        "contract.csv",
        "contract.json",
        "commitments.csv",
        "commitments.json",
        "outcomes.csv",
        "outcomes.json",
    }
    assert len(json.loads((folder / "commitments.json").read_text())) == 3
    outcomes = json.loads((folder / "outcomes.json").read_text())
    assert len(outcomes) == 24 and {o["contract_id"] for o in outcomes} == {"MCC/ASC/2024/001"}


def test_every_page_says_where_its_data_comes_from(small_site):
    for path in ["", "contracts", "contracts/mcc-asc-2024-001", "about", "data"]:
        text = soup_of(small_site, path).select_one(".app-provenance").get_text(" ", strip=True)
        assert "Site built 23 November 2026" in text
        assert "Open Government Licence v3.0" in text
    text = " ".join(soup_of(small_site, "contracts/mcc-asc-2024-001").select_one(".app-provenance").get_text().split())
    assert "built from contracts.csv, commitments.csv, outcomes.csv and measures.csv" in text
    assert "Data last updated 1 October 2026" in text


@pytest.mark.parametrize(
    "path, expected",
    [
        ("contracts/type/vcse", ["MHCC-2026-002"]),
        ("contracts/type/sme", ["MCC/ASC/2024/001", "MLCO/CH/25/003"]),
        ("contracts/based/local", ["MCC/ASC/2024/001", "MLCO/CH/25/003"]),
        ("contracts/status/good", ["MCC/ASC/2024/001"]),
        ("contracts/status/not-yet-due", ["MHCC-2026-002"]),
        ("contracts/status/no-returns-yet", ["MLCO/CH/25/003"]),
    ],
)
def test_facet_pages_list_exactly_the_matching_contracts(small_site, path, expected):
    assert sorted(page_contract_ids(soup_of(small_site, path))) == expected


def test_facet_pages_are_linked_from_the_contracts_list(small_site):
    links = [a["href"] for a in soup_of(small_site, "contracts").select("details a")]
    assert "../contracts/type/vcse/" in links and "../contracts/status/inadequate/" in links


# --- spreadsheet safety: no CSV cell is a formula; no file replaces another ---------------

HYPERLINK = '=HYPERLINK("http://evil.example","click")'
DDE = "+cmd|' /C calc'!A0"
FORMULA_STARTS = tuple("=+-@\uff1d\uff0b\uff0d\uff20")


def csv_rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def formula_cells(site: Path) -> list[tuple[str, str]]:
    """Every CSV cell of the site a spreadsheet would read as a formula (numbers apart)."""
    found = []
    for path in sorted(site.rglob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for cell in (c for row in csv.reader(f) for c in row):
                if cell.startswith(("\t", "\r", "\n")) or cell.lstrip().startswith(FORMULA_STARTS):
                    try:
                        float(cell)
                    except ValueError:
                        found.append((str(path.relative_to(site)), cell))
    return found


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """The small dataset with text cells that spreadsheets would run as formulas."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(SMALL, data)
    edit_csv(data / "contracts.csv", "Homecare in North Manchester", '"=HYPERLINK(""http://evil.example"",""click"")"')
    edit_csv(data / "measures.csv", "Local people hired", "-5 people hired")
    edit_csv(data / "measures.csv", "Create employment and skills opportunities", DDE)
    edit_csv(data / "outcomes.csv", "Payroll records", "\uff20SUM(A1)")
    output = data.parent / "output"
    assert build_site(data, output) == 0
    return output


def test_no_csv_cell_of_the_site_is_a_formula(hostile_site):
    assert len(list(hostile_site.rglob("*.csv"))) > 20
    assert formula_cells(hostile_site) == []


def test_hostile_text_is_prefixed_in_every_kind_of_csv_and_exact_in_json(hostile_site):
    contract = csv_rows(hostile_site / "data" / "contracts.csv")[0]
    assert contract["contract_id"] == "MCC/ASC/2024/001"
    assert contract["title"] == "'" + HYPERLINK
    assert contract["value_gbp"] == "1234567.5"  # numbers stay numbers
    record = json.loads((hostile_site / "data" / "contracts.json").read_text(encoding="utf-8"))[0]
    assert record["title"] == HYPERLINK
    folder = hostile_site / "contracts" / "mcc-asc-2024-001"
    assert csv_rows(folder / "contract.csv")[0]["title"] == "'" + HYPERLINK
    hires = next(r for r in csv_rows(folder / "commitments.csv") if r["measure_id"] == "EMP-01")
    assert (hires["contract_title"], hires["measure_title"], hires["priority"]) == (
        "'" + HYPERLINK,
        "'-5 people hired",
        "'" + DDE,
    )
    assert csv_rows(folder / "outcomes.csv")[0]["evidence"] == "'\uff20SUM(A1)"
    commitments = json.loads((folder / "commitments.json").read_text(encoding="utf-8"))
    hires = next(r for r in commitments if r["measure_id"] == "EMP-01")
    assert (hires["contract_title"], hires["measure_title"], hires["priority"]) == (HYPERLINK, "-5 people hired", DDE)
    assert json.loads((folder / "outcomes.json").read_text(encoding="utf-8"))[0]["evidence"] == "\uff20SUM(A1)"
    listed = {r["contract_id"]: r for r in csv_rows(hostile_site / "contracts" / "contracts.csv")}["MCC/ASC/2024/001"]
    assert listed["title"] == "'" + HYPERLINK
    # chart data: the home page's chart of priorities names the hostile priority
    with open(hostile_site / "charts" / "priorities.csv", encoding="utf-8", newline="") as f:
        assert "'" + DDE in [row[0] for row in csv.reader(f)]


def test_the_data_page_says_how_csv_text_is_protected(hostile_site):
    text = " ".join(soup_of(hostile_site, "data").get_text(" ").split())
    assert "prefixed with an apostrophe" in text and "The JSON files keep the exact text." in text


def rename_measures(data: Path, names: dict[str, str]) -> None:
    for old, new in names.items():
        for name in ("measures.csv", "commitments.csv", "outcomes.csv"):
            text = (data / name).read_text(encoding="utf-8")
            (data / name).write_text(text.replace(old, new), encoding="utf-8")


CLASHING = {"EMP-01": "contract", "GRN-01": "commitments", "RLW-01": "outcomes"}


def test_measures_named_like_downloads_do_not_replace_them(small_copy, tmp_path):
    rename_measures(small_copy, CLASHING)
    assert build_site(small_copy, tmp_path / "site") == 0
    folder = tmp_path / "site" / "contracts" / "mcc-asc-2024-001"
    assert [r["contract_id"] for r in csv_rows(folder / "contract.csv")] == ["MCC/ASC/2024/001"]
    assert {r["measure_id"] for r in csv_rows(folder / "commitments.csv")} == set(CLASHING.values())
    assert len(csv_rows(folder / "outcomes.csv")) == 24
    assert [r["contract_id"] for r in json.loads((folder / "contract.json").read_text())] == ["MCC/ASC/2024/001"]
    soup = soup_of(tmp_path / "site", "contracts/mcc-asc-2024-001")
    images = sorted(img["src"] for img in soup.select("figure.app-figure img"))
    assert images == ["charts/commitments.svg", "charts/contract.svg", "charts/outcomes.svg"]
    assert all((folder / image).read_text().startswith("<?xml") for image in images)
    assert {a["href"] for a in soup.select("figure.app-figure a[download]")} == {"quarters.csv"}
    assert {r["Measure id"] for r in csv_rows(folder / "quarters.csv")} == set(CLASHING.values())
    assert "contract.csv" in {a["href"] for a in soup.select("#downloads ~ ul a")}


def test_a_file_written_twice_stops_the_build_naming_both(small_copy, tmp_path, monkeypatch, capsys):
    from svportal.charts import Chart

    monkeypatch.setattr(Chart, "svg_path", property(lambda chart: chart.csv_name))  # contract.csv, beside the page
    rename_measures(small_copy, CLASHING)
    output = tmp_path / "site"
    assert build_site(small_copy, output) == 1
    assert not output.exists()
    assert (
        "error: contracts/mcc-asc-2024-001/contract.csv is written twice: by the chart of measure 'contract' of "
        "contract MCC/ASC/2024/001 and by the record of contract MCC/ASC/2024/001"
    ) in capsys.readouterr().err
