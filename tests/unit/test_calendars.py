"""Calendars that follow you: one opportunity's own calendar, closing times in UK time, reminders, stable UIDs.

Every file is read back with icalendar, the parser the build writes with, and checked byte by byte where the
exact form matters to calendar programs (the TZID, the VALUE=DATE, the triggers).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURES
from svportal import feeds
from svportal import opportunities as opp
from svportal.load import load_dataset

BUILD = dt.date(2026, 11, 23)
LONDON = ZoneInfo("Europe/London")
DEV = feeds.Site(url="", name="Social value in Manchester", publisher="MCC", build_date=BUILD)
LIVE = feeds.Site(
    url="https://social-value.example.org", name="Social value in Manchester", publisher="MCC", build_date=BUILD
)


def opportunity(opportunity_id: str, closing, stage: str = "open", **more) -> dict:
    """One row of opportunities.csv as the loader gives it."""
    row = {
        "opportunity_id": opportunity_id,
        "title": f"Title {opportunity_id}",
        "description": None,
        "buyer_name": "Manchester City Council",
        "department": None,
        "stage": stage,
        "route": "grant",
        "value_min_gbp": None,
        "value_max_gbp": None,
        "suitable_for_vcse": True,
        "suitable_for_sme": None,
        "priorities": (),
        "published_date": pd.Timestamp("2026-11-01"),
        "closing_date": closing,
        "expected_start": pd.NaT,
        "event_title": None,
        "event_date": pd.NaT,
        "contact_email": None,
        "notice_url": None,
        "ocid": None,
    }
    return {**row, **more}


def listing(rows: list[dict]) -> opp.Listing:
    frame = pd.DataFrame(rows)
    frame["closing_date"] = pd.Series([r["closing_date"] for r in rows], dtype=object)
    return opp.build_listing(frame, pd.Timestamp(BUILD), closing_soon_days=14)


def one_calendar(site: feeds.Site, row: dict) -> bytes:
    """The calendar of one opportunity's page, as generators.write_opportunities writes it."""
    return feeds.calendar(site, name="One", description="Its dates", events=feeds.opportunity_events(site, [row]))


