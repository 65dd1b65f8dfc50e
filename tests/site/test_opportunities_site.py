"""The opportunity pages, filter pages, feeds and calendars of a whole built site."""

import datetime as dt
from pathlib import Path

import feedparser
import icalendar
import pytest
from bs4 import BeautifulSoup

from conftest import FIXTURES, build_site
from support.pagetext import page, summary

pytestmark = pytest.mark.site

FIXTURE = FIXTURES / "opportunities"
HOSTILE_TITLE = '<script>alert("x")</script> Youth clubs & "play", outdoors; together'
FOLLOW_FILES = ("feed.atom", "deadlines.ics")


@pytest.fixture(scope="module")
def site(opportunities_site) -> Path:
    """The opportunities fixture built once per run, as at 2026-11-23 (shared with tests/browser)."""
    return opportunities_site


def sections(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Each section's heading id and the titles listed under it (a section ends at the next h2)."""
    found = {}
    for h2 in soup.select("main h2[id]"):
        titles = []
        for sibling in h2.find_next_siblings():
            if sibling.name == "h2":
                break
            titles += [a.get_text() for a in sibling.select("tbody tr td:first-child > a")]
        found[h2["id"]] = titles
    return {
        k: v for k, v in found.items() if k in ("closing-soon", "open", "pipeline", "recently-closed", "closed-earlier")
    }


def rows(soup: BeautifulSoup, section: str) -> dict[str, list[str]]:
    table = soup.find("h2", id=section).find_next("table")
    return {
        tr.td.a.get_text(): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    }


# --- the listing ------------------------------------------------------------------------------


def test_listing_sections_as_of_the_build_date(site):
    soup = page(site, "opportunities")
    assert soup.h1.get_text() == "Opportunities"
    assert sections(soup) == {
        "closing-soon": [HOSTILE_TITLE, "Hospital discharge support", "Library volunteering quotes"],
        "open": ["Carers co-design fund"],
        "pipeline": ["Highways framework", "Mental health peer support"],
        "recently-closed": [
            "Warm spaces grants",
            "Community fridges",
            "Digital inclusion quotes",
            "Falls prevention programme",
        ],
        "closed-earlier": ["Food pantries 2025"],
    }


def test_listing_rows_show_route_value_closing_date_suitability_and_priorities(site):
    soup = page(site, "opportunities")
    soon = rows(soup, "closing-soon")
    assert soon[HOSTILE_TITLE][1:] == [
        "Grant",
        "£10,000 to £50,000",
        "23 November 2026 closes today",
        "VCSE",
        "Be part of a strong local community Keep the air clean",
    ]
    assert soon[HOSTILE_TITLE][0].startswith(HOSTILE_TITLE + " Manchester City Council")
    assert soon["Hospital discharge support"][1:5] == [
        "Tender",
        "From £25,000",
        "24 November 2026 closes tomorrow",
        "SME",
    ]
    assert soon["Library volunteering quotes"][2:5] == ["Up to £8,000", "7 December 2026 closes in 14 days", "VCSE SME"]
    assert rows(soup, "open")["Carers co-design fund"][2:4] == ["Not published", "8 December 2026 closes in 15 days"]
    # planned ones show when they are expected to start, and upcoming engagement events
    pipeline = rows(soup, "pipeline")
    assert pipeline["Mental health peer support"][3] == "1 April 2027"
    assert "Market engagement, Q&A; lunch: 9 December 2026" in pipeline["Mental health peer support"][0]
    # closed ones say whether they were awarded or cancelled
    closed = rows(soup, "recently-closed")
    assert closed["Falls prevention programme"][0].endswith("Awarded")
    assert closed["Digital inclusion quotes"][0].endswith("Cancelled")
    assert closed["Warm spaces grants"][0].endswith("Closed")
    assert closed["Warm spaces grants"][3] == "22 November 2026"
    assert [t.get_text() for t in soup.select(".govuk-tag") if t.get_text() == "VCSE"]


def test_listing_links_its_feed_calendar_and_filters(site):
    soup = page(site, "opportunities")
    feed = soup.head.find("link", rel="alternate", type="application/atom+xml")
    assert feed["href"] == "../opportunities/feed.atom"
    assert soup.head.find("link", rel="alternate", type="text/calendar")["href"] == "../opportunities/deadlines.ics"
    assert soup.find("a", string="Subscribe to this list")["href"] == "../opportunities/feed.atom"
    assert soup.find("a", string="Download the calendar (iCalendar file)")["href"] == "../opportunities/deadlines.ics"
    filters = soup.find("h2", string="Filter opportunities")
    assert filters is not None
    links = {a.get_text(): a["href"] for a in soup.select("#filters ~ .govuk-grid-row a")}
    assert links["Suitable for VCSE organisations"] == "../opportunities/vcse/"
    assert links["Suitable for small and medium-sized enterprises (SMEs)"] == "../opportunities/sme/"
    assert links["Manchester Local Care Organisation"] == "../opportunities/buyer/manchester-local-care-organisation/"
    assert links["Grant"] == "../opportunities/route/grant/"
    assert links["Keep the air clean"] == "../opportunities/priority/keep-the-air-clean/"


# --- filter pages -------------------------------------------------------------------------------


def listed(soup: BeautifulSoup) -> set[str]:
    return {a.get_text() for a in soup.select("main tbody tr td:first-child > a")}


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            "vcse",
            {
                HOSTILE_TITLE,
                "Library volunteering quotes",
                "Carers co-design fund",
                "Warm spaces grants",
                "Mental health peer support",
                "Falls prevention programme",
                "Food pantries 2025",
            },
        ),
        (
            "sme",
            {
                "Hospital discharge support",
                "Library volunteering quotes",
                "Mental health peer support",
                "Highways framework",
                "Digital inclusion quotes",
            },
        ),
        (
            "buyer/manchester-local-care-organisation",
            {"Hospital discharge support", "Falls prevention programme", "Digital inclusion quotes"},
        ),
        ("route/grant", {HOSTILE_TITLE, "Warm spaces grants", "Food pantries 2025", "Community fridges"}),
        ("route/co-design", {"Carers co-design fund"}),
        ("priority/be-part-of-a-strong-local-community", {HOSTILE_TITLE}),
        ("priority/provide-the-best-employment-that-you-can", {"Mental health peer support"}),
    ],
)
def test_filter_pages_list_exactly_the_matching_opportunities(site, path, expected):
    soup = page(site, f"opportunities/{path}")
    assert listed(soup) == expected
    assert soup.head.find("link", rel="alternate", type="application/atom+xml")["href"].endswith(
        f"opportunities/{path}/feed.atom"
    )
    assert soup.find("a", string="Subscribe to this list")["href"].endswith(f"opportunities/{path}/feed.atom")
    feed = feedparser.parse((site / "opportunities" / path / "feed.atom").read_bytes())
    assert not feed.bozo
    actionable = {
        t
        for t in expected
        if t
        not in {
            "Warm spaces grants",
            "Falls prevention programme",
            "Food pantries 2025",
            "Community fridges",
            "Digital inclusion quotes",
        }
    }
    assert {e.title for e in feed.entries} == actionable


