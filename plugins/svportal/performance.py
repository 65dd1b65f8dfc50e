"""Contract performance under the Procurement Act 2023: each contract's KPIs, rated as at the assessment date.

Pure pandas: DataFrames in, a DataFrame out. For this view each social value commitment with a target
is a key performance indicator (KPI). Its rating is the commitment's status (model.commitment_progress)
when that is on the Act's scale (Good, Approaching target, Requires improvement, Inadequate): delivered to
date against the amount expected, from the contract's start to the assessment date (the end of the latest
complete quarter, or the contract's end if that came first). A KPI not yet rateable (its first quarter
has not ended, or no return has been published) has no rating, and says why.

:func:`kpi_ratings` gives one row per contract and KPI with what a commissioner needs to file a contract
performance notice; the portal publishes it as ``/data/contract-performance.csv``.
"""

from __future__ import annotations

import pandas as pd

from .model import KPI_SCALE

NAME = "contract-performance"  # the published dataset: /data/contract-performance.csv and .json
TITLE = "Contract performance (Procurement Act 2023)"
DESCRIPTION = (
    "Computed by the portal: each contract's key performance indicators (each social value commitment with a "
    "target) rated on the Procurement Act 2023 scale at the assessment date, with what a contract performance "
    "notice needs."
)
AWARDED = ("lead", "consortium-member")  # the suppliers party to the contract (subcontractors are not)

# The published columns: (name, Frictionless type, description)
FIELDS = (
    ("contract_id", "string", "The contract."),
    ("contract_title", "string", "Title of the contract."),
    (
        "ocid",
        "string",
        "The contract's Open Contracting id, as published on Contracts Finder or Find a Tender; blank when the "
        "data does not give one.",
    ),
    ("notice_url", "string", "The contract's published notice."),
    ("buyer_name", "string", "The buyer, as named on this contract."),
    ("buyer_id", "string", "The buyer's organisation identifier."),
    (
        "supplier_names",
        "string",
        "The suppliers party to the contract: the lead, then any consortium members. Items are separated by ';'.",
    ),
    (
        "supplier_ids",
        "string",
        "Their organisation identifiers, in the same order (blank for one without). Items are separated by ';'.",
    ),
    ("measure_id", "string", "The KPI: the measure of the commitment."),
    ("measure_title", "string", "The KPI's name: what is measured."),
    ("target", "number", "The target over the whole contract, in the unit."),
    ("unit", "string", "The measure's unit."),
    ("direction", "string", "increase, or decrease when the target is a ceiling (lower is better)."),
    (
        "rating",
        "string",
        "Good, Approaching target, Requires improvement or Inadequate; blank when the KPI cannot be rated yet.",
    ),
    ("not_rated_reason", "string", "Why the KPI has no rating yet: Not yet due, or No returns yet."),
    ("assessment_period_start", "date", "Start of the period the rating assesses: the contract's start."),
    (
        "assessment_period_end",
        "date",
        "End of the period the rating assesses: the assessment date (the end of the latest complete quarter), "
        "or the contract's end if earlier.",
    ),
)
COLUMNS = [name for name, _type, _description in FIELDS]


def kpi_ratings(
    contracts: pd.DataFrame, suppliers: pd.DataFrame, progress: pd.DataFrame, as_at: pd.Timestamp
) -> pd.DataFrame:
    """One row per contract and KPI (a commitment with a target), in the order of ``progress``.

    ``suppliers`` are the contracts' parties (model.supplier_parties), ``progress`` the commitments
    (model.commitment_progress) as at ``as_at``, the assessment date. Columns: :data:`COLUMNS`.
    """
    kpis = progress[progress["target"].notna()]
    info = contracts[["contract_id", "title", "ocid", "notice_url", "buyer_name", "buyer_id"]].rename(
        columns={"title": "contract_title"}
    )
    frame = kpis.merge(info, on="contract_id", how="left", validate="many_to_one")
    awarded = suppliers[suppliers["role"].isin(AWARDED)]
    by_contract = awarded.groupby("contract_id", sort=False)
    names = by_contract["name"].agg(tuple)
    ids = by_contract["org_id"].agg(lambda found: tuple(found.fillna("")))
    frame["supplier_names"] = frame["contract_id"].map(names)
    frame["supplier_ids"] = frame["contract_id"].map(ids)
    rated = frame["status"].isin(KPI_SCALE)
    frame["rating"] = frame["status"].where(rated)
    frame["not_rated_reason"] = frame["status"].where(~rated)
    as_at = pd.Timestamp(as_at)
    ended = frame["end_date"].notna() & (frame["end_date"] < as_at)
    end = frame["end_date"].where(ended, as_at)
    frame["assessment_period_start"] = frame["start_date"].where(rated)
    frame["assessment_period_end"] = end.where(rated)
    return frame[COLUMNS].reset_index(drop=True)