def events_of(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def alarms(event) -> list[tuple[str, dt.timedelta, str]]:
    return [(str(a["ACTION"]), a["TRIGGER"].dt, str(a["DESCRIPTION"])) for a in event.walk("VALARM")]


@pytest.fixture(scope="module")
def fixture_listing(contract):
    tables = load_dataset(FIXTURES / "opportunities", contract).tables
    return opp.build_listing(tables["opportunities"], pd.Timestamp(BUILD))


def by_id(listing: opp.Listing, opportunity_id: str) -> dict:
    return next(r for r in listing.rows if r["opportunity_id"] == opportunity_id)


# --- one opportunity's calendar --------------------------------------------------------------------


def test_an_opportunitys_calendar_holds_only_that_opportunity(fixture_listing):
    every = events_of(
        feeds.calendar(DEV, name="All", description="", events=feeds.opportunity_events(DEV, fixture_listing.rows))
    )
    assert len(every) == 13
    tomorrow = events_of(one_calendar(DEV, by_id(fixture_listing, "OPP-TOMORROW")))
    assert list(tomorrow) == ["closing-opp-tomorrow@unpublished.invalid"]
    assert (
        str(tomorrow["closing-opp-tomorrow@unpublished.invalid"]["SUMMARY"])
        == "Closing date: Hospital discharge support"
    )
    # with an engagement event: its closing date and that event, nothing of any other opportunity
    assert sorted(events_of(one_calendar(DEV, by_id(fixture_listing, "OPP-EDGE-OUT")))) == [
        "closing-opp-edge-out@unpublished.invalid",
        "event-opp-edge-out@unpublished.invalid",
    ]
    # planned, with no closing date and no event: a valid calendar with nothing in it yet
    empty = icalendar.Calendar.from_ical(one_calendar(DEV, by_id(fixture_listing, "OPP-PIPE-B")))
    assert empty.walk("VEVENT") == [] and str(empty["VERSION"]) == "2.0"


def test_a_closing_date_alone_is_an_all_day_event_with_reminders_at_9am(fixture_listing):
    data = one_calendar(DEV, by_id(fixture_listing, "OPP-EDGE-IN"))  # closes on 7 December 2026
    event = events_of(data)["closing-opp-edge-in@unpublished.invalid"]
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (dt.date(2026, 12, 7), dt.date(2026, 12, 8))
    assert b"DTSTART;VALUE=DATE:20261207\r\n" in data and b"VTIMEZONE" not in data
    assert alarms(event) == [
        (
            "DISPLAY",
            -dt.timedelta(days=6, hours=15),
            "Bids for Library volunteering quotes close in a week, on 7 December 2026.",
        ),
        (
            "DISPLAY",
            -dt.timedelta(hours=15),
            "Bids for Library volunteering quotes close tomorrow, on 7 December 2026.",
        ),
    ]
    # 9am on 30 November and on 6 December: the start of the closing day less each trigger
    start = dt.datetime(2026, 12, 7)
    assert [start + trigger for _, trigger, _ in alarms(event)] == [
        dt.datetime(2026, 11, 30, 9),
        dt.datetime(2026, 12, 6, 9),
    ]
    assert b"TRIGGER:-P6DT15H\r\n" in data and b"TRIGGER:-PT15H\r\n" in data


def test_a_closing_time_is_a_moment_in_uk_time_with_reminders_a_week_and_a_day_before():
    built = listing(
        [
            opportunity("winter", dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)),  # 12pm GMT
            opportunity("summer", dt.datetime(2027, 7, 1, 11, 0, tzinfo=dt.UTC)),  # 12pm BST
            opportunity("offset", dt.datetime(2027, 3, 1, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))),
        ]
    )
    for row, local in zip(
        sorted(built.rows, key=lambda r: r["opportunity_id"]),
        (dt.datetime(2027, 3, 1, 22, 30), dt.datetime(2027, 7, 1, 12, 0), dt.datetime(2026, 12, 1, 12, 0)),
    ):
        data = one_calendar(LIVE, row)
        (event,) = events_of(data).values()
        start = event["DTSTART"]
        assert start.params["TZID"] == "Europe/London"
        assert start.dt == local.replace(tzinfo=LONDON) == row["closing_date"]  # the same moment
        assert f"DTSTART;TZID=Europe/London:{local:%Y%m%dT%H%M%S}\r\n".encode() in data
        assert "DTEND" not in event and "DURATION" not in event  # a deadline: it ends when it starts (RFC 5545)
        assert [trigger for _, trigger, _ in alarms(event)] == [-dt.timedelta(days=7), -dt.timedelta(days=1)]
        assert b"TRIGGER:-P7D\r\n" in data and b"TRIGGER:-P1D\r\n" in data
    summer = events_of(one_calendar(LIVE, by_id(built, "summer")))["closing-summer@social-value.example.org"]
    assert alarms(summer)[1][2] == "Bids for Title summer close tomorrow, at 12pm on 1 July 2027."


def test_the_calendar_describes_uk_time_once_as_yearly_rules():
    built = listing([opportunity("timed", dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))])
    cal = icalendar.Calendar.from_ical(one_calendar(LIVE, built.rows[0]))
    (zone,) = cal.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    parts = {str(part["TZNAME"]): part for part in zone.subcomponents}
    assert sorted(parts) == ["BST", "GMT"]
    assert parts["BST"]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert parts["GMT"]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert (parts["BST"]["TZOFFSETTO"].td, parts["GMT"]["TZOFFSETTO"].td) == (dt.timedelta(hours=1), dt.timedelta(0))


