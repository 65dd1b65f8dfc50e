"""The domain model and metrics: pure pandas, DataFrames in, DataFrames out.

Nothing here knows about Pelican or HTML. Every function takes the validated
tables (see ``load.py``) plus plain settings and returns new DataFrames.

Key ideas (explained to readers on the methodology page):

* The *assessment date* is the last day of the latest complete quarter on or
  before the build date: quarterly returns cannot describe a quarter that has
  not ended, so progress is judged as at that date.
* *Delivered to date* adds up the returns (``sum`` measures) or takes the latest
  return (``latest`` measures, which report a level such as staff paid the Real
  Living Wage).
* *Expected to date* is the target pro rata over the time from the contract's
  start to the commitment's due date, as at the assessment date (for ``latest``
  measures the target level itself).
* The *status* compares delivered with expected on the Procurement Act 2023 KPI
  scale. For ``decrease`` measures (e.g. carbon emitted) the target is a ceiling
  and the comparison is turned round.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import orgid
from .parse import slugify
from .records import plain
from .settings import Thresholds

GOOD = "Good"
APPROACHING = "Approaching target"
REQUIRES_IMPROVEMENT = "Requires improvement"
INADEQUATE = "Inadequate"
NOT_YET_DUE = "Not yet due"
NO_RETURNS = "No returns yet"

KPI_SCALE = (GOOD, APPROACHING, REQUIRES_IMPROVEMENT, INADEQUATE)
STATUSES = (*KPI_SCALE, NO_RETURNS, NOT_YET_DUE)


def rate(ratio: float, thresholds: Thresholds) -> str:
    """The KPI rating of delivering ``ratio`` of the expected amount."""
    if ratio >= thresholds.good:
        return GOOD
    if ratio >= thresholds.approaching:
        return APPROACHING
    if ratio >= thresholds.requires_improvement:
        return REQUIRES_IMPROVEMENT
    return INADEQUATE


# --- dates ------------------------------------------------------------------------


def quarter_end(day: pd.Timestamp) -> pd.Timestamp:
    """The last day of the calendar quarter containing ``day`` (UK financial quarters end the same days)."""
    return (pd.Timestamp(day) + pd.offsets.QuarterEnd(0)).normalize()


def assessment_date(build_date: pd.Timestamp) -> pd.Timestamp:
    """The last day of the latest complete quarter on or before ``build_date``."""
    build_date = pd.Timestamp(build_date).normalize()
    end = quarter_end(build_date)
    if end == build_date:
        return end
    return (build_date - pd.offsets.QuarterEnd(1)).normalize()


# --- commitments ------------------------------------------------------------------


def commitment_progress(
    contracts: pd.DataFrame,
    measures: pd.DataFrame,
    commitments: pd.DataFrame,
    outcomes: pd.DataFrame,
    build_date: pd.Timestamp,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per commitment with what was delivered, what was expected and a status.

    Columns added to the commitment: measure fields (``measure_title``,
    ``priority``, ``unit``, ``direction``, ``aggregation``), ``start_date``,
    ``due_date`` (defaulted to the contract's end), ``returns`` (count),
    ``verified_returns`` (how many of them the commissioner verified), ``last_period_end``,
    ``delivered_to_date``, ``pct_of_target``,
    ``expected_to_date``, ``pct_of_expected``, ``status``, ``overdue`` and
    ``overdue_period_end``. ``thresholds`` defaults to the Procurement Act ratings' usual bands.
    """
    thresholds = thresholds or Thresholds()
    as_at = assessment_date(build_date)
    frame = commitments.drop(columns=["_line"], errors="ignore").merge(
        measures[
            ["measure_id", "title", "priority", "unit", "direction", "aggregation", "proxy_value_gbp", "proxy_source"]
        ].rename(columns={"title": "measure_title"}),
        on="measure_id",
        how="left",
        validate="many_to_one",
    )
    frame = frame.merge(
        contracts[["contract_id", "start_date", "end_date"]], on="contract_id", how="left", validate="many_to_one"
    )
    frame["direction"] = frame["direction"].fillna("increase")
    frame["aggregation"] = frame["aggregation"].fillna("sum")
    frame["due_date"] = frame["due_date"].fillna(frame["end_date"])

    returns = outcomes[outcomes["period_start"] <= as_at].assign(_verified=verified_returns(outcomes))
    returns = returns.sort_values(["contract_id", "measure_id", "period_end", "period_start"])
    grouped = returns.groupby(["contract_id", "measure_id"], sort=False)
    summary = pd.DataFrame(
        {
            "returns": grouped.size(),
            "verified_returns": grouped["_verified"].sum(),
            "total": grouped["delivered"].sum(),
            "latest": grouped["delivered"].last(),
            "last_period_end": grouped["period_end"].max(),
        }
    ).reset_index()
    frame = frame.merge(summary, on=["contract_id", "measure_id"], how="left")
    frame["returns"] = frame["returns"].fillna(0).astype("int64")
    frame["verified_returns"] = frame["verified_returns"].fillna(0).astype("int64")
    has_returns = frame["returns"] > 0
    delivered = np.where(frame["aggregation"].eq("latest"), frame["latest"], frame["total"])
    frame["delivered_to_date"] = pd.Series(delivered, index=frame.index, dtype="float64").where(has_returns, 0.0)
    frame = frame.drop(columns=["total", "latest"])

    target = frame["target"].astype("float64")
    frame["pct_of_target"] = (frame["delivered_to_date"] / target * 100).where(target > 0)

    frame["expected_share"] = elapsed_share(frame["start_date"], frame["due_date"], as_at)
    level = frame["aggregation"].eq("latest")
    frame["expected_to_date"] = np.where(level, target, target * frame["expected_share"])

    first_quarter_done = frame["start_date"].map(quarter_end) <= as_at
    frame["status"] = [
        _status(row, started, thresholds) for row, started in zip(frame.itertuples(index=False), first_quarter_done)
    ]
    ratio = frame["delivered_to_date"] / frame["expected_to_date"].where(frame["expected_to_date"] > 0)
    frame["pct_of_expected"] = (ratio * 100).where(frame["status"].isin(KPI_SCALE))

    # overdue: the contract was running in the latest complete quarter, but no return covers it
    quarter_start = as_at - pd.offsets.QuarterBegin(1, startingMonth=1)
    active = (frame["start_date"] <= as_at) & (frame["end_date"].isna() | (frame["end_date"] >= quarter_start))
    covered = frame["last_period_end"].notna() & (frame["last_period_end"] >= as_at)
    frame["overdue"] = (active & first_quarter_done & ~covered).astype(bool)
    frame["overdue_period_end"] = pd.Series(as_at, index=frame.index).where(frame["overdue"])
    return frame.sort_values(["contract_id", "priority", "measure_id"], kind="stable").reset_index(drop=True)


