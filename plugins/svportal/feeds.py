"""Follow opportunities without an account: Atom feeds and iCalendar files.

Pure: plain values in, bytes out. Nothing here reads the clock: every date comes
from the data or from the build date, so the same data and build date give
byte-identical files. Identifiers are stable across builds: Atom ids are tag: URIs
(RFC 4151) and calendar UIDs are ``closing-<slug>@<authority>``, where the
authority is the host of SITEURL or, when there is none (development), a slug of
the site's name.
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
from .parse import slugify

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAG_DATE = "2026"  # the date part of every tag: URI; never change it, or every id changes
# Characters XML 1.0 cannot carry, even escaped (control characters pasted from spreadsheets)
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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

    def link(self, path: str) -> str:
        """The address of a path inside the site: absolute when SITEURL is, else from the root."""
        return f"{self.url.rstrip('/')}/{path.lstrip('/')}"

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
class Event:
    uid: str
    day: dt.date  # the (UK) date of the event
    summary: str
    description: str
    url: str | None = None
    cancelled: bool = False
    at: dt.datetime | None = None  # the moment, when the data gives a time (with its offset)


def event_when(value: dt.date | dt.datetime) -> tuple[dt.date, dt.datetime | None]:
    """A date, or a date and time, as an Event's ``day`` and ``at``: the UK date of a moment, and the moment."""
    if isinstance(value, dt.datetime):
        return uk_time(value).date(), value
    return value, None


def calendar(site: Site, *, name: str, description: str, events: list[Event]) -> bytes:
    """An iCalendar file of events, in date order; DTSTAMP is the build date.

    An event with a time starts at that moment, written in UTC (``DTSTART:20261201T120000Z``), and has no
    length (a deadline); one with a date only is an all-day event (``DTSTART;VALUE=DATE``).
    """
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{site.authority}//{site.name} opportunities//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    stamp = dt.datetime.combine(site.build_date, dt.time(0, 0), tzinfo=dt.UTC)
    for event in sorted(events, key=lambda e: (e.day, e.uid)):
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        if event.at is not None:
            item.add("dtstart", event.at.astimezone(dt.UTC))
        else:
            item.add("dtstart", event.day)
            item.add("dtend", event.day + dt.timedelta(days=1))
        item.add("summary", event.summary)
        item.add("description", event.description)
        item.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        if event.url:
            item.add("url", event.url)
        cal.add_component(item)
    return cal.to_ical()


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
    """Every closing date and every engagement event of ``rows`` as all-day events."""
    events = []
    for row in rows:
        page = site.link(f"opportunities/{row['slug']}/") if site.absolute else None
        more = f"\n\nDetails: {page}" if page else ""
        cancelled = row["status"] in ("cancelled", "withdrawn")
        name, buyer = plain_text(row["title"]), plain_text(row["buyer_name"])
        if row["closing_date"]:
            day, at = event_when(row["closing_date"])
            first = (f"Bids close at {date_time(at)}" if at else "Closing date for bids") + f": {name} ({buyer}).\n"
            events.append(
                Event(
                    uid=f"closing-{row['slug']}@{site.authority}",
                    day=day,
                    summary=f"Closing date: {name}",
                    description=f"{first}As of {long_date(site.build_date)}: {row['status_text']}{more}",
                    url=page,
                    cancelled=cancelled,
                    at=at,
                )
            )
        if row["event_date"]:
            title = plain_text(row["event_title"]) or "Market engagement event"
            events.append(
                Event(
                    uid=f"event-{row['slug']}@{site.authority}",
                    day=row["event_date"],
                    summary=f"{title}: {name}",
                    description=f"{title}, about {name} ({buyer}).{more}",
                    url=page,
                    cancelled=cancelled,
                )
            )
    return events
