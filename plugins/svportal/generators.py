"""Pelican glue: load the data, compute the page model once, write one page per thing.

Thin on purpose: the data work happens in load, model, opportunities and pages. :class:`SiteWriter`
writes a page, a file of bytes and a table's downloads (CSV and JSON); :class:`PortalGenerator`
has one short method per section of the site. Every file written is first claimed in one
:class:`WrittenPaths` per build, so no file can silently replace another: a second write to a
path stops the build, naming both.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import posixpath
import time
from pathlib import Path

import pandas as pd
from pelican.generators import Generator

from . import changelog, changes, exports, feeds, grants_export, ocds_export, previous, sitemap, spend_pages
from .area_pages import AreaPages, build_area_pages
from .charts import QUARTERS_CSV, RenderStats, quarters_csv, rendering
from .formatting import FILTERS, date
from .identity import read_identity
from .load import Dataset, load_dataset
from .markup import plain_text, prose_filter
from .opportunities import Filter
from .pages import SiteData, build_site_data
from .problems import DataError, errors
from .schema import read_contract
from .search_records import search_record
from .settings import PortalSettings, read_settings
from .tables import breakable, label_cells

logger = logging.getLogger(__name__)

CONTEXT_KEY = "svportal_written_paths"  # where a Pelican run keeps its registry of written paths
CONTRACT_TABLES = ["contracts", "commitments", "outcomes"]  # the sources of the contract listings
PER_CONTRACT = ("commitments", "outcomes")  # published tables whose rows each contract page offers too
GRANT_TABLES = {  # the downloads of /grants/: file stem -> what it holds
    "grants": "All grants",
    "grants-by-programme": "Grants by programme",
    "grants-by-recipient": "Grants by recipient",
    "grants-by-year": "Grants by financial year",
}


# --- signal receivers --------------------------------------------------------------------------


def add_filters(pelican) -> None:
    """``initialized``: the portal's formatting filters, for every template (content pages too)."""
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.update(FILTERS)
    filters["plain"] = plain_text  # titles and names: entities read once, then autoescaped
    filters["search_record"] = search_record  # what a page tells search: type, id, buyer, status, summary
    filters["label_cells"] = label_cells  # the table macro: each cell labelled with its heading
    filters["breakable"] = breakable  # long names and addresses wrap between their parts, not mid-word


def get_generators(pelican):
    """``get_generators``: the portal's one generator."""
    return [PortalGenerator]


def write_sitemap(pelican) -> None:
    """``finalized``: robots.txt always; sitemap.xml only with an absolute SITEURL (``make publish``)."""
    folder = Path(pelican.output_path)
    portal = read_settings(pelican.settings)
    siteurl = portal.absolute_siteurl
    if siteurl:
        urls = sitemap.page_urls(folder, siteurl)
        (folder / "sitemap.xml").write_bytes(sitemap.sitemap_xml(urls, f"{portal.build_date:%Y-%m-%d}"))
    (folder / "robots.txt").write_bytes(sitemap.robots_txt(siteurl))


# --- the registry of written paths ---------------------------------------------------------------


class PathWrittenTwice(Exception):
    """Two files of one build would have the same path: the second would silently replace the first."""


def path_key(path: str) -> str:
    """``path`` as the file system sees it: ``a//b/./c`` is ``a/b/c``, and case does not count (macOS, Windows)."""
    return posixpath.normpath(path.replace("\\", "/")).casefold()


class WrittenPaths:
    """The paths written so far in one build, each with what wrote it."""

    def __init__(self) -> None:
        self._sources: dict[str, tuple[str, str]] = {}

    def claim(self, path: str, source: str) -> None:
        """Record that ``source`` writes ``path``; raise :class:`PathWrittenTwice` if something already did."""
        key = path_key(path)
        if key in self._sources:
            first_path, first_source = self._sources[key]
            same = "" if first_path == path else f" (as {first_path})"
            raise PathWrittenTwice(f"{path} is written twice: by {first_source}{same} and by {source}")
        self._sources[key] = (path, source)

    def __contains__(self, path: str) -> bool:
        return path_key(path) in self._sources

    def __len__(self) -> int:
        return len(self._sources)


