"""Real data, faithfully: ISO 8601 date-times, closing times, the procurement codelists and their labels."""

import datetime as dt
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from svportal import feeds, opportunities
from svportal.exports import csv_text, published_resource, to_json
from svportal.formatting import date_time, time_of_day
from svportal.load import load_table
from svportal.pages import label_codes
from svportal.parse import date_problem, parse_date_time, parse_dates, parse_dates_or_date_times
from svportal.schema import read_contract

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = read_contract(ROOT / "data" / "datapackage.json")
BUILD = pd.Timestamp("2026-11-23")

days = st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2199, 12, 31))
times = st.times()
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)


def written(day: dt.date, time: dt.time, offset_minutes: int | None, separator: str = "T") -> str:
    """A date-time as a notice writes it: seconds and fractions only when there are some, Z or ±HH:MM."""
    text = f"{day.isoformat()}{separator}{time:%H:%M}"
    if time.second or time.microsecond:
        text += f":{time:%S}"
    if time.microsecond:
        text += f".{time.microsecond:06d}"
    if offset_minutes is None:
        return text
    if offset_minutes == 0:
        return text + "Z"
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return text + f"{sign}{hours:02d}:{minutes:02d}"


# --- the parser ----------------------------------------------------------------------------


@given(days, times, st.one_of(st.none(), offsets), st.sampled_from(["T", " "]))
def test_any_date_time_with_any_offset_is_the_date_as_written(day, time, offset, separator):
    text = written(day, time, offset, separator)
    parsed, bad = parse_dates(pd.Series([text]))
    assert not bad.iloc[0], text
    assert parsed.iloc[0].date() == day


@given(days, times, offsets)
def test_a_date_time_keeps_its_time_and_offset(day, time, offset):
    text = written(day, time, offset)
    moment = parse_date_time(text)
    assert moment.date() == day
    assert (moment.hour, moment.minute, moment.second, moment.microsecond) == (
        time.hour,
        time.minute,
        time.second,
        time.microsecond,
    )
    assert moment.utcoffset() == dt.timedelta(minutes=offset)


@given(days, st.integers(24, 99) | st.just(-1), st.integers(0, 99), st.integers(0, 99))
def test_a_time_that_is_not_a_time_of_day_is_refused_clearly(day, hour, minute, second):
    if hour == -1:  # a real hour with an impossible minute or second
        hour = 12
        if minute < 60 and second < 60:
            minute = 60
    text = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}Z"
    _, bad = parse_dates(pd.Series([text]))
    assert bad.iloc[0]
    assert date_problem(text) == "is not a date and time: the time of day runs from 00:00:00 to 23:59:59"


@pytest.mark.parametrize(
    "text, message",
    [
        ("2026-02-30T10:00:00Z", "is not a date: there is no day 2026-02-30"),
        ("31/02/2024", "is not a date: there is no day 31/02/2024"),
        ("2026-12-01T10:00:00+24:00", "is not a date and time: the offset must be Z or from -23:59 to +23:59"),
        ("0001-01-01T00:00:00Z", "is not a date the portal can read: write a year from 1678 to 2261"),
        ("1 December 2026", "is not a date: write YYYY-MM-DD or DD/MM/YYYY, or a date and time such as"),
        ("2026-12-01T12", "is not a date: write YYYY-MM-DD or DD/MM/YYYY"),
    ],
)
def test_what_is_not_a_date_says_why(text, message):
    _, bad = parse_dates(pd.Series([text]))
    assert bad.iloc[0]
    assert date_problem(text).startswith(message)


def test_the_calendar_date_is_not_shifted_to_utc():
    parsed, _ = parse_dates(pd.Series(["2020-10-22T00:00:00+01:00", "2020-10-21T23:30:00-05:00"]))
    assert [d.date() for d in parsed] == [dt.date(2020, 10, 22), dt.date(2020, 10, 21)]


def test_a_date_or_date_time_column_keeps_dates_and_moments():
    parsed, bad = parse_dates_or_date_times(
        pd.Series(["2026-12-01", "2026-12-01T12:00:00Z", "01/12/2026", "2026-07-01T09:30", "2026-13-01T00:00Z"])
    )
    assert list(bad) == [False, False, False, False, True]
    assert parsed.iloc[0] == dt.date(2026, 12, 1) and not isinstance(parsed.iloc[0], dt.datetime)
    assert parsed.iloc[1] == dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    assert parsed.iloc[3].utcoffset() == dt.timedelta(hours=1)  # no offset: UK time (summer)
    assert parsed.iloc[4] is None


# --- the loader --------------------------------------------------------------------------

OPPORTUNITIES_HEADER = "opportunity_id,title,buyer_name,stage,route,closing_date,published_date,notice_url\n"


