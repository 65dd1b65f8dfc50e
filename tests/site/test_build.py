"""Whole-site builds from fixture data, asserting on the HTML that comes out."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SMALL, build_site, edit_csv
from support.pagetext import page, summary
from support.sites import build_command

pytestmark = pytest.mark.site


def test_one_page_per_contract_supplier_and_buyer(small_site):
    lists = {"type", "based", "status"}  # the filtered lists of contracts
    assert sorted(p.name for p in (small_site / "contracts").iterdir() if p.is_dir() and p.name not in lists) == [
        "mcc-asc-2024-001",
        "mhcc-2026-002",
        "mlco-ch-25-003",
    ]
    # organisations are addressed by their org-id; one without an identifier falls back to its name
    assert sorted(p.name for p in (small_site / "suppliers").iterdir() if p.is_dir()) == [
        "gb-chc-1234567",
        "gb-coh-01234567",
    ]
    assert (small_site / "buyers" / "manchester-local-care-organisation" / "index.html").is_file()


def test_contract_page_shows_the_contract_and_its_commitments(small_site):
    soup = page(small_site, "contracts/mcc-asc-2024-001")
    assert soup.h1.get_text(strip=True) == "Homecare in North Manchester"
    facts = summary(soup)
    assert facts["Value"] == "£1,234,568 over the life of the contract"
    assert facts["Dates"] == "1 October 2024 to 30 September 2027"
    assert facts["Social value weighting"] == "25% of the award evaluation"
    assert facts["Pays the Real Living Wage"] == "Yes"
    assert facts["Ethical Care Charter"] == "Signed up"
    assert facts["Type of supplier"] == "SME, based in Manchester"
    assert facts["Last updated"] == "1 October 2026"
    rows = {
        tr.th.contents[0].strip(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("#commitments ~ div table tbody tr")
    }
    assert rows["Local people hired"] == [
        "30 FTE by 30 September 2027",
        "24 FTE All 8 returns verified",  # each commitment says whether its returns were verified
        "80%",
        "19.99 FTE",
        "Good",
    ]
    assert rows["Carbon emitted in delivering the contract"][-1] == "Approaching target"
    wage = rows["Staff paid the Real Living Wage"]
    assert wage[1] == "30 people latest return Reported by the supplier, none verified"
    assert wage[-1] == "Requires improvement"
    # the description is plain text: its lines are shown as written, Markdown is not interpreted
    prose = soup.select_one(".app-prose")
    assert not prose.select("li, strong, h1, h2, h3, pre, code")
    assert prose.get_text("|", strip=True) == "Care at home for adults.|- visits|- **reablement**"


def test_statuses_for_contracts_not_started_and_without_returns(small_site):
    not_started = page(small_site, "contracts/mhcc-2026-002")
    assert "Not yet due" in not_started.select_one("#commitments ~ div table").get_text()
    silent = (
        page(small_site, "contracts/mlco-ch-25-003").select_one("#commitments ~ div table").get_text(" ", strip=True)
    )
    assert "No returns yet" in silent
    assert "Return for the quarter to 30 Sep 2026 is overdue" in silent


def test_hostile_text_is_escaped(small_site):
    html = (small_site / "contracts" / "mhcc-2026-002" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    soup = BeautifulSoup(html, "lxml")
    assert soup.h1.get_text() == '<script>alert("x")</script> & Sons "Care"'
    assert "O'Brien & Daughters <Ltd>" in soup.get_text()
    assert not soup.select("main script")


def test_contracts_listing(small_site):
    soup = page(small_site, "contracts")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select("table tbody tr")]
    assert len(rows) == 3
    homecare = next(r for r in rows if r[0].startswith("Homecare"))
    assert homecare[1:] == [
        "Northside Care Ltd SME",
        "Manchester City Council",
        "£1,234,568",
        "25%",
        "1 of 3 1 commitment rated Requires improvement",  # rated Good, then why it needs attention
    ]


def test_no_page_shows_missing_values_as_python_words(small_site):
    for html in small_site.rglob("*.html"):
        text = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml").get_text(" ")
        for word in ("nan", "None", "NaT", "<NA>", "undefined"):
            assert f" {word} " not in f" {text} ", f"{word!r} shown on {html.relative_to(small_site)}"


def test_every_internal_link_resolves(small_site):
    for html in small_site.rglob("*.html"):
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        for tag in soup.select("a[href], link[href], script[src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(("https:", "mailto:", "#")):
                continue
            target = (html.parent / url.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{html.relative_to(small_site)} links to missing {url}"


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def run_build(data_dir: Path, output: Path) -> subprocess.CompletedProcess:
    """``make html`` without make: the same command line, in a new process."""
    env = {**os.environ, "DATADIR": str(data_dir), "BUILD_DATE": "2026-11-23", "PYTHONPATH": str(ROOT / "plugins")}
    return subprocess.run(
        build_command(output),
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_bad_data_stops_the_build_and_leaves_the_old_site_alone(tmp_path, small_copy):
    output = tmp_path / "output"
    assert run_build(SMALL, output).returncode == 0
    before = tree_digest(output)

    edit_csv(small_copy / "contracts.csv", '"£1,234,567.50"', "lots")
    edit_csv(small_copy / "commitments.csv", "MLCO/CH/25/003,COM-01", "MLCO/CH/25/999,COM-01")
    edit_csv(small_copy / "outcomes.csv", "2024-10-01,2024-12-31,3", "2024-10-01,2024-09-30,3")
    result = run_build(small_copy, output)

    assert result.returncode == 1
    assert result.stderr.splitlines()[-4:] == [
        "commitments.csv:6: contract_id: 'MLCO/CH/25/999' is not in contracts.csv",
        "contracts.csv:2: value_gbp: 'lots' is not an amount of money: write 1234.50, 1,234 or £1,234.50",
        "outcomes.csv:2: period_end: '2024-09-30' is before period_start '2024-10-01'",
        "3 problems in commitments.csv, contracts.csv, outcomes.csv; nothing was published.",
    ]
    assert tree_digest(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".output.builds", "data", "output"]
    assert len(list((tmp_path / ".output.builds").iterdir())) == 2  # the marker and the live build: nothing half-built


def test_a_rebuild_replaces_the_site(tmp_path, small_copy):
    output = tmp_path / "output"
    assert build_site(SMALL, output) == 0
    (output / "stale.html").write_text("old")
    edit_csv(small_copy / "contracts.csv", "Community connectors", "Community link workers")
    assert build_site(small_copy, output) == 0
    assert not (output / "stale.html").exists()
    assert page(output, "contracts/mlco-ch-25-003").h1.get_text() == "Community link workers"


def test_make_html_with_broken_data_lists_every_problem_and_keeps_the_old_site(tmp_path):
    """The command staff run: ``make html DATADIR=…`` on the bundled broken example."""
    output = tmp_path / "output"
    assert run_build(SMALL, output).returncode == 0
    before = tree_digest(output)
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "html",
            "DATADIR=tests/fixtures/broken",
            f"OUTPUTDIR={output}",
            "BUILD_DATE=2026-11-23",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode != 0
    problems = [line for line in result.stderr.splitlines() if line.endswith(".") or ": " in line]
    expected = [
        "contracts.csv:2: value_gbp: '£1,234,56' is not an amount of money: write 1234.50, 1,234 or £1,234.50",
        "contracts.csv:3: end_date: '31/03/2025' is before start_date '15/10/2026'",
        "contracts.csv:4: contract_id: 'MHCC-2026-002' is used again (first on line 3): it must be unique",
        "measures.csv:5: the file is not UTF-8 text (byte 0xA3 cannot be read). It looks like a Windows 'CSV' export "
        "(where £ is byte 0xA3): save it again as 'CSV UTF-8 (Comma delimited)'.",
        "outcomes.csv:16: period_end: '2026-09-31' is not a date: there is no day 2026-09-31",
        "6 problems in commitments.csv, contracts.csv, measures.csv, outcomes.csv; nothing was published.",
    ]
    for line in expected:
        assert line in problems, result.stderr
    assert tree_digest(output) == before


def test_a_plugin_that_fails_to_load_fails_the_build(tmp_path):
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nPLUGINS = ['svportal', 'no_such_plugin']\n"
    )
    env = {**os.environ, "DATADIR": str(SMALL), "BUILD_DATE": "2026-11-23", "PYTHONPATH": str(ROOT / "plugins")}
    result = subprocess.run(
        [sys.executable, "-m", "svportal", "build", "--settings", str(settings), "--output", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 1
    assert "no_such_plugin" in result.stdout + result.stderr
    assert "nothing was published" in result.stderr
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["settings.py"]  # no build folder, lock or link left