def test_a_filter_page_keeps_the_sections_and_marks_itself(site):
    soup = page(site, "opportunities/vcse")
    assert soup.h1.get_text() == "Opportunities suitable for voluntary, community and social enterprise organisations"
    assert sections(soup)["closing-soon"] == [HOSTILE_TITLE, "Library volunteering quotes"]
    assert sections(soup)["open"] == ["Carers co-design fund"]
    current = soup.select('a[aria-current="page"]')
    assert [a.get_text() for a in current if "govuk-link" in a.get("class", [])] == ["Suitable for VCSE organisations"]


# --- one opportunity --------------------------------------------------------------------------------


def test_opportunity_page_shows_everything_published(site):
    soup = page(site, "opportunities/opp-today-1")
    assert soup.h1.get_text() == HOSTILE_TITLE
    facts = summary(soup)
    assert facts["Closing date"] == "23 November 2026: closes today"
    assert facts["Estimated value"] == "£10,000 to £50,000"
    assert facts["Route"] == "Grant"
    assert facts["Status"] == "Closing soon Published as Open"  # the stage's label in the contract
    assert facts["Suitable for VCSE organisations"] == "Yes"
    assert facts["Suitable for SMEs"] == "No"
    assert facts["Expected start"] == "4 January 2027"
    assert facts["Market engagement event"] == 'Drop-in, Q&A; bring "ideas" and questions 20 November 2026'
    assert facts["Contact"] == "youth@example.org"
    assert soup.find("a", href="mailto:youth@example.org") is not None
    notice = soup.find("a", string=lambda s: s and s.startswith("View the notice"))
    assert notice["href"] == "https://example.org/notice?a=1&b=2"
    assert "Open for bids until 23 November 2026: it closes today." in soup.main.get_text()
    # the description is plain text: shown as written, markup in it is neither run nor interpreted
    prose = soup.select_one(".app-prose")
    assert not prose.select("script, b, li, strong")
    assert prose.get_text("|", strip=True) == (
        'Pasted from a form: <script>alert("d")</script> & "quotes" <b>bold</b>|- one, two; three|- **safe** bold'
    )


