"""Pelican glue for the opportunity pages, their filter pages, feeds and calendars.

Runs after ``PortalGenerator``, which loads the dataset into the shared context.
Writes:

    opportunities/index.html                 the listing: closing soon, open, pipeline, recently closed
    opportunities/feed.atom                  open and planned opportunities, as an Atom feed
    opportunities/deadlines.ics              every closing date and engagement event
    opportunities/<filter>/index.html        the same listing, filtered (vcse, sme, buyer/<slug>,
    opportunities/<filter>/feed.atom         route/<slug>, priority/<slug>), each with its own
    opportunities/<filter>/deadlines.ics     feed and calendar
    opportunities/<slug>/index.html          one opportunity

and puts ``next_closing`` (the next five to close) into the context for the home page.
"""

from __future__ import annotations

import logging
import time

from pelican.generators import Generator

from . import exports, feeds
from .downloads import DownloadWriter
from .opportunities import Filter, build_listing, priorities_with_pages

logger = logging.getLogger(__name__)

HOME_COUNT = 5
RECENTLY_CLOSED_DAYS = 365  # default of PORTAL["recently_closed_days"]


class OpportunitiesGenerator(DownloadWriter, Generator):
    """Writes /opportunities/ and everything under it."""

    def generate_context(self):
        portal = self.context["portal"]
        tables = self.context["portal_dataset"].tables
        self.portal = portal
        self.listing = build_listing(
            tables["opportunities"],
            portal.build_date,
            closing_soon_days=portal.closing_soon_days,
            recently_closed_days=int(portal.raw.get("recently_closed_days", RECENTLY_CLOSED_DAYS)),
            known_priorities=priorities_with_pages(tables["measures"], tables["commitments"]),
        )
        self.context["next_closing"] = self.listing.next_closing(HOME_COUNT)
        self.published = exports.with_labels("opportunities", tables["opportunities"], tables)

    def generate_output(self, writer):
        started = time.perf_counter()
        site = feeds.Site(
            url=self.settings.get("SITEURL", ""),
            name=self.settings.get("SITENAME", ""),
            publisher=self.portal.publisher,
            build_date=self.portal.build_date.date(),
        )
        self._listing(writer, site, None)
        for chosen in self.listing.filters:
            self._listing(writer, site, chosen)
        for row in self.listing.rows:
            folder = f"opportunities/{row['slug']}/"
            this = f"opportunity {row['opportunity_id']}"
            self._write_table(folder + "opportunity", [row["opportunity_id"]], f"the record of {this}")
            self._page(writer, folder + "index.html", "opportunity", f"the page of {this}", opportunity=row,
                       downloads=[("This opportunity", "opportunity")])
        logger.info(
            "Wrote %d opportunity pages, %d filtered lists with their feeds and calendars in %.2f s",
            len(self.listing.rows), len(self.listing.filters), time.perf_counter() - started,
        )

    def _listing(self, writer, site: feeds.Site, chosen: Filter | None) -> None:
        folder = "opportunities/" + (f"{chosen.path}/" if chosen else "")
        ids = chosen.ids if chosen else None
        title = chosen.title if chosen else "Opportunities"
        follow = {"feed": folder + "feed.atom", "calendar": folder + "deadlines.ics"}
        listed = f"the opportunities listed at {folder}"
        self._write_table(folder + "opportunities", [row["opportunity_id"] for row in self.listing.select(ids)], listed)
        self._page(
            writer, folder + "index.html", "opportunities_filter" if chosen else "opportunities", f"the page {folder}",
            page_title=title,
            opportunity_filter=chosen,
            sections=self.listing.sections(ids),
            matching=len(self.listing.select(ids)),
            filter_groups=self.listing.filter_groups(),
            follow=follow,
            downloads=[(f"{title}: every opportunity listed", "opportunities")],
        )
        name = f"{title} – {site.name}"
        self._write_bytes(follow["feed"], feeds.atom(
            site,
            title=name,
            subtitle="Open and planned commissioning opportunities, newest first.",
            feed_path=follow["feed"],
            page_path=folder,
            entries=feeds.opportunity_entries(site, self.listing.actionable(ids)),
        ), f"the feed of {listed}")
        self._write_bytes(follow["calendar"], feeds.calendar(
            site,
            name=name,
            description="Closing dates and market engagement events of commissioning opportunities.",
            events=feeds.opportunity_events(site, self.listing.select(ids)),
        ), f"the calendar of {listed}")

    def _page(self, writer, path: str, template: str, source: str, **values) -> None:
        """The page at ``path`` from ``template``; ``source`` says which page it is, should it clash."""
        self.written.claim(path, source)
        url = path.removesuffix("index.html")
        writer.write_file(
            path,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_url=url,
            nav_section="opportunities",
            closing_soon_days=self.listing.closing_soon_days,
            **values,
        )

    def _write_table(self, stem: str, ids: list[str], source: str) -> None:
        """The published rows of these opportunities, in this order, as ``stem.csv`` and ``stem.json``."""
        position = {opportunity_id: n for n, opportunity_id in enumerate(self.published["opportunity_id"])}
        rows = self.published.iloc[[position[i] for i in ids]]
        self._write_frame(stem, rows, source)