VERIFIED = "verified"  # outcomes.csv status: the commissioner checked the return; blank or "reported": it did not


def verified_returns(outcomes: pd.DataFrame) -> pd.Series:
    """For each return, whether the commissioner verified it (``status`` verified), not only the supplier reported it.

    A blank status, or a table without the column, is a return as reported by the supplier.
    """
    if "status" not in outcomes.columns:
        return pd.Series(False, index=outcomes.index, dtype=bool)
    return outcomes["status"].eq(VERIFIED).fillna(False).astype(bool)


def elapsed_share(start: pd.Series, due: pd.Series, as_at: pd.Timestamp | pd.Series) -> pd.Series:
    """Share (0 to 1) of the time from start to due date that has passed at ``as_at``.

    Without a due date the whole target applies once the contract has started.
    """
    span = (due - start).dt.days.astype("float64")
    elapsed = (as_at - start).dt.days.astype("float64")
    started = (elapsed >= 0).astype("float64")
    share = np.select(
        [due.isna(), span <= 0],
        [started, (as_at >= due).astype("float64")],
        default=(elapsed / span.where(span > 0)).clip(0, 1),
    )
    return pd.Series(share, index=start.index, dtype="float64")


def _status(row, first_quarter_done: bool, thresholds: Thresholds) -> str:
    if pd.isna(row.start_date) or not first_quarter_done:
        return NOT_YET_DUE
    if row.returns == 0:
        return NO_RETURNS
    delivered, expected = row.delivered_to_date, row.expected_to_date
    if row.direction == "decrease":
        if delivered <= expected:
            return GOOD
        if expected <= 0:
            return INADEQUATE
        return rate(expected / delivered, thresholds)
    if expected <= 0:
        return GOOD
    return rate(delivered / expected, thresholds)