def load_opportunities(tmp_path, rows: str):
    path = tmp_path / "opportunities.csv"
    path.write_text(OPPORTUNITIES_HEADER + rows, encoding="utf-8")
    return load_table(path, CONTRACT.table("opportunities"))


def test_the_loader_reads_date_times_new_codes_and_http_notices(tmp_path):
    frame, problems = load_opportunities(
        tmp_path,
        "A,Day care,MCC,open,competitive-flexible,2026-12-01T12:00:00Z,2020-10-22T00:00:00+01:00,http://example.org/a\n"
        "B,Meals,MCC,withdrawn,dps,2026-12-01,2026-10-01,https://example.org/b\n"
        "C,Parks,MCC,unsuccessful,Negotiated-Without-Publication,,,\n",
    )
    assert [p.message for p in problems if p.is_error] == []
    assert frame["closing_date"].tolist()[:2] == [dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), dt.date(2026, 12, 1)]
    assert frame["published_date"].iloc[0] == pd.Timestamp("2020-10-22")
    assert frame["route"].tolist() == ["competitive-flexible", "dps", "negotiated-without-publication"]
    assert frame["notice_url"].iloc[0] == "http://example.org/a"  # as written
    assert csv_text(frame["closing_date"].iloc[0]) == "2026-12-01T12:00:00+00:00"
    assert b'"closing_date":"2026-12-01T12:00:00+00:00"' in to_json(frame[["closing_date"]])


def test_the_loader_names_a_bad_date_time_and_a_bad_address(tmp_path):
    _, problems = load_opportunities(
        tmp_path,
        'A,Day care,MCC,open,,2026-12-01T24:00:00Z,,http://example.org/a b\nB,Meals,MCC,open,,2026-12-01,,"http://x/<"\n',
    )
    messages = [str(p) for p in problems if p.is_error]
    assert (
        "opportunities.csv:2: closing_date: '2026-12-01T24:00:00Z' is not a date and time: the time of day runs "
        "from 00:00:00 to 23:59:59" in messages
    )
    assert any(m.startswith("opportunities.csv:2: notice_url: 'http://example.org/a b' has a space") for m in messages)
    assert any(m.startswith("opportunities.csv:3: notice_url: 'http://x/<' has an angle bracket") for m in messages)


def test_every_code_of_every_enum_has_a_label_and_old_codes_stay_valid():
    routes = CONTRACT.table("contracts").field("procurement_route")
    assert set(CONTRACT.table("opportunities").field("route").constraints["enum"]) == set(routes.constraints["enum"])
    for code in ("open", "selective", "limited", "direct", "framework", "annual-negotiation"):
        assert code in routes.constraints["enum"]
    for code in ("tender", "quote", "grant", "co-design", "restricted", "dps", "dynamic-market", "other"):
        assert code in routes.constraints["enum"]
    stage = CONTRACT.table("opportunities").field("stage")
    assert stage.constraints["enum"] == [
        "pipeline",
        "open",
        "closed",
        "awarded",
        "unsuccessful",
        "cancelled",
        "withdrawn",
    ]
    for table in CONTRACT.tables:
        for f in table.fields:
            if f.labels:
                assert set(f.labels) == set(f.constraints["enum"]), f.name


def test_labels_come_from_the_contract_and_codes_stay_in_the_row():
    rows = [{"procurement_route": "dps", "cqc_rating": "requires-improvement", "supplier_size": None}]
    label_codes(rows, CONTRACT, "contracts")
    assert rows[0]["procurement_route"] == "dps"
    assert rows[0]["procurement_route_label"] == "Call-off from a dynamic purchasing system"
    assert rows[0]["cqc_rating_label"] == "Requires improvement"  # no label in the contract: the code as words
    assert rows[0]["supplier_size_label"] is None


def test_the_published_descriptor_reads_a_date_or_date_time_column_as_text():
    table = CONTRACT.table("opportunities")
    resource = published_resource(table, pd.DataFrame(columns=table.field_names), "opportunities")
    closing = next(f for f in resource["schema"]["fields"] if f["name"] == "closing_date")
    assert closing["type"] == "string" and "timeOptional" not in closing
    route = next(f for f in resource["schema"]["fields"] if f["name"] == "route")
    assert route["enumLabels"]["dps"] == "Call-off from a dynamic purchasing system"


# --- statuses, pages, feeds and calendars with a closing time ------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC), "12pm on 1 December 2026"),
        (dt.datetime(2026, 12, 1, 17, 30, tzinfo=dt.UTC), "5:30pm on 1 December 2026"),
        (dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))), "9am on 1 June 2026"),
        (dt.datetime(2026, 6, 1, 0, 0, tzinfo=dt.UTC), "1am on 1 June 2026"),  # in UK (summer) time
        (dt.datetime(2026, 12, 1, 0, 5, tzinfo=dt.UTC), "12:05am on 1 December 2026"),
        (dt.date(2026, 12, 1), "1 December 2026"),
        (None, "Not published"),
    ],
)
def test_a_closing_time_reads_the_gov_uk_way(value, expected):
    assert date_time(value) == expected


