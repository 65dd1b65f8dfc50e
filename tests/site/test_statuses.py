"""Statuses people understand, on the built site: one vocabulary (the Procurement Act ratings), the overdue
flag beside the rating, why a contract needs attention, whole numbers for counts, verified returns, and
the small fixes (pence of a unit value, the provenance line, the glossary)."""

from __future__ import annotations

import re
import shutil

import pytest
from bs4 import BeautifulSoup

from conftest import SMALL, build_site, edit_csv
from support.pagetext import chart_table, page, page_text

pytestmark = pytest.mark.site

HOMECARE, CONNECTORS = "contracts/mcc-asc-2024-001", "contracts/mlco-ch-25-003"
RATINGS = ["Good", "Approaching target", "Requires improvement", "Inadequate"]


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def commitment_rows(soup) -> dict[str, list]:
    """The commitments table of a contract page: {measure: [its cells]} (cells as BeautifulSoup elements)."""
    return {tr.th.contents[0].strip(): tr.find_all("td") for tr in soup.select("#commitments ~ div table tbody tr")}


def tags(element) -> list[str]:
    return [text(t) for t in element.select("strong.govuk-tag")]


# --- contract pages -----------------------------------------------------------------------------------------


def test_an_overdue_return_is_its_own_flag_beside_the_status(small_site):
    soup = page(small_site, CONNECTORS)
    status = commitment_rows(soup)["Volunteering hours"][-1]
    assert tags(status) == ["No returns yet", "Return overdue"]
    assert "Return for the quarter to 30 Sep 2026 is overdue" in text(status)
    assert "1 return overdue" in tags(soup.select_one('ul[aria-label="Commitments at a glance"]'))
    heading = soup.find("h3", string="Volunteering hours")
    assert tags(heading.find_next_sibling("p")) == ["No returns yet", "Return overdue"]  # quarter by quarter too


def test_a_commitment_rated_without_an_overdue_return_has_no_flag(small_site):
    rows = commitment_rows(page(small_site, HOMECARE))
    assert {measure: tags(cells[-1]) for measure, cells in rows.items()} == {
        "Local people hired": ["Good"],
        "Carbon emitted in delivering the contract": ["Approaching target"],
        "Staff paid the Real Living Wage": ["Requires improvement"],
    }


def test_the_contract_page_says_what_the_ratings_mean(small_site):
    soup = page(small_site, HOMECARE)
    words = next(d for d in soup.select("details") if text(d.summary) == "What the ratings mean")
    items = [text(li) for li in words.select("li")]
    assert [tags(li) for li in words.select("li")][:7] == [
        [name] for name in [*RATINGS, "No returns yet", "Not yet due", "Return overdue"]
    ]
    assert items[0] == (
        "Good The supplier has delivered what was expected by now, or nearly all of it. "
        "Delivered: 95% or more of the amount expected by now."
    )
    assert items[3].endswith("Delivered: less than 50% of the amount expected by now.")
    assert items[7:] == [
        "Verified The commissioner has checked the return against the supplier's evidence.",
        "Reported by the supplier The figure is as the supplier reported it; the commissioner has not checked it yet.",
    ]
    link = soup.find("a", string="How delivery and statuses are worked out")
    assert link["href"] == "../../methodology/"


def test_each_return_says_whether_it_was_verified(small_site):
    soup = page(small_site, HOMECARE)
    delivered = {measure: text(cells[1]) for measure, cells in commitment_rows(soup).items()}
    assert delivered["Local people hired"] == "24 FTE All 8 returns verified"
    assert delivered["Carbon emitted in delivering the contract"] == "80 tCO2e Reported by the supplier, none verified"
    for caption, checked in (("Local people hired", "Verified"), ("Carbon emitted", "Reported by the supplier")):
        figure = next(f for f in soup.select("figure") if text(f.figcaption).startswith(caption))
        table = chart_table(small_site, HOMECARE, figure)
        assert [text(th) for th in table.select("thead th")][-1] == "Return"
        assert {text(tr.find_all("td")[-1]) for tr in table.select("tbody tr")} == {checked}