def test_priorities_link_to_their_pages_only_when_the_portal_has_one(site):
    soup = page(site, "opportunities/opp-today-1")
    items = soup.find("h2", id="priorities").find_next("ul").find_all("li")
    assert [(li.get_text(), li.a["href"] if li.a else None) for li in items] == [
        ("Be part of a strong local community", "../../priorities/be-part-of-a-strong-local-community/"),
        ("Keep the air clean", None),
    ]


def test_status_of_closed_awarded_and_planned_opportunities(site):
    assert summary(page(site, "opportunities/opp-past"))["Status"] == "Closed Published as Open"
    assert summary(page(site, "opportunities/opp-awarded"))["Status"] == "Awarded"
    planned = page(site, "opportunities/opp-pipe-b")
    assert (
        "Planned: not open for bids yet. The contract is expected to start on 15 January 2027."
        in planned.main.get_text()
    )
    assert summary(planned)["Closing date"] == "Not published"
    assert summary(planned)["Contact"] == "Not published"


# --- hostile text ----------------------------------------------------------------------------------


def test_hostile_text_is_escaped_in_html(site):
    for html in (site / "opportunities").rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "<script>alert" not in text, html
        assert "<b>bold</b>" not in text, html
        assert not BeautifulSoup(text, "lxml").select("main script")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Youth clubs &amp; &#34;play&#34;" in home.replace(
        '"', "&#34;"
    )


