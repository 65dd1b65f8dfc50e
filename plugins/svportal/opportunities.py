"""Commissioning opportunities as of the build date: statuses, sections, filters.

Pure pandas and plain Python: the validated ``opportunities`` table in, plain
values for the templates and feeds out. No Pelican, no HTML.

Rules (the listing page explains them to readers):

* The closing date is a date (bids close at the end of that day) or a date and
  time with its offset (bids close at that moment). The build date is taken
  as the start of that day in the UK, and days are counted in UK dates.
* An ``open`` opportunity that closed before the build date (a closing time
  at midnight on the build date included) counts as *closed*: the data may
  not have been updated since it closed.
* *Closing soon* means open and closing within ``closing_soon_days`` of the
  build date, both ends included (0 days: it closes today).
* ``closed``, ``awarded``, ``unsuccessful``, ``cancelled`` and ``withdrawn``
  ones are listed under *Recently closed* (their status says which) when they
  ended within ``recently_closed_days`` of the build date, and under *Closed
  earlier* after that. An opportunity ends on its closing date (else its
  published date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from .formatting import date as long_date
from .formatting import date_time, money, uk_time
from .parse import UK_TIME, slugify
from .records import records

# --- statuses as of the build date ---------------------------------------------

CLOSING_SOON = "closing-soon"
OPEN = "open"
PIPELINE = "pipeline"
CLOSED = "closed"
AWARDED = "awarded"
UNSUCCESSFUL = "unsuccessful"
CANCELLED = "cancelled"
WITHDRAWN = "withdrawn"

# The labels of the stages are the contract's (``enumLabels`` of opportunities.stage; the page model puts
# them in): these are the defaults, and the label of the one status that is not a stage, closing soon.
STATUS_LABELS = {
    CLOSING_SOON: "Closing soon",
    OPEN: "Open",
    PIPELINE: "Planned",
    CLOSED: "Closed",
    AWARDED: "Awarded",
    UNSUCCESSFUL: "Not awarded",
    CANCELLED: "Cancelled",
    WITHDRAWN: "Withdrawn",
}
STATUS_COLOURS = {
    CLOSING_SOON: "orange",
    OPEN: "green",
    PIPELINE: "blue",
    CLOSED: "grey",
    AWARDED: "purple",
    UNSUCCESSFUL: "pink",
    CANCELLED: "red",
    WITHDRAWN: "red",
}
ACTIONABLE = (CLOSING_SOON, OPEN, PIPELINE)  # what a bidder can still act on: the feeds carry these
FINISHED = (CLOSED, AWARDED, UNSUCCESSFUL, CANCELLED, WITHDRAWN)
CALLED_OFF = (CANCELLED, WITHDRAWN)  # their dates are shown as cancelled in calendars

# --- the sections of a listing, in page order ---------------------------------------

RECENTLY_CLOSED = "recently-closed"
CLOSED_EARLIER = "closed-earlier"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    intro: str  # what the section holds; {days} and {recent} are filled in
    empty: str  # shown when the section has no rows
    date_heading: str  # the heading of the table's date column
    show_status: bool = False


SECTIONS = (
    Section(
        CLOSING_SOON,
        "Closing soon",
        "Open for bids and closing within {days} days, soonest first.",
        "Nothing closes in the next {days} days.",
        "Closing date",
    ),
    Section(
        OPEN,
        "Open",
        "Open for bids, closing later, soonest first.",
        "No other opportunities are open for bids.",
        "Closing date",
    ),
    Section(
        PIPELINE,
        "Pipeline: planned",
        "Planned but not yet open for bids, by expected start. Market engagement events are a chance to shape them.",
        "No opportunities are planned yet.",
        "Expected start",
    ),
    Section(
        RECENTLY_CLOSED,
        "Recently closed",
        "Closed, awarded, cancelled or withdrawn in the last {recent} days (the status says which), most recent first.",
        "Nothing has closed in the last {recent} days.",
        "Closing date",
        True,
    ),
    Section(
        CLOSED_EARLIER,
        "Closed earlier",
        "Closed, awarded, cancelled or withdrawn more than {recent} days ago.",
        "",
        "Closing date",
        True,
    ),
)


def statuses(frame: pd.DataFrame, build_date: pd.Timestamp, closing_soon_days: int) -> pd.Series:
    """Each opportunity's status as of ``build_date`` (one of STATUS_LABELS' keys)."""
    stage = frame["stage"].astype(object).where(frame["stage"].notna(), None)
    days = days_left(frame, build_date)
    is_open = stage.eq(OPEN)
    closes = closing_moments(frame["closing_date"])
    past = is_open & closes.notna() & (closes <= start_of_day(build_date))
    soon = is_open & ~past & days.between(0, closing_soon_days).fillna(False).astype(bool)
    status = stage.copy()
    status[past] = CLOSED
    status[soon] = CLOSING_SOON
    return status


def start_of_day(day) -> pd.Timestamp:
    """The first moment of a day in the UK, in UTC."""
    day = pd.Timestamp(day)
    return pd.Timestamp(dt.datetime(day.year, day.month, day.day, tzinfo=UK_TIME)).tz_convert("UTC")


def closing_days(closing: pd.Series) -> pd.Series:
    """The UK date on which each opportunity closes (datetime64; NaT without a closing date).

    A date is its own day; a date and time is the date the UK clocks show at that moment.
    """
    days = [None if value is None or value is pd.NaT else _day_of(value) for value in closing.astype(object)]
    return pd.Series(pd.to_datetime(days), index=closing.index, dtype="datetime64[ns]")


def _day_of(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return uk_time(value).date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def closing_moments(closing: pd.Series) -> pd.Series:
    """When bids close, in UTC: the moment given, or the end of the closing day (UK time) for a date alone."""
    moments = []
    for value in closing.astype(object):
        if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
            moments.append(pd.NaT)
        elif isinstance(value, dt.datetime) and not isinstance(value, pd.Timestamp):
            moments.append(pd.Timestamp(value if value.tzinfo else value.replace(tzinfo=UK_TIME)).tz_convert("UTC"))
        else:
            moments.append(start_of_day(_day_of(value) + dt.timedelta(days=1)))
    return pd.Series(pd.to_datetime(moments, utc=True), index=closing.index)


def days_left(frame: pd.DataFrame, build_date: pd.Timestamp) -> pd.Series:
    """Whole days from the build date to the (UK) closing date (negative once closed; NA without one)."""
    return (closing_days(frame["closing_date"]) - pd.Timestamp(build_date).normalize()).dt.days.astype("Int64")


def section_keys(status: pd.Series, ended: pd.Series, build_date: pd.Timestamp, recently_closed_days: int) -> pd.Series:
    """The listing section of each opportunity, from its status and the day it ended."""
    cutoff = pd.Timestamp(build_date).normalize() - pd.Timedelta(days=recently_closed_days)
    finished = status.isin(FINISHED)
    earlier = finished & ended.notna() & (ended < cutoff)
    keys = status.copy()
    keys[finished] = RECENTLY_CLOSED
    keys[earlier] = CLOSED_EARLIER
    return keys


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in page order: by section, then open ones by closing date, planned ones by
    expected start (then published date), closed ones most recent first."""
    parts = []
    for section in SECTIONS:
        part = frame[frame["section"] == section.key]
        if section.key in (CLOSING_SOON, OPEN):
            part = part.sort_values(["_closes", "title", "opportunity_id"], na_position="last", kind="stable")
        elif section.key == PIPELINE:
            part = part.sort_values(
                ["expected_start", "published_date", "opportunity_id"], na_position="last", kind="stable"
            )
        else:
            part = part.sort_values("opportunity_id", kind="stable").sort_values(
                "_ended", ascending=False, na_position="last", kind="stable"
            )
        parts.append(part)
    return pd.concat(parts) if parts else frame