def test_a_quarter_without_a_return_says_so(small_site):
    figure = page(small_site, CONNECTORS).select_one("figure")
    first = [text(c) for c in chart_table(small_site, CONNECTORS, figure).select("tbody tr")[0].find_all(["th", "td"])]
    assert first == ["Apr-Jun 2025", "No return", "0", "28", "No return"]  # 27.7 hours expected: a whole number


# --- lists: one vocabulary -------------------------------------------------------------------------------


def test_lists_count_commitments_rated_good_and_say_what_needs_attention(small_site):
    soup = page(small_site, "contracts")
    headings = [text(th) for th in soup.select("table thead th")]
    assert headings[-1] == "Commitments rated Good"
    last = {text(tr.td.a): text(tr.find_all("td")[-1]) for tr in soup.select("table tbody tr")}
    assert last == {
        "Homecare in North Manchester": "1 of 3 1 commitment rated Requires improvement",
        "Community connectors": "Not assessed yet 1 return overdue",
        '<script>alert("x")</script> & Sons "Care"': "Not assessed yet",
    }
    assert "A commitment is rated Good when its supplier has delivered at least 95%" in text(soup.main)


def test_no_page_says_on_track(small_site):
    for html in small_site.rglob("*.html"):
        words = " ".join(page_text(html.read_bytes()).split()).lower()
        assert "on track" not in words, f"'on track' on {html.relative_to(small_site)}"


def test_the_filters_use_the_same_words(small_site):
    soup = page(small_site, "contracts")
    group = soup.find("h2", string="Status of a commitment").find_next_sibling("ul")
    assert [re.sub(r" \(\d+\)$", "", text(li)) for li in group.select("li")] == [
        *(f"At least one rated {rating}" for rating in RATINGS),
        "At least one with no returns yet",
        "At least one not yet due",
        "With a return overdue",
    ]
    overdue = page(small_site, "contracts/status/return-overdue")
    assert [text(tr.td.a) for tr in overdue.select("table tbody tr")] == ["Community connectors"]


def test_the_home_page_says_why_each_contract_needs_attention(small_site):
    soup = page(small_site, "")
    section = soup.find("h2", id="attention")
    assert text(section.find_next_sibling("p")).startswith(
        "2 contracts have a commitment rated Inadequate or Requires improvement, or a quarterly return that is overdue."
    )
    table = section.find_next("table")
    reasons = [(text(tr.td.a), text(tr.find_all("td")[-1].span)) for tr in table.select("tbody tr")]
    assert reasons == [  # the worst first: a rating below Approaching target before an overdue return
        ("Homecare in North Manchester", "1 commitment rated Requires improvement"),
        ("Community connectors", "1 return overdue"),
    ]
    cards = [text(li) for li in soup.select(".app-card")]
    assert "1 of 3 commitments rated Good as at 30 September 2026" in cards


def test_the_methodology_page_explains_every_word_in_one_line(small_site):
    soup = page(small_site, "methodology")
    rows = [[text(td) for td in tr.find_all("td")] for tr in soup.select("main table tbody tr")]
    assert [row[1] for row in rows] == ["95% or more", "80% to 95%", "50% to 80%", "less than 50%"]
    assert [row[0].split(" The ")[0] for row in rows] == RATINGS
    assert rows[0][0] == "Good The supplier has delivered what was expected by now, or nearly all of it."
    items = [text(li) for li in soup.select("main .app-prose li")]
    assert "Not yet due No return was due yet: the contract had not completed its first quarter." in items
    assert any(item.startswith("Return overdue The return for the latest complete quarter") for item in items)
    assert any(item.startswith("Verified The commissioner has checked") for item in items)


# --- the small fixes ---------------------------------------------------------------------------------------


def test_a_unit_value_keeps_its_pence(small_site):
    # COM-01's proxy value is £15.50 an hour (a total is whole pounds)
    assert "Estimated value, derived: £0 at £15.50 a unit." in text(page(small_site, ""))