def test_hostile_text_is_escaped_in_the_feed_and_calendar(site):
    atom = (site / "opportunities" / "feed.atom").read_bytes()
    assert b"<script>" not in atom
    assert HOSTILE_TITLE in [e.title for e in feedparser.parse(atom).entries]
    ics = (site / "opportunities" / "deadlines.ics").read_bytes()
    assert b"\\, outdoors\\; together" in ics.replace(b"\r\n ", b"")
    summaries = [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    assert f"Closing date: {HOSTILE_TITLE}" in summaries


# --- feeds and calendars -------------------------------------------------------------------------------


def test_main_feed_is_valid_atom_with_the_open_and_planned_opportunities(site):
    feed = feedparser.parse((site / "opportunities" / "feed.atom").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert sorted(e.title for e in feed.entries) == sorted(
        [
            HOSTILE_TITLE,
            "Hospital discharge support",
            "Library volunteering quotes",
            "Carers co-design fund",
            "Mental health peer support",
            "Highways framework",
        ]
    )
    assert all(e.id.startswith("tag:social-value-in-manchester,2026:opportunities/") for e in feed.entries)


def test_calendar_has_all_day_events_stamped_with_the_build_date(site):
    cal = icalendar.Calendar.from_ical((site / "opportunities" / "deadlines.ics").read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == 13  # 9 closing dates and 4 engagement events
    for event in events:
        assert event["DTSTAMP"].dt == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
        assert type(event["DTSTART"].dt) is dt.date
        assert event["DTEND"].dt - event["DTSTART"].dt == dt.timedelta(days=1)
    vcse = icalendar.Calendar.from_ical((site / "opportunities" / "vcse" / "deadlines.ics").read_bytes())
    assert len(vcse.walk("VEVENT")) == 9  # 6 closing dates, 3 events


def follow_files(site: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(site)): p.read_bytes()
        for name in FOLLOW_FILES
        for p in sorted((site / "opportunities").rglob(name))
    }


def test_feeds_and_calendars_are_byte_identical_across_builds(site, tmp_path):
    again = tmp_path / "out"
    assert build_site(FIXTURE, again, build_date="2026-11-23") == 0
    first, second = follow_files(site), follow_files(again)
    assert len(first) == 2 * 16 + 11  # the listing and its 15 filters, and the calendar of each opportunity
    assert first == second
    uids = lambda files: sorted(  # noqa: E731
        str(e["UID"]) for e in icalendar.Calendar.from_ical(files["opportunities/deadlines.ics"]).walk("VEVENT")
    )
    assert uids(first) == uids(second)


def test_a_later_build_date_moves_opportunities_but_keeps_their_uids(site, tmp_path):
    later = tmp_path / "later"
    assert build_site(FIXTURE, later, build_date="2026-11-24") == 0
    listing = sections(page(later, "opportunities"))
    # yesterday's 'closes today' has closed; what closes in 14 days has come into the window
    assert listing["closing-soon"] == [
        "Hospital discharge support",
        "Library volunteering quotes",
        "Carers co-design fund",
    ]
    assert listing["recently-closed"][0] == HOSTILE_TITLE
    read = lambda s: {  # noqa: E731
        str(e["UID"]): e
        for e in icalendar.Calendar.from_ical((s / "opportunities" / "deadlines.ics").read_bytes()).walk("VEVENT")
    }
    before, after = read(site), read(later)
    assert sorted(before) == sorted(after)
    assert after["closing-opp-tomorrow@unpublished.invalid"]["DTSTAMP"].dt.date() == dt.date(2026, 11, 24)


# --- home page and the whole site --------------------------------------------------------------------------


def test_home_page_lists_the_next_to_close(site):
    soup = page(site, "")
    heading = soup.find("h2", string="Opportunities closing next")
    items = heading.find_next("ul").find_all("li")
    assert [li.a.get_text() for li in items] == [
        HOSTILE_TITLE,
        "Hospital discharge support",
        "Library volunteering quotes",
        "Carers co-design fund",
    ]
    assert items[0].span.get_text() == "Manchester City Council: closing date 23 November 2026, closes today"
    assert soup.find("a", string="All opportunities")["href"] == "./opportunities/"


def test_home_page_without_opportunities(small_site):
    soup = page(small_site, "")
    heading = soup.find("h2", string="Opportunities closing next")
    assert heading is not None
    assert "No opportunities are open for bids at the moment." in soup.main.get_text()
    listing = page(small_site, "opportunities")
    assert "Nothing closes in the next 14 days." in listing.main.get_text()
    assert feedparser.parse((small_site / "opportunities" / "feed.atom").read_bytes()).entries == []
    assert (
        icalendar.Calendar.from_ical((small_site / "opportunities" / "deadlines.ics").read_bytes()).walk("VEVENT") == []
    )


def test_no_page_shows_missing_values_as_python_words(site):
    for html in [site / "index.html", *(site / "opportunities").rglob("*.html")]:
        text = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml").get_text(" ")
        for word in ("nan", "None", "NaT", "<NA>", "undefined"):
            assert f" {word} " not in f" {text} ", f"{word!r} shown on {html.relative_to(site)}"


def test_every_link_from_the_opportunity_pages_resolves(site):
    for html in [site / "index.html", *(site / "opportunities").rglob("*.html")]:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        for tag in soup.select("a[href], link[href], script[src]"):
            url = tag.get("href") or tag.get("src")
            if url.startswith(("https:", "mailto:")):
                continue
            if url.startswith("#"):
                assert soup.find(id=url[1:]), f"{html.relative_to(site)} links to missing anchor {url}"
                continue
            target = (html.parent / url.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{html.relative_to(site)} links to missing {url}"


def test_published_site_uses_absolute_addresses_in_feeds_and_calendars(tmp_path):
    output = tmp_path / "published"
    assert build_site(FIXTURE, output, build_date="2026-11-23", settings="publishconf.py") == 0
    feed = feedparser.parse((output / "opportunities" / "feed.atom").read_bytes())
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.title == "Hospital discharge support")
    assert entry.id == "tag:social-value.example.org,2026:opportunities/opp-tomorrow"
    assert entry.link == "https://social-value.example.org/opportunities/opp-tomorrow/"
    events = icalendar.Calendar.from_ical((output / "opportunities" / "deadlines.ics").read_bytes()).walk("VEVENT")
    event = next(e for e in events if e["UID"] == "closing-opp-tomorrow@social-value.example.org")
    assert str(event["URL"]) == "https://social-value.example.org/opportunities/opp-tomorrow/"
    assert page(output, "opportunities").head.find("link", type="application/atom+xml")["href"] == (
        "https://social-value.example.org/opportunities/feed.atom"
    )


def test_every_opportunity_list_downloads_exactly_its_rows(site):
    import csv
    import json

    from svportal.parse import slugify

    for folder in ["opportunities", "opportunities/vcse", "opportunities/sme", "opportunities/route/grant"]:
        soup = BeautifulSoup((site / folder / "index.html").read_text(encoding="utf-8"), "lxml")
        shown = {a["href"].rstrip("/").split("/")[-1] for a in soup.select("table.app-table--opportunities a[href]")}
        links = [a["href"] for a in soup.select("#downloads ~ ul a")]
        with open(site / folder / next(h for h in links if h.endswith(".csv")), encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        records = json.loads((site / folder / next(h for h in links if h.endswith(".json"))).read_text())
        assert [r["opportunity_id"] for r in rows] == [r["opportunity_id"] for r in records]
        assert {slugify(r["opportunity_id"]) for r in rows} == shown, folder
        assert "suitable_for_vcse" in rows[0] and "closing_date" in rows[0]