# --- text the pages show ------------------------------------------------------------


def value_range(low, high) -> str:
    """``£10,000 to £50,000``, one end only, or ``Not published``."""
    if low is None and high is None:
        return "Not published"
    if high is None:
        return f"From {money(low)}"
    if low is None:
        return f"Up to {money(high)}"
    if money(low) == money(high):
        return money(low)
    return f"{money(low)} to {money(high)}"


def closing_phrase(days: int | None) -> str | None:
    """``closes today``, ``closes tomorrow``, ``closes in 3 days`` (None once closed or without a date)."""
    if days is None or days < 0:
        return None
    if days == 0:
        return "closes today"
    if days == 1:
        return "closes tomorrow"
    return f"closes in {days} days"


def status_sentence(row: dict) -> str:
    """The opportunity's status as of the build date, as a sentence for its page."""
    status, closing = row["status"], row["closing_date"]
    when = date_time(closing)
    closed = ("at " if isinstance(closing, dt.datetime) else "on ") + when
    if status in (CLOSING_SOON, OPEN):
        if closing is None:
            return "Open for bids."
        return f"Open for bids until {when}: it {row['closing_text']}."
    if status == PIPELINE:
        start = row["expected_start"]
        return "Planned: not open for bids yet." + (
            f" The contract is expected to start on {long_date(start)}." if start else ""
        )
    if status == AWARDED:
        return "Awarded: the contract or grant has been awarded." + (f" Bids closed {closed}." if closing else "")
    if status == UNSUCCESSFUL:
        return "Not awarded: the procurement ended without an award." + (f" Bids closed {closed}." if closing else "")
    if status == CANCELLED:
        return "Cancelled: the buyer has cancelled this opportunity." + (
            f" Its closing date was {when}." if closing else ""
        )
    if status == WITHDRAWN:
        return "Withdrawn: the buyer has withdrawn this notice." + (f" Its closing date was {when}." if closing else "")
    return f"Closed: bids closed {closed}." if closing else "Closed to bids."


