"""Deadlines that follow you, and a way to reach the publisher, in whole built sites.

A ``make html`` build (no address of its own) offers each calendar as a download, with the instructions;
a ``make publish`` build (an absolute SITEURL) offers a webcal:// link and the calendar's address to copy.
Each opportunity page has a calendar of its own. Every page's footer gives the publisher's contact, and
the beta banner asks for feedback there.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import icalendar
import pytest
from bs4 import BeautifulSoup

from conftest import OPPORTUNITIES, build_site, edit_csv
from support.pagetext import page

pytestmark = pytest.mark.site

PUBLISHED = "https://social-value.example.org"  # publishconf.py's SITEURL
CONTACT_URL = "https://www.example.org/contact-social-value"
MAILING_LIST = "https://www.example.org/newsletters"
INSTRUCTIONS = [
    "Outlook: select Add calendar, then Subscribe from web.",
    "Google Calendar, on a computer: next to Other calendars select +, then From URL.",
    "Apple Calendar: choose File, then New Calendar Subscription (on an iPhone or iPad, select the subscribe link).",
]
NO_MAILING_LIST = (
    "There is no mailing list: Manchester City Council, Manchester Health and Care Commissioning and Manchester "
    "Local Care Organisation do not send these opportunities by email. Use the calendar or the feed, or come back "
    "to this page."
)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The opportunities fixture built as `make publish` builds it, by a publisher with a contact page (no email)
    and a mailing list, and with one closing date that has a time."""
    base = tmp_path_factory.mktemp("follow-published")
    data = base / "data"
    shutil.copytree(OPPORTUNITIES, data)
    identity = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    portal = {k: v for k, v in identity["portal"].items() if k != "contact_email"}
    identity["portal"] = {**portal, "contact_url": CONTACT_URL, "mailing_list_url": MAILING_LIST}
    (data / "datapackage.json").write_text(json.dumps(identity), encoding="utf-8")
    edit_csv(data / "opportunities.csv", "yes,yes,,,2026-12-07,", "yes,yes,,,2026-12-07T12:00:00Z,")
    output = base / "output"
    assert build_site(data, output, settings="publishconf.py") == 0
    return output


def follow(soup: BeautifulSoup):
    return soup.select_one("section.app-follow")


def text(element) -> str:
    return " ".join(element.get_text().split())


def calendar_uids(path: Path) -> list[str]:
    return sorted(str(e["UID"]) for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


# --- make html: download and instructions ---------------------------------------------------------------


def test_a_development_build_offers_the_calendar_as_a_download_with_the_instructions(opportunities_site):
    soup = page(opportunities_site, "opportunities")
    top = soup.select_one('main a[href="#follow"]')
    assert text(top.parent) == "Follow all opportunities in your calendar, in a feed reader or by email."
    section = follow(soup)
    assert section["aria-labelledby"] == "follow" and section.h2.get_text() == "Follow all opportunities"
    assert [h.get_text() for h in section.select("h3")] == ["In your calendar", "In a feed reader", "By email"]
    download = section.select_one("a[data-follow=download]")
    assert (download.get_text(), download["href"]) == (
        "Download the calendar (iCalendar file)",
        "../opportunities/deadlines.ics",
    )
    assert "they will not update" in text(download.parent)
    assert section.select("a[data-follow=subscribe], input, script") == []  # nothing to subscribe to, or copy
    assert [li.get_text() for li in section.select("ul.govuk-list--bullet li")] == INSTRUCTIONS
    assert section.find("a", string="Subscribe to this list")["href"] == "../opportunities/feed.atom"
    assert text(section.select("p")[-1]) == NO_MAILING_LIST
    assert "webcal:" not in (opportunities_site / "opportunities" / "index.html").read_text(encoding="utf-8")


def test_a_filter_page_follows_its_own_list(opportunities_site):
    section = follow(page(opportunities_site, "opportunities/vcse"))
    assert section.h2.get_text() == "Follow these opportunities"
    assert section.select_one("a[data-follow=download]")["href"] == "../../opportunities/vcse/deadlines.ics"
    assert section.find("a", string="Subscribe to this list")["href"] == "../../opportunities/vcse/feed.atom"


def test_each_opportunity_page_has_a_calendar_of_that_opportunity_only(opportunities_site):
    folders = sorted(p.parent for p in (opportunities_site / "opportunities").glob("opp-*/index.html"))
    assert len(folders) == 11
    dated = 0
    for folder in folders:
        slug = folder.name
        uids = calendar_uids(folder / "deadlines.ics")
        assert all(uid.split("@")[0] in (f"closing-{slug}", f"event-{slug}") for uid in uids), slug
        dated += bool(uids)
        soup = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
        assert follow(soup).select_one("a[data-follow=download]")["href"] == f"../../opportunities/{slug}/deadlines.ics"
    assert dated == 10  # all but the planned one with neither a closing date nor an event (opp-pipe-b)
    assert calendar_uids(opportunities_site / "opportunities" / "opp-edge-out" / "deadlines.ics") == [
        "closing-opp-edge-out@unpublished.invalid",
        "event-opp-edge-out@unpublished.invalid",
    ]
    section = follow(page(opportunities_site, "opportunities/opp-edge-out"))
    assert section.h2.get_text() == "Follow this opportunity"
    assert text(section.select_one("p")) == (
        "This calendar holds this opportunity's closing date and its market engagement event, and nothing else. "
        "Each closing date comes with reminders a week and a day before."
    )
    assert (
        section.find("a", string="Subscribe to the feed of all opportunities")["href"]
        == "../../opportunities/feed.atom"
    )


def test_a_planned_opportunity_says_its_calendar_will_show_the_closing_date(opportunities_site):
    section = follow(page(opportunities_site, "opportunities/opp-pipe-b"))
    assert text(section.select_one("p")).startswith(
        "No closing date has been published yet: this calendar will show it once it is."
    )
    assert calendar_uids(opportunities_site / "opportunities" / "opp-pipe-b" / "deadlines.ics") == []


# --- make publish: subscribe and copy the address -------------------------------------------------------------


def test_a_published_site_subscribes_with_webcal_and_gives_the_address_to_copy(published):
    section = follow(page(published, "opportunities"))
    subscribe = section.select_one("a[data-follow=subscribe]")
    assert (subscribe.get_text(), subscribe["href"]) == (
        "Subscribe in your calendar app",
        "webcal://social-value.example.org/opportunities/deadlines.ics",
    )
    address = section.select_one("input#calendar-address")
    assert address["value"] == f"{PUBLISHED}/opportunities/deadlines.ics"
    assert address.has_attr("readonly") and address["type"] == "text"
    assert section.select_one('label[for="calendar-address"]').get_text() == "Or copy this address into your calendar"
    assert address.find_parent(attrs={"data-copy": True}) is not None
    assert [s["src"] for s in section.select("script")] == [f"{PUBLISHED}/theme/js/copy.js"]
    assert (published / "theme" / "js" / "copy.js").is_file()
    assert section.select("a[data-follow=download]") == []
    assert [li.get_text() for li in section.select("ul.govuk-list--bullet li")] == INSTRUCTIONS


def test_a_published_opportunity_page_subscribes_to_its_own_calendar(published):
    section = follow(page(published, "opportunities/opp-edge-in"))
    assert section.select_one("a[data-follow=subscribe]")["href"] == (
        "webcal://social-value.example.org/opportunities/opp-edge-in/deadlines.ics"
    )
    assert section.select_one("input")["value"] == f"{PUBLISHED}/opportunities/opp-edge-in/deadlines.ics"
    cal = icalendar.Calendar.from_ical((published / "opportunities" / "opp-edge-in" / "deadlines.ics").read_bytes())
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == "closing-opp-edge-in@social-value.example.org"
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event["DTSTART"].dt == dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)  # 12pm GMT
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [-dt.timedelta(days=7), -dt.timedelta(days=1)]
    assert str(event["URL"]) == f"{PUBLISHED}/opportunities/opp-edge-in/"
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE", "VEVENT"]


