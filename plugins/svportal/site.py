"""Everything the site shows, computed once from a validated dataset.

Pure: a Dataset and the portal settings in, plain values and Chart objects
out. The Pelican generator only writes what this prepares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from . import charts, exports, model, quality, views
from .formatting import percent
from .load import Dataset
from .parse import slugify
from .settings import PortalSettings


@dataclass
class SiteData:
    progress: pd.DataFrame
    summary: pd.DataFrame
    suppliers: pd.DataFrame
    buyers: pd.DataFrame
    headline: dict
    contracts: list[dict]
    commitments_by_contract: dict[str, list[dict]]
    as_at: pd.Timestamp
    data_updated: object  # datetime.date or None
    dashboard: dict = field(default_factory=dict)
    priorities: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    published: dict[str, pd.DataFrame] = field(default_factory=dict)  # every dataset as published, labels added
    quality: dict = field(default_factory=dict)  # what the data-quality page shows
    facets: list[dict] = field(default_factory=list)  # static filter pages of the contracts list

    def contracts_download(self, contract_ids) -> pd.DataFrame:
        """The published contract rows for these ids, in this order, with their commitment counts."""
        frame = self.published["contracts_listing"]
        position = self._contract_positions()
        return frame.iloc[[position[i] for i in contract_ids]].reset_index(drop=True)

    def _contract_positions(self) -> dict[str, int]:
        if "_positions" not in self.__dict__:
            ids = self.published["contracts_listing"]["contract_id"]
            self.__dict__["_positions"] = {contract_id: n for n, contract_id in enumerate(ids)}
        return self.__dict__["_positions"]

    def rows_of_contract(self, table: str) -> dict[str, pd.DataFrame]:
        """A published table split by contract_id (contracts without rows are absent)."""
        return {key: frame for key, frame in self.published[table].groupby("contract_id", sort=False)}

    def all_charts(self) -> list[charts.Chart]:
        found = [row["chart"] for rows in self.commitments_by_contract.values() for row in rows if row.get("chart")]
        found += [c for c in self.dashboard.get("charts", {}).values()]
        found += [i["chart"] for i in self.indicators if i.get("chart")]
        return found


def build_site_data(dataset: Dataset, settings: PortalSettings) -> SiteData:
    t = dataset.tables
    progress = model.commitment_progress(
        t["contracts"], t["measures"], t["commitments"], t["outcomes"], settings.build_date, settings.thresholds
    )
    summary = model.contract_summary(t["contracts"], progress)
    suppliers = model.entity_table(
        summary, "supplier_name", "supplier_slug", extra=("supplier_id", "supplier_size", "supplier_vcse", "supplier_locality")
    )
    buyers = model.entity_table(summary, "buyer_name", "buyer_slug", extra=("buyer_id",))
    contracts = views.contract_rows(summary)
    series = model.quarterly_series(progress, t["outcomes"], settings.build_date)
    commitments = views.group_by(_commitments_with_charts(progress, series), "contract_id")
    updated = t["contracts"]["last_updated"].max()
    return SiteData(
        progress=progress,
        summary=summary,
        suppliers=suppliers,
        buyers=buyers,
        headline=model.headline_figures(summary, progress),
        contracts=contracts,
        commitments_by_contract=commitments,
        as_at=model.assessment_date(settings.build_date),
        data_updated=views.plain(updated),
        dashboard=_dashboard(summary, progress, settings),
        priorities=_priorities(progress, summary),
        indicators=_indicators(t["indicators"], t["indicator_values"]),
        published=_published(t, progress, summary, model.assessment_date(settings.build_date)),
        quality=_quality(dataset, progress, summary),
        facets=_facets(contracts, progress, settings),
    )


def _facets(contracts: list[dict], progress: pd.DataFrame, settings: PortalSettings) -> list[dict]:
    """Static filter pages of the contracts list, so filtering works with JavaScript off.

    Each facet: group (heading), label, path below /contracts/, and the contracts it lists.
    Buyers and priorities have their own pages already (/buyers/, /priorities/).
    """
    statuses = progress.groupby("contract_id")["status"].agg(set).to_dict()
    groups = [
        ("Type of supplier", "type", [
            ("Voluntary, community and social enterprise (VCSE)", "vcse", lambda c: c["supplier_type"] == "VCSE"),
            ("Small and medium-sized enterprises (SME)", "sme", lambda c: c["supplier_type"] == "SME"),
            ("Large", "large", lambda c: c["supplier_type"] == "Large"),
        ]),
        ("Where the supplier is based", "based", [
            (f"In {settings.area_name}", "local", lambda c: c.get("supplier_locality") == "local"),
            (f"Elsewhere in {settings.region_name}", "regional", lambda c: c.get("supplier_locality") == "regional"),
            (f"Outside {settings.region_name}", "elsewhere", lambda c: c.get("supplier_locality") == "elsewhere"),
        ]),
        ("Status of a commitment", "status", [
            (f"At least one rated {status}", slugify(status), lambda c, s=status: s in statuses.get(c["contract_id"], ()))
            for status in model.STATUSES
        ]),
    ]
    facets = []
    for group, key, options in groups:
        for label, slug, test in options:
            rows = [c for c in contracts if test(c)]
            facets.append({"group": group, "label": label, "path": f"{key}/{slug}", "contracts": rows})
    return facets


def _quality(dataset: Dataset, progress: pd.DataFrame, summary: pd.DataFrame) -> dict:
    frames = {
        "overdue": quality.overdue_returns(progress, summary),
        "without_commitments": quality.contracts_without_commitments(summary),
        "completeness": quality.completeness(dataset.tables, dataset.contract),
        "loader": quality.loader_warnings(dataset.problems),
    }
    shown = {name: views.records(frame) for name, frame in frames.items()}
    shown["completeness_by_file"] = views.group_by(shown["completeness"], "file")
    shown["frames"] = frames
    return shown


def _published(tables: dict[str, pd.DataFrame], progress: pd.DataFrame, summary: pd.DataFrame, as_at) -> dict[str, pd.DataFrame]:
    published = {name: exports.with_labels(name, frame, tables) for name, frame in tables.items()}
    published["commitment_progress"] = exports.progress_table(progress, tables["contracts"], as_at)
    counts = summary[["contract_id", "commitments", "assessed", "on_track"]].rename(
        columns={"assessed": "commitments_assessed", "on_track": "commitments_rated_good"}
    )
    published["contracts_listing"] = published["contracts"].merge(counts, on="contract_id", how="left")
    return published


def _commitments_with_charts(progress: pd.DataFrame, series: pd.DataFrame) -> list[dict]:
    rows = views.commitment_rows(progress)
    by_commitment = _split_series(series)
    for row in rows:
        row["measure_slug"] = slugify(row["measure_id"])
        quarters = by_commitment.get((row["contract_id"], row["measure_id"]))
        row["chart"] = charts.commitment_chart(row, quarters) if quarters is not None else None
    return rows


def _split_series(series: pd.DataFrame) -> dict[tuple[str, str], dict[str, list]]:
    """Each commitment's quarters as lists of plain values (series is sorted by commitment)."""
    columns = ["quarter_end", "delivered", "delivered_to_date", "expected_to_date"]
    values = {c: series[c].tolist() for c in columns}
    keys = list(zip(series["contract_id"], series["measure_id"]))
    found: dict[tuple[str, str], dict[str, list]] = {}
    start = 0
    for end in range(1, len(keys) + 1):
        if end == len(keys) or keys[end] != keys[start]:
            found[keys[start]] = {c: values[c][start:end] for c in columns}
            start = end
    return found