def describe(row: dict, known_priority_slugs: frozenset[str], build_date: pd.Timestamp) -> dict:
    """Add the display values a template needs to one record (plain values, no NaN)."""
    days = row.pop("_days")
    row["days_left"] = days
    row["closing_text"] = closing_phrase(days) if row["status"] in (CLOSING_SOON, OPEN) else None
    row["status_label"] = STATUS_LABELS[row["status"]]
    row["status_colour"] = STATUS_COLOURS[row["status"]]
    row["status_text"] = status_sentence(row)
    row["value_text"] = value_range(row["value_min_gbp"], row["value_max_gbp"])
    row["route_label"] = _code_words(row["route"]) or "Not published"  # the page model gives the contract's label
    row["suitability"] = [
        label for label, flag in (("VCSE", row["suitable_for_vcse"]), ("SME", row["suitable_for_sme"])) if flag
    ]
    row["priority_links"] = [
        {"name": name, "slug": slugify(name) if slugify(name) in known_priority_slugs else None}
        for name in row["priorities"] or []
    ]
    row["event_upcoming"] = bool(row["event_date"] and row["event_date"] >= build_date.date())
    closing = row["closing_date"]
    row["closes_text"] = (  # the home page's "closes at 12pm on 1 December 2026" (or "closing date 1 December 2026")
        f"closes at {date_time(closing)}" if isinstance(closing, dt.datetime) else f"closing date {date_time(closing)}"
    )
    row["closes_at"] = row.pop("_closes")  # when bids close, in UTC (a date alone: the end of that day, UK time)
    del row["_ended"]
    return row


def _code_words(code: str | None) -> str | None:
    """A code as words until the page model gives the contract's label: ``co-design`` -> ``Co design``."""
    return code.replace("-", " ").capitalize() if code else None


# --- filters: static pages at stable addresses ----------------------------------------


@dataclass(frozen=True)
class Filter:
    """One filtered listing: ``/opportunities/<path>/``."""

    kind: str  # vcse, sme, buyer, route, priority
    path: str  # vcse, sme, buyer/<slug>, route/<slug>, priority/<slug>
    label: str  # the link text in the list of filters
    title: str  # the page's heading
    ids: frozenset[str] = field(default_factory=frozenset)


FILTER_GROUPS = (
    ("suitability", "Who can bid"),
    ("route", "Route"),
    ("buyer", "Buyer"),
    ("priority", "Social value priority sought"),
)


def filters(rows: list[dict], route_labels: dict[str, str] | None = None) -> list[Filter]:
    """Every filter page, in a stable order: VCSE and SME always; one per buyer, route and priority present.

    ``route_labels``: what each route code reads as (the contract's ``enumLabels``).
    """
    route_labels = route_labels or {}
    found = [
        Filter(
            "vcse",
            "vcse",
            "Suitable for VCSE organisations",
            "Opportunities suitable for voluntary, community and social enterprise organisations",
            frozenset(r["opportunity_id"] for r in rows if r["suitable_for_vcse"]),
        ),
        Filter(
            "sme",
            "sme",
            "Suitable for small and medium-sized enterprises (SMEs)",
            "Opportunities suitable for small and medium-sized enterprises",
            frozenset(r["opportunity_id"] for r in rows if r["suitable_for_sme"]),
        ),
    ]
    found += _grouped(
        rows,
        "route",
        lambda r: [r["route"]] if r["route"] else [],
        lambda name: route_labels.get(name) or _code_words(name),
        lambda label: f"Opportunities by route: {label}",
    )
    found += _grouped(rows, "buyer", lambda r: [r["buyer_name"]], str, lambda name: f"Opportunities from {name}")
    found += _grouped(
        rows, "priority", lambda r: r["priorities"] or [], str, lambda name: f"Opportunities looking for: {name}"
    )
    return found


