"""Pelican glue: load the data, compute the site, write one page per thing.

Thin on purpose: the data work happens in load, model, site and views.
"""

from __future__ import annotations

import logging
import re
import time

import pandas as pd
from pelican.generators import Generator

from . import exports, views
from .charts import render_charts
from .downloads import DownloadWriter
from .formatting import FILTERS, date, percent
from .load import load_dataset
from .markup import render_markdown
from .opportunities_generator import OpportunitiesGenerator
from .problems import DataError, warnings
from .schema import read_contract
from .settings import read_settings
from .site import build_site_data

logger = logging.getLogger(__name__)


def add_filters(pelican) -> None:
    """Make the portal's formatting filters available to every template (pages too)."""
    filters = pelican.settings.setdefault("JINJA_FILTERS", {})
    filters.update(FILTERS)
    filters["markdown"] = render_markdown


THRESHOLD_TOKEN = re.compile(r"\[\[threshold:(good|approaching|requires_improvement)\]\]")


def fill_thresholds(content) -> None:
    """Write the configured status thresholds into pages that mention them as ``[[threshold:good]]``."""
    if not getattr(content, "_content", None) or "[[threshold:" not in content._content:
        return
    thresholds = read_settings(content.settings).thresholds
    content._content = THRESHOLD_TOKEN.sub(
        lambda m: percent(getattr(thresholds, m.group(1)) * 100), content._content
    )


