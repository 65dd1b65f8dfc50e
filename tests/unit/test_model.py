"""Delivery against commitments on hand-computed cases."""

import pandas as pd
import pytest

from conftest import SMALL
from svportal import model
from svportal.load import load_dataset

BUILD = pd.Timestamp("2026-11-23")


@pytest.fixture(scope="module")
def progress(contract):
    t = load_dataset(SMALL, contract).tables
    frame = model.commitment_progress(t["contracts"], t["measures"], t["commitments"], t["outcomes"], BUILD)
    return frame.set_index(["contract_id", "measure_id"])


@pytest.mark.parametrize(
    "build, expected",
    [
        ("2026-11-23", "2026-09-30"),
        ("2026-09-30", "2026-09-30"),
        ("2026-10-01", "2026-09-30"),
        ("2026-04-01", "2026-03-31"),
        ("2027-01-01", "2026-12-31"),
        ("2026-12-31", "2026-12-31"),
    ],
)
def test_assessment_date_is_the_end_of_the_latest_complete_quarter(build, expected):
    assert model.assessment_date(pd.Timestamp(build)) == pd.Timestamp(expected)


def test_sum_measure_ahead_of_its_trajectory(progress):
    row = progress.loc[("MCC/ASC/2024/001", "EMP-01")]
    # 8 quarterly returns of 3 FTE; 729 of the 1,094 days from 1 Oct 2024 to 30 Sep 2027 have passed
    assert row.delivered_to_date == 24
    assert row.pct_of_target == pytest.approx(80)
    assert row.expected_to_date == pytest.approx(30 * 729 / 1094)
    assert row.status == model.GOOD
    assert not row.overdue


def test_decrease_measure_over_its_ceiling(progress):
    row = progress.loc[("MCC/ASC/2024/001", "GRN-01")]
    # 80 tCO2e emitted against a ceiling to date of 66.6: expected / delivered = 0.83
    assert row.delivered_to_date == 80
    assert row.expected_to_date == pytest.approx(100 * 729 / 1094)
    assert row.status == model.APPROACHING


def test_latest_measure_takes_the_latest_return_against_the_target_level(progress):
    row = progress.loc[("MCC/ASC/2024/001", "RLW-01")]
    assert row.delivered_to_date == 30
    assert row.expected_to_date == 50
    assert row.status == model.REQUIRES_IMPROVEMENT  # 30 / 50 = 0.6


def test_contract_not_started_is_not_yet_due(progress):
    row = progress.loc[("MHCC-2026-002", "EMP-01")]
    assert row.status == model.NOT_YET_DUE
    assert not row.overdue


def test_running_contract_without_returns_is_overdue(progress):
    row = progress.loc[("MLCO/CH/25/003", "COM-01")]
    assert row.status == model.NO_RETURNS
    assert row.overdue
    assert row.overdue_period_end == pd.Timestamp("2026-09-30")


def _one(target, delivered, direction="increase", aggregation="sum", start="2025-04-01", end="2027-03-31", build=BUILD):
    contracts = pd.DataFrame(
        {"contract_id": ["C"], "start_date": [pd.Timestamp(start)], "end_date": [pd.Timestamp(end)]}
    )
    measures = pd.DataFrame(
        {
            "measure_id": ["M"],
            "title": ["T"],
            "priority": ["P"],
            "unit": ["u"],
            "direction": [direction],
            "aggregation": [aggregation],
            "proxy_value_gbp": [None],
            "proxy_source": [None],
        }
    )
    commitments = pd.DataFrame(
        {"contract_id": ["C"], "measure_id": ["M"], "target": [float(target)], "due_date": [pd.NaT]}
    )
    quarters = pd.date_range(start, build, freq="QS-JAN")
    outcomes = pd.DataFrame(
        {
            "contract_id": "C",
            "measure_id": "M",
            "period_start": quarters[: len(delivered)],
            "period_end": [q + pd.offsets.QuarterEnd(0) for q in quarters[: len(delivered)]],
            "delivered": delivered,
        }
    )
    return model.commitment_progress(contracts, measures, commitments, outcomes, build).iloc[0]


def test_zero_target_increase_is_met_by_anything():
    row = _one(0, [0.0, 1.0])
    assert row.status == model.GOOD
    assert pd.isna(row.pct_of_target)


def test_zero_target_decrease_is_broken_by_any_amount():
    assert _one(0, [0.0, 0.0], direction="decrease").status == model.GOOD
    assert _one(0, [0.0, 0.5], direction="decrease").status == model.INADEQUATE


def test_thresholds_bound_each_rating():
    # 1 Apr 2025 to 31 Mar 2027 is 729 days; 547 have passed at 30 Sep 2026: expected 75 of 100
    expected = 100 * 547 / 729
    assert _one(100, [expected * 0.95]).status == model.GOOD
    assert _one(100, [expected * 0.94]).status == model.APPROACHING
    assert _one(100, [expected * 0.80]).status == model.APPROACHING
    assert _one(100, [expected * 0.79]).status == model.REQUIRES_IMPROVEMENT
    assert _one(100, [expected * 0.50]).status == model.REQUIRES_IMPROVEMENT
    assert _one(100, [expected * 0.49]).status == model.INADEQUATE


def test_after_the_due_date_the_whole_target_is_expected():
    row = _one(10, [5.0, 5.0], start="2024-01-01", end="2025-12-31")
    assert row.expected_to_date == 10
    assert row.status == model.GOOD
    assert not row.overdue  # the contract ended before the latest quarter


def test_returns_after_the_assessment_date_are_not_counted():
    row = _one(100, [10.0] * 7, start="2025-04-01", build=pd.Timestamp("2026-11-23"))
    assert row.returns == 6  # the seventh return, for Oct-Dec 2026, has not been assessed yet
    assert row.delivered_to_date == 60