def _grouped(rows, kind, values, label, title) -> list[Filter]:
    """One filter per slug of the values ``values(row)`` gives; the first name seen (sorted) labels it."""
    names: dict[str, str] = {}
    ids: dict[str, set[str]] = {}
    for row in rows:
        for name in values(row):
            slug = slugify(name)
            if not slug:
                continue
            names[slug] = min(names.get(slug, name), name)
            ids.setdefault(slug, set()).add(row["opportunity_id"])
    return [
        Filter(kind, f"{kind}/{slug}", label(names[slug]), title(label(names[slug])), frozenset(ids[slug]))
        for slug in sorted(names, key=lambda s: (label(names[s]).casefold(), s))
    ]


def priorities_with_pages(measures: pd.DataFrame, commitments: pd.DataFrame) -> list[str]:
    """The priorities of measures.csv that have a page: those with at least one commitment."""
    used = measures["measure_id"].isin(commitments["measure_id"])
    return sorted(set(measures.loc[used, "priority"].dropna()))


# --- the whole listing ------------------------------------------------------------------


@dataclass
class Listing:
    rows: list[dict]  # every opportunity, in page order, with display values
    filters: list[Filter]
    closing_soon_days: int
    recently_closed_days: int

    def select(self, ids: frozenset[str] | None = None) -> list[dict]:
        return [r for r in self.rows if ids is None or r["opportunity_id"] in ids]

    def sections(self, ids: frozenset[str] | None = None) -> list[dict]:
        """The listing's sections with their rows (all, or only ``ids``); 'Closed earlier' only when not empty."""
        rows = self.select(ids)
        result = []
        for section in SECTIONS:
            members = [r for r in rows if r["section"] == section.key]
            if section.key == CLOSED_EARLIER and not members:
                continue
            result.append(
                {
                    "key": section.key,
                    "title": section.title,
                    "intro": section.intro.format(days=self.closing_soon_days, recent=self.recently_closed_days),
                    "empty": section.empty.format(days=self.closing_soon_days, recent=self.recently_closed_days),
                    "date_heading": section.date_heading,
                    "show_status": section.show_status,
                    "rows": members,
                }
            )
        return result

    def actionable(self, ids: frozenset[str] | None = None) -> list[dict]:
        """Open, closing soon and planned opportunities: what the feeds carry."""
        return [r for r in self.select(ids) if r["status"] in ACTIONABLE]

    def next_closing(self, count: int = 5) -> list[dict]:
        """The next ``count`` opportunities to close, soonest first (for the home page)."""
        open_rows = [r for r in self.rows if r["status"] in (CLOSING_SOON, OPEN) and r["closing_date"]]
        return sorted(open_rows, key=lambda r: (r["closes_at"], r["title"], r["opportunity_id"]))[:count]

    def filter_groups(self) -> list[dict]:
        """The filters grouped for the 'Filter opportunities' list, each with its count."""
        groups = []
        for kind, title in FILTER_GROUPS:
            kinds = ("vcse", "sme") if kind == "suitability" else (kind,)
            items = [{"path": f.path, "label": f.label, "count": len(f.ids)} for f in self.filters if f.kind in kinds]
            if items:
                groups.append({"title": title, "filters": items})
        return groups


def build_listing(
    frame: pd.DataFrame,
    build_date: pd.Timestamp,
    closing_soon_days: int = 14,
    recently_closed_days: int = 365,
    known_priorities=(),
    route_labels: dict[str, str] | None = None,
) -> Listing:
    """Everything the opportunity pages, feeds and calendars show, as of ``build_date``.

    ``known_priorities``: the priorities that have pages of their own (see
    ``priorities_with_pages``); an opportunity's priority links to its page only when it is one.
    ``route_labels``: what each route code reads as, for the titles of the route filters.
    """
    build_date = pd.Timestamp(build_date).normalize()
    known = frozenset(slugify(p) for p in known_priorities if isinstance(p, str) and p)
    frame = frame.copy()
    frame["slug"] = frame["opportunity_id"].map(slugify)
    frame["buyer_slug"] = frame["buyer_name"].map(slugify)
    frame["status"] = statuses(frame, build_date, closing_soon_days)
    frame["_days"] = days_left(frame, build_date)
    frame["_closes"] = closing_moments(frame["closing_date"])
    frame["_ended"] = closing_days(frame["closing_date"]).fillna(frame["published_date"])
    frame["section"] = section_keys(frame["status"], frame["_ended"], build_date, recently_closed_days)
    frame = ordered(frame)
    frame["_closes"] = pd.Series(  # as plain datetimes (records() would make Timestamps dates)
        [None if pd.isna(t) else t.to_pydatetime() for t in frame["_closes"]], index=frame.index, dtype=object
    )
    rows = [describe(row, known, build_date) for row in records(frame)]
    return Listing(rows, filters(rows, route_labels), closing_soon_days, recently_closed_days)