def test_times_of_day():
    assert [time_of_day(dt.datetime(2026, 1, 1, h, m)) for h, m in ((0, 0), (9, 0), (12, 0), (13, 5), (23, 59))] == [
        "12am",
        "9am",
        "12pm",
        "1:05pm",
        "11:59pm",
    ]


def opportunity(opportunity_id, closing, stage="open", **more):
    row = {
        "opportunity_id": opportunity_id,
        "title": f"Title {opportunity_id}",
        "description": None,
        "buyer_name": "Manchester City Council",
        "department": None,
        "stage": stage,
        "route": "tender",
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
    row.update(more)
    return row


def listing(rows):
    frame = pd.DataFrame(rows)
    frame["closing_date"] = pd.Series([r["closing_date"] for r in rows], dtype=object)
    return opportunities.build_listing(frame, BUILD, closing_soon_days=14)


def test_a_closing_time_decides_whether_an_opportunity_is_still_open():
    built = listing(
        [
            opportunity("midnight", dt.datetime(2026, 11, 23, 0, 0, tzinfo=dt.UTC)),  # closed as the day began
            opportunity("noon", dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)),
            opportunity("day", dt.date(2026, 11, 23)),
            opportunity("yesterday", dt.date(2026, 11, 22)),
            opportunity("east", dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.timezone(dt.timedelta(hours=9)))),
            opportunity("west", dt.datetime(2026, 11, 22, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))),
            opportunity("later", dt.datetime(2026, 12, 18, 17, 0, tzinfo=dt.UTC)),
        ]
    )
    status = {r["opportunity_id"]: r["status"] for r in built.rows}
    assert status == {
        "midnight": "closed",
        "noon": "closing-soon",
        "day": "closing-soon",
        "yesterday": "closed",
        "east": "closed",  # 20:00 UTC on the 22nd
        "west": "closing-soon",  # 04:00 UTC on the 23rd: still open, closes today
        "later": "open",
    }
    rows = {r["opportunity_id"]: r for r in built.rows}
    assert rows["noon"]["status_text"] == "Open for bids until 12pm on 23 November 2026: it closes today."
    assert rows["noon"]["closes_text"] == "closes at 12pm on 23 November 2026"
    assert rows["day"]["closes_text"] == "closing date 23 November 2026"
    assert rows["midnight"]["status_text"] == "Closed: bids closed at 12am on 23 November 2026."
    assert [r["opportunity_id"] for r in built.next_closing()] == ["west", "noon", "day", "later"]


def test_unsuccessful_and_withdrawn_are_finished():
    built = listing(
        [
            opportunity("u", dt.date(2026, 10, 1), stage="unsuccessful"),
            opportunity("w", dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC), stage="withdrawn"),
        ]
    )
    rows = {r["opportunity_id"]: r for r in built.rows}
    assert {r["section"] for r in built.rows} == {"recently-closed"}
    assert (
        rows["u"]["status_text"]
        == "Not awarded: the procurement ended without an award. Bids closed on 1 October 2026."
    )
    assert rows["w"]["status_text"].startswith("Withdrawn: the buyer has withdrawn this notice.")
    assert built.actionable() == []


SITE = feeds.Site(url="https://example.org", name="Portal", publisher="MCC", build_date=dt.date(2026, 11, 23))


def test_the_calendar_has_a_moment_for_a_closing_time_and_a_whole_day_for_a_date():
    built = listing(
        [
            opportunity("timed", dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))),
            opportunity("dated", dt.date(2026, 12, 2)),
            opportunity("gone", dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), stage="withdrawn"),
        ]
    )
    ics = feeds.calendar(SITE, name="x", description="y", events=feeds.opportunity_events(SITE, built.rows))
    events = {str(e["uid"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    text = ics.decode()
    assert "DTSTART;TZID=Europe/London:20261201T110000" in text  # 12pm at +01:00, in UK time (GMT in December)
    assert "DTSTART;VALUE=DATE:20261202" in text
    assert "DTEND" not in str(events["closing-timed"].to_ical())
    assert "Bids close at 11am on 1 December 2026" in str(events["closing-timed"]["description"])
    assert str(events["closing-gone"]["status"]) == "CANCELLED"


def test_the_atom_feed_says_the_closing_time():
    built = listing([opportunity("timed", dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC))])
    feed = feeds.atom(
        SITE,
        title="t",
        subtitle="s",
        feed_path="opportunities/feed.atom",
        page_path="opportunities/",
        entries=feeds.opportunity_entries(SITE, built.actionable()),
    )
    assert "Open for bids until 12pm on 1 December 2026" in feed.decode()
