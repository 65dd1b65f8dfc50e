"""Atom feeds and iCalendar files, read back with real parsers."""

import datetime as dt

import feedparser
import icalendar
import pandas as pd
import pytest

from conftest import FIXTURES
from svportal import feeds
from svportal import opportunities as opp
from svportal.load import load_dataset

BUILD = dt.date(2026, 11, 23)
HOSTILE_TITLE = '<script>alert("x")</script> Youth clubs & "play", outdoors; together'
DEV = feeds.Site(url="", name="Social value in Manchester", publisher="Manchester City Council", build_date=BUILD)
LIVE = feeds.Site(
    url="https://social-value.example.org",
    name="Social value in Manchester",
    publisher="Manchester City Council",
    build_date=BUILD,
)


@pytest.fixture(scope="module")
def listing(contract):
    tables = load_dataset(FIXTURES / "opportunities", contract).tables
    return opp.build_listing(tables["opportunities"], pd.Timestamp(BUILD))


def atom_bytes(site, rows):
    return feeds.atom(
        site,
        title="Opportunities",
        subtitle="Open & planned",
        feed_path="opportunities/feed.atom",
        page_path="opportunities/",
        entries=feeds.opportunity_entries(site, rows),
    )


def ics_bytes(site, rows):
    return feeds.calendar(
        site, name="Closing dates", description="Every closing date", events=feeds.opportunity_events(site, rows)
    )


def events_of(data: bytes) -> list:
    return icalendar.Calendar.from_ical(data).walk("VEVENT")


# --- Atom -------------------------------------------------------------------------------------


def test_atom_feed_parses_with_its_entries(listing):
    parsed = feedparser.parse(atom_bytes(DEV, listing.actionable()))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    assert sorted(titles) == sorted(
        [
            HOSTILE_TITLE,
            "Hospital discharge support",
            "Library volunteering quotes",
            "Carers co-design fund",
            "Mental health peer support",
            "Highways framework",
        ]
    )
    assert parsed.feed.title == "Opportunities"


