"""Pelican glue: load the data, compute the site, write one page per thing.

Thin on purpose: the data work happens in load, model, site and views.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

from pelican.generators import Generator

from . import views
from .formatting import FILTERS, date, percent
from .load import load_dataset
from .markup import render_markdown
from .problems import DataError, warnings
from .schema import read_contract
from .settings import read_settings
from .charts import render_charts
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


class PortalGenerator(Generator):
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

    def _write(self, writer, path: str, template: str, **values) -> None:
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

        self._write(writer, "index.html", "home", headline=data.headline, buyers=buyers, dashboard=data.dashboard)
        for chart in data.dashboard["charts"].values():
            self._write_bytes(f"charts/{chart.csv_name}", chart.csv_bytes())
        self._write(writer, "priorities/index.html", "priorities", priorities=data.priorities, nav_section="contracts")
        for row in data.priorities:
            self._write(writer, f"priorities/{row['slug']}/index.html", "priority", priority=row,
                        contracts=row["contracts_list"], nav_section="contracts")
        self._write(writer, "indicators/index.html", "indicators", indicators=data.indicators)
        for row in data.indicators:
            if row["chart"]:
                self._write_bytes(f"indicators/{row['chart'].csv_name}", row["chart"].csv_bytes())
        self._write(writer, "contracts/index.html", "contracts", contracts=contracts, nav_section="contracts")
        self._write(writer, "suppliers/index.html", "suppliers", suppliers=suppliers, nav_section="contracts")
        self._write(writer, "buyers/index.html", "buyers", buyers=buyers, nav_section="contracts")
        total = len(contracts) + len(suppliers) + len(buyers)
        written = 0
        for row in contracts:
            for commitment in data.commitments_by_contract.get(row["contract_id"], []):
                if commitment["chart"]:
                    self._write_bytes(f"contracts/{row['slug']}/{commitment['chart'].csv_name}", commitment["chart"].csv_bytes())
            self._write(
                writer,
                f"contracts/{row['slug']}/index.html",
                "contract",
                contract=row,
                commitments=data.commitments_by_contract.get(row["contract_id"], []),
                nav_section="contracts",
            )
            written = self._progress(written, total)
        for row in suppliers:
            self._write(writer, f"suppliers/{row['slug']}/index.html", "supplier", supplier=row,
                        contracts=by_supplier[row["slug"]], nav_section="contracts")
            written = self._progress(written, total)
        for row in buyers:
            self._write(writer, f"buyers/{row['slug']}/index.html", "buyer", buyer=row,
                        contracts=by_buyer[row["slug"]], nav_section="contracts")
            written = self._progress(written, total)
        logger.info(
            "Wrote %d contract, %d supplier and %d buyer pages in %.2f s",
            len(contracts), len(suppliers), len(buyers), time.perf_counter() - started,
        )

    def _write_bytes(self, path: str, content: bytes) -> None:
        """A download beside the pages (CSV of a chart's data)."""
        target = Path(self.output_path) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)

    @staticmethod
    def _progress(written: int, total: int) -> int:
        written += 1
        step = max(1000, total // 10)
        if total >= 1000 and (written % step == 0 or written == total):
            logger.info("  %d of %d pages written", written, total)
        return written


def get_generators(pelican):
    from .opportunities_generator import OpportunitiesGenerator  # LOCAL TEST EDIT (issue 4)
    return [PortalGenerator, OpportunitiesGenerator]
