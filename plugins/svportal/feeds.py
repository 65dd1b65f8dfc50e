"""Follow opportunities without an account: Atom feeds and iCalendar files.

Pure: plain values in, bytes out. Nothing here reads the clock: every date comes
from the data or from the build date, so the same data and build date give
byte-identical files. Identifiers are stable across builds: Atom ids are tag: URIs
(RFC 4151), whose authority is the host of SITEURL or, when there is none
(development), a slug of the site's name.

Calendar UIDs depend only on the site's address and the opportunity's id:
``closing-<slug>@<host>`` and ``event-<slug>@<host>``, where the slug is the
opportunity's page address (made from its id) and the host is SITEURL's, or
``UNPUBLISHED_HOST`` when the site has no address of its own (``make html``). Renaming
the site, or a publisher's identity naming a different area, never changes them, so a
subscribed calendar updates its events instead of doubling them. A date-only closing
date is an all-day event; one with a time is a moment in Europe/London time. Each
closing date has reminders (VALARM) a week and a day before.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from markupsafe import Markup

from .formatting import date as long_date
from .formatting import date_time, uk_time
from .markup import plain_text, render_markdown, render_plain
from .parse import UK_TIME, slugify

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG_DATE = "2026"  # the date part of every tag: URI; never change it, or every id changes
# Characters XML 1.0 cannot carry, even escaped (control characters pasted from spreadsheets)
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
UNPUBLISHED_HOST = "unpublished.invalid"  # the UID host of a site without an address (RFC 2606: never a real host)
REMINDER_HOUR = 9  # an all-day event's reminders go off at 9am (local time) on their day
REFRESH = dt.timedelta(days=1)  # how often a subscribed calendar should look for changes


@dataclass(frozen=True)
class Site:
    """What the feeds need to know about the site."""

    url: str  # SITEURL as published: "https://example.org", or "" in development
    name: str
    publisher: str
    build_date: dt.date
    description_markdown: bool = False  # whether the contract says opportunities' descriptions are Markdown

    @property
    def absolute(self) -> bool:
        return self.url.startswith(("https://", "http://"))

    @property
    def authority(self) -> str:
        host = urlsplit(self.url).hostname if self.absolute else None
        return host or slugify(self.name) or "portal"

    @property
    def uid_host(self) -> str:
        """The host part of every calendar UID: SITEURL's host, or UNPUBLISHED_HOST without one."""
        host = urlsplit(self.url).hostname if self.absolute else None
        return host or UNPUBLISHED_HOST

    def link(self, path: str) -> str:
        """The address of a path inside the site: absolute when SITEURL is, else from the root."""
        return f"{self.url.rstrip('/')}/{path.lstrip('/')}"

    def webcal(self, path: str) -> str | None:
        """The ``webcal://`` address that subscribes to a calendar of the site; None without an absolute SITEURL."""
        if not self.absolute:
            return None
        return "webcal://" + self.link(path).split("://", 1)[1]

    def tag(self, specific: str) -> str:
        return f"tag:{self.authority},{TAG_DATE}:{specific}"


# --- Atom (RFC 4287) ------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: dt.date
    published: dt.date | None
    summary: str
    content_html: str
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)


def _xml_text(value) -> str:
    return NOT_XML.sub("", str(value))


def _timestamp(day: dt.date) -> str:
    return f"{day:%Y-%m-%d}T00:00:00Z"


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = _xml_text(text)
    return element


