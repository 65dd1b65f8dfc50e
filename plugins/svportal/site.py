"""Everything the site shows, computed once from a validated dataset.

Pure: a Dataset and the portal settings in, plain values out. The Pelican
generator only writes what this prepares.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import model, views
from .load import Dataset
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
    commitments = views.group_by(views.commitment_rows(progress), "contract_id")
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
    )