class PortalGenerator(DownloadWriter, Generator):
    """Reads ``data/`` and writes the contract, supplier and buyer pages and the home page."""

    def generate_context(self):
        started = time.perf_counter()
        self.portal = read_settings(self.settings)
        contract = read_contract(self.portal.contract)
        dataset = load_dataset(self.portal.data_dir, contract)
        if dataset.errors:
            raise DataError(dataset.problems)
        counts = ", ".join(f"{len(frame):,} {name}" for name, frame in dataset.tables.items())
        logger.info("Read %s from %s in %.2f s", counts, self.portal.data_dir, time.perf_counter() - started)

        started = time.perf_counter()
        self.data = build_site_data(dataset, self.portal)
        logger.info("Computed delivery against %d commitments in %.2f s", len(self.data.progress), time.perf_counter() - started)

        found = self.data.all_charts()
        stats = render_charts(found, self.portal.chart_cache)
        per_chart = f", {stats.seconds / stats.rendered * 1000:.0f} ms per chart rendered" if stats.rendered else ""
        logger.info(
            "Charts: %d rendered, %d from the cache, in %.2f s%s",
            stats.rendered, stats.cached, stats.seconds, per_chart,
        )
        self.chart_stats = stats
        self.context.update(
            portal=self.portal,
            portal_dataset=dataset,  # for the other portal generators, which run after this one
            data_warnings=warnings(dataset.problems),
            build_date=self.portal.build_date.date(),
            build_date_display=date(self.portal.build_date),
            data_updated=self.data.data_updated,
            as_at=self.data.as_at.date(),
        )

    def _write(self, writer, path: str, template: str, source: str | None = None, **values) -> None:
        """The page at ``path`` from ``template``; ``source`` says which page it is, should it clash."""
        self.written.claim(path, source or f"the {template.replace('_', ' ')} page")
        writer.write_file(
            path,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=path.removesuffix("index.html"),
            page_url=path.removesuffix("index.html"),
            **values,
        )

    def generate_output(self, writer):
        started = time.perf_counter()
        data = self.data
        contracts = data.contracts
        by_supplier = views.group_by(contracts, "supplier_slug")
        by_buyer = views.group_by(contracts, "buyer_slug")
        suppliers = views.records(data.suppliers)
        buyers = views.records(data.buyers)
        for row in suppliers:
            row["supplier_type"] = views.supplier_type(row)

        self._write(writer, "index.html", "home", headline=data.headline, buyers=buyers, dashboard=data.dashboard,
                    sources=["contracts", "measures", "commitments", "outcomes"])
        for name, chart in data.dashboard["charts"].items():
            self._write_bytes(chart.csv_path, chart.csv_bytes(), f"the home page chart of {name}")
        self._write_data_pages(writer)
        self._write_quality_page(writer)
        self._write(writer, "search/index.html", "search", nav_section=None)

        listing = ["contracts", "commitments", "outcomes"]
        self._write_frame("contracts/contracts", data.contracts_download(c["contract_id"] for c in contracts),
                          "the list of all contracts")
        facet_groups = views.group_by(data.facets, "group")
        self._write(writer, "contracts/index.html", "contracts", contracts=contracts, nav_section="contracts",
                    sources=listing, downloads=[("All contracts", "contracts")], facet_groups=facet_groups)
        for facet in data.facets:
            folder = f"contracts/{facet['path']}"
            shown = data.contracts_download(c["contract_id"] for c in facet["contracts"])
            self._write_frame(f"{folder}/contracts", shown, f"the list of contracts {facet['path']}")
            self._write(writer, f"{folder}/index.html", "contracts_facet", f"the page of contracts {facet['path']}",
                        facet=facet, contracts=facet["contracts"],
                        facet_groups=facet_groups, nav_section="contracts", sources=listing,
                        downloads=[(f"Contracts: {facet['label']}", "contracts")])
        self._write_frame("suppliers/suppliers", data.suppliers.drop(columns=["slug"]), "the list of suppliers")
        self._write(writer, "suppliers/index.html", "suppliers", suppliers=suppliers, nav_section="contracts",
                    sources=listing, downloads=[("All suppliers", "suppliers")])
        self._write_frame("buyers/buyers", data.buyers.drop(columns=["slug"]), "the list of buyers")
        self._write(writer, "buyers/index.html", "buyers", buyers=buyers, nav_section="contracts",
                    sources=listing, downloads=[("All buyers", "buyers")])
        self._write_frame("priorities/priorities", pd.DataFrame(data.priorities).drop(
            columns=["slug", "measures_list", "contracts_list"], errors="ignore"), "the list of priorities")
        self._write(writer, "priorities/index.html", "priorities", priorities=data.priorities, nav_section="contracts",
                    sources=["measures", "commitments", "outcomes"], downloads=[("All priorities", "priorities")])
        for row in data.priorities:
            folder = f"priorities/{row['slug']}"
            shown = data.contracts_download(c["contract_id"] for c in row["contracts_list"])
            self._write_frame(f"{folder}/contracts", shown, f"the contracts of priority {row['priority']!r}")
            self._write(writer, f"{folder}/index.html", "priority", f"the page of priority {row['priority']!r}",
                        priority=row, contracts=row["contracts_list"],
                        nav_section="contracts", sources=["measures", "contracts", "commitments", "outcomes"],
                        downloads=[("Contracts with commitments under this priority", "contracts")])
        self._write(writer, "indicators/index.html", "indicators", indicators=data.indicators,
                    sources=["indicators", "indicator_values"])
        for row in data.indicators:
            if row["chart"]:
                self._write_bytes(f"indicators/{row['chart'].csv_path}", row["chart"].csv_bytes(),
                                  f"the chart of indicator {row['indicator_id']!r}")

        total = len(contracts) + len(suppliers) + len(buyers)
        written = 0
        commitments = data.rows_of_contract("commitments")
        outcomes = data.rows_of_contract("outcomes")
        empty = {name: data.published[name].iloc[0:0] for name in ("commitments", "outcomes")}
        for row in contracts:
            folder = f"contracts/{row['slug']}"
            own = data.commitments_by_contract.get(row["contract_id"], [])
            of = f"contract {row['contract_id']}"
            for commitment in own:
                if commitment["chart"]:
                    self._write_bytes(f"{folder}/{commitment['chart'].csv_path}", commitment["chart"].csv_bytes(),
                                      f"the chart of measure {commitment['measure_id']!r} of {of}")
            self._write_frame(f"{folder}/contract", data.contracts_download([row["contract_id"]]),
                              f"the record of {of}")
            self._write_frame(f"{folder}/commitments", commitments.get(row["contract_id"], empty["commitments"]),
                              f"the commitments of {of}")
            self._write_frame(f"{folder}/outcomes", outcomes.get(row["contract_id"], empty["outcomes"]),
                              f"the quarterly returns of {of}")
            self._write(writer, f"{folder}/index.html", "contract", f"the page of {of}",
                        contract=row, commitments=own, nav_section="contracts",
                        sources=listing + ["measures"],
                        downloads=[("This contract", "contract"), ("Its commitments", "commitments"),
                                   ("Its quarterly returns", "outcomes")])
            written = self._progress(written, total)
        entities = [("suppliers", "supplier", suppliers, by_supplier, "Contracts held by"),
                    ("buyers", "buyer", buyers, by_buyer, "Contracts let by")]
        for kind, template, rows, contracts_of, caption in entities:
            for row in rows:
                folder = f"{kind}/{row['slug']}"
                held = contracts_of[row["slug"]]
                self._write_frame(f"{folder}/contracts", data.contracts_download(c["contract_id"] for c in held),
                                  f"the contracts of {template} {row['name']!r}")
                self._write(writer, f"{folder}/index.html", template, f"the page of {template} {row['name']!r}",
                            contracts=held, nav_section="contracts",
                            sources=listing, downloads=[(f"{caption} {row['name']}", "contracts")], **{template: row})
                written = self._progress(written, total)
        logger.info(
            "Wrote %d contract, %d supplier and %d buyer pages, with their downloads, in %.2f s",
            len(contracts), len(suppliers), len(buyers), time.perf_counter() - started,
        )

    def _write_data_pages(self, writer) -> None:
        """/data/: every dataset as CSV and JSON, the data package and the data dictionary."""
        contract = self.context["portal_dataset"].contract
        published = self.data.published
        resources, datasets = [], []
        for table in contract.tables:
            frame = published[table.name]
            self._write_frame(f"data/{table.name}", frame, f"the {table.name} dataset")
            resources.append(exports.published_resource(table, frame, table.name))
            datasets.append(self._dataset_entry(resources[-1], len(frame)))
        progress = published["commitment_progress"]
        self._write_frame("data/commitment_progress", progress, "the commitment_progress dataset")
        resources.append(exports.progress_resource("commitment_progress"))
        datasets.append(self._dataset_entry(resources[-1], len(progress)))
        portal = self.portal
        self._write_bytes("data/datapackage.json", exports.data_package(
            contract, resources, portal.licence_name, portal.licence_url, portal.publisher, portal.build_date),
            "the data package")
        self._write(writer, "data/index.html", "data", datasets=datasets, nav_section="data",
                    sources=[d["name"] for d in datasets])
        self._write(writer, "data/dictionary/index.html", "data_dictionary", datasets=datasets, nav_section="data",
                    sources=[d["name"] for d in datasets])

    def _write_quality_page(self, writer) -> None:
        """/data-quality/: the warnings of this build, each linking the record concerned."""
        found = self.data.quality
        self._write_frame("data-quality/overdue-returns", found["frames"]["overdue"].drop(columns=["slug"]),
                          "the list of overdue returns")
        self._write_frame("data-quality/completeness", found["frames"]["completeness"], "the completeness table")
        self._write(writer, "data-quality/index.html", "data_quality", quality=found, nav_section="data",
                    sources=["contracts", "commitments", "outcomes", "measures", "opportunities"],
                    downloads=[("Overdue returns", "overdue-returns"), ("Completeness of every optional column", "completeness")])

    @staticmethod
    def _dataset_entry(resource: dict, rows: int) -> dict:
        return {"name": resource["name"], "title": resource["title"], "description": resource["description"],
                "rows": rows, "fields": resource["schema"]["fields"]}

    @staticmethod
    def _progress(written: int, total: int) -> int:
        written += 1
        step = max(1000, total // 10)
        if total >= 1000 and (written % step == 0 or written == total):
            logger.info("  %d of %d pages written", written, total)
        return written


def get_generators(pelican):
    return [PortalGenerator, OpportunitiesGenerator]