def atom(site: Site, *, title: str, subtitle: str, feed_path: str, page_path: str, entries: list[Entry]) -> bytes:
    """An Atom feed; entries newest first. Its ``updated`` is the newest entry's (the build date if none)."""
    entries = sorted(entries, key=lambda e: e.id)
    entries.sort(key=lambda e: e.updated, reverse=True)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "en-GB"})
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    _add(feed, "id", site.tag(feed_path))
    _add(feed, "updated", _timestamp(entries[0].updated if entries else site.build_date))
    _add(feed, "link", rel="self", type="application/atom+xml", href=site.link(feed_path))
    _add(feed, "link", rel="alternate", type="text/html", href=site.link(page_path))
    author = _add(feed, "author")
    _add(author, "name", site.publisher)
    _add(feed, "generator", site.name)
    for entry in entries:
        element = _add(feed, "entry")
        _add(element, "title", entry.title, type="text")
        _add(element, "id", entry.id)
        _add(element, "link", rel="alternate", type="text/html", href=entry.link)
        _add(element, "updated", _timestamp(entry.updated))
        if entry.published:
            _add(element, "published", _timestamp(entry.published))
        for term, label in entry.categories:
            _add(element, "category", term=term, label=label)
        _add(element, "summary", entry.summary, type="text")
        _add(element, "content", entry.content_html, type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# --- iCalendar (RFC 5545) ------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """A VALARM: ``days`` before the event (at REMINDER_HOUR for an all-day event), saying ``text``."""

    days: int
    text: str


@dataclass(frozen=True)
class Event:
    uid: str
    day: dt.date  # the (UK) date of the event
    summary: str
    description: str
    url: str | None = None
    cancelled: bool = False
    at: dt.datetime | None = None  # the moment, when the data gives a time (with its offset)
    reminders: tuple[Reminder, ...] = ()


def event_when(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    """A date, or a date and time, as an Event's ``day`` and ``at``: the UK date of a moment, and the moment."""
    if isinstance(value, dt.datetime):
        return uk_time(value).date(), value
    return value, None


def london(moment: dt.datetime) -> dt.datetime:
    """A moment in Europe/London time (one without an offset is taken to be UK time already)."""
    return moment.astimezone(UK_TIME) if moment.tzinfo else moment.replace(tzinfo=UK_TIME)


def trigger(reminder: Reminder, all_day: bool) -> dt.timedelta:
    """When a reminder goes off, before the start of its event: for an all-day event, REMINDER_HOUR that day."""
    before = dt.timedelta(days=reminder.days)
    return -(before - dt.timedelta(hours=REMINDER_HOUR)) if all_day else -before


def london_timezone() -> icalendar.Timezone:
    """Europe/London as a VTIMEZONE: GMT, and BST from the last Sunday of March to the last Sunday of October.

    Written as yearly rules, not a list of dates, so the file does not depend on the machine's time zone
    database and stays right after 2037.
    """
    zone = icalendar.Timezone()
    zone.add("tzid", "Europe/London")
    for part, name, start, offset_from, offset_to, month in (
        (icalendar.TimezoneDaylight(), "BST", dt.datetime(1970, 3, 29, 1, 0), 0, 1, 3),
        (icalendar.TimezoneStandard(), "GMT", dt.datetime(1970, 10, 25, 2, 0), 1, 0, 10),
    ):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", dt.timedelta(hours=offset_from))
        part.add("tzoffsetto", dt.timedelta(hours=offset_to))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(part)
    return zone


def calendar(site: Site, *, name: str, description: str, events: list[Event]) -> bytes:
    """An iCalendar file of events, in date order; DTSTAMP is the build date.

    An event with a time starts at that moment, in Europe/London time (``DTSTART;TZID=Europe/London:
    20261201T120000``, with the zone's VTIMEZONE), and has no DTEND: RFC 5545 makes such an event end
    when it starts (a deadline; a DTEND must be later than DTSTART). One with a date only is an all-day
    event (``DTSTART;VALUE=DATE`` and the next day as DTEND). A cancelled event has no reminders.
    Subscribed calendars are asked to look for changes daily (REFRESH-INTERVAL, X-PUBLISHED-TTL).
    """
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{site.authority}//{site.name} opportunities//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", icalendar.vText(name))  # TEXT, so escaped: "\," and "\;" (RFC 5545 3.3.11)
    cal.add("x-wr-caldesc", icalendar.vText(description))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    if any(event.at is not None for event in events):
        cal.add_component(london_timezone())
    stamp = dt.datetime.combine(site.build_date, dt.time(0, 0), tzinfo=dt.UTC)
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        if event.at is not None:
            item.add("dtstart", london(event.at))
        else:
            item.add("dtstart", event.day)
            item.add("dtend", event.day + dt.timedelta(days=1))
        item.add("summary", event.summary)
        item.add("description", event.description)
        item.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        if event.url:
            item.add("url", event.url)
        for reminder in () if event.cancelled else event.reminders:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", reminder.text)
            alarm.add("trigger", trigger(reminder, all_day=event.at is None))
            item.add_component(alarm)
        cal.add_component(item)
    return cal.to_ical()


def follow_links(site: Site, calendar_path: str, feed_path: str | None = None) -> dict[str, str | None]:
    """What a "Follow" section offers for a calendar (and a feed), by their paths inside the site.

    ``calendar`` and ``feed`` are the paths (the templates put SITEURL before them, for the download
    links); ``calendar_address`` the full address to copy into a calendar and ``webcal`` the address
    that subscribes, both None when the site has no absolute address (``make html``).
    """
    return {
        "calendar": calendar_path,
        "feed": feed_path,
        "calendar_address": site.link(calendar_path) if site.absolute else None,
        "webcal": site.webcal(calendar_path),
    }


# --- opportunities as entries and events ------------------------------------------------------


def opportunity_entries(site: Site, rows: list[dict]) -> list[Entry]:
    """One Atom entry per opportunity (rows as ``opportunities.Listing`` prepares them)."""
    return [_entry(site, row) for row in rows]


def _facts(row: dict) -> list[str]:
    facts = [
        f"Buyer: {row['buyer_name']}",
        row["status_text"],
        f"Estimated value: {row['value_text']}",
        f"Route: {row['route_label']}",
    ]
    if row["suitability"]:
        facts.append("Suitable for " + " and ".join(row["suitability"]))
    if row["event_title"] and row["event_date"]:
        facts.append(f"{row['event_title']}: {long_date(row['event_date'])}")
    return facts


def _entry(site: Site, row: dict) -> Entry:
    facts = _facts(row)
    content = Markup("<ul>{}</ul>").format(Markup("").join(Markup("<li>{}</li>").format(f) for f in facts))
    render = render_markdown if site.description_markdown else render_plain
    content += render(row["description"])
    categories = [(row["status"], row["status_label"])]
    if row["route"]:
        categories.append((f"route/{row['route']}", row["route_label"]))
    categories += [(f"suitable/{s.lower()}", f"Suitable for {s}") for s in row["suitability"]]
    categories += [(f"priority/{slugify(p)}", p) for p in row["priorities"] or []]
    return Entry(
        id=site.tag(f"opportunities/{row['slug']}"),
        title=plain_text(row["title"]),
        link=site.link(f"opportunities/{row['slug']}/"),
        updated=row["published_date"] or site.build_date,
        published=row["published_date"],
        summary=". ".join(f.rstrip(".") for f in facts) + ".",
        content_html=str(content),
        categories=tuple(categories),
    )


def opportunity_events(site: Site, rows: list[dict]) -> list[Event]:
    """Every closing date (with reminders a week and a day before) and every engagement event (with one a day
    before) of ``rows``: all-day events, or a moment for a closing date with a time."""
    events = []
    for row in rows:
        page = site.link(f"opportunities/{row['slug']}/") if site.absolute else None
        more = f"\n\nDetails: {page}" if page else ""
        cancelled = row["status"] in ("cancelled", "withdrawn")
        name, buyer = plain_text(row["title"]), plain_text(row["buyer_name"])
        if row["closing_date"]:
            day, at = event_when(row["closing_date"])
            first = (f"Bids close at {date_time(at)}" if at else "Closing date for bids") + f": {name} ({buyer}).\n"
            when = f"at {date_time(at)}" if at else f"on {long_date(day)}"
            events.append(
                Event(
                    uid=f"closing-{row['slug']}@{site.uid_host}",
                    day=day,
                    summary=f"Closing date: {name}",
                    description=f"{first}As of {long_date(site.build_date)}: {row['status_text']}{more}",
                    url=page,
                    cancelled=cancelled,
                    at=at,
                    reminders=(
                        Reminder(7, f"Bids for {name} close in a week, {when}."),
                        Reminder(1, f"Bids for {name} close tomorrow, {when}."),
                    ),
                )
            )
        if row["event_date"]:
            title = plain_text(row["event_title"]) or "Market engagement event"
            events.append(
                Event(
                    uid=f"event-{row['slug']}@{site.uid_host}",
                    day=row["event_date"],
                    summary=f"{title}: {name}",
                    description=f"{title}, about {name} ({buyer}).{more}",
                    url=page,
                    cancelled=cancelled,
                    reminders=(Reminder(1, f"{title}, about {name}, is tomorrow, {long_date(row['event_date'])}."),),
                )
            )
    return events