def _dashboard(summary: pd.DataFrame, progress: pd.DataFrame, settings: PortalSettings) -> dict:
    priorities = model.priority_summary(progress)
    measures = model.measure_totals(progress)
    bands = model.weighting_bands(summary)
    shares = model.supplier_shares(summary, settings.area_name, settings.region_name)
    attention = model.needing_attention(summary, progress)
    found: dict[str, charts.Chart] = {}
    if len(priorities):
        table = pd.DataFrame({
            "Priority": priorities["priority"],
            "Commitments assessed": priorities["assessed"],
            "Rated Good": priorities["on_track"],
            "Share rated Good (%)": priorities["pct_on_track"].round(1),
        })
        best = priorities.loc[priorities["pct_on_track"].idxmax()] if priorities["pct_on_track"].notna().any() else None
        found["priorities"] = charts.bar_chart(
            "chart-priorities",
            "Share of assessed commitments rated Good, by social value priority",
            (f"The share of commitments rated Good ranges from {percent(priorities['pct_on_track'].min())} to "
             f"{percent(priorities['pct_on_track'].max())}, highest for {best['priority']}.") if best is not None else
            "No commitments have been assessed yet.",
            table, "Priority", "Share rated Good (%)", "Share rated Good (%)", "priorities.csv",
        )
    if len(bands):
        table = pd.DataFrame({"Weighting": bands["band"], "Contracts": bands["contracts"], "Value (£)": bands["value_gbp"].round(2)})
        top = bands.loc[bands["contracts"].idxmax()]
        found["weighting"] = charts.bar_chart(
            "chart-weighting",
            "Contracts by social value weighting",
            f"Most contracts ({top['contracts']} of {int(bands['contracts'].sum())}) give social value a weighting of {top['band'][0].lower() + top['band'][1:]}.",
            table, "Weighting", "Contracts", "Number of contracts", "weighting.csv",
        )
    measure_rows = views.records(measures)
    return {
        "priorities": views.records(priorities),
        "measures_by_priority": views.group_by(measure_rows, "priority"),
        "weighting_bands": views.records(bands),
        "supplier_shares": views.records(shares),
        "attention": views.contract_rows(attention),
        "charts": found,
    }


def _priorities(progress: pd.DataFrame, summary: pd.DataFrame) -> list[dict]:
    measures = views.group_by(views.records(model.measure_totals(progress)), "priority")
    contracts = views.contract_rows(summary)
    by_id = {c["contract_id"]: c for c in contracts}
    rows = views.records(model.priority_summary(progress))
    for row in rows:
        ids = progress.loc[progress["priority"] == row["priority"], "contract_id"].unique()
        row["measures_list"] = measures.get(row["priority"], [])
        row["contracts_list"] = [by_id[i] for i in sorted(ids, key=lambda i: (by_id[i]["title"], i))]
    return rows


def _indicators(indicators: pd.DataFrame, values: pd.DataFrame) -> list[dict]:
    rows = views.records(indicators.drop(columns=["_line"], errors="ignore"))
    for row in rows:
        row["slug"] = slugify(row["indicator_id"])
        own = values[values["indicator_id"] == row["indicator_id"]].sort_values("period_start").reset_index(drop=True)
        row["chart"] = charts.indicator_chart(row, own) if len(own) else None
        row["latest"] = views.plain(own["value"].iloc[-1]) if len(own) else None
        row["latest_period_end"] = views.plain(own["period_end"].iloc[-1]) if len(own) else None
    return rows