def written_paths(context: dict) -> WrittenPaths:
    """The registry of this Pelican run, made on first use: each run has its own context, so its own registry."""
    return context.setdefault(CONTEXT_KEY, WrittenPaths())


# --- writing -------------------------------------------------------------------------------------


class WriteClock:
    """How many pages and downloads were written and the seconds spent on each (the log and the benchmark).

    ``with clock.timing("downloads"):`` counts the block's time once, however deeply such blocks nest
    (a table's downloads are timed as a whole, not again for each of its files).
    """

    def __init__(self) -> None:
        self.seconds = {"pages": 0.0, "downloads": 0.0}
        self.files = {"pages": 0, "downloads": 0}
        self._outermost: str | None = None

    @contextlib.contextmanager
    def timing(self, kind: str):
        if self._outermost is not None:
            yield
            return
        self._outermost, started = kind, time.perf_counter()
        try:
            yield
        finally:
            self.seconds[kind] += time.perf_counter() - started
            self._outermost = None

    def count(self, kind: str) -> None:
        self.files[kind] += 1


class SiteWriter(Generator):
    """A Pelican generator that writes pages, files and table downloads, each path once."""

    portal: PortalSettings

    @property
    def written(self) -> WrittenPaths:
        """Every path written so far in this build."""
        return written_paths(self.context)

    @functools.cached_property
    def clock(self) -> WriteClock:
        return WriteClock()

    def write_page(self, writer, path: str, template: str, source: str | None = None, **values) -> None:
        """The page at ``path`` from ``template``; ``source`` says which page it is, should it clash."""
        self.written.claim(path, source or f"the {template.replace('_', ' ')} page")
        with self.clock.timing("pages"):
            writer.write_file(
                path,
                self.get_template(template),
                self.context,
                relative_urls=self.portal.relative_urls,
                url=path.removesuffix("index.html"),
                **values,
            )
        self.clock.count("pages")

    def write_bytes(self, path: str, content: bytes, source: str) -> None:
        """A file at ``path`` below the output folder; ``source`` says what it is, should it clash."""
        self.written.claim(path, source)
        with self.clock.timing("downloads"):
            target = Path(self.output_path) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        self.clock.count("downloads")

    def write_table(self, stem: str, frame: pd.DataFrame, source: str) -> None:
        """A table's downloads: ``stem.csv`` and ``stem.json``."""
        with self.clock.timing("downloads"):
            self.write_bytes(f"{stem}.csv", exports.to_csv(frame), source)
            self.write_bytes(f"{stem}.json", exports.to_json(frame), source)

    def table_files(self, name: str) -> exports.TableFiles:
        """The published table ``name`` converted once (exports.TableFiles), for all the files made of its rows."""
        found = self.__dict__.setdefault("_table_files", {})
        if name not in found:
            with self.clock.timing("downloads"):
                found[name] = exports.TableFiles(self.data.published[name])
        return found[name]

    def write_rows(self, stem: str, table: exports.TableFiles, positions, source: str) -> None:
        """Some rows of a table converted once (exports.TableFiles) as ``stem.csv`` and ``stem.json``."""
        with self.clock.timing("downloads"):
            self.write_bytes(f"{stem}.csv", table.csv(positions), source)
            self.write_bytes(f"{stem}.json", table.json(positions), source)

    def write_chart_data(self, folder: str, chart, source: str) -> None:
        """A chart's data as CSV, in the charts/ folder beside its page (``folder``, "" for the top)."""
        with self.clock.timing("downloads"):
            self.write_bytes(posixpath.join(folder, chart.csv_path), chart.csv_bytes(), source)

    def write_contract_charts(self, folder: str, charted: list[dict], of: str) -> None:
        """A contract's charts as SVG files (chart.svg_path: its page shows them as images, and stays light
        however many it has) and their data in one CSV beside its page (charts.quarters_csv)."""
        with self.clock.timing("downloads"):
            for commitment in charted:
                chart, measure = commitment["chart"], commitment["measure_id"]
                self.write_bytes(
                    posixpath.join(folder, chart.svg_path),
                    chart.svg_bytes(),
                    f"the chart of measure {measure!r} of {of}",
                )
            if charted:
                self.write_bytes(
                    f"{folder}/{QUARTERS_CSV}", quarters_csv(charted), f"the quarter-by-quarter data of {of}"
                )