def test_the_provenance_line_has_a_space_after_each_sentence(small_site):
    line = text(page(small_site, HOMECARE).select_one(".app-provenance p"))
    assert "Manchester Local Care Organisation. Data last updated 1 October 2026. Site built" in line


def test_the_glossary_explains_the_words_of_a_contract_page(small_site):
    link = page(small_site, HOMECARE).find("a", string="What these words mean")
    assert link["href"] == "../../about/#glossary"
    glossary = page(small_site, "about").find(id="glossary").find_next_sibling("dl")
    terms = {text(dt): text(dt.find_next_sibling("dd")) for dt in glossary.find_all("dt")}
    assert terms["CQUIN"].startswith("Commissioning for Quality and Innovation: an NHS scheme")
    assert terms["LCO"].startswith("Local care organisation. Manchester Local Care Organisation (MLCO)")
    assert terms["How it was let"].startswith("How the buyer chose the supplier (the procurement route)")


# --- counts in whole numbers, in agreement -----------------------------------------------------------------


@pytest.fixture(scope="module")
def counted_site(tmp_path_factory):
    """The small fixture with local hires counted in people (not FTE), its last return missing, and one
    person paid the Real Living Wage: a whole-number estimate, a singular unit, Inadequate and overdue at once."""
    data = tmp_path_factory.mktemp("counted") / "data"
    shutil.copytree(SMALL, data)
    edit_csv(data / "measures.csv", "Local people hired,FTE", "Local people hired,people")
    edit_csv(data / "outcomes.csv", "MCC/ASC/2024/001,EMP-01,2026-07-01,2026-09-30,3,verified,Payroll records\n", "")
    edit_csv(data / "outcomes.csv", "RLW-01,2026-07-01,2026-09-30,30,", "RLW-01,2026-07-01,2026-09-30,1,")
    output = data.parent / "output"
    assert build_site(data, output) == 0
    return output


def test_counts_read_as_whole_numbers_in_agreement(counted_site):
    cells = commitment_rows(page(counted_site, HOMECARE))
    rows = {measure: [text(td) for td in found] for measure, found in cells.items()}
    # expected 30 * 729 / 1094 = 19.99 people: 20 on the page; delivered as given
    hires, wage = rows["Local people hired"], rows["Staff paid the Real Living Wage"]
    assert hires[:4] == ["30 people by 30 September 2027", "21 people All 7 returns verified", "70%", "20 people"]
    assert tags(cells["Local people hired"][-1]) == ["Good", "Return overdue"]  # rated Good from the returns so far
    assert wage[1] == "1 person latest return Reported by the supplier, none verified"
    assert wage[-1] == "Inadequate"  # 1 of the 50 targeted


def test_a_count_chart_steps_by_whole_people(counted_site):
    soup = page(counted_site, HOMECARE)
    figure = next(f for f in soup.select("figure") if text(f.figcaption).startswith("Local people hired"))
    assert text(figure.select_one(".app-figure__summary")) == (
        "By Jul-Sep 2026, 21 people had been delivered, against 20 people expected by then."
    )
    expected = [text(tr.find_all("td")[2]) for tr in chart_table(counted_site, HOMECARE, figure).select("tbody tr")]
    assert expected == ["3", "5", "7", "10", "13", "15", "17", "20"]  # whole on the page (2.5 is 3, half up)
    svg = (counted_site / HOMECARE / figure.select_one(".app-figure__graphic img")["src"]).read_text(encoding="utf-8")
    labels = [t.get_text() for t in BeautifulSoup(svg, "xml").select("text")]
    ticks = [label for label in labels if re.fullmatch(r"[\d,.]+", label)]
    assert ticks and all(re.fullmatch(r"\d+", tick) for tick in ticks), ticks


def test_the_home_page_gives_both_reasons(counted_site):
    table = page(counted_site, "").find("h2", id="attention").find_next("table")
    reasons = {text(tr.td.a): text(tr.find_all("td")[-1].span) for tr in table.select("tbody tr")}
    assert reasons["Homecare in North Manchester"] == "1 commitment rated Inadequate; 1 return overdue"