def test_atom_entries_newest_first_with_dates_from_the_data(listing):
    parsed = feedparser.parse(atom_bytes(DEV, listing.actionable()))
    updated = [e.updated for e in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    no_date = parsed.entries[0]
    assert no_date.title == "Library volunteering quotes"
    assert no_date.updated == "2026-11-23T00:00:00Z"  # no published date: the build date
    assert "published" not in no_date
    assert parsed.feed.updated == "2026-11-23T00:00:00Z"  # the newest entry's
    assert parsed.entries[1].title == "Carers co-design fund"
    assert parsed.entries[1].updated == parsed.entries[1].published == "2026-11-15T00:00:00Z"


def test_atom_ids_are_stable_tag_uris_in_development(listing):
    parsed = feedparser.parse(atom_bytes(DEV, listing.actionable()))
    ids = {e.title: e.id for e in parsed.entries}
    assert ids["Hospital discharge support"] == "tag:social-value-in-manchester,2026:opportunities/opp-tomorrow"
    assert parsed.feed.id == "tag:social-value-in-manchester,2026:opportunities/feed.atom"
    link = next(e.link for e in parsed.entries if e.title == "Hospital discharge support")
    assert link == "/opportunities/opp-tomorrow/"


def test_atom_links_are_absolute_when_siteurl_is(listing):
    parsed = feedparser.parse(atom_bytes(LIVE, listing.actionable()))
    entry = next(e for e in parsed.entries if e.title == "Hospital discharge support")
    assert entry.id == "tag:social-value.example.org,2026:opportunities/opp-tomorrow"
    assert entry.link == "https://social-value.example.org/opportunities/opp-tomorrow/"
    assert parsed.feed.links[0].href == "https://social-value.example.org/opportunities/feed.atom"


def test_hostile_text_is_escaped_in_xml(listing):
    data = atom_bytes(DEV, listing.actionable())
    assert b"<script>" not in data
    assert b'&lt;script&gt;alert("x")&lt;/script&gt; Youth clubs &amp; "play"' in data
    entry = next(e for e in feedparser.parse(data).entries if e.title == HOSTILE_TITLE)
    # the description was rendered as sanitised Markdown, then escaped into the content
    assert "<script>" not in entry.content[0].value
    assert "&lt;script&gt;" in entry.content[0].value


def test_characters_xml_cannot_carry_are_dropped():
    entry = feeds.Entry(
        id="tag:x,2026:a",
        title="Bell\x07 and tab\x0b",
        link="/a/",
        updated=BUILD,
        published=None,
        summary="s\x00",
        content_html="<p>c\x1f</p>",
    )
    data = feeds.atom(DEV, title="T", subtitle="S", feed_path="f.atom", page_path="p/", entries=[entry])
    parsed = feedparser.parse(data)
    assert not parsed.bozo
    assert parsed.entries[0].title == "Bell and tab"


def test_an_empty_feed_is_valid_and_dated_by_the_build():
    data = feeds.atom(DEV, title="T", subtitle="S", feed_path="f.atom", page_path="p/", entries=[])
    parsed = feedparser.parse(data)
    assert not parsed.bozo and parsed.entries == []
    assert parsed.feed.updated == "2026-11-23T00:00:00Z"


def test_atom_bytes_do_not_depend_on_input_order(listing):
    rows = listing.actionable()
    assert atom_bytes(DEV, rows) == atom_bytes(DEV, list(reversed(rows)))


# --- iCalendar --------------------------------------------------------------------------------


def test_calendar_has_every_closing_date_and_event(listing):
    events = events_of(ics_bytes(DEV, listing.rows))
    uids = [str(e["UID"]) for e in events]
    closing = sorted(u for u in uids if u.startswith("closing-"))
    engagement = sorted(u for u in uids if u.startswith("event-"))
    assert len(closing) == 9  # every opportunity with a closing date (the two planned ones have none)
    assert engagement == [
        "event-opp-cancelled@unpublished.invalid",
        "event-opp-edge-out@unpublished.invalid",
        "event-opp-pipe-a@unpublished.invalid",
        "event-opp-today-1@unpublished.invalid",
    ]
    assert len(set(uids)) == len(uids) == 13


def test_calendar_events_are_all_day_and_stamped_with_the_build_date(listing):
    cal = icalendar.Calendar.from_ical(ics_bytes(DEV, listing.rows))
    assert str(cal["VERSION"]) == "2.0"
    assert "social-value-in-manchester" in str(cal["PRODID"])
    for event in cal.walk("VEVENT"):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is dt.date and type(end) is dt.date
        assert end == start + dt.timedelta(days=1)
        assert event["DTSTAMP"].dt == dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    today = next(e for e in cal.walk("VEVENT") if e["UID"] == "closing-opp-today-1@unpublished.invalid")
    assert today["DTSTART"].dt == dt.date(2026, 11, 23)
    assert b"DTSTART;VALUE=DATE:20261123" in ics_bytes(DEV, listing.rows)


def test_hostile_text_is_escaped_in_icalendar(listing):
    data = ics_bytes(DEV, listing.rows)
    assert b'Youth clubs & "play"\\, outdoors\\; together' in data.replace(b"\r\n ", b"")
    events = {str(e["UID"]): e for e in events_of(data)}
    assert str(events["closing-opp-today-1@unpublished.invalid"]["SUMMARY"]) == f"Closing date: {HOSTILE_TITLE}"
    event = events["event-opp-today-1@unpublished.invalid"]
    assert str(event["SUMMARY"]).startswith('Drop-in, Q&A; bring "ideas" and questions: <script>')


def test_cancelled_opportunities_are_cancelled_events(listing):
    events = {str(e["UID"]): e for e in events_of(ics_bytes(DEV, listing.rows))}
    assert str(events["closing-opp-cancelled@unpublished.invalid"]["STATUS"]) == "CANCELLED"
    assert str(events["closing-opp-awarded@unpublished.invalid"]["STATUS"]) == "CONFIRMED"


def test_calendar_links_pages_only_with_an_absolute_siteurl(listing):
    dev = {str(e["UID"]): e for e in events_of(ics_bytes(DEV, listing.rows))}
    live = {str(e["UID"]): e for e in events_of(ics_bytes(LIVE, listing.rows))}
    assert "URL" not in dev["closing-opp-tomorrow@unpublished.invalid"]
    assert str(live["closing-opp-tomorrow@social-value.example.org"]["URL"]) == (
        "https://social-value.example.org/opportunities/opp-tomorrow/"
    )


def test_calendar_bytes_do_not_depend_on_input_order(listing):
    assert ics_bytes(DEV, listing.rows) == ics_bytes(DEV, list(reversed(listing.rows)))