# --- verified returns, the overdue flag and the contracts needing attention ---------------------------


def test_a_commitment_counts_its_returns_the_commissioner_verified(progress):
    # the small fixture: eight returns each; EMP-01's all verified, GRN-01's and RLW-01's all only reported
    assert progress.loc[("MCC/ASC/2024/001", "EMP-01")].verified_returns == 8
    assert progress.loc[("MCC/ASC/2024/001", "GRN-01")].verified_returns == 0
    assert progress.loc[("MCC/ASC/2024/001", "RLW-01")].returns == 8
    assert progress.loc[("MLCO/CH/25/003", "COM-01")].verified_returns == 0  # no returns at all


def test_a_blank_status_or_none_at_all_is_a_return_reported_not_verified():
    with_status = pd.DataFrame({"status": ["verified", "reported", pd.NA, "Verified"]}, dtype="string")
    # the loader writes each code as the contract spells it ("Verified" becomes "verified"): here they are exact
    assert model.verified_returns(with_status).tolist() == [True, False, False, False]
    assert model.verified_returns(pd.DataFrame({"delivered": [1.0]})).tolist() == [False]


def test_each_quarter_says_how_many_of_its_returns_were_verified():
    contracts = pd.DataFrame(
        {"contract_id": ["C"], "start_date": [pd.Timestamp("2026-01-01")], "end_date": [pd.Timestamp("2027-12-31")]}
    )
    measures = pd.DataFrame(
        {
            "measure_id": ["M"],
            "title": ["T"],
            "priority": ["P"],
            "unit": ["people"],
            "direction": ["increase"],
            "aggregation": ["sum"],
            "proxy_value_gbp": [None],
            "proxy_source": [None],
        }
    )
    commitments = pd.DataFrame({"contract_id": ["C"], "measure_id": ["M"], "target": [24.0], "due_date": [pd.NaT]})
    months = [("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28"), ("2026-04-01", "2026-06-30")]
    outcomes = pd.DataFrame(
        {
            "contract_id": "C",
            "measure_id": "M",
            "period_start": [pd.Timestamp(s) for s, _ in months],
            "period_end": [pd.Timestamp(e) for _, e in months],
            "delivered": [1.0, 2.0, 3.0],
            "status": pd.array(["verified", None, "verified"], dtype="string"),
        }
    )
    progress = model.commitment_progress(contracts, measures, commitments, outcomes, BUILD)
    assert (progress.loc[0, "returns"], progress.loc[0, "verified_returns"]) == (3, 2)
    series = model.quarterly_series(progress, outcomes, BUILD)
    assert series["quarter_end"].dt.strftime("%Y-%m-%d").tolist() == ["2026-03-31", "2026-06-30", "2026-09-30"]
    assert series["returns"].tolist() == [2, 1, 0]  # two monthly returns in Jan-Mar, none in Jul-Sep
    assert series["verified_returns"].tolist() == [1, 1, 0]
    assert series["delivered"].tolist()[:2] == [3.0, 3.0]


def summary_of(statuses: dict[str, list[tuple[str, bool]]], values: dict[str, float]) -> pd.DataFrame:
    """model.contract_summary of contracts whose commitments have these (status, overdue), without the data."""
    contracts = pd.DataFrame(
        {
            "contract_id": list(values),
            "title": [f"Contract {c}" for c in values],
            "value_gbp": list(values.values()),
            "supplier_id": None,
            "supplier_name": "S",
            "buyer_id": None,
            "buyer_name": "B",
            "start_date": pd.Timestamp("2025-01-01"),
            "last_updated": pd.NaT,
        }
    )
    progress = pd.DataFrame(
        [
            {"contract_id": c, "measure_id": f"M{n}", "status": status, "overdue": overdue}
            for c, found in statuses.items()
            for n, (status, overdue) in enumerate(found)
        ]
    )
    return model.contract_summary(contracts, progress)


def test_needing_attention_counts_why_each_contract_is_listed_worst_first():
    summary = summary_of(
        {
            "A": [(model.GOOD, False), (model.GOOD, False)],  # nothing wrong: not listed
            "B": [(model.GOOD, True)],  # rated Good, but its return is overdue: listed all the same
            "C": [(model.REQUIRES_IMPROVEMENT, False), (model.INADEQUATE, True), (model.NO_RETURNS, True)],
            "D": [(model.REQUIRES_IMPROVEMENT, False), (model.REQUIRES_IMPROVEMENT, False)],
            "E": [(model.INADEQUATE, False)],
            "F": [(model.NOT_YET_DUE, False), (model.APPROACHING, False)],  # not listed
            "G": [(model.INADEQUATE, False)],
        },
        {"A": 9e6, "B": 1e6, "C": 10.0, "D": 5e5, "E": 2e6, "F": 3e6, "G": 4e6},
    )
    found = model.needing_attention(summary)
    # most Inadequate, then Requires improvement, then overdue returns; between equals the most valuable
    assert found["contract_id"].tolist() == ["C", "G", "E", "D", "B"]
    counts = found.set_index("contract_id")[["inadequate", "requires_improvement", "overdue_returns"]]
    assert counts.loc["C"].tolist() == [1, 1, 2]
    assert counts.loc["D"].tolist() == [0, 2, 0]
    assert counts.loc["B"].tolist() == [0, 0, 1]
    everyone = summary.set_index("contract_id")
    assert everyone.loc["A", ["on_track", "assessed", "overdue_returns"]].tolist() == [2, 2, 0]
    assert everyone.loc["F", ["assessed", "inadequate", "requires_improvement"]].tolist() == [1, 0, 0]