def test_the_mailing_list_is_how_to_follow_by_email_when_the_data_names_one(published):
    last = follow(page(published, "opportunities")).select("p")[-1]
    assert text(last) == (
        "Manchester City Council, Manchester Health and Care Commissioning and Manchester Local Care Organisation "
        "send news by email: sign up to their mailing list."
    )
    assert last.a["href"] == MAILING_LIST


# --- contact and feedback -----------------------------------------------------------------------------------


def test_every_page_footer_gives_the_contact_address_and_the_banner_asks_for_feedback(opportunities_site):
    pages = sorted(opportunities_site.rglob("*.html"))
    assert len(pages) > 50
    feedback = "mailto:social.value@example.org?subject=Feedback%20on%20Social%20value%20in%20Manchester"
    for html in pages:
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "lxml")
        where = html.relative_to(opportunities_site)
        footer = soup.select_one("footer")
        assert footer.select_one('a[href="mailto:social.value@example.org"]'), where
        banner = soup.select_one(".govuk-phase-banner__text")
        full = banner.select_one(".app-banner__full") or banner  # the words wider screens show (phones: shorter)
        assert text(full) == "This is a new service – your feedback will help us improve it.", where
        assert [(a.get_text(), a["href"]) for a in full.select("a")] == [("feedback", feedback)], where
        assert {a["href"] for a in banner.select("a")} == {feedback}, where


def test_a_contact_page_alone_is_where_feedback_goes(published):
    for path in ("", "opportunities/opp-edge-in", "accessibility"):
        soup = page(published, path)
        assert {a["href"] for a in soup.select(".govuk-phase-banner__text a")} == {CONTACT_URL}
        assert soup.select_one(f'footer a[href="{CONTACT_URL}"]') is not None
        assert soup.select_one(f'footer a[href="{MAILING_LIST}"]') is not None
    statement = page(published, "accessibility").select(f'.app-prose a[href="{CONTACT_URL}"]')
    assert len(statement) == 2  # to ask for another format, and to report a problem


def test_the_accessibility_statement_names_the_contact_address(opportunities_site):
    prose = page(opportunities_site, "accessibility").select_one(".app-prose")
    links = prose.select('a[href="mailto:social.value@example.org"]')
    assert [a.get_text() for a in links] == ["social.value@example.org", "social.value@example.org"]
