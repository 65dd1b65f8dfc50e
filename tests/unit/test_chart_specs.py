"""Chart specs (plugins/svportal/charts.py) for count units: whole-number axes, whole expected amounts on the
page and exact ones in the CSV, and whether each quarter's return was verified. No rendering."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from svportal import charts

QUARTERS = [pd.Timestamp("2026-03-31"), pd.Timestamp("2026-06-30"), pd.Timestamp("2026-09-30")]


def commitment(unit: str, aggregation: str = "sum") -> dict:
    return {
        "unit": unit,
        "aggregation": aggregation,
        "direction": "increase",
        "measure_slug": "skl-04",
        "measure_title": "Residents supported into work",
    }


def series(checked: list[str] | None = None) -> dict[str, list]:
    found = {
        "quarter_end": QUARTERS,
        "delivered": [1.0, float("nan"), 1.0],
        "delivered_to_date": [1.0, 1.0, 2.0],
        "expected_to_date": [0.49, 1.5, 29.984],
    }
    if checked is not None:
        found["checked"] = checked
    return found


@pytest.mark.parametrize("unit", ["people", "jobs", "weeks", "hours"])
def test_a_count_units_axis_steps_by_whole_units(unit):
    spec = charts.commitment_chart(commitment(unit), series()).spec
    # values up to 29.98: ticks every 10 up to 30, the top of the scale; never 0.2 people
    assert spec["encoding"]["y"]["axis"] == {"values": [0, 10, 20, 30], "format": ",d"}
    assert spec["encoding"]["y"]["scale"] == {"zero": True, "domain": [0, 30]}
    assert spec["encoding"]["y"]["title"] == unit


def test_a_small_count_steps_by_one_not_by_a_fraction():
    small = series()
    small["expected_to_date"] = [0.3, 0.6, 0.9]
    spec = charts.commitment_chart(commitment("people"), small).spec
    assert spec["encoding"]["y"]["axis"]["values"] == [0, 1, 2]  # delivered to date reaches 2


@pytest.mark.parametrize(
    "values, expected",
    [
        ([0.0], [0, 1]),
        ([0.2, 0.9], [0, 1]),
        ([1.0, 2.0], [0, 1, 2]),
        ([5.0], [0, 1, 2, 3, 4, 5]),
        ([5.5], [0, 2, 4, 6]),
        ([34.0], [0, 10, 20, 30, 40]),
        ([1234.5, float("nan")], [0, 500, 1000, 1500]),
        ([250_000], [0, 50_000, 100_000, 150_000, 200_000, 250_000]),
        ([250_001], [0, 100_000, 200_000, 300_000]),
    ],
)
def test_whole_ticks_step_by_one_two_or_five_times_a_power_of_ten(values, expected):
    assert charts.whole_ticks(values) == expected


@pytest.mark.parametrize("values", [[], [float("nan")], [-1.0, 3.0]])
def test_no_whole_ticks_without_values_or_below_zero(values):
    assert charts.whole_ticks(values) is None
    assert charts.whole_axis(values) == {"axis": {"tickMinStep": 1, "format": ",d"}, "scale": {"zero": True}}


@pytest.mark.parametrize("unit", ["FTE", "tCO2e", "GBP", "percent"])
def test_a_measurements_axis_keeps_vega_lites_own_steps(unit):
    spec = charts.commitment_chart(commitment(unit), series()).spec
    assert "axis" not in spec["encoding"]["y"]
    assert spec["encoding"]["y"]["scale"] == {"zero": True}


def test_a_count_units_expected_amounts_are_whole_on_the_page_and_as_computed_in_the_csv():
    chart = charts.commitment_chart(commitment("people"), series(["Verified", "No return", "1 of 2 verified"]))
    assert chart.summary == "By Jul-Sep 2026, 2 people had been delivered, against 30 people expected by then."
    assert chart.table.columns[-1] == "Return"
    assert chart.table_rows() == [
        ["Jan-Mar 2026", "1", "1", "0", "Verified"],
        ["Apr-Jun 2026", "No return", "1", "2", "No return"],  # 1.5 people: 2, half up
        ["Jul-Sep 2026", "1", "2", "30", "1 of 2 verified"],
    ]
    written = list(csv.reader(io.StringIO(chart.csv_bytes().decode("utf-8-sig"))))
    assert [row[3] for row in written[1:]] == ["0.49", "1.5", "29.98"]  # to two places, as before: not rounded whole
    assert [row[4] for row in written[1:]] == ["Verified", "No return", "1 of 2 verified"]


def test_a_measurements_expected_amounts_keep_their_decimals():
    chart = charts.commitment_chart(commitment("FTE"), series())
    assert [row[3] for row in chart.table_rows()] == ["0.49", "1.5", "29.98"]
    assert chart.summary.endswith("against 29.98 FTE expected by then.")
    assert "Return" not in chart.table.columns  # a series without what its returns were


def test_one_person_is_a_person():
    one = series()
    one["delivered_to_date"][-1] = 1.0
    one["expected_to_date"][-1] = 1.2
    chart = charts.commitment_chart(commitment("people", "latest"), one)
    assert (
        chart.summary == "By Jul-Sep 2026, 1 person was the latest level reported, against 1 person targeted by then."
    )


def test_the_weighting_chart_counts_contracts_in_whole_steps():
    table = pd.DataFrame({"Weighting": ["Under 20%", "30% or more"], "Contracts": [1, 2]})
    args = ("Weighting", "Contracts", "Number of contracts")
    whole = charts.bar_chart("chart-w", "Contracts", "Two bands.", table, *args, "w.csv", whole=True)
    assert whole.spec["layer"][0]["encoding"]["x"]["axis"] == {"values": [0, 1, 2], "format": ",d"}
    shares = charts.bar_chart("chart-s", "Shares", "Two.", table, "Weighting", "Contracts", "Share", "s.csv")
    assert "axis" not in shares.spec["layer"][0]["encoding"]["x"]


def test_lean_svg_drops_only_what_draws_nothing():
    rendered = (
        '<svg width="10" height="10"><g class="mark-group role-frame" role="graphics-object" aria-roledescription="g">'
        '<path class="background" aria-hidden="true" d="M0,0h560v240h-560Z"/>'
        '<path class="background" d="M0,0h0v0h0Z" pointer-events="none"/>'
        '<path class="foreground" aria-hidden="true" d="" pointer-events="none" display="none"/>'
        '<line transform="translate(0,77.01788088211606)" x2="560" stroke="#888" opacity="1"/>'
        '<path d="M0,0h560v240h-560Z" fill="#1d70b8"/>'
        "<text>1.23456789 people</text></g></svg>"
    )
    assert charts.lean_svg(rendered) == (
        '<svg width="10" height="10"><g>'
        '<line transform="translate(0,77.01)" x2="560" stroke="#888"/>'
        '<path d="M0,0h560v240h-560Z" fill="#1d70b8"/>'  # a filled shape is kept
        "<text>1.23456789 people</text></g></svg>"  # text is never rounded
    )


def test_a_delivery_chart_has_its_legend_in_html_not_in_the_svg():
    commitment = {
        "unit": "people",
        "aggregation": "sum",
        "direction": "increase",
        "measure_slug": "emp-01",
        "measure_title": "Local people hired",
    }
    quarters = list(pd.to_datetime(["2026-06-30", "2026-09-30"]))
    series = {"quarter_end": quarters, "delivered": [1.0, 2.0], "delivered_to_date": [1.0, 3.0]}
    chart = charts.commitment_chart(commitment, {**series, "expected_to_date": [1.5, 3.0]})
    assert [(i.label, i.colour, i.dashed, i.marker) for i in chart.legend] == [
        ("Delivered to date", "blue", False, "circle"),
        ("Expected to date (target shared over time)", "grey", True, "square"),
    ]
    assert all(chart.spec["encoding"][c]["legend"] is None for c in ("color", "strokeDash", "shape"))
    assert chart.svg_path == "charts/emp-01.svg"


def test_a_contracts_quarters_csv_gives_each_figure_its_own_column():
    hires = {**commitment("people"), "measure_id": "SKL-04"}
    level = {**commitment("%", aggregation="latest"), "measure_id": "RLW-01", "measure_title": "Paid the RLW"}
    hires["chart"] = charts.commitment_chart(hires, series(checked=["Verified", "Not returned", "Verified"]))
    level["chart"] = charts.commitment_chart(level, series())
    rows = list(csv.DictReader(io.StringIO(charts.quarters_csv([hires, {"chart": None}, level]).decode())))
    assert [(r["Measure id"], r["Quarter"]) for r in rows] == [
        ("SKL-04", "Jan-Mar 2026"),
        ("SKL-04", "Apr-Jun 2026"),
        ("SKL-04", "Jul-Sep 2026"),
        ("RLW-01", "Jan-Mar 2026"),
        ("RLW-01", "Apr-Jun 2026"),
        ("RLW-01", "Jul-Sep 2026"),
    ]
    first = {k: v for k, v in rows[1].items() if v}  # a quarter without a return: nothing delivered in it
    assert first == {
        "Measure id": "SKL-04",
        "Measure": "Residents supported into work",
        "Unit": "people",
        "Quarter": "Apr-Jun 2026",
        "Delivered to date": "1",
        "Expected to date (target shared over time)": "1.5",
        "Return": "Not returned",
    }
    levels = {k: v for k, v in rows[3].items() if v}
    assert levels == {
        "Measure id": "RLW-01",
        "Measure": "Paid the RLW",
        "Unit": "%",
        "Quarter": "Jan-Mar 2026",
        "Level reported": "1",
        "Latest level reported": "1",
        "Target level": "0.49",
    }