# --- contracts and the entities around them -------------------------------------


def contract_summary(
    contracts: pd.DataFrame,
    progress: pd.DataFrame,
    suppliers: pd.DataFrame | None = None,
    buyers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Contracts with slugs, organisation slugs and counts of commitments by status.

    ``suppliers`` and ``buyers`` are the contracts' parties (:func:`supplier_parties`, :func:`buyer_parties`;
    made from ``contracts`` alone when not given). ``supplier_slug`` and ``buyer_slug`` are the lead
    supplier's and the buyer's pages; ``suppliers`` lists every supplier of the contract, lead first, as
    dicts (``slug``, ``name``, ``org_id``, ``role``, ``supplier_size``, ``supplier_vcse``,
    ``supplier_locality``), and ``joint`` says whether there is more than one. The counts: ``commitments``,
    ``assessed`` (rated on the KPI scale), ``on_track`` (rated Good), ``requires_improvement``, ``inadequate``
    and ``overdue_returns`` (commitments whose return for the latest complete quarter is overdue).
    """
    frame = contracts.drop(columns=["_line"], errors="ignore").copy()
    frame["slug"] = frame["contract_id"].map(slugify)
    suppliers = supplier_parties(contracts) if suppliers is None else suppliers
    buyers = buyer_parties(contracts) if buyers is None else buyers
    lead = suppliers.drop_duplicates("contract_id").set_index("contract_id")["slug"]
    frame["supplier_slug"] = frame["contract_id"].map(lead)
    buyer = buyers.drop_duplicates("contract_id").set_index("contract_id")["slug"]
    frame["buyer_slug"] = frame["contract_id"].map(buyer)
    columns = ["slug", "name", "org_id", "role", *IDENTITY]
    grouped: dict[str, list[dict]] = {}  # each contract's suppliers in table order (no DataFrame per contract)
    for contract, *values in suppliers[["contract_id", *columns]].to_numpy(dtype=object).tolist():
        grouped.setdefault(contract, []).append({c: plain(v) for c, v in zip(columns, values)})
    listed = {contract: tuple(rows) for contract, rows in grouped.items()}
    frame["suppliers"] = frame["contract_id"].map(listed)
    frame["joint"] = frame["suppliers"].map(lambda found: isinstance(found, tuple) and len(found) > 1)
    status = progress["status"]
    flags = pd.DataFrame(
        {
            "contract_id": progress["contract_id"],
            "commitments": 1,
            "assessed": status.isin(KPI_SCALE),
            "on_track": status.eq(GOOD),
            "requires_improvement": status.eq(REQUIRES_IMPROVEMENT),
            "inadequate": status.eq(INADEQUATE),
            "overdue_returns": progress["overdue"].astype(bool),
        }
    )
    counts = flags.groupby("contract_id").sum()  # counted at once, not by a function per contract
    frame = frame.merge(counts, left_on="contract_id", right_index=True, how="left")
    for column in ("commitments", "assessed", "on_track", "requires_improvement", "inadequate", "overdue_returns"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame.sort_values(["title", "contract_id"], kind="stable").reset_index(drop=True)


# --- organisations: suppliers and buyers, by identifier ------------------------------------------

IDENTITY = ("supplier_size", "supplier_vcse", "supplier_locality")  # what a supplier is, on each contract
ROLES = ("lead", "consortium-member", "subcontractor")
NAME_FALLBACK_SUFFIX = "-by-name"  # a name's slug that is also an identifier's (a name such as "GB COH 01234567")


def organisation_slugs(ids: pd.Series, names: pd.Series) -> pd.Series:
    """The page slug of each organisation: its identifier's (gb-coh-01234567), or its name's when it has none.

    An identifier with no scheme (svportal.orgid) is not one: the organisation is known by its name.
    A name's slug that is also an identifier's gets ``NAME_FALLBACK_SUFFIX``, so that the two never share a page.
    """
    usable = ids.map(orgid.usable).astype(bool)
    by_id = ids.where(usable).map(slugify, na_action="ignore")
    by_name = names.map(slugify)
    taken = set(by_id[usable])
    by_name = by_name.where(~by_name.isin(taken), by_name + NAME_FALLBACK_SUFFIX)
    return by_id.where(usable, by_name)


def _parties(frame: pd.DataFrame, id_column: str, name_column: str, extra: tuple[str, ...]) -> pd.DataFrame:
    usable = frame[id_column].map(orgid.usable).astype(bool)
    found = pd.DataFrame(
        {
            "contract_id": frame["contract_id"],
            "slug": organisation_slugs(frame[id_column], frame[name_column]),
            "org_id": frame[id_column].where(usable, None),
            "name": frame[name_column],
        }
    )
    for column in extra:
        found[column] = frame[column] if column in frame.columns else None
    return found


def _dated(parties: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """Parties with ``recency``: the contract's last_updated, or its start_date when that is blank."""
    dates = contracts.set_index("contract_id")
    recency = dates["last_updated"].fillna(dates["start_date"])
    parties = parties.copy()
    parties["recency"] = parties["contract_id"].map(recency)
    return parties


