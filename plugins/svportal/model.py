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

from .parse import slugify
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
    ``last_period_end``, ``delivered_to_date``, ``pct_of_target``,
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

    returns = outcomes[outcomes["period_start"] <= as_at]
    returns = returns.sort_values(["contract_id", "measure_id", "period_end", "period_start"])
    grouped = returns.groupby(["contract_id", "measure_id"], sort=False)
    summary = pd.DataFrame(
        {
            "returns": grouped.size(),
            "total": grouped["delivered"].sum(),
            "latest": grouped["delivered"].last(),
            "last_period_end": grouped["period_end"].max(),
        }
    ).reset_index()
    frame = frame.merge(summary, on=["contract_id", "measure_id"], how="left")
    frame["returns"] = frame["returns"].fillna(0).astype("int64")
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


def contract_summary(contracts: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Contracts with slugs, entity slugs and counts of commitments by status."""
    frame = contracts.drop(columns=["_line"], errors="ignore").copy()
    frame["slug"] = frame["contract_id"].map(slugify)
    frame["supplier_slug"] = frame["supplier_name"].map(slugify)
    frame["buyer_slug"] = frame["buyer_name"].map(slugify)
    counts = progress.groupby("contract_id").agg(
        commitments=("measure_id", "size"),
        assessed=("status", lambda s: int(s.isin(KPI_SCALE).sum())),
        on_track=("status", lambda s: int(s.eq(GOOD).sum())),
        overdue_returns=("overdue", "sum"),
    )
    frame = frame.merge(counts, left_on="contract_id", right_index=True, how="left")
    for column in ("commitments", "assessed", "on_track", "overdue_returns"):
        frame[column] = frame[column].fillna(0).astype("int64")
    return frame.sort_values(["title", "contract_id"], kind="stable").reset_index(drop=True)


def entity_table(summary: pd.DataFrame, name: str, slug: str, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Suppliers or buyers: one row per entity with its contract count and total value."""
    grouped = summary.groupby(slug, sort=True)
    frame = grouped.agg(
        name=(name, "first"),
        contracts=("contract_id", "size"),
        value_gbp=("value_gbp", "sum"),
        commitments=("commitments", "sum"),
        assessed=("assessed", "sum"),
        on_track=("on_track", "sum"),
        **{column: (column, "first") for column in extra},
    )
    return frame.reset_index().rename(columns={slug: "slug"})


def headline_figures(summary: pd.DataFrame, progress: pd.DataFrame) -> dict:
    """The home page's figures, as plain numbers (formatting is the template's job)."""
    value = summary["value_gbp"].sum()

    def share(mask: pd.Series) -> float | None:
        return float(summary.loc[mask.fillna(False).astype(bool), "value_gbp"].sum() / value * 100) if value else None

    assessed = progress["status"].isin(KPI_SCALE)
    return {
        "contracts": len(summary),
        "value_gbp": float(value),
        "suppliers": int(summary["supplier_slug"].nunique()),
        "commitments": len(progress),
        "assessed": int(assessed.sum()),
        "on_track": int(progress["status"].eq(GOOD).sum()),
        "vcse_value_pct": share(summary["supplier_vcse"].eq(True)),
        "sme_value_pct": share(summary["supplier_size"].eq("sme")),
        "local_value_pct": share(summary["supplier_locality"].eq("local")),
        "rlw_value_pct": share(summary["real_living_wage"].eq(True)),
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


def quarterly_series(progress: pd.DataFrame, outcomes: pd.DataFrame, build_date: pd.Timestamp) -> pd.DataFrame:
    """For each assessed commitment, one row per quarter from its start to the assessment date.

    Columns: ``contract_id``, ``measure_id``, ``quarter_end``, ``delivered`` (the
    quarter's returns, NaN when none was published), ``delivered_to_date``
    (cumulative for ``sum`` measures, the latest level for ``latest`` ones) and
    ``expected_to_date`` (the target trajectory at the quarter's end).
    """
    as_at = assessment_date(build_date)
    started = progress[progress["start_date"].notna() & (progress["start_date"].map(quarter_end) <= as_at)]
    if started.empty:
        return pd.DataFrame(
            columns=["contract_id", "measure_id", "quarter_end", "delivered", "delivered_to_date", "expected_to_date"]
        )
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
    returns = outcomes[outcomes["period_start"] <= as_at].assign(quarter_end=lambda f: f["period_end"].map(quarter_end))
    returns = returns.sort_values(["contract_id", "measure_id", "period_end"], kind="stable")
    per_quarter = (
        returns.groupby(["contract_id", "measure_id", "quarter_end"], sort=False)["delivered"]
        .agg(total="sum", last="last")
        .reset_index()
    )
    grid = grid.merge(per_quarter, on=["contract_id", "measure_id", "quarter_end"], how="left")
    grid["delivered"] = np.where(grid["aggregation"].eq("latest"), grid["last"], grid["total"])
    grid = grid.sort_values(["contract_id", "measure_id", "quarter_end"], kind="stable")
    keys = [grid["contract_id"], grid["measure_id"]]
    cumulative = grid["delivered"].fillna(0).groupby(keys).cumsum()
    level = grid["delivered"].groupby(keys).ffill()
    grid["delivered_to_date"] = np.where(grid["aggregation"].eq("latest"), level, cumulative)
    share = elapsed_share(grid["start_date"], grid["due_date"], grid["quarter_end"])
    grid["expected_to_date"] = np.where(grid["aggregation"].eq("latest"), grid["target"], grid["target"] * share)
    return grid[
        ["contract_id", "measure_id", "quarter_end", "delivered", "delivered_to_date", "expected_to_date"]
    ].reset_index(drop=True)


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
    """One row per social value priority: commitments, how many are on track, contracts involved."""
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
    """Share of contract value with each kind of supplier; unknowns are counted, not dropped."""
    value = summary["value_gbp"].sum()
    kinds = [
        (f"Based in {area}", summary["supplier_locality"].eq("local")),
        (f"Based elsewhere in {region}", summary["supplier_locality"].eq("regional")),
        (f"Based outside {region}", summary["supplier_locality"].eq("elsewhere")),
        ("Location not published", summary["supplier_locality"].isna()),
        ("Small and medium-sized enterprises (SMEs)", summary["supplier_size"].eq("sme")),
        ("Voluntary, community and social enterprise (VCSE)", summary["supplier_vcse"].eq(True)),
        ("Paying the Real Living Wage", summary["real_living_wage"].eq(True)),
        ("Real Living Wage not published", summary["real_living_wage"].isna()),
    ]
    rows = []
    for label, mask in kinds:
        mask = mask.fillna(False).astype(bool)
        share = summary.loc[mask, "value_gbp"].sum()
        rows.append(
            {
                "kind": label,
                "contracts": int(mask.sum()),
                "value_gbp": float(share),
                "pct_of_value": float(share / value * 100) if value else None,
            }
        )
    return pd.DataFrame(rows)


def needing_attention(summary: pd.DataFrame, progress: pd.DataFrame) -> pd.DataFrame:
    """Contracts with a commitment rated Inadequate or Requires improvement, or an overdue return."""
    flagged = (
        progress.assign(
            poor=progress["status"].isin((INADEQUATE, REQUIRES_IMPROVEMENT)),
        )
        .groupby("contract_id")
        .agg(poor=("poor", "sum"), overdue=("overdue", "sum"))
    )
    frame = summary.merge(flagged, left_on="contract_id", right_index=True, how="inner")
    frame = frame[(frame["poor"] > 0) | (frame["overdue"] > 0)]
    return frame.sort_values(["poor", "overdue", "value_gbp"], ascending=False, kind="stable").reset_index(drop=True)