# --- the site, section by section ------------------------------------------------------------------


class PortalGenerator(SiteWriter):
    """Reads ``data/``, computes the page model and writes every page the portal generates."""

    def generate_context(self):
        self.portal = read_settings(self.settings)
        self.dataset = self._load()  # (also reads the publisher's identity into self.portal)
        self.env.filters["prose"] = prose_filter(self.dataset.contract)  # Markdown or plain text, as the contract says
        started = time.perf_counter()
        self.data: SiteData = build_site_data(self.dataset, self.portal, previous.read(self.portal.previous))
        self.areas: AreaPages = build_area_pages(self.dataset, self.data, self.portal)
        logger.info(
            "Computed delivery against %d commitments in %.2f s", len(self.data.progress), time.perf_counter() - started
        )
        self.context.update(
            SITENAME=self.portal.sitename,  # the settings' SITENAME, or "Social value in <area>" from the data
            portal=self.portal,
            build_date=self.portal.build_date.date(),
            build_date_display=date(self.portal.build_date),
            data_updated=self.data.data_updated,
            as_at=self.data.as_at.date(),
            vocabulary=self.data.vocabulary,  # every status word and its meaning: contract and methodology pages
            has_grants=bool(self.data.grants.rows),  # base.html: the Grants item of the menu
            has_spend=self.data.spend.present,  # base.html: the Spend item of the menu
        )

    def _load(self) -> Dataset:
        """The validated dataset and the publisher's identity; every data problem at once stops the build."""
        started = time.perf_counter()
        contract = read_contract(self.portal.contract)
        dataset = load_dataset(self.portal.data_dir, contract)
        identity, identity_problems = read_identity(self.portal.data_dir, contract)
        if dataset.errors or errors(identity_problems):
            raise DataError(identity_problems + dataset.problems)
        dataset.problems += identity_problems  # warnings only (a draft identity): the data-quality page lists them
        self.portal = self.portal.with_identity(identity)
        counts = ", ".join(f"{len(frame):,} {name}" for name, frame in dataset.tables.items())
        logger.info("Read %s from %s in %.2f s", counts, self.portal.data_dir, time.perf_counter() - started)
        return dataset

    def generate_output(self, writer):
        # Everything the pages are made from exists now and lives to the end of the run: the garbage
        # collector need not look at it again each time the pages' own objects make it run
        # (it grew faster than the data: 0.7 s at 500 contracts, 11.7 s at 5,000).
        gc.collect()
        gc.freeze()
        try:
            # The charts missing from the cache are rendered by worker processes while the pages are written:
            # the other pages' charts first, then the contracts' in the order their pages are written.
            page_charts = self.data.other_charts() + self.areas.charts
            with rendering(page_charts + self.data.contract_charts(), self.portal.chart_cache) as self.charts:
                self.charts.ready(page_charts)
                self.write_sections(writer)
            log_charts(self.charts.stats)
        finally:
            gc.unfreeze()

    def write_sections(self, writer) -> None:
        started = time.perf_counter()
        self.write_home(writer)
        self.write_data(writer)
        self.write_data_quality(writer)
        self.write_search(writer)
        self.write_changes(writer)
        self.write_suppliers_and_buyers(writer)
        self.write_priorities(writer)
        self.write_indicators(writer)
        self.write_areas(writer)
        self.write_grants(writer)
        self.write_spend(writer)
        self.write_opportunities(writer)
        logger.info(
            "Wrote %d supplier, %d buyer and %d opportunity pages, %d filtered lists of opportunities with their "
            "feeds and calendars, and the other pages, in %.2f s",
            len(self.data.supplier_rows),
            len(self.data.buyer_rows),
            len(self.data.opportunities.rows),
            len(self.data.opportunities.filters),
            time.perf_counter() - started,
        )
        started = time.perf_counter()
        self.write_contracts(writer)  # last: its charts are the last rendered
        logger.info(
            "Wrote %d contract pages with their downloads (as their charts were rendered) in %.2f s",
            len(self.data.contracts),
            time.perf_counter() - started,
        )
        clock = self.clock
        logger.info(
            "Wrote %d pages in %.2f s and %d downloads (CSV, JSON, feeds, calendars) in %.2f s",
            clock.files["pages"],
            clock.seconds["pages"],
            clock.files["downloads"],
            clock.seconds["downloads"],
        )

    def write_home(self, writer) -> None:
        """/: the headline figures, the dashboard and its charts' data, the next opportunities to close."""
        data = self.data
        self.write_page(
            writer,
            "index.html",
            "home",
            headline=data.headline,
            buyers=data.buyer_rows,
            dashboard=data.dashboard,
            next_closing=data.next_closing,
            grant_totals=data.grants.totals or None,
            sources=["contracts", "measures", "commitments", "outcomes"],
        )
        for name, chart in data.dashboard["charts"].items():
            self.write_chart_data("", chart, f"the home page chart of {name}")

    def write_data(self, writer) -> None:
        """/data/: every dataset as CSV and JSON, the data package and the data dictionary."""
        published, portal = self.data.published, self.portal
        resources = [resource for resource, _ in self.data.catalogue]
        for resource in resources:
            name = resource["name"]
            if grants_export.is_package(name, len(published[name])):  # its JSON is the 360Giving package
                self.write_bytes(f"data/{name}.csv", exports.to_csv(published[name]), f"the {name} dataset")
                package = grants_export.grants_package(self.dataset.tables[name], self.dataset.contract.table(name))
                self.write_bytes(grants_export.PATH, grants_export.to_json(package), "the 360Giving grants package")
                continue
            if name in PER_CONTRACT:  # converted once, for this download and each contract's
                self.write_rows(f"data/{name}", self.table_files(name), None, f"the {name} dataset")
            else:
                self.write_table(f"data/{name}", published[name], f"the {name} dataset")
        self.write_bytes(
            "data/datapackage.json",
            exports.data_package(
                self.dataset.contract,
                resources,
                portal.licence_name,
                portal.licence_url,
                portal.publisher,
                portal.build_date,
            ),
            "the data package",
        )
        self.write_bytes(ocds_export.PATH, ocds_export.to_json(self.data.ocds), "the OCDS release package")
        datasets = self.data.datasets
        names = [d["name"] for d in datasets]
        self.write_page(
            writer,
            "data/index.html",
            "data",
            datasets=datasets,
            ocds_releases=len(self.data.ocds.get("releases", [])),
            nav_section="data",
            sources=names,
        )
        self.write_page(
            writer,
            "data/dictionary/index.html",
            "data_dictionary",
            datasets=datasets,
            nav_section="data",
            sources=names,
        )

    def write_data_quality(self, writer) -> None:
        """/data-quality/: the warnings of this build, each linking the record concerned."""
        found = self.data.quality
        self.write_table(
            "data-quality/overdue-returns",
            found["frames"]["overdue"].drop(columns=["slug"]),
            "the list of overdue returns",
        )
        self.write_table("data-quality/completeness", found["frames"]["completeness"], "the completeness table")
        self.write_table(
            "data-quality/unmatched-payees", found["frames"]["unmatched_payees"], "the list of unmatched payees"
        )
        self.write_page(
            writer,
            "data-quality/index.html",
            "data_quality",
            quality=found,
            changes=self.data.changes,
            nav_section="data",
            sources=["contracts", "commitments", "outcomes", "measures", "opportunities"],
            downloads=[
                ("Overdue returns", "overdue-returns"),
                ("Completeness of every optional column", "completeness"),
                ("Payees not matched to an organisation", "unmatched-payees"),
            ],
        )

    def write_changes(self, writer) -> None:
        """/changes/: what changed at each publish, its feed; /data/snapshot.json, for the next publish to compare."""
        found = self.data.changes
        self.write_bytes(changes.PATH, found.snapshot_json, "the snapshot of this publish")
        follow = {"feed": changelog.FEED_PATH}
        self.write_page(
            writer,
            changelog.PAGE_PATH + "index.html",
            "changes",
            changes=found,
            follow=follow,
            keep_days=changes.KEEP_DAYS,
            feed_limit=changelog.FEED_LIMIT,
            nav_section="changes",
            sources=["contracts", "commitments", "outcomes", "opportunities"],
        )
        site = feeds.Site(
            url=self.portal.siteurl,
            name=self.portal.sitename,
            publisher=self.portal.publisher,
            build_date=self.portal.build_date.date(),
        )
        self.write_bytes(
            changelog.FEED_PATH,
            feeds.atom(
                site,
                title=f"What has changed – {site.name}",
                subtitle="Contracts, commitments, statuses, returns and opportunities that changed, newest first.",
                feed_path=changelog.FEED_PATH,
                page_path=changelog.PAGE_PATH,
                entries=changelog.feed_entries(site, found),
            ),
            "the feed of changes",
        )

    def write_search(self, writer) -> None:
        """/search/: the search page (Pagefind indexes the site after Pelican)."""
        self.write_page(writer, "search/index.html", "search", nav_section="search")

    def write_contracts(self, writer) -> None:
        """/contracts/: the list, its filter pages and one page per contract with its downloads."""
        data = self.data
        # each published table converted once; each page's downloads are its rows (no DataFrame per page)
        listing = self.table_files("contracts_listing")
        commitments, outcomes = self.table_files("commitments"), self.table_files("outcomes")
        at = listing.positions_of("contract_id")
        listed = [p for c in data.contracts for p in at[c["contract_id"]]]
        self.write_rows("contracts/contracts", listing, listed, "the list of all contracts")
        facet_groups = {**data.facet_groups, **self.areas.facet_groups}  # the ward filter links to /areas/
        self.write_page(
            writer,
            "contracts/index.html",
            "contracts",
            contracts=data.contracts,
            nav_section="contracts",
            sources=CONTRACT_TABLES,
            downloads=[("All contracts", "contracts")],
            facet_groups=facet_groups,
        )
        for facet in data.facets:
            folder = f"contracts/{facet['path']}"
            shown = [p for c in facet["contracts"] for p in at[c["contract_id"]]]
            self.write_rows(f"{folder}/contracts", listing, shown, f"the list of contracts {facet['path']}")
            self.write_page(
                writer,
                f"{folder}/index.html",
                "contracts_facet",
                f"the page of contracts {facet['path']}",
                facet=facet,
                contracts=facet["contracts"],
                facet_groups=facet_groups,
                nav_section="contracts",
                sources=CONTRACT_TABLES,
                downloads=[(f"Contracts: {facet['label']}", "contracts")],
            )
        commitments_at, outcomes_at = commitments.positions_of("contract_id"), outcomes.positions_of("contract_id")
        for number, row in enumerate(data.contracts, 1):
            contract_id = row["contract_id"]
            folder, of = f"contracts/{row['slug']}", f"contract {contract_id}"
            own = data.commitments_by_contract.get(contract_id, [])
            charted = [commitment for commitment in own if commitment["chart"]]
            self.charts.ready([commitment["chart"] for commitment in charted])
            self.write_contract_charts(folder, charted, of)
            self.write_rows(f"{folder}/contract", listing, at[contract_id], f"the record of {of}")
            self.write_rows(
                f"{folder}/commitments", commitments, commitments_at.get(contract_id, []), f"the commitments of {of}"
            )
            self.write_rows(
                f"{folder}/outcomes", outcomes, outcomes_at.get(contract_id, []), f"the quarterly returns of {of}"
            )
            self.write_page(
                writer,
                f"{folder}/index.html",
                "contract",
                f"the page of {of}",
                contract=row,
                commitments=own,
                quarters_csv=QUARTERS_CSV,  # its charts' data, beside it
                performance=data.performance.get(row["contract_id"], []),
                spend=data.spend.contract_spend.get(row["contract_id"]),  # with payments.csv only (spend_pages.py)
                nav_section="contracts",
                sources=[*CONTRACT_TABLES, "measures"] + (["payments"] if data.spend.present else []),
                downloads=[
                    ("This contract", "contract"),
                    ("Its commitments", "commitments"),
                    ("Its quarterly returns", "outcomes"),
                ],
            )
            if charted:  # each chart's table, linked from the chart
                self.write_page(
                    writer,
                    f"{folder}/quarters/index.html",
                    "contract_quarters",
                    f"the quarter-by-quarter tables of {of}",
                    contract=row,
                    commitments=own,
                    quarters_csv=f"../{QUARTERS_CSV}",
                    nav_section="contracts",
                    sources=[*CONTRACT_TABLES, "measures"],
                )
            log_progress("contract", number, len(data.contracts))

    def write_suppliers_and_buyers(self, writer) -> None:
        """/suppliers/ and /buyers/: each list and one page per supplier and buyer with its contracts."""
        data = self.data
        entities = [
            ("suppliers", "supplier", data.suppliers, data.supplier_rows, data.supplier_contracts, "Contracts held by"),
            ("buyers", "buyer", data.buyers, data.buyer_rows, data.buyer_contracts, "Contracts let by"),
        ]
        for kind, template, table, rows, contracts_of, caption in entities:
            self.write_table(f"{kind}/{kind}", table.drop(columns=["slug"]), f"the list of {kind}")
            self.write_page(
                writer,
                f"{kind}/index.html",
                kind,
                nav_section=kind,
                sources=CONTRACT_TABLES,
                downloads=[(f"All {kind}", kind)],
                **{kind: rows},
            )
            received_by = data.grants.supplier_grants if kind == "suppliers" else data.grants.buyer_grants
            for number, row in enumerate(rows, 1):
                folder, held = f"{kind}/{row['slug']}", contracts_of[row["slug"]]
                received = received_by.get(row["slug"])  # its grants, when it received any (grant_pages.py)
                self.write_table(
                    f"{folder}/contracts",
                    data.contracts_download(c["contract_id"] for c in held),
                    f"the contracts of {template} {row['name']!r}",
                )
                if received:
                    self.write_table(
                        f"{folder}/grants",
                        data.grants.download(g["grant_id"] for g in received),
                        f"the grants of {template} {row['name']!r}",
                    )
                sources = [*CONTRACT_TABLES, "contract_suppliers"] if kind == "suppliers" else CONTRACT_TABLES
                paid = data.spend.supplier_paid.get(row["slug"]) if kind == "suppliers" else None  # (spend_pages.py)
                self.write_page(
                    writer,
                    f"{folder}/index.html",
                    template,
                    f"the page of {template} {row['name']!r}",
                    contracts=held,
                    grants=received,
                    paid=paid,
                    nav_section=kind,
                    sources=sources + (["grants"] if received else []) + (["payments"] if paid else []),
                    downloads=[(f"{caption} {row['name']}", "contracts")]
                    + ([(f"Grants received by {row['name']}", "grants")] if received else []),
                    **{template: row},
                )
                log_progress(template, number, len(rows))

    def write_priorities(self, writer) -> None:
        """/priorities/: the list and one page per social value priority with its contracts."""
        data = self.data
        self.write_table("priorities/priorities", data.priorities_download(), "the list of priorities")
        self.write_page(
            writer,
            "priorities/index.html",
            "priorities",
            priorities=data.priorities,
            nav_section="priorities",
            sources=["measures", "commitments", "outcomes"],
            downloads=[("All priorities", "priorities")],
        )
        for row in data.priorities:
            folder = f"priorities/{row['slug']}"
            shown = data.contracts_download(c["contract_id"] for c in row["contracts_list"])
            self.write_table(f"{folder}/contracts", shown, f"the contracts of priority {row['priority']!r}")
            self.write_page(
                writer,
                f"{folder}/index.html",
                "priority",
                f"the page of priority {row['priority']!r}",
                priority=row,
                contracts=row["contracts_list"],
                nav_section="priorities",
                sources=["measures", "contracts", "commitments", "outcomes"],
                downloads=[("Contracts with commitments under this priority", "contracts")],
            )

    def write_indicators(self, writer) -> None:
        """/indicators/: the outcome-framework indicators and their charts' data."""
        self.write_page(
            writer,
            "indicators/index.html",
            "indicators",
            indicators=self.data.indicators,
            nav_section="indicators",
            sources=["indicators", "indicator_values"],
        )
        for row in self.data.indicators:
            if row["chart"]:
                self.write_chart_data("indicators", row["chart"], f"the chart of indicator {row['indicator_id']!r}")

    def write_areas(self, writer) -> None:
        """/areas/: the wards with their map, one page per ward and one for the whole area, with their downloads."""
        areas, data = self.areas, self.data
        sources = ["wards", "contracts", "commitments", "outcomes", "opportunities"]
        self.write_table("areas/areas", areas.download, "the list of wards")
        if areas.chart:
            self.write_chart_data("areas", areas.chart, "the data of the map of the wards")
        self.write_page(
            writer,
            "areas/index.html",
            "areas",
            areas=areas,
            nav_section="areas",
            sources=sources,
            downloads=[("Every ward's figures", "areas")],
        )
        for area in areas.pages:
            folder = f"areas/{area['slug']}"
            shown = data.contracts_download(c["contract_id"] for c in area["contracts"])
            self.write_table(f"{folder}/contracts", shown, f"the contracts serving {area['name']!r}")
            self.write_page(
                writer,
                f"{folder}/index.html",
                "area",
                f"the page of {area['name']!r}",
                area=area,
                contracts=area["contracts"],
                opportunities=areas.opportunities_section,
                nav_section="areas",
                sources=sources,
                downloads=[(f"Contracts serving {area['name']}", "contracts")],
            )

    def write_spend(self, writer) -> None:
        """/spend/, when the data has payments: the shares of spend with local, regional, SME, VCSE and unknown
        suppliers, by quarter, buyer and service, with their charts' data, tables and every payment classified."""
        found = self.data.spend
        if not found.present:
            return
        for name, chart in found.charts.items():
            self.write_chart_data("spend", chart, f"the chart of spend {name}")
        for stem, frame in found.tables.items():
            self.write_table(f"spend/{stem}", frame, f"the table of {stem.replace('-', ' ')}")
        self.write_bytes(
            f"spend/{spend_pages.PAYMENTS_DOWNLOAD}",
            exports.to_csv_by_value(found.payments),
            "every payment, classified",
        )
        self.write_page(
            writer,
            "spend/index.html",
            "spend",
            spend=found,
            nav_section="spend",
            sources=["payments", "organisations", "contracts", "contract_suppliers", "grants"],
            downloads=found.downloads,
        )

    def write_grants(self, writer) -> None:
        """/grants/, when the data has grants: the totals, the chart and tables by programme, recipient and year,
        and one page per programme, recipient (with no other page), year and grant, each with its downloads."""
        found = self.data.grants
        if not found.rows:
            return
        self.write_chart_data("grants", found.chart, "the chart of grants by year")
        self.write_table("grants/grants", found.download(g["grant_id"] for g in found.rows), "the list of all grants")
        for stem, frame in found.tables.items():
            self.write_table(f"grants/{stem}", frame, f"the table of {stem.replace('-', ' ')}")
        self.write_page(
            writer,
            "grants/index.html",
            "grants",
            grants=found,
            nav_section="grants",
            sources=["grants"],
            downloads=[(label, stem) for stem, label in GRANT_TABLES.items()],
        )
        groups = {"programme": found.programmes, "recipient": found.recipient_pages, "year": found.years}
        for kind, rows in groups.items():
            for row in rows:
                folder, listed = row["path"].rstrip("/"), row["grants_list"]
                self.write_table(
                    f"{folder}/grants",
                    found.download(g["grant_id"] for g in listed),
                    f"the grants of {kind} {row['title']!r}",
                )
                self.write_page(
                    writer,
                    f"{folder}/index.html",
                    f"grants_{kind}",
                    f"the page of grant {kind} {row['title']!r}",
                    group=row,
                    grants_list=listed,
                    nav_section="grants",
                    sources=["grants"],
                    downloads=[(row["download_label"], "grants")],
                )
        for number, row in enumerate(found.rows, 1):
            folder, of = row["path"].rstrip("/"), f"grant {row['grant_id']}"
            self.write_table(f"{folder}/grant", found.download([row["grant_id"]]), f"the record of {of}")
            self.write_page(
                writer,
                f"{folder}/index.html",
                "grant",
                f"the page of {of}",
                grant=row,
                nav_section="grants",
                sources=["grants"],
                downloads=[("This grant", "grant")],
            )
            log_progress("grant", number, len(found.rows))

    def write_opportunities(self, writer) -> None:
        """/opportunities/: the listing, each filtered listing (with feed and calendar), one page each (with
        a calendar of its own closing date and engagement event)."""
        site = feeds.Site(
            url=self.portal.siteurl,
            name=self.portal.sitename,
            publisher=self.portal.publisher,
            build_date=self.portal.build_date.date(),
            description_markdown=self.dataset.contract.table("opportunities").field("description").markdown,
        )
        listing = self.data.opportunities
        self._opportunity_listing(writer, site, None)
        for chosen in listing.filters:
            self._opportunity_listing(writer, site, chosen)
        for row in listing.rows:
            folder, this = f"opportunities/{row['slug']}/", f"opportunity {row['opportunity_id']}"
            self.write_table(
                folder + "opportunity",
                self.data.opportunities_download([row["opportunity_id"]]),
                f"the record of {this}",
            )
            follow = feeds.follow_links(site, folder + "deadlines.ics", "opportunities/feed.atom")
            self.write_page(
                writer,
                folder + "index.html",
                "opportunity",
                f"the page of {this}",
                opportunity=row,
                follow=follow,
                nav_section="opportunities",
                downloads=[("This opportunity", "opportunity")],
            )
            self.write_bytes(
                follow["calendar"],
                feeds.calendar(
                    site,
                    name=f"{plain_text(row['title'])} – {site.name}",
                    description=f"The closing date of opportunity {row['opportunity_id']} and its events.",
                    events=feeds.opportunity_events(site, [row]),
                ),
                f"the calendar of {this}",
            )

    def _opportunity_listing(self, writer, site: feeds.Site, chosen: Filter | None) -> None:
        """One listing (all opportunities, or those of a filter) with its downloads, feed and calendar."""
        listing = self.data.opportunities
        folder = "opportunities/" + (f"{chosen.path}/" if chosen else "")
        ids = chosen.ids if chosen else None
        title = chosen.title if chosen else "Opportunities"
        follow = feeds.follow_links(site, folder + "deadlines.ics", folder + "feed.atom")
        listed = f"the opportunities listed at {folder}"
        shown = listing.select(ids)
        self.write_table(
            folder + "opportunities", self.data.opportunities_download(r["opportunity_id"] for r in shown), listed
        )
        self.write_page(
            writer,
            folder + "index.html",
            "opportunities_filter" if chosen else "opportunities",
            f"the page {folder}",
            page_title=title,
            opportunity_filter=chosen,
            sections=listing.sections(ids),
            matching=len(shown),
            filter_groups=listing.filter_groups(),
            follow=follow,
            nav_section="opportunities",
            downloads=[(f"{title}: every opportunity listed", "opportunities")],
        )
        name = f"{title} – {site.name}"
        self.write_bytes(
            follow["feed"],
            feeds.atom(
                site,
                title=name,
                subtitle="Open and planned commissioning opportunities, newest first.",
                feed_path=follow["feed"],
                page_path=folder,
                entries=feeds.opportunity_entries(site, listing.actionable(ids)),
            ),
            f"the feed of {listed}",
        )
        self.write_bytes(
            follow["calendar"],
            feeds.calendar(
                site,
                name=name,
                description="Closing dates and market engagement events of commissioning opportunities.",
                events=feeds.opportunity_events(site, shown),
            ),
            f"the calendar of {listed}",
        )


def log_progress(kind: str, written: int, total: int) -> None:
    """Every tenth (at least every 1,000th) page of a big section, so a long build shows it is working."""
    step = max(1000, total // 10)
    if total >= 1000 and (written % step == 0 or written == total):
        logger.info("  %d of %d %s pages written", written, total, kind)


def log_charts(stats: RenderStats) -> None:
    """What rendering the charts cost: in all (beside the pages), per chart, and what the pages waited for."""
    per_chart = f", {stats.seconds / stats.rendered * 1000:.1f} ms per chart rendered" if stats.rendered else ""
    logger.info(
        "Charts: %d rendered in %d process%s, %d from the cache, in %.2f s%s; the pages waited %.2f s for them",
        stats.rendered,
        stats.workers,
        "es" if stats.workers > 1 else "",
        stats.cached,
        stats.seconds,
        per_chart,
        stats.waited,
    )