def test_engagement_events_remind_a_day_before_and_cancelled_ones_never(fixture_listing):
    events = events_of(one_calendar(DEV, by_id(fixture_listing, "OPP-PIPE-A")))
    (event,) = events.values()
    assert str(event["UID"]) == "event-opp-pipe-a@unpublished.invalid"
    assert alarms(event) == [
        (
            "DISPLAY",
            -dt.timedelta(hours=15),
            "Market engagement, Q&A; lunch, about Mental health peer support, is tomorrow, 9 December 2026.",
        )
    ]
    cancelled = events_of(one_calendar(DEV, by_id(fixture_listing, "OPP-CANCELLED")))
    assert sorted(cancelled) == ["closing-opp-cancelled@unpublished.invalid", "event-opp-cancelled@unpublished.invalid"]
    for item in cancelled.values():
        assert str(item["STATUS"]) == "CANCELLED" and alarms(item) == []


def test_the_listing_calendar_has_the_same_events_and_reminders_as_each_page(fixture_listing):
    every = events_of(
        feeds.calendar(DEV, name="All", description="", events=feeds.opportunity_events(DEV, fixture_listing.rows))
    )
    for row in fixture_listing.rows:
        for uid, event in events_of(one_calendar(DEV, row)).items():
            assert event.to_ical() == every[uid].to_ical()
    with_reminders = [uid for uid, event in every.items() if alarms(event)]
    assert len(with_reminders) == 11  # all but the cancelled opportunity's closing date and event


# --- stable identifiers ------------------------------------------------------------------------------


def test_uids_come_from_the_site_address_and_the_ids_never_the_sites_name(fixture_listing):
    def uids(site):
        return sorted(
            events_of(
                feeds.calendar(
                    site, name="n", description="", events=feeds.opportunity_events(site, fixture_listing.rows)
                )
            )
        )

    renamed = feeds.Site(url="", name="Social value in Trafford", publisher="Trafford Council", build_date=BUILD)
    later = feeds.Site(url="", name="Other", publisher="MCC", build_date=dt.date(2027, 1, 5))
    assert uids(DEV) == uids(renamed) == uids(later)
    assert all(uid.endswith("@unpublished.invalid") for uid in uids(DEV))
    live = uids(LIVE)
    assert live == [uid.replace("@unpublished.invalid", "@social-value.example.org") for uid in uids(DEV)]
    moved = feeds.Site(
        url="https://social-value.example.org/portal/", name="Another name", publisher="x", build_date=BUILD
    )
    assert uids(moved) == live  # the host, not the path


def test_subscribed_calendars_are_asked_to_refresh_daily():
    data = feeds.calendar(DEV, name='A "list", of; things', description="d", events=[])
    assert b"REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in data and b"X-PUBLISHED-TTL:P1D\r\n" in data
    assert b'X-WR-CALNAME:A "list"\\, of\\; things\r\n' in data  # TEXT, escaped


# --- what the "Follow" sections link to ----------------------------------------------------------------


def test_follow_links_subscribe_only_with_an_absolute_address():
    assert feeds.follow_links(DEV, "opportunities/deadlines.ics", "opportunities/feed.atom") == {
        "calendar": "opportunities/deadlines.ics",
        "feed": "opportunities/feed.atom",
        "calendar_address": None,
        "webcal": None,
    }
    assert feeds.follow_links(LIVE, "opportunities/opp-1/deadlines.ics") == {
        "calendar": "opportunities/opp-1/deadlines.ics",
        "feed": None,
        "calendar_address": "https://social-value.example.org/opportunities/opp-1/deadlines.ics",
        "webcal": "webcal://social-value.example.org/opportunities/opp-1/deadlines.ics",
    }
    local = feeds.Site(url="http://127.0.0.1:8000/", name="n", publisher="p", build_date=BUILD)
    assert local.webcal("opportunities/deadlines.ics") == "webcal://127.0.0.1:8000/opportunities/deadlines.ics"


# --- any moment, either side of the clocks changing --------------------------------------------------


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=st.just(dt.UTC)))
def test_any_closing_moment_reads_back_as_the_same_moment(moment):
    moment = moment.replace(microsecond=0, second=0)
    event = feeds.Event(uid="x@y", day=moment.date(), summary="s", description="d", at=moment)
    data = feeds.calendar(LIVE, name="n", description="d", events=[event])
    (read,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert read["DTSTART"].dt == moment
    assert read["DTSTART"].dt.utcoffset() == moment.astimezone(LONDON).utcoffset()