def supplier_parties(contracts: pd.DataFrame, contract_suppliers: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per contract and supplier: the lead of contracts.csv, then those of contract_suppliers.csv.

    Columns: ``contract_id``, ``slug`` (the organisation's page), ``org_id`` (its identifier, or None),
    ``name`` (as on this contract), ``role``, the supplier's identity on this contract (``IDENTITY``),
    ``joint`` (the contract has more than one supplier) and ``recency`` (when the contract was last updated).
    A supplier listed twice for one contract (the lead again, with role lead) is one row: the first.
    """
    lead = _parties(contracts, "supplier_id", "supplier_name", IDENTITY).assign(role="lead")
    found = [lead]
    if contract_suppliers is not None and len(contract_suppliers):
        found.append(_parties(contract_suppliers, "supplier_id", "supplier_name", (*IDENTITY, "role")))
    frame = pd.concat(found, ignore_index=True) if len(found) > 1 else lead
    frame["_order"] = range(len(frame))
    frame = frame.drop_duplicates(["contract_id", "slug"], keep="first")
    frame = frame.sort_values(["contract_id", "_order"], kind="stable").drop(columns="_order")
    frame["joint"] = frame.groupby("contract_id")["slug"].transform("size").gt(1)
    return _dated(frame, contracts).reset_index(drop=True)


def buyer_parties(contracts: pd.DataFrame) -> pd.DataFrame:
    """One row per contract: its buyer, as :func:`supplier_parties` (``role`` buyer, never joint)."""
    frame = _parties(contracts, "buyer_id", "buyer_name", ()).assign(role="buyer", joint=False)
    return _dated(frame, contracts).reset_index(drop=True)


def organisations(parties: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation (one page): suppliers or buyers, from their parties.

    ``name`` is the one its most recent contract gives it (by last_updated, else start_date);
    ``other_names`` the others it was given, most recent first. ``label`` is the name, followed by the
    identifier (or "no identifier") when another organisation of the list has the same name.
    ``contracts``, ``value_gbp`` and the commitment counts count each of its contracts once, at its full
    value (``joint_contracts`` of them have other suppliers too). Sorted by label.
    """
    counts = summary[["contract_id", "value_gbp", "commitments", "assessed", "on_track"]]
    frame = parties.merge(counts, on="contract_id", how="left", validate="many_to_one")
    frame = frame.sort_values(["recency", "contract_id"], na_position="first", kind="stable")
    grouped = frame.groupby("slug", sort=False)
    found = grouped.agg(
        name=("name", "last"),
        org_id=("org_id", "last"),
        contracts=("contract_id", "size"),
        joint_contracts=("joint", "sum"),
        value_gbp=("value_gbp", "sum"),
        commitments=("commitments", "sum"),
        assessed=("assessed", "sum"),
        on_track=("on_track", "sum"),
        last_contract=("recency", "last"),
    )
    names = grouped["name"].agg(lambda given: tuple(dict.fromkeys(reversed(given.tolist()))))
    found["other_names"] = [all_names[1:] for all_names in names.reindex(found.index)]
    found = found.reset_index()
    same_name = found["name"].map(slugify).duplicated(keep=False)
    with_id = found["name"] + " (" + found["org_id"].fillna("no identifier") + ")"
    found["label"] = found["name"].where(~same_name, with_id)
    found["joint_contracts"] = found["joint_contracts"].astype("int64")
    order = ["slug", "label", "name", "org_id", "other_names", "contracts", "joint_contracts", "value_gbp"]
    found = found[[*order, "commitments", "assessed", "on_track", "last_contract"]]
    found = found.assign(_sort=found["label"].str.casefold()).sort_values(["_sort", "slug"], kind="stable")
    return found.drop(columns="_sort").reset_index(drop=True)


def _count_suppliers(summary: pd.DataFrame) -> int:
    """How many organisations supply the contracts: leads and other suppliers, each counted once."""
    if "suppliers" not in summary.columns:
        return int(summary["supplier_slug"].nunique())
    found = {s["slug"] for listed in summary["suppliers"] if isinstance(listed, tuple) for s in listed}
    return len(found | set(summary["supplier_slug"].dropna()))


def headline_figures(summary: pd.DataFrame, progress: pd.DataFrame) -> dict:
    """The home page's figures, as plain numbers (formatting is the template's job)."""
    value = summary["value_gbp"].sum()

    def share(mask: pd.Series, column: str) -> float | None:
        """The share of contract value where ``mask`` holds; None when ``column`` is blank in every row (not 0%)."""
        if not value or summary[column].isna().all():
            return None
        return float(summary.loc[mask.fillna(False).astype(bool), "value_gbp"].sum() / value * 100)

    assessed = progress["status"].isin(KPI_SCALE)
    return {
        "contracts": len(summary),
        "value_gbp": float(value),
        "suppliers": _count_suppliers(summary),
        "commitments": len(progress),
        "assessed": int(assessed.sum()),
        "on_track": int(progress["status"].eq(GOOD).sum()),
        "vcse_value_pct": share(summary["supplier_vcse"].eq(True), "supplier_vcse"),
        "sme_value_pct": share(summary["supplier_size"].eq("sme"), "supplier_size"),
        "local_value_pct": share(summary["supplier_locality"].eq("local"), "supplier_locality"),
        "rlw_value_pct": share(summary["real_living_wage"].eq(True), "real_living_wage"),
    }


# --- quarter by quarter ------------------------------------------------------------


def _quarter_number(days: pd.Series) -> pd.Series:
    """Quarters counted from year 0: 2026-07-15 -> 2026 * 4 + 2."""
    return days.dt.year * 4 + (days.dt.quarter - 1)


def _quarter_end_of_number(numbers: np.ndarray) -> pd.Series:
    """The last day of each numbered quarter (see _quarter_number)."""
    years, quarters = np.divmod(numbers, 4)
    starts = pd.to_datetime(pd.DataFrame({"year": years, "month": quarters * 3 + 3, "day": 1}))
    return (starts + pd.offsets.MonthEnd(0)).astype("datetime64[ns]")


SERIES_COLUMNS = ["contract_id", "measure_id", "quarter_end", "delivered", "delivered_to_date", "expected_to_date"]


def quarterly_series(progress: pd.DataFrame, outcomes: pd.DataFrame, build_date: pd.Timestamp) -> pd.DataFrame:
    """For each assessed commitment, one row per quarter from its start to the assessment date.

    Columns: ``contract_id``, ``measure_id``, ``quarter_end``, ``delivered`` (the
    quarter's returns, NaN when none was published), ``delivered_to_date``
    (cumulative for ``sum`` measures, the latest level for ``latest`` ones) and
    ``expected_to_date`` (the target trajectory at the quarter's end), ``returns`` (how many returns
    cover the quarter) and ``verified_returns`` (how many of those the commissioner verified).
    """
    columns = [*SERIES_COLUMNS, "returns", "verified_returns"]
    as_at = assessment_date(build_date)
    started = progress[progress["start_date"].notna() & (progress["start_date"].map(quarter_end) <= as_at)]
    if started.empty:
        return pd.DataFrame(columns=columns)
    first = _quarter_number(started["start_date"])
    last = np.minimum(_quarter_number(started["end_date"].fillna(as_at)), _quarter_number(pd.Series([as_at]))[0])
    counts = (last - first + 1).clip(lower=1)
    grid = started.loc[
        started.index.repeat(counts), ["contract_id", "measure_id", "aggregation", "target", "start_date", "due_date"]
    ]
    offset = grid.groupby(level=0).cumcount().to_numpy()
    grid = grid.reset_index(drop=True)
    grid["target"] = grid["target"].astype("float64")
    grid["quarter_end"] = _quarter_end_of_number(np.repeat(first.to_numpy(), counts.to_numpy()) + offset)
    returns = outcomes[outcomes["period_start"] <= as_at].assign(
        quarter_end=lambda f: f["period_end"].map(quarter_end), _verified=verified_returns(outcomes)
    )
    returns = returns.sort_values(["contract_id", "measure_id", "period_end"], kind="stable")
    per_quarter = (
        returns.groupby(["contract_id", "measure_id", "quarter_end"], sort=False)
        .agg(
            total=("delivered", "sum"),
            last=("delivered", "last"),
            returns=("delivered", "size"),
            verified_returns=("_verified", "sum"),
        )
        .reset_index()
    )
    grid = grid.merge(per_quarter, on=["contract_id", "measure_id", "quarter_end"], how="left")
    for count in ("returns", "verified_returns"):
        grid[count] = grid[count].fillna(0).astype("int64")
    grid["delivered"] = np.where(grid["aggregation"].eq("latest"), grid["last"], grid["total"])
    grid = grid.sort_values(["contract_id", "measure_id", "quarter_end"], kind="stable")
    keys = [grid["contract_id"], grid["measure_id"]]
    cumulative = grid["delivered"].fillna(0).groupby(keys).cumsum()
    level = grid["delivered"].groupby(keys).ffill()
    grid["delivered_to_date"] = np.where(grid["aggregation"].eq("latest"), level, cumulative)
    share = elapsed_share(grid["start_date"], grid["due_date"], grid["quarter_end"])
    grid["expected_to_date"] = np.where(grid["aggregation"].eq("latest"), grid["target"], grid["target"] * share)
    return grid[columns].reset_index(drop=True)


# --- authority-wide totals ----------------------------------------------------------------

AVERAGED_UNITS = ("percent", "%")  # levels that cannot be added up across contracts


def measure_totals(progress: pd.DataFrame) -> pd.DataFrame:
    """Committed and delivered per measure across all contracts, in the measure's own unit.

    Percentages are averaged, not added (``combined`` says which). Where the
    publisher gives a proxy value, ``proxy_value_delivered_gbp`` is delivered x
    proxy: a derived estimate, always shown with ``proxy_source``.
    """
    grouped = progress.groupby(["priority", "measure_id"], sort=True)
    frame = grouped.agg(
        measure_title=("measure_title", "first"),
        unit=("unit", "first"),
        direction=("direction", "first"),
        aggregation=("aggregation", "first"),
        proxy_value_gbp=("proxy_value_gbp", "first"),
        proxy_source=("proxy_source", "first"),
        commitments=("contract_id", "size"),
        assessed=("status", lambda s: int(s.isin(KPI_SCALE).sum())),
        on_track=("status", lambda s: int(s.eq(GOOD).sum())),
        target_sum=("target", "sum"),
        target_mean=("target", "mean"),
        delivered_sum=("delivered_to_date", "sum"),
        delivered_mean=("delivered_to_date", "mean"),
        expected_sum=("expected_to_date", "sum"),
    ).reset_index()
    averaged = frame["unit"].isin(AVERAGED_UNITS)
    frame["combined"] = np.where(averaged, "average", "total")
    frame["target"] = np.where(averaged, frame["target_mean"], frame["target_sum"])
    frame["delivered_to_date"] = np.where(averaged, frame["delivered_mean"], frame["delivered_sum"])
    frame["proxy_value_delivered_gbp"] = (frame["delivered_to_date"] * frame["proxy_value_gbp"]).where(~averaged)
    frame["pct_on_track"] = frame["on_track"] / frame["assessed"].where(frame["assessed"] > 0) * 100
    return frame.drop(columns=["target_sum", "target_mean", "delivered_sum", "delivered_mean"])


def priority_summary(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per social value priority: commitments, how many are rated Good (``on_track``), contracts involved."""
    grouped = progress.groupby("priority", sort=True)
    frame = grouped.agg(
        measures=("measure_id", "nunique"),
        contracts=("contract_id", "nunique"),
        commitments=("measure_id", "size"),
        assessed=("status", lambda s: int(s.isin(KPI_SCALE).sum())),
        on_track=("status", lambda s: int(s.eq(GOOD).sum())),
    ).reset_index()
    frame["slug"] = frame["priority"].map(slugify)
    frame["pct_on_track"] = frame["on_track"] / frame["assessed"].where(frame["assessed"] > 0) * 100
    return frame


WEIGHTING_BANDS = ((0, 20, "Under 20%"), (20, 25, "20% to 24%"), (25, 30, "25% to 29%"), (30, 101, "30% or more"))


def weighting_bands(summary: pd.DataFrame) -> pd.DataFrame:
    """Contracts and their value by social value weighting band (including 'Not published')."""
    weights = summary["sv_weighting_pct"]
    labels = pd.Series("Not published", index=summary.index)
    for low, high, label in WEIGHTING_BANDS:
        labels[(weights >= low) & (weights < high)] = label
    order = [label for _, _, label in WEIGHTING_BANDS] + ["Not published"]
    frame = (
        summary.assign(band=labels)
        .groupby("band")
        .agg(contracts=("contract_id", "size"), value_gbp=("value_gbp", "sum"))
    )
    frame = frame.reindex(order, fill_value=0).reset_index()
    frame["contracts"] = frame["contracts"].astype("int64")
    return frame[frame["contracts"] > 0].reset_index(drop=True)


def supplier_shares(summary: pd.DataFrame, area: str = "the area", region: str = "the region") -> pd.DataFrame:
    """Share of contract value with each kind of supplier; unknowns are counted, not dropped.

    A kind whose column is blank in every row has no share (None: not published), never 0%.
    """
    value = summary["value_gbp"].sum()
    columns = ("supplier_locality", "supplier_size", "supplier_vcse", "real_living_wage")
    published = {column: bool(summary[column].notna().any()) for column in columns}
    kinds = [  # (label, rows of that kind, the column that says: None for the rows it leaves blank)
        (f"Based in {area}", summary["supplier_locality"].eq("local"), "supplier_locality"),
        (f"Based elsewhere in {region}", summary["supplier_locality"].eq("regional"), "supplier_locality"),
        (f"Based outside {region}", summary["supplier_locality"].eq("elsewhere"), "supplier_locality"),
        ("Location not published", summary["supplier_locality"].isna(), None),
        ("Small and medium-sized enterprises (SMEs)", summary["supplier_size"].eq("sme"), "supplier_size"),
        ("Voluntary, community and social enterprise (VCSE)", summary["supplier_vcse"].eq(True), "supplier_vcse"),
        ("Paying the Real Living Wage", summary["real_living_wage"].eq(True), "real_living_wage"),
        ("Real Living Wage not published", summary["real_living_wage"].isna(), None),
    ]
    rows = []
    for label, mask, column in kinds:
        mask = mask.fillna(False).astype(bool)
        share = summary.loc[mask, "value_gbp"].sum()
        rows.append(
            {
                "kind": label,
                "contracts": int(mask.sum()),
                "value_gbp": float(share),
                "pct_of_value": float(share / value * 100) if value and published.get(column, True) else None,
            }
        )
    return pd.DataFrame(rows)


def needing_attention(summary: pd.DataFrame) -> pd.DataFrame:
    """Contracts with a commitment rated Inadequate or Requires improvement, or an overdue return.

    ``summary`` is :func:`contract_summary`, whose counts say why each is listed. The worst first: most
    commitments rated Inadequate, then Requires improvement, then overdue returns, then the most valuable.
    """
    flagged = summary[(summary["inadequate"] + summary["requires_improvement"] + summary["overdue_returns"]) > 0]
    order = ["inadequate", "requires_improvement", "overdue_returns", "value_gbp", "title", "contract_id"]
    ascending = [False, False, False, False, True, True]
    return flagged.sort_values(order, ascending=ascending, kind="stable").reset_index(drop=True)
